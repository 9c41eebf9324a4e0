//! What the detectors said of each (blob, path) pair of a history, kept between runs in
//! `<git common dir>/tiergate/history.cache` (never committed; shared by the work trees
//! of a repository, as its objects are). A blob id names its bytes, so a pair judged
//! once is judged for good, as long as what judged it has not changed: the file holds
//! a key ([`key`]) over the detectors' decision versions and the digests of the rules
//! and of what else the detectors read (limits, accepted findings), and a file with
//! another key is dropped whole.
//!
//! What each commit introduced ([`Introductions`], `history-commits.cache`) is kept
//! too: a commit's id names its tree and its parents, so that never changes, and a
//! second run compares no trees. A commit whose parents could not be read (a shallow
//! clone's boundary) is not kept: fetched later, they change its answer.
//!
//! The format is binary, written atomically and read whole: a header (magic, version,
//! key, counts), the entries sorted by id, and a SHA-256 of everything before it. A
//! file that is truncated, corrupt or of another version is ignored (everything is
//! read again): a cache can only save work, never hide a blob.

use std::collections::HashMap;
use std::path::Path;

use git2::Oid;

use crate::cache::{put_confidence, put_oid, put_str8};
use crate::model::Confidence;

const MAGIC: &[u8] = b"tiergate history cache\n";
/// The version of the format and of what an entry holds besides the detectors' results
/// (which [`key`] versions): bump when either changes.
const VERSION: u32 = 1;

/// The cache file's name in the state directory.
pub const FILE_NAME: &str = "history.cache";

/// What the detectors found in one blob at one path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scanned {
    pub size: u64,
    /// A NUL among the first bytes (searched all the same, as a scan does).
    pub binary: bool,
    /// The credential signals, sorted by id.
    pub signals: Vec<Hit>,
}

/// One credential signal of a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: String,
    pub confidence: Confidence,
    pub count: u32,
    pub line: u32,
    /// A hash of the text where the signal is first seen (its line and what follows
    /// it, see `scan`): two blobs where it is the same text hold the same credential.
    /// Never written out of the cache (a hash of a short password's line could be
    /// reversed).
    pub group: u64,
}

/// The steps of `provenance.decisions` whose results the cache holds: what is read of
/// a blob, the credentials' detectors, and acceptance.
pub const STEPS: &[&str] = &["facts", "secrets", "accept"];

/// What the detectors' results depend on besides a blob's bytes and its path.
pub type KeyInputs<'a> = crate::cache::DetectorInputs<'a>;

/// The key of a cache: a SHA-256 over what its results depend on.
pub fn key(k: &KeyInputs<'_>) -> [u8; 32] {
    crate::cache::Key::new(MAGIC).detectors(k, STEPS).finish()
}

/// A stable 64-bit hash of bytes (FNV-1a): paths in the cache, lines in [`Hit::group`].
pub fn hash(bytes: &[u8]) -> u64 {
    crate::cache::fnv(bytes)
}

/// The detectors' results by (blob, hash of the raw path).
#[derive(Debug)]
pub struct Cache {
    key: [u8; 32],
    entries: HashMap<(Oid, u64), Scanned>,
    /// Whether entries were added since it was read.
    changed: bool,
}

impl Cache {
    pub fn empty(key: [u8; 32]) -> Cache {
        Cache {
            key,
            entries: HashMap::new(),
            changed: false,
        }
    }

    /// The cache at `path` if it was written with `key`, else an empty one.
    pub fn load(path: &Path, key: &[u8; 32]) -> Cache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| parse(&bytes, key))
            .map_or_else(
                || Cache::empty(*key),
                |entries| Cache {
                    key: *key,
                    entries,
                    changed: false,
                },
            )
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, blob: Oid, raw_path: &[u8]) -> Option<&Scanned> {
        self.entries.get(&(blob, hash(raw_path)))
    }

    pub fn insert(&mut self, blob: Oid, raw_path: &[u8], scanned: Scanned) {
        self.entries.insert((blob, hash(raw_path)), scanned);
        self.changed = true;
    }

    /// Write the cache to `path` (atomically, its directory made when missing) when
    /// entries were added since it was read.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if !self.changed {
            return Ok(());
        }
        write_file(path, &self.serialize())
    }

    fn serialize(&self) -> Vec<u8> {
        let mut keys: Vec<&(Oid, u64)> = self.entries.keys().collect();
        keys.sort_unstable();
        let mut out = Vec::with_capacity(64 + keys.len() * 40);
        crate::cache::header(&mut out, MAGIC, VERSION);
        out.extend_from_slice(&self.key);
        out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
        for k in keys {
            let e = &self.entries[k];
            put_oid(&mut out, &k.0);
            out.extend_from_slice(&k.1.to_le_bytes());
            out.extend_from_slice(&e.size.to_le_bytes());
            out.push(u8::from(e.binary));
            out.extend_from_slice(&(e.signals.len() as u16).to_le_bytes());
            for s in &e.signals {
                put_str8(&mut out, &s.id);
                put_confidence(&mut out, s.confidence);
                out.extend_from_slice(&s.count.to_le_bytes());
                out.extend_from_slice(&s.line.to_le_bytes());
                out.extend_from_slice(&s.group.to_le_bytes());
            }
        }
        crate::cache::seal(&mut out);
        out
    }
}

/// The entries of a cache file written with `key`; None when it is not one (another
/// key or version, truncated, corrupt).
fn parse(bytes: &[u8], key: &[u8; 32]) -> Option<HashMap<(Oid, u64), Scanned>> {
    let mut r = crate::cache::open(bytes, MAGIC, VERSION, Some(key))?;
    let count = u64::from_le_bytes(r.array()?);
    let mut entries = HashMap::with_capacity(usize::try_from(count).ok()?.min(1 << 24));
    for _ in 0..count {
        let oid = r.oid()?;
        let path = u64::from_le_bytes(r.array()?);
        let size = u64::from_le_bytes(r.array()?);
        let binary = r.byte()? != 0;
        let n = u16::from_le_bytes(r.array()?);
        let mut signals = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let id = r.str8()?.to_string();
            let confidence = r.confidence()?;
            signals.push(Hit {
                id,
                confidence,
                count: u32::from_le_bytes(r.array()?),
                line: u32::from_le_bytes(r.array()?),
                group: u64::from_le_bytes(r.array()?),
            });
        }
        entries.insert(
            (oid, path),
            Scanned {
                size,
                binary,
                signals,
            },
        );
    }
    r.is_empty().then_some(entries)
}

/// The commits' file name in the state directory.
pub const COMMITS_FILE_NAME: &str = "history-commits.cache";
const COMMITS_MAGIC: &[u8] = b"tiergate history commits\n";
/// The version of what a commit introduces (see `commits`): bump when that changes.
const COMMITS_VERSION: u32 = 1;

/// What each commit introduced: its committer time and the (blob, raw path) pairs.
#[derive(Debug, Default)]
pub struct Introductions {
    commits: HashMap<Oid, Introduced>,
    changed: bool,
}

/// What one commit introduced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Introduced {
    pub time: i64,
    pub pairs: Vec<(Oid, Box<[u8]>)>,
}

impl Introductions {
    /// The file at `path`, or nothing when it is not one.
    pub fn load(path: &Path) -> Introductions {
        let commits = std::fs::read(path)
            .ok()
            .and_then(|b| parse_commits(&b))
            .unwrap_or_default();
        Introductions {
            commits,
            changed: false,
        }
    }

    pub fn get(&self, commit: Oid) -> Option<&Introduced> {
        self.commits.get(&commit)
    }

    pub fn len(&self) -> usize {
        self.commits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.commits.is_empty()
    }

    pub fn insert(&mut self, commit: Oid, introduced: Introduced) {
        self.commits.insert(commit, introduced);
        self.changed = true;
    }

    /// Write the file when commits were added since it was read.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        if !self.changed {
            return Ok(());
        }
        write_file(path, &self.serialize())
    }

    fn serialize(&self) -> Vec<u8> {
        // Paths once each, in a table the entries index.
        let mut index: HashMap<&[u8], u32> = HashMap::new();
        let mut table: Vec<&[u8]> = Vec::new();
        let mut ids: Vec<&Oid> = self.commits.keys().collect();
        ids.sort_unstable();
        for id in &ids {
            for (_, p) in &self.commits[*id].pairs {
                index.entry(p).or_insert_with(|| {
                    table.push(p);
                    table.len() as u32 - 1
                });
            }
        }
        let mut out = Vec::new();
        crate::cache::header(&mut out, COMMITS_MAGIC, COMMITS_VERSION);
        out.extend_from_slice(&(table.len() as u64).to_le_bytes());
        for p in &table {
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p);
        }
        out.extend_from_slice(&(ids.len() as u64).to_le_bytes());
        for id in ids {
            let c = &self.commits[id];
            put_oid(&mut out, id);
            out.extend_from_slice(&c.time.to_le_bytes());
            out.extend_from_slice(&(c.pairs.len() as u32).to_le_bytes());
            for (blob, p) in &c.pairs {
                put_oid(&mut out, blob);
                out.extend_from_slice(&index[&**p].to_le_bytes());
            }
        }
        crate::cache::seal(&mut out);
        out
    }
}

fn parse_commits(bytes: &[u8]) -> Option<HashMap<Oid, Introduced>> {
    let mut r = crate::cache::open(bytes, COMMITS_MAGIC, COMMITS_VERSION, None)?;
    let npaths = u64::from_le_bytes(r.array()?);
    let mut table: Vec<&[u8]> = Vec::with_capacity(usize::try_from(npaths).ok()?.min(1 << 24));
    for _ in 0..npaths {
        let len = u32::from_le_bytes(r.array()?) as usize;
        table.push(r.take(len)?);
    }
    let n = u64::from_le_bytes(r.array()?);
    let mut commits = HashMap::with_capacity(usize::try_from(n).ok()?.min(1 << 24));
    for _ in 0..n {
        let id = r.oid()?;
        let time = i64::from_le_bytes(r.array()?);
        let count = u32::from_le_bytes(r.array()?);
        let mut pairs = Vec::with_capacity((count as usize).min(1 << 16));
        for _ in 0..count {
            let blob = r.oid()?;
            let p = *table.get(u32::from_le_bytes(r.array()?) as usize)?;
            pairs.push((blob, p.into()));
        }
        commits.insert(id, Introduced { time, pairs });
    }
    r.is_empty().then_some(commits)
}

/// Write `bytes` to `path` atomically, its directory made when missing.
fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    crate::cache::write_file(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> KeyInputs<'static> {
        KeyInputs {
            versions: &[("secrets", 2)],
            rules: vec![("shipped".into(), "sha256:1".into())],
            accepted: None,
            max_content_bytes: 1 << 20,
            binary_sniff_bytes: 8192,
            inline: true,
        }
    }

    /// What the detectors read changes the key; what they do not leaves it.
    #[test]
    fn the_key_follows_the_detectors_versions_and_rules_only() {
        let base = key(&inputs());
        let same = [
            KeyInputs {
                versions: &[("secrets", 2), ("pii", 7), ("annex3", 3), ("decide", 9)],
                ..inputs()
            },
            inputs(),
        ];
        for k in &same {
            assert_eq!(key(k), base, "{k:?}");
        }
        let changed = [
            KeyInputs {
                versions: &[("secrets", 3)],
                ..inputs()
            },
            KeyInputs {
                versions: &[("secrets", 2), ("accept", 2)],
                ..inputs()
            },
            KeyInputs {
                versions: &[("secrets", 2), ("facts", 2)],
                ..inputs()
            },
            KeyInputs {
                rules: vec![("shipped".into(), "sha256:2".into())],
                ..inputs()
            },
            KeyInputs {
                rules: vec![
                    ("shipped".into(), "sha256:1".into()),
                    (
                        ".tiergate/rules/secrets/formats.yaml".into(),
                        "sha256:3".into(),
                    ),
                ],
                ..inputs()
            },
            KeyInputs {
                accepted: Some("sha256:4"),
                ..inputs()
            },
            KeyInputs {
                max_content_bytes: 4096,
                ..inputs()
            },
            KeyInputs {
                binary_sniff_bytes: 1,
                ..inputs()
            },
            KeyInputs {
                inline: false,
                ..inputs()
            },
        ];
        for k in &changed {
            assert_ne!(key(k), base, "{k:?}");
        }
        // The versions the manifest records hold the steps the cache depends on.
        crate::cache::assert_versioned(STEPS);
    }

    fn sample(key: [u8; 32]) -> Cache {
        let mut c = Cache::empty(key);
        let blob = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        c.insert(blob, b"a/b.env", Scanned::default());
        c.insert(
            blob,
            b"c.py",
            Scanned {
                size: 120,
                binary: true,
                signals: vec![Hit {
                    id: "secret.stripe_key".into(),
                    confidence: Confidence::High,
                    count: 2,
                    line: 7,
                    group: 42,
                }],
            },
        );
        c
    }

    #[test]
    fn a_cache_reads_back_what_was_written_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x").join(FILE_NAME);
        let k = key(&inputs());
        let c = sample(k);
        c.save(&path).unwrap();
        let back = Cache::load(&path, &k);
        assert_eq!(back.entries, c.entries);
        assert!(!back.changed, "nothing to write after a read");
        // Another key: nothing of it is used.
        let other = key(&KeyInputs {
            versions: &[("secrets", 3)],
            ..inputs()
        });
        assert!(Cache::load(&path, &other).is_empty());
    }

    #[test]
    fn a_truncated_or_altered_cache_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let k = key(&inputs());
        sample(k).save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(Cache::load(&path, &k).is_empty(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(Cache::load(&path, &k).is_empty());
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(Cache::load(&path, &k).len(), 2);
    }

    #[test]
    fn what_commits_introduced_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(COMMITS_FILE_NAME);
        let id = |s: &str| Oid::from_str(s).unwrap();
        let mut c = Introductions::default();
        let blob = id("0123456789abcdef0123456789abcdef01234567");
        c.insert(
            id("1111111111111111111111111111111111111111"),
            Introduced {
                time: 1_767_225_600,
                pairs: vec![(blob, (*b"a/b.env").into()), (blob, (*b"c").into())],
            },
        );
        c.insert(
            id("2222222222222222222222222222222222222222"),
            Introduced {
                time: -5,
                pairs: vec![(blob, (*b"c").into())],
            },
        );
        c.insert(
            id("3333333333333333333333333333333333333333"),
            Introduced::default(),
        );
        c.save(&path).unwrap();
        let back = Introductions::load(&path);
        assert_eq!(back.commits, c.commits);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(Introductions::load(&path).is_empty());
    }

    #[test]
    fn the_cache_file_is_the_same_whatever_the_insertion_order() {
        let k = key(&inputs());
        let a = sample(k).serialize();
        let mut c = Cache::empty(k);
        let mut entries: Vec<_> = sample(k).entries.into_iter().collect();
        entries.reverse();
        for (key, v) in entries {
            c.entries.insert(key, v);
        }
        assert_eq!(a, c.serialize());
    }
}
