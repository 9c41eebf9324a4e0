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
    // The stale manifest is the check's failure, not an alert: five results.
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 5);
}

/// What code scanning needs to show and rank an alert: every result at a file and a
/// line (a verdict about a whole file at line 1, one about the change at the
/// manifest), every rule with help and a security severity; a stale manifest as a
/// notification of the run, which never becomes an alert.
#[test]
fn sarif_is_ready_for_code_scanning() {
    let doc = rendered();
    let run = &doc["runs"][0];
    for result in run["results"].as_array().unwrap() {
        let loc = &result["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string(), "{result}");
        assert!(
            loc["region"]["startLine"].as_u64().unwrap() >= 1,
            "{result}"
        );
        assert_ne!(result["ruleId"], "stale-manifest", "{result}");
    }
    let policy = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "policy-change")
        .unwrap();
    assert_eq!(
        policy["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .expect("security-severity is a string")
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity), "{rule}");
        assert!(rule["help"]["text"].as_str().unwrap().len() > 40, "{rule}");
        assert!(rule["help"]["markdown"].is_string(), "{rule}");
    }
    let stale = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(stale["associatedRule"]["id"], "stale-manifest", "{stale}");
    assert_eq!(stale["level"], "error", "{stale}");
    assert!(
        stale["message"]["text"]
            .as_str()
            .unwrap()
            .contains("no manifest"),
        "{stale}"
    );
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    let stale_rule = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "stale-manifest")
        .unwrap();
    assert!(
        stale_rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("git add tiergate.manifest.json"),
        "{stale_rule}"
    );
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

// ---- `history --format sarif` ----

fn history_finding(path: &str, rule: &str, live: bool) -> tiergate::history::Finding {
    tiergate::history::Finding {
        path: path.into(),
        commit: Some("211f11bc3679bd197c2877c8439910cf9aba1490".into()),
        date: Some("2026-01-02T00:00:00Z".into()),
        blob: Some("9cf671b48f870d1c2bacac0644c56ba150d50df3".into()),
        rule: rule.into(),
        title: "a Stripe secret or restricted key".into(),
        line: Some(2),
        count: 1,
        confidence: Some(tiergate::model::Confidence::High),
        tier: Some(if live { 1 } else { 2 }),
        policy_rule: Some("service-token".into()),
        live,
        other_commits: 3,
        other_paths: 1,
        action: "Rotate a Stripe secret or restricted key.".into(),
    }
}

fn history() -> tiergate::history::History {
    let mut unreadable = history_finding("", "read-error", true);
    unreadable.line = None;
    unreadable.blob = None;
    unreadable.title = "an object that cannot be read".into();
    tiergate::history::History {
        since: None,
        shallow: false,
        commits: 12,
        blobs: 30,
        findings: vec![
            history_finding("config/pay.env", "secret.stripe_key", true),
            history_finding("données/clés 100%.env", "secret.stripe_key", true),
            history_finding("tests/pay_test.rb", "secret.stripe_key", false),
            history_finding("deploy/db.yaml", "secret.password_assignment", true),
            unreadable,
        ],
        stats: Default::default(),
    }
}

fn history_rendered(h: &tiergate::history::History) -> Value {
    serde_json::from_str(&tiergate::render::history::history_sarif(h)).expect("SARIF is JSON")
}

#[test]
fn history_sarif_validates_against_the_schema() {
    let doc = history_rendered(&history());
    let errs = errors(&doc);
    assert!(errs.is_empty(), "{errs:#?}");
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    // Every result at a file and a line, with a level by whether it is live.
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
        let live = r["properties"]["live"].as_bool().unwrap();
        assert_eq!(r["level"], if live { "error" } else { "note" }, "{r}");
        assert!(r["properties"]["commit"].is_string(), "{r}");
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"donn%C3%A9es/cl%C3%A9s%20100%25.env"),
        "{uris:?}"
    );
    assert!(
        uris.contains(&"."),
        "an error about a commit points at the root"
    );
}

#[test]
fn history_sarif_rules_are_the_signals_found_each_once() {
    let doc = history_rendered(&history());
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "read-error",
            "secret.password_assignment",
            "secret.stripe_key"
        ]
    );
    for rule in rules {
        assert!(rule["help"]["text"].as_str().unwrap().len() > 40, "{rule}");
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity), "{rule}");
    }
    for result in doc["runs"][0]["results"].as_array().unwrap() {
        let idx = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], rules[idx]["id"], "{result}");
    }
}

#[test]
fn history_sarif_without_findings_validates_and_passes() {
    let mut h = history();
    h.findings.clear();
    let doc = history_rendered(&h);
    let errs = errors(&doc);
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(doc["runs"][0]["invocations"][0]["exitCode"], 0);
    assert!(doc["runs"][0]["results"].as_array().unwrap().is_empty());
}
