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
    // The table: a header, and every column at the same place on every line.
    let table = run(p, &["audit", "show"]);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", table.stdout);
    assert!(lines[0].starts_with("SEQ  TIME"), "{}", table.stdout);
    let path_col = lines[0].find("PATH").unwrap();
    for line in &lines[1..] {
        let path = &line[path_col..];
        assert!(
            ["src/app.py ", "hr/payroll.csv "]
                .iter()
                .any(|p| path.starts_with(p)),
            "{}",
            table.stdout
        );
        assert_eq!(&line[path_col - 2..path_col], "  ", "{}", table.stdout);
    }
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

// ---- What a user who can write `.git/` does, and what catches it ----

const LOG: &str = ".git/tiergate/decisions.jsonl";

/// `n` decisions logged through `route --log`, one record each.
fn logged(p: &Path, n: usize) {
    let paths = ["src/app.py", "hr/payroll.csv", "docs/guide.md"];
    for i in 0..n {
        let r = run(p, &["route", "--log", paths[i % 3], "--to", "cloud-zdr"]);
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    }
}

fn sha256(bytes: &[u8]) -> String {
    tiergate::model::sha256_digest(bytes)
}

/// Rewrite the log as the unkeyed chain lets anyone who can write `.git/`: apply `f`
/// to the records, renumber them, recompute every `prev` and the head file (keeping
/// whatever MACs the records carry).
fn rechain(p: &Path, f: impl FnOnce(&mut Vec<tiergate::audit::Record>)) {
    let log = p.join(LOG);
    let mut records: Vec<tiergate::audit::Record> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    f(&mut records);
    let mut prev = tiergate::audit::GENESIS.to_string();
    let mut text = String::new();
    for (i, r) in records.iter_mut().enumerate() {
        r.seq = i as u64 + 1;
        r.prev = prev.clone();
        let line = serde_json::to_string(&*r).unwrap();
        prev = sha256(line.as_bytes());
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(&log, text).unwrap();
    let head = p.join(format!("{LOG}.head"));
    let keyed = std::fs::read_to_string(&head)
        .unwrap()
        .contains("\"keyed\":true");
    let mut json = serde_json::json!({"count": records.len(), "last": prev});
    if keyed {
        json["keyed"] = true.into();
    }
    std::fs::write(&head, json.to_string()).unwrap();
}

fn verify(p: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["audit", "verify"];
    args.extend_from_slice(extra);
    run(p, &args)
}

/// The issue's case: after `rm` of the log and its head, verify said "0 records, chain
/// intact". The start marker in the git config makes it exit 1, and a log started
/// over after the deletion is caught as well.
#[test]
fn deleting_the_log_and_its_head_is_flagged() {
    let dir = repo();
    let p = dir.path();
    logged(p, 3);
    let marker = git(
        p,
        &[
            "config",
            "--get",
            "tiergate-audit.tiergate/decisions.jsonl.first",
        ],
    );
    let first = std::fs::read_to_string(p.join(LOG)).unwrap();
    assert_eq!(
        marker.trim(),
        sha256(first.lines().next().unwrap().as_bytes())
    );
    std::fs::remove_file(p.join(LOG)).unwrap();
    std::fs::remove_file(p.join(format!("{LOG}.head"))).unwrap();
    let r = verify(p, &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("logging started here") && r.stdout.contains("it was deleted"),
        "{}",
        r.stdout
    );
    // The whole directory gone: the same.
    std::fs::remove_dir_all(p.join(".git/tiergate")).unwrap();
    assert_eq!(verify(p, &[]).code, 1);
    // Started over: the new first record is not the one logging started with.
    let r = run(p, &["route", "--log", "docs/guide.md", "--to", "cloud-zdr"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = verify(p, &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("the log was replaced"), "{}", r.stdout);
}

/// The case: records dropped and the unkeyed chain and head recomputed. The
/// unkeyed log cannot tell (and says nothing more than before); the keyed mode and an
/// anchor can.
#[test]
fn dropped_records_with_a_recomputed_head_are_caught_by_the_key_and_by_an_anchor() {
    // Unkeyed, no anchor: undetectable, as documented.
    let dir = repo();
    let p = dir.path();
    logged(p, 5);
    rechain(p, |r| {
        r.remove(2);
    });
    let r = verify(p, &[]);
    assert_eq!(
        r.code, 0,
        "the unkeyed chain alone cannot tell: {}",
        r.stdout
    );

    // Keyed: the key file is ahead of the log even without the verifier key, and
    // with it every record after the gap fails its MAC.
    let dir = repo();
    let p = dir.path();
    let keys = tempfile::tempdir().unwrap();
    let k0 = keys.path().join("k0.json").to_str().unwrap().to_string();
    let init = run(p, &["audit", "init-key", "--out", &k0]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    logged(p, 5);
    let ok = verify(p, &["--key-file", &k0]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(
        ok.stdout
            .contains("5 records, chain intact; MACs verified from record 1"),
        "{}",
        ok.stdout
    );
    rechain(p, |r| {
        r.remove(2);
    });
    let r = verify(p, &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("the key is at record 6 but the log ends at record 4"),
        "{}",
        r.stdout
    );
    let r = verify(p, &["--key-file", &k0]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("decisions.jsonl:3: its MAC does not verify"),
        "{}",
        r.stdout
    );
    // The key file path may come from the environment (never the key itself).
    let r = tiergate(p)
        .args(["audit", "verify"])
        .env("TIERGATE_AUDIT_KEY_FILE", &k0)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    // And the next append refuses to hide it.
    let r = run(p, &["route", "--log", "src/app.py", "--to", "cloud-zdr"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("appending refused"), "{}", r.stderr);

    // Unkeyed with an anchor: the anchored record is no longer at its position.
    let dir = repo();
    let p = dir.path();
    logged(p, 5);
    let a = run(p, &["audit", "anchor"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert!(
        a.stdout
            .contains("refs/tiergate/audit/dev@example.com: anchored 5 records"),
        "{}",
        a.stdout
    );
    rechain(p, |r| {
        r.remove(2);
    });
    let r = verify(p, &["--against", "refs/tiergate/audit/dev@example.com"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("vouches for 5 records, the log holds 4"),
        "{}",
        r.stdout
    );
}

/// The case: the head wound back (the tail cut, the head rewritten for the
/// shorter log). The key file cannot be wound back; an anchor holds the longer count.
#[test]
fn a_head_wound_back_is_caught_by_the_key_file_and_by_an_anchor() {
    let dir = repo();
    let p = dir.path();
    let keys = tempfile::tempdir().unwrap();
    let k0 = keys.path().join("k0.json");
    assert_eq!(
        run(p, &["audit", "init-key", "--out", k0.to_str().unwrap()]).code,
        0
    );
    logged(p, 4);
    assert_eq!(run(p, &["audit", "anchor", "--ref", "ci"]).code, 0);
    rechain(p, |r| r.truncate(2));
    let r = verify(p, &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("the key is at record 5 but the log ends at record 2"),
        "{}",
        r.stdout
    );
    // Renumbering the stolen key does not help against the verifier key.
    let key_file = p.join(format!("{LOG}.key"));
    let text = std::fs::read_to_string(&key_file).unwrap();
    assert!(text.contains("\"seq\":5"), "{text}");
    let r = verify(
        p,
        &[
            "--key-file",
            k0.to_str().unwrap(),
            "--against",
            "refs/tiergate/audit/ci",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("anchor refs/tiergate/audit/ci (commit "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("vouches for 4 records, the log holds 2"),
        "{}",
        r.stdout
    );
}

/// The whole flow: the anchor pushed to a remote the user cannot rewrite, then
/// everything local deleted (log, head, marker, local ref). Only the pushed anchor is
/// left to tell, and verify against it fails.
#[test]
fn an_anchor_kept_on_a_remote_outlives_every_local_deletion() {
    let dir = repo();
    let p = dir.path();
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare"]);
    git(
        p,
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    logged(p, 3);
    assert_eq!(run(p, &["audit", "anchor"]).code, 0);
    logged(p, 2);
    assert_eq!(run(p, &["audit", "anchor"]).code, 0);
    git(
        p,
        &[
            "push",
            "-q",
            "origin",
            "refs/tiergate/audit/*:refs/tiergate/audit/*",
        ],
    );
    // Both anchors, in the ref's history, are checked.
    git(
        p,
        &[
            "fetch",
            "-q",
            "origin",
            "refs/tiergate/audit/*:refs/remotes/origin/tiergate/audit/*",
        ],
    );
    let r = verify(p, &["--against", "origin/tiergate/audit/dev@example.com"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("extends 2 anchors"), "{}", r.stdout);

    std::fs::remove_dir_all(p.join(".git/tiergate")).unwrap();
    git(
        p,
        &[
            "config",
            "--remove-section",
            "tiergate-audit.tiergate/decisions.jsonl",
        ],
    );
    git(
        p,
        &["update-ref", "-d", "refs/tiergate/audit/dev@example.com"],
    );
    git(
        p,
        &[
            "update-ref",
            "-d",
            "refs/remotes/origin/tiergate/audit/dev@example.com",
        ],
    );
    assert_eq!(verify(p, &[]).code, 0, "nothing local is left to tell");
    git(
        p,
        &[
            "fetch",
            "-q",
            "origin",
            "refs/tiergate/audit/*:refs/remotes/origin/tiergate/audit/*",
        ],
    );
    let r = verify(p, &["--against", "origin/tiergate/audit/dev@example.com"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "vouches for 5 records, the log holds 0: records were removed (the log is missing)"
        ),
        "{}",
        r.stdout
    );
}

/// An anchor is refused for a log that does not verify or does not extend the ref's
/// previous anchor: anchoring must not launder a rewrite.
#[test]
fn anchoring_refuses_a_log_that_does_not_extend_the_last_anchor() {
    let dir = repo();
    let p = dir.path();
    logged(p, 3);
    assert_eq!(run(p, &["audit", "anchor"]).code, 0);
    rechain(p, |r| r.truncate(1));
    let r = run(p, &["audit", "anchor"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("not anchoring it"), "{}", r.stderr);
    let keys = tempfile::tempdir().unwrap();
    let k = keys.path().join("k.json");
    assert_eq!(
        run(p, &["audit", "init-key", "--out", k.to_str().unwrap()]).code,
        0
    );
    // A second init, or one that would overwrite a verifier key, is refused.
    let k2 = keys.path().join("k2.json");
    assert_eq!(
        run(p, &["audit", "init-key", "--out", k2.to_str().unwrap()]).code,
        2
    );
    assert!(!k2.exists());
}

/// One spelling for the log across commands: `route --log=FILE` appends to FILE (a bare
/// `--log` before the paths stays a flag), and `audit verify --log FILE` reads it.
#[test]
fn route_and_audit_name_the_log_the_same_way() {
    let dir = repo();
    let p = dir.path();
    let r = run(
        p,
        &[
            "route",
            "--log=elsewhere.jsonl",
            "docs/guide.md",
            "--to",
            "cloud-zdr",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.join("elsewhere.jsonl").is_file());
    assert!(!p.join(".git/tiergate/decisions.jsonl").exists());
    let r = run(p, &["route", "--log", "docs/guide.md", "--to", "cloud-zdr"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.join(".git/tiergate/decisions.jsonl").is_file());
    let r = run(p, &["audit", "verify", "--log", "elsewhere.jsonl"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("1 record"), "{}", r.stdout);
}
