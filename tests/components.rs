//! Annex III judged per component: one fixture repository per scenario, real git
//! repositories, asserted through the manifest, `explain` and the report.
//!
//! `fixtures/components`: a package (`screener/`, with its pyproject.toml) that ranks
//! applicants with a trained model, next to a web package (`careers-site/`) whose README
//! uses the same words without any model. `fixtures/components-no-model`: a hiring
//! data export and its README, with no model anywhere. `fixtures/components-imports`:
//! the same screener with an API that imports its ranker and features the ranker
//! imports, which hold no evidence of their own.

mod common;

use common::*;

/// `(path, tier, points)` of every file of the manifest.
fn files(m: &serde_json::Value) -> Vec<(String, u64, Vec<String>)> {
    m["files"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(p, e)| {
            let points = e["annex_iii"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        f["point"].as_str().unwrap(),
                        f["status"].as_str().unwrap()
                    )
                })
                .collect();
            (p.clone(), e["tier"].as_u64().unwrap(), points)
        })
        .collect()
}

fn scanned(name: &str) -> (tempfile::TempDir, serde_json::Value) {
    let dir = fixture(name);
    git_commit_all(dir.path());
    let m = scan_manifest(dir.path(), &[]);
    (dir, m)
}

#[test]
fn the_files_that_implement_a_component_s_system_are_flagged_not_its_documentation() {
    let (_dir, m) = scanned("components");
    let got = files(&m);
    let flagged: Vec<&str> = got
        .iter()
        .filter(|(_, _, p)| !p.is_empty())
        .map(|(path, _, _)| path.as_str())
        .collect();
    assert_eq!(
        flagged,
        [
            "screener/models/fit_v3.joblib",
            "screener/src/screener/rank.py",
            "screener/src/screener/train.py",
        ],
        "{got:?}"
    );
    for (path, tier, points) in &got {
        if flagged.contains(&path.as_str()) {
            assert_eq!(points, &["4(a) candidate"], "{path}");
            assert_eq!(*tier, 2, "{path}");
        } else {
            // The READMEs state the purpose; the helper and the other package implement
            // nothing of it.
            assert_eq!(*tier, 3, "{path}: {got:?}");
        }
    }
}

#[test]
fn explain_shows_the_component_judgement_with_its_evidence() {
    let (dir, _) = scanned("components");
    let r = run(dir.path(), &["explain", "screener/src/screener/rank.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(out.contains("component `screener/`\n"), "{out}");
    assert!(out.contains("  4(a): candidate\n"), "{out}");
    assert!(
        out.contains(
            "    implemented by: screener/models/fit_v3.joblib, screener/src/screener/rank.py, screener/src/screener/train.py\n"
        ),
        "{out}"
    );
    // The README is cited as evidence, with its line.
    assert!(
        out.contains("annex3.4a.screening_terms at screener/README.md:3"),
        "{out}"
    );
    assert!(
        out.contains("annex3.ai.model_artifact at screener/models/fit_v3.joblib:"),
        "{out}"
    );
    // The component's evidence is part of the policies' input.
    let r = run(
        dir.path(),
        &["explain", "--format", "json", "screener/README.md"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let e = json(&r.stdout);
    assert_eq!(e["decision"]["tier"], 3);
    let ids: Vec<&str> = e["rego_input"]["component"]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"annex3.ai.training_call"), "{ids:?}");
    assert_eq!(e["component"]["root"], "screener");
    assert_eq!(e["component"]["points"][0]["status"], "candidate");
}

#[test]
fn the_careers_site_package_is_judged_apart_and_says_why_it_is_not_a_candidate() {
    let (dir, _) = scanned("components");
    let r = run(dir.path(), &["explain", "careers-site/README.md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("component `careers-site/`\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("  4(a): not a candidate: AI-system status not established (no model library, model call, hosted model or model file in the component; Art 3(1))\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn without_a_model_there_is_no_candidate_and_the_report_says_so() {
    let (dir, m) = scanned("components-no-model");
    for (path, tier, points) in files(&m) {
        assert!(points.is_empty(), "{path}: {points:?}");
        assert_eq!(tier, 3, "{path}");
    }
    let r = run(dir.path(), &["report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("### Component: the repository\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "- AI system: none found (no model library, model call, hosted model or model file)\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("- 4(a): not a candidate: AI-system status not established (no model library, model call, hosted model or model file in the component; Art 3(1)); evidence: "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("No Annex III candidate was found."),
        "{}",
        r.stdout
    );
}

#[test]
fn the_report_names_the_files_that_implement_each_component_s_points() {
    let (dir, _) = scanned("components");
    let r = run(dir.path(), &["report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("### Component `screener/`\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("- 4(a): candidate; implemented by `screener/models/fit_v3.joblib`, `screener/src/screener/rank.py`, `screener/src/screener/train.py`; evidence: "),
        "{}",
        r.stdout
    );
    // Same input, same bytes.
    let again = run(dir.path(), &["report"]);
    assert_eq!(r.stdout, again.stdout);
}

#[test]
fn files_linked_by_imports_to_a_candidate_s_code_are_its_code_one_step_only() {
    let (dir, m) = scanned("components-imports");
    let src = "screener/src/screener";
    // The API imports the ranker; the ranker imports the features: the system's code,
    // tier 2, without a flag of their own.
    for path in [format!("{src}/api.py"), format!("{src}/features.py")] {
        assert_eq!(tier_of(&m, &path), 2, "{path}: {}", m["files"][&path]);
        assert_eq!(codes_of(&m, &path), ["annex-iii-system-code"], "{path}");
        assert_eq!(
            m["files"][&path]["annex_iii"],
            serde_json::json!([]),
            "{path}"
        );
    }
    // What the features import in turn is two steps away: no more the system's than a
    // library; and the careers site's imports lead to nothing that implements a system.
    for path in [
        format!("{src}/text.py"),
        "careers-site/src/api.ts".to_string(),
    ] {
        assert_eq!(tier_of(&m, &path), 3, "{path}: {}", m["files"][&path]);
    }
    assert_eq!(
        m["files"][format!("{src}/rank.py")]["annex_iii"][0]["point"],
        "4(a)"
    );
    // `explain` of the API gives the scan's answer and the component names the links.
    let r = run(dir.path(), &["explain", &format!("{src}/api.py")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("decision: tier 2"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "    its code by imports: {src}/api.py imports {src}/rank.py; {src}/features.py is imported by {src}/rank.py\n"
        )),
        "{}",
        r.stdout
    );
    // The imports are kept in the scan cache: a rescan finds every file there and
    // writes the same manifest, as a scan without the cache does.
    let first = std::fs::read(dir.path().join("tiergate.manifest.json")).unwrap();
    let again = run(dir.path(), &["scan"]);
    assert!(
        again.stderr.contains("tiergate: 0 files read,"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(dir.path().join("tiergate.manifest.json")).unwrap(),
        first
    );
    let cold = run(dir.path(), &["scan", "--no-cache"]);
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("tiergate.manifest.json")).unwrap(),
        first
    );
}
