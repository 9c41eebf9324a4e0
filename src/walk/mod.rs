//! The walk: every file under the repository root, in parallel (`ignore` with its
//! filters off, so tracked, untracked and gitignored files are all seen; `.git` is
//! skipped), each turned into [`Facts`] plus the bytes read for detectors. Git state
//! comes from git2: the index says what is tracked, `is_path_ignored` separates
//! ignored from untracked. Symlinks are recorded, never followed. Each file is read
//! once, up to the content limit, into a per-thread buffer.
//! Must not import decide, manifest or render.

pub mod attrs;
mod blob;
pub mod changeset;
mod git;
mod lang;
pub mod lfs;

pub use blob::{MODE_GITLINK, MODE_SYMLINK, facts_from_blob, facts_from_head, with_blob};
pub use git::GitRepo;
pub use lang::language_for;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::{WalkBuilder, WalkState};
use unicode_normalization::UnicodeNormalization;

use crate::model::{Facts, FileKind, GitState, SizeClass};

/// The error recorded for a path that is not valid UTF-8.
pub const NON_UTF8_MESSAGE: &str = "path is not valid UTF-8";

/// Files below this size are `small`.
const SMALL_FILE_BYTES: u64 = 64 * 1024;

/// The repository being scanned: its root and, when it is a git work tree, git state.
pub struct Repo {
    pub root: PathBuf,
    pub git: Option<Arc<GitRepo>>,
}

impl Repo {
    /// The default scan root for a working directory: the top of the git work tree
    /// containing it, or the directory itself outside git.
    pub fn default_root(cwd: &Path) -> anyhow::Result<PathBuf> {
        let cwd = canonical_dir(cwd)?;
        Ok(GitRepo::workdir_of(&cwd)?.unwrap_or(cwd))
    }

    /// Open a scan root. Paths are relative to `root`; git state comes from the work tree
    /// containing it, if any (so a subdirectory of a repository can be scanned alone).
    pub fn open(root: &Path) -> anyhow::Result<Repo> {
        let root = canonical_dir(root)?;
        // The walk records what it cannot list below the root, but the root itself has
        // no path to record: an unlistable root would be an empty manifest.
        std::fs::read_dir(&root)
            .map_err(|e| anyhow::anyhow!("{}: cannot list the directory: {e}", root.display()))?;
        let git = GitRepo::discover(&root)?.map(Arc::new);
        Ok(Repo { root, git })
    }

    pub fn head(&self) -> Option<&str> {
        self.git.as_ref().and_then(|g| g.head())
    }
}

pub fn canonical_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let c = dir
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    if !c.is_dir() {
        anyhow::bail!("{}: not a directory", dir.display());
    }
    Ok(c)
}

/// Walk settings.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Worker threads; 0 picks the number of cores.
    pub threads: usize,
    /// Repo-relative paths never walked (the manifest being written, so it never
    /// classifies itself).
    pub skip: Vec<String>,
    pub max_content_bytes: u64,
    pub binary_sniff_bytes: u64,
}

/// One walked file: its facts (zones and signals still empty) and the bytes read.
pub struct Entry<'a> {
    pub facts: Facts,
    /// The head of the file up to the content limit (binary files included); empty when
    /// not read.
    pub content: &'a [u8],
    /// What follows the head, for a file larger than the content limit.
    pub tail: Option<Tail>,
    /// For a regular file read whole and as it is (no LFS object, no filter, no
    /// error): what names the bytes read, taken after the read.
    pub identity: Option<Identity>,
    /// When the [`Probe`] knew the file: its answer. The file was not read (`content`
    /// empty, no tail); its facts hold its size.
    pub known: Option<u32>,
}

/// What names a regular file's content without reading it, as git tells a file
/// unchanged: its stamp (size, times to the nanosecond, inode), and the blob id git's
/// index gives it when its stamp is the one the index recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub stamp: crate::platform::FileStamp,
    pub blob: Option<[u8; 20]>,
}

/// What a walk may already know of files, so that it does not read them again (the
/// scan's cache of the detectors' results). Asked about each regular file before it is
/// opened.
pub trait Probe: Sync {
    /// Where something is known of the file at `raw` (its bytes relative to the scan
    /// root), if anything is: the walk then takes its stamp and asks [`Probe::holds`].
    /// `near` is the walk thread's own, kept from its last lookup.
    fn find(&self, raw: &[u8], near: &mut Near) -> Option<u32>;
    /// What is known of the file as it is now, from what [`Probe::find`] gave, if
    /// anything: the answer the walk's entry carries.
    fn holds(&self, at: u32, identity: &Identity) -> Option<u32>;
}

/// A walk thread's last directory among paths sorted by their bytes, and the run of
/// the paths under it (None before the first lookup): the files of a directory are
/// visited one after the other, and found by a binary search within its run, among
/// records already in the processor's caches, instead of one lookup each in the whole
/// list.
#[derive(Debug, Default)]
pub struct Near {
    dir: Vec<u8>,
    range: Option<(u32, u32)>,
}

impl Near {
    /// Where `p` is among the `n` sorted paths `get` gives: the first of those equal to
    /// it, if any.
    pub fn find<'a>(&mut self, n: u32, get: impl Fn(u32) -> &'a [u8], p: &[u8]) -> Option<u32> {
        let dir = &p[..p.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1)];
        let (lo, hi) = match self.range {
            Some(range) if self.dir == dir => range,
            _ => {
                // Paths under `dir` (its prefix) form one run of the sorted paths.
                let lo = git::partition_point(0, n, |i| get(i) < dir);
                let hi = git::partition_point(lo, n, |i| get(i).starts_with(dir));
                self.dir.clear();
                self.dir.extend_from_slice(dir);
                self.range = Some((lo, hi));
                (lo, hi)
            }
        };
        let at = git::partition_point(lo, hi, |i| get(i) < p);
        (at < hi && get(at) == p).then_some(at)
    }
}

/// A probe that knows nothing: every file is read.
pub struct NoProbe;

impl Probe for NoProbe {
    fn find(&self, _: &[u8], _: &mut Near) -> Option<u32> {
        None
    }

    fn holds(&self, _: u32, _: &Identity) -> Option<u32> {
        None
    }
}

/// Walk the repository in parallel. `make_visitor` is called once per worker thread;
/// each visitor receives the entries of its thread. Order is not deterministic: the
/// caller collects into an ordered map.
pub fn walk<F, V>(repo: &Repo, opts: &WalkOptions, make_visitor: F)
where
    F: Fn() -> V + Sync,
    V: FnMut(Entry<'_>) + Send,
{
    walk_probed(repo, opts, &NoProbe, make_visitor)
}

/// [`walk`], with a regular file that `probe` knows as it is now left unread: its
/// entry comes with the probe's answer and no content.
pub fn walk_probed<F, V>(repo: &Repo, opts: &WalkOptions, probe: &dyn Probe, make_visitor: F)
where
    F: Fn() -> V + Sync,
    V: FnMut(Entry<'_>) + Send,
{
    let root = repo.root.clone();
    // Compared by bytes with the walk's paths (the root joined with plain names), which
    // `components` normalizes these to.
    let skip: Arc<Vec<PathBuf>> = Arc::new(
        opts.skip
            .iter()
            .map(|s| root.join(s).components().collect())
            .collect(),
    );
    let mut builder = WalkBuilder::new(&root);
    builder
        .standard_filters(false)
        .follow_links(false)
        .same_file_system(false)
        .threads(opts.threads)
        .filter_entry(move |e| {
            // By bytes: `file_name` and `Path` equality parse components, per entry.
            let p = e.path().as_os_str().as_encoded_bytes();
            if p == b".git" || p.ends_with(b"/.git") {
                return false;
            }
            if skip.iter().any(|s| s.as_os_str().as_encoded_bytes() == p) {
                return false;
            }
            true
        });
    let walker = builder.build_parallel();
    let worker = Worker {
        root: &root,
        opts,
        git: repo.git.as_deref(),
        tracked: std::sync::OnceLock::new(),
        probe,
    };
    walker.run(|| {
        let mut visit = make_visitor();
        let mut state = ThreadState::new(worker.git);
        let worker = &worker;
        Box::new(move |result| {
            let dent = match result {
                Ok(d) => d,
                Err(err) => {
                    // An entry the walker could not list (permission denied on a
                    // directory, say) is still recorded, at tier 1, when it has a path,
                    // and so is every path git tracks under it.
                    for facts in worker.error_facts(&err, &mut state) {
                        visit(Entry::unread(facts));
                    }
                    return WalkState::Continue;
                }
            };
            if dent.depth() == 0 {
                return WalkState::Continue;
            }
            match worker.entry(&dent, &mut state) {
                Visit::Skip => WalkState::Continue,
                Visit::File(facts) => {
                    visit(Entry {
                        facts,
                        content: &state.buf,
                        tail: state.tail.take(),
                        identity: state.identity.take(),
                        known: state.known.take(),
                    });
                    WalkState::Continue
                }
                // Submodule contents belong to another repository: record the gitlink,
                // do not descend.
                Visit::Submodule(facts) => {
                    visit(Entry::unread(facts));
                    WalkState::Skip
                }
            }
        })
    });
}

/// Facts, content and tail of one repo-relative path, read the way the walk reads it
/// (for `explain`). Directories that are not submodules give None.
pub fn read_one(
    repo: &Repo,
    opts: &WalkOptions,
    rel: &str,
) -> Option<(Facts, Vec<u8>, Option<Tail>)> {
    let abs = repo.root.join(rel);
    let relp = rel_path(&repo.root, &abs)?;
    let ft = std::fs::symlink_metadata(&abs).ok()?.file_type();
    let worker = Worker {
        root: &repo.root,
        opts,
        git: repo.git.as_deref(),
        tracked: std::sync::OnceLock::new(),
        probe: &NoProbe,
    };
    let mut state = ThreadState::new(worker.git);
    match worker.visit_path(&abs, relp, ft, &mut state) {
        Visit::File(f) | Visit::Submodule(f) => Some((f, state.buf, state.tail)),
        Visit::Skip => None,
    }
}

impl Entry<'_> {
    /// An entry whose content is not read (a submodule, a path that cannot be listed).
    fn unread(facts: Facts) -> Entry<'static> {
        Entry {
            facts,
            content: &[],
            tail: None,
            identity: None,
            known: None,
        }
    }
}

struct Worker<'a> {
    root: &'a Path,
    opts: &'a WalkOptions,
    git: Option<&'a GitRepo>,
    /// The index's paths relative to the scan root, sorted; gathered only when a
    /// directory cannot be listed.
    tracked: std::sync::OnceLock<Vec<Vec<u8>>>,
    probe: &'a dyn Probe,
}

struct ThreadState {
    buf: Vec<u8>,
    git: Option<git::ThreadGit>,
    dir: DirCache,
    /// The file just read, when it goes on past the content limit.
    tail: Option<Tail>,
    /// What names the file just read, when it was read whole and as it is.
    identity: Option<Identity>,
    /// The probe's answer for the file just visited, when it knew it.
    known: Option<u32>,
    /// The place among the index's paths of the file just visited, when tracked.
    place: Option<u32>,
    /// Where the probe's last lookup was.
    near: Near,
}

impl ThreadState {
    fn new(git: Option<&GitRepo>) -> ThreadState {
        ThreadState {
            buf: Vec::new(),
            git: git.map(|g| g.thread_handle()),
            dir: DirCache::default(),
            tail: None,
            identity: None,
            known: None,
            place: None,
            near: Near::default(),
        }
    }
}

/// The rest of a file larger than the content limit, after the head the walk read:
/// read on from there, once and in order, by the secret detectors (which see the whole
/// file). A file that ends before the size it had when its head was read changed
/// meanwhile: an error, as for its head; one that grew is read to its end. A hole of a
/// sparse file (zero bytes the disk does not hold) is not read: it is handed over as
/// [`HOLE_ZEROS`] zero bytes at most, which no detector tells from more.
pub struct Tail {
    file: std::fs::File,
    /// Bytes of the file read so far (the head's included).
    at: u64,
    size: u64,
    /// Zero bytes still to hand over for a hole skipped.
    zeros: usize,
    /// For an LFS object: the SHA-256 of what was read so far and the one its pointer
    /// names, compared at the end.
    check: Option<Box<(sha2::Sha256, String)>>,
}

/// Zero bytes that stand for a hole of a sparse file: more than any detector's context
/// (a secret holds no zero byte, and every pattern around it is decided within this).
const HOLE_ZEROS: usize = 64 << 10;

impl Tail {
    /// Skip a hole at the current offset: where the next data is, by `SEEK_DATA`.
    /// Nothing happens where the file system cannot say.
    fn skip_hole(&mut self) -> std::io::Result<()> {
        use std::io::{Seek, SeekFrom};
        let next = match crate::platform::next_data(&self.file, self.at) {
            crate::platform::NextData::At(data) => data,
            crate::platform::NextData::None => {
                // No data from here on: a hole up to the end, or the end itself (a file
                // cut short, which the read then reports).
                let now = crate::platform::stat(&self.file)?.size;
                if now < self.size {
                    (&self.file).seek(SeekFrom::Start(self.at))?;
                    return Ok(());
                }
                now.max(self.at)
            }
            crate::platform::NextData::Unknown => self.at,
        };
        if next > self.at {
            self.zeros = usize::try_from(next - self.at).map_or(HOLE_ZEROS, |h| h.min(HOLE_ZEROS));
            self.at = next;
        }
        // Back where the reading is: asking for the data may have moved the offset.
        (&self.file).seek(SeekFrom::Start(self.at))?;
        Ok(())
    }
}

impl std::io::Read for Tail {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if let Some(check) = self.check.as_mut() {
            // Every byte is hashed: no hole is skipped.
            let n = std::io::Read::read(&mut self.file, buf)?;
            self.at += n as u64;
            if n > 0 {
                sha2::Digest::update(&mut check.0, &buf[..n]);
                return Ok(n);
            }
            if self.at != self.size {
                return Err(std::io::Error::other(format!(
                    "changed while being read: ended at {} bytes of {}",
                    self.at, self.size
                )));
            }
            let check = self.check.take().expect("checked above");
            lfs::verify(*check)?;
            return Ok(0);
        }
        if self.zeros == 0 {
            self.skip_hole()?;
        }
        if self.zeros > 0 {
            let n = self.zeros.min(buf.len());
            buf[..n].fill(0);
            self.zeros -= n;
            return Ok(n);
        }
        let n = std::io::Read::read(&mut self.file, buf)?;
        self.at += n as u64;
        if n == 0 && !buf.is_empty() && self.at < self.size {
            return Err(std::io::Error::other(format!(
                "changed while being read: ended at {} bytes of {}",
                self.at, self.size
            )));
        }
        Ok(n)
    }
}

/// The directory a thread last opened a file in, held open: a walk thread lists one
/// directory and visits its entries in a row, so each file is opened relative to it
/// and the kernel resolves one name instead of the whole path.
#[derive(Default)]
struct DirCache {
    open: Option<(Vec<u8>, crate::platform::Dir)>,
    /// The file name with its terminating NUL, reused.
    name: Vec<u8>,
}

impl DirCache {
    /// Open `path` (a regular file listed by the walk) for reading without following a
    /// final symlink or blocking: relative to its directory when that can be opened,
    /// else by its whole path.
    fn open(&mut self, path: &Path) -> std::io::Result<std::fs::File> {
        match self.name_in_dir(path) {
            Some((dir, name)) => dir.open_file(name),
            None => open_nofollow(path),
        }
    }

    /// The record of `path` (a file listed by the walk), without following a final
    /// symlink: relative to its directory, opened as for [`DirCache::open`]. An error
    /// when the directory cannot be opened so.
    fn stat(&mut self, path: &Path) -> std::io::Result<crate::platform::Stat> {
        match self.name_in_dir(path) {
            Some((dir, name)) => dir.stat_at(name),
            None => Err(std::io::Error::other("not opened by its directory")),
        }
    }

    /// `path`'s directory, held open, and its name there with a NUL; None when it
    /// cannot be opened by its directory.
    fn name_in_dir(&mut self, path: &Path) -> Option<(&crate::platform::Dir, &std::ffi::CStr)> {
        // Split by bytes (`Path::parent` parses components): the walk's paths are
        // absolute, the root joined with plain names.
        let bytes = path.as_os_str().as_encoded_bytes();
        let slash = bytes.iter().rposition(|&b| b == b'/')?;
        let (parent, name) = (&bytes[..slash], &bytes[slash + 1..]);
        if parent.is_empty() || name.is_empty() {
            return None;
        }
        if self.open.as_ref().is_none_or(|(p, _)| p[..] != *parent) {
            self.open = None;
            let dir = crate::platform::Dir::open(parent)?;
            self.open = Some((parent.to_vec(), dir));
        }
        let (_, dir) = self.open.as_ref()?;
        self.name.clear();
        self.name.extend_from_slice(name);
        self.name.push(0);
        let cname = std::ffi::CStr::from_bytes_with_nul(&self.name).ok()?;
        Some((dir, cname))
    }
}

fn open_nofollow(path: &Path) -> std::io::Result<std::fs::File> {
    crate::platform::open_nofollow(path)
}

enum Visit {
    Skip,
    File(Facts),
    Submodule(Facts),
}

/// A repo-relative path: the normalized display form and the raw bytes git knows it by.
pub struct RelPath {
    pub display: String,
    pub raw: Vec<u8>,
    pub utf8: bool,
}

/// Turn an absolute path under `root` into a repo-relative, `/`-separated, NFC path.
pub fn rel_path(root: &Path, path: &Path) -> Option<RelPath> {
    // The walk's paths are `root` joined with plain names: cut the bytes of `root` and
    // one `/` off the front, without parsing components (the general way below).
    let (r, p) = (
        root.as_os_str().as_encoded_bytes(),
        path.as_os_str().as_encoded_bytes(),
    );
    let fast = p
        .strip_prefix(r)
        .and_then(|rest| rest.strip_prefix(b"/"))
        .filter(|rest| {
            !r.is_empty()
                && !r.ends_with(b"/")
                && !rest.is_empty()
                && !rest.starts_with(b"/")
                && !rest.ends_with(b"/")
                && memchr::memmem::find(rest, b"//").is_none()
                && !rest.split(|&b| b == b'/').any(|c| c == b"." || c == b"..")
        });
    let rel = match fast {
        Some(rest) => crate::platform::os_path(rest),
        None => std::borrow::Cow::Borrowed(path.strip_prefix(root).ok()?),
    };
    let raw = rel.as_os_str().as_encoded_bytes().to_vec();
    match rel.to_str() {
        Some(s) => Some(RelPath {
            display: nfc(s),
            raw,
            utf8: true,
        }),
        None => Some(RelPath {
            display: escape_non_utf8(&raw),
            raw,
            utf8: false,
        }),
    }
}

/// `s` in Unicode normalization form C. ASCII (nearly every path) is already NFC and
/// is copied as it is.
pub fn nfc(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// The display form of a path that is not UTF-8, component by component: a UTF-8
/// component in NFC as in any other path (so a directory is shown one way whatever it
/// holds), and in a component that is not UTF-8, each such byte as `\xNN` and each
/// backslash as `\x5C`: every backslash of such a component starts an escape, so its
/// raw bytes can be read back from it ([`crate::export`] does, to exclude the real
/// file). A UTF-8 name spelled like the result is another name with the same path (a
/// twin, see [`crate::decide::merge_twins`]).
fn escape_non_utf8(raw: &[u8]) -> String {
    let mut out = String::new();
    for (i, component) in raw.split(|&b| b == b'/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match std::str::from_utf8(component) {
            Ok(s) => out.push_str(&nfc(s)),
            Err(_) => escape_component(component, &mut out),
        }
    }
    out
}

fn escape_component(raw: &[u8], out: &mut String) {
    for chunk in raw.utf8_chunks() {
        for piece in chunk.valid().split_inclusive('\\') {
            match piece.strip_suffix('\\') {
                Some(head) => {
                    out.push_str(head);
                    out.push_str("\\x5C");
                }
                None => out.push_str(piece),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
}

impl Worker<'_> {
    fn entry(&self, dent: &ignore::DirEntry, state: &mut ThreadState) -> Visit {
        let Some(rel) = rel_path(self.root, dent.path()) else {
            return Visit::Skip;
        };
        let Some(ft) = dent.file_type() else {
            return Visit::Skip;
        };
        self.visit_path(dent.path(), rel, ft, state)
    }

    fn visit_path(
        &self,
        abs: &Path,
        rel: RelPath,
        ft: std::fs::FileType,
        state: &mut ThreadState,
    ) -> Visit {
        state.buf.clear();
        state.tail = None;
        state.identity = None;
        state.known = None;
        state.place = None;
        if ft.is_dir() {
            if self.git.is_some_and(|g| g.is_submodule(&rel.raw)) {
                return Visit::Submodule(base_facts(
                    rel,
                    FileKind::Submodule,
                    0,
                    GitState::Tracked,
                ));
            }
            return Visit::Skip;
        }
        let git_state = self.git_state(&rel.raw, state);
        if ft.is_symlink() {
            let mut facts = base_facts(rel, FileKind::Symlink, 0, git_state);
            match std::fs::read_link(abs) {
                Ok(t) => {
                    facts.size = t.as_os_str().len() as u64;
                    facts.link_target = Some(t.to_string_lossy().into_owned());
                }
                Err(e) => facts.error = Some(format!("cannot read link: {e}")),
            }
            return Visit::File(facts);
        }
        if !ft.is_file() {
            // FIFOs, sockets and devices are never opened: opening a FIFO blocks.
            return Visit::File(base_facts(rel, FileKind::Special, 0, git_state));
        }
        let mut facts = base_facts(rel, FileKind::Text, 0, git_state);
        // A filter other than LFS: git stores what it makes of the file, which the gate
        // cannot read back, so the work tree's content is not read either.
        if let Some(driver) = self.git.and_then(|g| g.filter_of(rel_raw(&facts))) {
            return Visit::File(attrs::filtered_facts(facts, driver));
        }
        // Known as it is now: not read.
        if let Some(at) = self.probe.find(rel_raw(&facts), &mut state.near)
            && let Ok(st) = state.dir.stat(abs)
            && st.kind == crate::platform::Kind::File
            && let Some(known) = self.probe.holds(at, &self.identity(&st.stamp, state.place))
        {
            facts.size = st.size;
            facts.size_class = size_class(st.size, self.opts.max_content_bytes);
            state.known = Some(known);
            return Visit::File(facts);
        }
        let opened = open_listed(abs, |p| state.dir.open(p));
        let mut kept = None;
        let mut stamp = None;
        match opened.and_then(|o| match o {
            Some(file) => {
                let head = read_head_stamped(
                    &file,
                    self.opts.max_content_bytes,
                    &mut state.buf,
                    || {},
                    &mut stamp,
                );
                kept = Some(file);
                head
            }
            None => Ok(Head::Replaced("a symbolic link")),
        }) {
            Ok(Head::Read(size)) => {
                // A git LFS pointer: the content is the object it names.
                if size < lfs::POINTER_MAX as u64
                    && let Some(pointer) = lfs::parse_pointer(&state.buf)
                {
                    let (facts, tail) = lfs::object_facts(
                        self.git.map(|g| g.lfs_store()),
                        &pointer,
                        facts,
                        self.opts.max_content_bytes,
                        self.opts.binary_sniff_bytes,
                        &mut state.buf,
                    );
                    state.tail = tail;
                    return Visit::File(facts);
                }
                facts.size = size;
                facts.size_class = size_class(size, self.opts.max_content_bytes);
                state.identity = stamp.map(|s| self.identity(&s, state.place));
                if size > self.opts.max_content_bytes
                    && let Some(file) = kept
                {
                    // Read on from the head's end by whoever scans the content.
                    state.tail = Some(Tail {
                        file,
                        at: state.buf.len() as u64,
                        size,
                        zeros: 0,
                        check: None,
                    });
                }
                let sniff = state.buf.len().min(self.opts.binary_sniff_bytes as usize);
                if memchr::memchr(0, &state.buf[..sniff]).is_some() {
                    // Kept: schema readers (Parquet footers) look at binary bytes; text
                    // detectors skip them.
                    facts.kind = FileKind::Binary;
                } else {
                    facts.content_scanned = true;
                }
            }
            Ok(Head::Replaced(what)) => {
                // Replaced by something else since it was listed: whatever a read of it
                // gave is dropped. What the listed file held is unknown.
                state.buf.clear();
                facts.kind = FileKind::Unreadable;
                facts.error = Some(format!(
                    "changed during the scan: listed as a regular file, now {what}"
                ));
            }
            Ok(Head::Changed(msg)) => {
                // The bytes read are no one version of the file.
                state.buf.clear();
                facts.kind = FileKind::Unreadable;
                facts.error = Some(msg);
            }
            Err(e) => {
                state.buf.clear();
                facts.kind = FileKind::Unreadable;
                facts.error = Some(format!("cannot read: {e}"));
            }
        }
        Visit::File(facts)
    }

    /// A file's identity from its stamp and its place among the index's paths.
    fn identity(&self, stamp: &crate::platform::FileStamp, place: Option<u32>) -> Identity {
        Identity {
            stamp: *stamp,
            blob: place.and_then(|p| self.git?.index_blob(p, stamp)),
        }
    }

    fn git_state(&self, raw: &[u8], state: &mut ThreadState) -> GitState {
        match (self.git, state.git.as_mut()) {
            (Some(g), Some(tg)) => {
                state.place = g.tracked_near(raw, &mut tg.near);
                if state.place.is_some() {
                    GitState::Tracked
                } else if tg.is_ignored(raw) {
                    GitState::Ignored
                } else {
                    GitState::Untracked
                }
            }
            _ => GitState::NoRepo,
        }
    }

    /// What the walk records for an entry it could not list: the entry itself, and,
    /// when it is a directory, every path git tracks under it (their content is unknown:
    /// tier 1, never absent from the manifest). Nothing for the root, which
    /// [`Repo::open`] checks.
    fn error_facts(&self, err: &ignore::Error, state: &mut ThreadState) -> Vec<Facts> {
        let Some((path, msg)) = error_path(err) else {
            return Vec::new();
        };
        let Some(rel) = rel_path(self.root, &path) else {
            return Vec::new();
        };
        if rel.display.is_empty() {
            return Vec::new();
        }
        let mut dir_prefix = rel.raw.clone();
        dir_prefix.push(b'/');
        let display = rel.display.clone();
        let git_state = self.git_state(&rel.raw, state);
        let mut facts = base_facts(rel, FileKind::Unreadable, 0, git_state);
        facts.error = Some(format!("cannot list: {msg}"));
        let mut out = vec![facts];
        if let Some(g) = self.git {
            let tracked = self.tracked.get_or_init(|| g.tracked_under_root());
            let start = tracked.partition_point(|p| p[..] < dir_prefix[..]);
            for raw in tracked[start..]
                .iter()
                .take_while(|p| p.starts_with(&dir_prefix))
            {
                let Some(rel) = rel_path(self.root, &self.root.join(os_path(raw))) else {
                    continue;
                };
                let mut f = base_facts(rel, FileKind::Unreadable, 0, GitState::Tracked);
                if f.error.is_none() {
                    f.error = Some(format!("cannot list `{display}`: {msg}"));
                }
                out.push(f);
            }
        }
        out
    }
}

/// A path's bytes as stored, from its facts.
fn rel_raw(facts: &Facts) -> &[u8] {
    facts.raw_name.as_deref().unwrap_or(facts.path.as_bytes())
}

fn os_path(raw: &[u8]) -> std::borrow::Cow<'_, Path> {
    crate::platform::os_path(raw)
}

fn error_path(err: &ignore::Error) -> Option<(PathBuf, String)> {
    match err {
        ignore::Error::WithPath { path, err } => Some((path.clone(), err.to_string())),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some((child.clone(), "filesystem loop".into())),
        _ => None,
    }
}

/// What reading a file listed as regular found.
#[derive(Debug, PartialEq, Eq)]
enum Head {
    /// Its head is in the buffer; the file's size.
    Read(u64),
    /// It is no longer a regular file: what it is now ("a directory").
    Replaced(&'static str),
    /// Fewer or more bytes came than its size after the read says: it changed while
    /// it was read, and the bytes read are no one version of it.
    Changed(String),
}

/// Open a file listed as regular with `open`, which must not follow a final symlink
/// and must not wait (`O_NOFOLLOW | O_NONBLOCK`): a file swapped for a symlink since
/// the listing is not followed, and one swapped for a FIFO does not block the scan.
/// None when it is now a symlink.
fn open_listed(
    path: &Path,
    open: impl FnOnce(&Path) -> std::io::Result<std::fs::File>,
) -> std::io::Result<Option<std::fs::File>> {
    match open(path) {
        Ok(f) => Ok(Some(f)),
        // The open refuses a final symlink.
        Err(e) if crate::platform::is_symlink_refusal(&e) => {
            match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => Ok(None),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// The first read of a file asks for this much (or the buffer's capacity, if larger);
/// a read that fills it is followed by larger ones, up to the limit.
const FIRST_READ: usize = 64 << 10;

/// Read up to `limit` bytes of an open file listed as regular, then check with one
/// `fstat` that it is still a regular file and that the bytes read are its head at
/// that moment: all of it when it holds at most `limit` bytes, else `limit` bytes. A
/// file that grew or shrank while it was read is seen, and its bytes are not used;
/// one changed before the read began is read as it is then. (A rewrite in place that
/// keeps the size, during the read, is not seen: nothing short of reading twice would.)
///
/// A read that returns less than asked ends the reading (one call for most files);
/// when the size after it says there is more, the reading goes on. `between` runs
/// between the reads and the `fstat` (a change for tests to make there).
fn read_head(
    file: &std::fs::File,
    limit: u64,
    buf: &mut Vec<u8>,
    between: impl FnMut(),
) -> std::io::Result<Head> {
    read_head_stamped(file, limit, buf, between, &mut None)
}

/// [`read_head`], with the file's stamp from the `fstat` after the read put in `stamp`
/// when the head was read.
fn read_head_stamped(
    file: &std::fs::File,
    limit: u64,
    buf: &mut Vec<u8>,
    mut between: impl FnMut(),
    stamp: &mut Option<crate::platform::FileStamp>,
) -> std::io::Result<Head> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    buf.clear();
    let mut ask = buf.capacity().max(FIRST_READ).min(limit);
    let mut ended = false;
    let mut failed = None;
    loop {
        while buf.len() < limit && !ended && failed.is_none() {
            if buf.len() == ask {
                ask = ask.saturating_mul(2).min(limit);
            }
            let asked = ask - buf.len();
            let n = match crate::platform::read_append(file, buf, asked) {
                Ok(n) => n,
                Err(e) => {
                    if e.kind() != std::io::ErrorKind::Interrupted {
                        failed = Some(e);
                    }
                    continue;
                }
            };
            // A regular file's read returns less than asked only at its end.
            if n < asked {
                ended = n == 0;
                break;
            }
        }
        between();
        let after = crate::platform::stat(file)?;
        if after.kind != crate::platform::Kind::File {
            // What a FIFO or a device gave (or refused) is not the listed file's.
            return Ok(Head::Replaced(after.kind.name()));
        }
        if let Some(e) = failed {
            return Err(e);
        }
        let whole = usize::try_from(after.size).unwrap_or(usize::MAX).min(limit);
        if buf.len() == whole {
            *stamp = Some(after.stamp);
            return Ok(Head::Read(after.size));
        }
        // Short of its size: a read that stopped early goes on; one that met the end
        // saw a file that grew behind it.
        if buf.len() < whole && !ended {
            continue;
        }
        return Ok(Head::Changed(format!(
            "changed while being read: {} bytes read, {} bytes after",
            buf.len(),
            after.size
        )));
    }
}

fn size_class(size: u64, limit: u64) -> SizeClass {
    if size == 0 {
        SizeClass::Empty
    } else if size > limit {
        SizeClass::Large
    } else if size < SMALL_FILE_BYTES {
        SizeClass::Small
    } else {
        SizeClass::Medium
    }
}

/// `rel` (`/`-separated) read from the repository directory `dir`, as a repo-relative
/// path: `.` and `..` resolved by their names, as a link or an import is; None when it
/// leaves the repository.
pub fn join_relative(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Facts known from the path alone; the walk fills in the rest.
pub fn base_facts(rel: RelPath, kind: FileKind, size: u64, git: GitState) -> Facts {
    let extension = extension_of(&rel.display);
    let language = extension
        .as_deref()
        .and_then(|e| language_for(e, &rel.display));
    let error = if rel.utf8 {
        None
    } else {
        Some(NON_UTF8_MESSAGE.to_string())
    };
    // Most names are stored as they are displayed: nothing more to keep.
    let raw_name = (rel.raw != rel.display.as_bytes()).then_some(rel.raw);
    Facts {
        size_class: if size == 0 {
            SizeClass::Empty
        } else {
            SizeClass::Small
        },
        path: rel.display,
        kind,
        size,
        extension,
        language: language.map(str::to_string),
        git,
        zones: Vec::new(),
        content_scanned: false,
        signals: Vec::new(),
        link_target: None,
        error,
        raw_name,
        filtered: None,
        accepted: Vec::new(),
        imports: Vec::new(),
    }
}

/// Lower-cased extension of the file name, if any (`.env` has none; `a.tar.gz` is `gz`).
pub fn extension_of(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let dot = name.rfind('.')?;
    if dot == 0 || dot + 1 == name.len() {
        return None;
    }
    Some(name[dot + 1..].to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_lookups_find_what_a_search_of_the_whole_list_finds() {
        let mut paths: Vec<&[u8]> = vec![
            b"a", b"a/b", b"a/b", b"a/b.c", b"a/b/c", b"a/b/d", b"a/ba", b"a0", b"b", b"b/a",
            b"b/a/x", b"b/b", b"c",
        ];
        paths.sort();
        let queries: Vec<&[u8]> = vec![
            b"a/b", b"a/ba", b"a/b/d", b"a/b/c", b"a/b/e", b"a/a", b"b/a", b"c", b"a", b"b/b",
            b"a/b.c", b"0", b"d", b"b/a/x", b"a0", b"a/b", b"a/", b"b/c",
        ];
        let mut near = Near::default();
        for q in queries.iter().chain(queries.iter().rev()) {
            let want = paths.iter().position(|p| p == q).map(|i| i as u32);
            assert_eq!(
                near.find(paths.len() as u32, |i| paths[i as usize], q),
                want,
                "{q:?}"
            );
            let mut fresh = Near::default();
            assert_eq!(
                fresh.find(paths.len() as u32, |i| paths[i as usize], q),
                want
            );
        }
        assert_eq!(Near::default().find(0, |_| unreachable!(), b"a"), None);
    }

    #[test]
    fn relative_paths_by_bytes_equal_those_by_components() {
        let cases = [
            ("/r", "/r/a/b.txt"),
            ("/r", "/r/a"),
            ("/r", "/r"),
            ("/r", "/r/"),
            ("/r", "/rx/a"),
            ("/r", "/r//a"),
            ("/r", "/r/./a"),
            ("/r", "/r/a/../b"),
            ("/r", "/r/a/"),
            ("/r/", "/r/a"),
            ("/", "/a/b"),
            ("/r", "/s/a"),
            ("/r/s", "/r/s/.hidden/x"),
        ];
        for (root, path) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            let got = rel_path(root, path).map(|r| (r.display, r.raw));
            let want = path.strip_prefix(root).ok().map(|r| {
                let s = r.to_str().unwrap().to_string();
                (s.clone(), s.into_bytes())
            });
            assert_eq!(got, want, "{root:?} {path:?}");
        }
    }

    #[test]
    fn extension_rules() {
        assert_eq!(extension_of("a/b.PY").as_deref(), Some("py"));
        assert_eq!(extension_of("a/.env"), None);
        assert_eq!(extension_of("a/b."), None);
        assert_eq!(extension_of("x.tar.gz").as_deref(), Some("gz"));
        assert_eq!(extension_of("dir.d/file"), None);
    }

    #[test]
    fn size_classes() {
        assert_eq!(size_class(0, 100), SizeClass::Empty);
        assert_eq!(size_class(10, 100), SizeClass::Small);
        assert_eq!(size_class(101, 100), SizeClass::Large);
        assert_eq!(size_class(70_000, 1 << 20), SizeClass::Medium);
    }

    #[test]
    fn non_utf8_names_are_escaped_uniquely() {
        assert_eq!(escape_non_utf8(b"a\xffb"), "a\\xFFb");
        assert_ne!(escape_non_utf8(b"a\xfe"), escape_non_utf8(b"a\xff"));
        // A backslash of such a name is escaped too, so a literal `\xFF` is not 0xFF.
        assert_eq!(escape_non_utf8(b"a\\\xff"), "a\\x5C\\xFF");
        assert_ne!(
            escape_non_utf8(b"a\\xFF\xfe"),
            escape_non_utf8(b"a\xff\xfe")
        );
        // Component by component: a UTF-8 directory is shown as in any other path.
        assert_eq!(escape_non_utf8(b"\\/a\\\xff"), "\\/a\\x5C\\xFF");
        assert_eq!(
            escape_non_utf8(b"cafe\xcc\x81/\xc3\xa9\\\xff"),
            "caf\u{e9}/\u{e9}\\x5C\\xFF"
        );
        // Two different byte strings never share a form: the form reads back exactly.
        for raw in [
            &b"\xff"[..],
            b"\xc3\x28",
            b"\xe2\x82",
            b"\xf0\x9f\x98",
            b"x\\x41\xff",
            b"\\\\\xfe\\",
            b"caf\xc3\xa9\xff",
            b"\\/\xe2\x82\xf0\x9f\x98b.txt",
            b"a\\x41/b\\/\xff\\",
        ] {
            let form = escape_non_utf8(raw);
            assert_eq!(
                crate::export::gitignore::raw_of_display(&form).as_deref(),
                Some(raw),
                "{form}"
            );
        }
    }

    fn opts() -> WalkOptions {
        WalkOptions {
            threads: 1,
            skip: Vec::new(),
            max_content_bytes: 1 << 20,
            binary_sniff_bytes: 8000,
        }
    }

    /// Visit `rel` under `root` as the walk does, with the file type the listing saw
    /// (`listed`), whatever the path is now.
    fn visit_listed(
        root: &Path,
        git: Option<&GitRepo>,
        rel: &str,
        listed: std::fs::FileType,
    ) -> (Facts, Vec<u8>) {
        let opts = opts();
        let worker = Worker {
            root,
            opts: &opts,
            git,
            tracked: std::sync::OnceLock::new(),
            probe: &NoProbe,
        };
        let mut state = ThreadState::new(git);
        let abs = root.join(rel);
        let relp = rel_path(root, &abs).unwrap();
        match worker.visit_path(&abs, relp, listed, &mut state) {
            Visit::File(f) => (f, state.buf),
            _ => panic!("{rel} was not recorded as a file"),
        }
    }

    /// The type a listing reports for a regular file.
    fn regular_type(dir: &Path) -> std::fs::FileType {
        let p = dir.join(".probe");
        std::fs::write(&p, b"x").unwrap();
        let ft = std::fs::symlink_metadata(&p).unwrap().file_type();
        std::fs::remove_file(p).unwrap();
        ft
    }

    fn assert_unknown(facts: &Facts, content: &[u8], needle: &str) {
        assert_eq!(facts.kind, FileKind::Unreadable, "{facts:?}");
        let err = facts.error.as_deref().unwrap_or_default();
        assert!(err.contains(needle), "{needle:?} not in {err:?}");
        assert!(!facts.content_scanned);
        assert!(content.is_empty(), "nothing of it is handed on");
    }

    #[test]
    fn a_file_deleted_after_listing_is_recorded_with_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let listed = regular_type(dir.path());
        std::fs::write(dir.path().join("gone.txt"), b"x\n").unwrap();
        std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
        let (facts, content) = visit_listed(dir.path(), None, "gone.txt", listed);
        assert_unknown(&facts, &content, "cannot read: No such file");
        assert_eq!(facts.path, "gone.txt");
    }

    #[test]
    fn a_file_replaced_by_a_directory_is_not_read_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let listed = regular_type(dir.path());
        std::fs::create_dir(dir.path().join("was-file")).unwrap();
        std::fs::write(dir.path().join("was-file/inner.env"), b"TOKEN=1\n").unwrap();
        let (facts, content) = visit_listed(dir.path(), None, "was-file", listed);
        assert_unknown(
            &facts,
            &content,
            "listed as a regular file, now a directory",
        );
    }

    #[test]
    fn a_file_replaced_by_a_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let listed = regular_type(dir.path());
        std::fs::write(dir.path().join("secret.txt"), b"the secret\n").unwrap();
        std::os::unix::fs::symlink("secret.txt", dir.path().join("swapped")).unwrap();
        let (facts, content) = visit_listed(dir.path(), None, "swapped", listed);
        assert_unknown(&facts, &content, "now a symbolic link");
        assert!(facts.link_target.is_none());
    }

    #[test]
    fn a_file_replaced_by_a_fifo_is_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let listed = regular_type(dir.path());
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening a FIFO without O_NONBLOCK would wait for a writer forever: the
        // channel's timeout turns a hang into a failure.
        let root = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(visit_listed(&root, None, "pipe", listed));
        });
        let (facts, content) = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("reading a FIFO listed as a file hung");
        assert_unknown(&facts, &content, "now a FIFO");
    }

    #[test]
    fn a_file_truncated_or_grown_before_it_is_opened_is_read_as_it_is_then() {
        let dir = tempfile::tempdir().unwrap();
        let listed = regular_type(dir.path());
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "a".repeat(5000)).unwrap();
        // Listed at 5,000 bytes, empty when read: one consistent (empty) file.
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        let (facts, content) = visit_listed(dir.path(), None, "f.txt", listed);
        assert_eq!((facts.kind, facts.size), (FileKind::Text, 0));
        assert!(facts.error.is_none() && content.is_empty());
        std::fs::write(&p, "b".repeat(7000)).unwrap();
        let (facts, content) = visit_listed(dir.path(), None, "f.txt", listed);
        assert_eq!((facts.kind, facts.size), (FileKind::Text, 7000));
        assert_eq!(content.len(), 7000);
        assert!(facts.content_scanned && facts.error.is_none());
    }

    /// Open `p` as the walk does and read its head, with `change` acting on the file
    /// through another handle after the reads and before the size is taken, once.
    fn read_with_change(p: &Path, limit: u64, change: impl FnOnce(&Path)) -> (Head, Vec<u8>) {
        let file = open_listed(p, open_nofollow)
            .unwrap()
            .expect("not a symlink");
        let mut buf = Vec::new();
        let mut change = Some(change);
        let head = read_head(&file, limit, &mut buf, || {
            if let Some(c) = change.take() {
                c(p)
            }
        })
        .unwrap();
        (head, buf)
    }

    fn append(p: &Path, bytes: &[u8]) {
        use std::io::Write;
        std::fs::File::options()
            .append(true)
            .open(p)
            .unwrap()
            .write_all(bytes)
            .unwrap();
    }

    fn truncate(p: &Path, len: u64) {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_len(len)
            .unwrap()
    }

    #[test]
    fn a_file_truncated_while_read_is_a_change_not_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        let reset = || std::fs::write(&p, "a".repeat(5000)).unwrap();
        reset();
        let (head, bytes) = read_with_change(&p, 1 << 20, |_| {});
        assert_eq!((head, bytes.len()), (Head::Read(5000), 5000));
        let (head, _) = read_with_change(&p, 1 << 20, |p| truncate(p, 10));
        let Head::Changed(msg) = head else {
            panic!("a truncation was not seen: {head:?}");
        };
        assert!(msg.contains("5000 bytes read, 10 bytes after"), "{msg}");
        // Over the content limit, a head that is still there is the file's head.
        reset();
        let (head, bytes) = read_with_change(&p, 100, |p| truncate(p, 4000));
        assert_eq!((head, bytes.len()), (Head::Read(4000), 100));
        reset();
        let (head, _) = read_with_change(&p, 100, |p| truncate(p, 50));
        assert!(matches!(head, Head::Changed(_)), "{head:?}");
    }

    #[test]
    fn a_file_grown_while_read_is_read_on_to_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "a".repeat(5000)).unwrap();
        // The size after the read says there is more: read on, and take it all.
        let (head, bytes) = read_with_change(&p, 1 << 20, |p| append(p, b"more"));
        assert_eq!(head, Head::Read(5004));
        assert!(bytes.ends_with(b"amore") && bytes.len() == 5004);
        // Beyond the limit: the first `limit` bytes, whatever the size.
        let (head, bytes) = read_with_change(&p, 5006, |p| append(p, b"again"));
        assert_eq!((head, bytes.len()), (Head::Read(5009), 5006));
        // Larger than the first read: read in growing steps up to the limit.
        let big = "x".repeat(3 * FIRST_READ + 5);
        std::fs::write(&p, &big).unwrap();
        let (head, bytes) = read_with_change(&p, 1 << 20, |_| {});
        assert_eq!(head, Head::Read(big.len() as u64));
        assert!(bytes == big.as_bytes());
        let (head, bytes) = read_with_change(&p, 2 * FIRST_READ as u64 + 1, |_| {});
        assert_eq!(
            (head, bytes.len()),
            (Head::Read(big.len() as u64), 2 * FIRST_READ + 1)
        );
    }

    /// A file over the limit hands the visitor its head and a tail that reads on from
    /// the head's end; a file cut short meanwhile is an error, not a shorter file.
    #[test]
    fn a_file_over_the_limit_is_read_on_by_its_tail() {
        let dir = tempfile::tempdir().unwrap();
        let listed = regular_type(dir.path());
        let body: Vec<u8> = (0..(3 << 20) as u32)
            .map(|i| b'a' + (i % 26) as u8)
            .collect();
        std::fs::write(dir.path().join("big.txt"), &body).unwrap();
        let opts = WalkOptions {
            max_content_bytes: 1000,
            ..opts()
        };
        let worker = Worker {
            root: dir.path(),
            opts: &opts,
            git: None,
            tracked: std::sync::OnceLock::new(),
            probe: &NoProbe,
        };
        let mut state = ThreadState::new(None);
        let visit = |state: &mut ThreadState| {
            let abs = dir.path().join("big.txt");
            let rel = rel_path(dir.path(), &abs).unwrap();
            match worker.visit_path(&abs, rel, listed, state) {
                Visit::File(f) => f,
                _ => panic!("not a file"),
            }
        };
        let facts = visit(&mut state);
        assert_eq!((facts.size, facts.size_class), (3 << 20, SizeClass::Large));
        assert_eq!(state.buf.len(), 1000);
        let mut all = state.buf.clone();
        let mut tail = state.tail.take().expect("a tail");
        std::io::Read::read_to_end(&mut tail, &mut all).unwrap();
        assert!(all == body);
        // Cut short after the head was read: the tail says so.
        visit(&mut state);
        let mut tail = state.tail.take().expect("a tail");
        truncate(&dir.path().join("big.txt"), 5000);
        let err = std::io::Read::read_to_end(&mut tail, &mut Vec::new()).unwrap_err();
        assert!(
            err.to_string().contains("changed while being read"),
            "{err}"
        );
        // A sparse file: its holes are not read, its data is, wherever it lies.
        let sparse = dir.path().join("big.txt");
        {
            use std::io::{Seek, Write};
            let mut f = std::fs::File::create(&sparse).unwrap();
            f.write_all(b"head").unwrap();
            f.seek(std::io::SeekFrom::Start(3 << 30)).unwrap();
            f.write_all(b"middle").unwrap();
            f.set_len(6 << 30).unwrap();
        }
        let started = std::time::Instant::now();
        let facts = visit(&mut state);
        assert_eq!(facts.size, 6 << 30);
        let mut tail = state.tail.take().expect("a tail");
        let (mut total, mut nonzero) = (state.buf.len() as u64, Vec::<u8>::new());
        let mut chunk = vec![0u8; 1 << 20];
        loop {
            let n = std::io::Read::read(&mut tail, &mut chunk).unwrap();
            if n == 0 {
                break;
            }
            total += n as u64;
            nonzero.extend(chunk[..n].iter().copied().filter(|&b| b != 0));
        }
        assert_eq!(nonzero, b"middle");
        // A read from data goes on into the hole after it (up to what is asked): a few
        // megabytes handed over, not six gigabytes.
        assert!(
            total < 8 << 20,
            "{total} bytes handed over for 10 bytes of data"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        // A file within the limit has no tail.
        std::fs::write(dir.path().join("big.txt"), b"small").unwrap();
        visit(&mut state);
        assert!(state.tail.is_none());
    }

    fn git(dir: &Path, args: &[&str]) {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A directory the walker cannot list (permission denied; deleted or replaced
    /// since it was listed) is recorded itself, and every path git tracks under it is
    /// recorded at tier 1: they never drop out of a manifest of tracked files.
    #[test]
    fn an_unlistable_directory_records_itself_and_its_tracked_paths() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        git(p, &["init", "-q", "-b", "main"]);
        for f in [
            "sub/locked/a.txt",
            "sub/locked/deep/b.env",
            "sub/locked-not/c.txt",
            "sub/ok.txt",
        ] {
            std::fs::create_dir_all(p.join(f).parent().unwrap()).unwrap();
            std::fs::write(p.join(f), b"x\n").unwrap();
        }
        git(p, &["add", "-A"]);
        // Scanned from a subdirectory: paths are relative to it.
        let repo = Repo::open(&p.join("sub")).unwrap();
        let opts = opts();
        let worker = Worker {
            root: &repo.root,
            opts: &opts,
            git: repo.git.as_deref(),
            tracked: std::sync::OnceLock::new(),
            probe: &NoProbe,
        };
        let mut state = ThreadState::new(worker.git);
        for io in [
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ] {
            let err = ignore::Error::WithPath {
                path: repo.root.join("locked"),
                err: Box::new(ignore::Error::Io(io)),
            };
            let facts = worker.error_facts(&err, &mut state);
            let got: Vec<(&str, FileKind, GitState)> = facts
                .iter()
                .map(|f| (f.path.as_str(), f.kind, f.git))
                .collect();
            assert_eq!(
                got,
                [
                    ("locked", FileKind::Unreadable, GitState::Untracked),
                    ("locked/a.txt", FileKind::Unreadable, GitState::Tracked),
                    ("locked/deep/b.env", FileKind::Unreadable, GitState::Tracked),
                ]
            );
            assert!(
                facts[0]
                    .error
                    .as_deref()
                    .unwrap()
                    .starts_with("cannot list: ")
            );
            assert!(
                facts[1]
                    .error
                    .as_deref()
                    .unwrap()
                    .starts_with("cannot list `locked`: "),
                "{:?}",
                facts[1].error
            );
        }
        // Outside git the directory alone stands for what it holds.
        let plain = tempfile::tempdir().unwrap();
        let repo = Repo::open(plain.path()).unwrap();
        let worker = Worker {
            root: &repo.root,
            opts: &opts,
            git: None,
            tracked: std::sync::OnceLock::new(),
            probe: &NoProbe,
        };
        let err = ignore::Error::WithPath {
            path: repo.root.join("x"),
            err: Box::new(ignore::Error::Io(
                std::io::ErrorKind::PermissionDenied.into(),
            )),
        };
        let facts = worker.error_facts(&err, &mut ThreadState::new(None));
        assert_eq!(facts.len(), 1);
        assert_eq!(
            (facts[0].path.as_str(), facts[0].git),
            ("x", GitState::NoRepo)
        );
        // The root has no path to record; Repo::open refuses a root it cannot list.
        let err = ignore::Error::WithPath {
            path: repo.root.clone(),
            err: Box::new(ignore::Error::Io(
                std::io::ErrorKind::PermissionDenied.into(),
            )),
        };
        assert!(
            worker
                .error_facts(&err, &mut ThreadState::new(None))
                .is_empty()
        );
    }

    #[test]
    fn paths_are_nfc() {
        let root = Path::new("/r");
        // "e" + combining acute accent becomes the precomposed character.
        let p = rel_path(root, Path::new("/r/cafe\u{301}.txt")).unwrap();
        assert_eq!(p.display, "caf\u{e9}.txt");
    }
}
