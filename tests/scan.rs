//! `tiergate scan` end to end on fixture repositories: the manifest, its determinism,
//! its schema, git states, symlinks, special files and failing closed.

mod common;

use common::*;

#[test]
fn demo_manifest_snapshot() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let r = run(dir.path(), &["scan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.path().join("tiergate.manifest.json")).unwrap();
    insta::assert_snapshot!("demo_manifest", text);
}

#[test]
fn demo_decisions_with_defaults() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(tier_of(&m, ".env"), 1);
    assert_eq!(codes_of(&m, ".env")[0], "credential-file");
    // A certificate is public material, whatever its file name; the key next to it is
    // a credential file.
    assert_eq!(tier_of(&m, "certs/dev-server.pem"), 3);
    assert_eq!(tier_of(&m, "certs/dev-server.key"), 1);
    // A template of a credential file is not a credential.
    assert_eq!(tier_of(&m, ".env.example"), 3);
    assert_eq!(tier_of(&m, "db/seed.sql"), 2);
    assert_eq!(tier_of(&m, "src/app/main.py"), 3);
    assert_eq!(codes_of(&m, "src/app/main.py"), vec!["default-tier"]);
    assert!(codes_of(&m, "src/app/model.bin").contains(&"content-not-scanned".to_string()));
    assert_eq!(m["files"]["src/app/model.bin"]["kind"], "binary");
    assert_eq!(m["provenance"]["scope"], "tracked");
    assert_eq!(m["provenance"]["config"]["source"], "builtin");
    // Committed, the commit would name the one before and change with every commit.
    assert!(m["provenance"].get("commit").is_none());
    // Every finding names its rule's source.
    let reason = &m["files"][".env"]["reasons"][0];
    assert!(
        reason["source"]
            .as_str()
            .unwrap()
            .starts_with("shipped:policies/baseline.rego:"),
        "{reason}"
    );
}

#[test]
fn same_tree_same_bytes_across_runs_and_thread_counts() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let out = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (i, threads) in ["1", "2", "2", "8"].iter().enumerate() {
        let o = out.path().join(format!("m{i}.json"));
        let r = run(
            dir.path(),
            &["scan", "--threads", threads, "-o", o.to_str().unwrap()],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        outputs.push(std::fs::read(&o).unwrap());
    }
    for o in &outputs[1..] {
        assert_eq!(o, &outputs[0]);
    }
}

#[test]
fn manifest_validates_against_its_schema() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &["--include-untracked"]);
    let schema = run(dir.path(), &["schema", "manifest"]);
    assert_eq!(schema.code, 0);
    let schema = json(&schema.stdout);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&m).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict: an unknown field is refused.
    let mut bad = m.clone();
    bad["files"][".env"]["surprise"] = serde_json::json!(1);
    assert!(!validator.is_valid(&bad));
}

#[test]
fn schema_snapshot() {
    let r = run(&fixtures(), &["schema", "manifest"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("manifest_schema", r.stdout);
}

#[test]
fn yaml_manifest_has_the_same_content() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let j = run(dir.path(), &["scan", "-o", "-"]);
    let y = run(dir.path(), &["scan", "-o", "-", "--format", "yaml"]);
    assert_eq!(j.code, 0);
    assert_eq!(y.code, 0, "{}", y.stderr);
    let from_yaml: serde_json::Value = serde_saphyr::from_str(&y.stdout).unwrap();
    assert_eq!(from_yaml, json(&j.stdout));
}

#[test]
fn git_states_and_scope() {
    let dir = fixture("demo");
    std::fs::write(dir.path().join(".gitignore"), "*.log\nlocal/\n").unwrap();
    git_commit_all(dir.path());
    std::fs::write(dir.path().join("logs/app.log"), "user=alice\n").unwrap();
    std::fs::create_dir(dir.path().join("local")).unwrap();
    std::fs::write(dir.path().join("local/dump.sql"), "INSERT 1;\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "draft\n").unwrap();

    let r = run(dir.path(), &["ls", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ls = json(&r.stdout);
    let rec = |p: &str| {
        ls.as_array()
            .unwrap()
            .iter()
            .find(|x| x["path"] == p)
            .unwrap_or_else(|| panic!("{p} not listed"))
            .clone()
    };
    assert_eq!(rec("logs/app.log")["git"], "ignored");
    assert_eq!(rec("logs/app.log")["tier"], 2);
    assert_eq!(rec("local/dump.sql")["git"], "ignored");
    assert_eq!(rec("local/dump.sql")["tier"], 1);
    assert_eq!(rec("notes.txt")["git"], "untracked");
    assert_eq!(rec("src/app/main.py")["git"], "tracked");
    // `.git` is never walked.
    assert!(!r.stdout.contains("\".git/"));

    // The committed manifest lists what git tracks: the same on every machine.
    let m = scan_manifest(dir.path(), &[]);
    assert!(m["files"].get("notes.txt").is_none());
    assert!(m["files"].get("logs/app.log").is_none());
    assert!(m["files"].get("src/app/main.py").is_some());
    let m = scan_manifest(dir.path(), &["--include-untracked"]);
    assert_eq!(m["provenance"]["scope"], "all");
    assert_eq!(tier_of(&m, "local/dump.sql"), 1);
    assert_eq!(m["files"]["notes.txt"]["git"], "untracked");
}

#[test]
fn works_outside_git() {
    let dir = fixture("demo");
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(m["provenance"]["scope"], "all");
    assert!(m["provenance"]["commit"].is_null());
    assert_eq!(m["files"]["src/app/main.py"]["git"], "no-repo");
    assert_eq!(tier_of(&m, ".env"), 1);
}

#[test]
fn manifest_never_classifies_itself() {
    let dir = fixture("demo");
    let first = scan_manifest(dir.path(), &[]);
    let second = scan_manifest(dir.path(), &[]);
    assert!(second["files"].get("tiergate.manifest.json").is_none());
    assert_eq!(first, second);
    // Nor does a manifest written elsewhere inside the tree under another name.
    let r = run(dir.path(), &["scan", "-o", "out/m.json"]);
    assert_eq!(
        r.code, 2,
        "the output directory does not exist: {}",
        r.stderr
    );
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let r = run(dir.path(), &["scan", "-o", "out/m.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(dir.path(), &["scan", "-o", "out/m.json"]);
    assert_eq!(r.code, 0);
    let m = json(&std::fs::read_to_string(dir.path().join("out/m.json")).unwrap());
    assert!(m["files"].get("out/m.json").is_none());
}

#[test]
fn minimal_config_works_as_written() {
    let dir = fixture("minimal-config");
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(tier_of(&m, "payments/engine.py"), 1);
    let reason = &m["files"]["payments/engine.py"]["reasons"][0];
    assert_eq!(reason["code"], "glob-rule");
    assert_eq!(reason["rule"], "payments-core");
    assert_eq!(reason["source"], "tiergate.yaml:3");
    assert_eq!(reason["message"], "Core payment engine is a tier-1 asset");
    assert_eq!(tier_of(&m, "web/index.js"), 3);
    // Tiers and destinations took their defaults.
    assert_eq!(m["tiers"].as_array().unwrap().len(), 4);
    let dests: Vec<&str> = m["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(dests, ["local", "cloud-zdr", "cloud"]);
    assert!(
        m["provenance"]["config"]["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[test]
fn explicit_config_overrides_discovery() {
    let dir = fixture("demo");
    let cfg = fixtures().join("minimal-config/tiergate.yaml");
    let r = run(
        dir.path(),
        &["scan", "--config", cfg.to_str().unwrap(), "-o", "-"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = json(&r.stdout);
    assert_eq!(m["rules"][0]["id"], "payments-core");
}

#[test]
fn config_is_found_from_a_subdirectory() {
    let dir = fixture("minimal-config");
    git_commit_all(dir.path());
    let r = run(&dir.path().join("payments"), &["scan", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = json(&r.stdout);
    assert_eq!(tier_of(&m, "payments/engine.py"), 1);
}

#[test]
fn bad_config_reports_every_problem_and_writes_nothing() {
    let dir = fixture("bad-config");
    std::fs::write(dir.path().join("tiergate.manifest.json"), "previous").unwrap();
    let r = run(dir.path(), &["scan"]);
    assert_eq!(r.code, 2);
    for needle in [
        "tiergate.yaml:1:",  // default_tier 7
        "tiergate.yaml:7:",  // duplicate tier id
        "tiergate.yaml:13:", // rulez
        "tiergate.yaml:16:", // bad glob
        "unknown-key",
        "invalid-glob",
        "unknown-tier",
        "duplicate-id",
    ] {
        assert!(
            r.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("did you mean `rules`"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tiergate.manifest.json")).unwrap(),
        "previous"
    );
}

#[test]
fn yaml_syntax_and_duplicate_keys_are_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tiergate.yaml"),
        "default_tier: 3\ndefault_tier: 2\n",
    )
    .unwrap();
    let r = run(dir.path(), &["scan", "-o", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tiergate.yaml:2:"), "{}", r.stderr);
    std::fs::write(dir.path().join("tiergate.yaml"), "rules: [\n  - id: x\n").unwrap();
    let r = run(dir.path(), &["scan", "-o", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tiergate.yaml:"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn repository_policies_are_loaded_and_located() {
    let dir = fixture("custom-policy");
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(tier_of(&m, "ml/train.py"), 2);
    let reason = &m["files"]["ml/train.py"]["reasons"][0];
    assert_eq!(reason["code"], "model-code");
    assert_eq!(reason["rule"], "python-model-code");
    assert_eq!(reason["source"], ".tiergate/policies/models.rego:6");
    // Not Python: the zone alone does not make it tier 2.
    assert_eq!(tier_of(&m, "ml/config.yaml"), 3);
    // A glob rule may lift a path to public...
    assert_eq!(tier_of(&m, "app/index.html"), 4);
    // ...but the most restrictive finding wins, and policies combine facts.
    assert_eq!(tier_of(&m, "app/.env"), 1);
    let codes = codes_of(&m, "app/.env");
    assert!(
        codes.contains(&"credential-in-public-zone".to_string()),
        "{codes:?}"
    );
    let packages: Vec<&str> = m["provenance"]["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["package"].as_str().unwrap())
        .collect();
    assert!(packages.contains(&"tiergate.custom.models"), "{packages:?}");
    assert!(packages.contains(&"tiergate.baseline"), "{packages:?}");
}

#[test]
fn a_policy_error_fails_closed_for_that_file_only() {
    let dir = fixture("failing-policy");
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(tier_of(&m, "src/trigger.boom"), 1);
    let reason = &m["files"]["src/trigger.boom"]["reasons"][0];
    assert_eq!(reason["code"], "policy-error");
    assert!(!reason["message"].as_str().unwrap().is_empty());
    assert_eq!(tier_of(&m, "src/fine.txt"), 3);
}

#[test]
fn a_policy_syntax_error_is_located_and_writes_nothing() {
    let dir = fixture("bad-policy");
    let r = run(dir.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".tiergate/policies/broken.rego:"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("tiergate.manifest.json").exists());
}

#[test]
fn symlinks_take_their_targets_tier_and_escapes_are_tier_1() {
    use std::os::unix::fs::symlink;
    let dir = fixture("demo");
    let p = dir.path();
    symlink("../.env", p.join("src/env-link")).unwrap();
    symlink("../../etc/hostname", p.join("docs/escape")).unwrap();
    symlink("/etc/hostname", p.join("docs/absolute")).unwrap();
    symlink("loop-b", p.join("loop-a")).unwrap();
    symlink("loop-a", p.join("loop-b")).unwrap();
    symlink("certs", p.join("certs-link")).unwrap();
    symlink("nothing-here", p.join("dangling")).unwrap();
    symlink("src/env-link", p.join("chain")).unwrap();
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "src/env-link"), 1);
    assert!(codes_of(&m, "src/env-link").contains(&"symlink-target".into()));
    assert_eq!(tier_of(&m, "chain"), 1);
    assert_eq!(tier_of(&m, "docs/escape"), 1);
    assert_eq!(codes_of(&m, "docs/escape")[0], "symlink-escapes");
    assert_eq!(tier_of(&m, "docs/absolute"), 1);
    assert_eq!(tier_of(&m, "loop-a"), 1);
    assert!(codes_of(&m, "loop-a").contains(&"symlink-loop".into()));
    assert_eq!(
        tier_of(&m, "certs-link"),
        1,
        "a link to a directory holding a key"
    );
    // A link to nothing is tier 1: what it will point to is not known.
    assert_eq!(tier_of(&m, "dangling"), 1);
    assert!(codes_of(&m, "dangling").contains(&"symlink-dangling".into()));
    // Links are never followed: nothing under certs-link/ is walked.
    assert!(m["files"].get("certs-link/dev-server.pem").is_none());
}

#[test]
fn special_files_are_never_opened() {
    let dir = fixture("demo");
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // Opening the FIFO would block the scan forever; the timeout turns that into a failure.
    let out = tiergate(dir.path())
        .args(["scan", "-o", "-"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let m = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(m["files"]["pipe"]["kind"], "special");
    assert!(codes_of(&m, "pipe").contains(&"content-not-scanned".into()));
}

#[test]
fn case_collisions_are_reported() {
    let dir = fixture("demo");
    std::fs::write(dir.path().join("Readme.md"), "other\n").unwrap();
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(
        m["summary"]["case_collisions"],
        serde_json::json!([["README.md", "Readme.md"]])
    );
    assert!(codes_of(&m, "Readme.md").contains(&"case-collision".into()));
}

#[test]
fn case_collisions_list_only_the_paths_the_manifest_lists() {
    // Three spellings of one path: two tracked, one untracked. The untracked one is
    // not listed, so the summary's group holds the two tracked ones; with
    // --include-untracked it holds all three.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("NOTES.md"), "a\n").unwrap();
    std::fs::write(p.join("Notes.md"), "b\n").unwrap();
    std::fs::write(p.join("solo.md"), "c\n").unwrap();
    git_commit_all(p);
    std::fs::write(p.join("notes.md"), "d\n").unwrap();
    let m = scan_manifest(p, &[]);
    assert_eq!(
        m["summary"]["case_collisions"],
        serde_json::json!([["NOTES.md", "Notes.md"]])
    );
    let all = scan_manifest(p, &["--include-untracked"]);
    assert_eq!(
        all["summary"]["case_collisions"],
        serde_json::json!([["NOTES.md", "Notes.md", "notes.md"]])
    );
    assert!(
        codes_of(&m, "solo.md")
            .iter()
            .all(|c| c != "case-collision")
    );
}

#[test]
fn large_files_are_truncated_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tiergate.yaml"),
        "limits:\n  max_content_bytes: 1024\n  binary_sniff_bytes: 512\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("big.txt"), "a".repeat(5000)).unwrap();
    let m = scan_manifest(dir.path(), &[]);
    assert!(codes_of(&m, "big.txt").contains(&"content-truncated".into()));
}

#[test]
fn submodules_are_recorded_not_walked() {
    let sub = tempfile::tempdir().unwrap();
    std::fs::write(sub.path().join("lib.py"), "x = 1\n").unwrap();
    git_commit_all(sub.path());
    let dir = fixture("minimal-config");
    git_commit_all(dir.path());
    git(
        dir.path(),
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.path().to_str().unwrap(),
            "vendor/lib",
        ],
    );
    let m = scan_manifest(dir.path(), &[]);
    assert_eq!(m["files"]["vendor/lib"]["kind"], "submodule");
    assert!(m["files"].get("vendor/lib/lib.py").is_none());
    // Its files are covered by its own manifest only: tier 1 here.
    assert_eq!(tier_of(&m, "vendor/lib"), 1);
    assert_eq!(codes_of(&m, "vendor/lib"), ["submodule"]);
}

#[test]
fn scanning_a_subdirectory_of_a_repository() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let r = run(dir.path(), &["scan", "src", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = json(&r.stdout);
    assert_eq!(m["files"]["app/main.py"]["git"], "tracked");
    assert!(m["files"].get(".env").is_none());
}

#[test]
fn rego_cost_follows_distinct_fact_sets_not_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..600 {
        let sub = dir.path().join(format!("pkg{}", i % 30));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("m{i}.py")), "x = 1\n").unwrap();
        std::fs::write(sub.join(format!("n{i}.md")), "# note\n").unwrap();
    }
    let r = run(dir.path(), &["scan", "--threads", "2", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("Rego evaluations"))
        .expect("summary line");
    let n: u64 = line
        .trim_start_matches("tiergate: ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // 1,200 files, two distinct fact sets, at most two threads each.
    assert!((1..=4).contains(&n), "{line}");
}

/// Whether this process runs as root (which reads any file regardless of its mode).
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn unreadable_files_fail_closed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture("demo");
    let p = dir.path();
    std::fs::write(p.join("locked.txt"), "cannot read me\n").unwrap();
    std::fs::set_permissions(p.join("locked.txt"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::create_dir(p.join("locked-dir")).unwrap();
    std::fs::write(p.join("locked-dir/inside.txt"), "hidden\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tiergate");
    let out = if is_root() {
        // Root reads anything: run the scan as an unprivileged user instead. The tree must
        // be readable (and traversable) by that user, except the locked file.
        for ancestor in p.ancestors() {
            let mode = std::fs::metadata(ancestor).unwrap().permissions().mode();
            std::fs::set_permissions(ancestor, std::fs::Permissions::from_mode(mode | 0o055))
                .unwrap();
        }
        std::fs::set_permissions(p.join("locked-dir"), std::fs::Permissions::from_mode(0o000))
            .unwrap();
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(["scan", "-o", "-"])
            .current_dir(p)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    } else {
        std::fs::set_permissions(p.join("locked-dir"), std::fs::Permissions::from_mode(0o000))
            .unwrap();
        std::process::Command::new(&bin)
            .args(["scan", "-o", "-"])
            .current_dir(p)
            .output()
            .unwrap()
    };
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(tier_of(&m, "locked.txt"), 1);
    assert_eq!(m["files"]["locked.txt"]["kind"], "unreadable");
    assert_eq!(codes_of(&m, "locked.txt")[0], "read-error");
    // A directory that cannot be listed is recorded itself, at tier 1.
    assert_eq!(tier_of(&m, "locked-dir"), 1);
    assert_eq!(codes_of(&m, "locked-dir")[0], "read-error");
    assert_eq!(tier_of(&m, "src/app/main.py"), 3, "the rest is unaffected");
    // Let the temporary directory be removed.
    std::fs::set_permissions(p.join("locked-dir"), std::fs::Permissions::from_mode(0o755)).unwrap();
}
