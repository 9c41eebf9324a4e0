//! Runs the Rego unit tests of the shipped packs in `cargo test`: every `test_*` rule of
//! every `policies/*_test.rego`, with the runner of `tiergate policy test`
//! ([`super::tooling`]), on regorus' interpreter (the RVM does not support `with`).
//!
//! Also checks that **every shipped rule has a positive and a negative test**. For each
//! `findings contains` rule of a shipped pack (rule heads in column 1, as the packs are
//! written; see `source_lines.rs`) and each rule id written in it as `"rule": "<id>"`:
//!
//! 1. the pack's `_test.rego` names the id (the literal `"<id>"`, outside comments);
//! 2. **positive**: some passing test evaluates the rule's head, i.e. the rule fires
//!    (regorus' coverage marks a line of the finding object in the head);
//! 3. **negative**: some passing test is a *near miss* for the rule: the rule's last
//!    condition is evaluated (so every condition before it held, for some binding) and
//!    the rule does not fire (no head line is covered) — not just an input the rule
//!    never gets far with, such as a file without signals.
//!
//! Lines come from the layout: head from `findings contains` to the `} if {` line, body
//! conditions after it (blank, comment and closing-bracket lines skipped); the last
//! condition must therefore start on its own line. A rule whose head and body share a
//! line is reported as not checkable.
//!
//! Coverage is gathered per test for this; a test passes only when it asserts what it
//! observed, so "fires in a passing test" and "misses in a passing test" are claims the
//! test suite checks, not just runs.

use std::collections::BTreeSet;
use std::path::Path;

use super::shipped::shipped_packs;
use super::source_lines::{rule_literals, starts_statement, strip_comment};
use super::tests::test_config;
use super::tooling::{RegoFile, SHIPPED_TESTS, Suite, SuiteRun, render_test_report};

fn shipped_run() -> SuiteRun {
    Suite::shipped(&test_config())
        .run()
        .unwrap_or_else(|e| panic!("shipped policies and tests parse:\n{e}"))
}

/// `policies/*_test.rego` on disk, sorted, as (path in the crate, text).
fn test_files_on_disk() -> Vec<(String, String)> {
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
    let run = shipped_run();
    let report = &run.report;
    assert_eq!(report.failed(), 0, "{}", render_test_report(report));
    assert!(report.passed() >= 60, "{}", render_test_report(report));
    for (path, text) in SHIPPED_TESTS {
        assert!(
            text.lines().any(|l| l.starts_with("test_")),
            "{path} has no test_* rules"
        );
    }
}

#[test]
fn every_shipped_pack_has_a_test_file() {
    for pack in shipped_packs() {
        let expected = format!("policies/{}_test.rego", pack.name);
        assert!(
            SHIPPED_TESTS.iter().any(|(n, _)| *n == expected),
            "{expected} is missing (or not listed in SHIPPED_TESTS, src/policy/tooling.rs)"
        );
    }
}

#[test]
fn every_test_file_on_disk_is_embedded() {
    let on_disk = test_files_on_disk();
    let embedded: Vec<(String, String)> = SHIPPED_TESTS
        .iter()
        .map(|&(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&embedded),
        names(&on_disk),
        "list every policies/*_test.rego in SHIPPED_TESTS (src/policy/tooling.rs), sorted"
    );
    assert_eq!(embedded, on_disk);
}

#[test]
fn the_runner_reports_failing_and_erroring_tests() {
    let mut suite = Suite::shipped(&test_config());
    suite.tests = vec![RegoFile {
        display: "policies/self_test.rego".to_string(),
        text: r#"package tiergate.self_test
import rego.v1
import data.tiergate.baseline

test_passes if true

test_fails if {
	count(baseline.findings) == 1 with input as {"file": {"zones": [], "git": "tracked"}}
}

test_errors if to_number("x") == 1
"#
        .to_string(),
    }];
    let report = suite.run().unwrap().report;
    let got: Vec<(&str, &str, bool, bool)> = report
        .outcomes
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                o.source.as_str(),
                o.passed,
                o.error.is_some(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "data.tiergate.self_test.test_passes",
                "policies/self_test.rego:5",
                true,
                false
            ),
            (
                "data.tiergate.self_test.test_fails",
                "policies/self_test.rego:7",
                false,
                false
            ),
            (
                "data.tiergate.self_test.test_errors",
                "policies/self_test.rego:11",
                false,
                true
            ),
        ]
    );
}

/// One `findings contains` rule of a pack, located by the text layout.
#[derive(Debug)]
struct PackRule {
    ids: Vec<String>,
    head_line: u32,
    /// Lines of the finding object (head), 1-based.
    head: BTreeSet<u32>,
    /// Body lines holding a condition, in order.
    body: Vec<u32>,
}

/// The rule id literals of a line, outside comments (the loader's own reading).
fn rule_ids(line: &str) -> Vec<String> {
    rule_literals(strip_comment(line))
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The findings rules of a pack: each statement starting with `findings contains` in
/// column 1, its head up to the `} if {` line (or the head line alone), its body after.
fn pack_rules(text: &str) -> Vec<PackRule> {
    let lines: Vec<&str> = text.lines().collect();
    let mut rules = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with("findings contains") {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < lines.len() && !starts_statement(lines[end]) {
            end += 1;
        }
        let statement = start..end;
        let if_line = statement
            .clone()
            .find(|&j| j > start && lines[j].trim_start().starts_with("} if"));
        let head_end = if_line.unwrap_or(start + 1);
        let number = |j: usize| u32::try_from(j + 1).unwrap();
        let body = (head_end.max(start + 1)..end)
            .filter(|&j| {
                let code = strip_comment(lines[j]).trim();
                !code.is_empty() && !code.starts_with(['}', ']', ')']) && Some(j) != if_line
            })
            .map(number)
            .collect();
        rules.push(PackRule {
            ids: statement.clone().flat_map(|j| rule_ids(lines[j])).collect(),
            head_line: number(start),
            head: (start..head_end).map(number).collect(),
            body,
        });
        i = end;
    }
    rules
}

#[test]
fn pack_rules_are_found_by_layout() {
    let text = "package tiergate.x\n\nfindings contains {\n\t\"rule\": \"a\",\n} if {\n\tinput.x # c\n\n\tinput.y\n}\n\nhelper if true\n\nfindings contains {\"rule\": \"b\"} if input.z\n";
    let rules = pack_rules(text);
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert_eq!(rules[0].ids, ["a"]);
    assert_eq!(rules[0].head_line, 3);
    assert_eq!(rules[0].head, BTreeSet::from([3, 4]));
    assert_eq!(rules[0].body, [6, 8]);
    assert_eq!(rules[1].ids, ["b"]);
    assert_eq!(rules[1].head, BTreeSet::from([13]));
    assert!(rules[1].body.is_empty());
}

#[test]
fn every_shipped_rule_has_a_positive_and_a_negative_test() {
    let run = shipped_run();
    let mut problems = Vec::new();
    for pack in shipped_packs() {
        let display = pack.display();
        let test_path = format!("policies/{}_test.rego", pack.name);
        let Some((_, test_text)) = SHIPPED_TESTS.iter().find(|(p, _)| *p == test_path) else {
            problems.push(format!("{display}: no {test_path}"));
            continue;
        };
        let test_code: String = test_text
            .lines()
            .map(strip_comment)
            .collect::<Vec<_>>()
            .join("\n");
        let rules = pack_rules(pack.source);
        if rules.is_empty() {
            problems.push(format!("{display}: no findings rules found"));
        }
        for rule in rules {
            let at = format!("{display}:{}", rule.head_line);
            if rule.ids.is_empty() {
                problems.push(format!("{at}: no literal \"rule\": \"<id>\""));
            }
            for id in &rule.ids {
                if !test_code.contains(&format!("\"{id}\"")) {
                    problems.push(format!("{at}: rule `{id}` is not named in {test_path}"));
                }
            }
            // A one-line head with a one-line body (`findings contains {...} if x`)
            // cannot tell firing from missing by lines: the layout the packs use is
            // required.
            if rule.body.is_empty() || rule.head.iter().any(|l| rule.body.contains(l)) {
                problems.push(format!(
                    "{at}: write the head and the body on separate lines (`}} if {{`)"
                ));
                continue;
            }
            let last = rule.body[rule.body.len() - 1];
            let mut positive = false;
            let mut negative = false;
            for trace in run.traces.iter().filter(|t| t.outcome.passed) {
                let Some(covered) = trace.covered.get(&display) else {
                    continue;
                };
                if rule.head.iter().any(|l| covered.contains(l)) {
                    positive = true;
                } else if covered.contains(&last) {
                    negative = true;
                }
            }
            let ids = rule.ids.join(", ");
            if !positive {
                problems.push(format!(
                    "{at}: rule `{ids}` fires in no passing test (positive test missing)"
                ));
            }
            if !negative {
                problems.push(format!(
                    "{at}: rule `{ids}` is never a near miss in a passing test (negative test missing)"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
