//! When a manifest's scan started, kept outside the committed manifest so that route
//! and the hooks can tell a file that changed since (its `ctime` is not strictly older
//! than the start) from one the manifest describes, without reading it.
//!
//! `tiergate scan` records, in `<git dir>/tiergate/scan.json` (never committed, written
//! atomically), the identity of the manifest it wrote (device, inode, size, mtime in
//! nanoseconds) and the start of the scan as the file system's own clock gave it: the
//! change time of a file created in that directory before the walk began, so the
//! granularity and the lag of the kernel's coarse clock are the same as for the files
//! compared with it. A reader whose manifest is not the one recorded (replaced, edited,
//! checked out) falls back to the manifest's own change time, which is later than the
//! scan's start: files changed in between then count as unchanged, which only a write
//! during the scan can be.
//!
//! Limits: a clock set back, a network file system whose server clock lags the client's,
//! or someone who can write `.git/` (who can also rewrite the record) can make a changed
//! file look unchanged; a file on another device than the record is compared with two
//! seconds of slack for coarser timestamps.

use std::fs::Metadata;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const FILE: &str = "scan.json";
/// Records kept, one per manifest (a repository may hold several scan roots).
const KEPT: usize = 8;

/// A point on the file system's clock: the change time of a file on device `dev`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub dev: u64,
    pub sec: i64,
    pub nsec: i64,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        let m = crate::platform::file_stamp(meta);
        Stamp {
            dev: m.dev,
            sec: m.ctime,
            nsec: m.ctime_nsec,
        }
    }
}

/// Which file a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Identity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl Identity {
    fn of(meta: &Metadata) -> Identity {
        let m = crate::platform::file_stamp(meta);
        Identity {
            dev: m.dev,
            ino: m.ino,
            size: m.size,
            mtime_ns: i128::from(m.mtime) * 1_000_000_000 + i128::from(m.mtime_nsec),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    manifest: Identity,
    started: Stamp,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Records {
    version: u32,
    scans: Vec<Record>,
}

/// The git directory of the work tree at `root` (`.git`, or where a `.git` file points),
/// without opening the repository.
pub fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    let meta = std::fs::symlink_metadata(&dot).ok()?;
    if meta.is_dir() {
        return Some(dot);
    }
    let text = std::fs::read_to_string(&dot).ok()?;
    let target = text.strip_prefix("gitdir:")?.trim();
    Some(root.join(target))
}

/// The directory the runtime's own state lives in.
pub fn state_dir(git_dir: &Path) -> PathBuf {
    git_dir.join("tiergate")
}

/// Read the file system's clock now, by creating (and removing) a file in the state
/// directory. None when the directory cannot be written: the readers then fall back.
pub fn start(git_dir: &Path) -> Option<Stamp> {
    let dir = state_dir(git_dir);
    std::fs::create_dir_all(&dir).ok()?;
    let probe = tempfile::Builder::new()
        .prefix(".scan-start")
        .tempfile_in(&dir)
        .ok()?;
    let meta = probe.as_file().metadata().ok()?;
    Some(Stamp::of(&meta))
}

/// Record that the manifest at `manifest` was written by a scan that started at `started`.
pub fn record(git_dir: &Path, manifest: &Path, started: Stamp) -> std::io::Result<()> {
    let meta = std::fs::metadata(manifest)?;
    let dir = state_dir(git_dir);
    let path = dir.join(FILE);
    let mut records = read(&path).unwrap_or_default();
    let identity = Identity::of(&meta);
    records
        .scans
        .retain(|r| (r.manifest.dev, r.manifest.ino) != (identity.dev, identity.ino));
    records.scans.insert(
        0,
        Record {
            manifest: identity,
            started,
        },
    );
    records.scans.truncate(KEPT);
    records.version = 1;
    let text = serde_json::to_string(&records).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::Builder::new().prefix(".scan").tempfile_in(&dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

fn read(path: &Path) -> Option<Records> {
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

const ZONE_TIERS: &str = "zone-tiers.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct ZoneTiers {
    entries: Vec<(String, Vec<Option<u8>>)>,
}

/// The zones' path tiers recorded for `key` (see `judge::zone_key`).
pub fn cached_zone_tiers(git_dir: &Path, key: &str) -> Option<Vec<Option<u8>>> {
    let text = std::fs::read(state_dir(git_dir).join(ZONE_TIERS)).ok()?;
    let cache: ZoneTiers = serde_json::from_slice(&text).ok()?;
    cache
        .entries
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, t)| t)
}

/// Record the zones' path tiers for `key`, keeping the last few.
pub fn cache_zone_tiers(git_dir: &Path, key: &str, tiers: &[Option<u8>]) -> std::io::Result<()> {
    let dir = state_dir(git_dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(ZONE_TIERS);
    let mut cache: ZoneTiers = std::fs::read(&path)
        .ok()
        .and_then(|t| serde_json::from_slice(&t).ok())
        .unwrap_or_default();
    cache.entries.retain(|(k, _)| k != key);
    cache.entries.insert(0, (key.to_string(), tiers.to_vec()));
    cache.entries.truncate(KEPT);
    let text = serde_json::to_string(&cache).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".zones")
        .tempfile_in(&dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

const JUDGEMENTS: &str = "judgements.json";
/// Classifications of changed files kept: the files an agent is working on.
const JUDGEMENTS_KEPT: usize = 256;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Judgements {
    entries: Vec<(String, u8, Vec<crate::manifest::Reason>)>,
}

fn read_judgements(path: &Path) -> Judgements {
    std::fs::read(path)
        .ok()
        .and_then(|t| serde_json::from_slice(&t).ok())
        .unwrap_or_default()
}

/// A changed file's classification recorded under `key` (see `Judge::judgement_key`).
pub fn recorded_judgement(git_dir: &Path, key: &str) -> Option<(u8, Vec<crate::manifest::Reason>)> {
    read_judgements(&state_dir(git_dir).join(JUDGEMENTS))
        .entries
        .into_iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, t, r)| (t, r))
}

/// Record a changed file's classification, most recent first, keeping the last few.
pub fn record_judgement(
    git_dir: &Path,
    key: &str,
    tier: u8,
    reasons: &[crate::manifest::Reason],
) -> std::io::Result<()> {
    let dir = state_dir(git_dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(JUDGEMENTS);
    let mut j = read_judgements(&path);
    j.entries.retain(|(k, _, _)| k != key);
    j.entries
        .insert(0, (key.to_string(), tier, reasons.to_vec()));
    j.entries.truncate(JUDGEMENTS_KEPT);
    let text = serde_json::to_string(&j).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".judgements")
        .tempfile_in(&dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// The point before which a file's change time says it is as the manifest describes.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub at: Stamp,
    /// From the scan's record (else the manifest's own change time).
    pub from_scan: bool,
}

impl Reference {
    /// The reference for the manifest whose (open) file has `manifest` as metadata.
    pub fn for_manifest(git_dir: Option<&Path>, manifest: &Metadata) -> Reference {
        let own = Stamp::of(manifest);
        let identity = Identity::of(manifest);
        let recorded = git_dir
            .and_then(|g| read(&state_dir(g).join(FILE)))
            .and_then(|r| r.scans.into_iter().find(|r| r.manifest == identity));
        // A scan that found the manifest already holding its bytes leaves the file as
        // it was: the record then names the older file with the newer start, which is
        // right, since the bytes are what that scan computed.
        match recorded {
            Some(r) => Reference {
                at: r.started,
                from_scan: true,
            },
            None => Reference {
                at: own,
                from_scan: false,
            },
        }
    }

    /// Whether a file (or link) with this metadata may have changed since the scan: its
    /// change time is not strictly older than the reference. `ctime` cannot be set back
    /// by `touch`; equal times count as changed (coarse clocks give many equal times).
    pub fn changed(&self, meta: &Metadata) -> bool {
        let m = crate::platform::file_stamp(meta);
        let slack = if m.dev == self.at.dev { 0 } else { 2 };
        (m.ctime, m.ctime_nsec) >= (self.at.sec - slack, self.at.nsec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_after_the_start_are_changed_and_earlier_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        std::fs::create_dir(&git).unwrap();
        let before = dir.path().join("before");
        std::fs::write(&before, "a").unwrap();
        // The coarse clock ticks every few milliseconds.
        std::thread::sleep(std::time::Duration::from_millis(30));
        let started = start(&git).expect("writable");
        let manifest = dir.path().join("m.json");
        std::fs::write(&manifest, "{}").unwrap();
        record(&git, &manifest, started).unwrap();
        let after = dir.path().join("after");
        std::fs::write(&after, "b").unwrap();
        let meta = std::fs::metadata(&manifest).unwrap();
        let r = Reference::for_manifest(Some(&git), &meta);
        assert!(r.from_scan);
        assert!(!r.changed(&std::fs::symlink_metadata(&before).unwrap()));
        assert!(r.changed(&std::fs::symlink_metadata(&after).unwrap()));
        // A rename changes the renamed file's ctime.
        std::thread::sleep(std::time::Duration::from_millis(30));
        std::fs::rename(&before, dir.path().join("moved")).unwrap();
        assert!(r.changed(&std::fs::symlink_metadata(dir.path().join("moved")).unwrap()));
        // Another manifest than the recorded one: its own change time.
        std::fs::write(&manifest, "{} ").unwrap();
        let meta = std::fs::metadata(&manifest).unwrap();
        let r = Reference::for_manifest(Some(&git), &meta);
        assert!(!r.from_scan);
        assert_eq!(r.at, Stamp::of(&meta));
        // No git directory: the same.
        assert!(!Reference::for_manifest(None, &meta).from_scan);
    }

    #[test]
    fn a_git_file_points_to_the_git_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(git_dir(dir.path()), None);
        std::fs::write(dir.path().join(".git"), "gitdir: ../x/.git/worktrees/w\n").unwrap();
        assert_eq!(
            git_dir(dir.path()),
            Some(dir.path().join("../x/.git/worktrees/w"))
        );
    }
}
