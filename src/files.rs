//! Writing files so that a reader never sees half of one: the manifest, the exports,
//! the reports, the config files `init` writes and the accepted findings file all go
//! through [`write_atomic`].

use std::io::Write;
use std::path::Path;

/// A file being written whose pages are handed to the disk every few megabytes
/// (`sync_file_range`, without waiting), so that the `fsync` that ends the write waits
/// for the last few, not for all of a 25 MB manifest at once.
struct EarlyWriteback {
    file: std::fs::File,
    written: u64,
    started: u64,
}

impl EarlyWriteback {
    const EVERY: u64 = 4 << 20;
}

impl Write for EarlyWriteback {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::EVERY {
            crate::platform::start_writeback(&self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Write a file so that readers see the old bytes or the new, never a mix: a temporary
/// file in the same directory, flushed to disk, renamed over the target. A regular file
/// that already holds exactly these bytes is left as it is (its mtime included): a
/// rescan of an unchanged tree does not rewrite and re-sync a 25 MB manifest, nor wake
/// what watches it.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let cannot_write = |e: std::io::Error| anyhow::anyhow!("{}: cannot write: {e}", path.display());
    let mut sink = Unchanged::open(path, dir);
    let written = {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut sink);
        write(&mut buffered).and_then(|_| buffered.flush())
    };
    written.map_err(cannot_write)?;
    let tmp = match sink.finish().map_err(cannot_write)? {
        None => return Ok(()),
        Some(tmp) => tmp,
    };
    // Temporary files are private (0600); the result gets the target's mode, or 0644.
    let mode = std::fs::metadata(path).map_or(0o644, |m| crate::platform::mode(&m));
    crate::platform::set_mode(tmp.as_file(), mode)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(cannot_write)?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot replace: {}", path.display(), e.error))?;
    Ok(())
}

/// The sink of [`write_atomic`]: while the bytes written equal the target's, nothing is
/// written; at the first difference the temporary file is made, given the equal
/// prefix (read back from the target) and then everything else.
struct Unchanged<'p> {
    dir: &'p Path,
    /// The target as it is, while every byte so far matches it.
    old: Option<Old>,
    /// Bytes written so far.
    at: u64,
    scratch: Vec<u8>,
    new: Option<(tempfile::NamedTempFile, EarlyWriteback)>,
}

/// The target of [`write_atomic`] as it was opened.
struct Old {
    file: std::fs::File,
    len: u64,
    /// A large target is compared in place, not copied out read by read (25 MB for a
    /// 100,000-file manifest). Another program truncating it meanwhile would stop
    /// this one (which writes nothing then), as for [`manifest::ManifestView`].
    map: Option<memmap2::Mmap>,
}

impl Old {
    /// Compared in place from this size up.
    const MAP_FROM: u64 = 1 << 20;

    /// `n` bytes at `at` (within the file), from the mapping or read into `scratch`.
    fn bytes<'s>(
        &'s self,
        at: u64,
        n: usize,
        scratch: &'s mut Vec<u8>,
    ) -> std::io::Result<&'s [u8]> {
        if let Some(map) = &self.map {
            return Ok(&map[at as usize..at as usize + n]);
        }
        scratch.resize(n, 0);
        crate::platform::read_exact_at(&self.file, scratch, at)?;
        Ok(scratch)
    }
}

impl<'p> Unchanged<'p> {
    fn open(path: &Path, dir: &'p Path) -> Unchanged<'p> {
        // Only a regular file is compared (a link is replaced, as before).
        let old = crate::platform::open_nofollow(path).ok().and_then(|file| {
            let m = file.metadata().ok().filter(|m| m.is_file())?;
            let len = m.len();
            // Read while this call lasts; see `Old::map`.
            let map = (len >= Old::MAP_FROM)
                .then(|| crate::platform::map_readonly(&file).ok())
                .flatten();
            Some(Old { file, len, map })
        });
        Unchanged {
            dir,
            old,
            at: 0,
            scratch: Vec::new(),
            new: None,
        }
    }

    /// Whether `buf`, written at the current offset, leaves the target as it is.
    fn matches(&mut self, buf: &[u8]) -> bool {
        let Some(old) = &self.old else {
            return false;
        };
        self.at + buf.len() as u64 <= old.len
            && old
                .bytes(self.at, buf.len(), &mut self.scratch)
                .is_ok_and(|b| b == buf)
    }

    /// Make the temporary file and give it the `self.at` bytes already matched.
    fn diverge(&mut self) -> std::io::Result<&mut EarlyWriteback> {
        let tmp = tempfile::Builder::new()
            .prefix(".tiergate-")
            .suffix(".tmp")
            .tempfile_in(self.dir)
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "{}: cannot create a temporary file: {e}",
                        self.dir.display()
                    ),
                )
            })?;
        let mut out = EarlyWriteback {
            file: tmp.as_file().try_clone()?,
            written: 0,
            started: 0,
        };
        if let Some(old) = self.old.take() {
            let mut copied = 0;
            while copied < self.at {
                let n = (self.at - copied).min(1 << 20) as usize;
                out.write_all(old.bytes(copied, n, &mut self.scratch)?)?;
                copied += n as u64;
            }
        }
        self.scratch = Vec::new();
        Ok(&mut self.new.insert((tmp, out)).1)
    }

    /// The temporary file to rename over the target, or None when the target already
    /// holds these bytes.
    fn finish(mut self) -> std::io::Result<Option<tempfile::NamedTempFile>> {
        if self.new.is_none() {
            match &self.old {
                // On disk as it is, unless the bytes were never synced by whoever wrote
                // them (cheap when they were).
                Some(old) if old.len == self.at => return old.file.sync_data().map(|_| None),
                _ => {
                    self.diverge()?;
                }
            }
        }
        Ok(self.new.map(|(tmp, _)| tmp))
    }
}

impl Write for &mut Unchanged<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.new.is_none() && self.matches(buf) {
            self.at += buf.len() as u64;
            return Ok(buf.len());
        }
        let out = match &mut self.new {
            Some((_, out)) => out,
            None => self.diverge()?,
        };
        let n = out.write(buf)?;
        self.at += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `write_atomic` leaves a file holding the same bytes alone (same inode, same
    /// mtime) and otherwise replaces it whole, whatever the first differing byte, with
    /// the target's mode and no temporary file left behind.
    #[test]
    fn atomic_writes_leave_an_unchanged_file_alone_and_replace_a_changed_one() {
        // Compared by reads, and in place (mapped) from a megabyte up.
        for size in [300_000, 2_500_000] {
            atomic_writes_of(size);
        }
    }

    fn atomic_writes_of(size: u32) {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        // Written in uneven pieces.
        let base: Vec<u8> = (0..size).map(|i| b'a' + (i * 7 % 26) as u8).collect();
        let write = |bytes: &[u8]| {
            write_atomic(&path, |w| {
                for piece in bytes.chunks(70_001) {
                    w.write_all(piece)?;
                }
                Ok(())
            })
            .unwrap()
        };
        write(&base);
        assert_eq!(std::fs::read(&path).unwrap(), base);
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let stamp = |p: &Path| {
            let m = std::fs::symlink_metadata(p).unwrap();
            (m.ino(), m.mtime(), m.mtime_nsec())
        };
        let before = stamp(&path);
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&base);
        assert_eq!(stamp(&path), before, "the same bytes rewrote the file");
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for at in [0, 1, 65_535, 65_536, base.len() / 2 + 7, base.len() - 1] {
            let mut v = base.clone();
            v[at] = b'#';
            variants.push(v);
        }
        variants.push(base[..base.len() - 1].to_vec());
        variants.push([&base[..], b"+"].concat());
        variants.push(Vec::new());
        for v in variants {
            let before = stamp(&path);
            write(&v);
            assert_eq!(std::fs::read(&path).unwrap(), v, "{} bytes", v.len());
            assert_ne!(stamp(&path).0, before.0, "not replaced");
            let m = std::fs::metadata(&path).unwrap();
            assert_eq!(m.mode() & 0o777, 0o600, "the target's mode");
            write(&base);
        }
        // A link holding the same bytes is replaced by a file, as any other target.
        let target = dir.path().join("target.json");
        std::fs::rename(&path, &target).unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        write(&base);
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!(std::fs::read(&path).unwrap(), base);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
