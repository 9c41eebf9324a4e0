//! The gate: pure verdicts about a change. It compares how paths were classified before
//! and after a change (old and new side, both judged by the same rules), the manifests
//! committed on each side and the config's requirements, and says what it finds as
//! [`Verdict`]s, each with a stable code. Which codes fail is configuration; the exit
//! code is computed once, from [`Report::failed`]. Reading git, classifying blobs and
//! printing belong to the application layer and the renderers.
//! Must not import walk, app or render.

mod section;
pub mod verdicts;

pub use section::{GateConfig, Requirement, SecretsPolicy};

use serde::Serialize;

use crate::model::TierId;

/// The verdict codes, stable: they are SARIF rule ids, JUnit test names and keys of
/// `gate.fail_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The committed manifest does not match the tree, the config or the policies.
    StaleManifest,
    /// A path became less protected (a higher tier number than before).
    TierLowered,
    /// New tier-1 content: a new path, or a path that was less protected before.
    NewRestricted,
    /// Config, policies or exceptions changed; the change was judged with the old ones.
    PolicyChange,
    /// A requirement of the config, or a credential committed.
    Violation,
    /// An exception of `tiergate.exceptions.yaml` has expired.
    ExceptionExpired,
    /// A changed file is covered by an exception bound to other content.
    ExceptionMismatch,
}

impl Code {
    pub const ALL: [Code; 7] = [
        Code::StaleManifest,
        Code::TierLowered,
        Code::NewRestricted,
        Code::PolicyChange,
        Code::Violation,
        Code::ExceptionExpired,
        Code::ExceptionMismatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::StaleManifest => "stale-manifest",
            Code::TierLowered => "tier-lowered",
            Code::NewRestricted => "new-restricted",
            Code::PolicyChange => "policy-change",
            Code::Violation => "violation",
            Code::ExceptionExpired => "exception-expired",
            Code::ExceptionMismatch => "exception-mismatch",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// One sentence for SARIF rule descriptions, `--help` and the codes reference
    /// (docs/src/reference/codes.md).
    pub fn description(self) -> &'static str {
        match self {
            Code::StaleManifest => {
                "the committed manifest does not say what the judging rules give: its header, an entry, or a path it lists; run `tiergate scan` and commit the result"
            }
            Code::TierLowered => {
                "content became less protected (moved or copied to a cloud-allowed place, a rule loosened by the change itself, or the manifest edited to route it more freely)"
            }
            Code::NewRestricted => {
                "the change adds tier-1 content: it stays local and never reaches a cloud model"
            }
            Code::PolicyChange => {
                "the change edits tiergate's config, policies or exceptions; it was judged with the unchanged ones and needs review"
            }
            Code::Violation => {
                "a requirement of the config is broken, or a credential is committed (credentials never belong in a repository)"
            }
            Code::ExceptionExpired => {
                "an exception in tiergate.exceptions.yaml has expired: renew it with a new approval or remove it"
            }
            Code::ExceptionMismatch => {
                "a file covered by an exception bound to a blob changed: the exception no longer applies; re-approve the new content or remove it"
            }
        }
    }

    /// What to do about a verdict of this code: the next command or edit.
    pub fn remedy(self) -> &'static str {
        match self {
            Code::StaleManifest => {
                "Run `tiergate scan`, then `git add tiergate.manifest.json` and commit it with the change."
            }
            Code::TierLowered => {
                "Put the content back where its tier allows, or land the lowering in two steps: first the rule change with the manifest its old rules give (`tiergate scan --rules <base>`), then the files; or add a reviewed exception to tiergate.exceptions.yaml."
            }
            Code::NewRestricted => {
                "Nothing to fix when the content belongs in the repository: it stays on local models. Make sure it is meant to be committed."
            }
            Code::PolicyChange => {
                "Have the owners of tiergate's config, policies and exceptions review the change (make them its code owners)."
            }
            Code::Violation => {
                "Remove the credential from the change and rotate it: it may already be in history. For a requirement of the config, do what its message says."
            }
            Code::ExceptionExpired => {
                "Renew the exception in tiergate.exceptions.yaml with a new approval and expiry date, or remove it."
            }
            Code::ExceptionMismatch => {
                "Have the exception re-approved for the new content (its blob id), or remove it."
            }
        }
    }

    /// GitHub code scanning's `security-severity` of this code, 0.0 to 10.0: critical
    /// for committed credentials, high for content that loses protection.
    pub fn security_severity(self) -> &'static str {
        match self {
            Code::Violation => "9.0",
            Code::TierLowered => "8.0",
            Code::ExceptionMismatch => "6.0",
            Code::ExceptionExpired => "5.0",
            Code::NewRestricted => "4.0",
            Code::PolicyChange => "2.0",
            Code::StaleManifest => "0.0",
        }
    }

    /// Whether a verdict of this code is about the repository's content (an alert in a
    /// code-scanning tool) rather than about the check itself: a stale manifest is a
    /// failed check, fixed by rescanning, not a finding to triage.
    pub fn is_alert(self) -> bool {
        self != Code::StaleManifest
    }

    /// The codes that fail the gate when the config does not say otherwise.
    pub fn default_fail_on() -> Vec<Code> {
        vec![
            Code::StaleManifest,
            Code::TierLowered,
            Code::Violation,
            Code::ExceptionExpired,
            Code::ExceptionMismatch,
        ]
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the gate says about a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub code: Code,
    /// The path it is about (new side; the old path for a deletion); None for the
    /// change as a whole (e.g. a missing manifest).
    pub path: Option<String>,
    /// Where the content came from, for a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// 1-based line in `path` the verdict points at (the first line of a signal), when
    /// there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_tier: Option<TierId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_tier: Option<TierId>,
    /// What decided it: a signal id, a finding's rule, a `gate.require` id, a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub message: String,
    /// Whether this verdict fails the gate (its code is in `gate.fail_on`).
    pub fails: bool,
}

/// Which comparison a report describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Mode {
    /// The working tree against the manifest on disk.
    Worktree,
    /// The index against HEAD (pre-commit).
    Staged {
        /// HEAD's commit; None in a repository without commits.
        head: Option<String>,
    },
    /// A commit against its merge base with a base ref (pull request).
    Range {
        /// The base ref as given and the commit it names.
        base_ref: String,
        base: String,
        head_ref: String,
        head: String,
        merge_base: String,
    },
}

/// How a path changed between the old and the new side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Added,
    Deleted,
    Modified,
    Renamed,
    /// Unchanged content; its routing changed because the rules or the manifest did.
    Unchanged,
}

/// Direction of a tier change; lower tier numbers are more protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Less protected than before.
    Lowered,
    /// More protected than before.
    Raised,
    /// A new path.
    Added,
    /// A path that is gone.
    Removed,
    /// Same tier.
    Same,
}

/// One path's tier before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierChange {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    pub status: Status,
    pub old_tier: Option<TierId>,
    pub new_tier: Option<TierId>,
    pub direction: Direction,
    /// The finding that decides the new tier (or the old one for a deletion).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

impl TierChange {
    pub fn direction_of(old: Option<TierId>, new: Option<TierId>) -> Direction {
        match (old, new) {
            (None, _) => Direction::Added,
            (Some(_), None) => Direction::Removed,
            (Some(o), Some(n)) if n > o => Direction::Lowered,
            (Some(o), Some(n)) if n < o => Direction::Raised,
            _ => Direction::Same,
        }
    }
}

/// A tier's id and name, for renderers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierName {
    pub id: TierId,
    pub name: String,
}

/// What the gate found about one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub mode: Mode,
    /// Where the rules that judged the change came from (e.g. `HEAD`, `origin/main`).
    pub judged_with: String,
    /// The manifest file the change was compared with (repo-relative).
    pub manifest: String,
    /// The configured tiers, most sensitive first.
    pub tiers: Vec<TierName>,
    /// The codes that fail the gate.
    pub fail_on: Vec<Code>,
    /// Paths whose content or place changed (classified again).
    pub changed_paths: u64,
    /// Verdicts sorted by path, then code.
    pub verdicts: Vec<Verdict>,
    /// Every path whose tier changed, or that was added or removed, sorted by path.
    pub changes: Vec<TierChange>,
}

impl Report {
    /// True when any verdict fails the gate (exit 1).
    pub fn failed(&self) -> bool {
        self.verdicts.iter().any(|v| v.fails)
    }

    /// The name of a tier, or its number when the config does not name it.
    pub fn tier_name(&self, id: TierId) -> String {
        self.tiers
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_string(), |t| t.name.clone())
    }

    /// Verdicts with this code.
    pub fn count(&self, code: Code) -> usize {
        self.verdicts.iter().filter(|v| v.code == code).count()
    }
}
