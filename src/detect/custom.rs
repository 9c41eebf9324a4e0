//! Custom detectors from `tiergate.yaml`'s `detectors:` list, compiled into the same
//! prefilter as the built-in families. Signal id `custom.<id>`, category from config.
//!
//! How the parts of one detector combine:
//! - `regex`: every match is a hit, at `confidence`. The regex runs only in files where
//!   one of its literal prefixes occurs (a prefilter anchor); a regex without a literal
//!   prefix of at least 3 bytes runs on every text file.
//! - `validator`: a regex match (or its first capture group, if the regex has one) that
//!   fails the validator is dropped.
//! - `keywords` alone: every occurrence of a keyword as a whole word (ASCII case
//!   ignored; not inside a longer run of letters and digits) is a hit.
//! - `regex` + `keywords`: keywords support the match. A match with a keyword within
//!   `proximity` bytes (anywhere in the file when `proximity` is not set) keeps
//!   `confidence`; without one its confidence is lowered one step (low stays low).
//!
//! Binary files are skipped. At most [`super::engine::MAX_POSITIONS_PER_ANCHOR`]
//! matches per detector are counted per file.

use std::borrow::Cow;

use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use super::engine::MAX_POSITIONS_PER_ANCHOR;
use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Confidence;

/// A detector the user defines in `detectors:`; its signal id is `custom.<id>`. At least
/// one of `regex` and `keywords` is set (the module documentation says how they
/// combine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomDetector {
    /// Lowercase identifier, unique among custom detectors.
    pub id: String,
    /// Signal category; `custom` unless given.
    pub category: String,
    /// Pattern in the `regex` crate's syntax, matched on bytes. Checked to compile and
    /// to never match the empty string.
    pub regex: Option<String>,
    /// Literal words, matched ASCII-case-insensitively, at least 3 bytes each.
    pub keywords: Vec<String>,
    /// With both `regex` and `keywords`: the most bytes between a match and a keyword
    /// for the match to keep `confidence` (otherwise it is lowered one step).
    pub proximity: Option<u64>,
    /// Name of a validator every regex match must pass (e.g. `luhn`).
    pub validator: Option<String>,
    pub confidence: Confidence,
    /// The list item that defines it.
    pub source: crate::schema::Loc,
}

/// Shortest literal prefix worth an anchor: a one- or two-byte anchor would make the
/// shared automaton stop almost everywhere, slowing every family.
const MIN_ANCHOR_BYTES: usize = 3;

/// Compiled regexes may not exceed this (the regex crate's default is 10 MiB per
/// regex; a config file should not be able to make each worker hold much more).
const REGEX_SIZE_LIMIT: usize = 10 << 20;

/// A validator: true when the candidate bytes pass.
pub type Validator = fn(&[u8]) -> bool;

/// Names accepted in a detector's `validator:` key (those of
/// [`super::validators::by_name`]).
pub fn validator_names() -> Vec<&'static str> {
    super::validators::VALIDATOR_NAMES.to_vec()
}

/// The validator of that name.
pub fn validator(name: &str) -> Option<Validator> {
    super::validators::by_name(name)
}

fn parse_hir(pattern: &str) -> Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>> {
    // Bytes mode, as `regex::bytes` parses: `(?-u)` may match non-UTF-8 bytes.
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(Box::new)
}

/// Why `pattern` is not usable as a detector regex, on one line, if it is not.
pub fn check_regex(pattern: &str) -> Result<(), String> {
    let hir = parse_hir(pattern).map_err(|e| match *e {
        regex_syntax::Error::Parse(p) => format!(
            "invalid regex `{pattern}`: {} (at byte {})",
            p.kind(),
            p.span().start.offset
        ),
        regex_syntax::Error::Translate(t) => format!(
            "invalid regex `{pattern}`: {} (at byte {})",
            t.kind(),
            t.span().start.offset
        ),
        other => format!("invalid regex `{pattern}`: {other}"),
    })?;
    if hir.properties().minimum_len().unwrap_or(1) == 0 {
        return Err(format!(
            "regex `{pattern}` can match the empty string, which would be a hit at every position; make it match at least one character"
        ));
    }
    build_regex(pattern).map(|_| ())
}

fn build_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => format!(
                "regex `{pattern}` is too large once compiled (over {limit} bytes); simplify it or shorten its repetitions"
            ),
            // Parse errors are caught by `check_regex` first; keep whatever is left
            // on one line.
            other => format!(
                "invalid regex `{pattern}`: {}",
                other.to_string().replace('\n', " ")
            ),
        })
}

/// Anchors that start every match of `pattern`, or `None` when it has no usable
/// literal prefix (then it runs on every text file).
fn prefix_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = parse_hir(pattern).ok()?;
    let mut seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    seq.optimize_for_prefix_by_preference();
    // Small classes expand (`foo[0-9]` into ten literals); past a handful, shorter
    // shared prefixes make a smaller automaton for the same gate.
    if seq.len().is_some_and(|n| n > 8) {
        seq.keep_first_bytes(MIN_ANCHOR_BYTES);
        seq.dedup();
    }
    let lits = seq.literals()?;
    let mut out = Vec::with_capacity(lits.len());
    for lit in lits {
        let s = std::str::from_utf8(lit.as_bytes()).ok()?;
        if s.len() < MIN_ANCHOR_BYTES {
            return None;
        }
        out.push(s.to_string());
    }
    Some(out)
}

struct Compiled {
    signal: String,
    category: String,
    regex: Option<Regex>,
    /// Validate the first capture group rather than the whole match.
    group: bool,
    /// Literal prefixes of the regex; `None`: run everywhere.
    gate: Option<Vec<AnchorId>>,
    /// Keyword anchors with their lengths.
    keywords: Vec<(AnchorId, usize)>,
    proximity: Option<usize>,
    validator: Option<Validator>,
    confidence: Confidence,
}

struct Custom {
    detectors: Vec<Compiled>,
}

/// Compile the config's detectors into one family, registering their anchors.
pub(crate) fn family(
    detectors: &[CustomDetector],
    reg: &mut dyn AnchorRegistry,
) -> Result<Box<dyn Family>, Diagnostics> {
    let mut compiled = Vec::with_capacity(detectors.len());
    let mut diags = Vec::new();
    for d in detectors {
        let error = |code, message: String| {
            Diagnostic::new(&d.source.file, d.source.line, d.source.col, code, message)
        };
        let regex = match d
            .regex
            .as_deref()
            .map(|p| check_regex(p).and_then(|()| build_regex(p)))
        {
            None => None,
            Some(Ok(r)) => Some(r),
            Some(Err(message)) => {
                diags.push(error("invalid-regex", message));
                continue;
            }
        };
        let validator = match d.validator.as_deref() {
            None => None,
            Some(name) => match validator(name) {
                Some(f) => Some(f),
                None => {
                    diags.push(error(
                        "invalid-value",
                        format!("detector `{}`: unknown validator `{name}`", d.id),
                    ));
                    continue;
                }
            },
        };
        if regex.is_none() && d.keywords.is_empty() {
            diags.push(error(
                "missing-key",
                format!("detector `{}` has neither `regex` nor `keywords`", d.id),
            ));
            continue;
        }
        let gate = d
            .regex
            .as_deref()
            .and_then(prefix_literals)
            .map(|lits| lits.iter().map(|l| reg.anchor(l)).collect());
        let keywords = d
            .keywords
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| (reg.anchor(k), k.len()))
            .collect();
        compiled.push(Compiled {
            signal: format!("custom.{}", d.id),
            category: d.category.clone(),
            group: regex.as_ref().is_some_and(|r| r.captures_len() > 1),
            regex,
            gate,
            keywords,
            proximity: d
                .proximity
                .map(|p| usize::try_from(p).unwrap_or(usize::MAX)),
            validator,
            confidence: d.confidence,
        });
    }
    if !diags.is_empty() {
        return Err(Diagnostics(diags));
    }
    Ok(Box::new(Custom {
        detectors: compiled,
    }))
}

fn lower(c: Confidence) -> Confidence {
    match c {
        Confidence::High => Confidence::Medium,
        Confidence::Medium | Confidence::Low => Confidence::Low,
    }
}

/// Whether the occurrence of a `len`-byte keyword at `at` is a whole word.
fn whole_word(content: &[u8], at: usize, len: usize) -> bool {
    let alnum = |i: usize| content.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let first_alnum = alnum(at);
    let last_alnum = at + len > 0 && alnum(at + len - 1);
    let joined_before = first_alnum && at > 0 && alnum(at - 1);
    let joined_after = last_alnum && alnum(at + len);
    !joined_before && !joined_after
}

impl Compiled {
    /// Whether a whole-word keyword lies within `proximity` bytes of `start..end`
    /// (anywhere in the file without a proximity).
    fn keyword_near(&self, ctx: &FileCtx<'_>, start: usize, end: usize) -> bool {
        self.keywords.iter().any(|&(id, len)| {
            let hits = ctx.hits(id);
            match self.proximity {
                None => hits.iter().any(|&p| whole_word(ctx.content, p, len)),
                Some(n) => {
                    // Keyword end at or after `start - n`, keyword start at most `end + n`.
                    let lo = start.saturating_sub(n.saturating_add(len));
                    let hi = end.saturating_add(n);
                    let i = hits.partition_point(|&p| p < lo);
                    hits[i..]
                        .iter()
                        .take_while(|&&p| p <= hi)
                        .any(|&p| whole_word(ctx.content, p, len))
                }
            }
        })
    }

    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        let hit = |offset, confidence| Hit {
            id: Cow::Owned(self.signal.clone()),
            category: Cow::Owned(self.category.clone()),
            confidence,
            offset,
        };
        let Some(regex) = &self.regex else {
            let mut n = 0;
            for &(id, len) in &self.keywords {
                for &p in ctx.hits(id) {
                    if n < MAX_POSITIONS_PER_ANCHOR && whole_word(ctx.content, p, len) {
                        out.push(hit(p, self.confidence));
                        n += 1;
                    }
                }
            }
            return;
        };
        if let Some(gate) = &self.gate
            && !gate.iter().any(|&a| ctx.has(a))
        {
            return;
        }
        let mut n = 0;
        // Whether the candidate became a hit.
        let mut push = |start: usize, end: usize, candidate: &[u8]| {
            if self.validator.is_some_and(|v| !v(candidate)) {
                return false;
            }
            let confidence = if self.keywords.is_empty() || self.keyword_near(ctx, start, end) {
                self.confidence
            } else {
                lower(self.confidence)
            };
            out.push(hit(start, confidence));
            true
        };
        if self.group && self.validator.is_some() {
            for caps in regex.captures_iter(ctx.content) {
                let m = caps.get(0).expect("group 0 always matches");
                let candidate = caps.get(1).map_or(m.as_bytes(), |g| g.as_bytes());
                n += usize::from(push(m.start(), m.end(), candidate));
                if n >= MAX_POSITIONS_PER_ANCHOR {
                    break;
                }
            }
        } else {
            for m in regex.find_iter(ctx.content) {
                n += usize::from(push(m.start(), m.end(), m.as_bytes()));
                if n >= MAX_POSITIONS_PER_ANCHOR {
                    break;
                }
            }
        }
    }
}

impl Family for Custom {
    fn name(&self) -> &'static str {
        "custom"
    }

    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        if ctx.binary {
            return;
        }
        for d in &self.detectors {
            d.scan(ctx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_str;
    use crate::detect::engine::Detectors;
    use crate::model::Signal;

    fn detectors(yaml: &str) -> Detectors {
        let config = parse_str(yaml, "tiergate.yaml").unwrap_or_else(|d| panic!("{d}"));
        Detectors::new(&config.detectors, &[]).unwrap()
    }

    fn scan(d: &Detectors, text: &str) -> Vec<Signal> {
        d.scanner().scan("data/people.csv", text.as_bytes(), false)
    }

    /// `(id, category, confidence, count, line)` of each signal.
    fn summary(signals: &[Signal]) -> Vec<(String, String, Confidence, u32, u32)> {
        signals
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.category.clone(),
                    s.confidence,
                    s.count,
                    s.line,
                )
            })
            .collect()
    }

    #[test]
    fn a_regex_detector_end_to_end() {
        let d = detectors(
            "detectors:\n  - id: employee-id\n    category: personal-data\n    regex: \"EMP-[0-9]{6}\"\n",
        );
        let got = scan(&d, "name,id\nAda,EMP-204481\nBob,EMP-993120\nCy,EMP-12\n");
        assert_eq!(
            summary(&got),
            vec![(
                "custom.employee-id".into(),
                "personal-data".into(),
                Confidence::Medium,
                2,
                2
            )]
        );
        let json = serde_json::to_string(&got).unwrap();
        assert!(
            !json.contains("204481") && !json.contains("993120"),
            "{json}"
        );
        // The anchor is case-insensitive, the regex is not.
        assert!(scan(&d, "emp-204481\n").is_empty());
        assert!(scan(&d, "nothing here\n").is_empty());
        assert!(d.scanner().scan("x.bin", b"EMP-204481", true).is_empty());
    }

    #[test]
    fn keywords_alone_match_whole_words_ignoring_case() {
        let d = detectors(
            "detectors:\n  - id: project-falcon\n    keywords: [\"falcon\", \"Project Kestrel\"]\n    confidence: high\n",
        );
        let got = scan(
            &d,
            "intro\nFALCON launch\nfalcons and falconry\nsee project kestrel\n",
        );
        assert_eq!(
            summary(&got),
            vec![(
                "custom.project-falcon".into(),
                "custom".into(),
                Confidence::High,
                2,
                2
            )]
        );
    }

    #[test]
    fn keywords_near_a_match_keep_the_confidence_and_far_ones_lower_it() {
        let d = detectors(
            "detectors:\n  - id: badge\n    regex: \"BDG[0-9]{5}\"\n    keywords: [badge]\n    proximity: 20\n    confidence: high\n",
        );
        let near = scan(&d, "badge number: BDG12345\n");
        assert_eq!(near[0].confidence, Confidence::High);
        let after = scan(&d, "BDG12345 is the badge\n");
        assert_eq!(after[0].confidence, Confidence::High);
        let far = scan(&d, &format!("badge\n{}\nBDG12345\n", "x".repeat(100)));
        assert_eq!(far[0].confidence, Confidence::Medium);
        let none = scan(&d, "BDG12345\n");
        assert_eq!(none[0].confidence, Confidence::Medium);
        // A keyword inside another word does not count.
        let inside = scan(&d, "badges: BDG12345\n");
        assert_eq!(inside[0].confidence, Confidence::Medium);

        // Without `proximity`, anywhere in the file counts; low cannot go lower.
        let d = detectors(
            "detectors:\n  - id: badge\n    regex: \"BDG[0-9]{5}\"\n    keywords: [badge]\n    confidence: low\n",
        );
        let far = scan(&d, &format!("badge\n{}\nBDG12345\n", "x".repeat(5000)));
        assert_eq!(far[0].confidence, Confidence::Low);
        assert_eq!(scan(&d, "BDG12345")[0].confidence, Confidence::Low);
    }

    #[test]
    fn a_validator_drops_matches_that_fail_it() {
        // 4111111111111111 passes Luhn; changing the last digit breaks it.
        let d = detectors(
            "detectors:\n  - id: card\n    regex: \"\\\\b[0-9]{16}\\\\b\"\n    validator: luhn\n",
        );
        let got = scan(&d, "4111111111111111\n4111111111111112\n");
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].count, got[0].line), (1, 1));
        assert!(scan(&d, "4111111111111112\n").is_empty());

        // With a capture group, the group is validated.
        let d = detectors(
            "detectors:\n  - id: card\n    regex: \"card=([0-9]{16})\"\n    validator: luhn\n",
        );
        assert_eq!(scan(&d, "card=4111111111111111")[0].count, 1);
        assert!(scan(&d, "card=4111111111111112").is_empty());
    }

    #[test]
    fn literal_prefixes_become_anchors() {
        assert_eq!(
            prefix_literals("EMP-[0-9]{6}"),
            Some(vec!["EMP-".to_string()])
        );
        assert_eq!(
            prefix_literals("foo[0-9]|barbaz"),
            Some(vec!["foo".to_string(), "bar".to_string()])
        );
        assert_eq!(prefix_literals("[0-9]{3}-[0-9]{2}"), None);
        assert_eq!(prefix_literals("ab\\w+"), None, "too short to anchor");
        assert_eq!(prefix_literals("ab[0-9]").map(|v| v.len()), Some(10));
        assert!(prefix_literals("(?i)emp-[0-9]").is_some_and(|v| v.len() > 1));

        // Two detectors with prefixes and one keyword: three anchors; a regex without a
        // prefix adds none and runs on every file.
        let d = detectors(
            "detectors:\n  - id: a\n    regex: \"EMP-[0-9]+\"\n  - id: b\n    regex: \"[0-9]{3}-[0-9]{2}-[0-9]{4}\"\n    keywords: [ssn]\n  - id: c\n    regex: \"(?i)zone-[a-z]\"\n",
        );
        assert_eq!(d.anchor_count(), 1 + 1 + 1);
        let got = scan(&d, "ZONE-x 123-45-6789");
        let ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["custom.b", "custom.c"]);
    }

    #[test]
    fn custom_and_builtin_families_share_the_prefilter() {
        let config = parse_str(
            "detectors:\n  - id: vault\n    keywords: [\"password\"]\n",
            "tiergate.yaml",
        )
        .unwrap();
        let d = Detectors::new(&config.detectors, &[crate::detect::secrets::new]).unwrap();
        let got = d
            .scanner()
            .scan("app.env", b"DB_PASSWORD=Zq8#vN2!pL5xR\n", false);
        let ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["custom.vault", "secret.password_assignment"]);
    }

    #[test]
    fn a_hand_built_config_with_a_bad_regex_fails_with_its_location() {
        let mut config = crate::config::defaults();
        config.detectors.push(CustomDetector {
            id: "broken".into(),
            category: "custom".into(),
            regex: Some("EMP-[0-9".into()),
            keywords: vec![],
            proximity: None,
            validator: None,
            confidence: Confidence::Medium,
            source: crate::config::Loc {
                file: "tiergate.yaml".into(),
                line: 7,
                col: 5,
            },
        });
        let err = Detectors::new(&config.detectors, &[]).unwrap_err();
        assert_eq!(err.0.len(), 1);
        let d = &err.0[0];
        assert_eq!((d.line, d.col, d.code), (7, 5, "invalid-regex"));
        assert!(
            d.message.contains("unclosed character class"),
            "{}",
            d.message
        );
    }

    #[test]
    fn regex_checks_explain_the_problem_on_one_line() {
        let e = check_regex("EMP-[0-9").unwrap_err();
        assert_eq!(
            e,
            "invalid regex `EMP-[0-9`: unclosed character class (at byte 4)"
        );
        let e = check_regex("a*").unwrap_err();
        assert!(e.contains("can match the empty string"), "{e}");
        let e = check_regex("x{1000000}").unwrap_err();
        assert!(!e.contains('\n'), "{e}");
        assert_eq!(check_regex("(?-u)\\xff[a-z]+"), Ok(()));
    }

    #[test]
    fn every_validator_name_resolves() {
        for name in validator_names() {
            assert!(validator(name).is_some(), "{name}");
        }
        assert!(validator("nope").is_none());
    }
}
