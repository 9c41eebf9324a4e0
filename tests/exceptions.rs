//! Reviewed exceptions (`tiergate.exceptions.yaml`) on real git repositories built from
//! `fixtures/exceptions`: applied with provenance, located errors, expiry, blob binding,
//! the gate's verdicts and `tiergate exceptions list|expiring`. Every run names the day
//! with `--today`, so no test depends on the clock.

mod common;

use std::path::Path;

use common::{codes_of, fixture, git, json, run, tier_of};

const TODAY: &str = "2026-12-01";

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn scan(p: &Path, today: &str) -> serde_json::Value {
    let r = run(p, &["scan", "--today", today]);
    assert_eq!(r.code, 0, "scan failed: {}", r.stderr);
    json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap())
}

/// The fixture as a repository on `main` with a committed manifest.
fn repo() -> tempfile::TempDir {
    let dir = fixture("exceptions");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    scan(p, TODAY);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    dir
}

/// `check` with JSON output on `today`: (exit code, (code, path, fails) of each verdict).
fn check(p: &Path, today: &str, args: &[&str]) -> (i32, Vec<(String, String, bool)>, String) {
    let mut all = vec!["check", "--format", "json", "--today", today];
    all.extend_from_slice(args);
    let r = run(p, &all);
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    let report = json(&r.stdout);
    let v = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_string(),
                v["path"].as_str().unwrap_or("").to_string(),
                v["fails"].as_bool().unwrap(),
            )
        })
        .collect();
    (r.code, v, r.stdout)
}

#[test]
fn the_issue_example_works_as_written_and_is_recorded_with_provenance() {
    let dir = repo();
    let p = dir.path();
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    assert_eq!(tier_of(&m, "docs/public-faq.md"), 4);
    let reason = &m["files"]["docs/public-faq.md"]["reasons"][0];
    assert_eq!(reason["code"], "exception");
    assert_eq!(reason["rule"], "EXC-7");
    assert_eq!(reason["source"], "tiergate.exceptions.yaml:2");
    assert!(
        reason["message"]
            .as_str()
            .unwrap()
            .contains("legal@example.com"),
        "{reason}"
    );
    // Without the exception the page would be the default tier 3.
    assert_eq!(tier_of(&m, "docs/guide.md"), 3);
    assert_eq!(m["exceptions"][0]["id"], "EXC-7");
    assert_eq!(m["exceptions"][0]["expires"], "2027-05-01");
    assert!(
        m["provenance"]["exceptions"]["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    // Route answers from it: the page may now reach the public cloud.
    let r = run(p, &["route", "docs/public-faq.md", "--to", "cloud"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Nothing on the clean tree fails the gate.
    let (code, v, out) = check(p, TODAY, &["--staged"]);
    assert_eq!(code, 0, "{out}");
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn every_invalid_entry_is_reported_with_its_location() {
    let dir = fixture("exceptions");
    let p = dir.path();
    write(
        p,
        "tiergate.exceptions.yaml",
        "exceptions:
  - id: EXC-1
    paths: [\"docs/[\"]
    tier: 9
    reason: Bad glob and tier
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2027-02-30
  - id: EXC-1
    paths: [\"docs/a.md\"]
    tier: 4
    reason: \"\"
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2026-10-01
    blob: not-a-hash
    owner: me
  - id: \"bad id\"
    tier: 4
",
    );
    let r = run(p, &["scan", "--today", TODAY]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for want in [
        "tiergate.exceptions.yaml:3:13: error[invalid-glob]",
        "tiergate.exceptions.yaml:4:11: error[unknown-tier]",
        "tiergate.exceptions.yaml:8:14: error[invalid-value]: `2027-02-30` is not a date",
        "tiergate.exceptions.yaml:9:9: error[duplicate-id]: exception id `EXC-1` is already used at line 2",
        "tiergate.exceptions.yaml:12:13: error[invalid-value]: the reason is empty",
        "tiergate.exceptions.yaml:15:14: error[invalid-value]: the exception expires (2026-10-01) on or before it was approved (2026-11-01)",
        "tiergate.exceptions.yaml:16:11: error[invalid-value]: `not-a-hash` is not a git blob id",
        "tiergate.exceptions.yaml:17:5: error[unknown-key]",
        "tiergate.exceptions.yaml:18:5: error[missing-key]",
        "tiergate.exceptions.yaml:18:9: error[invalid-name]",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing {want:?} in:\n{}",
            r.stderr
        );
    }
    assert!(
        !p.join("tiergate.manifest.json").exists(),
        "nothing is written"
    );
    // Broken YAML is located too.
    write(p, "tiergate.exceptions.yaml", "exceptions:\n  - id: [\n");
    let r = run(p, &["exceptions", "list"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("tiergate.exceptions.yaml:"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_expired_exception_no_longer_applies_and_fails_the_gate_until_renewed() {
    let dir = repo();
    let p = dir.path();
    let later = "2027-05-01";
    // On the expiry day the page is back at its own tier...
    let m = scan(p, later);
    assert_eq!(tier_of(&m, "docs/public-faq.md"), 3);
    assert!(codes_of(&m, "docs/public-faq.md").contains(&"exception-expired".to_string()));
    git(p, &["checkout", "-q", "tiergate.manifest.json"]);
    // ...and the gate fails, pointing at the entry.
    let (code, v, out) = check(p, later, &["--staged"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        v.contains(&(
            "exception-expired".into(),
            "tiergate.exceptions.yaml".into(),
            true
        )),
        "{v:?}"
    );
    assert!(out.contains("\"line\": 2"), "{out}");
    // Renewing it lowers the page again, so it lands in two steps. A branch that
    // renews it with the manifest as the rules in force give it (expired) passes: the
    // renewal is a policy change for review.
    git(p, &["checkout", "-q", "-b", "renew"]);
    scan(p, later);
    let text = std::fs::read_to_string(p.join("tiergate.exceptions.yaml"))
        .unwrap()
        .replace("expires: 2027-05-01", "expires: 2027-11-01");
    write(p, "tiergate.exceptions.yaml", &text);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "renew EXC-7"]);
    let (code, v, out) = check(p, later, &["--base", "main"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        v.contains(&(
            "policy-change".into(),
            "tiergate.exceptions.yaml".into(),
            false
        )),
        "{v:?}"
    );
    // Rescanned in the same change, the renewal would lower the page through the
    // change's own rules: that fails.
    git(p, &["checkout", "-q", "-b", "renew-and-rescan"]);
    scan(p, later);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "rescan"]);
    let (code, v, out) = check(p, later, &["--base", "main"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        v.contains(&("tier-lowered".into(), "docs/public-faq.md".into(), true)),
        "{v:?}"
    );
    // Once the renewal has landed, the rescan is judged by it and passes.
    git(p, &["checkout", "-q", "main"]);
    git(p, &["merge", "-q", "--ff-only", "renew"]);
    git(p, &["checkout", "-q", "renew-and-rescan"]);
    let (code, _, out) = check(p, later, &["--base", "main"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_blob_bound_exception_follows_the_content() {
    let dir = fixture("exceptions");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    let blob = git(p, &["hash-object", "docs/guide.md"]).trim().to_string();
    write(
        p,
        "tiergate.exceptions.yaml",
        &format!(
            "exceptions:
  - id: EXC-9
    paths: [\"docs/guide.md\"]
    tier: 4
    reason: Reviewed text
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2027-05-01
    blob: {blob}
"
        ),
    );
    git(p, &["add", "-A"]);
    let m = scan(p, TODAY);
    assert_eq!(tier_of(&m, "docs/guide.md"), 4);
    assert_eq!(m["exceptions"][0]["blob"], blob.as_str());
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    // New content: the exception no longer applies, and the gate says why.
    write(
        p,
        "docs/guide.md",
        "# Guide\n\nNow with internal hostnames.\n",
    );
    git(p, &["add", "-A"]);
    let m = scan(p, TODAY);
    assert_eq!(tier_of(&m, "docs/guide.md"), 3);
    assert!(codes_of(&m, "docs/guide.md").contains(&"exception-mismatch".to_string()));
    git(p, &["add", "-A"]);
    let (code, v, out) = check(p, TODAY, &["--staged"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        v.contains(&("exception-mismatch".into(), "docs/guide.md".into(), true)),
        "{v:?}"
    );
}

#[test]
fn an_exception_a_pull_request_adds_is_reviewed_but_moving_content_under_one_fails() {
    let dir = repo();
    let p = dir.path();
    // A pull request that waives docs/guide.md and rescans: the change carries the
    // exception that lowers its own manifest, which fails.
    git(p, &["checkout", "-q", "-b", "waive"]);
    let text = std::fs::read_to_string(p.join("tiergate.exceptions.yaml")).unwrap()
        + "  - id: EXC-8
    paths: [\"docs/guide.md\", \"docs/public/**\"]
    tier: 4
    reason: Published
    approver: legal@example.com
    approved: 2026-11-20
    expires: 2027-05-01
";
    write(p, "tiergate.exceptions.yaml", &text);
    scan(p, TODAY);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "waive the guide"]);
    let (code, v, out) = check(p, TODAY, &["--base", "main"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        v.contains(&("tier-lowered".into(), "docs/guide.md".into(), true)),
        "{v:?}"
    );
    // The exception alone, the manifest left as the base's rules give it: reviewed as a
    // policy change, and it passes.
    git(p, &["checkout", "-q", "main"]);
    git(p, &["checkout", "-q", "-b", "waive-first"]);
    write(p, "tiergate.exceptions.yaml", &text);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "waive the guide, first step"]);
    let (code, v, out) = check(p, TODAY, &["--base", "main"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        v.contains(&(
            "policy-change".into(),
            "tiergate.exceptions.yaml".into(),
            false
        )),
        "{v:?}"
    );
    // Landed, the rescan follows the base's rules: the lowering is reported, not failed.
    git(p, &["checkout", "-q", "main"]);
    git(p, &["merge", "-q", "--ff-only", "waive-first"]);
    git(p, &["checkout", "-q", "-b", "waive-rescan"]);
    scan(p, TODAY);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "rescan"]);
    let (code, _, out) = check(p, TODAY, &["--base", "main"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"lowered\""), "{out}");
    git(p, &["checkout", "-q", "main"]);
    git(p, &["merge", "-q", "--ff-only", "waive-rescan"]);
    // Moving tier-1 content into a waived place is still a lowering that fails: the
    // exception approved the page, not what is moved there.
    std::fs::create_dir_all(p.join("docs/public")).unwrap();
    git(p, &["mv", "hr/payroll.csv", "docs/public/payroll.csv"]);
    scan(p, TODAY);
    git(p, &["add", "-A"]);
    let (code, v, out) = check(p, TODAY, &["--staged"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        v.contains(&(
            "tier-lowered".into(),
            "docs/public/payroll.csv".into(),
            true
        )),
        "{v:?}"
    );
}

#[test]
fn list_and_expiring_show_status_and_days() {
    let dir = fixture("exceptions");
    let p = dir.path();
    let text = std::fs::read_to_string(p.join("tiergate.exceptions.yaml")).unwrap()
        + "  - id: EXC-2
    paths: [\"hr/old.csv\"]
    tier: 2
    reason: Migration copy
    approver: dpo@example.com
    approved: 2026-06-01
    expires: 2026-11-15
  - id: EXC-3
    paths: [\"docs/launch.md\"]
    tier: 4
    reason: Launch page
    approver: legal@example.com
    approved: 2026-12-10
    expires: 2027-01-10
  - id: EXC-4
    paths: [\"docs/terms.md\"]
    tier: 4
    reason: Terms
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2026-12-20
";
    write(p, "tiergate.exceptions.yaml", &text);
    let r = run(
        p,
        &["exceptions", "list", "--format", "json", "--today", TODAY],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = json(&r.stdout);
    let rows: Vec<(&str, &str, i64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap(),
                x["status"].as_str().unwrap(),
                x["days_left"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("EXC-7", "active", 151),
            ("EXC-2", "expired", -16),
            ("EXC-3", "pending", 40),
            ("EXC-4", "active", 19)
        ]
    );
    // Expiring within 30 days: the expired one and EXC-4; exit 1 as a reminder.
    let r = run(
        p,
        &[
            "exceptions",
            "expiring",
            "--within",
            "30d",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("EXC-2") && r.stdout.contains("EXC-4"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("EXC-7") && !r.stdout.contains("EXC-3"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("in 19 days"), "{}", r.stdout);
    // Nothing within a week but the expired one; nothing at all when it is removed.
    let r = run(
        p,
        &[
            "exceptions",
            "expiring",
            "--within",
            "1w",
            "--format",
            "csv",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    let r = run(
        p,
        &[
            "exceptions",
            "expiring",
            "--within",
            "1w",
            "--today",
            "2026-11-01",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.is_empty());
    let r = run(p, &["exceptions", "expiring", "--within", "soon"]);
    assert_eq!(r.code, 2);
}
