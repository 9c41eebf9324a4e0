//! What the rule files' readers share: reading one file into the located tree with its
//! problems collected, lists of words, and the examples of a family's signals.

use super::annex3::{Examples, examples};
use crate::diag::Diagnostic;
use crate::schema::{Ctx, Located, Node, yaml};

/// How a family's file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// The shipped knowledge: every key, and examples for every signal.
    Whole,
    /// A repository's additions (see [`super::user`]): every key optional, what is
    /// given added to the shipped lists.
    Additions,
}

/// The prefilter's shortest anchor (`detect::trigrams::MIN_ANCHOR_BYTES`): a searched
/// literal is at least this long.
pub(super) const MIN_LITERAL_BYTES: usize = 3;

/// A family's files, each (name, display, text), read by `read` into a default `T`:
/// the shipped family whole, or what a repository's files add ([`Reading`]).
pub(super) fn read_files<'f, T: Default>(
    files: impl IntoIterator<Item = (&'f str, &'f str, &'f str)>,
    reading: Reading,
    read: impl Fn(&str, &str, &str, Reading, &mut T, &mut Vec<Diagnostic>),
) -> Result<T, Vec<Diagnostic>> {
    let mut out = T::default();
    let mut diags = Vec::new();
    for (name, display, text) in files {
        read(name, display, text, reading, &mut out, &mut diags);
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// A family of one file: `body` reads it into a default `T`.
pub(super) fn parse_one<T: Default>(
    (display, text): (&str, &str),
    body: impl FnOnce(&mut Ctx<'_>, &Located<Node>, &mut T),
) -> Result<T, Vec<Diagnostic>> {
    let mut out = T::default();
    let mut diags = Vec::new();
    run(display, text, &mut diags, |cx, root| {
        body(cx, root, &mut out)
    });
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// A signals file: a mapping with `examples` for each of `signals` (read [`Whole`]),
/// or for some of them (a repository's [`Additions`]).
///
/// [`Whole`]: Reading::Whole
/// [`Additions`]: Reading::Additions
pub(super) fn signals_file(
    cx: &mut Ctx<'_>,
    root: &Located<Node>,
    signals: &[&str],
    reading: Reading,
) -> Vec<(String, String, Examples)> {
    let Some(top) = cx.mapping(root, "a mapping with `examples`", Some(&["examples"])) else {
        return Vec::new();
    };
    cx.require(root, &top, &["examples"], "the signals file");
    let required = match reading {
        Reading::Whole => signals,
        Reading::Additions => &[],
    };
    match top.get("examples") {
        Some(f) => signal_examples(cx, f.value, signals, required),
        None => Vec::new(),
    }
}

pub(super) fn run(
    display: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
    body: impl FnOnce(&mut Ctx<'_>, &Located<Node>),
) {
    let root = match yaml::parse(text, display) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diags.push(Diagnostic::new(
                display,
                1,
                1,
                "missing-key",
                "the file is empty",
            ));
            return;
        }
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    let mut cx = Ctx {
        file: display,
        diags: Vec::new(),
    };
    body(&mut cx, &root);
    diags.append(&mut cx.diags);
}

/// The items of a list of `what`, which may not be empty.
pub(super) fn non_empty_seq<'n>(
    cx: &mut Ctx<'_>,
    node: &'n Located<Node>,
    what: &str,
) -> Option<&'n [Located<Node>]> {
    let items = cx.seq(node, &format!("a list of {what}"))?;
    if items.is_empty() {
        cx.error(
            node.pos(),
            "invalid-value",
            format!("the list of {what} is empty"),
        );
        return None;
    }
    Some(items)
}

/// Read `text` as the file `display` with `body` into a fresh `T`; what it read and
/// the problems as `line:col code`, for the readers' tests.
#[cfg(test)]
pub(super) fn read_for_test<T: Default>(
    display: &str,
    text: &str,
    body: impl FnOnce(&mut Ctx<'_>, &Located<Node>, &mut T),
) -> (T, Vec<String>) {
    let mut out = T::default();
    let mut diags = Vec::new();
    run(display, text, &mut diags, |cx, root| {
        body(cx, root, &mut out)
    });
    let problems = diags
        .iter()
        .map(|d| format!("{}:{} {}", d.line, d.col, d.code))
        .collect();
    (out, problems)
}

/// A non-empty list of strings, each searched for when `anchored` (three bytes or more
/// without a trailing `*`).
pub(super) fn words(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    what: &str,
    anchored: bool,
) -> Option<Vec<String>> {
    let items = non_empty_seq(cx, node, what)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(w) = cx.string(item, "a string") else {
            continue;
        };
        let stem = w.strip_suffix('*').unwrap_or(w);
        if stem.is_empty() {
            cx.error(
                item.pos(),
                "invalid-value",
                "an empty string matches nothing",
            );
            continue;
        }
        if anchored && stem.len() < MIN_LITERAL_BYTES {
            cx.error(
                item.pos(),
                "invalid-value",
                format!("`{w}` is shorter than {MIN_LITERAL_BYTES} bytes; it would match nearly everywhere"),
            );
            continue;
        }
        out.push(w.to_string());
    }
    (out.len() == items.len()).then_some(out)
}

/// `examples`: a mapping of signals (some of `signals`, each of `required`) to their
/// examples, as (signal, file, examples) in file order.
pub(super) fn signal_examples(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    signals: &[&str],
    required: &[&str],
) -> Vec<(String, String, Examples)> {
    let mut out = Vec::new();
    let Some(fields) = cx.mapping(node, "a mapping of signals to examples", Some(signals)) else {
        return out;
    };
    cx.require(node, &fields, required, "`examples`");
    for field in &fields.0 {
        if let Some(e) = examples(cx, field.value) {
            out.push((field.key.to_string(), cx.file.to_string(), e));
        }
    }
    out
}

/// Where a missing family file is reported.
pub(super) fn missing(dir_display: &str, name: &str) -> Diagnostic {
    let family = dir_display
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(dir_display);
    Diagnostic::new(
        format!("{dir_display}/{name}"),
        0,
        0,
        "missing-key",
        format!("the {family} family needs this file"),
    )
}
