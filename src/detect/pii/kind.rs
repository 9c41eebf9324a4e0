//! What kind of file the personal-data judgement reads, and where its comments and
//! string literals are.
//!
//! A special-category word means something only by the form it is found in: a field of
//! records with values (a table, a JSON document, an SQL dump) is data; a declared
//! field of code or a schema shows what a system holds; prose, comments, UI labels and
//! translations talk about it. The kind comes from the path (extensions and names of
//! `rules/pii/context.yaml`) and, for a few kinds, from the first bytes: a `.txt`
//! holding delimited records is a table, a JSON file with `"$schema"` a schema, a code
//! file whose first 4 KiB have no line break is minified.

use super::{Cx, Tables};

/// Kinds of file, as the personal-data judgement reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Delimited records under a header line (CSV, TSV, PSV).
    Delimited,
    /// JSON lines: one record per line.
    JsonLines,
    /// A JSON document.
    Json,
    Yaml,
    Xml,
    Sql,
    /// Parquet: a schema in the footer, rows in the pages.
    Parquet,
    /// A schema language (protobuf, Avro, GraphQL, JSON Schema, OpenAPI, ...).
    Schema,
    /// Source code (and configuration read like it), with its comment syntax.
    Code(Syntax),
    /// HTML and templates: forms and labels.
    Markup,
    /// Prose for people: Markdown, reStructuredText, plain text, README files.
    Prose,
    /// UI labels, messages and translations.
    Labels,
    /// Written by a tool: lockfiles, minified and generated files, model dumps.
    Machine,
}

impl Kind {
    /// Records with values, one per row: where a value needs no keyword of its own, the
    /// column it is in being its context.
    pub(crate) fn tabular(self) -> bool {
        matches!(self, Kind::Delimited | Kind::JsonLines | Kind::Sql)
    }

    /// How comments and strings are written, in the kinds whose comments the
    /// judgement tells from the rest: code and SQL.
    pub(crate) fn syntax(self) -> Option<Syntax> {
        match self {
            Kind::Code(syn) => Some(syn),
            Kind::Sql => Some(SQL_SYNTAX),
            _ => None,
        }
    }
}

/// SQL's comments (`--`, `/* */`) and strings (`'...'`).
pub(crate) const SQL_SYNTAX: Syntax = Syntax {
    dash: true,
    slash: true,
    single: true,
    hash: false,
    angle: false,
    triple: false,
    backtick: false,
};

/// How comments and strings are written in a code file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Syntax {
    /// `# ...` line comments.
    pub hash: bool,
    /// `// ...` line comments and `/* ... */` blocks.
    pub slash: bool,
    /// `-- ...` line comments.
    pub dash: bool,
    /// `<!-- ... -->` blocks.
    pub angle: bool,
    /// `'...'` is a string (not a character literal or a lifetime).
    pub single: bool,
    /// `"""..."""` and `'''...'''` (Python): docstrings, prose.
    pub triple: bool,
    /// `` `...` `` spans lines (JavaScript templates, Go raw strings).
    pub backtick: bool,
}

const fn syn(hash: bool, slash: bool, single: bool) -> Syntax {
    Syntax {
        hash,
        slash,
        dash: false,
        angle: false,
        single,
        triple: false,
        backtick: false,
    }
}

/// The comment syntax of a code file by its extension (lower case); unknown ones get
/// `#` and `//` comments.
fn syntax_of(ext: &str) -> Syntax {
    match ext {
        "py" | "pyi" | "pyx" => Syntax {
            triple: true,
            ..syn(true, false, true)
        },
        "rb" | "sh" | "bash" | "zsh" | "fish" | "r" | "pl" | "pm" | "tf" | "hcl" | "cmake"
        | "ps1" | "coffee" | "nim" | "jl" | "ex" | "exs" | "cr" | "toml" | "ini" | "cfg"
        | "conf" | "env" | "mk" | "make" | "dockerfile" | "gitignore" => syn(true, false, true),
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "mts" | "cts" => Syntax {
            backtick: true,
            ..syn(false, true, true)
        },
        "go" => Syntax {
            backtick: true,
            ..syn(false, true, false)
        },
        "php" => syn(true, true, true),
        "dart" | "groovy" | "gradle" | "scss" | "less" | "json5" | "jsonc" => {
            syn(false, true, true)
        }
        "css" => syn(false, true, true),
        "lua" | "hs" | "elm" | "ada" | "adb" | "ads" => Syntax {
            dash: true,
            ..syn(false, false, true)
        },
        "sql" => Syntax {
            dash: true,
            ..syn(false, true, true)
        },
        "xml" | "html" | "htm" => Syntax {
            angle: true,
            ..syn(false, false, true)
        },
        // C family, Java, Kotlin, Scala, C#, Rust, Swift, Zig, Solidity, protobuf ...
        "c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "hh" | "m" | "mm" | "java" | "kt" | "kts"
        | "scala" | "cs" | "fs" | "rs" | "swift" | "zig" | "sol" | "proto" | "v" | "d" => {
            syn(false, true, false)
        }
        _ => syn(true, true, true),
    }
}

/// The kind of the file at `path` (repo-relative), with `head` its first bytes.
pub(crate) fn kind_of(path: &str, head: &[u8], tables: &Tables) -> Kind {
    let name = path.rsplit('/').next().unwrap_or(path);
    // Lower case without an allocation for the usual name.
    let mut buf = [0u8; 96];
    let owned;
    let lname: &str = if name.len() <= buf.len() {
        buf[..name.len()].copy_from_slice(name.as_bytes());
        buf[..name.len()].make_ascii_lowercase();
        std::str::from_utf8(&buf[..name.len()]).unwrap_or("")
    } else {
        owned = name.to_ascii_lowercase();
        &owned
    };
    let (stem, ext) = match lname.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext),
        _ => (lname, ""),
    };
    let has = |list: Cx, w: &str| tables.list(list).iter().any(|x| x.eq_ignore_ascii_case(w));
    if has(Cx::MachineNames, lname)
        || tables
            .list(Cx::MachineSuffixes)
            .iter()
            .any(|s| lname.ends_with(s))
    {
        return Kind::Machine;
    }
    let dirs = || path.split('/').rev().skip(1);
    let in_label_dir = || dirs().any(|d| has(Cx::LabelDirs, &d.to_ascii_lowercase()));
    let locale_stem = || is_locale(stem, tables);
    match ext {
        "csv" | "tsv" | "psv" | "tab" => Kind::Delimited,
        "jsonl" | "ndjson" => Kind::JsonLines,
        "parquet" => Kind::Parquet,
        "sql" | "ddl" | "dml" | "psql" | "pgsql" | "mysql" => Kind::Sql,
        _ if has(Cx::SchemaExtensions, ext) => Kind::Schema,
        _ if has(Cx::LabelExtensions, ext) => Kind::Labels,
        _ if has(Cx::MarkupExtensions, ext) => Kind::Markup,
        "json" | "geojson" | "json5" | "jsonc" => {
            if in_label_dir() || locale_stem() {
                Kind::Labels
            } else if stem.ends_with(".schema") || schema_document(head) {
                Kind::Schema
            } else {
                Kind::Json
            }
        }
        "yaml" | "yml" => {
            if in_label_dir() || locale_stem() {
                Kind::Labels
            } else if schema_document(head) {
                Kind::Schema
            } else {
                Kind::Yaml
            }
        }
        "xml" | "plist" => {
            if in_label_dir() || matches!(stem, "strings" | "arrays" | "plurals") || locale_stem() {
                Kind::Labels
            } else {
                Kind::Xml
            }
        }
        "txt" | "dat" | "data" if delimited_records(head) => Kind::Delimited,
        _ if has(Cx::ProseExtensions, ext) => Kind::Prose,
        "" if has(Cx::ProseNames, stem) => Kind::Prose,
        _ => {
            let syntax = syntax_of(if ext.is_empty() { stem } else { ext });
            // Minified: no line break in the first 4 KiB.
            if head.len() > 2048 && memchr::memchr(b'\n', &head[..head.len().min(4096)]).is_none() {
                return Kind::Machine;
            }
            Kind::Code(syntax)
        }
    }
}

/// A language code, alone or with a region or script: `en`, `pt-BR`, `zh_Hant`,
/// `messages.fr` (the last dotted part).
fn is_locale(stem: &str, tables: &Tables) -> bool {
    let last = stem.rsplit('.').next().unwrap_or(stem);
    let lang = last.split(['-', '_']).next().unwrap_or(last);
    let rest = &last[lang.len()..];
    let region_ok = rest.is_empty()
        || (rest.len() <= 5
            && rest[1..].bytes().all(|b| b.is_ascii_alphanumeric())
            && !rest[1..].contains(['-', '_']));
    region_ok && tables.list(Cx::LocaleCodes).contains(&lang)
}

/// JSON Schema, OpenAPI or Swagger by their first kilobyte.
fn schema_document(head: &[u8]) -> bool {
    let h = &head[..head.len().min(1024)];
    let finder = |n: &[u8]| memchr::memmem::find(h, n).is_some();
    finder(b"\"$schema\"")
        || finder(b"\"openapi\"")
        || finder(b"\"swagger\"")
        || h.starts_with(b"openapi:")
        || h.starts_with(b"swagger:")
        || finder(b"\nopenapi:")
        || finder(b"\nswagger:")
        || h.starts_with(b"$schema:")
        || finder(b"\n$schema:")
}

/// Whether the first lines of a text file are delimited records: the first line has
/// two delimiters or more, and the next lines the same number of the same one.
pub(crate) fn delimited_records(head: &[u8]) -> bool {
    let mut lines = head[..head.len().min(8192)]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty());
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else {
        return false;
    };
    let third = lines.next();
    [b'\t', b',', b'|', b';'].into_iter().any(|d| {
        let n = first.iter().filter(|&&c| c == d).count();
        n >= 2
            && second.iter().filter(|&&c| c == d).count() == n
            && third.is_none_or(|t| t.iter().filter(|&&c| c == d).count() == n)
    })
}

/// What a stretch of a code file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    /// A comment or a docstring: prose.
    Comment,
    /// A string literal.
    Str,
}

/// The comments and string literals of `s`, in order, as (start, end, what): the start
/// of a string is its opening quote, its end one past the closing one.
pub(crate) fn regions(s: &[u8], syn: Syntax) -> Vec<(usize, usize, Region)> {
    let mut out = Vec::new();
    let n = s.len();
    let mut i = 0;
    let line_end = |i: usize| memchr::memchr(b'\n', &s[i..]).map_or(n, |e| i + e);
    let find = |i: usize, pat: &[u8]| memchr::memmem::find(&s[i..], pat).map(|e| i + e);
    while i < n {
        let c = s[i];
        let next = s.get(i + 1).copied().unwrap_or(0);
        let at_word_start = i == 0 || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'_');
        let line_comment = (syn.hash && c == b'#')
            || (syn.slash && c == b'/' && next == b'/')
            || (syn.dash && c == b'-' && next == b'-');
        if line_comment {
            let e = line_end(i);
            out.push((i, e, Region::Comment));
            i = e;
        } else if syn.slash && c == b'/' && next == b'*' {
            let e = find(i + 2, b"*/").map_or(n, |e| e + 2);
            out.push((i, e, Region::Comment));
            i = e;
        } else if syn.angle && s[i..].starts_with(b"<!--") {
            let e = find(i + 4, b"-->").map_or(n, |e| e + 3);
            out.push((i, e, Region::Comment));
            i = e;
        } else if syn.triple && (s[i..].starts_with(b"\"\"\"") || s[i..].starts_with(b"'''")) {
            let e = find(i + 3, &s[i..i + 3]).map_or(n, |e| e + 3);
            out.push((i, e, Region::Comment));
            i = e;
        } else if c == b'"' || (c == b'\'' && syn.single) || (c == b'`' && syn.backtick) {
            let multi = c == b'`';
            let mut j = i + 1;
            while j < n && s[j] != c && (multi || s[j] != b'\n') {
                j += if s[j] == b'\\' { 2 } else { 1 };
            }
            let e = (j + 1).min(n);
            out.push((i, e, Region::Str));
            i = e;
        } else if c == b'\'' && !syn.single && at_word_start {
            // A character literal (`'x'`, `'\n'`) or a lifetime: passed over.
            i += if s.get(i + 2) == Some(&b'\'') {
                3
            } else if next == b'\\' && s.get(i + 3) == Some(&b'\'') {
                4
            } else {
                1
            };
        } else {
            i += 1;
        }
    }
    out
}

/// The region `at` lies in, if any (`regions` sorted by start).
pub(crate) fn region_at(
    regions: &[(usize, usize, Region)],
    at: usize,
) -> Option<(usize, usize, Region)> {
    let i = regions.partition_point(|r| r.0 <= at);
    let r = *regions.get(i.checked_sub(1)?)?;
    (at < r.1).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::super::TABLES;
    use super::*;

    fn kind(path: &str, head: &str) -> Kind {
        kind_of(path, head.as_bytes(), &TABLES)
    }

    #[test]
    fn kinds_by_name_and_head() {
        assert_eq!(kind("data/people.csv", "a,b\n"), Kind::Delimited);
        assert_eq!(
            kind("data/people.txt", "id\tname\tdob\n1\tA\t2000-01-01\n"),
            Kind::Delimited
        );
        assert_eq!(
            kind("docs/notes.txt", "The race condition, again.\n"),
            Kind::Prose
        );
        assert_eq!(kind("README", "x"), Kind::Prose);
        assert_eq!(kind("docs/guide.md", "x"), Kind::Prose);
        assert_eq!(
            kind("src/main/resources/messages_en.properties", "a=b"),
            Kind::Labels
        );
        assert_eq!(kind("web/i18n/fr.json", "{}"), Kind::Labels);
        assert_eq!(kind("web/locales/pt-BR.json", "{}"), Kind::Labels);
        assert_eq!(
            kind("app/res/values-fr/strings.xml", "<resources/>"),
            Kind::Labels
        );
        assert_eq!(kind("config/db.json", "{}"), Kind::Json);
        assert_eq!(kind("schemas/patient.schema.json", "{}"), Kind::Schema);
        assert_eq!(
            kind("api/patient.json", "{\"$schema\": \"x\"}"),
            Kind::Schema
        );
        assert_eq!(kind("api/openapi.yaml", "openapi: 3.0.0\n"), Kind::Schema);
        assert_eq!(kind("proto/person.proto", "x"), Kind::Schema);
        assert_eq!(kind("package-lock.json", "{}"), Kind::Machine);
        assert_eq!(kind("static/app.min.js", "x"), Kind::Machine);
        assert_eq!(kind("static/app.js", &"x".repeat(5000)), Kind::Machine);
        assert_eq!(kind("db/dump.sql", "x"), Kind::Sql);
        assert_eq!(kind("data/p.parquet", "x"), Kind::Parquet);
        assert_eq!(kind("templates/form.html", "x"), Kind::Markup);
        assert!(matches!(kind("src/Race.py", "class Race:\n"), Kind::Code(s) if s.triple));
        assert!(matches!(kind("src/Patient.java", "x"), Kind::Code(s) if s.slash && !s.single));
        assert!(matches!(kind("Makefile", "x"), Kind::Code(_)));
    }

    #[test]
    fn comments_and_strings_are_found() {
        let py = "x = 'a' # the race: again\n\"\"\"Doc race.\"\"\"\ny = \"race\"\n";
        let r = regions(py.as_bytes(), syntax_of("py"));
        let at = |w: &str, nth: usize| py.match_indices(w).nth(nth).unwrap().0;
        assert_eq!(
            region_at(&r, at("race", 0)).map(|r| r.2),
            Some(Region::Comment)
        );
        assert_eq!(
            region_at(&r, at("race", 1)).map(|r| r.2),
            Some(Region::Comment)
        );
        assert_eq!(region_at(&r, at("race", 2)).map(|r| r.2), Some(Region::Str));
        assert_eq!(region_at(&r, at("x", 0)), None);
        let rs = "let c = 'x'; fn f<'a>(s: &'a str) { /* race */ let race = \"r\"; }";
        let r = regions(rs.as_bytes(), syntax_of("rs"));
        assert_eq!(
            region_at(&r, rs.find("race */").unwrap()).map(|r| r.2),
            Some(Region::Comment)
        );
        assert_eq!(region_at(&r, rs.find("race =").unwrap()), None);
    }
}
