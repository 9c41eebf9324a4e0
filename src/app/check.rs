//! `tiergate check` and `tiergate diff`: read both sides of a change from git (the index
//! against HEAD, or a commit against its merge base with a base ref), classify the
//! changed paths with the rules of the side that judges, read the committed manifests,
//! and hand everything to the pure gate. The judging rules never come from the change
//! itself: HEAD's for a commit, the base ref's for a pull request.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use git2::{ObjectType, Repository, Tree};

use super::{EXIT_DENIED, EXIT_OK, Failure, Io, Result, write_atomic};
use crate::cli::{CheckArgs, CheckFormat, Cli, DiffArgs, DiffFormat};
use crate::config::{self, Config};
use crate::decide::{self, Classifier, FileRecord, Rules};
use crate::detect::{self, engine::Detectors};
use crate::diag::Diagnostics;
use crate::gate::verdicts::{
    Credential, ExceptionIssue, InlineAcceptance, Inputs, Lowering, PathChange, PathSide, Shift,
    Stale,
};
use crate::gate::{self, Mode, Report, Status, TierName};
use crate::manifest::{self, FileEntry, ManifestView};
use crate::model::{Confidence, Decision, FileKind, RESTRICTED};
use crate::policy::PolicySet;
use crate::render;
use crate::rules::user::UserRules;
use crate::walk::changeset::{self as changes, Blob, Change, ChangeKind};
use crate::walk::{self, Repo};

/// Governance files holding exceptions and accepted findings: a change to one is a
/// policy change.
use crate::config::{ACCEPTED_FILE, EXCEPTIONS_FILE};

mod copies;
mod verify;

pub fn cmd_check(cli: &Cli, a: &CheckArgs, io: &mut Io<'_>) -> Result<u8> {
    let against = if a.staged {
        Against::Staged
    } else if let Some(base) = &a.base {
        Against::Range {
            base: base.clone(),
            head: a.head.clone().unwrap_or_else(|| "HEAD".into()),
        }
    } else {
        return Err(Failure::Other(anyhow::anyhow!(
            "say what to check: --staged (pre-commit) or --base REF (pull request)"
        )));
    };
    let report = build_report(cli, &against, io)?;
    for (path, text) in [
        (&a.sarif, render::check::check_sarif(&report)),
        (&a.junit, render::check::check_junit(&report)),
        (&a.json, render::check::check_json(&report)),
    ]
    .into_iter()
    .filter_map(|(p, t)| p.as_ref().map(|p| (io.cwd.join(p), t)))
    {
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
    }
    let text = match a.format {
        CheckFormat::Text => render::check::check_text(&report, io.color),
        CheckFormat::Json => render::check::check_json(&report),
        CheckFormat::Sarif => render::check::check_sarif(&report),
        CheckFormat::Github => render::check::check_github(&report),
        CheckFormat::Junit => render::check::check_junit(&report),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(if report.failed() {
        EXIT_DENIED
    } else {
        EXIT_OK
    })
}

pub fn cmd_diff(cli: &Cli, a: &DiffArgs, io: &mut Io<'_>) -> Result<u8> {
    let against = match &a.base {
        Some(base) => Against::Range {
            base: base.clone(),
            head: a.head.clone().unwrap_or_else(|| "HEAD".into()),
        },
        None => Against::Staged,
    };
    let report = build_report(cli, &against, io)?;
    let text = match a.format {
        DiffFormat::Md => render::check::diff_markdown(&report),
        DiffFormat::Json => render::check::diff_json(&report),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

enum Against {
    Staged,
    Range { base: String, head: String },
}

/// One side of a change as files: a tree, or a tree with the staged changes laid over.
enum Side<'r> {
    Tree(Tree<'r>),
    Overlay {
        base: Option<Tree<'r>>,
        changes: &'r [Change],
    },
}

impl Side<'_> {
    /// The blob at a path (repo-relative), with its mode. None when absent or not a
    /// blob.
    fn read(&self, repo: &Repository, path: &str) -> anyhow::Result<Option<(Vec<u8>, u32)>> {
        match self.staged(path) {
            Some(Some(n)) => Ok(Some((blob_bytes(repo, n)?, n.mode))),
            Some(None) => Ok(None),
            None => match self.tree() {
                Some(t) => read_tree_blob(repo, t, path),
                None => Ok(None),
            },
        }
    }

    /// What the staged changes put at `path` (display form): `Some(Some(blob))` when
    /// they add or change it, `Some(None)` when they remove it, None when the path is
    /// read from [`Side::tree`].
    fn staged(&self, path: &str) -> Option<Option<&Blob>> {
        let Side::Overlay { changes, .. } = self else {
            return None;
        };
        for c in changes.iter() {
            if let Some(n) = &c.new
                && n.path == path
            {
                return Some(Some(n));
            }
            if let Some(o) = &c.old
                && o.path == path
            {
                return Some(None);
            }
        }
        None
    }

    /// The tree the paths the staged changes leave alone are read from.
    fn tree(&self) -> Option<&Tree<'_>> {
        match self {
            Side::Tree(t) => Some(t),
            Side::Overlay { base, .. } => base.as_ref(),
        }
    }

    /// The file at a path (display form), as a blob with its id and mode. None when
    /// absent or a directory.
    fn file(&self, path: &str) -> anyhow::Result<Option<Blob>> {
        match self {
            Side::Tree(t) => tree_file(t, path),
            Side::Overlay { base, changes } => {
                for c in changes.iter() {
                    if let Some(n) = &c.new
                        && n.path == path
                    {
                        return Ok(Some(n.clone()));
                    }
                    if let Some(o) = &c.old
                        && o.path == path
                    {
                        return Ok(None);
                    }
                }
                match base {
                    Some(t) => tree_file(t, path),
                    None => Ok(None),
                }
            }
        }
    }

    /// The files of this side not in `changed` (raw paths) whose path displays as
    /// `path`: the unchanged twins of a changed path (see [`decide::merge_twins`]).
    fn unchanged_twins(
        &self,
        repo: &Repository,
        path: &str,
        changed: &BTreeSet<&[u8]>,
    ) -> anyhow::Result<Vec<Blob>> {
        let tree = match self {
            Side::Tree(t) => Some(t),
            Side::Overlay { base, .. } => base.as_ref(),
        };
        let Some(tree) = tree else {
            return Ok(Vec::new());
        };
        Ok(changes::files_displayed_as(repo, tree, path)?
            .into_iter()
            .filter(|b| !changed.contains(b.raw.as_slice()))
            .collect())
    }

    /// Every regular file under a directory, as (path, bytes). A symbolic link whose
    /// name `refused` gives a message for is an error (as on disk, where such a link
    /// could lead out of the repository); other links are left out.
    fn files_under(
        &self,
        repo: &Repository,
        dir: &str,
        refused: impl Fn(&str) -> Option<&'static str>,
    ) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        let prefix = format!("{}/", dir.trim_start_matches("./").trim_end_matches('/'));
        let tree = match self {
            Side::Tree(t) => Some(t),
            Side::Overlay { base, .. } => base.as_ref(),
        };
        let mut out: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        if let Some(t) = tree
            && let Ok(entry) = t.get_path(std::path::Path::new(prefix.trim_end_matches('/')))
            && entry.kind() == Some(ObjectType::Tree)
        {
            let sub = repo.find_tree(entry.id())?;
            let mut failed = None;
            sub.walk(git2::TreeWalkMode::PreOrder, |root, e| {
                let name = String::from_utf8_lossy(e.name_bytes());
                if e.filemode() == 0o120000
                    && let Some(message) = refused(&name)
                {
                    failed = Some(anyhow::anyhow!("{prefix}{root}{name}: {message}"));
                    return git2::TreeWalkResult::Abort;
                }
                if e.kind() == Some(ObjectType::Blob) && e.filemode() != 0o120000 {
                    let path = format!("{prefix}{root}{}", String::from_utf8_lossy(e.name_bytes()));
                    match repo.find_blob(e.id()) {
                        Ok(b) => {
                            out.insert(path, b.content().to_vec());
                        }
                        Err(err) => {
                            failed = Some(anyhow::anyhow!("{path}: {}", err.message()));
                            return git2::TreeWalkResult::Abort;
                        }
                    }
                }
                git2::TreeWalkResult::Ok
            })?;
            if let Some(e) = failed {
                return Err(e);
            }
        }
        if let Side::Overlay { changes, .. } = self {
            for c in changes.iter() {
                if let Some(o) = &c.old
                    && o.path.starts_with(&prefix)
                {
                    out.remove(&o.path);
                }
            }
            for c in changes.iter() {
                if let Some(n) = &c.new
                    && n.path.starts_with(&prefix)
                    && n.mode != walk::MODE_SYMLINK
                {
                    out.insert(n.path.clone(), blob_bytes(repo, n)?);
                }
            }
        }
        Ok(out.into_iter().collect())
    }
}

/// The file at `path` (display form) in a tree, as a blob; None when absent or a
/// directory.
fn tree_file(tree: &Tree<'_>, path: &str) -> anyhow::Result<Option<Blob>> {
    let entry = match tree.get_path(std::path::Path::new(path)) {
        Ok(e) => e,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => anyhow::bail!("{path}: {}", e.message()),
    };
    if entry.kind() == Some(ObjectType::Tree) {
        return Ok(None);
    }
    Ok(Some(Blob {
        path: path.to_string(),
        raw: path.as_bytes().to_vec(),
        id: entry.id(),
        mode: entry.filemode() as u32,
    }))
}

pub(super) fn read_tree_blob(
    repo: &Repository,
    tree: &Tree<'_>,
    path: &str,
) -> anyhow::Result<Option<(Vec<u8>, u32)>> {
    let entry = match tree.get_path(std::path::Path::new(path)) {
        Ok(e) => e,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => anyhow::bail!("{path}: {}", e.message()),
    };
    if entry.kind() != Some(ObjectType::Blob) {
        return Ok(None);
    }
    let blob = repo
        .find_blob(entry.id())
        .map_err(|e| anyhow::anyhow!("{path}: {}", e.message()))?;
    Ok(Some((blob.content().to_vec(), entry.filemode() as u32)))
}

fn blob_bytes(repo: &Repository, b: &Blob) -> anyhow::Result<Vec<u8>> {
    Ok(repo
        .find_blob(b.id)
        .map_err(|e| anyhow::anyhow!("{}: {}", b.path, e.message()))?
        .content()
        .to_vec())
}

/// Config, policies, compiled rules and detectors of one side: everything needed to
/// classify a blob.
struct Rulebook {
    config: Arc<Config>,
    config_display: String,
    policies: PolicySet,
    rules: Arc<Rules>,
    detectors: Arc<Detectors>,
    exceptions: Option<config::ExceptionsFile>,
    accepted: Option<config::AcceptedFile>,
    /// The side's own rule files.
    rule_files: Arc<UserRules>,
}

impl Rulebook {
    /// Read `config_path` (repo-relative; `tiergate.yaml` by default) and the policy
    /// directories it names from a side. A config outside the repository (`--config`
    /// pointing elsewhere) is read from disk: it belongs to whoever runs the check.
    fn load(
        repo: &Repository,
        side: &Side<'_>,
        config: &ConfigSource,
        today: crate::model::Date,
    ) -> std::result::Result<Rulebook, Failure> {
        let (cfg, display) = match config {
            ConfigSource::Disk { path, display } => {
                (config::load_file(path, display)?, display.clone())
            }
            ConfigSource::Repo(rel) => match side.read(repo, rel)? {
                Some((bytes, _)) => {
                    let text = std::str::from_utf8(&bytes).map_err(|_| {
                        Diagnostics(vec![crate::diag::Diagnostic::new(
                            rel.as_str(),
                            0,
                            0,
                            "yaml-syntax",
                            "the file is not valid UTF-8; tiergate.yaml must be UTF-8 text",
                        )])
                    })?;
                    let mut c = config::parse_str(text, rel)?;
                    c.path = Some(std::path::PathBuf::from(rel));
                    (c, rel.clone())
                }
                None => (config::defaults(), "builtin".to_string()),
            },
        };
        let mut sources = Vec::new();
        for dir in &cfg.policies.dirs {
            let links = |name: &str| {
                name.ends_with(".rego").then_some(
                    "symbolic links to policies are not followed; copy the policy instead",
                )
            };
            for (path, bytes) in side.files_under(repo, dir, links)? {
                if path.ends_with(".rego") {
                    sources.push((path, String::from_utf8_lossy(&bytes).into_owned()));
                }
            }
        }
        // The rule files are the side's, as the policies are.
        let mut rule_files = Vec::new();
        for dir in &cfg.rule_files.dirs {
            let links = |_: &str| {
                Some("symbolic links to rule files are not followed; copy the file instead")
            };
            rule_files.push((dir.clone(), side.files_under(repo, dir, links)?));
        }
        let rule_files = Arc::new(UserRules::from_files(rule_files)?);
        let config = Arc::new(cfg);
        // The detectors' automaton builds on another core while the policies compile:
        // the two are most of a gate's start-up. Errors keep their order.
        let (policies, exceptions, rules, detectors) = std::thread::scope(|s| {
            let detectors = s.spawn(|| {
                let knowledge = rule_files.load()?;
                Detectors::with_knowledge(&config.detectors, knowledge.knowledge, true)
            });
            let rest = (|| -> std::result::Result<_, Failure> {
                let policies = PolicySet::load_sources(&config, sources)?;
                let exceptions = match side.read(repo, EXCEPTIONS_FILE)? {
                    Some((bytes, _)) => {
                        Some(config::parse_exceptions(&bytes, EXCEPTIONS_FILE, &config)?)
                    }
                    None => None,
                };
                let accepted = match side.read(repo, ACCEPTED_FILE)? {
                    Some((bytes, _)) => Some(config::parse_accepted(&bytes, ACCEPTED_FILE)?),
                    None => None,
                };
                let rules =
                    Rules::compile(config.clone())?.with_exceptions(exceptions.as_ref(), today)?;
                Ok((policies, (exceptions, accepted), Arc::new(rules)))
            })();
            let detectors = detectors.join().expect("the detector build does not panic");
            rest.and_then(|(p, e, r)| {
                let accept = detect::accept::Acceptance::new(e.1.as_ref(), config.accept.inline);
                Ok((p, e, r, Arc::new(detectors?.accepting(accept))))
            })
        })?;
        let (exceptions, accepted) = exceptions;
        Ok(Rulebook {
            config,
            config_display: display,
            policies,
            rules,
            detectors,
            exceptions,
            accepted,
            rule_files,
        })
    }

    /// Governance paths this rulebook reads: the config file, its policy directories
    /// and its rule directories (as `dir/` prefixes).
    fn governs(&self, config: &ConfigSource, path: &str) -> bool {
        if let ConfigSource::Repo(rel) = config
            && rel == path
        {
            return true;
        }
        path == EXCEPTIONS_FILE
            || path == ACCEPTED_FILE
            || self.config.rule_files.governs(path)
            || self.config.policies.dirs.iter().any(|d| {
                let d = d.trim_start_matches("./").trim_end_matches('/');
                path.starts_with(&format!("{d}/")) && path.ends_with(".rego")
            })
    }

    fn classifier(&self) -> Classifier {
        Classifier::new(self.rules.clone(), &self.policies)
    }

    /// Each zone's path tier under these rules (see [`decide::zone_tiers`]), as
    /// recorded in `git_dir` for the same tool, config and policies, else computed (a
    /// few dozen policy evaluations) and recorded: a job for any thread.
    fn zone_tiers_job(
        &self,
        git_dir: &Path,
    ) -> impl FnOnce() -> Vec<Option<crate::model::TierId>> + Send + 'static {
        let key =
            super::judge::zone_key(&self.config.digest, &self.policies.source_digests(), true);
        let (rules, policies, git_dir) = (
            self.rules.clone(),
            self.policies.clone(),
            git_dir.to_path_buf(),
        );
        move || {
            super::judge::zone_tiers_recorded_or(&git_dir, &key, rules.config().zones.len(), || {
                decide::zone_tiers(&rules, &policies, true)
            })
        }
    }

    /// [`Rulebook::zone_tiers_job`] on this thread.
    fn zone_tiers(&self, git_dir: &Path) -> Vec<Option<crate::model::TierId>> {
        self.zone_tiers_job(git_dir)()
    }

    /// The header a manifest of the tracked files built with these rules has, given
    /// its zones' path tiers.
    fn header(&self, zone_tiers: Vec<Option<crate::model::TierId>>) -> crate::manifest::Manifest {
        super::header_of(
            &super::Made {
                config: &self.config,
                config_display: &self.config_display,
                policies: &self.policies,
                exceptions: self.exceptions.as_ref(),
                accepted: self.accepted.as_ref(),
                rules: self.rule_files.provenance(),
                commit: None,
                scope: crate::manifest::Scope::Tracked,
            },
            crate::manifest::Summary {
                files: 0,
                by_tier: Vec::new(),
                case_collisions: Vec::new(),
            },
            zone_tiers,
        )
    }
}

enum ConfigSource {
    /// Repo-relative path read from each side.
    Repo(String),
    Disk {
        path: std::path::PathBuf,
        display: String,
    },
}

/// Where the config is read: `--config` inside the repository is read from each side
/// like `tiergate.yaml`; outside it, from disk.
fn config_source(root: &Path, cwd: &Path, flag: Option<&Path>) -> ConfigSource {
    match flag {
        None => ConfigSource::Repo(config::CONFIG_FILE_NAME.to_string()),
        Some(p) => {
            let abs = cwd.join(p);
            match super::repo_relative(root, cwd, &p.to_string_lossy()) {
                Some(rel) if !rel.is_empty() => ConfigSource::Repo(rel),
                _ => ConfigSource::Disk {
                    display: abs.display().to_string(),
                    path: abs,
                },
            }
        }
    }
}

/// Replace `ctx`'s rules (config, policies, exceptions, and what is compiled from
/// them) with those in force at the commit `rev`, read from its tree as the gate reads
/// them. `scan --rules REV` writes the manifest those rules give: the first step of a
/// change that lowers tiers, when the change also adds or edits files.
pub(crate) fn use_rules_at(
    ctx: &mut super::Context,
    cwd: &Path,
    flag: Option<&Path>,
    rev: &str,
) -> Result<()> {
    let repo = Repository::open(&ctx.repo.root).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a git repository ({}); --rules reads the rules from a commit",
            ctx.repo.root.display(),
            e.message()
        )
    })?;
    let tree = resolve_commit(&repo, rev)?.tree().map_err(git_err)?;
    let source = config_source(&ctx.repo.root, cwd, flag);
    let book = Rulebook::load(&repo, &Side::Tree(tree), &source, ctx.today)?;
    ctx.config = book.config;
    ctx.config_display = book.config_display;
    ctx.policies = book.policies;
    ctx.rules = book.rules;
    ctx.detectors = book.detectors;
    ctx.exceptions = book.exceptions;
    ctx.accepted = book.accepted;
    ctx.knowledge = book.rule_files.load()?;
    ctx.rule_files = book.rule_files;
    Ok(())
}

/// The directories of a tree, each read once, by raw path (`""` is the top, every other
/// ends with `/`).
struct Subtrees<'r> {
    repo: &'r Repository,
    /// None: no such directory.
    trees: HashMap<Vec<u8>, Option<Tree<'r>>>,
}

impl<'r> Subtrees<'r> {
    fn new(repo: &'r Repository, top: Option<&Tree<'_>>) -> anyhow::Result<Subtrees<'r>> {
        let top = top
            .map(|t| repo.find_tree(t.id()))
            .transpose()
            .map_err(git_err)?;
        let mut trees = HashMap::new();
        trees.insert(Vec::new(), top);
        Ok(Subtrees { repo, trees })
    }

    /// The tree of `dir`, None when the path is not a directory.
    fn dir(&mut self, dir: &[u8]) -> anyhow::Result<Option<Tree<'r>>> {
        if let Some(t) = self.trees.get(dir) {
            return Ok(t.clone());
        }
        let inner = &dir[..dir.len().saturating_sub(1)];
        let (parent, name) = match inner.iter().rposition(|b| *b == b'/') {
            Some(i) => (&dir[..=i], &inner[i + 1..]),
            None => (&dir[..0], inner),
        };
        let tree = match self.dir(parent)? {
            Some(p) => match p.get_name_bytes(name) {
                Some(e) if e.kind() == Some(ObjectType::Tree) => {
                    Some(self.repo.find_tree(e.id()).map_err(|e| {
                        anyhow::anyhow!("{}: {}", changes::display_of(dir), e.message())
                    })?)
                }
                _ => None,
            },
            None => None,
        };
        self.trees.insert(dir.to_vec(), tree.clone());
        Ok(tree)
    }

    /// The blob `name` in `dir`, with its mode; None when absent or not a blob.
    fn read(&mut self, dir: &[u8], name: &[u8]) -> anyhow::Result<Option<(Vec<u8>, u32)>> {
        let Some(tree) = self.dir(dir)? else {
            return Ok(None);
        };
        let Some(entry) = tree.get_name_bytes(name) else {
            return Ok(None);
        };
        if entry.kind() != Some(ObjectType::Blob) {
            return Ok(None);
        }
        let path = || {
            let mut p = dir.to_vec();
            p.extend_from_slice(name);
            changes::display_of(&p)
        };
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|e| anyhow::anyhow!("{}: {}", path(), e.message()))?;
        Ok(Some((blob.content().to_vec(), entry.filemode() as u32)))
    }
}

/// How a side's blobs are stored: the filters its `.gitattributes` name, and the LFS
/// store pointers are resolved in.
struct Storage<'s> {
    filters: walk::attrs::Filters,
    lfs_store: &'s std::path::Path,
}

impl<'s> Storage<'s> {
    /// The `.gitattributes` of a side that bear on `paths` (raw): those of their
    /// directories and every directory above them.
    fn of(
        repo: &Repository,
        side: &Side<'_>,
        paths: impl Iterator<Item = &'s [u8]>,
        lfs_store: &'s std::path::Path,
    ) -> anyhow::Result<Storage<'s>> {
        let mut dirs: BTreeSet<Vec<u8>> = BTreeSet::new();
        dirs.insert(Vec::new());
        for p in paths {
            for (i, _) in p.iter().enumerate().filter(|(_, b)| **b == b'/') {
                dirs.insert(p[..=i].to_vec());
            }
        }
        let mut files = Vec::new();
        // Each directory's tree is read once: the directories come sorted, every one
        // after the one above it.
        let mut trees = Subtrees::new(repo, side.tree())?;
        for dir in dirs {
            let path = format!("{}.gitattributes", changes::display_of(&dir));
            let found = match side.staged(&path) {
                Some(Some(n)) => Some((blob_bytes(repo, n)?, n.mode)),
                Some(None) => None,
                None => trees.read(&dir, b".gitattributes")?,
            };
            if let Some((bytes, mode)) = found
                && mode != walk::MODE_SYMLINK
            {
                files.push((dir, bytes));
            }
        }
        Ok(Storage {
            filters: walk::attrs::Filters::parse(&files),
            lfs_store,
        })
    }
}

/// Classify one blob the way a scan classifies the same bytes on disk.
fn classify(
    book: &Rulebook,
    classifier: &mut Classifier,
    scanner: &mut detect::engine::Scanner,
    repo: &Repository,
    blob: &Blob,
    storage: &Storage<'_>,
) -> anyhow::Result<FileRecord> {
    let rel = walk::RelPath {
        display: blob.path.clone(),
        raw: blob.raw.clone(),
        utf8: std::str::from_utf8(&blob.raw).is_ok(),
    };
    let limits = &book.config.limits;
    let facts = if matches!(blob.mode, walk::MODE_GITLINK | walk::MODE_SYMLINK) {
        // A submodule's id names a commit in another repository: there is no blob to
        // read. A link's blob is its target.
        let bytes = if blob.mode == walk::MODE_GITLINK {
            Vec::new()
        } else {
            blob_bytes(repo, blob)?
        };
        walk::facts_from_blob(
            rel,
            blob.mode,
            &bytes,
            limits.max_content_bytes,
            limits.binary_sniff_bytes,
        )
        .0
    } else if let Some(driver) = storage.filters.driver_of(&blob.raw) {
        // What the filter made of the file: not the content (see walk::attrs).
        let facts = walk::base_facts(rel, FileKind::Text, 0, crate::model::GitState::Tracked);
        walk::attrs::filtered_facts(facts, driver)
    } else {
        // As the scan reads a file: the head for every detector, the rest streamed to
        // the secret detectors; an LFS pointer is read as the object it names.
        walk::with_blob(
            repo,
            blob.id,
            limits.max_content_bytes,
            |head, size, rest| {
                let (facts, content) = walk::facts_from_head(
                    rel,
                    blob.mode,
                    head,
                    size,
                    limits.max_content_bytes,
                    limits.binary_sniff_bytes,
                );
                if size < walk::lfs::POINTER_MAX as u64
                    && let Some(pointer) = walk::lfs::parse_pointer(head)
                {
                    let mut buf = Vec::new();
                    let (facts, mut tail) = walk::lfs::object_facts(
                        Some(storage.lfs_store),
                        &pointer,
                        facts,
                        limits.max_content_bytes,
                        limits.binary_sniff_bytes,
                        &mut buf,
                    );
                    return detect::with_signals(
                        scanner,
                        facts,
                        &buf,
                        tail.as_mut().map(|t| t as &mut dyn std::io::Read),
                    );
                }
                detect::with_signals(scanner, facts, content, rest)
            },
        )
        .map_err(|e| anyhow::anyhow!("{}: {}", blob.path, e.message()))?
    };
    let id = blob.id.to_string();
    Ok(classifier.classify(facts, move || Some(id)))
}

/// One side of a changed path for the gate; `without_markers` is the tier the content
/// gets when no `tiergate:accept` marker counts.
fn path_side(r: &FileRecord, without_markers: crate::model::TierId) -> PathSide {
    PathSide {
        tier: r.decision.tier,
        tier_without_markers: without_markers,
        rule: r.decision.findings.first().map(|f| f.rule.clone()),
        zones: r.facts.zones.clone(),
        credentials: r
            .facts
            .signals
            .iter()
            .filter(|s| s.category == "secret" && s.confidence == Confidence::High)
            .map(|s| Credential {
                id: s.id.clone(),
                line: s.line,
                count: s.count,
            })
            .collect(),
        accepted_inline: r
            .facts
            .accepted
            .iter()
            .filter(|a| a.by == crate::model::AcceptedBy::Inline)
            .map(|a| InlineAcceptance {
                signal: a.signal.clone(),
                line: a.line,
                fingerprint: a.fingerprint.clone(),
            })
            .collect(),
    }
}

fn build_report(cli: &Cli, against: &Against, io: &mut Io<'_>) -> Result<Report> {
    let (repo, config_source) = open_repository(cli, io)?;
    let prefetched = prefetch_manifest(&repo, against);
    let staged_changes = match against {
        Against::Staged => Some(changes::staged(&repo)?),
        Against::Range { .. } => None,
    };
    let sides = Sides::read(&repo, against, staged_changes.as_ref())?;
    let today = super::today(cli);
    let judge = Rulebook::load(&repo, &sides.judge, &config_source, today)?;
    // The zones' path tiers for the header the judging rules give: as the scan
    // recorded them, else a few dozen policy evaluations on another core while the
    // change is read and classified.
    let judge_zones = std::thread::Builder::new()
        .name("tiergate-zones".into())
        .spawn(judge.zone_tiers_job(repo.path()))
        .ok();
    let scope = Scope::of(
        &repo,
        &judge,
        &sides.changes,
        &sides.new,
        &config_source,
        today,
    )?;
    let lfs_store = repo.commondir().join("lfs").join("objects");
    let cx = Ctx {
        repo: &repo,
        against,
        staged: staged_changes.as_ref(),
        old: &sides.old,
        new: &sides.new,
        judge: &judge,
        expect: scope.expect.as_ref(),
        lfs_store: &lfs_store,
    };

    let mut tools = verify::Tools::new(&judge);
    let classified = classify_changes(&cx, &mut tools, &scope.content, &sides.changes)?;
    let exception_issues = exception_issues(
        scope.expect.as_ref().unwrap_or(&judge),
        classified
            .expected
            .new
            .as_ref()
            .unwrap_or(&classified.expected.judge),
        today,
    );
    let prefetched =
        prefetched.and_then(|h| h.join().expect("the manifest read does not panic").ok());
    let manifests = read_manifests(&cx, &sides.changes, prefetched)?;
    let mut found = verify_manifest(
        &cx,
        &mut tools,
        &manifests,
        judge_zones,
        &scope.content,
        classified.expected,
        &classified.new_storage,
    )?;
    found.lowerings.extend(copy_lowerings(
        &cx,
        &mut tools,
        &scope.content,
        &classified.changes,
        &manifests,
    )?);

    let gate_config = &judge.config.gate;
    let manifest_name = manifest::MANIFEST_FILE_NAME;
    let (verdicts, changes_out) = gate::verdicts::judge(&Inputs {
        changes: classified.changes,
        governance: scope.governance,
        stale: found.stale,
        shifts: found.shifts,
        lowerings: found.lowerings,
        gate: gate_config,
        destinations: &judge.config.destinations,
        restricted: judge.config.tiers.first().map_or(RESTRICTED, |t| t.id),
        manifest: manifest_name,
        exceptions: exception_issues,
    })?;
    Ok(Report {
        mode: sides.mode,
        judged_with: sides.judged_with,
        manifest: manifest_name.to_string(),
        tiers: judge
            .config
            .tiers
            .iter()
            .map(|t| TierName {
                id: t.id,
                name: t.name.clone(),
            })
            .collect(),
        fail_on: gate_config.fail_on.clone(),
        changed_paths: scope.content.len() as u64,
        verdicts,
        changes: changes_out,
    })
}

/// The repository `check` runs in, and where its config is read.
fn open_repository(cli: &Cli, io: &Io<'_>) -> Result<(Repository, ConfigSource)> {
    let root = Repo::default_root(&io.cwd)?;
    // Objects are read as git reads them, without re-hashing each one: a corrupt
    // object store is `git fsck`'s to find, and hashing every tree read costs the
    // gate more than a tenth of its time.
    git2::opts::strict_hash_verification(false);
    let repo = Repository::open(&root).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a git repository ({}); check compares git states",
            root.display(),
            e.message()
        )
    })?;
    let config_source = config_source(&root, &io.cwd, cli.global.config.as_deref());
    Ok((repo, config_source))
}

/// The staged manifest is usually the work-tree file, just regenerated and added: it
/// is mapped and indexed on another core while the index is compared with HEAD and the
/// rules compile. It is used only if it proves to be what the index stages.
fn prefetch_manifest(
    repo: &Repository,
    against: &Against,
) -> Option<std::thread::JoinHandle<std::io::Result<Prefetched>>> {
    match (against, repo.workdir()) {
        (Against::Staged, Some(w)) => {
            let path = w.join(manifest::MANIFEST_FILE_NAME);
            Some(std::thread::spawn(
                move || -> std::io::Result<Prefetched> {
                    let file = std::fs::File::open(path)?;
                    let opened = file.metadata()?;
                    let view = ManifestView::open_file(&file, manifest::MANIFEST_FILE_NAME)?;
                    Ok((opened, view))
                },
            ))
        }
        _ => None,
    }
}

/// The sides of a change: old, new, and the one whose rules judge.
struct Sides<'r> {
    mode: Mode,
    /// How the report names the judging side.
    judged_with: String,
    old: Side<'r>,
    new: Side<'r>,
    judge: Side<'r>,
    /// Every changed path, the manifest's included.
    changes: Vec<Change>,
}

impl<'r> Sides<'r> {
    /// `staged`: the index against HEAD, read when `against` is [`Against::Staged`].
    fn read(
        repo: &'r Repository,
        against: &Against,
        staged: Option<&'r changes::StagedChanges>,
    ) -> anyhow::Result<Sides<'r>> {
        match against {
            Against::Staged => Sides::staged(repo, staged.expect("read above")),
            Against::Range { base, head } => Sides::range(repo, base, head),
        }
    }

    /// Pre-commit: HEAD's tree against the index, judged by HEAD's rules (the index's
    /// own in a repository without commits).
    fn staged(
        repo: &'r Repository,
        staged_changes: &'r changes::StagedChanges,
    ) -> anyhow::Result<Sides<'r>> {
        let head = staged_changes.head;
        let head_tree = match head {
            Some(h) => Some(
                repo.find_commit(h)
                    .and_then(|c| c.tree())
                    .map_err(git_err)?,
            ),
            None => None,
        };
        let list = staged_changes.changes.clone();
        let judge = match head {
            Some(h) => Side::Tree(
                repo.find_commit(h)
                    .and_then(|c| c.tree())
                    .map_err(git_err)?,
            ),
            None => Side::Overlay {
                base: None,
                changes: &staged_changes.changes,
            },
        };
        let old = match &head_tree {
            Some(t) => Side::Tree(t.clone()),
            None => Side::Overlay {
                base: None,
                changes: &[],
            },
        };
        Ok(Sides {
            mode: Mode::Staged {
                head: head.map(|h| h.to_string()),
            },
            judged_with: if head.is_some() {
                "HEAD".to_string()
            } else {
                "the index (no commit yet)".to_string()
            },
            old,
            new: Side::Overlay {
                base: head_tree,
                changes: &staged_changes.changes,
            },
            judge,
            changes: list,
        })
    }

    /// A pull request: the merge base's tree against the head's, judged by the base
    /// ref's rules.
    fn range(repo: &'r Repository, base: &str, head: &str) -> anyhow::Result<Sides<'r>> {
        let base_commit = resolve_commit(repo, base)?;
        let head_commit = resolve_commit(repo, head)?;
        let mb = repo.merge_base(base_commit.id(), head_commit.id()).map_err(|e| {
            anyhow::anyhow!(
                "no merge base of {base} and {head} ({}); fetch the full history (e.g. actions/checkout with fetch-depth: 0)",
                e.message()
            )
        })?;
        let old_tree = repo
            .find_commit(mb)
            .and_then(|c| c.tree())
            .map_err(git_err)?;
        let new_tree = head_commit.tree().map_err(git_err)?;
        let list = changes::between(repo, &old_tree, &new_tree)?;
        Ok(Sides {
            mode: Mode::Range {
                base_ref: base.to_string(),
                base: base_commit.id().to_string(),
                head_ref: head.to_string(),
                head: head_commit.id().to_string(),
                merge_base: mb.to_string(),
            },
            judged_with: format!("{base} ({})", short(&base_commit.id().to_string())),
            old: Side::Tree(old_tree),
            new: Side::Tree(new_tree),
            judge: Side::Tree(base_commit.tree().map_err(git_err)?),
            changes: list,
        })
    }
}

/// What a change touches: governance files, content, and the rules the new manifest
/// must follow when it edits the judging ones.
struct Scope<'c> {
    /// Governance files (config, policies, exceptions) the change touches, sorted.
    governance: Vec<(String, Status)>,
    /// The changed paths, the manifest left out.
    content: Vec<&'c Change>,
    /// The new side's rules, when the change edits the rules.
    expect: Option<Rulebook>,
}

impl<'c> Scope<'c> {
    /// `all`: every changed path; `new`: the side the change makes.
    fn of(
        repo: &Repository,
        judge: &Rulebook,
        all: &'c [Change],
        new: &Side<'_>,
        config_source: &ConfigSource,
        today: crate::model::Date,
    ) -> Result<Scope<'c>> {
        let manifest_name = manifest::MANIFEST_FILE_NAME;
        let mut governance: Vec<(String, Status)> = Vec::new();
        let mut content: Vec<&Change> = Vec::new();
        for c in all {
            let paths: Vec<&str> = c
                .old
                .iter()
                .chain(&c.new)
                .map(|b| b.path.as_str())
                .collect();
            if paths.contains(&manifest_name) {
                continue;
            }
            if paths.iter().any(|p| judge.governs(config_source, p)) {
                governance.push((display_path_of(c).to_string(), status_of(&c.kind)));
            }
            content.push(c);
        }
        let expect = if governance.is_empty() {
            None
        } else {
            Some(Rulebook::load(repo, new, config_source, today)?)
        };
        if let Some(e) = &expect {
            // Policy directories the new config adds are governance too.
            for c in all {
                let p = display_path_of(c);
                if e.governs(config_source, p) && !governance.iter().any(|(g, _)| g == p) {
                    governance.push((p.to_string(), status_of(&c.kind)));
                }
            }
        }
        governance.sort();
        Ok(Scope {
            governance,
            content,
            expect,
        })
    }
}

/// What every step past loading the rules reads: the repository, the sides of the
/// change, and the rules.
struct Ctx<'a> {
    repo: &'a Repository,
    against: &'a Against,
    /// The staged changes (pre-commit).
    staged: Option<&'a changes::StagedChanges>,
    old: &'a Side<'a>,
    new: &'a Side<'a>,
    /// The rules that judge the change.
    judge: &'a Rulebook,
    /// The rules the new manifest must follow: the new side's, when the change edits
    /// them.
    expect: Option<&'a Rulebook>,
    /// Where the repository keeps LFS objects.
    lfs_store: &'a Path,
}

/// The changed paths, classified.
struct Classified<'s> {
    /// Both sides of every changed path under the judging rules.
    changes: Vec<PathChange>,
    /// What the new side's records must be.
    expected: verify::Expected,
    /// How the new side stores the changed blobs.
    new_storage: Storage<'s>,
}

/// Classify both sides of every changed path with the judging rules, and the new side
/// with the change's own rules when it edits them. `all`: every changed path, the
/// manifest's included.
fn classify_changes<'s>(
    cx: &Ctx<'s>,
    tools: &mut verify::Tools<'_>,
    content: &[&'s Change],
    all: &[Change],
) -> anyhow::Result<Classified<'s>> {
    let mut new_tools = cx.expect.map(verify::Tools::new);
    let mut changes_in = Vec::new();
    // How each side stores its blobs: filters by its own `.gitattributes`, LFS objects
    // in the repository's store.
    let old_storage = Storage::of(
        cx.repo,
        cx.old,
        content
            .iter()
            .filter_map(|c| c.old.as_ref())
            .map(|b| b.raw.as_slice()),
        cx.lfs_store,
    )?;
    let new_storage = Storage::of(
        cx.repo,
        cx.new,
        content
            .iter()
            .filter_map(|c| c.new.as_ref())
            .map(|b| b.raw.as_slice()),
        cx.lfs_store,
    )?;
    // The new side's records by path, under the judging rules and the change's own:
    // more than one when files share a path once their names are normalized (twins),
    // merged below as a scan merges them.
    let mut twins_judge = verify::Twins::new();
    let mut twins_new = verify::Twins::new();
    for c in content {
        let old_rec = c
            .old
            .as_ref()
            .map(|b| tools.classify(cx.repo, b, &old_storage))
            .transpose()?;
        let new_rec = c
            .new
            .as_ref()
            .map(|b| tools.classify(cx.repo, b, &new_storage))
            .transpose()?;
        if let (Some(b), Some(rec)) = (&c.new, &new_rec) {
            twins_judge
                .entry(b.path.clone())
                .or_default()
                .push(Box::new(rec.clone()));
            if let Some(t) = &mut new_tools {
                twins_new
                    .entry(b.path.clone())
                    .or_default()
                    .push(Box::new(t.classify(cx.repo, b, &new_storage)?));
            }
        }
        changes_in.push(PathChange {
            status: status_of(&c.kind),
            path: display_path_of(c).to_string(),
            old_path: match (&c.kind, &c.old) {
                (ChangeKind::Renamed { .. }, Some(o)) => Some(o.path.clone()),
                _ => None,
            },
            old: old_rec
                .as_ref()
                .zip(c.old.as_ref())
                .map(|(r, b)| path_side(r, tools.tier_without_markers(r, b))),
            new: new_rec
                .as_ref()
                .zip(c.new.as_ref())
                .map(|(r, b)| path_side(r, tools.tier_without_markers(r, b))),
        });
    }
    add_unchanged_twins(
        cx,
        tools,
        new_tools.as_mut(),
        all,
        &mut twins_judge,
        &mut twins_new,
    )?;
    Ok(Classified {
        changes: changes_in,
        expected: verify::Expected {
            judge: verify::merge_twins(cx.judge, twins_judge),
            new: cx.expect.map(|book| verify::merge_twins(book, twins_new)),
        },
        new_storage,
    })
}

/// Unchanged files of the new side that share a changed path are part of its entry:
/// added to its twins, under the judging rules and the change's own (`new_tools`).
fn add_unchanged_twins(
    cx: &Ctx<'_>,
    tools: &mut verify::Tools<'_>,
    mut new_tools: Option<&mut verify::Tools<'_>>,
    all: &[Change],
    twins_judge: &mut verify::Twins,
    twins_new: &mut verify::Twins,
) -> anyhow::Result<()> {
    let changed_raw: BTreeSet<&[u8]> = all
        .iter()
        .flat_map(|c| c.old.iter().chain(&c.new))
        .map(|b| b.raw.as_slice())
        .collect();
    for (path, group) in twins_judge.iter_mut() {
        if !changes::may_have_twins(path) {
            continue;
        }
        for t in cx.new.unchanged_twins(cx.repo, path, &changed_raw)? {
            let storage = Storage::of(
                cx.repo,
                cx.new,
                std::iter::once(t.raw.as_slice()),
                cx.lfs_store,
            )?;
            group.push(Box::new(tools.classify(cx.repo, &t, &storage)?));
            if let (Some(tn), Some(g)) = (&mut new_tools, twins_new.get_mut(path)) {
                g.push(Box::new(tn.classify(cx.repo, &t, &storage)?));
            }
        }
    }
    Ok(())
}

/// The committed manifests: the new side's, and the old side's when it can differ.
/// Each is Err with the reason it is unusable.
struct Manifests {
    new: std::result::Result<ManifestView, String>,
    /// None when both sides hold the same file (the index stages HEAD's).
    old: Option<std::result::Result<ManifestView, String>>,
}

fn read_manifests(
    cx: &Ctx<'_>,
    all: &[Change],
    prefetched: Option<Prefetched>,
) -> anyhow::Result<Manifests> {
    let name = manifest::MANIFEST_FILE_NAME;
    let new = read_manifest(cx.repo, cx.new, name, cx.staged.zip(prefetched))?;
    let manifest_changed = all
        .iter()
        .any(|c| c.old.iter().chain(&c.new).any(|b| b.path == name));
    let old = match cx.against {
        Against::Range { .. } => Some(read_manifest(cx.repo, cx.old, name, None)?),
        Against::Staged if manifest_changed => Some(read_manifest(cx.repo, cx.old, name, None)?),
        // The index stages HEAD's manifest: both sides hold the same one.
        Against::Staged => None,
    };
    Ok(Manifests { new, old })
}

/// What comparing the new manifest with what the rules give finds.
#[derive(Default)]
struct ManifestFindings {
    stale: Vec<Stale>,
    /// Entries that moved without their content moving.
    shifts: Vec<Shift>,
    lowerings: Vec<Lowering>,
}

/// Compare the new manifest's header and entries with what the rules give. `expected`:
/// the changed paths' records; entries the change leaves alone are inherited from the
/// base manifest, or, when they cannot be, every entry is rebuilt.
fn verify_manifest(
    cx: &Ctx<'_>,
    tools: &mut verify::Tools<'_>,
    manifests: &Manifests,
    judge_zones: Option<std::thread::JoinHandle<Vec<Option<crate::model::TierId>>>>,
    content: &[&Change],
    mut expected: verify::Expected,
    new_storage: &Storage<'_>,
) -> anyhow::Result<ManifestFindings> {
    let view = match &manifests.new {
        Err(message) => {
            return Ok(ManifestFindings {
                stale: vec![Stale::Manifest {
                    message: message.clone(),
                }],
                ..ManifestFindings::default()
            });
        }
        Ok(view) => view,
    };
    // Inline when no thread could be started.
    let zones = match judge_zones {
        Some(h) => h.join().expect("zone tiers do not panic"),
        None => cx.judge.zone_tiers(cx.repo.path()),
    };
    let mut stale = verify::header(view, cx.judge.header(zones), cx.expect, cx.repo.path());
    let touched: BTreeSet<&str> = content
        .iter()
        .flat_map(|c| c.old.iter().chain(&c.new))
        .map(|b| b.path.as_str())
        .collect();
    // The base manifest when it differs from the new one: Some(None) when it cannot
    // be read (nothing to inherit), None when both sides hold the same file.
    let old_view: Option<Option<&ManifestView>> = manifests.old.as_ref().map(|m| m.as_ref().ok());
    // Entries the change leaves alone are inherited from the base manifest, which
    // these rules judged, unless the rules change or the base manifest was built with
    // other rules (or other decision steps, or is missing): then every entry is
    // rebuilt.
    let inherited = cx.expect.is_none()
        && match old_view {
            None => true,
            Some(None) => false,
            Some(Some(o)) => o.header.header_differences(&view.header, true).is_empty(),
        };
    let mut absent: BTreeSet<String> = content
        .iter()
        .filter(|c| c.new.is_none())
        .filter_map(|c| c.old.as_ref().map(|o| o.path.clone()))
        .collect();
    let mut shifts = Vec::new();
    if let Some(Some(o)) = old_view {
        let moved = verify::shifted(o, view, &touched)?;
        if inherited {
            expect_moved(cx, tools, &moved, &mut expected.judge, &mut absent)?;
        }
        shifts = moved;
    }
    if inherited {
        expect_inherited(
            cx,
            tools,
            view,
            &touched,
            &absent,
            &mut expected.judge,
            new_storage,
        )?;
    } else {
        absent = expect_rebuilt(cx, view, &mut expected)?;
    }
    let (entry_stale, lowerings) = verify::entries(view, &expected, &absent)?;
    stale.extend(entry_stale);
    Ok(ManifestFindings {
        stale,
        shifts,
        lowerings,
    })
}

/// An entry that moved without its content moving is verified too: its file's record
/// joins `expected`, or its path joins `absent` when the new side has no such file.
fn expect_moved(
    cx: &Ctx<'_>,
    tools: &mut verify::Tools<'_>,
    moved: &[Shift],
    expected: &mut decide::Records,
    absent: &mut BTreeSet<String>,
) -> anyhow::Result<()> {
    for Shift { path, .. } in moved {
        match cx.new.file(path)? {
            Some(b) => {
                let storage = Storage::of(
                    cx.repo,
                    cx.new,
                    std::iter::once(b.raw.as_slice()),
                    cx.lfs_store,
                )?;
                let rec = tools.classify(cx.repo, &b, &storage)?;
                expected.insert(path.clone(), Box::new(rec));
            }
            None => {
                absent.insert(path.clone());
            }
        }
    }
    Ok(())
}

/// Entries inherited from the base manifest: the links that reach a verified path are
/// verified too, and the records are finished as a scan finishes them, the paths the
/// change leaves alone standing in from the manifest.
fn expect_inherited(
    cx: &Ctx<'_>,
    tools: &mut verify::Tools<'_>,
    view: &ManifestView,
    touched: &BTreeSet<&str>,
    absent: &BTreeSet<String>,
    expected: &mut decide::Records,
    new_storage: &Storage<'_>,
) -> anyhow::Result<()> {
    let verified: BTreeSet<String> = expected
        .keys()
        .cloned()
        .chain(absent.iter().cloned())
        .chain(touched.iter().map(|p| p.to_string()))
        .collect();
    let links = match (cx.staged, cx.new) {
        (Some(s), _) => s.index_files(
            cx.repo,
            &|_: &[u8], mode| mode == walk::MODE_SYMLINK,
            &touched.iter().copied().collect(),
        )?,
        (None, Side::Tree(t)) => changes::files(cx.repo, t)?
            .into_iter()
            .filter(|b| b.mode == walk::MODE_SYMLINK && !touched.contains(b.path.as_str()))
            .collect(),
        (None, Side::Overlay { .. }) => Vec::new(),
    };
    for link in verify::links_reaching(cx.repo, links, &verified)? {
        // A link's blob is its target: how it is stored does not matter.
        let rec = tools.classify(cx.repo, &link, new_storage)?;
        expected.insert(link.path.clone(), Box::new(rec));
    }
    // Links met while finishing are read from the new side, not the manifest.
    finish_expected(cx.judge, view, expected, |p| {
        Ok(match cx.new.read(cx.repo, p)? {
            Some((bytes, mode)) if mode == walk::MODE_SYMLINK => {
                Some(String::from_utf8_lossy(&bytes).into_owned())
            }
            _ => None,
        })
    })
}

/// Every entry rebuilt: every file of the new side classified with the judging rules,
/// and with the change's own when it edits them. Returns the listed paths that have no
/// file.
fn expect_rebuilt(
    cx: &Ctx<'_>,
    view: &ManifestView,
    expected: &mut verify::Expected,
) -> anyhow::Result<BTreeSet<String>> {
    let files = verify::side_files(cx.repo, cx.new)?;
    let listed: BTreeSet<String> = files.iter().map(|b| b.path.clone()).collect();
    let storage = Storage::of(
        cx.repo,
        cx.new,
        files.iter().map(|b| b.raw.as_slice()),
        cx.lfs_store,
    )?;
    expected.judge = verify::classify_all(cx.judge, cx.repo, &files, &storage)?;
    if let Some(e) = cx.expect {
        expected.new = Some(verify::classify_all(e, cx.repo, &files, &storage)?);
    }
    Ok(view
        .entries()
        .map(|(p, _)| p.into_owned())
        .filter(|p| !listed.contains(p))
        .collect())
}

/// Copies of more protected content among the changed paths (`changes`, classified,
/// in the order of `content`).
fn copy_lowerings(
    cx: &Ctx<'_>,
    tools: &mut verify::Tools<'_>,
    content: &[&Change],
    changes: &[PathChange],
    manifests: &Manifests,
) -> anyhow::Result<Vec<Lowering>> {
    let candidates: Vec<copies::Candidate<'_>> = content
        .iter()
        .zip(changes)
        .filter_map(|(c, pc)| {
            let blob = c.new.as_ref()?;
            Some(copies::Candidate {
                blob,
                own_source: c.old.as_ref().map(|o| o.path.as_str()),
                tier: pc.new.as_ref()?.tier,
            })
        })
        .collect();
    let old_files = copies::Old {
        staged: cx.staged,
        side: cx.old,
        lfs_store: cx.lfs_store,
    };
    let base_manifest = match (&manifests.old, cx.against) {
        (Some(Ok(v)), Against::Range { .. }) => Some(v),
        _ => None,
    };
    copies::copies(
        cx.repo,
        old_files,
        content,
        &candidates,
        tools,
        base_manifest,
    )
}

fn git_err(e: git2::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message())
}

pub(super) fn resolve_commit<'r>(
    repo: &'r Repository,
    spec: &str,
) -> anyhow::Result<git2::Commit<'r>> {
    repo.revparse_single(spec)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| anyhow::anyhow!("{spec}: not a commit ({})", e.message()))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

fn display_path_of(c: &Change) -> &str {
    c.new
        .as_ref()
        .or(c.old.as_ref())
        .map_or("", |b| b.path.as_str())
}

fn status_of(kind: &ChangeKind) -> Status {
    match kind {
        ChangeKind::Added => Status::Added,
        ChangeKind::Deleted => Status::Deleted,
        ChangeKind::Modified => Status::Modified,
        ChangeKind::Renamed { .. } => Status::Renamed,
    }
}

/// The work-tree manifest as opened (its metadata from the open handle) and indexed.
type Prefetched = (
    std::fs::Metadata,
    std::result::Result<ManifestView, crate::diag::Diagnostics>,
);

/// Read and index the manifest of a side. Err carries the reason it is unusable.
/// `staged`: the staged changes, with the work-tree manifest read ahead.
fn read_manifest(
    repo: &Repository,
    side: &Side<'_>,
    name: &str,
    staged: Option<(&changes::StagedChanges, Prefetched)>,
) -> anyhow::Result<std::result::Result<ManifestView, String>> {
    // The work-tree file is used when the file that was read holds exactly what the
    // index stages (its stat data match the index entry's), instead of inflating a
    // 25 MB blob.
    if let Some((changes, (opened, view))) = staged
        && changes.staged_file_is(name, &opened)
    {
        return Ok(view.map_err(|d| format!("{name} cannot be read: {d}; run `tiergate scan`")));
    }
    let Some((bytes, _)) = side.read(repo, name)? else {
        return Ok(Err(format!(
            "no {name} is committed; run `tiergate scan` and commit it"
        )));
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            return Ok(Err(format!(
                "{name} is not UTF-8 text; run `tiergate scan`"
            )));
        }
    };
    Ok(ManifestView::parse(text, name)
        .map_err(|d| format!("{name} cannot be read: {d}; run `tiergate scan`")))
}

/// Complete the expected records the way a scan's last step would: links take their
/// target's tier and paths differing only by case are noted. Paths the change did not
/// touch are taken from the manifest, a listed link with its target as the side holds
/// it (`link_of`), so a chain of links resolves as in the scan.
fn finish_expected(
    book: &Rulebook,
    view: &ManifestView,
    expected: &mut decide::Records,
    link_of: impl Fn(&str) -> anyhow::Result<Option<String>>,
) -> anyhow::Result<()> {
    let stand_in = |path: &str, e: &FileEntry| -> anyhow::Result<Box<FileRecord>> {
        let mut facts = walk::base_facts(
            walk::RelPath {
                display: path.to_string(),
                raw: path.as_bytes().to_vec(),
                utf8: true,
            },
            FileKind::Text,
            0,
            crate::model::GitState::Tracked,
        );
        if e.kind == FileKind::Symlink.as_str()
            && let Some(t) = link_of(path)?
        {
            facts.kind = FileKind::Symlink;
            facts.link_target = Some(t);
        }
        Ok(Box::new(FileRecord {
            facts,
            decision: Decision {
                tier: e.tier,
                findings: Vec::new(),
                defaulted: false,
            },
        }))
    };
    // What the links look up, added from the manifest until nothing more is missing.
    let mut all = std::mem::take(expected);
    let ours: BTreeSet<String> = all.keys().cloned().collect();
    let mut tried: BTreeSet<String> = BTreeSet::new();
    loop {
        let (met, targets) = decide::link_lookups(&all, &|_| true);
        let mut added = false;
        for p in met.iter().chain(&targets) {
            if !all.contains_key(p)
                && tried.insert(p.clone())
                && let Some(Ok(e)) = view.get(p)
            {
                all.insert(p.clone(), stand_in(p, &e)?);
                added = true;
            }
        }
        for t in &targets {
            if tried.insert(format!("{t}/")) {
                for (p, e) in view.within(t)? {
                    if let std::collections::btree_map::Entry::Vacant(v) = all.entry(p) {
                        let rec = stand_in(v.key(), &e)?;
                        v.insert(rec);
                        added = true;
                    }
                }
            }
        }
        if !added {
            break;
        }
    }
    let lowered: BTreeSet<String> = ours.iter().map(|k| k.to_lowercase()).collect();
    for (p, raw) in view.folding_to(&lowered) {
        if !all.contains_key(p.as_ref()) {
            let e: FileEntry = serde_json::from_str(raw).map_err(anyhow::Error::from)?;
            all.insert(p.to_string(), stand_in(&p, &e)?);
        }
    }
    // Every record here is listed: the changed paths are tracked, the rest come from
    // the manifest.
    decide::finish(&book.rules, &mut all, |_| true);
    *expected = all.into_iter().filter(|(p, _)| ours.contains(p)).collect();
    Ok(())
}

fn entry_of(r: &FileRecord) -> FileEntry {
    super::file_entry(r.facts.kind, r.facts.git, &r.decision)
}

/// Exceptions that fail the gate: expired ones of the rules the new side must follow
/// (a change that renews or removes one passes), and changed files whose blob-bound
/// exception no longer matches their content.
fn exception_issues(
    book: &Rulebook,
    expected: &decide::Records,
    today: crate::model::Date,
) -> Vec<ExceptionIssue> {
    let mut out = Vec::new();
    if let Some(file) = &book.exceptions {
        for x in &file.exceptions {
            if x.status(today) == config::ExceptionStatus::Expired {
                out.push(ExceptionIssue {
                    code: gate::Code::ExceptionExpired,
                    path: file.display.clone(),
                    line: Some(x.source.line),
                    id: x.id.clone(),
                    message: format!(
                        "exception {} (approved by {} on {}) expired on {}; it no longer applies: renew it with a new approval or remove it",
                        x.id, x.approver, x.approved, x.expires
                    ),
                });
            }
        }
    }
    for (path, rec) in expected {
        for f in &rec.decision.findings {
            if f.code == crate::codes::EXCEPTION_MISMATCH {
                out.push(ExceptionIssue {
                    code: gate::Code::ExceptionMismatch,
                    path: path.clone(),
                    line: None,
                    id: f.rule.clone(),
                    message: format!(
                        "{}: re-approve the new content (update `blob`) or remove the exception",
                        f.message
                    ),
                });
            }
        }
    }
    out
}
