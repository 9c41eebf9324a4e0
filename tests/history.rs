//! `tiergate history`: credentials in the blobs of real git histories built in
//! temporary directories. Credentials are assembled from parts at run time, so this
//! file holds none (tiergate's own scan of its repository finds nothing here).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

/// A live Stripe key: random-looking, made up for these tests.
fn live_key() -> String {
    format!("sk_{}_{}", "live", "pLIix6MEOLeMa61EqJomTEI1")
}

/// Another one.
fn other_key() -> String {
    format!("rk_{}_{}", "live", "Qw7eRt9yUi2oPa4sDf6gHj8k")
}

/// A Stripe test-mode key: low confidence, tier 2.
fn test_key() -> String {
    format!("sk_{}_{}", "test", "Zx3cVb5nMq1wEr7tYu9iOp2a")
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Run git in `dir` at day `day` of January 2026 (commit ids are stable, and each
/// commit is younger than the one before).
fn git_at(dir: &Path, day: u32, args: &[&str]) -> String {
    let date = format!("2026-01-{day:02}T00:00:00Z");
    let out = isolated_git(Command::new("git").args(args).current_dir(dir))
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Commit everything at day `day`; the new commit's id.
fn commit_all(dir: &Path, day: u32, message: &str) -> String {
    git_at(dir, day, &["add", "-A"]);
    git_at(dir, day, &["commit", "-q", "--allow-empty", "-m", message]);
    git_at(dir, day, &["rev-parse", "HEAD"]).trim().to_string()
}

fn init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
}

/// `history --format json` in `dir` with `args`: exit code, document, stderr.
fn history_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["history", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    (r.code, json(&r.stdout), r.stderr)
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings")
}

/// (path, rule, commit, live) of each finding.
fn summary(doc: &Value) -> Vec<(String, String, String, bool)> {
    findings(doc)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["commit"].as_str().unwrap_or("").to_string(),
                f["live"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The commits whose trees were read, from the summary on standard error.
fn commits_read(stderr: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("tiergate: history:") && l.contains(" read)"))
        .unwrap_or_else(|| panic!("no summary: {stderr}"));
    let at = line.find(" read)").unwrap();
    line[..at].rsplit('(').next().unwrap().parse().unwrap()
}

/// The blobs scanned and pairs from the cache, from the summary on standard error.
fn scanned(stderr: &str) -> (u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("tiergate: history:") && l.contains("scanned"))
        .unwrap_or_else(|| panic!("no summary: {stderr}"));
    let number_before = |word: &str| -> u64 {
        let at = line.find(word).unwrap();
        line[..at]
            .split_whitespace()
            .last()
            .unwrap()
            .parse()
            .unwrap()
    };
    (
        number_before(" blobs scanned"),
        number_before(" pairs from the cache"),
    )
}

/// Every window of `window` characters of `secret`'s random part: none may appear in
/// any output.
fn assert_no_part_of(secret: &str, text: &str) {
    let body = secret.rsplit('_').next().unwrap();
    for i in 0..=body.len() - 8 {
        let part = &body[i..i + 8];
        assert!(!text.contains(part), "`{part}` of a secret in:\n{text}");
    }
    assert!(!text.contains(secret));
}

/// main: a README; a live key in config/pay.env; an unrelated change; the key deleted.
fn added_then_deleted() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "README.md", "# App\n");
    let c1 = commit_all(p, 1, "readme");
    write(
        p,
        "config/pay.env",
        &format!("# payments\nSTRIPE_KEY={}\n", live_key()),
    );
    let c2 = commit_all(p, 2, "payments");
    write(p, "README.md", "# App\n\nPays.\n");
    let c3 = commit_all(p, 3, "docs");
    std::fs::remove_file(p.join("config/pay.env")).unwrap();
    let c4 = commit_all(p, 4, "oops, remove the key");
    (dir, vec![c1, c2, c3, c4])
}

#[test]
fn a_credential_added_then_deleted_is_found_at_the_commit_that_added_it() {
    let (dir, commits) = added_then_deleted();
    let p = dir.path();
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["failed"], true);
    assert_eq!(doc["commits"], 4);
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{doc:#}");
    let f = &f[0];
    assert_eq!(f["path"], "config/pay.env");
    assert_eq!(f["commit"], commits[1].as_str());
    assert_eq!(f["date"], "2026-01-02T00:00:00Z");
    assert_eq!(f["rule"], "secret.stripe_key");
    assert_eq!(f["title"], "a Stripe secret or restricted key");
    assert_eq!(f["line"], 2);
    assert_eq!(f["live"], true);
    assert_eq!(f["tier"], 1);
    assert_eq!(f["policy_rule"], "service-token");
    assert_eq!(f["other_commits"], 0);
    assert_eq!(f["other_paths"], 0);
    let action = f["action"].as_str().unwrap();
    assert!(action.contains("Rotate a Stripe secret"), "{action}");
    assert!(action.contains("does not un-leak it"), "{action}");
    // The work tree holds no key: a scan finds nothing to say about it.
    assert!(!p.join("config/pay.env").exists());

    let text = run(p, &["history"]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains("secret.stripe_key  config/pay.env:2"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains(&format!("introduced by {}", &commits[1][..12])),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("1 live credential in the history: rotate it"),
        "{}",
        text.stdout
    );
}

#[test]
fn no_output_holds_the_secret_or_any_part_of_it() {
    let (dir, _) = added_then_deleted();
    let p = dir.path();
    write(p, "tests/pay_test.rb", &format!("key = '{}'\n", test_key()));
    commit_all(p, 5, "a test key");
    for format in ["text", "json", "sarif"] {
        let r = run(p, &["history", "--no-cache", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.contains("secret.stripe_key"), "{}", r.stdout);
        for key in [live_key(), test_key()] {
            assert_no_part_of(&key, &r.stdout);
            assert_no_part_of(&key, &r.stderr);
        }
        // Written to a file, the same.
        let out = p.join(format!("history.{format}"));
        let r = run(
            p,
            &[
                "-v",
                "history",
                "--format",
                format,
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1);
        let written = std::fs::read_to_string(&out).unwrap();
        assert!(written.contains("secret.stripe_key"));
        for key in [live_key(), test_key()] {
            assert_no_part_of(&key, &written);
            assert_no_part_of(&key, &r.stderr);
        }
    }
    // Nor does the cache: it holds hashes of lines, never their text.
    let git_dir = p.join(".git/tiergate/history.cache");
    let cache = String::from_utf8_lossy(&std::fs::read(git_dir).unwrap()).into_owned();
    for key in [live_key(), test_key()] {
        assert_no_part_of(&key, &cache);
    }
}

#[test]
fn a_test_key_is_reported_but_does_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "pay.rb", &format!("Stripe.api_key = '{}'\n", test_key()));
    let c1 = commit_all(p, 1, "test mode");
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["failed"], false);
    assert_eq!(
        summary(&doc),
        vec![("pay.rb".into(), "secret.stripe_key".into(), c1, false)]
    );
    let f = &findings(&doc)[0];
    assert_eq!(f["tier"], 2);
    assert_eq!(f["confidence"], "low");
    assert_eq!(f["policy_rule"], "low-confidence-secret");
    // As a scan of the same file says: tier 2, for the same reason.
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "pay.rb"), 2);
    let text = run(p, &["history"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("note   secret.stripe_key  pay.rb:1"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("no live credential in the history; 1 finding not live"),
        "{}",
        text.stdout
    );
}

#[test]
fn documentation_examples_and_placeholders_are_not_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(
        p,
        "README.md",
        &format!(
            "Set `STRIPE_KEY=sk_{}_{}`.\n\nAWS_ACCESS_KEY_ID=AKIA{}\npassword: changeme\n",
            "live", "xxxxxxxxxxxxxxxxxxxxxxxx", "IOSFODNN7EXAMPLE"
        ),
    );
    commit_all(p, 1, "docs");
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(findings(&doc).is_empty(), "{doc:#}");
}

#[test]
fn since_limits_the_history_to_what_a_branch_adds() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "a.env", &format!("KEY={}\n", live_key()));
    let c1 = commit_all(p, 1, "main's key");
    git(p, &["checkout", "-q", "-b", "feature"]);
    write(p, "b.env", &format!("KEY={}\n", other_key()));
    let c2 = commit_all(p, 2, "the feature's key");
    git(p, &["checkout", "-q", "main"]);

    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&doc),
        vec![
            ("a.env".into(), "secret.stripe_key".into(), c1, true),
            ("b.env".into(), "secret.stripe_key".into(), c2.clone(), true),
        ],
        "every branch is read, not only the one checked out"
    );
    let (code, doc, _) = history_json(p, &["--since", "main"]);
    assert_eq!(code, 1);
    assert_eq!(doc["since"], "main");
    assert_eq!(doc["commits"], 1);
    assert_eq!(
        summary(&doc),
        vec![("b.env".into(), "secret.stripe_key".into(), c2, true)]
    );
    let (code, doc, _) = history_json(p, &["--since", "feature"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["commits"], 0);
    assert!(findings(&doc).is_empty());

    let r = run(p, &["history", "--since", "no-such-ref"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("tiergate: error: --since no-such-ref:"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_second_run_scans_no_blob_and_new_rules_scan_again() {
    let dir = fixture("user-rules-secrets");
    let p = dir.path();
    // A placeholder the repository's rule file knows (`acmelocal2024`), and a key.
    write(
        p,
        "deploy/app.yaml",
        &format!("database:\n  password: {}{}\n", "AcmeLocal", "2024"),
    );
    write(p, "pay.env", &format!("KEY={}\n", live_key()));
    init(p);
    commit_all(p, 1, "base");
    let (code, first, err) = history_json(p, &[]);
    assert_eq!(code, 1);
    let (blobs, cached) = scanned(&err);
    assert!(blobs > 0);
    assert_eq!(cached, 0);
    assert_eq!(
        summary(&first)
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>(),
        ["pay.env"]
    );

    let (code, second, err) = history_json(p, &[]);
    assert_eq!(code, 1);
    assert_eq!(scanned(&err), (0, blobs), "{err}");
    assert_eq!(
        commits_read(&err),
        0,
        "what commits introduce is kept too: {err}"
    );
    assert_eq!(first, second, "the report does not depend on the cache");

    // A new commit: only its blob is read.
    write(p, "notes.txt", "nothing here\n");
    commit_all(p, 2, "notes");
    let (_, _, err) = history_json(p, &[]);
    assert_eq!(scanned(&err), (1, blobs), "{err}");
    assert_eq!(commits_read(&err), 1, "{err}");

    // The rules change (the repository's rule file goes): what was judged with them is
    // judged again, and the placeholder is a password now.
    std::fs::remove_dir_all(p.join(".tiergate")).unwrap();
    let (code, doc, err) = history_json(p, &[]);
    assert_eq!(code, 1);
    assert_eq!(scanned(&err).1, 0, "{err}");
    assert_eq!(
        summary(&doc)
            .iter()
            .map(|f| (f.0.as_str(), f.1.as_str()))
            .collect::<Vec<_>>(),
        [
            ("deploy/app.yaml", "secret.password_assignment"),
            ("pay.env", "secret.stripe_key")
        ]
    );
    let (_, _, err) = history_json(p, &[]);
    assert_eq!(scanned(&err).0, 0, "{err}");

    // --no-cache reads everything again.
    let (_, again, err) = history_json(p, &["--no-cache"]);
    assert_eq!(scanned(&err).1, 0, "{err}");
    assert_eq!(commits_read(&err), 2, "{err}");
    assert_eq!(again, doc);
}

#[test]
fn an_accepted_finding_is_not_reported_from_the_history_either() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "fixtures/pay.env", &format!("KEY={}\n", live_key()));
    commit_all(p, 1, "a fixture");
    let (code, _, _) = history_json(p, &[]);
    assert_eq!(code, 1);
    let r = run(
        p,
        &[
            "accept",
            "fixtures/pay.env",
            "--reason",
            "a revoked key kept as a fixture",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(findings(&doc).is_empty(), "{doc:#}");
}

#[test]
fn versions_copies_and_renames_of_one_credential_are_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "pay.env", &format!("KEY={}\n", live_key()));
    let c1 = commit_all(p, 1, "key");
    // Another version of the file still holding it.
    write(p, "pay.env", &format!("# payments\nKEY={}\n", live_key()));
    commit_all(p, 2, "comment");
    // Renamed.
    git(p, &["mv", "pay.env", "config.env"]);
    commit_all(p, 3, "rename");
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&doc),
        vec![("pay.env".into(), "secret.stripe_key".into(), c1, true)],
        "{doc:#}"
    );
    let f = &findings(&doc)[0];
    assert_eq!(f["line"], 1);
    assert_eq!(f["other_commits"], 2, "{f:#}");
    assert_eq!(f["other_paths"], 1, "{f:#}");
    // A second key in the file is another credential, from the commit that added it.
    write(
        p,
        "config.env",
        &format!("# payments\nKEY={}\nOTHER={}\n", live_key(), other_key()),
    );
    commit_all(p, 4, "second key");
    let (_, doc, _) = history_json(p, &[]);
    assert_eq!(findings(&doc).len(), 2, "{doc:#}");
}

#[test]
fn two_keys_under_the_same_armor_line_are_two_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    let key = private_key();
    let body = key.lines().nth(1).unwrap();
    let reversed: String = body.chars().rev().collect();
    write(p, "certs/a.key", &key);
    write(p, "certs/b.key", &key.replace(body, &reversed));
    // The same key again elsewhere is the same credential.
    write(p, "backup/a.key", &key);
    commit_all(p, 1, "keys");
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1);
    let found: Vec<(String, u64)> = findings(&doc)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["other_paths"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("backup/a.key".to_string(), 1),
            ("certs/b.key".to_string(), 0)
        ],
        "{doc:#}"
    );
}

#[test]
fn merges_introduce_only_what_neither_side_had() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "app.py", "print('hi')\n");
    commit_all(p, 1, "base");
    git(p, &["checkout", "-q", "-b", "side"]);
    write(p, "side.env", &format!("KEY={}\n", live_key()));
    let side = commit_all(p, 2, "side's key");
    git(p, &["checkout", "-q", "main"]);
    write(p, "main.txt", "main\n");
    commit_all(p, 3, "main moves on");
    // The merge brings side.env (introduced by `side`, not by the merge) and adds a
    // key of its own while resolving (an evil merge).
    git_at(p, 4, &["merge", "-q", "--no-commit", "--no-ff", "side"]);
    write(p, "merge.env", &format!("KEY={}\n", other_key()));
    let merge = commit_all(p, 4, "merge side");
    git(p, &["branch", "-D", "side"]);
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&doc),
        vec![
            ("merge.env".into(), "secret.stripe_key".into(), merge, true),
            ("side.env".into(), "secret.stripe_key".into(), side, true),
        ],
        "{doc:#}"
    );
    assert_eq!(
        findings(&doc)[1]["other_commits"],
        0,
        "the merge does not introduce it"
    );
}

#[test]
fn binary_and_large_blobs_are_judged_as_the_scan_judges_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    // A small content limit: the key lies past it.
    write(
        p,
        "tiergate.yaml",
        "limits:\n  max_content_bytes: 4096\n  binary_sniff_bytes: 1024\n",
    );
    let large = format!("{}KEY={}\n", "# padding\n".repeat(1000), live_key());
    write(p, "large.env", &large);
    let mut binary = vec![0u8; 64];
    binary.extend_from_slice(format!("\nKEY={}\n", other_key()).as_bytes());
    std::fs::write(p.join("blob.bin"), &binary).unwrap();
    commit_all(p, 1, "large and binary");
    let m = scan_manifest(p, &[]);
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1);
    let live: Vec<&str> = findings(&doc)
        .iter()
        .filter(|f| f["live"] == true)
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for path in ["blob.bin", "large.env"] {
        assert_eq!(
            tier_of(&m, path) == 1,
            live.contains(&path),
            "{path}: the scan and the history agree ({doc:#})"
        );
    }
    assert!(live.contains(&"large.env"), "{doc:#}");
    let large_finding = findings(&doc)
        .iter()
        .find(|f| f["path"] == "large.env")
        .unwrap();
    assert_eq!(large_finding["line"], 1001);
}

#[test]
fn links_and_submodules_have_no_content_to_scan() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "a.txt", "a\n");
    git(p, &["add", "a.txt"]);
    // A gitlink, as a submodule's entry, naming a commit of another repository.
    git(
        p,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            "160000,1111111111111111111111111111111111111111,vendor/sub",
        ],
    );
    // A link whose target text looks like a key.
    std::os::unix::fs::symlink(format!("KEY={}", live_key()), p.join("link")).unwrap();
    git(p, &["add", "link"]);
    git_at(p, 1, &["commit", "-q", "-m", "links"]);
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(findings(&doc).is_empty(), "{doc:#}");
    assert_eq!(doc["blobs"], 1);
}

#[test]
fn a_repository_without_commits_has_no_history() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    write(p, "pay.env", &format!("KEY={}\n", live_key()));
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["commits"], 0);
    assert!(findings(&doc).is_empty());
    let r = run(p, &["history"]);
    assert!(r.stdout.contains("history of 0 commits"), "{}", r.stdout);
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["history"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);
}

#[test]
fn a_shallow_clone_reads_what_it_has() {
    let (origin, commits) = added_then_deleted();
    let o = origin.path();
    // The key is still there at the third commit; a clone of depth 1 from it has not
    // the commit that added it.
    git(o, &["checkout", "-q", "-b", "keep", &commits[2]]);
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", o.display());
    git(
        clones.path(),
        &["clone", "-q", "--depth", "1", "--branch", "keep", &url, "c"],
    );
    let c = clones.path().join("c");
    let (code, doc, _) = history_json(&c, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["shallow"], true);
    assert_eq!(doc["commits"], 1);
    let finding = |commit: &str| {
        vec![(
            "config/pay.env".to_string(),
            "secret.stripe_key".to_string(),
            commit.to_string(),
            true,
        )]
    };
    assert_eq!(
        summary(&doc),
        finding(&commits[2]),
        "the oldest commit read"
    );
    let r = run(&c, &["history"]);
    assert!(r.stdout.contains("note: a shallow clone"), "{}", r.stdout);
    // The rest fetched: the commit that added it, although the boundary's answer was
    // cached.
    git(&c, &["fetch", "-q", "--unshallow"]);
    let (code, doc, err) = history_json(&c, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["shallow"], false);
    assert_eq!(doc["commits"], 3);
    assert_eq!(summary(&doc), finding(&commits[1]), "{err}");
    assert_eq!(
        findings(&doc)[0]["other_commits"],
        0,
        "the third commit does not introduce it: {doc:#}"
    );
}

/// The path of a loose object in `git_dir`.
fn loose(git_dir: &Path, id: &str) -> std::path::PathBuf {
    git_dir.join("objects").join(&id[..2]).join(&id[2..])
}

#[test]
fn an_object_that_cannot_be_read_fails_closed() {
    let (dir, commits) = added_then_deleted();
    let p = dir.path();
    let blob = git(p, &["rev-parse", &format!("{}:config/pay.env", commits[1])]);
    std::fs::remove_file(loose(&p.join(".git"), blob.trim())).unwrap();
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{doc:#}");
    assert_eq!(f[0]["rule"], "read-error");
    assert_eq!(f[0]["path"], "config/pay.env");
    assert_eq!(f[0]["commit"], commits[1].as_str());
    assert_eq!(f[0]["blob"], blob.trim());
    assert_eq!(f[0]["live"], true);
    // Not cached: the next run tries again.
    let (code, _, err) = history_json(p, &[]);
    assert_eq!(code, 1);
    assert_eq!(scanned(&err).0, 1, "{err}");

    // A tree that cannot be read: what is under it is an error too.
    let (dir, commits) = added_then_deleted();
    let p = dir.path();
    let tree = git(p, &["rev-parse", &format!("{}:config", commits[1])]);
    std::fs::remove_file(loose(&p.join(".git"), tree.trim())).unwrap();
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    let errors: Vec<&Value> = findings(&doc)
        .iter()
        .filter(|f| f["rule"] == "read-error")
        .collect();
    assert!(!errors.is_empty(), "{doc:#}");
    assert!(errors.iter().all(|f| f["path"] == "config"), "{doc:#}");
    let text = run(p, &["history"]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("cannot be read"), "{}", text.stdout);

    // A blob whose stored bytes are not an object (a disk error, an interrupted copy).
    let (dir, commits) = added_then_deleted();
    let p = dir.path();
    let blob = git(p, &["rev-parse", &format!("{}:config/pay.env", commits[1])]);
    let file = loose(&p.join(".git"), blob.trim());
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&file, perms).unwrap();
    std::fs::write(&file, b"not a zlib stream at all").unwrap();
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(
        summary(&doc),
        vec![(
            "config/pay.env".into(),
            "read-error".into(),
            commits[1].clone(),
            true
        )]
    );

    // A ref to a commit that is not there: whatever it reaches was not read.
    let (dir, _) = added_then_deleted();
    let p = dir.path();
    write(
        p,
        ".git/refs/heads/broken",
        "1234567890123456789012345678901234567890\n",
    );
    let (code, doc, _) = history_json(p, &[]);
    assert_eq!(code, 1, "{doc:#}");
    let broken = findings(&doc)
        .iter()
        .find(|f| f["rule"] == "read-error")
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert!(
        broken["action"]
            .as_str()
            .unwrap()
            .contains("ref refs/heads/broken cannot be resolved"),
        "{broken:#}"
    );
    // The rest of the history is read all the same.
    assert!(
        findings(&doc)
            .iter()
            .any(|f| f["rule"] == "secret.stripe_key"),
        "{doc:#}"
    );
}

#[test]
fn a_bare_repository_is_read_too() {
    let (origin, commits) = added_then_deleted();
    let bare = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(bare.path(), &["clone", "-q", "--bare", &url, "b.git"]);
    let b = bare.path().join("b.git");
    let (code, doc, _) = history_json(bare.path(), &["b.git"]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(
        summary(&doc),
        vec![(
            "config/pay.env".into(),
            "secret.stripe_key".into(),
            commits[1].clone(),
            true
        )]
    );
    assert!(b.join("tiergate/history.cache").exists());
}

/// Stable commit ids: the snapshots name them.
fn snapshot_repo() -> tempfile::TempDir {
    let (dir, _) = added_then_deleted();
    let p = dir.path();
    write(p, "tests/pay_test.rb", &format!("key = '{}'\n", test_key()));
    commit_all(p, 5, "a test key");
    dir
}

#[test]
fn json_snapshot() {
    let dir = snapshot_repo();
    let (_, doc, _) = history_json(dir.path(), &[]);
    insta::assert_json_snapshot!("history_json", doc);
}

#[test]
fn sarif_snapshot() {
    let dir = snapshot_repo();
    let r = run(dir.path(), &["history", "--format", "sarif"]);
    assert_eq!(r.code, 1);
    let mut doc = json(&r.stdout);
    doc["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("history_sarif", doc);
}

#[test]
fn the_output_does_not_depend_on_threads_or_cache() {
    let dir = snapshot_repo();
    let p = dir.path();
    let one = run(
        p,
        &[
            "--threads",
            "1",
            "history",
            "--format",
            "json",
            "--no-cache",
        ],
    );
    let many = run(
        p,
        &[
            "--threads",
            "4",
            "history",
            "--format",
            "json",
            "--no-cache",
        ],
    );
    let cached = run(p, &["--threads", "3", "history", "--format", "json"]);
    assert_eq!(one.stdout, many.stdout);
    assert_eq!(one.stdout, cached.stdout);
}

#[test]
fn from_a_subdirectory_the_whole_repository_is_judged_with_its_rules() {
    let (dir, _) = added_then_deleted();
    let p = dir.path();
    // The top's config (a zone over `config/`) judges, wherever the command runs.
    write(p, "tiergate.yaml", "zones:\n  tests: [\"config/**\"]\n");
    std::fs::create_dir_all(p.join("sub/deeper")).unwrap();
    let top = run(p, &["history", "--format", "json"]);
    let below = run(&p.join("sub/deeper"), &["history", "--format", "json"]);
    assert_eq!(top.code, 1, "{}", top.stderr);
    assert_eq!(top.stdout, below.stdout);
    let named = run(
        p.parent().unwrap(),
        &["history", "--format", "json", p.to_str().unwrap()],
    );
    assert_eq!(top.stdout, named.stdout, "{}", named.stderr);
}
