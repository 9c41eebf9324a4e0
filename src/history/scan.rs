//! The blobs of a history given to the credentials' detectors, in parallel: each worker
//! thread has its own handle on the repository (libgit2's are not shared between
//! threads) and its own scanner, and takes the next blob when it is done with one. A
//! blob is read once for all the paths it needs judging at; the detectors see it as
//! the scan sees a file with the same bytes at the same path ([`crate::walk::with_blob`],
//! [`crate::detect::with_signals`]).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::{Oid, Repository};

use super::cache::{Hit, Scanned, hash};
use crate::detect::{self, Detectors, Scanner};
use crate::model::FileKind;
use crate::walk;

/// A blob to read, and the raw paths to judge it at.
#[derive(Debug, Clone)]
pub struct Work<'a> {
    pub blob: Oid,
    pub paths: Vec<&'a [u8]>,
}

/// The scan's limits (`limits` of the config).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_content_bytes: u64,
    pub binary_sniff_bytes: u64,
}

/// What the detectors found in a blob at a path, or why it could not be read.
pub type Outcome = Result<Scanned, String>;

/// git's mode of a regular file: what the blobs handed here are.
pub(crate) const MODE_FILE: u32 = 0o100644;

/// For each item of `work`, for each of its paths, what the detectors found, or why the
/// blob could not be read.
pub fn scan(
    git_dir: &Path,
    work: &[Work<'_>],
    detectors: &Detectors,
    limits: Limits,
    threads: usize,
) -> Vec<Vec<Outcome>> {
    if work.is_empty() {
        return Vec::new();
    }
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, Vec<Outcome>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.clamp(1, work.len()))
            .map(|_| {
                let next = &next;
                s.spawn(move || {
                    let mut out = Vec::new();
                    let repo = Repository::open(git_dir);
                    let mut scanner = detectors.scanner();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(w) = work.get(i) else { break };
                        let results = match &repo {
                            Ok(repo) => blob(repo, &mut scanner, w, limits),
                            Err(e) => w
                                .paths
                                .iter()
                                .map(|_| {
                                    Err(format!("cannot open the repository: {}", e.message()))
                                })
                                .collect(),
                        };
                        out.push((i, results));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a history scanner does not panic"))
            .collect()
    });
    let mut results: Vec<Vec<Outcome>> = vec![Vec::new(); work.len()];
    for (i, r) in done.into_iter().flatten() {
        results[i] = r;
    }
    results
}

/// One blob at each of its paths. A blob larger than the content limit is read again
/// for each path after the first (its rest is streamed, once per read).
fn blob(repo: &Repository, scanner: &mut Scanner, w: &Work<'_>, limits: Limits) -> Vec<Outcome> {
    let mut out: Vec<Outcome> = Vec::with_capacity(w.paths.len());
    while out.len() < w.paths.len() {
        let from = out.len();
        let read = walk::with_blob(
            repo,
            w.blob,
            limits.max_content_bytes,
            |head, size, mut rest| {
                let mut results = Vec::new();
                for raw in &w.paths[from..] {
                    let streamed = rest.is_some();
                    results.push(at_path(
                        scanner,
                        w.blob,
                        raw,
                        head,
                        size,
                        rest.take(),
                        limits,
                    ));
                    if streamed {
                        break;
                    }
                }
                results
            },
        );
        match read {
            Ok(results) => out.extend(results),
            Err(e) => {
                let message = format!("blob {} cannot be read: {}", w.blob, e.message());
                out.extend(w.paths[from..].iter().map(|_| Err(message.clone())));
            }
        }
    }
    out
}

/// The credential signals of a blob at one path.
fn at_path(
    scanner: &mut Scanner,
    blob: Oid,
    raw: &[u8],
    head: &[u8],
    size: u64,
    rest: Option<&mut dyn std::io::Read>,
    limits: Limits,
) -> Outcome {
    let rel = walk::RelPath {
        display: super::display(raw),
        raw: raw.to_vec(),
        utf8: std::str::from_utf8(raw).is_ok(),
    };
    let (facts, content) = walk::facts_from_head(
        rel,
        MODE_FILE,
        head,
        size,
        limits.max_content_bytes,
        limits.binary_sniff_bytes,
    );
    let binary = facts.kind == FileKind::Binary;
    let facts = detect::with_signals(scanner, facts, content, rest);
    if facts.kind == FileKind::Unreadable {
        return Err(format!(
            "blob {blob} cannot be read: {}",
            facts.error.as_deref().unwrap_or("unknown error")
        ));
    }
    let signals = facts
        .signals
        .into_iter()
        .filter(|s| detect::secrets::is_credential(&s.id))
        .map(|s| Hit {
            group: line_hash(head, s.line).unwrap_or_else(|| hash(blob.as_bytes())),
            id: s.id,
            confidence: s.confidence,
            count: s.count,
            line: s.line,
        })
        .collect();
    Ok(Scanned {
        size,
        binary,
        signals,
    })
}

/// Bytes from the start of a credential's first line that identify it: the whole line,
/// and what follows up to this many bytes (a key's armor header is the same line for
/// every key; its body is not).
const GROUP_BYTES: usize = 256;

/// A hash of what identifies the credential first seen on line `line` (1-based) of
/// `content`: the line and what follows it, up to [`GROUP_BYTES`] from its start,
/// spaces at the ends trimmed; None when the content ends before the line (a line in
/// the streamed part of a large blob).
fn line_hash(content: &[u8], line: u32) -> Option<u64> {
    let mut start = 0usize;
    for _ in 1..line {
        start += memchr::memchr(b'\n', &content[start..])? + 1;
    }
    let rest = content.get(start..)?;
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    // Bounded: a minified file is one long line.
    let end = end.max(GROUP_BYTES).min(rest.len()).min(1 << 12);
    Some(hash(rest[..end].trim_ascii()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_is_known_by_its_line_and_what_follows() {
        let a = b"x = 1\n  key = abc  \r\ny\n";
        let b = b"# moved\n\n\tkey = abc  \r\ny\n";
        assert_eq!(line_hash(a, 2), line_hash(b, 3), "wherever it is");
        assert_ne!(line_hash(a, 1), line_hash(a, 2));
        assert_eq!(line_hash(b"one line", 1), Some(hash(b"one line")));
        assert_eq!(line_hash(b"a\nb", 3), None);
        assert_eq!(line_hash(b"a\n", 2), Some(hash(b"")));
        // Two keys under the same armor line are two credentials.
        let key = |body: &str| format!("-----BEGIN KEY-----\n{body}\n-----END KEY-----\n");
        assert_ne!(
            line_hash(key("MIIEowIBAAKCAQEA1").as_bytes(), 1),
            line_hash(key("MIIEpAIBAAKCAQEA7").as_bytes(), 1)
        );
        // What lies further than GROUP_BYTES does not count.
        let far = |tail: &str| format!("k = v\n{}{tail}", "#".repeat(GROUP_BYTES));
        assert_eq!(
            line_hash(far("a").as_bytes(), 1),
            line_hash(far("b").as_bytes(), 1)
        );
        // A long line counts whole.
        let long = |end: &str| format!("{}{end}\n", "t".repeat(2 * GROUP_BYTES));
        assert_ne!(
            line_hash(long("a").as_bytes(), 1),
            line_hash(long("b").as_bytes(), 1)
        );
    }
}
