//! `tiergate merge`: real repositories built from fixtures and scanned at test time,
//! their manifests merged into one inventory (as a CI job collecting artifacts does).

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, fixtures, git_commit_all, json, run};

const TODAY: &str = "2026-12-01";

const EXCEPTIONS: &str = "exceptions:
  - id: EXC-7
    paths: [\"docs/guide.md\"]
    tier: 4
    reason: Published on the website
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2026-12-20
";

/// The commit `old`'s manifest records.
const OLD_COMMIT: &str = "d8d2fdcf856c5f0a4b3e2d1c0b9a8f7e6d5c4b3a";

/// An organisation: three scanned repositories (`gate` with an exception expiring in
/// 19 days, `hr-tools` with Annex III employment code, `demo`) and `old`, a copy of
/// demo's manifest edited to look written by another tiergate.
struct Org {
    dir: tempfile::TempDir,
}

impl Org {
    fn new() -> Org {
        let dir = tempfile::tempdir().unwrap();
        for (name, fixture) in [
            ("gate", "gate"),
            ("hr-tools", "annex3-employment"),
            ("demo", "demo"),
        ] {
            let repo = dir.path().join(name);
            copy_dir(&fixtures().join(fixture), &repo);
            if name == "gate" {
                std::fs::write(repo.join("tiergate.exceptions.yaml"), EXCEPTIONS).unwrap();
            }
            git_commit_all(&repo);
            let r = run(&repo, &["--today", TODAY, "scan"]);
            assert_eq!(r.code, 0, "scan {name}: {}", r.stderr);
        }
        let demo = std::fs::read_to_string(dir.path().join("demo/tiergate.manifest.json")).unwrap();
        let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(demo.contains(&version));
        // Manifests of earlier versions recorded the commit they were judged at, and
        // not the versions of the steps that decided their entries.
        let steps = demo
            .find("\n    \"decisions\": {")
            .expect("decisions recorded");
        let steps_end = steps + demo[steps..].find("},").expect("decisions end") + 2;
        let demo_before_steps = format!("{}{}", &demo[..steps], &demo[steps_end..]);
        let old = demo_before_steps
            .replacen(&version, "\"version\": \"0.0.1\"", 1)
            .replacen(
                "\"provenance\": {\n",
                &format!("\"provenance\": {{\n    \"commit\": \"{OLD_COMMIT}\",\n"),
                1,
            );
        std::fs::create_dir(dir.path().join("old")).unwrap();
        std::fs::write(dir.path().join("old/tiergate.manifest.json"), old).unwrap();
        Org { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn manifest(&self, name: &str) -> serde_json::Value {
        json(
            &std::fs::read_to_string(self.path().join(name).join("tiergate.manifest.json"))
                .unwrap(),
        )
    }

    /// `tiergate --today TODAY merge ARGS...` run in the organisation directory.
    fn merge(&self, args: &[&str]) -> common::Run {
        let mut all = vec!["--today", TODAY, "merge"];
        all.extend_from_slice(args);
        run(self.path(), &all)
    }
}

const INPUTS: [&str; 4] = [
    "gate/tiergate.manifest.json",
    "hr-tools/tiergate.manifest.json",
    "demo/tiergate.manifest.json",
    "old/tiergate.manifest.json",
];

fn repository<'a>(inv: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    inv["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no repository {name}: {inv}"))
}

#[test]
fn the_inventory_counts_flags_stale_manifests_and_due_exceptions() {
    let org = Org::new();
    let r = org.merge(&INPUTS);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let inv = json(&r.stdout);
    assert_eq!(inv["schema_version"], 1);
    assert_eq!(inv["judged_on"], TODAY);
    let names: Vec<&str> = inv["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["demo", "gate", "hr-tools", "old"]);

    let mut total = 0;
    for name in ["demo", "gate", "hr-tools", "old"] {
        let m = org.manifest(name);
        let repo = repository(&inv, name);
        assert_eq!(repo["files"], m["summary"]["files"], "{name}");
        assert_eq!(repo["by_tier"], m["summary"]["by_tier"], "{name}");
        let tier1 = m["summary"]["by_tier"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["tier"] == 1)
            .unwrap()["files"]
            .clone();
        assert_eq!(repo["restricted_files"], tier1, "{name}");
        if name == "old" {
            assert_eq!(repo["commit"], &OLD_COMMIT[..12]);
        } else {
            // A written manifest names no commit (it would change with every commit).
            assert!(m["provenance"].get("commit").is_none(), "{name}");
            assert!(repo["commit"].is_null(), "{name}");
        }
        total += m["summary"]["files"].as_u64().unwrap();
    }
    assert_eq!(inv["totals"]["files"], total);
    assert_eq!(inv["totals"]["repositories"], 4);

    // Annex III: only the employment repository, point 4(a) among its flags, with the
    // number of files the manifest flags so.
    assert_eq!(
        inv["totals"]["annex_iii_repositories"],
        serde_json::json!(["hr-tools"])
    );
    let hr = repository(&inv, "hr-tools");
    let m = org.manifest("hr-tools");
    let flagged_4a = m["files"]
        .as_object()
        .unwrap()
        .values()
        .filter(|e| {
            e["annex_iii"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["point"] == "4(a)" && f["status"] == "candidate")
        })
        .count();
    assert!(flagged_4a > 0, "the fixture flags 4(a): {m}");
    let a4 = hr["annex_iii"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["point"] == "4(a)" && a["status"] == "candidate")
        .unwrap_or_else(|| panic!("4(a) not listed: {hr}"));
    assert_eq!(a4["files"], flagged_4a);
    let t4a = inv["totals"]["annex_iii"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["point"] == "4(a)")
        .unwrap();
    assert_eq!(t4a["repositories"], serde_json::json!(["hr-tools"]));

    // Stale: only `old`, for the steps that decided it.
    assert_eq!(
        inv["totals"]["stale_repositories"],
        serde_json::json!(["old"])
    );
    let old = repository(&inv, "old");
    assert_eq!(old["stale"][0]["code"], "decision-versions");
    let message = old["stale"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("without the versions") && message.contains("0.0.1"),
        "{old}"
    );
    assert_eq!(repository(&inv, "demo")["stale"], serde_json::json!([]));

    // The exception expiring on 2026-12-20: 19 days after --today.
    let gate = repository(&inv, "gate");
    assert_eq!(gate["exceptions"].as_array().unwrap().len(), 1, "{gate}");
    let x = &gate["exceptions"][0];
    assert_eq!(x["id"], "EXC-7");
    assert_eq!(x["state"], "expiring");
    assert_eq!(x["days_left"], 19);
    assert_eq!(x["approver"], "legal@example.com");
    assert_eq!(inv["totals"]["expiring_exceptions"], 1);
    // Judged later, it is expired; with a shorter window it is not listed.
    let later = run(org.path(), &["--today", "2026-12-20", "merge", INPUTS[0]]);
    assert_eq!(
        json(&later.stdout)["repositories"][0]["exceptions"][0]["state"],
        "expired"
    );
    let short = org.merge(&["--within", "10", INPUTS[0]]);
    assert_eq!(
        json(&short.stdout)["repositories"][0]["exceptions"],
        serde_json::json!([])
    );
    // The window is spelled as for `exceptions expiring`.
    assert_eq!(
        org.merge(&["--within", "10d", INPUTS[0]]).stdout,
        short.stdout
    );
    let weeks = org.merge(&["--within", "3w", INPUTS[0]]);
    assert_eq!(
        json(&weeks.stdout)["repositories"][0]["exceptions"][0]["id"],
        x["id"]
    );
}

#[test]
fn json_output_is_the_same_across_runs_and_argument_orders() {
    let org = Org::new();
    let first = org.merge(&INPUTS);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let again = org.merge(&INPUTS);
    let mut reversed = INPUTS;
    reversed.reverse();
    let backwards = org.merge(&reversed);
    assert_eq!(first.stdout, again.stdout);
    assert_eq!(first.stdout, backwards.stdout);
    // -o writes the same bytes.
    let r = org.merge(&[&INPUTS[..], &["-o", "inventory.json"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(org.path().join("inventory.json")).unwrap(),
        first.stdout
    );
}

#[test]
fn markdown_output() {
    let org = Org::new();
    let r = org.merge(&[&INPUTS[..], &["--format", "md"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = r.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!(md);
}

/// Every element and attribute of a parsed HTML document, for checks.
fn html_nodes(text: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts)
        .unwrap_or_else(|e| panic!("not well-formed ({e}):\n{text}"))
}

#[test]
fn html_is_one_self_contained_well_formed_file_with_every_text_escaped() {
    let org = Org::new();
    // A name from a file name, with characters markup must escape.
    let odd = "x&<y> \"q\".json";
    std::fs::copy(org.path().join(INPUTS[1]), org.path().join(odd)).unwrap();
    let r = org.merge(
        &[
            &INPUTS[..],
            &[odd, "--format", "html", "-o", "inventory.html"],
        ]
        .concat(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(org.path().join("inventory.html")).unwrap();
    let doc = html_nodes(&text);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "html");
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !matches!(tag, "script" | "link" | "img" | "iframe" | "object"),
            "external or active element <{tag}>"
        );
        for a in n.attributes() {
            assert!(
                !matches!(a.name(), "src" | "href") && !a.value().contains("//")
                    || a.name() == "xmlns",
                "external reference {}={:?}",
                a.name(),
                a.value()
            );
        }
    }
    let style: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("style"))
        .filter_map(|n| n.text())
        .collect();
    assert!(style.contains("@media print"), "{style}");
    assert!(!style.contains("url(") && !style.contains("@import"));
    let cells: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("td"))
        .filter_map(|n| n.text())
        .collect();
    for name in ["demo", "gate", "hr-tools", "old", "x&<y> \"q\""] {
        assert!(cells.contains(&name), "{name} not in {cells:?}");
    }
    assert!(text.contains("EXC-7"));
}

#[test]
fn names_that_repeat_are_made_unique_and_said_so() {
    let org = Org::new();
    std::fs::copy(org.path().join(INPUTS[0]), org.path().join("gate.json")).unwrap();
    let r = org.merge(&[INPUTS[0], "gate.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let inv = json(&r.stdout);
    assert_eq!(inv["repositories"][0]["name"], "gate");
    assert_eq!(inv["repositories"][0]["source"], "gate.json");
    assert_eq!(inv["repositories"][1]["name"], "gate~2");
    assert!(r.stderr.contains("listed as `gate~2`"), "{}", r.stderr);
    assert!(inv["repositories"][1]["name_note"].is_string());
}

#[test]
fn a_bad_input_fails_naming_the_file_and_nothing_is_written() {
    let org = Org::new();
    let good = std::fs::read_to_string(org.path().join(INPUTS[0])).unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated.json",
            good[..good.len() / 2].to_string(),
            "manifest-invalid",
        ),
        (
            "corrupt.json",
            good.replacen("{\"tier\":", "{\"tier\":\"x\",\"t\":", 1),
            "manifest-invalid",
        ),
        (
            "future.json",
            good.replacen("\"schema_version\": 1", "\"schema_version\": 9", 1),
            "manifest-version",
        ),
        ("empty.json", String::new(), "manifest-invalid"),
    ];
    let out = org.path().join("inventory.json");
    for &(file, ref text, code) in &cases {
        assert_ne!(*text, good, "{file} was edited");
        std::fs::write(org.path().join(file), text).unwrap();
        std::fs::write(&out, "previous inventory\n").unwrap();
        let r = org.merge(&[INPUTS[0], file, "-o", "inventory.json"]);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(r.stderr.contains(file), "{file}: {}", r.stderr);
        assert!(r.stderr.contains(code), "{file}: {}", r.stderr);
        assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "previous inventory\n"
        );
        assert!(r.stdout.is_empty());
    }
    let r = org.merge(&["missing.json", INPUTS[1]]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("missing.json: error[manifest-unreadable]"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // Every bad input is named at once.
    let r = org.merge(&["truncated.json", "future.json"]);
    assert!(
        r.stderr.contains("truncated.json") && r.stderr.contains("future.json"),
        "{}",
        r.stderr
    );
}

/// The inventory names manifests by path and never opens a repository: it runs where
/// only the manifests are.
#[test]
fn merge_reads_only_the_manifests() {
    let org = Org::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let target: PathBuf = elsewhere.path().join("payments.manifest.json");
    std::fs::copy(org.path().join(INPUTS[2]), &target).unwrap();
    let r = run(
        elsewhere.path(),
        &["--today", TODAY, "merge", "payments.manifest.json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout)["repositories"][0]["name"], "payments");
}
