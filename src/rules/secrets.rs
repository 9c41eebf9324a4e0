//! `rules/secrets/*.yaml`: what the credential detectors read besides the formats.
//!
//! - `context.yaml`: `code_extensions`, `not_a_secret_suffixes`, `placeholder_values`,
//!   `placeholder_parts`, `password_keywords`, `connection_schemes`;
//! - `signals.yaml`: `examples` for every credential signal, each text given in `parts`
//!   so that the file holds no whole credential.
//!
//! The formats themselves (prefixes, lengths, checksums, entropy) are still code in
//! [`crate::detect::secrets`].

use super::annex3::Examples;
use super::read::{Reading, run, signals_file, words};
use crate::detect::secrets::SIGNAL_IDS;
use crate::diag::Diagnostic;
use crate::schema::{Ctx, Located, Node};

/// The file names of the family, in the order they are read.
pub const FILES: &[&str] = &["context.yaml", "signals.yaml"];

/// The keys of `context.yaml`, in the order of [`SecretsRules::lists`].
pub const CONTEXT_KEYS: &[&str] = &[
    "code_extensions",
    "not_a_secret_suffixes",
    "placeholder_values",
    "placeholder_parts",
    "password_keywords",
    "connection_schemes",
];

/// The family's rules, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecretsRules {
    /// The lists of `context.yaml`, in the order of [`CONTEXT_KEYS`].
    pub lists: Vec<Vec<String>>,
    /// Examples per signal: (signal, file as shown, examples).
    pub examples: Vec<(String, String, Examples)>,
}

/// Read the two files (display, text), in the order of [`FILES`].
pub fn parse(files: [(&str, &str); 2]) -> Result<SecretsRules, Vec<Diagnostic>> {
    let mut out = SecretsRules::default();
    let mut diags = Vec::new();
    let [(cd, ct), (xd, xt)] = files;
    read_file(FILES[0], cd, ct, Reading::Whole, &mut out, &mut diags);
    read_file(FILES[1], xd, xt, Reading::Whole, &mut out, &mut diags);
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// What one of a repository's files (`name`, one of [`FILES`]) adds to the family:
/// its keys are optional, and its lists are added to the shipped ones.
pub(super) fn parse_additions(
    name: &str,
    display: &str,
    text: &str,
) -> Result<SecretsRules, Vec<Diagnostic>> {
    let mut out = SecretsRules::default();
    let mut diags = Vec::new();
    read_file(
        name,
        display,
        text,
        Reading::Additions,
        &mut out,
        &mut diags,
    );
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn read_file(
    name: &str,
    display: &str,
    text: &str,
    reading: Reading,
    out: &mut SecretsRules,
    diags: &mut Vec<Diagnostic>,
) {
    run(display, text, diags, |cx, root| {
        if name == "context.yaml" {
            context(cx, root, out, reading);
        } else {
            out.examples = signals_file(cx, root, SIGNAL_IDS, reading);
        }
    });
}

fn context(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut SecretsRules, reading: Reading) {
    let Some(top) = cx.mapping(root, "a mapping of the context lists", Some(CONTEXT_KEYS)) else {
        return;
    };
    if reading == Reading::Whole {
        cx.require(root, &top, CONTEXT_KEYS, "the context file");
    }
    for key in CONTEXT_KEYS {
        // Password keywords are searched for: three bytes or more.
        let anchored = *key == "password_keywords";
        let list = top
            .get(key)
            .and_then(|f| words(cx, f.value, key, anchored).map(|w| (f, w)))
            .map(|(f, list)| {
                if LOWERED.contains(key) {
                    lower_case(cx, f.value, &list);
                }
                list
            })
            .unwrap_or_default();
        out.lists.push(list);
    }
}

/// The lists the detectors compare with lowered text: an upper-case letter in one of
/// their words would never match.
const LOWERED: &[&str] = &[
    "not_a_secret_suffixes",
    "placeholder_values",
    "placeholder_parts",
    "connection_schemes",
];

fn lower_case(cx: &mut Ctx<'_>, node: &Located<Node>, list: &[String]) {
    let Node::Seq(items) = &node.value else {
        return;
    };
    for (w, item) in list.iter().zip(items) {
        if w.bytes().any(|b| b.is_ascii_uppercase()) {
            cx.error(
                item.pos(),
                "invalid-value",
                format!(
                    "`{w}` has upper-case letters, but values are compared lowered: write `{}`",
                    w.to_ascii_lowercase()
                ),
            );
        }
    }
}
