//! The governance log from the command line: where it lives, who is asking, appending
//! runtime decisions (route --log, the hook), and `audit verify` / `show` / `anchor` /
//! `init-key`.

use std::path::{Path, PathBuf};

use super::{EXIT_DENIED, EXIT_OK, Failure, Io, Result};
use crate::audit::key::VerifierKey;
use crate::audit::{self, Entry, Log, VerifyOptions};
use crate::cli::{
    AuditAnchorArgs, AuditCommand, AuditInitKeyArgs, AuditShowArgs, AuditVerifyArgs, ListFormat,
};

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
        AuditCommand::Verify(a) => verify(a, io),
        AuditCommand::Show(a) => show(a, io),
        AuditCommand::Anchor(a) => anchor(a, io),
        AuditCommand::InitKey(a) => init_key(a, io),
    }
}

fn verify(a: &AuditVerifyArgs, io: &mut Io<'_>) -> Result<u8> {
    let log = Log::new(log_path(a.log.log.as_deref(), &io.cwd)?);
    let key = match &a.key_file {
        Some(p) => Some(VerifierKey::read(&io.cwd.join(p))?),
        None => None,
    };
    let mut anchors = Vec::new();
    if !a.against.is_empty() {
        let repo = git2::Repository::discover(&io.cwd).map_err(|e| {
            anyhow::anyhow!("--against needs a git repository here: {}", e.message())
        })?;
        for rev in &a.against {
            anchors.extend(audit::anchor::read_chain(&repo, rev)?);
        }
    }
    let options = VerifyOptions {
        key: key.as_ref(),
        started_with: audit::marker::read(&log.path)?,
        anchors,
        log_name: audit::marker::log_name(&log.path),
    };
    let report = log.verify_with(&options)?;
    let shown = log.path.display();
    if report.breaks.is_empty() {
        let mut line = format!("{shown}: {} records, chain intact", report.records);
        match (report.keyed_from, report.macs_checked) {
            (Some(from), true) => line.push_str(&format!("; MACs verified from record {from}")),
            (None, true) => line.push_str("; key file checked, no MACed record yet"),
            (Some(from), false) => line.push_str(&format!(
                "; records from {from} carry MACs, not checked (give --key-file)"
            )),
            (None, false) => {}
        }
        if !report.anchors.is_empty() {
            line.push_str(&format!(
                "; extends {} anchor{}",
                report.anchors.len(),
                if report.anchors.len() == 1 { "" } else { "s" }
            ));
            if let Some((label, count)) = report.anchors.first() {
                line.push_str(&format!(" (newest: {label}, {count} records)"));
            }
        }
        writeln!(io.out, "{line}")?;
        return Ok(EXIT_OK);
    }
    for b in &report.breaks {
        if b.line == 0 {
            writeln!(io.out, "{shown}: {}", b.what)?;
        } else {
            writeln!(io.out, "{shown}:{}: {}", b.line, b.what)?;
        }
    }
    writeln!(
        io.out,
        "tiergate: the log was altered ({} break{})",
        report.breaks.len(),
        if report.breaks.len() == 1 { "" } else { "s" }
    )?;
    Ok(EXIT_DENIED)
}

fn anchor(a: &AuditAnchorArgs, io: &mut Io<'_>) -> Result<u8> {
    let log = Log::new(log_path(a.log.log.as_deref(), &io.cwd)?);
    let repo = git2::Repository::discover(&io.cwd).map_err(|e| {
        anyhow::anyhow!("an anchor is written to a git repository: {}", e.message())
    })?;
    let refname = match &a.refname {
        Some(r) => audit::anchor::ref_name(r),
        None => {
            let (email, account) = identity(&io.cwd);
            audit::anchor::default_ref(email.as_deref(), account.as_deref())
        }
    };
    if !git2::Reference::is_valid_name(&refname) {
        return Err(Failure::Other(anyhow::anyhow!(
            "{refname}: not a valid ref name"
        )));
    }
    let name = audit::marker::log_name(&log.path).ok_or_else(|| {
        anyhow::anyhow!(
            "{}: an anchored log must be inside the repository's directory or its git directory",
            log.path.display()
        )
    })?;
    // Under the log's lock, so no append is half written while the log is read.
    let (commit, count) = log.locked(|| {
        let previous = match repo.find_reference(&refname) {
            Ok(_) => audit::anchor::read_chain(&repo, &refname)?,
            Err(e) if e.code() == git2::ErrorCode::NotFound => Vec::new(),
            Err(e) => anyhow::bail!("{refname}: {}", e.message()),
        };
        let report = log.verify_with(&VerifyOptions {
            key: None,
            started_with: audit::marker::read(&log.path)?,
            anchors: previous,
            log_name: Some(name.clone()),
        })?;
        if let Some(b) = report.breaks.first() {
            anyhow::bail!(
                "{}: the log does not verify ({}{}); not anchoring it",
                log.path.display(),
                if b.line == 0 {
                    String::new()
                } else {
                    format!("line {}: ", b.line)
                },
                b.what
            );
        }
        let records = log.records()?;
        let text = std::fs::read(&log.path).unwrap_or_default();
        let lines: Vec<&[u8]> = text
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let last = lines.last().map_or(audit::GENESIS.to_string(), |l| {
            crate::model::sha256_digest(l)
        });
        if let Some(first) = lines.first() {
            audit::marker::record(&log.path, &crate::model::sha256_digest(first))?;
        }
        let key = match std::fs::read(log.key_path()) {
            Ok(bytes) => {
                let state = audit::key::KeyState::parse(&bytes)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", log.key_path().display()))?;
                Some(audit::anchor::KeyCommitment {
                    seq: state.seq,
                    commitment: audit::key::commitment(&state.key),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => anyhow::bail!("{}: {e}", log.key_path().display()),
        };
        let anchor = audit::anchor::Anchor {
            tiergate_audit_anchor: 1,
            log: name.clone(),
            count: records.len() as u64,
            last,
            key,
        };
        let id = audit::anchor::write(&repo, &refname, &anchor)?;
        Ok((id, anchor.count))
    })?;
    writeln!(
        io.out,
        "{refname}: anchored {count} records (commit {}); push it where it cannot be rewritten: git push origin {refname}",
        &commit.to_string()[..12]
    )?;
    Ok(EXIT_OK)
}

fn init_key(a: &AuditInitKeyArgs, io: &mut Io<'_>) -> Result<u8> {
    let log = Log::new(log_path(a.log.log.as_deref(), &io.cwd)?);
    let out = io.cwd.join(&a.out);
    let start = log.init_key(&out)?;
    writeln!(
        io.out,
        "{}: keyed from record {start}; verifier key written to {} (mode 0600): move it to the verifier's secret store and delete it here",
        log.path.display(),
        out.display()
    )?;
    Ok(EXIT_OK)
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
            let rows: Vec<Vec<String>> = records
                .iter()
                .map(|r| {
                    let to = match &r.model {
                        Some(m) => format!("{} ({m})", r.destination),
                        None => r.destination.clone(),
                    };
                    vec![
                        r.seq.to_string(),
                        r.time.clone(),
                        r.decision.clone(),
                        r.user
                            .as_deref()
                            .or(r.os_user.as_deref())
                            .unwrap_or("-")
                            .to_string(),
                        r.agent.clone(),
                        to,
                        r.tier.to_string(),
                        r.path.clone(),
                        r.rule.clone(),
                    ]
                })
                .collect();
            crate::render::aligned(
                &[
                    "SEQ", "TIME", "DECISION", "USER", "AGENT", "TO", "TIER", "PATH", "RULE",
                ],
                &rows,
            )
        }
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}
