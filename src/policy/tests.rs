//! Unit tests of loading and evaluation. Policies under test are inline strings; the
//! shipped pack is tested through the embedded copy, as the binary sees it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::model::{Confidence, FileKind, Finding, GitState, SizeClass, SourceLoc};

/// The built-in configuration (four tiers, three destinations, the built-in zones) with
/// the instruction budget pinned, so budget tests do not follow the default.
pub(crate) fn test_config() -> Config {
    let mut cfg = crate::config::defaults();
    cfg.policies.max_instructions = 5_000_000;
    // Far from every test's evaluation, on a shared machine: the deadline tests set
    // their own.
    cfg.policies.max_eval_ms = 120_000;
    cfg
}

/// The defaults with only the baseline pack: the tests using it pin the loader and the
/// evaluator; every other pack is tested by its own `*_test.rego`.
fn baseline_only() -> Config {
    let mut cfg = test_config();
    cfg.policies.disable = shipped_pack_names()
        .into_iter()
        .filter(|n| *n != "baseline")
        .map(str::to_string)
        .collect();
    cfg
}

/// No shipped pack at all: only the repository policies under test.
fn no_shipped_packs() -> Config {
    let mut cfg = test_config();
    cfg.policies.disable = shipped_pack_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    cfg
}

fn input(zones: &[&str], git: GitState) -> RegoInput {
    RegoInput {
        input_version: INPUT_VERSION,
        file: RegoFile {
            kind: FileKind::Text,
            extension: Some("sql".into()),
            language: None,
            size_class: SizeClass::Small,
            git,
            zones: zones.iter().map(|z| z.to_string()).collect(),
            rules: vec![],
            content_scanned: true,
            signals: vec![],
        },
        component: None,
    }
}

fn load_repo(cfg: &Config, sources: &[(&str, &str)]) -> Result<PolicySet, Diagnostics> {
    PolicySet::load_sources(
        cfg,
        sources
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect(),
    )
}

/// A set with only the given repository policy (the shipped pack disabled).
fn only(source: &str) -> PolicySet {
    let cfg = no_shipped_packs();
    load_repo(&cfg, &[(".tiergate/policies/p.rego", source)])
        .unwrap_or_else(|d| panic!("policy should load:\n{d}"))
}

fn eval_only(source: &str) -> Result<Arc<Vec<Finding>>, String> {
    only(source)
        .evaluator()
        .evaluate(&input(&["logs"], GitState::Ignored))
}

fn diagnostics(result: Result<PolicySet, Diagnostics>) -> Vec<crate::diag::Diagnostic> {
    match result {
        Ok(_) => panic!("expected diagnostics, the policies loaded"),
        Err(Diagnostics(d)) => d,
    }
}

const BASELINE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/policies/baseline.rego"
));

/// Line of the `findings contains` head above the literal `"rule": "<id>"` in the
/// shipped baseline, derived from the text so edits to the pack do not break the test.
fn baseline_line(rule: &str) -> u32 {
    let needle = format!("\"rule\": \"{rule}\"");
    let lines: Vec<&str> = BASELINE.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(&needle))
        .unwrap_or_else(|| panic!("rule {rule} not in baseline.rego"));
    let head = (0..=at)
        .rev()
        .find(|&i| lines[i].starts_with("findings contains"))
        .expect("a findings head above the rule");
    head as u32 + 1
}

fn baseline_finding(code: &str, tier: u8, rule: &str, message: &str) -> Finding {
    Finding {
        code: code.into(),
        rule: rule.into(),
        tier: Some(tier),
        source: SourceLoc {
            file: "shipped:policies/baseline.rego".into(),
            line: baseline_line(rule),
        },
        message: message.into(),
        annex_iii: vec![],
    }
}

#[test]
fn baseline_uses_only_builtin_zones() {
    // Zone names are the contract between config and the shipped pack: a zone renamed
    // on one side only would make a rule silently never fire.
    let builtin: Vec<String> = crate::config::builtin_zones()
        .into_iter()
        .map(|z| z.name)
        .collect();
    let used: Vec<&str> = BASELINE
        .lines()
        .filter_map(|l| {
            l.trim()
                .trim_start_matches("not ")
                .strip_suffix(" in input.file.zones")
        })
        .map(|quoted| quoted.trim_matches('"'))
        .collect();
    assert!(used.len() >= 5, "{used:?}");
    for zone in used {
        assert!(
            builtin.iter().any(|b| b == zone),
            "baseline uses unknown zone {zone:?}"
        );
    }
}

#[test]
fn shipped_pack_names_are_the_policy_file_stems() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rego") && !n.ends_with("_test.rego"))
        .map(|n| n.trim_end_matches(".rego").to_string())
        .collect();
    stems.sort();
    assert_eq!(shipped_pack_names(), stems);
    assert!(stems.contains(&"baseline".to_string()));
}

#[test]
fn shipped_pack_loads_with_provenance() {
    let set = load_repo(&baseline_only(), &[]).expect("shipped pack loads");
    assert_eq!(
        set.policies(),
        &[PolicyInfo {
            package: "tiergate.baseline".into(),
            source: "shipped:policies/baseline.rego".into(),
            digest: load::sha256(BASELINE.as_bytes()),
            shipped: true,
        }]
    );
    assert!(set.policies()[0].digest.starts_with("sha256:"));
    assert_eq!(set.policies()[0].digest.len(), "sha256:".len() + 64);
}

#[test]
fn baseline_rules_yield_their_findings_with_source_lines() {
    let set = load_repo(&test_config(), &[]).unwrap();
    let mut ev = set.evaluator();
    let cases: &[(&[&str], GitState, Finding)] = &[
        (
            &["credential-files"],
            GitState::Tracked,
            baseline_finding(
                "credential-file",
                1,
                "credential-file-name",
                "File name marks a credential or key store",
            ),
        ),
        (
            &["data-dumps"],
            GitState::Ignored,
            baseline_finding(
                "local-data-dump",
                1,
                "data-dump-local",
                "Local data dump outside version control",
            ),
        ),
        (
            &["data-dumps"],
            GitState::Untracked,
            baseline_finding(
                "local-data-dump",
                1,
                "data-dump-local",
                "Local data dump outside version control",
            ),
        ),
        (
            &["data-dumps"],
            GitState::Tracked,
            baseline_finding(
                "data-dump",
                2,
                "data-dump-tracked",
                "Database dump or archive checked in",
            ),
        ),
        (
            &["data-dumps"],
            GitState::NoRepo,
            baseline_finding(
                "data-dump",
                2,
                "data-dump-tracked",
                "Database dump or archive checked in",
            ),
        ),
        (
            &["logs"],
            GitState::Ignored,
            baseline_finding(
                "local-log",
                2,
                "log-ignored",
                "Ignored log file may hold personal data",
            ),
        ),
    ];
    for (zones, git, expected) in cases {
        let got = ev.evaluate(&input(zones, *git)).unwrap();
        assert_eq!(*got, vec![expected.clone()], "zones {zones:?}, git {git:?}");
    }
    // Four rules, four distinct head lines.
    let mut lines: Vec<u32> = cases.iter().map(|c| c.2.source.line).collect();
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), 4);
}

#[test]
fn baseline_rules_stay_quiet_where_they_should() {
    let set = load_repo(&test_config(), &[]).unwrap();
    let mut ev = set.evaluator();
    for (zones, git) in [
        (
            &["credential-files", "credential-templates"][..],
            GitState::Tracked,
        ),
        (&["credential-templates"][..], GitState::Ignored),
        (&["logs"][..], GitState::Tracked),
        (&["logs"][..], GitState::Untracked),
        (&["tests", "docs", "vendor", "ci"][..], GitState::Ignored),
        (&[][..], GitState::Ignored),
    ] {
        let got = ev.evaluate(&input(zones, git)).unwrap();
        assert!(got.is_empty(), "zones {zones:?}, git {git:?}: {got:?}");
    }
}

#[test]
fn findings_of_all_packages_are_merged_and_sorted() {
    let repo = r#"package tiergate.custom.a
import rego.v1
findings contains {"code": "zz-last", "tier": 4, "rule": "z", "reason": "z"} if true
findings contains {"code": "aa-first", "tier": null, "rule": "a", "reason": "a"} if true
"#;
    let set = load_repo(&test_config(), &[(".tiergate/policies/a.rego", repo)]).unwrap();
    let got = set
        .evaluator()
        .evaluate(&input(&["credential-files"], GitState::Tracked))
        .unwrap();
    let codes: Vec<&str> = got.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, vec!["aa-first", "credential-file", "zz-last"]);
    assert_eq!(got[0].tier, None);
    assert_eq!(got[0].source.file, ".tiergate/policies/a.rego");
    assert_eq!(got[0].source.line, 4);
    assert_eq!(got[2].source.line, 3);
}

#[test]
fn memo_evaluates_each_distinct_fact_set_once() {
    let set = load_repo(&test_config(), &[]).unwrap();
    let mut ev = set.evaluator();
    let facts = [
        input(&["data-dumps"], GitState::Ignored),
        input(&["logs"], GitState::Ignored),
        input(&[], GitState::Tracked),
    ];
    let mut first: Vec<Option<Arc<Vec<Finding>>>> = vec![None, None, None];
    for i in 0..1000 {
        let got = ev.evaluate(&facts[i % 3]).unwrap();
        match &first[i % 3] {
            None => first[i % 3] = Some(got),
            Some(seen) => assert!(Arc::ptr_eq(seen, &got), "memo hit shares the result"),
        }
    }
    assert_eq!(ev.evaluations(), 3);
    // Another evaluator of the set (another thread's) answers from the shared memo.
    let mut other = set.evaluator();
    let got = other.evaluate(&facts[0]).unwrap();
    assert_eq!(other.evaluations(), 0);
    assert!(Arc::ptr_eq(first[0].as_ref().unwrap(), &got));
    // Another set has its own.
    let again = load_repo(&test_config(), &[]).unwrap();
    let mut fresh = again.evaluator();
    fresh.evaluate(&facts[0]).unwrap();
    assert_eq!(fresh.evaluations(), 1);
}

#[test]
fn memo_keys_on_every_fact() {
    let set = load_repo(&test_config(), &[]).unwrap();
    let mut ev = set.evaluator();
    let base = input(&["logs"], GitState::Ignored);
    let mut with_signal = base.clone();
    with_signal.file.signals.push(RegoSignal {
        id: "pii.iban".into(),
        category: "pii".into(),
        confidence: Confidence::High,
        count: 1,
    });
    let mut with_count = with_signal.clone();
    with_count.file.signals[0].count = 2;
    for i in [&base, &with_signal, &with_count, &base, &with_count] {
        ev.evaluate(i).unwrap();
    }
    assert_eq!(ev.evaluations(), 3);
}

#[test]
fn input_is_the_serde_json_serialization() {
    let mut i = input(&["logs"], GitState::NoRepo);
    i.file.signals.push(RegoSignal {
        id: "secret.private_key".into(),
        category: "secret".into(),
        confidence: Confidence::Medium,
        count: 3,
    });
    let policy = r#"package tiergate.custom.echo
import rego.v1
findings contains {"code": "echo", "tier": null, "rule": "echo", "reason": json.marshal(input)} if true
"#;
    let got = only(policy).evaluator().evaluate(&i).unwrap();
    let seen: serde_json::Value = serde_json::from_str(&got[0].message).unwrap();
    assert_eq!(seen, serde_json::to_value(&i).unwrap());
    assert_eq!(seen["file"]["git"], "no-repo");
    assert_eq!(seen["file"]["signals"][0]["confidence"], "medium");
}

#[test]
fn config_is_visible_as_data_tiergate_config() {
    let policy = r#"package tiergate.custom.cfg
import rego.v1
findings contains {
	"code": "config-seen",
	"tier": data.tiergate.config.default_tier,
	"rule": "cfg",
	"reason": concat(",", [sprintf("%s:%s:%d", [d.name, d.kind, d.accepts]) | some d in data.tiergate.config.destinations]),
} if {
	data.tiergate.config.tiers[0].name == "restricted"
	data.tiergate.config.tiers[3].label == "Public"
}
"#;
    let got = eval_only(policy).unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].tier, Some(3));
    assert_eq!(
        got[0].message,
        "local:local:1,cloud-zdr:cloud-zdr:3,cloud:cloud:4"
    );
}

/// `print` is not on the builtin allow-list (it writes to the terminal from the
/// interpreter): a policy using it fails to load, with a clear message, instead of
/// writing in the middle of a scan.
#[test]
fn print_is_refused_at_load() {
    let policy = r#"package tiergate.custom.p
import rego.v1
findings contains {"code": "printed", "tier": 2, "rule": "p", "reason": "r"} if {
	print("zones", input.file.zones)
}
"#;
    let d = diagnostics(load_repo(&test_config(), &[("p/p.rego", policy)]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].file.as_str(), d[0].code),
        ("p/p.rego", "policy-builtin")
    );
    assert!(d[0].message.contains("print"), "{}", d[0].message);
    assert_eq!(
        d[0].message.matches("print").count(),
        1,
        "said once: {}",
        d[0].message
    );
}

#[test]
fn policy_dirs_outside_the_repository_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../shared", "/etc"] {
        let mut cfg = test_config();
        cfg.policies.dirs = vec![bad.into()];
        let d = diagnostics(PolicySet::load(&cfg, dir.path()));
        assert_eq!((d[0].file.as_str(), d[0].code), (bad, "policy-read"));
    }
}

#[test]
fn annex_iii_flags_are_carried() {
    let policy = r#"package tiergate.custom.hr
import rego.v1
findings contains {
	"code": "cv-screening",
	"tier": 1,
	"rule": "hr-cv",
	"reason": "CV screening code",
	"annex_iii": [{"point": "4(a)", "status": "candidate", "evidence": ["zone logs"]}],
} if true
"#;
    let got = eval_only(policy).unwrap();
    assert_eq!(
        got[0].annex_iii,
        vec![crate::model::AnnexFlag {
            point: "4(a)".into(),
            status: "candidate".into(),
            evidence: vec!["zone logs".into()],
        }]
    );
}

#[test]
fn malformed_findings_are_evaluation_errors() {
    let cases = [
        (
            "unknown tier",
            r#"{"code": "x", "tier": 9, "rule": "r", "reason": "r"}"#,
            "not a configured tier",
        ),
        (
            "tier as string",
            r#"{"code": "x", "tier": "1", "rule": "r", "reason": "r"}"#,
            "`tier` must be",
        ),
        (
            "fractional tier",
            r#"{"code": "x", "tier": 1.5, "rule": "r", "reason": "r"}"#,
            "not a configured tier",
        ),
        (
            "missing tier",
            r#"{"code": "x", "rule": "r", "reason": "r"}"#,
            "missing `tier`",
        ),
        (
            "bad code",
            r#"{"code": "Bad_Code", "tier": 1, "rule": "r", "reason": "r"}"#,
            "kebab-case",
        ),
        (
            "reserved code",
            r#"{"code": "policy-error", "tier": 1, "rule": "r", "reason": "r"}"#,
            "reserved",
        ),
        (
            "empty rule",
            r#"{"code": "x", "tier": 1, "rule": "", "reason": "r"}"#,
            "`rule` is empty",
        ),
        (
            "missing reason",
            r#"{"code": "x", "tier": 1, "rule": "r"}"#,
            "missing `reason`",
        ),
        (
            "unknown key",
            r#"{"code": "x", "tier": 1, "rule": "r", "reason": "r", "path": "a"}"#,
            "unknown key",
        ),
        ("non-object", r#""just a string""#, "must be an object"),
        (
            "bad annex status",
            r#"{"code": "x", "tier": 1, "rule": "r", "reason": "r", "annex_iii": [{"point": "4(a)", "status": "maybe"}]}"#,
            "status",
        ),
    ];
    for (what, finding, expected) in cases {
        let policy = format!(
            "package tiergate.custom.bad\nimport rego.v1\nfindings contains {finding} if true\n"
        );
        let err = eval_only(&policy).expect_err(what);
        assert!(err.contains(expected), "{what}: {err}");
        assert!(
            err.contains("tiergate.custom.bad"),
            "{what}: error names the package: {err}"
        );
    }
}

#[test]
fn non_set_or_undefined_findings_are_evaluation_errors() {
    let array = "package tiergate.custom.a\nimport rego.v1\nfindings := [1]\n";
    assert!(eval_only(array).unwrap_err().contains("must be a set"));
    let undefined = "package tiergate.custom.a\nimport rego.v1\nfindings := [1] if false\n";
    assert!(eval_only(undefined).unwrap_err().contains("undefined"));
}

#[test]
fn runtime_errors_are_evaluation_errors_under_strict_builtins() {
    let to_number = r#"package tiergate.custom.rt
import rego.v1
findings contains {"code": "x", "tier": 1, "rule": "r", "reason": "r"} if to_number("x") > 0
"#;
    assert!(eval_only(to_number).is_err());
    let division = r#"package tiergate.custom.rt
import rego.v1
findings contains {"code": "x", "tier": 1, "rule": "r", "reason": "r"} if count(input.file.rules) / count(input.file.rules) > 0
"#;
    let err = eval_only(division).unwrap_err();
    assert!(err.contains("tiergate.custom.rt"), "{err}");
    assert!(
        err.contains(".tiergate/policies/p.rego:3:"),
        "located: {err}"
    );
    let tabbed = "package tiergate.custom.rt\nimport rego.v1\nfindings contains {\"code\": \"x\", \"tier\": 1, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tto_number(\"x\") > 0\n}\n";
    let err = eval_only(tabbed).unwrap_err();
    // The string argument, counted in characters: tab, `to_number(`, `"`.
    assert!(err.contains(".tiergate/policies/p.rego:4:13: "), "{err}");
}

#[test]
fn errors_are_memoized_too() {
    let set = only(
        "package tiergate.custom.rt\nimport rego.v1\nfindings contains {\"code\": \"x\", \"tier\": 1, \"rule\": \"r\", \"reason\": \"r\"} if to_number(\"x\") > 0\n",
    );
    let mut ev = set.evaluator();
    let i = input(&[], GitState::Tracked);
    let a = ev.evaluate(&i).unwrap_err();
    let b = ev.evaluate(&i).unwrap_err();
    assert_eq!(a, b);
    assert_eq!(ev.evaluations(), 1);
}

/// Runaway loops stop at `max_instructions` (5 million here), deterministically.
/// Not covered: one builtin call that allocates a huge value — `numbers.range(1, 1e8)`
/// materializes 10^8 numbers (~6 s, GBs) inside a single instruction, before the budget
/// can count anything; bounding that needs regorus' `allocator-memory-limits` feature.
#[test]
fn an_exploding_policy_hits_the_instruction_budget_quickly() {
    let policies = [
        // Nested loops in a rule body: 10^10 iterations over small ranges.
        r#"package tiergate.custom.boom
import rego.v1
findings contains {"code": "x", "tier": 1, "rule": "r", "reason": "r"} if {
	some x in numbers.range(1, 100000)
	some y in numbers.range(1, 100000)
	x + y < 0
}
"#,
        // A comprehension that explodes.
        r#"package tiergate.custom.boom
import rego.v1
findings contains {"code": "x", "tier": 1, "rule": "r", "reason": "r"} if {
	count([[x, y] | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000)]) > 0
}
"#,
        // A comprehension over a large range.
        r#"package tiergate.custom.boom
import rego.v1
findings contains {"code": "x", "tier": 1, "rule": "r", "reason": "r"} if {
	count([x | some x in numbers.range(1, 10000000)]) > 0
}
"#,
    ];
    for policy in policies {
        let started = Instant::now();
        let err = eval_only(policy).unwrap_err();
        let took = started.elapsed();
        assert!(err.contains("instruction limit"), "{err}");
        // Generous: this pins "stops instead of hanging", not a speed (CI machines are
        // slow and shared; the budget stops these in about a second).
        assert!(took < Duration::from_secs(30), "took {took:?}");
    }
}

#[test]
fn the_instruction_budget_comes_from_the_config() {
    let policy = r#"package tiergate.custom.loop
import rego.v1
findings contains {"code": "x", "tier": 1, "rule": "r", "reason": "r"} if {
	count([x | some x in numbers.range(1, 2000)]) == 2000
}
"#;
    let cfg = no_shipped_packs();
    let run = |max: u64| {
        let mut cfg = cfg.clone();
        cfg.policies.max_instructions = max;
        load_repo(&cfg, &[(".tiergate/policies/p.rego", policy)])
            .unwrap()
            .evaluator()
            .evaluate(&input(&[], GitState::Tracked))
    };
    assert_eq!(run(1_000_000).unwrap().len(), 1);
    assert!(run(500).unwrap_err().contains("instruction"));
}

/// A set with `source` alone and the given deadline.
fn with_deadline(source: &str, ms: u64) -> PolicySet {
    let mut cfg = no_shipped_packs();
    cfg.policies.max_eval_ms = ms;
    load_repo(&cfg, &[(".tiergate/policies/p.rego", source)])
        .unwrap_or_else(|d| panic!("policy should load:\n{d}"))
}

/// The issue's case: 300 calls of `sort(numbers.range(1, 3e5))` stay far inside the
/// instruction budget and ran past 60 s. The evaluation now ends at the deadline with
/// an error (tier 1) that says so.
#[test]
fn many_slow_builtin_calls_end_at_the_deadline() {
    let policy = r#"package tiergate.custom.slow
import rego.v1
findings contains {"code": "x", "tier": 3, "rule": "r", "reason": "r"} if {
	count([n | some i in numbers.range(1, 300); n := count(sort(numbers.range(1, 300000)))]) > 0
}
"#;
    let set = with_deadline(policy, 300);
    let started = Instant::now();
    let err = set
        .evaluator()
        .evaluate(&input(&[], GitState::Tracked))
        .unwrap_err();
    let took = started.elapsed();
    assert!(err.starts_with("evaluation exceeded 300ms"), "{err}");
    // Generous for a shared machine; unbounded, this takes a minute.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// One builtin call the cooperative timer cannot interrupt (it looks at the clock
/// between instructions): the caller stops waiting at the deadline anyway, and the
/// evaluator goes on with a fresh helper for the next fact set.
#[test]
fn a_single_long_builtin_call_does_not_hold_the_caller() {
    let policy = r#"package tiergate.custom.slow
import rego.v1
findings contains {"code": "x", "tier": 3, "rule": "r", "reason": "r"} if {
	input.file.git == "ignored"
	count(sort(numbers.range(1, 3000000))) > 0
}
findings contains {"code": "y", "tier": 2, "rule": "q", "reason": "q"} if {
	input.file.git == "tracked"
}
"#;
    let set = with_deadline(policy, 100);
    let mut ev = set.evaluator();
    let slow = input(&[], GitState::Ignored);
    let started = Instant::now();
    let err = ev.evaluate(&slow).unwrap_err();
    let took = started.elapsed();
    assert!(err.starts_with("evaluation exceeded 100ms"), "{err}");
    // The call alone takes more than a second here; the caller is back at the
    // deadline (scheduling on a shared machine aside).
    assert!(took < Duration::from_millis(800), "took {took:?}");
    // The deadline error is the fact set's memoized answer, and says it is shared.
    assert_eq!(ev.evaluate(&slow).unwrap_err(), err);
    assert!(err.contains("every file with the same facts"), "{err}");
    assert_eq!(ev.evaluations(), 1);
    // Another fact set evaluates normally on a new helper.
    let found = ev.evaluate(&input(&[], GitState::Tracked)).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "y");
}

/// The deadline bounds evaluations that normally finish: a generous one changes
/// nothing, and the decision does not depend on it.
#[test]
fn a_normal_evaluation_is_untouched_by_the_deadline() {
    let policy = r#"package tiergate.custom.fast
import rego.v1
findings contains {"code": "x", "tier": 2, "rule": "r", "reason": "r"} if {
	count([x | some x in numbers.range(1, 2000)]) == 2000
}
"#;
    for ms in [2_000, 60_000] {
        let found = with_deadline(policy, ms)
            .evaluator()
            .evaluate(&input(&[], GitState::Tracked))
            .unwrap();
        assert_eq!(found.len(), 1, "{ms}");
    }
}

#[test]
fn a_syntax_error_is_located_at_file_line_col() {
    let bad =
        "package tiergate.custom.bad\nimport rego.v1\n\nfindings contains {\"code\": \"x\" if {\n";
    let d = diagnostics(load_repo(
        &test_config(),
        &[(".tiergate/policies/bad.rego", bad)],
    ));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, ".tiergate/policies/bad.rego");
    assert_eq!(d[0].code, "policy-syntax");
    assert_eq!(d[0].line, 4);
    assert!(d[0].col > 1, "{:?}", d[0]);
    assert!(
        !d[0].message.contains("-->"),
        "message is one line: {:?}",
        d[0]
    );
}

#[test]
fn packages_outside_tiergate_are_rejected() {
    let foreign = "package payments\nimport rego.v1\nfindings contains {} if true\n";
    let d = diagnostics(load_repo(&test_config(), &[("p/x.rego", foreign)]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].col, d[0].code),
        ("p/x.rego", 1, 1, "policy-contract")
    );
    assert!(
        d[0].message.contains("not under `tiergate.`"),
        "{}",
        d[0].message
    );
}

#[test]
fn contract_problems_are_all_reported_at_once() {
    let mut cfg = test_config();
    cfg.policies.disable = vec!["nonesuch".into()];
    let d = diagnostics(load_repo(
        &cfg,
        &[
            (
                "a.rego",
                "package other\nimport rego.v1\nfindings contains 1 if true\n",
            ),
            (
                "b.rego",
                "package tiergate.custom.b\nimport rego.v1\nallow := true\n",
            ),
            (
                "c.rego",
                "package tiergate.config\nimport rego.v1\nfindings contains 1 if true\n",
            ),
            (
                "d.rego",
                "package tiergate.baseline\nimport rego.v1\nfindings contains 1 if true\n",
            ),
            (
                "e.rego",
                "package tiergate.custom.e\nimport rego.v1\nfindings contains 1 if {\n",
            ),
            ("e_test.rego", "this is skipped, never parsed"),
        ],
    ));
    let got: Vec<(&str, &str)> = d.iter().map(|d| (d.file.as_str(), d.code)).collect();
    assert_eq!(
        got,
        vec![
            ("a.rego", "policy-contract"),
            ("b.rego", "policy-contract"),
            ("c.rego", "policy-contract"),
            ("d.rego", "policy-contract"),
            ("e.rego", "policy-syntax"),
            ("tiergate.yaml", "unknown-pack"),
        ],
        "{d:#?}"
    );
    assert!(d[1].message.contains("no `findings`"), "{}", d[1].message);
    assert!(d[2].message.contains("reserved"), "{}", d[2].message);
    assert!(d[3].message.contains("shipped pack"), "{}", d[3].message);
    assert!(d[5].message.contains("nonesuch"), "{}", d[5].message);
}

#[test]
fn a_package_may_span_files_if_one_declares_findings() {
    let a = "package tiergate.custom.split\nimport rego.v1\nhelper := 2\n";
    let b = "package tiergate.custom.split\nimport rego.v1\n\nfindings contains {\"code\": \"x\", \"tier\": helper, \"rule\": \"split\", \"reason\": \"r\"} if true\n";
    let cfg = no_shipped_packs();
    let set = load_repo(&cfg, &[("p/a.rego", a), ("p/b.rego", b)]).unwrap();
    assert_eq!(set.policies().len(), 2);
    let got = set
        .evaluator()
        .evaluate(&input(&[], GitState::Tracked))
        .unwrap();
    assert_eq!(got[0].tier, Some(2));
    assert_eq!(
        got[0].source,
        SourceLoc {
            file: "p/b.rego".into(),
            line: 4
        }
    );
}

#[test]
fn compile_errors_are_diagnostics() {
    let policy = "package tiergate.custom.c\nimport rego.v1\nfindings contains x if {\n\tnot_a_function(1)\n}\n";
    let d = diagnostics(load_repo(&test_config(), &[("p/c.rego", policy)]));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].file.as_str(), d[0].line, d[0].col, d[0].code),
        ("p/c.rego", 4, 2, "policy-builtin"),
        "column in characters: the tab before the call counts one"
    );
    assert!(d[0].message.contains("not_a_function"), "{}", d[0].message);
}

#[test]
fn disabling_an_unknown_pack_is_a_diagnostic() {
    let mut cfg = test_config();
    cfg.policies.disable = vec!["baseline".into(), "annex-iii".into()];
    let d = diagnostics(load_repo(&cfg, &[]));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "unknown-pack");
    assert!(d[0].message.contains("`annex-iii`"));
    assert!(d[0].message.contains("baseline"), "lists the shipped packs");
}

#[test]
fn disabling_the_baseline_removes_its_findings() {
    let cfg = no_shipped_packs();
    let set = load_repo(&cfg, &[]).unwrap();
    assert!(set.policies().is_empty());
    let got = set
        .evaluator()
        .evaluate(&input(&["credential-files"], GitState::Tracked))
        .unwrap();
    assert!(got.is_empty());
}

#[test]
fn load_reads_policy_dirs_skipping_tests_and_missing_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let policies = root.join(".tiergate/policies");
    std::fs::create_dir_all(policies.join("team")).unwrap();
    std::fs::write(
        policies.join("payments.rego"),
        "package tiergate.custom.payments\nimport rego.v1\n\nfindings contains {\"code\": \"card-data\", \"tier\": 1, \"rule\": \"payments-cards\", \"reason\": \"r\"} if {\n\t\"data-dumps\" in input.file.zones\n}\n",
    )
    .unwrap();
    std::fs::write(policies.join("payments_test.rego"), "not rego at all").unwrap();
    std::fs::write(policies.join("README.md"), "not a policy").unwrap();
    std::fs::write(
        policies.join("team/hr.rego"),
        "package tiergate.custom.hr\nimport rego.v1\nfindings contains {\"code\": \"hr\", \"tier\": 2, \"rule\": \"hr\", \"reason\": \"r\"} if false\n",
    )
    .unwrap();
    let mut cfg = baseline_only();
    cfg.policies.dirs = vec![".tiergate/policies".into(), "missing/dir".into()];
    cfg.path = Some(root.join("tiergate.yaml"));

    let set = PolicySet::load(&cfg, root).unwrap_or_else(|d| panic!("{d}"));
    let sources: Vec<(&str, &str, bool)> = set
        .policies()
        .iter()
        .map(|p| (p.source.as_str(), p.package.as_str(), p.shipped))
        .collect();
    assert_eq!(
        sources,
        vec![
            (
                ".tiergate/policies/payments.rego",
                "tiergate.custom.payments",
                false
            ),
            (
                ".tiergate/policies/team/hr.rego",
                "tiergate.custom.hr",
                false
            ),
            ("shipped:policies/baseline.rego", "tiergate.baseline", true),
        ]
    );
    let got = set
        .evaluator()
        .evaluate(&input(&["data-dumps"], GitState::Ignored))
        .unwrap();
    let card = got
        .iter()
        .find(|f| f.code == "card-data")
        .expect("repo policy fired");
    assert_eq!(
        card.source,
        SourceLoc {
            file: ".tiergate/policies/payments.rego".into(),
            line: 4
        }
    );
    assert!(got.iter().any(|f| f.code == "local-data-dump"));

    // Unknown packs are reported against the config file, relative to the repository.
    cfg.policies.disable = vec!["nope".into()];
    let d = diagnostics(PolicySet::load(&cfg, root));
    assert_eq!(
        (d[0].file.as_str(), d[0].code),
        ("tiergate.yaml", "unknown-pack")
    );
}

#[cfg(unix)]
#[test]
fn load_does_not_follow_symlinked_policies() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("evil.rego");
    std::fs::write(
        &target,
        "package tiergate.custom.evil\nfindings contains 1 if true\n",
    )
    .unwrap();
    let policies = dir.path().join("pol");
    std::fs::create_dir_all(&policies).unwrap();
    std::os::unix::fs::symlink(&target, policies.join("evil.rego")).unwrap();
    let mut cfg = test_config();
    cfg.policies.dirs = vec!["pol".into()];
    let d = diagnostics(PolicySet::load(&cfg, dir.path()));
    assert_eq!(
        (d[0].file.as_str(), d[0].code),
        ("pol/evil.rego", "policy-read")
    );
}

#[test]
fn evaluators_move_between_threads_and_sets_are_shared() {
    fn assert_send<T: Send>() {}
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send::<Evaluator>();
    assert_send_sync::<PolicySet>();

    let set = load_repo(&test_config(), &[]).unwrap();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let mut ev = set.evaluator();
            std::thread::spawn(move || {
                ev.evaluate(&input(&["logs"], GitState::Ignored))
                    .unwrap()
                    .len()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 1);
    }
}

/// Cost of one real evaluation of the shipped pack on the RVM (memo bypassed by giving
/// every input a distinct signal count). Run with
/// `cargo test --release -- --ignored --nocapture evaluation_cost`.
#[test]
#[ignore]
fn evaluation_cost() {
    let load_started = Instant::now();
    let set = load_repo(&test_config(), &[]).unwrap();
    let load = load_started.elapsed();
    let evaluator_started = Instant::now();
    drop(set.evaluator());
    let evaluator = evaluator_started.elapsed();
    let mut ev = set.evaluator();
    let zones: [&[&str]; 4] = [&["data-dumps"], &["logs"], &["credential-files"], &["docs"]];
    let n = 20_000u32;
    let inputs: Vec<RegoInput> = (0..n)
        .map(|i| {
            let mut x = input(zones[(i % 4) as usize], GitState::Ignored);
            x.file.signals.push(RegoSignal {
                id: "pii.email".into(),
                category: "pii".into(),
                confidence: Confidence::Low,
                count: i,
            });
            x
        })
        .collect();
    let started = Instant::now();
    for i in &inputs {
        ev.evaluate(i).unwrap();
    }
    let took = started.elapsed();
    assert_eq!(ev.evaluations(), u64::from(n));
    let hit_started = Instant::now();
    for i in &inputs {
        ev.evaluate(i).unwrap();
    }
    let hits = hit_started.elapsed();
    eprintln!(
        "baseline pack: load {load:?}, new evaluator {evaluator:?}, \
         {:.1} µs per real evaluation, {:.2} µs per memo hit",
        took.as_secs_f64() * 1e6 / f64::from(n),
        hits.as_secs_f64() * 1e6 / f64::from(n),
    );
}

#[test]
fn shipped_pack_digests_agree_with_the_provenance_a_load_records() {
    let set = PolicySet::load_sources(&test_config(), vec![]).expect("shipped packs load");
    let loaded: Vec<(String, String)> = set
        .policies()
        .iter()
        .filter(|p| p.shipped)
        .map(|p| (p.source.clone(), p.digest.clone()))
        .collect();
    assert!(!loaded.is_empty());
    assert_eq!(shipped_pack_digests(), loaded);
}

#[test]
fn package_data_reads_the_annex_pack_and_is_none_when_disabled() {
    let set = PolicySet::load_sources(&test_config(), vec![]).unwrap();
    let dates = set
        .package_data("tiergate.eu_ai_act_annex_iii", "dates_in_force")
        .unwrap()
        .expect("the pack carries its dates");
    assert_eq!(dates["original"], "2026-08-02");
    let points = set
        .package_data("tiergate.eu_ai_act_annex_iii", "points")
        .unwrap()
        .unwrap();
    assert_eq!(points["4a"]["label"], "4(a)");
    assert_eq!(points.as_object().unwrap().len(), 25);
    let err = set
        .package_data("tiergate.eu_ai_act_annex_iii", "no_such_rule")
        .unwrap_err();
    assert!(err.contains("no_such_rule"), "{err}");
    let mut cfg = test_config();
    cfg.policies.disable = vec!["eu_ai_act_annex_iii".into()];
    let set = PolicySet::load_sources(&cfg, vec![]).unwrap();
    assert_eq!(
        set.package_data("tiergate.eu_ai_act_annex_iii", "points")
            .unwrap(),
        None
    );
}
