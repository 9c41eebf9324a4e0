//! What the detectors said of each file of a work tree, kept between scans in
//! `<git common dir>/tiergate/scan.cache`, so that a rescan reads only what changed.
//!
//! What is kept is the detectors' output, not a decision: a file's kind, whether its
//! content was scanned, its signals and its accepted hits. Decisions are made again on
//! every scan (Rego is memoized by fact set), because they depend on the path, the
//! config, the policies and the file's component, which other files change.
//!
//! Each record is found by the file's path and holds what names the content it was
//! made from, decided as git decides whether a file changed:
//!
//! - a tracked file whose stamp (times to the nanosecond, size, inode) is the one the
//!   index recorded, and whose index entry is not racy, has the content of the blob the
//!   index names: the record keeps that blob id (with the file's size), and holds for
//!   any later file at that path whose index entry names the same blob, after a branch
//!   switch too;
//! - any file has its stamp: size, modification and change times to the nanosecond,
//!   inode. A record keeps it only when both times are older than the start of the scan
//!   that made it (on the file system's own clock): a file changed in the instant the
//!   scan started could hold other bytes with the same times (git's "racy" entries).
//!   No program can set a change time, so a rewrite that puts the times back is seen.
//!
//! Files whose content is not what the work tree holds or could not be read whole (LFS
//! objects, filtered files, read errors, names that are not UTF-8) are never kept: they
//! are read on every scan. The whole file holds a key over everything the detectors
//! read besides a file's bytes and path ([`key`]); a file with another key, truncated
//! or corrupt is ignored. Reading the cache costs one pass over it; the records are
//! decoded only for the files it knows.
//! Must not import app, decide, manifest or render.

use std::path::Path;

use crate::cache::{Reader, put_confidence, put_str8};
use crate::model::{AcceptedBy, AcceptedHit, Facts, FileKind, Signal, SizeClass};
use crate::platform::FileStamp;
use crate::walk::Identity;

const MAGIC: &[u8] = b"tiergate scan cache\n";
/// The version of the format and of what a record holds besides the detectors' results
/// (which [`key`] versions): bump when either changes.
const VERSION: u32 = 2;

/// The cache file's name in the state directory.
pub const FILE_NAME: &str = "scan.cache";

/// The steps of `provenance.decisions` whose results the cache holds: what is read of
/// a file, every detector family, and acceptance.
pub const STEPS: &[&str] = &[
    "facts", "secrets", "pii", "annex3", "media", "accept", "imports",
];

/// What the detectors' results depend on besides a file's bytes and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInputs<'a> {
    pub detectors: crate::cache::DetectorInputs<'a>,
    /// The config's custom detectors, in a canonical text form (where they are written
    /// left out).
    pub custom: String,
    /// What names the build of tiergate: its version and the executable's identity, so
    /// a rebuilt binary starts afresh.
    pub build: String,
}

/// The key of a scan cache: a SHA-256 over what its results depend on.
pub fn key(k: &KeyInputs<'_>) -> [u8; 32] {
    crate::cache::Key::new(MAGIC)
        .detectors(&k.detectors, STEPS)
        .part("custom", &k.custom)
        .part("build", &k.build)
        .finish()
}

/// A point on the file system's clock (the start of a scan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub dev: u64,
    pub sec: i64,
    pub nsec: i64,
}

/// A record's flags.
const HAS_BLOB: u8 = 1;
const HAS_STAMP: u8 = 2;

/// The cache as read: the file's bytes and where each record is, sorted by path.
pub struct Cache {
    bytes: Bytes,
    /// (start, length) of each record in `bytes`, in the file's order (by path).
    records: Vec<(u32, u32)>,
}

/// A cache file's bytes: mapped (read in up front, neither copied nor faulted in page by
/// page: the file is replaced by renaming, never rewritten in place, see
/// [`crate::platform::map_readonly`]), or in memory.
enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

impl Cache {
    pub fn empty() -> Cache {
        Cache {
            bytes: Bytes::Owned(Vec::new()),
            records: Vec::new(),
        }
    }

    /// The cache at `path` if it was written with `key`, else an empty one (no file,
    /// another key or version, truncated, corrupt: all the same).
    pub fn load(path: &Path, key: &[u8; 32]) -> Cache {
        let bytes = std::fs::File::open(path).ok().and_then(|file| {
            match crate::platform::map_readonly(&file) {
                Ok(map) => Some(Bytes::Mapped(map)),
                // Where it cannot be mapped, it is read.
                Err(_) => std::fs::read(path).ok().map(Bytes::Owned),
            }
        });
        bytes
            .and_then(|bytes| Cache::parse(bytes, key))
            .unwrap_or_else(Cache::empty)
    }

    fn parse(bytes: Bytes, key: &[u8; 32]) -> Option<Cache> {
        let (start, count) = {
            let mut r = crate::cache::open(&bytes, MAGIC, VERSION, Some(key))?;
            let count = r.u64()?;
            (bytes.len() - 32 - r.0.len(), count)
        };
        let end = bytes.len() - 32;
        let count = usize::try_from(count).ok()?;
        let mut records = Vec::with_capacity(count.min(end / 8));
        let mut at = start;
        while at < end {
            let len = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
            let rec = bytes.get(at + 4..at + 4 + len)?;
            if at + 4 + len > end {
                return None;
            }
            // Every record decodes: a hit never finds one that does not.
            let mut r = Reader(rec);
            Head::read(&mut r)?;
            Kept::check(&mut r)?;
            records.push((u32::try_from(at + 4).ok()?, len as u32));
            at += 4 + len;
        }
        if records.len() != count {
            return None;
        }
        let mut previous: Option<&[u8]> = None;
        let mut run = 0;
        for &span in &records {
            let path = record_path(&bytes, span);
            // Sorted by path, at most two records a path (see `Records::keep_earlier`).
            match previous.map(|p| p.cmp(path)) {
                Some(std::cmp::Ordering::Greater) => return None,
                Some(std::cmp::Ordering::Equal) => {
                    run += 1;
                    if run > 2 {
                        return None;
                    }
                    continue;
                }
                _ => run = 1,
            }
            previous = Some(path);
        }
        Some(Cache { bytes, records })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    fn record(&self, at: u32) -> &[u8] {
        let (s, l) = self.records[at as usize];
        &self.bytes[s as usize..(s + l) as usize]
    }

    /// The record of the file at `raw` (its path's bytes), if there is one: the first
    /// of its path.
    pub fn find(&self, raw: &[u8]) -> Option<u32> {
        self.find_near(raw, &mut crate::walk::Near::default())
    }

    /// [`Cache::find`], searching first where `near` (the walk thread's last lookup)
    /// says.
    pub fn find_near(&self, raw: &[u8], near: &mut crate::walk::Near) -> Option<u32> {
        if self.records.is_empty() {
            return None;
        }
        near.find(
            self.records.len() as u32,
            |i| record_path(&self.bytes, self.records[i as usize]),
            raw,
        )
    }

    /// The records of the path of record `at` (the first of its path, as
    /// [`Cache::find`] gives it): at most two, the current version and an earlier one
    /// named by its blob.
    fn same_path(&self, at: u32) -> impl Iterator<Item = u32> + '_ {
        let path = record_path(&self.bytes, self.records[at as usize]);
        (at..self.records.len() as u32)
            .take_while(move |&i| record_path(&self.bytes, self.records[i as usize]) == path)
    }

    /// The record, among those of the path of record `at`, made from the content of a
    /// file with this identity: the same blob by the index (and the same size), or the
    /// same stamp.
    pub fn holds(&self, at: u32, id: &Identity) -> Option<u32> {
        self.same_path(at).find(|&i| {
            let Some(head) = Head::read(&mut Reader(self.record(i))) else {
                return false;
            };
            if let (Some(blob), Some(kept)) = (id.blob, head.blob)
                && blob == kept
                && head.size == id.stamp.size
            {
                return true;
            }
            head.stamp.is_some_and(|s| s == StampKey::of(&id.stamp))
        })
    }

    /// The first record of the path of record `at`.
    fn first_of(&self, at: u32) -> u32 {
        let path = record_path(&self.bytes, self.records[at as usize]);
        if at > 0 && record_path(&self.bytes, self.records[at as usize - 1]) == path {
            at - 1
        } else {
            at
        }
    }

    /// The blob the record `at` names, if it names one.
    fn blob_of(&self, at: u32) -> Option<[u8; 20]> {
        Head::read(&mut Reader(self.record(at)))?.blob
    }

    /// The facts of record `at` put into `facts` (whose path, names and git state the
    /// walk gave): kind, whether the content was scanned, signals, accepted hits. False
    /// when the record cannot be decoded (the facts are then as they were).
    pub fn fill(&self, at: u32, facts: &mut Facts) -> bool {
        let mut r = Reader(self.record(at));
        let Some(kept) = Head::read(&mut r).and_then(|_| Kept::read(&mut r)) else {
            return false;
        };
        facts.kind = kept.kind;
        facts.size_class = kept.size_class;
        facts.content_scanned = kept.content_scanned;
        facts.signals = kept.signals;
        facts.accepted = kept.accepted;
        facts.imports = kept.imports;
        true
    }
}

/// The path of the record at `span` of `bytes`.
fn record_path(bytes: &[u8], (s, l): (u32, u32)) -> &[u8] {
    Reader(&bytes[s as usize..(s + l) as usize])
        .path()
        .unwrap_or_default()
}

impl crate::walk::Probe for Cache {
    fn find(&self, raw: &[u8], near: &mut crate::walk::Near) -> Option<u32> {
        Cache::find_near(self, raw, near)
    }

    fn holds(&self, at: u32, identity: &Identity) -> Option<u32> {
        Cache::holds(self, at, identity)
    }
}

/// The part of a stamp a record compares: the device is left out, as git leaves it
/// out (it changes with mounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StampKey {
    size: u64,
    mtime: i64,
    mtime_nsec: i64,
    ctime: i64,
    ctime_nsec: i64,
    ino: u64,
}

impl StampKey {
    fn of(s: &FileStamp) -> StampKey {
        StampKey {
            size: s.size,
            mtime: s.mtime,
            mtime_nsec: s.mtime_nsec,
            ctime: s.ctime,
            ctime_nsec: s.ctime_nsec,
            ino: s.ino,
        }
    }
}

/// A record's identity part.
struct Head {
    size: u64,
    blob: Option<[u8; 20]>,
    stamp: Option<StampKey>,
}

impl Head {
    fn read(r: &mut Reader<'_>) -> Option<Head> {
        r.path()?;
        let flags = r.byte()?;
        let size = r.u64()?;
        let blob = if flags & HAS_BLOB != 0 {
            Some(r.array::<20>()?)
        } else {
            None
        };
        let stamp = if flags & HAS_STAMP != 0 {
            Some(StampKey {
                size,
                mtime: r.i64()?,
                mtime_nsec: r.i64()?,
                ctime: r.i64()?,
                ctime_nsec: r.i64()?,
                ino: r.u64()?,
            })
        } else {
            None
        };
        Some(Head { size, blob, stamp })
    }
}

/// A record's detector part.
#[derive(Debug)]
struct Kept {
    kind: FileKind,
    size_class: SizeClass,
    content_scanned: bool,
    signals: Vec<Signal>,
    accepted: Vec<AcceptedHit>,
    imports: Vec<String>,
}

impl Kept {
    /// Whether [`Kept::read`] reads a record's detector part, without making it: the
    /// same checks, in the same order, and nothing allocated.
    fn check(r: &mut Reader<'_>) -> Option<()> {
        if r.byte()? > 1 || r.byte()? > 3 {
            return None;
        }
        r.byte()?;
        for _ in 0..r.u16()? {
            r.str8()?;
            r.str8()?;
            r.confidence()?;
            r.u32()?;
            r.u32()?;
        }
        for _ in 0..r.u16()? {
            r.str8()?;
            r.str8()?;
            r.confidence()?;
            r.u32()?;
            let len = usize::from(r.u16()?);
            std::str::from_utf8(r.take(len)?).ok()?;
            match r.byte()? {
                0 => {}
                1 => {
                    r.u32()?;
                }
                _ => return None,
            }
        }
        for _ in 0..r.u16()? {
            r.str8()?;
        }
        r.is_empty().then_some(())
    }

    /// Whether [`Kept::read`] reads a record's detector part as the detector part of
    /// `facts`: the same comparisons as of what it makes, without making it.
    fn reads_as(r: &mut Reader<'_>, facts: &Facts) -> bool {
        Kept::compare(r, facts).is_some()
    }

    /// The record's kind, size class and whether its content was scanned.
    fn shape(r: &mut Reader<'_>) -> Option<(FileKind, SizeClass, bool)> {
        let kind = match r.byte()? {
            0 => FileKind::Text,
            1 => FileKind::Binary,
            _ => return None,
        };
        let size_class = match r.byte()? {
            0 => SizeClass::Empty,
            1 => SizeClass::Small,
            2 => SizeClass::Medium,
            3 => SizeClass::Large,
            _ => return None,
        };
        Some((kind, size_class, r.byte()? != 0))
    }

    fn compare(r: &mut Reader<'_>, facts: &Facts) -> Option<()> {
        let (kind, size_class, content_scanned) = Kept::shape(r)?;
        let same = kind == facts.kind
            && size_class == facts.size_class
            && content_scanned == facts.content_scanned
            && usize::from(r.u16()?) == facts.signals.len();
        if !same {
            return None;
        }
        for s in &facts.signals {
            let same = r.str8()? == s.id
                && r.str8()? == s.category
                && r.confidence()? == s.confidence
                && r.u32()? == s.count
                && r.u32()? == s.line;
            if !same {
                return None;
            }
        }
        if usize::from(r.u16()?) != facts.accepted.len() {
            return None;
        }
        for a in &facts.accepted {
            let same = r.str8()? == a.signal
                && r.str8()? == a.category
                && r.confidence()? == a.confidence
                && r.u32()? == a.line;
            let len = usize::from(r.u16()?);
            let same = same && std::str::from_utf8(r.take(len)?).ok()? == a.fingerprint;
            let by = match r.byte()? {
                0 => AcceptedBy::Inline,
                1 => AcceptedBy::File { line: r.u32()? },
                _ => return None,
            };
            if !same || by != a.by {
                return None;
            }
        }
        if usize::from(r.u16()?) != facts.imports.len() {
            return None;
        }
        for i in &facts.imports {
            if r.str8()? != i {
                return None;
            }
        }
        r.is_empty().then_some(())
    }

    fn read(r: &mut Reader<'_>) -> Option<Kept> {
        let (kind, size_class, content_scanned) = Kept::shape(r)?;
        let n = r.u16()?;
        let mut signals = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            signals.push(Signal {
                id: r.str8()?.to_string(),
                category: r.str8()?.to_string(),
                confidence: r.confidence()?,
                count: r.u32()?,
                line: r.u32()?,
            });
        }
        let n = r.u16()?;
        let mut accepted = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let signal = r.str8()?.to_string();
            let category = r.str8()?.to_string();
            let confidence = r.confidence()?;
            let line = r.u32()?;
            let len = usize::from(r.u16()?);
            let fingerprint = std::str::from_utf8(r.take(len)?).ok()?.to_string();
            let by = match r.byte()? {
                0 => AcceptedBy::Inline,
                1 => AcceptedBy::File { line: r.u32()? },
                _ => return None,
            };
            accepted.push(AcceptedHit {
                signal,
                category,
                confidence,
                line,
                fingerprint,
                by,
            });
        }
        let n = r.u16()?;
        let mut imports = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            imports.push(r.str8()?.to_string());
        }
        r.is_empty().then_some(Kept {
            kind,
            size_class,
            content_scanned,
            signals,
            accepted,
            imports,
        })
    }
}

impl<'a> Reader<'a> {
    /// A record's path: its length in two bytes, then its bytes.
    fn path(&mut self) -> Option<&'a [u8]> {
        let n = usize::from(self.u16()?);
        self.take(n)
    }
}

/// The records one walk thread makes for the next cache: each one encoded at the end
/// of one buffer.
#[derive(Default)]
pub struct Records {
    buf: Vec<u8>,
    /// Each record: made here, or kept from the cache as it is there (not copied).
    spans: Vec<Span>,
    /// Records made from a file read (not copied from the cache).
    pub added: u64,
    /// Records copied from the cache.
    pub kept: u64,
    /// Files whose record held (not read).
    pub hits: u64,
}

/// Where a record of the next cache is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    /// (start, length) in the thread's buffer, length prefix included.
    New(usize, usize),
    /// A record of the cache read.
    Old(u32),
}

impl Cache {
    /// Record `at` with its length prefix, as the file holds it.
    fn framed(&self, at: u32) -> &[u8] {
        let (s, l) = self.records[at as usize];
        &self.bytes[s as usize - 4..(s + l) as usize]
    }
}

impl Records {
    /// Keep record `at` of `old` in the next cache.
    fn keep(&mut self, _old: &Cache, at: u32) {
        self.spans.push(Span::Old(at));
        self.kept += 1;
    }

    /// Keep record `at` of `old` (which holds for the file as it is now), and one
    /// earlier record of its path naming another blob (see [`Records::keep_earlier`]).
    pub fn keep_known(&mut self, old: &Cache, at: u32) {
        self.keep(old, at);
        self.hits += 1;
        if old.len() > at as usize + 1 || at > 0 {
            let first = old.first_of(at);
            self.keep_earlier(old, first, Some(at), old.blob_of(at));
        }
    }

    /// Keep, besides the file's current record (`current`, from `old`, or just made
    /// from a file read when None, naming `blob`), one earlier record of its path from
    /// `old` that names another blob: what a branch switched back to finds, unread.
    /// `first` is the first record of the path in `old`. A path keeps two records at
    /// most.
    pub fn keep_earlier(
        &mut self,
        old: &Cache,
        first: u32,
        current: Option<u32>,
        blob: Option<[u8; 20]>,
    ) {
        let earlier = old
            .same_path(first)
            .find(|&i| Some(i) != current && old.blob_of(i).is_some_and(|b| Some(b) != blob));
        if let Some(i) = earlier {
            self.keep(old, i);
        }
    }

    /// A record of what the detectors made of a file read whole, with `id` (its
    /// identity after the read), when it can be trusted next time: a file read as it
    /// is, without error, named by a blob of the index or by a stamp older than
    /// `started` (the scan's start, on the file system's clock). False when nothing is
    /// recorded.
    pub fn add(
        &mut self,
        raw: &[u8],
        id: &Identity,
        facts: &Facts,
        started: Option<Clock>,
    ) -> bool {
        let cacheable = matches!(facts.kind, FileKind::Text | FileKind::Binary)
            && facts.error.is_none()
            && facts.filtered.is_none()
            && facts.size == id.stamp.size
            && raw.len() <= usize::from(u16::MAX)
            && facts.signals.len() <= usize::from(u16::MAX)
            && facts.accepted.len() <= usize::from(u16::MAX)
            && facts.imports.len() <= usize::from(u16::MAX);
        if !cacheable {
            return false;
        }
        let s = &id.stamp;
        let trusted = crate::platform::STAMPS_IDENTIFY
            && started.is_some_and(|c| {
                c.dev == s.dev
                    && (s.mtime, s.mtime_nsec) < (c.sec, c.nsec)
                    && (s.ctime, s.ctime_nsec) < (c.sec, c.nsec)
            });
        if id.blob.is_none() && !trusted {
            return false;
        }
        let start = self.buf.len();
        let out = &mut self.buf;
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(raw.len() as u16).to_le_bytes());
        out.extend_from_slice(raw);
        let flags =
            if id.blob.is_some() { HAS_BLOB } else { 0 } | if trusted { HAS_STAMP } else { 0 };
        out.push(flags);
        out.extend_from_slice(&s.size.to_le_bytes());
        if let Some(blob) = &id.blob {
            out.extend_from_slice(blob);
        }
        if trusted {
            for v in [s.mtime, s.mtime_nsec, s.ctime, s.ctime_nsec] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&s.ino.to_le_bytes());
        }
        out.push(match facts.kind {
            FileKind::Binary => 1,
            _ => 0,
        });
        out.push(match facts.size_class {
            SizeClass::Empty => 0,
            SizeClass::Small => 1,
            SizeClass::Medium => 2,
            SizeClass::Large => 3,
        });
        out.push(u8::from(facts.content_scanned));
        out.extend_from_slice(&(facts.signals.len() as u16).to_le_bytes());
        for sig in &facts.signals {
            put_str8(out, &sig.id);
            put_str8(out, &sig.category);
            put_confidence(out, sig.confidence);
            out.extend_from_slice(&sig.count.to_le_bytes());
            out.extend_from_slice(&sig.line.to_le_bytes());
        }
        out.extend_from_slice(&(facts.accepted.len() as u16).to_le_bytes());
        for a in &facts.accepted {
            put_str8(out, &a.signal);
            put_str8(out, &a.category);
            put_confidence(out, a.confidence);
            out.extend_from_slice(&a.line.to_le_bytes());
            let fp = &a.fingerprint.as_bytes()[..a.fingerprint.len().min(usize::from(u16::MAX))];
            out.extend_from_slice(&(fp.len() as u16).to_le_bytes());
            out.extend_from_slice(fp);
            match a.by {
                AcceptedBy::Inline => out.push(0),
                AcceptedBy::File { line } => {
                    out.push(1);
                    out.extend_from_slice(&line.to_le_bytes());
                }
            }
        }
        out.extend_from_slice(&(facts.imports.len() as u16).to_le_bytes());
        for i in &facts.imports {
            put_str8(out, i);
        }
        let len = (out.len() - start - 4) as u32;
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
        // What was written must read back as the facts it stands for (an id longer
        // than its field is cut): otherwise it is not kept.
        let mut r = Reader(&out[start + 4..]);
        let same = Head::read(&mut r).is_some() && Kept::reads_as(&mut r, facts);
        if !same {
            out.truncate(start);
            return false;
        }
        self.spans.push(Span::New(start, out.len() - start));
        self.added += 1;
        true
    }

    /// A record's path and its bytes (length prefix included); kept ones from `old`.
    fn entry<'a>(&'a self, old: &'a Cache, span: Span) -> (&'a [u8], &'a [u8]) {
        let rec = match span {
            Span::New(s, l) => &self.buf[s..s + l],
            Span::Old(at) => old.framed(at),
        };
        (Reader(&rec[4..]).path().unwrap_or_default(), rec)
    }

    /// The paths of the records, each with its record (length prefix included).
    fn entries<'a>(&'a self, old: &'a Cache) -> impl Iterator<Item = (&'a [u8], &'a [u8])> {
        self.spans.iter().map(move |&span| self.entry(old, span))
    }

    /// Sort the records by path (and bytes): on the walk thread that made them, when
    /// its walk ends, so that [`save`] only merges. `old` is the cache read.
    pub fn sort(&mut self, old: &Cache) {
        // The records kept from `old` are in its order, by path: sorted by their place
        // there, they need no comparison of paths (a rescan of an unchanged tree keeps
        // every record). The records made here are sorted by path and merged in.
        // (`save` sorts again whatever this gives: this only spares it work.)
        let place = |s: &Span| match s {
            Span::Old(at) => *at,
            Span::New(..) => 0,
        };
        if self.spans.iter().all(|s| matches!(s, Span::Old(_))) {
            self.spans.sort_unstable_by_key(place);
            return;
        }
        let (mut olds, mut news): (Vec<Span>, Vec<Span>) =
            self.spans.iter().partition(|s| matches!(s, Span::Old(_)));
        olds.sort_unstable_by_key(place);
        news.sort_unstable_by(|a, b| self.entry(old, *a).cmp(&self.entry(old, *b)));
        let mut out = Vec::with_capacity(self.spans.len());
        let (mut i, mut j) = (0, 0);
        while i < olds.len() && j < news.len() {
            if self.entry(old, news[j]) < self.entry(old, olds[i]) {
                out.push(news[j]);
                j += 1;
            } else {
                out.push(olds[i]);
                i += 1;
            }
        }
        out.extend_from_slice(&olds[i..]);
        out.extend_from_slice(&news[j..]);
        self.spans = out;
    }
}

/// Write the next cache to `path` from the walk threads' records, sorted by path, when
/// it differs from `old`, the cache read (a record added, or one of `old`'s not kept). Streamed to the
/// file, unsynced: see [`crate::cache::write_sealed`].
pub fn save(path: &Path, key: &[u8; 32], old: &Cache, runs: &[Records]) -> anyhow::Result<bool> {
    let added: u64 = runs.iter().map(|r| r.added).sum();
    let kept: u64 = runs.iter().map(|r| r.kept).sum();
    if added == 0 && kept == old.len() as u64 && path.exists() {
        return Ok(false);
    }
    // Runs sorted on their threads: the stable sort merges them in linear time.
    let mut all: Vec<(&[u8], &[u8])> = runs.iter().flat_map(|r| r.entries(old)).collect();
    all.sort();
    all.dedup();
    // A walk visits each name once, and keeps two records of it at most: more (which
    // only a bug could make) would make the file unreadable. None of them is kept.
    let mut keep = vec![true; all.len()];
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        if j - i > 2 {
            keep[i..j].fill(false);
        }
        i = j;
    }
    let count = keep.iter().filter(|k| **k).count() as u64;
    crate::cache::write_sealed(path, |w| {
        let mut head = Vec::with_capacity(64);
        crate::cache::header(&mut head, MAGIC, VERSION);
        head.extend_from_slice(key);
        head.extend_from_slice(&count.to_le_bytes());
        w.write_all(&head)?;
        for ((_, rec), k) in all.iter().zip(&keep) {
            if *k {
                w.write_all(rec)?;
            }
        }
        Ok(())
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests;
