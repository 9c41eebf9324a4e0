//! The scan's cache of the detectors' results, in real git repositories: a rescan
//! reads only what changed, and every output (manifest, `ls`, `report`, `explain`) is
//! byte for byte the one a scan without the cache gives, whatever happened in between:
//! a file changed, touched, switched with a branch, untracked, racy, a cache file
//! truncated or corrupt, rules changed.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::*;

/// Wait until the file system's coarse clock has moved on: what was written before is
/// then older than a scan that starts after (a stamp of the instant a scan starts is
/// not trusted).
fn settle() {
    std::thread::sleep(Duration::from_millis(60));
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// An AWS key id, assembled at run time.
fn token() -> String {
    ["AKIA", "Q3EGT4KZ7B2XVN5M"].concat()
}

/// The demo project with a photograph, a credential accepted by a marker, personal
/// data in an ignored dump and an untracked note, committed on `main`.
fn project() -> tempfile::TempDir {
    let dir = fixture("demo");
    let p = dir.path();
    std::fs::copy(
        fixtures().join("media-faces/team/eileen_collins.png"),
        p.join("docs/portrait.png"),
    )
    .unwrap();
    let t = token();
    write(
        p,
        "tests/fixture.py",
        format!("KEY = '{t}'  # tiergate:accept=secret.aws_access_key\n").as_bytes(),
    );
    write(p, ".gitignore", b"local/\n");
    write(
        p,
        "local/dump.csv",
        b"name,email,iban\nAda,ada@example.com,DE89370400440532013000\n",
    );
    write(p, "notes.txt", b"to do\n");
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A", ":!notes.txt"]);
    git(p, &["commit", "-q", "-m", "start"]);
    settle();
    dir
}

/// (files read, files known from the cache), from a scan's summary.
fn counts(stderr: &str) -> (u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.ends_with("known from the cache"))
        .unwrap_or_else(|| panic!("no cache line in {stderr}"));
    let n: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (n[0], n[1])
}

/// Everything the scanning commands print: the manifest, the manifest with untracked
/// files, `ls`, the report and `explain` of two files; and the first scan's counts.
fn outputs(p: &Path, extra: &[&str]) -> (Vec<String>, (u64, u64)) {
    let mut out = Vec::new();
    let mut first = None;
    for args in [
        &["scan", "-o", "-"][..],
        &["scan", "-o", "-", "--include-untracked"],
        &["ls", "--format", "json"],
        &["report"],
        &["explain", "src/app/main.py", "--format", "json"],
        &["explain", "docs/portrait.png", "--format", "json"],
    ] {
        let mut a = args.to_vec();
        a.extend_from_slice(extra);
        let r = run(p, &a);
        assert_eq!(r.code, 0, "{a:?}: {}", r.stderr);
        if first.is_none() {
            first = Some(counts(&r.stderr));
        }
        out.push(r.stdout);
    }
    (out, first.unwrap())
}

/// The outputs with the cache as it is, then without it: they must be the same. The
/// counts of the cached run.
fn same_with_and_without(p: &Path) -> (u64, u64) {
    let (cached, n) = outputs(p, &[]);
    let (fresh, _) = outputs(p, &["--no-cache"]);
    for (a, b) in cached.iter().zip(&fresh) {
        assert_eq!(a, b, "the cache changed an output");
    }
    n
}

fn scan_counts(p: &Path, extra: &[&str]) -> (u64, u64) {
    let mut a = vec!["scan", "-o", "-"];
    a.extend_from_slice(extra);
    let r = run(p, &a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    counts(&r.stderr)
}

fn cache_file(p: &Path) -> std::path::PathBuf {
    p.join(".git/tiergate/scan.cache")
}

#[test]
fn a_rescan_reads_nothing_and_says_the_same() {
    let dir = project();
    let p = dir.path();
    let (read, cached) = scan_counts(p, &["--no-cache"]);
    assert!(read > 15 && cached == 0, "{read} {cached}");
    assert!(cache_file(p).is_file());
    assert!(
        !p.join("tiergate").exists() && git(p, &["status", "--porcelain"]).trim() == "?? notes.txt",
        "nothing is written in the work tree"
    );
    let (again, known) = same_with_and_without(p);
    assert_eq!((again, known), (0, read), "every file known, none read");
}

#[test]
fn a_changed_file_is_read_again_and_judged_anew() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    // A credential added: the file's tier changes.
    let main = std::fs::read_to_string(p.join("src/app/main.py")).unwrap();
    write(
        p,
        "src/app/main.py",
        format!("{main}\nSECRET = '{}'\n", token()).as_bytes(),
    );
    settle();
    assert_eq!(same_with_and_without(p), (1, all - 1));
    // A change that keeps the size and puts the modification time back: the change
    // time, which no program sets, still tells it.
    let readme = p.join("README.md");
    let before = std::fs::metadata(&readme).unwrap().modified().unwrap();
    let mut text = std::fs::read(&readme).unwrap();
    text[0] = if text[0] == b'#' { b'%' } else { b'#' };
    std::fs::write(&readme, &text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&readme)
        .unwrap()
        .set_modified(before)
        .unwrap();
    settle();
    assert_eq!(same_with_and_without(p), (1, all - 1));
}

#[test]
fn a_touched_file_is_read_again_and_judged_the_same() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    let m1 = run(p, &["scan", "-o", "-"]).stdout;
    std::fs::File::options()
        .write(true)
        .open(p.join("db/seed.sql"))
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(5))
        .unwrap();
    settle();
    assert_eq!(same_with_and_without(p), (1, all - 1));
    assert_eq!(run(p, &["scan", "-o", "-"]).stdout, m1);
}

#[test]
fn untracked_and_ignored_files_are_known_by_their_stamp() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    assert_eq!(scan_counts(p, &[]), (0, all));
    write(p, "notes.txt", b"call ada@example.com\n");
    write(
        p,
        "local/dump.csv",
        b"name,email\nBob,bob@example.com\nEve,eve@example.org\n",
    );
    settle();
    assert_eq!(same_with_and_without(p), (2, all - 2));
}

/// Set the index's modification time to now: the entries a checkout just wrote are
/// then not racy, as after git's next write of the index (the files were written
/// before, and are not touched after).
fn index_written_later(p: &Path) {
    settle();
    let index = git(
        p,
        &["rev-parse", "--path-format=absolute", "--git-path", "index"],
    );
    std::fs::File::options()
        .write(true)
        .open(index.trim())
        .unwrap()
        .set_modified(SystemTime::now())
        .unwrap();
    settle();
}

#[test]
fn a_branch_switched_back_is_known_by_its_blobs() {
    let dir = project();
    let p = dir.path();
    git(p, &["checkout", "-q", "-b", "other"]);
    let main = std::fs::read_to_string(p.join("src/app/main.py")).unwrap();
    write(
        p,
        "src/app/main.py",
        format!("{main}\nSECRET = '{}'\n", token()).as_bytes(),
    );
    write(p, "docs/portrait.png", b"not a picture any more\n");
    git(p, &["commit", "-q", "-am", "other"]);
    git(p, &["checkout", "-q", "main"]);
    index_written_later(p);
    let (all, _) = scan_counts(p, &[]);
    git(p, &["checkout", "-q", "other"]);
    index_written_later(p);
    // The two files the switch rewrote are read; the rest is known.
    assert_eq!(scan_counts(p, &[]), (2, all - 2));
    // Back on main: both rewritten again, with the blobs they had when first read.
    git(p, &["checkout", "-q", "main"]);
    index_written_later(p);
    assert_eq!(scan_counts(p, &[]), (0, all));
    assert_eq!(same_with_and_without(p), (0, all));
}

#[test]
fn a_stamp_not_older_than_the_scan_is_never_trusted() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    // Modified "after" the scan starts (a clock ahead, or a write in the scan's
    // instant): whatever was read, the next scan reads it again.
    let future = SystemTime::now() + Duration::from_secs(3600);
    for f in ["notes.txt", "src/app/catalog.py"] {
        std::fs::File::options()
            .write(true)
            .open(p.join(f))
            .unwrap()
            .set_modified(future)
            .unwrap();
    }
    settle();
    assert_eq!(scan_counts(p, &[]), (2, all - 2));
    assert_eq!(scan_counts(p, &[]), (2, all - 2));
    assert_eq!(same_with_and_without(p), (2, all - 2));
}

#[test]
fn a_truncated_or_corrupt_cache_is_read_as_none() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    let bytes = std::fs::read(cache_file(p)).unwrap();
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x20;
    for broken in [
        bytes[..bytes.len() / 2].to_vec(),
        bytes[..bytes.len() - 1].to_vec(),
        flipped,
        Vec::new(),
        b"not a cache".to_vec(),
    ] {
        std::fs::write(cache_file(p), &broken).unwrap();
        assert_eq!(scan_counts(p, &[]), (all, 0), "everything read again");
        // ... and the cache rewritten whole.
        assert_eq!(scan_counts(p, &[]), (0, all));
    }
    std::fs::write(cache_file(p), &bytes[..100]).unwrap();
    assert_eq!(same_with_and_without(p).0, all);
}

#[test]
fn a_cache_that_cannot_be_written_is_noted_and_changes_nothing() {
    let dir = project();
    let p = dir.path();
    let want = run(p, &["scan", "-o", "-", "--no-cache"]).stdout;
    std::fs::remove_file(cache_file(p)).unwrap();
    std::fs::create_dir_all(cache_file(p).join("in-the-way")).unwrap();
    let r = run(p, &["scan", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, want);
    assert!(
        r.stderr
            .contains("note: the detectors' results could not be kept for the next scan"),
        "{}",
        r.stderr
    );
}

#[test]
fn what_the_detectors_read_changes_the_key_and_nothing_else_does() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    // A zone: decisions change, the detectors' results do not.
    write(
        p,
        "tiergate.yaml",
        b"version: 1\nzones:\n  billing: [\"src/billing/**\"]\n",
    );
    settle();
    assert_eq!(same_with_and_without(p), (1, all));
    // A custom detector, the limits, markers no longer counting, an accepted finding:
    // every file is read again, once.
    let configs: [&[u8]; 3] = [
        b"version: 1\ndetectors:\n  - id: ticket\n    regex: \"TICKET-[0-9]{4}\"\n",
        b"version: 1\nlimits:\n  max_content_bytes: 4096\n  binary_sniff_bytes: 1024\n",
        b"version: 1\naccept:\n  inline: false\n",
    ];
    for config in configs {
        write(p, "tiergate.yaml", config);
        settle();
        assert_eq!(
            scan_counts(p, &[]),
            (all + 1, 0),
            "{}",
            String::from_utf8_lossy(config)
        );
        assert_eq!(same_with_and_without(p), (0, all + 1));
    }
    let accept = run(
        p,
        &["accept", "tests/fixture.py", "--reason", "a made-up key"],
    );
    assert_eq!(accept.code, 0, "{}", accept.stderr);
    settle();
    assert_eq!(scan_counts(p, &[]), (all + 2, 0));
    assert_eq!(same_with_and_without(p), (0, all + 2));
}

#[test]
fn no_cache_outside_git_nor_for_a_subdirectory() {
    let dir = fixture("demo");
    let p = dir.path();
    let r = run(p, &["scan", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("from the cache"), "{}", r.stderr);
    let git_dir = project();
    let g = git_dir.path();
    let r = run(g, &["scan", "src", "-o", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("from the cache"), "{}", r.stderr);
    assert!(!cache_file(g).exists());
}

#[test]
fn a_linked_work_tree_shares_the_cache_by_blob() {
    let dir = project();
    let p = dir.path();
    let (all, _) = scan_counts(p, &[]);
    let wt = tempfile::tempdir().unwrap();
    let w = wt.path().join("wt");
    git(
        p,
        &["worktree", "add", "-q", w.to_str().unwrap(), "-b", "side"],
    );
    index_written_later(&w);
    // Its tracked files are other files with the same blobs: known. The untracked
    // and ignored ones of the first work tree are not there.
    let (read, known) = scan_counts(&w, &[]);
    assert_eq!(read, 0, "{known}");
    assert_eq!(known, all - 2);
}
