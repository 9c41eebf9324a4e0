//! The decision core of `route` and the hooks: may each of a list of paths (read,
//! written, or searched by a tool) go to the session's destination?
//!
//! A path is judged as the kernel will open it and as it is on disk now, not only as
//! the manifest describes it:
//! - it is resolved ([`super::resolve`]); the path as resolved, the path as given (text,
//!   relative to the repository root as spelled and as canonical) and every symbolic
//!   link met on the way are judged, and the strictest answer wins; a path all of
//!   whose forms lie outside the repository is not this manifest's to judge, except
//!   process files (`/proc/*/fd`, ...), which cannot be known and are tier 1;
//! - a file is answered from the manifest only when its `lstat` shows the kind the
//!   manifest lists and a change time strictly older than the scan ([`super::stamp`]);
//!   any other file is classified again now with the rules in force (the path `explain`
//!   takes: the config, policies and detectors loaded once per call, on this path only);
//! - a directory stands for every file under it on disk (without following links), each
//!   judged so; an existing file the manifest does not list is tier 1, and `.git/` is
//!   tier 1 for readers that descend into it;
//! - a path under a submodule is answered by the submodule's own manifest (reconciled
//!   with its own config), else tier 1, and never more leniently than the submodule's
//!   entry;
//! - a manifest whose header the config in force does not give is refused at open
//!   ([`Judge::open`]), and an entry whose tier its header does not define is a tier-1
//!   answer with the located error;
//! - writes to tiergate's own files are denied whatever the destination.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::resolve::{self, End, Session};
use super::stamp::{self, Reference};
use super::{Context, Head, head_of};
use crate::codes;
use crate::config::{self, Config};
use crate::decide::Classifier;
use crate::diag::Diagnostics;
use crate::manifest::{self, Lookup, Manifest, Reason, Scope};
use crate::model::{Date, TierId};
use crate::policy::PolicySet;
use crate::walk::{self, WalkOptions};

/// What a tool call does with a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Reads it. A directory stands for every file under it, hidden and ignored ones and
    /// `.git/` included, as `grep -r`, `tar` and `cp -r` read them.
    Read,
    /// Writes, creates or edits it: judged as a read of what is there (an edit shows the
    /// old content), and denied for tiergate's own files whatever the destination.
    Write,
    /// A recursive search as ripgrep makes it (see [`Search`]); a file operand is read.
    Search(Search),
}

/// Which files under a directory a ripgrep-style search reads. A file it may read is
/// never left out; a file it skips may be counted (the model errs on the strict side).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Search {
    /// `--glob` values. Whitelisting globs make ripgrep read matching files even where
    /// ignore files or hidden names would skip them, so with any, ignore files are not
    /// honoured here; a glob with a `/` (anchored, which depends on ripgrep's working
    /// directory) drops the glob filter altogether. `!glob` exclusions are not applied.
    pub globs: Vec<String>,
    /// `--type` values (ripgrep's default type list); unknown names drop the filter.
    pub types: Vec<String>,
    /// Whether the reader skips what `.gitignore` and `.git/info/exclude` exclude.
    pub respects_ignore: bool,
    /// Whether the reader skips hidden names.
    pub skips_hidden: bool,
}

impl Search {
    /// Claude Code's Grep tool: ripgrep honouring ignore files, skipping version control
    /// directories, searching hidden names (current releases pass `--hidden`; older ones
    /// skip hidden names, a subset of this), with the tool's `glob` and `type`.
    pub fn claude_grep(glob: Option<&str>, kind: Option<&str>) -> Search {
        Search {
            globs: glob.map(|g| vec![g.to_string()]).unwrap_or_default(),
            types: kind.map(|t| vec![t.to_string()]).unwrap_or_default(),
            respects_ignore: true,
            skips_hidden: false,
        }
    }
}

/// One path a tool call would touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The working directory the path is relative to (the session's); None: the
    /// judge's default.
    pub cwd: Option<PathBuf>,
    /// As the tool gives it: absolute, relative, `~/...`.
    pub path: String,
    pub access: Access,
}

/// The answer for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The path as the tool gave it.
    pub input: String,
    /// The repo-relative path as given (text), or as resolved when the text lies
    /// outside the repository.
    pub path: String,
    /// The repo-relative path the answer comes from, when it is not `path` (a link's
    /// target, the real path behind `..`, a file under a directory).
    pub judged: Option<String>,
    pub tier: TierId,
    pub allowed: bool,
    /// Whether the answer comes from manifest entries (else the unlisted tier or a
    /// rule of the runtime).
    pub listed: bool,
    pub reasons: Vec<Reason>,
    /// The manifest could not answer for a path it had to (an entry with a tier its
    /// header does not define, a repeated path): the answer is tier 1, and a command
    /// that reports rather than gates (`route`) fails with this located error.
    pub error: Option<String>,
}

/// How to open a judge.
pub struct Options {
    /// The repository the manifest describes (made canonical).
    pub root: PathBuf,
    /// Where relative paths and `--config` start, when an item gives no directory.
    pub cwd: PathBuf,
    /// The manifest (default: `tiergate.manifest.json` at the root).
    pub manifest: Option<PathBuf>,
    /// `--config` (absolute, or relative to `cwd`); else `tiergate.yaml` is searched
    /// upward from the root, else the defaults.
    pub config: Option<PathBuf>,
    pub destination: String,
    pub today: Date,
    /// What `~` means (`HOME`).
    pub home: Option<PathBuf>,
}

#[derive(Debug)]
pub enum OpenError {
    /// No manifest to answer from (never scanned).
    Missing(String),
    /// A manifest the rules in force do not vouch for, a destination it does not
    /// define, or rules that cannot be read.
    Refused(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Missing(m) | OpenError::Refused(m) => f.write_str(m),
        }
    }
}

/// A manifest opened and reconciled with the rules in force, for one destination.
pub struct Judge {
    root: PathBuf,
    lookup: Lookup,
    destination: String,
    accepts: TierId,
    reference: Reference,
    governance: Governance,
    cwd: PathBuf,
    home: Option<PathBuf>,
    config: Option<PathBuf>,
    today: Date,
    /// The rules compiled, on first need (a file changed since the scan).
    slow: OnceCell<Result<Slow, String>>,
    /// What classifications recorded in `.git/tiergate/` are keyed by besides the file.
    judgements_key: String,
    git_dir: Option<PathBuf>,
    sessions: RefCell<HashMap<PathBuf, Session>>,
    /// Whether a directory is a submodule entry, by repo-relative path.
    submodule: RefCell<HashMap<String, bool>>,
    /// Submodules' own judges.
    nested: RefCell<HashMap<String, std::rc::Rc<Result<Judge, String>>>>,
}

/// One candidate's answer.
#[derive(Debug, Clone)]
struct Judged {
    path: String,
    tier: TierId,
    listed: bool,
    reasons: Vec<Reason>,
    error: Option<String>,
}

fn note(code: &str, tier: Option<TierId>, message: String) -> Reason {
    Reason {
        code: code.into(),
        rule: code.into(),
        tier,
        source: "builtin".into(),
        message,
    }
}

/// The config in force: `explicit` (relative to `cwd`), else `tiergate.yaml` found
/// upward from the root, else the defaults; with how a scan names it.
pub fn config_in_force(
    root: &Path,
    cwd: &Path,
    explicit: Option<&Path>,
) -> Result<(Config, String), Diagnostics> {
    Ok(match explicit {
        Some(p) => {
            let abs = cwd.join(p);
            let display = super::display_path(root, &abs);
            (config::load_file(&abs, &display)?, display)
        }
        None => match config::discover(root) {
            Some(p) => {
                let display = super::display_path(root, &p);
                (config::load_file(&p, &display)?, display)
            }
            None => (config::defaults(), "builtin".to_string()),
        },
    })
}

/// The rules in force for a repository, read as far as a header needs them: the config,
/// the exceptions file, and the policies' sources and digests (no policy compiled).
pub struct InForce {
    root: PathBuf,
    pub config: Config,
    pub config_display: String,
    pub exceptions: Option<config::ExceptionsFile>,
    pub accepted: Option<config::AcceptedFile>,
    digests: Vec<(String, String)>,
    /// `provenance.rules`: the shipped rules and the repository's rule files, read
    /// for their digests (none parsed).
    rules: Vec<manifest::ConfigProvenance>,
    git_dir: Option<PathBuf>,
}

impl InForce {
    pub fn load(root: &Path, cwd: &Path, explicit: Option<&Path>) -> Result<InForce, Diagnostics> {
        let (config, config_display) = config_in_force(root, cwd, explicit)?;
        let exceptions = config::load_exceptions(root, &config)?;
        let accepted = config::load_accepted(root)?;
        let digests = PolicySet::digests(&config, root)?;
        let rules = crate::rules::user::UserRules::read(root, &config.rule_files)?.provenance();
        Ok(InForce {
            rules,
            root: root.to_path_buf(),
            config,
            config_display,
            exceptions,
            accepted,
            digests,
            git_dir: stamp::git_dir(root),
        })
    }

    /// The header these rules give, with `zone_tiers` (none: not compared). Policies
    /// are named by source and digest; a package is taken from `actual`'s entry of the
    /// same source (a package follows from the bytes, which the digest compares).
    fn header(&self, actual: &Manifest, zone_tiers: &[Option<TierId>]) -> Manifest {
        let policies = self
            .digests
            .iter()
            .map(|(source, digest)| manifest::PolicyProvenance {
                package: actual
                    .provenance
                    .policies
                    .iter()
                    .find(|p| &p.source == source)
                    .map_or_else(String::new, |p| p.package.clone()),
                source: source.clone(),
                digest: digest.clone(),
            })
            .collect();
        head_of(
            &Head {
                config: &self.config,
                config_display: &self.config_display,
                policies,
                exceptions: self.exceptions.as_ref(),
                accepted: self.accepted.as_ref(),
                rules: self.rules.clone(),
                // Both scopes are written in a repository (`--include-untracked`);
                // outside git every file is listed.
                scope: if self.git_dir.is_some() {
                    actual.provenance.scope
                } else {
                    Scope::All
                },
                commit: None,
            },
            actual.summary.clone(),
            zone_tiers,
        )
    }

    /// The zones' path tiers these rules give, as the scan (or an earlier runtime)
    /// recorded them for the same tool, config and policies in `.git/tiergate/`.
    fn recorded_zone_tiers(&self) -> Option<Vec<Option<TierId>>> {
        let key = zone_key(&self.config.digest, &self.digests, self.git_dir.is_some());
        self.git_dir
            .as_deref()
            .and_then(|g| stamp::cached_zone_tiers(g, &key))
            .filter(|t| t.len() == self.config.zones.len())
    }

    /// The zones' path tiers computed (the policies compiled, tens of milliseconds),
    /// and recorded for the next time.
    fn computed_zone_tiers(&self) -> Result<Vec<Option<TierId>>, String> {
        let config = std::sync::Arc::new(self.config.clone());
        let rules = crate::decide::Rules::compile(config.clone()).map_err(|e| format!("{e:#}"))?;
        let policies = PolicySet::load(&config, &self.root).map_err(|d| d.to_string())?;
        let tiers = crate::decide::zone_tiers(&rules, &policies, self.git_dir.is_some());
        if let Some(g) = &self.git_dir {
            // Only slower answers follow when it cannot be recorded.
            let key = zone_key(&self.config.digest, &self.digests, true);
            let _ = stamp::cache_zone_tiers(g, &key, &tiers);
        }
        Ok(tiers)
    }

    /// Every difference between `actual`'s header and the one these rules give, the
    /// zones' path tiers included (compiled only when no record has them, and only for
    /// a header that agrees otherwise).
    pub fn differences(
        &self,
        actual: &Manifest,
    ) -> Result<Vec<manifest::HeaderDifference>, String> {
        if let Some(tiers) = self.recorded_zone_tiers() {
            return Ok(actual.header_differences(&self.header(actual, &tiers), true));
        }
        let plain = actual.header_differences(&self.header(actual, &[]), false);
        if !plain.is_empty() {
            return Ok(plain);
        }
        let tiers = self.computed_zone_tiers()?;
        Ok(actual.header_differences(&self.header(actual, &tiers), true))
    }
}

/// What the zones' path tiers depend on: this tool, the config's bytes, the policies'
/// bytes, and whether the repository is in git.
pub(crate) fn zone_key(config_digest: &str, policies: &[(String, String)], in_git: bool) -> String {
    let mut key = format!(
        "{} {config_digest} {}",
        env!("CARGO_PKG_VERSION"),
        if in_git { "git" } else { "no-git" }
    );
    for (source, digest) in policies {
        key.push(' ');
        key.push_str(source);
        key.push('=');
        key.push_str(digest);
    }
    key
}

/// The zones' path tiers recorded for `key` in `git_dir` (by a scan, the gate or the
/// runtime with the same tool, config and policies), else `compute`d and recorded.
/// A record with another number of zones than `zones` is not these rules'.
pub(crate) fn zone_tiers_recorded_or(
    git_dir: &Path,
    key: &str,
    zones: usize,
    compute: impl FnOnce() -> Vec<Option<TierId>>,
) -> Vec<Option<TierId>> {
    if let Some(tiers) = stamp::cached_zone_tiers(git_dir, key).filter(|t| t.len() == zones) {
        return tiers;
    }
    let tiers = compute();
    // Only slower answers follow when it cannot be recorded.
    let _ = stamp::cache_zone_tiers(git_dir, key, &tiers);
    tiers
}

/// The message of a header the rules in force do not give.
pub fn header_refusal(display: &str, differences: &[manifest::HeaderDifference]) -> String {
    format!(
        "{display}: the manifest's header is not what the rules in force give ({}); run `tiergate scan`",
        manifest::describe_differences(differences)
    )
}

impl Judge {
    /// Open the manifest, reconcile its header with the config in force (the config,
    /// the policies' and the exceptions file's digests: no policy is compiled) and find
    /// the destination. Any difference refuses the manifest.
    pub fn open(opts: Options) -> Result<Judge, OpenError> {
        let root =
            walk::canonical_dir(&opts.root).map_err(|e| OpenError::Refused(e.to_string()))?;
        let manifest_path = match &opts.manifest {
            Some(p) => opts.cwd.join(p),
            None => root.join(manifest::MANIFEST_FILE_NAME),
        };
        let display = manifest_path.display().to_string();
        let file = std::fs::File::open(&manifest_path).map_err(|e| {
            OpenError::Missing(format!(
                "{display}: cannot read the manifest: {e}; run `tiergate scan`"
            ))
        })?;
        let meta = file
            .metadata()
            .map_err(|e| OpenError::Refused(format!("{display}: {e}")))?;
        let lookup = Lookup::from_file(file, &display)
            .map_err(|d| OpenError::Refused(format!("{d}; run `tiergate scan`")))?;
        let header = lookup.header();
        let git_dir = stamp::git_dir(&root);
        let rules = InForce::load(&root, &opts.cwd, opts.config.as_deref())
            .map_err(|d| OpenError::Refused(d.to_string()))?;
        let differences = rules.differences(header).map_err(OpenError::Refused)?;
        if !differences.is_empty() {
            return Err(OpenError::Refused(header_refusal(&display, &differences)));
        }
        // What a classification depends on besides the file: this tool, the rules, the
        // exceptions, the rule files and the day they are judged on.
        let mut judgements_key = format!(
            "{} exceptions={} today={}",
            zone_key(&rules.config.digest, &rules.digests, git_dir.is_some()),
            rules
                .exceptions
                .as_ref()
                .map_or("none", |x| x.digest.as_str()),
            opts.today,
        );
        // The shipped rules are the tool's; a repository's files are named each.
        for r in rules
            .rules
            .iter()
            .filter(|r| !r.source.starts_with("shipped:"))
        {
            judgements_key.push_str(&format!(" {}={}", r.source, r.digest));
        }
        let config = rules.config;
        let Some(dest) = header.destination(&opts.destination) else {
            return Err(OpenError::Refused(format!(
                "no destination `{}` in the manifest (known: {})",
                opts.destination,
                header
                    .destinations
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let accepts = dest.accepts;
        let config_file = match &opts.config {
            Some(p) => Some(opts.cwd.join(p)),
            None => config.path.clone(),
        };
        let governance = Governance::new(
            &root,
            &manifest_path,
            config_file.as_deref(),
            &config,
            git_dir.as_deref(),
            opts.home.as_deref(),
        );
        Ok(Judge {
            judgements_key,
            reference: Reference::for_manifest(git_dir.as_deref(), &meta),
            git_dir,
            root,
            lookup,
            destination: opts.destination,
            accepts,
            governance,
            cwd: opts.cwd,
            home: opts.home,
            config: opts.config,
            today: opts.today,
            slow: OnceCell::new(),
            sessions: RefCell::new(HashMap::new()),
            submodule: RefCell::new(HashMap::new()),
            nested: RefCell::new(HashMap::new()),
        })
    }

    pub fn header(&self) -> &Manifest {
        self.lookup.header()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn accepts(&self) -> TierId {
        self.accepts
    }

    /// Judge each item. An item that names nothing in the repository (outside it, or
    /// neither listed nor on disk: a word that is not a path) has no verdict unless
    /// `answer_all`, where it takes the unlisted tier as `route` always did.
    pub fn judge(&self, items: &[Item], answer_all: bool) -> Vec<Verdict> {
        let mut out = Vec::new();
        for item in items {
            match self.judge_item(item) {
                Some(v) => out.push(v),
                None if answer_all => out.push(self.unjudged(item)),
                None => {}
            }
        }
        out
    }

    /// The answer for what cannot be known without running the call (`input` as the
    /// call writes it): the unlisted tier, `path-unknowable`.
    pub fn unknowable(&self, input: &str, why: &str) -> Verdict {
        let tier = self.header().unlisted.tier;
        Verdict {
            input: input.to_string(),
            path: input.to_string(),
            judged: None,
            tier,
            allowed: tier >= self.accepts,
            listed: false,
            reasons: vec![note(codes::PATH_UNKNOWABLE, Some(tier), why.to_string())],
            error: None,
        }
    }

    fn unjudged(&self, item: &Item) -> Verdict {
        let session = self.session(item.cwd.as_deref());
        let r = resolve::resolve(&item.path, &session);
        let u = &self.header().unlisted;
        let (path, reasons) = match self.rel(&r.lexical).or_else(|| self.rel(&r.physical)) {
            Some(Ok(rel)) => {
                let res = manifest::unlisted(&rel, u);
                (rel, res.reasons)
            }
            _ => (
                item.path.clone(),
                vec![note(
                    codes::OUTSIDE_REPOSITORY,
                    Some(u.tier),
                    "the path lies outside the repository".into(),
                )],
            ),
        };
        Verdict {
            input: item.path.clone(),
            path,
            judged: None,
            tier: u.tier,
            allowed: u.tier >= self.accepts,
            listed: false,
            reasons,
            error: None,
        }
    }

    fn session(&self, cwd: Option<&Path>) -> Session {
        let cwd = cwd.unwrap_or(&self.cwd).to_path_buf();
        self.sessions
            .borrow_mut()
            .entry(cwd.clone())
            .or_insert_with(|| Session::new(&cwd, self.home.clone()))
            .clone()
    }

    /// `abs` relative to the canonical root: None outside it, Err for a name that is not
    /// UTF-8.
    fn rel(&self, abs: &Path) -> Option<Result<String, ()>> {
        rel_to(abs, &self.root)
    }

    fn verdict(&self, item: &Item, given: String, j: Judged) -> Verdict {
        Verdict {
            input: item.path.clone(),
            judged: (j.path != given).then(|| j.path.clone()),
            path: given,
            tier: j.tier,
            allowed: j.tier >= self.accepts,
            listed: j.listed,
            reasons: j.reasons,
            error: j.error,
        }
    }

    fn judge_item(&self, item: &Item) -> Option<Verdict> {
        let session = self.session(item.cwd.as_deref());
        let r = resolve::resolve(&item.path, &session);
        let spelled_root = spelled_root(&session, &self.root);
        let physical = self.rel(&r.physical);
        let mut texts: Vec<Result<String, ()>> = Vec::new();
        for t in [
            self.rel(&r.lexical),
            spelled_root.as_deref().and_then(|s| rel_to(&r.lexical, s)),
        ]
        .into_iter()
        .flatten()
        {
            if !texts.contains(&t) {
                texts.push(t);
            }
        }
        let hops: Vec<(Result<String, ()>, &Metadata)> = r
            .hops
            .iter()
            .filter_map(|h| self.rel(&h.link).map(|rel| (rel, &h.meta)))
            .collect();
        let given = texts
            .first()
            .or(physical.as_ref())
            .or(hops.first().map(|(r, _)| r))
            .map(|r| r.clone().unwrap_or_else(|()| item.path.clone()))
            .unwrap_or_else(|| item.path.clone());
        if item.access == Access::Write
            && let Some(what) = self.governance.covers(
                &r.physical,
                texts
                    .iter()
                    .chain(physical.iter())
                    .chain(hops.iter().map(|(r, _)| r))
                    .filter_map(|r| r.as_ref().ok()),
                &self.root,
            )
        {
            return Some(Verdict {
                input: item.path.clone(),
                path: given,
                judged: None,
                tier: self.header().unlisted.tier,
                allowed: false,
                listed: false,
                reasons: vec![note(
                    codes::GOVERNANCE_FILE,
                    None,
                    format!(
                        "{what} is one of tiergate's own files: people edit it, not agents (whatever the destination)"
                    ),
                )],
                error: None,
            });
        }
        let unlisted = self.header().unlisted.tier;
        match &r.end {
            End::Unknown(why) => {
                return Some(self.verdict(
                    item,
                    given,
                    Judged {
                        path: item.path.clone(),
                        tier: unlisted,
                        listed: false,
                        reasons: vec![note(codes::PATH_UNKNOWABLE, Some(unlisted), why.clone())],
                        error: None,
                    },
                ));
            }
            End::Loop => {
                return Some(self.verdict(
                    item,
                    given,
                    Judged {
                        path: item.path.clone(),
                        tier: unlisted,
                        listed: false,
                        reasons: vec![note(
                            codes::SYMLINK_LOOP,
                            Some(unlisted),
                            format!(
                                "more than {} symbolic links on the way: the path cannot be opened, and is not judged further",
                                resolve::MAX_HOPS
                            ),
                        )],
                        error: None,
                    },
                ));
            }
            End::Exists(_) | End::Missing => {}
        }
        let mut judged: Vec<Judged> = Vec::new();
        let hop_rels: Vec<&str> = hops
            .iter()
            .filter_map(|(r, _)| r.as_ref().ok().map(String::as_str))
            .collect();
        if let Some(p) = &physical {
            match p {
                Ok(rel) => judged.extend(self.judge_physical(rel, &r.end, &item.access)),
                Err(()) => judged.push(self.non_utf8(&r.physical)),
            }
        }
        for t in &texts {
            match t {
                Ok(rel)
                    if physical.as_ref().and_then(|p| p.as_ref().ok()) != Some(rel)
                        && !hop_rels.contains(&rel.as_str()) =>
                {
                    judged.extend(self.judge_spelled(rel, &item.access));
                }
                Ok(_) => {}
                Err(()) => judged.push(self.non_utf8(&r.lexical)),
            }
        }
        for (h, meta) in &hops {
            match h {
                Ok(rel) => judged.push(self.judge_file(rel, meta, false)),
                Err(()) => judged.push(self.non_utf8(Path::new(&item.path))),
            }
        }
        // The strictest answer; the first of equals (as resolved, then as given, then
        // the links on the way). An error reading the manifest is kept with it.
        let error = judged.iter().find_map(|j| j.error.clone());
        let mut strictest = judged
            .into_iter()
            .reduce(|a, b| if b.tier < a.tier { b } else { a })?;
        strictest.error = strictest.error.or(error);
        Some(self.verdict(item, given, strictest))
    }

    fn non_utf8(&self, p: &Path) -> Judged {
        let t = self.header().unlisted.tier;
        Judged {
            path: p.to_string_lossy().into_owned(),
            tier: t,
            listed: false,
            reasons: vec![note(
                codes::NON_UTF8_PATH,
                Some(t),
                "the path is not valid UTF-8 and cannot be matched reliably".into(),
            )],
            error: None,
        }
    }

    /// The path as resolved: a file, a directory (every file under it), or nothing on
    /// disk (the manifest's entry if it lists it: nothing is read, but say what it was).
    fn judge_physical(&self, rel: &str, end: &End, access: &Access) -> Option<Judged> {
        match end {
            End::Exists(meta) if meta.is_dir() => self.judge_dir(rel, access),
            End::Exists(meta) => Some(self.judge_file(rel, meta, false)),
            _ => match self.lookup.get(rel) {
                Ok(Some(e)) => Some(listed(rel, e.tier, e.reasons)),
                Ok(None) => None,
                Err(d) => Some(self.manifest_error(rel, &d)),
            },
        }
    }

    /// The path as given, where it is not the path as resolved: the manifest's entry
    /// for that text. Text that goes through a link on disk is the link's and its
    /// target's to answer (both judged); other text is judged as what is there.
    fn judge_spelled(&self, rel: &str, access: &Access) -> Option<Judged> {
        match self.lookup.get(rel) {
            Ok(Some(e)) => return Some(listed(rel, e.tier, e.reasons)),
            Ok(None) => {}
            Err(d) => return Some(self.manifest_error(rel, &d)),
        }
        let mut prefix = String::new();
        let parts: Vec<&str> = rel.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if std::fs::symlink_metadata(self.root.join(&prefix))
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                return None;
            }
        }
        match std::fs::symlink_metadata(self.root.join(rel)) {
            Ok(m) if m.is_dir() => self.judge_dir(rel, access),
            Ok(m) => Some(self.judge_file(rel, &m, false)),
            Err(_) => None,
        }
    }

    /// The entry's tier and kind (and its reasons unless `bulk`): positioned reads for
    /// one path, the whole manifest indexed for a walk over many.
    fn entry(
        &self,
        rel: &str,
        bulk: bool,
    ) -> Result<Option<(TierId, String, Vec<Reason>)>, Diagnostics> {
        if bulk {
            return match self.lookup.view()?.head(rel) {
                None => Ok(None),
                Some(h) => h.map(|h| Some((h.tier, h.kind, Vec::new()))),
            };
        }
        Ok(self.lookup.get(rel)?.map(|e| (e.tier, e.kind, e.reasons)))
    }

    fn manifest_error(&self, rel: &str, d: &Diagnostics) -> Judged {
        let t = self.header().unlisted.tier;
        Judged {
            path: rel.to_string(),
            tier: t,
            listed: false,
            reasons: vec![note(
                d.0.first().map_or("manifest-invalid", |d| d.code),
                Some(t),
                format!("{d}; fail closed"),
            )],
            error: Some(d.to_string()),
        }
    }

    /// A file or a symbolic link by itself (what a link points to is judged as the
    /// path resolved), not a directory, with its `lstat`.
    fn judge_file(&self, rel: &str, meta: &Metadata, bulk: bool) -> Judged {
        match self.entry(rel, bulk) {
            Err(d) => self.manifest_error(rel, &d),
            Ok(Some((tier, kind, reasons))) => {
                if !kind_matches(&kind, meta) {
                    self.rejudge(
                        rel,
                        &format!(
                            "the manifest lists a {kind} entry; on disk it is a {}",
                            disk_kind(meta)
                        ),
                    )
                } else if self.reference.changed(meta) {
                    self.rejudge(rel, self.changed_why())
                } else {
                    listed(rel, tier, reasons)
                }
            }
            Ok(None) => match self.submodule_of(rel) {
                Some(sub) => self.judge_in_submodule(&sub, rel, |j, inner| {
                    Some(j.judge_file(inner, meta, bulk))
                }),
                None => self.unlisted_existing(rel),
            },
        }
    }

    fn unlisted_existing(&self, rel: &str) -> Judged {
        let res = manifest::unlisted(rel, &self.header().unlisted);
        Judged {
            path: rel.to_string(),
            tier: res.tier,
            listed: false,
            reasons: res.reasons,
            error: None,
        }
    }

    /// The submodule entry (a directory the manifest lists as `submodule`) that `rel`
    /// lies under, if any.
    fn submodule_of(&self, rel: &str) -> Option<String> {
        let mut end = 0;
        while let Some(i) = rel[end..].find('/') {
            let prefix = &rel[..end + i];
            if self.is_submodule(prefix) {
                return Some(prefix.to_string());
            }
            end += i + 1;
        }
        None
    }

    fn is_submodule(&self, rel: &str) -> bool {
        if let Some(&b) = self.submodule.borrow().get(rel) {
            return b;
        }
        // The whole manifest indexed: a walk asks this of every directory it meets.
        let b = matches!(self.entry(rel, true), Ok(Some((_, ref kind, _))) if kind == "submodule");
        self.submodule.borrow_mut().insert(rel.to_string(), b);
        b
    }

    /// Answer for `rel` (under the submodule at `sub`) from the submodule's own judge,
    /// never more leniently than the submodule's entry; tier 1 without one.
    fn judge_in_submodule(
        &self,
        sub: &str,
        rel: &str,
        ask: impl FnOnce(&Judge, &str) -> Option<Judged>,
    ) -> Judged {
        let inner = rel.strip_prefix(sub).unwrap_or(rel).trim_start_matches('/');
        let entry_tier = match self.entry(sub, false) {
            Ok(Some((t, _, _))) => t,
            Ok(None) => self.header().unlisted.tier,
            Err(d) => return self.manifest_error(sub, &d),
        };
        let nested = self.nested(sub);
        let t = self.header().unlisted.tier;
        match nested.as_ref() {
            Err(why) => Judged {
                path: rel.to_string(),
                tier: t,
                listed: false,
                reasons: vec![note(
                    codes::SUBMODULE_NOT_SCANNED,
                    Some(t),
                    format!("`{rel}` lies in the submodule `{sub}`: {why}"),
                )],
                error: None,
            },
            Ok(j) => {
                let Some(mut got) = ask(j, inner) else {
                    return self.unlisted_existing(rel);
                };
                got.path = format!("{sub}/{}", got.path)
                    .trim_end_matches('/')
                    .to_string();
                if entry_tier < got.tier {
                    got.tier = entry_tier;
                    got.reasons.insert(
                        0,
                        note(
                            codes::DIRECTORY,
                            Some(entry_tier),
                            format!("the submodule `{sub}` is tier {entry_tier} in this manifest"),
                        ),
                    );
                }
                got
            }
        }
    }

    fn nested(&self, sub: &str) -> std::rc::Rc<Result<Judge, String>> {
        if let Some(j) = self.nested.borrow().get(sub) {
            return j.clone();
        }
        let root = self.root.join(sub);
        let opened = Judge::open(Options {
            root: root.clone(),
            cwd: root.clone(),
            manifest: None,
            config: None,
            destination: self.destination.clone(),
            today: self.today,
            home: self.home.clone(),
        })
        .map_err(|e| match e {
            OpenError::Missing(_) => "its work tree holds no manifest of its own".to_string(),
            OpenError::Refused(m) => format!("its manifest cannot be used: {m}"),
        });
        let j = std::rc::Rc::new(opened);
        self.nested.borrow_mut().insert(sub.to_string(), j.clone());
        j
    }

    /// A directory: every file under it on disk, each judged; none is nothing read.
    fn judge_dir(&self, rel: &str, access: &Access) -> Option<Judged> {
        if !rel.is_empty() && self.is_submodule(rel) {
            let access = access.clone();
            return Some(
                self.judge_in_submodule(rel, &format!("{rel}/"), |j, _| j.judge_dir("", &access)),
            );
        }
        let mut acc = DirAcc::new(rel);
        match access {
            Access::Search(s) => self.walk_search(rel, s, &mut acc),
            Access::Read | Access::Write => self.walk_all(rel, &mut acc),
        }
        acc.finish(self)
    }

    /// Every file under `rel`, as `grep -r` and `tar` read them: hidden and ignored
    /// files included, links not followed, `.git` one tier-1 item.
    fn walk_all(&self, rel: &str, acc: &mut DirAcc) {
        let mut stack = vec![rel.to_string()];
        while let Some(dir) = stack.pop() {
            let abs = self.root.join(&dir);
            let entries = match std::fs::read_dir(&abs) {
                Ok(e) => e,
                Err(e) => {
                    acc.add(self.read_error(&dir, &format!("cannot list the directory: {e}")));
                    continue;
                }
            };
            let mut names: Vec<(std::ffi::OsString, std::fs::FileType, std::fs::DirEntry)> =
                Vec::new();
            for entry in entries {
                match entry.and_then(|e| Ok((e.file_name(), e.file_type()?, e))) {
                    Ok(x) => names.push(x),
                    Err(e) => {
                        acc.add(self.read_error(&dir, &format!("cannot list the directory: {e}")))
                    }
                }
            }
            names.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, ft, entry) in names {
                let Some(name_str) = name.to_str() else {
                    acc.add(self.non_utf8(&abs.join(&name)));
                    continue;
                };
                let child = join_rel(&dir, &name_str.nfc().collect::<String>());
                if name_str == ".git" {
                    acc.add(self.git_internals(&child));
                    continue;
                }
                if ft.is_dir() {
                    if self.is_submodule(&child) {
                        acc.add_opt(self.judge_dir(&child, &Access::Read));
                    } else {
                        stack.push(child);
                    }
                    continue;
                }
                // `lstat` relative to the directory being listed (the entry's), not by
                // the whole path.
                match entry.metadata() {
                    Ok(meta) if meta.is_dir() => stack.push(child),
                    Ok(meta) => acc.add(self.judge_file(&child, &meta, true)),
                    Err(e) => acc.add(self.read_error(&child, &e.to_string())),
                }
            }
        }
    }

    /// The files under `rel` a ripgrep-style search reads (see [`Search`]), through the
    /// `ignore` crate ripgrep itself walks with.
    fn walk_search(&self, rel: &str, s: &Search, acc: &mut DirAcc) {
        let abs = self.root.join(rel);
        // Whitelisting globs, split as a tool may split them (on whitespace and commas
        // outside braces) and whole: more globs only admit more files.
        let mut globs: Vec<String> = Vec::new();
        for g in s.globs.iter().filter(|g| !g.starts_with('!')) {
            globs.push(g.clone());
            globs.extend(split_globs(g).into_iter().filter(|p| !p.starts_with('!')));
        }
        globs.sort();
        globs.dedup();
        let anchored = globs.iter().any(|g| g.contains('/'));
        let whitelist = !globs.is_empty();
        let honour_ignore = s.respects_ignore && !whitelist;
        let mut b = ignore::WalkBuilder::new(&abs);
        b.standard_filters(false)
            .hidden(s.skips_hidden && !whitelist)
            .parents(honour_ignore)
            .git_ignore(honour_ignore)
            .git_exclude(honour_ignore)
            .require_git(true)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.cmp(b));
        let mut ob = ignore::overrides::OverrideBuilder::new(&abs);
        let mut ok = true;
        for vcs in [".git", ".svn", ".hg", ".bzr", ".jj", ".sl"] {
            ok &= ob.add(&format!("!{vcs}")).is_ok();
        }
        if whitelist && !anchored {
            for g in &globs {
                ok &= ob.add(g).is_ok();
            }
        }
        match ob.build() {
            Ok(o) if ok => {
                b.overrides(o);
            }
            // A glob ripgrep would refuse: no filter at all (it would search nothing).
            _ => {
                let mut plain = ignore::overrides::OverrideBuilder::new(&abs);
                for vcs in [".git", ".svn", ".hg", ".bzr", ".jj", ".sl"] {
                    let _ = plain.add(&format!("!{vcs}"));
                }
                if let Ok(o) = plain.build() {
                    b.overrides(o);
                }
            }
        }
        if !whitelist && !s.types.is_empty() {
            let mut tb = ignore::types::TypesBuilder::new();
            tb.add_defaults();
            for t in &s.types {
                tb.select(t);
            }
            if let Ok(types) = tb.build() {
                b.types(types);
            }
        }
        for entry in b.build() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    acc.add(self.read_error(rel, &e.to_string()));
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            let child = match entry
                .path()
                .strip_prefix(&self.root)
                .ok()
                .and_then(|p| p.to_str())
            {
                Some(p) => p.nfc().collect::<String>(),
                None => {
                    acc.add(self.non_utf8(entry.path()));
                    continue;
                }
            };
            match std::fs::symlink_metadata(entry.path()) {
                Ok(meta) => acc.add(self.judge_file(&child, &meta, true)),
                Err(e) => acc.add(self.read_error(&child, &e.to_string())),
            }
        }
    }

    fn read_error(&self, rel: &str, why: &str) -> Judged {
        let t = self.header().unlisted.tier;
        Judged {
            path: rel.to_string(),
            tier: t,
            listed: false,
            reasons: vec![note(codes::READ_ERROR, Some(t), why.to_string())],
            error: None,
        }
    }

    fn git_internals(&self, rel: &str) -> Judged {
        let t = self.header().unlisted.tier;
        Judged {
            path: rel.to_string(),
            tier: t,
            listed: false,
            reasons: vec![note(
                codes::GIT_INTERNALS,
                Some(t),
                format!(
                    "`{rel}` holds git's objects and config (every version of every file, remote URLs that may carry tokens)"
                ),
            )],
            error: None,
        }
    }

    /// Why a file counts as changed: its change time is not older than the reference.
    fn changed_why(&self) -> &'static str {
        if self.reference.from_scan {
            "it changed after the scan that wrote the manifest started"
        } else {
            "it changed after the manifest file was written (no record of its scan here)"
        }
    }

    /// The key of a regular file's classification: the rules' key, the git index's
    /// identity, the path and the content's blob id. None for anything else (links are
    /// classified by their path, cheaply, once the rules are loaded).
    fn judgement_key(&self, rel: &str) -> Option<String> {
        let index = std::fs::metadata(self.git_dir.as_ref()?.join("index")).ok()?;
        let index = crate::platform::file_stamp(&index);
        let blob = super::audit::blob_id(&self.root.join(rel))?;
        Some(format!(
            "{} index={}:{}:{}:{}.{} {rel} {blob}",
            self.judgements_key, index.dev, index.ino, index.size, index.mtime, index.mtime_nsec
        ))
    }

    fn slow(&self) -> Result<&Slow, String> {
        self.slow
            .get_or_init(|| Slow::load(self))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Classify one file as it is now, with the rules in force (as `explain` does). A
    /// link is classified by its own path (its target is judged where it is). Any error
    /// is tier 1 with the reason.
    fn rejudge(&self, rel: &str, why: &str) -> Judged {
        let t = self.header().unlisted.tier;
        let fail = |message: String| Judged {
            path: rel.to_string(),
            tier: t,
            listed: false,
            reasons: vec![note(codes::READ_ERROR, Some(t), message)],
            error: None,
        };
        // The same content at the same path under the same rules (and the same git
        // index, which gives the file's git state) was classified before: an agent that
        // edits a file reads it again and again, and each call would compile the rules.
        let key = self.judgement_key(rel);
        if let (Some(g), Some(k)) = (&self.git_dir, &key)
            && let Some((tier, reasons)) = stamp::recorded_judgement(g, k)
        {
            return Judged {
                path: rel.to_string(),
                tier,
                listed: true,
                reasons,
                error: None,
            };
        }
        let slow = match self.slow() {
            Ok(s) => s,
            Err(e) => {
                return fail(format!(
                    "{why}, and the rules in force cannot be loaded to classify it again: {e}"
                ));
            }
        };
        if let Some(m) = &slow.mismatch {
            return fail(format!("{why}; {m}"));
        }
        let Some((facts, content, tail)) = walk::read_one(&slow.ctx.repo, &slow.opts, rel) else {
            return fail(format!("{why}, and it could not be read again"));
        };
        let facts = super::with_signals(&mut slow.ctx.detectors.scanner(), facts, &content, tail);
        let mut classifier = Classifier::new(slow.ctx.rules.clone(), &slow.ctx.policies);
        let blob = super::disk_blob(&slow.ctx.repo.root, &facts, &content);
        let record = classifier.classify(facts, blob);
        let mut reasons = super::reasons(&record);
        reasons.push(note(
            codes::CHANGED_SINCE_SCAN,
            None,
            format!("{why}: classified again with the rules in force"),
        ));
        if let (Some(g), Some(k)) = (&self.git_dir, &key) {
            // Only slower answers follow when it cannot be recorded.
            let _ = stamp::record_judgement(g, k, record.decision.tier, &reasons);
        }
        Judged {
            path: rel.to_string(),
            tier: record.decision.tier,
            listed: true,
            reasons,
            error: None,
        }
    }
}

/// The rules compiled for classifying changed files.
struct Slow {
    ctx: Context,
    opts: WalkOptions,
    /// The header differs from what the compiled rules give (zones' path tiers).
    mismatch: Option<String>,
}

impl Slow {
    fn load(j: &Judge) -> Result<Slow, String> {
        let ctx =
            Context::load(&j.root, j.config.as_deref(), &j.root, &j.cwd, j.today).map_err(|e| {
                match e {
                    super::Failure::Diagnostics(d) => d.to_string(),
                    super::Failure::Other(e) => format!("{e:#}"),
                }
            })?;
        let opts = ctx.walk_options(1, Vec::new());
        // Now that the policies are compiled, the zones' path tiers can be compared too.
        let zone_tiers = super::zone_tiers(&ctx);
        let header = j.header();
        let expected = super::header_of(
            &super::Made {
                config: &ctx.config,
                config_display: &ctx.config_display,
                policies: &ctx.policies,
                exceptions: ctx.exceptions.as_ref(),
                accepted: ctx.accepted.as_ref(),
                rules: ctx.rule_files.provenance(),
                commit: None,
                scope: if ctx.repo.git.is_some() {
                    header.provenance.scope
                } else {
                    Scope::All
                },
            },
            header.summary.clone(),
            zone_tiers,
        );
        let differences = header.header_differences(&expected, true);
        let mismatch = (!differences.is_empty())
            .then(|| header_refusal(manifest::MANIFEST_FILE_NAME, &differences));
        Ok(Slow {
            ctx,
            opts,
            mismatch,
        })
    }
}

fn listed(rel: &str, tier: TierId, reasons: Vec<Reason>) -> Judged {
    Judged {
        path: rel.to_string(),
        tier,
        listed: true,
        reasons,
        error: None,
    }
}

/// Whether an entry's kind is what is on disk.
fn kind_matches(kind: &str, meta: &Metadata) -> bool {
    let ft = meta.file_type();
    match kind {
        "text" | "binary" | "unreadable" => ft.is_file(),
        "symlink" => ft.is_symlink(),
        "submodule" => ft.is_dir(),
        "special" => !ft.is_file() && !ft.is_dir() && !ft.is_symlink(),
        _ => false,
    }
}

fn disk_kind(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_file() {
        "regular file"
    } else if ft.is_dir() {
        "directory"
    } else if ft.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `abs` relative to `base`, `/`-separated, NFC: None outside it, Err when a name is
/// not UTF-8.
fn rel_to(abs: &Path, base: &Path) -> Option<Result<String, ()>> {
    let rest = abs.strip_prefix(base).ok()?;
    let mut parts: Vec<&str> = Vec::new();
    for c in rest.components() {
        match c.as_os_str().to_str() {
            Some(s) => parts.push(s),
            None => return Some(Err(())),
        }
    }
    Some(Ok(parts.join("/").nfc().collect()))
}

/// The repository root as the session spells it, when its working directory is the
/// root or under it through an alias (`/tmp/alias/repo` for `/real/repo`).
fn spelled_root(session: &Session, root: &Path) -> Option<PathBuf> {
    let below = session.cwd_physical.strip_prefix(root).ok()?;
    let n = below.components().count();
    let spelled: Vec<_> = session.cwd.components().collect();
    if spelled.len() <= n {
        return None;
    }
    let (head, tail) = spelled.split_at(spelled.len() - n);
    if !tail
        .iter()
        .map(|c| c.as_os_str())
        .eq(below.components().map(|c| c.as_os_str()))
    {
        return None;
    }
    let p: PathBuf = head.iter().collect();
    (p != root).then_some(p)
}

/// A glob value split as a tool may split it: on whitespace and on commas outside
/// braces.
fn split_globs(g: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for ch in g.chars() {
        match ch {
            '{' => {
                depth += 1;
                cur.push(ch);
            }
            '}' => {
                depth = depth.saturating_sub(1);
                cur.push(ch);
            }
            ',' if depth == 0 => out.push(std::mem::take(&mut cur)),
            c if c.is_whitespace() => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.retain(|s| !s.is_empty());
    out
}

/// What a directory's files came to.
struct DirAcc {
    dir: String,
    files: u64,
    worst: Option<Judged>,
    unlisted: u64,
    first_unlisted: Option<String>,
    error: Option<String>,
}

impl DirAcc {
    fn new(dir: &str) -> DirAcc {
        DirAcc {
            dir: dir.to_string(),
            files: 0,
            worst: None,
            unlisted: 0,
            first_unlisted: None,
            error: None,
        }
    }

    fn add_opt(&mut self, j: Option<Judged>) {
        if let Some(j) = j {
            self.add(j);
        }
    }

    fn add(&mut self, j: Judged) {
        self.files += 1;
        if self.error.is_none() {
            self.error = j.error.clone();
        }
        if !j.listed {
            self.unlisted += 1;
            if self.first_unlisted.is_none() {
                self.first_unlisted = Some(j.path.clone());
            }
        }
        if self.worst.as_ref().is_none_or(|w| j.tier < w.tier) {
            self.worst = Some(j);
        }
    }

    fn finish(self, judge: &Judge) -> Option<Judged> {
        let mut worst = self.worst?;
        if worst.listed && worst.reasons.is_empty() {
            // Read in bulk without its reasons: fetch them for the one shown.
            if let Ok(Some(e)) = judge.lookup.get(&worst.path) {
                worst.reasons = e.reasons;
            }
        }
        let shown = if self.dir.is_empty() { "." } else { &self.dir };
        let why = worst
            .reasons
            .first()
            .map(|r| format!(": {} {}", r.code, r.rule))
            .unwrap_or_default();
        let mut message = format!(
            "directory `{shown}` of {} file{} on disk; the most restrictive is `{}` (tier {}{why})",
            self.files,
            if self.files == 1 { "" } else { "s" },
            worst.path,
            worst.tier,
        );
        if let Some(first) = &self.first_unlisted {
            message.push_str(&format!(
                "; {} {} not in the manifest (e.g. `{first}`) and count{} as tier {}: narrow the search to the files you need, or use a local model",
                self.unlisted,
                if self.unlisted == 1 { "is" } else { "are" },
                if self.unlisted == 1 { "s" } else { "" },
                judge.header().unlisted.tier,
            ));
        }
        let mut reasons = vec![note(codes::DIRECTORY, Some(worst.tier), message)];
        reasons.extend(worst.reasons);
        Some(Judged {
            path: worst.path,
            tier: worst.tier,
            listed: self.unlisted < self.files,
            reasons,
            error: self.error,
        })
    }
}

/// tiergate's own files, which agents may not write.
struct Governance {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Governance {
    fn new(
        root: &Path,
        manifest: &Path,
        config_file: Option<&Path>,
        config: &Config,
        git_dir: Option<&Path>,
        home: Option<&Path>,
    ) -> Governance {
        let canon = |p: &Path| -> PathBuf {
            match (
                p.parent().and_then(|d| d.canonicalize().ok()),
                p.file_name(),
            ) {
                (Some(d), Some(n)) => d.join(n),
                _ => p.to_path_buf(),
            }
        };
        let mut files: Vec<PathBuf> = [
            manifest::MANIFEST_FILE_NAME,
            manifest::MANIFEST_YAML_FILE_NAME,
            config::CONFIG_FILE_NAME,
            config::EXCEPTIONS_FILE,
            config::ACCEPTED_FILE,
        ]
        .iter()
        .map(|n| root.join(n))
        .collect();
        files.push(canon(manifest));
        files.extend(config_file.map(canon));
        let mut dirs: Vec<PathBuf> = config
            .policies
            .dirs
            .iter()
            .chain(&config.rule_files.dirs)
            .map(|d| root.join(d.trim_start_matches("./").trim_end_matches('/')))
            .collect();
        if let Some(g) = git_dir {
            let g = g.canonicalize().unwrap_or_else(|_| g.to_path_buf());
            dirs.push(stamp::state_dir(&g));
            // A linked work tree's git directory names the common one.
            if let Ok(common) = std::fs::read_to_string(g.join("commondir")) {
                let c = g.join(common.trim());
                dirs.push(stamp::state_dir(&c.canonicalize().unwrap_or(c)));
            }
        }
        if let Some(h) = home {
            dirs.push(
                h.canonicalize()
                    .unwrap_or_else(|_| h.to_path_buf())
                    .join(".claude"),
            );
        }
        Governance { files, dirs }
    }

    /// What a write to `physical` (or to the repository paths `rels`) would change of
    /// tiergate's own files, if anything.
    fn covers<'a>(
        &self,
        physical: &Path,
        rels: impl Iterator<Item = &'a String>,
        root: &Path,
    ) -> Option<String> {
        let mut paths = vec![physical.to_path_buf()];
        for rel in rels {
            if rel.split('/').any(|c| c == ".claude") {
                return Some(format!("`{rel}` (under `.claude/`)"));
            }
            paths.push(root.join(rel));
        }
        for p in &paths {
            if self.files.iter().any(|f| f == p) || self.dirs.iter().any(|d| p.starts_with(d)) {
                return Some(format!("`{}`", p.strip_prefix(root).unwrap_or(p).display()));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_tiers_are_computed_once_per_key_and_a_record_for_other_zones_is_not_used() {
        let git = tempfile::tempdir().unwrap();
        let computed = std::cell::Cell::new(0);
        let compute = |tiers: Vec<Option<TierId>>| {
            || {
                computed.set(computed.get() + 1);
                tiers
            }
        };
        let first = zone_tiers_recorded_or(git.path(), "k", 2, compute(vec![Some(1), None]));
        assert_eq!(first, [Some(1), None]);
        assert_eq!(computed.get(), 1);
        // Recorded: the same key is answered without computing.
        let again = zone_tiers_recorded_or(git.path(), "k", 2, compute(vec![Some(3), Some(3)]));
        assert_eq!(again, [Some(1), None]);
        assert_eq!(computed.get(), 1);
        // Another key, or the same key with another number of zones, is computed.
        let other = zone_tiers_recorded_or(git.path(), "k2", 2, compute(vec![Some(2), Some(2)]));
        assert_eq!(other, [Some(2), Some(2)]);
        let three = zone_tiers_recorded_or(git.path(), "k", 3, compute(vec![None, None, Some(1)]));
        assert_eq!(three, [None, None, Some(1)]);
        assert_eq!(computed.get(), 3);
        // A record that cannot be read is computed again, and rewritten.
        std::fs::write(stamp::state_dir(git.path()).join("zone-tiers.json"), "{").unwrap();
        let fresh = zone_tiers_recorded_or(git.path(), "k2", 2, compute(vec![Some(2), None]));
        assert_eq!(fresh, [Some(2), None]);
        assert_eq!(computed.get(), 4);
        assert_eq!(
            zone_tiers_recorded_or(git.path(), "k2", 2, compute(vec![])),
            [Some(2), None]
        );
    }

    #[test]
    fn globs_split_on_spaces_and_commas_outside_braces() {
        assert_eq!(split_globs("*.{ts,tsx}"), ["*.{ts,tsx}"]);
        assert_eq!(split_globs("*.rs, *.toml"), ["*.rs", "*.toml"]);
        assert_eq!(split_globs("a b"), ["a", "b"]);
    }

    #[test]
    fn the_root_as_the_session_spells_it() {
        let s = Session {
            cwd: PathBuf::from("/alias/repo/sub"),
            cwd_physical: PathBuf::from("/real/repo/sub"),
            home: None,
        };
        assert_eq!(
            spelled_root(&s, Path::new("/real/repo")),
            Some(PathBuf::from("/alias/repo"))
        );
        assert_eq!(spelled_root(&s, Path::new("/other")), None);
        let same = Session {
            cwd: PathBuf::from("/real/repo"),
            cwd_physical: PathBuf::from("/real/repo"),
            home: None,
        };
        assert_eq!(spelled_root(&same, Path::new("/real/repo")), None);
    }

    #[test]
    fn relative_paths_are_nfc_and_refuse_other_bytes() {
        use std::os::unix::ffi::OsStrExt;
        assert_eq!(
            rel_to(Path::new("/r/cafe\u{301}.txt"), Path::new("/r")),
            Some(Ok("caf\u{e9}.txt".to_string()))
        );
        assert_eq!(rel_to(Path::new("/x"), Path::new("/r")), None);
        let bad = Path::new(std::ffi::OsStr::from_bytes(b"/r/\xff"));
        assert_eq!(rel_to(bad, Path::new("/r")), Some(Err(())));
        assert_eq!(
            rel_to(Path::new("/r"), Path::new("/r")),
            Some(Ok(String::new()))
        );
    }
}
