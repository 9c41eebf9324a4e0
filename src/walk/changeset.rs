//! Change sets: which paths a change adds, deletes, modifies or renames, with the blob
//! ids and modes of both sides. Two sources: the index against HEAD (`--staged`) and one
//! tree against another (a pull request). The index is read with gix-index, which skips
//! the checksum libgit2 verifies on every read (about 3 ms instead of 100 ms for a
//! 100,000-file index); the cache-tree extension then lets the comparison skip every
//! directory whose cached tree id equals HEAD's, as git itself does, so only the
//! ancestors of what was staged are visited. Trees and blobs come from git2.
//! Renames are paired the same way in both modes (see [`pair_renames`]).
//! Must not import decide, manifest, gate or render.

use std::collections::{BTreeMap, HashMap};

use git2::{ObjectType, Oid, Repository, Tree};

use super::escape_non_utf8;

const MODE_TREE: u32 = 0o040000;

/// One side of a changed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Display form: NFC, `/`-separated, non-UTF-8 bytes as `\xNN`.
    pub path: String,
    /// The path as git stores it.
    pub raw: Vec<u8>,
    pub id: Oid,
    /// git's file mode (0o100644, 0o100755, 0o120000 link, 0o160000 submodule).
    pub mode: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Deleted,
    /// Same path, other content or mode.
    Modified,
    /// Another path with the same or similar content; score 0-100.
    Renamed {
        score: u8,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub old: Option<Blob>,
    pub new: Option<Blob>,
}

/// What the index stages against HEAD.
pub struct StagedChanges {
    /// HEAD's commit; None in a repository without commits.
    pub head: Option<Oid>,
    pub changes: Vec<Change>,
    index: Option<gix_index::File>,
    index_mtime: Option<(u64, u32)>,
}

impl StagedChanges {
    /// Whether an open work-tree file (its metadata taken from the open handle) holds
    /// exactly what the index stages at `path` (display form), a regular file: its
    /// size, times and inode match the index entry, and it is not "racily clean"
    /// (modified in the same second the index was written), the test git itself uses
    /// before trusting a file. Made on the file that is then read.
    pub fn staged_file_is(&self, path: &str, opened: &std::fs::Metadata) -> bool {
        let Some(index) = self.index.as_ref() else {
            return false;
        };
        let Some(e) = index.entry_by_path(path.as_bytes().into()) else {
            return false;
        };
        is_regular(e.mode.bits()) && metadata_matches(opened, &e.stat, self.index_mtime)
    }
}

impl StagedChanges {
    /// Files the index holds (stage 0, intent-to-add left out) whose id (its bytes)
    /// and mode `keep` accepts, except at the paths in `skip` (display form). The
    /// directories of a sparse index are read from their trees. `keep` sees every
    /// entry: it should be cheap.
    pub fn index_files(
        &self,
        repo: &Repository,
        keep: &dyn Fn(&[u8], u32) -> bool,
        skip: &std::collections::HashSet<&str>,
    ) -> anyhow::Result<Vec<Blob>> {
        let Some(index) = self.index.as_ref() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for e in index.entries() {
            if e.stage_raw() != 0 || e.flags.contains(gix_index::entry::Flags::INTENT_TO_ADD) {
                continue;
            }
            let mode = e.mode.bits();
            if mode != MODE_TREE && !keep(e.id.as_bytes(), mode) {
                continue;
            }
            let id = Oid::from_bytes(e.id.as_bytes()).unwrap_or(Oid::ZERO_SHA1);
            let raw = e.path(index).to_vec();
            if mode == MODE_TREE {
                // A sparse-index directory: its files are in its tree.
                let tree = repo
                    .find_tree(id)
                    .map_err(|err| anyhow::anyhow!("{}: {}", display_of(&raw), err.message()))?;
                let mut prefix = raw;
                if !prefix.ends_with(b"/") {
                    prefix.push(b'/');
                }
                tree_files(repo, &tree, &prefix, &mut |b| {
                    if keep(b.id.as_bytes(), b.mode) && !skip.contains(b.path.as_str()) {
                        out.push(b);
                    }
                })?;
                continue;
            }
            let b = blob(raw, id, mode);
            if !skip.contains(b.path.as_str()) {
                out.push(b);
            }
        }
        Ok(out)
    }
}

/// Every file of a tree (regular files, links and submodules), in tree order.
pub fn files(repo: &Repository, tree: &Tree<'_>) -> anyhow::Result<Vec<Blob>> {
    let mut out = Vec::new();
    tree_files(repo, tree, b"", &mut |b| out.push(b))?;
    Ok(out)
}

fn metadata_matches(
    m: &std::fs::Metadata,
    stat: &gix_index::entry::Stat,
    index_mtime: Option<(u64, u32)>,
) -> bool {
    if !m.file_type().is_file() {
        return false;
    }
    let m = crate::platform::file_stamp(m);
    let same = m.size as u32 == stat.size
        && m.mtime as u32 == stat.mtime.secs
        && m.mtime_nsec as u32 == stat.mtime.nsecs
        && m.ctime as u32 == stat.ctime.secs
        && m.ctime_nsec as u32 == stat.ctime.nsecs
        && m.ino as u32 == stat.ino;
    // Racily clean: written no earlier than the index itself, so a change within the
    // same timestamp granule would not show in the stat data.
    let racy = index_mtime.is_none_or(|(s, ns)| (m.mtime as u64, m.mtime_nsec as u32) >= (s, ns));
    same && !racy
}

/// The display form of a git path.
pub fn display_of(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => super::nfc(s),
        Err(_) => escape_non_utf8(raw),
    }
}

/// Whether another name could display as `display`: only a name with a byte that is not
/// ASCII (NFC changes nothing else, and bytes that are not UTF-8 are never ASCII) or a
/// backslash (spelled like the `\xNN` form of such a byte) can.
pub fn may_have_twins(display: &str) -> bool {
    !display.is_ascii() || display.contains('\\')
}

/// Every file of `tree` whose path displays as `display` (component by component, so
/// twin directories are searched too), as stored: the twins of a path, the path itself
/// among them when the tree holds it.
pub fn files_displayed_as(
    repo: &Repository,
    tree: &Tree<'_>,
    display: &str,
) -> anyhow::Result<Vec<Blob>> {
    let parts: Vec<&str> = display.split('/').collect();
    // (raw directory prefix, its tree), level by level.
    let mut dirs: Vec<(Vec<u8>, Tree<'_>)> = vec![(Vec::new(), tree.clone())];
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let mut next = Vec::new();
        for (prefix, t) in &dirs {
            for e in t.iter() {
                if display_of(e.name_bytes()) != *part {
                    continue;
                }
                let raw = join(prefix, e.name_bytes());
                match (last, e.kind()) {
                    (false, Some(ObjectType::Tree)) => {
                        let sub = repo.find_tree(e.id()).map_err(|err| {
                            anyhow::anyhow!("{}: {}", display_of(&raw), err.message())
                        })?;
                        next.push((join(&raw, b"/"), sub));
                    }
                    (true, kind) if kind != Some(ObjectType::Tree) => {
                        out.push(blob(raw, e.id(), e.filemode() as u32));
                    }
                    _ => {}
                }
            }
        }
        dirs = next;
    }
    Ok(out)
}

fn blob(raw: Vec<u8>, id: Oid, mode: u32) -> Blob {
    Blob {
        path: display_of(&raw),
        raw,
        id,
        mode,
    }
}

/// HEAD (or nothing, before the first commit) against the index.
pub fn staged(repo: &Repository) -> anyhow::Result<StagedChanges> {
    let head_commit = match repo.head() {
        Ok(h) => Some(
            h.peel_to_commit()
                .map_err(|e| anyhow::anyhow!("HEAD: {}", e.message()))?,
        ),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => anyhow::bail!("HEAD: {}", e.message()),
    };
    let head_tree = match &head_commit {
        Some(c) => Some(
            c.tree()
                .map_err(|e| anyhow::anyhow!("HEAD's tree: {}", e.message()))?,
        ),
        None => None,
    };
    let index_path = repo.path().join("index");
    let (index, index_mtime) = match std::fs::metadata(&index_path) {
        Ok(m) => {
            let m = crate::platform::file_stamp(&m);
            let file = gix_index::File::at(
                &index_path,
                gix_hash::Kind::Sha1,
                true,
                gix_index::decode::Options::default(),
            )
            .map_err(|e| anyhow::anyhow!("{}: cannot read the index: {e}", index_path.display()))?;
            (Some(file), Some((m.mtime as u64, m.mtime_nsec as u32)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None),
        Err(e) => anyhow::bail!("{}: {e}", index_path.display()),
    };
    let mut out = Vec::new();
    if let Some(index) = &index {
        let conflicted: Vec<String> = index
            .entries()
            .iter()
            .filter(|e| e.stage_raw() != 0)
            .map(|e| display_of(e.path(index)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !conflicted.is_empty() {
            anyhow::bail!(
                "the index has unresolved conflicts at {}; resolve them before checking",
                conflicted.join(", ")
            );
        }
        // The index's own entries are walked in place: a copy of 100,000 of them is
        // megabytes of fresh memory the kernel must zero first.
        let entries = index.entries();
        let mut walker = IndexWalk {
            repo,
            index,
            entries,
            out: &mut out,
            visited: 0,
            trees_read: 0,
        };
        walker.dir(b"", head_tree.as_ref(), index.tree(), 0..entries.len())?;
    } else if let Some(t) = &head_tree {
        // No index at all: everything HEAD holds is unstaged, i.e. deleted.
        tree_files(repo, t, b"", &mut |b| out.push(deleted(b)))?;
    }
    let changes = pair_renames(repo, out)?;
    Ok(StagedChanges {
        head: head_commit.map(|c| c.id()),
        changes,
        index,
        index_mtime,
    })
}

/// One tree against another (merge base against head).
pub fn between(repo: &Repository, old: &Tree<'_>, new: &Tree<'_>) -> anyhow::Result<Vec<Change>> {
    let mut out = Vec::new();
    diff_trees(repo, b"", Some(old), Some(new), &mut out)?;
    pair_renames(repo, out)
}

struct IndexItem<'a> {
    path: &'a [u8],
    id: Oid,
    mode: u32,
}

struct IndexWalk<'a, 'r> {
    repo: &'r Repository,
    index: &'a gix_index::File,
    /// In path order; entries flagged intent-to-add are skipped where they are met.
    entries: &'a [gix_index::Entry],
    out: &'a mut Vec<Change>,
    /// Directories compared entry by entry, and HEAD trees read (for tests of the
    /// pruning).
    visited: usize,
    trees_read: usize,
}

fn added(b: Blob) -> Change {
    Change {
        kind: ChangeKind::Added,
        old: None,
        new: Some(b),
    }
}

fn deleted(b: Blob) -> Change {
    Change {
        kind: ChangeKind::Deleted,
        old: Some(b),
        new: None,
    }
}

fn join(prefix: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = prefix.to_vec();
    p.extend_from_slice(name);
    p
}

impl<'a> IndexWalk<'a, '_> {
    fn item(&self, i: usize) -> Option<IndexItem<'a>> {
        let e = &self.entries[i];
        if e.flags.contains(gix_index::entry::Flags::INTENT_TO_ADD) {
            return None;
        }
        Some(IndexItem {
            path: e.path(self.index),
            id: Oid::from_bytes(e.id.as_bytes()).unwrap_or(Oid::ZERO_SHA1),
            mode: e.mode.bits(),
        })
    }

    /// Compare the index entries in `range` (all under `prefix`, which is empty or ends
    /// with `/`) with `head` (the tree at that directory).
    fn dir(
        &mut self,
        prefix: &[u8],
        head: Option<&Tree<'_>>,
        cache: Option<&gix_index::extension::Tree>,
        range: std::ops::Range<usize>,
    ) -> anyhow::Result<()> {
        if let (Some(node), Some(h)) = (cache, head)
            && node.num_entries.is_some()
            && node.id.as_bytes() == h.id().as_bytes()
        {
            return Ok(());
        }
        self.visited += 1;
        // This directory's files and subdirectories on the index side.
        let mut files: BTreeMap<&[u8], IndexItem<'_>> = BTreeMap::new();
        let mut dirs: BTreeMap<Vec<u8>, std::ops::Range<usize>> = BTreeMap::new();
        let mut sparse: BTreeMap<Vec<u8>, Oid> = BTreeMap::new();
        let mut i = range.start;
        while i < range.end {
            let Some(item) = self.item(i) else {
                i += 1;
                continue;
            };
            let rest = &item.path[prefix.len()..];
            match memchr::memchr(b'/', rest) {
                Some(slash) if slash + 1 == rest.len() && item.mode == MODE_TREE => {
                    // A sparse-index directory entry: its id is a tree.
                    sparse.insert(rest[..slash].to_vec(), item.id);
                    i += 1;
                }
                Some(slash) => {
                    let sub = join(prefix, &rest[..=slash]);
                    let end = i + self.entries[i..range.end]
                        .partition_point(|e| e.path(self.index).starts_with(&sub));
                    dirs.insert(rest[..slash].to_vec(), i..end);
                    i = end;
                }
                None => {
                    files.insert(rest, item);
                    i += 1;
                }
            }
        }
        let mut head_files: BTreeMap<Vec<u8>, (Oid, u32)> = BTreeMap::new();
        let mut head_dirs: BTreeMap<Vec<u8>, Oid> = BTreeMap::new();
        if let Some(h) = head {
            for e in h.iter() {
                let name = e.name_bytes().to_vec();
                if e.kind() == Some(ObjectType::Tree) {
                    head_dirs.insert(name, e.id());
                } else {
                    head_files.insert(name, (e.id(), e.filemode() as u32));
                }
            }
        }
        for (name, item) in &files {
            let path = join(prefix, name);
            match head_files.get(*name) {
                Some((id, mode)) if *id == item.id && *mode == item.mode => {}
                Some((id, mode)) => self.out.push(Change {
                    kind: ChangeKind::Modified,
                    old: Some(blob(path.clone(), *id, *mode)),
                    new: Some(blob(path, item.id, item.mode)),
                }),
                None => self.out.push(added(blob(path, item.id, item.mode))),
            }
        }
        for (name, (id, mode)) in &head_files {
            if !files.contains_key(name.as_slice()) {
                self.out.push(deleted(blob(join(prefix, name), *id, *mode)));
            }
        }
        let mut names: Vec<&Vec<u8>> = dirs
            .keys()
            .chain(head_dirs.keys())
            .chain(sparse.keys())
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            let child = cache.and_then(|c| {
                c.children
                    .iter()
                    .find(|t| t.name.as_slice() == name.as_slice())
            });
            // A subdirectory the index's tree cache still knows as HEAD's is unchanged:
            // not even its tree is read. In a 100,000-file repository, a change in ten
            // directories would otherwise read every sibling's tree.
            if let (Some(node), Some(id), None) = (child, head_dirs.get(name), sparse.get(name))
                && node.num_entries.is_some()
                && node.id.as_bytes() == id.as_bytes()
            {
                continue;
            }
            let sub = join(prefix, &join(name, b"/"));
            let head_sub = match head_dirs.get(name) {
                Some(id) => Some({
                    self.trees_read += 1;
                    self.repo
                        .find_tree(*id)
                        .map_err(|e| anyhow::anyhow!("{}: {}", display_of(&sub), e.message()))?
                }),
                None => None,
            };
            if let Some(id) = sparse.get(name) {
                let new = self
                    .repo
                    .find_tree(*id)
                    .map_err(|e| anyhow::anyhow!("{}: {}", display_of(&sub), e.message()))?;
                diff_trees(self.repo, &sub, head_sub.as_ref(), Some(&new), self.out)?;
                continue;
            }
            match dirs.get(name) {
                Some(r) => {
                    self.dir(&sub, head_sub.as_ref(), child, r.clone())?;
                }
                None => {
                    if let Some(t) = &head_sub {
                        tree_files(self.repo, t, &sub, &mut |b| self.out.push(deleted(b)))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Every file (non-tree entry) under a tree, recursively, with `prefix` prepended.
fn tree_files(
    repo: &Repository,
    tree: &Tree<'_>,
    prefix: &[u8],
    f: &mut dyn FnMut(Blob),
) -> anyhow::Result<()> {
    for e in tree.iter() {
        let path = join(prefix, e.name_bytes());
        if e.kind() == Some(ObjectType::Tree) {
            let sub = repo
                .find_tree(e.id())
                .map_err(|err| anyhow::anyhow!("{}: {}", display_of(&path), err.message()))?;
            tree_files(repo, &sub, &join(&path, b"/"), f)?;
        } else {
            f(blob(path, e.id(), e.filemode() as u32));
        }
    }
    Ok(())
}

/// Compare two trees at `prefix`, skipping identical subtrees.
fn diff_trees(
    repo: &Repository,
    prefix: &[u8],
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    out: &mut Vec<Change>,
) -> anyhow::Result<()> {
    if let (Some(o), Some(n)) = (old, new)
        && o.id() == n.id()
    {
        return Ok(());
    }
    type Side = BTreeMap<Vec<u8>, (Oid, u32, bool)>;
    let listing = |t: Option<&Tree<'_>>| -> Side {
        t.map(|t| {
            t.iter()
                .map(|e| {
                    (
                        e.name_bytes().to_vec(),
                        (
                            e.id(),
                            e.filemode() as u32,
                            e.kind() == Some(ObjectType::Tree),
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let (a, b) = (listing(old), listing(new));
    let find = |id: Oid, path: &[u8]| {
        repo.find_tree(id)
            .map_err(|e| anyhow::anyhow!("{}: {}", display_of(path), e.message()))
    };
    let mut names: Vec<&Vec<u8>> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let path = join(prefix, name);
        let (oa, ob) = (a.get(name), b.get(name));
        // Files first, then trees: a file replaced by a directory is a deletion plus
        // additions, and the other way round.
        let file_a = oa.filter(|x| !x.2);
        let file_b = ob.filter(|x| !x.2);
        match (file_a, file_b) {
            (Some(x), Some(y)) if x.0 == y.0 && x.1 == y.1 => {}
            (Some(x), Some(y)) => out.push(Change {
                kind: ChangeKind::Modified,
                old: Some(blob(path.clone(), x.0, x.1)),
                new: Some(blob(path.clone(), y.0, y.1)),
            }),
            (Some(x), None) => out.push(deleted(blob(path.clone(), x.0, x.1))),
            (None, Some(y)) => out.push(added(blob(path.clone(), y.0, y.1))),
            (None, None) => {}
        }
        let tree_a = oa.filter(|x| x.2).map(|x| find(x.0, &path)).transpose()?;
        let tree_b = ob.filter(|x| x.2).map(|x| find(x.0, &path)).transpose()?;
        if tree_a.is_some() || tree_b.is_some() {
            diff_trees(
                repo,
                &join(&path, b"/"),
                tree_a.as_ref(),
                tree_b.as_ref(),
                out,
            )?;
        }
    }
    Ok(())
}

/// Similarity (0-100) at or above which a deleted and an added file are a rename, as
/// git's default.
pub const RENAME_THRESHOLD: u8 = 50;
/// Above this many (deleted × added) candidate pairs, only exact renames are paired, as
/// git's rename limit keeps a huge change from taking quadratic time.
pub const RENAME_LIMIT: usize = 100_000;
/// Blobs larger than this are never read to compare content.
pub const RENAME_MAX_BYTES: usize = 8 << 20;

fn is_regular(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

/// Pair deleted and added files into renames: first identical content (same blob id and
/// kind of mode), then similar regular files (score ≥ [`RENAME_THRESHOLD`]: the bytes of
/// the new file's lines also found in the old one, over the larger size), greedily by
/// score, then new path, then old path. Output sorted by path (new side first).
pub fn pair_renames(repo: &Repository, changes: Vec<Change>) -> anyhow::Result<Vec<Change>> {
    let mut kept = Vec::new();
    let mut dels: Vec<Blob> = Vec::new();
    let mut adds: Vec<Blob> = Vec::new();
    for c in changes {
        match (c.kind, c.old, c.new) {
            (ChangeKind::Deleted, Some(o), None) => dels.push(o),
            (ChangeKind::Added, None, Some(n)) => adds.push(n),
            (kind, old, new) => kept.push(Change { kind, old, new }),
        }
    }
    dels.sort_by(|a, b| a.path.cmp(&b.path));
    adds.sort_by(|a, b| a.path.cmp(&b.path));
    let mut del_used = vec![false; dels.len()];
    let mut add_used = vec![false; adds.len()];
    let mut renames = Vec::new();
    // Exact: the first unused deletion with the same id and mode kind, in path order.
    let mut by_id: HashMap<(Oid, u32), Vec<usize>> = HashMap::new();
    for (i, d) in dels.iter().enumerate() {
        by_id.entry((d.id, d.mode & 0o170000)).or_default().push(i);
    }
    for (j, a) in adds.iter().enumerate() {
        if let Some(list) = by_id.get_mut(&(a.id, a.mode & 0o170000))
            && let Some(pos) = list.iter().position(|&i| !del_used[i])
        {
            let i = list.remove(pos);
            del_used[i] = true;
            add_used[j] = true;
            renames.push((i, j, 100u8));
        }
    }
    let open_dels: Vec<usize> = (0..dels.len())
        .filter(|&i| !del_used[i] && is_regular(dels[i].mode))
        .collect();
    let open_adds: Vec<usize> = (0..adds.len())
        .filter(|&j| !add_used[j] && is_regular(adds[j].mode))
        .collect();
    if !open_dels.is_empty() && open_dels.len() * open_adds.len() <= RENAME_LIMIT {
        let sig = |b: &Blob| -> anyhow::Result<Option<Signature>> {
            let blob = repo
                .find_blob(b.id)
                .map_err(|e| anyhow::anyhow!("{}: {}", b.path, e.message()))?;
            let bytes = blob.content();
            Ok((bytes.len() <= RENAME_MAX_BYTES).then(|| Signature::of(bytes)))
        };
        let old_sigs: Vec<(usize, Option<Signature>)> = open_dels
            .iter()
            .map(|&i| sig(&dels[i]).map(|s| (i, s)))
            .collect::<anyhow::Result<_>>()?;
        let mut scored = Vec::new();
        for &j in &open_adds {
            let Some(new_sig) = sig(&adds[j])? else {
                continue;
            };
            for (i, old_sig) in &old_sigs {
                if let Some(o) = old_sig {
                    let score = Signature::similarity(o, &new_sig);
                    if score >= RENAME_THRESHOLD {
                        scored.push((score, j, *i));
                    }
                }
            }
        }
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| adds[a.1].path.cmp(&adds[b.1].path))
                .then_with(|| dels[a.2].path.cmp(&dels[b.2].path))
        });
        for (score, j, i) in scored {
            if !add_used[j] && !del_used[i] {
                add_used[j] = true;
                del_used[i] = true;
                renames.push((i, j, score));
            }
        }
    }
    for (i, j, score) in renames {
        kept.push(Change {
            kind: ChangeKind::Renamed { score },
            old: Some(dels[i].clone()),
            new: Some(adds[j].clone()),
        });
    }
    for (i, d) in dels.into_iter().enumerate() {
        if !del_used[i] {
            kept.push(deleted(d));
        }
    }
    for (j, a) in adds.into_iter().enumerate() {
        if !add_used[j] {
            kept.push(added(a));
        }
    }
    kept.sort_by(|a, b| {
        let key = |c: &Change| {
            c.new
                .as_ref()
                .or(c.old.as_ref())
                .map(|b| b.path.clone())
                .unwrap_or_default()
        };
        key(a).cmp(&key(b))
    });
    Ok(kept)
}

/// Content chunks of a blob for similarity: lines (at most 64 bytes each), hashed,
/// with the bytes each hash stands for.
pub struct Signature {
    len: usize,
    chunks: HashMap<u64, usize>,
}

impl Signature {
    pub fn of(bytes: &[u8]) -> Signature {
        use std::hash::{Hash, Hasher};
        let mut chunks: HashMap<u64, usize> = HashMap::new();
        let mut start = 0;
        while start < bytes.len() {
            let limit = (start + 64).min(bytes.len());
            let end = memchr::memchr(b'\n', &bytes[start..limit]).map_or(limit, |i| start + i + 1);
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes[start..end].hash(&mut h);
            *chunks.entry(h.finish()).or_default() += end - start;
            start = end;
        }
        Signature {
            len: bytes.len(),
            chunks,
        }
    }

    /// How much of `new` is found in `old`, 0-100, over the larger size.
    pub fn similarity(old: &Signature, new: &Signature) -> u8 {
        let max = old.len.max(new.len);
        if max == 0 {
            return 100;
        }
        let common: usize = new
            .chunks
            .iter()
            .map(|(h, n)| (*n).min(old.chunks.get(h).copied().unwrap_or(0)))
            .sum();
        (common * 100 / max) as u8
    }
}

#[cfg(test)]
mod tests;
