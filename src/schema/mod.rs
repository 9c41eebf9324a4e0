//! The located-YAML schema layer every reviewable file shares: `tiergate.yaml`, the
//! exceptions and accepted-findings files, and the rule files under `rules/`.
//!
//! [`yaml`] turns text into a tree whose every node knows its line and column; [`Ctx`]
//! walks such a tree for one file, collects every problem as a located [`Diagnostic`]
//! (not just the first) and offers the checks all schemas need (types, known keys with
//! a suggestion for a typo, required keys, identifiers, versioned lists). Each schema's
//! own checks live with its owner and extend `Ctx` there. Depends on nothing of
//! tiergate but [`crate::diag`].

pub(crate) mod yaml;

pub(crate) use yaml::{Located, Node};

use crate::diag::Diagnostic;

/// Where a value of a reviewable file is: the file's display path (relative to the
/// repository root when inside it, or `builtin`), line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: String,
    pub line: u64,
    pub col: u64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Pos {
    pub(crate) line: u64,
    pub(crate) col: u64,
}

impl<T> Located<T> {
    pub(crate) fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

/// One recognized `key: value` pair of a mapping.
pub(crate) struct Field<'n> {
    pub(crate) key: &'n str,
    pub(crate) key_pos: Pos,
    pub(crate) value: &'n Located<Node>,
}

pub(crate) struct Fields<'n>(pub(crate) Vec<Field<'n>>);

impl<'n> Fields<'n> {
    pub(crate) fn get(&self, key: &str) -> Option<&Field<'n>> {
        self.0.iter().find(|f| f.key == key)
    }

    /// An explicit `null` means "not given": users comment out every list item and
    /// leave the key, and that should not be an error.
    pub(crate) fn present(&self, key: &str) -> Option<&Field<'n>> {
        self.get(key).filter(|f| f.value.value != Node::Null)
    }
}

pub(crate) struct Ctx<'a> {
    pub(crate) file: &'a str,
    pub(crate) diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub(crate) fn error(&mut self, at: Pos, code: &'static str, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(self.file, at.line, at.col, code, message));
    }

    pub(crate) fn type_error(&mut self, node: &Located<Node>, expected: &str) {
        self.error(
            node.pos(),
            "invalid-type",
            format!("expected {expected}, found {}", node.value.describe()),
        );
    }

    /// A governance file's top level (`what`: "exceptions file"): a mapping of an
    /// optional `version`, which must be 1, and the list under `key`, returned when
    /// present.
    pub(crate) fn versioned_list<'n>(
        &mut self,
        root: Option<&'n Located<Node>>,
        key: &str,
        what: &str,
    ) -> Option<&'n Located<Node>> {
        let top = self.mapping(
            root?,
            &format!("a mapping with an `{key}` list"),
            Some(&["version", key]),
        )?;
        if let Some(v) = top.present("version")
            && let Some(n) = self.int(v.value, "the integer 1")
            && n != 1
        {
            self.error(
                v.value.pos(),
                "unsupported-version",
                format!("{what} version {n} is not supported; this build reads version 1"),
            );
        }
        top.present(key).map(|f| f.value)
    }

    /// `out` when nothing was reported, else every problem in file order.
    pub(crate) fn finish<T>(mut self, out: T) -> Result<T, Vec<Diagnostic>> {
        if self.diags.is_empty() {
            Ok(out)
        } else {
            self.diags.sort_by_key(|d| (d.line, d.col));
            Err(self.diags)
        }
    }

    /// The recognized entries of a mapping. Non-string keys and keys outside `known`
    /// are reported; `known: None` accepts any string key (zone names).
    pub(crate) fn mapping<'n>(
        &mut self,
        node: &'n Located<Node>,
        expected: &str,
        known: Option<&[&str]>,
    ) -> Option<Fields<'n>> {
        let Node::Map(entries) = &node.value else {
            self.type_error(node, expected);
            return None;
        };
        let mut fields = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let Node::Str(key) = &k.value else {
                self.type_error(k, "a string key");
                continue;
            };
            if let Some(known) = known
                && !known.contains(&key.as_str())
            {
                let message = match suggest(key, known) {
                    Some(s) => format!("unknown key `{key}`; did you mean `{s}`?"),
                    None => format!("unknown key `{key}`; expected one of {}", ticked(known)),
                };
                self.error(k.pos(), "unknown-key", message);
                continue;
            }
            fields.push(Field {
                key,
                key_pos: k.pos(),
                value: v,
            });
        }
        Some(Fields(fields))
    }

    /// Report every key of `required` missing from `fields`, at the mapping.
    pub(crate) fn require(
        &mut self,
        node: &Located<Node>,
        fields: &Fields<'_>,
        required: &[&str],
        what: &str,
    ) {
        for key in required {
            if fields.get(key).is_none() {
                self.error(
                    node.pos(),
                    "missing-key",
                    format!("{what} is missing the required key `{key}`"),
                );
            }
        }
    }

    pub(crate) fn string<'n>(
        &mut self,
        node: &'n Located<Node>,
        expected: &str,
    ) -> Option<&'n str> {
        match &node.value {
            Node::Str(s) => Some(s),
            _ => {
                self.type_error(node, expected);
                None
            }
        }
    }

    pub(crate) fn int(&mut self, node: &Located<Node>, expected: &str) -> Option<i128> {
        match node.value {
            Node::Int(i) => Some(i),
            _ => {
                self.type_error(node, expected);
                None
            }
        }
    }

    pub(crate) fn seq<'n>(
        &mut self,
        node: &'n Located<Node>,
        expected: &str,
    ) -> Option<&'n [Located<Node>]> {
        match &node.value {
            Node::Seq(items) => Some(items),
            _ => {
                self.type_error(node, expected);
                None
            }
        }
    }

    pub(crate) fn positive(&mut self, node: &Located<Node>, what: &str) -> Option<u64> {
        let n = self.int(node, &format!("an integer {what}"))?;
        match u64::try_from(n) {
            Ok(v) if v > 0 => Some(v),
            Ok(_) => {
                self.error(
                    node.pos(),
                    "invalid-value",
                    format!("{what} must be greater than 0, found {n}"),
                );
                None
            }
            Err(_) => {
                let bound = if n < 0 {
                    "greater than 0"
                } else {
                    "at most 2^64 - 1"
                };
                self.error(
                    node.pos(),
                    "invalid-value",
                    format!("{what} must be {bound}, found {n}"),
                );
                None
            }
        }
    }

    /// The text under `key`, trimmed: a string, and not blank (`hint` says what to
    /// write, in "the {key} is empty; {hint}").
    pub(crate) fn required_text(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        hint: &str,
    ) -> Option<String> {
        let f = fields.get(key)?;
        let s = self.string(f.value, &format!("a string {key}"))?;
        if s.trim().is_empty() {
            self.error(
                f.value.pos(),
                "invalid-value",
                format!("the {key} is empty; {hint}"),
            );
            return None;
        }
        Some(s.trim().to_string())
    }

    pub(crate) fn identifier(&mut self, node: &Located<Node>, what: &str) -> Option<String> {
        let s = self.string(node, &format!("a string {what}"))?;
        if is_identifier(s) {
            Some(s.to_string())
        } else {
            self.error(node.pos(), "invalid-name", bad_identifier(s, what));
            None
        }
    }

    /// An identifier that must be unique within its list: a repeat is reported
    /// (`duplicate-id`, naming the line of the first) and dropped. `seen` holds the ids
    /// read so far with their item's line.
    pub(crate) fn unique_identifier(
        &mut self,
        node: &Located<Node>,
        item_line: u64,
        what: &str,
        seen: &mut Vec<(String, u64)>,
        message: impl FnOnce(&str, u64) -> String,
    ) -> Option<String> {
        let id = self.identifier(node, what)?;
        if let Some((_, line)) = seen.iter().find(|(s, _)| *s == id) {
            self.error(node.pos(), "duplicate-id", message(&id, *line));
            return None;
        }
        seen.push((id.clone(), item_line));
        Some(id)
    }
}

/// `[a-z0-9][a-z0-9_-]*`: safe in file names, Rego data keys and manifest reasons.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

pub(crate) fn bad_identifier(s: &str, what: &str) -> String {
    format!(
        "`{s}` is not a valid {what}: use lowercase letters, digits, `-` and `_`, starting with a letter or digit"
    )
}

pub(crate) fn ticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The closest of `candidates` to `key`, if close enough to be a likely typo.
/// Case and `-`/`_` differences count as no difference at all.
pub(crate) fn suggest<'c>(key: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let key_n = norm(key);
    candidates
        .iter()
        .map(|c| (levenshtein(&key_n, &norm(c)), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A repo-relative file path as the manifest spells it: `/`-separated, not absolute, no
/// empty, `.` or `..` component, no `\`.
pub(crate) fn is_repo_relative_path(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('/')
        && !s.contains('\\')
        && s.split('/').all(|c| !matches!(c, "" | "." | ".."))
}
