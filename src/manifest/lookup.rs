//! One-path lookups in a manifest file without reading it: the header is read and
//! parsed, then the sorted one-line-per-entry body is binary-searched with positioned
//! reads, so a runtime answer (a hook, `route`) costs a few dozen small reads whatever
//! the repository's size. A manifest whose header or ending is not in the canonical
//! layout is refused at open, and an entry line met during a search that is not (a
//! moved comma, an entry over two lines, an invalid entry, two lines out of order)
//! hands the query to [`super::ManifestView`] on the same file, which answers for any
//! valid manifest and locates what is wrong in any other.
//! A path the search does not find resolves as unlisted: tier 1, the safe side.
//!
//! The search trusts the order of the lines it does not read: entries sorted by path,
//! each once, which every reader requires of a manifest (`Manifest::from_json` and
//! the view refuse anything else) and `tiergate scan` writes.

use std::fs::File;
use std::path::Path;

use super::{FileEntry, Manifest, Resolution};
use crate::diag::{Diagnostic, Diagnostics};

const FILES_OPEN: &[u8] = b"  \"files\": {";
/// The header is small (tiers, destinations, zones, rules, provenance); a larger one
/// is not a manifest this reader handles.
const MAX_HEADER: u64 = 16 << 20;
const WINDOW: usize = 8192;

pub struct ManifestFile {
    file: File,
    display: String,
    pub header: Manifest,
    /// Byte range of the entry lines: from the first entry's first byte to the end of
    /// the last entry (exclusive); empty when the manifest lists nothing.
    body: (u64, u64),
    /// The whole-text reader, made when a lookup meets a line out of the canonical
    /// layout.
    whole: std::sync::OnceLock<Box<super::ManifestView>>,
}

fn unreadable(display: &str, e: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(
        display,
        0,
        0,
        "manifest-unreadable",
        format!("cannot read the manifest: {e} (run `tiergate scan` first)"),
    )])
}

fn invalid(display: &str, message: impl Into<String>) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(
        display,
        0,
        0,
        "manifest-invalid",
        message.into(),
    )])
}

impl ManifestFile {
    /// Open and read the header. Err(None) when the file is not in the canonical layout
    /// (use [`super::ManifestView`]); Err(Some) when it cannot be a manifest at all.
    pub fn open(path: &Path, display: &str) -> Result<ManifestFile, Option<Diagnostics>> {
        let file = File::open(path).map_err(|e| Some(unreadable(display, &e)))?;
        Self::from_file(file, display)
    }

    /// [`ManifestFile::open`] on a file already open.
    pub fn from_file(file: File, display: &str) -> Result<ManifestFile, Option<Diagnostics>> {
        let len = file
            .metadata()
            .map_err(|e| Some(invalid(display, e.to_string())))?
            .len();
        // The header: read until the `files` line.
        let mut head = Vec::new();
        let mut pos = 0u64;
        let open = loop {
            if let Some(i) = memchr::memmem::find(&head, FILES_OPEN) {
                break i;
            }
            if pos >= len.min(MAX_HEADER) {
                return Err(None);
            }
            let mut buf = vec![0; 64 << 10];
            let n = crate::platform::read_at(&file, &mut buf, pos)
                .map_err(|e| Some(invalid(display, e.to_string())))?;
            if n == 0 {
                return Err(None);
            }
            head.extend_from_slice(&buf[..n]);
            pos += n as u64;
        };
        let body_start = (open + FILES_OPEN.len()) as u64;
        let mut header_text = String::from_utf8(head[..open].to_vec()).map_err(|_| None)?;
        header_text.push_str("  \"files\": {}\n}");
        let header = Manifest::from_json(&header_text, display).map_err(Some)?;
        // The tail must be the canonical closing, so a truncated file is refused.
        let tail_len = 7u64.min(len);
        let mut tail = vec![0; tail_len as usize];
        crate::platform::read_at(&file, &mut tail, len - tail_len)
            .map_err(|e| Some(invalid(display, e.to_string())))?;
        let body = if len == body_start + 4 && tail.ends_with(b"}\n}\n") {
            (body_start, body_start)
        } else if tail == b"\n  }\n}\n" && len >= body_start + 7 {
            (body_start + 1, len - 7)
        } else {
            // Not the canonical ending: reformatted, or truncated. The full reader tells
            // which, with a location.
            return Err(None);
        };
        Ok(ManifestFile {
            file,
            display: display.to_string(),
            header,
            body,
            whole: std::sync::OnceLock::new(),
        })
    }

    fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, Diagnostics> {
        let mut buf = vec![0; len];
        let mut filled = 0;
        while filled < len {
            let n = crate::platform::read_at(&self.file, &mut buf[filled..], at + filled as u64)
                .map_err(|e| invalid(&self.display, e.to_string()))?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        buf.truncate(filled);
        Ok(buf)
    }

    /// The entry line that contains byte `at` (inside the body): its start, its end (the
    /// newline or the body's end) and its bytes.
    fn line_around(&self, at: u64) -> Result<(u64, u64, Vec<u8>), Diagnostics> {
        let (lo, hi) = self.body;
        // Back to the line start.
        let mut start = at;
        while start > lo {
            let from = start.saturating_sub(WINDOW as u64).max(lo);
            let chunk = self.read(from, (start - from) as usize)?;
            match memchr::memrchr(b'\n', &chunk) {
                Some(i) => {
                    start = from + i as u64 + 1;
                    break;
                }
                None => start = from,
            }
        }
        // Forward to the line end.
        let mut end = at.max(start);
        let mut bytes = self.read(start, (end - start) as usize)?;
        while end < hi {
            let chunk = self.read(end, WINDOW.min((hi - end) as usize))?;
            if chunk.is_empty() {
                break;
            }
            match memchr::memchr(b'\n', &chunk) {
                Some(i) => {
                    bytes.extend_from_slice(&chunk[..i]);
                    end += i as u64;
                    return Ok((start, end, bytes));
                }
                None => {
                    bytes.extend_from_slice(&chunk);
                    end += chunk.len() as u64;
                }
            }
        }
        Ok((start, end.min(hi), bytes))
    }

    /// Key and entry of an entry line ending at `end`, which must be canonical
    /// (`    "path": {...},`, no comma on the last) holding a valid entry. Anything else
    /// is [`Miss::Layout`]: a valid manifest that is not canonical here (a hand edit
    /// that moved a comma) or an invalid one, which the whole-text reader tells apart.
    fn parse_line(&self, end: u64, line: &[u8]) -> Result<(String, FileEntry), Miss> {
        let line = line.strip_prefix(b"    ").ok_or(Miss::Layout)?;
        let line = if end < self.body.1 {
            line.strip_suffix(b",").ok_or(Miss::Layout)?
        } else {
            line
        };
        if line.first() != Some(&b'"') {
            return Err(Miss::Layout);
        }
        let mut de = serde_json::Deserializer::from_slice(line).into_iter::<String>();
        let key = de.next().ok_or(Miss::Layout)?.map_err(|_| Miss::Layout)?;
        let value = line[de.byte_offset()..]
            .strip_prefix(b": ")
            .filter(|v| v.first() == Some(&b'{'))
            .ok_or(Miss::Layout)?;
        let entry: FileEntry = serde_json::from_slice(value).map_err(|_| Miss::Layout)?;
        // A tier the header does not define: the whole reader locates the error.
        if !self.header.defines_tier(entry.tier) {
            return Err(Miss::Layout);
        }
        Ok((key, entry))
    }

    /// The entry line around byte `at`: its start, its end and what it holds.
    fn entry_around(&self, at: u64) -> Result<(u64, u64, String, FileEntry), Miss> {
        let (start, end, line) = self.line_around(at).map_err(Miss::Io)?;
        let (key, entry) = self.parse_line(end, &line)?;
        Ok((start, end, key, entry))
    }

    /// Offset of the first entry line whose key is `>= target`.
    fn lower_bound(&self, target: &str) -> Result<u64, Miss> {
        let (mut lo, mut hi) = (self.body.0, self.body.1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (start, end, key, _) = self.entry_around(mid)?;
            if key.as_str() < target {
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        Ok(lo)
    }

    fn try_get(&self, path: &str) -> Result<Option<FileEntry>, Miss> {
        let at = self.lower_bound(path)?;
        if at >= self.body.1 {
            return Ok(None);
        }
        let (_, end, key, entry) = self.entry_around(at)?;
        if key != path {
            return Ok(None);
        }
        // The search trusts the order of the lines it does not read; the one after the
        // answer is read too, so a repeated key (two spellings that became one, a hand
        // edit) is never answered from either copy: the whole reader refuses the file,
        // with the line.
        if end < self.body.1 && self.entry_around(end + 1)?.2 <= key {
            return Err(Miss::Layout);
        }
        Ok(Some(entry))
    }

    /// Entries under a directory, in order.
    fn try_under(&self, dir: &str) -> Result<Vec<(String, FileEntry)>, Miss> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut at = self.lower_bound(&prefix)?;
        let mut out: Vec<(String, FileEntry)> = Vec::new();
        while at < self.body.1 {
            let (_, end, key, entry) = self.entry_around(at)?;
            if !key.starts_with(&prefix) {
                break;
            }
            // Out of order: the whole-text reader says where.
            if out.last().is_some_and(|(prev, _)| *prev >= key) {
                return Err(Miss::Layout);
            }
            out.push((key, entry));
            at = end + 1;
        }
        Ok(out)
    }

    fn try_resolve(&self, path: &str) -> Result<Resolution, Miss> {
        if let Some(e) = self.try_get(path)? {
            return Ok(super::listed(path, &e));
        }
        let under = self.try_under(path)?;
        Ok(
            super::directory(path, under.iter().map(|(p, e)| (p.as_str(), e.tier)))
                .unwrap_or_else(|| super::unlisted(path, &self.header.unlisted)),
        )
    }

    /// A positioned lookup's answer, or the whole-text reader's when a line it met is
    /// not in the canonical layout: the same answer [`super::ManifestView`] gives for
    /// every manifest it reads, or its located error.
    fn answer<T>(
        &self,
        positioned: impl FnOnce(&Self) -> Result<T, Miss>,
        whole: impl FnOnce(&super::ManifestView) -> Result<T, Diagnostics>,
    ) -> Result<T, Diagnostics> {
        match positioned(self) {
            Ok(t) => Ok(t),
            Err(Miss::Io(d)) => Err(d),
            Err(Miss::Layout) => whole(self.whole()?),
        }
    }

    /// The whole-text reader on the same open file, made once.
    fn whole(&self) -> Result<&super::ManifestView, Diagnostics> {
        if let Some(v) = self.whole.get() {
            return Ok(v);
        }
        let view = super::ManifestView::open_file(&self.file, &self.display)
            .map_err(|e| invalid(&self.display, e.to_string()))??;
        Ok(self.whole.get_or_init(|| Box::new(view)))
    }

    pub fn get(&self, path: &str) -> Result<Option<FileEntry>, Diagnostics> {
        self.answer(|f| f.try_get(path), |v| v.get(path).transpose())
    }

    /// Entries under a directory (every entry for the root, `""`), in order.
    pub fn under(&self, dir: &str) -> Result<Vec<(String, FileEntry)>, Diagnostics> {
        self.answer(|f| f.try_under(dir), |v| v.within(dir))
    }

    /// Resolve a path as [`Manifest::resolve`] does.
    pub fn resolve(&self, path: &str) -> Result<Resolution, Diagnostics> {
        self.answer(|f| f.try_resolve(path), |v| v.resolve(path))
    }
}

/// Why a positioned lookup did not answer.
enum Miss {
    /// A line it read is not a canonical entry line, or lines are out of order.
    Layout,
    /// The file could not be read.
    Io(Diagnostics),
}

/// A manifest opened for lookups: positioned reads when it is canonical, the indexed
/// text otherwise.
pub enum Lookup {
    File(ManifestFile),
    View(super::ManifestView),
}

impl Lookup {
    pub fn open(path: &Path, display: &str) -> Result<Lookup, Diagnostics> {
        let file = File::open(path).map_err(|e| unreadable(display, &e))?;
        Self::from_file(file, display)
    }

    /// [`Lookup::open`] on a file already open (whose metadata the caller took).
    pub fn from_file(file: File, display: &str) -> Result<Lookup, Diagnostics> {
        let reopen = file.try_clone().map_err(|e| unreadable(display, &e))?;
        match ManifestFile::from_file(file, display) {
            Ok(f) => Ok(Lookup::File(f)),
            Err(Some(d)) => Err(d),
            Err(None) => {
                let view = super::ManifestView::open_file(&reopen, display)
                    .map_err(|e| invalid(display, e.to_string()))?;
                Ok(Lookup::View(view?))
            }
        }
    }

    /// The whole-text reader of the same file, for questions about many entries (every
    /// file under a directory): made once, on first use.
    pub fn view(&self) -> Result<&super::ManifestView, Diagnostics> {
        match self {
            Lookup::File(f) => f.whole(),
            Lookup::View(v) => Ok(v),
        }
    }

    pub fn header(&self) -> &Manifest {
        match self {
            Lookup::File(f) => &f.header,
            Lookup::View(v) => &v.header,
        }
    }

    pub fn resolve(&self, path: &str) -> Result<Resolution, Diagnostics> {
        match self {
            Lookup::File(f) => f.resolve(path),
            Lookup::View(v) => v.resolve(path),
        }
    }

    /// The entry of a listed path (not a directory's summary).
    pub fn get(&self, path: &str) -> Result<Option<FileEntry>, Diagnostics> {
        match self {
            Lookup::File(f) => f.get(path),
            Lookup::View(v) => v.get(path).transpose(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_with(paths: &[&str]) -> Manifest {
        crate::manifest::test_manifest(paths)
    }

    #[test]
    fn lookups_agree_with_the_parsed_manifest() {
        let mut paths: Vec<String> = (0..3000)
            .map(|i| format!("d{}/f{i:05}.txt", i % 7))
            .collect();
        paths.extend(["a.txt", "q \"quoted\".md", "z\\back", "caf\u{e9}"].map(String::from));
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let m = manifest_with(&refs);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.json");
        std::fs::write(&file, m.to_json()).unwrap();
        let f = ManifestFile::open(&file, "m.json").ok().unwrap();
        assert_eq!(f.header.unlisted, m.unlisted);
        for p in refs
            .iter()
            .step_by(97)
            .chain(["a.txt", "q \"quoted\".md", "z\\back", "caf\u{e9}"].iter())
        {
            assert_eq!(f.get(p).unwrap().as_ref(), m.files.get(*p), "{p}");
            assert_eq!(f.resolve(p).unwrap(), m.resolve(p), "{p}");
        }
        for p in ["d3", "d0", "nope", "d9/x", "", "a.tx", "zz"] {
            assert_eq!(f.resolve(p).unwrap(), m.resolve(p), "{p:?}");
        }
    }

    #[test]
    fn empty_truncated_and_reformatted_manifests() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.json");
        let empty = manifest_with(&[]);
        std::fs::write(&file, empty.to_json()).unwrap();
        let f = ManifestFile::open(&file, "m").ok().unwrap();
        assert!(!f.resolve("x").unwrap().listed);
        let full = manifest_with(&["a", "b"]).to_json();
        std::fs::write(&file, &full[..full.len() - 3]).unwrap();
        // Truncated: left to the full reader, which refuses it with a location.
        assert!(matches!(ManifestFile::open(&file, "m"), Err(None)));
        assert!(
            super::super::ManifestView::parse(full[..full.len() - 3].to_string(), "m").is_err()
        );
        let pretty = serde_json::to_string_pretty(&manifest_with(&["a"])).unwrap();
        std::fs::write(&file, pretty).unwrap();
        assert!(
            matches!(ManifestFile::open(&file, "m"), Err(None)),
            "not canonical"
        );
    }

    /// Valid manifests whose body is not canonical where a lookup reads it: a comma
    /// moved to the next line, an entry over two lines, extra spaces. The positioned
    /// reader must hand over to the whole-text reader and answer as it does.
    #[test]
    fn a_body_out_of_the_canonical_layout_is_answered_by_the_whole_reader() {
        let paths: Vec<String> = (0..200).map(|i| format!("d{}/f{i:03}", i % 3)).collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let m = manifest_with(&refs);
        let canonical = m.to_json();
        // Changed in the body only, so the header and the ending stay canonical.
        let at = canonical.find("\"files\": {").unwrap();
        let (head, body) = canonical.split_at(at);
        let moved_comma = head.to_string() + &body.replacen("},\n    \"d1/", "}\n    ,\"d1/", 1);
        let split = head.to_string() + &body.replacen(": {\"tier\"", ":\n    {\"tier\"", 7);
        let spaced = head.to_string() + &body.replace("\": {\"tier", "\" :  {\"tier");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.json");
        for text in [&moved_comma, &split, &spaced] {
            assert_ne!(text, &canonical);
            assert_eq!(Manifest::from_json(text, "m").unwrap(), m);
            std::fs::write(&file, text).unwrap();
            let f = ManifestFile::open(&file, "m").ok().unwrap();
            for p in refs
                .iter()
                .step_by(7)
                .copied()
                .chain(["d0", "d1", "", "d1/f", "z"])
            {
                assert_eq!(f.resolve(p).unwrap(), m.resolve(p), "{p:?}");
                assert_eq!(f.get(p).unwrap().as_ref(), m.files.get(p), "{p:?}");
            }
            assert_eq!(f.under("").unwrap().len(), m.files.len());
        }
    }

    /// Two adjacent lines with the same key (Unicode twins that met one key, a hand
    /// edit): the positioned search would answer from whichever copy it reads first.
    /// Every lookup that reaches the key is an error with a location instead.
    #[test]
    fn a_repeated_key_is_an_error_not_an_answer() {
        let m = manifest_with(&["a/1", "a/2", "caf\u{e9}.txt", "z"]);
        let canonical = m.to_json();
        let line = canonical
            .lines()
            .find(|l| l.contains("\"caf\u{e9}.txt\""))
            .unwrap()
            .to_string();
        // The twin comes second, with a laxer tier.
        let twin = line.replacen("{\"tier\":3", "{\"tier\":4", 1);
        assert_ne!(twin, line);
        let text = canonical.replacen(&line, &format!("{line}\n{twin}"), 1);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.json");
        std::fs::write(&file, &text).unwrap();
        let f = ManifestFile::open(&file, "m").ok().unwrap();
        for probe in ["caf\u{e9}.txt", ""] {
            let err = f.resolve(probe).unwrap_err();
            assert!(err.0[0].message.contains("repeat a path"), "{err}");
            assert!(err.0[0].line > 0, "{err:?}");
        }
        assert!(f.get("caf\u{e9}.txt").is_err());
        // Keys around it still answer.
        assert_eq!(f.get("a/1").unwrap().unwrap().tier, 1);
        assert!(
            Lookup::open(&file, "m")
                .unwrap()
                .get("caf\u{e9}.txt")
                .is_err()
        );
    }

    /// An entry whose tier the header does not define (one flipped bit turns 1 into 9):
    /// a located `manifest-invalid-tier`, in the positioned lookup and the whole reader.
    #[test]
    fn an_entry_with_an_undefined_tier_is_an_error() {
        let m = manifest_with(&["a/1", "a/2", "b"]);
        let text = m.to_json().replacen("{\"tier\":1", "{\"tier\":9", 1);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.json");
        std::fs::write(&file, &text).unwrap();
        let f = ManifestFile::open(&file, "m").ok().unwrap();
        for probe in ["a/1", "a", ""] {
            let err = f.resolve(probe).unwrap_err();
            assert_eq!(
                err.0[0].code,
                crate::manifest::INVALID_TIER,
                "{probe}: {err}"
            );
            assert!(err.0[0].line > 0, "{err:?}");
        }
        assert_eq!(f.get("b").unwrap().unwrap().tier, 3);
        let err = crate::manifest::ManifestView::parse(text.clone(), "m")
            .unwrap()
            .get("a/1")
            .unwrap()
            .unwrap_err();
        assert_eq!(err.0[0].code, crate::manifest::INVALID_TIER);
        let err = Manifest::from_json(&text, "m").unwrap_err();
        assert_eq!(err.0[0].code, crate::manifest::INVALID_TIER);
        assert!(err.0[0].line > 0, "{err:?}");
    }

    /// Entries out of order or invalid where a lookup reads them: an error with the
    /// whole-text reader's location, never an answer from a half-read body.
    #[test]
    fn unsorted_or_invalid_entries_are_errors_with_a_location() {
        let m = manifest_with(&["a/1", "a/2", "a/3"]);
        let canonical = m.to_json();
        let swapped = canonical
            .replacen("\"a/2\"", "\"a/x\"", 1)
            .replacen("\"a/3\"", "\"a/2\"", 1)
            .replacen("\"a/x\"", "\"a/3\"", 1);
        let bad_tier = canonical.replacen("{\"tier\":", "{\"tier\":\"x\",\"old\":", 1);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.json");
        for (text, probe) in [(&swapped, "a"), (&bad_tier, "a/1")] {
            assert_ne!(text, &canonical);
            std::fs::write(&file, text).unwrap();
            let f = ManifestFile::open(&file, "m").ok().unwrap();
            let err = f.resolve(probe).unwrap_err();
            assert!(err.0[0].line > 0, "{err:?}");
        }
    }
}
