//! Runtime answers that hold (`route`, `tiergate hook claude-code`, `export`): paths
//! resolved as the kernel resolves them, files judged as they are now, directories by
//! every file on disk, submodules by their own manifest, and manifests whose header the
//! rules in force do not give refused. Each test pins a way tier-1 content reached a
//! cloud destination.

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use common::{git, json, private_key, run, tiergate};
use tiergate::manifest::Manifest;

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const CONFIG: &str = "rules:\n  - id: secrets\n    globs: [\"secrets/**\"]\n    tier: 1\n    reason: Keys and notes of the security team\n";

/// The issue's repository: `secrets/**` is tier 1 by rule, `secrets/key.pem` holds a
/// private key, `secrets/notes.txt` is tier 1 by its path only, `README.md` and
/// `docs/guide.md` are tier 3; committed with its manifest. `real/repo` under the
/// returned directory, with `alias -> real` beside it.
struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    alias: PathBuf,
}

fn issue_repo_with(extra: impl FnOnce(&Path)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().canonicalize().unwrap();
    let root = top.join("real/repo");
    std::fs::create_dir_all(&root).unwrap();
    write(&root, "tiergate.yaml", CONFIG);
    write(&root, "secrets/key.pem", &private_key());
    write(&root, "secrets/notes.txt", "meeting notes\n");
    write(&root, "secrets/sub/.keep", "");
    write(&root, "secrets/cl\u{e9}.txt", "more notes\n");
    write(&root, "README.md", "# readme\n");
    write(&root, "docs/guide.md", "a guide\n");
    write(&root, "docs/caf\u{e9}.md", "the menu\n");
    symlink("docs", root.join("d")).unwrap();
    symlink("docs/guide.md", root.join("g")).unwrap();
    symlink("secrets", root.join("s")).unwrap();
    extra(&root);
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "repo"]);
    let r = run(&root, &["scan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "manifest"]);
    symlink(top.join("real"), top.join("alias")).unwrap();
    Fixture {
        alias: top.join("alias/repo"),
        root,
        _dir: dir,
    }
}

fn issue_repo() -> Fixture {
    issue_repo_with(|_| {})
}

/// Run the hook with `tool` and `input`, the session in `cwd`; the deny reason if it
/// denied.
fn hook_in(
    root: &Path,
    cwd: &Path,
    tool: &str,
    input: serde_json::Value,
    extra: &[&str],
) -> Option<String> {
    let event = serde_json::json!({
        "session_id": "s1",
        "hook_event_name": "PreToolUse",
        "cwd": cwd.display().to_string(),
        "tool_name": tool,
        "tool_input": input,
    });
    let mut args = vec!["hook", "claude-code"];
    args.extend_from_slice(extra);
    let out = tiergate(root)
        .args(&args)
        .env_remove("TIERGATE_DESTINATION")
        .write_stdin(event.to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    if stdout.trim().is_empty() {
        return None;
    }
    let v = json(&stdout);
    assert_eq!(
        v["hookSpecificOutput"]["permissionDecision"], "deny",
        "{stdout}"
    );
    Some(
        v["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

fn hook(root: &Path, tool: &str, input: serde_json::Value) -> Option<String> {
    hook_in(root, root, tool, input, &[])
}

fn read(root: &Path, path: &str) -> Option<String> {
    hook(root, "Read", serde_json::json!({"file_path": path}))
}

fn bash(root: &Path, command: &str) -> Option<String> {
    hook(root, "Bash", serde_json::json!({"command": command}))
}

/// `route --format json` for many paths at once: each input with whether it is allowed.
fn route(cwd: &Path, paths: &[String], to: &str) -> Vec<(String, bool, u64)> {
    let mut args = vec!["route", "--to", to, "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let r = run(cwd, &args);
    assert!(
        r.code == 0 || r.code == 1,
        "route: {}{}",
        r.stdout,
        r.stderr
    );
    json(&r.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["input"].as_str().unwrap().to_string(),
                a["allowed"].as_bool().unwrap(),
                a["tier"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn proc_self_cwd_is_the_sessions_working_directory() {
    let f = issue_repo();
    let reason = read(&f.root, "/proc/self/cwd/secrets/key.pem").expect("denied");
    assert!(reason.contains("secrets/key.pem"), "{reason}");
    assert!(read(&f.root, "/proc/thread-self/cwd/secrets/notes.txt").is_some());
    assert!(read(&f.root, "/proc/self/root/proc/self/cwd/secrets/key.pem").is_some());
    // Another process's directory, or an open file: cannot be known, tier 1.
    for p in [
        "/proc/1/cwd/README.md",
        "/dev/fd/3",
        "/proc/self/fd/0",
        "/dev/stdin",
    ] {
        let reason = read(&f.root, p).unwrap_or_else(|| panic!("{p} allowed"));
        assert!(reason.contains("path-unknowable"), "{p}: {reason}");
    }
    // A shared file through the same spelling goes through.
    assert_eq!(read(&f.root, "/proc/self/cwd/README.md"), None);
    // `route` from inside the repository.
    let answers = route(
        &f.root,
        &["/proc/self/cwd/secrets/key.pem".into()],
        "cloud-zdr",
    );
    assert!(!answers[0].1, "{answers:?}");
}

#[test]
fn a_repository_reached_through_a_symlinked_alias_is_inside_it() {
    let f = issue_repo();
    let via = |p: &str| f.alias.join(p).display().to_string();
    // The session's directory given through the alias, relative and absolute paths.
    for (cwd, path) in [
        (&f.alias, via("secrets/key.pem")),
        (&f.alias, "secrets/key.pem".to_string()),
        (&f.root, via("secrets/notes.txt")),
        (
            &f.alias,
            f.root.join("secrets/key.pem").display().to_string(),
        ),
    ] {
        let reason = hook_in(
            &f.root,
            cwd,
            "Read",
            serde_json::json!({"file_path": path}),
            &[],
        );
        assert!(reason.is_some(), "{path} from {} allowed", cwd.display());
    }
    assert_eq!(
        hook_in(
            &f.root,
            &f.alias,
            "Read",
            serde_json::json!({"file_path": via("README.md")}),
            &[]
        ),
        None
    );
    let answers = route(
        &f.root,
        &[via("secrets/key.pem"), via("README.md")],
        "cloud-zdr",
    );
    assert_eq!(
        answers.iter().map(|a| a.1).collect::<Vec<_>>(),
        [false, true],
        "{answers:?}"
    );
}

#[test]
fn dotdot_after_a_link_is_applied_to_the_links_target() {
    let f = issue_repo_with(|root| write(root, "secrets/README.md", "internal\n"));
    symlink("secrets/sub", f.root.join("q")).unwrap();
    symlink("secrets/sub", f.root.join("pub")).unwrap();
    let reason = read(&f.root, "q/../key.pem").expect("denied");
    assert!(reason.contains("secrets/key.pem"), "{reason}");
    assert!(bash(&f.root, "cat q/../key.pem").is_some());
    let answers = route(
        &f.root,
        &["q/../key.pem".into(), "pub/../README.md".into()],
        "cloud-zdr",
    );
    assert!(answers.iter().all(|a| !a.1), "{answers:?}");
}

#[test]
fn a_search_path_is_judged_with_or_without_a_trailing_slash() {
    let f = issue_repo();
    for path in ["secrets/", "secrets", "./secrets//", "s/", "d/../secrets/"] {
        let reason = hook(
            &f.root,
            "Grep",
            serde_json::json!({"pattern": "x", "path": path}),
        );
        assert!(reason.is_some(), "Grep in {path} allowed");
    }
    assert_eq!(
        hook(
            &f.root,
            "Grep",
            serde_json::json!({"pattern": "x", "path": "docs/"})
        ),
        None
    );
}

/// Every spelling of a protected file (alias prefixes, `./`, `//`, `..` through links,
/// a trailing `/`, `/proc/self/cwd`, NFD) is denied; every spelling of a shared file
/// through shared paths is allowed.
#[test]
fn every_spelling_of_a_protected_file_is_denied_and_of_a_shared_one_allowed() {
    use unicode_normalization::UnicodeNormalization;
    let f = issue_repo();
    symlink("secrets/sub", f.root.join("q")).unwrap();
    let prefixes = |root: &Path| -> Vec<String> {
        vec![
            String::new(),
            "./".into(),
            ".//./".into(),
            "docs/../".into(),
            "d/../".into(),
            format!("{}/", f.root.display()),
            format!("{}//", f.alias.display()),
            format!("{}/./", root.join("docs/..").display()),
            "/proc/self/cwd/".into(),
            "/proc/self/cwd/d/../".into(),
        ]
    };
    let spell = |target: &str, prefix: &str| -> Vec<String> {
        let nfd: String = target.nfd().collect();
        let doubled = target.replace('/', "//");
        let mut v = vec![
            format!("{prefix}{target}"),
            format!("{prefix}{doubled}"),
            format!("{prefix}{target}/"),
        ];
        if nfd != target {
            v.push(format!("{prefix}{nfd}"));
        }
        v
    };
    let mut protected: Vec<String> = Vec::new();
    for prefix in prefixes(&f.root) {
        for t in [
            "secrets/key.pem",
            "secrets/notes.txt",
            "secrets/cl\u{e9}.txt",
            "s/key.pem",
            "q/../notes.txt",
            "secrets/sub/../key.pem",
            "q/../sub/../key.pem",
        ] {
            protected.extend(spell(t, &prefix));
        }
    }
    let mut shared: Vec<String> = Vec::new();
    for prefix in prefixes(&f.root) {
        for t in [
            "README.md",
            "docs/guide.md",
            "docs/caf\u{e9}.md",
            "d/guide.md",
            "g",
            "d/../README.md",
            "docs/../d/caf\u{e9}.md",
        ] {
            shared.extend(spell(t, &prefix));
        }
    }
    for (paths, want) in [(&protected, false), (&shared, true)] {
        for a in route(&f.root, paths, "cloud-zdr") {
            assert_eq!(a.1, want, "{} (tier {})", a.0, a.2);
        }
    }
    // The hook answers as route does (one spelling of each shape).
    for p in protected.iter().step_by(5) {
        assert!(read(&f.root, p).is_some(), "hook allowed {p}");
    }
    for p in shared.iter().step_by(5) {
        assert_eq!(read(&f.root, p), None, "hook denied {p}");
    }
}

#[test]
fn a_file_renamed_over_a_listed_one_is_judged_as_it_is_now() {
    let f = issue_repo();
    git(&f.root, &["mv", "-f", "secrets/key.pem", "README.md"]);
    let reason = read(&f.root, "README.md").expect("denied");
    assert!(reason.contains("README.md (tier 1"), "{reason}");
    let answers = route(&f.root, &["README.md".into()], "cloud-zdr");
    assert!(!answers[0].1);
}

#[test]
fn a_listed_file_replaced_by_a_link_is_judged_by_its_target() {
    let f = issue_repo();
    std::fs::remove_file(f.root.join("docs/guide.md")).unwrap();
    symlink("../secrets/notes.txt", f.root.join("docs/guide.md")).unwrap();
    let reason = read(&f.root, "docs/guide.md").expect("denied");
    assert!(reason.contains("secrets/notes.txt"), "{reason}");
    assert!(!route(&f.root, &["docs/guide.md".into()], "cloud-zdr")[0].1);
    // Through the committed link to it as well.
    assert!(read(&f.root, "g").is_some());
}

/// Files changed since the scan are classified again with the rules in force: a key
/// written into a shared file is denied, an ordinary edit is not (the hook must not get
/// in the way when nothing is wrong), and no timestamp trick makes a change look old.
#[test]
fn files_changed_since_the_scan_are_classified_again() {
    let f = issue_repo();
    let r = &f.root;
    // Edits that keep the content shareable stay allowed.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(r, "docs/guide.md", "a better guide\n");
    write(r, "docs/new-but-listed-name.md", "x\n");
    std::fs::set_permissions(
        r.join("docs/caf\u{e9}.md"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    assert_eq!(read(r, "docs/guide.md"), None);
    assert_eq!(read(r, "docs/caf\u{e9}.md"), None);
    // A key written in place, with its modification time set back.
    write(r, "README.md", &private_key());
    let old = std::process::Command::new("touch")
        .args(["-d", "2001-01-01", "README.md"])
        .current_dir(r)
        .status()
        .unwrap();
    assert!(old.success());
    let reason = read(r, "README.md").expect("denied");
    assert!(reason.contains("README.md (tier 1"), "{reason}");
    // A hard link to the key over a shared name.
    std::fs::remove_file(r.join("docs/guide.md")).unwrap();
    std::fs::hard_link(r.join("secrets/key.pem"), r.join("docs/guide.md")).unwrap();
    assert!(read(r, "docs/guide.md").is_some());
    // A committed link pointed elsewhere.
    std::fs::remove_file(r.join("g")).unwrap();
    symlink("secrets/notes.txt", r.join("g")).unwrap();
    assert!(read(r, "g").is_some());
    // route says the same, and says why.
    let out = run(
        r,
        &[
            "route",
            "README.md",
            "--to",
            "cloud-zdr",
            "--format",
            "json",
        ],
    );
    let a = &json(&out.stdout)[0];
    assert_eq!(a["allowed"], false);
    let codes: Vec<&str> = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"changed-since-scan"), "{codes:?}");
}

#[test]
fn a_directory_accounts_for_every_file_on_disk() {
    let f = issue_repo();
    let r = &f.root;
    // A gitignored key under docs/, present on disk only.
    write(r, ".gitignore", "docs/local.pem\n");
    write(r, "docs/local.pem", &private_key());
    let out = run(r, &["route", "docs", "--to", "cloud-zdr"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("docs/local.pem"), "{}", out.stdout);
    let reason = bash(r, "grep -r PRIVATE docs").expect("denied");
    assert!(reason.contains("docs/local.pem"), "{reason}");
    for cmd in [
        "tar czf /tmp/out.tgz docs",
        "grep -r x d/",
        "cat docs/local.pem",
    ] {
        assert!(bash(r, cmd).is_some(), "{cmd} allowed");
    }
    // `.git/` is tier 1 for readers that descend into it.
    std::fs::remove_file(r.join("docs/local.pem")).unwrap();
    assert_eq!(bash(r, "grep -r x docs"), None);
    let reason = bash(r, "grep -r x .").expect("denied");
    assert!(
        reason.contains("git-internals") || reason.contains("secrets"),
        "{reason}"
    );
    write(r, "docs/sub/.git/config", "[remote]\n");
    let reason = bash(r, "grep -r x docs").expect("denied");
    assert!(reason.contains("git-internals"), "{reason}");
}

/// Claude Code's Grep runs ripgrep, which skips version-control directories and what
/// ignore files exclude unless a glob asks for it; hidden names are searched (current
/// releases pass `--hidden`). The hook relies on exactly that, and no more.
#[test]
fn claude_codes_grep_is_judged_as_ripgrep_searches() {
    let f = issue_repo();
    let r = &f.root;
    write(r, ".gitignore", "docs/local.pem\ndocs/build/\n");
    write(r, "docs/local.pem", &private_key());
    write(r, "docs/build/key.txt", &private_key());
    write(r, "docs/sub/.git/config", "[remote]\n");
    let grep = |input: serde_json::Value| hook(r, "Grep", input);
    // Ignored files are skipped by ripgrep: allowed.
    assert_eq!(
        grep(serde_json::json!({"pattern": "PRIVATE", "path": "docs"})),
        None
    );
    // A glob makes ripgrep search matching ignored files.
    for glob in [
        "*.pem",
        "*.{pem,md}",
        "*.md, *.pem",
        "**/*.txt",
        "docs/*.pem",
    ] {
        assert!(
            grep(serde_json::json!({"pattern": "x", "path": "docs", "glob": glob})).is_some(),
            "glob {glob} allowed"
        );
    }
    assert_eq!(
        grep(serde_json::json!({"pattern": "x", "path": "docs", "glob": "*.md"})),
        None
    );
    // A type filter does not bypass ignore files.
    assert_eq!(
        grep(serde_json::json!({"pattern": "x", "path": "docs", "type": "md"})),
        None
    );
    // Hidden names are searched.
    write(r, "docs/.hidden-key", &private_key());
    assert!(grep(serde_json::json!({"pattern": "x", "path": "docs"})).is_some());
    std::fs::remove_file(r.join("docs/.hidden-key")).unwrap();
    // No path: the session's directory; a protected file there denies.
    assert!(grep(serde_json::json!({"pattern": "x"})).is_some());
    let docs = r.join("docs");
    assert_eq!(
        hook_in(r, &docs, "Grep", serde_json::json!({"pattern": "x"}), &[]),
        None
    );
    // Glob and LS reveal names, not content.
    assert_eq!(
        hook(
            r,
            "Glob",
            serde_json::json!({"pattern": "**/*", "path": "secrets"})
        ),
        None
    );
    assert_eq!(
        hook(r, "LS", serde_json::json!({"path": "secrets/key.pem"})),
        None
    );
}

fn submodule_repo() -> (tempfile::TempDir, Fixture) {
    let sub = tempfile::tempdir().unwrap();
    write(sub.path(), "lib.py", "x = 1\n");
    write(sub.path(), "keys/id.pem", &private_key());
    git(sub.path(), &["init", "-q", "-b", "main"]);
    git(sub.path(), &["add", "-A"]);
    git(sub.path(), &["commit", "-q", "-m", "sub"]);
    let url = sub.path().display().to_string();
    let f = issue_repo_with(|root| {
        // The submodule entry at tier 3 by a reviewed exception (whatever tier a scan
        // gives a submodule by default).
        write(
            root,
            "tiergate.exceptions.yaml",
            "exceptions:\n  - id: EXC-1\n    paths: [\"vendor/lib\"]\n    tier: 3\n    reason: Reviewed library\n    approver: sec@example.com\n    approved: 2020-01-01\n    expires: 2099-01-01\n",
        );
        git(root, &["init", "-q", "-b", "main"]);
        git(
            root,
            &[
                "-c",
                "protocol.file.allow=always",
                "submodule",
                "add",
                "-q",
                &url,
                "vendor/lib",
            ],
        );
    });
    (sub, f)
}

#[test]
fn a_path_under_a_submodule_needs_the_submodules_own_manifest() {
    let (_sub, f) = submodule_repo();
    let r = &f.root;
    let m = json(&std::fs::read_to_string(r.join("tiergate.manifest.json")).unwrap());
    assert_eq!(m["files"]["vendor/lib"]["kind"], "submodule");
    assert_eq!(m["files"]["vendor/lib"]["tier"], 3);
    for cmd in [
        "grep -r x vendor/lib",
        "tar czf /tmp/x.tgz vendor",
        "cat vendor/lib/lib.py",
    ] {
        let reason = bash(r, cmd).unwrap_or_else(|| panic!("{cmd} allowed"));
        assert!(
            reason.contains("submodule-not-scanned") || reason.contains("git-internals"),
            "{cmd}: {reason}"
        );
    }
    let reason = hook(
        r,
        "Grep",
        serde_json::json!({"pattern": "x", "path": "vendor/lib"}),
    )
    .expect("denied");
    assert!(reason.contains("submodule-not-scanned"), "{reason}");
    assert!(
        !route(
            r,
            &["vendor/lib".into(), "vendor/lib/lib.py".into()],
            "cloud-zdr"
        )
        .iter()
        .any(|a| a.1)
    );
    // Scanned itself: its own manifest answers, never more leniently than its entry.
    let sub_root = r.join("vendor/lib");
    let out = run(&sub_root, &["scan"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(read(r, "vendor/lib/lib.py"), None);
    let reason = read(r, "vendor/lib/keys/id.pem").expect("denied");
    assert!(reason.contains("vendor/lib/keys/id.pem"), "{reason}");
    assert_eq!(
        hook(
            r,
            "Grep",
            serde_json::json!({"pattern": "x", "path": "vendor/lib", "glob": "*.py"})
        ),
        None
    );
    assert!(
        hook(
            r,
            "Grep",
            serde_json::json!({"pattern": "x", "path": "vendor/lib"})
        )
        .is_some()
    );
    let answers = route(
        r,
        &["vendor/lib/lib.py".into(), "vendor/lib/keys".into()],
        "cloud-zdr",
    );
    assert_eq!(
        answers.iter().map(|a| a.1).collect::<Vec<_>>(),
        [true, false],
        "{answers:?}"
    );
    // A submodule manifest its own rules do not vouch for is not used.
    let path = sub_root.join("tiergate.manifest.json");
    let mut m = Manifest::from_json(&std::fs::read_to_string(&path).unwrap(), "m").unwrap();
    m.destinations.iter_mut().for_each(|d| d.accepts = 1);
    std::fs::write(&path, m.to_json()).unwrap();
    let reason = read(r, "vendor/lib/lib.py").expect("denied");
    assert!(reason.contains("submodule-not-scanned"), "{reason}");
}

/// Two adjacent entries with the same key (Unicode twins met in one key, a hand edit):
/// no answer from either copy.
#[test]
fn a_repeated_key_fails_closed() {
    let f = issue_repo();
    let path = f.root.join("tiergate.manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("\"docs/caf\u{e9}.md\""))
        .unwrap()
        .to_string();
    // The twin after it holds a key: a reader answering from the first copy (tier 3)
    // sends it out.
    let twin = line.replacen("{\"tier\":3", "{\"tier\":1", 1);
    assert_ne!(twin, line);
    std::fs::write(&path, text.replacen(&line, &format!("{line}\n{twin}"), 1)).unwrap();
    let out = run(
        &f.root,
        &["route", "docs/caf\u{e9}.md", "--to", "cloud-zdr"],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("repeat a path"), "{}", out.stderr);
    let reason = read(&f.root, "docs/caf\u{e9}.md").expect("denied");
    assert!(reason.contains("repeat a path"), "{reason}");
}

/// Header tampering (a pull request editing the manifest): every reader refuses it.
#[test]
fn a_manifest_whose_header_the_rules_in_force_do_not_give_is_refused() {
    type Tamper = (&'static str, fn(&mut Manifest));
    let tampers: [Tamper; 6] = [
        ("destinations[cloud-zdr].accepts", |m| {
            m.destinations.iter_mut().for_each(|d| d.accepts = 1)
        }),
        // Entries another release decided: its secrets detector finds other things.
        ("provenance.decisions.secrets", |m| {
            m.provenance.decisions.insert("secrets".into(), 0);
        }),
        ("unlisted.tier", |m| m.unlisted.tier = 3),
        ("zones[credential-files].path_tier", |m| {
            let z = m
                .zones
                .iter_mut()
                .find(|z| z.name == "credential-files")
                .unwrap();
            z.path_tier = Some(4);
        }),
        ("rules[secrets].globs", |m| {
            m.rules[0].globs = vec!["nothing/**".into()]
        }),
        ("manifest-invalid-tier", |m| {
            m.files.get_mut("secrets/key.pem").unwrap().tier = 9
        }),
    ];
    for (what, tamper) in tampers {
        let f = issue_repo();
        let r = &f.root;
        let path = r.join("tiergate.manifest.json");
        let mut m = Manifest::from_json(&std::fs::read_to_string(&path).unwrap(), "m").unwrap();
        tamper(&mut m);
        std::fs::write(&path, m.to_json()).unwrap();
        // route: exit 2 naming what differs.
        let out = run(
            r,
            &["route", "secrets/key.pem", "README.md", "--to", "cloud-zdr"],
        );
        assert_eq!(out.code, 2, "{what}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(what), "{what}: {}", out.stderr);
        assert!(
            out.stderr.contains("tiergate scan"),
            "{what}: {}",
            out.stderr
        );
        // The hook: denied.
        let reason = read(r, "secrets/key.pem").unwrap_or_else(|| panic!("{what}: allowed"));
        assert!(reason.contains(what), "{what}: {reason}");
        if what != "manifest-invalid-tier" {
            // Every call, even one that names no path.
            assert!(bash(r, "cargo test").is_some(), "{what}");
            assert!(read(r, "README.md").is_some(), "{what}");
        }
        // export: nothing written.
        let out = run(r, &["export", "--agent", "cursor"]);
        assert_eq!(out.code, 2, "{what}: {}{}", out.stdout, out.stderr);
        assert!(!r.join(".cursorignore").exists(), "{what}");
        let out = run(r, &["export", "--agent", "claude-code"]);
        assert_eq!(out.code, 2, "{what}");
        if what == "manifest-invalid-tier" {
            // explain and report --since read the entry too: an error, never tier 9.
            let out = run(r, &["explain", "secrets/key.pem"]);
            assert_eq!(out.code, 2, "explain: {}{}", out.stdout, out.stderr);
            assert!(out.stderr.contains(what), "{}", out.stderr);
            std::fs::copy(&path, r.join("old.json")).unwrap();
            let out = run(r, &["report", "--since", "old.json"]);
            assert_eq!(out.code, 2, "report: {}", out.stderr);
            assert!(out.stderr.contains(what), "{}", out.stderr);
        }
    }
}

/// The manifest, config, exceptions, policies, `.claude/` and `.git/tiergate/` are
/// written by people: the file tools are denied them whatever the destination.
#[test]
fn writes_to_tiergates_own_files_are_denied_whatever_the_destination() {
    let f = issue_repo();
    let r = &f.root;
    symlink("tiergate.manifest.json", r.join("m")).unwrap();
    for (tool, path) in [
        ("Edit", "tiergate.manifest.json"),
        ("Write", "tiergate.yaml"),
        ("Write", "tiergate.exceptions.yaml"),
        ("MultiEdit", ".claude/settings.json"),
        ("Write", "docs/.claude/settings.local.json"),
        ("Write", ".git/tiergate/decisions.jsonl"),
        ("Write", ".tiergate/policies/custom.rego"),
        ("Write", ".tiergate/rules/annex3/4a.yaml"),
        ("Edit", "m"),
        ("Write", "/proc/self/cwd/tiergate.yaml"),
    ] {
        let reason = hook_in(
            r,
            r,
            tool,
            serde_json::json!({"file_path": path}),
            &["--destination", "local"],
        )
        .unwrap_or_else(|| panic!("{tool} {path} allowed"));
        assert!(
            reason.contains("governance-file"),
            "{tool} {path}: {reason}"
        );
    }
    for (tool, path) in [
        ("Write", "docs/new.md"),
        ("Edit", "README.md"),
        ("Read", "tiergate.yaml"),
    ] {
        assert_eq!(
            hook_in(
                r,
                r,
                tool,
                serde_json::json!({"file_path": path}),
                &["--destination", "local"]
            ),
            None,
            "{tool} {path}"
        );
    }
}

/// The scan records its start outside the committed manifest; without the record (a
/// fresh clone) the manifest's own change time is the reference, and answers hold.
#[test]
fn the_scan_records_its_start_outside_the_manifest() {
    let f = issue_repo();
    let r = &f.root;
    let record = r.join(".git/tiergate/scan.json");
    assert!(record.is_file());
    assert!(!git(r, &["ls-files"]).contains("scan.json"));
    std::fs::remove_file(&record).unwrap();
    assert_eq!(read(r, "README.md"), None);
    assert!(read(r, "secrets/key.pem").is_some());
    git(r, &["mv", "-f", "secrets/key.pem", "README.md"]);
    assert!(read(r, "README.md").is_some());
}

/// A changed file's classification is recorded by content: the same bytes at the same
/// path under the same rules answer from the record, other bytes are classified again.
#[test]
fn classifications_of_changed_files_are_recorded_by_content() {
    let f = issue_repo();
    let r = &f.root;
    write(r, "docs/guide.md", "a better guide\n");
    assert_eq!(read(r, "docs/guide.md"), None);
    let record = std::fs::read_to_string(r.join(".git/tiergate/judgements.json")).unwrap();
    assert!(record.contains("docs/guide.md"), "{record}");
    write(r, "docs/guide.md", &private_key());
    assert!(read(r, "docs/guide.md").is_some());
    write(r, "docs/guide.md", "a better guide\n");
    assert_eq!(read(r, "docs/guide.md"), None);
    write(r, "docs/guide.md", &private_key());
    assert!(
        read(r, "docs/guide.md").is_some(),
        "answered from the record"
    );
    git(r, &["add", "docs/guide.md"]);
    assert!(read(r, "docs/guide.md").is_some());
}
