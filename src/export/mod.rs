//! Exports of the manifest to the exclusion formats of coding agents. Each export is
//! checked against the manifest before it is written: a protected path the file would
//! let through is an error, never a silent gap.
//! Must not import walk, decide or app.

pub mod amazonq;
pub mod claude;
pub mod copilot;
pub mod coverage;
pub mod gitignore;
pub mod json_merge;

/// Every agent `tiergate export` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Agent {
    Cursor,
    Gemini,
    Jetbrains,
    Aider,
    Windsurf,
    Continue,
    /// Claude Code: `.claude/settings.json` (permissions.deny and the sandbox's denyRead).
    ClaudeCode,
    /// GitHub Copilot: the content-exclusion list for the repository's settings.
    Copilot,
    /// Amazon Q Developer CLI: a custom agent whose file tools are denied the paths.
    AmazonQ,
}

impl Agent {
    pub const ALL: [Agent; 9] = [
        Agent::Cursor,
        Agent::Gemini,
        Agent::Jetbrains,
        Agent::Aider,
        Agent::Windsurf,
        Agent::Continue,
        Agent::ClaudeCode,
        Agent::Copilot,
        Agent::AmazonQ,
    ];

    pub fn parse(name: &str) -> Option<Agent> {
        Agent::ALL.into_iter().find(|a| a.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::Copilot => "copilot",
            Agent::AmazonQ => "amazon-q",
            _ => self.ignore().map_or("", IgnoreAgent::name),
        }
    }

    /// The file tiergate writes, relative to the repository root.
    pub fn file(self) -> &'static str {
        match self {
            Agent::ClaudeCode => claude::SETTINGS,
            Agent::Copilot => COPILOT_FILE,
            Agent::AmazonQ => amazonq::AGENT_FILE,
            _ => self.ignore().map_or("", IgnoreAgent::file),
        }
    }

    /// The gitignore-dialect agent this is, if it is one.
    pub fn ignore(self) -> Option<IgnoreAgent> {
        Some(match self {
            Agent::Cursor => IgnoreAgent::Cursor,
            Agent::Gemini => IgnoreAgent::Gemini,
            Agent::Jetbrains => IgnoreAgent::Jetbrains,
            Agent::Aider => IgnoreAgent::Aider,
            Agent::Windsurf => IgnoreAgent::Windsurf,
            Agent::Continue => IgnoreAgent::Continue,
            Agent::ClaudeCode | Agent::Copilot | Agent::AmazonQ => return None,
        })
    }
}

/// Where the Copilot list is written for review (Copilot itself reads repository
/// settings, not files).
pub const COPILOT_FILE: &str = ".github/tiergate-copilot-exclusion.yml";

/// Agents whose exclusion file is in the gitignore dialect, with the file each reads at
/// the repository root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IgnoreAgent {
    /// Cursor: `.cursorignore`.
    Cursor,
    /// Gemini Code Assist: `.aiexclude`.
    Gemini,
    /// JetBrains AI Assistant and Junie: `.aiignore`.
    Jetbrains,
    /// Aider: `.aiderignore`.
    Aider,
    /// Windsurf: `.codeiumignore`.
    Windsurf,
    /// Continue: `.continueignore`.
    Continue,
}

impl IgnoreAgent {
    pub fn name(self) -> &'static str {
        match self {
            IgnoreAgent::Cursor => "cursor",
            IgnoreAgent::Gemini => "gemini",
            IgnoreAgent::Jetbrains => "jetbrains",
            IgnoreAgent::Aider => "aider",
            IgnoreAgent::Windsurf => "windsurf",
            IgnoreAgent::Continue => "continue",
        }
    }

    pub fn file(self) -> &'static str {
        match self {
            IgnoreAgent::Cursor => ".cursorignore",
            IgnoreAgent::Gemini => ".aiexclude",
            IgnoreAgent::Jetbrains => ".aiignore",
            IgnoreAgent::Aider => ".aiderignore",
            IgnoreAgent::Windsurf => ".codeiumignore",
            IgnoreAgent::Continue => ".continueignore",
        }
    }
}

/// An exclusion file built for one agent and destination, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreExport {
    /// The whole file: the user's lines and tiergate's block.
    pub text: String,
    pub patterns: usize,
    pub protected: usize,
    pub over_excluded: usize,
}

/// Why an export cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// Protected paths the file would not exclude (a user's negation, an unnameable path).
    Uncovered(Vec<String>),
    Other(String),
}

/// What must be kept from one destination: every listed path with its verdict, and the
/// gitignore patterns that cover the protected ones (plus the matching rule globs).
pub struct Plan<'m> {
    pub files: Vec<gitignore::Listed<'m>>,
    /// A path inside each protected submodule: its files are not listed, and its
    /// directory is excluded whole; an export must exclude these too.
    pub inside: Vec<String>,
    pub patterns: Vec<String>,
    pub accepts: crate::model::TierId,
    pub destination: String,
}

impl Plan<'_> {
    /// The paths an export is verified against: the listed ones and `inside`.
    pub fn checked(&self) -> Vec<gitignore::Listed<'_>> {
        let mut out = self.files.clone();
        out.extend(self.inside.iter().map(|p| gitignore::Listed {
            path: p,
            protected: true,
        }));
        out
    }
}

/// A name inside a directory no export names otherwise, to prove the whole directory
/// is excluded.
const INSIDE_PROBE: &str = ".tiergate-inside";

/// A literal path as a config glob (tiergate's glob syntax): its special characters
/// escaped with `\`.
fn glob_literal(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '\\' | '*' | '?' | '[' | ']' | '{' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn plan<'m>(
    manifest: &'m crate::manifest::Manifest,
    destination: &str,
) -> Result<Plan<'m>, ExportError> {
    let dest = manifest.destination(destination).ok_or_else(|| {
        ExportError::Other(format!(
            "no destination `{destination}` in the manifest (known: {})",
            manifest
                .destinations
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let files: Vec<gitignore::Listed<'_>> = manifest
        .files
        .iter()
        .map(|(path, e)| gitignore::Listed {
            path,
            protected: e.tier < dest.accepts,
        })
        .collect();
    // A protected submodule is one entry whose files the manifest does not list: its
    // directory is excluded whole.
    let submodules: Vec<&String> = manifest
        .files
        .iter()
        .filter(|(_, e)| e.kind == "submodule" && e.tier < dest.accepts)
        .map(|(p, _)| p)
        .collect();
    // Paths that may appear later: the globs of rules and of zones the policies protect
    // by path alone.
    let mut globs: Vec<String> = manifest
        .rules
        .iter()
        .filter(|r| r.tier < dest.accepts)
        .flat_map(|r| r.globs.iter().cloned())
        .chain(
            manifest
                .zones
                .iter()
                .filter(|z| z.path_tier.is_some_and(|t| t < dest.accepts))
                .flat_map(|z| z.globs.iter().cloned()),
        )
        .collect();
    globs.extend(submodules.iter().map(|p| format!("{}/**", glob_literal(p))));
    let patterns = gitignore::patterns(&files, &globs).map_err(ExportError::Uncovered)?;
    Ok(Plan {
        files,
        inside: submodules
            .iter()
            .map(|p| format!("{p}/{INSIDE_PROBE}"))
            .collect(),
        patterns,
        accepts: dest.accepts,
        destination: dest.name.clone(),
    })
}

/// Build the exclusion file for `agent` that keeps every path the destination may not
/// receive (tier below `accepts`) away from it, merged into `existing`, and verify it.
pub fn ignore_file(
    manifest: &crate::manifest::Manifest,
    agent: IgnoreAgent,
    destination: &str,
    existing: Option<&str>,
) -> Result<IgnoreExport, ExportError> {
    let plan = plan(manifest, destination)?;
    let checked = plan.checked();
    let Plan {
        files,
        patterns,
        accepts,
        destination,
        ..
    } = &plan;
    let header = format!(
        "{}: paths below tier {accepts} may not reach {destination}; regenerate with `tiergate export --agent {}`",
        agent.name(),
        agent.name()
    );
    let text = gitignore::merge(existing, patterns, &header);
    let cov = gitignore::verify(&text, &checked).map_err(|e| ExportError::Other(e.to_string()))?;
    if !cov.uncovered.is_empty() {
        return Err(ExportError::Uncovered(cov.uncovered));
    }
    Ok(IgnoreExport {
        protected: files.iter().filter(|f| f.protected).count(),
        patterns: patterns.len(),
        over_excluded: cov.over_excluded,
        text,
    })
}

/// Claude Code's settings with tiergate's deny rules merged in, verified.
pub fn claude_settings(
    manifest: &crate::manifest::Manifest,
    destination: &str,
    existing: Option<&str>,
    previous: Option<&str>,
) -> Result<(claude::ClaudeExport, usize), ExportError> {
    let plan = plan(manifest, destination)?;
    let hook = format!(
        "tiergate hook claude-code --destination {}",
        plan.destination
    );
    let out =
        claude::merge(existing, previous, &plan.patterns, &hook).map_err(ExportError::Other)?;
    let uncovered = claude::uncovered(&out.settings, &plan.checked())
        .map_err(|e| ExportError::Other(e.to_string()))?;
    if !uncovered.is_empty() {
        return Err(ExportError::Uncovered(uncovered));
    }
    Ok((out, plan.files.iter().filter(|f| f.protected).count()))
}

/// Copilot's content-exclusion list, verified with Copilot's matching.
pub fn copilot_list(
    manifest: &crate::manifest::Manifest,
    destination: &str,
) -> Result<(String, usize, usize), ExportError> {
    let plan = plan(manifest, destination)?;
    let entries = copilot::entries(&plan.patterns);
    let uncovered = copilot::uncovered(&entries, &plan.checked())
        .map_err(|e| ExportError::Other(e.to_string()))?;
    if !uncovered.is_empty() {
        return Err(ExportError::Uncovered(uncovered));
    }
    let header = format!(
        "copilot: paths below tier {} may not reach {}; regenerate with `tiergate export --agent copilot`",
        plan.accepts, plan.destination
    );
    Ok((
        copilot::render(&entries, &header),
        entries.len(),
        plan.files.iter().filter(|f| f.protected).count(),
    ))
}

/// The Amazon Q agent with tiergate's denied paths, verified: (agent file, managed
/// list, entries, protected paths).
pub fn amazonq_agent(
    manifest: &crate::manifest::Manifest,
    destination: &str,
    existing: Option<&str>,
    previous: Option<&str>,
) -> Result<(String, String, usize, usize), ExportError> {
    let plan = plan(manifest, destination)?;
    let (text, managed, n) =
        amazonq::merge(existing, previous, &plan.patterns).map_err(ExportError::Other)?;
    let uncovered = amazonq::uncovered(&text, &plan.checked())
        .map_err(|e| ExportError::Other(e.to_string()))?;
    if !uncovered.is_empty() {
        return Err(ExportError::Uncovered(uncovered));
    }
    Ok((
        text,
        managed,
        n,
        plan.files.iter().filter(|f| f.protected).count(),
    ))
}
