//! Anchors: the log's head written to a git ref outside the working tree, as a commit
//! whose tree holds one blob, `anchor.json` (the log's name, its record count, the
//! hash of its last record and, in the keyed mode, a commitment to the key of the next
//! record). Each anchor commit has the previous anchor of the ref as its parent, so a
//! ref pushed to a server that refuses non-fast-forward updates keeps every head it was
//! ever given. `tiergate audit verify --against REF` checks that the log extends every
//! anchor of REF's first-parent history: at least as many records, and the anchored
//! hash at the anchored position.

use serde::{Deserialize, Serialize};

/// Where anchors go by default: `refs/tiergate/audit/<user>`.
pub const REF_PREFIX: &str = "refs/tiergate/audit/";
const BLOB: &str = "anchor.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// Always 1.
    pub tiergate_audit_anchor: u32,
    /// The log's name in its repository ([`super::marker::log_name`]).
    pub log: String,
    pub count: u64,
    /// The hash of record `count` (the genesis hash for 0).
    pub last: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<KeyCommitment>,
}

/// In the keyed mode: the record the key file was at, and
/// [`super::key::commitment`] of its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyCommitment {
    pub seq: u64,
    pub commitment: String,
}

/// A full ref name: `REF` when it starts with `refs/`, else under [`REF_PREFIX`].
pub fn ref_name(given: &str) -> String {
    if given.starts_with("refs/") {
        given.to_string()
    } else {
        format!("{REF_PREFIX}{given}")
    }
}

/// The default anchor ref of a user: git's user.email, else the account, else `local`,
/// with anything a ref name cannot hold replaced by `-`.
pub fn default_ref(email: Option<&str>, account: Option<&str>) -> String {
    let who = email.or(account).unwrap_or("local");
    let clean: String = who
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean
        .trim_matches(['.', '-'])
        .replace("..", "-")
        .replace("@{", "-");
    let name = format!(
        "{REF_PREFIX}{}",
        if clean.is_empty() { "local" } else { &clean }
    );
    if git2::Reference::is_valid_name(&name) {
        name
    } else {
        format!("{REF_PREFIX}local")
    }
}

fn git_error(what: &str, e: git2::Error) -> anyhow::Error {
    anyhow::anyhow!("{what}: {}", e.message())
}

/// The anchors of `rev`'s first-parent history, newest first, each labelled with the
/// revision and its commit.
pub fn read_chain(repo: &git2::Repository, rev: &str) -> anyhow::Result<Vec<(String, Anchor)>> {
    let mut commit = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| git_error(rev, e))?;
    let mut out = Vec::new();
    loop {
        let id = commit.id().to_string();
        let label = format!("{rev} (commit {})", &id[..12]);
        let tree = commit.tree().map_err(|e| git_error(&label, e))?;
        let entry = tree
            .get_name(BLOB)
            .ok_or_else(|| anyhow::anyhow!("{label}: not a tiergate anchor (no {BLOB})"))?;
        let blob = repo
            .find_blob(entry.id())
            .map_err(|e| git_error(&label, e))?;
        let anchor: Anchor = serde_json::from_slice(blob.content())
            .map_err(|e| anyhow::anyhow!("{label}: not a tiergate anchor ({e})"))?;
        if anchor.tiergate_audit_anchor != 1 {
            anyhow::bail!("{label}: an anchor of a later version");
        }
        out.push((label, anchor));
        if commit.parent_count() == 0 {
            return Ok(out);
        }
        commit = commit.parent(0).map_err(|e| git_error(rev, e))?;
    }
}

/// Commit `anchor` on top of `refname`'s current anchor (if any) and move the ref to
/// it, only if nobody moved it meanwhile. Returns the commit.
pub fn write(repo: &git2::Repository, refname: &str, anchor: &Anchor) -> anyhow::Result<git2::Oid> {
    let mut json = serde_json::to_vec_pretty(anchor)?;
    json.push(b'\n');
    let blob = repo.blob(&json).map_err(|e| git_error(refname, e))?;
    let mut tb = repo.treebuilder(None).map_err(|e| git_error(refname, e))?;
    tb.insert(BLOB, blob, 0o100_644)
        .map_err(|e| git_error(refname, e))?;
    let tree_id = tb.write().map_err(|e| git_error(refname, e))?;
    let tree = repo.find_tree(tree_id).map_err(|e| git_error(refname, e))?;
    let parent = match repo.find_reference(refname) {
        Ok(r) => Some(r.peel_to_commit().map_err(|e| git_error(refname, e))?),
        Err(e) if e.code() == git2::ErrorCode::NotFound => None,
        Err(e) => return Err(git_error(refname, e)),
    };
    let sig = repo
        .signature()
        .or_else(|_| git2::Signature::now("tiergate", "tiergate@localhost"))
        .map_err(|e| git_error(refname, e))?;
    let message = format!(
        "tiergate audit anchor: {} records of {}\n",
        anchor.count, anchor.log
    );
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo
        .commit(None, &sig, &sig, &message, &tree, &parents)
        .map_err(|e| git_error(refname, e))?;
    let moved = match &parent {
        Some(p) => repo.reference_matching(refname, id, true, p.id(), &message),
        None => repo.reference(refname, id, false, &message),
    };
    moved.map_err(|e| git_error(refname, e))?;
    Ok(id)
}
