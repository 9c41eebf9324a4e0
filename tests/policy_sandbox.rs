//! The Rego sandbox through the command line: a policy calling a builtin outside the
//! allow-list stops the scan, `policy check` and `policy test` alike at its
//! file:line:col (exit 2, nothing written); an evaluation past `policies.max_eval_ms`
//! makes its file tier 1 and the scan goes on.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{git, json, run};

/// A repository with `tiergate.yaml`, one repository policy and a few files.
fn repo(config: &str, policy: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let write = |rel: &str, text: &str| {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("tiergate.yaml", config);
    write(".tiergate/policies/p.rego", policy);
    write("README.md", "# readme\n");
    write("src/main.rs", "fn main() {}\n");
    write("data/input.slow", "slow\n");
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "init"]);
    dir
}

const RANDOM: &str = "package tiergate.custom.p

import rego.v1

findings contains {\"code\": \"coin\", \"tier\": 2, \"rule\": \"coin\", \"reason\": \"heads\"} if {
\trand.intn(\"coin\", 2) == 1
}
";

/// The case: with `rand.intn` five scans gave five manifests. Now no scan
/// runs: the call is refused where it is, by every command that loads policies.
#[test]
fn a_random_builtin_stops_scan_check_and_the_gate_at_its_location() {
    let dir = repo("default_tier: 3\n", RANDOM);
    let p = dir.path();
    let located = ".tiergate/policies/p.rego:6:2: error[policy-builtin]: `rand.intn` is not an allowed builtin";
    for args in [
        &["scan"][..],
        &["policy", "check"],
        &["check", "--staged"],
        &["policy", "test"],
    ] {
        let r = run(p, args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(located), "{args:?}: {}", r.stderr);
    }
    assert!(!p.join("tiergate.manifest.json").exists());
}

/// `policy test` checks its test files with the same function as the scan.
#[test]
fn policy_test_refuses_a_random_builtin_in_a_test_file() {
    let dir = repo(
        "default_tier: 3\n",
        "package tiergate.custom.p\n\nimport rego.v1\n\nfindings := set()\n",
    );
    let p = dir.path();
    std::fs::write(
        p.join(".tiergate/policies/p_test.rego"),
        "package tiergate.custom.p_test\n\nimport rego.v1\n\ntest_now if time.now_ns() > 0\n",
    )
    .unwrap();
    let r = run(p, &["policy", "test"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains(".tiergate/policies/p_test.rego:5:13: error[policy-builtin]: `time.now_ns`"),
        "{}",
        r.stderr
    );
    // Without the test file the same repository scans.
    std::fs::remove_file(p.join(".tiergate/policies/p_test.rego")).unwrap();
    assert_eq!(run(p, &["scan"]).code, 0);
}

const SLOW: &str = "package tiergate.custom.p

import rego.v1

findings contains {\"code\": \"slow\", \"tier\": 3, \"rule\": \"slow\", \"reason\": \"slow\"} if {
\tinput.file.extension == \"slow\"
\tcount([n | some i in numbers.range(1, 300); n := count(sort(numbers.range(1, 300000)))]) > 0
}
";

fn reasons(m: &serde_json::Value, path: &str) -> Vec<String> {
    m["files"][path]["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("{path} not in {}", m["files"]))
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["code"].as_str().unwrap(),
                r["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// The case: 300 calls of `sort(numbers.range(1, 3e5))` fit the instruction
/// budget and ran past 60 s. Past `policies.max_eval_ms` the file is tier 1 with a
/// `policy-error` saying so, the other files keep their tiers, and the scan ends.
#[test]
fn an_evaluation_past_the_deadline_is_a_tier_1_policy_error() {
    let dir = repo("default_tier: 3\npolicies:\n  max_eval_ms: 300\n", SLOW);
    let p = dir.path();
    let started = Instant::now();
    let r = run(p, &["scan"]);
    let took = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Unbounded this is a minute or more; generous for a shared machine.
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    assert_eq!(m["files"]["data/input.slow"]["tier"], 1);
    let why = reasons(&m, "data/input.slow");
    assert!(
        why.iter()
            .any(|r| r.starts_with("policy-error ") && r.contains("evaluation exceeded 300ms")),
        "{why:?}"
    );
    assert_eq!(m["files"]["README.md"]["tier"], 3);
    assert_eq!(m["files"]["src/main.rs"]["tier"], 3);
}

/// A deadline of 0 or a string is a located config error.
#[test]
fn the_deadline_is_validated() {
    for (value, col) in [("0", 16), ("soon", 16)] {
        let dir = repo(
            &format!("default_tier: 3\npolicies:\n  max_eval_ms: {value}\n"),
            "package tiergate.custom.p\n\nimport rego.v1\n\nfindings := set()\n",
        );
        let r = run(dir.path(), &["scan"]);
        assert_eq!(r.code, 2, "{value}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("tiergate.yaml:3:{col}: error[")),
            "{value}: {}",
            r.stderr
        );
        assert!(!Path::new(&dir.path().join("tiergate.manifest.json")).exists());
    }
}
