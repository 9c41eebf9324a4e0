//! `tiergate check` and `tiergate diff` on real git repositories built from
//! `fixtures/gate`: staged against unstaged edits, new, renamed and deleted files,
//! branches with a merge base, pull requests that weaken the rules or add a key, stale
//! manifests.

mod common;

use std::path::Path;

use common::{check_json as check, fixture, git, json, private_key, run};

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The gate fixture as a repository on `main` with a committed manifest.
fn repo() -> tempfile::TempDir {
    let dir = fixture("gate");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    commit_with_manifest(p, "base");
    dir
}

fn scan(p: &Path) {
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 0, "scan failed: {}", r.stderr);
}

/// (code, path, fails) of every verdict.
fn verdicts(report: &serde_json::Value) -> Vec<(String, String, bool)> {
    common::verdict_rows(report, |v| v["fails"].as_bool().unwrap())
}

fn has(report: &serde_json::Value, code: &str, path: &str) -> bool {
    verdicts(report)
        .iter()
        .any(|(c, p, _)| c == code && p == path)
}

#[test]
fn a_clean_index_passes() {
    let dir = repo();
    let (code, r) = check(dir.path(), &["--staged"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(verdicts(&r).is_empty(), "{r:#}");
    assert_eq!(r["changed_paths"], 0);
}

#[test]
fn the_staged_blob_is_judged_not_the_working_tree() {
    let dir = repo();
    let p = dir.path();
    // A harmless staged change with its manifest...
    write(p, "src/settings.py", "import os\n\nVERSION = \"1.1\"\n");
    scan(p);
    git(p, &["add", "src/settings.py", "tiergate.manifest.json"]);
    // ...and a key written into another file but not staged.
    write(p, "src/app.py", &private_key());
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 0, "the unstaged key must not count: {r:#}");
    // Staged, the key is a violation; the working-tree edit of settings.py after
    // staging would not matter either.
    git(p, &["add", "src/app.py"]);
    write(p, "src/settings.py", &private_key());
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "violation", "src/app.py"), "{r:#}");
    assert!(!has(&r, "violation", "src/settings.py"), "{r:#}");
    let v = &r["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "violation")
        .unwrap();
    assert_eq!(v["rule"], "secret.private_key");
    assert_eq!(v["line"], 1);
    // The report never carries the key itself.
    assert!(!r.to_string().contains("MIIEpAIBAAKCAQEA"));
}

#[test]
fn a_new_file_without_its_manifest_entry_is_stale() {
    let dir = repo();
    let p = dir.path();
    write(p, "hr/bonus.csv", "employee_id,bonus\nE100,100\n");
    git(p, &["add", "hr/bonus.csv"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "stale-manifest", "hr/bonus.csv"), "{r:#}");
    // New tier-1 content is reported, not failed.
    assert!(
        verdicts(&r).contains(&("new-restricted".into(), "hr/bonus.csv".into(), false)),
        "{r:#}"
    );
    // With the manifest regenerated and staged, only the report remains.
    scan(p);
    git(p, &["add", "tiergate.manifest.json"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        verdicts(&r),
        vec![("new-restricted".into(), "hr/bonus.csv".into(), false)]
    );
}

/// A staged link to the repository's root reaches every file, its tier-1 ones too: the
/// gate judges it as the scan does, by the most restrictive file of the whole tree.
#[test]
fn a_new_link_to_the_root_takes_the_tier_of_the_whole_tree() {
    let dir = repo();
    let p = dir.path();
    std::os::unix::fs::symlink("..", p.join("src/up")).unwrap();
    git(p, &["add", "src/up"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    let v = r["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "stale-manifest" && v["path"] == "src/up")
        .unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(v["new_tier"], 1, "{r:#}");
    // The scan agrees.
    scan(p);
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    assert_eq!(
        m["files"]["src/up"]["tier"], 1,
        "{:#}",
        m["files"]["src/up"]
    );
}

#[test]
fn a_rename_out_of_a_restricted_place_is_tier_lowered() {
    let dir = repo();
    let p = dir.path();
    git(p, &["mv", "hr/payroll.csv", "src/payroll.csv"]);
    scan(p);
    git(p, &["add", "tiergate.manifest.json"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    let v = r["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "tier-lowered")
        .unwrap_or_else(|| panic!("no tier-lowered: {r:#}"));
    assert_eq!(v["path"], "src/payroll.csv");
    assert_eq!(v["old_path"], "hr/payroll.csv");
    assert_eq!(
        (v["old_tier"].as_u64(), v["new_tier"].as_u64()),
        (Some(1), Some(3))
    );
    let change = &r["changes"][0];
    assert_eq!(change["status"], "renamed");
    assert_eq!(change["direction"], "lowered");
}

#[test]
fn a_deletion_must_leave_the_manifest_too() {
    let dir = repo();
    let p = dir.path();
    git(p, &["rm", "-q", "src/app.py"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "stale-manifest", "src/app.py"), "{r:#}");
    scan(p);
    git(p, &["add", "tiergate.manifest.json"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["changes"][0]["direction"], "removed");
}

#[test]
fn a_missing_manifest_fails() {
    let dir = fixture("gate");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    write(p, "src/new.py", "x = 1\n");
    git(p, &["add", "src/new.py"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "stale-manifest", "tiergate.manifest.json"), "{r:#}");
}

#[test]
fn a_requirement_of_the_config_is_a_violation() {
    let dir = repo();
    let p = dir.path();
    // A key-store name inside docs/: tier 1 where every file must reach cloud-zdr.
    write(p, "docs/deploy.pem", "placeholder\n");
    git(p, &["add", "-A"]);
    scan(p);
    git(p, &["add", "-A"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    // Only the requirement fails: the manifest is fresh.
    assert!(
        verdicts(&r)
            .iter()
            .all(|(c, _, fails)| c == "violation" || !fails),
        "{r:#}"
    );
    let v = r["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == "violation")
        .unwrap_or_else(|| panic!("no violation: {r:#}"));
    assert_eq!(v["path"], "docs/deploy.pem");
    assert_eq!(v["rule"], "gate.require.docs-cloud-safe");
}

/// `main` with the base commit, and a `feature` branch checked out.
fn branch(p: &Path) {
    git(p, &["checkout", "-q", "-b", "feature"]);
}

fn commit_all(p: &Path, message: &str) {
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", message]);
}

/// Stage everything, regenerate the manifest from what is now tracked, commit both.
fn commit_with_manifest(p: &Path, message: &str) {
    git(p, &["add", "-A"]);
    scan(p);
    commit_all(p, message);
}

#[test]
fn a_pull_request_that_weakens_the_config_is_judged_by_the_base_rules() {
    let dir = repo();
    let p = dir.path();
    branch(p);
    let text = std::fs::read_to_string(p.join("tiergate.yaml")).unwrap();
    write(p, "tiergate.yaml", &text.replace("tier: 1", "tier: 3"));
    commit_with_manifest(p, "weaken hr");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "policy-change", "tiergate.yaml"), "{r:#}");
    assert!(has(&r, "tier-lowered", "hr/payroll.csv"), "{r:#}");
    assert_eq!(r["mode"]["kind"], "range");
    assert!(r["judged_with"].as_str().unwrap().starts_with("main"));
    // The first of two steps: the same PR without the regenerated manifest. Every
    // entry is what the judging (base) rules give, so it passes with the policy change
    // to review.
    let dir = repo();
    let p = dir.path();
    branch(p);
    write(p, "tiergate.yaml", &text.replace("tier: 1", "tier: 3"));
    commit_all(p, "weaken hr, keep the manifest");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(has(&r, "policy-change", "tiergate.yaml"), "{r:#}");
    assert!(
        !has(&r, "stale-manifest", "tiergate.manifest.json"),
        "{r:#}"
    );
    // The second step, once the first has landed: the rescanned manifest follows the
    // rules the base now holds.
    git(p, &["checkout", "-q", "main"]);
    git(p, &["merge", "-q", "--ff-only", "feature"]);
    git(p, &["checkout", "-q", "-b", "rescan"]);
    commit_with_manifest(p, "rescan under the merged rules");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 0, "{r:#}");
    let change = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "hr/payroll.csv")
        .unwrap_or_else(|| panic!("the lowering is reported: {r:#}"));
    assert_eq!(change["direction"], "lowered");
}

#[test]
fn a_pull_request_that_edits_a_policy_is_a_policy_change() {
    let dir = repo();
    let p = dir.path();
    branch(p);
    write(
        p,
        ".tiergate/policies/internal.rego",
        "package tiergate.internal\n\nimport rego.v1\n\nfindings := set()\n",
    );
    commit_with_manifest(p, "drop the core rule");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(
        has(&r, "policy-change", ".tiergate/policies/internal.rego"),
        "{r:#}"
    );
    assert!(has(&r, "tier-lowered", "src/core/pricing.py"), "{r:#}");
}

#[test]
fn a_pull_request_that_adds_a_key_fails_and_main_moving_on_does_not_count() {
    let dir = repo();
    let p = dir.path();
    branch(p);
    write(p, "deploy/service.key.txt", &private_key());
    commit_with_manifest(p, "add a key");
    // main moves on after the branch point; the PR is compared with the merge base.
    git(p, &["checkout", "-q", "main"]);
    write(p, "src/later.py", "y = 2\n");
    commit_with_manifest(p, "later work on main");
    git(p, &["checkout", "-q", "feature"]);
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "violation", "deploy/service.key.txt"), "{r:#}");
    assert!(has(&r, "new-restricted", "deploy/service.key.txt"), "{r:#}");
    assert!(
        !r.to_string().contains("src/later.py"),
        "main's own change is not the PR's: {r:#}"
    );
    assert_eq!(r["changed_paths"], 1, "{r:#}");
    // --head names the tip explicitly.
    git(p, &["checkout", "-q", "main"]);
    let (code, r2) = check(p, &["--base", "main", "--head", "feature"]);
    assert_eq!(code, 1);
    assert_eq!(r2["verdicts"], r["verdicts"]);
}

#[test]
fn a_hand_edited_manifest_entry_is_caught_in_a_pull_request() {
    let dir = repo();
    let p = dir.path();
    branch(p);
    let text = std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("\"hr/payroll.csv\""))
        .unwrap()
        .to_string();
    write(
        p,
        "tiergate.manifest.json",
        &text.replace(&line, &line.replacen("\"tier\":1", "\"tier\":4", 1)),
    );
    commit_all(p, "route payroll to the cloud");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "tier-lowered", "hr/payroll.csv"), "{r:#}");
    assert!(has(&r, "stale-manifest", "hr/payroll.csv"), "{r:#}");
}

#[test]
fn diff_groups_tier_changes_for_a_pull_request_comment() {
    let dir = repo();
    let p = dir.path();
    branch(p);
    git(p, &["mv", "hr/payroll.csv", "src/payroll.csv"]);
    write(p, "hr/new.csv", "employee_id\nE1\n");
    commit_with_manifest(p, "move and add");
    let r = run(p, &["diff", "--base", "main"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("src/payroll.csv"), "{}", r.stdout);
    let lowered = r.stdout.find("Lowered").expect("a Lowered section");
    let added = r.stdout.find("Added").expect("an Added section");
    assert!(lowered < added, "{}", r.stdout);
    let r = run(p, &["diff", "--base", "main", "--format", "json"]);
    let d = json(&r.stdout);
    assert_eq!(d["changes"]["lowered"][0]["path"], "src/payroll.csv");
    assert_eq!(d["changes"]["added"][0]["path"], "hr/new.csv");
}

#[test]
fn report_files_and_formats() {
    let dir = repo();
    let p = dir.path();
    write(p, "src/app.py", &private_key());
    git(p, &["add", "src/app.py"]);
    let r = run(
        p,
        &[
            "check",
            "--staged",
            "--format",
            "github",
            "--sarif",
            "out.sarif",
            "--junit",
            "out.xml",
            "--json",
            "out.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("::error file=src/app.py"), "{}", r.stdout);
    let sarif = json(&std::fs::read_to_string(p.join("out.sarif")).unwrap());
    assert_eq!(sarif["version"], "2.1.0");
    let report = json(&std::fs::read_to_string(p.join("out.json")).unwrap());
    assert_eq!(report["failed"], true);
    assert!(
        std::fs::read_to_string(p.join("out.xml"))
            .unwrap()
            .contains("<testsuites")
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(p, &["check", "--base", "no-such-branch"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-branch"), "{}", r.stderr);
    let outside = tempfile::tempdir().unwrap();
    let r = run(outside.path(), &["check", "--staged"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // A broken config in the change itself is reported with its location.
    branch(p);
    write(p, "tiergate.yaml", "default_tier: 9\n");
    commit_all(p, "broken config");
    let r = run(p, &["check", "--base", "main"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("tiergate.yaml:1:15"), "{}", r.stderr);
}

#[test]
fn a_submodule_change_is_classified_without_reading_its_commit() {
    let dir = repo();
    let p = dir.path();
    let head = git(p, &["rev-parse", "HEAD"]).trim().to_string();
    // A gitlink whose commit lives in another repository.
    git(
        p,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},vendor/lib"),
        ],
    );
    let (_, r) = check(p, &["--staged"]);
    assert_eq!(r["changed_paths"], 1, "{r:#}");
    assert_eq!(r["changes"][0]["path"], "vendor/lib", "{r:#}");
}

#[test]
fn a_staged_config_change_is_judged_with_heads_rules() {
    let dir = repo();
    let p = dir.path();
    let text = std::fs::read_to_string(p.join("tiergate.yaml")).unwrap();
    write(
        p,
        "tiergate.yaml",
        &text.replace("\"hr/**\"", "\"hr/private/**\""),
    );
    git(p, &["add", "-A"]);
    scan(p);
    git(p, &["add", "-A"]);
    let (code, r) = check(p, &["--staged"]);
    assert!(has(&r, "policy-change", "tiergate.yaml"), "{r:#}");
    // The staged manifest follows the staged rules, which lower payroll.csv: HEAD's
    // rules judge, so the lowering fails before it is committed, though the file is
    // not part of the change.
    assert!(
        !has(&r, "stale-manifest", "tiergate.manifest.json"),
        "{r:#}"
    );
    assert!(has(&r, "tier-lowered", "hr/payroll.csv"), "{r:#}");
    assert_eq!(code, 1, "{r:#}");
    // The same change in a pull request: payroll.csv's entry moves from tier 1 to 3
    // without its content changing, through the loosened rule.
    git(p, &["checkout", "-q", "-b", "feature"]);
    git(p, &["commit", "-q", "-m", "narrow the hr rule"]);
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "tier-lowered", "hr/payroll.csv"), "{r:#}");
    let change = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "hr/payroll.csv")
        .unwrap();
    assert_eq!(change["status"], "unchanged");
    let d = run(p, &["diff", "--base", "main", "--format", "json"]);
    assert_eq!(
        json(&d.stdout)["changes"]["lowered"][0]["path"],
        "hr/payroll.csv"
    );
}

#[test]
fn a_config_outside_the_repository_is_read_from_disk_on_both_sides() {
    let dir = repo();
    let p = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let cfg = outside.path().join("pinned.yaml");
    // The CI job's own rules: everything under src/ is tier 1.
    std::fs::write(
        &cfg,
        "default_tier: 3\nrules:\n  - id: src-local\n    globs: [\"src/**\"]\n    tier: 1\n    reason: pinned by CI\n",
    )
    .unwrap();
    branch(p);
    // The PR weakens the repository's own config; the pinned config is unaffected.
    write(p, "tiergate.yaml", "default_tier: 4\n");
    write(p, "src/new.py", "x = 1\n");
    commit_all(p, "change");
    let cfg_arg = cfg.display().to_string();
    let (_, r) = check(p, &["--config", &cfg_arg, "--base", "main"]);
    let added = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "src/new.py")
        .unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(added["new_tier"], 1, "judged with the pinned rules: {r:#}");
    assert!(
        !has(&r, "policy-change", "tiergate.yaml"),
        "the repository's config does not govern this check: {r:#}"
    );
}
