//! Caches of the detectors' results, kept between runs under the repository's git
//! common directory (`<git common dir>/tiergate/`, never in the work tree, never
//! committed): [`scan`] for the files of a work tree (`tiergate scan`, `ls`, `report`,
//! `explain`), and `crate::history::cache` for the blobs of a history; and [`policy`],
//! the policies' answers for each distinct Rego input, which depend on no file.
//!
//! They share what is here: the file format and the key. A cache file is binary,
//! written whole (to a temporary file renamed over the old one) and read whole: a
//! magic line, a format version, the key, the body, and a SHA-256 of everything
//! before it. A file that is truncated, corrupt, of another version or written with
//! another key is ignored, and everything is read again: a cache can only save work,
//! never change an answer.
//!
//! The key ([`Key`]) is a SHA-256 over everything the detectors' results depend on
//! besides a file's bytes and its path: the decision versions of the steps whose
//! results are kept, the digests of the rules, the accepted findings, the limits, and
//! whatever else a cache names.
//! Must not import app, decide, manifest or render.

pub mod policy;
pub mod scan;

use std::path::Path;

use sha2::{Digest, Sha256};

/// The name of the directory, in the git common directory, that caches live in.
pub const STATE_DIR: &str = "tiergate";

/// Builds a cache key: named parts, each written as `name NUL value LF` into a SHA-256.
pub struct Key(Sha256);

impl Key {
    /// A key for the cache whose file starts with `magic`.
    pub fn new(magic: &[u8]) -> Key {
        let mut k = Key(Sha256::new());
        k.part("cache", std::str::from_utf8(magic).unwrap_or_default());
        k
    }

    pub fn part(&mut self, name: &str, value: &str) -> &mut Key {
        self.0.update(name.as_bytes());
        self.0.update([0]);
        self.0.update(value.as_bytes());
        self.0.update([b'\n']);
        self
    }

    /// The parts every detector cache has: the versions of `steps` among `versions`
    /// (`crate::decide::DECISION_VERSIONS`), the rules' provenance (source, digest),
    /// the accepted findings file's digest, the limits and `accept.inline`.
    pub fn detectors(&mut self, d: &DetectorInputs<'_>, steps: &[&str]) -> &mut Key {
        for (step, v) in d.versions.iter().filter(|(s, _)| steps.contains(s)) {
            self.part(step, &v.to_string());
        }
        for (source, digest) in &d.rules {
            self.part("rules", &format!("{source} {digest}"));
        }
        self.part("accepted", d.accepted.unwrap_or("none"));
        self.part(
            "limits",
            &format!("{} {}", d.max_content_bytes, d.binary_sniff_bytes),
        );
        self.part("inline", if d.inline { "true" } else { "false" })
    }

    pub fn finish(&mut self) -> [u8; 32] {
        std::mem::take(&mut self.0).finalize().into()
    }
}

/// What the detectors' results depend on besides a file's bytes and its path, in every
/// cache of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectorInputs<'a> {
    /// The decision versions (`crate::decide::DECISION_VERSIONS`); a cache counts the
    /// steps whose results it holds.
    pub versions: &'a [(&'a str, u32)],
    /// `provenance.rules`: the shipped rules' digest and the repository's rule files
    /// (source, digest).
    pub rules: Vec<(String, String)>,
    /// The accepted findings file's digest, if there is one.
    pub accepted: Option<&'a str>,
    /// `limits` and `accept.inline` of the config.
    pub max_content_bytes: u64,
    pub binary_sniff_bytes: u64,
    pub inline: bool,
}

/// A stable 64-bit hash of bytes (FNV-1a).
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The start of a cache file: `magic`, `version` (and, for the caller to follow, its
/// key and body).
pub fn header(out: &mut Vec<u8>, magic: &[u8], version: u32) {
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
}

/// End a cache file: the SHA-256 of everything before it.
pub fn seal(out: &mut Vec<u8>) {
    let digest = Sha256::digest(&out[..]);
    out.extend_from_slice(&digest);
}

/// The body of a sealed cache file after its header (and `key`, when given), when it
/// is one: its digest matches, its magic and version are these. None otherwise.
pub fn open<'a>(
    bytes: &'a [u8],
    magic: &[u8],
    version: u32,
    key: Option<&[u8; 32]>,
) -> Option<Reader<'a>> {
    let body_len = bytes.len().checked_sub(32)?;
    let (body, digest) = bytes.split_at(body_len);
    if Sha256::digest(body).as_slice() != digest {
        return None;
    }
    let mut r = Reader(body);
    if r.take(magic.len())? != magic || u32::from_le_bytes(r.array()?) != version {
        return None;
    }
    if let Some(key) = key
        && r.take(32)? != key
    {
        return None;
    }
    Some(r)
}

/// Reads a cache file's fields in order; every read is None past the end.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    pub fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    pub fn i64(&mut self) -> Option<i64> {
        self.array().map(i64::from_le_bytes)
    }

    /// A string written by [`put_str8`].
    pub fn str8(&mut self) -> Option<&'a str> {
        let n = usize::from(self.byte()?);
        std::str::from_utf8(self.take(n)?).ok()
    }

    /// A confidence written by [`put_confidence`].
    pub fn confidence(&mut self) -> Option<crate::model::Confidence> {
        use crate::model::Confidence;
        match self.byte()? {
            0 => Some(Confidence::Low),
            1 => Some(Confidence::Medium),
            2 => Some(Confidence::High),
            _ => None,
        }
    }

    /// An object id written by [`put_oid`].
    pub fn oid(&mut self) -> Option<git2::Oid> {
        let len = usize::from(self.byte()?);
        git2::Oid::from_bytes(self.take(len)?).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An object id: its length, then its bytes.
pub fn put_oid(out: &mut Vec<u8>, id: &git2::Oid) {
    let b = id.as_bytes();
    out.push(b.len() as u8);
    out.extend_from_slice(b);
}

/// A confidence, in one byte.
pub fn put_confidence(out: &mut Vec<u8>, c: crate::model::Confidence) {
    use crate::model::Confidence;
    out.push(match c {
        Confidence::Low => 0,
        Confidence::Medium => 1,
        Confidence::High => 2,
    });
}

/// A short string: its length in one byte (at most 255 bytes are kept), then its bytes.
pub fn put_str8(out: &mut Vec<u8>, s: &str) {
    let mut n = s.len().min(255);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    out.push(n as u8);
    out.extend_from_slice(&s.as_bytes()[..n]);
}

/// Write `bytes` to `path` atomically (readers see the old file or the new), synced to
/// disk before it replaces the old one, its directory made when missing.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", dir.display()))?;
    }
    crate::files::write_atomic(path, |w| w.write_all(bytes))
}

/// Write a cache file to `path` as `write` makes it, sealed (its SHA-256 appended as
/// it is written), renamed over the old one (readers see the old file or the new)
/// without waiting for the disk: after a crash the file may be empty or torn, which
/// its digest tells, and the next run reads everything again. For caches rewritten on
/// most runs, where a sync would cost more than the run saves. Its directory is made
/// when missing.
pub fn write_sealed(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write;
    struct Sealing<W: Write> {
        inner: W,
        hash: Sha256,
    }
    impl<W: Write> Write for Sealing<W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = self.inner.write(buf)?;
            self.hash.update(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", dir.display()))?;
    let cannot_write = |e: std::io::Error| anyhow::anyhow!("{}: cannot write: {e}", path.display());
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(cannot_write)?;
    let mut w = Sealing {
        inner: std::io::BufWriter::with_capacity(1 << 16, tmp),
        hash: Sha256::new(),
    };
    write(&mut w).map_err(cannot_write)?;
    let digest = w.hash.finalize();
    let mut inner = w.inner;
    inner.write_all(&digest).map_err(cannot_write)?;
    let tmp = inner
        .into_inner()
        .map_err(|e| cannot_write(e.into_error()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot replace: {}", path.display(), e.error))?;
    Ok(())
}

/// For tests: every step a cache's key depends on has a decision version (the
/// versions the manifest records are the ones the key reads).
#[cfg(test)]
pub(crate) fn assert_versioned(steps: &[&str]) {
    for step in steps {
        assert!(
            crate::decide::DECISION_VERSIONS
                .iter()
                .any(|(s, _)| s == step),
            "{step}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_only_with_its_magic_version_and_key() {
        let key = [7u8; 32];
        let mut out = Vec::new();
        header(&mut out, b"m\n", 3);
        out.extend_from_slice(&key);
        put_str8(&mut out, "abc");
        seal(&mut out);
        let mut r = open(&out, b"m\n", 3, Some(&key)).unwrap();
        assert_eq!(r.str8(), Some("abc"));
        assert!(r.is_empty());
        assert!(open(&out, b"n\n", 3, Some(&key)).is_none());
        assert!(open(&out, b"m\n", 4, Some(&key)).is_none());
        assert!(open(&out, b"m\n", 3, Some(&[8; 32])).is_none());
        for cut in 0..out.len() {
            assert!(open(&out[..cut], b"m\n", 3, Some(&key)).is_none(), "{cut}");
        }
        for i in 0..out.len() {
            let mut flipped = out.clone();
            flipped[i] ^= 0x10;
            assert!(open(&flipped, b"m\n", 3, Some(&key)).is_none(), "{i}");
        }
    }

    #[test]
    fn short_strings_are_cut_on_a_character_boundary() {
        let long = "é".repeat(200);
        let mut out = Vec::new();
        put_str8(&mut out, &long);
        let got = Reader(&out).str8().unwrap();
        assert_eq!(got.len(), 254);
        assert!(long.starts_with(got));
    }

    #[test]
    fn key_parts_are_framed() {
        let k = |parts: &[(&str, &str)]| {
            let mut k = Key::new(b"x\n");
            for (n, v) in parts {
                k.part(n, v);
            }
            k.finish()
        };
        assert_eq!(k(&[("a", "b")]), k(&[("a", "b")]));
        assert_ne!(k(&[("a", "bc")]), k(&[("ab", "c")]));
        assert_ne!(k(&[("a", "b"), ("c", "d")]), k(&[("c", "d"), ("a", "b")]));
        assert_ne!(Key::new(b"x\n").finish(), Key::new(b"y\n").finish());
    }
}
