//! The organisation inventory behind `tiergate merge`: each repository's manifest is
//! reduced, as it is read, to its tier counts, Annex III flags, staleness and the
//! exceptions that are due; the reductions are then combined into one document with
//! totals. Pure: data in, data out — no files, no clock, no printing (the application
//! layer reads the manifests and a renderer writes the document).
//! Must not import walk, decide, app or render.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::{Generator, MANIFEST_FILE_NAME, ManifestView, TierCount};
use crate::model::{Date, RESTRICTED, TierId};

/// Version of the inventory document. Bump on any change to its shape.
pub const SCHEMA_VERSION: u32 = 1;

/// Characters of `provenance.commit` kept in the inventory.
const SHORT_COMMIT: usize = 12;

/// What this build would write into a manifest; a manifest that differs is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// This tiergate's version: the inventory's `generator.version`.
    pub version: String,
    /// `provenance.decisions`.
    pub decisions: BTreeMap<String, u32>,
    /// `provenance.rego_input_version`.
    pub rego_input_version: u32,
    /// Shipped packs: `shipped:policies/<name>.rego` → `sha256:` digest.
    pub shipped: BTreeMap<String, String>,
    /// `provenance.rules`: source → `sha256:` digest.
    pub rules: BTreeMap<String, String>,
}

impl Build {
    /// This tiergate.
    pub fn current() -> Build {
        Build {
            version: env!("CARGO_PKG_VERSION").to_string(),
            decisions: crate::decide::decision_versions(),
            rego_input_version: crate::policy::INPUT_VERSION,
            shipped: crate::policy::shipped_pack_digests().into_iter().collect(),
            rules: crate::rules::provenance()
                .into_iter()
                .map(|r| (r.source, r.digest))
                .collect(),
        }
    }
}

/// The day exceptions are judged on, and how far ahead "expiring" looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judging {
    pub today: Date,
    pub within_days: u32,
}

/// The whole inventory, as `merge --format json` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inventory {
    pub schema_version: u32,
    pub generator: Generator,
    /// `YYYY-MM-DD` the exceptions were judged on.
    pub judged_on: String,
    /// Exceptions expiring within this many days are listed.
    pub within_days: u32,
    pub totals: Totals,
    /// Sorted by name.
    pub repositories: Vec<Repository>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub repositories: u64,
    pub files: u64,
    /// Files of tier 1.
    pub restricted_files: u64,
    /// Every tier id any repository defines, most sensitive first; the name is the one
    /// of the first repository (by name) that defines the id.
    pub by_tier: Vec<TierCount>,
    /// Per Annex III point and status, sorted.
    pub annex_iii: Vec<AnnexTotal>,
    /// Repositories with any Annex III flag.
    pub annex_iii_repositories: Vec<String>,
    pub stale_repositories: Vec<String>,
    pub expired_exceptions: u64,
    pub expiring_exceptions: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnexTotal {
    pub point: String,
    pub status: String,
    pub files: u64,
    pub repositories: Vec<String>,
}

/// One input manifest, reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repository {
    /// Unique within the inventory (see [`repository_name`] and [`unique_names`]).
    pub name: String,
    /// Why the name is not the one the path gives, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_note: Option<String>,
    /// The manifest's path, as given.
    pub source: String,
    /// `provenance.commit`, shortened.
    pub commit: Option<String>,
    pub generator_version: String,
    pub files: u64,
    pub restricted_files: u64,
    /// Every tier the manifest defines, most sensitive first.
    pub by_tier: Vec<TierCount>,
    /// Files per Annex III point and status (a file counts once per pair).
    pub annex_iii: Vec<AnnexCount>,
    /// Empty when this build would have written the same kind of manifest.
    pub stale: Vec<Stale>,
    /// Exceptions already expired or expiring within `within_days`, soonest first.
    pub exceptions: Vec<DueException>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AnnexCount {
    pub point: String,
    pub status: String,
    pub files: u64,
}

/// Why a manifest is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// `decision-versions`, `rego-input-version` or `shipped-policy`.
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueException {
    pub id: String,
    pub state: ExceptionState,
    /// The first day it no longer applies.
    pub expires: String,
    /// From the judging day to `expires`: 0 or less when expired.
    pub days_left: i64,
    pub tier: TierId,
    pub approver: String,
    pub reason: String,
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionState {
    /// The judging day is on or after `expires`.
    Expired,
    /// It expires within `within_days`.
    Expiring,
}

impl ExceptionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionState::Expired => "expired",
            ExceptionState::Expiring => "expiring",
        }
    }
}

/// The name a manifest's path gives its repository: the parent directory's name for a
/// file called `tiergate.manifest.json` (a checkout, or an artifact directory), else
/// the file name without `.manifest.json` or `.json` (`payments.manifest.json`,
/// `payments.json` → `payments`). Give it a canonical path, so that
/// `./tiergate.manifest.json` names the current directory.
pub fn repository_name(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = if file == MANIFEST_FILE_NAME {
        path.parent().and_then(Path::file_name).map_or_else(
            || "tiergate".to_string(),
            |d| d.to_string_lossy().into_owned(),
        )
    } else if let Some(stem) = file.strip_suffix(".manifest.json") {
        stem.to_string()
    } else if let Some(stem) = file.strip_suffix(".json") {
        stem.to_string()
    } else {
        file
    };
    if name.is_empty() {
        "repository".to_string()
    } else {
        name
    }
}

/// Make names unique, whatever the order of the inputs: inputs `(name, source)` sharing
/// a name are ordered by source; the first keeps the name, the next get `~2`, `~3` ...
/// (skipping names already taken) and a note saying so. Returns, per input in the given
/// order, the name and the note.
pub fn unique_names(inputs: &[(String, String)]) -> Vec<(String, Option<String>)> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by(|&a, &b| inputs[a].cmp(&inputs[b]));
    let mut taken: BTreeSet<String> = inputs.iter().map(|(n, _)| n.clone()).collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut out = vec![(String::new(), None); inputs.len()];
    for i in order {
        let (name, source) = &inputs[i];
        if seen.insert(name) {
            out[i] = (name.clone(), None);
            continue;
        }
        let mut n = 2;
        let unique = loop {
            let candidate = format!("{name}~{n}");
            if taken.insert(candidate.clone()) {
                break candidate;
            }
            n += 1;
        };
        let note = format!("`{source}` is also named `{name}` by its path; listed as `{unique}`");
        out[i] = (unique, Some(note));
    }
    out
}

/// Reduce one manifest to its repository record, reading its entries one at a time.
/// `name` and `note` come from [`unique_names`]; `source` names the file in diagnostics.
/// A manifest whose summary disagrees with its entries, whose entries carry an
/// undefined tier, or whose exception dates are not dates is refused (fail closed).
pub fn reduce(
    view: &ManifestView,
    source: &str,
    (name, note): (String, Option<String>),
    build: &Build,
    judging: Judging,
) -> Result<Repository, Diagnostics> {
    let h = &view.header;
    let defined: BTreeSet<TierId> = h.tiers.iter().map(|t| t.id).collect();
    let mut counts: BTreeMap<TierId, u64> = BTreeMap::new();
    let mut annex: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut files = 0u64;
    for entry in view.files() {
        let (path, e) = entry?;
        if !defined.contains(&e.tier) {
            return Err(invalid(
                source,
                format!(
                    "`{path}` has tier {}, which the manifest does not define",
                    e.tier
                ),
            ));
        }
        files += 1;
        *counts.entry(e.tier).or_default() += 1;
        let pairs: BTreeSet<(&str, &str)> = e
            .annex_iii
            .iter()
            .map(|f| (f.point.as_str(), f.status.as_str()))
            .collect();
        for (point, status) in pairs {
            *annex
                .entry((point.to_string(), status.to_string()))
                .or_default() += 1;
        }
    }
    check_summary(view, source, files, &counts)?;
    let by_tier = h
        .tiers
        .iter()
        .map(|t| TierCount {
            tier: t.id,
            name: t.name.clone(),
            files: counts.get(&t.id).copied().unwrap_or(0),
        })
        .collect();
    Ok(Repository {
        name,
        name_note: note,
        source: source.to_string(),
        commit: h
            .provenance
            .commit
            .as_ref()
            .map(|c| c.chars().take(SHORT_COMMIT).collect()),
        generator_version: h.generator.version.clone(),
        files,
        restricted_files: counts.get(&RESTRICTED).copied().unwrap_or(0),
        by_tier,
        annex_iii: annex
            .into_iter()
            .map(|((point, status), files)| AnnexCount {
                point,
                status,
                files,
            })
            .collect(),
        stale: stale(view, build),
        exceptions: due_exceptions(view, source, judging)?,
    })
}

fn invalid(source: &str, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(
        source,
        0,
        0,
        "manifest-invalid",
        message,
    )])
}

/// The summary is what a reader sees first; a manifest whose summary says something its
/// entries do not was edited or damaged, so its counts cannot be trusted.
fn check_summary(
    view: &ManifestView,
    source: &str,
    files: u64,
    counts: &BTreeMap<TierId, u64>,
) -> Result<(), Diagnostics> {
    let s = &view.header.summary;
    let said: BTreeMap<TierId, u64> = s
        .by_tier
        .iter()
        .filter(|t| t.files > 0)
        .map(|t| (t.tier, t.files))
        .collect();
    if s.files != files || &said != counts {
        return Err(invalid(
            source,
            format!(
                "the summary ({} files, by tier {said:?}) disagrees with the entries ({files} files, by tier {counts:?}); rescan",
                s.files
            ),
        ));
    }
    Ok(())
}

fn stale(view: &ManifestView, build: &Build) -> Vec<Stale> {
    let h = &view.header;
    let mut out = Vec::new();
    if h.provenance.decisions != build.decisions {
        let show = |d: &BTreeMap<String, u32>| {
            d.iter()
                .map(|(step, v)| format!("{step} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let recorded = if h.provenance.decisions.is_empty() {
            format!(
                "written by tiergate {} without the versions of its decision steps",
                h.generator.version
            )
        } else {
            format!(
                "decided by tiergate {} with steps {}",
                h.generator.version,
                show(&h.provenance.decisions)
            )
        };
        out.push(Stale {
            code: "decision-versions",
            message: format!("{recorded}; this tiergate runs {}", show(&build.decisions)),
        });
    }
    if h.provenance.rego_input_version != build.rego_input_version {
        out.push(Stale {
            code: "rego-input-version",
            message: format!(
                "policies saw Rego input version {}; this build feeds version {}",
                h.provenance.rego_input_version, build.rego_input_version
            ),
        });
    }
    // A repository's own rule files are its business, like its own policies: only
    // the shipped rules say whether this build would decide alike.
    let recorded: BTreeMap<String, String> = h
        .provenance
        .rules
        .iter()
        .filter(|r| r.source.starts_with("shipped:"))
        .map(|r| (r.source.clone(), r.digest.clone()))
        .collect();
    if recorded != build.rules {
        let show = |m: &BTreeMap<String, String>| {
            if m.is_empty() {
                "none".to_string()
            } else {
                m.iter()
                    .map(|(s, d)| format!("{s} {d}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        out.push(Stale {
            code: "shipped-rules",
            message: format!(
                "decided with rule files {}; this build carries {}",
                show(&recorded),
                show(&build.rules)
            ),
        });
    }
    for p in &h.provenance.policies {
        if !p.source.starts_with("shipped:") {
            continue;
        }
        let message = match build.shipped.get(&p.source) {
            Some(d) if *d == p.digest => continue,
            Some(d) => format!("{} is {}; this build ships {d}", p.source, p.digest),
            None => format!("{} is not shipped by this build", p.source),
        };
        out.push(Stale {
            code: "shipped-policy",
            message,
        });
    }
    out
}

fn due_exceptions(
    view: &ManifestView,
    source: &str,
    judging: Judging,
) -> Result<Vec<DueException>, Diagnostics> {
    let mut out = Vec::new();
    for x in &view.header.exceptions {
        let Some(expires) = Date::parse(&x.expires) else {
            return Err(invalid(
                source,
                format!(
                    "exception `{}` expires on `{}`, which is not a date",
                    x.id, x.expires
                ),
            ));
        };
        let days_left = judging.today.days_until(expires);
        let state = if days_left <= 0 {
            ExceptionState::Expired
        } else if days_left <= i64::from(judging.within_days) {
            ExceptionState::Expiring
        } else {
            continue;
        };
        out.push(DueException {
            id: x.id.clone(),
            state,
            expires: x.expires.clone(),
            days_left,
            tier: x.tier,
            approver: x.approver.clone(),
            reason: x.reason.clone(),
            paths: x.paths.clone(),
        });
    }
    out.sort_by(|a, b| (a.days_left, &a.id).cmp(&(b.days_left, &b.id)));
    Ok(out)
}

/// Combine reduced repositories (any order) into the inventory.
pub fn inventory(mut repositories: Vec<Repository>, build: &Build, judging: Judging) -> Inventory {
    repositories.sort_by(|a, b| a.name.cmp(&b.name));
    let mut by_tier: BTreeMap<TierId, TierCount> = BTreeMap::new();
    let mut annex: BTreeMap<(String, String), AnnexTotal> = BTreeMap::new();
    let mut totals = Totals {
        repositories: repositories.len() as u64,
        files: 0,
        restricted_files: 0,
        by_tier: Vec::new(),
        annex_iii: Vec::new(),
        annex_iii_repositories: Vec::new(),
        stale_repositories: Vec::new(),
        expired_exceptions: 0,
        expiring_exceptions: 0,
    };
    for r in &repositories {
        totals.files += r.files;
        totals.restricted_files += r.restricted_files;
        for t in &r.by_tier {
            by_tier
                .entry(t.tier)
                .or_insert_with(|| TierCount {
                    files: 0,
                    ..t.clone()
                })
                .files += t.files;
        }
        for a in &r.annex_iii {
            let total = annex
                .entry((a.point.clone(), a.status.clone()))
                .or_insert_with(|| AnnexTotal {
                    point: a.point.clone(),
                    status: a.status.clone(),
                    files: 0,
                    repositories: Vec::new(),
                });
            total.files += a.files;
            total.repositories.push(r.name.clone());
        }
        if !r.annex_iii.is_empty() {
            totals.annex_iii_repositories.push(r.name.clone());
        }
        if !r.stale.is_empty() {
            totals.stale_repositories.push(r.name.clone());
        }
        for x in &r.exceptions {
            match x.state {
                ExceptionState::Expired => totals.expired_exceptions += 1,
                ExceptionState::Expiring => totals.expiring_exceptions += 1,
            }
        }
    }
    totals.by_tier = by_tier.into_values().collect();
    totals.annex_iii = annex.into_values().collect();
    Inventory {
        schema_version: SCHEMA_VERSION,
        generator: Generator {
            name: "tiergate".into(),
            version: build.version.clone(),
        },
        judged_on: judging.today.to_string(),
        within_days: judging.within_days,
        totals,
        repositories,
    }
}

#[cfg(test)]
mod tests;
