//! What each agent's exclusion mechanism really blocks, surface by surface, from the
//! agents' own documentation (see the table in docs/src/agents.md, which is generated from this).
//! An exclusion file is not a security boundary where an agent's shell or MCP tools
//! read files without consulting it; the compensating control says what to do there.

use super::Agent;

/// How far a surface is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cover {
    Blocked,
    /// Blocked for some tools or only on a best-effort basis.
    Partial,
    NotBlocked,
    /// The agent's documentation does not say.
    Undocumented,
    /// The agent has no such surface.
    NotApplicable,
}

impl Cover {
    pub fn as_str(self) -> &'static str {
        match self {
            Cover::Blocked => "blocked",
            Cover::Partial => "partial",
            Cover::NotBlocked => "NOT blocked",
            Cover::Undocumented => "undocumented",
            Cover::NotApplicable => "n/a",
        }
    }
}

pub const SURFACES: [&str; 6] = [
    "indexing",
    "completion",
    "chat",
    "agent file tools",
    "shell",
    "MCP",
];

pub struct Row {
    pub agent: Agent,
    pub covers: [Cover; 6],
    pub control: &'static str,
}

use Cover::*;

pub const MATRIX: [Row; 9] = [
    Row {
        agent: Agent::Cursor,
        covers: [Blocked, Blocked, Blocked, Blocked, NotBlocked, NotBlocked],
        control: "Cursor calls the file best effort and says terminal and MCP tools are not bound by it: keep tier-1 repositories on a local model, or run the agent in an OS sandbox without read access to them",
    },
    Row {
        agent: Agent::Gemini,
        covers: [
            Blocked,
            Blocked,
            Blocked,
            Undocumented,
            NotBlocked,
            NotBlocked,
        ],
        control: "`.aiexclude` covers completion, generation and chat; for agent mode, treat tier-1 paths as readable and keep them out of the workspace",
    },
    Row {
        agent: Agent::Jetbrains,
        covers: [Blocked, Blocked, Blocked, Partial, NotBlocked, NotBlocked],
        control: "needs the \"Enable .aiignore\" setting; Junie asks for approval instead of refusing, so reviewers must decline",
    },
    Row {
        agent: Agent::Aider,
        covers: [
            Blocked,
            NotApplicable,
            Blocked,
            Blocked,
            NotBlocked,
            NotApplicable,
        ],
        control: "`/run` shell commands are not gated: do not run Aider with a cloud model in a repository holding tier-1 files it could cat",
    },
    Row {
        agent: Agent::Windsurf,
        covers: [
            Blocked,
            Undocumented,
            Undocumented,
            Undocumented,
            NotBlocked,
            NotBlocked,
        ],
        control: "documented for indexing only; keep tier-1 repositories on a local model",
    },
    Row {
        agent: Agent::Continue,
        covers: [
            Blocked,
            NotApplicable,
            Blocked,
            NotBlocked,
            NotBlocked,
            NotBlocked,
        ],
        control: "the agent's read and edit tools ignore `.continueignore`: use Continue's agent mode only with a local model on tier-1 repositories",
    },
    Row {
        agent: Agent::ClaudeCode,
        covers: [
            NotApplicable,
            NotApplicable,
            Blocked,
            Partial,
            Partial,
            NotBlocked,
        ],
        control: "Read/Edit rules bind the built-in file tools (Grep and Glob best effort); shell reads are blocked only with the sandbox enabled (`sandbox.enabled: true`, which the export does not switch on for you); `tiergate hook claude-code` denies tool calls, shell included, best effort",
    },
    Row {
        agent: Agent::Copilot,
        covers: [
            Undocumented,
            Blocked,
            Blocked,
            NotBlocked,
            NotBlocked,
            NotBlocked,
        ],
        control: "content exclusion is not enforced in IDE agent and edit modes, Copilot CLI or the cloud agent, takes up to 30 minutes to apply and needs a Business or Enterprise plan: keep tier-1 repositories away from those modes",
    },
    Row {
        agent: Agent::AmazonQ,
        covers: [
            NotApplicable,
            NotApplicable,
            NotApplicable,
            Blocked,
            NotBlocked,
            NotBlocked,
        ],
        control: "deniedPaths bind fs_read and fs_write of the `tiergate` agent only (`q chat --agent tiergate`); execute_bash is separate: deny it or require approval for it in that agent",
    },
];

/// The matrix as an aligned text table.
pub fn render_text() -> String {
    let mut header = vec!["agent"];
    header.extend(SURFACES);
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for r in &MATRIX {
        let mut row = vec![r.agent.name().to_string()];
        row.extend(r.covers.iter().map(|c| c.as_str().to_string()));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].len()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str("\ncompensating controls:\n");
    for r in &MATRIX {
        out.push_str(&format!("  {}: {}\n", r.agent.name(), r.control));
    }
    out
}

/// The matrix as a Markdown table (docs/src/agents.md carries this text).
pub fn render_markdown() -> String {
    let mut out = String::from("| agent | ");
    out.push_str(&SURFACES.join(" | "));
    out.push_str(" | compensating control |\n|---|");
    out.push_str(&"---|".repeat(SURFACES.len() + 1));
    out.push('\n');
    for r in &MATRIX {
        out.push_str(&format!("| `{}` | ", r.agent.name()));
        let cells: Vec<&str> = r.covers.iter().map(|c| c.as_str()).collect();
        out.push_str(&cells.join(" | "));
        out.push_str(&format!(" | {} |\n", r.control));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_agent_has_one_row() {
        let mut agents: Vec<Agent> = MATRIX.iter().map(|r| r.agent).collect();
        agents.sort();
        assert_eq!(agents, Agent::ALL.to_vec());
    }

    #[test]
    fn the_agents_chapter_carries_the_matrix() {
        let chapter = include_str!("../../docs/src/agents.md");
        assert!(
            chapter.contains(&render_markdown()),
            "docs/src/agents.md must contain the coverage matrix exactly as render_markdown() gives it:\n{}",
            render_markdown()
        );
    }
}
