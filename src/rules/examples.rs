//! Examples are tests: every signal's `match` examples must give it, its `no_match`
//! examples must not.
//!
//! Each example is scanned as a file (its path decides the format and language)
//! through the real detector engine: the shared prefilter, every built-in family and
//! the noise rules (a weak or context Annex III signal is reported only next to a
//! medium or strong one of its point, so its examples carry one). The families are
//! built from the catalogue under test, not from the tables compiled in, so an edited
//! rule file is tested without a rebuild, and a repository's rules (see
//! [`super::user`]) with the shipped ones they are added to.

use std::collections::BTreeMap;

use crate::detect::Detectors;

use super::Catalogue;
use super::annex3::{Example, Examples};

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
    let detectors = Detectors::with_knowledge(&[], super::leak::knowledge(catalogue), true)
        .expect("no custom detectors to compile");
    let mut run = Run {
        scanner: detectors.scanner(),
        outcomes: Vec::new(),
        sides: BTreeMap::new(),
    };
    for point in &catalogue.annex3 {
        for s in &point.signals {
            run.signal(&point.display, &s.id, &s.examples);
        }
    }
    let pii = catalogue.pii.iter().flat_map(|p| &p.examples);
    let secrets = catalogue.secrets.iter().flat_map(|s| &s.examples);
    let media = catalogue.media.iter().flat_map(|m| &m.examples);
    for (id, file, examples) in pii.chain(secrets).chain(media) {
        run.signal(file, id, examples);
    }
    Report {
        signals: run.sides.len(),
        covered: run.sides.values().filter(|(m, n)| *m && *n).count(),
        outcomes: run.outcomes,
    }
}

struct Run {
    scanner: crate::detect::Scanner,
    outcomes: Vec<Outcome>,
    /// Per signal (its examples may come from more than one file): whether it has a
    /// `match` and a `no_match` example.
    sides: BTreeMap<String, (bool, bool)>,
}

impl Run {
    fn signal(&mut self, file: &str, id: &str, examples: &Examples) {
        let sides = self.sides.entry(id.to_string()).or_default();
        sides.0 |= !examples.matching.is_empty();
        sides.1 |= !examples.not_matching.is_empty();
        let sides = [(true, &examples.matching), (false, &examples.not_matching)];
        for (should_match, examples) in sides {
            for e in examples {
                let matched = gives(&mut self.scanner, e, id);
                self.outcomes.push(Outcome {
                    file: file.to_string(),
                    line: e.line,
                    signal: id.to_string(),
                    path: e.path.clone(),
                    should_match,
                    matched,
                });
            }
        }
    }
}

fn gives(scanner: &mut crate::detect::Scanner, e: &Example, id: &str) -> bool {
    let content = &e.content;
    let binary = content.contains(&0);
    scanner
        .scan(&e.path, content, binary)
        .iter()
        .any(|s| s.id == id)
}
