//! Real repositories built with the git command line; `git diff --cached` and
//! `git diff A B` are the oracle for paths and kinds.

use std::path::Path;
use std::process::Command;

use super::*;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository with one commit holding a few directories of files.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    for d in 0..20 {
        for f in 0..5 {
            write(
                p,
                &format!("d{d:02}/sub/f{f}.txt"),
                &format!(
                    "directory {d} file {f}\n{}",
                    "a line of text\n".repeat(f + 3)
                ),
            );
        }
    }
    write(p, "top.md", "# top\n");
    write(p, "gone/a.txt", "a\n");
    write(p, "gone/deep/b.txt", "b\n");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    dir
}

/// (kind letter, old path, new path) from our change set.
fn ours(changes: &[Change]) -> Vec<(char, String, String)> {
    let mut v: Vec<_> = changes
        .iter()
        .map(|c| {
            let k = match c.kind {
                ChangeKind::Added => 'A',
                ChangeKind::Deleted => 'D',
                ChangeKind::Modified => 'M',
                ChangeKind::Renamed { .. } => 'R',
            };
            let o = c.old.as_ref().map_or(String::new(), |b| b.path.clone());
            let n = c.new.as_ref().map_or(String::new(), |b| b.path.clone());
            (k, o, n)
        })
        .collect();
    v.sort();
    v
}

/// The same from `git diff --name-status -M50% --no-renames?` output lines.
fn oracle(out: &str) -> Vec<(char, String, String)> {
    let mut v: Vec<_> = out
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            let k = parts[0].chars().next().unwrap();
            match k {
                'R' => ('R', parts[1].to_string(), parts[2].to_string()),
                'A' => ('A', String::new(), parts[1].to_string()),
                'D' => ('D', parts[1].to_string(), String::new()),
                // A type change (file <-> link) is a modification of the path here.
                'M' | 'T' => ('M', parts[1].to_string(), parts[1].to_string()),
                other => panic!("unexpected status {other} in {l}"),
            }
        })
        .collect();
    v.sort();
    v
}

fn staged_set(p: &Path) -> Vec<(char, String, String)> {
    let r = Repository::open(p).unwrap();
    ours(&staged(&r).unwrap().changes)
}

fn cached_oracle(p: &Path) -> Vec<(char, String, String)> {
    oracle(&git(p, &["diff", "--cached", "--name-status", "-M50%"]))
}

#[test]
fn only_staged_edits_count() {
    let dir = repo();
    let p = dir.path();
    write(p, "d01/sub/f1.txt", "staged edit\n");
    git(p, &["add", "d01/sub/f1.txt"]);
    write(p, "d01/sub/f1.txt", "a later, unstaged edit\n");
    write(p, "d02/sub/f2.txt", "unstaged only\n");
    let got = staged_set(p);
    assert_eq!(
        got,
        vec![('M', "d01/sub/f1.txt".into(), "d01/sub/f1.txt".into())]
    );
    assert_eq!(got, cached_oracle(p));
    // The staged blob is the staged text, not the work tree's.
    let r = Repository::open(p).unwrap();
    let s = staged(&r).unwrap();
    let id = s.changes[0].new.as_ref().unwrap().id;
    assert_eq!(r.find_blob(id).unwrap().content(), b"staged edit\n");
}

#[test]
fn adds_deletes_renames_and_modes_agree_with_git() {
    let dir = repo();
    let p = dir.path();
    write(p, "new/file.txt", "brand new\n");
    git(p, &["rm", "-q", "-r", "gone"]);
    std::fs::create_dir_all(p.join("moved")).unwrap();
    git(p, &["mv", "d03/sub/f4.txt", "moved/f4.txt"]);
    // A rename with a small edit stays a rename; a full rewrite does not.
    git(p, &["mv", "d04/sub/f4.txt", "moved/edited.txt"]);
    let text = std::fs::read_to_string(p.join("moved/edited.txt")).unwrap();
    write(p, "moved/edited.txt", &format!("{text}one more line\n"));
    git(p, &["mv", "d05/sub/f0.txt", "moved/rewritten.txt"]);
    write(p, "moved/rewritten.txt", "nothing in common\nat all\n");
    std::os::unix::fs::symlink("../top.md", p.join("d06/link.md")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let f = p.join("d07/sub/f0.txt");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    git(p, &["add", "-A"]);
    let got = staged_set(p);
    assert_eq!(got, cached_oracle(p));
    assert!(got.contains(&('R', "d04/sub/f4.txt".into(), "moved/edited.txt".into())));
    assert!(got.contains(&('A', String::new(), "moved/rewritten.txt".into())));
    assert!(got.contains(&('D', "gone/deep/b.txt".into(), String::new())));
    let r = Repository::open(p).unwrap();
    let s = staged(&r).unwrap();
    let link = s
        .changes
        .iter()
        .find(|c| c.new.as_ref().is_some_and(|b| b.path == "d06/link.md"))
        .unwrap();
    assert_eq!(link.new.as_ref().unwrap().mode, 0o120000);
    let exec = s
        .changes
        .iter()
        .find(|c| c.new.as_ref().is_some_and(|b| b.path == "d07/sub/f0.txt"))
        .unwrap();
    assert_eq!(exec.kind, ChangeKind::Modified);
    assert_eq!(exec.new.as_ref().unwrap().mode, 0o100755);
}

#[test]
fn a_directory_replaced_by_a_file_and_back() {
    let dir = repo();
    let p = dir.path();
    git(p, &["rm", "-q", "-r", "d08"]);
    write(p, "d08", "now a file\n");
    git(p, &["rm", "-q", "top.md"]);
    write(p, "top.md/inside.txt", "now a directory\n");
    git(p, &["add", "-A"]);
    assert_eq!(staged_set(p), cached_oracle(p));
}

#[test]
fn the_cache_tree_prunes_untouched_directories() {
    let dir = repo();
    let p = dir.path();
    // `git status` refreshes the cache tree after the commit.
    git(p, &["status", "--short"]);
    write(p, "d10/sub/f1.txt", "changed\n");
    git(p, &["add", "d10/sub/f1.txt"]);
    let r = Repository::open(p).unwrap();
    let index = gix_index::File::at(
        p.join(".git/index"),
        gix_hash::Kind::Sha1,
        true,
        Default::default(),
    )
    .unwrap();
    assert!(index.tree().is_some(), "git writes a cache tree");
    let entries = index.entries();
    let head = r.head().unwrap().peel_to_tree().unwrap();
    let mut out = Vec::new();
    let mut w = IndexWalk {
        repo: &r,
        index: &index,
        entries,
        out: &mut out,
        visited: 0,
        trees_read: 0,
    };
    w.dir(b"", Some(&head), index.tree(), 0..entries.len())
        .unwrap();
    // The root, d10 and d10/sub: not the other 21 directories, whose trees are not
    // even read.
    assert_eq!(w.visited, 3);
    assert_eq!(w.trees_read, 2);
    assert_eq!(out.len(), 1);
    // Without a cache tree the answer is the same, visiting everything.
    let mut out2 = Vec::new();
    let mut w = IndexWalk {
        repo: &r,
        index: &index,
        entries,
        out: &mut out2,
        visited: 0,
        trees_read: 0,
    };
    w.dir(b"", Some(&head), None, 0..entries.len()).unwrap();
    assert!(w.visited > 20);
    assert!(w.trees_read > 20);
    assert_eq!(out2, out);
}

#[test]
fn unborn_head_intent_to_add_and_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    let r = Repository::open(p).unwrap();
    assert!(staged(&r).unwrap().changes.is_empty());
    write(p, "a.txt", "a\n");
    write(p, "b.txt", "b\n");
    git(p, &["add", "a.txt"]);
    git(p, &["add", "-N", "b.txt"]);
    let s = staged(&r).unwrap();
    assert_eq!(s.head, None);
    assert_eq!(
        ours(&s.changes),
        vec![('A', String::new(), "a.txt".into())],
        "intent-to-add is not staged content"
    );
    // A merge conflict.
    git(p, &["reset", "-q"]);
    git(p, &["add", "a.txt"]);
    git(p, &["commit", "-q", "-m", "one"]);
    git(p, &["checkout", "-q", "-b", "other"]);
    write(p, "a.txt", "other\n");
    git(p, &["commit", "-q", "-am", "other"]);
    git(p, &["checkout", "-q", "main"]);
    write(p, "a.txt", "main\n");
    git(p, &["commit", "-q", "-am", "main"]);
    let _ = Command::new("git")
        .args(["merge", "-q", "other"])
        .current_dir(p)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output();
    let err = staged(&r).err().expect("conflicts are refused");
    assert!(
        err.to_string().contains("unresolved conflicts at a.txt"),
        "{err}"
    );
}

#[test]
fn between_commits_agrees_with_git() {
    let dir = repo();
    let p = dir.path();
    let base = git(p, &["rev-parse", "HEAD"]).trim().to_string();
    write(p, "new/file.txt", "brand new\n");
    git(p, &["rm", "-q", "-r", "gone"]);
    std::fs::create_dir_all(p.join("moved")).unwrap();
    git(p, &["mv", "d03/sub/f4.txt", "moved/f4.txt"]);
    write(p, "d09/sub/f2.txt", "rewritten\n");
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "change"]);
    let r = Repository::open(p).unwrap();
    let old = r.revparse_single(&base).unwrap().peel_to_tree().unwrap();
    let new = r.head().unwrap().peel_to_tree().unwrap();
    let got = ours(&between(&r, &old, &new).unwrap());
    assert_eq!(
        got,
        oracle(&git(p, &["diff", "--name-status", "-M50%", &base, "HEAD"]))
    );
}

#[test]
fn the_worktree_file_is_trusted_only_when_its_stat_matches() {
    let dir = repo();
    let p = dir.path();
    write(p, "d11/sub/f1.txt", "staged\n");
    // Age the file so it is not racily clean against the index written next.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
    std::fs::File::options()
        .write(true)
        .open(p.join("d11/sub/f1.txt"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    git(p, &["add", "d11/sub/f1.txt"]);
    let r = Repository::open(p).unwrap();
    let s = staged(&r).unwrap();
    let opened = || {
        std::fs::File::open(p.join("d11/sub/f1.txt"))
            .unwrap()
            .metadata()
            .unwrap()
    };
    assert!(s.staged_file_is("d11/sub/f1.txt", &opened()));
    write(p, "d11/sub/f1.txt", "edited after staging\n");
    assert!(!s.staged_file_is("d11/sub/f1.txt", &opened()));
    // A path the index does not stage is never taken from the work tree.
    assert!(!s.staged_file_is("no/such", &opened()));
}
