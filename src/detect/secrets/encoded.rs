//! Credentials inside base64 or hex: a private key in a multipart fixture or a
//! Kubernetes value, a JWT or a service-account key in a `*_B64` variable.
//!
//! Decoding every base64-looking run of every file would cost the scan its speed (a
//! data URI of an image is one), so the search looks for the encodings of the markers
//! that open such content (`encoded_markers` of `context.yaml`: `-----BEGIN `, a JWT's
//! header): in base64 at each of the three alignments a marker can have inside a
//! longer text, and in hex. At a match, the whole encoded run around it (line-wrapped
//! blocks included) is decoded once, and the family's detectors read the result; what
//! they find is reported at the run. Nothing decoded is decoded again: a credential
//! encoded twice is not looked for.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::super::{AnchorId, AnchorRegistry, FileCtx, Hit};

/// Encoded runs longer than this are not decoded (bytes of encoded text).
const MAX_RUN: usize = 1 << 20;
/// Encodings of a marker shorter than this are not searched for: too frequent by chance.
const MIN_ENCODED: usize = 8;
/// A line of a wrapped block is at least this long (PEM wraps at 64, MIME at 76).
const MIN_WRAP: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Base64,
    Hex,
}

/// One encoding of one marker, as the prefilter finds it.
#[derive(Debug)]
struct EncodedAnchor {
    id: AnchorId,
    /// The exact text (base64 is compared with its case; hex ignoring it).
    text: Box<[u8]>,
    kind: Kind,
}

/// The family's anchors, located again in decoded text (which the prefilter never
/// sees), and the encodings of the markers.
pub(super) struct Encoded {
    markers: Vec<EncodedAnchor>,
    /// The family's anchor literals and their ids.
    literals: Vec<(String, AnchorId)>,
    /// Every anchor literal, case-insensitive, overlapping: built when a first run is
    /// decoded (most scans decode none).
    finder: OnceLock<Option<AhoCorasick>>,
    /// One past the largest anchor id of the family.
    slots: usize,
}

/// A registry that remembers what the family registered, to search decoded text for
/// the same anchors.
pub(super) struct Recording<'a> {
    inner: &'a mut dyn AnchorRegistry,
    pub(super) literals: Vec<(String, AnchorId)>,
}

impl<'a> Recording<'a> {
    pub(super) fn new(inner: &'a mut dyn AnchorRegistry) -> Self {
        Recording {
            inner,
            literals: Vec::new(),
        }
    }
}

impl AnchorRegistry for Recording<'_> {
    fn anchor(&mut self, literal: &str) -> AnchorId {
        let id = self.inner.anchor(literal);
        self.literals.push((literal.to_owned(), id));
        id
    }
}

impl Encoded {
    /// Register the encodings of `markers` with `reg`, and prepare to locate the
    /// family's `literals` in decoded text.
    pub(super) fn new(
        reg: &mut dyn AnchorRegistry,
        markers: &[&str],
        literals: &[(String, AnchorId)],
    ) -> Encoded {
        let mut out = Vec::new();
        for m in markers {
            for text in base64_forms(m.as_bytes()) {
                let id = reg.anchor(&text);
                out.push(EncodedAnchor {
                    id,
                    text: text.into_bytes().into_boxed_slice(),
                    kind: Kind::Base64,
                });
            }
            let hex: String = m.bytes().map(|b| format!("{b:02x}")).collect();
            out.push(EncodedAnchor {
                id: reg.anchor(&hex),
                text: hex.into_bytes().into_boxed_slice(),
                kind: Kind::Hex,
            });
        }
        let slots = literals
            .iter()
            .map(|(_, a)| a.0 as usize + 1)
            .max()
            .unwrap_or(0);
        Encoded {
            markers: out,
            literals: literals.to_vec(),
            finder: OnceLock::new(),
            slots,
        }
    }

    /// The prefilter anchors of the encodings, sorted.
    pub(super) fn anchors(&self) -> impl Iterator<Item = AnchorId> + '_ {
        self.markers.iter().map(|m| m.id)
    }

    /// Decode each encoded run that holds a marker and let `scan` read it; its hits are
    /// reported at the run's start.
    pub(super) fn scan(
        &self,
        ctx: &FileCtx<'_>,
        out: &mut Vec<Hit>,
        mut scan: impl FnMut(&FileCtx<'_>, &mut Vec<Hit>),
    ) {
        let c = ctx.content;
        let mut done: Vec<std::ops::Range<usize>> = Vec::new();
        let mut decoded = Vec::new();
        for m in &self.markers {
            for &p in ctx.hits(m.id) {
                if done.iter().any(|r| r.contains(&p)) || !m.matches(c, p) {
                    continue;
                }
                let run = match m.kind {
                    Kind::Base64 => base64_run(c, p),
                    Kind::Hex => hex_run(c, p),
                };
                let Some(run) = run else { continue };
                done.push(run.clone());
                let ok = match m.kind {
                    Kind::Base64 => decode_base64_lines(&c[run.clone()], &mut decoded),
                    Kind::Hex => decode_hex(&c[run.clone()], &mut decoded),
                };
                if !ok || decoded.is_empty() {
                    continue;
                }
                let (anchors, touched) = self.locate(&decoded);
                let inner = FileCtx {
                    path: ctx.path,
                    content: &decoded,
                    binary: ctx.binary || decoded.contains(&0),
                    anchors: &anchors,
                    touched: Some(&touched),
                };
                let mut hits = Vec::new();
                scan(&inner, &mut hits);
                out.extend(hits.into_iter().map(|h| Hit {
                    offset: run.start,
                    ..h
                }));
            }
        }
    }

    /// Every occurrence of the family's anchors in `text`, as the prefilter reports
    /// them: sorted starts per anchor id, and the ids that matched.
    fn locate(&self, text: &[u8]) -> (Vec<Vec<usize>>, Vec<u32>) {
        let mut anchors = vec![Vec::new(); self.slots];
        let mut touched = Vec::new();
        let finder = self.finder.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(self.literals.iter().map(|(l, _)| l.as_bytes()))
                .ok()
        });
        if let Some(f) = finder {
            for m in f.find_overlapping_iter(text) {
                let id = self.literals[m.pattern().as_usize()].1.0;
                let slot = &mut anchors[id as usize];
                if slot.is_empty() {
                    touched.push(id);
                }
                slot.push(m.start());
            }
        }
        for &id in &touched {
            let slot = &mut anchors[id as usize];
            slot.sort_unstable();
            slot.dedup();
        }
        (anchors, touched)
    }
}

impl EncodedAnchor {
    fn matches(&self, c: &[u8], p: usize) -> bool {
        let Some(at) = c.get(p..p + self.text.len()) else {
            return false;
        };
        match self.kind {
            Kind::Base64 => at == &*self.text,
            Kind::Hex => at.eq_ignore_ascii_case(&self.text),
        }
    }
}

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The base64 digits that encode `marker` whatever the bytes before it: one form per
/// alignment (0, 1 or 2 bytes before it in its group of three), without the digits
/// shared with the bytes around it; the base64url form too where it differs. Forms
/// shorter than [`MIN_ENCODED`] are left out.
fn base64_forms(marker: &[u8]) -> Vec<String> {
    let mut forms = Vec::new();
    for shift in 0..3usize {
        let mut bytes = vec![0u8; shift];
        bytes.extend_from_slice(marker);
        let bits = bytes.len() * 8;
        // Digit j covers bits [6j, 6j + 6): it is the marker's alone when those bits
        // lie within the marker's.
        let first = (8 * shift).div_ceil(6);
        let last = bits / 6; // exclusive
        if last <= first || last - first < MIN_ENCODED {
            continue;
        }
        let digits: String = (first..last)
            .map(|j| {
                let bit = 6 * j;
                let mut v = 0u32;
                for k in 0..6 {
                    let b = bit + k;
                    let byte = bytes[b / 8];
                    v = (v << 1) | u32::from((byte >> (7 - b % 8)) & 1);
                }
                STD[v as usize] as char
            })
            .collect();
        let url: String = digits
            .chars()
            .map(|ch| match ch {
                '+' => '-',
                '/' => '_',
                other => other,
            })
            .collect();
        if url != digits {
            forms.push(url);
        }
        forms.push(digits);
    }
    forms
}

/// A digit of base64 or base64url.
fn is_b64_digit(b: u8) -> bool {
    super::is_b64(b) || super::is_b64url(b)
}

/// The base64 digits of the line holding `p`, around it: (start, end).
fn segment(c: &[u8], p: usize) -> (usize, usize) {
    let mut s = p;
    while s > 0 && is_b64_digit(c[s - 1]) {
        s -= 1;
    }
    let mut e = p;
    while e < c.len() && is_b64_digit(c[e]) {
        e += 1;
    }
    while e < c.len() && c[e] == b'=' && e - s < MAX_RUN {
        e += 1;
    }
    (s, e)
}

/// Where the line after `end` (a line break at `end`) starts its digits, when the
/// whole line, after its indentation, is base64: (start, end).
fn next_line(c: &[u8], end: usize) -> Option<(usize, usize)> {
    let mut i = end;
    if c.get(i) == Some(&b'\r') {
        i += 1;
    }
    if c.get(i) != Some(&b'\n') {
        return None;
    }
    i += 1;
    while i < c.len() && matches!(c[i], b' ' | b'\t') {
        i += 1;
    }
    let (s, e) = segment(c, i);
    let line_end = matches!(c.get(e), None | Some(b'\r' | b'\n'));
    (s == i && e > s && line_end).then_some((s, e))
}

/// The line before the one starting its digits at `start`, when the digits start the
/// line (after indentation) and the whole line before is base64: (start, end).
fn previous_line(c: &[u8], start: usize) -> Option<(usize, usize)> {
    let mut i = start;
    while i > 0 && matches!(c[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 || c[i - 1] != b'\n' {
        return None;
    }
    let mut e = i - 1;
    if e > 0 && c[e - 1] == b'\r' {
        e -= 1;
    }
    if e == 0 || !is_b64_digit(c[e - 1]) {
        return None;
    }
    let (s, _) = segment(c, e - 1);
    let mut ls = s;
    while ls > 0 && matches!(c[ls - 1], b' ' | b'\t') {
        ls -= 1;
    }
    (ls == 0 || c[ls - 1] == b'\n').then_some((s, e))
}

/// The encoded run holding `p`: the base64 digits around it, and the lines of its
/// wrapped block (whole lines of at least [`MIN_WRAP`] digits, a multiple of four,
/// then a last shorter one).
fn base64_run(c: &[u8], p: usize) -> Option<std::ops::Range<usize>> {
    let (mut start, mut end) = segment(c, p);
    let full = |s: usize, e: usize| e - s >= MIN_WRAP && (e - s).is_multiple_of(4);
    while let Some((s, e)) = previous_line(c, start) {
        if !full(s, e) || end - s > MAX_RUN {
            break;
        }
        start = s;
    }
    let mut last = (start.max(segment(c, end.saturating_sub(1)).0), end);
    while full(last.0, last.1) && !c[last.0..last.1].contains(&b'=') {
        let Some((s, e)) = next_line(c, end) else {
            break;
        };
        if e - start > MAX_RUN {
            break;
        }
        end = e;
        last = (s, e);
    }
    (end - start <= MAX_RUN).then_some(start..end)
}

/// The hex digits around `p`, from an even offset before it.
fn hex_run(c: &[u8], p: usize) -> Option<std::ops::Range<usize>> {
    let mut s = p;
    while s > 0 && c[s - 1].is_ascii_hexdigit() {
        s -= 1;
    }
    let mut e = p;
    while e < c.len() && c[e].is_ascii_hexdigit() {
        e += 1;
    }
    if (p - s) % 2 == 1 {
        s += 1;
    }
    (e - s <= MAX_RUN).then_some(s..e)
}

/// Decode base64 or base64url, padded or not, whose lines are broken and indented.
fn decode_base64_lines(s: &[u8], out: &mut Vec<u8>) -> bool {
    let digits: Vec<u8> = s
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'=' | b'\r' | b'\n' | b' ' | b'\t'))
        .collect();
    let url = digits.iter().any(|b| matches!(b, b'-' | b'_'));
    super::base64_decode(&digits, if url { *b"-_" } else { *b"+/" }, out)
}

fn decode_hex(s: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    let v = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    for pair in s.chunks_exact(2) {
        let (Some(h), Some(l)) = (v(pair[0]), v(pair[1])) else {
            return false;
        };
        out.push(h << 4 | l);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std_encode(bytes: &[u8]) -> String {
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let mut n = 0u32;
            for (i, &b) in chunk.iter().enumerate() {
                n |= u32::from(b) << (16 - 8 * i);
            }
            for i in 0..=chunk.len() {
                out.push(STD[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
        out
    }

    #[test]
    fn every_alignment_of_a_marker_is_found_in_its_encoding() {
        let marker = b"-----BEGIN ";
        let forms = base64_forms(marker);
        assert!(forms.contains(&"LS0tLS1CRUdJTi".to_owned()), "{forms:?}");
        for before in ["", "a", "ab", "abc", "{\"key\": \"", "x\ny"] {
            let mut text = before.as_bytes().to_vec();
            text.extend_from_slice(marker);
            text.extend_from_slice(b"PRIVATE KEY-----");
            let enc = std_encode(&text);
            assert!(
                forms.iter().any(|f| enc.contains(f.as_str())),
                "{before:?}: {enc} holds none of {forms:?}"
            );
        }
    }

    #[test]
    fn wrapped_and_indented_blocks_are_one_run() {
        let line = "QUJD".repeat(16); // 64 digits
        let text = format!("key: |\n  {line}\n  {line}\n  QUJDRA==\nnext: value\n");
        let p = text.find(&line).unwrap() + 70;
        let run = base64_run(text.as_bytes(), p).unwrap();
        let mut out = Vec::new();
        assert!(decode_base64_lines(&text.as_bytes()[run.clone()], &mut out));
        assert_eq!(out.len(), 48 * 2 + 4, "{:?}", &text[run]);
        assert!(out.ends_with(b"ABCD"));
    }

    #[test]
    fn a_run_ends_at_the_first_short_line() {
        let text = format!("{}\nQUJD\nnot base64: here\n", "QUJD".repeat(16));
        let run = base64_run(text.as_bytes(), 3).unwrap();
        assert_eq!(&text[run], format!("{}\nQUJD", "QUJD".repeat(16)));
    }

    #[test]
    fn hex_runs_start_at_an_even_digit() {
        assert_eq!(hex_run(b"x=a2d2d", 3), Some(3..7));
        let mut out = Vec::new();
        assert!(decode_hex(b"2d2D", &mut out));
        assert_eq!(out, b"--");
    }
}
