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

use super::trigrams::{Anchors, Search};
use super::{AnchorId, AnchorRegistry, Family, FileCtx, Hit};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::model::Signal;

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
}

/// The compiled detectors: built-in families plus the config's custom detectors,
/// sharing one prefilter. Clone is cheap.
#[derive(Clone)]
pub struct Detectors {
    inner: Arc<Inner>,
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
    pub fn new(config: &Config, builtins: &[FamilyCtor]) -> Result<Detectors, Diagnostics> {
        Self::build(config, builtins, true)
    }

    /// Like [`Detectors::new`], for a handful of files (a gate's changed paths): the
    /// search keeps its first guess of which windows are rare instead of counting them
    /// in the text. Same matches either way.
    pub fn for_few_files(
        config: &Config,
        builtins: &[FamilyCtor],
    ) -> Result<Detectors, Diagnostics> {
        Self::build(config, builtins, false)
    }

    fn build(
        config: &Config,
        builtins: &[FamilyCtor],
        learn: bool,
    ) -> Result<Detectors, Diagnostics> {
        let mut reg = Registry::default();
        let mut families: Vec<Box<dyn Family>> =
            builtins.iter().map(|ctor| ctor(&mut reg)).collect();
        if !config.detectors.is_empty() {
            families.push(super::custom::family(&config.detectors, &mut reg)?);
        }
        Ok(Detectors {
            inner: Arc::new(Inner {
                anchors: Anchors::new(&reg.literals),
                learn,
                families,
            }),
        })
    }

    /// A scanner for one worker thread.
    pub fn scanner(&self) -> Scanner {
        Scanner {
            search: self.inner.anchors.search(self.inner.learn),
            anchors: vec![Vec::new(); self.inner.anchors.len()],
            inner: Arc::clone(&self.inner),
            touched: Vec::new(),
            hits: Vec::new(),
            firsts: Vec::new(),
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
}

impl Scanner {
    /// Run the prefilter once over `content`, then every family, and aggregate the hits
    /// into signals: one per id, confidence the highest seen, count the number of hits,
    /// line the 1-based line of the first hit. Sorted by id.
    pub fn scan(&mut self, path: &str, content: &[u8], binary: bool) -> Vec<Signal> {
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
        if self.hits.is_empty() {
            return Vec::new();
        }
        aggregate(&mut self.hits, &mut self.firsts, content)
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
        Detectors::new(&crate::config::defaults(), ctors).unwrap()
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
mod learning {
    use super::*;

    /// The gate's scanner keeps its guess of which windows are rare; the scan's learns
    /// them from the text. They must find the same signals: a path's tier may not
    /// depend on which command classified it.
    #[test]
    fn a_scanner_that_learned_finds_what_the_guess_finds() {
        let config = crate::config::defaults();
        let scan = Detectors::new(&config, crate::detect::BUILTIN_FAMILIES).unwrap();
        let few = Detectors::for_few_files(&config, crate::detect::BUILTIN_FAMILIES).unwrap();
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
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
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
            let d = Detectors::new(&config, ctors).unwrap();
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
