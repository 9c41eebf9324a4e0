//! Facts of content that comes from git (a staged or committed blob) rather than from
//! the disk, made the way the walk makes them, so a blob classifies exactly as the same
//! bytes on disk would.

use super::{RelPath, base_facts, size_class};
use crate::model::{Facts, FileKind, GitState};

/// git's mode of a symbolic link.
pub const MODE_SYMLINK: u32 = 0o120000;
/// git's mode of a gitlink (submodule).
pub const MODE_GITLINK: u32 = 0o160000;

/// The facts of a tracked blob at `rel` with git mode `mode`, and the part of `bytes`
/// the detectors see (up to `max_content_bytes`). A link's bytes are its target.
pub fn facts_from_blob(
    rel: RelPath,
    mode: u32,
    bytes: &[u8],
    max_content_bytes: u64,
    binary_sniff_bytes: u64,
) -> (Facts, &[u8]) {
    let size = bytes.len() as u64;
    match mode {
        MODE_SYMLINK => {
            let mut facts = base_facts(rel, FileKind::Symlink, size, GitState::Tracked);
            facts.link_target = Some(String::from_utf8_lossy(bytes).into_owned());
            (facts, &[])
        }
        MODE_GITLINK => (
            base_facts(rel, FileKind::Submodule, 0, GitState::Tracked),
            &[],
        ),
        _ => {
            let mut facts = base_facts(rel, FileKind::Text, size, GitState::Tracked);
            facts.size_class = size_class(size, max_content_bytes);
            let content = &bytes[..bytes.len().min(max_content_bytes as usize)];
            let sniff = content.len().min(binary_sniff_bytes as usize);
            if memchr::memchr(0, &content[..sniff]).is_some() {
                facts.kind = FileKind::Binary;
            } else {
                facts.content_scanned = true;
            }
            (facts, content)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SizeClass;

    fn rel(p: &str) -> RelPath {
        RelPath {
            display: p.into(),
            raw: p.as_bytes().to_vec(),
            utf8: true,
        }
    }

    #[test]
    fn blobs_get_the_walks_facts() {
        let (f, c) = facts_from_blob(rel("a/b.py"), 0o100644, b"print(1)\n", 4, 2);
        assert_eq!(f.kind, FileKind::Text);
        assert_eq!((f.size, f.size_class), (9, SizeClass::Large));
        assert_eq!(c, b"prin");
        assert!(f.content_scanned);
        assert_eq!(f.git, GitState::Tracked);
        let (f, _) = facts_from_blob(rel("x.bin"), 0o100755, b"a\0b", 100, 100);
        assert_eq!(f.kind, FileKind::Binary);
        assert!(!f.content_scanned);
        let (f, c) = facts_from_blob(rel("l"), MODE_SYMLINK, b"../t", 100, 100);
        assert_eq!(f.kind, FileKind::Symlink);
        assert_eq!(f.link_target.as_deref(), Some("../t"));
        assert!(c.is_empty());
        let (f, _) = facts_from_blob(rel("sub"), MODE_GITLINK, b"", 100, 100);
        assert_eq!(f.kind, FileKind::Submodule);
    }
}
