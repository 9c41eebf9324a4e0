//! The release and install files, which cannot run here: `action.yml`, the workflows
//! (the repository's and those `tiergate init` writes) pass actionlint, `install.sh`
//! passes shellcheck and installs a release from a local copy, and every file that
//! pins a version pins this one.
//!
//! actionlint and shellcheck come from PyPI wheels (CI installs them); a test that
//! needs one skips with a note when it is missing, unless `TIERGATE_REQUIRE_TOOLS=1`.
//! The container image builds only where a container engine runs and
//! `TIERGATE_TEST_CONTAINER=1` asks for it (a full release build: minutes).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, tool_available};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn src() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// actionlint on `files` (paths relative to `dir`), run in `dir`: its findings.
fn actionlint(dir: &Path, files: &[&str]) -> (bool, String) {
    let out = Command::new("actionlint")
        .args(["-no-color", "-oneline"])
        .args(files)
        .current_dir(dir)
        .output()
        .expect("actionlint runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_repositorys_workflows_pass_actionlint() {
    if !tool_available("actionlint") {
        return;
    }
    let mut files: Vec<String> = std::fs::read_dir(src().join(".github/workflows"))
        .unwrap()
        .flatten()
        .map(|e| format!(".github/workflows/{}", e.file_name().to_string_lossy()))
        .collect();
    files.sort();
    for wf in ["release.yml", "docs.yml"] {
        assert!(
            files.contains(&format!(".github/workflows/{wf}")),
            "{files:?}"
        );
    }
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    let (ok, out) = actionlint(src(), &refs);
    assert!(ok, "{out}");
}

/// The workflow `tiergate init ARGS` writes, in a fresh directory.
fn init_workflow(args: &[&str]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["init", "."];
    all.extend_from_slice(args);
    let r = run(dir.path(), &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let wf = read(&dir.path().join(".github/workflows/tiergate.yml"));
    (dir, wf)
}

#[test]
fn the_workflows_init_writes_pass_actionlint() {
    if !tool_available("actionlint") {
        return;
    }
    for args in [
        &[][..],
        &["--repo", "https://github.com/acme/tiergate"][..],
        &["--install", "cargo install --locked tiergate"][..],
    ] {
        let (dir, _) = init_workflow(args);
        let (ok, out) = actionlint(dir.path(), &[".github/workflows/tiergate.yml"]);
        assert!(ok, "init {args:?}:\n{out}");
    }
    // With the action checked out next to the workflow, actionlint also checks the
    // inputs the workflow passes against action.yml.
    let (dir, wf) = init_workflow(&["--repo", "https://github.com/acme/tiergate"]);
    let pinned = format!("uses: \"acme/tiergate@v{VERSION}\"");
    assert!(wf.contains(&pinned), "{wf}");
    let local = wf.replace(&pinned, "uses: ./");
    std::fs::write(dir.path().join(".github/workflows/tiergate.yml"), &local).unwrap();
    std::fs::copy(src().join("action.yml"), dir.path().join("action.yml")).unwrap();
    // actionlint finds local actions from the repository's top.
    common::git(dir.path(), &["init", "-q", "-b", "main"]);
    let (ok, out) = actionlint(dir.path(), &[".github/workflows/tiergate.yml"]);
    assert!(ok, "{out}");
    // An input the action does not have is caught: the check above can fail.
    std::fs::write(
        dir.path().join(".github/workflows/tiergate.yml"),
        local.replace("version:", "versoin:"),
    )
    .unwrap();
    let (ok, out) = actionlint(dir.path(), &[".github/workflows/tiergate.yml"]);
    assert!(!ok && out.contains("versoin"), "{out}");
}

/// The composite action's steps, as a reusable workflow's job with the action's
/// inputs: actionlint checks what it checks in workflows (expressions, contexts, the
/// inputs of the actions used, and each script through shellcheck).
#[test]
fn the_actions_steps_pass_actionlint() {
    if !tool_available("actionlint") {
        return;
    }
    let action = yaml(&read(&src().join("action.yml")));
    assert_eq!(action["runs"]["using"], "composite");
    let mut inputs = serde_json::Map::new();
    for (name, spec) in action["inputs"].as_object().unwrap() {
        let mut input = serde_json::json!({"type": "string", "required": false});
        if let Some(d) = spec["default"].as_str() {
            input["default"] = d.replace("${{ github.base_ref }}", "main").into();
        }
        inputs.insert(name.clone(), input);
    }
    let workflow = serde_json::json!({
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {
            "runs-on": "ubuntu-latest",
            "steps": action["runs"]["steps"],
        }},
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    // JSON is YAML.
    std::fs::write(
        dir.path().join(".github/workflows/action.yml"),
        serde_json::to_string_pretty(&workflow).unwrap(),
    )
    .unwrap();
    let (ok, out) = actionlint(dir.path(), &[".github/workflows/action.yml"]);
    assert!(ok, "{out}");
}

#[test]
fn install_sh_passes_shellcheck() {
    if !tool_available("shellcheck") {
        return;
    }
    let out = Command::new("shellcheck")
        .args(["--shell=sh", "--severity=style", "install.sh"])
        .current_dir(src())
        .output()
        .expect("shellcheck runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A release laid out as the release workflow publishes it, under a file:// URL.
fn fake_release(dir: &Path, version: &str, good_checksum: bool) -> String {
    let target = match std::env::consts::ARCH {
        "x86_64" => "x86_64-unknown-linux-musl",
        "aarch64" => "aarch64-unknown-linux-musl",
        other => panic!("no release target for {other}"),
    };
    let stage = dir.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    // A stand-in binary: the script only runs `tiergate --version`.
    let bin = stage.join("tiergate");
    std::fs::write(&bin, format!("#!/bin/sh\necho tiergate {version}\n")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let tag = dir.join("releases").join(format!("v{version}"));
    std::fs::create_dir_all(&tag).unwrap();
    let archive = format!("tiergate-{target}.tar.gz");
    let ok = Command::new("tar")
        .arg("-czf")
        .arg(tag.join(&archive))
        .arg("-C")
        .arg(&stage)
        .arg("tiergate")
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = if good_checksum {
        common::sha256_file(&tag.join(&archive))
    } else {
        "0".repeat(64)
    };
    std::fs::write(
        tag.join(format!("{archive}.sha256")),
        format!("{sum}  {archive}\n"),
    )
    .unwrap();
    format!("file://{}", dir.join("releases").display())
}

fn install_sh(args: &[&str], releases: &str, home: &Path) -> (i32, String) {
    let out = Command::new("sh")
        .arg(src().join("install.sh"))
        .args(args)
        .env("TIERGATE_RELEASE_URL", releases)
        .env("HOME", home)
        .output()
        .expect("sh runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn install_sh_installs_a_verified_release_and_refuses_a_bad_checksum() {
    if !tool_available("curl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let releases = fake_release(&dir.path().join("good"), "9.8.7", true);
    let to: PathBuf = dir.path().join("bin");
    let (code, out) = install_sh(
        &["--version", "9.8.7", "--to", to.to_str().unwrap()],
        &releases,
        dir.path(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("installed tiergate 9.8.7"), "{out}");
    let v = Command::new(to.join("tiergate")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&v.stdout), "tiergate 9.8.7\n");

    // A checksum that does not match: refused, nothing installed.
    let releases = fake_release(&dir.path().join("bad"), "9.8.7", false);
    let to = dir.path().join("bin2");
    let (code, out) = install_sh(
        &["--version", "9.8.7", "--to", to.to_str().unwrap()],
        &releases,
        dir.path(),
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the release says 0000"), "{out}");
    assert!(!to.exists(), "nothing installed");

    // A version that was not released; a version that is not one.
    let (code, out) = install_sh(&["--version", "1.0.0"], &releases, dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("cannot download"), "{out}");
    let (code, out) = install_sh(&["--version", "1;rm"], &releases, dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not a version"), "{out}");
    // Without a mirror, the repository must be named, and be OWNER/NAME.
    let (code, out) = install_sh(&["--repo", "../x/y"], "", dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not a GitHub repository"), "{out}");
}

/// Every file that pins a tiergate version pins the crate's.
#[test]
fn every_pinned_version_is_this_one() {
    let backend = read(&src().join("packaging/pre-commit/tiergate_hook_backend.py"));
    assert!(
        backend.contains(&format!("\nVERSION = \"{VERSION}\"\n")),
        "the hook package depends on this version's wheel"
    );
    let action = yaml(&read(&src().join("action.yml")));
    assert_eq!(action["inputs"]["version"]["default"], VERSION);
    let install = read(&src().join("install.sh"));
    assert!(
        install.contains(&format!("version=\"${{TIERGATE_VERSION:-{VERSION}}}\"")),
        "install.sh"
    );
    let wheel = read(&src().join("packaging/wheel/pyproject.toml"));
    assert!(
        wheel.contains("dynamic = [\"version\"]"),
        "the wheel takes Cargo.toml's version"
    );
    // The release workflow publishes under the names the installers download.
    let release = read(&src().join(".github/workflows/release.yml"));
    for name in [
        "archive=\"tiergate-$TARGET.tar.gz\"",
        "archive=\"tiergate-$TARGET.zip\"",
        "\"$archive.sha256\"",
    ] {
        assert!(release.contains(name), "release.yml: {name}");
    }
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(&format!("target: {target}")), "{target}");
        assert!(read(&src().join("action.yml")).contains(target), "{target}");
    }
}

#[test]
fn the_container_image_builds() {
    if std::env::var("TIERGATE_TEST_CONTAINER").as_deref() != Ok("1") {
        eprintln!("note: set TIERGATE_TEST_CONTAINER=1 to build the container image");
        return;
    }
    let engine = ["docker", "podman"]
        .into_iter()
        .find(|e| {
            Command::new(e)
                .arg("info")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("TIERGATE_TEST_CONTAINER=1 needs docker or podman");
    let tag = "tiergate-test:latest";
    let built = Command::new(engine)
        .args(["build", "-t", tag, "."])
        .current_dir(src())
        .status()
        .unwrap();
    assert!(built.success());
    let out = Command::new(engine)
        .args(["run", "--rm", tag, "--version"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(VERSION),
        "{out:?}"
    );
    let user = Command::new(engine)
        .args(["image", "inspect", "--format", "{{.Config.User}}", tag])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&user.stdout).trim(), "10001:10001");
}

/// Each package of the dependency graph with its features, `cargo tree` over `edges`.
fn features(edges: &str) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "--prefix",
            "none",
            "-e",
            edges,
        ])
        .args(["-f", "{p} [{f}]"])
        .current_dir(src())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut map = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let line = line.trim_end_matches(" (*)");
        let (Some(open), Some(rest)) = (line.rfind(" ["), line.strip_suffix(']')) else {
            continue;
        };
        // "name vX.Y.Z" (a path dependency adds its directory: not a registry crate).
        let package = line[..open].split(" (").next().unwrap().to_string();
        let set = map.entry(package).or_default();
        set.extend(
            rest[open + 2..]
                .split(',')
                .filter(|f| !f.is_empty())
                .map(String::from),
        );
    }
    map
}

/// `cargo test` compiles the binary with the dev-dependencies' features switched on;
/// `cargo build` (the wheel, through maturin) compiles it with the normal ones. When the
/// two sets differ the wheel test compiles the dependencies a second time, minutes on
/// CI's two cores: Cargo.toml's unification lines must follow a dependency update.
#[test]
fn the_binary_builds_with_the_same_features_with_and_without_dev_dependencies() {
    let normal = features("normal,build");
    let with_dev = features("normal,build,dev");
    let drift: Vec<String> = normal
        .iter()
        .filter_map(|(package, set)| {
            let dev = &with_dev[package];
            (dev != set).then(|| {
                let extra: Vec<&String> = dev.difference(set).collect();
                format!("{package}: the dev-dependencies add {extra:?}")
            })
        })
        .collect();
    assert!(
        drift.is_empty(),
        "add these features to Cargo.toml's unification lines:\n{}",
        drift.join("\n")
    );
}
