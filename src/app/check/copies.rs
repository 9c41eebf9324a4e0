//! Copies: content the change puts at a path keeps the protection it has on the old
//! side. A new or changed file whose blob is the blob of a more protected file on the
//! old side (anywhere in the tree, not only among the change's own paths) is
//! `tier-lowered`; so is one similar to a more protected file (git's similarity, as for
//! renames) when the base manifest says which files are more protected (pull
//! requests). A rename is judged as a move by the path change itself.

use std::collections::{BTreeMap, HashMap, HashSet};

use git2::{Oid, Repository};

use super::verify::Tools;
use super::{Side, Storage};
use crate::gate::verdicts::Lowering;
use crate::manifest::{FileEntry, ManifestView};
use crate::model::TierId;
use crate::walk::changeset::{self, Blob, Change, StagedChanges};

/// A file the change adds or rewrites, with the tier the judging rules give it.
pub(super) struct Candidate<'c> {
    pub blob: &'c Blob,
    /// The old side of the same change (its own rename or modification source).
    pub own_source: Option<&'c str>,
    pub tier: TierId,
}

/// The old side: its files, and how it stores them.
pub(super) struct Old<'a> {
    /// Pre-commit: HEAD, read through the index for the paths the change leaves alone.
    /// None for a pull request: the merge base's tree, `side`.
    pub staged: Option<&'a StagedChanges>,
    pub side: &'a Side<'a>,
    /// Where LFS objects are.
    pub lfs_store: &'a std::path::Path,
}

/// Lowerings through copies, one per candidate (its most protected source). Sources are
/// classified as the old side stores them.
pub(super) fn copies(
    repo: &Repository,
    old: Old<'_>,
    changes: &[&Change],
    candidates: &[Candidate<'_>],
    judge: &mut Tools<'_>,
    base_manifest: Option<&ManifestView>,
) -> anyhow::Result<Vec<Lowering>> {
    let candidates: Vec<&Candidate<'_>> = candidates
        .iter()
        .filter(|c| is_regular(c.blob.mode))
        .collect();
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let mut sources = SourceTiers {
        repo,
        old: &old,
        tiers: HashMap::new(),
    };
    let mut found = Found::default();
    exact_copies(
        repo,
        &old,
        changes,
        &candidates,
        judge,
        &mut sources,
        &mut found,
    )?;
    // Similar copies of files the base manifest holds more protected (pull requests).
    if let (Some(view), None, Side::Tree(tree)) = (base_manifest, old.staged, old.side) {
        similar_copies(
            repo,
            view,
            tree,
            &candidates,
            judge,
            &mut sources,
            &mut found,
        )?;
    }
    Ok(found.0.into_values().collect())
}

/// The judging rules' tier of each source, classified once, as the old side stores it
/// (its filters, the LFS store).
struct SourceTiers<'a> {
    repo: &'a Repository,
    old: &'a Old<'a>,
    tiers: HashMap<String, TierId>,
}

impl SourceTiers<'_> {
    fn tier_of(&mut self, judge: &mut Tools<'_>, b: &Blob) -> anyhow::Result<TierId> {
        if let Some(t) = self.tiers.get(&b.path) {
            return Ok(*t);
        }
        let storage = Storage::of(
            self.repo,
            self.old.side,
            std::iter::once(b.raw.as_slice()),
            self.old.lfs_store,
        )?;
        let t = judge.classify(self.repo, b, &storage)?.decision.tier;
        self.tiers.insert(b.path.clone(), t);
        Ok(t)
    }
}

/// The lowerings found so far, by path.
#[derive(Default)]
struct Found(BTreeMap<String, Lowering>);

impl Found {
    /// Keeps the most protected source of each candidate.
    fn keep(&mut self, l: Lowering) {
        match self.0.get(&l.path) {
            Some(prev) if prev.from <= l.from => {}
            _ => {
                self.0.insert(l.path.clone(), l);
            }
        }
    }
}

/// Exact copies: the same blob anywhere on the old side.
fn exact_copies(
    repo: &Repository,
    old: &Old<'_>,
    changes: &[&Change],
    candidates: &[&Candidate<'_>],
    judge: &mut Tools<'_>,
    sources: &mut SourceTiers<'_>,
    found: &mut Found,
) -> anyhow::Result<()> {
    let ids: HashSet<Oid> = candidates.iter().map(|c| c.blob.id).collect();
    let mut blobs = blobs_with_ids(repo, old, changes, &ids)?;
    blobs.retain(|s| is_regular(s.mode));
    blobs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut informative: HashMap<Oid, bool> = HashMap::new();
    for c in candidates {
        for s in blobs.iter().filter(|s| {
            s.id == c.blob.id && s.path != c.blob.path && Some(s.path.as_str()) != c.own_source
        }) {
            let carries = match informative.get(&c.blob.id) {
                Some(v) => *v,
                None => {
                    let v = carries_content(repo, c.blob)?;
                    informative.insert(c.blob.id, v);
                    v
                }
            };
            if !carries {
                break;
            }
            let from = sources.tier_of(judge, s)?;
            if c.tier > from {
                found.keep(Lowering {
                    path: c.blob.path.clone(),
                    source: Some(s.path.clone()),
                    from,
                    to: c.tier,
                    message: format!(
                        "a copy of `{}` (tier {from}) at a place that is tier {}: the same content keeps at least its tier",
                        s.path, c.tier
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The old side's files whose blob is one of `ids`.
fn blobs_with_ids(
    repo: &Repository,
    old: &Old<'_>,
    changes: &[&Change],
    ids: &HashSet<Oid>,
) -> anyhow::Result<Vec<Blob>> {
    Ok(match (old.staged, old.side) {
        (Some(staged), _) => {
            let changed: HashSet<&str> = changes
                .iter()
                .flat_map(|c| c.old.iter().chain(&c.new))
                .map(|b| b.path.as_str())
                .collect();
            // Every index entry is tested: the mode first, then the first byte of the
            // id against the candidates' (one bit), then the few candidates by their
            // bytes.
            let wanted: Vec<&[u8]> = ids.iter().map(|id| id.as_bytes()).collect();
            let mut first = [0u64; 4];
            for id in &wanted {
                first[usize::from(id[0] >> 6)] |= 1 << (id[0] & 63);
            }
            let keep = |id: &[u8], mode: u32| {
                is_regular(mode)
                    && first[usize::from(id[0] >> 6)] & (1 << (id[0] & 63)) != 0
                    && wanted.contains(&id)
            };
            let mut out = staged.index_files(repo, &keep, &changed)?;
            out.extend(
                changes
                    .iter()
                    .filter_map(|c| c.old.as_ref())
                    .filter(|b| ids.contains(&b.id))
                    .cloned(),
            );
            out
        }
        (None, Side::Tree(t)) => changeset::files(repo, t)?
            .into_iter()
            .filter(|b| ids.contains(&b.id))
            .collect(),
        (None, Side::Overlay { .. }) => Vec::new(),
    })
}

/// Similar copies (git's similarity, as for renames) of files the base manifest holds
/// more protected than a candidate without an exact-copy source, in the old `tree`.
fn similar_copies(
    repo: &Repository,
    view: &ManifestView,
    tree: &git2::Tree<'_>,
    candidates: &[&Candidate<'_>],
    judge: &mut Tools<'_>,
    sources: &mut SourceTiers<'_>,
    found: &mut Found,
) -> anyhow::Result<()> {
    let open: Vec<&&Candidate<'_>> = candidates
        .iter()
        .filter(|c| !found.0.contains_key(&c.blob.path))
        .collect();
    let Some(loosest) = open.iter().map(|c| c.tier).max() else {
        return Ok(());
    };
    let mut protected: Vec<(String, TierId)> = Vec::new();
    for (path, raw) in view.entries() {
        let e: FileEntry = serde_json::from_str(raw)?;
        if e.tier < loosest && e.kind == "text" {
            protected.push((path.into_owned(), e.tier));
        }
    }
    if protected.is_empty() || protected.len() * open.len() > changeset::RENAME_LIMIT {
        return Ok(());
    }
    let mut new_sigs = Vec::new();
    for c in &open {
        if let Some(sig) = signature(repo, c.blob.id)? {
            new_sigs.push((c, sig));
        }
    }
    for (path, listed) in protected {
        let Some(entry) = super::tree_file(tree, &path)? else {
            continue;
        };
        let Some(old_sig) = signature(repo, entry.id)? else {
            continue;
        };
        for (c, new_sig) in &new_sigs {
            if c.tier <= listed
                || path == c.blob.path
                || Some(path.as_str()) == c.own_source
                || entry.id == c.blob.id
            {
                continue;
            }
            let score = changeset::Signature::similarity(&old_sig, new_sig);
            if score < changeset::RENAME_THRESHOLD {
                continue;
            }
            let from = sources.tier_of(judge, &entry)?;
            if c.tier > from {
                found.keep(Lowering {
                    path: c.blob.path.clone(),
                    source: Some(path.clone()),
                    from,
                    to: c.tier,
                    message: format!(
                        "{score}% like `{path}` (tier {from}), at a place that is tier {}: copied content keeps at least its tier",
                        c.tier
                    ),
                });
            }
        }
    }
    Ok(())
}

fn is_regular(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

/// Whether a blob says anything: empty and blank files are the same everywhere.
fn carries_content(repo: &Repository, b: &Blob) -> anyhow::Result<bool> {
    let blob = repo
        .find_blob(b.id)
        .map_err(|e| anyhow::anyhow!("{}: {}", b.path, e.message()))?;
    Ok(blob.content().iter().any(|c| !c.is_ascii_whitespace()))
}

/// The similarity signature of a blob; None when it is too large to compare or blank.
fn signature(repo: &Repository, id: Oid) -> anyhow::Result<Option<changeset::Signature>> {
    let blob = repo
        .find_blob(id)
        .map_err(|e| anyhow::anyhow!("{id}: {}", e.message()))?;
    let bytes = blob.content();
    if bytes.len() > changeset::RENAME_MAX_BYTES || bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    Ok(Some(changeset::Signature::of(bytes)))
}
