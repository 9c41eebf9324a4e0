//! The shipped pre-commit hooks as users get them: pre-commit installs this repository
//! (`language: python`), pip pulls the prebuilt `tiergate` wheel (here the one built
//! from the binary under test, through PIP_FIND_LINKS with no index: nothing is
//! fetched and nothing compiled), and real `git commit`s run the hooks.
//!
//! Skipped with a note when pre-commit or the wheel (maturin) is missing, unless
//! `TIERGATE_REQUIRE_TOOLS=1` (CI sets it and builds the wheel first).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{git, hooked_gate_project, private_key, tool_available, wheel_dir};

/// The hook repository as shipped: its hook list, the hook package and its backend,
/// committed. Returns the commit.
fn hook_repo(dir: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in [".pre-commit-hooks.yaml", "pyproject.toml"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    common::copy_dir(
        &src.join("packaging/pre-commit"),
        &dir.join("packaging/pre-commit"),
    );
    let _ = std::fs::remove_dir_all(dir.join("packaging/pre-commit/__pycache__"));
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "hooks"]);
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

/// Commands in the project with pre-commit's home, pip pointed at the wheel only, and
/// git isolated from the user's configuration.
struct Env {
    project: PathBuf,
    home: PathBuf,
    wheels: PathBuf,
    pip_cache: PathBuf,
}

impl Env {
    fn cmd(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(args)
            .current_dir(&self.project)
            .env("PRE_COMMIT_HOME", &self.home)
            .env("PIP_FIND_LINKS", &self.wheels)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_CACHE_DIR", &self.pip_cache)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("NO_COLOR", "1");
        common::isolated_git(&mut c);
        c
    }

    /// Run; (exit code, stdout and stderr).
    fn run(&self, program: &str, args: &[&str]) -> (i32, String) {
        let out = self.cmd(program, args).output().expect("runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn commit(&self, message: &str) -> (i32, String) {
        self.run("git", &["commit", "-q", "-m", message])
    }

    fn status(&self) -> String {
        git(&self.project, &["status", "--porcelain"])
    }
}

/// The `tiergate` pre-commit put into the hook environment.
fn installed_binary(home: &Path) -> PathBuf {
    let mut found = Vec::new();
    for repo in std::fs::read_dir(home).unwrap().flatten() {
        for env in std::fs::read_dir(repo.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let bin = env.path().join("bin/tiergate");
            if env.file_name().to_string_lossy().starts_with("py_env-") && bin.is_file() {
                found.push(bin);
            }
        }
    }
    assert_eq!(found.len(), 1, "one hook environment: {found:?}");
    found.pop().unwrap()
}

#[test]
fn the_wheel_installed_hooks_gate_real_commits() {
    if !tool_available("pre-commit") {
        return;
    }
    let Some(wheels) = wheel_dir() else {
        return;
    };
    let hooks = tempfile::tempdir().unwrap();
    let rev = hook_repo(hooks.path());
    let project = hooked_gate_project(hooks.path(), &rev);
    let p = project.path();

    let cache = tempfile::tempdir().unwrap();
    let env = Env {
        project: p.to_path_buf(),
        home: cache.path().join("pre-commit"),
        wheels,
        pip_cache: cache.path().join("pip"),
    };

    // pre-commit makes the hook environment: the hook package and the wheel, no build.
    let started = Instant::now();
    let (code, out) = env.run("pre-commit", &["install-hooks"]);
    let took = started.elapsed();
    assert_eq!(code, 0, "{out}");
    eprintln!("pre-commit install-hooks (venv, hook package, wheel): {took:.1?}");
    assert!(
        took < Duration::from_secs(120),
        "installing the hooks took {took:?}: something was built"
    );
    assert_eq!(
        common::sha256_file(&installed_binary(&env.home)),
        common::sha256_file(Path::new(env!("CARGO_BIN_EXE_tiergate"))),
        "the hook runs the binary under test, from the wheel"
    );
    let (code, out) = env.run("pre-commit", &["install"]);
    assert_eq!(code, 0, "{out}");

    // Three unrelated commits, each on its first attempt.
    for (file, line) in [
        ("docs/guide.md", "\nMore words.\n"),
        ("src/app.py", "\nVALUE = 2\n"),
        ("src/settings.py", "\nDEBUG = False\n"),
    ] {
        let mut text = std::fs::read_to_string(p.join(file)).unwrap();
        text.push_str(line);
        std::fs::write(p.join(file), text).unwrap();
        git(p, &["add", file]);
        let (code, out) = env.commit(&format!("edit {file}"));
        assert_eq!(code, 0, "{file}: {out}");
        assert_eq!(env.status(), "", "{file}: nothing left behind");
    }

    // A new file is a new manifest entry: the manifest hook writes and stages it, and
    // the commit lands on its first attempt, with its manifest.
    std::fs::write(p.join("src/util.py"), "def helper():\n    return 2\n").unwrap();
    git(p, &["add", "src/util.py"]);
    let (code, out) = env.commit("util");
    assert_eq!(code, 0, "{out}");
    assert_eq!(env.status(), "", "{out}");
    let committed = git(p, &["show", "HEAD:tiergate.manifest.json"]);
    assert!(committed.contains("\"src/util.py\""), "{committed}");

    // A private key, committed with an unrelated edit: refused once, by the gate alone
    // (the manifest, staged with the key's entry, is current), with one report.
    std::fs::create_dir_all(p.join("deploy")).unwrap();
    std::fs::write(p.join("deploy/service.txt"), private_key()).unwrap();
    std::fs::write(p.join("docs/guide.md"), "# Guide\n\nRewritten.\n").unwrap();
    git(p, &["add", "deploy/service.txt", "docs/guide.md"]);
    let (code, out) = env.commit("deploy");
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.matches("Failed").count(), 1, "one hook fails: {out}");
    assert!(
        out.contains("tiergate gate (staged)") && out.contains("- hook id: tiergate\n"),
        "{out}"
    );
    assert_eq!(out.matches("error    violation").count(), 1, "{out}");
    assert!(out.contains("deploy/service.txt:1"), "{out}");
    assert!(out.contains("remove it, rotate it"), "{out}");
    assert!(
        !out.contains("MIIEpAIBAAKCAQEA"),
        "the key never appears: {out}"
    );
    assert!(!out.contains("files were modified"), "{out}");
    assert!(!out.contains("stale-manifest"), "{out}");
    assert_eq!(
        env.status(),
        "A  deploy/service.txt\nM  docs/guide.md\nM  tiergate.manifest.json\n",
        "the manifest staged beside the change, nothing unstaged left"
    );

    // The key taken out, the rest lands on the next attempt.
    git(p, &["rm", "-q", "--cached", "deploy/service.txt"]);
    std::fs::remove_file(p.join("deploy/service.txt")).unwrap();
    let (code, out) = env.commit("docs");
    assert_eq!(code, 0, "{out}");
    assert_eq!(env.status(), "", "{out}");
    let log = git(p, &["log", "--format=%s"]);
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "docs",
            "util",
            "edit src/settings.py",
            "edit src/app.py",
            "edit docs/guide.md",
            "base"
        ]
    );
}
