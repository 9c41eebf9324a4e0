//! A manifest read for lookups, not materialized: the header is parsed, and each file
//! entry stays a slice of the text until asked for. The canonical layout (one entry
//! per line, see [`Manifest::write_json`]) makes this cheap; a manifest in any other
//! layout is parsed whole and re-rendered first, so every valid manifest reads the same.
//! A 100,000-file manifest (25 MB) is indexed in a few milliseconds, where a full parse
//! takes a quarter of a second.

use std::borrow::Cow;

use super::{FileEntry, Manifest};
use crate::diag::{Diagnostic, Diagnostics};

/// One entry line: where its key (inside the quotes) and its value lie in the text.
#[derive(Debug, Clone, Copy)]
struct Line {
    key: (usize, usize),
    /// The key holds a JSON escape and must be decoded before comparing.
    escaped: bool,
    value: (usize, usize),
}

pub struct ManifestView {
    text: String,
    display: String,
    /// Everything but `files`.
    pub header: Manifest,
    lines: Vec<Line>,
}

const FILES_OPEN: &str = "  \"files\": {";

impl ManifestView {
    /// Index a manifest's text. Errors are located diagnostics (`manifest-invalid`,
    /// `manifest-version`), as for [`Manifest::from_json`].
    pub fn parse(text: String, display: &str) -> Result<ManifestView, Diagnostics> {
        match Self::index_canonical(&text, display) {
            Some(Ok((header, lines))) => Ok(ManifestView {
                text,
                display: display.to_string(),
                header,
                lines,
            }),
            Some(Err(d)) => Err(d),
            None => {
                // Not in the canonical layout (reformatted by hand or by a tool): parse
                // it whole, which also gives the precise error, then index the
                // canonical rendering.
                let m = Manifest::from_json(&text, display)?;
                let canonical = m.to_json();
                match Self::index_canonical(&canonical, display) {
                    Some(Ok((header, lines))) => Ok(ManifestView {
                        text: canonical,
                        display: display.to_string(),
                        header,
                        lines,
                    }),
                    Some(Err(d)) => Err(d),
                    None => Err(invalid(display, 0, "the manifest could not be indexed")),
                }
            }
        }
    }

    /// None when the text is not in the canonical layout.
    #[allow(clippy::type_complexity)]
    fn index_canonical(
        text: &str,
        display: &str,
    ) -> Option<Result<(Manifest, Vec<Line>), Diagnostics>> {
        let open = text.find(FILES_OPEN)?;
        let body_start = open + FILES_OPEN.len();
        let (body_end, empty) = if text[body_start..].starts_with("}\n}\n") {
            (body_start, true)
        } else {
            let end = text.len().checked_sub("\n  }\n}\n".len())?;
            if !text.ends_with("\n  }\n}\n") || end < body_start {
                return None;
            }
            (end, false)
        };
        if empty && text.len() != body_start + "}\n}\n".len() {
            return None;
        }
        let mut head = String::with_capacity(open + 20);
        head.push_str(&text[..open]);
        head.push_str("  \"files\": {}\n}");
        let header = match Manifest::from_json(&head, display) {
            Ok(h) => h,
            Err(d) => return Some(Err(d)),
        };
        // One entry per line: sized once, not grown through a dozen copies.
        let mut lines = Vec::with_capacity(
            memchr::memchr_iter(b'\n', &text.as_bytes()[body_start..body_end]).count(),
        );
        let mut pos = body_start;
        let bytes = text.as_bytes();
        while pos < body_end {
            // Each entry: ",\n    " (or "\n    " for the first), a JSON string key,
            // ": ", a one-line JSON object.
            let sep = if lines.is_empty() {
                "\n    "
            } else {
                ",\n    "
            };
            if !text[pos..].starts_with(sep) {
                return None;
            }
            let key_start = pos + sep.len();
            if bytes.get(key_start) != Some(&b'"') {
                return None;
            }
            let (key_end, escaped) = string_end(bytes, key_start + 1)?;
            let after = key_end + 1;
            if !text[after..].starts_with(": {") {
                return None;
            }
            let value_start = after + 2;
            let line_end = memchr::memchr(b'\n', &bytes[value_start..body_end])
                .map_or(body_end, |i| value_start + i);
            let mut value_end = line_end;
            if line_end < body_end {
                // Followed by another entry: the line ends with the separator's comma.
                if bytes[line_end - 1] != b',' {
                    return None;
                }
                value_end = line_end - 1;
            }
            lines.push(Line {
                key: (key_start + 1, key_end),
                escaped,
                value: (value_start, value_end),
            });
            pos = value_end;
        }
        // Keys must be strictly increasing for lookups to be right.
        for w in lines.windows(2) {
            if view_key(text, &w[0]) >= view_key(text, &w[1]) {
                let line = text[..w[1].key.0].matches('\n').count() as u64 + 1;
                return Some(Err(invalid(
                    display,
                    line,
                    "file entries are not sorted or repeat a path; rescan",
                )));
            }
        }
        Some(Ok((header, lines)))
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn key(&self, l: &Line) -> Cow<'_, str> {
        view_key(&self.text, l)
    }

    fn find(&self, path: &str) -> Option<&Line> {
        let i = self
            .lines
            .binary_search_by(|l| self.key(l).as_ref().cmp(path))
            .ok()?;
        Some(&self.lines[i])
    }

    /// The entry's JSON text, exactly as written.
    pub fn raw(&self, path: &str) -> Option<&str> {
        self.find(path).map(|l| &self.text[l.value.0..l.value.1])
    }

    /// The parsed entry of a listed path.
    pub fn get(&self, path: &str) -> Option<Result<FileEntry, Diagnostics>> {
        let l = self.find(path)?;
        Some(self.parse_entry(l))
    }

    fn parse_entry(&self, l: &Line) -> Result<FileEntry, Diagnostics> {
        serde_json::from_str(&self.text[l.value.0..l.value.1]).map_err(|e| {
            let line = self.text[..l.value.0].matches('\n').count() as u64 + 1;
            invalid(&self.display, line, &format!("invalid file entry: {e}"))
        })
    }

    /// Every listed path with its raw entry, in order.
    pub fn entries(&self) -> impl Iterator<Item = (Cow<'_, str>, &str)> {
        self.lines
            .iter()
            .map(|l| (self.key(l), &self.text[l.value.0..l.value.1]))
    }

    /// Listed paths under a directory (`dir/` prefix), with their parsed entries.
    pub fn under(&self, dir: &str) -> Result<Vec<(String, FileEntry)>, Diagnostics> {
        let prefix = format!("{dir}/");
        let start = self
            .lines
            .partition_point(|l| self.key(l).as_ref() < prefix.as_str());
        let mut out = Vec::new();
        for l in &self.lines[start..] {
            let k = self.key(l);
            if !k.starts_with(&prefix) {
                break;
            }
            out.push((k.into_owned(), self.parse_entry(l)?));
        }
        Ok(out)
    }

    /// Resolve a path as [`Manifest::resolve`] does, parsing only the entries it needs.
    pub fn resolve(&self, path: &str) -> Result<super::Resolution, Diagnostics> {
        if let Some(e) = self.get(path) {
            return Ok(super::listed(path, &e?));
        }
        let under = if path.is_empty() {
            self.to_manifest()?.files.into_iter().collect()
        } else {
            self.under(path)?
        };
        Ok(
            super::directory(path, under.iter().map(|(p, e)| (p.as_str(), e.tier)))
                .unwrap_or_else(|| super::unlisted(path, &self.header.unlisted)),
        )
    }

    /// Every listed path with its parsed entry, in order, one at a time: a reader that
    /// reduces a manifest to counts never holds all entries at once.
    pub fn files(&self) -> impl Iterator<Item = Result<(Cow<'_, str>, FileEntry), Diagnostics>> {
        self.lines
            .iter()
            .map(|l| Ok((self.key(l), self.parse_entry(l)?)))
    }

    /// Parse every entry into a full [`Manifest`].
    pub fn to_manifest(&self) -> Result<Manifest, Diagnostics> {
        let mut m = self.header.clone();
        for f in self.files() {
            let (path, entry) = f?;
            m.files.insert(path.into_owned(), entry);
        }
        Ok(m)
    }
}

fn view_key<'t>(text: &'t str, l: &Line) -> Cow<'t, str> {
    let raw = &text[l.key.0..l.key.1];
    if !l.escaped {
        return Cow::Borrowed(raw);
    }
    // The index only admitted keys that are valid JSON strings.
    serde_json::from_str::<String>(&text[l.key.0 - 1..l.key.1 + 1])
        .map(Cow::Owned)
        .unwrap_or(Cow::Borrowed(raw))
}

/// The index of the closing quote of a JSON string whose content starts at `start`, and
/// whether it holds an escape. None when it is not a valid JSON string on one line.
fn string_end(bytes: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut i = start;
    let mut escaped = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                if escaped {
                    // Validate the escapes once.
                    let s = std::str::from_utf8(&bytes[start - 1..=i]).ok()?;
                    serde_json::from_str::<String>(s).ok()?;
                }
                return Some((i, escaped));
            }
            b'\\' => {
                escaped = true;
                i += 2;
            }
            b'\n' | 0..=0x1f => return None,
            _ => i += 1,
        }
    }
    None
}

fn invalid(display: &str, line: u64, message: &str) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(
        display,
        line,
        0,
        "manifest-invalid",
        message.to_string(),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::SCHEMA_VERSION;

    fn sample(paths: &[&str]) -> Manifest {
        crate::manifest::test_manifest(paths)
    }

    #[test]
    fn the_view_agrees_with_the_full_parse() {
        let paths = [
            "a.txt",
            "dir/b \"quoted\".md",
            "dir/c\\back.rs",
            "dir/sub/d.py",
            "dir2/e",
            "caf\u{e9}.txt",
            "z\u{1}ctl",
        ];
        let m = sample(&paths);
        let view = ManifestView::parse(m.to_json(), "m.json").expect("indexes");
        assert_eq!(view.len(), paths.len());
        assert_eq!(view.header.schema_version, SCHEMA_VERSION);
        for p in paths {
            assert_eq!(view.get(p).expect("listed").expect("parses"), m.files[p]);
            assert_eq!(
                view.raw(p).expect("listed"),
                serde_json::to_string(&m.files[p]).unwrap()
            );
        }
        assert!(view.get("dir").is_none());
        assert!(view.get("missing").is_none());
        let under: Vec<String> = view
            .under("dir")
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            under,
            ["dir/b \"quoted\".md", "dir/c\\back.rs", "dir/sub/d.py"]
        );
        assert_eq!(view.to_manifest().unwrap(), m);
    }

    #[test]
    fn resolve_agrees_with_the_parsed_manifest() {
        let m = sample(&["a.txt", "dir/b.md", "dir/sub/c.py", "dir2/e"]);
        let view = ManifestView::parse(m.to_json(), "m").unwrap();
        for p in [
            "a.txt",
            "dir",
            "dir/sub",
            "dir/sub/c.py",
            "di",
            "nope/x",
            "",
        ] {
            assert_eq!(view.resolve(p).unwrap(), m.resolve(p), "{p}");
        }
        assert!(!view.resolve("nope").unwrap().listed);
    }

    #[test]
    fn an_empty_manifest_and_a_reformatted_one_read_the_same() {
        let empty = sample(&[]);
        let v = ManifestView::parse(empty.to_json(), "m").expect("empty indexes");
        assert!(v.is_empty());
        let m = sample(&["a", "b/c"]);
        let pretty = serde_json::to_string_pretty(&m).unwrap();
        let v = ManifestView::parse(pretty, "m").expect("reformatted parses");
        assert_eq!(v.to_manifest().unwrap(), m);
    }

    #[test]
    fn truncated_corrupt_unsorted_and_future_manifests_are_refused() {
        let m = sample(&["a", "b", "c"]);
        let text = m.to_json();
        let cut = text[..text.len() - 30].to_string();
        let d = ManifestView::parse(cut, "m").err().expect("truncated");
        assert_eq!(d.0[0].code, "manifest-invalid");
        let swapped = text.replacen("\"a\": ", "\"d\": ", 1);
        let d = ManifestView::parse(swapped, "m").err().expect("unsorted");
        assert!(d.0[0].message.contains("not sorted"), "{d}");
        let future = text.replacen("\"schema_version\": 1", "\"schema_version\": 9", 1);
        let d = ManifestView::parse(future, "m").err().expect("future");
        assert_eq!(d.0[0].code, "manifest-version");
        // A corrupt entry is found when it is read.
        let bad = text.replacen("{\"tier\":1", "{\"tier\":\"x\"", 1);
        let v = ManifestView::parse(bad, "m").expect("the layout is intact");
        assert!(v.get("a").expect("listed").is_err());
    }
}
