//! The legal review document of `tiergate report`: what is tier 1 and why, which
//! EU AI Act Annex III points the code may fall under (evidence, obligations, dates in
//! force), which exceptions stand, where every decision comes from and, against an
//! earlier manifest, what changed. Pure: built from the manifest of a scan, the per-file
//! facts a manifest does not keep (size, signal lines), the exceptions file, the
//! Annex III pack's own data and the report date. The renderers in `render::report`
//! print it. Must not import walk, decide, policy, render or app: the application layer
//! reads the pack's data from the policies and hands it in.
//!
//! Evidence names signal ids and `file:line`, never matched text: the report must not
//! leak what it protects.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::config::{Exception, ExceptionStatus, ExceptionsFile};
use crate::gate::{Direction, TierChange};
use crate::manifest::{self, Manifest, Reason, TierDef};
use crate::model::{Date, TierId};

/// Active exceptions expiring within this many days are called out.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The Annex III pack's package, whose rules the report reads its data from.
pub const ANNEX_PACKAGE: &str = "tiergate.eu_ai_act_annex_iii";

/// What the report needs of a file beyond its manifest entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileExtra {
    pub size: u64,
    /// Signal id → first line (1-based) it was seen on.
    pub signal_lines: BTreeMap<String, u32>,
}

/// The Annex III pack's data (`dates_in_force`, `points`, `art5_basis`, `obligations`
/// rules), as the loaded pack evaluates them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AnnexPack {
    pub dates: PackDates,
    /// Signal-id key (`4a`) → point.
    pub points: BTreeMap<String, PackPoint>,
    /// Signal-id key → the Art 5 practice a point may overlap.
    #[serde(default)]
    pub art5_basis: BTreeMap<String, String>,
    /// What the report lists under a point, in order.
    pub obligations: Vec<PackObligation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PackDates {
    pub prohibitions: String,
    pub original: String,
    pub original_basis: String,
    pub deferred: String,
    pub amending_act: String,
    pub deferred_status: String,
}

/// An obligation, listed as `article: text` under the points it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PackObligation {
    pub article: String,
    /// With placeholders: `{art5}`, the point's Art 5 practice (`Art 5` when the pack
    /// names none); a key of `dates_in_force`, that date.
    pub text: String,
    pub points: PackApplies,
    /// `possible-prohibited`: listed only where a file of the point is flagged so.
    #[serde(default)]
    pub status: Option<String>,
}

/// `"all"`, or the signal-id keys of the points an obligation applies to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PackApplies {
    All(String),
    Only(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PackPoint {
    pub label: String,
    pub area: String,
    pub title: String,
    #[serde(default)]
    pub extra: String,
}

impl AnnexPack {
    /// From the JSON values of the pack's rules; an error names what does not fit.
    pub fn from_json(
        dates: serde_json::Value,
        points: serde_json::Value,
        art5_basis: Option<serde_json::Value>,
        obligations: serde_json::Value,
    ) -> Result<AnnexPack, String> {
        let dates: PackDates = serde_json::from_value(dates)
            .map_err(|e| format!("data.{ANNEX_PACKAGE}.dates_in_force: {e}"))?;
        for d in [&dates.prohibitions, &dates.original, &dates.deferred] {
            if Date::parse(d).is_none() {
                return Err(format!(
                    "data.{ANNEX_PACKAGE}.dates_in_force: `{d}` is not a YYYY-MM-DD date"
                ));
            }
        }
        let points = serde_json::from_value(points)
            .map_err(|e| format!("data.{ANNEX_PACKAGE}.points: {e}"))?;
        let art5_basis = match art5_basis {
            Some(v) => serde_json::from_value(v)
                .map_err(|e| format!("data.{ANNEX_PACKAGE}.art5_basis: {e}"))?,
            None => BTreeMap::new(),
        };
        let obligations: Vec<PackObligation> = serde_json::from_value(obligations)
            .map_err(|e| format!("data.{ANNEX_PACKAGE}.obligations: {e}"))?;
        for o in &obligations {
            if let PackApplies::All(word) = &o.points
                && word != "all"
            {
                return Err(format!(
                    "data.{ANNEX_PACKAGE}.obligations: `{word}` is neither `all` nor a list of points"
                ));
            }
        }
        Ok(AnnexPack {
            dates,
            points,
            art5_basis,
            obligations,
        })
    }

    /// A date of `dates_in_force` by key, as the pack gives it.
    fn date_in_force(&self, key: &str) -> Option<&str> {
        let d = &self.dates;
        Some(match key {
            "prohibitions" => &d.prohibitions,
            "original" => &d.original,
            "original_basis" => &d.original_basis,
            "deferred" => &d.deferred,
            "amending_act" => &d.amending_act,
            "deferred_status" => &d.deferred_status,
            _ => return None,
        })
    }

    fn point_by_label(&self, label: &str) -> Option<(&str, &PackPoint)> {
        self.points
            .iter()
            .find(|(_, p)| p.label == label)
            .map(|(k, p)| (k.as_str(), p))
    }
}

/// An earlier manifest to compare with, and how to name it.
pub struct Since<'a> {
    /// The path or ref the user gave, with the commit when it was a ref.
    pub label: String,
    pub manifest: &'a Manifest,
}

/// Everything the report is built from.
pub struct Input<'a> {
    pub manifest: &'a Manifest,
    pub extra: &'a BTreeMap<String, FileExtra>,
    pub exceptions: Option<&'a ExceptionsFile>,
    /// The accepted findings file, for the reasons of its entries.
    pub accepted: Option<&'a crate::config::AcceptedFile>,
    /// None when the Annex III pack is disabled.
    pub annex: Option<&'a AnnexPack>,
    pub since: Option<Since<'a>>,
    pub today: Date,
    /// The judgement of each component with Annex III evidence (see
    /// [`crate::component`]).
    pub components: &'a [crate::component::Judgement],
}

/// The document, section by section, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub today: Date,
    pub tiers: Vec<TierDef>,
    pub summary: Summary,
    pub tier1: Vec<DirGroup>,
    pub annex: Annex,
    /// None when the repository has no exceptions file.
    pub exceptions: Option<Exceptions>,
    /// Detector hits accepted as false positives, by path then signal.
    pub accepted: Vec<AcceptedRow>,
    pub provenance: Provenance,
    pub changes: Option<Changes>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
    pub tiers: Vec<Count>,
    pub destinations: Vec<DestinationCount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub tier: TierId,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationCount {
    pub name: String,
    pub kind: String,
    pub accepts: TierId,
    /// Files (and their bytes) that may go there: `tier >= accepts`.
    pub files: u64,
    pub bytes: u64,
}

/// Tier-1 files of one directory (`""` for the top level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirGroup {
    pub dir: String,
    pub files: Vec<Tier1File>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier1File {
    pub path: String,
    pub bytes: u64,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annex {
    /// `policies.disable` turned the pack off: nothing to report, and the report says so.
    Disabled,
    Reviewed {
        dates: Vec<DateInForce>,
        /// Each component with Annex III evidence: its AI system and its points.
        components: Vec<crate::component::Judgement>,
        points: Vec<AnnexPoint>,
    },
}

/// One date the Annex III obligations hang on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateInForce {
    pub what: String,
    pub date: Date,
    /// Relative to the report date, e.g. `in force for 4 months`, `in 12 months`.
    pub relative: String,
    /// Legal basis, and whether the date is confirmed.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexPoint {
    /// `4(a)`.
    pub point: String,
    /// What the point covers, from the pack (empty for a point the pack does not know).
    pub title: String,
    pub files: Vec<AnnexFile>,
    /// Article references, most pressing first.
    pub obligations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnexFile {
    pub path: String,
    pub status: AnnexStatus,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AnnexStatus {
    PossibleProhibited,
    Candidate,
}

/// The flag status of a possible prohibited practice (Art 5).
const POSSIBLE_PROHIBITED: &str = "possible-prohibited";

impl AnnexStatus {
    fn of(status: &str) -> AnnexStatus {
        if status == POSSIBLE_PROHIBITED {
            AnnexStatus::PossibleProhibited
        } else {
            AnnexStatus::Candidate
        }
    }

    /// How the report words it.
    pub fn text(self) -> &'static str {
        match self {
            AnnexStatus::PossibleProhibited => "possible prohibited practice",
            AnnexStatus::Candidate => "candidate",
        }
    }
}

/// A signal id and where it was first seen (`path:line`), never what it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub signal: String,
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceptions {
    pub source: String,
    pub digest: String,
    pub items: Vec<ExceptionRow>,
}

/// A detector hit accepted as a false positive, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedRow {
    pub path: String,
    pub signal: String,
    /// `tiergate.accepted.yaml:LINE`, or None for a marker in the file.
    pub entry: Option<String>,
    /// The entry's reason (a marker has none).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionRow {
    pub id: String,
    pub paths: Vec<String>,
    pub tier: TierId,
    pub reason: String,
    pub approver: String,
    pub approved: Date,
    pub expires: Date,
    pub blob: Option<String>,
    /// `file:line` of the entry.
    pub source: String,
    pub status: ExceptionStatus,
    /// Active and ending within [`EXPIRY_WARNING_DAYS`].
    pub expires_soon: bool,
    /// Files whose tier this exception decides (their first reason).
    pub decides: Vec<String>,
    /// Files it would cover but whose content is no longer the bound blob.
    pub mismatched: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub tool: String,
    pub version: String,
    pub provenance: manifest::Provenance,
}

/// What changed since an earlier manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub against: String,
    pub lowered: Vec<TierMove>,
    pub raised: Vec<TierMove>,
    pub added: Vec<TierMove>,
    pub removed: Vec<TierMove>,
    pub annex_appeared: Vec<AnnexChange>,
    pub annex_disappeared: Vec<AnnexChange>,
    pub exceptions_added: Vec<String>,
    pub exceptions_removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.lowered.is_empty()
            && self.raised.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.annex_appeared.is_empty()
            && self.annex_disappeared.is_empty()
            && self.exceptions_added.is_empty()
            && self.exceptions_removed.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierMove {
    pub path: String,
    pub old: Option<TierId>,
    pub new: Option<TierId>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AnnexChange {
    pub path: String,
    pub point: String,
    pub status: String,
}

/// Build the document. Deterministic: every list is sorted or in manifest order.
pub fn build(input: &Input<'_>) -> Report {
    let m = input.manifest;
    Report {
        today: input.today,
        tiers: m.tiers.clone(),
        summary: summary(m, input.extra),
        tier1: tier1(m, input.extra),
        annex: match input.annex {
            None => Annex::Disabled,
            Some(pack) => annex(m, input.extra, pack, input.today, input.components),
        },
        exceptions: input.exceptions.map(|x| exceptions(m, x, input.today)),
        accepted: accepted(m, input.accepted),
        provenance: Provenance {
            tool: m.generator.name.clone(),
            version: m.generator.version.clone(),
            provenance: m.provenance.clone(),
        },
        changes: input.since.as_ref().map(|s| changes(s, m)),
    }
}

fn size_of(extra: &BTreeMap<String, FileExtra>, path: &str) -> u64 {
    extra.get(path).map_or(0, |x| x.size)
}

fn summary(m: &Manifest, extra: &BTreeMap<String, FileExtra>) -> Summary {
    let mut by_tier: BTreeMap<TierId, (u64, u64)> =
        m.tiers.iter().map(|t| (t.id, (0, 0))).collect();
    for (path, e) in &m.files {
        let c = by_tier.entry(e.tier).or_default();
        c.0 += 1;
        c.1 += size_of(extra, path);
    }
    let tiers: Vec<Count> = by_tier
        .into_iter()
        .map(|(tier, (files, bytes))| Count { tier, files, bytes })
        .collect();
    let destinations = m
        .destinations
        .iter()
        .map(|d| {
            let (files, bytes) = tiers
                .iter()
                .filter(|c| c.tier >= d.accepts)
                .fold((0, 0), |(f, b), c| (f + c.files, b + c.bytes));
            DestinationCount {
                name: d.name.clone(),
                kind: d.kind.clone(),
                accepts: d.accepts,
                files,
                bytes,
            }
        })
        .collect();
    Summary {
        files: tiers.iter().map(|c| c.files).sum(),
        bytes: tiers.iter().map(|c| c.bytes).sum(),
        tiers,
        destinations,
    }
}

/// The directory part of a path; `""` at the top level.
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn tier1(m: &Manifest, extra: &BTreeMap<String, FileExtra>) -> Vec<DirGroup> {
    let most = m.tiers.iter().map(|t| t.id).min().unwrap_or(1);
    let mut groups: BTreeMap<&str, Vec<Tier1File>> = BTreeMap::new();
    for (path, e) in m.files.iter().filter(|(_, e)| e.tier <= most) {
        groups.entry(dir_of(path)).or_default().push(Tier1File {
            path: path.clone(),
            bytes: size_of(extra, path),
            reasons: e.reasons.clone(),
        });
    }
    groups
        .into_iter()
        .map(|(dir, files)| DirGroup {
            dir: dir.to_string(),
            files,
        })
        .collect()
}

/// A day relative to the report date, in days under two months, else in months.
///
/// ```
/// use tiergate::model::Date;
/// use tiergate::report::relative;
/// let today = Date::parse("2026-12-01").unwrap();
/// assert_eq!(relative(today, Date::parse("2026-08-02").unwrap()), "in force for 4 months");
/// assert_eq!(relative(today, Date::parse("2027-12-02").unwrap()), "in 12 months");
/// assert_eq!(relative(today, Date::parse("2026-12-02").unwrap()), "in 1 day");
/// ```
pub fn relative(today: Date, date: Date) -> String {
    let days = today.days_until(date);
    if days == 0 {
        return "from today".to_string();
    }
    let n = days.unsigned_abs();
    let span = if n < 60 {
        plural(n, "day")
    } else {
        // An average month: 4 months and 1 day before is still "4 months".
        plural((n as f64 / 30.436_875).round() as u64, "month")
    };
    if days > 0 {
        format!("in {span}")
    } else {
        format!("in force for {span}")
    }
}

fn plural(n: u64, unit: &str) -> String {
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn annex(
    m: &Manifest,
    extra: &BTreeMap<String, FileExtra>,
    pack: &AnnexPack,
    today: Date,
    components: &[crate::component::Judgement],
) -> Annex {
    let d = &pack.dates;
    // Dates were checked when the pack's data was read.
    let date = |s: &str| Date::parse(s).unwrap_or(today);
    let dates = vec![
        DateInForce {
            what: "Prohibited practices (Art 5)".into(),
            date: date(&d.prohibitions),
            relative: relative(today, date(&d.prohibitions)),
            note: String::new(),
        },
        DateInForce {
            what: "High-risk obligations, original date".into(),
            date: date(&d.original),
            relative: relative(today, date(&d.original)),
            note: d.original_basis.clone(),
        },
        DateInForce {
            what: "High-risk obligations, deferred date".into(),
            date: date(&d.deferred),
            relative: relative(today, date(&d.deferred)),
            note: format!("deferral {} ({})", d.deferred_status, d.amending_act),
        },
    ];
    let mut by_point: BTreeMap<&str, Vec<AnnexFile>> = BTreeMap::new();
    for (path, e) in &m.files {
        for flag in &e.annex_iii {
            let lines = extra.get(path).map(|x| &x.signal_lines);
            let evidence = flag
                .evidence
                .iter()
                .map(|id| Evidence {
                    signal: id.clone(),
                    location: lines
                        .and_then(|l| l.get(id))
                        .filter(|&&line| line > 0)
                        .map(|line| format!("{path}:{line}")),
                })
                .collect();
            by_point.entry(&flag.point).or_default().push(AnnexFile {
                path: path.clone(),
                status: AnnexStatus::of(&flag.status),
                evidence,
            });
        }
    }
    let points = by_point
        .into_iter()
        .map(|(label, files)| {
            let known = pack.point_by_label(label);
            let prohibited = files
                .iter()
                .any(|f| f.status == AnnexStatus::PossibleProhibited);
            AnnexPoint {
                point: label.to_string(),
                title: known.map_or_else(String::new, |(_, p)| p.title.clone()),
                obligations: obligations(pack, known, prohibited),
                files,
            }
        })
        .collect();
    Annex::Reviewed {
        dates,
        components: components.to_vec(),
        points,
    }
}

/// The pack's obligations that apply to a point (its key when the pack describes it)
/// and its flags, then what else applies to the point.
fn obligations(
    pack: &AnnexPack,
    point: Option<(&str, &PackPoint)>,
    prohibited: bool,
) -> Vec<String> {
    let key = point.map(|(k, _)| k);
    let art5 = key
        .and_then(|k| pack.art5_basis.get(k))
        .map_or("Art 5", String::as_str);
    let mut out: Vec<String> = pack
        .obligations
        .iter()
        .filter(|o| match &o.points {
            PackApplies::All(_) => true,
            PackApplies::Only(keys) => key.is_some_and(|k| keys.iter().any(|x| x == k)),
        })
        .filter(|o| match o.status.as_deref() {
            None => true,
            Some(status) => prohibited && status == POSSIBLE_PROHIBITED,
        })
        .map(|o| {
            let text = fill(&o.text, |name| match name {
                "art5" => Some(art5),
                date => pack.date_in_force(date),
            });
            format!("{}: {text}", o.article)
        })
        .collect();
    if let Some((_, p)) = point
        && !p.extra.trim().is_empty()
    {
        out.push(p.extra.trim().to_string());
    }
    out
}

/// `text` with each `{name}` replaced by what `value` gives for it (left as written
/// when it gives nothing).
fn fill<'v>(text: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        out.push_str(&rest[..open]);
        match value(name) {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[open..=open + len]),
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

fn accepted(m: &Manifest, file: Option<&crate::config::AcceptedFile>) -> Vec<AcceptedRow> {
    let mut rows: Vec<AcceptedRow> = m
        .files
        .iter()
        .flat_map(|(path, e)| {
            e.reasons
                .iter()
                .filter(|r| r.code == crate::codes::ACCEPTED)
                .map(move |r| {
                    let entry = (r.source != "inline").then(|| r.source.clone());
                    let reason = entry.as_ref().and_then(|src| {
                        file?
                            .entries
                            .iter()
                            .find(|x| format!("{}:{}", x.source.file, x.source.line) == *src)
                            .map(|x| x.reason.clone())
                    });
                    AcceptedRow {
                        path: path.clone(),
                        signal: r.rule.clone(),
                        entry,
                        reason,
                    }
                })
        })
        .collect();
    rows.sort_by(|a, b| (&a.path, &a.signal, &a.entry).cmp(&(&b.path, &b.signal, &b.entry)));
    rows.dedup();
    rows
}

fn exceptions(m: &Manifest, x: &ExceptionsFile, today: Date) -> Exceptions {
    let files_with = |code: &str, id: &str, first_only: bool| -> Vec<String> {
        m.files
            .iter()
            .filter(|(_, e)| {
                let mut reasons = e
                    .reasons
                    .iter()
                    .take(if first_only { 1 } else { usize::MAX });
                reasons.any(|r| r.code == code && r.rule == id)
            })
            .map(|(p, _)| p.clone())
            .collect()
    };
    let items = x
        .exceptions
        .iter()
        .map(|e: &Exception| {
            let status = e.status(today);
            ExceptionRow {
                id: e.id.clone(),
                paths: e.globs.clone(),
                tier: e.tier,
                reason: e.reason.clone(),
                approver: e.approver.clone(),
                approved: e.approved,
                expires: e.expires,
                blob: e.blob.clone(),
                source: format!("{}:{}", e.source.file, e.source.line),
                status,
                expires_soon: status == ExceptionStatus::Active
                    && today.days_until(e.expires) <= EXPIRY_WARNING_DAYS,
                decides: files_with(crate::codes::EXCEPTION, &e.id, true),
                mismatched: files_with(crate::codes::EXCEPTION_MISMATCH, &e.id, false),
            }
        })
        .collect();
    Exceptions {
        source: x.display.clone(),
        digest: x.digest.clone(),
        items,
    }
}

fn annex_flags(m: &Manifest) -> BTreeSet<AnnexChange> {
    m.files
        .iter()
        .flat_map(|(path, e)| {
            e.annex_iii.iter().map(|f| AnnexChange {
                path: path.clone(),
                point: f.point.clone(),
                status: f.status.clone(),
            })
        })
        .collect()
}

fn changes(since: &Since<'_>, now: &Manifest) -> Changes {
    let old = since.manifest;
    let mut c = Changes {
        against: since.label.clone(),
        lowered: vec![],
        raised: vec![],
        added: vec![],
        removed: vec![],
        annex_appeared: vec![],
        annex_disappeared: vec![],
        exceptions_added: vec![],
        exceptions_removed: vec![],
    };
    let paths: BTreeSet<&String> = old.files.keys().chain(now.files.keys()).collect();
    for path in paths {
        let (o, n) = (
            old.files.get(path).map(|e| e.tier),
            now.files.get(path).map(|e| e.tier),
        );
        let list = match TierChange::direction_of(o, n) {
            Direction::Lowered => &mut c.lowered,
            Direction::Raised => &mut c.raised,
            Direction::Added => &mut c.added,
            Direction::Removed => &mut c.removed,
            Direction::Same => continue,
        };
        list.push(TierMove {
            path: path.clone(),
            old: o,
            new: n,
        });
    }
    let (was, is) = (annex_flags(old), annex_flags(now));
    c.annex_appeared = is.difference(&was).cloned().collect();
    c.annex_disappeared = was.difference(&is).cloned().collect();
    let ids =
        |m: &Manifest| -> BTreeSet<String> { m.exceptions.iter().map(|x| x.id.clone()).collect() };
    let (was, is) = (ids(old), ids(now));
    c.exceptions_added = is.difference(&was).cloned().collect();
    c.exceptions_removed = was.difference(&is).cloned().collect();
    c
}

#[cfg(test)]
mod tests;
