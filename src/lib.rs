//! tiergate classifies every file of a repository into a data tier and writes a
//! deterministic routing manifest that tells AI coding agents which paths may reach
//! which model destination (local, cloud under zero data retention, cloud).
//!
//! The pipeline, one direction, one module per stage:
//!
//! ```text
//! rules/ (detector knowledge, compiled in as tables)
//! config + policies ─┐
//!                    ▼
//!  walk (ignore, parallel) → facts (path, zones, kind, git) → decide (globs, then Rego
//!  on facts, memoized) → Decision per file → manifest (BTreeMap, one collector)
//!  → render | route | explain | export | gate | report
//! ```
//!
//! Only [`app`] sees the whole pipeline; each stage is usable and testable alone. The
//! module graph has no cycles (`tests/modules.rs`): features own their config sections
//! and [`config`] composes them.
//! [`run`] drives the command line in-process and returns the exit code:
//! 0 pass, 1 the policy said no, 2 usage, config, policy or runtime error.

pub mod app;
pub mod audit;
pub mod cache;
pub mod cli;
pub mod codes;
pub mod component;
pub mod config;
pub mod decide;
pub mod detect;
pub mod diag;
pub mod export;
pub mod files;
pub mod gate;
pub mod history;
pub mod hook;
pub mod init;
pub mod manifest;
pub mod merge;
pub mod model;
pub mod platform;
pub mod policy;
pub mod render;
pub mod report;
pub mod rules;
pub(crate) mod schema;
pub mod walk;

pub use app::run;
