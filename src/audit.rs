//! The governance log: every runtime decision (which user's agent sent which path to
//! which destination, allowed or not) as one JSON line, each carrying the SHA-256 of the
//! line before it. A head file beside the log holds the last hash and the count, so a
//! removed tail shows too. Appends take an exclusive file lock, so concurrent writers
//! never interleave or fork the chain. The log never holds file contents, only their
//! git blob ids.
//! Must not import walk, decide or app.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// `prev` of the first record.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Position in the log, from 1.
    pub seq: u64,
    /// RFC 3339, UTC, seconds.
    pub time: String,
    /// git's user.email, when configured.
    pub user: Option<String>,
    /// The operating-system account.
    pub os_user: Option<String>,
    /// Who asked: `claude-code`, `route`, ...
    pub agent: String,
    pub destination: String,
    /// The model the agent said it runs, or the one named with `--model` /
    /// `TIERGATE_MODEL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The agent's session id, when the agent sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The tool call that would have sent the path (`Read`, `Bash`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Repo-relative path.
    pub path: String,
    /// git blob id of the content at decision time (None: a directory or nothing).
    pub blob: Option<String>,
    pub tier: u8,
    /// `allow` or `deny`.
    pub decision: String,
    /// The finding that decided the tier.
    pub rule: String,
    /// SHA-256 of the previous line's bytes.
    pub prev: String,
}

/// What a caller supplies; sequence, time and chain are filled in by [`Log::append`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub user: Option<String>,
    pub os_user: Option<String>,
    pub agent: String,
    pub destination: String,
    pub model: Option<String>,
    pub session: Option<String>,
    pub tool: Option<String>,
    pub path: String,
    pub blob: Option<String>,
    pub tier: u8,
    pub allowed: bool,
    pub rule: String,
}

/// The last record's hash and the number of records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Head {
    count: u64,
    last: String,
}

/// Bytes of the head file: its JSON padded with spaces and a newline, so each append
/// overwrites it in place with one write of the same size.
const HEAD_LEN: usize = 128;

impl Head {
    fn genesis() -> Head {
        Head {
            count: 0,
            last: GENESIS.to_string(),
        }
    }

    /// The head file's text; None when it is empty (created by an append cut short
    /// before its first write).
    fn parse(text: &str) -> serde_json::Result<Option<Head>> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(text).map(Some)
    }

    fn to_fixed(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).expect("a head serializes");
        debug_assert!(out.len() < HEAD_LEN);
        out.resize(HEAD_LEN - 1, b' ');
        out.push(b'\n');
        out
    }
}

/// Where the next record goes on: the head file's count and hash, unless the log's
/// last record is further on (the head was not yet rewritten when an append was cut
/// short), in which case the log itself. A log shorter than its head keeps the head's
/// values, so the removed tail stays visible to [`Log::verify`].
fn continue_from(stored: Option<Head>, tail: Option<&[u8]>) -> Head {
    let from_log = tail.and_then(|line| {
        let r: Record = serde_json::from_slice(line).ok()?;
        Some(Head {
            count: r.seq,
            last: digest(line),
        })
    });
    match (stored, from_log) {
        (Some(h), Some(l)) if l.count > h.count => l,
        (Some(h), _) => h,
        (None, Some(l)) => l,
        (None, None) => Head::genesis(),
    }
}

/// The log's last line without its newline (None: an empty log).
fn last_line(f: &std::fs::File) -> std::io::Result<Option<Vec<u8>>> {
    use std::os::unix::fs::FileExt;
    let len = f.metadata()?.len();
    let mut want = 4096u64;
    loop {
        let start = len.saturating_sub(want);
        let mut buf = vec![0; (len - start) as usize];
        f.read_exact_at(&mut buf, start)?;
        while buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if let Some(nl) = buf.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(buf[nl + 1..].to_vec()));
        }
        if start == 0 {
            return Ok((!buf.is_empty()).then_some(buf));
        }
        want *= 4;
    }
}

pub struct Log {
    pub path: PathBuf,
}

fn digest(line: &[u8]) -> String {
    crate::model::sha256_digest(line)
}

impl Log {
    pub fn new(path: impl Into<PathBuf>) -> Log {
        Log { path: path.into() }
    }

    fn sidecar(&self, ext: &str) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push(ext);
        PathBuf::from(p)
    }

    /// Append decisions under the lock; `now` is the time to record.
    ///
    /// The records are made durable first (one `fdatasync` of the log), then the head
    /// file is overwritten in place at a fixed width. The head is not synced: a crash
    /// can leave it one append behind the log, never ahead of it, and [`Log::verify`]
    /// accepts a head that vouches for a prefix of the chain. The next append continues
    /// from the log's own last record when the head is behind.
    pub fn append(&self, entries: &[Entry], now: &str) -> anyhow::Result<()> {
        use std::io::Read;
        use std::os::unix::fs::FileExt;
        if entries.is_empty() {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        }
        let lock_path = self.sidecar(".lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", lock_path.display()))?;
        let _guard = Flock::exclusive(&lock)
            .map_err(|e| anyhow::anyhow!("{}: cannot lock: {e}", lock_path.display()))?;
        let head_path = self.sidecar(".head");
        let mut head_file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&head_path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", head_path.display()))?;
        let mut text = String::new();
        head_file
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", head_path.display()))?;
        let stored =
            Head::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", head_path.display()))?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?;
        let tail = last_line(&f).map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?;
        let mut head = continue_from(stored, tail.as_deref());
        let mut lines = Vec::new();
        for e in entries {
            let r = Record {
                seq: head.count + 1,
                time: now.to_string(),
                user: e.user.clone(),
                os_user: e.os_user.clone(),
                agent: e.agent.clone(),
                destination: e.destination.clone(),
                model: e.model.clone(),
                session: e.session.clone(),
                tool: e.tool.clone(),
                path: e.path.clone(),
                blob: e.blob.clone(),
                tier: e.tier,
                decision: if e.allowed { "allow" } else { "deny" }.to_string(),
                rule: e.rule.clone(),
                prev: head.last.clone(),
            };
            let mut line = serde_json::to_string(&r)?;
            head.last = digest(line.as_bytes());
            head.count += 1;
            line.push('\n');
            lines.push(line);
        }
        f.write_all(lines.concat().as_bytes())
            .and_then(|()| f.sync_data())
            .map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?;
        let fixed = head.to_fixed();
        head_file
            .write_all_at(&fixed, 0)
            .and_then(|()| {
                if text.len() > fixed.len() {
                    head_file.set_len(fixed.len() as u64)
                } else {
                    Ok(())
                }
            })
            .map_err(|e| anyhow::anyhow!("{}: {e}", head_path.display()))?;
        Ok(())
    }

    /// Every record, in order (for `audit show`).
    pub fn records(&self) -> anyhow::Result<Vec<Record>> {
        let f = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => anyhow::bail!("{}: {e}", self.path.display()),
        };
        let mut out = Vec::new();
        for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
            let line = line?;
            out.push(
                serde_json::from_str(&line)
                    .map_err(|e| anyhow::anyhow!("{}:{}: {e}", self.path.display(), i + 1))?,
            );
        }
        Ok(out)
    }

    /// Check the chain: every line parses, its `seq` follows, its `prev` is the hash of
    /// the line before, and the head file's count and hash are those of the last line,
    /// or of an earlier one (an append cut short before it rewrote the head: the log
    /// is never shorter than the records the head vouches for).
    pub fn verify(&self) -> anyhow::Result<Vec<Break>> {
        let text = match std::fs::read(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => anyhow::bail!("{}: {e}", self.path.display()),
        };
        let head_path = self.sidecar(".head");
        let head = match std::fs::read_to_string(&head_path) {
            // An empty head vouches for no record.
            Ok(t) => Head::parse(&t)
                .map(|h| Some(h.unwrap_or_else(Head::genesis)))
                .map_err(|e| format!("{} is not readable: {e}", head_path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", head_path.display())),
        };
        let vouched = head.as_ref().ok().and_then(Option::as_ref).map(|h| h.count);
        let mut at_vouched = (vouched == Some(0)).then(|| GENESIS.to_string());
        let mut breaks = Vec::new();
        let mut prev = GENESIS.to_string();
        let mut count = 0u64;
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            count += 1;
            let n = i as u64 + 1;
            match serde_json::from_slice::<Record>(line) {
                Err(e) => breaks.push(Break {
                    line: n,
                    what: format!("not a record ({e}): edited"),
                }),
                Ok(r) => {
                    if r.prev != prev {
                        breaks.push(Break {
                            line: n,
                            what: "its `prev` is not the hash of the line before: a record before it was edited, deleted, inserted or moved".into(),
                        });
                    }
                    if r.seq != count {
                        breaks.push(Break {
                            line: n,
                            what: format!("sequence {} where {count} was due: records deleted, inserted or moved", r.seq),
                        });
                    }
                }
            }
            prev = digest(line);
            if vouched == Some(count) {
                at_vouched = Some(prev.clone());
            }
        }
        match head {
            Ok(Some(h)) if h.count <= count && at_vouched.as_deref() == Some(&h.last) => {}
            Ok(Some(h)) => breaks.push(Break {
                line: count,
                what: format!(
                    "the log ends after {count} records, the head file says {}: records at the end were removed or the last one edited",
                    h.count
                ),
            }),
            Ok(None) if count == 0 => {}
            Ok(None) => breaks.push(Break {
                line: 0,
                what: format!("{}: no head file for a log of {count} records", head_path.display()),
            }),
            Err(what) => breaks.push(Break { line: 0, what }),
        }
        Ok(breaks)
    }
}

/// Where the chain breaks (line 0: the head file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub line: u64,
    pub what: String,
}

/// An exclusive `flock`, released on drop.
struct Flock<'f>(&'f std::fs::File);

impl<'f> Flock<'f> {
    fn exclusive(f: &'f std::fs::File) -> std::io::Result<Flock<'f>> {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a descriptor we own for the guard's lifetime.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Flock(f))
    }
}

impl Drop for Flock<'_> {
    fn drop(&mut self) {
        use std::os::unix::io::AsRawFd;
        // SAFETY: as above; unlocking cannot violate memory safety.
        unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
    }
}

/// The default log of a repository: inside the git directory, so it is never committed
/// nor scanned.
pub fn default_path(git_dir: &Path) -> PathBuf {
    git_dir.join("tiergate").join("decisions.jsonl")
}

/// The current time as RFC 3339 UTC (seconds).
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian).
pub fn rfc3339(secs: u64) -> String {
    let date = crate::model::Date::from_days_since_epoch((secs / 86_400) as i64);
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    format!("{date}T{h:02}:{m:02}:{s:02}Z")
}

#[cfg(test)]
mod tests;
