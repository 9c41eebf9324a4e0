//! Git LFS pointers: a small text file naming an object by its SHA-256 and size, the
//! object kept in the repository's LFS store (`.git/lfs/objects/ab/cd/abcd…`). What git
//! stores for such a path is the pointer, not the content; the content is the object.
//!
//! Any file or blob that reads as a pointer is classified by the object it names
//! (whatever the attributes say: a pointer committed without the `lfs` attribute may
//! still be smudged into a key), read like a file the walk lists and checked against
//! the pointer (size and SHA-256). When the object is absent or does not match, the
//! content is unknown: tier 1, `content-filtered`. The scan and the gate both come
//! here, so the same pointer gives the same facts.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Head, Tail, read_head, size_class};
use crate::model::{Facts, FileKind, SizeClass};

/// A pointer is smaller than this (the LFS specification's bound).
pub const POINTER_MAX: usize = 1024;

/// What a pointer names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    /// The object's SHA-256, 64 lowercase hex digits.
    pub oid: String,
    pub size: u64,
}

/// The pointer `bytes` hold, if they are one: the version line first, then `oid
/// sha256:<hex>` and `size <n>` lines (other keys allowed), under [`POINTER_MAX`]
/// bytes. Read leniently: anything that looks like a pointer is one (tier 1 unless its
/// object is there).
pub fn parse_pointer(bytes: &[u8]) -> Option<Pointer> {
    // Most files are not pointers: one comparison tells.
    if bytes.len() >= POINTER_MAX || !bytes.starts_with(b"version https://") {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    let version = lines.next()?.trim_end();
    if !matches!(
        version,
        "version https://git-lfs.github.com/spec/v1" | "version https://hawser.github.com/spec/v1"
    ) {
        return None;
    }
    let (mut oid, mut size) = (None, None);
    for line in lines {
        if let Some(hex) = line.trim_end().strip_prefix("oid sha256:") {
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            oid = Some(hex.to_ascii_lowercase());
        } else if let Some(n) = line.trim_end().strip_prefix("size ") {
            size = Some(n.parse::<u64>().ok()?);
        }
    }
    Some(Pointer {
        oid: oid?,
        size: size?,
    })
}

/// Where the object of `oid` lies in the LFS store `store` (`.git/lfs/objects`).
pub fn object_path(store: &Path, oid: &str) -> PathBuf {
    store.join(&oid[..2]).join(&oid[2..4]).join(oid)
}

/// `facts` (of a path whose content is a pointer) made the facts of the content the
/// pointer names: the object read from `store` into `buf` (its head, up to
/// `max_content_bytes`) as the walk reads a file, checked against the pointer; with a
/// tail that reads the rest, and checks the SHA-256 at its end, when the object is
/// larger. When the object cannot be read or does not match: unreadable, with the
/// reason (tier 1, `content-filtered`), and nothing in `buf`.
pub fn object_facts(
    store: Option<&Path>,
    pointer: &Pointer,
    mut facts: Facts,
    max_content_bytes: u64,
    binary_sniff_bytes: u64,
    buf: &mut Vec<u8>,
) -> (Facts, Option<Tail>) {
    buf.clear();
    facts.signals.clear();
    let short = &pointer.oid[..12];
    let unread = |mut facts: Facts, why: String| {
        facts.kind = FileKind::Unreadable;
        facts.size = 0;
        facts.size_class = SizeClass::Empty;
        facts.content_scanned = false;
        facts.filtered = Some(format!(
            "stored as a git LFS pointer to object {short} ({} bytes), {why}: the content was not read",
            pointer.size
        ));
        (facts, None)
    };
    let Some(store) = store else {
        return unread(
            facts,
            "and there is no LFS store outside a git repository".into(),
        );
    };
    let file = match std::fs::File::open(object_path(store, &pointer.oid)) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return unread(facts, "which is not in the LFS store".into());
        }
        Err(e) => return unread(facts, format!("which cannot be opened ({})", e.kind())),
    };
    let size = match read_head(&file, max_content_bytes, buf, || {}) {
        Ok(Head::Read(size)) => size,
        Ok(_) | Err(_) => {
            buf.clear();
            return unread(facts, "which cannot be read".into());
        }
    };
    if size != pointer.size {
        buf.clear();
        return unread(
            facts,
            format!("but the object in the LFS store holds {size} bytes"),
        );
    }
    let mut hasher = Sha256::new();
    hasher.update(&buf[..]);
    let tail = if size > buf.len() as u64 {
        Some(Tail {
            file,
            at: buf.len() as u64,
            size,
            zeros: 0,
            check: Some(Box::new((hasher, pointer.oid.clone()))),
        })
    } else {
        if hex(&hasher.finalize()) != pointer.oid {
            buf.clear();
            return unread(
                facts,
                "but the object in the LFS store does not match its SHA-256".into(),
            );
        }
        None
    };
    facts.kind = FileKind::Text;
    facts.size = size;
    facts.size_class = size_class(size, max_content_bytes);
    facts.content_scanned = false;
    let sniff = buf.len().min(binary_sniff_bytes as usize);
    if memchr::memchr(0, &buf[..sniff]).is_some() {
        facts.kind = FileKind::Binary;
    } else {
        facts.content_scanned = true;
    }
    (facts, tail)
}

/// The check a tail makes at its end: the SHA-256 of everything read.
pub(super) fn verify(check: (Sha256, String)) -> std::io::Result<()> {
    let (hasher, oid) = check;
    if hex(&hasher.finalize()) == oid {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "the git LFS object {} does not match its SHA-256",
            &oid[..12]
        )))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointer_text(oid: &str, size: u64) -> String {
        format!("version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n")
    }

    #[test]
    fn pointers_are_recognized_and_nothing_else() {
        let oid = "a".repeat(64);
        let p = parse_pointer(pointer_text(&oid, 12).as_bytes()).unwrap();
        assert_eq!((p.oid.as_str(), p.size), (oid.as_str(), 12));
        // Other keys, CRLF, upper-case hex, the old version URL.
        let text = format!(
            "version https://hawser.github.com/spec/v1\r\next-0-foo sha256:{}\r\noid sha256:{}\r\nsize 7\r\n",
            "b".repeat(64),
            "C".repeat(64)
        );
        assert_eq!(parse_pointer(text.as_bytes()).unwrap().oid, "c".repeat(64));
        for not in [
            "hello\n".to_string(),
            pointer_text(&"a".repeat(63), 1),
            pointer_text(&"g".repeat(64), 1),
            format!("version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\n"),
            "version https://git-lfs.github.com/spec/v1\nsize 3\n".to_string(),
            format!("{}{}", pointer_text(&oid, 1), "x".repeat(POINTER_MAX)),
            format!("\n{}", pointer_text(&oid, 1)),
        ] {
            assert!(parse_pointer(not.as_bytes()).is_none(), "{not:?}");
        }
    }

    fn rel(p: &str) -> Facts {
        crate::walk::base_facts(
            crate::walk::RelPath {
                display: p.into(),
                raw: p.as_bytes().to_vec(),
                utf8: true,
            },
            FileKind::Text,
            p.len() as u64,
            crate::model::GitState::Tracked,
        )
    }

    fn store_with(content: &[u8]) -> (tempfile::TempDir, Pointer) {
        let dir = tempfile::tempdir().unwrap();
        let oid = hex(&Sha256::digest(content));
        let path = object_path(dir.path(), &oid);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        (
            dir,
            Pointer {
                oid,
                size: content.len() as u64,
            },
        )
    }

    #[test]
    fn an_object_that_matches_is_read_and_one_that_does_not_is_tier_1() {
        let (store, p) = store_with(b"the real content\n");
        let mut buf = Vec::new();
        let (f, tail) = object_facts(Some(store.path()), &p, rel("a.bin"), 1 << 20, 512, &mut buf);
        assert_eq!(
            (f.kind, f.size, f.filtered.as_deref()),
            (FileKind::Text, 17, None)
        );
        assert_eq!(buf, b"the real content\n");
        assert!(tail.is_none());
        // Absent, wrong size, wrong content, no store.
        let mut wrong = p.clone();
        wrong.oid = "0".repeat(64);
        let mut short = p.clone();
        short.size = 3;
        std::fs::write(object_path(store.path(), &p.oid), b"other content!!!!").unwrap();
        for (store, p, why) in [
            (Some(store.path()), &wrong, "not in the LFS store"),
            (Some(store.path()), &short, "holds 17 bytes"),
            (Some(store.path()), &p, "does not match its SHA-256"),
            (None, &p, "no LFS store"),
        ] {
            let (f, tail) = object_facts(store, p, rel("a.bin"), 1 << 20, 512, &mut buf);
            assert_eq!(f.kind, FileKind::Unreadable);
            assert!(
                f.filtered.as_deref().unwrap().contains(why),
                "{:?}",
                f.filtered
            );
            assert!(buf.is_empty() && tail.is_none());
        }
    }

    #[test]
    fn a_large_object_is_checked_at_the_end_of_its_tail() {
        let content: Vec<u8> = (0..100_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let (store, p) = store_with(&content);
        let mut buf = Vec::new();
        let (f, tail) = object_facts(Some(store.path()), &p, rel("a.txt"), 1000, 512, &mut buf);
        assert_eq!((f.size, buf.len()), (100_000, 1000));
        let mut rest = Vec::new();
        std::io::Read::read_to_end(&mut tail.unwrap(), &mut rest).unwrap();
        assert_eq!([&buf[..], &rest[..]].concat(), content);
        // Same size, other bytes: the tail's end says so.
        let mut other = content.clone();
        other[50_000] = b'#';
        std::fs::write(object_path(store.path(), &p.oid), &other).unwrap();
        let (_, tail) = object_facts(Some(store.path()), &p, rel("a.txt"), 1000, 512, &mut buf);
        let err = std::io::Read::read_to_end(&mut tail.unwrap(), &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("does not match"), "{err}");
    }
}
