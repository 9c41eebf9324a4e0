//! The governance log through the command line: route --log and the hook append,
//! `audit verify` finds tampering, `audit show` filters; parallel processes keep the
//! chain whole.

mod common;

use std::path::Path;

use common::{fixture, git, json, run, tiergate};

fn repo() -> tempfile::TempDir {
    let dir = fixture("gate");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["config", "user.email", "dev@example.com"]);
    git(p, &["add", "-A"]);
    assert_eq!(run(p, &["scan"]).code, 0);
    dir
}

fn records(p: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["audit", "show", "--format", "json"];
    args.extend_from_slice(extra);
    let r = run(p, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r.stdout).as_array().unwrap().clone()
}

#[test]
fn route_log_records_who_sent_what_where() {
    let dir = repo();
    let p = dir.path();
    let r = run(
        p,
        &[
            "route",
            "--log",
            "--agent",
            "cursor",
            "hr/payroll.csv",
            "src/app.py",
            "--to",
            "cloud-zdr",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let recs = records(p, &[]);
    assert_eq!(recs.len(), 2);
    let payroll = recs.iter().find(|r| r["path"] == "hr/payroll.csv").unwrap();
    assert_eq!(payroll["decision"], "deny");
    assert_eq!(payroll["agent"], "cursor");
    assert_eq!(payroll["user"], "dev@example.com");
    assert_eq!(payroll["destination"], "cloud-zdr");
    let blob = git(p, &["hash-object", "hr/payroll.csv"]);
    assert_eq!(payroll["blob"], blob.trim());
    assert!(!payroll.to_string().contains("E100"), "never the content");
    let r = run(p, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("2 records, chain intact"), "{}", r.stdout);
    // Filters.
    assert_eq!(records(p, &["--path", "hr"]).len(), 1);
    assert_eq!(records(p, &["--user", "dev@example.com"]).len(), 2);
    assert_eq!(records(p, &["--user", "someone@else"]).len(), 0);
    assert_eq!(records(p, &["--since", "2999-01-01"]).len(), 0);
    let csv = run(p, &["audit", "show", "--format", "csv"]);
    assert!(csv.stdout.starts_with("seq,time,user"), "{}", csv.stdout);
    assert_eq!(csv.stdout.lines().count(), 3);
}

#[test]
fn tampering_is_found_and_located() {
    let dir = repo();
    let p = dir.path();
    for path in ["src/app.py", "hr/payroll.csv", "docs/guide.md"] {
        run(p, &["route", "--log", path, "--to", "cloud-zdr"]);
    }
    let log = p.join(".git/tiergate/decisions.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replacen("\"deny\"", "\"allow\"", 1)).unwrap();
    let r = run(p, &["audit", "verify"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("decisions.jsonl:3:"), "{}", r.stdout);
}

#[test]
fn parallel_processes_append_without_breaking_the_chain() {
    let dir = repo();
    let p = dir.path();
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tiergate"))
                .args([
                    "route",
                    "--log",
                    "src/app.py",
                    "hr/payroll.csv",
                    "docs/guide.md",
                    "--to",
                    "cloud-zdr",
                ])
                .current_dir(p)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        c.wait().unwrap();
    }
    let r = run(p, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("24 records"), "{}", r.stdout);
}

#[test]
fn the_hook_logs_every_decision() {
    let dir = repo();
    let p = dir.path();
    let event = serde_json::json!({
        "hook_event_name": "PreToolUse",
        "cwd": p.display().to_string(),
        "session_id": "sess-42",
        "tool_name": "Bash",
        "tool_input": {"command": "cat hr/payroll.csv src/app.py"},
    });
    let out = tiergate(p)
        .args(["hook", "claude-code", "--model", "claude-sonnet-4-5"])
        .write_stdin(event.to_string())
        .output()
        .unwrap();
    assert!(!out.stdout.is_empty(), "denied");
    let recs = records(p, &[]);
    let decisions: Vec<(&str, &str)> = recs
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), r["decision"].as_str().unwrap()))
        .collect();
    assert_eq!(
        decisions,
        [("hr/payroll.csv", "deny"), ("src/app.py", "allow")]
    );
    assert!(recs.iter().all(|r| r["agent"] == "claude-code"
        && r["model"] == "claude-sonnet-4-5"
        && r["session"] == "sess-42"
        && r["tool"] == "Bash"));
}
