//! `rules/annex3/<point>.yaml`: the signals of one EU AI Act Annex III point.
//!
//! ```yaml
//! point: 1a
//! signals:
//!   - id: annex3.1a.face_recognition_import
//!     strength: strong            # strong | medium | weak
//!     import: [py:face_recognition, js:face-api.js]   # exactly one kind key
//!     note: why this signal, its traps   # optional
//!     examples:
//!       match:    [{path: example.py, text: "import face_recognition\n"}]
//!       no_match: [{path: example.py, text: "# import face_recognition\n"}]
//! ```
//!
//! Kinds (what each matches is [`crate::detect::annex3::Kind`]'s contract): `import`
//! (`lang:module`, lang `py`, `js`, `java`, `go` or `r`), `call`, `call_with` (`calls`,
//! `args`, `window`), `columns` (`names`, `min`), `dir`, `host`, `keyword`. Every
//! signal has at least one example of each side: an example is a file (its path
//! decides the format and language) that must give the signal, or must not.

use super::read::{MIN_LITERAL_BYTES, words};
use crate::detect::annex3::{MIN_ANCHORED_COLUMN_BYTES, Strength, column_name};
use crate::diag::Diagnostic;
use crate::schema::{Ctx, Fields, Located, Node, yaml};

const TOP_KEYS: &[&str] = &["point", "signals"];
/// The key of the file of AI-system signals: an AI system's evidence, of no point.
pub const AI_SYSTEM: &str = "ai";
const KIND_KEYS: &[&str] = &[
    "import",
    "call",
    "call_with",
    "columns",
    "dir",
    "extension",
    "host",
    "keyword",
];
/// A signal's keys besides its one kind key.
const SIGNAL_KEYS: &[&str] = &["id", "strength", "note", "examples"];
const EXAMPLE_SIDES: &[&str] = &["match", "no_match"];
const EXAMPLE_KEYS: &[&str] = &["path", "text", "parts", "hex"];
const CALL_WITH_KEYS: &[&str] = &["calls", "args", "window"];
const COLUMNS_KEYS: &[&str] = &["names", "min"];
const STRENGTHS: &[&str] = &["strong", "medium", "weak"];
const IMPORT_LANGS: &[&str] = &["py", "js", "java", "go", "r"];

/// One point's file.
#[derive(Debug, Clone, PartialEq)]
pub struct PointFile {
    pub display: String,
    /// `1a`, `2`, `8b`.
    pub point: String,
    pub point_line: u64,
    pub signals: Vec<SignalRule>,
}

/// One signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRule {
    pub id: String,
    pub strength: Strength,
    pub kind: KindRule,
    pub note: Option<String>,
    pub examples: Examples,
    /// Where the signal starts in its file.
    pub line: u64,
    /// Where its id is written (line, column).
    pub id_pos: (u64, u64),
}

/// What a signal looks for (owned form of [`crate::detect::annex3::Kind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindRule {
    Import(Vec<String>),
    Call(Vec<String>),
    CallWith {
        calls: Vec<String>,
        args: Vec<String>,
        window: usize,
    },
    Columns {
        names: Vec<String>,
        min: usize,
    },
    Dir(Vec<String>),
    Extension(Vec<String>),
    Host(Vec<String>),
    Keyword(Vec<String>),
}

/// A signal's examples.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Examples {
    pub matching: Vec<Example>,
    pub not_matching: Vec<Example>,
}

/// A file that must (or must not) give its signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub path: String,
    /// The file's bytes: `text`, the `parts` joined, or the bytes `hex` spells (a
    /// binary file such as a key store).
    pub content: Vec<u8>,
    pub line: u64,
}

/// Check one point file.
pub fn parse(display: &str, text: &str) -> Result<PointFile, Vec<Diagnostic>> {
    let root = yaml::parse(text, display).map_err(|d| vec![d])?;
    let mut cx = Ctx {
        file: display,
        diags: Vec::new(),
    };
    let Some(root) = root else {
        cx.error(
            crate::schema::Pos { line: 1, col: 1 },
            "missing-key",
            "the file is empty; it needs `point` and `signals`",
        );
        return Err(cx.diags);
    };
    let out = point_file(&mut cx, display, &root);
    match out {
        Some(p) => cx.finish(p),
        None => {
            if cx.diags.is_empty() {
                cx.error(
                    crate::schema::Pos { line: 1, col: 1 },
                    "invalid-value",
                    "the file could not be read as a point",
                );
            }
            Err(cx.diags)
        }
    }
}

fn point_file(cx: &mut Ctx<'_>, display: &str, root: &Located<Node>) -> Option<PointFile> {
    let top = cx.mapping(root, "a mapping with `point` and `signals`", Some(TOP_KEYS))?;
    cx.require(root, &top, TOP_KEYS, "a point file");
    let point_field = top.get("point")?;
    let point = point_key(cx, point_field.value);
    let mut signals = Vec::new();
    if let Some(f) = top.get("signals")
        && let Some(items) = cx.seq(f.value, "a list of signals")
    {
        if items.is_empty() {
            cx.error(
                f.value.pos(),
                "invalid-value",
                "`signals` is empty; a point file defines at least one signal",
            );
        }
        for item in items {
            if let Some(s) = signal(cx, item, point.as_deref()) {
                signals.push(s);
            }
        }
    }
    Some(PointFile {
        display: display.to_string(),
        point: point?,
        point_line: point_field.value.line,
        signals,
    })
}

/// `1a`: a digit 1-8 and an optional lower-case letter (YAML reads `2` as a number).
fn point_key(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<String> {
    let key = match &node.value {
        Node::Str(s) => s.clone(),
        Node::Int(i) => i.to_string(),
        _ => {
            cx.type_error(node, "a point key such as `1a` or `2`");
            return None;
        }
    };
    let b = key.as_bytes();
    // `ai`: not a point but the AI-system evidence every point needs (rules/annex3/ai.yaml).
    let ok = key == AI_SYSTEM
        || matches!(b.first(), Some(b'1'..=b'8'))
            && (b.len() == 1 || (b.len() == 2 && b[1].is_ascii_lowercase()));
    if ok {
        Some(key)
    } else {
        cx.error(
            node.pos(),
            "invalid-value",
            format!("`{key}` is not an Annex III point key; write the area and letter, as `1a`, `2`, `5b` (or `ai` for AI-system signals)"),
        );
        None
    }
}

fn signal(cx: &mut Ctx<'_>, node: &Located<Node>, point: Option<&str>) -> Option<SignalRule> {
    let known: Vec<&str> = SIGNAL_KEYS.iter().chain(KIND_KEYS).copied().collect();
    let fields = cx.mapping(node, "a signal mapping", Some(&known))?;
    cx.require(node, &fields, &["id", "strength", "examples"], "a signal");
    let id_pos = fields
        .get("id")
        .map_or((node.line, node.col), |f| (f.value.line, f.value.col));
    let id = fields.get("id").and_then(|f| signal_id(cx, f.value, point));
    let strength = fields.get("strength").and_then(|f| {
        let s = cx.string(f.value, "a strength")?;
        match s {
            "strong" => Some(Strength::Strong),
            "medium" => Some(Strength::Medium),
            "weak" => Some(Strength::Weak),
            _ => {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    format!(
                        "unknown strength `{s}`; expected one of {}",
                        crate::schema::ticked(STRENGTHS)
                    ),
                );
                None
            }
        }
    });
    let note = fields
        .get("note")
        .and_then(|f| cx.string(f.value, "a note").map(str::to_string));
    let kinds: Vec<_> = fields
        .0
        .iter()
        .filter(|f| KIND_KEYS.contains(&f.key))
        .collect();
    let kind = match kinds.as_slice() {
        [one] => kind_rule(cx, one.key, one.value),
        [] => {
            cx.error(
                node.pos(),
                "missing-key",
                format!(
                    "a signal needs one kind key, one of {}",
                    crate::schema::ticked(KIND_KEYS)
                ),
            );
            None
        }
        [_, second, ..] => {
            cx.error(
                second.key_pos,
                "invalid-value",
                "a signal has exactly one kind key; make two signals",
            );
            None
        }
    };
    let examples = fields.get("examples").and_then(|f| examples(cx, f.value));
    Some(SignalRule {
        id: id?,
        strength: strength?,
        kind: kind?,
        note,
        examples: examples?,
        line: node.line,
        id_pos,
    })
}

/// `annex3.<point>.<what>`, `annex3.<point>.exclude.<what>` or
/// `annex3.<point>.context.<what>`, snake_case, of this file's point.
fn signal_id(cx: &mut Ctx<'_>, node: &Located<Node>, point: Option<&str>) -> Option<String> {
    let id = cx.string(node, "a signal id")?;
    let parts: Vec<&str> = id.split('.').collect();
    let snake = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let shape = parts.len() >= 3
        && parts.len() <= 4
        && parts[0] == "annex3"
        && (parts.len() == 3 || matches!(parts[2], "exclude" | "context"))
        && parts[2..].iter().all(|p| snake(p));
    if !shape {
        cx.error(
            node.pos(),
            "invalid-name",
            format!(
                "`{id}` is not a signal id; write `annex3.<point>.<what>`, `annex3.<point>.exclude.<what>` or `annex3.<point>.context.<what>` in snake_case"
            ),
        );
        return None;
    }
    if let Some(point) = point
        && parts[1] != point
    {
        cx.error(
            node.pos(),
            "invalid-name",
            format!(
                "`{id}` names point `{}`, but this file is point `{point}`",
                parts[1]
            ),
        );
        return None;
    }
    Some(id.to_string())
}

fn kind_rule(cx: &mut Ctx<'_>, key: &str, node: &Located<Node>) -> Option<KindRule> {
    match key {
        "import" => {
            let specs = literals(cx, node, "import specs")?;
            let mut ok = true;
            for (spec, item) in specs.iter().zip(seq_items(node)) {
                match spec.split_once(':') {
                    Some((lang, module)) if IMPORT_LANGS.contains(&lang) && !module.is_empty() => {
                        if module.len() + "import ".len() < MIN_LITERAL_BYTES {
                            ok = false;
                        }
                    }
                    _ => {
                        ok = false;
                        cx.error(
                            item.pos(),
                            "invalid-value",
                            format!(
                                "`{spec}` is not an import spec; write `lang:module` with lang one of {}",
                                crate::schema::ticked(IMPORT_LANGS)
                            ),
                        );
                    }
                }
            }
            ok.then_some(KindRule::Import(specs))
        }
        "call" => anchors(cx, node, "calls").map(KindRule::Call),
        "dir" => literals(cx, node, "directory names").map(KindRule::Dir),
        "extension" => literals(cx, node, "file name extensions").map(KindRule::Extension),
        "host" => anchors(cx, node, "host names").map(KindRule::Host),
        "keyword" => {
            let words = literals(cx, node, "keywords")?;
            let mut ok = true;
            for (w, item) in words.iter().zip(seq_items(node)) {
                let stem = w.strip_suffix('*').unwrap_or(w);
                if stem.len() < MIN_LITERAL_BYTES {
                    ok = false;
                    cx.error(
                        item.pos(),
                        "invalid-value",
                        format!(
                            "keyword `{w}` is shorter than {MIN_LITERAL_BYTES} bytes (without `*`); it would match nearly everywhere"
                        ),
                    );
                }
            }
            ok.then_some(KindRule::Keyword(words))
        }
        "call_with" => {
            let f = cx.mapping(
                node,
                "a mapping of `calls`, `args` and `window`",
                Some(CALL_WITH_KEYS),
            )?;
            cx.require(node, &f, CALL_WITH_KEYS, "`call_with`");
            let calls = f.get("calls").and_then(|f| anchors(cx, f.value, "calls"));
            let args = f
                .get("args")
                .and_then(|f| literals(cx, f.value, "arguments"));
            let window = f
                .get("window")
                .and_then(|f| cx.positive(f.value, "window"))
                .and_then(|w| usize::try_from(w).ok());
            Some(KindRule::CallWith {
                calls: calls?,
                args: args?,
                window: window?,
            })
        }
        "columns" => columns(cx, node),
        _ => unreachable!("kind keys are checked by the caller"),
    }
}

fn columns(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<KindRule> {
    let f = cx.mapping(node, "a mapping of `names` and `min`", Some(COLUMNS_KEYS))?;
    cx.require(node, &f, COLUMNS_KEYS, "`columns`");
    let names_node = f.get("names")?.value;
    let names = literals(cx, names_node, "column names")?;
    let min = f
        .get("min")
        .and_then(|f| cx.positive(f.value, "min"))
        .and_then(|m| usize::try_from(m).ok())?;
    let mut anchored = 0;
    for (n, item) in names.iter().zip(seq_items(names_node)) {
        let (name, is_anchor) = column_name(n);
        if name.is_empty() || (is_anchor && name.len() < MIN_LITERAL_BYTES) {
            cx.error(
                item.pos(),
                "invalid-value",
                format!(
                    "column name `{n}` is searched for but shorter than {MIN_LITERAL_BYTES} bytes; mark it `~` to only confirm it"
                ),
            );
            return None;
        }
        anchored += usize::from(is_anchor);
    }
    if anchored == 0 {
        cx.error(
            names_node.pos(),
            "invalid-value",
            format!(
                "no column name is searched for: give one of {MIN_ANCHORED_COLUMN_BYTES} bytes or more, or mark a shorter one `+name`"
            ),
        );
        return None;
    }
    if min > names.len() {
        cx.error(
            f.get("min")?.value.pos(),
            "invalid-value",
            format!("min is {min}, but only {} names are given", names.len()),
        );
        return None;
    }
    Some(KindRule::Columns { names, min })
}

fn seq_items(node: &Located<Node>) -> &[Located<Node>] {
    match &node.value {
        Node::Seq(items) => items,
        _ => &[],
    }
}

/// A non-empty list of non-empty strings.
fn literals(cx: &mut Ctx<'_>, node: &Located<Node>, what: &str) -> Option<Vec<String>> {
    words(cx, node, what, false)
}

/// Literals the prefilter searches for: at least three bytes each.
fn anchors(cx: &mut Ctx<'_>, node: &Located<Node>, what: &str) -> Option<Vec<String>> {
    let out = literals(cx, node, what)?;
    let mut ok = true;
    for (s, item) in out.iter().zip(seq_items(node)) {
        if s.len() < MIN_LITERAL_BYTES {
            ok = false;
            cx.error(
                item.pos(),
                "invalid-value",
                format!("`{s}` is shorter than {MIN_LITERAL_BYTES} bytes; it would match nearly everywhere"),
            );
        }
    }
    ok.then_some(out)
}

pub(super) fn examples(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Examples> {
    let f = cx.mapping(
        node,
        "a mapping of `match` and `no_match` examples",
        Some(EXAMPLE_SIDES),
    )?;
    cx.require(node, &f, EXAMPLE_SIDES, "`examples`");
    let matching = side(cx, &f, "match");
    let not_matching = side(cx, &f, "no_match");
    Some(Examples {
        matching: matching?,
        not_matching: not_matching?,
    })
}

fn side(cx: &mut Ctx<'_>, f: &Fields<'_>, key: &str) -> Option<Vec<Example>> {
    let field = f.get(key)?;
    let items = cx.seq(field.value, "a list of examples")?;
    if items.is_empty() {
        cx.error(
            field.value.pos(),
            "invalid-value",
            format!("`{key}` is empty; every signal has at least one example of each side"),
        );
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(e) = cx.mapping(
            item,
            "an example mapping of `path` and `text` (or `parts`)",
            Some(EXAMPLE_KEYS),
        ) else {
            continue;
        };
        cx.require(item, &e, &["path"], "an example");
        let path = e.get("path").and_then(|p| {
            let s = cx.string(p.value, "a repo-relative path")?;
            if !crate::schema::is_repo_relative_path(s) {
                cx.error(
                    p.value.pos(),
                    "invalid-value",
                    format!("`{s}` is not a repo-relative file path such as `src/app.py`"),
                );
                return None;
            }
            Some(s.to_string())
        });
        // `parts` are joined: a credential split in two is not one in the rule file.
        let text = match (e.get("text"), e.get("parts"), e.get("hex")) {
            (Some(t), None, None) => cx
                .string(t.value, "the example's text")
                .map(|s| s.as_bytes().to_vec()),
            (None, Some(p), None) => cx.seq(p.value, "a list of strings").and_then(|items| {
                let parts: Option<Vec<&str>> =
                    items.iter().map(|i| cx.string(i, "a string")).collect();
                parts.map(|p| p.concat().into_bytes())
            }),
            (None, None, Some(h)) => {
                cx.string(h.value, "hex digits")
                    .and_then(|s| match hex_bytes(s) {
                        Some(b) => Some(b),
                        None => {
                            cx.error(
                                h.value.pos(),
                                "invalid-value",
                                "`hex` is pairs of hex digits, spaces and line breaks allowed",
                            );
                            None
                        }
                    })
            }
            _ => {
                cx.error(
                    item.pos(),
                    "invalid-value",
                    "an example has one of `text`, `parts` and `hex`",
                );
                None
            }
        };
        if let (Some(path), Some(content)) = (path, text) {
            out.push(Example {
                path,
                content,
                line: item.line,
            });
        }
    }
    (out.len() == items.len()).then_some(out)
}

/// The bytes a `hex` example spells: pairs of hex digits, whitespace between them.
pub(super) fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 == 1 {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}
