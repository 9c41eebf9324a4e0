//! Copies: content the change puts at a path keeps the protection it has on the old
//! side. A new or changed file whose blob is the blob of a more protected file on the
//! old side (anywhere in the tree, not only among the change's own paths) is
//! `tier-lowered`; so is one similar to a more protected file (git's similarity, as for
//! renames) when the base manifest says which files are more protected (pull
//! requests). A rename is judged as a move by the path change itself.

use std::collections::{BTreeMap, HashMap, HashSet};

use git2::{Oid, Repository};

use super::Side;
use super::verify::Tools;
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

/// Where the old side's files come from.
pub(super) enum OldFiles<'a> {
    /// Pre-commit: HEAD, read through the index for the paths the change leaves alone.
    Staged(&'a StagedChanges),
    /// A pull request: the merge base's tree.
    Tree(&'a Side<'a>),
}

/// Lowerings through copies, one per candidate (its most protected source).
pub(super) fn copies(
    repo: &Repository,
    old: OldFiles<'_>,
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
    let mut tiers: HashMap<String, TierId> = HashMap::new();
    let mut tier_of = |judge: &mut Tools<'_>, b: &Blob| -> anyhow::Result<TierId> {
        if let Some(t) = tiers.get(&b.path) {
            return Ok(*t);
        }
        let t = judge.classify(repo, b)?.decision.tier;
        tiers.insert(b.path.clone(), t);
        Ok(t)
    };
    let mut found: BTreeMap<String, Lowering> = BTreeMap::new();
    // The most protected source of each candidate.
    let keep = |found: &mut BTreeMap<String, Lowering>, l: Lowering| match found.get(&l.path) {
        Some(prev) if prev.from <= l.from => {}
        _ => {
            found.insert(l.path.clone(), l);
        }
    };

    // Exact copies: the same blob anywhere on the old side.
    let ids: HashSet<Oid> = candidates.iter().map(|c| c.blob.id).collect();
    let mut sources: Vec<Blob> = match old {
        OldFiles::Staged(staged) => {
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
        OldFiles::Tree(side) => match side {
            Side::Tree(t) => changeset::files(repo, t)?
                .into_iter()
                .filter(|b| ids.contains(&b.id))
                .collect(),
            Side::Overlay { .. } => Vec::new(),
        },
    };
    sources.retain(|s| is_regular(s.mode));
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    let mut informative: HashMap<Oid, bool> = HashMap::new();
    for c in &candidates {
        for s in sources.iter().filter(|s| {
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
            let from = tier_of(judge, s)?;
            if c.tier > from {
                keep(
                    &mut found,
                    Lowering {
                        path: c.blob.path.clone(),
                        source: Some(s.path.clone()),
                        from,
                        to: c.tier,
                        message: format!(
                            "a copy of `{}` (tier {from}) at a place that is tier {}: the same content keeps at least its tier",
                            s.path, c.tier
                        ),
                    },
                );
            }
        }
    }

    // Similar copies of files the base manifest holds more protected (pull requests).
    if let (Some(view), OldFiles::Tree(Side::Tree(tree))) = (base_manifest, &old) {
        let open: Vec<&&Candidate<'_>> = candidates
            .iter()
            .filter(|c| !found.contains_key(&c.blob.path))
            .collect();
        let loosest = open.iter().map(|c| c.tier).max();
        if let Some(loosest) = loosest {
            let mut protected: Vec<(String, TierId)> = Vec::new();
            for (path, raw) in view.entries() {
                let e: FileEntry = serde_json::from_str(raw)?;
                if e.tier < loosest && e.kind == "text" {
                    protected.push((path.into_owned(), e.tier));
                }
            }
            if !protected.is_empty() && protected.len() * open.len() <= changeset::RENAME_LIMIT {
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
                        let from = tier_of(judge, &entry)?;
                        if c.tier > from {
                            keep(
                                &mut found,
                                Lowering {
                                    path: c.blob.path.clone(),
                                    source: Some(path.clone()),
                                    from,
                                    to: c.tier,
                                    message: format!(
                                        "{score}% like `{path}` (tier {from}), at a place that is tier {}: copied content keeps at least its tier",
                                        c.tier
                                    ),
                                },
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(found.into_values().collect())
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
