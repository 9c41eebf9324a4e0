//! The static tables the detectors compile in, generated from the rule files.
//!
//! The scan never parses YAML: `src/detect/annex3/catalogue.rs` is this module's output
//! for the shipped files, checked in so a review sees both the data change and the
//! table it gives, and `tests/rules.rs` fails when the two disagree
//! (`TIERGATE_BLESS=1 cargo test --test rules` rewrites it).

use std::fmt::Write as _;

use super::Catalogue;
use super::annex3::KindRule;
use super::pii::{FormRule, PiiRules};
use super::secrets::{CONTEXT_KEYS, SecretsRules};
use crate::detect::annex3::Strength;
use crate::detect::pii::{KEYWORD_GROUPS, Mode};

/// Where the Annex III table lives, relative to the crate.
pub const ANNEX3_TABLE: &str = "src/detect/annex3/catalogue.rs";
/// Where the personal-data tables live, relative to the crate.
pub const PII_TABLE: &str = "src/detect/pii/tables.rs";
/// Where the credential detectors' tables live, relative to the crate.
pub const SECRETS_TABLE: &str = "src/detect/secrets/tables.rs";
/// Where the credential formats live, relative to the crate.
pub const FORMATS_TABLE: &str = "src/detect/secrets/formats.rs";
/// Where the legal facts policies read live, relative to the crate.
pub const LEGAL_DATA: &str = "src/policy/legal.json";
/// Where the media family's tables live, relative to the crate.
pub const MEDIA_TABLE: &str = "src/detect/media/tables.rs";
/// Where the built-in zones live, relative to the crate.
pub const ZONES_TABLE: &str = "src/config/defaults/zones.rs";

/// The Rust source of the Annex III table for `catalogue`.
pub fn annex3_table(catalogue: &Catalogue) -> String {
    let mut out = String::from(
        "// @generated from rules/annex3/*.yaml by tiergate::rules::codegen; do not edit.\n\
         // Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.\n\
         \n\
         use super::Kind::{Call, CallWith, Columns, Dir, Extension, Host, Import, Keyword};\n\
         use super::Strength::{Medium, Strong, Weak};\n\
         use super::Def;\n\
         \n\
         /// The Annex III points the rule files describe, as signal-id keys, in order.\n\
         pub const POINTS: &[&str] = &[\n",
    );
    for p in &catalogue.annex3 {
        writeln!(out, "    {:?},", p.point).unwrap();
    }
    out.push_str("];\n\n/// The catalogue: every signal of every point, in file order.\npub const DEFS: &[Def] = &[\n");
    for p in &catalogue.annex3 {
        writeln!(out, "    // {}", p.display).unwrap();
        for s in &p.signals {
            let strength = match s.strength {
                Strength::Strong => "Strong",
                Strength::Medium => "Medium",
                Strength::Weak => "Weak",
            };
            let kind = match &s.kind {
                KindRule::Import(v) => format!("Import({})", list(v)),
                KindRule::Call(v) => format!("Call({})", list(v)),
                KindRule::Dir(v) => format!("Dir({})", list(v)),
                KindRule::Extension(v) => format!("Extension({})", list(v)),
                KindRule::Host(v) => format!("Host({})", list(v)),
                KindRule::Keyword(v) => format!("Keyword({})", list(v)),
                KindRule::CallWith {
                    calls,
                    args,
                    window,
                } => format!(
                    "CallWith {{ calls: {}, args: {}, window: {window} }}",
                    list(calls),
                    list(args)
                ),
                KindRule::Columns { names, min } => {
                    format!("Columns {{ names: {}, min: {min} }}", list(names))
                }
            };
            writeln!(
                out,
                "    Def {{ id: {:?}, strength: {strength}, kind: {kind} }},",
                s.id
            )
            .unwrap();
        }
    }
    out.push_str("];\n");
    out
}

/// The Rust source of the personal-data tables for `rules`.
pub fn pii_table(rules: &PiiRules) -> String {
    let mut out = String::from(
        "// @generated from rules/pii/*.yaml by tiergate::rules::codegen; do not edit.\n\
         // Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.\n\
         \n\
         #![allow(unused_imports)]\n\
         \n\
         use super::Class::{Alnum, Any, Digits};\n\
         use super::Form::{Groups, LetterAfter, Upper};\n\
         use super::Mode::{Exact, HeaderOnly, Part};\n\
         use super::{NationalId, Shape, Tables};\n\
         use crate::model::Confidence::{High, Low, Medium};\n\
         \n\
         /// The personal-data detectors' knowledge.\n\
         pub const TABLES: Tables = Tables {\n    keywords: [\n",
    );
    for (name, words) in KEYWORD_GROUPS.iter().zip(&rules.keywords) {
        writeln!(out, "        // {name}\n        {},", list(words)).unwrap();
    }
    out.push_str("    ],\n    special: &[\n");
    for t in &rules.terms {
        let mode = match t.mode {
            Mode::Part => "Part",
            Mode::Exact => "Exact",
            Mode::HeaderOnly => "HeaderOnly",
        };
        writeln!(out, "        ({}, {:?}, {mode}),", list(&t.words), t.signal).unwrap();
    }
    writeln!(
        out,
        "    ],\n    affixes: {},\n    context: [",
        list(&rules.affixes)
    )
    .unwrap();
    for (name, words) in crate::detect::pii::CONTEXT_LISTS.iter().zip(&rules.context) {
        writeln!(out, "        // {name}\n        {},", list(words)).unwrap();
    }
    out.push_str("    ],\n");
    out.push_str("    documentation: &[\n");
    for (validator, values) in &rules.documentation {
        writeln!(out, "        ({validator:?}, {}),", list(values)).unwrap();
    }
    out.push_str("    ],\n    national_ids: &[\n");
    for f in &rules.national_ids {
        writeln!(
            out,
            "        NationalId {{\n            signal: {:?},\n            validator: {:?},\n            keywords: {},\n            with_keyword: {:?},\n            shapes: &[",
            f.signal,
            f.validator,
            list(&f.keywords),
            f.with_keyword
        )
        .unwrap();
        for s in &f.shapes {
            let form = match &s.form {
                FormRule::Groups {
                    class,
                    lengths,
                    separators,
                } => format!(
                    "Groups {{ class: {class:?}, lengths: &{lengths:?}, separators: {separators:?} }}"
                ),
                FormRule::LetterAfter { digits, separators } => {
                    format!("LetterAfter {{ digits: {digits}, separators: {separators:?} }}")
                }
                FormRule::Upper { length, spaced } => {
                    format!("Upper {{ length: {length}, spaced: &{spaced:?} }}")
                }
            };
            let keywords = s
                .keywords
                .as_ref()
                .map_or("None".to_string(), |k| format!("Some({})", list(k)));
            let without = s
                .without_keyword
                .map_or("None".to_string(), |c| format!("Some({c:?})"));
            writeln!(
                out,
                "                Shape {{ form: {form}, keywords: {keywords}, without_keyword: {without} }},"
            )
            .unwrap();
        }
        out.push_str("            ],\n        },\n");
    }
    out.push_str("    ],\n};\n");
    out
}

/// The Rust source of the credential detectors' tables for `rules`.
pub fn secrets_table(rules: &SecretsRules) -> String {
    let mut out = String::from(
        "// @generated from rules/secrets/context.yaml by tiergate::rules::codegen; do not edit.\n\
         // Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.\n\
         \n\
         use super::Tables;\n\
         \n\
         /// The credential detectors' context.\n\
         pub const TABLES: Tables = Tables {\n",
    );
    for (key, list_) in CONTEXT_KEYS.iter().zip(&rules.lists) {
        writeln!(out, "    {key}: {},", list(list_)).unwrap();
    }
    out.push_str("    formats: super::DEFS,\n};\n");
    out
}

/// The Rust source of the credential formats for `rules`.
pub fn formats_table(rules: &SecretsRules) -> String {
    use crate::detect::secrets::format::ALGORITHMS;
    let mut out = String::from(
        "// @generated from rules/secrets/formats.yaml by tiergate::rules::codegen; do not edit.\n\
         // Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.\n\
         \n\
         #![allow(unused_imports)]\n\
         \n\
         use super::format::{Algorithm, AlgorithmUse, Checksum, Class, Def, Measure, TokenFormat, Validator};\n\
         use crate::model::Confidence;\n\
         \n\
         /// Every credential signal id, in file order.\n\
         pub const SIGNAL_IDS: &[&str] = &[\n",
    );
    for sig in &rules.signals {
        writeln!(out, "    {:?},", sig.id).unwrap();
    }
    out.push_str("];\n\n/// Every credential signal.\npub const DEFS: &[Def] = &[\n");
    for sig in &rules.signals {
        writeln!(
            out,
            "    Def {{\n        id: {:?},\n        title: {:?},",
            sig.id, sig.title
        )
        .unwrap();
        if sig.tokens.is_empty() {
            out.push_str("        tokens: &[],\n");
        } else {
            out.push_str("        tokens: &[\n");
            for t in &sig.tokens {
                token_source(&mut out, t);
            }
            out.push_str("        ],\n");
        }
        match &sig.algorithm {
            None => out.push_str("        algorithm: None,\n"),
            Some(a) => {
                let variant = ALGORITHMS
                    .iter()
                    .find(|(_, x, _)| *x == a.algorithm)
                    .map(|(_, x, _)| format!("{x:?}"))
                    .expect("a parsed algorithm is known");
                writeln!(
                    out,
                    "        algorithm: Some(AlgorithmUse {{\n            algorithm: Algorithm::{variant},\n            keywords: {},\n            headers: {},\n            documentation: {},\n        }}),",
                    list(&a.keywords),
                    list(&a.headers),
                    joined(&a.documentation)
                )
                .unwrap();
            }
        }
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

fn token_source(out: &mut String, t: &super::secrets::TokenRule) {
    let name = |v: &dyn std::fmt::Debug| format!("{v:?}");
    let option = |v: Option<String>| v.map_or("None".to_string(), |x| format!("Some({x})"));
    writeln!(
        out,
        "            TokenFormat {{\n                prefixes: {},\n                keywords: {},\n                ignore_case: {},\n                lead: {:?},\n                body: {:?},\n                before: Class::{},\n                after: Class::{},\n                measure: Measure::{},\n                entropy: {:?},\n                reject_filler: {},\n                reject_sequential: {},\n                example_marks: {},\n                documentation: {},\n                checksum: {},\n                validator: {},\n                confidence: Confidence::{},\n            }},",
        list(&t.prefixes),
        list(&t.keywords),
        t.ignore_case,
        t.lead,
        t.body,
        name(&t.before),
        name(&t.after),
        name(&t.measure),
        t.entropy,
        t.reject_filler,
        t.reject_sequential,
        list(&t.example_marks),
        joined(&t.documentation),
        option(t.checksum.map(|c| format!("Checksum::{c:?}"))),
        option(t.validator.map(|v| format!("Validator::{v:?}"))),
        name(&t.confidence),
    )
    .unwrap();
}

/// Values written in parts, as `concat!` of their parts: the generated source holds no
/// whole published credential either.
fn joined(values: &[Vec<String>]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|parts| match parts.as_slice() {
            [one] => format!("{one:?}"),
            _ => {
                let ps: Vec<String> = parts.iter().map(|p| format!("{p:?}")).collect();
                format!("concat!({})", ps.join(", "))
            }
        })
        .collect();
    format!("&[{}]", items.join(", "))
}

/// `data.tiergate.legal` for `rules`, as JSON (keys sorted).
pub fn legal_data(rules: &super::legal::LegalRules) -> String {
    let value = serde_json::json!({ "eu_ai_act": rules });
    let mut out = serde_json::to_string_pretty(&value).expect("plain data serializes");
    out.push('\n');
    out
}

/// The Rust source of the built-in zones for `rules`.
pub fn zones_table(rules: &super::zones::ZoneRules) -> String {
    let mut out = String::from(
        "// @generated from rules/zones/builtin.yaml by tiergate::rules::codegen; do not edit.\n\
         // Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.\n\
         \n\
         /// The built-in zones, in order: (name, globs).\n\
         pub const BUILTIN_ZONES: &[(&str, &[&str])] = &[\n",
    );
    for (name, globs) in &rules.zones {
        writeln!(out, "    ({name:?}, {}),", list(globs)).unwrap();
    }
    out.push_str("];\n");
    out
}

/// The Rust source of the media family's tables for `rules`.
pub fn media_table(rules: &super::media::MediaRules) -> String {
    use crate::detect::media::Kind;
    let mut out = String::from(
        "// @generated from rules/media/media.yaml by tiergate::rules::codegen; do not edit.\n\
         // Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.\n\
         \n\
         use super::Codec::{Bmp, Gif, Jpeg, Png, Webp};\n\
         use super::Kind::{Audio, Image, Unsupported, Video};\n\
         use super::{Format, Tables};\n\
         \n\
         /// The media family's knowledge.\n\
         pub const TABLES: Tables = Tables {\n",
    );
    writeln!(
        out,
        "    max_pixels: {},\n    max_bytes: {},\n    detect_side: {},\n    min_side: {},\n    min_face: {},\n    min_score: {:?},\n    medium_score: {:?},\n    high_score: {:?},\n    skin_cell: {},\n    formats: &[",
        rules.max_pixels,
        rules.max_bytes,
        rules.detect_side,
        rules.min_side,
        rules.min_face,
        rules.min_score,
        rules.medium_score,
        rules.high_score,
        rules.skin_cell,
    )
    .unwrap();
    for f in &rules.formats {
        let kind = match f.kind {
            Kind::Image(c) => format!("Image({c:?})"),
            Kind::Unsupported => "Unsupported".to_string(),
            Kind::Video => "Video".to_string(),
            Kind::Audio => "Audio".to_string(),
        };
        let magic: Vec<String> = f
            .magic
            .iter()
            .map(|(at, b)| {
                let bytes: String = b
                    .iter()
                    .map(|&c| match c {
                        b'"' | b'\\' => format!("\\{}", c as char),
                        0x20..=0x7e => (c as char).to_string(),
                        _ => format!("\\x{c:02x}"),
                    })
                    .collect();
                format!("({at}, b\"{bytes}\")")
            })
            .collect();
        writeln!(
            out,
            "        Format {{ name: {:?}, kind: {kind}, magic: &[{}], brands: {}, extensions: {} }},",
            f.name,
            magic.join(", "),
            list(&f.brands),
            list(&f.extensions)
        )
        .unwrap();
    }
    out.push_str("    ],\n};\n");
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}
