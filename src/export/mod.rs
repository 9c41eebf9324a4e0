//! Exports of the manifest to the exclusion formats of coding agents. Each export is
//! checked against the manifest before it is written: a protected path the file would
//! let through is an error, never a silent gap.
//! Must not import walk, decide or app.

pub mod gitignore;
