//! Accepted findings: detector hits a reviewer took for false positives, left out of
//! the signals and recorded instead (`Facts::accepted`), so that policies never see
//! them and the manifest, `explain` and the gate still do. Two ways to accept a hit:
//!
//! - an **inline marker** in the file: `tiergate:accept` on the hit's line, or
//!   `tiergate:accept-next-line` on the line before (for formats where the line itself
//!   cannot hold a comment). `=ID[,ID...]` narrows it to signal ids (`secret.jwt`) or
//!   families (`secret.*`); without it the marker accepts every hit of its line;
//! - an entry of **`tiergate.accepted.yaml`** naming the hit's **fingerprint**: 128
//!   bits of SHA-256 over the signal id, the path and the text around the hit (its line,
//!   at most [`CONTEXT`] bytes either side, surrounding whitespace trimmed). It does not
//!   depend on the line number, so it survives edits elsewhere in the file; it changes
//!   when the text around the hit does (another key in its place is a new finding).
//!
//! Markers are looked for within [`REACH`] bytes of the hit, so that a file streamed in
//! windows (see `engine`) gives the same answer as one read whole. Must not import
//! walk, decide, manifest or render.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::Hit;
use crate::model::{AcceptedBy, AcceptedHit};

/// Hex digits of a finding's fingerprint (128 bits).
pub const FINGERPRINT_HEX: usize = 32;

/// A detector hit accepted as a false positive in `tiergate.accepted.yaml`: the hit of
/// `signal` in the file at `path` whose fingerprint (the signal, the path and the text
/// around the hit; see `detect::accept`) is `fingerprint`. Another hit, or the same text
/// changed, is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedEntry {
    pub path: String,
    pub signal: String,
    pub fingerprint: String,
    pub reason: String,
    pub source: crate::schema::Loc,
}

/// The accepted findings file as loaded: its entries and the digest of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedFile {
    /// How it is named in findings (`tiergate.accepted.yaml`).
    pub display: String,
    pub digest: String,
    pub entries: Vec<AcceptedEntry>,
}

/// The inline marker.
pub const MARKER: &str = "tiergate:accept";

/// Bytes of the hit's line on each side of the hit that its fingerprint covers.
pub const CONTEXT: usize = 256;

/// How far from a hit its marker may be, in bytes (same line, or the line before for
/// `-next-line`). Within the context a streamed window keeps before a hit.
pub const REACH: usize = 4 << 10;

/// A hit nothing accepts yet: what `tiergate accept` may add to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenHit {
    pub signal: String,
    /// 1-based line of its first occurrence.
    pub line: u32,
    pub fingerprint: String,
}

/// What a scan accepts: the accepted findings file's entries by path, and whether
/// inline markers count (`accept.inline` of the config).
#[derive(Debug, Clone, Default)]
pub struct Acceptance {
    /// path → (fingerprint, line of the entry in the file).
    by_path: HashMap<String, Vec<(String, u32)>>,
    inline: bool,
}

impl Acceptance {
    /// Accept what `file` lists and, when `inline`, what markers say.
    pub fn new(file: Option<&AcceptedFile>, inline: bool) -> Acceptance {
        let mut by_path: HashMap<String, Vec<(String, u32)>> = HashMap::new();
        for e in file.map_or(&[][..], |f| &f.entries) {
            by_path
                .entry(e.path.clone())
                .or_default()
                .push((e.fingerprint.clone(), e.source.line as u32));
        }
        Acceptance { by_path, inline }
    }

    /// Nothing is accepted.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty() && !self.inline
    }

    /// Take the accepted hits out of `hits` (found in `content`, a file's bytes or a
    /// window of them) and return them. `lines_before`: newlines before `content`'s
    /// first byte; hits outside `reported` belong to another window and are left alone.
    pub(crate) fn take(
        &self,
        path: &str,
        content: &[u8],
        hits: &mut Vec<Hit>,
        lines_before: u64,
        reported: std::ops::Range<usize>,
    ) -> Vec<AcceptedHit> {
        if hits.is_empty() {
            return Vec::new();
        }
        let listed = self.by_path.get(path);
        let marked = self.inline && memchr::memmem::find(content, MARKER.as_bytes()).is_some();
        if listed.is_none() && !marked {
            return Vec::new();
        }
        let mut accepted = Vec::new();
        hits.retain(|h| {
            if !reported.contains(&h.offset) || h.offset > content.len() {
                return true;
            }
            let by = if marked && marker_accepts(content, h.offset, &h.id) {
                Some(AcceptedBy::Inline)
            } else {
                None
            };
            let fp = fingerprint(&h.id, path, content, h.offset);
            let by = by.or_else(|| {
                listed
                    .and_then(|l| l.iter().find(|(f, _)| *f == fp))
                    .map(|&(_, line)| AcceptedBy::File { line })
            });
            let Some(by) = by else { return true };
            let line =
                lines_before + memchr::memchr_iter(b'\n', &content[..h.offset]).count() as u64 + 1;
            accepted.push(AcceptedHit {
                signal: h.id.to_string(),
                category: h.category.to_string(),
                confidence: h.confidence,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                fingerprint: fp,
                by,
            });
            false
        });
        accepted
    }
}

/// The fingerprint of the hit of `signal` at `offset` of `content`, in the file `path`.
///
/// ```
/// use tiergate::detect::accept::fingerprint;
/// let a = fingerprint("secret.jwt", "a.py", b"x = 1\ntoken = 'eyJ...'\n", 6);
/// let b = fingerprint("secret.jwt", "a.py", b"# moved down\n\ntoken = 'eyJ...'\n", 15);
/// assert_eq!(a, b);
/// assert_eq!(a.len(), 32);
/// assert_ne!(a, fingerprint("secret.jwt", "b.py", b"token = 'eyJ...'\n", 0));
/// ```
pub fn fingerprint(signal: &str, path: &str, content: &[u8], offset: usize) -> String {
    let offset = offset.min(content.len());
    let (start, end) = line_around(content, offset, CONTEXT);
    let text = content[start..end].trim_ascii();
    let mut h = Sha256::new();
    h.update(signal.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(text);
    let digest = h.finalize();
    let mut out = String::with_capacity(FINGERPRINT_HEX);
    for b in &digest[..FINGERPRINT_HEX / 2] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The line holding `offset`, cut to `reach` bytes on each side of it (without its
/// line break).
fn line_around(content: &[u8], offset: usize, reach: usize) -> (usize, usize) {
    let lo = offset.saturating_sub(reach);
    let hi = offset.saturating_add(reach).min(content.len());
    let start = memchr::memrchr(b'\n', &content[lo..offset]).map_or(lo, |i| lo + i + 1);
    let end = memchr::memchr(b'\n', &content[offset..hi]).map_or(hi, |i| offset + i);
    let end = if end > start && content[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end)
}

/// Whether a marker accepts a hit of `signal` at `offset`: `tiergate:accept` on its
/// line, or `tiergate:accept-next-line` on the line before, within [`REACH`].
fn marker_accepts(content: &[u8], offset: usize, signal: &str) -> bool {
    let (start, end) = line_around(content, offset, REACH);
    if markers(&content[start..end]).any(|(next, ids)| !next && covers(ids, signal)) {
        return true;
    }
    if start == 0 || content[start - 1] != b'\n' || offset - start >= REACH {
        return false;
    }
    let prev_end = start - 1;
    let lo = offset.saturating_sub(REACH);
    let prev_start = memchr::memrchr(b'\n', &content[lo..prev_end]).map_or(lo, |i| lo + i + 1);
    markers(&content[prev_start..prev_end]).any(|(next, ids)| next && covers(ids, signal))
}

/// The markers of a line: (whether it is `-next-line`, its id list or `""`).
fn markers(line: &[u8]) -> impl Iterator<Item = (bool, &[u8])> {
    memchr::memmem::find_iter(line, MARKER.as_bytes()).filter_map(move |at| {
        let mut rest = &line[at + MARKER.len()..];
        let next = rest.starts_with(b"-next-line");
        if next {
            rest = &rest[b"-next-line".len()..];
        }
        match rest.first() {
            // `tiergate:acceptable`, `tiergate:accept_all`: another word.
            Some(b) if b.is_ascii_alphanumeric() || *b == b'_' || (*b == b'-') => None,
            Some(b'=') => {
                let ids = &rest[1..];
                let len = ids
                    .iter()
                    .position(|b| {
                        !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'*' | b','))
                    })
                    .unwrap_or(ids.len());
                Some((next, &ids[..len]))
            }
            _ => Some((next, &b""[..])),
        }
    })
}

/// Whether a marker's id list covers `signal`: empty covers every signal; otherwise an
/// id equal to it, or `family.*` naming its family.
fn covers(ids: &[u8], signal: &str) -> bool {
    if ids.is_empty() {
        return true;
    }
    ids.split(|&b| b == b',').any(|id| {
        id == signal.as_bytes()
            || id.strip_suffix(b".*").is_some_and(|family| {
                signal.as_bytes().starts_with(family)
                    && signal.as_bytes().get(family.len()) == Some(&b'.')
            })
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::config::{AcceptedEntry, Loc};
    use crate::model::Confidence;

    fn hit(id: &'static str, content: &str, needle: &str) -> Hit {
        Hit {
            id: Cow::Borrowed(id),
            category: Cow::Borrowed("secret"),
            confidence: Confidence::High,
            offset: content.find(needle).expect("needle"),
        }
    }

    fn inline() -> Acceptance {
        Acceptance::new(None, true)
    }

    /// The signals left and the accepted hits' (signal, line).
    fn run(
        a: &Acceptance,
        path: &str,
        content: &str,
        hits: Vec<Hit>,
    ) -> (Vec<String>, Vec<(String, u32, AcceptedBy)>) {
        let mut hits = hits;
        let acc = a.take(path, content.as_bytes(), &mut hits, 0, 0..content.len());
        (
            hits.iter().map(|h| h.id.to_string()).collect(),
            acc.into_iter().map(|x| (x.signal, x.line, x.by)).collect(),
        )
    }

    #[test]
    fn a_marker_on_the_line_accepts_its_hits_only() {
        let text = "a = 'AKIA1' # tiergate:accept\nb = 'AKIA2'\n";
        let (left, acc) = run(
            &inline(),
            "x.py",
            text,
            vec![
                hit("secret.aws_access_key", text, "AKIA1"),
                hit("secret.aws_access_key", text, "AKIA2"),
            ],
        );
        assert_eq!(left, ["secret.aws_access_key"]);
        assert_eq!(
            acc,
            [("secret.aws_access_key".to_string(), 1, AcceptedBy::Inline)]
        );
    }

    #[test]
    fn next_line_markers_ids_and_families() {
        let text = "# tiergate:accept-next-line=secret.jwt\ntoken = 'eyJ' mail = 'a@b.c'\n# tiergate:accept=pii.*\nmail2 = 'x@y.z' # tiergate:accept=pii.*\n";
        let (left, acc) = run(
            &inline(),
            "x.py",
            text,
            vec![
                hit("secret.jwt", text, "eyJ"),
                hit("pii.email", text, "a@b.c"),
                hit("pii.email", text, "x@y.z"),
            ],
        );
        // The next-line marker names the JWT only; a plain marker on the line before
        // does not reach the next line.
        assert_eq!(left, ["pii.email"]);
        assert_eq!(
            acc,
            [
                ("secret.jwt".to_string(), 2, AcceptedBy::Inline),
                ("pii.email".to_string(), 4, AcceptedBy::Inline)
            ]
        );
    }

    #[test]
    fn words_that_only_start_like_the_marker_are_not_markers() {
        for text in [
            "k = 'AKIA1' # tiergate:acceptable\n",
            "k = 'AKIA1' # tiergate:accept_all\n",
            "k = 'AKIA1' # tiergate:accept-all\n",
            "k = 'AKIA1' # tiergate:accept=secret.jwt\n",
            "k = 'AKIA1' # tiergate:accept=secret\n",
            "k = 'AKIA1' # TIERGATE:ACCEPT\n",
        ] {
            let (left, _) = run(
                &inline(),
                "x",
                text,
                vec![hit("secret.aws_access_key", text, "AKIA1")],
            );
            assert_eq!(left, ["secret.aws_access_key"], "{text}");
        }
    }

    #[test]
    fn markers_count_only_when_the_config_allows_them() {
        let text = "a = 'AKIA1' # tiergate:accept\n";
        let off = Acceptance::new(None, false);
        let (left, _) = run(
            &off,
            "x",
            text,
            vec![hit("secret.aws_access_key", text, "AKIA1")],
        );
        assert_eq!(left, ["secret.aws_access_key"]);
    }

    #[test]
    fn fingerprints_follow_the_text_not_the_line_number() {
        let entry = |fp: String| AcceptedFile {
            display: "tiergate.accepted.yaml".into(),
            digest: String::new(),
            entries: vec![AcceptedEntry {
                path: "t/fixture.py".into(),
                signal: "secret.aws_access_key".into(),
                fingerprint: fp,
                reason: "test fixture".into(),
                source: Loc {
                    file: "tiergate.accepted.yaml".into(),
                    line: 7,
                    col: 5,
                },
            }],
        };
        let text = "KEY = 'AKIAFAKE'\n";
        let fp = fingerprint("secret.aws_access_key", "t/fixture.py", text.as_bytes(), 7);
        let a = Acceptance::new(Some(&entry(fp)), false);
        // Moved down, indented, CRLF: still the same finding.
        let moved = "import os\n\n    KEY = 'AKIAFAKE'\r\n";
        let (left, acc) = run(
            &a,
            "t/fixture.py",
            moved,
            vec![hit("secret.aws_access_key", moved, "AKIAFAKE")],
        );
        assert!(left.is_empty());
        assert_eq!(
            acc,
            [(
                "secret.aws_access_key".to_string(),
                3,
                AcceptedBy::File { line: 7 }
            )]
        );
        // Another key, another file, another signal: not accepted.
        let other = "KEY = 'AKIAREAL'\n";
        let (left, _) = run(
            &a,
            "t/fixture.py",
            other,
            vec![hit("secret.aws_access_key", other, "AKIAREAL")],
        );
        assert_eq!(left.len(), 1);
        let (left, _) = run(
            &a,
            "t/other.py",
            text,
            vec![hit("secret.aws_access_key", text, "AKIAFAKE")],
        );
        assert_eq!(left.len(), 1);
        let (left, _) = run(
            &a,
            "t/fixture.py",
            text,
            vec![hit("secret.jwt", text, "AKIAFAKE")],
        );
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn long_lines_are_fingerprinted_around_the_hit() {
        let far = format!("{}KEY='AKIAFAKE'{}\n", "a".repeat(5000), "b".repeat(5000));
        let edited = format!(
            "{}{}KEY='AKIAFAKE'{}\n",
            "c".repeat(4000),
            "a".repeat(1000),
            "b".repeat(5000)
        );
        let at = |s: &str| s.find("AKIA").unwrap();
        assert_eq!(
            fingerprint("s.x", "p", far.as_bytes(), at(&far)),
            fingerprint("s.x", "p", edited.as_bytes(), at(&edited)),
            "an edit more than CONTEXT bytes away leaves the fingerprint"
        );
        let near = far.replacen("aKEY", "zKEY", 1);
        assert_ne!(
            fingerprint("s.x", "p", far.as_bytes(), at(&far)),
            fingerprint("s.x", "p", near.as_bytes(), at(&near))
        );
    }

    #[test]
    fn hits_of_another_window_are_left_alone() {
        let text = "a = 'AKIA1' # tiergate:accept\n";
        let mut hits = vec![hit("secret.aws_access_key", text, "AKIA1")];
        let acc = inline().take("x", text.as_bytes(), &mut hits, 10, 8..text.len());
        assert!(acc.is_empty());
        assert_eq!(hits.len(), 1);
        let acc = inline().take("x", text.as_bytes(), &mut hits, 10, 0..text.len());
        assert_eq!(acc[0].line, 11, "lines before the window count");
    }
}
