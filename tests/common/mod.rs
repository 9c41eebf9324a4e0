//! Test helpers: fixture copies, real git repositories with fixed identities and dates
//! (so commit ids are stable), and the tiergate binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fresh copy of `fixtures/NAME` in a temporary directory.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

/// Copy a fixture tree, leaving out manifests a local `tiergate scan` may have written
/// into it (the README's demo command does): they are output, not part of the scenario.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == "tiergate.manifest.json" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A private key assembled at run time, so this repository never holds one.
pub fn private_key() -> String {
    let kind = ["RSA", "PRIVATE", "KEY"].join(" ");
    let body = "MIIEpAIBAAKCAQEA7q2dV9mW3bq8sZ9uN1xKf0aLr2Tq4Yy8pS1cVb6n3eH0gJ5w";
    format!("-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n")
}

/// Git, and what it runs (hooks), with a fixed identity and no user or system config.
pub fn isolated_git(c: &mut Command) -> &mut Command {
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
}

/// Run git in `dir` with a fixed identity, fixed dates and no user or system config.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = isolated_git(Command::new("git").args(args).current_dir(dir))
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The `gate` fixture as a project using the hooks of the repository at `hooks` (at
/// commit `rev`): its pre-commit config written, scanned and committed on `main`.
pub fn hooked_gate_project(hooks: &Path, rev: &str) -> tempfile::TempDir {
    let project = fixture("gate");
    let p = project.path();
    std::fs::write(
        p.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {:?}\n    rev: {rev}\n    hooks:\n      - id: tiergate-manifest\n      - id: tiergate\n",
            hooks.display().to_string()
        ),
    )
    .unwrap();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    let scan = run(p, &["scan"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    project
}

/// `git init` + add everything + one commit.
pub fn git_commit_all(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "fixture"]);
}

/// The tiergate binary, run in `dir`, isolated from the user's environment.
pub fn tiergate(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tiergate").expect("binary built");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    let out = tiergate(dir).args(args).output().expect("tiergate runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// `tiergate ls --format json` in `dir`: one record per file, sorted by path.
pub fn ls(dir: &Path) -> Vec<serde_json::Value> {
    let r = run(dir, &["ls", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r.stdout).as_array().unwrap().clone()
}

/// The record of `path` among `recs` (what [`ls`] gives).
pub fn record<'a>(recs: &'a [serde_json::Value], path: &str) -> &'a serde_json::Value {
    recs.iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("{path} not listed"))
}

/// Scan `dir` and return the manifest as JSON.
pub fn scan_manifest(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["scan"];
    args.extend_from_slice(extra);
    let r = run(dir, &args);
    assert_eq!(r.code, 0, "scan failed: {}", r.stderr);
    json(&std::fs::read_to_string(dir.join("tiergate.manifest.json")).unwrap())
}

pub fn tier_of(manifest: &serde_json::Value, path: &str) -> u64 {
    manifest["files"][path]["tier"]
        .as_u64()
        .unwrap_or_else(|| panic!("{path} not in manifest: {}", manifest["files"]))
}

pub fn codes_of(manifest: &serde_json::Value, path: &str) -> Vec<String> {
    manifest["files"][path]["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("{path} not in manifest"))
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

/// Whether an external tool runs (`NAME --version`). When it does not, the calling test
/// prints a note and skips, unless `TIERGATE_REQUIRE_TOOLS=1` (CI sets it): then a
/// missing tool is a failure.
pub fn tool_available(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("TIERGATE_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{name} is required (TIERGATE_REQUIRE_TOOLS=1) but not installed"
        );
        eprintln!("note: {name} is not installed; skipping");
    }
    found
}

/// Which of `paths` git ignores with `text` as the root `.gitignore`, sorted: `git
/// check-ignore --no-index` as the independent oracle of what an exported file excludes.
/// Paths go through standard input, NUL-separated, so any name is taken literally.
pub fn git_ignored(text: &str, paths: &[&str]) -> Vec<String> {
    let raw: Vec<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
    let mut v: Vec<String> = git_ignored_bytes(text, &raw)
        .into_iter()
        .map(|s| String::from_utf8(s).unwrap())
        .collect();
    v.sort();
    v
}

/// [`git_ignored`] for names given as raw bytes (names that are not UTF-8 included).
pub fn git_ignored_bytes(text: &str, paths: &[&[u8]]) -> Vec<Vec<u8>> {
    use std::io::Write;
    let oracle = tempfile::tempdir().unwrap();
    git(oracle.path(), &["init", "-q"]);
    std::fs::write(oracle.path().join(".gitignore"), text).unwrap();
    let mut child = std::process::Command::new("git")
        .args(["check-ignore", "--no-index", "--stdin", "-z"])
        .current_dir(oracle.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(p);
        input.push(0);
    }
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    out.stdout
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// A directory holding the `tiergate` wheel of this version whose binary is the binary
/// under test. `TIERGATE_WHEEL_DIR` names one (CI builds it before the tests); else
/// the wheel is built here with maturin in the `dev` profile, which reuses the
/// binary cargo built for the tests (nothing is compiled again). None, with a note,
/// when maturin is not installed, unless `TIERGATE_REQUIRE_TOOLS=1`.
pub fn wheel_dir() -> Option<PathBuf> {
    let version = env!("CARGO_PKG_VERSION");
    let has_wheel = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&format!("tiergate-{version}-")) && name.ends_with(".whl")
            })
        })
    };
    if let Some(dir) = std::env::var_os("TIERGATE_WHEEL_DIR") {
        let dir = PathBuf::from(dir);
        assert!(
            has_wheel(&dir),
            "TIERGATE_WHEEL_DIR={} holds no tiergate-{version} wheel",
            dir.display()
        );
        return Some(dir);
    }
    if !tool_available("maturin") {
        return None;
    }
    // <target>/debug/tiergate: build into the same target directory.
    let bin = Path::new(env!("CARGO_BIN_EXE_tiergate"));
    let target = bin
        .parent()
        .and_then(Path::parent)
        .expect("a target directory");
    let out = target.join("test-wheels");
    let _ = std::fs::remove_dir_all(&out);
    let built = Command::new("maturin")
        .args(["build", "--profile", "dev", "--quiet", "-o"])
        .arg(&out)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/wheel"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("maturin runs");
    assert!(
        built.status.success(),
        "maturin build failed: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(
        has_wheel(&out),
        "maturin wrote no wheel to {}",
        out.display()
    );
    Some(out)
}

/// The sha256 of a file, in hex.
pub fn sha256_file(path: &Path) -> String {
    use sha2::Digest;
    use std::io::Read;
    let mut f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0; 1 << 20];
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `tiergate check` with JSON output in `dir`: (exit code, report). Exit 2 fails.
pub fn check_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    assert!(
        r.code == 0 || r.code == 1,
        "check {args:?} exited {}: {}{}",
        r.code,
        r.stdout,
        r.stderr
    );
    (r.code, json(&r.stdout))
}

/// (code, path, `field`) of every verdict of a check report, `field` read by `third`.
pub fn verdict_rows<T>(
    report: &serde_json::Value,
    third: impl Fn(&serde_json::Value) -> T,
) -> Vec<(String, String, T)> {
    report["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_string(),
                v["path"].as_str().unwrap_or("").to_string(),
                third(v),
            )
        })
        .collect()
}
