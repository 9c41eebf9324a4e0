//! Accepted findings, end to end in real git repositories: a `tiergate:accept` marker
//! and an entry of `tiergate.accepted.yaml` take a detector hit out of the decision, the
//! manifest and `explain` still show it, its fingerprint follows the text and not the
//! line, and the gate notes every new acceptance as a policy change (the file's entries
//! only once they are on the base).

mod common;

use std::path::Path;

use common::{check_json as check, codes_of, git, run, scan_manifest, tier_of};

/// An AWS access key id the secret detector takes for a credential.
fn token() -> String {
    ["AKIA", "Q3EGT4KZ7B2XVN5M"].concat()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// A repository with a README and app code, its manifest committed on `main`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    write(p, "README.md", "# project\n");
    write(p, "src/app.py", "VALUE = 1\n");
    assert_eq!(run(p, &["scan"]).code, 0);
    commit_all(p, "start");
    dir
}

/// (code, path, line) of each verdict.
fn verdicts(report: &serde_json::Value) -> Vec<(String, String, Option<u64>)> {
    common::verdict_rows(report, |v| v["line"].as_u64())
}

#[test]
fn an_inline_marker_accepts_its_line_and_the_gate_notes_it() {
    let dir = repo();
    let p = dir.path();
    let t = token();
    write(
        p,
        "tests/fixture.py",
        &format!("import os\nKEY = '{t}'  # tiergate:accept=secret.aws_access_key\n"),
    );
    git(p, &["add", "-A"]);
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "tests/fixture.py"), 3, "{:#}", m["files"]);
    assert_eq!(
        codes_of(&m, "tests/fixture.py"),
        ["accepted", "default-tier"]
    );
    let reason = &m["files"]["tests/fixture.py"]["reasons"][0];
    assert_eq!(reason["rule"], "secret.aws_access_key");
    assert!(
        reason["message"]
            .as_str()
            .unwrap()
            .contains("accepted by an inline marker"),
        "{reason}"
    );

    // The staged change passes, with a policy-change note at the marker's line.
    git(p, &["add", "-A"]);
    let (code, report) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        verdicts(&report),
        [(
            "policy-change".to_string(),
            "tests/fixture.py".to_string(),
            Some(2)
        )],
        "{report:#}"
    );
    commit_all(p, "fixture");

    // An edit elsewhere in the file is no new acceptance; a second key on another
    // line is a finding again.
    write(
        p,
        "tests/fixture.py",
        &format!("import os\n\nKEY = '{t}'  # tiergate:accept=secret.aws_access_key\n"),
    );
    assert_eq!(run(p, &["scan"]).code, 0);
    git(p, &["add", "-A"]);
    let (code, report) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(verdicts(&report).is_empty(), "{report:#}");
    write(
        p,
        "tests/fixture.py",
        &format!(
            "import os\n\nKEY = '{t}'  # tiergate:accept=secret.aws_access_key\nOTHER = '{t}'\n"
        ),
    );
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "tests/fixture.py"), 1);

    // A marker naming another signal accepts nothing; `accept.inline: false` turns
    // markers off.
    write(
        p,
        "tests/fixture.py",
        &format!("KEY = '{t}'  # tiergate:accept=secret.jwt\n"),
    );
    assert_eq!(tier_of(&scan_manifest(p, &[]), "tests/fixture.py"), 1);
    write(
        p,
        "tests/fixture.py",
        &format!("KEY = '{t}'  # tiergate:accept\n"),
    );
    assert_eq!(tier_of(&scan_manifest(p, &[]), "tests/fixture.py"), 3);
    write(p, "tiergate.yaml", "version: 1\naccept:\n  inline: false\n");
    assert_eq!(tier_of(&scan_manifest(p, &[]), "tests/fixture.py"), 1);
}

#[test]
fn accepted_findings_file_entries_follow_the_text_and_land_through_review() {
    let dir = repo();
    let p = dir.path();
    let t = token();
    write(p, "tests/fixture.py", &format!("KEY = '{t}'\n"));
    git(p, &["add", "-A"]);
    assert_eq!(tier_of(&scan_manifest(p, &[]), "tests/fixture.py"), 1);

    // Nothing to accept in a file without detector hits: an error, nothing written.
    let r = run(p, &["accept", "README.md", "--reason", "x"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no detector finding"), "{}", r.stderr);
    assert!(!p.join("tiergate.accepted.yaml").exists());

    let r = run(
        p,
        &[
            "accept",
            "tests/fixture.py",
            "--reason",
            "fake key of the parser tests",
            "--dry-run",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("would add 1 finding"), "{}", r.stdout);
    assert!(!p.join("tiergate.accepted.yaml").exists());
    let r = run(
        p,
        &[
            "accept",
            "tests/fixture.py",
            "--reason",
            "fake key of the parser tests",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("tests/fixture.py:1  secret.aws_access_key"),
        "{}",
        r.stdout
    );
    let text = std::fs::read_to_string(p.join("tiergate.accepted.yaml")).unwrap();
    assert!(
        text.contains("reason: \"fake key of the parser tests\""),
        "{text}"
    );
    // Accepting again finds nothing open.
    assert_eq!(
        run(p, &["accept", "tests/fixture.py", "--reason", "again"]).code,
        2
    );

    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "tests/fixture.py"), 3);
    assert!(
        m["provenance"]["accepted"]["digest"].is_string(),
        "{:#}",
        m["provenance"]
    );
    let e = run(p, &["explain", "tests/fixture.py"]);
    assert!(
        e.stdout.contains("accepted by tiergate.accepted.yaml"),
        "{}",
        e.stdout
    );

    // Entries and the file they accept in one commit: judged with HEAD's (no) entries,
    // the key is still a credential and the manifest's tier 3 a lowering.
    git(p, &["add", "-A"]);
    let (code, report) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{report:#}");
    let v = verdicts(&report);
    assert!(
        v.iter()
            .any(|x| x.0 == "policy-change" && x.1 == "tiergate.accepted.yaml"),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|x| x.0 == "tier-lowered" && x.1 == "tests/fixture.py"),
        "{v:?}"
    );

    // Two steps: the entries first (no file they accept is in that commit, so the
    // manifest the manifest hook writes with them lowers nothing), then the file.
    git(p, &["reset", "-q"]);
    git(p, &["add", "--", "tiergate.accepted.yaml"]);
    let r = run(p, &["scan", "--stage"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, report) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        verdicts(&report),
        [(
            "policy-change".to_string(),
            "tiergate.accepted.yaml".to_string(),
            None
        )]
    );
    git(p, &["commit", "-q", "-m", "accept the fixture's fake key"]);
    git(p, &["add", "-A"]);
    let r = run(p, &["scan", "--stage"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, report) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(verdicts(&report).is_empty(), "{report:#}");
    commit_all(p, "fixture");

    // The entry follows the text: moved down, still accepted; another key in its
    // place, a credential again.
    write(
        p,
        "tests/fixture.py",
        &format!("# header\n\n  KEY = '{t}'\n"),
    );
    assert_eq!(tier_of(&scan_manifest(p, &[]), "tests/fixture.py"), 3);
    let other = ["AKIA", "Z7QXJ4N2WV3LKP5T"].concat();
    write(
        p,
        "tests/fixture.py",
        &format!("# header\n\n  KEY = '{other}'\n"),
    );
    assert_eq!(tier_of(&scan_manifest(p, &[]), "tests/fixture.py"), 1);
}

#[test]
fn a_broken_accepted_findings_file_is_located_and_exits_2() {
    let dir = repo();
    let p = dir.path();
    write(
        p,
        "tiergate.accepted.yaml",
        "version: 1\naccepted:\n  - path: a.py\n    signal: Secret\n    fingerprint: xyz\n",
    );
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for want in [
        "tiergate.accepted.yaml:3:5",
        "missing the required key `reason`",
        "tiergate.accepted.yaml:4:13",
        "not a signal id",
        "tiergate.accepted.yaml:5:18",
        "not a fingerprint",
    ] {
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
    }
    // Nothing on disk was touched.
    let committed = git(p, &["show", "HEAD:tiergate.manifest.json"]);
    assert_eq!(
        std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap(),
        committed
    );
}

#[test]
fn the_hook_denies_an_agent_writing_the_accepted_findings_file() {
    let dir = repo();
    let p = dir.path();
    let event = serde_json::json!({
        "session_id": "s",
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": p.join("tiergate.accepted.yaml"), "content": "x"},
        "cwd": p,
    });
    let out = common::tiergate(p)
        .args(["hook", "claude-code"])
        .write_stdin(event.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"deny\""), "{text}");
    assert!(text.contains("governance-file"), "{text}");
}

/// The legal report lists every accepted finding, how it was accepted and why, and the
/// accepted findings file in its provenance.
#[test]
fn the_report_lists_accepted_findings_with_their_reasons() {
    let dir = repo();
    let p = dir.path();
    let t = token();
    write(
        p,
        "tests/marked.py",
        &format!("KEY = '{t}'  # tiergate:accept\n"),
    );
    write(p, "tests/listed.json", &format!("{{\"key\": \"{t}\"}}\n"));
    git(p, &["add", "-A"]);
    let r = run(
        p,
        &[
            "accept",
            "tests/listed.json",
            "--reason",
            "fake key, parser tests",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    git(p, &["add", "-A"]);
    let r = run(
        p,
        &[
            "--today",
            "2026-12-01",
            "report",
            "--format",
            "md",
            "-o",
            "-",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for want in [
        "## 4. Exceptions and accepted findings",
        "Detector findings accepted as false positives (2)",
        "| `tests/listed.json` | `secret.aws_access_key` | `tiergate.accepted.yaml:",
        "| fake key, parser tests |",
        "| `tests/marked.py` | `secret.aws_access_key` | a marker in the file | — |",
        "| accepted findings | `tiergate.accepted.yaml` | `sha256:",
    ] {
        assert!(r.stdout.contains(want), "{want}\n{}", r.stdout);
    }
}

/// A key committed before (tier 1), then a marker added: the lowering is the marker's,
/// a reviewed policy change, not a failure. A marker beside a second, new key does not
/// lower the file, so the new key still fails the gate.
#[test]
fn a_marker_on_a_committed_key_is_a_policy_change() {
    let dir = repo();
    let p = dir.path();
    let t = token();
    // Write the fixture, stage it with its manifest, and gate the staged change: the
    // fixture's tier, the exit code and the verdicts.
    let stage_and_check = |text: String| {
        write(p, "tests/old.py", &text);
        git(p, &["add", "-A"]);
        let tier = tier_of(&scan_manifest(p, &[]), "tests/old.py");
        git(p, &["add", "-A"]);
        let (code, report) = check(p, &["--staged"]);
        (tier, code, verdicts(&report))
    };
    let (tier, _, _) = stage_and_check(format!("KEY = '{t}'\n"));
    assert_eq!(tier, 1);
    commit_all(p, "an old fixture");

    let (tier, code, v) = stage_and_check(format!("KEY = '{t}'  # tiergate:accept\n"));
    assert_eq!((tier, code), (3, 0), "{v:?}");
    assert_eq!(
        v,
        [(
            "policy-change".to_string(),
            "tests/old.py".to_string(),
            Some(1)
        )]
    );
    commit_all(p, "the old fixture's key is a fake");

    let other = ["AKIA", "Z7QXJ4N2WV3LKP5T"].concat();
    let (tier, code, v) =
        stage_and_check(format!("KEY = '{t}'  # tiergate:accept\nNEW = '{other}'\n"));
    assert_eq!((tier, code), (1, 1), "{v:?}");
    assert!(v.iter().any(|v| v.0 == "violation"), "{v:?}");
}
