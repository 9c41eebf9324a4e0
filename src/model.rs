//! Core vocabulary shared by every pipeline stage: tiers, destinations, facts, findings and
//! decisions. Plain data only; this module imports nothing from the rest of the crate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A tier id. Lower is more sensitive: tier 1 must stay on local models.
pub type TierId = u8;

/// The built-in "most sensitive" tier, used when deciding fails (fail closed).
pub const RESTRICTED: TierId = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub id: TierId,
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DestinationKind {
    Local,
    CloudZdr,
    Cloud,
}

impl DestinationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DestinationKind::Local => "local",
            DestinationKind::CloudZdr => "cloud-zdr",
            DestinationKind::Cloud => "cloud",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub name: String,
    pub kind: DestinationKind,
    /// The most sensitive tier this destination may receive: a file may go there iff
    /// `file.tier >= accepts`.
    pub accepts: TierId,
}

impl Destination {
    /// Whether a file of `tier` may be sent here.
    ///
    /// ```
    /// use tiergate::model::{Destination, DestinationKind};
    /// let zdr = Destination { name: "cloud-zdr".into(), kind: DestinationKind::CloudZdr, accepts: 3 };
    /// assert!(zdr.admits(3) && zdr.admits(4));
    /// assert!(!zdr.admits(1), "tier 1 stays local");
    /// ```
    pub fn admits(&self, tier: TierId) -> bool {
        tier >= self.accepts
    }
}

/// What a path is on disk (or in the index). Symlinks are never followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Text,
    Binary,
    Symlink,
    Submodule,
    /// FIFOs, sockets, devices: never opened.
    Special,
    /// Could not be read; decided by path and metadata only (and tier 1).
    Unreadable,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Text => "text",
            FileKind::Binary => "binary",
            FileKind::Symlink => "symlink",
            FileKind::Submodule => "submodule",
            FileKind::Special => "special",
            FileKind::Unreadable => "unreadable",
        }
    }
}

/// Git state of a path in the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GitState {
    Tracked,
    Untracked,
    Ignored,
    /// The scanned directory is not inside a git repository.
    NoRepo,
}

impl GitState {
    pub fn as_str(self) -> &'static str {
        match self {
            GitState::Tracked => "tracked",
            GitState::Untracked => "untracked",
            GitState::Ignored => "ignored",
            GitState::NoRepo => "no-repo",
        }
    }
}

/// Coarse size bucket: Rego sees this instead of the byte count, so files of similar
/// size share one memoized evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeClass {
    Empty,
    /// Below 64 KiB.
    Small,
    /// Up to the content limit.
    Medium,
    /// Above the content limit: content only partly scanned.
    Large,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// A content detector's finding. Never carries the matched text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Signal {
    pub id: String,
    pub category: String,
    pub confidence: Confidence,
    pub count: u32,
    /// First line (1-based) where the signal was seen.
    pub line: u32,
}

/// Everything known about one file before any decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Repo-relative, `/`-separated, NFC.
    pub path: String,
    pub kind: FileKind,
    pub size: u64,
    pub size_class: SizeClass,
    pub extension: Option<String>,
    pub language: Option<String>,
    pub git: GitState,
    /// Names of the zones whose globs match the path, sorted.
    pub zones: Vec<String>,
    /// Whether the content was read and given to detectors.
    pub content_scanned: bool,
    pub signals: Vec<Signal>,
    /// For symlinks: the link target as stored in the link.
    pub link_target: Option<String>,
    /// A read or metadata error, recorded as a tier-1 finding (fail closed).
    pub error: Option<String>,
    /// The path's bytes as on disk (or in git) when they differ from `path`: a name not
    /// in NFC, or not UTF-8. Two files whose names differ only so have one `path`.
    #[serde(skip)]
    pub raw_name: Option<Vec<u8>>,
    /// Why the content could not be read where git stores what a filter made of the
    /// file (an LFS object absent or not matching its pointer, a filter tiergate cannot
    /// undo): a tier-1 finding (fail closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtered: Option<String>,
    /// Detector hits accepted as false positives (an inline marker, an entry of the
    /// accepted findings file): left out of `signals`, recorded as notes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<AcceptedHit>,
    /// What a code file imports from its repository, as `detect::imports` writes it:
    /// links between the files of a component, never shown.
    #[serde(skip)]
    pub imports: Vec<String>,
}

/// A detector hit accepted as a false positive. Like a signal, never the matched text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AcceptedHit {
    /// The signal the hit would have given, with its category and confidence.
    pub signal: String,
    pub category: String,
    pub confidence: Confidence,
    /// 1-based line of the hit.
    pub line: u32,
    /// Stable across moves of the text: the signal, the path and the text around the
    /// hit (see `detect::accept`).
    pub fingerprint: String,
    pub by: AcceptedBy,
}

impl Facts {
    /// These facts as if no `tiergate:accept` marker counted: the hits markers accepted
    /// back among the signals (one more occurrence each, the highest confidence, the
    /// first line), the file's accepted entries still accepted.
    pub fn without_markers(&self) -> Facts {
        let mut f = self.clone();
        let (inline, kept): (Vec<AcceptedHit>, Vec<AcceptedHit>) = std::mem::take(&mut f.accepted)
            .into_iter()
            .partition(|a| a.by == AcceptedBy::Inline);
        f.accepted = kept;
        for a in inline {
            match f.signals.iter_mut().find(|s| s.id == a.signal) {
                Some(s) => {
                    s.count = s.count.saturating_add(1);
                    s.confidence = s.confidence.max(a.confidence);
                    s.line = s.line.min(a.line);
                }
                None => f.signals.push(Signal {
                    id: a.signal,
                    category: a.category,
                    confidence: a.confidence,
                    count: 1,
                    line: a.line,
                }),
            }
        }
        f.signals.sort_by(|a, b| a.id.cmp(&b.id));
        f
    }
}

/// What accepted a hit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum AcceptedBy {
    /// A `tiergate:accept` marker on the hit's line (or `tiergate:accept-next-line` on
    /// the line before).
    Inline,
    /// An entry of the accepted findings file, at this line of it.
    File { line: u32 },
}

/// Where a finding's rule is written down.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceLoc {
    /// `tiergate.yaml`, `shipped:policies/baseline.rego`, `.tiergate/policies/x.rego`,
    /// or `builtin` for findings tiergate itself makes.
    pub file: String,
    pub line: u32,
}

impl fmt::Display for SourceLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

impl Serialize for SourceLocDisplay<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// Serializes a [`SourceLoc`] as the `file:line` string used in outputs.
pub struct SourceLocDisplay<'a>(pub &'a SourceLoc);

/// An Annex III flag, kept apart from the tier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AnnexFlag {
    pub point: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// One rule that fired for a file. `tier: None` is an informational note (e.g. content
/// not scanned) that does not take part in the decision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Finding {
    /// Stable kebab-case code (see [`crate::codes`]).
    pub code: String,
    /// Rule id: a glob rule id from config, a Rego rule id, or a built-in id.
    pub rule: String,
    pub tier: Option<TierId>,
    pub source: SourceLoc,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annex_iii: Vec<AnnexFlag>,
}

impl Finding {
    /// A finding tiergate makes itself: the code doubles as the rule id and the source is
    /// `builtin`.
    pub fn builtin(code: &str, tier: Option<TierId>, message: String) -> Finding {
        Finding {
            code: code.into(),
            rule: code.into(),
            tier,
            source: SourceLoc {
                file: "builtin".into(),
                line: 0,
            },
            message,
            annex_iii: vec![],
        }
    }
}

/// `sha256:<lowercase hex>` of some bytes: how provenance names a config or a policy.
/// Paths that differ only by case (`str::to_lowercase`), in groups of two or more:
/// groups in order of their lower-cased form, paths in the order given.
///
/// Lower-cases no path unless another one hashes like it: each path's lower-case
/// characters are hashed as they are produced, the hashes sorted, and only paths that
/// share a hash are compared for real.
///
/// ```
/// let g = tiergate::model::case_groups(["a/B.txt", "a/b.txt", "c.txt", "A/b.TXT"]);
/// assert_eq!(g, vec![vec!["a/B.txt", "a/b.txt", "A/b.TXT"]]);
/// ```
pub fn case_groups<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<Vec<&'a str>> {
    let mut hasher = CaseHasher::default();
    case_groups_hashed(paths.into_iter().map(|p| (p, hasher.hash(p))))
}

/// [`case_groups`] of paths whose [`CaseHasher`] hashes were computed beforehand (on
/// the threads that found them).
pub fn case_groups_hashed<'a>(
    paths: impl IntoIterator<Item = (&'a str, u64)>,
) -> Vec<Vec<&'a str>> {
    let (paths, mut hashed): (Vec<&str>, Vec<(u64, u32)>) = paths
        .into_iter()
        .enumerate()
        .map(|(i, (p, h))| (p, (h, u32::try_from(i).expect("fewer than 2^32 paths"))))
        .unzip();
    hashed.sort_unstable();
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Same hash: group by the real lower-cased form (indices are ascending).
        let mut by_lower: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
        for &(_, i) in run {
            let p = paths[i as usize];
            by_lower.entry(p.to_lowercase()).or_default().push(p);
        }
        groups.extend(by_lower.into_iter().filter(|(_, g)| g.len() > 1));
    }
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Hashes of the UTF-8 bytes of `p.to_lowercase()`, except that `ς` counts as `σ`:
/// `str::to_lowercase` picks between them by position (final sigma), which a
/// character at a time cannot see. Equal lower-cased forms therefore hash equally; the
/// hash is the same in every process and thread. Holds scratch space, reused.
#[derive(Default)]
pub struct CaseHasher {
    folded: Vec<u8>,
}

impl CaseHasher {
    pub fn hash(&mut self, p: &str) -> u64 {
        use std::hash::BuildHasher;
        let folded = &mut self.folded;
        folded.clear();
        if p.is_ascii() {
            folded.extend(p.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            let mut utf8 = [0; 4];
            for c in p.chars().flat_map(char::to_lowercase) {
                let c = if c == 'ς' { 'σ' } else { c };
                folded.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
        foldhash::fast::FixedState::with_seed(0).hash_one(&folded[..])
    }
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in sha2::Sha256::digest(bytes) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The outcome for one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Decision {
    pub tier: TierId,
    /// Every finding, most restrictive first, then by code and rule.
    pub findings: Vec<Finding>,
    /// True when no tiered finding existed and the default tier applied.
    pub defaulted: bool,
}

impl Decision {
    /// Combine findings: the most restrictive tier wins; without a tiered finding the
    /// default tier applies. Findings are sorted so output is deterministic.
    ///
    /// ```
    /// use tiergate::model::{Decision, Finding};
    /// let glob = Finding::builtin("glob-rule", Some(4), "docs are public".into());
    /// let policy = Finding::builtin("credential-file", Some(1), "a key store".into());
    /// let d = Decision::combine(vec![glob, policy], 3);
    /// assert_eq!(d.tier, 1);
    /// assert_eq!(d.findings[0].code, "credential-file");
    /// assert_eq!(Decision::combine(vec![], 3).tier, 3);
    /// ```
    pub fn combine(mut findings: Vec<Finding>, default_tier: TierId) -> Decision {
        findings.sort_by(|a, b| {
            let ta = a.tier.unwrap_or(TierId::MAX);
            let tb = b.tier.unwrap_or(TierId::MAX);
            ta.cmp(&tb)
                .then_with(|| a.code.cmp(&b.code))
                .then_with(|| a.rule.cmp(&b.rule))
                .then_with(|| a.source.cmp(&b.source))
                .then_with(|| a.message.cmp(&b.message))
        });
        findings.dedup();
        match findings.iter().filter_map(|f| f.tier).min() {
            Some(tier) => Decision {
                tier,
                findings,
                defaulted: false,
            },
            None => Decision {
                tier: default_tier,
                findings,
                defaulted: true,
            },
        }
    }

    pub fn annex_iii(&self) -> Vec<AnnexFlag> {
        let mut flags: Vec<AnnexFlag> = self
            .findings
            .iter()
            .flat_map(|f| f.annex_iii.iter().cloned())
            .collect();
        flags.sort();
        flags.dedup();
        flags
    }
}

/// Build a glob with tiergate's matching semantics, for everyone who matches config
/// globs against paths. Paths are repo-relative, `/`-separated, without a leading `./`.
/// `*` and `?` never cross a `/`; `**` does. So a glob without a `/` matches only at the
/// repository root: `*.pem` matches `key.pem` but not `certs/key.pem`; write `**/*.pem`
/// to match at any depth.
pub fn build_glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition [`case_groups`] must equal.
    fn case_groups_naive(paths: &[String]) -> Vec<Vec<String>> {
        let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for p in paths {
            groups.entry(p.to_lowercase()).or_default().push(p.clone());
        }
        groups.into_values().filter(|g| g.len() > 1).collect()
    }

    #[test]
    fn case_groups_see_final_sigma_and_non_ascii_case() {
        let paths: Vec<String> = [
            "ΟΔΟΣ", "οδος", "οδοσ", "Straße", "STRASSE", "straße", "İx", "i̇x",
        ]
        .map(String::from)
        .to_vec();
        let got = case_groups(paths.iter().map(String::as_str));
        assert_eq!(got, case_groups_naive(&paths));
        assert!(got.contains(&vec!["ΟΔΟΣ", "οδος"]));
    }

    proptest::proptest! {
        #[test]
        fn case_groups_equal_the_plain_definition(
            paths in proptest::collection::btree_set("[aAbBσςΣ/é]{1,4}", 0..40),
        ) {
            let paths: Vec<String> = paths.into_iter().collect();
            let got: Vec<Vec<String>> = case_groups(paths.iter().map(String::as_str))
                .into_iter()
                .map(|g| g.into_iter().map(String::from).collect())
                .collect();
            proptest::prop_assert_eq!(got, case_groups_naive(&paths));
        }
    }

    fn finding(code: &str, tier: Option<TierId>) -> Finding {
        Finding::builtin(code, tier, String::new())
    }

    #[test]
    fn most_restrictive_finding_wins() {
        let d = Decision::combine(
            vec![
                finding("a", Some(3)),
                finding("b", Some(1)),
                finding("c", None),
            ],
            4,
        );
        assert_eq!(d.tier, 1);
        assert!(!d.defaulted);
        assert_eq!(d.findings[0].code, "b");
        assert_eq!(d.findings[2].code, "c");
    }

    #[test]
    fn default_applies_without_tiered_findings() {
        let d = Decision::combine(vec![finding("note", None)], 3);
        assert_eq!(d.tier, 3);
        assert!(d.defaulted);
    }

    #[test]
    fn a_less_restrictive_rule_can_lift_the_default() {
        // A rule giving tier 4 decides even when the default is 3: a finding is a decision.
        let d = Decision::combine(vec![finding("docs", Some(4))], 3);
        assert_eq!(d.tier, 4);
    }

    #[test]
    fn destination_admits_by_tier() {
        let d = Destination {
            name: "cloud-zdr".into(),
            kind: DestinationKind::CloudZdr,
            accepts: 3,
        };
        assert!(!d.admits(1));
        assert!(!d.admits(2));
        assert!(d.admits(3));
        assert!(d.admits(4));
    }
}

/// A calendar date (proleptic Gregorian), as exceptions and the AI Act's dates in force
/// are written: `YYYY-MM-DD`. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parse `YYYY-MM-DD`; `None` for anything else, including dates that do not exist
    /// (2026-02-30).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if year == 0 || day == 0 || day > days_in_month {
            return None;
        }
        Some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.clamp(1, 9999) as u16,
            month: month as u8,
            day: day as u8,
        }
    }

    /// `later - self` in days.
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod date_tests {
    use super::Date;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            Date::parse("2026-11-01"),
            Some(Date {
                year: 2026,
                month: 11,
                day: 1
            })
        );
        assert_eq!(Date::parse("2028-02-29").map(|d| d.day), Some(29));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-00",
            "2026/01/01",
            "+026-01-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_round_trip_and_agree_with_known_values() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::parse("2026-12-01").unwrap().days_since_epoch(),
            20_788
        );
        for days in [-1000, 0, 59, 60, 20_788, 40_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        let a = Date::parse("2026-12-01").unwrap();
        assert_eq!(a.days_until(Date::parse("2027-05-01").unwrap()), 151);
        assert_eq!(a.add_days(31).to_string(), "2027-01-01");
        assert!(a < Date::parse("2027-01-01").unwrap());
    }
}
