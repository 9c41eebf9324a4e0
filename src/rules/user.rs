//! A repository's own rule files: detector knowledge added to the shipped rules
//! without Rust.
//!
//! `rule_files.dirs` in `tiergate.yaml` (default `.tiergate/rules`) names directories
//! laid out like the shipped `rules/` tree, every file optional:
//! - `annex3/<point>.yaml`: signals of a shipped Annex III point, read like the shipped
//!   files (examples required), with ids no shipped signal has;
//! - `pii/keywords.yaml` (words added to existing keyword groups), `pii/special.yaml`
//!   (special-category terms, with examples of the signals they give, and affixes),
//!   `pii/context.yaml`, `pii/signals.yaml` (more examples), `pii/documentation.yaml`
//!   (test values of the repository's own, per validator);
//! - `secrets/context.yaml` (placeholders, password keywords and the other lists),
//!   `secrets/formats.yaml` (credential signals of the repository's own, as token
//!   formats, with ids no shipped signal has).
//!
//! Lists add to the shipped ones; nothing shipped is taken away. The legal facts, the
//! national identifier formats (`pii/national_ids.yaml`, which name tiergate's
//! validators and signals) and the built-in zones are not extended here (zones come
//! from `tiergate.yaml`).
//!
//! A repository without rule files costs nothing: no YAML is parsed and the detectors
//! use the tables compiled in. Otherwise the shipped catalogue and the repository's
//! additions are checked, merged and leaked as the detectors' tables once per process
//! and set of files ([`UserRules::load`]). Every file is named in the manifest's
//! provenance with the digest of its bytes ([`UserRules::provenance`]), so a changed
//! rule makes a manifest stale as a changed policy does, and the gate reviews it as a
//! governance change.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use super::annex3::PointFile;
use super::pii::PiiRules;
use super::secrets::SecretsRules;
use super::{Catalogue, MAX_RULE_FILE_BYTES};
use crate::detect::Knowledge;
use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::ConfigProvenance;
use crate::schema::{Ctx, Located, Node};

/// Where a repository's rule files are unless the config says otherwise.
pub const DEFAULT_DIR: &str = ".tiergate/rules";

/// The `rule_files:` section of `tiergate.yaml`: the rules module owns it, the config
/// composes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFilesConfig {
    /// Directories relative to the repository root (`/`-separated, no `./`, no
    /// trailing `/`), each laid out like `rules/`. A missing directory is fine, as a
    /// missing policy directory is.
    pub dirs: Vec<String>,
}

impl Default for RuleFilesConfig {
    fn default() -> RuleFilesConfig {
        RuleFilesConfig {
            dirs: vec![DEFAULT_DIR.to_string()],
        }
    }
}

impl RuleFilesConfig {
    /// Whether `path` (repo-relative) is under one of the directories and not a name
    /// the rules leave alone (a README, a hidden file): a file the rules are read
    /// from, or one a scan would refuse there.
    pub fn governs(&self, path: &str) -> bool {
        self.dirs.iter().any(|d| {
            path.strip_prefix(d.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rel| !rel.split('/').any(skipped))
        })
    }
}

/// Read the `rule_files:` section (`{dirs: [...]}`).
pub(crate) fn parse_section(cx: &mut Ctx<'_>, value: &Located<Node>) -> RuleFilesConfig {
    let mut out = RuleFilesConfig::default();
    let Some(fields) = cx.mapping(value, "a mapping with `dirs`", Some(&["dirs"])) else {
        return out;
    };
    if let Some(f) = fields.present("dirs")
        && let Some(items) = cx.seq(f.value, "a list of directories")
    {
        let mut dirs: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            let Some(d) = cx.string(item, "a directory path string") else {
                continue;
            };
            let normal = d.trim_start_matches("./").trim_end_matches('/');
            if crate::schema::is_repo_relative_path(normal) {
                if !dirs.iter().any(|x| x == normal) {
                    dirs.push(normal.to_string());
                }
            } else {
                cx.error(
                    item.pos(),
                    "invalid-value",
                    format!(
                        "rule directory `{d}` is not a directory inside the repository; give a path relative to its root, without `..`, such as `{DEFAULT_DIR}`"
                    ),
                );
            }
        }
        out.dirs = dirs;
    }
    out
}

/// The families a repository may extend, by directory name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Annex3,
    Pii,
    Secrets,
}

const FAMILIES: &str = "`annex3/`, `pii/` and `secrets/`";

impl Family {
    /// The family a directory of a rules directory holds, or why it is refused.
    fn of(dir: &str) -> Result<Family, (&'static str, String)> {
        match dir {
            "annex3" => Ok(Family::Annex3),
            "pii" => Ok(Family::Pii),
            "secrets" => Ok(Family::Secrets),
            "legal" => Err((
                "not-extensible",
                "the legal facts (dates in force, Annex III points) are tiergate's own; a repository's rules add signals to the shipped points".into(),
            )),
            "media" => Err((
                "not-extensible",
                "the media detectors' formats, bounds and thresholds are tiergate's own".into(),
            )),
            "zones" => Err((
                "not-extensible",
                "zones are not rule files: add them under `zones:` in tiergate.yaml (a zone named like a built-in one replaces it)".into(),
            )),
            _ => Err((
                "unknown-rule-file",
                format!("not a rule family directory; a repository's rules directory holds {FAMILIES}"),
            )),
        }
    }

    /// Whether `name` is a rule file of the family, else what the family holds.
    fn holds(self, name: &str) -> Result<(), String> {
        let fixed = match self {
            Family::Annex3 => {
                return if name.ends_with(".yaml") {
                    Ok(())
                } else {
                    Err("not a rule file; `annex3/` holds `<point>.yaml` files".into())
                };
            }
            Family::Pii => super::pii::FILES,
            Family::Secrets => super::secrets::FILES,
        };
        if fixed.contains(&name) {
            Ok(())
        } else {
            Err(format!(
                "not a rule file; `{}/` holds {}",
                self.dir(),
                crate::schema::ticked(fixed)
            ))
        }
    }

    fn dir(self) -> &'static str {
        match self {
            Family::Annex3 => "annex3",
            Family::Pii => "pii",
            Family::Secrets => "secrets",
        }
    }
}

/// Names a rules directory may hold besides rule files: hidden ones and a README.
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name.eq_ignore_ascii_case("README.md")
}

/// A rules directory's files as a git tree holds them: (repo-relative path, bytes).
pub type DirFiles = Vec<(String, Vec<u8>)>;

/// One of a repository's rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFile {
    /// Repo-relative: `.tiergate/rules/annex3/4a.yaml`.
    pub path: String,
    family: Family,
    /// The file name in its family directory (`4a.yaml`, `keywords.yaml`).
    name: String,
    pub text: String,
    /// `sha256:` of the file's bytes.
    pub digest: String,
}

/// A repository's rule files, read but not parsed, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserRules {
    files: Vec<UserFile>,
}

/// The files found under the rules directories, and every problem met.
#[derive(Default)]
struct Found {
    files: Vec<UserFile>,
    diags: Vec<Diagnostic>,
    /// Paths already refused (a refused directory is reported once).
    refused: BTreeSet<String>,
}

impl Found {
    fn refuse(&mut self, path: String, code: &'static str, message: impl Into<String>) {
        if self.refused.insert(path.clone()) {
            self.diags.push(Diagnostic::new(path, 0, 0, code, message));
        }
    }

    fn add(&mut self, path: String, family: Family, name: &str, bytes: &[u8]) {
        if bytes.len() > MAX_RULE_FILE_BYTES {
            self.diags.push(Diagnostic::new(
                path,
                0,
                0,
                "unreadable",
                format!(
                    "the file is {} bytes; rule files are at most {MAX_RULE_FILE_BYTES}",
                    bytes.len()
                ),
            ));
            return;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => self.files.push(UserFile {
                digest: crate::model::sha256_digest(bytes),
                path,
                family,
                name: name.to_string(),
                text: text.to_string(),
            }),
            Err(e) => self.diags.push(Diagnostic::new(
                path,
                0,
                0,
                "unreadable",
                format!("the file is not UTF-8: {e}"),
            )),
        }
    }

    /// A file at `rel` (`/`-separated, inside the rules directory `dir`), when the
    /// layout has a place for it.
    fn place(&mut self, dir: &str, rel: &str) -> Option<(Family, String)> {
        let parts: Vec<&str> = rel.split('/').collect();
        if parts.iter().any(|p| skipped(p)) {
            return None;
        }
        match parts.as_slice() {
            [name] => {
                self.refuse(
                    format!("{dir}/{name}"),
                    "unknown-rule-file",
                    format!("not a rule file; a repository's rules directory holds {FAMILIES}"),
                );
                None
            }
            [family, name] => match Family::of(family) {
                Err((code, message)) => {
                    self.refuse(format!("{dir}/{family}"), code, message);
                    None
                }
                Ok(f) => match f.holds(name) {
                    Ok(()) => Some((f, name.to_string())),
                    Err(message) => {
                        self.refuse(format!("{dir}/{rel}"), "unknown-rule-file", message);
                        None
                    }
                },
            },
            [family, inner, ..] => {
                match Family::of(family) {
                    Err((code, message)) => self.refuse(format!("{dir}/{family}"), code, message),
                    Ok(f) => self.refuse(
                        format!("{dir}/{family}/{inner}"),
                        "unknown-rule-file",
                        format!(
                            "not a rule file; `{}/` holds files, not directories",
                            f.dir()
                        ),
                    ),
                }
                None
            }
            [] => None,
        }
    }

    fn finish(mut self) -> Result<UserRules, Diagnostics> {
        if !self.diags.is_empty() {
            self.diags.sort();
            return Err(Diagnostics(self.diags));
        }
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.files.dedup_by(|a, b| a.path == b.path);
        Ok(UserRules { files: self.files })
    }
}

impl UserRules {
    /// The rule files under `config`'s directories in the repository at `root`. A
    /// missing directory is fine; a file the layout has no place for, a symbolic link
    /// (never followed), or an unreadable file is an error.
    pub fn read(root: &Path, config: &RuleFilesConfig) -> Result<UserRules, Diagnostics> {
        let mut found = Found::default();
        for dir in &config.dirs {
            let abs = root.join(dir);
            match std::fs::symlink_metadata(&abs) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => found.diags.push(Diagnostic::new(
                    dir.as_str(),
                    0,
                    0,
                    "unreadable",
                    format!("cannot read the rules directory: {e}"),
                )),
                Ok(m) if !m.is_dir() => found.diags.push(Diagnostic::new(
                    dir.as_str(),
                    0,
                    0,
                    "unreadable",
                    "the rules directory is not a directory (symbolic links are not followed)",
                )),
                Ok(_) => read_dir(&abs, dir, "", &mut found),
            }
        }
        found.finish()
    }

    /// The rule files given as (rules directory, its files as (repo-relative path,
    /// bytes)): a git tree's, read as [`UserRules::read`] reads a work tree.
    pub fn from_files(dirs: Vec<(String, DirFiles)>) -> Result<UserRules, Diagnostics> {
        let mut found = Found::default();
        for (dir, files) in dirs {
            for (path, bytes) in files {
                let Some(rel) = path
                    .strip_prefix(dir.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                else {
                    continue;
                };
                if let Some((family, name)) = found.place(&dir, rel) {
                    found.add(path.clone(), family, &name, &bytes);
                }
            }
        }
        found.finish()
    }

    /// No rule files: the shipped knowledge alone.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn files(&self) -> &[UserFile] {
        &self.files
    }

    /// `provenance.rules` of a manifest decided with these files: the shipped rules,
    /// then one entry per file with the digest of its bytes, by path.
    pub fn provenance(&self) -> Vec<ConfigProvenance> {
        let mut out = super::provenance();
        out.extend(self.files.iter().map(|f| ConfigProvenance {
            source: f.path.clone(),
            digest: f.digest.clone(),
        }));
        out
    }

    /// What the detectors know with these files: the compiled-in tables when there
    /// are none; else the shipped rules with these added, checked (every problem, at
    /// its file:line:col) and built once per process.
    pub fn load(&self) -> Result<Arc<Loaded>, Diagnostics> {
        static SHIPPED: OnceLock<Arc<Loaded>> = OnceLock::new();
        static BUILT: OnceLock<Mutex<HashMap<String, Arc<Loaded>>>> = OnceLock::new();
        if self.files.is_empty() {
            return Ok(SHIPPED
                .get_or_init(|| {
                    Arc::new(Loaded {
                        knowledge: Knowledge::SHIPPED,
                        sources: BTreeMap::new(),
                    })
                })
                .clone());
        }
        let key: String = self
            .files
            .iter()
            .map(|f| format!("{} {}\n", f.path, f.digest))
            .collect();
        let built = BUILT.get_or_init(Mutex::default);
        if let Some(l) = built.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(l.clone());
        }
        let additions = self.additions()?;
        let credentials = additions.secrets.iter().flat_map(|(path, r)| {
            r.signals
                .iter()
                .map(move |s| (s.id.clone(), format!("{path}:{}", s.line)))
        });
        let sources = additions
            .annex3
            .iter()
            .flat_map(|p| {
                p.signals
                    .iter()
                    .map(|s| (s.id.clone(), format!("{}:{}", p.display, s.line)))
            })
            .chain(credentials)
            .collect();
        let mut catalogue = Catalogue::shipped();
        additions.add_to(&mut catalogue);
        let loaded = Arc::new(Loaded {
            knowledge: super::leak::knowledge(&catalogue),
            sources,
        });
        Ok(built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert(loaded)
            .clone())
    }

    /// The shipped catalogue with these files added: what `tiergate rules test` runs
    /// the examples of.
    pub fn catalogue(&self) -> Result<Catalogue, Diagnostics> {
        let mut catalogue = Catalogue::shipped();
        if !self.files.is_empty() {
            self.additions()?.add_to(&mut catalogue);
        }
        Ok(catalogue)
    }

    /// Every file parsed and checked against the shipped rules.
    fn additions(&self) -> Result<Additions, Diagnostics> {
        let mut diags = Vec::new();
        let mut out = Additions::default();
        for f in &self.files {
            let read = match f.family {
                Family::Annex3 => {
                    super::annex3::parse(&f.path, &f.text).map(|p| out.annex3.push(p))
                }
                Family::Pii => {
                    super::pii::parse_additions(&f.name, &f.path, &f.text).map(|p| out.pii.push(p))
                }
                Family::Secrets => super::secrets::parse_additions(&f.name, &f.path, &f.text)
                    .map(|s| out.secrets.push((f.path.clone(), s))),
            };
            if let Err(mut d) = read {
                diags.append(&mut d);
            }
        }
        check_signals(&out.annex3, &mut diags);
        check_credential_signals(&out.secrets, &mut diags);
        if diags.is_empty() {
            Ok(out)
        } else {
            diags.sort();
            Err(Diagnostics(diags))
        }
    }
}

/// A repository's credential signals have ids of their own.
fn check_credential_signals(added: &[(String, SecretsRules)], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, rules) in added {
        for s in &rules.signals {
            let (line, col) = s.id_pos;
            if crate::detect::secrets::SIGNAL_IDS.contains(&s.id.as_str()) {
                diags.push(Diagnostic::new(
                    path,
                    line,
                    col,
                    "duplicate-id",
                    format!(
                        "signal `{}` is a shipped signal (rules/secrets/formats.yaml); give the repository's signal an id of its own",
                        s.id
                    ),
                ));
            } else if let Some(first) = seen.get(s.id.as_str()) {
                diags.push(Diagnostic::new(
                    path,
                    line,
                    col,
                    "duplicate-id",
                    format!("signal `{}` is also defined at {first}", s.id),
                ));
            } else {
                seen.insert(&s.id, format!("{path}:{}", s.line));
            }
        }
    }
}

/// A repository's signals are for the shipped points and have ids of their own.
fn check_signals(points: &[PointFile], diags: &mut Vec<Diagnostic>) {
    let shipped_ids: BTreeSet<&str> = crate::detect::annex3::DEFS.iter().map(|d| d.id).collect();
    // Where a shipped id is defined, read only to say so.
    let mut shipped_at: Option<BTreeMap<String, String>> = None;
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for p in points {
        if !crate::detect::annex3::POINTS.contains(&p.point.as_str()) {
            diags.push(Diagnostic::new(
                &p.display,
                p.point_line,
                1,
                "unknown-point",
                format!(
                    "point `{}` is not an Annex III point of the shipped legal facts (rules/legal/eu_ai_act.yaml); a repository's rules add signals to the points `1a` ... `8b`",
                    p.point
                ),
            ));
        }
        for s in &p.signals {
            let (line, col) = s.id_pos;
            if shipped_ids.contains(s.id.as_str()) {
                let at = shipped_at.get_or_insert_with(|| {
                    Catalogue::shipped()
                        .annex3
                        .iter()
                        .flat_map(|p| {
                            p.signals
                                .iter()
                                .map(|s| (s.id.clone(), format!("{}:{}", p.display, s.line)))
                        })
                        .collect()
                });
                diags.push(Diagnostic::new(
                    &p.display,
                    line,
                    col,
                    "duplicate-id",
                    format!(
                        "signal `{}` is a shipped signal ({}); give the repository's signal an id of its own",
                        s.id,
                        at.get(&s.id).map_or("rules/annex3/", String::as_str)
                    ),
                ));
            } else if let Some(first) = seen.get(s.id.as_str()) {
                diags.push(Diagnostic::new(
                    &p.display,
                    line,
                    col,
                    "duplicate-id",
                    format!("signal `{}` is also defined at {first}", s.id),
                ));
            } else {
                seen.insert(&s.id, format!("{}:{}", p.display, s.line));
            }
        }
    }
}

/// What a repository's files add, checked.
#[derive(Default)]
struct Additions {
    annex3: Vec<PointFile>,
    pii: Vec<PiiRules>,
    secrets: Vec<(String, SecretsRules)>,
}

impl Additions {
    /// Add to `catalogue` (the shipped one): signals after the shipped ones, words and
    /// terms after the shipped lists (a word already there is not repeated), examples
    /// after the shipped examples.
    fn add_to(self, catalogue: &mut Catalogue) {
        catalogue.annex3.extend(self.annex3);
        if let Some(to) = &mut catalogue.pii {
            for add in self.pii {
                for (group, words) in to.keywords.iter_mut().zip(add.keywords) {
                    extend_new(group, words);
                }
                to.terms.extend(add.terms);
                extend_new(&mut to.affixes, add.affixes);
                for (list, words) in to.context.iter_mut().zip(add.context) {
                    extend_new(list, words);
                }
                for (validator, values) in add.documentation {
                    match to.documentation.iter_mut().find(|(v, _)| *v == validator) {
                        Some((_, listed)) => extend_new(listed, values),
                        None => to.documentation.push((validator, values)),
                    }
                }
                to.examples.extend(add.examples);
            }
        }
        if let Some(to) = &mut catalogue.secrets {
            for (_, add) in self.secrets {
                for (list, words) in to.lists.iter_mut().zip(add.lists) {
                    extend_new(list, words);
                }
                to.signals.extend(add.signals);
                to.examples.extend(add.examples);
            }
        }
    }
}

fn extend_new(list: &mut Vec<String>, more: Vec<String>) {
    for w in more {
        if !list.contains(&w) {
            list.push(w);
        }
    }
}

/// What the detectors know with a repository's rule files.
#[derive(Debug)]
pub struct Loaded {
    pub knowledge: Knowledge,
    /// Where each of the repository's own signals is defined: `annex3.4a.x` →
    /// `.tiergate/rules/annex3/4a.yaml:12` (shipped signals are not listed).
    pub sources: BTreeMap<String, String>,
}

/// The two levels of a rules directory on disk (`root/dir`), each entry placed as
/// [`Found::place`] places a git tree's files.
fn read_dir(abs: &Path, dir: &str, rel: &str, found: &mut Found) {
    let shown = |name: &str| {
        if rel.is_empty() {
            format!("{dir}/{name}")
        } else {
            format!("{dir}/{rel}/{name}")
        }
    };
    let mut entries: Vec<_> = match std::fs::read_dir(abs) {
        Ok(e) => e.filter_map(Result::ok).collect(),
        Err(e) => {
            found.diags.push(Diagnostic::new(
                if rel.is_empty() {
                    dir.to_string()
                } else {
                    format!("{dir}/{rel}")
                },
                0,
                0,
                "unreadable",
                format!("cannot read the directory: {e}"),
            ));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if skipped(&name) {
            continue;
        }
        let inner = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let kind = match entry.file_type() {
            Ok(k) => k,
            Err(e) => {
                found.diags.push(Diagnostic::new(
                    shown(&name),
                    0,
                    0,
                    "unreadable",
                    e.to_string(),
                ));
                continue;
            }
        };
        if kind.is_symlink() {
            found.refuse(
                shown(&name),
                "unreadable",
                "symbolic links to rule files are not followed; copy the file instead",
            );
        } else if kind.is_dir() && rel.is_empty() {
            match Family::of(&name) {
                Ok(_) => read_dir(&entry.path(), dir, &inner, found),
                Err((code, message)) => found.refuse(shown(&name), code, message),
            }
        } else if kind.is_dir() {
            // Deeper directories have no place: reported, not walked.
            let _ = found.place(dir, &format!("{inner}/x"));
        } else if let Some((family, file)) = found.place(dir, &inner) {
            match std::fs::read(entry.path()) {
                Ok(bytes) => found.add(shown(&name), family, &file, &bytes),
                Err(e) => found.diags.push(Diagnostic::new(
                    shown(&name),
                    0,
                    0,
                    "unreadable",
                    format!("cannot read the file: {e}"),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(yaml: &str) -> (RuleFilesConfig, Vec<Diagnostic>) {
        let root = crate::schema::yaml::parse(yaml, "t.yaml").unwrap().unwrap();
        let mut cx = Ctx {
            file: "t.yaml",
            diags: Vec::new(),
        };
        let out = parse_section(&mut cx, &root);
        (out, cx.diags)
    }

    #[test]
    fn the_section_reads_directories_inside_the_repository() {
        let (c, d) = section("dirs: [./rules/, rules, more/rules]");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.dirs, vec!["rules", "more/rules"]);
        let (c, d) = section("dirs: [/etc/rules, ../x, rules]");
        assert_eq!(c.dirs, vec!["rules"]);
        let at: Vec<_> = d.iter().map(|d| (d.line, d.col, d.code)).collect();
        assert_eq!(
            at,
            vec![(1, 8, "invalid-value"), (1, 20, "invalid-value")],
            "{d:?}"
        );
        let (_, d) = section("dir: [x]");
        assert_eq!(d[0].code, "unknown-key");
        assert_eq!(RuleFilesConfig::default().dirs, vec![DEFAULT_DIR]);
        assert!(RuleFilesConfig::default().governs(".tiergate/rules/annex3/1a.yaml"));
        assert!(!RuleFilesConfig::default().governs(".tiergate/rulesx/a.yaml"));
        assert!(!RuleFilesConfig::default().governs(".tiergate/rules/README.md"));
    }

    fn files(list: &[(&str, &str)]) -> Result<UserRules, Diagnostics> {
        UserRules::from_files(vec![(
            "r".to_string(),
            list.iter()
                .map(|(p, t)| (format!("r/{p}"), t.as_bytes().to_vec()))
                .collect(),
        )])
    }

    const SIGNAL: &str = "point: 4a\nsignals:\n  - id: annex3.4a.applicant_tracker_import\n    strength: strong\n    import: [py:applicant_tracker]\n    examples:\n      match: [{path: a.py, text: \"import applicant_tracker\\n\"}]\n      no_match: [{path: a.py, text: \"# applicant_tracker\\n\"}]\n";

    #[test]
    fn the_layout_is_the_shipped_one_without_legal_facts_media_and_zones() {
        let ok = files(&[
            ("annex3/4a.yaml", SIGNAL),
            ("README.md", "x"),
            (".keep", ""),
            ("pii/keywords.yaml", "groups: {card: [carte]}\n"),
        ])
        .unwrap();
        let paths: Vec<_> = ok.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["r/annex3/4a.yaml", "r/pii/keywords.yaml"]);
        let err = files(&[
            ("legal/eu_ai_act.yaml", "x"),
            ("legal/other.yaml", "x"),
            ("zones/builtin.yaml", "x"),
            ("media/media.yaml", "x"),
            ("pii/other.yaml", "x"),
            ("annex3/deep/4a.yaml", "x"),
            ("top.yaml", "x"),
            ("annex3/4a.yml", "x"),
        ])
        .unwrap_err();
        let got: Vec<_> = err.0.iter().map(|d| (d.file.as_str(), d.code)).collect();
        assert_eq!(
            got,
            vec![
                ("r/annex3/4a.yml", "unknown-rule-file"),
                ("r/annex3/deep", "unknown-rule-file"),
                ("r/legal", "not-extensible"),
                ("r/media", "not-extensible"),
                ("r/pii/other.yaml", "unknown-rule-file"),
                ("r/top.yaml", "unknown-rule-file"),
                ("r/zones", "not-extensible"),
            ]
        );
        assert!(err.0[6].message.contains("tiergate.yaml"), "{}", err.0[6]);
        assert!(err.0[3].message.contains("media"), "{}", err.0[3]);
    }

    #[test]
    fn provenance_names_each_file_with_the_digest_of_its_bytes() {
        let none = UserRules::default();
        assert_eq!(none.provenance(), super::super::provenance());
        let r = files(&[
            ("pii/keywords.yaml", "groups: {card: [carte]}\n"),
            ("annex3/4a.yaml", SIGNAL),
        ])
        .unwrap();
        let p = r.provenance();
        assert_eq!(p[0].source, super::super::SHIPPED_SOURCE);
        assert_eq!(p[1].source, "r/annex3/4a.yaml");
        assert_eq!(p[1].digest, crate::model::sha256_digest(SIGNAL.as_bytes()));
        assert_eq!(p[2].source, "r/pii/keywords.yaml");
    }

    #[test]
    fn no_files_is_the_compiled_in_knowledge() {
        let l = UserRules::default().load().unwrap();
        let ids =
            |defs: &[crate::detect::annex3::Def]| defs.iter().map(|d| d.id).collect::<Vec<_>>();
        assert_eq!(ids(l.knowledge.annex3), ids(crate::detect::annex3::DEFS));
        assert!(l.sources.is_empty());
    }

    #[test]
    fn a_repository_s_signal_is_added_and_its_source_known() {
        let r = files(&[("annex3/4a.yaml", SIGNAL)]).unwrap();
        let l = r.load().unwrap();
        assert_eq!(
            l.knowledge.annex3.len(),
            crate::detect::annex3::DEFS.len() + 1
        );
        assert_eq!(
            l.sources["annex3.4a.applicant_tracker_import"],
            "r/annex3/4a.yaml:3"
        );
        // Built once per process and set of files.
        assert!(Arc::ptr_eq(&l, &r.load().unwrap()));
        let report = super::super::examples::run(&r.catalogue().unwrap());
        assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
    }

    #[test]
    fn a_shipped_id_an_unknown_point_and_a_repeated_id_are_located() {
        let shipped = crate::detect::annex3::DEFS
            .iter()
            .find(|d| d.point() == "4a")
            .unwrap()
            .id;
        let collide = SIGNAL.replace("annex3.4a.applicant_tracker_import", shipped);
        let unknown = SIGNAL.replace("4a", "8c");
        let err = files(&[
            ("annex3/4a.yaml", &collide),
            ("annex3/4b.yaml", SIGNAL),
            ("annex3/4c.yaml", SIGNAL),
            ("annex3/8c.yaml", &unknown),
        ])
        .unwrap()
        .load()
        .unwrap_err();
        let got: Vec<_> = err
            .0
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.col, d.code))
            .collect();
        assert!(
            got.contains(&("r/annex3/4a.yaml", 3, 9, "duplicate-id")),
            "{err}"
        );
        assert!(err.0[0].message.contains("rules/annex3/4a.yaml:"), "{err}");
        assert!(
            got.contains(&("r/annex3/8c.yaml", 1, 1, "unknown-point")),
            "{err}"
        );
        // The same signal in two files.
        assert!(
            got.contains(&("r/annex3/4c.yaml", 3, 9, "duplicate-id")),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("also defined at r/annex3/4b.yaml:3"),
            "{err}"
        );
        assert_eq!(err.0.len(), 3, "{err}");
    }

    #[test]
    fn a_repository_s_special_category_term_gives_its_signal_with_examples() {
        let special = "terms:\n  - {words: [caste], signal: special.ethnicity, mode: exact}\nexamples:\n  special.ethnicity:\n    match:\n      - {path: people.csv, text: \"id,caste\\n1,x\\n\"}\n    no_match:\n      - {path: people.csv, text: \"id,castle\\n1,x\\n\"}\n";
        let r = files(&[("pii/special.yaml", special)]).unwrap();
        let c = r.catalogue().unwrap();
        let report = super::super::examples::run(&c);
        assert!(report.ok(), "{:?}", report.failures().collect::<Vec<_>>());
        // The repository's examples are run, and counted with the shipped ones.
        assert!(
            report
                .outcomes
                .iter()
                .any(|o| o.file == "r/pii/special.yaml")
        );
        assert_eq!(
            report.signals,
            Catalogue::shipped().signals().count()
                + crate::detect::pii::SIGNAL_IDS.len()
                + crate::detect::secrets::SIGNAL_IDS.len()
                + crate::detect::media::SIGNAL_IDS.len()
        );
        // Without the term, its `match` example fails.
        let mut bare = c.clone();
        bare.pii.as_mut().unwrap().terms.pop();
        let report = super::super::examples::run(&bare);
        let failed: Vec<_> = report
            .failures()
            .map(|o| (o.file.as_str(), o.line))
            .collect();
        assert_eq!(failed, vec![("r/pii/special.yaml", 6)]);
    }

    #[test]
    fn documentation_values_add_to_the_validator_s_list_and_formats_are_refused() {
        let ok = files(&[(
            "pii/documentation.yaml",
            "values:\n  payment_card: [\"4532015112830366\", \"4111111111111111\"]\n  luhn: [\"79927398713\"]\n",
        )])
        .unwrap();
        let c = ok.catalogue().unwrap();
        let doc = &c.pii.as_ref().unwrap().documentation;
        let cards = &doc.iter().find(|(v, _)| v == "payment_card").unwrap().1;
        assert_eq!(cards.iter().filter(|v| *v == "4111111111111111").count(), 1);
        assert_eq!(cards.last().unwrap(), "4532015112830366");
        let luhn = ("luhn".to_string(), vec!["79927398713".to_string()]);
        assert_eq!(doc.last().unwrap(), &luhn);
        let err = files(&[("pii/documentation.yaml", "values:\n  iban: [\"DE00\"]\n")])
            .unwrap()
            .catalogue()
            .unwrap_err();
        assert_eq!(err.0[0].code, "invalid-value", "{err}");
        // The national identifier formats are not a repository's to change.
        let err = files(&[("pii/national_ids.yaml", "formats: []\n")])
            .unwrap()
            .catalogue()
            .unwrap_err();
        assert_eq!(err.0[0].code, "not-extensible", "{err}");
    }

    #[test]
    fn additions_need_no_key_but_unknown_groups_and_signals_are_errors() {
        let ok = files(&[
            ("pii/keywords.yaml", "groups:\n  card: [carte bleue]\n"),
            (
                "secrets/context.yaml",
                "placeholder_values: [acme-dev-password]\n",
            ),
            ("pii/context.yaml", "sql_types: [citext]\n"),
        ])
        .unwrap();
        let c = ok.catalogue().unwrap();
        let pii = c.pii.as_ref().unwrap();
        assert_eq!(pii.keywords[0].last().unwrap(), "carte bleue");
        assert_eq!(pii.context[0].last().unwrap(), "citext");
        let s = c.secrets.as_ref().unwrap();
        assert_eq!(s.lists[2].last().unwrap(), "acme-dev-password");
        let err = files(&[
            ("secrets/context.yaml", "placeholder_values: [ok, NotOk]\n"),
            ("pii/keywords.yaml", "groups:\n  cards: [carte]\n"),
            (
                "pii/special.yaml",
                "terms:\n  - {words: [caste], signal: special.ethnicity, mode: exact}\n",
            ),
        ])
        .unwrap()
        .catalogue()
        .unwrap_err();
        let got: Vec<_> = err
            .0
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.col, d.code))
            .collect();
        assert_eq!(
            got,
            vec![
                ("r/pii/keywords.yaml", 2, 3, "unknown-key"),
                ("r/pii/special.yaml", 1, 1, "missing-key"),
                ("r/secrets/context.yaml", 1, 26, "invalid-value"),
            ],
            "{err}"
        );
    }
}
