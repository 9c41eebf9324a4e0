//! The detector engine: every family's anchors compiled into one Aho-Corasick
//! automaton, run once over a file's bytes; then each family looks where its anchors
//! are; then the hits are folded into one [`Signal`] per id.
//!
//! Built once per run ([`Detectors`], `Arc`-shared, cheap to clone); each worker thread
//! owns a [`Scanner`] whose scratch buffers are reused from file to file, so a file
//! without any hit costs one automaton pass and no allocation.
//!
//! Memory is bounded per file: at most [`MAX_POSITIONS_PER_ANCHOR`] positions are kept
//! for each anchor, so a minified megabyte of `password=` repeats cannot grow the
//! scratch without limit. Families therefore see at most that many candidates per
//! anchor, and a signal's `count` saturates accordingly.
//!
//! Signals never hold matched text: hits carry an offset, signals a line number.

use std::sync::Arc;

use super::accept::Acceptance;
use super::custom::CustomDetector;
use super::trigrams::{Anchors, Search};
use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::diag::Diagnostics;
use crate::model::{AcceptedHit, Signal};

/// Positions kept per anchor per file. Past this, further matches of that anchor in
/// the same file are not recorded (the file is already known to contain thousands of
/// candidates; more would only cost memory and time).
pub const MAX_POSITIONS_PER_ANCHOR: usize = 4096;

/// A family constructor: registers its anchors, returns the family.
pub type FamilyCtor = fn(&mut dyn AnchorRegistry) -> Box<dyn Family>;

/// Collects the anchors of every family, deduplicated ASCII-case-insensitively (the
/// automaton matches that way), so two families asking for `password` share one id.
#[derive(Default)]
pub(crate) struct Registry {
    literals: Vec<String>,
    index: std::collections::HashMap<String, AnchorId>,
}

impl AnchorRegistry for Registry {
    fn anchor(&mut self, literal: &str) -> AnchorId {
        // A short anchor would stop the search at nearly every byte: a programming
        // error in a family (config keywords are checked before they get here).
        assert!(
            literal.len() >= super::trigrams::MIN_ANCHOR_BYTES,
            "anchor `{literal}` is too short"
        );
        let key = literal.to_ascii_lowercase();
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = AnchorId(u32::try_from(self.literals.len()).expect("fewer than 2^32 anchors"));
        self.literals.push(key.clone());
        self.index.insert(key, id);
        id
    }
}

struct Inner {
    anchors: Anchors,
    /// Whether each thread's search learns which windows are rare (a whole scan).
    learn: bool,
    families: Vec<Box<dyn Family>>,
    /// The tables of the family streamed over the whole of a file larger than the
    /// content limit (the credentials').
    streamed_tables: &'static super::secrets::Tables,
    /// That family, with its own prefilter: built when such a file is met.
    streamed: std::sync::OnceLock<Arc<Inner>>,
}

impl Inner {
    fn streamed(&self) -> Arc<Inner> {
        Arc::clone(self.streamed.get_or_init(|| {
            // The credentials, whose one occurrence anywhere makes a file tier 1. The
            // others read the head only (`content-truncated`).
            let mut reg = Registry::default();
            let families: Vec<Box<dyn Family>> = vec![Box::new(
                super::secrets::Secrets::with_tables(&mut reg, self.streamed_tables),
            )];
            Arc::new(Inner {
                anchors: Anchors::new(&reg.literals),
                learn: false,
                families,
                streamed_tables: self.streamed_tables,
                streamed: std::sync::OnceLock::new(),
            })
        }))
    }
}

/// The bytes each window of a streamed file adds (the memory a stream holds, with the
/// context below).
const STREAM_CHUNK: usize = 1 << 20;
/// Context kept before the first offset a window reports: a validator looks at most
/// this far back from its anchor (an Azure key's account name, 400 bytes; an AWS
/// secret's key id, 1,000).
const STREAM_BEFORE: usize = 4 << 10;
/// Context kept after the last offset a window reports: a validator looks at most
/// this far past its anchor (a PEM body, 4 KiB after its header), so a key across a
/// window's edge is found whole in the next window.
const STREAM_AFTER: usize = 16 << 10;

/// The compiled detectors: built-in families plus the config's custom detectors,
/// sharing one prefilter. Clone is cheap.
#[derive(Clone)]
pub struct Detectors {
    inner: Arc<Inner>,
    accept: Arc<Acceptance>,
}

impl std::fmt::Debug for Detectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detectors")
            .field("anchors", &self.inner.anchors)
            .field(
                "families",
                &self
                    .inner
                    .families
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Detectors {
    /// Build the built-in families (`builtins`, in order) and the config's custom
    /// detectors. Fails with located diagnostics only if a custom detector does not
    /// compile (the config loader already checks them, so this means a `Config` built
    /// by hand).
    pub fn new(
        custom: &[CustomDetector],
        builtins: &[FamilyCtor],
    ) -> Result<Detectors, Diagnostics> {
        Self::build(custom, builtins, true)
    }

    /// Like [`Detectors::new`], for a handful of files (a gate's changed paths): the
    /// search keeps its first guess of which windows are rare instead of counting them
    /// in the text. Same matches either way.
    pub fn for_few_files(
        custom: &[CustomDetector],
        builtins: &[FamilyCtor],
    ) -> Result<Detectors, Diagnostics> {
        Self::build(custom, builtins, false)
    }

    fn build(
        custom: &[CustomDetector],
        builtins: &[FamilyCtor],
        learn: bool,
    ) -> Result<Detectors, Diagnostics> {
        Self::assemble(
            custom,
            |reg| builtins.iter().map(|ctor| ctor(reg)).collect(),
            &super::secrets::TABLES,
            learn,
        )
    }

    /// The built-in families over `knowledge` (the compiled-in tables, or those with a
    /// repository's rule files added) and the config's custom detectors; `few_files`
    /// as [`Detectors::for_few_files`] (a gate's changed paths, a rule file's examples).
    pub fn with_knowledge(
        custom: &[CustomDetector],
        knowledge: super::Knowledge,
        few_files: bool,
    ) -> Result<Detectors, Diagnostics> {
        Self::assemble(
            custom,
            |reg| knowledge.families(reg),
            knowledge.secrets,
            !few_files,
        )
    }

    /// The detectors over the families `families` builds and the custom detectors,
    /// sharing one prefilter; files past the content limit are streamed through the
    /// credentials' family over `streamed_tables`.
    fn assemble(
        custom: &[CustomDetector],
        families: impl FnOnce(&mut dyn AnchorRegistry) -> Vec<Box<dyn Family>>,
        streamed_tables: &'static super::secrets::Tables,
        learn: bool,
    ) -> Result<Detectors, Diagnostics> {
        let mut reg = Registry::default();
        let mut families = families(&mut reg);
        if !custom.is_empty() {
            families.push(super::custom::family(custom, &mut reg)?);
        }
        Ok(Detectors {
            inner: Arc::new(Inner {
                anchors: Anchors::new(&reg.literals),
                learn,
                families,
                streamed_tables,
                streamed: std::sync::OnceLock::new(),
            }),
            accept: Arc::default(),
        })
    }

    /// A scanner for one worker thread.
    pub fn scanner(&self) -> Scanner {
        Scanner::of(Arc::clone(&self.inner), Arc::clone(&self.accept))
    }

    /// These detectors, accepting what `accept` accepts (see [`super::accept`]).
    pub fn accepting(self, accept: Acceptance) -> Detectors {
        Detectors {
            accept: Arc::new(accept),
            ..self
        }
    }

    /// The credentials' family alone, over the tables these detectors stream large
    /// files with, accepting what these accept: the `secret.*` signals, each exactly as
    /// a scan with every family gives it (families share the prefilter's anchors, never
    /// hits), for a fraction of the work. What `tiergate history` runs over every blob.
    pub fn credentials(&self) -> Detectors {
        let mut reg = Registry::default();
        let families: Vec<Box<dyn Family>> = vec![Box::new(super::secrets::Secrets::with_tables(
            &mut reg,
            self.inner.streamed_tables,
        ))];
        Detectors {
            inner: Arc::new(Inner {
                anchors: Anchors::new(&reg.literals),
                learn: self.inner.learn,
                families,
                streamed_tables: self.inner.streamed_tables,
                streamed: std::sync::OnceLock::new(),
            }),
            accept: Arc::clone(&self.accept),
        }
    }

    /// Number of distinct anchors in the prefilter.
    pub fn anchor_count(&self) -> usize {
        self.inner.anchors.len()
    }
}

/// Per-thread scanning state; reuse it for every file.
pub struct Scanner {
    inner: Arc<Inner>,
    /// Positions per anchor; only the ones in `touched` are non-empty.
    anchors: Vec<Vec<usize>>,
    touched: Vec<u32>,
    search: Search,
    hits: Vec<Hit>,
    /// (first offset, index into the output) for line numbering.
    firsts: Vec<(usize, usize)>,
    /// The scanner of the streamed families, made for the first file that needs it.
    stream: Option<Box<Scanner>>,
    accept: Arc<Acceptance>,
    /// The hits the last file's scan accepted (see [`Scanner::take_accepted`]).
    accepted: Vec<AcceptedHit>,
}

impl Scanner {
    fn of(inner: Arc<Inner>, accept: Arc<Acceptance>) -> Scanner {
        Scanner {
            accept,
            accepted: Vec::new(),
            search: inner.anchors.search(inner.learn),
            anchors: vec![Vec::new(); inner.anchors.len()],
            inner,
            touched: Vec::new(),
            hits: Vec::new(),
            firsts: Vec::new(),
            stream: None,
        }
    }

    /// Every hit in `content` that nothing accepts yet, with its line and fingerprint,
    /// one per fingerprint, in the order of the file: what `tiergate accept` offers to
    /// accept. Reads `content` whole (no streaming).
    pub fn open_hits(
        &mut self,
        path: &str,
        content: &[u8],
        binary: bool,
    ) -> Vec<super::accept::OpenHit> {
        self.run(path, content, binary);
        let _ = self
            .accept
            .take(path, content, &mut self.hits, 0, 0..content.len() + 1);
        self.hits
            .sort_unstable_by(|a, b| a.offset.cmp(&b.offset).then(a.id.cmp(&b.id)));
        let mut out: Vec<super::accept::OpenHit> = Vec::new();
        let (mut pos, mut line) = (0usize, 1u64);
        for h in &self.hits {
            let offset = h.offset.min(content.len());
            line += memchr::memchr_iter(b'\n', &content[pos..offset]).count() as u64;
            pos = offset;
            let fingerprint = super::accept::fingerprint(&h.id, path, content, offset);
            if out.iter().any(|o| o.fingerprint == fingerprint) {
                continue;
            }
            out.push(super::accept::OpenHit {
                signal: h.id.to_string(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
                fingerprint,
            });
        }
        out
    }

    /// The hits the last [`Scanner::scan_file`] (or [`Scanner::scan`]) accepted, in the
    /// order found.
    pub fn take_accepted(&mut self) -> Vec<AcceptedHit> {
        std::mem::take(&mut self.accepted)
    }

    /// Run the prefilter once over `content`, then every family, and aggregate the hits
    /// into signals: one per id, confidence the highest seen, count the number of hits,
    /// line the 1-based line of the first hit. Sorted by id.
    pub fn scan(&mut self, path: &str, content: &[u8], binary: bool) -> Vec<Signal> {
        self.run(path, content, binary);
        self.accepted = self
            .accept
            .take(path, content, &mut self.hits, 0, 0..content.len() + 1);
        if self.hits.is_empty() {
            return Vec::new();
        }
        aggregate(&mut self.hits, &mut self.firsts, content)
    }

    /// The signals of a whole file: every family over `head` (its first bytes, up to
    /// the content limit) as [`Scanner::scan`] gives them, and, when the file goes on
    /// (`rest` reads what follows the head), the credentials' signals of the whole file
    /// instead of the head's, found by streaming it in bounded windows. Memory stays
    /// bounded whatever the size; a file is read once. An error reading `rest` is
    /// returned: what was read is no one version of the file.
    pub fn scan_file(
        &mut self,
        path: &str,
        head: &[u8],
        binary: bool,
        rest: Option<&mut dyn std::io::Read>,
    ) -> std::io::Result<Vec<Signal>> {
        let signals = self.scan(path, head, binary);
        let Some(rest) = rest else {
            return Ok(signals);
        };
        // The credentials' hits come from the stream, their acceptance too.
        self.accepted
            .retain(|a| !super::secrets::is_credential(&a.signal));
        let (streamed, tail) = self.stream_whole(path, head, rest, binary, STREAM_CHUNK)?;
        let mut out: Vec<Signal> = signals
            .into_iter()
            .filter(|s| !super::secrets::is_credential(&s.id))
            .chain(streamed)
            .collect();
        // What the families read at a file's end (a Parquet footer), at its first line.
        self.hits.clear();
        for family in &self.inner.families {
            family.scan_tail(path, &tail, &mut self.hits);
        }
        for h in self.hits.drain(..) {
            match out.iter_mut().find(|s| s.id == h.id) {
                Some(s) => {
                    s.count = s.count.saturating_add(1);
                    s.confidence = s.confidence.max(h.confidence);
                }
                None => out.push(Signal {
                    id: h.id.into_owned(),
                    category: h.category.into_owned(),
                    confidence: h.confidence,
                    count: 1,
                    line: 1,
                }),
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The streamed families over `head` and then `rest`, in windows of `chunk` bytes
    /// ([`STREAM_CHUNK`]) with [`STREAM_BEFORE`] bytes of context before and
    /// [`STREAM_AFTER`] after: each window reports the hits that start in its own part,
    /// so the parts tile the file and no hit is counted twice, and every hit is
    /// validated with the context a scan of the whole file would give it. Returns the
    /// signals and the last window (the file's last bytes, up to a window's length).
    fn stream_whole(
        &mut self,
        path: &str,
        head: &[u8],
        rest: &mut dyn std::io::Read,
        binary: bool,
        chunk: usize,
    ) -> std::io::Result<(Vec<Signal>, Vec<u8>)> {
        use std::io::Read;
        let scanner = self
            .stream
            .get_or_insert_with(|| Box::new(Scanner::of(self.inner.streamed(), Arc::default())));
        let mut src = head.chain(rest);
        let full = STREAM_BEFORE + chunk + STREAM_AFTER;
        let mut win: Vec<u8> = Vec::with_capacity(full);
        // Where the part a window reports starts, within the window.
        let mut from = 0usize;
        // Newlines before the window's first byte.
        let mut lines_before = 0u64;
        let mut out: Vec<Signal> = Vec::new();
        loop {
            let mut ended = false;
            while win.len() < full {
                let len = win.len();
                win.resize(full, 0);
                match src.read(&mut win[len..]) {
                    Ok(0) => {
                        win.truncate(len);
                        ended = true;
                        break;
                    }
                    Ok(n) => win.truncate(len + n),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => win.truncate(len),
                    Err(e) => return Err(e),
                }
            }
            let to = if ended {
                win.len()
            } else {
                win.len() - STREAM_AFTER
            };
            scanner.run(path, &win, binary);
            let accepted = self
                .accept
                .take(path, &win, &mut scanner.hits, lines_before, from..to);
            self.accepted.extend(accepted);
            scanner.hits.sort_unstable_by_key(|h| h.offset);
            for h in scanner
                .hits
                .iter()
                .filter(|h| (from..to).contains(&h.offset))
            {
                match out.iter_mut().find(|s| s.id == h.id) {
                    Some(s) => {
                        s.count = s.count.saturating_add(1);
                        s.confidence = s.confidence.max(h.confidence);
                    }
                    None => {
                        let before = memchr::memchr_iter(b'\n', &win[..h.offset]).count() as u64;
                        out.push(Signal {
                            id: h.id.clone().into_owned(),
                            category: h.category.clone().into_owned(),
                            confidence: h.confidence,
                            count: 1,
                            line: u32::try_from(lines_before + before + 1).unwrap_or(u32::MAX),
                        });
                    }
                }
            }
            if ended {
                break;
            }
            let cut = to - STREAM_BEFORE;
            lines_before += memchr::memchr_iter(b'\n', &win[..cut]).count() as u64;
            win.drain(..cut);
            from = STREAM_BEFORE;
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok((out, win))
    }

    /// The prefilter and every family over `content`, the hits left in `self.hits`.
    fn run(&mut self, path: &str, content: &[u8], binary: bool) {
        for &a in &self.touched {
            self.anchors[a as usize].clear();
        }
        self.touched.clear();
        self.hits.clear();

        let (anchors, touched) = (&mut self.anchors, &mut self.touched);
        let record = |pattern: u32, start: usize| {
            let slot = &mut anchors[pattern as usize];
            if slot.is_empty() {
                touched.push(pattern);
            }
            // An anchor's starts come in order.
            if slot.len() < MAX_POSITIONS_PER_ANCHOR {
                slot.push(start);
            }
        };
        self.inner
            .anchors
            .for_each(&mut self.search, content, record);

        let ctx = FileCtx {
            path,
            content,
            binary,
            anchors: &self.anchors,
            touched: Some(&self.touched),
        };
        for family in &self.inner.families {
            family.scan(&ctx, &mut self.hits);
        }
    }
}

fn aggregate(hits: &mut [Hit], firsts: &mut Vec<(usize, usize)>, content: &[u8]) -> Vec<Signal> {
    hits.sort_unstable_by(|a, b| a.id.cmp(&b.id).then(a.offset.cmp(&b.offset)));
    let mut out: Vec<Signal> = Vec::new();
    firsts.clear();
    for h in hits.iter() {
        match out.last_mut() {
            Some(s) if s.id == h.id => {
                s.count = s.count.saturating_add(1);
                s.confidence = s.confidence.max(h.confidence);
            }
            _ => {
                firsts.push((h.offset.min(content.len()), out.len()));
                out.push(Signal {
                    id: h.id.clone().into_owned(),
                    category: h.category.clone().into_owned(),
                    confidence: h.confidence,
                    count: 1,
                    line: 0,
                });
            }
        }
    }
    // Count newlines once, walking the first offsets in order.
    firsts.sort_unstable();
    let (mut pos, mut line) = (0usize, 1u32);
    for &(offset, i) in firsts.iter() {
        let newlines = memchr::memchr_iter(b'\n', &content[pos..offset]).count();
        line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        pos = offset;
        out[i].line = line;
    }
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::model::Confidence;

    /// A family reporting every occurrence of its anchors, to test the engine alone.
    struct Echo {
        a: AnchorId,
        b: AnchorId,
    }

    impl Family for Echo {
        fn name(&self) -> &'static str {
            "echo"
        }
        fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
            for (id, name, conf) in [
                (self.a, "test.alpha", Confidence::Low),
                (self.b, "test.beta", Confidence::High),
            ] {
                for &offset in ctx.hits(id) {
                    out.push(Hit {
                        id: Cow::Borrowed(name),
                        category: Cow::Borrowed("test"),
                        confidence: conf,
                        offset,
                    });
                }
            }
        }
    }

    fn echo(reg: &mut dyn AnchorRegistry) -> Box<dyn Family> {
        let a = reg.anchor("alpha");
        let b = reg.anchor("beta");
        Box::new(Echo { a, b })
    }

    /// Registers `ALPHA` (the same anchor as `alpha`) and `alphabet` (overlapping it).
    struct Shared {
        upper: AnchorId,
        longer: AnchorId,
    }

    impl Family for Shared {
        fn name(&self) -> &'static str {
            "shared"
        }
        fn scan(&self, ctx: &FileCtx<'_>, out: &mut Vec<Hit>) {
            for &offset in ctx.hits(self.upper) {
                out.push(Hit {
                    id: Cow::Borrowed("test.shared"),
                    category: Cow::Borrowed("test"),
                    confidence: Confidence::Medium,
                    offset,
                });
            }
            for &offset in ctx.hits(self.longer) {
                out.push(Hit {
                    id: Cow::Borrowed("test.longer"),
                    category: Cow::Borrowed("test"),
                    confidence: Confidence::Medium,
                    offset,
                });
            }
        }
    }

    fn shared(reg: &mut dyn AnchorRegistry) -> Box<dyn Family> {
        let upper = reg.anchor("ALPHA");
        let longer = reg.anchor("alphabet");
        Box::new(Shared { upper, longer })
    }

    fn detectors(ctors: &[FamilyCtor]) -> Detectors {
        Detectors::new(&[], ctors).unwrap()
    }

    #[test]
    fn signals_are_aggregated_per_id_with_first_line_and_count() {
        let d = detectors(&[echo]);
        let mut s = d.scanner();
        let text = b"one\nbeta two\nalpha\n\nALPHA beta\n";
        let got = s.scan("f.txt", text, false);
        assert_eq!(
            got,
            vec![
                Signal {
                    id: "test.alpha".into(),
                    category: "test".into(),
                    confidence: Confidence::Low,
                    count: 2,
                    line: 3,
                },
                Signal {
                    id: "test.beta".into(),
                    category: "test".into(),
                    confidence: Confidence::High,
                    count: 2,
                    line: 2,
                },
            ]
        );
    }

    #[test]
    fn a_scanner_is_reusable_and_forgets_the_previous_file() {
        let d = detectors(&[echo]);
        let mut s = d.scanner();
        assert_eq!(s.scan("a", b"alpha alpha", false).len(), 1);
        assert_eq!(s.scan("b", b"nothing here", false), vec![]);
        let got = s.scan("c", b"beta", false);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].id.as_str(), got[0].count, got[0].line),
            ("test.beta", 1, 1)
        );
    }

    #[test]
    fn anchors_are_shared_case_insensitively_and_overlaps_are_all_reported() {
        let d = detectors(&[echo, shared]);
        // alpha, beta, alphabet: `ALPHA` dedups into `alpha`.
        assert_eq!(d.anchor_count(), 3);
        let got = d.scanner().scan("f", b"xx AlphaBet", false);
        let ids: Vec<(&str, u32)> = got.iter().map(|s| (s.id.as_str(), s.count)).collect();
        assert_eq!(
            ids,
            vec![("test.alpha", 1), ("test.longer", 1), ("test.shared", 1)]
        );
    }

    #[test]
    fn positions_per_anchor_are_capped() {
        let d = detectors(&[echo]);
        let mut s = d.scanner();
        // A minified megabyte: one line, 100,000 anchors.
        let text = "alpha,".repeat(100_000);
        let got = s.scan("min.js", text.as_bytes(), false);
        assert_eq!(got[0].count as usize, MAX_POSITIONS_PER_ANCHOR);
        assert_eq!(got[0].line, 1);
        assert!(
            s.anchors
                .iter()
                .all(|v| v.len() <= MAX_POSITIONS_PER_ANCHOR)
        );
    }

    #[test]
    fn no_anchor_no_family_no_signal() {
        let d = detectors(&[]);
        assert_eq!(d.anchor_count(), 0);
        assert!(d.scanner().scan("f", b"alpha", false).is_empty());
    }

    #[test]
    fn line_numbers_count_every_newline_before_the_first_hit() {
        let d = detectors(&[echo]);
        let text = format!("{}beta\n{}alpha", "\n".repeat(999), "x\n".repeat(5));
        let got = d.scanner().scan("f", text.as_bytes(), false);
        // 999 empty lines, `beta` on line 1000, five `x` lines, `alpha` on 1006.
        assert_eq!(got[0].line, 1006);
        assert_eq!(got[1].line, 1000);
    }
}

#[cfg(test)]
mod streaming {
    use super::*;

    fn key(n: usize) -> String {
        let kind = ["RSA", "PRIVATE", "KEY"].join(" ");
        // Varied base64 over several lines, as a real key body is.
        let body: String = (0..n)
            .map(|i| {
                let line: String = (0..64)
                    .map(|j| {
                        let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                        c[(i * 7 + j * 13) % 64] as char
                    })
                    .collect();
                line + "\n"
            })
            .collect();
        format!("-----BEGIN {kind}-----\n{body}-----END {kind}-----\n")
    }

    /// A file of `len` bytes of padding lines with `secret` at `at`.
    fn file_with(len: usize, at: usize, secret: &str) -> Vec<u8> {
        let mut v: Vec<u8> = b"padding line of text\n"
            .iter()
            .copied()
            .cycle()
            .take(len)
            .collect();
        v.splice(at..at, secret.bytes());
        v
    }

    fn secret_signals(s: &[Signal]) -> Vec<Signal> {
        s.iter()
            .filter(|s| crate::detect::secrets::SIGNAL_IDS.contains(&s.id.as_str()))
            .cloned()
            .collect()
    }

    /// Windows smaller than a scan's, so a debug build crosses many of them quickly
    /// (the context around them is the real one).
    const CHUNK: usize = 64 << 10;

    /// The streamed secrets of a file, whatever its head's size, are those of one scan
    /// over all of it: keys and tokens anywhere, across every window's edge, found once,
    /// with the line of the first.
    #[test]
    fn streamed_secrets_are_those_of_the_whole_file() {
        let d = Detectors::new(&[], crate::detect::BUILTIN_FAMILIES).unwrap();
        let mut s = d.scanner();
        // The size the scan uses, once, then the small windows at every edge.
        let file = file_with(STREAM_CHUNK + 100_000, STREAM_CHUNK - 50, &key(3));
        let (head, mut rest) = file.split_at(1 << 20);
        let got = s.scan_file("f.txt", head, false, Some(&mut rest)).unwrap();
        let whole = Scanner::of(d.inner.streamed(), Arc::default()).scan("f.txt", &file, false);
        assert_eq!(secret_signals(&got), whole);
        let token = ["ghp_", "8aB3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA"].concat();
        let aws = format!(
            "aws_access_key_id = {}\n",
            ["AKIA", "Q3EGT4KZ7B2XVN5M"].concat()
        );
        let secrets = [key(3), key(40), format!("token: {token}\n"), aws];
        let chunk = CHUNK;
        let len = 2 * chunk + 3 * STREAM_AFTER;
        // Around each window's edge (where the part a window reports ends), and the head's.
        let mut offsets: Vec<usize> = vec![0, 5, len / 2];
        for edge in [
            chunk,
            2 * chunk,
            chunk - STREAM_BEFORE,
            2 * chunk + STREAM_AFTER,
        ] {
            for d in [0usize, 1, 40, 4095, 5000] {
                offsets.push(edge.saturating_sub(d));
                offsets.push(edge + d);
            }
        }
        for secret in &secrets {
            for &at in &offsets {
                let at = at.min(len);
                let file = file_with(len, at, secret);
                let whole = {
                    let mut one = Scanner::of(d.inner.streamed(), Arc::default());
                    one.scan("f.txt", &file, false)
                };
                assert!(!whole.is_empty(), "the sample is found in one scan");
                for head_len in [1000, chunk + STREAM_AFTER + 1] {
                    let (head, mut rest) = file.split_at(head_len.min(file.len()));
                    let got = s
                        .stream_whole("f.txt", head, &mut rest, false, chunk)
                        .unwrap()
                        .0;
                    assert_eq!(got, whole, "secret at {at}, head of {head_len} bytes");
                }
            }
        }
    }

    /// The credentials' family alone finds each credential signal as every family
    /// together does, and accepts what they accept.
    #[test]
    fn the_credentials_alone_give_the_credential_signals_of_a_whole_scan() {
        let d = Detectors::new(&[], crate::detect::BUILTIN_FAMILIES).unwrap();
        let token = ["ghp_", "8aB3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA"].concat();
        let samples = [
            key(3),
            format!(
                "name,email\nAda,ada@example.org\ntoken: {token}\n{}\n",
                ["pass", "word = 'Xk9#mQ2!vL7p'"].concat()
            ),
            format!(
                "# {}\nsecret_key = {token} # tiergate:accept\n",
                "x".repeat(50)
            ),
            "nothing to see\n".to_string(),
        ];
        for accept in [false, true] {
            let d = d
                .clone()
                .accepting(super::super::accept::Acceptance::new(None, accept));
            let c = d.credentials();
            assert!(c.anchor_count() < d.anchor_count());
            let (mut all, mut creds) = (d.scanner(), c.scanner());
            for text in &samples {
                for path in ["a.py", "a.env"] {
                    let got = creds.scan(path, text.as_bytes(), false);
                    assert_eq!(
                        got,
                        secret_signals(&all.scan(path, text.as_bytes(), false)),
                        "{path} {text:?}"
                    );
                    assert!(
                        got.iter()
                            .all(|s| crate::detect::secrets::is_credential(&s.id))
                    );
                    let mut accepted = all.take_accepted();
                    accepted.retain(|a| crate::detect::secrets::is_credential(&a.signal));
                    assert_eq!(creds.take_accepted(), accepted);
                }
            }
        }
    }

    /// Two keys far apart count twice; other families keep the head's signals.
    #[test]
    fn streaming_counts_each_hit_once_and_keeps_the_other_families() {
        let d = Detectors::new(&[], crate::detect::BUILTIN_FAMILIES).unwrap();
        let mut s = d.scanner();
        let mut file =
            b"name,email,iban\nAda,ada@example.org,DE89370400440532013000\npatient diagnosis E11.9 recorded; SSN 078-05-1120\n"
                .to_vec();
        file.extend(file_with(2 * STREAM_CHUNK, STREAM_CHUNK - 100, &key(5)));
        file.extend(key(5).bytes());
        let (head, mut rest) = file.split_at(4096);
        let got = s
            .scan_file("people.csv", head, false, Some(&mut rest))
            .unwrap();
        let pk: Vec<&Signal> = got
            .iter()
            .filter(|x| x.id == "secret.private_key")
            .collect();
        assert_eq!(pk.len(), 1);
        assert_eq!(pk[0].count, 2);
        assert!(pk[0].line > 1);
        // The other families' signals are the head's.
        let others = |v: &[Signal]| -> Vec<Signal> {
            v.iter()
                .filter(|x| !crate::detect::secrets::SIGNAL_IDS.contains(&x.id.as_str()))
                .cloned()
                .collect()
        };
        let head_only = s.scan("people.csv", head, false);
        assert!(!others(&head_only).is_empty(), "{head_only:?}");
        assert_eq!(others(&got), others(&head_only));
        assert!(got.windows(2).all(|w| w[0].id < w[1].id), "sorted by id");
        // A reader that fails is an error, not a partial answer.
        struct Broken;
        impl std::io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
        }
        assert!(
            s.scan_file("f.txt", head, false, Some(&mut Broken))
                .is_err()
        );
    }
}

#[cfg(test)]
mod learning {
    use super::*;

    /// The gate's scanner keeps its guess of which windows are rare; the scan's learns
    /// them from the text. They must find the same signals: a path's tier may not
    /// depend on which command classified it.
    #[test]
    fn a_scanner_that_learned_finds_what_the_guess_finds() {
        let config = crate::config::defaults();
        let scan = Detectors::new(&config.detectors, crate::detect::BUILTIN_FAMILIES).unwrap();
        let few =
            Detectors::for_few_files(&config.detectors, crate::detect::BUILTIN_FAMILIES).unwrap();
        let key = [
            "-----BEGIN ",
            "RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7q2dV9mW3bq8sZ9uN1xKf0aLr2Tq4Yy8\n-----END RSA ",
            "PRIVATE KEY-----\n",
        ]
        .concat();
        let samples: Vec<(&str, String)> = vec![
            ("deploy/key.txt", key),
            ("people.csv", "name,email,iban\nAda,ada@example.org,DE89370400440532013000\n".into()),
            ("score.py", "import face_recognition\nfrom sklearn.linear_model import LogisticRegression\ncredit_score = 1\n".into()),
            ("notes.md", "patient diagnosis E11.9 recorded; SSN 078-05-1120\n".into()),
            ("plain.rs", "fn main() { println!(\"hello\"); }\n".into()),
        ];
        let (mut a, mut b) = (scan.scanner(), few.scanner());
        // Enough text to learn from, full of one anchor so that the choice changes.
        let filler = "account payment; let x = 1;\n".repeat(100_000);
        assert_eq!(
            a.scan("ledger.rs", filler.as_bytes(), false),
            b.scan("ledger.rs", filler.as_bytes(), false)
        );
        let mut found = 0;
        for (path, text) in samples {
            let signals = a.scan(path, text.as_bytes(), false);
            found += signals.len();
            assert_eq!(signals, b.scan(path, text.as_bytes(), false), "{path}");
        }
        assert!(
            found >= 3,
            "the samples must exercise the detectors ({found} signals)"
        );
    }
}

/// Throughput of the prefilter and families, single-threaded, release build:
/// `cargo test --release --lib detect::engine::bench -- --ignored --nocapture`.
/// Scans `TIERGATE_BENCH_CORPUS` (a directory, e.g. the benchmark corpus) when set,
/// else a generated 16 MiB of code-like text with rare secrets.
#[cfg(test)]
mod bench {
    use super::*;

    /// CPU time of this thread, in seconds: the machine may be shared, and wall time
    /// would then measure the neighbours.
    fn cpu_seconds() -> f64 {
        crate::platform::thread_cpu_seconds().expect("a thread CPU clock")
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        if let Ok(dir) = std::env::var("TIERGATE_BENCH_CORPUS") {
            let mut out = Vec::new();
            let mut stack = vec![std::path::PathBuf::from(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).unwrap().flatten() {
                    let p = e.path();
                    let ft = e.file_type().unwrap();
                    if ft.is_dir() && p.file_name().is_some_and(|n| n != ".git") {
                        stack.push(p);
                    } else if ft.is_file() {
                        let mut bytes = std::fs::read(&p).unwrap();
                        bytes.truncate(8 << 20);
                        out.push((p.display().to_string(), bytes));
                    }
                }
            }
            return out;
        }
        let words = [
            "fn",
            "let",
            "return",
            "self",
            "value",
            "config",
            "password_hash",
            "token",
            "user",
            "import",
            "export",
            "class",
            "def",
            "https://example.org/a",
            "key",
            "data",
            "0x1f",
            "12345",
            "secretary",
            "risk-based",
            "eyJ",
            "task-list",
        ];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        (0..2000)
            .map(|i| {
                let mut s = String::with_capacity(8 << 10);
                while s.len() < 8 << 10 {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    s.push_str(words[(x % words.len() as u64) as usize]);
                    s.push(if x.is_multiple_of(11) { '\n' } else { ' ' });
                }
                (format!("src/f{i}.rs"), s.into_bytes())
            })
            .collect()
    }

    #[test]
    #[ignore = "benchmark; run in release with --ignored --nocapture"]
    fn bench() {
        let files = files();
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        let config = crate::config::parse_str(
            "detectors:\n  - id: employee-id\n    regex: \"EMP-[0-9]{6}\"\n    keywords: [employee]\n",
            "tiergate.yaml",
        )
        .unwrap();
        let sets: [(&str, &[FamilyCtor]); 3] = [
            ("secrets", &[crate::detect::secrets::new]),
            (
                "secrets+pii+annex3",
                &[
                    crate::detect::secrets::new,
                    crate::detect::pii::new,
                    crate::detect::annex3::Annex3::new,
                ],
            ),
            ("none (prefilter of custom only)", &[]),
        ];
        for (name, ctors) in sets {
            let built = std::time::Instant::now();
            let d = Detectors::new(&config.detectors, ctors).unwrap();
            println!(
                "{name}: built in {:.1} ms",
                built.elapsed().as_secs_f64() * 1e3
            );
            let mut s = d.scanner();
            let start = cpu_seconds();
            let mut signals = 0usize;
            let mut by_id = std::collections::BTreeMap::<String, (usize, Vec<String>)>::new();
            for (path, content) in &files {
                let binary = memchr::memchr(0, &content[..content.len().min(8192)]).is_some();
                let got = s.scan(path, content, binary);
                signals += got.len();
                if std::env::var_os("TIERGATE_BENCH_VERBOSE").is_some() {
                    for sig in got {
                        let e = by_id
                            .entry(format!("{} {:?}", sig.id, sig.confidence))
                            .or_default();
                        e.0 += 1;
                        if e.1.len() < 3 {
                            e.1.push(format!("{path}:{}", sig.line));
                        }
                    }
                }
            }
            for (id, (n, examples)) in &by_id {
                println!("  {id}: {n} files, e.g. {examples:?}");
            }
            let secs = cpu_seconds() - start;
            println!(
                "{name}: {} files, {:.1} MB, {} anchors, {signals} signals, {secs:.3} s CPU, {:.0} MB/s, {:.1} us/file",
                files.len(),
                bytes as f64 / 1e6,
                d.anchor_count(),
                bytes as f64 / 1e6 / secs,
                secs * 1e6 / files.len() as f64
            );
        }
    }
}
