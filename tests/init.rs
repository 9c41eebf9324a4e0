//! `tiergate init`: the files it writes parse and say what they should, and nothing is
//! overwritten without --force.

mod common;

use std::path::Path;

use common::run;

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

const FILES: [&str; 4] = [
    "tiergate.yaml",
    ".pre-commit-config.yaml",
    ".github/workflows/tiergate.yml",
    ".gitlab/tiergate.gitlab-ci.yml",
];

#[test]
fn init_writes_files_that_parse_and_work() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let r = run(p, &["init", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in FILES {
        assert!(r.stdout.contains(&format!("wrote {f}")), "{}", r.stdout);
    }
    // The config loads, through the same loader scans use.
    tiergate::config::load_file(&p.join("tiergate.yaml"), "tiergate.yaml").expect("loads");

    let wf = yaml(&p.join(".github/workflows/tiergate.yml"));
    assert!(wf["on"]["pull_request"].is_null() || wf["on"]["pull_request"].is_object());
    assert!(wf["on"].as_object().unwrap().contains_key("pull_request"));
    assert_eq!(wf["permissions"]["security-events"], "write");
    let steps = wf["jobs"]["gate"]["steps"].as_array().unwrap();
    assert_eq!(steps[0]["uses"], "actions/checkout@v4");
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs[0].starts_with("cargo install --locked tiergate --version ="),
        "{runs:?}"
    );
    assert!(
        runs.iter()
            .any(|r| r.starts_with("tiergate check --base \"origin/$BASE_REF\""))
    );
    assert!(runs.iter().any(|r| r.contains("--sarif tiergate.sarif")));
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
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        script
            .iter()
            .any(|s| s.starts_with("tiergate check --base")),
        "{script:?}"
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
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("tiergate.yaml"), "default_tier: 2\n").unwrap();
    std::fs::create_dir_all(p.join(".gitlab")).unwrap();
    std::fs::write(p.join(".gitlab/tiergate.gitlab-ci.yml"), "mine: 1\n").unwrap();
    let r = run(p, &["init", "."]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("tiergate.yaml, .gitlab/tiergate.gitlab-ci.yml"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert!(
        !p.join(".pre-commit-config.yaml").exists(),
        "nothing written"
    );
    assert!(!p.join(".github").exists(), "nothing written");
    assert_eq!(
        std::fs::read_to_string(p.join("tiergate.yaml")).unwrap(),
        "default_tier: 2\n"
    );
    let r = run(p, &["init", ".", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read_to_string(p.join("tiergate.yaml"))
            .unwrap()
            .contains("gate:")
    );
}

#[test]
fn init_pins_a_hook_repository_and_takes_an_install_command() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let r = run(
        p,
        &[
            "init",
            ".",
            "--pre-commit-repo",
            "https://git.example.org/tools/tiergate.git",
            "--rev",
            "v9.9.9",
            "--install",
            "cargo install --locked --git https://git.example.org/tools/tiergate.git --tag v9.9.9",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pc = yaml(&p.join(".pre-commit-config.yaml"));
    assert_eq!(
        pc["repos"][0]["repo"],
        "https://git.example.org/tools/tiergate.git"
    );
    assert_eq!(pc["repos"][0]["rev"], "v9.9.9");
    assert_eq!(pc["repos"][0]["hooks"][1]["id"], "tiergate");
    let wf = yaml(&p.join(".github/workflows/tiergate.yml"));
    assert_eq!(
        wf["jobs"]["gate"]["steps"][1]["run"],
        "cargo install --locked --git https://git.example.org/tools/tiergate.git --tag v9.9.9"
    );
    // The default rev is this version's tag.
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        &[
            "init",
            ".",
            "--pre-commit-repo",
            "https://git.example.org/t.git",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pc = yaml(&dir.path().join(".pre-commit-config.yaml"));
    assert_eq!(
        pc["repos"][0]["rev"],
        format!("v{}", env!("CARGO_PKG_VERSION"))
    );
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
