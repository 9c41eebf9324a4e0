//! The gate rebuilds what the committed manifest must say: its header from the judging
//! rules, every entry the change can affect from the head's content, and the tier a
//! copied file must keep. Each case here is a way a change once got tier-1 content past
//! `check --staged` and `check --base`.
//!
//! The repository: `secrets/** -> tier 1`, a private key at `secrets/key.pem`, a file
//! that is tier 1 by its path alone at `secrets/notes.txt`, and `README.md` and
//! `docs/guide.md` at tier 3, committed with its manifest.

mod common;

use std::path::Path;

use common::{check_json as check, git, private_key, run};

const CONFIG: &str = "default_tier: 3
rules:
  - id: secrets
    globs: [\"secrets/**\"]
    tier: 1
    reason: Credentials and their notes stay local
";

const NOTES: &str = "Rotation schedule for the payment gateway credentials.
The staging password is kept in the vault under payments/staging.
Ask the platform team before rotating the production key.
";

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn scan(p: &Path) {
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 0, "scan failed: {}", r.stderr);
}

fn commit(p: &Path, message: &str) {
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", message]);
}

/// The repository on `main`, committed with its manifest.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "tiergate.yaml", CONFIG);
    write(p, "secrets/key.pem", &private_key());
    write(p, "secrets/notes.txt", NOTES);
    write(
        p,
        "README.md",
        "# Payments\n\nHow to build and run the service.\n",
    );
    write(p, "docs/guide.md", "# Guide\n\nDeploying the service.\n");
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    scan(p);
    commit(p, "base");
    dir
}

fn has(report: &serde_json::Value, code: &str, path: &str) -> bool {
    report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["code"] == code && v["path"] == path && v["fails"] == true)
}

/// An edit of a manifest's text.
type Edit = Box<dyn Fn(&str) -> String>;

/// A way to put content somewhere in the working tree.
type Make<'a> = &'a dyn Fn(&Path);

fn manifest(p: &Path) -> String {
    std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap()
}

/// Edit the committed manifest's text, stage it, and run the staged check; then commit
/// it on a branch and run the pull-request check. Both reports.
fn edited(edit: &dyn Fn(&str) -> String) -> [(i32, serde_json::Value); 2] {
    let dir = repo();
    let p = dir.path();
    let before = manifest(p);
    let after = edit(&before);
    assert_ne!(before, after, "the edit changes the manifest");
    write(p, "tiergate.manifest.json", &after);
    git(p, &["add", "-A"]);
    let staged = check(p, &["--staged"]);
    git(p, &["checkout", "-q", "-b", "feature"]);
    commit(p, "edit the manifest");
    let range = check(p, &["--base", "main"]);
    [staged, range]
}

/// The header's block of one destination, as `tiergate scan` writes it.
fn destination(name: &str, accepts: u8) -> String {
    format!(
        "      \"name\": \"{name}\",\n      \"kind\": \"{name}\",\n      \"accepts\": {accepts}\n"
    )
}

#[test]
fn a_manifest_header_that_widens_what_a_destination_accepts_fails() {
    for [(code_s, staged), (code_r, range)] in [
        edited(&|m| m.replace(&destination("cloud-zdr", 3), &destination("cloud-zdr", 1))),
        edited(&|m| m.replace(&destination("cloud", 4), &destination("cloud", 2))),
    ] {
        for (code, r) in [(code_s, &staged), (code_r, &range)] {
            assert_eq!(code, 1, "{r:#}");
            assert!(has(r, "tier-lowered", "tiergate.manifest.json"), "{r:#}");
        }
    }
}

/// Every field of the header that decides where content may go, edited in turn: each
/// edit fails both checks, as `tier-lowered` when it widens and `stale-manifest`
/// otherwise.
#[test]
fn every_header_field_is_rebuilt_from_the_judging_rules() {
    let rule_globs = "\"globs\": [\n        \"secrets/**\"\n      ],\n      \"tier\": 1";
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "unlisted tier",
            Box::new(|m: &str| {
                m.replace(
                    "\"unlisted\": {\n    \"tier\": 1",
                    "\"unlisted\": {\n    \"tier\": 3",
                )
            }),
            "tier-lowered",
        ),
        (
            "default tier",
            Box::new(|m: &str| m.replace("\"default_tier\": 3", "\"default_tier\": 4")),
            "tier-lowered",
        ),
        (
            "a rule's globs",
            Box::new(move |m: &str| {
                m.replace(
                    rule_globs,
                    "\"globs\": [\n        \"secrets/private/**\"\n      ],\n      \"tier\": 1",
                )
            }),
            "tier-lowered",
        ),
        (
            "a rule's tier",
            Box::new(move |m: &str| {
                m.replace(
                    rule_globs,
                    "\"globs\": [\n        \"secrets/**\"\n      ],\n      \"tier\": 3",
                )
            }),
            "tier-lowered",
        ),
        (
            "a zone's path tier",
            Box::new(|m: &str| {
                let at = m.find("\"path_tier\": 1").expect("a zone with path tier 1");
                format!("{}\"path_tier\": 4{}", &m[..at], &m[at + 14..])
            }),
            "tier-lowered",
        ),
        (
            "a zone's globs",
            Box::new(|m: &str| {
                let at = m.find("\"zones\": [").unwrap();
                let glob = m[at..].find("\"globs\": [\n        \"").unwrap() + at + 21;
                format!("{}x{}", &m[..glob], &m[glob..])
            }),
            "tier-lowered",
        ),
        (
            "a tier's name",
            Box::new(|m: &str| m.replacen("\"name\": \"restricted\"", "\"name\": \"secret\"", 1)),
            "stale-manifest",
        ),
        (
            "a decision step's version",
            Box::new(|m: &str| {
                // The credentials' step, recorded as version 0 (no release has it).
                let at = m.find("\"decisions\": {").unwrap();
                let v = at + m[at..].find("\"secrets\": ").unwrap() + 11;
                let end = v + m[v..].find('\n').unwrap();
                format!("{}0{}", &m[..v], &m[end..])
            }),
            "stale-manifest",
        ),
        (
            "decision steps not recorded",
            Box::new(|m: &str| {
                let at = m
                    .find("\n    \"decisions\": {")
                    .expect("decisions recorded");
                let end = at + m[at..].find("},").unwrap() + 2;
                format!("{}{}", &m[..at], &m[end..])
            }),
            "stale-manifest",
        ),
        (
            "the config's digest",
            Box::new(|m: &str| {
                let at = m.find("\"digest\": \"sha256:").unwrap() + 18;
                format!("{}0{}", &m[..at], &m[at + 1..])
            }),
            "stale-manifest",
        ),
    ];
    for (what, edit, code) in cases {
        for (mode, (exit, r)) in ["staged", "range"].iter().zip(edited(&*edit)) {
            assert_eq!(exit, 1, "{what} ({mode}): {r:#}");
            assert!(
                has(&r, code, "tiergate.manifest.json"),
                "{what} ({mode}) is {code}: {r:#}"
            );
        }
    }
}

/// A manifest another release of tiergate wrote is current when its decision steps are
/// this release's: a developer and CI on different patch versions agree.
#[test]
fn another_release_that_decides_alike_passes_both_checks() {
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    for (mode, (exit, r)) in ["staged", "range"].iter().zip(edited(&|m| {
        m.replacen(&version, "\"version\": \"9.9.9\"", 1)
    })) {
        assert_eq!(exit, 0, "{mode}: {r:#}");
        assert_eq!(r["verdicts"], serde_json::json!([]), "{mode}: {r:#}");
    }
}

#[test]
fn an_entry_edited_alone_fails_in_both_checks() {
    // The one-line edit of a listed file nobody changed, and a flipped bit that turns
    // tier 1 into tier 9 (a tier the header does not define).
    for to in ["3", "9"] {
        let [(code_s, staged), (code_r, range)] = edited(&|m| {
            let line = m
                .lines()
                .find(|l| l.contains("\"secrets/notes.txt\""))
                .unwrap();
            m.replace(
                line,
                &line.replacen("\"tier\":1", &format!("\"tier\":{to}"), 1),
            )
        });
        for (code, r) in [(code_s, &staged), (code_r, &range)] {
            assert_eq!(code, 1, "tier {to}: {r:#}");
            assert!(
                has(r, "tier-lowered", "secrets/notes.txt"),
                "tier {to}: {r:#}"
            );
            assert!(
                has(r, "stale-manifest", "secrets/notes.txt"),
                "tier {to}: {r:#}"
            );
        }
    }
}

#[test]
fn a_config_change_that_lowers_tiers_fails_whatever_else_changed() {
    let dir = repo();
    let p = dir.path();
    git(p, &["checkout", "-q", "-b", "feature"]);
    write(p, "tiergate.yaml", &CONFIG.replace("tier: 1", "tier: 3"));
    git(p, &["add", "-A"]);
    scan(p);
    git(p, &["add", "-A"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "tier-lowered", "secrets/notes.txt"), "{r:#}");
    commit(p, "move secrets to tier 3");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "tier-lowered", "secrets/notes.txt"), "{r:#}");
    assert!(has(&r, "tier-lowered", "tiergate.manifest.json"), "{r:#}");
    // The key stays tier 1 by its content under either rule.
    assert!(!has(&r, "tier-lowered", "secrets/key.pem"), "{r:#}");
}

#[test]
fn a_config_change_that_raises_tiers_lands_in_one_step() {
    let dir = repo();
    let p = dir.path();
    git(p, &["checkout", "-q", "-b", "feature"]);
    write(
        p,
        "tiergate.yaml",
        &CONFIG.replace("[\"secrets/**\"]", "[\"secrets/**\", \"docs/**\"]"),
    );
    git(p, &["add", "-A"]);
    scan(p);
    commit(p, "docs stay local");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(
        r["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["code"] == "policy-change"),
        "{r:#}"
    );
}

/// Copies of protected content, by every route a change can take: each keeps the tier
/// of the file it copies, in the staged check and in the pull-request check.
#[test]
fn a_copy_of_protected_content_keeps_its_tier() {
    let cases: &[(&str, &str, Make<'_>)] = &[
        ("docs/notes.txt", "secrets/notes.txt", &|p| {
            write(p, "docs/notes.txt", NOTES)
        }),
        ("README.md", "secrets/notes.txt", &|p| {
            write(p, "README.md", NOTES)
        }),
        ("notes.md", "secrets/notes.txt", &|p| {
            write(p, "notes.md", NOTES)
        }),
        ("docs/a/b/c/key.txt", "secrets/key.pem", &|p| {
            write(p, "docs/a/b/c/key.txt", &private_key())
        }),
    ];
    for (to, from, make) in cases {
        let dir = repo();
        let p = dir.path();
        make(p);
        git(p, &["add", "-A"]);
        scan(p);
        git(p, &["add", "-A"]);
        let (code, r) = check(p, &["--staged"]);
        assert_eq!(code, 1, "{to} (staged): {r:#}");
        assert!(
            has(&r, "tier-lowered", to) || has(&r, "violation", to),
            "{to}: {r:#}"
        );
        if !to.ends_with("key.txt") {
            let v = r["verdicts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["code"] == "tier-lowered" && v["path"] == *to)
                .unwrap_or_else(|| panic!("{to}: {r:#}"));
            assert_eq!(v["old_path"], *from, "{r:#}");
        }
        git(p, &["checkout", "-q", "-b", "feature"]);
        commit(p, "copy");
        let (code, r) = check(p, &["--base", "main"]);
        assert_eq!(code, 1, "{to} (range): {r:#}");
        assert!(
            has(&r, "tier-lowered", to) || has(&r, "violation", to),
            "{to}: {r:#}"
        );
    }
}

#[test]
fn a_near_copy_keeps_its_tier_in_a_pull_request() {
    let dir = repo();
    let p = dir.path();
    git(p, &["checkout", "-q", "-b", "feature"]);
    write(p, "docs/rotation.md", &format!("# Rotation\n\n{NOTES}"));
    git(p, &["add", "-A"]);
    scan(p);
    commit(p, "document the rotation");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(has(&r, "tier-lowered", "docs/rotation.md"), "{r:#}");
}

#[test]
fn blank_files_and_unrelated_content_are_not_copies() {
    let dir = repo();
    let p = dir.path();
    write(p, "secrets/empty.txt", "");
    git(p, &["add", "-A"]);
    scan(p);
    commit(p, "an empty secret");
    git(p, &["checkout", "-q", "-b", "feature"]);
    write(p, "src/__init__.py", "");
    write(
        p,
        "docs/more.md",
        "# More\n\nUnrelated prose about deploying.\n",
    );
    git(p, &["add", "-A"]);
    scan(p);
    git(p, &["add", "-A"]);
    let (code, r) = check(p, &["--staged"]);
    assert_eq!(code, 0, "{r:#}");
    commit(p, "more docs");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 0, "{r:#}");
}

/// A link takes its target's tier: when the change gives the target a stricter tier,
/// the link's entry, though the link itself is untouched, must follow it.
#[test]
fn an_untouched_link_follows_its_targets_new_tier() {
    let dir = repo();
    let p = dir.path();
    std::os::unix::fs::symlink("guide.md", p.join("docs/current.md")).unwrap();
    std::os::unix::fs::symlink("docs/current.md", p.join("latest.md")).unwrap();
    git(p, &["add", "-A"]);
    scan(p);
    commit(p, "links to the guide");
    let before = manifest(p);
    write(p, "docs/guide.md", &private_key());
    git(p, &["add", "-A"]);
    scan(p);
    git(p, &["add", "-A"]);
    // Rescanned: both links follow the guide to tier 1, and the change passes the
    // manifest checks (the committed key is its own violation).
    let (_, r) = check(p, &["--staged"]);
    for link in ["docs/current.md", "latest.md"] {
        assert!(!has(&r, "stale-manifest", link), "{link}: {r:#}");
    }
    // The links' entries kept from before the change: the gate rebuilds them.
    let now = manifest(p);
    let kept = now
        .lines()
        .map(|l| {
            before
                .lines()
                .find(|b| {
                    (l.contains("\"docs/current.md\"") || l.contains("\"latest.md\""))
                        && b.split(':').next() == l.split(':').next()
                })
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert_ne!(kept, now);
    write(p, "tiergate.manifest.json", &kept);
    git(p, &["add", "-A"]);
    for args in [&["--staged"][..]] {
        let (code, r) = check(p, args);
        assert_eq!(code, 1, "{r:#}");
        for link in ["docs/current.md", "latest.md"] {
            assert!(has(&r, "stale-manifest", link), "{link}: {r:#}");
            assert!(has(&r, "tier-lowered", link), "{link}: {r:#}");
        }
    }
    git(p, &["checkout", "-q", "-b", "feature"]);
    commit(p, "a key in the guide, links left as they were");
    let (code, r) = check(p, &["--base", "main"]);
    assert_eq!(code, 1, "{r:#}");
    for link in ["docs/current.md", "latest.md"] {
        assert!(has(&r, "tier-lowered", link), "{link}: {r:#}");
    }
}
