//! Examples are tests: every signal's `match` examples must give it, its `no_match`
//! examples must not.
//!
//! Each example is scanned as a file (its path decides the format and language)
//! through the real detector engine: the shared prefilter, every built-in family and
//! the noise rules (a weak or context Annex III signal is reported only next to a
//! medium or strong one of its point, so its examples carry one). The Annex III
//! family is built from the catalogue under test, not from the tables compiled in, so
//! an edited rule file is tested without a rebuild.

use crate::detect::annex3::{Annex3, Def, Kind};
use crate::detect::{Detectors, pii, secrets};

use super::Catalogue;
use super::annex3::{Example, KindRule};

/// What one example did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The rule file and the line of the example in it.
    pub file: String,
    pub line: u64,
    pub signal: String,
    /// The example's file path.
    pub path: String,
    /// `true` for a `match` example.
    pub should_match: bool,
    /// Whether the scan gave the signal.
    pub matched: bool,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.should_match == self.matched
    }
}

/// Every example's outcome, and the coverage of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// Signals in the catalogue.
    pub signals: usize,
    /// Signals with at least one `match` and one `no_match` example.
    pub covered: usize,
}

impl Report {
    pub fn failures(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| !o.passed())
    }

    /// Every example behaved and every signal is covered.
    pub fn ok(&self) -> bool {
        self.failures().next().is_none() && self.covered == self.signals
    }
}

/// Run every example of `catalogue`.
pub fn run(catalogue: &Catalogue) -> Report {
    let defs = static_defs(catalogue);
    let detectors = Detectors::with_families(|reg| {
        vec![
            secrets::new(reg),
            pii::new(reg),
            Box::new(Annex3::from_defs(reg, defs)),
        ]
    });
    let mut scanner = detectors.scanner();
    let mut outcomes = Vec::new();
    let mut signals = 0;
    let mut covered = 0;
    for point in &catalogue.annex3 {
        for s in &point.signals {
            signals += 1;
            if !s.examples.matching.is_empty() && !s.examples.not_matching.is_empty() {
                covered += 1;
            }
            let sides = [
                (true, &s.examples.matching),
                (false, &s.examples.not_matching),
            ];
            for (should_match, examples) in sides {
                for e in examples {
                    outcomes.push(Outcome {
                        file: point.display.clone(),
                        line: e.line,
                        signal: s.id.clone(),
                        path: e.path.clone(),
                        should_match,
                        matched: gives(&mut scanner, e, &s.id),
                    });
                }
            }
        }
    }
    Report {
        outcomes,
        signals,
        covered,
    }
}

fn gives(scanner: &mut crate::detect::Scanner, e: &Example, id: &str) -> bool {
    let content = e.text.as_bytes();
    let binary = content.contains(&0);
    scanner
        .scan(&e.path, content, binary)
        .iter()
        .any(|s| s.id == id)
}

/// The catalogue as the detector's table. The table is `'static` (the compiled-in one
/// is a constant); a catalogue read at run time is leaked once per call, which a
/// command that runs examples and exits can afford.
fn static_defs(catalogue: &Catalogue) -> &'static [Def] {
    fn leak(s: &str) -> &'static str {
        Box::leak(s.to_string().into_boxed_str())
    }
    fn leak_all(v: &[String]) -> &'static [&'static str] {
        Box::leak(
            v.iter()
                .map(|s| leak(s))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )
    }
    let defs: Vec<Def> = catalogue
        .signals()
        .map(|s| Def {
            id: leak(&s.id),
            strength: s.strength,
            kind: match &s.kind {
                KindRule::Import(v) => Kind::Import(leak_all(v)),
                KindRule::Call(v) => Kind::Call(leak_all(v)),
                KindRule::Dir(v) => Kind::Dir(leak_all(v)),
                KindRule::Host(v) => Kind::Host(leak_all(v)),
                KindRule::Keyword(v) => Kind::Keyword(leak_all(v)),
                KindRule::CallWith {
                    calls,
                    args,
                    window,
                } => Kind::CallWith {
                    calls: leak_all(calls),
                    args: leak_all(args),
                    window: *window,
                },
                KindRule::Columns { names, min } => Kind::Columns {
                    names: leak_all(names),
                    min: *min,
                },
            },
        })
        .collect();
    Box::leak(defs.into_boxed_slice())
}
