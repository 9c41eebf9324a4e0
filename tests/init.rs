//! `tiergate init`: the files it writes parse and say what they should; a user's files
//! are never destroyed: an existing `.pre-commit-config.yaml` gets the hooks by an edit
//! that keeps every byte of it, other existing files are kept, and `--force` replaces
//! only files init wrote that nobody edited.

mod common;

use std::path::Path;

use common::run;

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const FILES: [&str; 4] = [
    "tiergate.yaml",
    ".pre-commit-config.yaml",
    ".github/workflows/tiergate.yml",
    ".gitlab/tiergate.gitlab-ci.yml",
];

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every file of the tree under `dir`, with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A user's config in the style of pre-commit's own sample: four-space items, comments
/// everywhere, a key after `repos:`.
const USER_CONFIG: &str = "\
# See https://pre-commit.com for more information
# Our team's hooks; keep black first.
default_language_version:
    python: python3.12   # the CI image's

repos:
-   repo: https://github.com/psf/black
    rev: 24.1.0   # pinned on purpose
    hooks:
    -   id: black
        args: [--line-length=100]
    # isort comes later
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.5.0
    hooks:
    -   id: trailing-whitespace

# CI settings for the hosted service
ci:
    autofix_prs: false
";

#[test]
fn init_writes_files_that_parse_and_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let r = run(p, &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in FILES {
        assert!(r.stdout.contains(&format!("wrote {f}")), "{}", r.stdout);
        assert!(
            tiergate::init::unedited(&read(&p.join(f))),
            "{f} carries the marker of an unedited file"
        );
    }
    // The config loads, through the same loader scans use.
    tiergate::config::load_file(&p.join("tiergate.yaml"), "tiergate.yaml").expect("loads");

    let wf = yaml(&p.join(".github/workflows/tiergate.yml"));
    assert!(wf["on"].as_object().unwrap().contains_key("pull_request"));
    assert_eq!(wf["permissions"]["security-events"], "write");
    let steps = wf["jobs"]["gate"]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["uses"], "actions/checkout@v5");
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
    // Without a release repository: this version's wheel from PyPI, pip's cache kept.
    assert_eq!(steps[1]["uses"], "actions/setup-python@v6");
    assert_eq!(steps[1]["with"]["cache"], "pip");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(
        runs[0],
        format!("python -m pip install \"tiergate=={VERSION}\"")
    );
    assert!(
        runs.iter()
            .any(|r| r.starts_with("tiergate check --base \"origin/$BASE_REF\""))
    );
    assert!(runs.iter().any(|r| r.contains("--sarif tiergate.sarif")));
    assert!(runs.contains(&"tiergate export --all --check"), "{runs:?}");
    assert!(
        steps
            .iter()
            .any(|s| s["uses"] == "actions/upload-artifact@v6"
                && s["with"]["path"] == "tiergate-junit.xml"),
        "the JUnit report is kept"
    );
    let upload = steps.last().unwrap();
    assert_eq!(upload["uses"], "github/codeql-action/upload-sarif@v4");
    assert_eq!(upload["continue-on-error"], true);
    assert_eq!(
        wf["jobs"]["gate"]["env"]["BASE_REF"],
        "${{ github.base_ref }}"
    );

    let gl = yaml(&p.join(".gitlab/tiergate.gitlab-ci.yml"));
    let job = &gl["tiergate"];
    assert_eq!(job["variables"]["GIT_DEPTH"], "0");
    assert!(
        job["rules"][0]["if"]
            .as_str()
            .unwrap()
            .contains("merge_request_event")
    );
    assert_eq!(job["artifacts"]["reports"]["junit"], "tiergate-junit.xml");
    let lines = |key: &str| -> Vec<String> {
        job[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        lines("before_script").contains(&format!(
            "python -m pip install --root-user-action=ignore \"tiergate=={VERSION}\""
        )),
        "{:?}",
        lines("before_script")
    );
    assert!(
        lines("script")
            .iter()
            .any(|s| s.starts_with("tiergate check --base")),
    );

    let pc = yaml(&p.join(".pre-commit-config.yaml"));
    let hooks = pc["repos"][0]["hooks"].as_array().unwrap();
    assert_eq!(pc["repos"][0]["repo"], "local");
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["tiergate-manifest", "tiergate"]);
    assert_eq!(hooks[1]["entry"], "tiergate check --staged");
    assert_eq!(hooks[1]["language"], "system");
}

#[test]
fn init_keeps_a_users_files_and_writes_the_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("tiergate.yaml"), "default_tier: 2\n").unwrap();
    std::fs::create_dir_all(p.join(".gitlab")).unwrap();
    std::fs::write(p.join(".gitlab/tiergate.gitlab-ci.yml"), "mine: 1\n").unwrap();
    for args in [&["init", "."][..], &["init", ".", "--force"][..]] {
        let r = run(p, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(read(&p.join("tiergate.yaml")), "default_tier: 2\n");
        assert_eq!(read(&p.join(".gitlab/tiergate.gitlab-ci.yml")), "mine: 1\n");
        assert!(
            r.stdout.contains("kept tiergate.yaml: it is yours"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout
                .contains("kept .gitlab/tiergate.gitlab-ci.yml: it is yours"),
            "{}",
            r.stdout
        );
        // The job to merge by hand is printed, without the marker line.
        assert!(
            r.stdout.contains("    tiergate:\n      stage: test\n"),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains("tiergate-init: sha256"), "{}", r.stdout);
    }
    assert!(p.join(".pre-commit-config.yaml").is_file());
    assert!(p.join(".github/workflows/tiergate.yml").is_file());
}

#[test]
fn init_adds_the_hooks_to_a_users_pre_commit_config_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let path = p.join(".pre-commit-config.yaml");
    std::fs::write(&path, USER_CONFIG).unwrap();
    let r = run(p, &["init", ".", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("added the tiergate hooks to .pre-commit-config.yaml"),
        "{}",
        r.stdout
    );
    let after = read(&path);
    // The new item follows the last one, in the file's own four-space style; every
    // byte of the user's text is still there, in order.
    let added = "\
# tiergate: regenerate tiergate.manifest.json, then gate the staged change
-   repo: local
    hooks:
    -   id: tiergate-manifest
        name: \"tiergate manifest\"
        entry: tiergate scan --stage
        language: system
        pass_filenames: false
        always_run: true
        require_serial: true
    -   id: tiergate
        name: \"tiergate gate (staged)\"
        entry: tiergate check --staged
        language: system
        pass_filenames: false
        always_run: true
        require_serial: true
";
    let cut = USER_CONFIG.find("\n# CI settings").unwrap();
    assert_eq!(
        after,
        format!("{}{added}{}", &USER_CONFIG[..cut], &USER_CONFIG[cut..]),
        "{after}"
    );
    let v = yaml(&path);
    let repos = v["repos"].as_array().unwrap();
    assert_eq!(repos.len(), 3);
    assert_eq!(repos[0]["repo"], "https://github.com/psf/black");
    assert_eq!(repos[0]["hooks"][0]["id"], "black");
    assert_eq!(repos[0]["hooks"][0]["args"][0], "--line-length=100");
    assert_eq!(v["ci"]["autofix_prs"], false);
    assert_eq!(v["default_language_version"]["python"], "python3.12");
    assert_eq!(repos[2]["hooks"][1]["entry"], "tiergate check --staged");

    // A second run changes nothing at all, and says so.
    let before = snapshot(p);
    for args in [&["init", "."][..], &["init", ".", "--force"][..]] {
        let r = run(p, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout
                .contains("kept .pre-commit-config.yaml: it lists the tiergate hooks already"),
            "{}",
            r.stdout
        );
        assert_eq!(snapshot(p), before, "{args:?} changed a file");
    }
}

#[test]
fn init_pins_the_shipped_hooks_in_a_users_config_in_its_own_style() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let path = p.join(".pre-commit-config.yaml");
    // Windows line endings, a list written at the key's own column, no final newline.
    let user = "repos:\r\n- repo: https://github.com/psf/black\r\n  rev: 24.1.0\r\n  hooks:\r\n  - id: black";
    std::fs::write(&path, user).unwrap();
    let r = run(
        p,
        &[
            "init",
            ".",
            "--repo",
            "https://github.com/acme/tiergate",
            "--rev",
            "v9.9.9",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = read(&path);
    assert_eq!(
        after,
        format!(
            "{user}\r\n# tiergate: regenerate tiergate.manifest.json, then gate the staged change\r\n\
             - repo: \"https://github.com/acme/tiergate\"\r\n  rev: \"v9.9.9\"\r\n  hooks:\r\n  \
             - id: tiergate-manifest\r\n  - id: tiergate\r\n"
        )
    );
    let v = yaml(&path);
    assert_eq!(v["repos"][1]["rev"], "v9.9.9");

    // A file with only comments gets a `repos:` list at its end.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".pre-commit-config.yaml");
    std::fs::write(&path, "# nothing yet\n").unwrap();
    let r = run(dir.path(), &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = read(&path);
    assert!(
        after.starts_with("# nothing yet\nrepos:\n  # tiergate"),
        "{after}"
    );
    assert_eq!(yaml(&path)["repos"][0]["repo"], "local");
}

#[test]
fn init_refuses_a_pre_commit_config_it_cannot_edit_and_writes_nothing() {
    // Broken YAML: located at file:line:col, exit 2, no file written.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let broken = "repos:\n  - repo: local\n    hooks: [\n";
    std::fs::write(p.join(".pre-commit-config.yaml"), broken).unwrap();
    let r = run(p, &["init", ".", "--force"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let first = r.stderr.lines().next().unwrap_or_default();
    let located = first
        .strip_prefix(".pre-commit-config.yaml:")
        .and_then(|rest| rest.split_once(": error[yaml-syntax]"))
        .map(|(at, _)| at.split(':').all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)));
    assert_eq!(located, Some(true), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(
        snapshot(p),
        vec![(".pre-commit-config.yaml".into(), broken.as_bytes().to_vec())]
    );

    // A flow-style list: not edited; the item to add is printed, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let flow = "repos: [{repo: local, hooks: [{id: x, name: x, entry: x, language: system}]}]\n";
    std::fs::write(p.join(".pre-commit-config.yaml"), flow).unwrap();
    let r = run(p, &["init", "."]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("flow style"), "{}", r.stderr);
    assert!(r.stderr.contains("  - repo: local\n"), "{}", r.stderr);
    assert_eq!(
        snapshot(p),
        vec![(".pre-commit-config.yaml".into(), flow.as_bytes().to_vec())]
    );
}

#[test]
fn force_replaces_only_what_init_wrote_and_nobody_edited() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let r = run(p, &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // An older init's workflow, unedited: `--force` brings it up to date.
    let wf = p.join(".github/workflows/tiergate.yml");
    let old = tiergate::init::stamp("name: tiergate\non: [pull_request]\n");
    std::fs::write(&wf, &old).unwrap();
    // The GitLab job, edited by its owner after init wrote it.
    let gl = p.join(".gitlab/tiergate.gitlab-ci.yml");
    let edited = read(&gl).replace("stage: test", "stage: verify");
    std::fs::write(&gl, &edited).unwrap();

    let r = run(p, &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("`--force` replaces it"), "{}", r.stdout);
    assert_eq!(read(&wf), old);

    let r = run(p, &["init", ".", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("replaced .github/workflows/tiergate.yml"),
        "{}",
        r.stdout
    );
    assert!(read(&wf).contains("actions/setup-python"));
    assert_eq!(read(&gl), edited, "an edited file is the user's");
    assert!(
        r.stdout
            .contains("kept .gitlab/tiergate.gitlab-ci.yml: it is yours"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("kept tiergate.yaml: it is up to date"),
        "{}",
        r.stdout
    );
}

#[test]
fn init_pins_a_release_repository_and_takes_an_install_command() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let r = run(
        p,
        &[
            "init",
            ".",
            "--pre-commit-repo",
            "https://github.com/acme/tiergate.git",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pc = yaml(&p.join(".pre-commit-config.yaml"));
    assert_eq!(
        pc["repos"][0]["repo"],
        "https://github.com/acme/tiergate.git"
    );
    // The default rev is the tag the release workflow publishes this version under.
    assert_eq!(pc["repos"][0]["rev"], format!("v{VERSION}"));
    assert_eq!(pc["repos"][0]["hooks"][1]["id"], "tiergate");
    // GitHub: the action of that repository installs the release binary.
    let wf = yaml(&p.join(".github/workflows/tiergate.yml"));
    let install = &wf["jobs"]["gate"]["steps"][1];
    assert_eq!(install["uses"], format!("acme/tiergate@v{VERSION}"));
    assert_eq!(install["with"]["version"], VERSION);
    assert_eq!(install["with"]["args"], "");
    // GitLab: the release archive, checked against its checksum before use.
    let gl = yaml(&p.join(".gitlab/tiergate.gitlab-ci.yml"));
    assert_eq!(
        gl["tiergate"]["variables"]["TIERGATE_RELEASE"],
        format!("https://github.com/acme/tiergate/releases/download/v{VERSION}")
    );
    let before: Vec<&str> = gl["tiergate"]["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let check = before.iter().position(|s| s.starts_with("sha256sum -c"));
    let unpack = before.iter().position(|s| s.starts_with("tar -xzf"));
    assert!(check.is_some() && check < unpack, "{before:?}");

    // Another host: hooks pinned, CI installs the wheel; an install command wins.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let cmd =
        "cargo install --locked --git https://git.example.org/tools/tiergate.git --tag v9.9.9";
    let r = run(
        p,
        &[
            "init",
            ".",
            "--repo",
            "https://git.example.org/tools/tiergate.git",
            "--rev",
            "v9.9.9",
            "--install",
            cmd,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pc = yaml(&p.join(".pre-commit-config.yaml"));
    assert_eq!(pc["repos"][0]["rev"], "v9.9.9");
    let wf = yaml(&p.join(".github/workflows/tiergate.yml"));
    assert_eq!(wf["jobs"]["gate"]["steps"][1]["run"], cmd);
    let gl = yaml(&p.join(".gitlab/tiergate.gitlab-ci.yml"));
    assert_eq!(gl["tiergate"]["before_script"][0], cmd);
}

#[test]
fn init_defaults_to_the_top_of_the_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    common::git(p, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(p.join("sub/deeper")).unwrap();
    let r = run(&p.join("sub/deeper"), &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(p.join("tiergate.yaml").is_file());
    assert!(!p.join("sub/deeper/tiergate.yaml").exists());
}

/// A published repository (an open-source licence at its top): init proposes
/// `visibility: public`, under which files no finding speaks about are tier 4 and a
/// credential still raises its file.
#[test]
fn init_proposes_public_visibility_for_a_licensed_repository_and_findings_still_raise_files() {
    let dir = common::fixture("public-repo");
    let p = dir.path();
    // Assembled at run time: this repository holds no credential.
    let key = ["AKIA", "Q3EGRI7ZW4XNV5PB"].concat();
    let secret = ["wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYzEXAMPLEKEZ9q"].concat();
    std::fs::write(
        p.join("src/settings.py"),
        format!("AWS_ACCESS_KEY_ID = \"{key}\"\nAWS_SECRET_ACCESS_KEY = \"{secret}\"\n"),
    )
    .unwrap();
    let r = run(p, &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let config = read(&p.join("tiergate.yaml"));
    assert!(config.contains("\nvisibility: public\n"), "{config}");
    assert!(config.contains("(MIT, in LICENSE)"), "{config}");
    common::git_commit_all(p);
    let m = common::scan_manifest(p, &[]);
    assert_eq!(common::tier_of(&m, "src/queue.py"), 4);
    assert_eq!(common::tier_of(&m, "README.md"), 4);
    assert_eq!(common::tier_of(&m, "LICENSE"), 4);
    assert_eq!(common::tier_of(&m, "src/settings.py"), 1);
    // A file git does not track is not published: not the public default.
    std::fs::write(p.join("scratch.py"), "print('local notes')\n").unwrap();
    let m = common::scan_manifest(p, &["--include-untracked"]);
    assert_eq!(common::tier_of(&m, "scratch.py"), 3);
    assert!(common::codes_of(&m, "scratch.py").contains(&"unpublished".to_string()));
}

#[test]
fn init_keeps_a_private_repository_at_the_default_tier() {
    let dir = common::fixture("public-repo");
    let p = dir.path();
    std::fs::remove_file(p.join("LICENSE")).unwrap();
    let r = run(p, &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let config = read(&p.join("tiergate.yaml"));
    assert!(config.contains("\ndefault_tier: 3\n"), "{config}");
    assert!(!config.contains("\nvisibility: public\n"), "{config}");
    common::git_commit_all(p);
    let m = common::scan_manifest(p, &[]);
    assert_eq!(common::tier_of(&m, "src/queue.py"), 3);
}
