//! Hostile and unusual repositories: every case ends in a clear message with exit 2, or
//! in the affected file being classified (tier 1 where content is unknown or secret) —
//! never a panic, a hang, a partial manifest or a silently skipped file. The simpler
//! cases (config errors, symlinks, special files, unreadable files, case collisions,
//! large files, submodules) live in tests/scan.rs; these are the rest.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{codes_of, git, json, run, tier_of};

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// A private key assembled at run time, so this repository never holds one.
fn private_key() -> String {
    let kind = ["RSA", "PRIVATE", "KEY"].join(" ");
    let body = "MIIEpAIBAAKCAQEA7q2dV9mW3bq8sZ9uN1xKf0aLr2Tq4Yy8pS1cVb6n3eH0gJ5w";
    format!("-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n")
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
    write(&p, "hr/.env", b"TOKEN=x\n");
    git(&p, &["add", "-A"]);
    git(&p, &["commit", "-q", "-m", "one"]);
    let wt = dir.path().join("wt");
    git(&p, &["worktree", "add", "-q", wt.to_str().unwrap()]);
    let m = scan_ok(&wt);
    assert_eq!(tier_of(&m, "hr/.env"), 1);
    assert!(m["provenance"]["commit"].is_string());
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
    for delay_ms in [5u64, 40, 120] {
        for signal in [libc_sigterm(), libc_sigkill()] {
            let mut child = spawn_scan(p);
            std::thread::sleep(Duration::from_millis(delay_ms));
            // SAFETY: signalling a child process we own.
            unsafe { kill(child.id() as i32, signal) };
            let status = child.wait().unwrap();
            let now = std::fs::read(p.join("tiergate.manifest.json")).unwrap();
            // Either the run finished (a complete new manifest) or the old one stays.
            if status.success() {
                let m: serde_json::Value = serde_json::from_slice(&now).unwrap();
                assert_eq!(m["summary"]["files"], 3001);
            } else {
                assert_eq!(now, before, "signal {signal} after {delay_ms} ms");
            }
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
