//! A manifest read for lookups, not materialized: the header is parsed, and each file
//! entry stays a slice of the text until asked for. The canonical layout (one entry
//! per line, see [`Manifest::write_json`]) makes this cheap; a manifest in any other
//! layout is parsed whole and re-rendered first, so every valid manifest reads the same.
//! A 100,000-file manifest (25 MB) is indexed in a few milliseconds, where a full parse
//! takes a quarter of a second.
//!
//! A manifest file is mapped, not read ([`ManifestView::open`]): its pages come from
//! the page cache as they are, where reading it into a fresh buffer would first have
//! the kernel zero 25 MB of new memory, which was most of a `check --staged`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

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

/// The manifest's text: owned, or a read-only mapping of the file, checked to be UTF-8
/// once when mapped.
enum Text {
    Owned(String),
    Mapped(crate::platform::MappedText),
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Mapped(m) => m.as_str(),
        }
    }
}

pub struct ManifestView {
    text: Text,
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
        Self::from_text(Text::Owned(text), display)
    }

    /// Map and index a manifest file. The outer error is the file's (it cannot be
    /// opened or mapped, or is not UTF-8: `InvalidData`, as `read_to_string` says); the
    /// inner one is [`ManifestView::parse`]'s.
    pub fn open(path: &Path, display: &str) -> std::io::Result<Result<ManifestView, Diagnostics>> {
        Self::open_file(&std::fs::File::open(path)?, display)
    }

    /// [`ManifestView::open`] on a file already open.
    pub fn open_file(
        file: &std::fs::File,
        display: &str,
    ) -> std::io::Result<Result<ManifestView, Diagnostics>> {
        let len = file.metadata()?.len();
        if len == 0 {
            return Ok(Self::parse(String::new(), display));
        }
        let map = crate::platform::map_readonly(file)?;
        let Ok(text) = crate::platform::MappedText::new(map) else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            ));
        };
        Ok(Self::from_text(Text::Mapped(text), display))
    }

    fn from_text(text: Text, display: &str) -> Result<ManifestView, Diagnostics> {
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
                        text: Text::Owned(canonical),
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
        // One entry per line: reserved once for more lines than a manifest written by
        // tiergate can hold in this many bytes (each is well over 48), not grown
        // through a dozen copies. Capacity never touched costs no memory.
        let mut lines = Vec::with_capacity((body_end - body_start) / 48 + 1);
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
            let line = Line {
                key: (key_start + 1, key_end),
                escaped,
                value: (value_start, value_end),
            };
            // Keys must be strictly increasing for lookups to be right; compared while
            // the previous key is still in cache.
            if let Some(prev) = lines.last()
                && view_key(text, prev) >= view_key(text, &line)
            {
                let n = text[..line.key.0].matches('\n').count() as u64 + 1;
                return Some(Err(invalid(
                    display,
                    n,
                    "file entries are not sorted or repeat a path; rescan",
                )));
            }
            lines.push(line);
            pos = value_end;
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
        let line = || self.text[..l.value.0].matches('\n').count() as u64 + 1;
        let e: FileEntry = serde_json::from_str(&self.text[l.value.0..l.value.1])
            .map_err(|e| invalid(&self.display, line(), &format!("invalid file entry: {e}")))?;
        if !self.header.defines_tier(e.tier) {
            return Err(super::undefined_tier(
                &self.display,
                line(),
                &self.key(l),
                e.tier,
            ));
        }
        Ok(e)
    }

    /// The tier and kind of a listed path, without the rest of its entry (what a walk
    /// over thousands of files needs of each). A tier the header does not define is an
    /// error, as for [`ManifestView::get`].
    pub fn head(&self, path: &str) -> Option<Result<super::EntryHead, Diagnostics>> {
        let l = self.find(path)?;
        let line = || self.text[..l.value.0].matches('\n').count() as u64 + 1;
        Some(
            serde_json::from_str::<super::EntryHead>(&self.text[l.value.0..l.value.1])
                .map_err(|e| invalid(&self.display, line(), &format!("invalid file entry: {e}")))
                .and_then(|h| {
                    if self.header.defines_tier(h.tier) {
                        Ok(h)
                    } else {
                        Err(super::undefined_tier(&self.display, line(), path, h.tier))
                    }
                }),
        )
    }

    /// Every listed path with its raw entry, in order.
    pub fn entries(&self) -> impl Iterator<Item = (Cow<'_, str>, &str)> {
        self.lines
            .iter()
            .map(|l| (self.key(l), &self.text[l.value.0..l.value.1]))
    }

    /// Listed paths whose lower-case form (`str::to_lowercase`) is in `lowered`, with
    /// their raw entries, in order. An ASCII key can only lower-case to an ASCII path
    /// of its own length, so most keys are passed over by their length alone.
    pub fn folding_to(&self, lowered: &BTreeSet<String>) -> Vec<(Cow<'_, str>, &str)> {
        let max = lowered.iter().map(String::len).max().unwrap_or(0);
        let mut by_len: Vec<Vec<&str>> = vec![Vec::new(); max + 1];
        for l in lowered.iter().filter(|l| l.is_ascii()) {
            by_len[l.len()].push(l);
        }
        let mut out = Vec::new();
        let text: &str = &self.text;
        for l in &self.lines {
            let key = &text[l.key.0..l.key.1];
            let hit = if !l.escaped && key.is_ascii() {
                by_len
                    .get(key.len())
                    .is_some_and(|ts| ts.iter().any(|t| key.eq_ignore_ascii_case(t)))
            } else {
                lowered.contains(&self.key(l).to_lowercase())
            };
            if hit {
                out.push((self.key(l), &text[l.value.0..l.value.1]));
            }
        }
        out
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

    /// [`ManifestView::under`], and every listed path for the root (`""`), as a
    /// resolution sees a directory.
    pub fn within(&self, dir: &str) -> Result<Vec<(String, FileEntry)>, Diagnostics> {
        if dir.is_empty() {
            self.files()
                .map(|f| f.map(|(p, e)| (p.into_owned(), e)))
                .collect()
        } else {
            self.under(dir)
        }
    }

    /// Resolve a path as [`Manifest::resolve`] does, parsing only the entries it needs.
    pub fn resolve(&self, path: &str) -> Result<super::Resolution, Diagnostics> {
        if let Some(e) = self.get(path) {
            return Ok(super::listed(path, &e?));
        }
        let under = self.within(path)?;
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
    loop {
        // The next quote or backslash; the bytes before it must not be control
        // characters (a raw line break included), which JSON only admits escaped.
        let j = i + memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        if bytes[i..j].iter().fold(false, |c, &b| c | (b < 0x20)) {
            return None;
        }
        if bytes[j] == b'"' {
            if escaped {
                // Validate the escapes once.
                let s = std::str::from_utf8(&bytes[start - 1..=j]).ok()?;
                serde_json::from_str::<String>(s).ok()?;
            }
            return Some((j, escaped));
        }
        escaped = true;
        // The escaped character is checked with the whole string above.
        if bytes.get(j + 1).is_none_or(|&b| b < 0x20) {
            return None;
        }
        i = j + 2;
    }
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
    fn folding_to_finds_what_lower_casing_every_key_finds() {
        // ASCII keys of other lengths, a Kelvin sign that lower-cases to ASCII `k`, an
        // escaped key and a non-ASCII one.
        let paths = [
            "Docs/README.md",
            "docs/readme.md",
            "docs/readme.mdx",
            "DOCS/Readme.MD",
            "\u{212a}ey.txt",
            "key.txt",
            "KEY.TXT",
            "quo\"te.md",
            "QUO\"TE.md",
            "\u{c9}t\u{e9}.txt",
            "\u{e9}t\u{e9}.txt",
            "z\u{1}ctl",
        ];
        let view = ManifestView::parse(sample(&paths).to_json(), "m").unwrap();
        for probe in [
            vec!["docs/readme.md"],
            vec!["key.txt"],
            vec!["quo\"te.md", "z\u{1}ctl"],
            vec!["\u{e9}t\u{e9}.txt"],
            vec!["nothing"],
        ] {
            let lowered: BTreeSet<String> = probe.iter().map(|p| p.to_lowercase()).collect();
            let got: Vec<String> = view
                .folding_to(&lowered)
                .into_iter()
                .map(|(k, raw)| {
                    assert_eq!(Some(raw), view.raw(&k));
                    k.into_owned()
                })
                .collect();
            let mut want: Vec<String> = paths
                .iter()
                .filter(|p| lowered.contains(&p.to_lowercase()))
                .map(|p| p.to_string())
                .collect();
            want.sort();
            assert_eq!(got, want, "{probe:?}");
        }
    }

    #[test]
    fn keys_with_raw_control_characters_or_bad_escapes_are_not_canonical() {
        let m = sample(&["a\tb", "c"]);
        let text = m.to_json();
        assert!(text.contains("a\\tb"), "serde escapes the tab");
        // A raw tab, a raw line break and an unknown escape in a key: the fast index
        // refuses each, and the full parse then reports the file as invalid JSON.
        for bad in ["a\tb", "a\nb", "a\\qb"] {
            let t = text.replacen("a\\tb", bad, 1);
            assert!(ManifestView::parse(t, "m").is_err(), "{bad:?}");
        }
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
