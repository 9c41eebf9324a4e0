//! Exports of the manifest to the exclusion formats of coding agents. Each export is
//! checked against the manifest before it is written: a protected path the file would
//! let through is an error, never a silent gap.
//! Must not import walk, decide or app.

pub mod gitignore;

/// Agents whose exclusion file is in the gitignore dialect, with the file each reads at
/// the repository root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
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

/// Build the exclusion file for `agent` that keeps every path the destination may not
/// receive (tier below `accepts`) away from it, merged into `existing`, and verify it.
pub fn ignore_file(
    manifest: &crate::manifest::Manifest,
    agent: IgnoreAgent,
    destination: &str,
    existing: Option<&str>,
) -> Result<IgnoreExport, ExportError> {
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
    let globs: Vec<String> = manifest
        .rules
        .iter()
        .filter(|r| r.tier < dest.accepts)
        .flat_map(|r| r.globs.iter().cloned())
        .collect();
    let patterns = gitignore::patterns(&files, &globs).map_err(ExportError::Uncovered)?;
    let header = format!(
        "{}: paths below tier {} may not reach {}; regenerate with `tiergate export --agent {}`",
        agent.name(),
        dest.accepts,
        dest.name,
        agent.name()
    );
    let text = gitignore::merge(existing, &patterns, &header);
    let cov = gitignore::verify(&text, &files).map_err(|e| ExportError::Other(e.to_string()))?;
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
