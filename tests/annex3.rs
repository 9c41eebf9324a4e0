//! EU AI Act Annex III: one fixture repository per area (fixtures/annex3-*), and one of
//! known traps, asserted through `tiergate ls --format json`. Each expectation is
//! (path, tier, [(point, status)]).

mod common;

use common::*;

type Expect = (&'static str, u64, &'static [(&'static str, &'static str)]);

fn check(fixture_name: &str, expected: &[Expect]) {
    let dir = fixture(fixture_name);
    let recs = ls(dir.path());
    assert_eq!(recs.len(), expected.len(), "{fixture_name}: files listed");
    for (path, tier, flags) in expected {
        let rec = record(&recs, path);
        assert_eq!(rec["tier"], *tier, "{fixture_name}/{path}: {rec}");
        let got: Vec<(String, String)> = rec["annex_iii"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["point"].as_str().unwrap().to_string(),
                    f["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = flags
            .iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect();
        assert_eq!(got, want, "{fixture_name}/{path}: {rec}");
        // Evidence names signals, never text from the file.
        for f in rec["annex_iii"].as_array().unwrap() {
            for e in f["evidence"].as_array().unwrap() {
                assert!(e.as_str().unwrap().starts_with("annex3."), "{e}");
            }
        }
    }
}

#[test]
fn biometrics() {
    check(
        "annex3-biometrics",
        &[
            (
                "attributes/demographics.py",
                1,
                &[("1(b)", "possible-prohibited")],
            ),
            (
                "attributes/fairface_label_val.csv",
                1,
                &[("1(b)", "candidate")],
            ),
            (
                "emotion/agent_mood.py",
                1,
                &[("1(c)", "possible-prohibited")],
            ),
            (
                "identify/gallery_templates.csv",
                1,
                &[("1(a)", "candidate")],
            ),
            ("identify/search_watchlist.py", 2, &[("1(a)", "candidate")]),
        ],
    );
}

#[test]
fn critical_infrastructure() {
    check(
        "annex3-critical-infrastructure",
        &[
            ("control/dosing_controller.py", 2, &[("2", "candidate")]),
            ("grid/substation.go", 2, &[("2", "candidate")]),
            // Planning studies without actuation are not point 2.
            ("planning/feeder_study.py", 3, &[]),
        ],
    );
}

#[test]
fn education() {
    check(
        "annex3-education",
        &[
            (
                "admissions/Admission_Predict.csv",
                2,
                &[("3(a)", "candidate")],
            ),
            ("admissions/predict_admit.py", 2, &[("3(a)", "candidate")]),
            ("grading/essay_scorer.py", 2, &[("3(b)", "candidate")]),
            ("proctoring/monitor.ts", 2, &[("3(d)", "candidate")]),
        ],
    );
}

#[test]
fn employment() {
    check(
        "annex3-employment",
        &[
            ("attrition/attrition_model.R", 2, &[("4(b)", "candidate")]),
            ("screening/rank_candidates.py", 2, &[("4(a)", "candidate")]),
        ],
    );
}

#[test]
fn essential_services() {
    check(
        "annex3-essential-services",
        &[
            ("benefits/eligibility.py", 2, &[("5(a)", "candidate")]),
            ("credit/scorecard.py", 2, &[("5(b)", "candidate")]),
            ("dispatch/triage.sql", 2, &[("5(d)", "candidate")]),
            ("insurance/pricing.py", 2, &[("5(c)", "candidate")]),
        ],
    );
}

#[test]
fn law_enforcement() {
    check(
        "annex3-law-enforcement",
        &[
            (
                "investigations/suspect_ranking.sql",
                2,
                &[("6(e)", "candidate")],
            ),
            ("recidivism/compas_sample.csv", 1, &[("6(d)", "candidate")]),
            ("recidivism/train_risk.py", 2, &[("6(d)", "candidate")]),
        ],
    );
}

#[test]
fn migration() {
    check(
        "annex3-migration",
        &[
            ("asylum/credibility.py", 2, &[("7(c)", "candidate")]),
            ("border/Matcher.java", 2, &[("7(d)", "candidate")]),
            // Logs of a high-risk system stay local.
            ("logs/matches.log", 1, &[("7(d)", "candidate")]),
        ],
    );
}

#[test]
fn justice_and_democracy() {
    check(
        "annex3-justice",
        &[
            ("courts/judgment_predictor.py", 2, &[("8(a)", "candidate")]),
            // Campaign logistics are excluded from 8(b).
            ("elections/canvass_routes.py", 3, &[]),
            // Code that reads a voter file's `party_affiliation` column processes
            // special-category data but holds none: the 8(b) candidate's tier 2, not
            // tier 1 (vocabulary is not data).
            ("elections/microtarget.py", 2, &[("8(b)", "candidate")]),
        ],
    );
}

#[test]
fn traps_do_not_fire() {
    check(
        "annex3-traps",
        &[
            // Fraud models are not credit scoring.
            ("fraud/creditcard_sample.csv", 3, &[]),
            ("fraud/fraud_model.py", 3, &[]),
            // PyPI `compas` (geometry) is not COMPAS.
            ("geometry/mesh_tools.py", 3, &[]),
            // MRZ parsing is not 7(d).
            ("kyc/passport_check.py", 3, &[]),
            // 1:1 face verification is not 1(a), but biometric data all the same.
            ("kyc/selfie_match.py", 2, &[]),
            // Text sentiment is not emotion recognition.
            ("sentiment/feedback.js", 3, &[]),
            ("sentiment/reviews.py", 3, &[]),
        ],
    );
}

#[test]
fn candidate_tier_is_configurable() {
    let dir = fixture("annex3-employment");
    std::fs::write(
        dir.path().join("tiergate.yaml"),
        "policies:\n  settings:\n    eu_ai_act_annex_iii:\n      candidate_tier: 1\n",
    )
    .unwrap();
    let recs = ls(dir.path());
    let rec = record(&recs, "screening/rank_candidates.py");
    assert_eq!(rec["tier"], 1, "{rec}");
    assert_eq!(rec["annex_iii"][0]["point"], "4(a)");

    // A setting that is not a configured tier fails closed, file by file.
    std::fs::write(
        dir.path().join("tiergate.yaml"),
        "policies:\n  settings:\n    eu_ai_act_annex_iii:\n      candidate_tier: 9\n",
    )
    .unwrap();
    let recs = ls(dir.path());
    let rec = record(&recs, "screening/rank_candidates.py");
    assert_eq!(rec["tier"], 1);
    assert_eq!(rec["reasons"][0]["code"], "policy-error", "{rec}");
}
