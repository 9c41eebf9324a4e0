//! `rules/secrets/*.yaml`: the credential formats and what the detectors read besides.
//!
//! - `context.yaml`: `code_extensions`, `not_a_secret_suffixes`, `placeholder_values`,
//!   `placeholder_parts`, `password_keywords`, `connection_schemes`;
//! - `formats.yaml`: `signals`, every credential signal with its `title`, its token
//!   formats (`tokens`) and/or the named algorithm that finds it (`algorithm`, with the
//!   `keywords`, `headers` or `documentation` it takes), and its `examples`, each text
//!   given in `parts` so that the file holds no whole credential.
//!
//! Algorithms (checksums, validators, the named algorithms) are Rust, in
//! [`crate::detect::secrets`]; the data names them.

use super::annex3::{Examples, examples};
use super::read::{MIN_LITERAL_BYTES, Reading, read_files, run, words};
use crate::detect::secrets::format::{
    ALGORITHMS, Algorithm, Checksum, Class, MAX_BODY_BYTES, Measure, Validator, body_groups,
    body_max_len, compile_body,
};
use crate::diag::Diagnostic;
use crate::model::Confidence;
use crate::schema::{Ctx, Fields, Located, Node};

/// The file names of the family, in the order they are read.
pub const FILES: &[&str] = &["context.yaml", "formats.yaml"];

/// The keys of `context.yaml`, in the order of [`SecretsRules::lists`].
pub const CONTEXT_KEYS: &[&str] = &[
    "code_extensions",
    "not_a_secret_suffixes",
    "placeholder_values",
    "placeholder_parts",
    "password_keywords",
    "connection_schemes",
    "ciphertext_prefixes",
    "ciphertext_markers",
    "not_a_secret_words",
    "encoded_markers",
    "setter_calls",
    "public_pem_types",
    "env_credential_words",
    "template_markers",
    "env_lookups",
    "translation_extensions",
    "translation_stems",
    "documentation_names",
];

/// The family's rules, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecretsRules {
    /// The lists of `context.yaml`, in the order of [`CONTEXT_KEYS`].
    pub lists: Vec<Vec<String>>,
    /// The signals of `formats.yaml`, in file order.
    pub signals: Vec<SignalRule>,
    /// Examples per signal: (signal, file as shown, examples).
    pub examples: Vec<(String, String, Examples)>,
}

/// One credential signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRule {
    pub id: String,
    /// Where the id is written (line, column).
    pub id_pos: (u64, u64),
    pub title: String,
    pub tokens: Vec<TokenRule>,
    pub algorithm: Option<AlgorithmRule>,
    pub line: u64,
}

/// One token format, as [`crate::detect::secrets::format::TokenFormat`] describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRule {
    pub prefixes: Vec<String>,
    pub keywords: Vec<String>,
    pub ignore_case: bool,
    /// A fixed-length regex right before the prefix (empty: none).
    pub lead: String,
    /// The body after a prefix, or the value after an assignment.
    pub body: String,
    pub before: Class,
    pub after: Class,
    pub measure: Measure,
    pub entropy: f64,
    pub reject_filler: bool,
    pub reject_sequential: bool,
    pub example_marks: Vec<String>,
    /// Published values, each as the parts it is written in.
    pub documentation: Vec<Vec<String>>,
    pub checksum: Option<Checksum>,
    pub validator: Option<Validator>,
    pub confidence: Confidence,
}

/// A named algorithm and what the data gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlgorithmRule {
    pub algorithm: Algorithm,
    /// The name the data uses.
    pub name: String,
    pub keywords: Vec<String>,
    pub headers: Vec<String>,
    /// Published values, each as the parts it is written in.
    pub documentation: Vec<Vec<String>>,
}

const SIGNAL_KEYS: &[&str] = &[
    "id",
    "title",
    "tokens",
    "algorithm",
    "keywords",
    "headers",
    "documentation",
    "examples",
];
const TOKEN_KEYS: &[&str] = &[
    "prefixes",
    "body",
    "keywords",
    "value",
    "ignore_case",
    "lead",
    "before",
    "after",
    "measure",
    "entropy",
    "reject",
    "example_marks",
    "documentation",
    "checksum",
    "validator",
    "confidence",
];
/// Parameters an algorithm may take, besides its name.
const ALGORITHM_PARAMS: &[&str] = &["keywords", "headers", "documentation"];

/// Read the two files (display, text), in the order of [`FILES`].
pub fn parse(files: [(&str, &str); 2]) -> Result<SecretsRules, Vec<Diagnostic>> {
    let named = FILES.iter().zip(files).map(|(n, (d, t))| (*n, d, t));
    read_files(named, Reading::Whole, read_file)
}

/// What one of a repository's files (`name`, one of [`FILES`]) adds to the family: the
/// keys of its context file are optional and its lists are added to the shipped ones;
/// its formats file defines credential signals of its own (token formats: the
/// algorithms find the shipped signals).
pub(super) fn parse_additions(
    name: &str,
    display: &str,
    text: &str,
) -> Result<SecretsRules, Vec<Diagnostic>> {
    read_files([(name, display, text)], Reading::Additions, read_file)
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
            formats(cx, root, out, reading);
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
                if *key == "template_markers" {
                    marker_pairs(cx, f.value, &list);
                }
                list
            })
            .unwrap_or_default();
        out.lists.push(list);
    }
}

/// A template marker is its opening and its closing text, one space between (`{{ }}`).
fn marker_pairs(cx: &mut Ctx<'_>, node: &Located<Node>, list: &[String]) {
    let Node::Seq(items) = &node.value else {
        return;
    };
    for (w, item) in list.iter().zip(items) {
        let ok = w.split_once(' ').is_some_and(|(open, close)| {
            !open.is_empty() && !close.is_empty() && !close.contains(' ')
        });
        if !ok {
            cx.error(
                item.pos(),
                "invalid-value",
                format!("`{w}` is not a template marker: write its opening and closing text with one space between, as `{{{{ }}}}`"),
            );
        }
    }
}

/// The lists the detectors compare with lowered text: an upper-case letter in one of
/// their words would never match.
const LOWERED: &[&str] = &[
    "not_a_secret_suffixes",
    "not_a_secret_words",
    "placeholder_values",
    "placeholder_parts",
    "connection_schemes",
];

pub(super) fn lower_case(cx: &mut Ctx<'_>, node: &Located<Node>, list: &[String]) {
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

fn formats(cx: &mut Ctx<'_>, root: &Located<Node>, out: &mut SecretsRules, reading: Reading) {
    let Some(top) = cx.mapping(root, "a mapping with `signals`", Some(&["signals"])) else {
        return;
    };
    cx.require(root, &top, &["signals"], "the formats file");
    let Some(f) = top.get("signals") else {
        return;
    };
    let Some(items) = cx.seq(f.value, "a list of credential signals") else {
        return;
    };
    let mut ids: Vec<(String, u64)> = Vec::new();
    let mut algorithms: Vec<(Algorithm, u64)> = Vec::new();
    for item in items {
        let Some((s, e)) = signal(cx, item, &mut ids) else {
            continue;
        };
        if let Some(a) = &s.algorithm {
            if reading == Reading::Additions {
                cx.error(
                    item.pos(),
                    "invalid-value",
                    format!(
                        "algorithm `{}` finds a shipped signal; a repository's credential signals are token formats",
                        a.name
                    ),
                );
                continue;
            }
            if let Some((_, line)) = algorithms.iter().find(|(x, _)| *x == a.algorithm) {
                cx.error(
                    item.pos(),
                    "duplicate-id",
                    format!(
                        "algorithm `{}` is also used by the signal at line {line}; each algorithm finds one signal",
                        a.name
                    ),
                );
                continue;
            }
            algorithms.push((a.algorithm, s.line));
        }
        out.examples.push((s.id.clone(), cx.file.to_string(), e));
        out.signals.push(s);
    }
    let has = |x: Algorithm| algorithms.iter().any(|(a, _)| *a == x);
    if has(Algorithm::GcpServiceAccount) && !has(Algorithm::PrivateKey) {
        cx.error(
            f.value.pos(),
            "missing-key",
            "`gcp_service_account` reads the armor headers of the `private_key` algorithm; add a signal using it",
        );
    }
}

fn signal(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    ids: &mut Vec<(String, u64)>,
) -> Option<(SignalRule, Examples)> {
    let f = cx.mapping(node, "a credential signal", Some(SIGNAL_KEYS))?;
    cx.require(
        node,
        &f,
        &["id", "title", "examples"],
        "a credential signal",
    );
    let id = f
        .get("id")
        .and_then(|x| signal_id(cx, x.value, node.line, ids));
    let title = cx.required_text(&f, "title", "say what the credential is");
    let tokens = match f.get("tokens") {
        Some(x) => token_list(cx, x.value),
        None => Some(Vec::new()),
    };
    let algorithm = algorithm(cx, node, &f);
    let examples = f.get("examples").and_then(|x| examples(cx, x.value));
    let (id, title, tokens, algorithm, examples) = (id?, title?, tokens?, algorithm?, examples?);
    if tokens.is_empty() && algorithm.is_none() {
        cx.error(
            node.pos(),
            "missing-key",
            "a credential signal needs `tokens`, an `algorithm`, or both",
        );
        return None;
    }
    let id_pos = f
        .get("id")
        .map_or((node.line, node.col), |x| (x.value.line, x.value.col));
    let rule = SignalRule {
        id,
        id_pos,
        title,
        tokens,
        algorithm,
        line: node.line,
    };
    Some((rule, examples))
}

/// `secret.<what>`, snake_case, unique in the file.
fn signal_id(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    line: u64,
    ids: &mut Vec<(String, u64)>,
) -> Option<String> {
    let id = cx.string(node, "a signal id")?;
    let ok = id.strip_prefix("secret.").is_some_and(|w| {
        w.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    if !ok {
        cx.error(
            node.pos(),
            "invalid-name",
            format!("`{id}` is not a credential signal id; write `secret.<what>` in snake_case"),
        );
        return None;
    }
    if let Some((_, first)) = ids.iter().find(|(x, _)| x == id) {
        cx.error(
            node.pos(),
            "duplicate-id",
            format!("signal `{id}` is also defined at line {first}"),
        );
        return None;
    }
    ids.push((id.to_string(), line));
    Some(id.to_string())
}

/// `algorithm` and its parameters: `Some(None)` when there is none, `None` on an error.
fn algorithm(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    f: &Fields<'_>,
) -> Option<Option<AlgorithmRule>> {
    let Some(a) = f.get("algorithm") else {
        for p in ALGORITHM_PARAMS {
            if let Some(x) = f.get(p) {
                cx.error(
                    x.key_pos,
                    "invalid-value",
                    format!("`{p}` parameterizes an `algorithm`; this signal has none"),
                );
                return None;
            }
        }
        return Some(None);
    };
    let name = cx.string(a.value, "an algorithm name")?;
    let Some(&(_, algorithm, takes)) = ALGORITHMS.iter().find(|(n, _, _)| *n == name) else {
        let names: Vec<&str> = ALGORITHMS.iter().map(|(n, _, _)| *n).collect();
        cx.error(
            a.value.pos(),
            "invalid-value",
            format!(
                "unknown algorithm `{name}`; expected one of {}",
                crate::schema::ticked(&names)
            ),
        );
        return None;
    };
    let mut ok = true;
    for p in ALGORITHM_PARAMS {
        if let Some(x) = f.get(p)
            && !takes.contains(p)
        {
            cx.error(
                x.key_pos,
                "invalid-value",
                format!("algorithm `{name}` takes no `{p}`"),
            );
            ok = false;
        }
    }
    // Keywords and headers are what the algorithm looks for: required when it takes them.
    let required: Vec<&str> = takes
        .iter()
        .copied()
        .filter(|p| *p != "documentation")
        .collect();
    cx.require(node, f, &required, &format!("algorithm `{name}`"));
    let keywords = match f.get("keywords") {
        Some(x) => words(cx, x.value, "keywords", true),
        None => Some(Vec::new()),
    };
    let headers = match f.get("headers") {
        Some(x) => words(cx, x.value, "armor headers", false),
        None => Some(Vec::new()),
    };
    let documentation = match f.get("documentation") {
        Some(x) => documentation(cx, x.value),
        None => Some(Vec::new()),
    };
    let missing = required.iter().any(|p| f.get(p).is_none());
    if !ok || missing {
        return None;
    }
    Some(Some(AlgorithmRule {
        algorithm,
        name: name.to_string(),
        keywords: keywords?,
        headers: headers?,
        documentation: documentation?,
    }))
}

fn token_list(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<TokenRule>> {
    let items = cx.seq(node, "a list of token formats")?;
    if items.is_empty() {
        cx.error(
            node.pos(),
            "invalid-value",
            "`tokens` is empty; leave it out when an algorithm finds the signal",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        match token(cx, item) {
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn token(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<TokenRule> {
    let f = cx.mapping(node, "a token format", Some(TOKEN_KEYS))?;
    // A prefixed token (`prefixes`, `body`) or an assigned value (`keywords`, `value`).
    let token_key = f.get("prefixes").or_else(|| f.get("body"));
    let assigned_key = f.get("keywords").or_else(|| f.get("value"));
    if let (Some(t), Some(a)) = (token_key, assigned_key) {
        cx.error(
            a.key_pos,
            "invalid-value",
            format!(
                "a token format has `prefixes` and `body`, or `keywords` and `value`: `{}` does not go with `{}`",
                a.key, t.key
            ),
        );
        return None;
    }
    let assigned = assigned_key.is_some();
    let (anchor_key, body_key) = if assigned {
        ("keywords", "value")
    } else {
        ("prefixes", "body")
    };
    cx.require(node, &f, &[anchor_key, body_key], "a token format");
    let (prefixes, keywords) = if assigned {
        let k = f
            .get("keywords")
            .and_then(|x| words(cx, x.value, "keywords", true));
        (Some(Vec::new()), k)
    } else {
        (
            f.get("prefixes").and_then(|x| prefixes(cx, x.value)),
            Some(Vec::new()),
        )
    };
    let lead = lead(cx, &f, assigned);
    let has_lead = lead.as_ref().is_some_and(|l| !l.is_empty());
    let body = f
        .get(body_key)
        .and_then(|x| body(cx, x.value, assigned, has_lead));
    let ignore_case = flag(cx, &f, "ignore_case");
    if let Some(x) = f.get("before")
        && x.value.value == Node::Str("delimiter".into())
    {
        cx.error(
            x.value.pos(),
            "invalid-value",
            "`delimiter` says what follows a token; it is for `after` only",
        );
        return None;
    }
    let class = |cx: &mut Ctx<'_>, key: &str| match f.get(key) {
        Some(x) => named(cx, x.value, key, Class::NAMES),
        None => Some(Class::Word),
    };
    let before = class(cx, "before");
    let after = class(cx, "after");
    let measure = match f.get("measure") {
        Some(x) => named(
            cx,
            x.value,
            "measure",
            &[("body", Measure::Body), ("token", Measure::Token)],
        ),
        None => Some(Measure::Body),
    };
    let entropy = match f.get("entropy") {
        Some(x) => entropy(cx, x.value),
        None => Some(0.0),
    };
    let rejects = rejects(cx, &f);
    let example_marks = match f.get("example_marks") {
        Some(x) => words(cx, x.value, "example marks", false),
        None => Some(Vec::new()),
    };
    let documentation = match f.get("documentation") {
        Some(x) => documentation(cx, x.value),
        None => Some(Vec::new()),
    };
    let checksum = match f.get("checksum") {
        Some(x) => named(cx, x.value, "checksum", Checksum::NAMES).map(Some),
        None => Some(None),
    };
    let validator = match f.get("validator") {
        Some(x) => named(cx, x.value, "validator", Validator::NAMES).map(Some),
        None => Some(None),
    };
    let confidence = match f.get("confidence") {
        Some(x) => named(cx, x.value, "confidence", CONFIDENCES),
        None => Some(Confidence::High),
    };
    let (reject_filler, reject_sequential) = rejects?;
    Some(TokenRule {
        prefixes: prefixes?,
        keywords: keywords?,
        ignore_case: ignore_case?,
        lead: lead?,
        body: body?,
        before: before?,
        after: after?,
        measure: measure?,
        entropy: entropy?,
        reject_filler,
        reject_sequential,
        example_marks: example_marks?,
        documentation: documentation?,
        checksum: checksum?,
        validator: validator?,
        confidence: confidence?,
    })
}

const CONFIDENCES: &[(&str, Confidence)] = &[
    ("high", Confidence::High),
    ("medium", Confidence::Medium),
    ("low", Confidence::Low),
];

/// A token format's `lead`: a regular expression before a prefix (none for an assigned
/// value).
fn lead(cx: &mut Ctx<'_>, f: &Fields<'_>, assigned: bool) -> Option<String> {
    match f.get("lead") {
        None => Some(String::new()),
        Some(x) if assigned => {
            cx.error(
                x.key_pos,
                "invalid-value",
                "a lead comes before a prefix; an assigned value has keywords instead",
            );
            None
        }
        Some(x) => cx.string(x.value, "a regular expression").and_then(|l| {
            match crate::detect::secrets::format::compile_lead(l) {
                Ok(_) => Some(l.to_string()),
                Err(e) => {
                    cx.error(x.value.pos(), "invalid-value", format!("the lead: {e}"));
                    None
                }
            }
        }),
    }
}

/// A `true`/`false` field, false when absent.
fn flag(cx: &mut Ctx<'_>, f: &Fields<'_>, key: &str) -> Option<bool> {
    match f.get(key) {
        Some(x) => match x.value.value {
            Node::Bool(b) => Some(b),
            _ => {
                cx.type_error(x.value, "true or false");
                None
            }
        },
        None => Some(false),
    }
}

/// A token format's `reject` list: (filler, sequential).
fn rejects(cx: &mut Ctx<'_>, f: &Fields<'_>) -> Option<(bool, bool)> {
    let (mut filler, mut sequential) = (false, false);
    let mut ok = true;
    if let Some(x) = f.get("reject") {
        for item in cx.seq(x.value, "a list of checks").unwrap_or_default() {
            match named(
                cx,
                item,
                "reject",
                &[("filler", true), ("sequential", false)],
            ) {
                Some(true) => filler = true,
                Some(false) => sequential = true,
                None => ok = false,
            }
        }
    }
    ok.then_some((filler, sequential))
}

/// One of `names` by its name.
fn named<T: Copy>(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    what: &str,
    names: &[(&str, T)],
) -> Option<T> {
    let s = cx.string(node, &format!("a {what} name"))?;
    if let Some((_, v)) = names.iter().find(|(n, _)| *n == s) {
        return Some(*v);
    }
    let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    cx.error(
        node.pos(),
        "invalid-value",
        format!(
            "unknown {what} `{s}`; expected one of {}",
            crate::schema::ticked(&all)
        ),
    );
    None
}

/// Prefixes: searched for, so three bytes or more, printable ASCII.
fn prefixes(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<String>> {
    let list = words(cx, node, "prefixes", true)?;
    for p in &list {
        if !p.bytes().all(|b| b.is_ascii_graphic() || b == b' ') || p.ends_with('*') {
            cx.error(
                node.pos(),
                "invalid-value",
                format!("prefix `{p}` is not a literal of printable ASCII"),
            );
            return None;
        }
    }
    Some(list)
}

/// A body (or value): compiles, matches at least one byte (unless the format has a
/// lead: then the prefix may end the token), at most [`MAX_BODY_BYTES`], with at most
/// one group, unnamed.
fn body(cx: &mut Ctx<'_>, node: &Located<Node>, assigned: bool, lead: bool) -> Option<String> {
    let body = cx.string(node, "a regular expression")?;
    if body.contains("(?P<") || body.contains("(?<") {
        cx.error(
            node.pos(),
            "invalid-value",
            "a body's group is unnamed: `(…)` marks the part the checks measure",
        );
        return None;
    }
    let problem = match (
        compile_body(body, assigned),
        body_max_len(body),
        body_groups(body),
    ) {
        (Err(e), _, _) => Some(format!("the body does not compile: {e}")),
        (_, Err(e), _) | (_, _, Err(e)) => Some(format!("the body does not compile: {e}")),
        (Ok(_), Ok(max), Ok(groups)) => {
            if !lead && compile_body(body, false).is_ok_and(|r| r.is_match(b"")) {
                Some("the body matches the empty string; a token has a body".to_string())
            } else if max.is_none_or(|m| m > MAX_BODY_BYTES) {
                Some(format!(
                    "the body's longest match is {}; bound every repetition so it is at most {MAX_BODY_BYTES} bytes (`{{20,200}}`, not `+` or `{{20,}}`)",
                    max.map_or("unbounded".to_string(), |m| format!("{m} bytes"))
                ))
            } else if groups > 1 {
                Some(format!(
                    "the body has {groups} groups; at most one marks the part the checks measure (use `(?:…)` for the others)"
                ))
            } else {
                None
            }
        }
    };
    match problem {
        Some(message) => {
            cx.error(node.pos(), "invalid-value", message);
            None
        }
        None => Some(body.to_string()),
    }
}

/// Bits per byte, 0 to 8.
fn entropy(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    let v = match &node.value {
        Node::Float(f) => *f,
        Node::Int(i) => *i as f64,
        _ => {
            cx.type_error(node, "a number of bits per byte");
            return None;
        }
    };
    if (0.0..=8.0).contains(&v) {
        Some(v)
    } else {
        cx.error(
            node.pos(),
            "invalid-value",
            format!("entropy {v} is not between 0 and 8 bits per byte"),
        );
        None
    }
}

/// Published values: each a string, or a list of the parts it is written in.
fn documentation(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<Vec<String>>> {
    let items = cx.seq(node, "a list of published values")?;
    let mut out = Vec::new();
    for item in items {
        let parts = match &item.value {
            Node::Str(s) => vec![s.clone()],
            Node::Seq(_) => words(cx, item, "parts", false)?,
            _ => {
                cx.type_error(item, "a value, or a list of its parts");
                return None;
            }
        };
        if parts.concat().len() < MIN_LITERAL_BYTES {
            cx.error(
                item.pos(),
                "invalid-value",
                "a published value this short matches by chance",
            );
            return None;
        }
        out.push(parts);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: &str = "code_extensions: [py]\nnot_a_secret_suffixes: [length]\n\
placeholder_values: [changeme]\nplaceholder_parts: [example]\n\
password_keywords: [password]\nconnection_schemes: [postgres]\n\
ciphertext_prefixes: [\"ENC[\"]\nciphertext_markers: [\"kind: SealedSecret\"]\n\
not_a_secret_words: [public]\nencoded_markers: [\"-----BEGIN \"]\nsetter_calls: [\"setProperty(\"]\n\
public_pem_types: [CERTIFICATE]\nenv_credential_words: [pass]\n\
template_markers: [\"{{ }}\"]\nenv_lookups: [\"os.getenv(\"]\n\
translation_extensions: [po]\ntranslation_stems: [messages]\n\
documentation_names: [EXAMPLES]\n";

    const EXAMPLES: &str = "    examples:
      match:
        - path: a.env
          text: \"x\"
      no_match:
        - path: a.env
          text: \"y\"
";

    fn parse_formats(signals: &str) -> Result<SecretsRules, Vec<Diagnostic>> {
        let text = format!("signals:\n{signals}");
        parse([("context.yaml", CONTEXT), ("formats.yaml", &text)])
    }

    /// The problems of `signals`, as `line:col code: message`.
    fn problems(signals: &str) -> Vec<String> {
        parse_formats(signals)
            .expect_err("the file is invalid")
            .iter()
            .map(|d| format!("{}:{} {}: {}", d.line, d.col, d.code, d.message))
            .collect()
    }

    fn token(fields: &str) -> String {
        format!(
            "  - id: secret.demo\n    title: a demo token\n    tokens:\n      - {fields}\n{EXAMPLES}"
        )
    }

    #[test]
    fn a_template_marker_is_its_opening_and_closing_text() {
        let context = CONTEXT.replace(
            "template_markers: [\"{{ }}\"]",
            "template_markers: [\"{{ }}\", \"{{\", \"<% %> x\"]",
        );
        let text = format!(
            "signals:\n{}",
            token("prefixes: [dmo_]\n        body: \"[a-z]{5}\"")
        );
        let p: Vec<String> = parse([("context.yaml", context.as_str()), ("formats.yaml", &text)])
            .expect_err("two markers are invalid")
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("`{{` is not a template marker"), "{p:?}");
        assert!(
            p[1].starts_with("`<% %> x` is not a template marker"),
            "{p:?}"
        );
        let ok = parse([("context.yaml", CONTEXT), ("formats.yaml", &text)]).unwrap();
        let at = CONTEXT_KEYS
            .iter()
            .position(|k| *k == "template_markers")
            .unwrap();
        assert_eq!(ok.lists[at], ["{{ }}"]);
    }

    #[test]
    fn a_token_format_reads_with_its_defaults() {
        let rules =
            parse_formats(&token("prefixes: [dmo_]\n        body: \"[a-z0-9]{32}\"")).unwrap();
        let s = &rules.signals[0];
        assert_eq!((s.id.as_str(), s.line), ("secret.demo", 2));
        let t = &s.tokens[0];
        assert_eq!(t.prefixes, ["dmo_"]);
        assert_eq!((t.before, t.after), (Class::Word, Class::Word));
        assert_eq!(t.measure, Measure::Body);
        assert_eq!(t.confidence, Confidence::High);
        assert_eq!((t.entropy, t.checksum, t.validator), (0.0, None, None));
        assert_eq!(rules.examples[0].0, "secret.demo");
    }

    #[test]
    fn a_body_is_bounded_non_empty_and_has_one_group_at_most() {
        let unbounded = problems(&token("prefixes: [dmo_]\n        body: \"[a-z]{20,}\""));
        assert!(
            unbounded[0].starts_with("6:15 invalid-value: the body's longest match is unbounded"),
            "{unbounded:?}"
        );
        let long = problems(&token("prefixes: [dmo_]\n        body: \"[a-z]{2000}\""));
        assert!(long[0].contains("2000 bytes"), "{long:?}");
        let empty = problems(&token("prefixes: [dmo_]\n        body: \"[a-z]{0,5}\""));
        assert!(empty[0].contains("matches the empty string"), "{empty:?}");
        let groups = problems(&token(
            "prefixes: [dmo_]\n        body: \"([a-z]{5})-([0-9]{5})\"",
        ));
        assert!(groups[0].contains("2 groups"), "{groups:?}");
        let bad = problems(&token("prefixes: [dmo_]\n        body: \"[a-z\""));
        assert!(bad[0].contains("does not compile"), "{bad:?}");
    }

    #[test]
    fn names_are_checked_against_what_the_family_knows() {
        let p = problems(&token(
            "prefixes: [dmo_]\n        body: \"[a-z]{5}\"\n        checksum: luhn\n        before: space",
        ));
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p.iter()
                .any(|m| m.contains("unknown checksum `luhn`; expected one of `github_crc32`"))
        );
        assert!(p.iter().any(|m| m.contains("unknown before `space`")));
        let short = problems(&token("prefixes: [dm]\n        body: \"[a-z]{5}\""));
        assert!(short[0].contains("shorter than 3 bytes"), "{short:?}");
    }

    #[test]
    fn an_algorithm_takes_only_its_parameters_and_needs_its_keywords() {
        let unknown = problems(&format!(
            "  - id: secret.demo\n    title: t\n    algorithm: magic\n{EXAMPLES}"
        ));
        assert!(
            unknown[0].contains("unknown algorithm `magic`"),
            "{unknown:?}"
        );
        let extra = problems(&format!(
            "  - id: secret.demo\n    title: t\n    algorithm: jwt\n    keywords: [token]\n{EXAMPLES}"
        ));
        assert!(
            extra[0].contains("algorithm `jwt` takes no `keywords`"),
            "{extra:?}"
        );
        let missing = problems(&format!(
            "  - id: secret.demo\n    title: t\n    algorithm: aws_secret_key\n{EXAMPLES}"
        ));
        assert!(missing[0].contains("keywords"), "{missing:?}");
        let orphan = problems(&format!(
            "  - id: secret.demo\n    title: t\n    headers: [X]\n    tokens:\n      - prefixes: [dmo_]\n        body: \"[a-z]{{5}}\"\n{EXAMPLES}"
        ));
        assert!(orphan[0].contains("this signal has none"), "{orphan:?}");
        let neither = problems(&format!("  - id: secret.demo\n    title: t\n{EXAMPLES}"));
        assert!(
            neither[0].contains("needs `tokens`, an `algorithm`, or both"),
            "{neither:?}"
        );
    }

    #[test]
    fn ids_and_algorithms_are_unique() {
        let one = format!("  - id: secret.demo\n    title: t\n    algorithm: jwt\n{EXAMPLES}");
        let dup_id = problems(&format!("{one}{one}"));
        assert!(
            dup_id
                .iter()
                .any(|m| m.contains("signal `secret.demo` is also defined at line 2")),
            "{dup_id:?}"
        );
        let other = format!("  - id: secret.other\n    title: t\n    algorithm: jwt\n{EXAMPLES}");
        let dup_algorithm = problems(&format!("{one}{other}"));
        assert!(
            dup_algorithm[0].contains("algorithm `jwt` is also used"),
            "{dup_algorithm:?}"
        );
        let bad_id = problems(&format!(
            "  - id: token.demo\n    title: t\n    algorithm: jwt\n{EXAMPLES}"
        ));
        assert!(bad_id[0].contains("write `secret.<what>`"), "{bad_id:?}");
        let gcp = problems(&format!(
            "  - id: secret.demo\n    title: t\n    algorithm: gcp_service_account\n{EXAMPLES}"
        ));
        assert!(gcp[0].contains("reads the armor headers"), "{gcp:?}");
    }

    #[test]
    fn an_assigned_value_has_keywords_and_a_value() {
        let rules = parse_formats(&token(
            "keywords: [vendorx]\n        value: \"[a-f0-9]{32}\"\n        after: delimiter\n        ignore_case: true",
        ))
        .unwrap();
        let t = &rules.signals[0].tokens[0];
        assert_eq!(
            (t.keywords.as_slice(), t.prefixes.len()),
            (&["vendorx".to_string()][..], 0)
        );
        assert_eq!((t.after, t.ignore_case), (Class::Delimiter, true));
        let mixed = problems(&token("prefixes: [dmo_]\n        value: \"[a-z]{5}\""));
        assert!(
            mixed[0].contains("`prefixes` and `body`, or `keywords` and `value`"),
            "{mixed:?}"
        );
        let before = problems(&token(
            "prefixes: [dmo_]\n        body: \"[a-z]{5}\"\n        before: delimiter",
        ));
        assert!(before[0].contains("it is for `after` only"), "{before:?}");
        let named = problems(&token(
            "prefixes: [dmo_]\n        body: \"(?P<value>[a-z]{5})\"",
        ));
        assert!(named[0].contains("unnamed"), "{named:?}");
    }

    #[test]
    fn documentation_values_are_joined_from_their_parts() {
        let rules = parse_formats(&token(
            "prefixes: [dmo_]\n        body: \"[a-z]{5}\"\n        documentation:\n          - [dmo_, abcde]\n          - dmo_fghij",
        ))
        .unwrap();
        assert_eq!(
            rules.signals[0].tokens[0].documentation,
            vec![
                vec!["dmo_".to_string(), "abcde".to_string()],
                vec!["dmo_fghij".to_string()]
            ]
        );
    }
}
