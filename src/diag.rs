//! Problems with the user's input (config, policies, manifests), each located at
//! file:line:col. A run collects every problem it can before failing with exit code 2.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path as given or found (display form).
    pub file: String,
    /// 1-based; 0 when unknown.
    pub line: u64,
    /// 1-based; 0 when unknown.
    pub col: u64,
    /// Stable kebab-case code, e.g. `unknown-key`, `invalid-glob`, `unknown-tier`.
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        file: impl Into<String>,
        line: u64,
        col: u64,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            col,
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.col) {
            (0, _) => write!(f, "{}: error[{}]: {}", self.file, self.code, self.message),
            (l, 0) => write!(
                f,
                "{}:{}: error[{}]: {}",
                self.file, l, self.code, self.message
            ),
            (l, c) => write!(
                f,
                "{}:{}:{}: error[{}]: {}",
                self.file, l, c, self.code, self.message
            ),
        }
    }
}

/// A failure that carries one or more located problems. Maps to exit code 2.
#[derive(Debug)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Why a command could not run: located problems in the user's input, or anything else.
/// Both exit 2.
#[derive(Debug)]
pub enum Failure {
    Diagnostics(Diagnostics),
    Other(anyhow::Error),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Diagnostics(d)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.into())
    }
}

pub type Result<T> = std::result::Result<T, Failure>;
