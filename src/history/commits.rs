//! The commits of a range and the blobs each introduces, read with git2 (libgit2):
//! the revision walk over every ref, then, in parallel, each commit's tree compared
//! with its parents' trees, entry by entry in git's tree order, subtrees whose ids
//! match skipped whole (what `git log --raw` does, without the text diff `git log -p`
//! makes of every change).
//!
//! A blob is introduced by a commit at a path when none of the commit's parents has
//! that blob at that path: a root commit introduces its whole tree, a merge only what
//! it holds that neither side had there (its own conflict resolution, an evil merge).
//! In a shallow clone the commits whose parents were cut away count as root commits.
//! A commit, tree or subtree that cannot be read is an [`ObjectError`], never skipped
//! in silence.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use git2::{ErrorCode, ObjectType, Oid, Repository, Tree};

use super::Intro;
use super::cache::{Introduced, Introductions};

/// git's mode bits of an entry's type.
const TYPE_MASK: i32 = 0o170000;
const TREE: i32 = 0o040000;
const REGULAR: i32 = 0o100000;

/// A blob and the raw path it was introduced at.
pub type Pair = (Oid, Box<[u8]>);

/// One commit of the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commit {
    pub id: Oid,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

/// An object that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectError {
    /// The commit being read, when known.
    pub commit: Option<Oid>,
    /// The path of the tree or blob (empty for a commit or the root tree).
    pub path: String,
    pub message: String,
}

/// The range walked: its commits and what each introduced.
#[derive(Debug, Default)]
pub struct Walked {
    /// The commits of the range, in the walk's order; `time` is 0 for one that could
    /// not be read.
    pub commits: Vec<Commit>,
    /// Every (blob, raw path) pair introduced, sorted, with its oldest commit.
    pub pairs: Vec<(Pair, Intro)>,
    pub errors: Vec<ObjectError>,
}

impl Walked {
    /// Whether commit `a` is older than commit `b` (by committer time, then id, so the
    /// answer does not depend on the walk's order).
    pub fn older(&self, a: u32, b: u32) -> bool {
        let (x, y) = (&self.commits[a as usize], &self.commits[b as usize]);
        (x.time, x.id) < (y.time, y.id)
    }
}

/// The commits the refs reach (every ref under `refs/` that leads to a commit, and
/// HEAD), minus those `since` reaches. An error when `since` does not name a commit or
/// the walk cannot start; a commit the walk cannot read ends it with an error kept in
/// the returned list.
pub fn range(repo: &Repository, since: Option<&str>) -> anyhow::Result<Range> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::NONE)?;
    let mut errors = Vec::new();
    for r in repo.references()? {
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                errors.push(ObjectError {
                    commit: None,
                    path: String::new(),
                    message: format!("a ref cannot be read: {}", e.message()),
                });
                continue;
            }
        };
        let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
        let pushed = r.peel(ObjectType::Any).and_then(|o| match o.kind() {
            Some(ObjectType::Commit) => walk.push(o.id()),
            // A tag of a tree or a blob: no history behind it (`git log --all` skips
            // it too).
            _ => Ok(()),
        });
        if let Err(e) = pushed {
            errors.push(ObjectError {
                commit: None,
                path: String::new(),
                message: format!("ref {name} cannot be resolved: {}", e.message()),
            });
        }
    }
    match repo.head() {
        Ok(h) => {
            if let Err(e) = h.peel_to_commit().and_then(|c| walk.push(c.id())) {
                errors.push(ObjectError {
                    commit: None,
                    path: String::new(),
                    message: format!("HEAD cannot be resolved: {}", e.message()),
                });
            }
        }
        // No commit yet, or a branch not born: nothing to walk from HEAD.
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {}
        Err(e) => errors.push(ObjectError {
            commit: None,
            path: String::new(),
            message: format!("HEAD cannot be resolved: {}", e.message()),
        }),
    }
    if let Some(base) = since {
        let commit = repo
            .revparse_single(base)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| anyhow::anyhow!("--since {base}: {}", e.message()))?;
        walk.hide(commit.id())?;
    }
    let mut commits = Vec::new();
    for id in walk {
        match id {
            Ok(id) => commits.push(id),
            Err(e) => {
                errors.push(ObjectError {
                    commit: None,
                    path: String::new(),
                    message: format!("the history cannot be walked on: {}", e.message()),
                });
                break;
            }
        }
    }
    Ok(Range { commits, errors })
}

/// The commits of a range, before they are read.
#[derive(Debug, Default)]
pub struct Range {
    pub commits: Vec<Oid>,
    pub errors: Vec<ObjectError>,
}

/// Commits a worker takes at a time (neighbours in the walk share trees, which
/// libgit2's object cache then keeps).
const CHUNK: usize = 32;

/// The commits of a range as the workers read them: ids, and committer times filled
/// in by the worker that reads each commit.
struct Clock<'a> {
    ids: &'a [Oid],
    times: Vec<AtomicI64>,
}

impl Clock<'_> {
    /// The older of two commits (by committer time, then id, so the answer does not
    /// depend on the walk's order). Both must have been read by this thread, or by
    /// threads joined since.
    fn older(&self, a: u32, b: u32) -> u32 {
        let key = |i: u32| {
            (
                self.times[i as usize].load(Ordering::Relaxed),
                self.ids[i as usize],
            )
        };
        if key(a) <= key(b) { a } else { b }
    }
}

/// What each commit of `range` introduced, read on `threads` threads, each with its
/// own handle on the repository at `git_dir`.
pub fn introductions(
    git_dir: &Path,
    range: Range,
    shallow: bool,
    threads: usize,
    known: &Introductions,
) -> (Walked, Vec<(Oid, Introduced)>) {
    let next = AtomicUsize::new(0);
    let ids = &range.commits;
    let clock = Clock {
        ids,
        times: ids.iter().map(|_| AtomicI64::new(0)).collect(),
    };
    let parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.clamp(1, ids.len().max(1)))
            .map(|_| {
                let (next, clock) = (&next, &clock);
                s.spawn(move || {
                    let mut part = Part::default();
                    let repo = match Repository::open(git_dir) {
                        Ok(r) => r,
                        Err(e) => {
                            part.errors.push(ObjectError {
                                commit: None,
                                path: String::new(),
                                message: format!("cannot open the repository: {}", e.message()),
                            });
                            return part;
                        }
                    };
                    let mut scratch = Scratch::default();
                    loop {
                        let from = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if from >= ids.len() {
                            break;
                        }
                        for (i, &id) in ids.iter().enumerate().skip(from).take(CHUNK) {
                            let i = i as u32;
                            match known.get(id) {
                                Some(k) => {
                                    clock.times[i as usize].store(k.time, Ordering::Relaxed);
                                    for (blob, path) in &k.pairs {
                                        part.record(clock, i, *blob, path.clone());
                                    }
                                }
                                None => {
                                    commit(&repo, i, id, shallow, clock, &mut part, &mut scratch)
                                }
                            }
                        }
                    }
                    part
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a history worker does not panic"))
            .collect()
    });
    let mut errors = range.errors;
    let mut merged: HashMap<Pair, Intro> = HashMap::new();
    let mut fresh = Vec::new();
    for part in parts {
        errors.extend(part.errors);
        fresh.extend(part.fresh);
        for (key, intro) in part.pairs {
            match merged.get_mut(&key) {
                Some(m) => {
                    m.commits.extend(intro.commits);
                    m.oldest = clock.older(m.oldest, intro.oldest);
                }
                None => {
                    merged.insert(key, intro);
                }
            }
        }
    }
    let commits = ids
        .iter()
        .zip(&clock.times)
        .map(|(&id, t)| Commit {
            id,
            time: t.load(Ordering::Relaxed),
        })
        .collect();
    let mut pairs: Vec<(Pair, Intro)> = merged.into_iter().collect();
    for (_, intro) in &mut pairs {
        intro.commits.sort_unstable();
        intro.commits.dedup();
    }
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    errors.sort_by(|a, b| (&a.path, a.commit, &a.message).cmp(&(&b.path, b.commit, &b.message)));
    errors.dedup();
    let walked = Walked {
        commits,
        pairs,
        errors,
    };
    (walked, fresh)
}

/// What one worker read.
#[derive(Default)]
struct Part {
    pairs: HashMap<Pair, Intro>,
    errors: Vec<ObjectError>,
    /// What the commits this worker read whole introduced, to keep for the next run.
    fresh: Vec<(Oid, Introduced)>,
}

impl Part {
    /// Commit `i` introduced `blob` at `path`.
    fn record(&mut self, clock: &Clock<'_>, i: u32, blob: Oid, path: Box<[u8]>) {
        self.pairs
            .entry((blob, path))
            .and_modify(|intro| {
                intro.commits.push(i);
                intro.oldest = clock.older(intro.oldest, i);
            })
            .or_insert_with(|| Intro {
                oldest: i,
                commits: vec![i],
            });
    }
}

/// Buffers a worker reuses from commit to commit.
#[derive(Default)]
struct Scratch {
    path: Vec<u8>,
    found: Vec<(Box<[u8]>, Oid)>,
    other: Vec<(Box<[u8]>, Oid)>,
}

/// Read commit `id` (index `i` of the range) and record what it introduced.
fn commit(
    repo: &Repository,
    i: u32,
    id: Oid,
    shallow: bool,
    clock: &Clock<'_>,
    part: &mut Part,
    s: &mut Scratch,
) {
    let error = |path: &str, what: &str, e: &git2::Error| ObjectError {
        commit: Some(id),
        path: path.to_string(),
        message: format!("{what} cannot be read: {}", e.message()),
    };
    let errors_before = part.errors.len();
    let c = match repo.find_commit(id) {
        Ok(c) => c,
        Err(e) => {
            part.errors.push(error("", "the commit", &e));
            return;
        }
    };
    clock.times[i as usize].store(c.time().seconds(), Ordering::Relaxed);
    let tree = match c.tree() {
        Ok(t) => t,
        Err(e) => {
            part.errors.push(error("", "the commit's tree", &e));
            return;
        }
    };
    let mut parents: Vec<Tree<'_>> = Vec::with_capacity(c.parent_count());
    // In a shallow clone, a commit without parents may stand for history cut away;
    // fetched later, that history changes what it introduces.
    let mut lasting = !(shallow && c.parent_count() == 0);
    for n in 0..c.parent_count() {
        match c.parent(n).and_then(|p| p.tree()) {
            Ok(t) => parents.push(t),
            // The history a shallow clone cut away: this commit stands for it.
            Err(e) if shallow && e.code() == ErrorCode::NotFound => lasting = false,
            Err(e) => {
                part.errors
                    .push(error("", "a parent commit or its tree", &e));
                return;
            }
        }
    }
    let errors = &mut part.errors;
    let mut tree_error =
        |p: &[u8], e: &git2::Error| errors.push(error(&super::display(p), "a tree", e));
    s.found.clear();
    s.path.clear();
    changed(
        repo,
        &tree,
        parents.first(),
        &mut s.path,
        &mut s.found,
        &mut tree_error,
    );
    for other in parents.iter().skip(1) {
        if s.found.is_empty() {
            break;
        }
        s.other.clear();
        s.path.clear();
        changed(
            repo,
            &tree,
            Some(other),
            &mut s.path,
            &mut s.other,
            &mut tree_error,
        );
        let kept: HashSet<(&[u8], Oid)> = s.other.iter().map(|(p, o)| (&**p, *o)).collect();
        s.found.retain(|(p, o)| kept.contains(&(&**p, *o)));
    }
    if lasting && part.errors.len() == errors_before {
        let pairs = s.found.iter().map(|(p, b)| (*b, p.clone())).collect();
        let time = c.time().seconds();
        part.fresh.push((id, Introduced { time, pairs }));
    }
    for (path, blob) in s.found.drain(..) {
        part.record(clock, i, blob, path);
    }
}

/// Push to `out` every regular file of `new` (under `prefix`, raw bytes) whose blob
/// `old` does not hold at the same path; `old` None for a tree that is new whole.
fn changed(
    repo: &Repository,
    new: &Tree<'_>,
    old: Option<&Tree<'_>>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<(Box<[u8]>, Oid)>,
    error: &mut dyn FnMut(&[u8], &git2::Error),
) {
    if old.is_some_and(|o| o.id() == new.id()) {
        return;
    }
    let mut olds = old.map(|o| o.iter().peekable());
    for n in new.iter() {
        let (nname, nmode) = (n.name_bytes(), n.filemode());
        let ntype = nmode & TYPE_MASK;
        // The old entry of the same name and kind (tree or not), if any: both lists are
        // in git's order, so the old side is walked once.
        let mut same = None;
        if let Some(olds) = olds.as_mut() {
            while let Some(o) = olds.peek() {
                let otype = o.filemode() & TYPE_MASK;
                match git_order(o.name_bytes(), otype == TREE, nname, ntype == TREE) {
                    std::cmp::Ordering::Less => {
                        olds.next();
                    }
                    std::cmp::Ordering::Equal => {
                        same = olds.next();
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
        }
        let unchanged = same
            .as_ref()
            .is_some_and(|o| o.id() == n.id() && o.filemode() & TYPE_MASK == ntype);
        if unchanged {
            continue;
        }
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(nname);
        match ntype {
            TREE => match repo.find_tree(n.id()) {
                Ok(sub) => {
                    let old_sub = same.and_then(|o| repo.find_tree(o.id()).ok());
                    changed(repo, &sub, old_sub.as_ref(), prefix, out, error);
                }
                Err(e) => error(prefix, &e),
            },
            // Links hold a path, submodules a commit of another repository: no
            // content here.
            REGULAR => out.push((prefix.as_slice().into(), n.id())),
            _ => {}
        }
        prefix.truncate(len);
    }
}

/// git's order of tree entries: by name bytes, a tree's name as if it ended in `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let end = |name: &[u8], tree: bool| match name.get(n) {
            Some(&c) => c,
            None if tree => b'/',
            None => 0,
        };
        end(a, a_tree).cmp(&end(b, b_tree))
    })
}
