//! The rule files under `rules/`: the single source of the detectors' knowledge.
//!
//! - The static tables the scan compiles in are generated from them and must be
//!   current: `TIERGATE_BLESS=1 cargo test --test rules` rewrites them.
//! - The files embedded in the binary are the files of the tree.
//! - Every shipped signal has examples of both sides, and every example behaves.
//! - `tiergate rules test` runs a directory's examples against that directory's rules,
//!   reports a failing example at its file:line and an invalid file at file:line:col.

mod common;

use std::path::Path;

use tiergate::rules::{self, Catalogue, codegen, examples};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tree_catalogue() -> Catalogue {
    let files = rules::load_dir(&root().join("rules"), Path::new("rules"))
        .expect("the rules directory loads");
    rules::parse(&files).unwrap_or_else(|d| panic!("the shipped rules are invalid:\n{d}"))
}

#[test]
fn the_generated_tables_are_current() {
    let catalogue = tree_catalogue();
    let pii = catalogue
        .pii
        .as_ref()
        .expect("the shipped rules have the pii family");
    let secrets = catalogue
        .secrets
        .as_ref()
        .expect("the shipped rules have the secrets family");
    let tables = [
        (codegen::ANNEX3_TABLE, codegen::annex3_table(&catalogue)),
        (codegen::PII_TABLE, codegen::pii_table(pii)),
        (codegen::SECRETS_TABLE, codegen::secrets_table(secrets)),
        (codegen::FORMATS_TABLE, codegen::formats_table(secrets)),
        (
            codegen::LEGAL_DATA,
            codegen::legal_data(catalogue.legal.as_ref().expect("the shipped legal facts")),
        ),
        (
            codegen::ZONES_TABLE,
            codegen::zones_table(catalogue.zones.as_ref().expect("the shipped zones")),
        ),
        (
            codegen::MEDIA_TABLE,
            codegen::media_table(catalogue.media.as_ref().expect("the shipped media rules")),
        ),
    ];
    // provenance.rules digests exactly these tables (build.rs's list).
    let build = std::fs::read_to_string(root().join("build.rs")).unwrap();
    let listed = &build[build.find("const GENERATED_FROM_RULES").unwrap()..];
    let listed = &listed[..listed.find("];").unwrap()];
    assert_eq!(
        listed.matches(".rs\"").count() + listed.matches(".json\"").count(),
        tables.len()
    );
    let mut stale = Vec::new();
    for (rel, want) in tables {
        assert!(
            listed.contains(&format!("{rel:?}")),
            "build.rs does not digest {rel}"
        );
        let path = root().join(rel);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have == want {
            continue;
        }
        if std::env::var_os("TIERGATE_BLESS").is_some() {
            std::fs::write(&path, want).unwrap();
        } else {
            stale.push(rel);
        }
    }
    assert!(
        stale.is_empty(),
        "{} not what rules/ gives: run `TIERGATE_BLESS=1 cargo test --test rules` and review the diff",
        stale.join(", ")
    );
}

#[test]
fn the_embedded_rules_are_the_files_of_the_tree() {
    let tree = rules::load_dir(&root().join("rules"), Path::new("rules")).unwrap();
    assert_eq!(tree, rules::shipped());
    assert_eq!(Catalogue::shipped(), tree_catalogue());
}

#[test]
fn every_shipped_signal_has_examples_of_both_sides_and_every_example_behaves() {
    let catalogue = Catalogue::shipped();
    let report = examples::run(&catalogue);
    let failures: Vec<String> = report
        .failures()
        .map(|f| format!("{}:{} {} ({})", f.file, f.line, f.signal, f.path))
        .collect();
    assert!(
        failures.is_empty(),
        "examples that misbehave:\n{}",
        failures.join("\n")
    );
    assert_eq!(report.covered, report.signals);
    assert_eq!(
        report.signals,
        tiergate::detect::annex3::DEFS.len()
            + tiergate::detect::pii::SIGNAL_IDS.len()
            + tiergate::detect::secrets::SIGNAL_IDS.len()
            + tiergate::detect::media::SIGNAL_IDS.len()
    );
    assert!(report.outcomes.len() >= 2 * report.signals);
}

/// The runner can fail: an example the rules do not give, or a near miss they do.
#[test]
fn a_misbehaving_example_fails_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("rules"), dir.path());
    let file = dir.path().join("annex3/1a.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // The first signal's no_match example becomes the import itself.
    let broken = text.replacen("# import face_recognition", "import face_recognition", 1);
    assert_ne!(broken, text);
    std::fs::write(&file, &broken).unwrap();
    let line = broken
        .lines()
        .position(|l| l.trim() == "no_match:")
        .map(|i| i as u64 + 2)
        .unwrap();
    let run = common::run(dir.path(), &["rules", "test", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let want = format!(
        "FAIL ./annex3/1a.yaml:{line}: annex3.1a.face_recognition_import: a `no_match` example gave the signal (scanned as example.py)"
    );
    assert!(run.stdout.contains(&want), "{}", run.stdout);
}

#[test]
fn rules_test_runs_the_shipped_rules_and_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let run = common::run(dir.path(), &["rules", "test"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let n = tiergate::detect::annex3::DEFS.len()
        + tiergate::detect::pii::SIGNAL_IDS.len()
        + tiergate::detect::secrets::SIGNAL_IDS.len()
        + tiergate::detect::media::SIGNAL_IDS.len();
    assert!(
        run.stdout.starts_with(&format!(
            "{n} signals, {n} with examples of both sides (100%);"
        )),
        "{}",
        run.stdout
    );
    let run = common::run(root(), &["rules", "test", "rules"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// A rule file is checked like the config: every problem, located, exit 2.
#[test]
fn an_invalid_rule_file_is_reported_at_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("annex3")).unwrap();
    std::fs::write(
        dir.path().join("annex3/4a.yaml"),
        "point: 4a\nsignals:\n  - id: annex3.4b.hiring\n    strength: strongest\n    keyword: [cv]\n    examples:\n      match: []\n      no_match: [{path: a.md, text: x}]\n  - id: annex3.4a.other\n    strenght: weak\n",
    )
    .unwrap();
    let run = common::run(dir.path(), &["rules", "test", "."]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    for want in [
        "annex3/4a.yaml:3:9",  // the id names another point
        "annex3/4a.yaml:4:15", // unknown strength
        "annex3/4a.yaml:5:15", // a keyword of two bytes
        "annex3/4a.yaml:7:14", // no match example
        "annex3/4a.yaml:10:5", // a misspelt key
    ] {
        assert!(
            run.stderr.contains(want),
            "{want} missing from:\n{}",
            run.stderr
        );
    }
    assert!(run.stdout.is_empty());
}

/// The personal-data tables under test come from the directory, not the build: a term
/// taken out of `special.yaml` fails its signal's `match` example.
#[test]
fn a_directory_s_personal_data_rules_are_the_ones_tested() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("rules"), dir.path());
    let file = dir.path().join("pii/special.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let term = "  - {words: [ethnicity], signal: special.ethnicity, mode: part}\n";
    assert!(text.contains(term));
    std::fs::write(&file, text.replacen(term, "", 1)).unwrap();
    let run = common::run(dir.path(), &["rules", "test", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "special.ethnicity: a `match` example did not give the signal (scanned as patients.csv)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("FAIL ").count(), 1, "{}", run.stdout);
}

/// The documentation values under test come from the directory too: a value listed in
/// `documentation.yaml` is no longer reported, so the example that has it fails.
#[test]
fn a_directory_s_documentation_values_are_the_ones_tested() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("rules"), dir.path());
    let file = dir.path().join("pii/documentation.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let listed = "  payment_card:\n";
    assert!(text.contains(listed));
    let text = text.replacen(listed, "  payment_card:\n    - \"4532015112830366\"\n", 1);
    std::fs::write(&file, text).unwrap();
    let run = common::run(dir.path(), &["rules", "test", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "pii.payment_card: a `match` example did not give the signal (scanned as orders.txt)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("FAIL ").count(), 1, "{}", run.stdout);
}

/// The national identifier formats under test come from the directory: a shape taken
/// out of `national_ids.yaml` fails the example written in it, and a misspelt
/// validator is reported at its place.
#[test]
fn a_directory_s_national_identifier_formats_are_the_ones_tested() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("rules"), dir.path());
    let file = dir.path().join("pii/national_ids.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // The first lone 10 digits are the NHS number's.
    let shape = "      - {digits: [10], without_keyword: none}\n";
    let at = text.find(shape).unwrap();
    assert!(text[..at].ends_with("separators: \"- \", without_keyword: none}\n"));
    std::fs::write(&file, text.replacen(shape, "", 1)).unwrap();
    let run = common::run(dir.path(), &["rules", "test", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "pii.uk_nhs: a `match` example did not give the signal (scanned as patients.txt)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("FAIL ").count(), 1, "{}", run.stdout);

    let broken = text.replacen("validator: us_ssn", "validator: us_snn", 1);
    let line = broken.lines().position(|l| l.contains("us_snn")).unwrap() + 1;
    std::fs::write(&file, broken).unwrap();
    let run = common::run(dir.path(), &["rules", "test", "."]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let want = format!("pii/national_ids.yaml:{line}:16");
    assert!(
        run.stderr.contains(&want),
        "{want} missing from:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `us_ssn`?"),
        "{}",
        run.stderr
    );
}

/// The credential rule files write their examples in parts, so that no scanner (this
/// one included) reads a credential in them: every file of `rules/secrets/`, scanned
/// as a repository file, gives no credential finding. (A part that holds a keyword and
/// a value, `token: pypi-…`, is one for the generic token rule: split it at the
/// operator.)
#[test]
fn the_credential_rule_files_hold_no_credential() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    common::git(p, &["init", "-q"]);
    std::fs::create_dir_all(p.join("rules/secrets")).unwrap();
    for entry in std::fs::read_dir(root().join("rules/secrets")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            p.join("rules/secrets").join(entry.file_name()),
        )
        .unwrap();
    }
    let r = common::run(p, &["ls", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed = common::json(&r.stdout);
    let records = listed.as_array().unwrap();
    assert!(records.len() >= 2, "{}", r.stdout);
    for rec in records {
        let secrets: Vec<&serde_json::Value> = rec["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["code"] == "secret")
            .collect();
        assert!(secrets.is_empty(), "{}: {secrets:?}", rec["path"]);
    }
}
