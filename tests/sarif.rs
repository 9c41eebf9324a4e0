//! `check --format sarif` against the official SARIF 2.1.0 schema (a copy in
//! `tests/data`, validated offline with format checks on), plus what the schema cannot
//! say: rule ids are unique and every result's ruleIndex points at its rule.

mod report_fixture;

use std::collections::HashSet;

use serde_json::{Value, json};
use tiergate::render::check::check_sarif;

const BROKEN_LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
const FIXED_LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif-schema-2.1.0.json"
    ))
    .expect("schema file");
    // The 2.1.0 schema has a stray `]` in the `language` patterns (oasis-tcs/sarif-spec
    // #488, fixed by Errata 01); jsonschema rejects the schema over it. Patch it in
    // memory, to the pattern the erratum meant, and leave the copied file untouched.
    assert_eq!(
        text.matches(BROKEN_LANGUAGE_PATTERN).count(),
        2,
        "the schema file changed; revisit the patch"
    );
    let text = text.replace(BROKEN_LANGUAGE_PATTERN, FIXED_LANGUAGE_PATTERN);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    // Draft 7 treats `format` as an annotation by default; the URIs are half of what
    // could go wrong, so format validation is switched on.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn errors(doc: &Value) -> Vec<String> {
    validator()
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn rendered() -> Value {
    serde_json::from_str(&check_sarif(&report_fixture::report())).expect("SARIF is JSON")
}

#[test]
fn sarif_output_validates_against_the_schema() {
    let doc = rendered();
    let errs = errors(&doc);
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 6);
}

#[test]
fn sarif_passing_report_without_verdicts_validates() {
    let mut r = report_fixture::report();
    r.verdicts.clear();
    let doc: Value = serde_json::from_str(&check_sarif(&r)).unwrap();
    let errs = errors(&doc);
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn sarif_rule_ids_are_unique_and_rule_index_points_at_the_rule() {
    let doc = rendered();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 7);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "{ids:?}"
    );
    for result in doc["runs"][0]["results"].as_array().unwrap() {
        let idx = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(result["ruleId"], rules[idx]["id"], "{result}");
    }
}

#[test]
fn sarif_uris_are_encoded_and_relative_to_srcroot() {
    let doc = rendered();
    let uris: Vec<&str> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"public/model%20weights%231.bin"), "{uris:?}");
    assert!(
        uris.contains(&"donn%C3%A9es/clients%20100%25.csv"),
        "{uris:?}"
    );
    assert!(uris.contains(&"ops/a%7Cb%20%60x%60.env"), "{uris:?}");
    for r in doc["runs"][0]["results"].as_array().unwrap() {
        if let Some(loc) = r["locations"].get(0) {
            assert_eq!(
                loc["physicalLocation"]["artifactLocation"]["uriBaseId"],
                "SRCROOT"
            );
        }
    }
}

/// The validator must be able to say no, or the tests above prove nothing.
#[test]
fn validator_rejects_a_result_without_message() {
    let mut doc = rendered();
    doc["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let errs = errors(&doc);
    assert!(
        errs.iter().any(|e| e.contains("message")),
        "a result without message was accepted: {errs:?}"
    );
}

#[test]
fn validator_checks_uri_formats() {
    let mut doc = rendered();
    doc["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        json!("not encoded/a b#c#d");
    assert!(!errors(&doc).is_empty(), "an unencoded URI was accepted");
}

#[test]
fn validator_rejects_a_bad_level() {
    let mut doc = rendered();
    doc["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!errors(&doc).is_empty());
}
