//! The scan-side ways around a tier (issue 18): links into `.git`, to nothing or to
//! what the manifest does not list; exceptions over what a link reaches; submodules;
//! names that collide once normalized; names that are not UTF-8 in exports; content
//! behind a git filter (LFS and others); content past the read limit. Each case holds
//! in the scan and in the gate, which must give the same entry for the same content.
//!
//! The repository of the reproductions: `secrets/** -> tier 1`, a private key
//! at `secrets/key.pem`, `secrets/notes.txt` (tier 1 by path only), `README.md` and
//! `docs/guide.md` at tier 3, committed with its manifest.

mod common;

use std::path::Path;

use common::{codes_of, git, json, private_key, run, tier_of};

const TODAY: &str = "2026-12-01";

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn link(dir: &Path, path: &str, target: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, p).unwrap();
}

/// Committed keys are reported through their tier (not as violations), so the gate's
/// answer here is about the manifest's entries.
const CONFIG: &str = "default_tier: 3
gate:
  committed_secrets: report
rules:
  - id: secrets
    globs: [\"secrets/**\"]
    tier: 1
    reason: Secrets stay on local models
";

/// The repository, committed on `main` with its manifest.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    write(p, "tiergate.yaml", CONFIG.as_bytes());
    write(p, "secrets/key.pem", private_key().as_bytes());
    write(p, "secrets/notes.txt", b"the launch codes\n");
    write(p, "README.md", b"# Project\n");
    write(p, "docs/guide.md", b"How to use it.\n");
    git(p, &["add", "-A"]);
    let m = scan(p);
    assert_eq!(tier_of(&m, "secrets/key.pem"), 1);
    assert_eq!(tier_of(&m, "secrets/notes.txt"), 1);
    assert_eq!(tier_of(&m, "README.md"), 3);
    assert_eq!(tier_of(&m, "docs/guide.md"), 3);
    commit_all(p, "base");
    dir
}

fn commit_all(p: &Path, message: &str) {
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", message]);
}

fn scan(p: &Path) -> serde_json::Value {
    let r = run(p, &["scan", "--today", TODAY]);
    assert_eq!(r.code, 0, "scan failed: {}", r.stderr);
    json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap())
}

/// Scan, stage everything, and run the staged gate: it must pass, which it does only
/// when it computes, for every staged path, the entry the scan wrote.
fn scan_stage_and_check(p: &Path) -> serde_json::Value {
    git(p, &["add", "-A"]);
    let m = scan(p);
    git(p, &["add", "-A"]);
    gate_passes(p, &["--staged"]);
    m
}

/// A new exception lands the way the gate asks for any change that lowers a tier: the
/// exception first, with the manifest the rules in force give (`scan --rules HEAD`,
/// which lists the new files too), then the manifest that applies it, judged with the
/// rules that now include it.
fn exception_in_two_steps(p: &Path) -> serde_json::Value {
    git(p, &["add", "-A"]);
    let r = run(p, &["scan", "--today", TODAY, "--rules", "HEAD"]);
    assert_eq!(r.code, 0, "scan --rules HEAD failed: {}", r.stderr);
    git(p, &["add", "-A"]);
    gate_passes(p, &["--staged"]);
    commit_all(p, "exception");
    scan_stage_and_check(p)
}

/// `check` must pass (exit 0) with no stale manifest.
fn gate_passes(p: &Path, args: &[&str]) {
    let mut all = vec!["check", "--format", "json", "--today", TODAY];
    all.extend_from_slice(args);
    let r = run(p, &all);
    assert_eq!(r.code, 0, "check {args:?}: {}{}", r.stdout, r.stderr);
    let report = json(&r.stdout);
    let stale: Vec<&serde_json::Value> = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["code"] == "stale-manifest")
        .collect();
    assert!(stale.is_empty(), "check {args:?}: {report:#}");
}

/// `check` must fail (exit 1), and its report holds a verdict of `code`.
fn gate_fails_with(p: &Path, args: &[&str], code: &str) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json", "--today", TODAY];
    all.extend_from_slice(args);
    let r = run(p, &all);
    assert_eq!(r.code, 1, "check {args:?}: {}{}", r.stdout, r.stderr);
    let report = json(&r.stdout);
    assert!(
        report["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["code"] == code && v["fails"] == true),
        "no failing {code}: {report:#}"
    );
    report
}

/// The same change as a pull request: a branch committed with its manifest, checked
/// against `main`.
fn branch_passes(p: &Path, name: &str) {
    git(p, &["checkout", "-q", "-b", name]);
    git(p, &["add", "-A"]);
    scan(p);
    commit_all(p, name);
    gate_passes(p, &["--base", "main"]);
    git(p, &["checkout", "-q", "main"]);
}

fn route(p: &Path, path: &str, to: &str) -> (i32, serde_json::Value) {
    let r = run(p, &["route", path, "--to", to, "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}{}", r.stdout, r.stderr);
    (r.code, json(&r.stdout))
}

// ---- 1. links (section 3) -------------------------------------------------------------

/// Regression: a tracked link into `.git` (`cfg -> .git/config`, where a remote URL may
/// carry a token) was called dangling and got tier 3.
#[test]
fn a_link_into_git_is_tier_1_in_the_scan_and_the_gate() {
    let dir = repo();
    let p = dir.path();
    let links = [
        ("cfg", ".git/config"),
        ("cfg2", "./.git//config"),
        ("cfg3", "docs/../.git/config"),
        ("gitdir", ".git"),
        ("docs/cfg", "../.git/config"),
        ("through", "gitdir/config"),
    ];
    for (l, t) in links {
        link(p, l, t);
    }
    let m = scan_stage_and_check(p);
    for (l, t) in links {
        assert_eq!(tier_of(&m, l), 1, "{l} -> {t}");
        assert!(
            codes_of(&m, l).contains(&"symlink-into-git".to_string()),
            "{l} -> {t}: {:?}",
            codes_of(&m, l)
        );
    }
    let (code, _) = route(p, "cfg", "cloud-zdr");
    assert_eq!(code, 1, "route lets a link into .git go to the cloud");
    // A manifest that calls the link tier 3 (as tiergate did) fails the gate.
    let mut forged = m.clone();
    forged["files"]["cfg"]["tier"] = 3.into();
    forged["files"]["cfg"]["reasons"][0]["tier"] = serde_json::Value::Null;
    forged["files"]["cfg"]["reasons"][0]["code"] = "symlink-dangling".into();
    std::fs::write(
        p.join("tiergate.manifest.json"),
        serde_json::to_string_pretty(&forged).unwrap(),
    )
    .unwrap();
    git(p, &["add", "-A"]);
    gate_fails_with(p, &["--staged"], "stale-manifest");
    git(p, &["reset", "-q", "--hard"]);
    git(p, &["clean", "-qfdx"]);
    for (l, t) in links {
        link(p, l, t);
    }
    branch_passes(p, "links-into-git");
}

/// A new link through links the change does not touch resolves in the gate as in the
/// scan: the gate reads the unchanged links' targets from the tree.
#[test]
fn a_chain_through_unchanged_links_resolves_in_the_gate_as_in_the_scan() {
    let dir = repo();
    let p = dir.path();
    link(p, "g", ".git");
    link(p, "d", "docs");
    link(p, "up", "/etc");
    link(p, "s", "secrets");
    git(p, &["add", "-A"]);
    scan(p);
    commit_all(p, "links");
    let links = [
        ("cfg", "g/config", 1, "symlink-into-git"),
        ("guide", "d/guide.md", 3, "symlink-target"),
        ("d2", "d", 3, "symlink-target"),
        ("key", "d/../s/key.pem", 1, "symlink-target"),
        ("passwd", "up/passwd", 1, "symlink-escapes"),
        ("other/back", "../s/notes.txt", 1, "symlink-target"),
    ];
    for (l, t, _, _) in links {
        link(p, l, t);
    }
    let m = scan_stage_and_check(p);
    for (l, t, tier, code) in links {
        assert_eq!(tier_of(&m, l), tier, "{l} -> {t}: {:#}", m["files"][l]);
        assert!(
            codes_of(&m, l).contains(&code.to_string()),
            "{l} -> {t}: {:?}",
            codes_of(&m, l)
        );
    }
    branch_passes(p, "chains");
}

/// Regression: a dangling link, and a link to an existing path the manifest does not
/// list (an ignored file, the manifest itself, a path inside a submodule), were tier 3.
#[test]
fn dangling_links_and_links_to_unlisted_paths_are_tier_1() {
    let dir = repo();
    let p = dir.path();
    write(p, ".gitignore", b"local.env\n");
    write(
        p,
        "local.env",
        format!("TOKEN={}\n", "x".repeat(8)).as_bytes(),
    );
    // A gitlink and its directory: nothing under it is listed.
    let head = git(p, &["rev-parse", "HEAD"]).trim().to_string();
    std::fs::create_dir_all(p.join("vendor/lib")).unwrap();
    write(p, "vendor/lib/key.pem", private_key().as_bytes());
    git(
        p,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},vendor/lib"),
        ],
    );
    let links = [
        ("nowhere", "nothing-here"),
        ("docs/gone", "../docs/gone.md"),
        ("ignored", "local.env"),
        ("self", "tiergate.manifest.json"),
        ("inside-sub", "vendor/lib/key.pem"),
        ("home", "~/.ssh/id_rsa"),
    ];
    for (l, t) in links {
        link(p, l, t);
    }
    let m = scan_stage_and_check(p);
    for (l, t) in links {
        assert_eq!(tier_of(&m, l), 1, "{l} -> {t}");
        assert_eq!(codes_of(&m, l), ["symlink-dangling"], "{l} -> {t}");
    }
    // A link to a listed path keeps that path's tier.
    link(p, "readme", "README.md");
    let m = scan_stage_and_check(p);
    assert_eq!(tier_of(&m, "readme"), 3);
}

// ---- 2. exceptions (section 5) --------------------------------------------------------

const EXCEPT_DOCS: &str = "exceptions:
  - id: EXC-1
    paths: [\"docs/**\", \"vendor/**\"]
    tier: 4
    reason: Public documentation
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2027-05-01
";

/// Regression: an exception that lowers `docs/**` also lowered a new link
/// `docs/key.txt -> ../secrets/key.pem` and a link to `~/.ssh/id_rsa`.
#[test]
fn an_exception_never_lowers_what_a_link_reaches() {
    let dir = repo();
    let p = dir.path();
    write(p, "tiergate.exceptions.yaml", EXCEPT_DOCS.as_bytes());
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let links = [
        ("docs/key.txt", "../secrets/key.pem".to_string()),
        ("docs/notes", "../secrets".to_string()),
        ("docs/ssh", format!("{home}/.ssh/id_rsa")),
        ("docs/tilde", "~/.ssh/id_rsa".to_string()),
        ("docs/up", "../../outside".to_string()),
        ("docs/loop", "loop".to_string()),
        ("docs/cfg", "../.git/config".to_string()),
    ];
    for (l, t) in &links {
        link(p, l, t);
    }
    git(p, &["add", "-A"]);
    scan(p);
    commit_all(p, "exceptions and links");
    let m = scan(p);
    // The exception applies where it may.
    assert_eq!(tier_of(&m, "docs/guide.md"), 4);
    for (l, t) in &links {
        assert_eq!(tier_of(&m, l), 1, "{l} -> {t}");
        assert_ne!(codes_of(&m, l)[0], "exception", "{l} -> {t}");
        let (code, _) = route(p, l, "cloud");
        assert_eq!(code, 1, "{l} -> {t} may go to the cloud");
    }
    // A link to a file the exception lowers takes the lowered tier.
    link(p, "docs/readme", "guide.md");
    let m = scan_stage_and_check(p);
    assert_eq!(tier_of(&m, "docs/readme"), 4);
}

// ---- 3. submodules (section 4) --------------------------------------------------------

/// Whether git ignores `path` (raw bytes) when `text` is the root `.gitignore`.
fn git_ignores(text: &str, path: &[u8]) -> bool {
    !common::git_ignored_bytes(text, &[path]).is_empty()
}

fn export(p: &Path, agent: &str) -> String {
    let r = run(p, &["export", "--agent", agent]);
    assert_eq!(r.code, 0, "export {agent}: {}{}", r.stdout, r.stderr);
    let file = match agent {
        "cursor" => ".cursorignore",
        "claude-code" => ".claude/settings.json",
        "copilot" => ".github/tiergate-copilot-exclusion.yml",
        "amazon-q" => ".amazonq/cli-agents/tiergate.json",
        other => panic!("{other}"),
    };
    std::fs::read_to_string(p.join(file)).unwrap()
}

/// Regression: a submodule was one tier-3 entry, and no export covered its files.
#[test]
fn a_submodule_is_tier_1_and_excluded_as_a_directory() {
    let sub = tempfile::tempdir().unwrap();
    write(sub.path(), "lib.py", b"x = 1\n");
    common::git_commit_all(sub.path());
    let dir = repo();
    let p = dir.path();
    git(
        p,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.path().to_str().unwrap(),
            "vendor/lib",
        ],
    );
    let m = scan_stage_and_check(p);
    assert_eq!(tier_of(&m, "vendor/lib"), 1);
    assert_eq!(codes_of(&m, "vendor/lib"), ["submodule"]);
    assert!(m["files"].get("vendor/lib/lib.py").is_none());
    let (code, _) = route(p, "vendor/lib", "cloud-zdr");
    assert_eq!(code, 1);
    // Exports name the directory, so every file under it is excluded.
    let cursor = export(p, "cursor");
    assert!(cursor.lines().any(|l| l == "/vendor/lib/**"), "{cursor}");
    for inside in [
        "vendor/lib/lib.py",
        "vendor/lib/deep/x.key",
        "vendor/lib/.env",
    ] {
        assert!(
            git_ignores(&cursor, inside.as_bytes()),
            "{inside}:\n{cursor}"
        );
    }
    let claude = export(p, "claude-code");
    assert!(claude.contains("Read(/vendor/lib/**)"), "{claude}");
    let copilot = export(p, "copilot");
    assert!(copilot.contains("\"/vendor/lib/**\""), "{copilot}");
    export(p, "amazon-q");
    commit_all(p, "submodule");
    // A reviewed exception may lower it.
    write(p, "tiergate.exceptions.yaml", EXCEPT_DOCS.as_bytes());
    let m = exception_in_two_steps(p);
    assert_eq!(tier_of(&m, "vendor/lib"), 4);
    assert_eq!(codes_of(&m, "vendor/lib")[0], "exception");
}

// ---- 4. names that collide once normalized (section 4) --------------------------------

/// Pairs of names that are one path once normalized to NFC: the first in NFC, the
/// second decomposed; generated over letters, marks, Hangul and directories.
fn twin_names() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (nfc, nfd) in [
        ("caf\u{e9}", "cafe\u{301}"),
        ("\u{c5}ngstr\u{f6}m", "A\u{30a}ngstro\u{308}m"),
        ("ma\u{f1}ana", "man\u{303}ana"),
        ("\u{ac00}", "\u{1100}\u{1161}"),
        ("\u{1e69}", "s\u{323}\u{307}"),
    ] {
        out.push((format!("{nfc}.txt"), format!("{nfd}.txt")));
        out.push((format!("t/{nfc}/x.txt"), format!("t/{nfd}/x.txt")));
    }
    out
}

/// Regression: `café.txt` in NFC holding a key and `café.txt` in NFD holding text gave
/// two entries with the same key; route and the hook read the public twin.
#[test]
fn twins_are_one_entry_at_the_stricter_tier_in_the_scan_and_the_gate() {
    let dir = repo();
    let p = dir.path();
    let names = twin_names();
    for (i, (nfc, nfd)) in names.iter().enumerate() {
        // The key in one twin or the other, by turns.
        let (keyed, plain) = if i % 2 == 0 { (nfc, nfd) } else { (nfd, nfc) };
        write(p, &format!("docs/{keyed}"), private_key().as_bytes());
        write(p, &format!("docs/{plain}"), b"public text\n");
    }
    let m = scan_stage_and_check(p);
    let text = std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap();
    for (nfc, _) in &names {
        let path = format!("docs/{nfc}");
        assert_eq!(tier_of(&m, &path), 1, "{path}");
        assert!(
            codes_of(&m, &path).contains(&"name-collision".to_string()),
            "{path}: {:?}",
            codes_of(&m, &path)
        );
        assert!(
            m["files"][&path]["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] == "private-key"),
            "{path}: the key twin's findings are kept: {:#}",
            m["files"][&path]
        );
        let key = format!("\"{path}\":");
        assert_eq!(text.matches(&key).count(), 1, "{path} listed once");
        let (code, _) = route(p, &path, "cloud-zdr");
        assert_eq!(code, 1, "{path}");
    }
    commit_all(p, "twins");
    // Only one twin changes: the gate finds the other in the tree.
    let (_, nfd) = &names[0];
    write(p, &format!("docs/{nfd}"), b"other public text\n");
    scan_stage_and_check(p);
    commit_all(p, "one twin changed");
    gate_passes(p, &["--base", "main~1"]);
}

/// Regression: names that are not UTF-8 are shown as `\xNN`: a UTF-8 name spelled so
/// (`a\xFFb.txt`, with a backslash) and the real name must not overwrite each other,
/// and two different invalid names stay two entries.
#[test]
fn names_that_are_not_utf8_never_overwrite_each_other() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    let p = dir.path();
    let raw = |b: &[u8]| p.join(std::ffi::OsStr::from_bytes(b));
    std::fs::write(raw(b"a\xffb.txt"), b"plain\n").unwrap();
    std::fs::write(p.join("a\\xFFb.txt"), private_key()).unwrap();
    std::fs::write(raw(b"x\xfe"), b"one\n").unwrap();
    std::fs::write(raw(b"x\xff"), b"two\n").unwrap();
    let m = scan_stage_and_check(p);
    let text = std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap();
    assert_eq!(text.matches("\"a\\\\xFFb.txt\":").count(), 1, "{text}");
    assert_eq!(tier_of(&m, "a\\xFFb.txt"), 1);
    assert!(codes_of(&m, "a\\xFFb.txt").contains(&"name-collision".to_string()));
    assert_eq!(tier_of(&m, "x\\xFE"), 1);
    assert_eq!(tier_of(&m, "x\\xFF"), 1);
    assert_eq!(codes_of(&m, "x\\xFE"), ["non-utf8-path"]);
}

// ---- 5. names that are not UTF-8 in exports (section 4) -------------------------------

/// Regression: export wrote a name that is not UTF-8 in its `\xNN` form, which no
/// agent matches; the real file was not excluded.
#[test]
fn exports_exclude_a_name_that_is_not_utf8_by_its_raw_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repo();
    let p = dir.path();
    let names: [&[u8]; 5] = [
        b"docs/r\xe9sum\xe9.txt",
        b"docs/\xff\xfe.md",
        b"docs/mixed\xc3\xa9-\xe2\x82.md",
        b"docs/star*\xff",
        b"d\xe9j\xe0/inner.txt",
    ];
    for n in names {
        let path = p.join(std::ffi::OsStr::from_bytes(n));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"text\n").unwrap();
    }
    // A name written decomposed (as macOS writes it) is listed in NFC: the export must
    // exclude the bytes on disk too.
    write(p, "docs/cafe\u{301}.pem", private_key().as_bytes());
    let m = scan_stage_and_check(p);
    assert_eq!(tier_of(&m, "docs/caf\u{e9}.pem"), 1);
    let cursor = export(p, "cursor");
    assert!(
        git_ignores(&cursor, "docs/cafe\u{301}.pem".as_bytes()),
        "the decomposed name is not excluded:\n{cursor}"
    );
    for n in names {
        assert!(
            git_ignores(&cursor, n),
            "{} is not excluded:\n{cursor}",
            String::from_utf8_lossy(n)
        );
    }
    // Shareable neighbours are not caught by a pattern that matches more bytes.
    assert!(!git_ignores(&cursor, b"docs/guide.md"), "{cursor}");
    // A truncated sequence is one character to a reader of text: a pattern for it too.
    assert!(
        cursor.lines().any(|l| l == "/docs/mixed\u{e9}-??.md"),
        "{cursor}"
    );
    assert!(
        cursor.lines().any(|l| l == "/docs/mixed\u{e9}-?.md"),
        "{cursor}"
    );
    // The JSON formats carry the same patterns, verified on the raw bytes before they
    // are written.
    let claude = export(p, "claude-code");
    assert!(claude.contains("Read(/docs/r?sum?.txt)"), "{claude}");
    let copilot = export(p, "copilot");
    assert!(copilot.contains("\"/docs/r?sum?.txt\""), "{copilot}");
    let q = export(p, "amazon-q");
    assert!(q.contains("./docs/r?sum?.txt"), "{q}");
}

// ---- 7. content past the read limit (section 5) ---------------------------------------

/// Regression: a private key after 8 MiB of padding passed the staged gate at tier 3.
#[test]
fn a_key_past_the_read_limit_is_found_by_the_scan_and_the_gate() {
    let dir = repo();
    let p = dir.path();
    let mut big = "padding line\n".repeat((8 << 20) / 13 + 1).into_bytes();
    assert!(big.len() > 8 << 20);
    big.extend_from_slice(private_key().as_bytes());
    write(p, "docs/big.log", &big);
    let m = scan_stage_and_check(p);
    assert_eq!(
        tier_of(&m, "docs/big.log"),
        1,
        "{:#}",
        m["files"]["docs/big.log"]
    );
    let codes = codes_of(&m, "docs/big.log");
    assert!(
        codes.contains(&"content-truncated".to_string()),
        "{codes:?}"
    );
    let (code, _) = route(p, "docs/big.log", "cloud-zdr");
    assert_eq!(code, 1);
    // The same change as a pull request, its objects packed (read whole by libgit2,
    // not streamed from a loose object).
    git(p, &["checkout", "-q", "-b", "big"]);
    commit_all(p, "big");
    git(p, &["gc", "-q"]);
    gate_passes(p, &["--base", "main"]);
}

/// Keys and tokens across the limit, past it, in binary files: the same tier in the
/// scan and the gate, on loose and packed objects, with a small limit.
#[test]
fn secrets_anywhere_past_a_small_limit_are_tier_1() {
    let dir = repo();
    let p = dir.path();
    write(
        p,
        "tiergate.yaml",
        format!("{CONFIG}limits:\n  max_content_bytes: 4096\n  binary_sniff_bytes: 512\n")
            .as_bytes(),
    );
    git(p, &["add", "-A"]);
    scan(p);
    commit_all(p, "small limit");
    git(p, &["checkout", "-q", "-b", "limit"]);
    let pad = |n: usize| "x".repeat(n);
    let token = ["AKIA", "Q3EGT4KZ7B2XVN5M"].concat();
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    // A key straddling the limit at several offsets, and one far past it.
    for at in [4096 - 40, 4096 - 11, 4096 - 1, 4096, 4097, 50_000] {
        let mut v = format!("{}\n", pad(at - 1)).into_bytes();
        v.extend_from_slice(private_key().as_bytes());
        cases.push((format!("docs/key-at-{at}.txt"), v));
    }
    let mut v = format!("{}\n", pad(9000)).into_bytes();
    v.extend_from_slice(format!("aws_access_key_id = {token}\n").as_bytes());
    cases.push(("docs/token.txt".into(), v));
    let mut v = vec![0u8; 20_000];
    v.extend_from_slice(private_key().as_bytes());
    v.extend_from_slice(&[0; 100]);
    cases.push(("docs/store.bin".into(), v));
    for (path, bytes) in &cases {
        write(p, path, bytes);
    }
    write(p, "docs/plain-big.txt", pad(20_000).as_bytes());
    let m = scan_stage_and_check(p);
    for (path, _) in &cases {
        assert_eq!(tier_of(&m, path), 1, "{path}: {:#}", m["files"][path]);
    }
    assert_eq!(tier_of(&m, "docs/plain-big.txt"), 3);
    commit_all(p, "limit");
    git(p, &["gc", "-q"]);
    gate_passes(p, &["--base", "main"]);
}

// ---- 6. content behind a git filter (section 5) ---------------------------------------

/// The pointer git LFS writes for `content`, and the object's id.
fn lfs_pointer(content: &[u8]) -> (String, String) {
    use sha2::Digest;
    let oid: String = sha2::Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let text = format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {}\n",
        content.len()
    );
    (text, oid)
}

/// Put `content` in the repository's LFS store, as `git lfs` would.
fn put_lfs_object(p: &Path, content: &[u8]) {
    let (_, oid) = lfs_pointer(content);
    let path = p
        .join(".git/lfs/objects")
        .join(&oid[..2])
        .join(&oid[2..4])
        .join(&oid);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn entry<'m>(m: &'m serde_json::Value, path: &str) -> &'m serde_json::Value {
    &m["files"][path]
}

/// Regression: the gate read an LFS pointer (harmless text) while the content, a key,
/// is the object it names; pointers and filtered paths were classified as their
/// stored bytes.
#[test]
fn an_lfs_key_is_tier_1_in_the_scan_and_the_gate() {
    let dir = repo();
    let p = dir.path();
    write(
        p,
        ".gitattributes",
        b"*.pem filter=lfs diff=lfs merge=lfs -text\n*.dat filter=lfs diff=lfs merge=lfs -text\n",
    );
    let key = private_key();
    // The work tree holds the pointer (not smudged); the object is in the store.
    let (pointer, _) = lfs_pointer(key.as_bytes());
    put_lfs_object(p, key.as_bytes());
    write(p, "docs/deploy.pem", pointer.as_bytes());
    // A large object, with the key past the content limit.
    let mut big = "padding line\n".repeat((8 << 20) / 13 + 1).into_bytes();
    big.extend_from_slice(key.as_bytes());
    let (big_pointer, _) = lfs_pointer(&big);
    put_lfs_object(p, &big);
    write(p, "docs/dump.dat", big_pointer.as_bytes());
    let m = scan_stage_and_check(p);
    for path in ["docs/deploy.pem", "docs/dump.dat"] {
        assert_eq!(tier_of(&m, path), 1, "{path}: {:#}", entry(&m, path));
        assert!(
            entry(&m, path)["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] == "private-key"),
            "{path}: {:#}",
            entry(&m, path)
        );
    }
    let (code, _) = route(p, "docs/deploy.pem", "cloud-zdr");
    assert_eq!(code, 1);
    // The smudged work tree (the key itself, as `git lfs` checks it out) gives the
    // same entry as the pointer.
    let before = entry(&m, "docs/deploy.pem").clone();
    write(p, "docs/deploy.pem", key.as_bytes());
    let m = scan(p);
    assert_eq!(entry(&m, "docs/deploy.pem"), &before);
    write(p, "docs/deploy.pem", pointer.as_bytes());
    scan(p);
    // The pull request, its objects packed.
    git(p, &["checkout", "-q", "-b", "lfs"]);
    commit_all(p, "lfs");
    git(p, &["gc", "-q"]);
    gate_passes(p, &["--base", "main"]);
}

/// Without its object, an LFS pointer is tier 1 `content-filtered` in the scan and the
/// gate; so is one whose object does not match; a pointer without the attribute is
/// read as the object it names all the same; a git-crypt-style filter is tier 1.
#[test]
fn filtered_content_that_cannot_be_read_is_tier_1_in_the_scan_and_the_gate() {
    let dir = repo();
    let p = dir.path();
    write(
        p,
        ".gitattributes",
        b"*.pem filter=lfs diff=lfs merge=lfs -text\n[attr]crypt filter=crypt diff=crypt\nvault/** crypt\n",
    );
    write(p, "docs/.gitattributes", b"*.enc filter=sops\n");
    let key = private_key();
    let (absent, _) = lfs_pointer(key.as_bytes());
    write(p, "docs/absent.pem", absent.as_bytes());
    // An object whose bytes are not those the pointer names.
    let (mismatch, oid) = lfs_pointer(b"what the pointer names\n");
    let obj = p
        .join(".git/lfs/objects")
        .join(&oid[..2])
        .join(&oid[2..4])
        .join(&oid);
    std::fs::create_dir_all(obj.parent().unwrap()).unwrap();
    std::fs::write(&obj, b"what the store holds!!\n").unwrap();
    write(p, "docs/mismatch.pem", mismatch.as_bytes());
    // Pointers without the attribute: one to a harmless object, one to nothing.
    let harmless = b"public release notes\n";
    put_lfs_object(p, harmless);
    write(p, "docs/notes.txt", lfs_pointer(harmless).0.as_bytes());
    write(
        p,
        "docs/missing.txt",
        lfs_pointer(b"never stored\n").0.as_bytes(),
    );
    // Other filters: what git stores is not the content.
    write(p, "vault/token.txt", b"\0GITCRYPT\0 ciphertext");
    write(p, "docs/config.enc", b"looks harmless\n");
    // An attribute file deeper down, beside one that names no filter.
    write(p, "docs/a/.gitattributes", b"*.md text\n");
    write(p, "docs/a/b/c/.gitattributes", b"*.bin crypt\n");
    write(p, "docs/a/b/c/blob.bin", b"looks harmless too\n");
    let m = scan_stage_and_check(p);
    for path in [
        "docs/absent.pem",
        "docs/mismatch.pem",
        "docs/missing.txt",
        "vault/token.txt",
        "docs/config.enc",
        "docs/a/b/c/blob.bin",
    ] {
        assert_eq!(tier_of(&m, path), 1, "{path}: {:#}", entry(&m, path));
        assert_eq!(codes_of(&m, path)[0], "content-filtered", "{path}");
    }
    assert_eq!(
        tier_of(&m, "docs/notes.txt"),
        3,
        "{:#}",
        entry(&m, "docs/notes.txt")
    );
    // The pull request judges the same.
    git(p, &["checkout", "-q", "-b", "filtered"]);
    commit_all(p, "filtered");
    gate_passes(p, &["--base", "main"]);
    // A reviewed exception may lower what tiergate cannot read.
    write(
        p,
        "tiergate.exceptions.yaml",
        b"exceptions:
  - id: EXC-9
    paths: [\"vault/**\"]
    tier: 2
    reason: Encrypted at rest, reviewed
    approver: security@example.com
    approved: 2026-11-01
    expires: 2027-05-01
",
    );
    let m = exception_in_two_steps(p);
    assert_eq!(tier_of(&m, "vault/token.txt"), 2);
}
