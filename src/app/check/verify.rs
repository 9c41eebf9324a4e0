//! What the committed manifest must say: its header and entries are rebuilt from the
//! judging rules (and, when the change edits them, from the change's own rules) and
//! compared. An entry must be what the judging rules give for the head's content; when
//! the change edits the rules, what its new rules give is accepted too, unless that is
//! less protected than the judging rules give (a lowering through a rule change lands
//! in two steps). Entries a change does not touch are inherited from the base
//! manifest, which the same rules judged; when the base manifest was built with other
//! rules, or the change edits them, every entry is rebuilt.

use std::collections::{BTreeMap, BTreeSet};

use git2::Repository;

use super::{Rulebook, Side, Storage, classify, entry_of};
use crate::decide::{self, FileRecord};
use crate::gate::verdicts::{Lowering, Shift, Stale};
use crate::manifest::{FileEntry, ManifestView};
use crate::model::TierId;
use crate::walk::changeset::Blob;

/// A rulebook's classifier and content scanner, made once per thread.
pub(super) struct Tools<'b> {
    book: &'b Rulebook,
    classifier: decide::Classifier,
    scanner: crate::detect::engine::Scanner,
}

impl<'b> Tools<'b> {
    pub(super) fn new(book: &'b Rulebook) -> Tools<'b> {
        Tools {
            book,
            classifier: book.classifier(),
            scanner: book.detectors.scanner(),
        }
    }

    /// The tier `rec` (of `blob`) would have if no `tiergate:accept` marker counted:
    /// its own tier when none does.
    pub(super) fn tier_without_markers(
        &mut self,
        rec: &FileRecord,
        blob: &Blob,
    ) -> crate::model::TierId {
        if !rec
            .facts
            .accepted
            .iter()
            .any(|a| a.by == crate::model::AcceptedBy::Inline)
        {
            return rec.decision.tier;
        }
        let id = blob.id.to_string();
        self.classifier
            .classify(rec.facts.without_markers(), move || Some(id))
            .decision
            .tier
    }

    /// Classify a blob stored as `storage` says (filters, LFS objects).
    pub(super) fn classify(
        &mut self,
        repo: &Repository,
        blob: &Blob,
        storage: &Storage<'_>,
    ) -> anyhow::Result<FileRecord> {
        classify(
            self.book,
            &mut self.classifier,
            &mut self.scanner,
            repo,
            blob,
            storage,
        )
    }
}

/// Classify every blob with `book`, on every core (each with its own repository handle
/// and tools), merge the files that share a path once their names are normalized, then
/// finish the records as a scan does (links, case collisions).
pub(super) fn classify_all(
    book: &Rulebook,
    repo: &Repository,
    blobs: &[Blob],
    storage: &Storage<'_>,
) -> anyhow::Result<decide::Records> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(blobs.len().max(1));
    let chunk = blobs.len().div_ceil(threads).max(1);
    let git_dir = repo.path().to_path_buf();
    let parts: Vec<anyhow::Result<Vec<(String, FileRecord)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = blobs
            .chunks(chunk)
            .map(|part| {
                let git_dir = &git_dir;
                s.spawn(move || -> anyhow::Result<Vec<(String, FileRecord)>> {
                    let repo = Repository::open(git_dir)
                        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
                    let mut tools = Tools::new(book);
                    part.iter()
                        .map(|b| Ok((b.path.clone(), tools.classify(&repo, b, storage)?)))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("classifying a blob does not panic"))
            .collect()
    });
    let mut groups = Twins::new();
    for part in parts {
        for (path, rec) in part? {
            groups.entry(path).or_default().push(Box::new(rec));
        }
    }
    let mut records = merge_twins(book, groups);
    // Every record is a tracked file of the side.
    decide::finish(&book.rules, &mut records, |_| true);
    Ok(records)
}

/// Records of one side grouped by path: more than one where files' names normalize to
/// the same path (twins).
pub(super) type Twins = BTreeMap<String, Vec<Box<FileRecord>>>;

/// One record per path: the twins of a path merged as a scan merges them.
pub(super) fn merge_twins(book: &Rulebook, groups: Twins) -> decide::Records {
    groups
        .into_iter()
        .map(|(path, mut group)| {
            let rec = match group.len() {
                1 => group.pop().expect("one"),
                _ => decide::merge_twins(&book.rules, &path, group),
            };
            (path, rec)
        })
        .collect()
}

/// The header checks: against the judging rules' header (`judge`), or, when the change edits
/// the rules and the manifest follows its new ones, every widening of the judging
/// rules' header (those fail: they land in two steps). Zone tiers are recorded in
/// `git_dir`.
pub(super) fn header(
    view: &ManifestView,
    judge: crate::manifest::Manifest,
    new: Option<&Rulebook>,
    git_dir: &std::path::Path,
) -> Vec<Stale> {
    let against_judge = view.header.header_differences(&judge, true);
    if against_judge.is_empty() {
        return Vec::new();
    }
    if let Some(new) = new
        && view
            .header
            .header_differences(&new.header(new.zone_tiers(git_dir)), true)
            .is_empty()
    {
        return against_judge
            .into_iter()
            .filter(|d| d.widens)
            .map(|d| Stale::Header {
                widens: true,
                message: format!(
                    "{}: {} — the change's new rules let content reach more destinations; a change that does this lands in two steps (see docs/src/gate.md#changing-the-rules)",
                    d.field, d.message
                ),
            })
            .collect();
    }
    against_judge
        .into_iter()
        .map(|d| Stale::Header {
            widens: d.widens,
            message: format!("{}: {}", d.field, d.message),
        })
        .collect()
}

/// Expected records of the paths to verify: under the judging rules, and under the
/// change's new rules when it edits them.
pub(super) struct Expected {
    pub judge: decide::Records,
    pub new: Option<decide::Records>,
}

/// Compare the manifest's entries for `expected`'s paths, and say which listed
/// entries have no file (`absent`: paths deleted by the change, or, when every entry
/// is rebuilt, every listed tracked path without a file).
pub(super) fn entries(
    view: &ManifestView,
    expected: &Expected,
    absent: &BTreeSet<String>,
) -> anyhow::Result<(Vec<Stale>, Vec<Lowering>)> {
    let mut stale = Vec::new();
    let mut lowered = Vec::new();
    for (path, j) in &expected.judge {
        let want = serde_json::to_string(&entry_of(j))?;
        let found = view.raw(path);
        if found == Some(want.as_str()) {
            continue;
        }
        let n = expected.new.as_ref().and_then(|n| n.get(path));
        if let (Some(found), Some(n)) = (found, n)
            && found == serde_json::to_string(&entry_of(n))?
        {
            // The entry follows the change's new rules.
            if n.decision.tier > j.decision.tier {
                lowered.push(Lowering {
                    path: path.clone(),
                    source: None,
                    from: j.decision.tier,
                    to: n.decision.tier,
                    message: format!(
                        "the change's new rules lower it from tier {} to tier {} (content unchanged by the rules); a change that lowers tiers lands in two steps, or with an exception from the base side (see docs/src/gate.md#changing-the-rules)",
                        j.decision.tier, n.decision.tier
                    ),
                });
            }
            continue;
        }
        // The tier as written, even one the header does not define (a flipped bit):
        // the entry is stale either way, and said to be lower when it is.
        let found_tier = found.and_then(|raw| {
            serde_json::from_str::<crate::manifest::EntryHead>(raw)
                .ok()
                .map(|h| h.tier)
        });
        let want_tier = j.decision.tier;
        let undefined = |t: TierId| {
            if view.header.defines_tier(t) {
                ""
            } else {
                " (a tier the manifest does not define)"
            }
        };
        stale.push(Stale::Entry {
            path: path.clone(),
            expected: Some(want_tier),
            found: found_tier,
            message: match (found, found_tier) {
                (None, _) => {
                    format!("not listed in the manifest; the rules give tier {want_tier}")
                }
                (Some(_), None) => format!(
                    "the manifest's entry cannot be read; the rules give tier {want_tier}"
                ),
                (Some(_), Some(t)) if t != want_tier => format!(
                    "the manifest says tier {t}{}; the rules give tier {want_tier}",
                    undefined(t)
                ),
                (Some(_), Some(_)) => "the manifest's entry differs from what the rules give (same tier, other reasons)".to_string(),
            },
        });
    }
    for path in absent {
        // Read as written: an entry the header cannot vouch for is listed all the same.
        let Some(raw) = view.raw(path) else { continue };
        match serde_json::from_str::<FileEntry>(raw) {
            Ok(e) if e.git != "tracked" => {}
            read => stale.push(Stale::Entry {
                path: path.clone(),
                expected: None,
                found: read.as_ref().ok().map(|e| e.tier),
                message: "listed in the manifest, but there is no such file".into(),
            }),
        }
    }
    Ok((stale, lowered))
}

/// Paths whose entries differ between two manifests, with both tiers, leaving out
/// `touched` (the change's own paths, which are classified anyway).
pub(super) fn shifted(
    old: &ManifestView,
    new: &ManifestView,
    touched: &BTreeSet<&str>,
) -> anyhow::Result<Vec<Shift>> {
    let mut out = Vec::new();
    let mut a = old.entries().peekable();
    let mut b = new.entries().peekable();
    let parse = |raw: &str| -> anyhow::Result<FileEntry> { Ok(serde_json::from_str(raw)?) };
    loop {
        let (path, o, n) = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((pa, _)), Some((pb, _))) if pa == pb => {
                let (p, ra) = a.next().expect("peeked");
                let (_, rb) = b.next().expect("peeked");
                if ra == rb {
                    continue;
                }
                (p.into_owned(), Some(ra), Some(rb))
            }
            (Some((pa, _)), Some((pb, _))) if pa < pb => {
                let (p, ra) = a.next().expect("peeked");
                (p.into_owned(), Some(ra), None)
            }
            (Some(_), None) => {
                let (p, ra) = a.next().expect("peeked");
                (p.into_owned(), Some(ra), None)
            }
            _ => {
                let (p, rb) = b.next().expect("peeked");
                (p.into_owned(), None, Some(rb))
            }
        };
        if touched.contains(path.as_str()) {
            continue;
        }
        let o = o.map(parse).transpose()?;
        let n = n.map(parse).transpose()?;
        let rule = n
            .as_ref()
            .and_then(|e| e.reasons.first())
            .map(|r| r.rule.clone());
        out.push(Shift {
            path,
            old: o.map(|e| e.tier),
            new: n.map(|e| e.tier),
            rule,
        });
    }
    Ok(out)
}

/// Every file of a side, sorted by path (twins, files whose names normalize to the
/// same path, side by side), leaving out the manifests themselves (a scan does not
/// list its own output).
pub(super) fn side_files(repo: &Repository, side: &Side<'_>) -> anyhow::Result<Vec<Blob>> {
    // Keyed by the path as git stores it: twins share a display path.
    let mut files: BTreeMap<Vec<u8>, Blob> = BTreeMap::new();
    match side {
        Side::Tree(t) => {
            for b in crate::walk::changeset::files(repo, t)? {
                files.insert(b.raw.clone(), b);
            }
        }
        Side::Overlay { base, changes } => {
            if let Some(t) = base {
                for b in crate::walk::changeset::files(repo, t)? {
                    files.insert(b.raw.clone(), b);
                }
            }
            for c in changes.iter() {
                if let Some(o) = &c.old {
                    files.remove(&o.raw);
                }
            }
            for c in changes.iter() {
                if let Some(n) = &c.new {
                    files.insert(n.raw.clone(), n.clone());
                }
            }
        }
    }
    let mut out: Vec<Blob> = files
        .into_values()
        .filter(|b| {
            b.path != crate::manifest::MANIFEST_FILE_NAME
                && b.path != crate::manifest::MANIFEST_YAML_FILE_NAME
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.raw.cmp(&b.raw)));
    Ok(out)
}

/// Links the change leaves alone whose target reaches what is verified (a path the
/// change touches, a shifted entry, or another such link): a link takes its target's
/// tier, so its entry moves with the target's content and is verified with it.
pub(super) fn links_reaching(
    repo: &Repository,
    links: Vec<Blob>,
    verified: &BTreeSet<String>,
) -> anyhow::Result<Vec<Blob>> {
    let mut reached: BTreeSet<String> = verified.clone();
    let mut pending: Vec<(Blob, Option<String>)> = links
        .into_iter()
        .map(|b| {
            let target = repo
                .find_blob(b.id)
                .map_err(|e| anyhow::anyhow!("{}: {}", b.path, e.message()))?;
            let target = String::from_utf8_lossy(target.content()).into_owned();
            let dir = b.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            Ok((b, normalize(&dir, &target)))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut out = Vec::new();
    loop {
        let before = out.len();
        pending.retain(|(link, target)| {
            // A link out of the repository is tier 1 whatever changes inside it.
            let Some(t) = target else { return true };
            let hits = reached.iter().any(|p| {
                t.is_empty()
                    || p == t
                    || p.strip_prefix(t.as_str())
                        .is_some_and(|r| r.starts_with('/'))
                    || t.strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            });
            if hits {
                reached.insert(link.path.clone());
                out.push(link.clone());
            }
            !hits
        });
        if out.len() == before {
            return Ok(out);
        }
    }
}

/// `target` as written in a link inside `dir`, as a repo-relative path; None when it
/// leaves the repository.
fn normalize(dir: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    crate::walk::join_relative(dir, target)
}
