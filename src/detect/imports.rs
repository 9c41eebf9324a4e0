//! What a code file imports from its own repository: the links the component stage
//! follows to tell which files belong to a system ([`crate::component`]).
//!
//! Read while the file is read for the detectors, kept with its facts (and in the scan
//! cache), never shown. Two languages, whose imports name files:
//!
//! - **Python** (`.py`, `.pyi`): `import a.b`, `from a.b import c, d` (also
//!   parenthesised over lines), relative `from .m import x`, `from .. import m`. An
//!   absolute module is kept as a path without a leading `/` (`a/b`, and `a/b/c`,
//!   `a/b/d` for names that may be submodules): the component stage looks for it from
//!   the component's root, the importing file's directory and the repository's root. A
//!   relative one is resolved here against the file's package, kept with a leading `/`
//!   (`/pkg/m`).
//! - **JavaScript and TypeScript** (`.js`, `.jsx`, `.mjs`, `.cjs`, `.ts`, `.tsx`,
//!   `.mts`, `.cts`): relative specifiers of `import ... from`, `export ... from`,
//!   `import '...'`, `import(...)` and `require(...)` (`./x`, `../y/z`), resolved against
//!   the file's directory, kept with a leading `/`. Package imports name no file of the
//!   repository and are left out.
//!
//! A file keeps at most [`MAX_IMPORTS`], from its first [`MAX_BYTES`].

/// Imports kept per file.
pub const MAX_IMPORTS: usize = 64;

/// Bytes of a file read for its imports: they come first.
pub const MAX_BYTES: usize = 256 << 10;

/// The language whose imports a file's extension says how to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Script,
}

/// The import language of a path, by its extension.
pub fn lang_of(path: &str) -> Option<Lang> {
    let ext = path.rsplit_once('.')?.1;
    match ext {
        "py" | "pyi" => Some(Lang::Python),
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" => Some(Lang::Script),
        _ => None,
    }
}

/// The imports of the file at `path` (repository-relative) holding `content`, sorted,
/// each once.
pub fn of(path: &str, content: &[u8]) -> Vec<String> {
    let Some(lang) = lang_of(path) else {
        return Vec::new();
    };
    let content = &content[..content.len().min(MAX_BYTES)];
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = Vec::new();
    match lang {
        Lang::Python => python(content, dir, &mut out),
        Lang::Script => script(content, dir, &mut out),
    }
    // A cache record keeps a name of up to 255 bytes; no module path is that long.
    out.retain(|i| i.len() <= 255);
    out.sort_unstable();
    out.dedup();
    out.truncate(MAX_IMPORTS);
    out
}

/// The end of the line holding `at`.
fn line_end(s: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &s[at..]).map_or(s.len(), |i| at + i)
}

/// `a.b.c` -> `a/b/c`, when every part is an identifier.
fn module_path(dotted: &str) -> Option<String> {
    let ok = !dotted.is_empty()
        && dotted.split('.').all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !p.starts_with(|c: char| c.is_ascii_digit())
        });
    ok.then(|| dotted.replace('.', "/"))
}

/// `dir` joined with `rel`, kept with a leading `/` (an exact path from the root), or
/// None above the repository's root.
fn join(dir: &str, rel: &str) -> Option<String> {
    crate::walk::join_relative(dir, rel).map(|p| format!("/{p}"))
}

/// Python: only the lines holding `import` are read (found by a substring search,
/// most of a file is never looked at).
fn python(s: &[u8], dir: &str, out: &mut Vec<String>) {
    let mut read_to = 0;
    for at in memchr::memmem::find_iter(s, b"import") {
        if at < read_to {
            continue;
        }
        let start = memchr::memrchr(b'\n', &s[..at]).map_or(0, |i| i + 1);
        let end = line_end(s, at);
        read_to = end + 1;
        let Ok(line) = std::str::from_utf8(&s[start..end]) else {
            continue;
        };
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("import ") {
            for item in rest.split('#').next().unwrap_or("").split(',') {
                let name = item.split_whitespace().next().unwrap_or("");
                if let Some(p) = module_path(name) {
                    out.push(p);
                }
            }
        } else if let Some(rest) = line.strip_prefix("from ") {
            let Some((module, names)) = rest.split_once(" import ") else {
                continue;
            };
            let module = module.trim();
            // The names imported, over lines when parenthesised.
            let mut names = names.split('#').next().unwrap_or("").to_string();
            if names.contains('(') && !names.contains(')') {
                for _ in 0..64 {
                    if read_to >= s.len() {
                        break;
                    }
                    let e = line_end(s, read_to);
                    let more = std::str::from_utf8(&s[read_to..e]).unwrap_or("");
                    read_to = e + 1;
                    let more = more.split('#').next().unwrap_or("");
                    names.push_str(more);
                    if more.contains(')') {
                        break;
                    }
                }
            }
            let names: Vec<&str> = names
                .split([',', '(', ')', '\\'])
                .filter_map(|n| n.split_whitespace().next())
                .filter(|n| *n != "*")
                .collect();
            let dots = module.len() - module.trim_start_matches('.').len();
            let rest = &module[dots..];
            let base = if dots == 0 {
                match module_path(rest) {
                    Some(p) => p,
                    None => continue,
                }
            } else {
                // `.` is the file's package, each further dot one up.
                let up = "../".repeat(dots - 1);
                let rel = match rest {
                    "" => up,
                    r => match module_path(r) {
                        Some(p) => format!("{up}{p}"),
                        None => continue,
                    },
                };
                match join(dir, &rel) {
                    Some(p) => p,
                    None => continue,
                }
            };
            if base != "/" {
                out.push(base.clone());
            }
            for n in names {
                if let Some(n) = module_path(n).filter(|n| !n.contains('/')) {
                    let sep = if base.ends_with('/') { "" } else { "/" };
                    out.push(format!("{base}{sep}{n}"));
                }
            }
        }
    }
}

/// JavaScript and TypeScript: the quoted specifier right after `from`, `import`,
/// `import(` or `require(`, when it starts `./` or `../`.
fn script(s: &[u8], dir: &str, out: &mut Vec<String>) {
    for kw in [&b"from"[..], b"import", b"require"] {
        for at in memchr::memmem::find_iter(s, kw) {
            if at > 0
                && (s[at - 1].is_ascii_alphanumeric() || matches!(s[at - 1], b'_' | b'$' | b'.'))
            {
                continue;
            }
            let mut p = at + kw.len();
            let blanks = |mut p: usize| {
                while p < s.len() && matches!(s[p], b' ' | b'\t') {
                    p += 1;
                }
                p
            };
            p = blanks(p);
            if p < s.len() && s[p] == b'(' {
                p = blanks(p + 1);
            }
            let Some(&q) = s.get(p).filter(|&&c| c == b'\'' || c == b'"') else {
                continue;
            };
            let from = p + 1;
            let Some(end) = s[from..]
                .iter()
                .position(|&c| c == q || c == b'\n')
                .map(|e| from + e)
                .filter(|&e| s[e] == q)
            else {
                continue;
            };
            let Ok(spec) = std::str::from_utf8(&s[from..end]) else {
                continue;
            };
            if (spec.starts_with("./") || spec.starts_with("../"))
                && let Some(p) = join(dir, spec)
            {
                out.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_imports_name_modules_and_their_submodules() {
        let src = "import os, numpy as np\nfrom credibility.model import ConsistencyScorer\n\
                   from features import (\n    build_features,  # the model's\n    clean,\n)\n\
                   def f():\n    import json\n";
        assert_eq!(
            of("service/api.py", src.as_bytes()),
            [
                "credibility/model",
                "credibility/model/ConsistencyScorer",
                "features",
                "features/build_features",
                "features/clean",
                "json",
                "numpy",
                "os",
            ]
        );
    }

    #[test]
    fn relative_python_imports_are_resolved_against_the_package() {
        let src = "from .model import Scorer\nfrom .. import utils\nfrom ...x import y\n";
        assert_eq!(
            of("app/credibility/api.py", src.as_bytes()),
            [
                "/app",
                "/app/credibility/model",
                "/app/credibility/model/Scorer",
                "/app/utils",
                "/x",
                "/x/y",
            ]
        );
    }

    #[test]
    fn scripts_keep_their_relative_specifiers_only() {
        let src = "import express from 'express';\nimport { score } from './scoreCandidate';\n\
                   const db = require(\"../lib/db\");\nexport * from './types';\n\
                   const s = 'not ./an/import';\nconst lazy = await import('./lazy.js');\n";
        assert_eq!(
            of("src/server.ts", src.as_bytes()),
            [
                "/lib/db",
                "/src/lazy.js",
                "/src/scoreCandidate",
                "/src/types"
            ]
        );
        assert!(of("README.md", b"from x import y").is_empty());
    }
}
