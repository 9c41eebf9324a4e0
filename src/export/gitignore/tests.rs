//! `git check-ignore --no-index` is the independent oracle: what git says a generated
//! file excludes must be what tiergate's own verification says.

use std::process::Command;

use super::*;

fn listed<'a>(items: &[(&'a str, bool)]) -> Vec<Listed<'a>> {
    items
        .iter()
        .map(|(path, protected)| Listed {
            path,
            protected: *protected,
        })
        .collect()
}

/// The paths git reports as ignored by `text` (as a root .gitignore).
fn git_ignored(text: &str, paths: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut child = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        } else {
            drop(child.stdin.take());
        }
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    run(&["init", "-q"], None);
    std::fs::write(dir.path().join(".gitignore"), text).unwrap();
    // NUL-separated both ways: git quotes a name with a `\\` or a `"` in line mode.
    let input: String = paths.iter().map(|p| format!("{p}\0")).collect();
    let out = run(
        &["check-ignore", "--no-index", "--stdin", "-z"],
        Some(&input),
    );
    let mut v: Vec<String> = out
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

const TREE: &[(&str, bool)] = &[
    ("README.md", false),
    ("docs/guide.md", false),
    ("hr/payroll.csv", true),
    ("hr/reviews/2026.md", true),
    ("src/app.py", false),
    ("src/core/engine.rs", true),
    ("src/core/pricing.rs", true),
    ("src/trailing space ", true),
    ("src/util.py", false),
    ("src/weird [1] *name?.txt", true),
    ("x.pem", true),
];

#[test]
fn whole_protected_directories_collapse_and_the_rest_is_listed() {
    let files = listed(TREE);
    let p = patterns(&files, &[]).unwrap();
    assert_eq!(
        p,
        vec![
            "/hr/",
            "/src/core/",
            "/src/trailing space\\ ",
            "/src/weird \\[1\\] \\*name\\?.txt",
            "/x.pem"
        ]
    );
}

#[test]
fn generated_files_exclude_exactly_what_git_says() {
    let files = listed(TREE);
    let globs = vec![
        "**/*.{pem,key}".to_string(),
        "secrets/[a-z]*/**".to_string(),
    ];
    let p = patterns(&files, &globs).unwrap();
    let text = merge(None, &p, "agent: cursor; destination: cloud-zdr");
    let cov = verify(&text, &files).unwrap();
    assert!(cov.uncovered.is_empty(), "{cov:?}\n{text}");
    assert_eq!(cov.over_excluded, 0);
    // The oracle: git agrees path by path, for listed paths and for files that may
    // appear later.
    let later = [
        "deep/dir/k.key",
        "deep/a.pem",
        "secrets/prod/db.txt",
        "secrets/x",
        "notes.txt",
    ];
    let all: Vec<&str> = TREE.iter().map(|(p, _)| *p).chain(later).collect();
    let mut expected: Vec<String> = TREE
        .iter()
        .filter(|(_, prot)| *prot)
        .map(|(p, _)| p.to_string())
        .chain(["deep/a.pem", "deep/dir/k.key", "secrets/prod/db.txt"].map(String::from))
        .collect();
    expected.sort();
    assert_eq!(git_ignored(&text, &all), expected, "{text}");
}

#[test]
fn a_users_negation_is_caught_by_verification() {
    let files = listed(TREE);
    let p = patterns(&files, &[]).unwrap();
    let user = "# mine\nbuild/\n";
    // A negation after the block re-includes a protected file: git agrees.
    let text = format!("{}!/x.pem\n", merge(Some(user), &p, "h"));
    let cov = verify(&text, &files).unwrap();
    assert_eq!(cov.uncovered, vec!["x.pem"]);
    assert_eq!(git_ignored(&text, &["x.pem"]), Vec::<String>::new());
    // Under an excluded directory git ignores the negation, but not every agent's reader
    // does: verification takes the stricter reading and reports it.
    let text = format!("{}!/hr/payroll.csv\n", merge(Some(user), &p, "h"));
    assert_eq!(
        verify(&text, &files).unwrap().uncovered,
        vec!["hr/payroll.csv"]
    );
}

#[test]
fn the_managed_block_is_replaced_and_user_lines_kept() {
    let first = merge(Some("node_modules/\n"), &["/a".to_string()], "h");
    assert!(first.starts_with("node_modules/\n\n# >>> tiergate"));
    let second = merge(Some(&format!("{first}# after\n")), &["/b".to_string()], "h");
    assert_eq!(
        second,
        format!("node_modules/\n\n{BEGIN}\n# h\n/b\n{END}\n# after\n")
    );
    // Idempotent.
    assert_eq!(merge(Some(&second), &["/b".to_string()], "h"), second);
}

#[test]
fn nothing_protected_is_still_not_an_empty_file() {
    let files = listed(&[("a.md", false)]);
    let p = patterns(&files, &[]).unwrap();
    assert_eq!(p, vec![NOTHING_PROTECTED]);
    let cov = verify(&merge(None, &p, "h"), &files).unwrap();
    assert_eq!(cov.over_excluded, 0);
}

#[test]
fn unnameable_paths_are_refused() {
    let files = listed(&[("bad\nname", true)]);
    assert_eq!(patterns(&files, &[]).unwrap_err(), vec!["bad\nname"]);
}

#[test]
fn globs_widen_and_never_use_the_unsafe_dialect() {
    assert_eq!(widen_glob("**/*.pem"), vec!["/**/*.pem"]);
    assert_eq!(
        widen_glob("a/{b,c{d,e}}/*"),
        vec!["/a/b/*", "/a/cd/*", "/a/ce/*"]
    );
    assert_eq!(widen_glob("logs/[0-9][!x]*.log"), vec!["/logs/??*.log"]);
    for p in widen_glob("x/{[ab],c}/**") {
        assert!(!p.contains('[') && !p.contains('!'), "{p}");
    }
}

/// Export `items`, expect `want` as the patterns, and check that tiergate's verification
/// and git both exclude exactly the protected items.
fn exports_exactly(items: &[(&str, bool)], want: &[&str]) {
    let files = listed(items);
    let p = patterns(&files, &[]).unwrap();
    assert_eq!(p, want);
    let text = merge(None, &p, "agent: cursor; destination: cloud-zdr");
    let cov = verify(&text, &files).unwrap();
    assert!(cov.uncovered.is_empty(), "{cov:?}\n{text}");
    assert_eq!(cov.over_excluded, 0, "{text}");
    let all: Vec<&str> = items.iter().map(|(p, _)| *p).collect();
    let protected: Vec<&str> = items.iter().filter(|(_, x)| *x).map(|(p, _)| *p).collect();
    assert_eq!(git_ignored(&text, &all), protected, "{text}");
}

/// Found by fuzzing (`fuzz/fuzz_targets/export.rs`): a protected directory whose name
/// ends in `\` collapsed to `/back\\/`, which the `ignore` crate reads as an escaped
/// slash and refuses (a dangling `\`), so the export could not be written at all.
#[test]
fn a_directory_name_ending_in_a_backslash_is_still_excluded() {
    exports_exactly(
        &[("back\\/x", true), ("back\\/y z", true), ("ok.txt", false)],
        &["/back\\\\/**"],
    );
}

/// Found by fuzzing (`fuzz/fuzz_targets/export.rs`): a name with braces (`a={x,y}`) was
/// written as is; git reads braces literally, but globset-based readers (the `ignore`
/// crate tiergate verifies with, and agents built on it) read `{x,y}` as alternatives,
/// so the protected path was not excluded and the export was refused.
#[test]
fn braces_in_a_name_are_escaped_so_every_reader_takes_them_literally() {
    exports_exactly(
        &[("a={x,y}/f", true), ("b{1}.txt", true), ("c.txt", false)],
        &["/a=\\{x,y\\}/", "/b\\{1\\}.txt"],
    );
}

/// Found by fuzzing (`fuzz/fuzz_targets/export.rs`): a name ending in a vertical tab
/// (any whitespace but a space) lost it to the `ignore` crate's trimming, so the pattern
/// named another file; the character is widened to `*`.
#[test]
fn a_name_ending_in_other_whitespace_is_still_excluded() {
    exports_exactly(
        &[
            ("dir/.env\u{b}", true),
            ("dir/b\u{a0}", true),
            ("dir/c", false),
        ],
        &["/dir/.env*", "/dir/b*"],
    );
}

/// Found by fuzzing (`fuzz/fuzz_targets/export.rs`): alternatives were split at a `}`
/// inside a character class (`{a,b[}]c}`), leaving a stray `}` that gitignore readers
/// refuse; a negated class whose first member is `]` was cut short, narrowing the glob.
#[test]
fn braces_and_brackets_inside_a_class_are_not_glob_syntax() {
    assert_eq!(
        widen_glob("{a,by[}/x]*.log}/[xy]*.log"),
        vec!["/a/?*.log", "/by?*.log/?*.log"]
    );
    assert_eq!(widen_glob("k[!]x]y"), vec!["/k?y"]);
    assert_eq!(widen_glob("a\\{b,c\\}"), vec!["/a\\{b,c\\}"]);
    // Every widened glob still matches what the glob matches.
    for (glob, path) in [
        ("{a,by[}/x]*.log}/[xy]*.log", "by}.log/x1.log"),
        ("k[!]x]y", "kzy"),
    ] {
        assert!(
            crate::config::build_glob(glob)
                .unwrap()
                .compile_matcher()
                .is_match(path)
        );
        let text = merge(None, &widen_glob(glob), "h");
        let file = listed(&[(path, true)]);
        assert!(
            verify(&text, &file).unwrap().uncovered.is_empty(),
            "{glob}: {text}"
        );
    }
}
