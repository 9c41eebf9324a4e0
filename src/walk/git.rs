//! Git state through git2 and gix-index: what the index tracks (read once), which gitlinks are
//! submodules, HEAD, and per-thread ignore checks for untracked paths.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::Repository;

pub struct GitRepo {
    workdir: PathBuf,
    /// The scan root relative to the work tree, with a trailing `/` (empty at the top):
    /// walk paths are relative to the scan root, git's to the work tree.
    prefix: Vec<u8>,
    git_dir: PathBuf,
    /// The common git directory (the main one's, for a linked work tree).
    common_dir: PathBuf,
    head: Option<String>,
    tracked: PathSet,
    /// The index's entries, for the blob ids of unchanged files.
    index: IndexEntries,
    submodules: PathSet,
    /// Where git LFS keeps its objects (`lfs/objects` in the common git directory).
    lfs_store: PathBuf,
    /// The `filter` rules of the tracked `.gitattributes` files, as in the work tree.
    filters: super::attrs::Filters,
}

impl GitRepo {
    /// The work tree containing `dir` (canonical), or None when `dir` is not in a git
    /// repository. A bare repository is an error: it has no work tree, and classifying
    /// its internals as files would write a meaningless manifest into it.
    pub fn discover(dir: &Path) -> anyhow::Result<Option<GitRepo>> {
        let repo = match Repository::discover(dir) {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => anyhow::bail!(
                "{}: cannot open git repository: {}",
                dir.display(),
                e.message()
            ),
        };
        let Some(workdir) = repo.workdir() else {
            anyhow::bail!(
                "{}: inside the bare repository {}, which has no work tree; scan a checkout of it",
                dir.display(),
                repo.path().display()
            );
        };
        let workdir = workdir
            .canonicalize()
            .map_err(|e| anyhow::anyhow!("{}: {e}", workdir.display()))?;
        let head = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .map(|c| c.id().to_string());
        let prefix = prefix_of(&workdir, dir)?;
        let (tracked, index, submodules, attributes) = read_index(&repo.path().join("index"))?;
        // The tracked `.gitattributes` as the work tree holds them (the scan classifies
        // the work tree); one that cannot be read counts as empty.
        let files: Vec<(Vec<u8>, Vec<u8>)> = attributes
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read(workdir.join(crate::platform::os_path(&p))).ok()?;
                let dir = p[..p.len() - ".gitattributes".len()].to_vec();
                Some((dir, text))
            })
            .collect();
        Ok(Some(GitRepo {
            git_dir: repo.path().to_path_buf(),
            common_dir: repo.commondir().to_path_buf(),
            lfs_store: repo.commondir().join("lfs").join("objects"),
            filters: super::attrs::Filters::parse(&files),
            prefix,
            workdir,
            head,
            tracked,
            index,
            submodules,
        }))
    }

    /// The top of the work tree containing `dir`, without reading the index (which
    /// costs ~100 ms in a 100,000-file repository); None outside a work tree.
    pub fn workdir_of(dir: &Path) -> anyhow::Result<Option<PathBuf>> {
        let repo = match Repository::discover(dir) {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => anyhow::bail!(
                "{}: cannot open git repository: {}",
                dir.display(),
                e.message()
            ),
        };
        match repo.workdir() {
            Some(w) => Ok(Some(
                w.canonicalize()
                    .map_err(|e| anyhow::anyhow!("{}: {e}", w.display()))?,
            )),
            None => Ok(None),
        }
    }

    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The common git directory, where state shared by every work tree lives.
    pub fn common_dir(&self) -> &Path {
        &self.common_dir
    }

    /// Whether the scan root is the top of the work tree.
    pub fn at_top(&self) -> bool {
        self.prefix.is_empty()
    }

    /// The commit HEAD points to; None in a repository without commits.
    pub fn head(&self) -> Option<&str> {
        self.head.as_deref()
    }

    /// Whether git tracks a path relative to the scan root.
    pub fn is_tracked(&self, raw: &[u8]) -> bool {
        if self.prefix.is_empty() {
            self.tracked.contains(raw)
        } else {
            self.tracked.contains(&self.full(raw)[..])
        }
    }

    /// [`GitRepo::is_tracked`] for the walk, which asks about one directory's files in
    /// a row: `near` remembers where the last directory's paths lie. Some with the
    /// path's place among the index's paths (for [`GitRepo::index_blob`]) when tracked.
    pub fn tracked_near(&self, raw: &[u8], near: &mut Near) -> Option<u32> {
        if self.prefix.is_empty() {
            self.tracked.find_near(raw, near)
        } else {
            self.tracked.find_near(&self.full(raw), near)
        }
    }

    /// The blob id the index gives the tracked file at `place` (see
    /// [`GitRepo::tracked_near`]) when the file's `stamp` shows it unchanged since the
    /// index recorded it, by git's own test: a regular file's entry without conflict
    /// whose times (to the nanosecond), size and inode are the file's, and which is
    /// not racy (modified before the index was written: a file changed in the same
    /// instant as the index could hold other bytes with the same times). None
    /// otherwise: the file's content is then known only by reading it.
    pub fn index_blob(&self, place: u32, stamp: &crate::platform::FileStamp) -> Option<[u8; 20]> {
        if !crate::platform::STAMPS_IDENTIFY {
            return None;
        }
        let at = match &self.index.place_entry {
            Some(map) => *map.get(place as usize)? as usize,
            None => place as usize,
        };
        let e = self.index.entries.get(at)?;
        let mode = e.mode;
        if e.stage_raw() != 0
            || !(mode == gix_index::entry::Mode::FILE
                || mode == gix_index::entry::Mode::FILE_EXECUTABLE)
        {
            return None;
        }
        let st = &e.stat;
        let same = i64::from(st.mtime.secs) == stamp.mtime & 0xffff_ffff
            && i64::from(st.mtime.nsecs) == stamp.mtime_nsec
            && i64::from(st.ctime.secs) == stamp.ctime & 0xffff_ffff
            && i64::from(st.ctime.nsecs) == stamp.ctime_nsec
            && u64::from(st.size) == stamp.size & 0xffff_ffff
            && u64::from(st.ino) == stamp.ino & 0xffff_ffff;
        // Racy: modified no earlier than the index was written.
        let (secs, nsecs) = self.index.written;
        let racy = (i64::from(st.mtime.secs), st.mtime.nsecs) >= (secs, nsecs);
        if !same || racy || stamp.mtime < 0 {
            return None;
        }
        e.id.as_slice().try_into().ok()
    }

    /// The paths the index tracks under the scan root, relative to it, sorted by bytes.
    pub fn tracked_under_root(&self) -> Vec<Vec<u8>> {
        let mut paths: Vec<Vec<u8>> = self
            .tracked
            .iter()
            .filter_map(|p| p.strip_prefix(&self.prefix[..]).map(<[u8]>::to_vec))
            .collect();
        paths.sort_unstable();
        paths
    }

    /// Where git LFS keeps its objects.
    pub fn lfs_store(&self) -> &Path {
        &self.lfs_store
    }

    /// The filter other than LFS the `.gitattributes` give a path relative to the scan
    /// root, if any.
    pub fn filter_of(&self, raw: &[u8]) -> Option<&str> {
        if self.filters.is_empty() {
            return None;
        }
        if self.prefix.is_empty() {
            self.filters.driver_of(raw)
        } else {
            self.filters.driver_of(&self.full(raw))
        }
    }

    /// Whether a path relative to the scan root is a submodule's gitlink.
    pub fn is_submodule(&self, raw: &[u8]) -> bool {
        !self.submodules.is_empty() && self.submodules.contains(&self.full(raw)[..])
    }

    fn full(&self, raw: &[u8]) -> Vec<u8> {
        let mut p = self.prefix.clone();
        p.extend_from_slice(raw);
        p
    }

    /// A repository handle for one worker thread (git2 handles are not shared across
    /// threads).
    pub fn thread_handle(&self) -> ThreadGit {
        ThreadGit {
            near: Near::default(),
            prefix: self.prefix.clone(),
            repo: Repository::open(&self.git_dir).ok(),
            dirs: HashMap::new(),
        }
    }
}

pub struct ThreadGit {
    /// Where the last tracked-path lookup's directory lies in the index.
    pub near: Near,
    prefix: Vec<u8>,
    repo: Option<Repository>,
    /// Directory (raw bytes) -> whether git ignores it. Everything under an ignored
    /// directory is ignored, so one question per directory answers most files of a
    /// `node_modules/` or a `target/`.
    dirs: HashMap<Vec<u8>, bool>,
}

impl ThreadGit {
    /// Whether git ignores an untracked file. When the question cannot be answered the
    /// path counts as ignored: ignored files are the ones agents leak, so this errs
    /// toward the more watched state.
    pub fn is_ignored(&mut self, rel: &[u8]) -> bool {
        let Some(repo) = self.repo.as_ref() else {
            return true;
        };
        let mut full = self.prefix.clone();
        full.extend_from_slice(rel);
        let raw = &full[..];
        if let Some(slash) = raw.iter().rposition(|&b| b == b'/') {
            let dir = &raw[..slash];
            let ignored = match self.dirs.get(dir) {
                Some(&v) => v,
                None => {
                    let mut p = dir.to_vec();
                    p.push(b'/');
                    let v = ask(repo, &p);
                    self.dirs.insert(dir.to_vec(), v);
                    v
                }
            };
            if ignored {
                return true;
            }
        }
        ask(repo, raw)
    }
}

/// The bytes of a (start, length) span.
fn span(bytes: &[u8], (start, len): (u32, u32)) -> &[u8] {
    &bytes[start as usize..(start + len) as usize]
}

/// The first index in `lo..hi` where `pred` is false (`pred` true then false).
pub(super) fn partition_point(mut lo: u32, mut hi: u32, pred: impl Fn(u32) -> bool) -> u32 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A walk thread's last directory in a [`PathSet`] and the run of paths under it
/// (None before the first lookup).
#[derive(Default)]
pub struct Near {
    dir: Vec<u8>,
    range: Option<(u32, u32)>,
}

/// Raw git paths, looked up once per walked file: stored end to end in one buffer.
/// Filling it allocates nothing per path: a set of 100,000 separately allocated paths
/// took as long to build as the index took to read. Paths inserted in ascending order,
/// as a git index lists them, are found by binary search; a set filled out of order is
/// found through a table of their positions, hashed with foldhash (randomly seeded per
/// process), built when the order first breaks.
struct PathSet {
    bytes: Vec<u8>,
    /// (start, length) in `bytes`, in insertion order.
    spans: Vec<(u32, u32)>,
    /// Indices into `spans`; empty while `sorted`.
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// Whether `spans` are in strictly ascending byte order (as a git index lists
    /// them): then the paths of one directory lie together and [`PathSet::contains_near`]
    /// can search among them.
    sorted: bool,
}

impl Default for PathSet {
    fn default() -> PathSet {
        PathSet::with_capacity(0, 0)
    }
}

impl PathSet {
    fn with_capacity(paths: usize, bytes: usize) -> PathSet {
        PathSet {
            bytes: Vec::with_capacity(bytes),
            spans: Vec::with_capacity(paths),
            table: hashbrown::HashTable::new(),
            hasher: Default::default(),
            sorted: true,
        }
    }

    /// Whether `p` is in the set, searching first among the paths under the directory
    /// of the last lookup through `near` (the walk asks about one directory's files in
    /// a row; they lie together in the index, in memory already read). By hash when
    /// the set is not sorted.
    #[cfg(test)]
    fn contains_near(&self, p: &[u8], near: &mut Near) -> bool {
        self.find_near(p, near).is_some()
    }

    /// [`PathSet::contains_near`], with where the path is: its insertion number.
    fn find_near(&self, p: &[u8], near: &mut Near) -> Option<u32> {
        if !self.sorted {
            return self.find(p);
        }
        let dir = &p[..p.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1)];
        let (lo, hi) = match near.range {
            Some(range) if near.dir == dir => range,
            _ => {
                // Paths under `dir` (its prefix) form one run of the sorted spans.
                let n = self.spans.len() as u32;
                let lo = partition_point(0, n, |i| self.get(i) < dir);
                let hi = partition_point(lo, n, |i| self.get(i).starts_with(dir));
                near.dir.clear();
                near.dir.extend_from_slice(dir);
                near.range = Some((lo, hi));
                (lo, hi)
            }
        };
        self.in_run(lo, hi, p)
    }

    /// Where `p` is among the sorted spans `lo..hi`.
    fn in_run(&self, lo: u32, hi: u32, p: &[u8]) -> Option<u32> {
        let at = partition_point(lo, hi, |i| self.get(i) < p);
        (at < hi && self.get(at) == p).then_some(at)
    }

    fn get(&self, i: u32) -> &[u8] {
        span(&self.bytes, self.spans[i as usize])
    }

    fn contains(&self, p: &[u8]) -> bool {
        self.find(p).is_some()
    }

    /// Where `p` is: its insertion number.
    fn find(&self, p: &[u8]) -> Option<u32> {
        use std::hash::BuildHasher;
        if self.sorted {
            return self.in_run(0, self.spans.len() as u32, p);
        }
        self.table
            .find(self.hasher.hash_one(p), |&i| self.get(i) == p)
            .copied()
    }

    fn contains_hashed(&self, h: u64, p: &[u8]) -> bool {
        self.table.find(h, |&i| self.get(i) == p).is_some()
    }

    fn insert(&mut self, p: &[u8]) {
        let (Ok(start), Ok(len)) = (u32::try_from(self.bytes.len()), u32::try_from(p.len())) else {
            panic!("a git index of more than 4 GiB of paths");
        };
        self.bytes.extend_from_slice(p);
        if !self.insert_span((start, len)) {
            self.bytes.truncate(start as usize);
        }
    }

    /// Add the path at `span` of `bytes` (already there) unless the set has it; false
    /// when it had.
    fn insert_span(&mut self, new: (u32, u32)) -> bool {
        use std::hash::BuildHasher;
        if self.sorted {
            let p = span(&self.bytes, new);
            match self
                .spans
                .last()
                .map(|&last| span(&self.bytes, last).cmp(p))
            {
                // Conflict stages repeat a path, one after the other.
                Some(std::cmp::Ordering::Equal) => return false,
                Some(std::cmp::Ordering::Greater) => self.hash_all(),
                _ => {}
            }
        }
        let p = span(&self.bytes, new);
        let h = (!self.sorted).then(|| self.hasher.hash_one(p));
        if let Some(h) = h
            && self.contains_hashed(h, p)
        {
            return false;
        }
        let Ok(id) = u32::try_from(self.spans.len()) else {
            panic!("a git index of more than 2^32 paths");
        };
        self.spans.push(new);
        if let Some(h) = h {
            let (bytes, spans, hasher) = (&self.bytes, &self.spans, &self.hasher);
            self.table
                .insert_unique(h, id, |&i| hasher.hash_one(span(bytes, spans[i as usize])));
        }
        true
    }

    /// Leave the sorted order: every path so far (each once) goes into the table.
    fn hash_all(&mut self) {
        use std::hash::BuildHasher;
        self.sorted = false;
        let (bytes, spans, hasher) = (&self.bytes, &self.spans, &self.hasher);
        let hash = |i: u32| hasher.hash_one(span(bytes, spans[i as usize]));
        self.table.reserve(spans.len(), |&i| hash(i));
        for i in 0..spans.len() as u32 {
            self.table.insert_unique(hash(i), i, |&j| hash(j));
        }
    }

    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.spans.len() as u32).map(|i| self.get(i))
    }
}

/// The index's entries, kept from its read (their stat data and ids), and when it was
/// written.
struct IndexEntries {
    entries: Vec<gix_index::Entry>,
    /// The entry of each path of the tracked set, by its place there, when that is not
    /// the place itself (a conflict's stages repeat a path).
    place_entry: Option<Vec<u32>>,
    /// The index file's modification time (seconds, nanoseconds).
    written: (i64, u32),
}

/// The paths the index at `path` tracks, and its gitlinks (submodules). No index file
/// means nothing is tracked yet. Read with gix-index, without verifying the trailing
/// checksum (as git's own reads do): hashing the index of a 100,000-file repository
/// costs more than the rest of the read.
/// The index's paths, its entries, its gitlinks, and the paths of its `.gitattributes`
/// files.
fn read_index(path: &Path) -> anyhow::Result<(PathSet, IndexEntries, PathSet, Vec<Vec<u8>>)> {
    let index = gix_index::File::at_or_default(
        path,
        gix_hash::Kind::Sha1,
        true,
        gix_index::decode::Options::default(),
    )
    .map_err(|e| anyhow::anyhow!("{}: cannot read the git index: {e}", path.display()))?;
    let stamp = index.timestamp();
    let written = (stamp.unix_seconds(), stamp.nanoseconds());
    let (entries, backing) = index.into_parts().0.into_entries();
    let mut place_entry: Option<Vec<u32>> = None;
    // The index's own buffer of paths becomes the set's: nothing is copied.
    let mut tracked = PathSet::with_capacity(entries.len(), 0);
    tracked.bytes = backing;
    let mut submodules = PathSet::default();
    let mut attributes = Vec::new();
    for (at, entry) in entries.iter().enumerate() {
        let p = entry.path_in(&tracked.bytes);
        if entry.mode == gix_index::entry::Mode::COMMIT {
            submodules.insert(p);
        }
        if p.ends_with(b".gitattributes")
            && (p.len() == 14 || p[p.len() - 15] == b'/')
            && entry.mode == gix_index::entry::Mode::FILE
        {
            attributes.push(p.to_vec());
        }
        // Where the path lies in the buffer it was taken from.
        let start = p.as_ptr() as usize - tracked.bytes.as_ptr() as usize;
        let (Ok(start), Ok(len)) = (u32::try_from(start), u32::try_from(p.len())) else {
            anyhow::bail!(
                "{}: a git index of more than 4 GiB of paths",
                path.display()
            );
        };
        // Conflicted paths appear once per stage; the set keeps one.
        let place = tracked.spans.len();
        if tracked.insert_span((start, len)) {
            if let Some(map) = place_entry.as_mut() {
                map.push(at as u32);
            }
        } else if place_entry.is_none() {
            place_entry = Some((0..place as u32).collect());
        }
    }
    let index = IndexEntries {
        entries,
        place_entry,
        written,
    };
    Ok((tracked, index, submodules, attributes))
}

/// `dir` relative to the work tree, as git bytes with a trailing `/` (empty at the top).
fn prefix_of(workdir: &Path, dir: &Path) -> anyhow::Result<Vec<u8>> {
    let rel = dir.strip_prefix(workdir).map_err(|_| {
        anyhow::anyhow!(
            "{} is not inside the work tree {}",
            dir.display(),
            workdir.display()
        )
    })?;
    let mut p = rel.as_os_str().as_encoded_bytes().to_vec();
    if !p.is_empty() {
        p.push(b'/');
    }
    Ok(p)
}

fn ask(repo: &Repository, raw: &[u8]) -> bool {
    repo.is_path_ignored(crate::platform::os_path(raw))
        .unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::{Near, PathSet};

    #[test]
    fn the_path_set_holds_each_path_once_and_finds_exactly_those() {
        let mut s = PathSet::with_capacity(2, 8);
        assert!(s.is_empty() && !s.contains(b""));
        let paths: Vec<Vec<u8>> = (0..5000)
            .map(|i| format!("d{}/f{i}.txt", i % 17).into_bytes())
            .chain([b"".to_vec(), b"\xff\xfe".to_vec()])
            .collect();
        for p in &paths {
            s.insert(p);
        }
        // Conflict stages repeat a path: kept once.
        s.insert(&paths[3]);
        assert_eq!(s.iter().count(), paths.len());
        assert!(s.iter().eq(paths.iter().map(Vec::as_slice)));
        for p in &paths {
            assert!(s.contains(p), "{p:?}");
        }
        for missing in [&b"d0/f1.txt"[..], b"d1/f1.tx", b"d1/f1.txtx", b"\xff"] {
            assert!(!s.contains(missing), "{missing:?}");
        }
        assert!(!s.sorted, "inserted out of order");
    }

    #[test]
    fn a_sorted_set_that_breaks_order_finds_the_same() {
        let mut s = PathSet::default();
        for p in ["a", "a/b", "a/b", "b", "c/d"] {
            s.insert(p.as_bytes());
        }
        assert!(s.sorted && s.table.is_empty(), "sorted: no table");
        assert_eq!(s.iter().count(), 4, "the repeated path is kept once");
        for (p, there) in [
            ("a", true),
            ("a/b", true),
            ("b", true),
            ("c/d", true),
            ("c", false),
            ("", false),
        ] {
            assert_eq!(s.contains(p.as_bytes()), there, "{p}");
        }
        // Out of order: a new path, then one already there.
        s.insert(b"aa");
        s.insert(b"a/b");
        assert!(!s.sorted);
        assert_eq!(s.iter().count(), 5);
        for (p, there) in [
            ("a", true),
            ("aa", true),
            ("a/b", true),
            ("c/d", true),
            ("c", false),
        ] {
            assert_eq!(s.contains(p.as_bytes()), there, "{p}");
        }
    }

    #[test]
    fn lookups_near_the_last_directory_agree_with_the_hash() {
        // A sorted index: nested directories, names that sort around `/` (`a-`, `a0`),
        // files at the top.
        let mut paths: Vec<Vec<u8>> = ["a", "a-b", "a0", "b.txt", "z"]
            .iter()
            .map(|p| p.as_bytes().to_vec())
            .collect();
        for d in ["a", "a/b", "a/b/c", "a-b", "a0", "x"] {
            for f in ["f1", "f2", "g"] {
                paths.push(format!("{d}/{f}").into_bytes());
            }
        }
        paths.sort();
        paths.dedup();
        let mut s = PathSet::default();
        for p in &paths {
            s.insert(p);
        }
        assert!(s.sorted);
        let probes: Vec<Vec<u8>> = paths
            .iter()
            .cloned()
            .chain(
                [
                    "a/f",
                    "a/b/f3",
                    "a/b/c/f1x",
                    "q/f1",
                    "a-b/f",
                    "",
                    "a/",
                    "x/g/h",
                    "0",
                ]
                .iter()
                .map(|p| p.as_bytes().to_vec()),
            )
            .collect();
        // In walk order (by directory) and in a scrambled order.
        let mut near = Near::default();
        for p in probes
            .iter()
            .chain(probes.iter().rev())
            .chain(probes.iter().step_by(3))
        {
            assert_eq!(s.contains_near(p, &mut near), s.contains(p), "{p:?}");
        }
    }
}
