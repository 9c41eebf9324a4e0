//! One-path lookups in a manifest file without reading it: the header is read and
//! parsed, then the sorted one-line-per-entry body is binary-searched with positioned
//! reads, so a runtime answer (a hook, `route`) costs a few dozen small reads whatever
//! the repository's size. A manifest not in the canonical layout is refused here; the
//! caller then falls back to [`super::ManifestView`], which reads any valid manifest.
//! A path the search does not find resolves as unlisted: tier 1, the safe side.

use std::fs::File;
use std::os::unix::fs::FileExt;
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
        let file = File::open(path).map_err(|e| {
            Some(Diagnostics(vec![Diagnostic::new(
                display,
                0,
                0,
                "manifest-unreadable",
                format!("cannot read the manifest: {e} (run `tiergate scan` first)"),
            )]))
        })?;
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
            let n = file
                .read_at(&mut buf, pos)
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
        file.read_at(&mut tail, len - tail_len)
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
        })
    }

    fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, Diagnostics> {
        let mut buf = vec![0; len];
        let mut filled = 0;
        while filled < len {
            let n = self
                .file
                .read_at(&mut buf[filled..], at + filled as u64)
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

    /// Key and value of an entry line (`    "path": {...},`).
    fn parse_line(&self, line: &[u8]) -> Result<(String, Vec<u8>), Diagnostics> {
        let bad = || {
            invalid(
                &self.display,
                "an entry line is not `\"path\": {...}`; rescan",
            )
        };
        let line = line.strip_prefix(b"    ").ok_or_else(bad)?;
        let line = line.strip_suffix(b",").unwrap_or(line);
        let mut de = serde_json::Deserializer::from_slice(line).into_iter::<String>();
        let key = de.next().ok_or_else(bad)?.map_err(|_| bad())?;
        let rest = &line[de.byte_offset()..];
        let value = rest.strip_prefix(b": ").ok_or_else(bad)?;
        Ok((key, value.to_vec()))
    }

    /// Offset of the first entry line whose key is `>= target`.
    fn lower_bound(&self, target: &str) -> Result<u64, Diagnostics> {
        let (mut lo, mut hi) = (self.body.0, self.body.1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (start, end, line) = self.line_around(mid)?;
            let (key, _) = self.parse_line(&line)?;
            if key.as_str() < target {
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        Ok(lo)
    }

    fn entry(&self, value: &[u8]) -> Result<FileEntry, Diagnostics> {
        serde_json::from_slice(value)
            .map_err(|e| invalid(&self.display, format!("invalid file entry: {e}")))
    }

    pub fn get(&self, path: &str) -> Result<Option<FileEntry>, Diagnostics> {
        let at = self.lower_bound(path)?;
        if at >= self.body.1 {
            return Ok(None);
        }
        let (_, _, line) = self.line_around(at)?;
        let (key, value) = self.parse_line(&line)?;
        if key == path {
            Ok(Some(self.entry(&value)?))
        } else {
            Ok(None)
        }
    }

    /// Entries under a directory, in order.
    pub fn under(&self, dir: &str) -> Result<Vec<(String, FileEntry)>, Diagnostics> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut at = self.lower_bound(&prefix)?;
        let mut out = Vec::new();
        while at < self.body.1 {
            let (_, end, line) = self.line_around(at)?;
            let (key, value) = self.parse_line(&line)?;
            if !key.starts_with(&prefix) {
                break;
            }
            out.push((key, self.entry(&value)?));
            at = end + 1;
        }
        Ok(out)
    }

    /// Resolve a path as [`Manifest::resolve`] does.
    pub fn resolve(&self, path: &str) -> Result<Resolution, Diagnostics> {
        if let Some(e) = self.get(path)? {
            return Ok(super::listed(path, &e));
        }
        let under = self.under(path)?;
        Ok(
            super::directory(path, under.iter().map(|(p, e)| (p.as_str(), e.tier)))
                .unwrap_or_else(|| super::unlisted(path, &self.header.unlisted)),
        )
    }
}

/// A manifest opened for lookups: positioned reads when it is canonical, the indexed
/// text otherwise.
pub enum Lookup {
    File(ManifestFile),
    View(super::ManifestView),
}

impl Lookup {
    pub fn open(path: &Path, display: &str) -> Result<Lookup, Diagnostics> {
        match ManifestFile::open(path, display) {
            Ok(f) => Ok(Lookup::File(f)),
            Err(Some(d)) => Err(d),
            Err(None) => {
                let view = super::ManifestView::open(path, display)
                    .map_err(|e| invalid(display, e.to_string()))?;
                Ok(Lookup::View(view?))
            }
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
}
