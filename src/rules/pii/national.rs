//! `national_ids.yaml`: `formats`, the national identifiers' formats (and the ABA
//! routing number's): per format its `signal`, `validator`, `keywords`,
//! `with_keyword` and `shapes`, each shape with its confidence `without_keyword`.
//! Which shapes the token pass can read is checked here, so that a format it would
//! never try is an error at its line.

use super::super::read::Reading;
use crate::detect::pii::{Class, KEYWORD_GROUPS, NATIONAL_ID_SIGNALS};
use crate::detect::validators::VALIDATOR_NAMES;
use crate::model::Confidence;
use crate::schema::{Ctx, Located, Node, Pos, ticked};

/// A national identifier format, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalIdRule {
    pub signal: String,
    pub validator: String,
    pub keywords: Vec<String>,
    pub with_keyword: Confidence,
    pub shapes: Vec<ShapeRule>,
}

/// One shape of a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeRule {
    pub form: FormRule,
    /// The groups that count for this shape instead of the format's.
    pub keywords: Option<Vec<String>>,
    pub without_keyword: Option<Confidence>,
}

/// How a value is written (see [`crate::detect::pii::Form`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRule {
    Groups {
        class: Class,
        lengths: Vec<u8>,
        separators: String,
    },
    LetterAfter {
        digits: u8,
        separators: String,
    },
    Upper {
        length: u8,
        spaced: Vec<u8>,
    },
}

/// The longest value the token pass reads, and the most groups of a chain.
const MAX_LEN: i128 = 48;
const MAX_GROUPS: usize = 8;
/// A lone token shorter than this is never looked at (order ids, years, counters).
const MIN_LONE: i128 = 8;
/// What may join the groups of a digit-led value, and a letter to its digits.
const CHAIN_SEPARATORS: &str = " -+.";
const LETTER_SEPARATORS: &str = " -+";

const FORMAT_KEYS: &[&str] = &["signal", "validator", "keywords", "with_keyword", "shapes"];
const FORM_KEYS: &[&str] = &["digits", "alnum", "digits_or_alnum", "upper"];
const SHAPE_KEYS: &[&str] = &[
    "digits",
    "alnum",
    "digits_or_alnum",
    "upper",
    "separators",
    "letter_after",
    "spaced",
    "keywords",
    "without_keyword",
];
const CONFIDENCES: &[&str] = &["high", "medium", "low"];

/// Read the file into `out`. The formats are tiergate's own (they name its validators
/// and signals): a repository's file (`Reading::Additions`) is refused.
pub(super) fn read(
    cx: &mut Ctx<'_>,
    root: &Located<Node>,
    out: &mut Vec<NationalIdRule>,
    reading: Reading,
) {
    if reading == Reading::Additions {
        cx.error(
            root.pos(),
            "not-extensible",
            "the national identifier formats are tiergate's own (they name its validators and signals); a repository adds keywords (`keywords.yaml`) and test values (`documentation.yaml`)",
        );
        return;
    }
    let Some(top) = cx.mapping(root, "a mapping with `formats`", Some(&["formats"])) else {
        return;
    };
    cx.require(root, &top, &["formats"], "the national identifiers file");
    let Some(items) = top
        .get("formats")
        .and_then(|f| cx.seq(f.value, "a list of formats"))
    else {
        return;
    };
    let mut seen: Vec<(String, u64)> = Vec::new();
    for item in items {
        if let Some(f) = format(cx, item, &mut seen) {
            out.push(f);
        }
    }
}

fn format(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    seen: &mut Vec<(String, u64)>,
) -> Option<NationalIdRule> {
    let f = cx.mapping(
        node,
        "a format mapping of `signal`, `validator`, `keywords`, `with_keyword` and `shapes`",
        Some(FORMAT_KEYS),
    )?;
    cx.require(node, &f, FORMAT_KEYS, "a format");
    let signal = f.get("signal").and_then(|s| {
        let id = cx.string(s.value, "a signal id")?;
        if !NATIONAL_ID_SIGNALS.contains(&id) {
            cx.error(
                s.value.pos(),
                "invalid-value",
                format!(
                    "`{id}` is not a national identifier signal; expected one of {}",
                    ticked(NATIONAL_ID_SIGNALS)
                ),
            );
            return None;
        }
        if let Some((_, line)) = seen.iter().find(|(x, _)| x == id) {
            cx.error(
                s.value.pos(),
                "duplicate-id",
                format!("`{id}` has a format at line {line} already; give it more shapes there"),
            );
            return None;
        }
        seen.push((id.to_string(), node.line));
        Some(id.to_string())
    });
    let validator = f.get("validator").and_then(|x| {
        let name = cx.string(x.value, "a validator name")?;
        if VALIDATOR_NAMES.contains(&name) {
            Some(name.to_string())
        } else {
            cx.error(
                x.value.pos(),
                "invalid-value",
                unknown("validator", name, VALIDATOR_NAMES),
            );
            None
        }
    });
    let keywords = f.get("keywords").and_then(|k| groups(cx, k.value));
    let with_keyword = f
        .get("with_keyword")
        .and_then(|c| confidence(cx, c.value, false))
        .map(|c| c.expect("`none` is refused here"));
    let shapes = f.get("shapes").and_then(|x| {
        let items = cx.seq(x.value, "a list of shapes")?;
        if items.is_empty() {
            cx.error(x.value.pos(), "invalid-value", "a format needs a shape");
            return None;
        }
        let mut shapes: Vec<(ShapeRule, u64)> = Vec::new();
        let mut ok = true;
        for item in items {
            match shape(cx, item, with_keyword) {
                Some(s) => {
                    if let Some((_, line)) = shapes.iter().find(|(t, _)| overlap(&t.form, &s.form))
                    {
                        cx.error(
                            item.pos(),
                            "duplicate-id",
                            format!("the shape at line {line} reads these values already"),
                        );
                        ok = false;
                    }
                    shapes.push((s, item.line));
                }
                None => ok = false,
            }
        }
        ok.then(|| shapes.into_iter().map(|(s, _)| s).collect())
    });
    Some(NationalIdRule {
        signal: signal?,
        validator: validator?,
        keywords: keywords?,
        with_keyword: with_keyword?,
        shapes: shapes?,
    })
}

fn shape(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    with_keyword: Option<Confidence>,
) -> Option<ShapeRule> {
    let f = cx.mapping(
        node,
        "a shape mapping (`digits: [3, 2, 4]`, `separators`, `without_keyword`)",
        Some(SHAPE_KEYS),
    )?;
    cx.require(node, &f, &["without_keyword"], "a shape");
    let forms: Vec<_> = FORM_KEYS.iter().filter_map(|k| f.get(k)).collect();
    let [form] = forms[..] else {
        let at = forms.get(1).map_or(node.pos(), |x| x.key_pos);
        cx.error(
            at,
            "invalid-value",
            format!("a shape has exactly one of {}", ticked(FORM_KEYS)),
        );
        return None;
    };
    let separators = f.get("separators");
    let letter_after = f.get("letter_after");
    let spaced = f.get("spaced");
    // The keys that go with another form than this one.
    let stray = |key: &str| match form.key {
        "upper" => matches!(key, "separators" | "letter_after"),
        "digits" => key == "spaced",
        _ => matches!(key, "spaced" | "letter_after"),
    };
    let mut ok = true;
    for extra in [separators, letter_after, spaced].into_iter().flatten() {
        if stray(extra.key) {
            cx.error(
                extra.key_pos,
                "invalid-value",
                format!("`{}` does not go with `{}`", extra.key, form.key),
            );
            ok = false;
        }
    }
    let form = match form.key {
        "upper" => {
            let length = bounded(cx, form.value, "a length", 2, MAX_LEN)?;
            let spaced = match spaced {
                Some(x) => lengths(cx, x.value, "first groups", 2, length - 1)?,
                None => Vec::new(),
            };
            FormRule::Upper {
                length: length as u8,
                spaced,
            }
        }
        key => {
            let class = match key {
                "digits" => Class::Digits,
                "alnum" => Class::Alnum,
                _ => Class::Any,
            };
            let lengths = groups_lengths(cx, form.value)?;
            if let Some(l) = letter_after {
                if lengths.len() != 1 {
                    cx.error(
                        l.key_pos,
                        "invalid-value",
                        "a letter follows a lone run of digits (`digits: [8]`)",
                    );
                    return None;
                }
                if separators.is_some_and(|s| !stray(s.key)) {
                    cx.error(
                        form.key_pos,
                        "invalid-value",
                        "a lone run of digits has no `separators`; `letter_after` says what comes before the letter",
                    );
                    return None;
                }
                let seps = separator_set(cx, l.value, LETTER_SEPARATORS)?;
                FormRule::LetterAfter {
                    digits: lengths[0],
                    separators: seps,
                }
            } else {
                let seps = match (lengths.len(), separators) {
                    (1, None) => String::new(),
                    (1, Some(s)) => {
                        cx.error(
                            s.key_pos,
                            "invalid-value",
                            "a single group is a lone token, without separators",
                        );
                        return None;
                    }
                    (_, Some(s)) => separator_set(cx, s.value, CHAIN_SEPARATORS)?,
                    (_, None) => {
                        cx.error(
                            form.key_pos,
                            "missing-key",
                            format!(
                                "groups are joined by `separators`: some of {}",
                                ticked(&[" ", "-", "+", "."])
                            ),
                        );
                        return None;
                    }
                };
                FormRule::Groups {
                    class,
                    lengths,
                    separators: seps,
                }
            }
        }
    };
    let keywords = match f.get("keywords") {
        Some(k) => Some(groups(cx, k.value)?),
        None => None,
    };
    let without = f.get("without_keyword")?;
    let without_keyword = confidence(cx, without.value, true)?;
    if let (Some(w), Some(k)) = (without_keyword, with_keyword)
        && w > k
    {
        cx.error(
            without.value.pos(),
            "invalid-value",
            "a keyword does not lower the confidence: `without_keyword` is at most `with_keyword`",
        );
        return None;
    }
    ok.then_some(ShapeRule {
        form,
        keywords,
        without_keyword,
    })
}

/// Whether two shapes read some value alike (the same form, lengths and a class and
/// separator in common).
fn overlap(a: &FormRule, b: &FormRule) -> bool {
    let common =
        |x: &str, y: &str| (x.is_empty() && y.is_empty()) || x.chars().any(|c| y.contains(c));
    match (a, b) {
        (
            FormRule::Groups {
                class: ca,
                lengths: la,
                separators: sa,
            },
            FormRule::Groups {
                class: cb,
                lengths: lb,
                separators: sb,
            },
        ) => la == lb && (ca == cb || *ca == Class::Any || *cb == Class::Any) && common(sa, sb),
        (
            FormRule::LetterAfter {
                digits: da,
                separators: sa,
            },
            FormRule::LetterAfter {
                digits: db,
                separators: sb,
            },
        ) => da == db && common(sa, sb),
        (FormRule::Upper { .. }, FormRule::Upper { .. }) => a == b,
        _ => false,
    }
}

/// Keyword group names, each one of [`KEYWORD_GROUPS`], once.
fn groups(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<String>> {
    let items = cx.seq(node, "a list of keyword groups")?;
    if items.is_empty() {
        cx.error(
            node.pos(),
            "invalid-value",
            "the list of keyword groups is empty",
        );
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(g) = cx.string(item, "a keyword group") else {
            ok = false;
            continue;
        };
        if !KEYWORD_GROUPS.contains(&g) {
            cx.error(
                item.pos(),
                "invalid-value",
                unknown("keyword group", g, &KEYWORD_GROUPS),
            );
            ok = false;
        } else if out.iter().any(|o| o == g) {
            cx.error(item.pos(), "duplicate-id", format!("`{g}` is listed twice"));
            ok = false;
        } else {
            out.push(g.to_string());
        }
    }
    ok.then_some(out)
}

/// `high`, `medium` or `low`; `none` too where `none_ok` (as `None`).
fn confidence(cx: &mut Ctx<'_>, node: &Located<Node>, none_ok: bool) -> Option<Option<Confidence>> {
    let s = cx.string(node, "a confidence")?;
    Some(Some(match s {
        "high" => Confidence::High,
        "medium" => Confidence::Medium,
        "low" => Confidence::Low,
        "none" if none_ok => return Some(None),
        _ => {
            let mut expected = CONFIDENCES.to_vec();
            if none_ok {
                expected.push("none");
            }
            cx.error(
                node.pos(),
                "invalid-value",
                format!(
                    "unknown confidence `{s}`; expected one of {}",
                    ticked(&expected)
                ),
            );
            return None;
        }
    }))
}

/// The group lengths of a digit-led value: at most [`MAX_GROUPS`] groups within
/// [`MAX_LEN`] bytes, separators included; a lone token of [`MIN_LONE`] or more.
fn groups_lengths(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<u8>> {
    let lengths = lengths(cx, node, "group lengths", 1, MAX_LEN)?;
    let span = lengths.iter().map(|&l| usize::from(l)).sum::<usize>() + lengths.len() - 1;
    let problem = if lengths.len() > MAX_GROUPS {
        Some(format!("the token pass joins at most {MAX_GROUPS} groups"))
    } else if span as i128 > MAX_LEN {
        Some(format!(
            "the value spans {span} bytes with its separators; the token pass reads at most {MAX_LEN}"
        ))
    } else if lengths.len() == 1 && i128::from(lengths[0]) < MIN_LONE {
        Some(format!(
            "a lone token is read from {MIN_LONE} characters on; a shorter one is too common to check"
        ))
    } else {
        None
    };
    if let Some(p) = problem {
        cx.error(node.pos(), "invalid-value", p);
        return None;
    }
    Some(lengths)
}

/// A non-empty list of lengths within `lo..=hi`, without repeats when `what` is a set.
fn lengths(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    what: &str,
    lo: i128,
    hi: i128,
) -> Option<Vec<u8>> {
    let items = super::super::read::non_empty_seq(cx, node, what)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(bounded(cx, item, "a length", lo, hi)? as u8);
    }
    Some(out)
}

fn bounded(cx: &mut Ctx<'_>, node: &Located<Node>, what: &str, lo: i128, hi: i128) -> Option<i128> {
    let n = cx.int(node, &format!("{what}, an integer"))?;
    if !(lo..=hi).contains(&n) {
        let at: Pos = node.pos();
        cx.error(
            at,
            "invalid-value",
            format!("{what} from {lo} to {hi}, found {n}"),
        );
        return None;
    }
    Some(n)
}

/// A string of separator bytes, each one of `allowed`, once.
fn separator_set(cx: &mut Ctx<'_>, node: &Located<Node>, allowed: &str) -> Option<String> {
    let s = cx.string(node, "a string of separators")?;
    let mut seen = String::new();
    for c in s.chars() {
        if !allowed.contains(c) || seen.contains(c) {
            let shown: Vec<String> = allowed.chars().map(|c| format!("`{c}`")).collect();
            cx.error(
                node.pos(),
                "invalid-value",
                format!(
                    "separators are some of {}, each once; found `{s}`",
                    shown.join(", ")
                ),
            );
            return None;
        }
        seen.push(c);
    }
    if seen.is_empty() {
        cx.error(node.pos(), "invalid-value", "no separator given");
        return None;
    }
    Some(seen)
}

fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    match crate::schema::suggest(name, known) {
        Some(s) => format!("unknown {what} `{name}`; did you mean `{s}`?"),
        None => format!("unknown {what} `{name}`; expected one of {}", ticked(known)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Vec<NationalIdRule>, Vec<String>) {
        crate::rules::read::read_for_test("pii/national_ids.yaml", text, |cx, root, out| {
            read(cx, root, out, Reading::Whole)
        })
    }

    fn one(shapes: &str) -> String {
        format!(
            "formats:\n  - signal: pii.us_ssn\n    validator: us_ssn\n    keywords: [ssn]\n    with_keyword: high\n    shapes:\n{shapes}"
        )
    }

    #[test]
    fn a_format_reads_with_its_shapes() {
        let (out, problems) = read_text(&one(
            "      - {digits: [3, 2, 4], separators: \"- \", without_keyword: medium}\n      - {digits_or_alnum: [9], keywords: [ssn, nat_id], without_keyword: none}\n      - {digits: [8], letter_after: \"-\", without_keyword: low}\n      - {upper: 9, spaced: [2, 8], without_keyword: low}\n",
        ));
        assert!(problems.is_empty(), "{problems:?}");
        let f = &out[0];
        assert_eq!(
            (f.signal.as_str(), f.validator.as_str()),
            ("pii.us_ssn", "us_ssn")
        );
        assert_eq!(f.with_keyword, Confidence::High);
        assert_eq!(
            f.shapes[0].form,
            FormRule::Groups {
                class: Class::Digits,
                lengths: vec![3, 2, 4],
                separators: "- ".into()
            }
        );
        assert_eq!(
            f.shapes[1].keywords.as_deref(),
            Some(&["ssn".to_string(), "nat_id".to_string()][..])
        );
        assert_eq!(f.shapes[1].without_keyword, None);
        assert_eq!(
            f.shapes[2].form,
            FormRule::LetterAfter {
                digits: 8,
                separators: "-".into()
            }
        );
        assert_eq!(
            f.shapes[3].form,
            FormRule::Upper {
                length: 9,
                spaced: vec![2, 8]
            }
        );
    }

    #[test]
    fn names_and_shapes_are_checked_at_their_place() {
        let text = "formats:\n  - signal: pii.email\n    validator: us_snn\n    keywords: [ssn, bank]\n    with_keyword: none\n    shapes: []\n  - signal: pii.us_ssn\n    validator: us_ssn\n    keywords: [ssn]\n    with_keyword: medium\n    shapes:\n      - {digits: [3, 2, 4], without_keyword: low}\n      - {digits: [7], without_keyword: none}\n      - {digits: [9], separators: \"-\", without_keyword: none}\n      - {alnum: [3, 2, 4], separators: \"/\", without_keyword: low}\n      - {digits: [9], upper: 9, without_keyword: low}\n      - {upper: 9, spaced: [9], without_keyword: low}\n      - {digits: [3, 2, 4], separators: \"-\", without_keyword: high}\n      - {digits: [20, 20, 20], separators: \"-\", without_keyword: low}\n      - {alnum: [9], letter_after: \"-\", without_keyword: low}\n      - {digits: [9], without_keyword: lowest}\n      - {digits_or_alnum: [10], without_keyword: none}\n      - {alnum: [10], without_keyword: none}\n  - signal: pii.us_ssn\n";
        let (_, problems) = read_text(text);
        assert_eq!(
            problems,
            [
                "2:13 invalid-value",  // not a national identifier signal
                "3:16 invalid-value",  // unknown validator
                "4:21 invalid-value",  // unknown keyword group
                "5:19 invalid-value",  // `none` with a keyword
                "6:13 invalid-value",  // no shape
                "12:10 missing-key",   // groups without separators
                "13:18 invalid-value", // a lone token of 7
                "14:23 invalid-value", // separators on a lone token
                "15:40 invalid-value", // an unknown separator
                "16:23 invalid-value", // two forms
                "17:29 invalid-value", // a first group as long as the value
                "18:63 invalid-value", // without above with
                "19:18 invalid-value", // too long
                "20:22 invalid-value", // a letter after letters
                "21:40 invalid-value", // unknown confidence
                "23:9 duplicate-id",   // reads what the shape above reads
                "24:5 missing-key",    // a format without its keys: validator,
                "24:5 missing-key",    // keywords,
                "24:5 missing-key",    // with_keyword
                "24:5 missing-key",    // and shapes
                "24:13 duplicate-id",  // a second format of one signal
            ]
        );
    }

    #[test]
    fn a_repository_does_not_extend_the_formats() {
        let mut out = Vec::new();
        let mut diags = Vec::new();
        crate::rules::read::run(
            "r/pii/national_ids.yaml",
            &one(""),
            &mut diags,
            |cx, root| read(cx, root, &mut out, Reading::Additions),
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "not-extensible");
        assert!(out.is_empty());
    }
}
