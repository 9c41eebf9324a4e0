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
use super::read::{run, signals_file, words};
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
    run(cd, ct, &mut diags, |cx, root| context(cx, root, &mut out));
    run(xd, xt, &mut diags, |cx, root| {
        out.examples = signals_file(cx, root, SIGNAL_IDS);
    });
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn context(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut SecretsRules) {
    let Some(top) = cx.mapping(root, "a mapping of the context lists", Some(CONTEXT_KEYS)) else {
        return;
    };
    cx.require(root, &top, CONTEXT_KEYS, "the context file");
    for key in CONTEXT_KEYS {
        // Password keywords are searched for: three bytes or more.
        let anchored = *key == "password_keywords";
        let list = top
            .get(key)
            .and_then(|f| words(cx, f.value, key, anchored))
            .unwrap_or_default();
        out.lists.push(list);
    }
}
