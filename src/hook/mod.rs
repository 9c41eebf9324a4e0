//! Runtime hooks: the coding agent asks before a tool runs, tiergate answers from the
//! manifest. For Claude Code's PreToolUse event: the paths a tool call would read or
//! write are taken from its input (file tools directly; shell commands by [`shell`],
//! which parses the command line and says what it would read and write) and any path
//! the session's destination may not receive denies the call, with the reason shown to
//! the agent. Pure: the caller resolves paths against the manifest.
//! Must not import walk, decide or app.

mod git;
mod programs;
pub mod shell;

use serde::Deserialize;
use serde_json::Value;

pub use shell::{Access, Cwd, Operand, Unparseable, Word, analyze};

/// The part of a Claude Code hook event tiergate reads.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaudeEvent {
    #[serde(default)]
    pub hook_event_name: Option<String>,
    pub tool_name: String,
    #[serde(default)]
    pub tool_input: Value,
    /// The session's working directory.
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub session_id: Option<String>,
    /// Sent by agents that name the model in their events.
    #[serde(default)]
    pub model: Option<String>,
}

/// One path the hook refuses, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: String,
    pub tier: crate::model::TierId,
    pub reason: String,
}

/// Claude Code's answer: deny with a reason (None: no opinion, the normal permission
/// flow goes on).
pub fn claude_answer(refusals: &[Refusal], destination: &str) -> Option<String> {
    if refusals.is_empty() {
        return None;
    }
    let list: Vec<String> = refusals
        .iter()
        .map(|r| format!("{} (tier {}: {})", r.path, r.tier, r.reason))
        .collect();
    let reason = format!(
        "tiergate: this session's model is `{destination}`, which may not receive {}. Work on it with a local model instead.",
        list.join("; ")
    );
    Some(
        serde_json::json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
            }
        })
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_claude_codes_deny_format() {
        assert_eq!(claude_answer(&[], "cloud-zdr"), None);
        let text = claude_answer(
            &[Refusal {
                path: "hr/a.csv".into(),
                tier: 1,
                reason: "glob-rule hr-data".into(),
            }],
            "cloud-zdr",
        )
        .unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
        assert_eq!(v["hookSpecificOutput"]["hookEventName"], "PreToolUse");
        assert!(
            v["hookSpecificOutput"]["permissionDecisionReason"]
                .as_str()
                .unwrap()
                .contains("hr/a.csv (tier 1")
        );
    }
}
