//! `tiergate export` for the gitignore-dialect agents, with `git check-ignore
//! --no-index` as the independent oracle of what the written file excludes.

mod common;

use std::path::Path;

use common::{fixture, git, json, run};

fn repo() -> tempfile::TempDir {
    let dir = fixture("gate");
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

/// Which of `paths` git ignores with `ignore_file` as the root .gitignore.
fn git_ignored(p: &Path, ignore_file: &str, paths: &[String]) -> Vec<String> {
    let text = std::fs::read_to_string(p.join(ignore_file)).unwrap();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    common::git_ignored(&text, &paths)
}

#[test]
fn every_gitignore_agent_gets_a_file_git_agrees_with() {
    let dir = repo();
    let p = dir.path();
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    let files = m["files"].as_object().unwrap();
    let paths: Vec<String> = files.keys().cloned().collect();
    let mut protected: Vec<String> = files
        .iter()
        .filter(|(_, e)| e["tier"].as_u64().unwrap() < 3)
        .map(|(k, _)| k.clone())
        .collect();
    protected.sort();
    assert!(
        protected.contains(&"hr/payroll.csv".to_string()),
        "{protected:?}"
    );
    for (agent, file) in [
        ("cursor", ".cursorignore"),
        ("gemini", ".aiexclude"),
        ("jetbrains", ".aiignore"),
        ("aider", ".aiderignore"),
        ("windsurf", ".codeiumignore"),
        ("continue", ".continueignore"),
    ] {
        let r = run(p, &["export", "--agent", agent]);
        assert_eq!(r.code, 0, "{agent}: {}", r.stderr);
        assert!(
            r.stdout.starts_with(&format!("wrote {file}:")),
            "{}",
            r.stdout
        );
        let text = std::fs::read_to_string(p.join(file)).unwrap();
        assert!(!text.contains('!') && !text.contains('['), "{text}");
        assert_eq!(git_ignored(p, file, &paths), protected, "{agent}:\n{text}");
    }
    // The glob rule also covers HR files that do not exist yet.
    let later = vec!["hr/2027/plan.csv".to_string()];
    assert_eq!(git_ignored(p, ".cursorignore", &later), later);
    // Toward `cloud` (tier 4 only), everything at tier 3 is protected too.
    let r = run(
        p,
        &[
            "export",
            "--agent",
            "cursor",
            "--destination",
            "cloud",
            "-o",
            "all.txt",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(git_ignored(p, "all.txt", &paths), {
        let mut all = paths.clone();
        all.sort();
        all
    });
}

#[test]
fn check_says_missing_out_of_date_and_up_to_date() {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["export", "--agent", "cursor", "--check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("missing"), "{}", r.stdout);
    assert_eq!(run(p, &["export", "--agent", "cursor"]).code, 0);
    let r = run(p, &["export", "--agent", "cursor", "--check"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A new tier-1 file makes it stale once the manifest knows it.
    std::fs::write(p.join("src/core/tax.py"), "RATE = 1\n").unwrap();
    std::fs::create_dir_all(p.join("src/app2")).unwrap();
    std::fs::write(p.join("src/app2/key.pem"), "placeholder\n").unwrap();
    git(p, &["add", "-A"]);
    assert_eq!(run(p, &["scan"]).code, 0);
    let r = run(p, &["export", "--agent", "cursor", "--check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("out of date"), "{}", r.stdout);
}

#[test]
fn user_lines_are_kept_and_a_negation_that_leaks_writes_nothing() {
    let dir = repo();
    let p = dir.path();
    std::fs::write(p.join(".cursorignore"), "node_modules/\n").unwrap();
    assert_eq!(run(p, &["export", "--agent", "cursor"]).code, 0);
    let text = std::fs::read_to_string(p.join(".cursorignore")).unwrap();
    assert!(text.starts_with("node_modules/\n"), "{text}");
    // A user line after the block that re-includes a protected file.
    let leaky = format!("{text}!/hr/payroll.csv\n");
    std::fs::write(p.join(".cursorignore"), &leaky).unwrap();
    let r = run(p, &["export", "--agent", "cursor"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("hr/payroll.csv"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(p.join(".cursorignore")).unwrap(),
        leaky
    );
    // An unknown destination and a missing manifest are errors.
    assert_eq!(
        run(p, &["export", "--agent", "cursor", "--destination", "moon"]).code,
        2
    );
    std::fs::remove_file(p.join("tiergate.manifest.json")).unwrap();
    let r = run(p, &["export", "--agent", "cursor"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tiergate scan"), "{}", r.stderr);
}

#[test]
fn claude_code_settings_are_merged_and_cover_every_protected_path() {
    let dir = repo();
    let p = dir.path();
    std::fs::create_dir_all(p.join(".claude")).unwrap();
    std::fs::write(
        p.join(".claude/settings.json"),
        r#"{"permissions": {"allow": ["Bash(cargo test)"], "deny": ["Read(/private.txt)"]}, "model": "x"}"#,
    )
    .unwrap();
    let r = run(p, &["export", "--agent", "claude-code"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("wrote .claude/settings.json:"),
        "{}",
        r.stdout
    );
    let s = json(&std::fs::read_to_string(p.join(".claude/settings.json")).unwrap());
    assert_eq!(s["model"], "x");
    assert_eq!(s["permissions"]["allow"][0], "Bash(cargo test)");
    let deny: Vec<&str> = s["permissions"]["deny"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        deny[0], "Read(/private.txt)",
        "the user's entry stays first"
    );
    assert!(
        deny.contains(&"Read(/hr/**)") && deny.contains(&"Edit(/hr/**)"),
        "{deny:?}"
    );
    assert!(
        s["sandbox"]["filesystem"]["denyRead"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v == "./hr/**")
    );
    // The oracle: the Read patterns, as gitignore lines, exclude exactly the protected paths.
    let reads: String = deny
        .iter()
        .filter(|d| d.starts_with("Read(/") && **d != "Read(/private.txt)")
        .map(|d| format!("{}\n", &d[5..d.len() - 1]))
        .collect();
    std::fs::write(p.join("reads.gitignore"), reads).unwrap();
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    let files = m["files"].as_object().unwrap();
    let paths: Vec<String> = files.keys().cloned().collect();
    let mut protected: Vec<String> = files
        .iter()
        .filter(|(_, e)| e["tier"].as_u64().unwrap() < 3)
        .map(|(k, _)| k.clone())
        .collect();
    protected.sort();
    assert_eq!(git_ignored(p, "reads.gitignore", &paths), protected);
    // Exporting again changes nothing; --check agrees.
    let before = std::fs::read_to_string(p.join(".claude/settings.json")).unwrap();
    assert_eq!(run(p, &["export", "--agent", "claude-code"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(p.join(".claude/settings.json")).unwrap(),
        before
    );
    assert_eq!(
        run(p, &["export", "--agent", "claude-code", "--check"]).code,
        0
    );
    // A settings file that is not JSON is refused with its location; nothing written.
    std::fs::write(p.join(".claude/settings.json"), "{\n  \"permissions\": [\n").unwrap();
    let r = run(p, &["export", "--agent", "claude-code"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".claude/settings.json:3:"),
        "{}",
        r.stderr
    );
}

#[test]
fn all_follows_the_configured_agents_and_explain_prints_the_matrix() {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["export", "--all"]);
    assert_eq!(r.code, 2, "no agents configured yet");
    assert!(r.stderr.contains("agents:"), "{}", r.stderr);
    // CI's check has nothing to find stale: it passes, and says why.
    let r = run(p, &["export", "--all", "--check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("no exclusion file to check"),
        "{}",
        r.stderr
    );
    let cfg = std::fs::read_to_string(p.join("tiergate.yaml")).unwrap();
    std::fs::write(
        p.join("tiergate.yaml"),
        format!("{cfg}agents:\n  aider: cloud\n  claude-code: cloud-zdr\n"),
    )
    .unwrap();
    git(p, &["add", "-A"]);
    assert_eq!(run(p, &["scan"]).code, 0);
    let r = run(p, &["export", "--all"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("wrote .aiderignore") && r.stdout.contains("from cloud;"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("wrote .claude/settings.json"),
        "{}",
        r.stdout
    );
    assert!(!p.join(".cursorignore").exists());
    // aider's destination is `cloud`: tier-3 files are excluded too.
    let paths = vec!["src/app.py".to_string()];
    assert_eq!(git_ignored(p, ".aiderignore", &paths), paths);
    assert_eq!(run(p, &["export", "--all", "--check"]).code, 0);
    let r = run(p, &["export", "--explain"]);
    assert_eq!(r.code, 0);
    for agent in ["cursor", "claude-code", "continue"] {
        assert!(r.stdout.contains(agent), "{}", r.stdout);
    }
    assert!(r.stdout.contains("NOT blocked"), "{}", r.stdout);
}

#[test]
fn copilot_gets_a_list_for_its_settings() {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["export", "--agent", "copilot"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("paste into the repository's Copilot settings"),
        "{}",
        r.stdout
    );
    let text = std::fs::read_to_string(p.join(".github/tiergate-copilot-exclusion.yml")).unwrap();
    let list: Vec<String> = serde_saphyr::from_str(&text).unwrap();
    assert!(list.contains(&"/hr/**".to_string()), "{list:?}");
    assert!(list.contains(&"/src/core/**".to_string()), "{list:?}");
    assert!(!list.iter().any(|e| e.contains("app.py")), "{list:?}");
    assert_eq!(run(p, &["export", "--agent", "copilot", "--check"]).code, 0);
}

#[test]
fn amazon_q_gets_a_custom_agent_denying_the_paths() {
    let dir = repo();
    let p = dir.path();
    let r = run(p, &["export", "--agent", "amazon-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let agent =
        json(&std::fs::read_to_string(p.join(".amazonq/cli-agents/tiergate.json")).unwrap());
    assert_eq!(agent["name"], "tiergate");
    let denied = agent["toolsSettings"]["fs_read"]["deniedPaths"]
        .as_array()
        .unwrap();
    assert!(denied.iter().any(|d| d == "./hr/**"), "{denied:?}");
    assert_eq!(
        agent["toolsSettings"]["fs_write"]["deniedPaths"],
        agent["toolsSettings"]["fs_read"]["deniedPaths"]
    );
    assert!(p.join(".amazonq/tiergate-managed.json").is_file());
    assert_eq!(
        run(p, &["export", "--agent", "amazon-q", "--check"]).code,
        0
    );
}

/// Regression: files that appear after the scan (an untracked `.env`, a local dump, an
/// ignored log, new core code) were not excluded when only a policy protected their
/// zone; the zones' path tiers in the manifest now bring their globs into every export.
#[test]
fn files_that_appear_after_the_scan_are_covered_through_their_zones() {
    let dir = repo();
    let p = dir.path();
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    let tier_of = |zone: &str| {
        m["zones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|z| z["name"] == zone)
            .map(|z| z["path_tier"].clone())
            .unwrap()
    };
    assert_eq!(tier_of("credential-files"), 1);
    assert_eq!(tier_of("data-dumps"), 1);
    assert_eq!(tier_of("logs"), 2);
    assert_eq!(tier_of("core"), 1, "the repository's own policy");
    assert!(tier_of("docs").is_null(), "no policy protects docs by path");
    // Sorted, as the oracle prints them.
    let later: Vec<String> = [
        ".env",
        "backup/prod.sql",
        "deploy/.env.production",
        "hr/2027/plan.csv",
        "logs/app.log",
        "src/core/new_engine.py",
    ]
    .map(String::from)
    .to_vec();
    let shareable = vec!["src/new_module.py".to_string(), "docs/new.md".to_string()];
    assert_eq!(run(p, &["export", "--agent", "cursor"]).code, 0);
    assert_eq!(git_ignored(p, ".cursorignore", &later), later);
    assert!(git_ignored(p, ".cursorignore", &shareable).is_empty());
    // Logs are tier 2: `cloud-zdr` may not have them, a tier-2 destination may.
    assert_eq!(
        run(
            p,
            &[
                "export",
                "--agent",
                "cursor",
                "--destination",
                "local",
                "-o",
                "local.txt"
            ]
        )
        .code,
        0
    );
    assert!(git_ignored(p, "local.txt", &later).is_empty());
    // Claude Code's Read rules cover them too.
    assert_eq!(run(p, &["export", "--agent", "claude-code"]).code, 0);
    let s = json(&std::fs::read_to_string(p.join(".claude/settings.json")).unwrap());
    let reads: String = s["permissions"]["deny"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d.as_str())
        .filter(|d| d.starts_with("Read(/"))
        .map(|d| format!("{}\n", &d[5..d.len() - 1]))
        .collect();
    std::fs::write(p.join("reads.gitignore"), reads).unwrap();
    assert_eq!(git_ignored(p, "reads.gitignore", &later), later);
}
