//! Credentials in a repository's history (`tiergate history`): every blob the refs
//! reach (all branches, tags, remote-tracking and other refs, as `git log --all`; with
//! a base, only what the commits it does not reach introduce) is read once and given to
//! the credentials' detectors, and each hit is judged by the rules a scan applies to
//! the same bytes at the same path. A credential committed once and deleted later is
//! still there for whoever reads the history (`git log -p`, `git show`, an agent):
//! deleting it does not un-leak it, rotating it does.
//!
//! Three steps, each testable alone:
//!
//! 1. [`commits`]: the commits of the range and, for each, the blobs it introduces at
//!    each path (a blob at a path that none of its parents has there: added, changed,
//!    renamed to, or put there by a merge's own resolution). Links and submodules
//!    (gitlinks) have no content to scan.
//! 2. [`scan`]: every (blob, path) pair the cache does not know, in parallel, one
//!    worker thread per core; a blob is read once, whatever the number of its paths.
//!    The detectors see a blob as a scan sees a file: the head up to the content limit,
//!    the rest streamed to the credentials' detectors; binary content is searched too.
//!    What they find depends on the path as well as the bytes (a value in code is an
//!    expression, in config a literal; accepted findings name a path), so the pair is
//!    the unit, and the common case, one path per blob, costs one scan per blob.
//! 3. [`judge`]: each pair with a credential signal is classified as a scan would
//!    classify that file, with the config's rules and policies but without exceptions
//!    (an exception says where a file's current content may go; it cannot make a
//!    credential in the history un-leaked). A signal is *live* when it puts the file
//!    in tier 1; a test key (`sk_test_`), a fixture in tests or docs (medium
//!    confidence) or a low-confidence hit stay tier 2 and are reported, not live.
//!    The blobs holding one credential (the same signal, as many times, with the same
//!    text where it is first seen: versions of a file that keep it, copies, renames)
//!    are one finding, at the oldest commit that introduced one of them.
//!
//! What the detectors said of each pair is kept in [`cache`], under the repository's
//! git directory, keyed by blob id and path, and invalidated with the detectors'
//! decision versions and the rules' digests: a second run over an unchanged history
//! reads no blob. What each commit introduced is kept too, so it compares no tree.
//!
//! Reports never hold a matched value or any part of it: a signal id, its title, a
//! line, a path, commit and blob ids. An object that cannot be read is a finding (fail
//! closed), never a silent skip. Must not import app or render.

pub mod cache;
pub mod commits;
pub mod judge;
pub mod scan;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use git2::Oid;
use serde::Serialize;

use crate::model::{Confidence, TierId};

pub use judge::Judge;

/// The rule id of a finding about an object that cannot be read.
pub const READ_ERROR: &str = crate::codes::READ_ERROR;

/// How to rotate a credential found in the history.
pub const ROTATE: &str = "revoke it at its issuer and use a new one: whoever could read this history (clones, forks, CI caches, agents) may hold it, and removing it from the history does not un-leak it";

/// How a run is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only the commits this ref does not reach (`REF..--all`).
    pub since: Option<String>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// The detectors read at most this many bytes of a blob with every family; the
    /// credentials' detectors read the rest too (the scan's `limits.max_content_bytes`).
    pub max_content_bytes: u64,
    /// A NUL among a blob's first bytes makes it binary (`limits.binary_sniff_bytes`).
    pub binary_sniff_bytes: u64,
    /// Where the detectors' results are kept between runs (None: not kept, every pair
    /// is scanned).
    pub cache: Option<PathBuf>,
    /// Whether the results kept there are used (false: every pair is scanned again,
    /// and the file replaced).
    pub reuse_cache: bool,
    /// What the cached results were computed with (see [`cache::key`]).
    pub cache_key: [u8; 32],
}

/// What a run found.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The base given with `--since`, as given.
    pub since: Option<String>,
    /// Whether the repository is a shallow clone: its oldest commits stand for the
    /// history cut away, and the findings' commits may be later than the real ones.
    pub shallow: bool,
    /// Commits in the range.
    pub commits: u64,
    /// Distinct blobs the range introduces (links and submodules left out).
    pub blobs: u64,
    /// Sorted by path, then commit date, commit, line and rule.
    pub findings: Vec<Finding>,
    /// How the run went (scanned or from the cache): not part of the report, which is
    /// the same whatever the cache held.
    #[serde(skip)]
    pub stats: Stats,
}

impl History {
    /// Whether a live credential (or an object that cannot be read) was found: the
    /// command's exit 1.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.live)
    }
}

/// How a run went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Commits whose trees were compared with their parents' (the others' answers
    /// came from the cache).
    pub commits_read: u64,
    /// (blob, path) pairs the range introduces.
    pub pairs: u64,
    /// Blobs read and given to the detectors.
    pub scanned: u64,
    /// Pairs whose detector results came from the cache.
    pub cached: u64,
    /// Why the cache could not be written, if it could not.
    pub cache_error: Option<String>,
    /// Time spent walking the commits and comparing their trees, reading and scanning
    /// blobs, and judging what was found.
    pub walk: std::time::Duration,
    pub scan: std::time::Duration,
    pub judge: std::time::Duration,
}

/// One credential, where and when it first entered the history: the oldest commit
/// that introduced a blob holding it, at that blob's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Repo-relative path (display form).
    pub path: String,
    /// The oldest commit that introduced the blob at this path (None: the object that
    /// cannot be read is not a blob of a known commit).
    pub commit: Option<String>,
    /// That commit's committer date, UTC, RFC 3339.
    pub date: Option<String>,
    /// The blob (None for an error about a tree or a commit).
    pub blob: Option<String>,
    /// The signal id (`secret.stripe_key`), or `read-error`.
    pub rule: String,
    /// What the credential is (`a Stripe secret or restricted key`).
    pub title: String,
    /// First line of the credential in the blob.
    pub line: Option<u32>,
    /// Hits of the signal in the blob.
    pub count: u32,
    pub confidence: Option<Confidence>,
    /// The tier the credential gives the file, as a scan decides it (None: no policy
    /// gives it one).
    pub tier: Option<TierId>,
    /// The policy rule that decided that tier (`service-token`).
    pub policy_rule: Option<String>,
    /// Whether it puts the file in tier 1 (not a test key, fixture or low-confidence
    /// hit), or cannot be read: what fails the run.
    pub live: bool,
    /// Other commits that introduced the same credential (the same signal, as many
    /// times, with the same text where it is first seen) at this path or another:
    /// versions of the file that keep it, copies and renames, cherry-picks, a revert
    /// of its removal.
    pub other_commits: u64,
    /// Other paths the blobs holding it were introduced at (copies, renames).
    pub other_paths: u64,
    /// What to do: the credential's title and how to rotate it; for an object that
    /// cannot be read, why it was not scanned.
    pub action: String,
}

/// The commits that introduced a blob at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intro {
    /// The oldest of them: an index into [`commits::Walked::commits`].
    pub oldest: u32,
    /// All of them, sorted (indexes).
    pub commits: Vec<u32>,
}

/// Scan the history of the repository whose git directory is `git_dir` for
/// credentials. Errors are those that stop the whole run (a base that does not
/// resolve, a repository that cannot be opened); an object that cannot be read is a
/// finding.
pub fn run(git_dir: &Path, opts: &Options, judge: &Judge) -> anyhow::Result<History> {
    let started = std::time::Instant::now();
    let repo = git2::Repository::open(git_dir)
        .map_err(|e| anyhow::anyhow!("{}: {}", git_dir.display(), e.message()))?;
    let shallow = repo.is_shallow();
    let range = commits::range(&repo, opts.since.as_deref())?;
    drop(repo);
    let threads = threads(opts.threads);
    let commits_cache = opts
        .cache
        .as_ref()
        .map(|p| p.with_file_name(cache::COMMITS_FILE_NAME));
    let mut known = match &commits_cache {
        Some(p) if opts.reuse_cache => cache::Introductions::load(p),
        _ => cache::Introductions::default(),
    };
    let commits_read = range
        .commits
        .iter()
        .filter(|c| known.get(**c).is_none())
        .count() as u64;
    let (walked, fresh) = commits::introductions(git_dir, range, shallow, threads, &known);
    for (id, introduced) in fresh {
        known.insert(id, introduced);
    }
    let mut cache = match &opts.cache {
        Some(p) if opts.reuse_cache => cache::Cache::load(p, &opts.cache_key),
        _ => cache::Cache::empty(opts.cache_key),
    };

    // Every pair, by blob: the cached ones are judged from the cache, the others
    // scanned, each blob by one worker for all of its paths.
    let mut by_blob: BTreeMap<Oid, Vec<usize>> = BTreeMap::new();
    for (i, ((blob, _), _)) in walked.pairs.iter().enumerate() {
        by_blob.entry(*blob).or_default().push(i);
    }
    let mut stats = Stats {
        pairs: walked.pairs.len() as u64,
        commits_read,
        walk: started.elapsed(),
        ..Stats::default()
    };
    let started = std::time::Instant::now();
    let mut work: Vec<scan::Work<'_>> = Vec::new();
    for (blob, pairs) in &by_blob {
        let todo: Vec<&[u8]> = pairs
            .iter()
            .map(|&i| &*walked.pairs[i].0.1)
            .filter(|raw| cache.get(*blob, raw).is_none())
            .collect();
        stats.cached += (pairs.len() - todo.len()) as u64;
        if !todo.is_empty() {
            work.push(scan::Work {
                blob: *blob,
                paths: todo,
            });
        }
    }
    // In the walk's order of the commits that introduced them: blobs of neighbouring
    // commits are often deltas of one another, whose bases libgit2's cache then holds.
    work.sort_by_cached_key(|w| {
        by_blob[&w.blob]
            .iter()
            .map(|&i| walked.pairs[i].1.oldest)
            .min()
    });
    stats.scanned = work.len() as u64;
    let limits = scan::Limits {
        max_content_bytes: opts.max_content_bytes,
        binary_sniff_bytes: opts.binary_sniff_bytes,
    };
    let results = scan::scan(git_dir, &work, judge.detectors(), limits, threads);
    let mut unreadable: HashMap<(Oid, &[u8]), String> = HashMap::new();
    for (w, per_path) in work.iter().zip(results) {
        for (raw, result) in w.paths.iter().zip(per_path) {
            match result {
                Ok(scanned) => cache.insert(w.blob, raw, scanned),
                Err(message) => {
                    unreadable.insert((w.blob, raw), message);
                }
            }
        }
    }
    if let Some(p) = &opts.cache
        && let Err(e) = cache.save(p).and_then(|()| match &commits_cache {
            Some(c) => known.save(c),
            None => Ok(()),
        })
    {
        // Only the next run is slower.
        stats.cache_error = Some(format!("{e:#}"));
    }

    stats.scan = started.elapsed();
    let started = std::time::Instant::now();
    let findings = judge::findings(&walked, &cache, &unreadable, judge);
    stats.judge = started.elapsed();
    let blobs = by_blob.len() as u64;
    Ok(History {
        since: opts.since.clone(),
        shallow,
        commits: walked.commits.len() as u64,
        blobs,
        findings,
        stats,
    })
}

/// Worker threads for `requested` (0: one per core), as the scan sizes its walk.
pub fn threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The repo-relative display form of a raw git path.
pub(crate) fn display(raw: &[u8]) -> String {
    crate::walk::changeset::display_of(raw)
}

/// A commit time (seconds since the epoch, UTC) in RFC 3339.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::model::Date::from_days_since_epoch(days),
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_times_are_written_in_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_600 + 3661), "2026-01-01T01:01:01Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }
}
