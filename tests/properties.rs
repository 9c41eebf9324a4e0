//! Property tests of the guarantees tiergate makes, on generated input:
//! (a) `route` never sends a path to a destination that does not accept its tier (a
//!     tier-1 path goes only where tier 1 is accepted), whatever the manifest and the
//!     spelling of the path;
//! (b) a gitignore-dialect export excludes every protected path, whatever its name,
//!     under the `ignore` crate's matcher and, for a subset, under `git check-ignore`;
//! (c) a scan gives the same manifest bytes with 1 and 4 threads and whatever order the
//!     files were created in;
//! (d) every export excludes a protected file whose name is not UTF-8 by the raw bytes
//!     it has on disk, not only by the `\xNN` form the manifest shows.
//!
//! Case counts are kept small so `cargo test` stays fast; `PROPTEST_CASES` raises them.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use tiergate::export::IgnoreAgent;
use tiergate::manifest::{DestinationDef, FileEntry, Lookup, Manifest, Reason};

/// A real manifest header (tiers, zones, rules, provenance) from scanning the demo
/// fixture once; each case replaces its files and destinations.
fn base_manifest() -> &'static Manifest {
    static BASE: OnceLock<Manifest> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = common::fixture("demo");
        let r = common::run(dir.path(), &["scan", ".", "-o", "-"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        Manifest::from_json(&r.stdout, "demo").expect("the scan writes a manifest")
    })
}

/// `PROPTEST_CASES` when set (a longer run), else the default kept small for `cargo test`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn entry(tier: u8) -> FileEntry {
    FileEntry {
        tier,
        kind: "text".into(),
        git: "tracked".into(),
        reasons: vec![Reason {
            code: "glob-rule".into(),
            rule: "generated".into(),
            tier: Some(tier),
            source: "tiergate.yaml:1".into(),
            message: "generated".into(),
        }],
        annex_iii: vec![],
    }
}

/// Generated files: paths made of segments, each a file or a directory but never both.
fn files_from(raw: Vec<(Vec<String>, u8)>) -> BTreeMap<String, FileEntry> {
    let mut files: BTreeMap<String, FileEntry> = BTreeMap::new();
    for (segments, tier) in raw {
        let path = segments.join("/");
        let clashes = files
            .keys()
            .any(|k| k.starts_with(&format!("{path}/")) || path.starts_with(&format!("{k}/")));
        if !clashes {
            files.insert(path, entry(tier));
        }
    }
    files
}

fn manifest_with(files: BTreeMap<String, FileEntry>, accepts: &[u8]) -> Manifest {
    let mut m = base_manifest().clone();
    m.destinations = accepts
        .iter()
        .enumerate()
        .map(|(i, &a)| DestinationDef {
            name: format!("dest-{i}"),
            kind: "cloud".into(),
            accepts: a,
        })
        .collect();
    m.summary.files = files.len() as u64;
    m.files = files;
    m
}

/// Segments of path names for routing: plain words and the spellings a path can take.
fn route_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c]{1,3}",
        Just(".env".to_string()),
        Just("é".to_string()),
        Just("e\u{301}".to_string()),
        Just("a b".to_string()),
    ]
}

/// How an agent may spell a query: the key itself, a directory, `./`, `..` detours, an
/// absolute path in or out of the repository, or a name the manifest does not list.
fn spell(key: &str, how: u8) -> String {
    let parent = key.rsplit_once('/').map_or("", |(p, _)| p);
    match how % 7 {
        0 => key.to_string(),
        1 => format!("./{key}"),
        2 => format!("zz/../{key}"),
        3 => format!("/repo/{key}"),
        4 => format!("/elsewhere/{key}"),
        5 => parent.to_string(),
        _ => format!("{key}.not-listed"),
    }
}

/// The least tier of every listed file the query could mean; None when it means no
/// listed file (it must then take the unlisted tier, 1).
fn worst_under(m: &Manifest, rel: &str) -> Option<u8> {
    let prefix = format!("{rel}/");
    m.files
        .iter()
        .filter(|(p, _)| rel.is_empty() || p.as_str() == rel || p.starts_with(&prefix))
        .map(|(_, e)| e.tier)
        .min()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    /// (a) A path reaches a destination only when its tier, and the tier of every file
    /// it may stand for, is accepted there; unknown and outside paths are tier 1.
    #[test]
    fn route_never_sends_a_path_below_the_destination_tier(
        raw in prop::collection::vec((prop::collection::vec(route_segment(), 1..4), 1u8..=4), 1..12),
        accepts in prop::collection::vec(1u8..=4, 1..4),
        queries in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let m = manifest_with(files_from(raw), &accepts);
        let keys: Vec<&String> = m.files.keys().collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiergate.manifest.json");
        // Both readers: the canonical file (positioned reads) and a reformatted one.
        std::fs::write(&path, m.to_json()).unwrap();
        let other = dir.path().join("pretty.json");
        std::fs::write(&other, serde_json::to_string_pretty(&m).unwrap()).unwrap();
        let inputs: Vec<String> = queries
            .iter()
            .map(|(i, how)| spell(keys[i.index(keys.len())], *how))
            .collect();
        let (root, cwd) = (Path::new("/repo"), Path::new("/repo"));
        for file in [&path, &other] {
            let view = Lookup::open(file, "generated").unwrap();
            for d in &m.destinations {
                let answers = tiergate::app::route(&view, &d.name, root, cwd, &inputs)
                    .unwrap_or_else(|_| panic!("route fails"));
                prop_assert_eq!(answers.len(), inputs.len());
                for a in &answers {
                    let rel = tiergate::app::repo_relative(root, cwd, &a.input);
                    let tier = rel.as_deref().and_then(|r| worst_under(&m, r)).unwrap_or(1);
                    prop_assert_eq!(a.tier, tier, "{} resolved to {}", a.input, a.path);
                    prop_assert_eq!(a.allowed, tier >= d.accepts, "{} to {}", a.input, d.name);
                    if tier == 1 {
                        prop_assert!(!a.allowed || d.accepts == 1, "tier-1 {} sent to {}", a.input, d.name);
                    }
                }
            }
        }
    }
}

/// Segments of file names with every character the gitignore dialect (or a globset-based
/// reader of it) treats specially.
fn hostile_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-b]{1,2}",
        "[a-b*?\\[\\]\\\\#!{},  é]{1,4}",
        "[!#][a-b]{0,2}",
        "[a-b]{1,2}  ",
        "[a-b]{1,2}[\t\u{b}\u{a0}\u{3000}]",
        "[a-b]\\[[a-b]\\]",
        Just("数据".to_string()),
    ]
    .prop_filter("a real name", |s| {
        !s.trim().is_empty() && s != "." && s != ".."
    })
}

fn hostile_files() -> impl Strategy<Value = BTreeMap<String, FileEntry>> {
    prop::collection::vec(
        (prop::collection::vec(hostile_segment(), 1..4), 1u8..=4),
        1..16,
    )
    .prop_map(files_from)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    /// (b) Every protected path is excluded by the exported file of every ignore-file
    /// agent, with only the common dialect in tiergate's block: no negation, no
    /// character class.
    #[test]
    fn exports_cover_every_protected_path(
        files in hostile_files(),
        check_with_git in 0u8..8,
        agent in proptest::sample::select(vec![
            IgnoreAgent::Cursor,
            IgnoreAgent::Gemini,
            IgnoreAgent::Jetbrains,
            IgnoreAgent::Aider,
            IgnoreAgent::Windsurf,
            IgnoreAgent::Continue,
        ]),
    ) {
        let m = manifest_with(files, &[1, 3, 4]);
        let export = tiergate::export::ignore_file(&m, agent, "dest-1", None)
            .unwrap_or_else(|e| panic!("export refused: {e:?}"));
        let protected: Vec<&str> = m
            .files
            .iter()
            .filter(|(_, e)| e.tier < 3)
            .map(|(p, _)| p.as_str())
            .collect();
        let mut b = ignore::gitignore::GitignoreBuilder::new("/");
        for line in export.text.lines() {
            b.add_line(None, line).unwrap();
            if !line.starts_with('#') {
                prop_assert!(line.starts_with('/'), "unanchored line {:?}", line);
                let bytes = line.as_bytes();
                for (i, _) in line.match_indices('[') {
                    let slashes = bytes[..i].iter().rev().take_while(|&&c| c == b'\\').count();
                    prop_assert!(slashes % 2 == 1, "a character class in {:?}", line);
                }
            }
        }
        let matcher = b.build().unwrap();
        for p in &protected {
            prop_assert!(
                matcher.matched_path_or_any_parents(format!("/{p}"), false).is_ignore(),
                "{:?} is not excluded by\n{}", p, export.text
            );
        }
        // git itself, on one case in eight (a process per case costs time).
        if check_with_git == 0 && !protected.is_empty() {
            let mut want: Vec<String> = protected.iter().map(|p| p.to_string()).collect();
            want.sort();
            let got = common::git_ignored(&export.text, &protected);
            prop_assert_eq!(got, want, "git disagrees on\n{}", export.text);
        }
    }
}

/// Raw name segments with bytes that are not UTF-8 among characters the dialects treat
/// specially: lone bytes, truncated sequences, overlong forms, backslashes.
fn raw_segment() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"a".to_vec()),
        Just(b"b.txt".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"*".to_vec()),
        Just(b" ".to_vec()),
        Just("\u{e9}".as_bytes().to_vec()),
        (0x80u8..=0xff).prop_map(|b| vec![b]),
        Just(b"\xe2\x82".to_vec()),
        Just(b"\xf0\x9f\x98".to_vec()),
        Just(b"\xc0\xaf".to_vec()),
        Just(b"\xed\xa0\x80".to_vec()),
    ];
    prop::collection::vec(piece, 1..5).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(48)))]

    /// (d) The manifest shows a name that is not UTF-8 as `\xNN`; every export must
    /// still exclude the real file, by its raw bytes, under the `ignore` crate and (one
    /// case in four) under git, and the JSON formats must pass their own verification.
    #[test]
    fn exports_exclude_names_that_are_not_utf8_by_their_raw_bytes(
        names in prop::collection::vec(
            (prop::collection::vec(raw_segment(), 1..3), 1u8..=4),
            1..8,
        ),
        check_with_git in 0u8..4,
    ) {
        use std::os::unix::ffi::OsStrExt;
        let mut raws: BTreeMap<String, (Vec<u8>, u8)> = BTreeMap::new();
        for (segments, tier) in names {
            let raw = segments.join(&b'/');
            if std::str::from_utf8(&raw).is_ok() || raw.contains(&b'\n') {
                continue;
            }
            let display = tiergate::walk::changeset::display_of(&raw);
            let clashes = raws
                .keys()
                .any(|k| k.starts_with(&format!("{display}/")) || display.starts_with(&format!("{k}/")));
            if !clashes {
                raws.insert(display, (raw, tier));
            }
        }
        let files = raws.iter().map(|(d, (_, t))| (d.clone(), entry(*t))).collect();
        let m = manifest_with(files, &[1, 3, 4]);
        let export = tiergate::export::ignore_file(&m, IgnoreAgent::Cursor, "dest-1", None)
            .unwrap_or_else(|e| panic!("export refused: {e:?}"));
        let mut b = ignore::gitignore::GitignoreBuilder::new("/");
        for line in export.text.lines() {
            b.add_line(None, line).unwrap();
        }
        let matcher = b.build().unwrap();
        let protected: Vec<&Vec<u8>> = raws
            .values()
            .filter(|(_, t)| *t < 3)
            .map(|(raw, _)| raw)
            .collect();
        for raw in &protected {
            let mut p = b"/".to_vec();
            p.extend_from_slice(raw);
            prop_assert!(
                matcher
                    .matched_path_or_any_parents(std::ffi::OsStr::from_bytes(&p), false)
                    .is_ignore(),
                "{:?} is not excluded by\n{}", String::from_utf8_lossy(raw), export.text
            );
        }
        if check_with_git == 0 && !protected.is_empty() {
            let oracle = tempfile::tempdir().unwrap();
            common::git(oracle.path(), &["init", "-q"]);
            std::fs::write(oracle.path().join(".gitignore"), &export.text).unwrap();
            let mut input = Vec::new();
            for raw in &protected {
                input.extend_from_slice(raw);
                input.push(0);
            }
            use std::io::Write;
            let mut child = std::process::Command::new("git")
                .args(["check-ignore", "--no-index", "--stdin", "-z"])
                .current_dir(oracle.path())
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(&input).unwrap();
            let out = child.wait_with_output().unwrap();
            let got: std::collections::BTreeSet<&[u8]> =
                out.stdout.split(|&b| b == 0).filter(|s| !s.is_empty()).collect();
            for raw in &protected {
                prop_assert!(got.contains(raw.as_slice()), "git does not exclude {:?} with\n{}",
                    String::from_utf8_lossy(raw), export.text);
            }
        }
        tiergate::export::claude_settings(&m, "dest-1", None, None)
            .unwrap_or_else(|e| panic!("claude export refused: {e:?}"));
        tiergate::export::copilot_list(&m, "dest-1")
            .unwrap_or_else(|e| panic!("copilot export refused: {e:?}"));
        tiergate::export::amazonq_agent(&m, "dest-1", None, None)
            .unwrap_or_else(|e| panic!("amazon q export refused: {e:?}"));
    }
}

/// Contents that make detectors and policies speak, or not.
const CONTENTS: &[&str] = &[
    "hello\n",
    "aws_access_key_id = AKIAZ7QXJ4N2WV3LKP5T\n",
    "iban: DE44 5001 0517 5407 3249 31\n",
    "name,email\nAda,ada@corp.test\n",
    "",
    "import face_recognition\n",
];

fn tree() -> impl Strategy<Value = Vec<(String, usize)>> {
    let name = prop_oneof![
        "[a-d]{1,3}(\\.txt|\\.py|\\.csv)?",
        Just(".env".to_string()),
        Just("dump.sql".to_string()),
        Just("key.pem".to_string()),
    ];
    prop::collection::btree_map(
        prop::collection::vec(name, 1..4).prop_map(|s| s.join("/")),
        0..CONTENTS.len(),
        1..10,
    )
    .prop_map(|m| m.into_iter().collect())
}

/// Write `files` under `dir` in the given order (directory entries then differ in their
/// on-disk order), skipping a path whose parent is a file already.
fn write_tree(dir: &Path, files: &[(String, usize)]) {
    for (path, content) in files {
        let p = dir.join(path);
        if p.ancestors().skip(1).any(Path::is_file) || p.is_dir() {
            continue;
        }
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, CONTENTS[*content]).unwrap();
    }
}

proptest! {
    // Each case runs two scans of the binary: fewer cases, still a fresh tree each.
    #![proptest_config(ProptestConfig::with_cases(cases(12)))]

    /// (c) Deterministic: the same tree gives the same bytes, whatever the thread count
    /// and the order the files were created in.
    #[test]
    fn scans_are_identical_across_threads_and_orders(files in tree()) {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        // The same set of files either way (a name clash drops the same path), created
        // in opposite orders.
        let kept: Vec<(String, usize)> = {
            let probe = tempfile::tempdir().unwrap();
            write_tree(probe.path(), &files);
            files.iter().filter(|(p, _)| probe.path().join(p).is_file()).cloned().collect()
        };
        write_tree(a.path(), &kept);
        let reversed: Vec<_> = kept.iter().rev().cloned().collect();
        write_tree(b.path(), &reversed);
        let one = common::run(a.path(), &["--threads", "1", "scan", ".", "-o", "-"]);
        let four = common::run(b.path(), &["--threads", "4", "scan", ".", "-o", "-"]);
        prop_assert_eq!(one.code, 0, "{}", one.stderr);
        prop_assert_eq!(four.code, 0, "{}", four.stderr);
        prop_assert!(one.stdout.contains("\"files\""));
        prop_assert_eq!(one.stdout, four.stdout);
    }
}
