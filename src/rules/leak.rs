//! A checked catalogue as the detectors' tables.
//!
//! The families read `'static` tables (the compiled-in ones are constants); tables
//! read at run time are leaked. `tiergate rules test` leaks once per run, a scan once
//! per process and set of a repository's rule files (see [`super::user`]): a few
//! hundred kilobytes at most.

use crate::detect::Knowledge;
use crate::detect::annex3::{Def, Kind};
use crate::detect::{pii, secrets};

use super::Catalogue;
use super::annex3::KindRule;
use super::pii::{FormRule, NationalIdRule, PiiRules};
use super::secrets::SecretsRules;

/// What `catalogue` tells the detectors; a family the catalogue does not have keeps
/// the compiled-in tables.
pub fn knowledge(catalogue: &Catalogue) -> Knowledge {
    Knowledge {
        annex3: defs(catalogue),
        pii: catalogue.pii.as_ref().map_or(&pii::TABLES, pii_tables),
        secrets: catalogue
            .secrets
            .as_ref()
            .map_or(&secrets::TABLES, secret_tables),
        media: catalogue
            .media
            .as_ref()
            .map_or(&crate::detect::media::TABLES, media_tables),
    }
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

/// The personal-data rules as the family's tables.
fn pii_tables(rules: &PiiRules) -> &'static pii::Tables {
    let keywords: Vec<&'static [&'static str]> =
        rules.keywords.iter().map(|w| leak_all(w)).collect();
    let special: Vec<_> = rules
        .terms
        .iter()
        .map(|t| (leak_all(&t.words), leak(&t.signal), t.mode))
        .collect();
    Box::leak(Box::new(pii::Tables {
        keywords: keywords
            .try_into()
            .expect("the rules have every keyword group"),
        special: Box::leak(special.into_boxed_slice()),
        affixes: leak_all(&rules.affixes),
        context: std::array::from_fn(|i| {
            rules
                .context
                .get(i)
                .map_or(&[][..], |words| leak_all(words))
        }),
        documentation: Box::leak(
            rules
                .documentation
                .iter()
                .map(|(validator, values)| (leak(validator), leak_all(values)))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        national_ids: national_ids(&rules.national_ids),
    }))
}

/// The national identifier formats as the family's table.
fn national_ids(rules: &[NationalIdRule]) -> &'static [pii::NationalId] {
    let lengths = |v: &[u8]| -> &'static [u8] { Box::leak(v.to_vec().into_boxed_slice()) };
    let ids: Vec<pii::NationalId> = rules
        .iter()
        .map(|f| {
            let shapes: Vec<pii::Shape> = f
                .shapes
                .iter()
                .map(|s| pii::Shape {
                    form: match &s.form {
                        FormRule::Groups {
                            class,
                            lengths: l,
                            separators,
                        } => pii::Form::Groups {
                            class: *class,
                            lengths: lengths(l),
                            separators: leak(separators),
                        },
                        FormRule::LetterAfter { digits, separators } => pii::Form::LetterAfter {
                            digits: *digits,
                            separators: leak(separators),
                        },
                        FormRule::Upper { length, spaced } => pii::Form::Upper {
                            length: *length,
                            spaced: lengths(spaced),
                        },
                    },
                    keywords: s.keywords.as_deref().map(leak_all),
                    without_keyword: s.without_keyword,
                })
                .collect();
            pii::NationalId {
                signal: leak(&f.signal),
                validator: leak(&f.validator),
                keywords: leak_all(&f.keywords),
                with_keyword: f.with_keyword,
                shapes: Box::leak(shapes.into_boxed_slice()),
            }
        })
        .collect();
    Box::leak(ids.into_boxed_slice())
}

/// The credential rules as the family's tables.
fn secret_tables(rules: &SecretsRules) -> &'static secrets::Tables {
    let l = |i: usize| leak_all(&rules.lists[i]);
    Box::leak(Box::new(secrets::Tables {
        code_extensions: l(0),
        not_a_secret_suffixes: l(1),
        placeholder_values: l(2),
        placeholder_parts: l(3),
        password_keywords: l(4),
        connection_schemes: l(5),
        ciphertext_prefixes: l(6),
        ciphertext_markers: l(7),
        not_a_secret_words: l(8),
        encoded_markers: l(9),
        setter_calls: l(10),
        public_pem_types: l(11),
        env_credential_words: l(12),
        template_markers: l(13),
        env_lookups: l(14),
        translation_extensions: l(15),
        translation_stems: l(16),
        documentation_names: l(17),
        formats: formats(rules),
    }))
}

/// The credential formats as the family's definitions.
fn formats(rules: &SecretsRules) -> &'static [secrets::format::Def] {
    use secrets::format::{AlgorithmUse, Def, TokenFormat};
    let joined = |values: &[Vec<String>]| -> &'static [&'static str] {
        Box::leak(
            values
                .iter()
                .map(|parts| leak(&parts.concat()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )
    };
    let defs: Vec<Def> = rules
        .signals
        .iter()
        .map(|s| {
            let tokens: Vec<TokenFormat> = s
                .tokens
                .iter()
                .map(|t| TokenFormat {
                    prefixes: leak_all(&t.prefixes),
                    keywords: leak_all(&t.keywords),
                    ignore_case: t.ignore_case,
                    lead: leak(&t.lead),
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
            Def {
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

/// The catalogue's Annex III signals as the family's table, in catalogue order.
fn defs(catalogue: &Catalogue) -> &'static [Def] {
    let defs: Vec<Def> = catalogue
        .signals()
        .map(|s| Def {
            id: leak(&s.id),
            strength: s.strength,
            kind: match &s.kind {
                KindRule::Import(v) => Kind::Import(leak_all(v)),
                KindRule::Call(v) => Kind::Call(leak_all(v)),
                KindRule::Dir(v) => Kind::Dir(leak_all(v)),
                KindRule::Extension(v) => Kind::Extension(leak_all(v)),
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

/// The media rules as the family's tables.
fn media_tables(rules: &super::media::MediaRules) -> &'static crate::detect::media::Tables {
    use crate::detect::media::{Format, Tables};
    let formats: Vec<Format> = rules
        .formats
        .iter()
        .map(|f| Format {
            name: leak(&f.name),
            kind: f.kind,
            magic: Box::leak(
                f.magic
                    .iter()
                    .map(|(at, b)| (*at, &*Box::leak(b.clone().into_boxed_slice())))
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            ),
            brands: leak_all(&f.brands),
            extensions: leak_all(&f.extensions),
        })
        .collect();
    let int = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Box::leak(Box::new(Tables {
        formats: Box::leak(formats.into_boxed_slice()),
        max_pixels: rules.max_pixels,
        max_bytes: rules.max_bytes,
        detect_side: int(rules.detect_side),
        min_side: int(rules.min_side),
        min_face: int(rules.min_face),
        min_score: rules.min_score,
        medium_score: rules.medium_score,
        high_score: rules.high_score,
        skin_cell: int(rules.skin_cell),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped catalogue leaked is the compiled-in tables: a repository's rules
    /// are added to exactly what a scan without them uses.
    #[test]
    fn the_shipped_catalogue_gives_the_compiled_in_tables() {
        let k = knowledge(&Catalogue::shipped());
        let shipped = Knowledge::SHIPPED;
        assert_eq!(format!("{:?}", k.annex3), format!("{:?}", shipped.annex3));
        assert_eq!(format!("{:?}", k.pii), format!("{:?}", shipped.pii));
        assert_eq!(format!("{:?}", k.secrets), format!("{:?}", shipped.secrets));
    }
}
