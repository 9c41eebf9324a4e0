//! Runs the Rego unit tests of the shipped packs: every `test_*` rule of every
//! `policies/*_test.rego`, on regorus' interpreter (the RVM does not support `with`,
//! which Rego tests rely on), so that `cargo test` covers the policies themselves.

use std::path::Path;

use regorus::{Engine, Value};

use super::load::config_data;
use super::shipped::shipped_packs;
use super::tests::test_config;

/// Outcome of one test file: names of passing tests, and failures with their reason.
#[derive(Debug, Default)]
struct Outcome {
    passed: Vec<String>,
    failed: Vec<String>,
}

/// Names of the `test_*` rules of a test file: rule heads start in column 1 (opa fmt).
fn test_rule_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("test_"))
        .map(|l| {
            l.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Run the tests of `(display name, text)` test files against the shipped packs.
fn run_rego_tests(test_files: &[(String, String)]) -> Outcome {
    let mut outcome = Outcome::default();
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(true);
    for pack in shipped_packs() {
        engine
            .add_policy(pack.display(), pack.source.to_string())
            .expect("shipped packs parse");
    }
    engine
        .add_data(config_data(&test_config()))
        .expect("config data");
    let mut packages = Vec::new();
    for (name, text) in test_files {
        match engine.add_policy(name.clone(), text.clone()) {
            Ok(package) => packages.push((name, package, test_rule_names(text))),
            Err(e) => outcome.failed.push(format!("{name}: does not parse: {e}")),
        }
    }
    for (name, package, tests) in packages {
        if tests.is_empty() {
            outcome.failed.push(format!("{name}: no test_* rules"));
        }
        for test in tests {
            let id = format!("{name}: {test}");
            match engine.eval_rule(format!("{package}.{test}")) {
                Ok(Value::Bool(true)) => outcome.passed.push(id),
                Ok(Value::Undefined) => outcome.failed.push(format!("{id}: failed (undefined)")),
                Ok(other) => outcome.failed.push(format!("{id}: failed ({other})")),
                Err(e) => outcome.failed.push(format!("{id}: error: {e}")),
            }
        }
    }
    outcome
}

fn shipped_test_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("policies/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_test.rego"))
        })
        .map(|p| {
            let name = format!("policies/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).expect("read test file"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_rego_tests_pass() {
    let files = shipped_test_files();
    assert!(
        files
            .iter()
            .any(|(n, _)| n == "policies/baseline_test.rego"),
        "baseline has tests"
    );
    let outcome = run_rego_tests(&files);
    assert!(
        outcome.failed.is_empty(),
        "failing Rego tests:\n  {}",
        outcome.failed.join("\n  ")
    );
    assert!(outcome.passed.len() >= 10, "{:?}", outcome.passed);
}

#[test]
fn every_shipped_pack_has_a_test_file() {
    let files = shipped_test_files();
    for pack in shipped_packs() {
        let expected = format!("policies/{}_test.rego", pack.name);
        assert!(
            files.iter().any(|(n, _)| *n == expected),
            "{expected} is missing"
        );
    }
}

#[test]
fn the_runner_reports_failing_and_erroring_tests() {
    let file = (
        "policies/self_test.rego".to_string(),
        r#"package tiergate.self_test
import rego.v1
import data.tiergate.baseline

test_passes if true

test_fails if {
	count(baseline.findings) == 1 with input as {"file": {"zones": [], "git": "tracked"}}
}

test_errors if to_number("x") == 1
"#
        .to_string(),
    );
    let outcome = run_rego_tests(&[file]);
    assert_eq!(outcome.passed, vec!["policies/self_test.rego: test_passes"]);
    assert_eq!(outcome.failed.len(), 2, "{:?}", outcome.failed);
    assert!(
        outcome.failed[0].contains("test_errors"),
        "{:?}",
        outcome.failed
    );
    assert!(
        outcome.failed[1].contains("test_fails"),
        "{:?}",
        outcome.failed
    );
}
