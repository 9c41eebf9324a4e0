//! The walk: every file under the repository root, in parallel (`ignore` with its
//! filters off, so tracked, untracked and gitignored files are all seen; `.git` is
//! skipped), each turned into [`Facts`] plus the bytes read for detectors. Git state
//! comes from git2: the index says what is tracked, `is_path_ignored` separates
//! ignored from untracked. Symlinks are recorded, never followed. Each file is read
//! once, up to the content limit, into a per-thread buffer.
//! Must not import decide, manifest or render.

mod blob;
pub mod changeset;
mod git;
mod lang;

pub use blob::{MODE_GITLINK, MODE_SYMLINK, facts_from_blob};
pub use git::GitRepo;
pub use lang::language_for;

use std::io::Read;
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
        let git = GitRepo::discover(&root)?.map(Arc::new);
        Ok(Repo { root, git })
    }

    pub fn head(&self) -> Option<&str> {
        self.git.as_ref().and_then(|g| g.head())
    }
}

fn canonical_dir(dir: &Path) -> anyhow::Result<PathBuf> {
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
}

/// Walk the repository in parallel. `make_visitor` is called once per worker thread;
/// each visitor receives the entries of its thread. Order is not deterministic: the
/// caller collects into an ordered map.
pub fn walk<F, V>(repo: &Repo, opts: &WalkOptions, make_visitor: F)
where
    F: Fn() -> V + Sync,
    V: FnMut(Entry<'_>) + Send,
{
    let root = repo.root.clone();
    let skip: Arc<Vec<PathBuf>> = Arc::new(opts.skip.iter().map(|s| root.join(s)).collect());
    let mut builder = WalkBuilder::new(&root);
    builder
        .standard_filters(false)
        .follow_links(false)
        .same_file_system(false)
        .threads(opts.threads)
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            if skip.iter().any(|s| s == e.path()) {
                return false;
            }
            true
        });
    let walker = builder.build_parallel();
    let worker = Worker {
        root: &root,
        opts,
        git: repo.git.as_deref(),
    };
    walker.run(|| {
        let mut visit = make_visitor();
        let mut state = ThreadState {
            buf: Vec::new(),
            git: worker.git.map(|g| g.thread_handle()),
        };
        let worker = &worker;
        Box::new(move |result| {
            let dent = match result {
                Ok(d) => d,
                Err(err) => {
                    // An entry the walker could not list (permission denied on a
                    // directory, say) is still recorded, at tier 1, when it has a path.
                    if let Some(facts) = worker.error_facts(&err) {
                        visit(Entry {
                            facts,
                            content: &[],
                        });
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
                    });
                    WalkState::Continue
                }
                // Submodule contents belong to another repository: record the gitlink,
                // do not descend.
                Visit::Submodule(facts) => {
                    visit(Entry {
                        facts,
                        content: &[],
                    });
                    WalkState::Skip
                }
            }
        })
    });
}

/// Facts and content of one repo-relative path, read the way the walk reads it (for
/// `explain`). Directories that are not submodules give None.
pub fn read_one(repo: &Repo, opts: &WalkOptions, rel: &str) -> Option<(Facts, Vec<u8>)> {
    let abs = repo.root.join(rel);
    let relp = rel_path(&repo.root, &abs)?;
    let ft = std::fs::symlink_metadata(&abs).ok()?.file_type();
    let worker = Worker {
        root: &repo.root,
        opts,
        git: repo.git.as_deref(),
    };
    let mut state = ThreadState {
        buf: Vec::new(),
        git: worker.git.map(|g| g.thread_handle()),
    };
    match worker.visit_path(&abs, relp, ft, &mut state) {
        Visit::File(f) | Visit::Submodule(f) => Some((f, state.buf)),
        Visit::Skip => None,
    }
}

struct Worker<'a> {
    root: &'a Path,
    opts: &'a WalkOptions,
    git: Option<&'a GitRepo>,
}

struct ThreadState {
    buf: Vec<u8>,
    git: Option<git::ThreadGit>,
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
    use std::os::unix::ffi::OsStrExt;
    let rel = path.strip_prefix(root).ok()?;
    let raw = rel.as_os_str().as_bytes().to_vec();
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

/// Non-UTF-8 bytes become `\xNN` so the name stays unique and readable in JSON.
fn escape_non_utf8(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
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
        match read_regular(abs, self.opts.max_content_bytes, &mut state.buf) {
            Ok(Some(size)) => {
                facts.size = size;
                facts.size_class = size_class(size, self.opts.max_content_bytes);
                let sniff = state.buf.len().min(self.opts.binary_sniff_bytes as usize);
                if memchr::memchr(0, &state.buf[..sniff]).is_some() {
                    // Kept: schema readers (Parquet footers) look at binary bytes; text
                    // detectors skip them.
                    facts.kind = FileKind::Binary;
                } else {
                    facts.content_scanned = true;
                }
            }
            Ok(None) => {
                // Replaced by something else since it was listed; never read it.
                state.buf.clear();
                facts.kind = FileKind::Special;
            }
            Err(e) => {
                state.buf.clear();
                facts.kind = FileKind::Unreadable;
                facts.error = Some(format!("cannot read: {e}"));
            }
        }
        Visit::File(facts)
    }

    fn git_state(&self, raw: &[u8], state: &mut ThreadState) -> GitState {
        match (self.git, state.git.as_mut()) {
            (Some(g), Some(tg)) => {
                if g.is_tracked(raw) {
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

    fn error_facts(&self, err: &ignore::Error) -> Option<Facts> {
        let (path, msg) = error_path(err)?;
        let rel = rel_path(self.root, &path)?;
        if rel.display.is_empty() {
            return None;
        }
        let git_state = match self.git {
            Some(g) if g.is_tracked(&rel.raw) => GitState::Tracked,
            Some(_) => GitState::Untracked,
            None => GitState::NoRepo,
        };
        let mut facts = base_facts(rel, FileKind::Unreadable, 0, git_state);
        facts.error = Some(format!("cannot list: {msg}"));
        Some(facts)
    }
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

/// Open a file listed as regular and read its head. `O_NOFOLLOW | O_NONBLOCK` keep a
/// file swapped for a symlink or a FIFO since the listing from being followed or from
/// blocking the scan; the size comes from the open descriptor (no second path lookup).
/// Ok(None) when it is no longer a regular file.
fn read_regular(path: &Path, limit: u64, buf: &mut Vec<u8>) -> std::io::Result<Option<u64>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Ok(None);
    }
    file.take(limit).read_to_end(buf)?;
    Ok(Some(meta.len()))
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
    }

    #[test]
    fn paths_are_nfc() {
        let root = Path::new("/r");
        // "e" + combining acute accent becomes the precomposed character.
        let p = rel_path(root, Path::new("/r/cafe\u{301}.txt")).unwrap();
        assert_eq!(p.display, "caf\u{e9}.txt");
    }
}
