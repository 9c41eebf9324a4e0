//! The library's module graph has no cycles: which top-level module (`config`,
//! `detect`, `gate`, …) refers to which, read from the sources.
//!
//! A module refers to another when its code (tests, comments, strings and doc links
//! left out) names `crate::<other>`, or `super::<other>` from a top-level file. Features
//! own their config sections and `config` composes them (as cargo-deny's checks do), so
//! a lower module never reaches back up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn the_module_graph_has_no_cycles() {
    let graph = module_graph();
    let found = cycles(&graph);
    let edges: Vec<String> = graph
        .iter()
        .map(|(m, to)| {
            format!(
                "{m} -> {}",
                to.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        found.is_empty(),
        "modules that refer to each other in a cycle: {found:?}; the graph:\n{}",
        edges.join("\n")
    );
    // The checker sees the graph: the composition root reaches the features.
    assert!(graph["app"].contains("config") && graph["config"].contains("gate"));
}

/// The checker sees through comments, strings and test code.
#[test]
fn references_in_tests_comments_and_strings_do_not_count() {
    let text = "use crate::a::X;\n// crate::b\n/// [`crate::c`]\nfn f() { let s = \"crate::d\"; let c = '{'; }\n#[cfg(test)]\nmod tests { use crate::e; fn g() { crate::f::h(); } }\nfn k() { super::g::x(); }\n";
    let refs = references(text, "m", true);
    assert_eq!(refs, BTreeSet::from(["a".to_string(), "g".to_string()]));
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The top-level modules, as lib.rs declares them.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ");
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect();
    assert!(
        modules.contains("config") && modules.contains("detect"),
        "{modules:?}"
    );
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            if !rel.ends_with(".rs") || rel == "main.rs" || rel == "lib.rs" {
                continue;
            }
            let name = rel.rsplit('/').next().unwrap();
            if name == "tests.rs" || rel.contains("/tests/") {
                continue;
            }
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            // `super::x` reaches the crate root from a top-level file only.
            let at_root = !rel.contains('/');
            let text = std::fs::read_to_string(&path).unwrap();
            let refs = references(&text, &top, at_root);
            // `super::` inside an inline module of a top-level file is that file.
            let refs = refs.into_iter().filter(|r| modules.contains(r));
            graph.entry(top).or_default().extend(refs);
        }
    }
    graph
}

/// The top-level modules `text` (a file of module `me`) refers to.
fn references(text: &str, me: &str, at_root: bool) -> BTreeSet<String> {
    let code = strip(text);
    let mut out = BTreeSet::new();
    let prefixes: &[&str] = if at_root {
        &["crate::", "super::"]
    } else {
        &["crate::"]
    };
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            if at > 0 {
                let b = code.as_bytes()[at - 1];
                if b.is_ascii_alphanumeric() || b == b'_' || b == b':' {
                    continue;
                }
            }
            let rest = &code[at + prefix.len()..];
            // `crate::{a::X, b}` names each of its first segments.
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => {
                    let mut depth = 0usize;
                    let mut parts = Vec::new();
                    let mut start = 0;
                    for (i, c) in group.char_indices() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => {
                                parts.push(&group[start..i]);
                                break;
                            }
                            '}' => depth -= 1,
                            ',' if depth == 0 => {
                                parts.push(&group[start..i]);
                                start = i + 1;
                            }
                            _ => {}
                        }
                    }
                    parts.into_iter().map(str::trim).collect()
                }
                None => vec![rest],
            };
            for name in names {
                let end = name
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(name.len());
                let name = &name[..end];
                if !name.is_empty()
                    && name != me
                    && name != "self"
                    && name.chars().next().unwrap().is_lowercase()
                {
                    out.insert(name.to_string());
                }
            }
        }
    }
    out
}

/// The code of `text` without comments, string and char literals, and `#[cfg(test)]`
/// items.
fn strip(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if text[i..].starts_with("#[cfg(test)]") {
            i = skip_item(b, i + "#[cfg(test)]".len());
            continue;
        }
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' => i = skip_string(b, i),
            b'r' if matches!(b.get(i + 1), Some(b'#' | b'"'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                i = skip_raw_string(b, i);
            }
            b'\'' => i = skip_char(b, i),
            c => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() && b[i] != b'"' {
        if b[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

fn skip_raw_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    let mut hashes = 0;
    while b.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if b.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    loop {
        if i >= b.len() {
            return i;
        }
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
}

/// A char literal (`'{'`, `'\n'`, `'\u{7b}'`) is skipped; a lifetime is kept.
fn skip_char(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) == Some(&b'\\') {
        let mut j = i + 2;
        while j < b.len() && b[j] != b'\'' {
            j += 1;
        }
        return j + 1;
    }
    // One character (possibly several bytes) and a closing quote.
    let len = std::str::from_utf8(&b[i + 1..(i + 5).min(b.len())])
        .ok()
        .or_else(|| std::str::from_utf8(&b[i + 1..(i + 4).min(b.len())]).ok())
        .or_else(|| std::str::from_utf8(&b[i + 1..(i + 3).min(b.len())]).ok())
        .or_else(|| std::str::from_utf8(&b[i + 1..(i + 2).min(b.len())]).ok())
        .and_then(|s| s.chars().next())
        .map_or(1, char::len_utf8);
    if b.get(i + 1 + len) == Some(&b'\'') {
        i + 2 + len
    } else {
        i + 1
    }
}

/// Past the item that starts at `i`: up to its `;` or the `}` closing its first `{`.
fn skip_item(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = skip_string(b, i);
                continue;
            }
            b'\'' => {
                i = skip_char(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b';' if depth == 0 => return i + 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The strongly connected groups of more than one module, each sorted (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    impl<'g> T<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on.remove(w);
                    group.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.out.push(group);
                }
            }
        }
    }
    let mut t = T {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out.sort();
    t.out
}
