//! The governance log: every runtime decision (which user's agent sent which path to
//! which destination, allowed or not) as one JSON line, each carrying the SHA-256 of the
//! line before it. A head file beside the log holds the last hash and the count, so a
//! removed tail shows too. Appends take an exclusive file lock, so concurrent writers
//! never interleave or fork the chain. The log never holds file contents, only their
//! git blob ids.
//!
//! What a user who can write the log's directory could still do to that chain alone
//! (drop records and recompute it and the head, wind the head back, delete everything)
//! is made visible by three optional additions, each documented with what it promises
//! in docs/src/audit.md and docs/src/security.md:
//! - the keyed mode ([`key`]): a forward-secure MAC on every record, whose initial key
//!   the organisation keeps;
//! - anchors ([`anchor`]): the head committed to a git ref outside the working tree,
//!   to be pushed where the user cannot rewrite it and verified against;
//! - the start marker ([`marker`]): the first record's hash in the repository's git
//!   config, so a log deleted with its head does not verify as an empty one.
//!
//! Must not import walk, decide or app.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub mod anchor;
pub mod key;
pub mod marker;

use key::{KeyState, VerifierKey};

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
    /// In the keyed mode: `hmac-sha256:<hex>` of this line without this field, under
    /// the key of this record ([`key`]). Always the last field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
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

/// The last record's hash and the number of records; `keyed` once `init-key` ran, so
/// that an append knows to look for the key file without any look on the unkeyed path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Head {
    count: u64,
    last: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    keyed: bool,
}

/// Bytes of the head file: its JSON padded with spaces and a newline, so each append
/// overwrites it in place with one write of the same size.
const HEAD_LEN: usize = 128;

impl Head {
    fn genesis() -> Head {
        Head {
            count: 0,
            last: GENESIS.to_string(),
            keyed: false,
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
/// The result is keyed when the head says so or the log's last record carries a MAC.
fn continue_from(stored: Option<Head>, tail: Option<&[u8]>) -> Head {
    let from_log = tail.and_then(|line| {
        let r: Record = serde_json::from_slice(line).ok()?;
        Some(Head {
            count: r.seq,
            last: digest(line),
            keyed: r.mac.is_some(),
        })
    });
    let keyed =
        stored.as_ref().is_some_and(|h| h.keyed) || from_log.as_ref().is_some_and(|l| l.keyed);
    let head = match (stored, from_log) {
        (Some(h), Some(l)) if l.count > h.count => l,
        (Some(h), _) => h,
        (None, Some(l)) => l,
        (None, None) => Head::genesis(),
    };
    Head { keyed, ..head }
}

/// Where an append may be cut short, for tests of crash consistency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CutAt {
    /// The records are durable; the key file and the head are not rewritten.
    AfterRecords,
}

/// The log's last line without its newline (None: an empty log).
fn last_line(f: &std::fs::File) -> std::io::Result<Option<Vec<u8>>> {
    let len = f.metadata()?.len();
    let mut want = 4096u64;
    loop {
        let start = len.saturating_sub(want);
        let mut buf = vec![0; (len - start) as usize];
        crate::platform::read_exact_at(f, &mut buf, start)?;
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

/// What `verify` checks beyond the log and its sidecar files.
#[derive(Debug, Default)]
pub struct VerifyOptions<'a> {
    /// The verifier key: MACs, the key file and the start are checked against it.
    pub key: Option<&'a VerifierKey>,
    /// From the start marker: where it is recorded (for messages) and the hash of the
    /// log's first record.
    pub started_with: Option<(String, String)>,
    /// Anchors the log must extend, each with a label for messages (ref and commit).
    pub anchors: Vec<(String, anchor::Anchor)>,
    /// The log's name as anchors record it ([`marker::log_name`]).
    pub log_name: Option<String>,
}

/// The outcome of [`Log::verify_with`].
#[derive(Debug, Default)]
pub struct Report {
    pub breaks: Vec<Break>,
    pub records: u64,
    /// The first record carrying a MAC, if any.
    pub keyed_from: Option<u64>,
    /// Whether the MACs were checked (a verifier key was given).
    pub macs_checked: bool,
    /// Anchors checked, with the record count each vouches for.
    pub anchors: Vec<(String, u64)>,
}

/// The log's content as verify sees it: the hash of every record, by position.
struct Chain {
    /// `digests[i]` is the hash of record `i + 1`'s line.
    digests: Vec<String>,
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

    /// The key file of the keyed mode: `<log>.key`.
    pub fn key_path(&self) -> PathBuf {
        self.sidecar(".key")
    }

    /// Take the log's lock (creating its directory), run `f`, release it.
    pub fn locked<T>(&self, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
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
        f()
    }

    /// Append decisions under the lock; `now` is the time to record.
    ///
    /// The records are made durable first (one `fdatasync` of the log), then, in the
    /// keyed mode, the key file is overwritten in place with the key of the next record,
    /// then the head file is overwritten in place at a fixed width. The head
    /// is not synced: a crash can leave it one append behind the log, never ahead of it,
    /// and [`Log::verify`] accepts a head that vouches for a prefix of the chain. The
    /// next append continues from the log's own last record when the head is behind.
    /// The key file is never ahead of the durable records either; after a crash before
    /// its rewrite it is behind, and the next append derives the keys forward from it,
    /// so no key MACs two records. The first append of a log inside a git repository
    /// records the start marker ([`marker`]).
    pub fn append(&self, entries: &[Entry], now: &str) -> anyhow::Result<()> {
        self.append_cut(entries, now, None)
    }

    fn append_cut(&self, entries: &[Entry], now: &str, cut: Option<CutAt>) -> anyhow::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.locked(|| self.append_locked(entries, now, cut))
    }

    fn append_locked(
        &self,
        entries: &[Entry],
        now: &str,
        cut: Option<CutAt>,
    ) -> anyhow::Result<()> {
        let (head_file, text, stored) = self.open_head()?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?;
        let tail = last_line(&f).map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?;
        let mut head = continue_from(stored, tail.as_deref());
        let starts_log = head.count == 0;
        let mut key = match head.keyed {
            true => Some(self.key_for(head.count + 1)?),
            false => None,
        };
        let mut lines = Vec::new();
        for e in entries {
            let mut r = Record {
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
                mac: None,
            };
            let mut line = serde_json::to_string(&r)?;
            if let Some(k) = &mut key {
                r.mac = Some(key::mac(k, line.as_bytes()));
                line = serde_json::to_string(&r)?;
                debug_assert!(mac_body(line.as_bytes(), r.mac.as_deref()).is_some());
                *k = key::next(k);
            }
            head.last = digest(line.as_bytes());
            head.count += 1;
            line.push('\n');
            lines.push(line);
        }
        let first = starts_log.then(|| digest(lines[0].trim_end_matches('\n').as_bytes()));
        f.write_all(lines.concat().as_bytes())
            .and_then(|()| f.sync_data())
            .map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?;
        if cut == Some(CutAt::AfterRecords) {
            anyhow::bail!("cut short after the records were synced");
        }
        if let Some(k) = key {
            self.rewrite_key(&KeyState {
                seq: head.count + 1,
                key: k,
            })?;
        }
        let head_path = self.sidecar(".head");
        let fixed = head.to_fixed();
        crate::platform::write_all_at(&head_file, &fixed, 0)
            .and_then(|()| {
                if text.len() > fixed.len() {
                    head_file.set_len(fixed.len() as u64)
                } else {
                    Ok(())
                }
            })
            .map_err(|e| anyhow::anyhow!("{}: {e}", head_path.display()))?;
        if let Some(first) = first {
            marker::record(&self.path, &first)?;
        }
        Ok(())
    }

    /// The head file, opened for rewriting (created empty when missing), its text and
    /// what it says.
    fn open_head(&self) -> anyhow::Result<(std::fs::File, String, Option<Head>)> {
        use std::io::Read;
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
        Ok((head_file, text, stored))
    }

    /// The key of record `seq`, derived forward from the key file. Refused when the key
    /// file is missing, damaged, or ahead of the log (records were removed): appending
    /// then would hide that.
    fn key_for(&self, seq: u64) -> anyhow::Result<key::Key> {
        let path = self.key_path();
        let bytes = std::fs::read(&path).map_err(|e| {
            anyhow::anyhow!(
                "{}: the log is keyed and its key file cannot be read ({e}); appending refused",
                path.display()
            )
        })?;
        let state = KeyState::parse(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}; appending refused", path.display()))?;
        if state.seq > seq {
            anyhow::bail!(
                "{}: the key is at record {} but the log ends at record {}: records were removed; appending refused (see `tiergate audit verify`)",
                path.display(),
                state.seq,
                seq - 1
            );
        }
        Ok(key::advance(&state.key, state.seq, seq))
    }

    /// Overwrite the key file in place, so the old key's bytes go with it. Not synced:
    /// any reader of the file sees the new key at once, and a crash that loses the
    /// write leaves the file behind the durable records, which the next append and
    /// verify accept (the keys are derived forward from it). What a sync would add is
    /// only how soon the old bytes leave the disk itself (the kernel writes them back
    /// within its dirty-page delay, 30 s by default); it would cost one more
    /// `fdatasync` per append.
    fn rewrite_key(&self, state: &KeyState) -> anyhow::Result<()> {
        let path = self.key_path();
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        crate::platform::write_all_at(&f, &state.to_fixed(), 0)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Start the keyed mode: draw K0, write it as a verifier key to `out` (created,
    /// mode 0600, never overwritten), install it as the key of the log's next record in
    /// the key file (mode 0600) and mark the head keyed. Returns that record's number.
    ///
    /// Whoever can read `out` before it is moved to the verifier's store holds K0; the
    /// keyed mode protects records from whoever gets the key file later, not from the
    /// holder of K0.
    pub fn init_key(&self, out: &Path) -> anyhow::Result<u64> {
        self.locked(|| {
            let key_path = self.key_path();
            if key_path.exists() {
                anyhow::bail!(
                    "{}: a key is already installed for this log",
                    key_path.display()
                );
            }
            let (head_file, text, stored) = self.open_head()?;
            let tail = match std::fs::File::open(&self.path) {
                Ok(f) => last_line(&f).map_err(|e| anyhow::anyhow!("{}: {e}", self.path.display()))?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => anyhow::bail!("{}: {e}", self.path.display()),
            };
            let mut head = continue_from(stored, tail.as_deref());
            if head.keyed {
                anyhow::bail!(
                    "{}: the log is keyed already and its key file is missing; `tiergate audit verify` says more",
                    self.path.display()
                );
            }
            let start = head.count + 1;
            let k0 = key::random_key()?;
            let verifier = VerifierKey {
                tiergate_audit_key: 1,
                start,
                key: key::hex(&k0),
            };
            let mut json = serde_json::to_vec(&verifier)?;
            json.push(b'\n');
            key::create_private(out, &json)?;
            key::create_private(&key_path, &KeyState { seq: start, key: k0 }.to_fixed())?;
            if let Some(dir) = key_path.parent() {
                std::fs::File::open(dir)
                    .and_then(|d| d.sync_all())
                    .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            }
            head.keyed = true;
            let fixed = head.to_fixed();
            let head_path = self.sidecar(".head");
            crate::platform::write_all_at(&head_file, &fixed, 0)
                .and_then(|()| {
                    if text.len() > fixed.len() {
                        head_file.set_len(fixed.len() as u64)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| head_file.sync_data())
                .map_err(|e| anyhow::anyhow!("{}: {e}", head_path.display()))?;
            Ok(start)
        })
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
    /// is never shorter than the records the head vouches for). In the keyed mode, also
    /// that no record after a MACed one lacks a MAC and that the key file is not ahead
    /// of the log; the MACs themselves need the verifier key ([`Log::verify_with`]).
    pub fn verify(&self) -> anyhow::Result<Vec<Break>> {
        Ok(self.verify_with(&VerifyOptions::default())?.breaks)
    }

    /// [`Log::verify`], plus what `options` bring: MACs and the key file checked against
    /// the verifier key, the first record against the start marker, and the log against
    /// each anchor (it must hold at least the anchored count, with the anchored hash at
    /// that position).
    pub fn verify_with(&self, options: &VerifyOptions<'_>) -> anyhow::Result<Report> {
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
        let head_keyed = head
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .is_some_and(|h| h.keyed);
        let mut at_vouched = (vouched == Some(0)).then(|| GENESIS.to_string());
        let mut report = Report {
            macs_checked: options.key.is_some(),
            ..Report::default()
        };
        let breaks = &mut report.breaks;
        let mut chain = Chain {
            digests: Vec::new(),
        };
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
                    check_mac(line, n, &r, options.key, &mut report.keyed_from, breaks);
                }
            }
            prev = digest(line);
            chain.digests.push(prev.clone());
            if vouched == Some(count) {
                at_vouched = Some(prev.clone());
            }
        }
        report.records = count;
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
        let keyed = report.keyed_from.is_some() || head_keyed;
        self.check_key_file(keyed, count, options.key, breaks);
        if let Some((place, first)) = &options.started_with {
            match chain.digests.first() {
                None => breaks.push(Break {
                    line: 0,
                    what: format!(
                        "logging started here (its first record, {}, is recorded in {place}), but the log is empty or missing: it was deleted",
                        short(first)
                    ),
                }),
                Some(d) if d != first => breaks.push(Break {
                    line: 1,
                    what: format!(
                        "this is not the record logging started with (recorded in {place}): the log was replaced"
                    ),
                }),
                Some(_) => {}
            }
        }
        for (label, a) in &options.anchors {
            check_anchor(label, a, options, &chain, breaks);
            report.anchors.push((label.clone(), a.count));
        }
        Ok(report)
    }

    /// The key file against the log and, when given, the verifier key.
    fn check_key_file(
        &self,
        keyed: bool,
        count: u64,
        verifier: Option<&VerifierKey>,
        breaks: &mut Vec<Break>,
    ) {
        let path = self.key_path();
        let state = match std::fs::read(&path) {
            Ok(bytes) => match KeyState::parse(&bytes) {
                Ok(s) => Some(s),
                Err(e) => {
                    breaks.push(Break {
                        line: 0,
                        what: format!("{}: {e}", path.display()),
                    });
                    return;
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                breaks.push(Break {
                    line: 0,
                    what: format!("{}: {e}", path.display()),
                });
                return;
            }
        };
        if let Some(v) = verifier
            && count + 1 < v.start
        {
            breaks.push(Break {
                line: 0,
                what: format!(
                    "the verifier key starts at record {} but the log holds {count} records: records were removed",
                    v.start
                ),
            });
        }
        let Some(state) = state else {
            if keyed || verifier.is_some() {
                breaks.push(Break {
                    line: 0,
                    what: format!(
                        "{}: the log is keyed but its key file is missing: it was deleted",
                        path.display()
                    ),
                });
            }
            return;
        };
        if state.seq > count + 1 {
            breaks.push(Break {
                line: 0,
                what: format!(
                    "{}: the key is at record {} but the log ends at record {count}: records at the end were removed (the key cannot be wound back)",
                    path.display(),
                    state.seq
                ),
            });
        }
        if let Some(v) = verifier {
            match v.key_at(state.seq) {
                Some(k) if k == state.key => {}
                _ => breaks.push(Break {
                    line: 0,
                    what: format!(
                        "{}: it does not hold the verifier key's key of record {}: it was replaced",
                        path.display(),
                        state.seq
                    ),
                }),
            }
        }
    }
}

/// The line without its `mac` field (the bytes the MAC covers), when `mac` is the
/// line's last field exactly as the writer puts it.
fn mac_body(line: &[u8], mac: Option<&str>) -> Option<Vec<u8>> {
    let suffix = format!(",\"mac\":\"{}\"}}", mac?);
    let body = line.strip_suffix(suffix.as_bytes())?;
    let mut out = body.to_vec();
    out.push(b'}');
    Some(out)
}

/// One record's MAC: present on every record after the first MACed one (and, with the
/// verifier key, on every record from its start), and correct under the verifier key.
fn check_mac(
    line: &[u8],
    n: u64,
    r: &Record,
    verifier: Option<&VerifierKey>,
    keyed_from: &mut Option<u64>,
    breaks: &mut Vec<Break>,
) {
    let Some(tag) = &r.mac else {
        if keyed_from.is_some() {
            breaks.push(Break {
                line: n,
                what: "no MAC after MACed records: added or altered without the key".into(),
            });
        } else if let Some(v) = verifier
            && r.seq >= v.start
        {
            breaks.push(Break {
                line: n,
                what: format!(
                    "no MAC, although the verifier key starts at record {}: added or altered without the key",
                    v.start
                ),
            });
        }
        return;
    };
    keyed_from.get_or_insert(r.seq);
    let Some(body) = mac_body(line, Some(tag)) else {
        breaks.push(Break {
            line: n,
            what: "its `mac` is not the record's last field as written: edited".into(),
        });
        return;
    };
    let Some(v) = verifier else { return };
    match v.key_at(r.seq) {
        None => breaks.push(Break {
            line: n,
            what: format!(
                "MACed, but the verifier key starts at record {}: inserted or renumbered",
                v.start
            ),
        }),
        Some(k) if !key::mac_matches(&k, &body, tag) => breaks.push(Break {
            line: n,
            what: "its MAC does not verify under the verifier key: the record was edited, forged, moved or renumbered".into(),
        }),
        Some(_) => {}
    }
}

/// The log must extend `a`: hold at least its count, with its hash at that position,
/// and match its key commitment under the verifier key.
fn check_anchor(
    label: &str,
    a: &anchor::Anchor,
    options: &VerifyOptions<'_>,
    chain: &Chain,
    breaks: &mut Vec<Break>,
) {
    if let Some(name) = &options.log_name
        && &a.log != name
    {
        breaks.push(Break {
            line: 0,
            what: format!("anchor {label} is of the log `{}`, not of `{name}`", a.log),
        });
        return;
    }
    let count = chain.digests.len() as u64;
    if a.count > count {
        breaks.push(Break {
            line: 0,
            what: format!(
                "anchor {label} vouches for {} records, the log holds {count}: records were removed{}",
                a.count,
                if count == 0 { " (the log is missing)" } else { "" }
            ),
        });
    } else if a.count > 0 && chain.digests[(a.count - 1) as usize] != a.last {
        breaks.push(Break {
            line: a.count,
            what: format!(
                "this is not the record anchor {label} vouches for at position {}: the log was rewritten",
                a.count
            ),
        });
    }
    if let (Some(v), Some(k)) = (options.key, &a.key) {
        let ok = v
            .key_at(k.seq)
            .is_some_and(|key| key::commitment(&key) == k.commitment);
        if !ok {
            breaks.push(Break {
                line: 0,
                what: format!(
                    "anchor {label}: its key commitment for record {} does not match the verifier key",
                    k.seq
                ),
            });
        }
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(19)]
}

/// Where the chain breaks (line 0: the head file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub line: u64,
    pub what: String,
}

/// An exclusive advisory lock (`flock` on Unix), released on drop.
struct Flock<'f>(&'f std::fs::File);

impl<'f> Flock<'f> {
    fn exclusive(f: &'f std::fs::File) -> std::io::Result<Flock<'f>> {
        crate::platform::lock_exclusive(f)?;
        Ok(Flock(f))
    }
}

impl Drop for Flock<'_> {
    fn drop(&mut self) {
        crate::platform::unlock(self.0);
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
