//! The governance log from the command line: where it lives, who is asking, appending
//! runtime decisions (route --log, the hook), and `audit verify` / `audit show`.

use std::path::{Path, PathBuf};

use super::{EXIT_DENIED, EXIT_OK, Failure, Io, Result};
use crate::audit::{self, Entry, Log};
use crate::cli::{AuditCommand, AuditShowArgs, ListFormat};

/// The log: `explicit`, else the default inside the repository's (common) git directory.
pub fn log_path(explicit: Option<&Path>, cwd: &Path) -> anyhow::Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(cwd.join(p));
    }
    let repo = git2::Repository::discover(cwd).map_err(|e| {
        anyhow::anyhow!(
            "no git repository here for the default log ({}); give --log FILE",
            e.message()
        )
    })?;
    Ok(audit::default_path(repo.commondir()))
}

/// Who is asking: git's user.email and the OS account.
pub fn identity(cwd: &Path) -> (Option<String>, Option<String>) {
    let email = git2::Repository::discover(cwd)
        .ok()
        .and_then(|r| r.config().ok())
        .and_then(|c| c.get_string("user.email").ok());
    let os = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty());
    (email, os)
}

/// git's blob id of a file's current content (None for anything but a regular file).
pub fn blob_id(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    git2::Oid::hash_file(git2::ObjectType::Blob, path)
        .ok()
        .map(|o| o.to_string())
}

/// Build a log entry for a decision about `rel` (repo-relative) under `root`.
#[allow(clippy::too_many_arguments)]
pub fn entry(
    who: &(Option<String>, Option<String>),
    agent: &str,
    destination: &str,
    root: &Path,
    rel: &str,
    tier: u8,
    allowed: bool,
    rule: &str,
) -> Entry {
    Entry {
        user: who.0.clone(),
        os_user: who.1.clone(),
        agent: agent.to_string(),
        destination: destination.to_string(),
        model: None,
        session: None,
        tool: None,
        path: rel.to_string(),
        blob: blob_id(&root.join(rel)),
        tier,
        allowed,
        rule: rule.to_string(),
    }
}

pub fn cmd_audit(c: &AuditCommand, io: &mut Io<'_>) -> Result<u8> {
    match c {
        AuditCommand::Verify(a) => {
            let log = Log::new(log_path(a.log.as_deref(), &io.cwd)?);
            let breaks = log.verify()?;
            if breaks.is_empty() {
                let n = log.records()?.len();
                writeln!(io.out, "{}: {n} records, chain intact", log.path.display())?;
                return Ok(EXIT_OK);
            }
            for b in &breaks {
                if b.line == 0 {
                    writeln!(io.out, "{}: {}", log.path.display(), b.what)?;
                } else {
                    writeln!(io.out, "{}:{}: {}", log.path.display(), b.line, b.what)?;
                }
            }
            writeln!(
                io.out,
                "tiergate: the log was altered ({} break{})",
                breaks.len(),
                if breaks.len() == 1 { "" } else { "s" }
            )?;
            Ok(EXIT_DENIED)
        }
        AuditCommand::Show(a) => show(a, io),
    }
}

fn show(a: &AuditShowArgs, io: &mut Io<'_>) -> Result<u8> {
    let log = Log::new(log_path(a.log.log.as_deref(), &io.cwd)?);
    let since = match &a.since {
        None => None,
        Some(s) if s.len() == 10 => Some(format!("{s}T00:00:00Z")),
        Some(s) => Some(s.clone()),
    };
    if let Some(s) = &since
        && !(s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T')
    {
        return Err(Failure::Other(anyhow::anyhow!(
            "--since {s}: give a date (2026-11-24) or a UTC time (2026-11-24T09:30:00Z)"
        )));
    }
    let records: Vec<audit::Record> = log
        .records()?
        .into_iter()
        .filter(|r| since.as_ref().is_none_or(|s| r.time.as_str() >= s.as_str()))
        .filter(|r| {
            a.user.as_ref().is_none_or(|u| {
                r.user.as_deref() == Some(u.as_str()) || r.os_user.as_deref() == Some(u.as_str())
            })
        })
        .filter(|r| {
            a.path.as_ref().is_none_or(|p| {
                let p = p.trim_end_matches('/');
                r.path == p || r.path.starts_with(&format!("{p}/"))
            })
        })
        .collect();
    let text = match a.format {
        ListFormat::Json => {
            let mut t = serde_json::to_string_pretty(&records).map_err(anyhow::Error::from)?;
            t.push('\n');
            t
        }
        ListFormat::Csv => {
            let mut t = String::from(
                "seq,time,user,os_user,agent,destination,model,session,tool,path,blob,tier,decision,rule\n",
            );
            for r in &records {
                let cells = [
                    r.seq.to_string(),
                    r.time.clone(),
                    r.user.clone().unwrap_or_default(),
                    r.os_user.clone().unwrap_or_default(),
                    r.agent.clone(),
                    r.destination.clone(),
                    r.model.clone().unwrap_or_default(),
                    r.session.clone().unwrap_or_default(),
                    r.tool.clone().unwrap_or_default(),
                    r.path.clone(),
                    r.blob.clone().unwrap_or_default(),
                    r.tier.to_string(),
                    r.decision.clone(),
                    r.rule.clone(),
                ];
                let quoted: Vec<String> =
                    cells.iter().map(|c| crate::render::csv_field(c)).collect();
                t.push_str(&quoted.join(","));
                t.push('\n');
            }
            t
        }
        ListFormat::Table => {
            let mut t = String::new();
            for r in &records {
                let to = match &r.model {
                    Some(m) => format!("{} ({m})", r.destination),
                    None => r.destination.clone(),
                };
                t.push_str(&format!(
                    "{:>5}  {}  {:<6} {:<24} {:<12} {:<10} tier {}  {}  ({})\n",
                    r.seq,
                    r.time,
                    r.decision,
                    r.user.as_deref().or(r.os_user.as_deref()).unwrap_or("-"),
                    r.agent,
                    to,
                    r.tier,
                    r.path,
                    r.rule
                ));
            }
            t
        }
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}
