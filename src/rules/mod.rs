//! Detector knowledge as data: the rule files under `rules/`.
//!
//! What the detectors look for (the Annex III signals: their patterns, strength and
//! kind) is kept in YAML files that reviewers can read and diff, each signal with
//! examples of text it must and must not match. Algorithms stay in Rust
//! ([`crate::detect`]); the files only name what they apply to.
//!
//! - Shipped files are embedded in the binary by `build.rs` ([`shipped`]), and one
//!   digest over the tables generated from them ([`SHIPPED_DIGEST`]) is recorded in
//!   every manifest's provenance: a changed keyword changes the manifest's header, an
//!   edited example or comment does not.
//! - The scan does not parse YAML: [`codegen`] turns the files into the static tables
//!   the detectors compile in (`src/detect/annex3/catalogue.rs`), and `tests/rules.rs`
//!   fails when the checked-in tables differ from what the files give.
//! - `tiergate rules test [DIR]` ([`examples`]) runs every example through the real
//!   detector engine built from the files themselves, so an edited file is tested
//!   without a rebuild.
//!
//! - A repository adds its own rule files on top of the shipped ones ([`user`]): read
//!   from the repository (or the judging side's git tree), recorded file by file in
//!   the manifest's provenance, and turned into the detectors' tables at run time
//!   ([`leak`]) only when there are any.
//!
//! Layout of a rules directory: `annex3/<point>.yaml`, one file per Annex III point
//! (see [`annex3`]), `pii/*.yaml` (see [`pii`]) and
//! `secrets/{context,formats}.yaml` (see [`secrets`]), `media/media.yaml` (see
//! [`media`]), `legal/eu_ai_act.yaml` (see
//! [`legal`]) and `zones/builtin.yaml` (see [`zones`]); `rules/README.md` documents them.

pub mod annex3;
pub mod codegen;
pub mod examples;
mod leak;
pub mod legal;
pub mod media;
pub mod pii;
mod read;
pub mod secrets;
pub mod user;
pub mod zones;

/// The families laid out as fixed file names (`pii/`, `secrets/`), with their files.
const FIXED_FAMILIES: &[(&str, &[&str])] = &[
    ("legal", legal::FILES),
    ("media", media::FILES),
    ("pii", pii::FILES),
    ("secrets", secrets::FILES),
    ("zones", zones::FILES),
];

fn fixed_files(family: &str) -> Option<&'static [&'static str]> {
    FIXED_FAMILIES
        .iter()
        .find(|(f, _)| *f == family)
        .map(|(_, files)| *files)
}
use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::schema;

/// One rule file: where it comes from (as shown in messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFile {
    /// `rules/annex3/1a.yaml` for a shipped file, the path given for others.
    pub display: String,
    pub text: String,
}

include!(concat!(env!("OUT_DIR"), "/shipped_rules.rs"));

/// The rule files this build carries, sorted by path.
pub fn shipped() -> Vec<RuleFile> {
    SHIPPED_RULES
        .iter()
        .map(|(display, text)| RuleFile {
            display: (*display).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// Where `provenance.rules` of a manifest names the shipped rule files.
pub const SHIPPED_SOURCE: &str = "shipped:rules";

/// The shipped rule files as a manifest's provenance records them: one digest over
/// the set. A repository's own files follow, one entry each
/// ([`user::UserRules::provenance`]).
pub fn provenance() -> Vec<crate::manifest::ConfigProvenance> {
    vec![crate::manifest::ConfigProvenance {
        source: SHIPPED_SOURCE.to_string(),
        digest: SHIPPED_DIGEST.to_string(),
    }]
}

/// The knowledge of a set of rule files, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// The Annex III points, in the order of their keys (`1a` … `8b`).
    pub annex3: Vec<annex3::PointFile>,
    /// The personal-data family's rules, when the directory has them.
    pub pii: Option<pii::PiiRules>,
    /// The credential family's rules, when the directory has them.
    pub secrets: Option<secrets::SecretsRules>,
    /// The legal facts, when the directory has them.
    pub legal: Option<legal::LegalRules>,
    /// The built-in zones, when the directory has them.
    pub zones: Option<zones::ZoneRules>,
    /// The media family's rules, when the directory has them.
    pub media: Option<media::MediaRules>,
}

impl Catalogue {
    /// The shipped rules. They are tested at build time, so a failure here is a bug.
    pub fn shipped() -> Catalogue {
        parse(&shipped()).expect("the shipped rule files are valid (tests/rules.rs)")
    }

    /// Every signal, in catalogue order.
    pub fn signals(&self) -> impl Iterator<Item = &annex3::SignalRule> {
        self.annex3.iter().flat_map(|p| p.signals.iter())
    }
}

/// Rule files are small; a larger one is a mistake.
const MAX_RULE_FILE_BYTES: usize = 1 << 20;

/// The rule files under `dir`: `annex3/*.yaml` and `pii/*.yaml`, sorted by path, each
/// shown as `shown`
/// joined with its path under `dir` (the directory as the user gave it). Anything else
/// there is reported, so a misplaced file is not silently ignored.
pub fn load_dir(dir: &Path, shown: &Path) -> Result<Vec<RuleFile>, Diagnostics> {
    let display_of = |p: &Path| {
        let rel = p.strip_prefix(dir).unwrap_or(p);
        shown.join(rel).display().to_string()
    };
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            display_of(dir),
            0,
            0,
            "unreadable",
            format!("cannot read the rules directory: {e}"),
        )])
    })?;
    let mut top: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    top.sort();
    for path in top {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') || name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        let fixed = fixed_files(name);
        if !(path.is_dir() && (name == "annex3" || fixed.is_some())) {
            diags.push(Diagnostic::new(
                display_of(&path),
                0,
                0,
                "unknown-rule-file",
                "not a rule family directory; a rules directory holds `annex3/`, `legal/`, `media/`, `pii/`, `secrets/` and `zones/`",
            ));
            continue;
        }
        let mut inner: Vec<_> = match std::fs::read_dir(&path) {
            Ok(e) => e.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                diags.push(Diagnostic::new(
                    display_of(&path),
                    0,
                    0,
                    "unreadable",
                    format!("cannot read the directory: {e}"),
                ));
                continue;
            }
        };
        inner.sort();
        for file in inner {
            let display = display_of(&file);
            let file_name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let known = match fixed {
                Some(names) => names.contains(&file_name),
                None => file.extension().and_then(|e| e.to_str()) == Some("yaml"),
            };
            if !known || !file.is_file() {
                let message = match fixed {
                    Some(names) => {
                        format!("not a rule file; `{name}/` holds {}", schema::ticked(names))
                    }
                    None => "not a rule file; rule files are `*.yaml`".to_string(),
                };
                diags.push(Diagnostic::new(
                    &display,
                    0,
                    0,
                    "unknown-rule-file",
                    message,
                ));
                continue;
            }
            match read_text(&file) {
                Ok(text) => files.push(RuleFile { display, text }),
                Err(message) => diags.push(Diagnostic::new(&display, 0, 0, "unreadable", message)),
            }
        }
    }
    if diags.is_empty() {
        Ok(files)
    } else {
        Err(Diagnostics(diags))
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() > MAX_RULE_FILE_BYTES {
        return Err(format!(
            "the file is {} bytes; rule files are at most {MAX_RULE_FILE_BYTES}",
            bytes.len()
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("the file is not UTF-8: {e}"))
}

/// Check every file: every problem of every file, located.
pub fn parse(files: &[RuleFile]) -> Result<Catalogue, Diagnostics> {
    let mut diags = Vec::new();
    let mut points = Vec::new();
    // The fixed-layout families' files, by family.
    let mut fixed: BTreeMap<&str, Vec<&RuleFile>> = BTreeMap::new();
    for file in files {
        let mut parts = file.display.rsplit(['/', '\\']);
        let (name, family) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if fixed_files(family).is_some_and(|names| names.contains(&name)) {
            fixed.entry(family).or_default().push(file);
            continue;
        }
        match annex3::parse(&file.display, &file.text) {
            Ok(p) => points.push(p),
            Err(mut d) => diags.append(&mut d),
        }
    }
    let pii = family(&fixed, "pii", &mut diags, |f| pii::parse(whole(f)));
    let legal = family(&fixed, "legal", &mut diags, |f| legal::parse(whole(f)));
    let zones = family(&fixed, "zones", &mut diags, |f| zones::parse(whole(f)));
    let secrets = family(&fixed, "secrets", &mut diags, |f| secrets::parse(whole(f)));
    let media = family(&fixed, "media", &mut diags, |f| media::parse(whole(f)));
    points.sort_by(|a: &annex3::PointFile, b| a.point.cmp(&b.point));
    for pair in points.windows(2) {
        if pair[0].point == pair[1].point {
            diags.push(Diagnostic::new(
                &pair[1].display,
                pair[1].point_line,
                1,
                "duplicate-id",
                format!(
                    "point `{}` is also described by {}",
                    pair[1].point, pair[0].display
                ),
            ));
        }
    }
    // The Annex III points the signals are for are the points the legal facts describe.
    if let Some(l) = &legal
        && !points.is_empty()
    {
        for p in &points {
            if p.point != annex3::AI_SYSTEM && !l.points.contains_key(&p.point) {
                diags.push(Diagnostic::new(
                    &p.display,
                    p.point_line,
                    1,
                    "unknown-point",
                    format!(
                        "point `{}` is not described in the legal facts (legal/eu_ai_act.yaml)",
                        p.point
                    ),
                ));
            }
        }
        for (key, (file, line)) in &l.point_lines {
            if !points.iter().any(|p| &p.point == key) {
                diags.push(Diagnostic::new(
                    file,
                    *line,
                    1,
                    "unknown-point",
                    format!("point `{key}` has no signals (no annex3/{key}.yaml)"),
                ));
            }
        }
    }
    let mut seen: Vec<(&str, &str, u64)> = Vec::new();
    for p in &points {
        for s in &p.signals {
            if let Some((_, file, line)) = seen.iter().find(|(id, _, _)| *id == s.id) {
                diags.push(Diagnostic::new(
                    &p.display,
                    s.line,
                    1,
                    "duplicate-id",
                    format!("signal `{}` is also defined at {file}:{line}", s.id),
                ));
            } else {
                seen.push((&s.id, &p.display, s.line));
            }
        }
    }
    if diags.is_empty() {
        Ok(Catalogue {
            annex3: points,
            pii,
            secrets,
            legal,
            zones,
            media,
        })
    } else {
        diags.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        Err(Diagnostics(diags))
    }
}

/// A fixed-layout family read by `parse` from its files, when the directory has it;
/// its problems (a missing file included) go to `diags`.
fn family<'f, T>(
    fixed: &BTreeMap<&str, Vec<&'f RuleFile>>,
    name: &str,
    diags: &mut Vec<Diagnostic>,
    parse: impl FnOnce(Vec<(&'f str, &'f str)>) -> Result<T, Vec<Diagnostic>>,
) -> Option<T> {
    let names = fixed_files(name)?;
    let files = family_files(fixed.get(name)?, names, diags)?;
    parse(files).map_err(|mut d| diags.append(&mut d)).ok()
}

/// A family's files as its reader takes them: [`family_files`] gives one per name.
fn whole<'f, const N: usize>(files: Vec<(&'f str, &'f str)>) -> [(&'f str, &'f str); N] {
    files
        .try_into()
        .unwrap_or_else(|f: Vec<_>| panic!("a family of {N} files was given {}", f.len()))
}

/// A fixed-layout family's files as (display, text) in the order of `names`: all of
/// them, or none (each missing one reported).
fn family_files<'f>(
    files: &[&'f RuleFile],
    names: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<(&'f str, &'f str)>> {
    let first = files.first()?;
    let dir = first
        .display
        .rsplit_once(['/', '\\'])
        .map_or("", |(d, _)| d)
        .to_string();
    let find = |name: &str| {
        files
            .iter()
            .find(|f| f.display.rsplit(['/', '\\']).next() == Some(name))
    };
    let found: Vec<_> = names.iter().map(|n| find(n)).collect();
    if found.iter().any(Option::is_none) {
        for (name, f) in names.iter().zip(&found) {
            if f.is_none() {
                diags.push(read::missing(&dir, name));
            }
        }
        return None;
    }
    Some(
        found
            .into_iter()
            .flatten()
            .map(|f| (f.display.as_str(), f.text.as_str()))
            .collect(),
    )
}
