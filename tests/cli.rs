//! The query subcommands (`ls`, `route`, `explain`), `schema`, `completions`, and the
//! exit-code contract: 0 pass, 1 the policy said no, 2 usage/config/policy/runtime error.

mod common;

use common::*;

fn committed_demo_with_manifest() -> tempfile::TempDir {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let r = run(dir.path(), &["scan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

#[test]
fn route_allows_denies_and_exits_accordingly() {
    let dir = committed_demo_with_manifest();
    let r = run(
        dir.path(),
        &["route", "src/app/main.py", "--to", "cloud-zdr"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("allow"), "{}", r.stdout);

    let r = run(
        dir.path(),
        &["route", "src/app/main.py", ".env", "--to", "cloud-zdr"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("deny   cloud-zdr  .env (tier 1 restricted"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("credential-file"), "{}", r.stdout);

    let r = run(dir.path(), &["route", ".env", "--to", "local"]);
    assert_eq!(r.code, 0, "local accepts everything");

    let r = run(dir.path(), &["route", "src/app/main.py", "--to", "cloud"]);
    assert_eq!(r.code, 1, "cloud accepts tier 4 only");
}

#[test]
fn route_json_and_path_forms() {
    let dir = committed_demo_with_manifest();
    let sub = dir.path().join("src");
    let abs = dir.path().join("src/app/catalog.py");
    let r = run(
        &sub,
        &[
            "route",
            "app/main.py",
            "./app/../billing",
            abs.to_str().unwrap(),
            "never-scanned.txt",
            "../../outside",
            "--to",
            "cloud-zdr",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1);
    let answers = json(&r.stdout);
    let a = answers.as_array().unwrap();
    assert_eq!(a[0]["path"], "src/app/main.py");
    assert_eq!(a[0]["allowed"], true);
    assert_eq!(a[1]["path"], "src/billing");
    assert_eq!(a[1]["reasons"][0]["code"], "directory");
    assert_eq!(a[2]["path"], "src/app/catalog.py");
    assert_eq!(a[2]["allowed"], true);
    // Not in the manifest: never classified, so tier 1 (fail closed).
    assert_eq!(a[3]["path"], "src/never-scanned.txt");
    assert_eq!(a[3]["tier"], 1);
    assert_eq!(a[3]["listed"], false);
    assert_eq!(a[3]["reasons"][0]["code"], "not-in-manifest");
    assert_eq!(a[4]["reasons"][0]["code"], "outside-repository");
    assert_eq!(a[4]["allowed"], false);
}

#[test]
fn a_directory_takes_its_most_restrictive_file() {
    let dir = committed_demo_with_manifest();
    let r = run(dir.path(), &["route", "certs", "--to", "cloud-zdr"]);
    assert_eq!(r.code, 1);
    let r = run(dir.path(), &["route", "src/billing/", "--to", "cloud-zdr"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn route_errors_exit_2() {
    let dir = committed_demo_with_manifest();
    let r = run(dir.path(), &["route", "x", "--to", "mars"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("known: local, cloud-zdr, cloud"),
        "{}",
        r.stderr
    );

    let empty = tempfile::tempdir().unwrap();
    let r = run(empty.path(), &["route", "x", "--to", "local"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tiergate scan"), "{}", r.stderr);

    std::fs::write(dir.path().join("bad.json"), "{\"schema_version\": 1,").unwrap();
    let r = run(
        dir.path(),
        &["route", "x", "--to", "local", "--manifest", "bad.json"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.json:1:"), "{}", r.stderr);

    std::fs::write(dir.path().join("future.json"), "{\"schema_version\": 99}").unwrap();
    let r = run(
        dir.path(),
        &["route", "x", "--to", "local", "--manifest", "future.json"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("schema version 99"), "{}", r.stderr);
}

#[test]
fn explain_shows_facts_findings_and_the_decision() {
    let dir = fixture("minimal-config");
    git_commit_all(dir.path());
    let r = run(dir.path(), &["explain", "payments/engine.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "path: payments/engine.py",
        "kind: text",
        "language: python",
        "git: tracked",
        "\"rules\":[\"payments-core\"]",
        "tier 1  glob-rule  rule payments-core  at tiergate.yaml:3",
        "decision: tier 1 restricted: the most restrictive finding wins: payments-core (tiergate.yaml:3)",
        "may not go to: cloud-zdr (accepts tier 3 and above)",
        "manifest: no readable manifest",
    ] {
        assert!(
            r.stdout.contains(needle),
            "missing {needle:?} in:\n{}",
            r.stdout
        );
    }
    let r = run(dir.path(), &["explain", "web/index.js", "--format", "json"]);
    assert_eq!(r.code, 0);
    let e = json(&r.stdout);
    assert_eq!(e["decision"]["tier"], 3);
    assert_eq!(e["decision"]["defaulted"], true);
    assert_eq!(e["rego_input"]["input_version"], 2);
    assert!(
        e["rego_input"]["file"].get("path").is_none(),
        "Rego sees facts, not paths"
    );

    let r = run(dir.path(), &["explain", "missing.py"]);
    assert_eq!(r.code, 2);
    let r = run(dir.path(), &["explain", "payments"]);
    assert_eq!(r.code, 2);
}

#[test]
fn explain_compares_with_the_manifest() {
    let dir = committed_demo_with_manifest();
    let r = run(dir.path(), &["explain", ".env"]);
    assert!(
        r.stdout.contains("manifest: the manifest agrees (tier 1)"),
        "{}",
        r.stdout
    );
    std::fs::write(
        dir.path().join("tiergate.yaml"),
        "rules:\n  - id: all-secret\n    globs: [\"**\"]\n    tier: 1\n    reason: everything\n",
    )
    .unwrap();
    let r = run(dir.path(), &["explain", "src/app/main.py"]);
    assert!(
        r.stdout.contains("the manifest says tier 3: it is stale"),
        "{}",
        r.stdout
    );
}

#[test]
fn ls_formats_and_tier_filter() {
    let dir = fixture("demo");
    git_commit_all(dir.path());
    let r = run(dir.path(), &["ls", "--format", "json"]);
    assert_eq!(r.code, 0);
    let recs = json(&r.stdout);
    let recs = recs.as_array().unwrap();
    let paths: Vec<&str> = recs.iter().map(|x| x["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "sorted by path");
    let env = recs.iter().find(|x| x["path"] == ".env").unwrap();
    assert_eq!(env["tier"], 1);
    assert_eq!(env["tier_name"], "restricted");
    assert_eq!(env["destinations"], serde_json::json!(["local"]));
    assert_eq!(env["annex_iii"], serde_json::json!([]));
    for key in ["code", "rule", "source", "message"] {
        assert!(env["reasons"][0].get(key).is_some(), "reason lacks {key}");
    }

    let r = run(dir.path(), &["ls", "--tier", "1", "--format", "csv"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "path,tier,tier_name,destinations,kind,git,codes,rules"
    );
    assert!(
        lines[1..].iter().all(|l| l.split(',').nth(1) == Some("1")),
        "{}",
        r.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(".env,1,restricted,local,"))
    );

    let r = run(dir.path(), &["ls"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("TIER  DESTINATIONS"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}'), "no colour without a terminal");

    let r = run(dir.path(), &["ls", "--tier", "9"]);
    assert_eq!(r.code, 2);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let r = run(&fixtures(), &["frobnicate"]);
    assert_eq!(r.code, 2);
    let r = run(&fixtures(), &["route", "x"]);
    assert_eq!(r.code, 2, "--to is required");
    let r = run(&fixtures(), &["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Exit codes: 0 pass"), "{}", r.stdout);
    let r = run(&fixtures(), &["--version"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.trim(),
        format!("tiergate {}", env!("CARGO_PKG_VERSION"))
    );
    let r = run(&fixtures(), &["scan", "/definitely/not/here"]);
    assert_eq!(r.code, 2);
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = run(&fixtures(), &["completions", shell]);
        assert_eq!(r.code, 0, "{shell}");
        assert!(
            r.stdout.contains("route"),
            "{shell} completion names subcommands"
        );
    }
}

#[test]
fn help_snapshot() {
    let r = run(&fixtures(), &["help", "scan"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("help_scan", r.stdout);
}

#[test]
fn explain_refuses_paths_outside_the_repository() {
    let dir = committed_demo_with_manifest();
    let r = run(dir.path(), &["explain", "../../etc/hostname"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("outside the repository"), "{}", r.stderr);
}

#[test]
fn completions_reject_unknown_shells() {
    let r = run(&fixtures(), &["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

/// `--color` overrides the terminal test both ways; NO_COLOR only turns `auto` off.
#[test]
fn color_follows_the_flag() {
    let dir = fixture("demo");
    let ls = |extra: &[&str]| {
        let mut args = vec!["ls", "--format", "table"];
        args.extend_from_slice(extra);
        run(dir.path(), &args)
    };
    let plain = ls(&[]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "not a terminal: no colour"
    );
    let always = ls(&["--color", "always"]);
    assert!(always.stdout.contains("\u{1b}["), "{}", always.stdout);
    let never = ls(&["--color", "never"]);
    assert_eq!(never.stdout, plain.stdout);
    let bad = ls(&["--color", "sometimes"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("sometimes"), "{}", bad.stderr);
}

/// A failing read-only command does not claim it would have written something.
#[test]
fn only_commands_that_write_say_nothing_was_written() {
    let dir = fixture("bad-config");
    let read_only = run(dir.path(), &["policy", "check"]);
    assert_eq!(read_only.code, 2, "{}", read_only.stderr);
    assert!(read_only.stderr.contains("found"), "{}", read_only.stderr);
    assert!(
        !read_only.stderr.contains("nothing was written"),
        "{}",
        read_only.stderr
    );
    let writer = run(dir.path(), &["scan"]);
    assert_eq!(writer.code, 2, "{}", writer.stderr);
    assert!(
        writer.stderr.contains("nothing was written"),
        "{}",
        writer.stderr
    );
}

/// Global options are listed apart from a command's own.
#[test]
fn help_groups_the_global_options() {
    let r = run(&fixtures(), &["scan", "--help"]);
    assert_eq!(r.code, 0);
    let global = r.stdout.find("Global options:").expect("a heading");
    for flag in ["--config", "--threads", "--today", "--color"] {
        let at = r.stdout.find(flag).unwrap_or_else(|| panic!("{flag}"));
        assert!(
            at > global,
            "{flag} under the global heading:\n{}",
            r.stdout
        );
    }
}

/// `-q` leaves only errors on standard error; `-v` adds the rules in force and the
/// time taken; standard output and exit codes are the same either way.
#[test]
fn quiet_and_verbose_change_standard_error_only() {
    let dir = committed_demo_with_manifest();
    let p = dir.path();
    let normal = run(p, &["scan", "-o", "-"]);
    assert_eq!(normal.code, 0, "{}", normal.stderr);
    assert!(!normal.stderr.is_empty());

    let quiet = run(p, &["scan", "-q", "-o", "-"]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, normal.stdout);

    let verbose = run(p, &["--verbose", "scan", "-o", "-"]);
    assert_eq!(verbose.code, 0);
    assert_eq!(verbose.stdout, normal.stdout);
    for want in [
        "rules in force:",
        "  config      builtin sha256:",
        "  policy      shipped:policies/secrets.rego sha256:",
        "  exceptions  none",
        "  accepted    none",
        "tiergate: scan took ",
    ] {
        assert!(verbose.stderr.contains(want), "{want}: {}", verbose.stderr);
    }

    // Errors are never quiet.
    let err = run(p, &["-q", "explain", "no/such/file"]);
    assert_eq!(err.code, 2);
    assert!(err.stderr.contains("no such file"), "{}", err.stderr);
    assert_eq!(run(p, &["-q", "-v", "scan"]).code, 2);
}
