//! Hostile and unusual repositories: every case ends in a clear message with exit 2, or
//! in the affected file being classified (tier 1 where content is unknown or secret) —
//! never a panic, a hang, a partial manifest or a silently skipped file. The simpler
//! cases (config errors, symlinks, special files, unreadable files, case collisions,
//! large files, submodules) live in tests/scan.rs; these are the rest.
// Signals to child processes and the effective user id: libc calls, in a test.
#![allow(unsafe_code)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{codes_of, git, json, private_key, run, tier_of};

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn manifest(p: &Path) -> serde_json::Value {
    json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap())
}

fn scan_ok(p: &Path) -> serde_json::Value {
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    manifest(p)
}

/// Regression: binary files skipped the secret detectors, so a key inside an
/// executable or an unknown keystore format was routed to the cloud at the default tier.
#[test]
fn binary_files_carrying_secrets_are_tier_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    let mut blob = vec![0u8, 1, 2, 3, 0, 0];
    blob.extend_from_slice(private_key().as_bytes());
    blob.extend_from_slice(&[0; 64]);
    write(p, "assets/store.bin", &blob);
    let token = ["AKIA", "Q3EGT4KZ7B2XVN5M"].concat();
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.extend_from_slice(&[0; 32]);
    elf.extend_from_slice(format!("aws_access_key_id={token}\n").as_bytes());
    write(p, "bin/tool", &elf);
    write(p, "assets/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    git(p, &["add", "-A"]);
    let m = scan_ok(p);
    assert_eq!(tier_of(&m, "assets/store.bin"), 1);
    assert_eq!(tier_of(&m, "bin/tool"), 1);
    assert_eq!(tier_of(&m, "assets/logo.png"), 3);
    for path in ["assets/store.bin", "bin/tool"] {
        assert!(
            codes_of(&m, path).contains(&"content-not-scanned".to_string())
                || m["files"][path]["kind"] == "binary",
            "{path}"
        );
    }
    let text = std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap();
    assert!(!text.contains(&token) && !text.contains("MIIEpAIBAAKCAQEA"));
}

#[test]
fn a_sparse_multi_gigabyte_file_is_read_bounded_and_classified() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    let f = std::fs::File::create(p.join("disk.img")).unwrap();
    f.set_len(6 << 30).unwrap();
    drop(f);
    // A text file of two megabytes on one line (minified), and one past the content
    // limit.
    let line = "var a=1,b=\"x\";".repeat(150_000);
    write(p, "dist/app.min.js", line.as_bytes());
    write(p, "dist/huge.min.js", line.repeat(8).as_bytes());
    // git would hash all six gigabytes on `add`: the image stays untracked, and the
    // scan lists it with --include-untracked.
    git(p, &["add", "dist"]);
    let start = Instant::now();
    let r = run(p, &["scan", "--include-untracked"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = manifest(p);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(m["files"]["disk.img"]["kind"], "binary");
    assert!(codes_of(&m, "disk.img").contains(&"content-not-scanned".to_string()));
    assert_eq!(m["files"]["dist/app.min.js"]["kind"], "text");
    assert!(!codes_of(&m, "dist/app.min.js").contains(&"content-truncated".to_string()));
    assert!(codes_of(&m, "dist/huge.min.js").contains(&"content-truncated".to_string()));
}

#[test]
fn a_bare_repository_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "--bare"]);
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("bare repository"), "{}", r.stderr);
    assert!(!p.join("tiergate.manifest.json").exists());
    // Inside it, too.
    let r = run(&p.join("refs"), &["ls"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_repository_without_commits_is_scanned_and_gated() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    write(p, "src/a.py", b"print(1)\n");
    git(p, &["add", "-A"]);
    let m = scan_ok(p);
    assert!(m["provenance"]["commit"].is_null());
    assert_eq!(tier_of(&m, "src/a.py"), 3);
    git(p, &["add", "-A"]);
    let r = run(p, &["check", "--staged"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_shallow_clone_scans_and_a_missing_merge_base_is_a_clear_error() {
    let origin = tempfile::tempdir().unwrap();
    let o = origin.path();
    git(o, &["init", "-q", "-b", "main"]);
    write(o, "src/a.py", b"print(1)\n");
    git(o, &["add", "-A"]);
    scan_ok(o);
    git(o, &["add", "-A"]);
    git(o, &["commit", "-q", "-m", "one"]);
    git(o, &["checkout", "-q", "-b", "topic"]);
    write(o, "src/b.py", b"print(2)\n");
    git(o, &["add", "-A"]);
    scan_ok(o);
    git(o, &["add", "-A"]);
    git(o, &["commit", "-q", "-m", "two"]);
    let clone = tempfile::tempdir().unwrap();
    let c = clone.path().join("c");
    let url = format!("file://{}", o.display());
    git(
        clone.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "topic", &url, "c",
        ],
    );
    let m = scan_ok(&c);
    assert_eq!(tier_of(&m, "src/b.py"), 3);
    // The base branch is not there: a clear error, not a pass.
    let r = run(&c, &["check", "--base", "origin/main"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.is_empty());
}

#[test]
fn a_linked_worktree_is_a_repository_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("main");
    std::fs::create_dir_all(&p).unwrap();
    git(&p, &["init", "-q", "-b", "main"]);
    write(&p, "src/a.py", b"print(1)\n");
    write(&p, "hr/.env", b"TOKEN=Kq7mWz2pR4\n");
    git(&p, &["add", "-A"]);
    git(&p, &["commit", "-q", "-m", "one"]);
    let wt = dir.path().join("wt");
    git(&p, &["worktree", "add", "-q", wt.to_str().unwrap()]);
    let m = scan_ok(&wt);
    assert_eq!(tier_of(&m, "hr/.env"), 1);
    // A written manifest names no commit; the report judged in the worktree names the
    // worktree's HEAD.
    assert!(m["provenance"].get("commit").is_none());
    let head = git(&wt, &["rev-parse", "HEAD"]);
    let r = run(&wt, &["report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(head.trim()), "{}", r.stdout);
    // The linked worktree's `.git` is a file; it is not listed.
    assert!(m["files"].get(".git").is_none());
}

#[test]
fn long_and_deep_names_are_classified() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    let long = format!("{}.txt", "n".repeat(250));
    let deep: String = (0..60).map(|i| format!("d{i}/")).collect::<String>() + "leaf.env";
    write(p, &long, b"x\n");
    write(p, &deep, b"x\n");
    write(p, "sp ace/ünï cödé.md", b"x\n");
    git(p, &["add", "-A"]);
    let m = scan_ok(p);
    assert_eq!(tier_of(&m, &long), 3);
    assert_eq!(tier_of(&m, &deep), 3);
    assert_eq!(tier_of(&m, "sp ace/ünï cödé.md"), 3);
}

#[test]
fn concurrent_scans_never_leave_a_partial_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    for i in 0..400 {
        write(p, &format!("src/m{i}.py"), format!("x = {i}\n").as_bytes());
    }
    git(p, &["add", "-A"]);
    let children: Vec<_> = (0..4).map(|_| spawn_scan(p)).collect();
    for c in children {
        assert!(c.wait_with_output().unwrap().status.success());
    }
    let m = manifest(p);
    assert_eq!(m["summary"]["files"], 400);
    // No temporary file is left behind.
    let leftovers: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tiergate") || n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_killed_scan_leaves_the_previous_manifest_intact() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    for i in 0..3000 {
        write(
            p,
            &format!("src/d{}/m{i}.py", i % 50),
            format!("x = {i}\n").repeat(200).as_bytes(),
        );
    }
    git(p, &["add", "-A"]);
    scan_ok(p);
    let before = std::fs::read(p.join("tiergate.manifest.json")).unwrap();
    write(p, "src/new.py", b"y = 1\n");
    git(p, &["add", "-A"]);
    // The manifest a run found: the first scan's, until one run has renamed its own
    // into place.
    let mut last = before;
    for delay_ms in [5u64, 40, 120] {
        for signal in [libc_sigterm(), libc_sigkill()] {
            let mut child = spawn_scan(p);
            std::thread::sleep(Duration::from_millis(delay_ms));
            // SAFETY: signalling a child process we own.
            unsafe { kill(child.id() as i32, signal) };
            let status = child.wait().unwrap();
            let now = std::fs::read(p.join("tiergate.manifest.json")).unwrap();
            // Either the run finished (a complete new manifest) or the old one stays. A
            // run killed in its last milliseconds, after its manifest was renamed into
            // place (while its caches are written, or on its way out), leaves the
            // complete new one.
            if status.success() || now != last {
                let m: serde_json::Value = serde_json::from_slice(&now)
                    .unwrap_or_else(|e| panic!("signal {signal} after {delay_ms} ms: {e}"));
                assert_eq!(
                    m["summary"]["files"], 3001,
                    "signal {signal} after {delay_ms} ms"
                );
            }
            last = now;
        }
    }
}

unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}

fn libc_sigterm() -> i32 {
    15
}

fn libc_sigkill() -> i32 {
    9
}

/// `tiergate scan` in `dir` as a child process, output discarded.
fn spawn_scan(dir: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_tiergate"))
        .arg("scan")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The effective user id of this process.
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Whether the sandbox user can read `path` (`cat` through `setpriv` as root, or
/// directly otherwise): the test below must really be denied, not just hope so.
fn readable_as(unprivileged: &[&str], path: &Path) -> bool {
    let mut cmd = std::process::Command::new(unprivileged.first().copied().unwrap_or("cat"));
    if !unprivileged.is_empty() {
        cmd.args(&unprivileged[1..]).arg("cat");
    }
    cmd.arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success()
}

/// `chown -R` to the sandbox user, so its permission bits, not root's, decide, and git
/// (which refuses a repository owned by someone else) opens it.
fn chown_tree(p: &Path, uid: u32) {
    std::os::unix::fs::lchown(p, Some(uid), Some(uid)).unwrap();
    if std::fs::symlink_metadata(p).unwrap().is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            chown_tree(&e.unwrap().path(), uid);
        }
    }
}

/// Permission bits only stop an unprivileged user: as root (CI), the real binary runs as
/// `nobody` through util-linux's `setpriv` (essential on Debian, so always there);
/// otherwise as the current user. A file and a directory of mode 000 must end in the
/// manifest at tier 1 with the read error, every tracked file under the directory too,
/// and a scan root that cannot be listed is an error, not an empty manifest.
#[test]
fn permission_denied_files_and_directories_as_an_unprivileged_user() {
    use std::os::unix::fs::PermissionsExt;
    const NOBODY: u32 = 65534;
    let mode =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let top = tempfile::tempdir().unwrap();
    // The sandbox user must traverse the temporary directory and run the binary, which
    // may sit under a home directory it cannot enter: link it (or copy it) here.
    mode(top.path(), 0o755);
    let bin = top.path().join("tiergate");
    if std::fs::hard_link(env!("CARGO_BIN_EXE_tiergate"), &bin).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_tiergate"), &bin).unwrap();
    }
    mode(&bin, 0o755);
    let p = top.path().join("repo");
    std::fs::create_dir(&p).unwrap();
    git(&p, &["init", "-q", "-b", "main"]);
    write(&p, "src/a.py", b"print(1)\n");
    write(&p, "locked.txt", b"cannot read me\n");
    write(&p, "locked-dir/inside.txt", b"hidden\n");
    write(&p, "locked-dir/deep/key.txt", b"hidden too\n");
    git(&p, &["add", "-A"]);
    git(&p, &["commit", "-q", "-m", "one"]);
    let root = euid() == 0;
    let as_user: Vec<&str> = if root {
        if !common::tool_available("setpriv") {
            return;
        }
        chown_tree(&p, NOBODY);
        vec![
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
    } else {
        Vec::new()
    };
    mode(&p.join("locked.txt"), 0o000);
    mode(&p.join("locked-dir"), 0o000);
    let denied = !readable_as(&as_user, &p.join("locked.txt"));
    if !denied {
        // A user with CAP_DAC_OVERRIDE but not uid 0: nothing here can be denied.
        mode(&p.join("locked-dir"), 0o755);
        assert!(
            std::env::var("TIERGATE_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "permission bits do not stop reads for this user, and no unprivileged user \
             is available: the permission-denied cases cannot be tested"
        );
        eprintln!("note: permission bits do not stop reads here; skipping");
        return;
    }
    let scan = |dir: &Path, args: &[&str]| {
        let mut cmd = match as_user.split_first() {
            Some((first, rest)) => {
                let mut c = std::process::Command::new(first);
                c.args(rest).arg(&bin);
                c
            }
            None => std::process::Command::new(&bin),
        };
        let out = cmd
            .args(args)
            .current_dir(dir)
            .env("HOME", top.path())
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    // The committed manifest (tracked files), written by the scan.
    let (code, _, stderr) = scan(&p, &["scan"]);
    assert_eq!(code, 0, "{stderr}");
    let m = manifest(&p);
    assert_eq!(tier_of(&m, "locked.txt"), 1);
    assert_eq!(m["files"]["locked.txt"]["kind"], "unreadable");
    assert_eq!(codes_of(&m, "locked.txt"), ["read-error"]);
    let message = |path: &str| m["files"][path]["reasons"][0]["message"].clone();
    assert!(
        message("locked.txt")
            .as_str()
            .unwrap()
            .contains("Permission denied"),
        "{}",
        message("locked.txt")
    );
    // The files git tracks under the directory it cannot list stay in the manifest.
    for path in ["locked-dir/inside.txt", "locked-dir/deep/key.txt"] {
        assert_eq!(tier_of(&m, path), 1, "{path}");
        assert_eq!(codes_of(&m, path), ["read-error"], "{path}");
        let msg = message(path);
        assert!(
            msg.as_str()
                .unwrap()
                .starts_with("cannot list `locked-dir`: Permission denied"),
            "{path}: {msg}"
        );
    }
    assert_eq!(tier_of(&m, "src/a.py"), 3, "the rest is unaffected");
    assert_eq!(m["summary"]["files"], 4);

    // Every file: the directory itself is an entry too, standing for what it may hold.
    let (code, stdout, stderr) = scan(&p, &["scan", "--include-untracked", "-o", "-"]);
    assert_eq!(code, 0, "{stderr}");
    let all = json(&stdout);
    assert_eq!(tier_of(&all, "locked-dir"), 1);
    assert_eq!(all["files"]["locked-dir"]["kind"], "unreadable");
    assert_eq!(codes_of(&all, "locked-dir"), ["read-error"]);

    // A scan root the user may enter but not list: a clear error, nothing written.
    std::fs::remove_file(p.join("tiergate.manifest.json")).unwrap();
    mode(&p, 0o311);
    let (code, stdout, stderr) = scan(&p, &["scan"]);
    mode(&p, 0o755);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("cannot list the directory"), "{stderr}");
    assert!(!p.join("tiergate.manifest.json").exists());

    // Let the temporary directory be removed.
    mode(&p.join("locked-dir"), 0o755);
}

/// The Rego failures of one scan: a runtime error, a loop stopped by the instruction
/// budget and an undefined `findings`, each for its own files. Each of those files is
/// tier 1 with `policy-error` and the error as its message; the other files keep their
/// tier and the scan exits 0 (docs/src/rego.md, "Failing closed").
#[test]
fn rego_runtime_errors_loops_and_undefined_results_fail_closed_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    write(
        p,
        "tiergate.yaml",
        b"policies:\n  max_instructions: 200000\n",
    );
    write(
        p,
        ".tiergate/policies/hostile.rego",
        br#"package tiergate.custom.hostile

import rego.v1

# to_number fails at run time for files with the extension `boom`.
findings contains {
	"code": "never-boom",
	"tier": 2,
	"rule": "boom",
	"reason": "not reached",
} if {
	input.file.extension == "boom"
	to_number(input.file.extension) > 0
}

# Ten billion iterations for files with the extension `spin`: the budget stops them.
findings contains {
	"code": "never-spin",
	"tier": 2,
	"rule": "spin",
	"reason": "not reached",
} if {
	input.file.extension == "spin"
	some x in numbers.range(1, 100000)
	some y in numbers.range(1, 100000)
	x + y < 0
}
"#,
    );
    write(
        p,
        ".tiergate/policies/partial.rego",
        br#"package tiergate.custom.partial

import rego.v1

# No value at all for files with the extension `void`.
findings := set() if input.file.extension != "void"
"#,
    );
    write(p, "src/trigger.boom", b"kaboom\n");
    write(p, "src/forever.spin", b"round\n");
    write(p, "src/nothing.void", b"empty\n");
    write(p, "src/fine.txt", b"ok\n");
    git(p, &["add", "-A"]);
    let out = common::tiergate(p)
        .arg("scan")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let m = manifest(p);
    for (path, needle) in [
        (
            "src/trigger.boom",
            "hostile.rego:13:22: could not parse string as number",
        ),
        ("src/forever.spin", "instruction"),
        ("src/nothing.void", "undefined"),
    ] {
        assert_eq!(tier_of(&m, path), 1, "{path}");
        let reasons = m["files"][path]["reasons"].as_array().unwrap();
        let err = reasons
            .iter()
            .find(|r| r["code"] == "policy-error")
            .unwrap_or_else(|| panic!("{path}: no policy-error in {reasons:?}"));
        assert_eq!(err["tier"], 1);
        let msg = err["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{path}: {needle:?} not in {msg:?}");
    }
    assert_eq!(tier_of(&m, "src/fine.txt"), 3);
    assert_eq!(codes_of(&m, "src/fine.txt"), ["default-tier"]);
    // Every tracked file is listed: none dropped with its failing evaluation.
    let tracked = git(p, &["ls-files"]).lines().count();
    assert_eq!(m["summary"]["files"], tracked);
    assert_eq!(m["files"].as_object().unwrap().len(), tracked);
}
