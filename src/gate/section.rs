//! The `gate:` section of tiergate.yaml: the gate owns its settings; the config
//! validates and composes them.

use super::Code;

/// What the gate does with a credential found in committed content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretsPolicy {
    /// A `violation` verdict (fails the gate with the default `fail_on`).
    Violation,
    /// Reported through the file's tier only (`new-restricted`), like other tier-1 content.
    Report,
}

/// A requirement of `gate.require`: every file in `zones` or matching `globs` must be
/// admitted by the destination `reachable_by`; a file that is not is a `violation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub id: String,
    pub zones: Vec<String>,
    pub globs: Vec<String>,
    pub reachable_by: String,
    pub reason: String,
    pub source: crate::schema::Loc,
}

/// The `gate:` section: how `tiergate check` turns verdicts into a pass or a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateConfig {
    /// Verdict codes that fail the gate.
    pub fail_on: Vec<Code>,
    pub committed_secrets: SecretsPolicy,
    pub require: Vec<Requirement>,
}

impl Default for GateConfig {
    fn default() -> Self {
        GateConfig {
            fail_on: Code::default_fail_on(),
            committed_secrets: SecretsPolicy::Violation,
            require: Vec::new(),
        }
    }
}
