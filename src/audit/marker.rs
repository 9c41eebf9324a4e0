//! The start marker: when a log inside a git repository gets its first record, the
//! hash of that record goes into the repository's own git config (`.git/config`,
//! outside `.git/tiergate/`), as `tiergate-audit.<log name>.first`. `verify` then
//! flags a log that is missing or empty although logging started, and one whose first
//! record is not the one logging started with (deleted and started over). Deleting the
//! marker too leaves nothing on the machine to tell; only an anchor kept elsewhere
//! ([`super::anchor`]) still does.

use std::path::{Component, Path, PathBuf};

/// The repository holding `log`, found from the log's nearest existing directory (the
/// log's own directory may have been deleted), and the log's name in it.
fn locate(log: &Path) -> Option<(git2::Repository, String)> {
    let mut existing = log.parent()?;
    let mut rest: Vec<&std::ffi::OsStr> = vec![log.file_name()?];
    while !existing.is_dir() {
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
    let repo = git2::Repository::discover(existing).ok()?;
    let mut full = existing.canonicalize().ok()?;
    for part in rest.iter().rev() {
        full.push(part);
    }
    let common = repo.commondir().canonicalize().ok()?;
    let name = name_of(&full, &common)?;
    Some((repo, name))
}

/// The log's path relative to the repository's common git directory when inside it
/// (`tiergate/decisions.jsonl` for the default log), else absolute; `/`-separated.
fn name_of(full: &Path, common: &Path) -> Option<String> {
    let rel: PathBuf = match full.strip_prefix(common) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => full.to_path_buf(),
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::RootDir => parts.push(String::new()),
            Component::Normal(p) => parts.push(p.to_str()?.to_string()),
            _ => return None,
        }
    }
    let name = parts.join("/");
    // A git config subsection cannot hold these.
    (!name.is_empty() && !name.contains(['\n', '"', '\0', '\\'])).then_some(name)
}

/// The log's name as anchors and the marker record it (`None` outside a repository).
pub fn log_name(log: &Path) -> Option<String> {
    locate(log).map(|(_, name)| name)
}

fn config_key(name: &str) -> String {
    format!("tiergate-audit.{name}.first")
}

fn local_config(repo: &git2::Repository) -> anyhow::Result<git2::Config> {
    repo.config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .map_err(|e| anyhow::anyhow!("the repository's git config: {}", e.message()))
}

/// The marker of `log`: where it is recorded (for messages) and the first record's
/// hash. `None` outside a repository or without a marker.
pub fn read(log: &Path) -> anyhow::Result<Option<(String, String)>> {
    let Some((repo, name)) = locate(log) else {
        return Ok(None);
    };
    let key = config_key(&name);
    match local_config(&repo)?.get_string(&key) {
        Ok(first) => Ok(Some((format!("the git config's {key}"), first))),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => anyhow::bail!("the git config's {key}: {}", e.message()),
    }
}

/// Record that `log` started with the record whose hash is `first`, unless a marker
/// is there already (a log deleted and started over keeps the original marker, so the
/// restart shows). Nothing outside a repository.
pub fn record(log: &Path, first: &str) -> anyhow::Result<()> {
    let Some((repo, name)) = locate(log) else {
        return Ok(());
    };
    let key = config_key(&name);
    let mut config = local_config(&repo)?;
    match config.get_string(&key) {
        Ok(_) => Ok(()),
        Err(e) if e.code() == git2::ErrorCode::NotFound => config
            .set_str(&key, first)
            .map_err(|e| anyhow::anyhow!("the git config's {key}: {}", e.message())),
        Err(e) => anyhow::bail!("the git config's {key}: {}", e.message()),
    }
}
