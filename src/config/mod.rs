//! Configuration: `tiergate.yaml` found by walking up from the working directory, or
//! the built-in defaults. Two phases: YAML into a located tree (serde-saphyr), then
//! validation that collects every problem with file:line:col before failing.
//! Must not import walk, decide, manifest or render.
//!
//! Glob semantics for zones and rules are those of [`build_glob`]: repo-relative,
//! `*` stops at `/`, so `*.pem` matches only at the root and `**/*.pem` anywhere.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Destination, Tier, TierId};

mod defaults;
mod validate;
use crate::schema::yaml;

#[cfg(test)]
mod tests;

pub use defaults::{BUILTIN_FILE, builtin_loc, builtin_zones, defaults};
// Owned by the modules that use them; the config composes them.
pub use crate::detect::accept::{AcceptedEntry, AcceptedFile, FINGERPRINT_HEX};
pub use crate::detect::custom::CustomDetector;
pub use crate::gate::{GateConfig, Requirement, SecretsPolicy};
pub use crate::model::build_glob;
pub use crate::rules::user::RuleFilesConfig;
pub use crate::schema::Loc;

/// File name searched for when `--config` is not given.
pub const CONFIG_FILE_NAME: &str = "tiergate.yaml";

/// File name of the exceptions file, at the repository root.
pub const EXCEPTIONS_FILE: &str = "tiergate.exceptions.yaml";

/// A reviewed waiver from `tiergate.exceptions.yaml`: paths matching `globs` get `tier`
/// while it is in force (from `approved` until the day before `expires`) and, when
/// `blob` is set, only while the file's content is that git blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub id: String,
    pub globs: Vec<String>,
    pub tier: TierId,
    pub reason: String,
    pub approver: String,
    pub approved: crate::model::Date,
    pub expires: crate::model::Date,
    pub blob: Option<String>,
    pub source: Loc,
}

impl Exception {
    /// The manifest form of this exception.
    pub fn manifest_def(&self) -> crate::manifest::ExceptionDef {
        crate::manifest::ExceptionDef {
            id: self.id.clone(),
            paths: self.globs.clone(),
            tier: self.tier,
            reason: self.reason.clone(),
            approver: self.approver.clone(),
            approved: self.approved.to_string(),
            expires: self.expires.to_string(),
            blob: self.blob.clone(),
            source: format!("{}:{}", self.source.file, self.source.line),
        }
    }
}

/// Where an exception stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExceptionStatus {
    /// Approved for a later day: not yet in force.
    Pending,
    Active,
    /// `expires` has come: no longer applied, and the gate fails until it is renewed
    /// or removed.
    Expired,
}

impl ExceptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionStatus::Pending => "pending",
            ExceptionStatus::Active => "active",
            ExceptionStatus::Expired => "expired",
        }
    }
}

impl Exception {
    pub fn status(&self, today: crate::model::Date) -> ExceptionStatus {
        if today >= self.expires {
            ExceptionStatus::Expired
        } else if today < self.approved {
            ExceptionStatus::Pending
        } else {
            ExceptionStatus::Active
        }
    }
}

/// The exceptions file as loaded: its entries and the digest of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionsFile {
    /// How it is named in findings (`tiergate.exceptions.yaml`).
    pub display: String,
    pub digest: String,
    pub exceptions: Vec<Exception>,
}

/// Parse and validate exceptions text against the config's tiers. Every problem is
/// reported at once, located.
pub fn parse_exceptions(
    bytes: &[u8],
    display_name: &str,
    config: &Config,
) -> Result<ExceptionsFile, Diagnostics> {
    let (root, digest) = governance_yaml(bytes, display_name, "an exceptions file")?;
    let exceptions =
        validate::exceptions::validate(root.as_ref(), display_name, config).map_err(Diagnostics)?;
    Ok(ExceptionsFile {
        display: display_name.to_string(),
        digest,
        exceptions,
    })
}

/// Load `tiergate.exceptions.yaml` from `root`; `Ok(None)` when there is none.
pub fn load_exceptions(
    root: &Path,
    config: &Config,
) -> Result<Option<ExceptionsFile>, Diagnostics> {
    read_governance(root, EXCEPTIONS_FILE)?
        .map(|bytes| parse_exceptions(&bytes, EXCEPTIONS_FILE, config))
        .transpose()
}

/// File name of the accepted findings file, at the repository root.
pub const ACCEPTED_FILE: &str = "tiergate.accepted.yaml";

/// Parse and validate accepted findings text. Every problem is reported at once,
/// located.
pub fn parse_accepted(bytes: &[u8], display_name: &str) -> Result<AcceptedFile, Diagnostics> {
    let (root, digest) = governance_yaml(bytes, display_name, "an accepted findings file")?;
    let entries = validate::accepted::validate(root.as_ref(), display_name).map_err(Diagnostics)?;
    Ok(AcceptedFile {
        display: display_name.to_string(),
        digest,
        entries,
    })
}

/// Load `tiergate.accepted.yaml` from `root`; `Ok(None)` when there is none.
pub fn load_accepted(root: &Path) -> Result<Option<AcceptedFile>, Diagnostics> {
    read_governance(root, ACCEPTED_FILE)?
        .map(|bytes| parse_accepted(&bytes, ACCEPTED_FILE))
        .transpose()
}

/// The bytes of a governance file at the root (`Ok(None)` when there is none), capped
/// like the config.
fn read_governance(root: &Path, name: &str) -> Result<Option<Vec<u8>>, Diagnostics> {
    let path = root.join(name);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    read_capped(&path).map(Some).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            name,
            0,
            0,
            "config-unreadable",
            format!("cannot read {}: {e}", path.display()),
        )])
    })
}

/// A governance file's YAML tree and the digest of its bytes: size-capped, UTF-8 (a
/// byte-order mark is skipped), every problem located.
fn governance_yaml(
    bytes: &[u8],
    display_name: &str,
    what: &str,
) -> Result<(Option<yaml::Located<yaml::Node>>, String), Diagnostics> {
    if bytes.len() > yaml::MAX_CONFIG_BYTES {
        return Err(Diagnostics(vec![Diagnostic::new(
            display_name,
            0,
            0,
            "yaml-limit",
            format!(
                "the file is larger than {} bytes, the most {what} may be",
                yaml::MAX_CONFIG_BYTES
            ),
        )]));
    }
    let digest = defaults::sha256_digest(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(&bytes[..e.valid_up_to()]);
        Diagnostics(vec![Diagnostic::new(
            display_name,
            line,
            col,
            "yaml-syntax",
            "the file is not valid UTF-8",
        )])
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = yaml::parse(text, display_name).map_err(|d| Diagnostics(vec![d]))?;
    Ok((root, digest))
}

/// A named set of globs. Zones become facts (`input.file.zones`) that rules and policies use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    pub globs: Vec<String>,
    /// Where it was defined: `tiergate.yaml:LINE` or `builtin`.
    pub source: Loc,
    pub builtin: bool,
}

/// A glob rule: any path matching one of `globs` gets a finding at `tier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobRule {
    pub id: String,
    pub globs: Vec<String>,
    pub tier: TierId,
    pub reason: String,
    pub source: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyConfig {
    /// Directories (relative to the repository root) whose `*.rego` files are loaded,
    /// `*_test.rego` excluded. Default: `.tiergate/policies` (missing is fine).
    pub dirs: Vec<String>,
    /// Shipped packs to turn off, by pack name (e.g. `baseline`).
    pub disable: Vec<String>,
    /// Rego instruction budget per evaluation (RVM `max_instructions`).
    pub max_instructions: u64,
    /// Wall-clock deadline of one evaluation, in milliseconds; past it the file is
    /// tier 1 (`policy-error`). Default 2000.
    pub max_eval_ms: u64,
    /// Per-pack settings (`policies.settings.<pack>.<key>: scalar`), handed to every
    /// policy as `data.tiergate.config.settings`; each pack documents the keys it reads.
    pub settings:
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a file read for content detection; past this the file is `large` and only
    /// this much is scanned. Default 8 MiB.
    pub max_content_bytes: u64,
    /// Bytes sniffed for a NUL to call a file binary. Default 8 KiB.
    pub binary_sniff_bytes: u64,
}

/// The validated configuration. Every reference (tier ids, destination names) is known
/// to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Sorted by id, most sensitive first.
    pub tiers: Vec<Tier>,
    /// In config order.
    pub destinations: Vec<Destination>,
    pub default_tier: TierId,
    /// Where `default_tier` is set (`builtin`, line 0, when it is not; the `visibility`
    /// key when `visibility: public` sets it).
    pub default_tier_source: Loc,
    /// Whether the repository is published (`visibility:`).
    pub visibility: Visibility,
    /// Built-in zones first (unless replaced by a user zone of the same name), then user zones.
    pub zones: Vec<Zone>,
    pub rules: Vec<GlobRule>,
    pub policies: PolicyConfig,
    pub limits: Limits,
    /// Custom content detectors, in config order.
    pub detectors: Vec<CustomDetector>,
    /// How `tiergate check` judges changes (does not affect classification).
    pub gate: GateConfig,
    /// Coding agents in use, by export name (`cursor`, `claude-code`, ...), with the
    /// destination their model is; `tiergate export --all` writes for each.
    pub agents: Vec<(String, String)>,
    /// How findings may be accepted as false positives (`accept:`).
    pub accept: AcceptConfig,
    /// Where the repository's own rule files are (`rule_files:`).
    pub rule_files: RuleFilesConfig,
    /// The config file, if one was used (absolute path).
    pub path: Option<std::path::PathBuf>,
    /// `sha256:<hex>` of the config bytes, or of the canonical defaults when there is no file.
    pub digest: String,
}

/// Whether the repository's content is published. A public repository's files are
/// already public: the default tier is the least sensitive one, and only findings
/// (a credential, personal data, an Annex III candidate, a zone) raise a file above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    #[default]
    Private,
    Public,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Public => "public",
        }
    }
}

/// `accept:` of the config: the ways a detector hit may be accepted as a false positive.
/// The accepted findings file always counts (its changes are reviewed as governance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptConfig {
    /// Whether `tiergate:accept` markers in files count. Default true; a team that wants
    /// every acceptance in the reviewed file turns them off.
    pub inline: bool,
}

impl Default for AcceptConfig {
    fn default() -> AcceptConfig {
        AcceptConfig { inline: true }
    }
}

/// Stable codes of the problems config loading reports, with what each means.
pub const DIAGNOSTIC_CODES: &[(&str, &str)] = &[
    ("config-unreadable", "the config file could not be read"),
    (
        "yaml-syntax",
        "the file is not valid YAML (or not UTF-8, or more than one document)",
    ),
    (
        "duplicate-key",
        "a key appears twice in the same YAML mapping",
    ),
    (
        "yaml-limit",
        "the document is too large, too deep or expands too many aliases",
    ),
    (
        "unknown-key",
        "a key the schema does not know, often a typo",
    ),
    ("invalid-type", "a value of the wrong YAML type"),
    ("missing-key", "a required key is absent"),
    (
        "duplicate-id",
        "two tiers, destinations or rules share an id or name",
    ),
    (
        "invalid-glob",
        "a glob that does not parse or is not repo-relative",
    ),
    (
        "unknown-tier",
        "a reference to a tier the config does not define",
    ),
    ("invalid-name", "a name that is not a lowercase identifier"),
    (
        "invalid-value",
        "a value of the right type outside what is allowed",
    ),
    (
        "unsupported-version",
        "a config `version` this build does not read",
    ),
    (
        "invalid-regex",
        "a detector regex that does not compile or can match the empty string",
    ),
];

/// Find `tiergate.yaml` by walking up from `start` (stop at the filesystem root).
/// `None` if there is none. A relative `start` is taken from the current directory, so
/// the walk does not stop early at the end of a relative path.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Load and validate a config file. `display_name` is how the file is named in
/// diagnostics and in `Loc.file` (e.g. `tiergate.yaml` relative to the repo root, or
/// the path as the user gave it). The digest covers the raw bytes, BOM included.
pub fn load_file(path: &Path, display_name: &str) -> Result<Config, Diagnostics> {
    let bytes = read_capped(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            display_name,
            0,
            0,
            "config-unreadable",
            format!("cannot read {}: {e}", path.display()),
        )])
    })?;
    if bytes.len() > yaml::MAX_CONFIG_BYTES {
        return Err(Diagnostics(vec![Diagnostic::new(
            display_name,
            0,
            0,
            "yaml-limit",
            format!(
                "the file is larger than {} bytes, the most a config file may be",
                yaml::MAX_CONFIG_BYTES
            ),
        )]));
    }
    let digest = defaults::sha256_digest(&bytes);
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = line_col(&bytes[..e.valid_up_to()]);
            return Err(Diagnostics(vec![Diagnostic::new(
                display_name,
                line,
                col,
                "yaml-syntax",
                "the file is not valid UTF-8; tiergate.yaml must be UTF-8 text",
            )]));
        }
    };
    let mut config = parse_with_digest(text, display_name, digest)?;
    config.path = Some(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    Ok(config)
}

/// Parse and validate YAML text (used by [`load_file`] and by tests). The digest is of
/// `text`'s UTF-8 bytes; `path` is `None`.
pub fn parse_str(text: &str, display_name: &str) -> Result<Config, Diagnostics> {
    parse_with_digest(text, display_name, defaults::sha256_digest(text.as_bytes()))
}

/// Parse a YAML file of another tool (`.pre-commit-config.yaml` for `tiergate init`)
/// into JSON values, with the config parser's limits; a syntax problem is one
/// diagnostic located at file:line:col.
pub fn parse_yaml_value(text: &str, display_name: &str) -> Result<serde_json::Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    yaml::parse_value(text, display_name)
}

fn parse_with_digest(text: &str, file: &str, digest: String) -> Result<Config, Diagnostics> {
    // A BOM is an encoding marker, not content; the digest still covers it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = yaml::parse(text, file).map_err(|d| Diagnostics(vec![d]))?;
    validate::validate(root.as_ref(), file, digest).map_err(Diagnostics)
}

/// Read at most one byte past the cap, so a huge or endless file (a FIFO, `/dev/zero`)
/// is refused without being read whole; the parser reports the size.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(yaml::MAX_CONFIG_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// 1-based line and column of the position right after `prefix`.
fn line_col(prefix: &[u8]) -> (u64, u64) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, col)
}

impl Config {
    pub fn tier(&self, id: TierId) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    pub fn destination(&self, name: &str) -> Option<&Destination> {
        self.destinations.iter().find(|d| d.name == name)
    }

    /// Names of destinations that admit this tier, in config order.
    pub fn destinations_for(&self, tier: TierId) -> Vec<&str> {
        self.destinations
            .iter()
            .filter(|d| d.admits(tier))
            .map(|d| d.name.as_str())
            .collect()
    }
}
