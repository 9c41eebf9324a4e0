//! `rules/pii/*.yaml`: the personal-data detectors' knowledge.
//!
//! - `keywords.yaml`: `groups`, a mapping of every keyword group the detectors read
//!   ([`KEYWORD_GROUPS`], in that order) to its words;
//! - `special.yaml`: the special-category `terms` (`words`, `signal`, `mode`), the
//!   `affixes` an exact term may carry, and `examples` for every special-category
//!   signal;
//! - `context.yaml`: the context lists ([`CONTEXT_LISTS`]): SQL types, TLD-looking
//!   extensions, what makes a name a declared field, what kind of file a path is, the
//!   vocabulary of tables;
//! - `signals.yaml`: `examples` for every personal-data and health signal;
//! - `documentation.yaml`: `values`, the published documentation and test values per
//!   validator ([`documentation`]);
//! - `national_ids.yaml`: `formats`, how each national identifier is read, which
//!   validator confirms it, its keywords and confidences ([`national`]).
//!
//! The validators and the token pass stay in Rust ([`crate::detect::pii`]).

use super::annex3::Examples;
use super::read::{
    MIN_LITERAL_BYTES, Reading, read_files, run, signal_examples, signals_file, words,
};
use crate::detect::pii::{CONTEXT_LISTS, Cx, KEYWORD_GROUPS, Mode, SIGNAL_IDS};
use crate::diag::Diagnostic;
use crate::schema::{Ctx, Located, Node};

mod documentation;
mod national;

pub use national::{FormRule, NationalIdRule, ShapeRule};

/// The file names of the family, in the order they are read.
pub const FILES: &[&str] = &[
    "keywords.yaml",
    "special.yaml",
    "context.yaml",
    "signals.yaml",
    "documentation.yaml",
    "national_ids.yaml",
];

/// Whether a signal is a special-category name's (`special.*` for data,
/// `special_field.*` for a schema), whose examples are in `special.yaml`.
fn is_special(id: &str) -> bool {
    id.starts_with("special.") || id.starts_with("special_field.")
}

/// The family's signals of one kind (the special-category names', or the values'
/// `pii.` and `health.`).
fn signals_of(special: bool) -> Vec<&'static str> {
    SIGNAL_IDS
        .iter()
        .copied()
        .filter(|id| is_special(id) == special)
        .collect()
}
const MODES: &[&str] = &["part", "exact", "header_only"];

/// The family's rules, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PiiRules {
    /// Words per group, in the order of [`KEYWORD_GROUPS`].
    pub keywords: Vec<Vec<String>>,
    pub terms: Vec<Term>,
    pub affixes: Vec<String>,
    /// The lists of `context.yaml`, in the order of [`CONTEXT_LISTS`].
    pub context: Vec<Vec<String>>,
    /// Examples per signal, in file order: (signal, file as shown, examples).
    pub examples: Vec<(String, String, Examples)>,
    /// Documentation and test values per validator name, in file order.
    pub documentation: Vec<(String, Vec<String>)>,
    /// National identifier formats, in file order.
    pub national_ids: Vec<NationalIdRule>,
}

/// A special-category term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub words: Vec<String>,
    pub signal: String,
    pub mode: Mode,
}

/// Read the files (display, text), in the order of [`FILES`].
pub fn parse(files: [(&str, &str); 6]) -> Result<PiiRules, Vec<Diagnostic>> {
    let named = FILES.iter().zip(files).map(|(n, (d, t))| (*n, d, t));
    read_files(named, Reading::Whole, read_file)
}

/// What one of a repository's files (`name`, one of [`FILES`]) adds to the family:
/// its keys are optional, and its lists are added to the shipped ones.
pub(super) fn parse_additions(
    name: &str,
    display: &str,
    text: &str,
) -> Result<PiiRules, Vec<Diagnostic>> {
    read_files([(name, display, text)], Reading::Additions, read_file)
}

fn read_file(
    name: &str,
    display: &str,
    text: &str,
    reading: Reading,
    out: &mut PiiRules,
    diags: &mut Vec<Diagnostic>,
) {
    run(display, text, diags, |cx, root| match name {
        "keywords.yaml" => keywords(cx, root, out, reading),
        "special.yaml" => special(cx, root, out, reading),
        "context.yaml" => context(cx, root, out, reading),
        "documentation.yaml" => documentation::read(cx, root, &mut out.documentation, reading),
        "national_ids.yaml" => national::read(cx, root, &mut out.national_ids, reading),
        _ => {
            let mut found = signals_file(cx, root, &signals_of(false), reading);
            out.examples.append(&mut found);
        }
    });
}

fn keywords(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut PiiRules, reading: Reading) {
    let Some(top) = cx.mapping(root, "a mapping with `groups`", Some(&["groups"])) else {
        return;
    };
    cx.require(root, &top, &["groups"], "the keywords file");
    let Some(groups) = top.get("groups") else {
        return;
    };
    let Some(fields) = cx.mapping(
        groups.value,
        "a mapping of keyword groups",
        Some(&KEYWORD_GROUPS),
    ) else {
        return;
    };
    if reading == Reading::Whole {
        cx.require(groups.value, &fields, &KEYWORD_GROUPS, "`groups`");
    }
    for name in KEYWORD_GROUPS {
        let words = fields
            .get(name)
            .and_then(|f| words(cx, f.value, "keywords", true))
            .unwrap_or_default();
        out.keywords.push(words);
    }
}

fn special(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut PiiRules, reading: Reading) {
    const KEYS: &[&str] = &["terms", "affixes", "examples"];
    let Some(top) = cx.mapping(
        root,
        "a mapping of `terms`, `affixes` and `examples`",
        Some(KEYS),
    ) else {
        return;
    };
    if reading == Reading::Whole {
        cx.require(root, &top, KEYS, "the special-category file");
    }
    if let Some(f) = top.get("terms")
        && let Some(items) = cx.seq(f.value, "a list of terms")
    {
        for item in items {
            if let Some(t) = term(cx, item) {
                out.terms.push(t);
            }
        }
    }
    if let Some(f) = top.get("affixes") {
        out.affixes = words(cx, f.value, "affixes", false).unwrap_or_default();
    }
    // The shipped file has examples for every special-category signal; a repository's
    // file for every signal its own terms give.
    let required: Vec<&str> = match reading {
        Reading::Whole => signals_of(true),
        Reading::Additions => {
            // A term's data signal; its schema form (`special_field.*`) may have some.
            let mut given: Vec<&str> = out.terms.iter().map(|t| t.signal.as_str()).collect();
            given.sort_unstable();
            given.dedup();
            given
        }
    };
    match top.get("examples") {
        Some(f) => {
            let mut found = signal_examples(cx, f.value, &signals_of(true), &required);
            out.examples.append(&mut found);
        }
        None if reading == Reading::Additions && !required.is_empty() => cx.error(
            root.pos(),
            "missing-key",
            format!(
                "the terms give {}: add `examples` with a `match` and a `no_match` list for each, as the shipped rules have",
                crate::schema::ticked(&required)
            ),
        ),
        None => {}
    }
}

fn term(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Term> {
    const KEYS: &[&str] = &["words", "signal", "mode"];
    let f = cx.mapping(
        node,
        "a term mapping of `words`, `signal` and `mode`",
        Some(KEYS),
    )?;
    cx.require(node, &f, KEYS, "a term");
    let words = f.get("words").and_then(|w| {
        let words = words(cx, w.value, "words", false)?;
        let lower = words
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if !lower {
            cx.error(
                w.value.pos(),
                "invalid-value",
                "a term's words are lower-case letters and digits, one word each (`[medical, history]`)",
            );
            return None;
        }
        if words[0].len() < MIN_LITERAL_BYTES {
            cx.error(
                w.value.pos(),
                "invalid-value",
                format!("the first word is searched for and must have {MIN_LITERAL_BYTES} bytes or more"),
            );
            return None;
        }
        Some(words)
    });
    let signal = f.get("signal").and_then(|s| {
        let id = cx.string(s.value, "a special-category signal id")?;
        let special: Vec<&str> = signals_of(true)
            .into_iter()
            .filter(|id| id.starts_with("special."))
            .collect();
        if special.contains(&id) {
            Some(id.to_string())
        } else {
            cx.error(
                s.value.pos(),
                "invalid-value",
                format!(
                    "unknown special-category signal `{id}`; expected one of {}",
                    crate::schema::ticked(&special)
                ),
            );
            None
        }
    });
    let mode = f.get("mode").and_then(|m| {
        let s = cx.string(m.value, "a mode")?;
        match s {
            "part" => Some(Mode::Part),
            "exact" => Some(Mode::Exact),
            "header_only" => Some(Mode::HeaderOnly),
            _ => {
                cx.error(
                    m.value.pos(),
                    "invalid-value",
                    format!(
                        "unknown mode `{s}`; expected one of {}",
                        crate::schema::ticked(MODES)
                    ),
                );
                None
            }
        }
    });
    Some(Term {
        words: words?,
        signal: signal?,
        mode: mode?,
    })
}

fn context(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut PiiRules, reading: Reading) {
    let Some(top) = cx.mapping(root, "a mapping of the context lists", Some(&CONTEXT_LISTS)) else {
        return;
    };
    if reading == Reading::Whole {
        cx.require(root, &top, &CONTEXT_LISTS, "the context file");
    }
    // Compared as written: keys of documents and text of code lines.
    const CASED: &[Cx] = &[
        Cx::SchemaKeys,
        Cx::FieldNameKeys,
        Cx::SchemaMarkers,
        Cx::DeclarationKeywords,
        Cx::FieldModifiers,
    ];
    out.context = CONTEXT_LISTS
        .iter()
        .enumerate()
        .map(|(i, key)| {
            // Machine markers are searched for: three bytes or more.
            let anchored = i == Cx::MachineMarkers as usize;
            let Some(f) = top.get(key) else {
                return Vec::new();
            };
            let list = words(cx, f.value, key, anchored).unwrap_or_default();
            if !CASED.iter().any(|c| *c as usize == i) {
                super::secrets::lower_case(cx, f.value, &list);
            }
            list
        })
        .collect();
}
