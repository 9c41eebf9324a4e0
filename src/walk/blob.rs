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
    facts_from_head(
        rel,
        mode,
        bytes,
        size,
        max_content_bytes,
        binary_sniff_bytes,
    )
}

/// [`facts_from_blob`] for a blob of `size` bytes of which `head` holds at least the
/// first `max_content_bytes` (or all).
pub fn facts_from_head(
    rel: RelPath,
    mode: u32,
    head: &[u8],
    size: u64,
    max_content_bytes: u64,
    binary_sniff_bytes: u64,
) -> (Facts, &[u8]) {
    let bytes = head;
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

/// Call `f` with a blob's head (its first `limit` bytes, or all of it), its size, and,
/// when it is larger than `limit`, a reader of the rest: streamed from the object store
/// when it can (a loose object), else read from the inflated blob without copying it.
/// The scan reads a file the same way (head, then the rest), so the same bytes give
/// the same facts.
pub fn with_blob<R>(
    repo: &git2::Repository,
    id: git2::Oid,
    limit: u64,
    f: impl FnOnce(&[u8], u64, Option<&mut dyn std::io::Read>) -> R,
) -> Result<R, git2::Error> {
    let odb = repo.odb()?;
    let (size, _) = odb.read_header(id)?;
    let size = size as u64;
    if size > limit
        && let Ok((mut reader, _, _)) = odb.reader(id)
    {
        let mut head = Vec::new();
        let read =
            std::io::Read::read_to_end(&mut std::io::Read::take(&mut reader, limit), &mut head);
        if read.is_ok() && head.len() as u64 == limit {
            return Ok(f(&head, size, Some(&mut reader)));
        }
    }
    let blob = repo.find_blob(id)?;
    let bytes = blob.content();
    match usize::try_from(limit) {
        Ok(l) if bytes.len() > l => {
            let mut rest = &bytes[l..];
            Ok(f(&bytes[..l], bytes.len() as u64, Some(&mut rest)))
        }
        _ => Ok(f(bytes, bytes.len() as u64, None)),
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

    /// A blob larger than the limit is handed over as its head and a reader of the
    /// rest, from a loose object (streamed) and from a pack (the inflated blob), and
    /// the two give the same bytes; a small one is handed over whole.
    #[test]
    fn blobs_are_read_as_a_head_and_the_rest_loose_or_packed() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let big = repo.blob(&content).unwrap();
        let small = repo.blob(b"small\n").unwrap();
        let read = |limit: u64, id: git2::Oid| {
            with_blob(&repo, id, limit, |head, size, rest| {
                let mut all = head.to_vec();
                let streamed = rest.is_some();
                if let Some(r) = rest {
                    std::io::Read::read_to_end(r, &mut all).unwrap();
                }
                (head.len(), size, streamed, all)
            })
            .unwrap()
        };
        assert_eq!(read(1000, big), (1000, 300_000, true, content.clone()));
        assert_eq!(read(1000, small), (6, 6, false, b"small\n".to_vec()));
        assert_eq!(
            read(1 << 20, big),
            (300_000, 300_000, false, content.clone())
        );
        // Packed: libgit2 cannot stream it; the inflated blob is read in place.
        let out = std::process::Command::new("git")
            .args(["-c", "gc.auto=0", "repack", "-a", "-d", "-q"])
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Unreferenced objects stay loose after a repack: pack them explicitly.
        let mut child = std::process::Command::new("git")
            .args(["pack-objects", "-q", ".git/objects/pack/pack"])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::io::Write::write_all(
            child.stdin.as_mut().unwrap(),
            format!("{big}\n{small}\n").as_bytes(),
        )
        .unwrap();
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success());
        std::fs::remove_dir_all(
            dir.path()
                .join(format!(".git/objects/{}", &big.to_string()[..2])),
        )
        .unwrap();
        let repo = git2::Repository::open(dir.path()).unwrap();
        let got = with_blob(&repo, big, 1000, |head, size, rest| {
            let mut all = head.to_vec();
            std::io::Read::read_to_end(rest.unwrap(), &mut all).unwrap();
            (head.len(), size, all)
        })
        .unwrap();
        assert_eq!(got, (1000, 300_000, content));
    }
}
