//! The shipped `.pre-commit-hooks.yaml`, run through the real `pre-commit` tool in a
//! project repository with a locally installed tiergate (`language: system`, the
//! binary under test on PATH): the way `tiergate init` sets hooks up without a release
//! repository. tests/wheel.rs runs the same hooks as shipped, installed from the wheel.
//! Skipped with a note when `pre-commit` is not installed, unless
//! `TIERGATE_REQUIRE_TOOLS=1` (CI sets it), which makes a missing tool a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{git, hooked_gate_project, private_key, tool_available};

/// A hook repository holding the shipped `.pre-commit-hooks.yaml`, committed, with
/// each hook run by the `tiergate` on PATH (`language: system`) instead of from the
/// hook package pre-commit would install (`language: python`).
fn hook_repo(dir: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped = std::fs::read_to_string(src.join(".pre-commit-hooks.yaml")).unwrap();
    assert_eq!(
        shipped.matches("\n  language: python\n").count(),
        2,
        "both hooks are installed from the wheel: {shipped}"
    );
    assert_eq!(
        shipped
            .matches("\n  entry: tiergate scan --stage\n")
            .count(),
        1,
        "{shipped}"
    );
    std::fs::write(
        dir.join(".pre-commit-hooks.yaml"),
        shipped.replace("\n  language: python\n", "\n  language: system\n"),
    )
    .unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "hooks"]);
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

struct PreCommit {
    home: PathBuf,
}

/// PATH with the directory of the binary under test first.
fn path_with_binary() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_tiergate")).parent().unwrap();
    let mut dirs = vec![bin.to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

impl PreCommit {
    fn run(&self, project: &Path, hook: &str) -> (i32, String) {
        let out = Command::new("pre-commit")
            .args(["run", hook, "--hook-stage", "pre-commit"])
            .current_dir(project)
            .env("PRE_COMMIT_HOME", &self.home)
            .env("PATH", path_with_binary())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .output()
            .expect("pre-commit runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }
}

#[test]
fn the_shipped_hooks_gate_commits_through_pre_commit() {
    if !tool_available("pre-commit") {
        return;
    }
    let hooks = tempfile::tempdir().unwrap();
    let rev = hook_repo(hooks.path());
    let project = hooked_gate_project(hooks.path(), &rev);
    let p = project.path();

    let cache = tempfile::tempdir().unwrap();
    let pc = PreCommit {
        home: cache.path().join("pre-commit"),
    };

    // A harmless edit leaves the manifest as it is: the manifest hook passes at once
    // (the manifest names no commit, so it does not change with every commit).
    std::fs::write(p.join("src/app.py"), "def main():\n    return 1\n").unwrap();
    git(p, &["add", "src/app.py"]);
    let (code, out) = pc.run(p, "tiergate-manifest");
    assert_eq!(code, 0, "nothing to rewrite: {out}");
    // A new file is a new entry: the hook writes it and stages it, and passes.
    std::fs::write(p.join("src/util.py"), "def helper():\n    return 2\n").unwrap();
    git(p, &["add", "src/util.py"]);
    let (code, out) = pc.run(p, "tiergate-manifest");
    assert_eq!(code, 0, "the manifest is written and staged: {out}");
    let staged = git(p, &["show", ":tiergate.manifest.json"]);
    assert!(staged.contains("\"src/util.py\""), "{staged}");
    assert_eq!(
        git(p, &["diff", "--name-only"]),
        "",
        "nothing left unstaged"
    );
    let (code, out) = pc.run(p, "tiergate");
    assert_eq!(code, 0, "{out}");

    // A committed private key is a violation, whatever the manifest says.
    std::fs::create_dir_all(p.join("deploy")).unwrap();
    std::fs::write(p.join("deploy/service.txt"), private_key()).unwrap();
    git(p, &["add", "deploy/service.txt"]);
    let (code, out) = pc.run(p, "tiergate");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("violation"), "{out}");
    assert!(out.contains("deploy/service.txt"), "{out}");
    assert!(
        !out.contains("MIIEpAIBAAKCAQEA"),
        "the key never appears: {out}"
    );
}

#[test]
fn the_hook_manifests_validate() {
    if !tool_available("pre-commit") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("pre-commit")
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // What `tiergate init` writes, in both variants.
    for extra in [
        &[][..],
        &["--pre-commit-repo", "https://git.example.org/tiergate.git"][..],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["init", "."];
        args.extend_from_slice(extra);
        let r = common::run(dir.path(), &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = Command::new("pre-commit")
            .args(["validate-config", ".pre-commit-config.yaml"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
