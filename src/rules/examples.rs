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
use crate::detect::pii::{Pii, Tables};
use crate::detect::secrets::Secrets;
use crate::detect::secrets::format::{AlgorithmUse, Def as SecretDef, TokenFormat};
use crate::detect::{Detectors, pii, secrets};

use super::Catalogue;
use super::annex3::{Example, Examples, KindRule};
use super::pii::PiiRules;

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
    let tables = catalogue.pii.as_ref().map(static_tables);
    let secret_tables = catalogue
        .secrets
        .as_ref()
        .map(|s| (static_secret_tables(s), static_formats(s)));
    let detectors = Detectors::with_families(|reg| {
        vec![
            match secret_tables {
                Some((t, f)) => Box::new(Secrets::with_tables(reg, t, f)),
                None => secrets::new(reg),
            },
            match tables {
                Some(t) => Box::new(Pii::with_tables(reg, t)),
                None => pii::new(reg),
            },
            Box::new(Annex3::from_defs(reg, defs)),
        ]
    });
    let mut run = Run {
        scanner: detectors.scanner(),
        report: Report {
            outcomes: Vec::new(),
            signals: 0,
            covered: 0,
        },
    };
    for point in &catalogue.annex3 {
        for s in &point.signals {
            run.signal(&point.display, &s.id, &s.examples);
        }
    }
    let pii = catalogue.pii.iter().flat_map(|p| &p.examples);
    let secrets = catalogue.secrets.iter().flat_map(|s| &s.examples);
    for (id, file, examples) in pii.chain(secrets) {
        run.signal(file, id, examples);
    }
    run.report
}

struct Run {
    scanner: crate::detect::Scanner,
    report: Report,
}

impl Run {
    fn signal(&mut self, file: &str, id: &str, examples: &Examples) {
        self.report.signals += 1;
        if !examples.matching.is_empty() && !examples.not_matching.is_empty() {
            self.report.covered += 1;
        }
        let sides = [(true, &examples.matching), (false, &examples.not_matching)];
        for (should_match, examples) in sides {
            for e in examples {
                let matched = gives(&mut self.scanner, e, id);
                self.report.outcomes.push(Outcome {
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
    let content = e.text.as_bytes();
    let binary = content.contains(&0);
    scanner
        .scan(&e.path, content, binary)
        .iter()
        .any(|s| s.id == id)
}

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

/// The personal-data rules as the family's tables, leaked like [`static_defs`].
fn static_tables(rules: &PiiRules) -> &'static Tables {
    let keywords: Vec<&'static [&'static str]> =
        rules.keywords.iter().map(|w| leak_all(w)).collect();
    let special: Vec<_> = rules
        .terms
        .iter()
        .map(|t| (leak_all(&t.words), leak(&t.signal), t.mode))
        .collect();
    Box::leak(Box::new(Tables {
        keywords: keywords
            .try_into()
            .expect("the rules have every keyword group"),
        special: Box::leak(special.into_boxed_slice()),
        affixes: leak_all(&rules.affixes),
        sql_types: leak_all(&rules.sql_types),
        email_file_extensions: leak_all(&rules.email_file_extensions),
    }))
}

/// The credential rules as the family's tables, leaked like [`static_defs`].
fn static_secret_tables(
    rules: &super::secrets::SecretsRules,
) -> &'static crate::detect::secrets::Tables {
    let l = |i: usize| leak_all(&rules.lists[i]);
    Box::leak(Box::new(crate::detect::secrets::Tables {
        code_extensions: l(0),
        not_a_secret_suffixes: l(1),
        placeholder_values: l(2),
        placeholder_parts: l(3),
        password_keywords: l(4),
        connection_schemes: l(5),
    }))
}

/// The credential formats as the family's definitions, leaked like [`static_defs`].
fn static_formats(rules: &super::secrets::SecretsRules) -> &'static [SecretDef] {
    let joined = |values: &[Vec<String>]| -> &'static [&'static str] {
        Box::leak(
            values
                .iter()
                .map(|parts| leak(&parts.concat()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )
    };
    let defs: Vec<SecretDef> = rules
        .signals
        .iter()
        .map(|s| {
            let tokens: Vec<TokenFormat> = s
                .tokens
                .iter()
                .map(|t| TokenFormat {
                    prefixes: leak_all(&t.prefixes),
                    body: leak(&t.body),
                    before: t.before,
                    after: t.after,
                    measure: t.measure,
                    entropy: t.entropy,
                    reject_filler: t.reject_filler,
                    reject_sequential: t.reject_sequential,
                    example_marks: leak_all(&t.example_marks),
                    documentation: joined(&t.documentation),
                    checksum: t.checksum,
                    validator: t.validator,
                    confidence: t.confidence,
                })
                .collect();
            SecretDef {
                id: leak(&s.id),
                title: leak(&s.title),
                tokens: Box::leak(tokens.into_boxed_slice()),
                algorithm: s.algorithm.as_ref().map(|a| AlgorithmUse {
                    algorithm: a.algorithm,
                    keywords: leak_all(&a.keywords),
                    headers: leak_all(&a.headers),
                    documentation: joined(&a.documentation),
                }),
            }
        })
        .collect();
    Box::leak(defs.into_boxed_slice())
}

/// The catalogue as the detector's table. The table is `'static` (the compiled-in one
/// is a constant); a catalogue read at run time is leaked once per call, which a
/// command that runs examples and exits can afford.
fn static_defs(catalogue: &Catalogue) -> &'static [Def] {
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
