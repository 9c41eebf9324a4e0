//! Unit tests of the reduction: counts, Annex III, staleness, due exceptions, names.

use std::path::Path;

use super::*;
use crate::manifest::{
    ExceptionDef, FileEntry, Manifest, PolicyProvenance, Summary, TierDef, test_manifest,
};
use crate::model::AnnexFlag;

fn build() -> Build {
    Build {
        version: "1.2.3".into(),
        decisions: crate::decide::decision_versions(),
        rego_input_version: 1,
        shipped: [(
            "shipped:policies/baseline.rego".to_string(),
            "sha256:aa".to_string(),
        )]
        .into_iter()
        .collect(),
        rules: crate::rules::provenance()
            .into_iter()
            .map(|r| (r.source, r.digest))
            .collect(),
    }
}

const JUDGING: Judging = Judging {
    today: Date {
        year: 2026,
        month: 12,
        day: 1,
    },
    within_days: 30,
};

/// A manifest of `paths` (tiers cycling 1..4) with four tiers defined, a summary that
/// agrees, written by `build()`.
fn manifest(paths: &[&str]) -> Manifest {
    let mut m = test_manifest(paths);
    m.generator.version = "1.2.3".into();
    m.tiers = (1..=4)
        .map(|id| TierDef {
            id,
            name: format!("t{id}"),
            label: format!("T{id}"),
        })
        .collect();
    m.provenance.policies = vec![PolicyProvenance {
        package: "tiergate.baseline".into(),
        source: "shipped:policies/baseline.rego".into(),
        digest: "sha256:aa".into(),
    }];
    resummarize(&mut m);
    m
}

fn resummarize(m: &mut Manifest) {
    let by_tier = m
        .tiers
        .iter()
        .map(|t| TierCount {
            tier: t.id,
            name: t.name.clone(),
            files: m.files.values().filter(|e| e.tier == t.id).count() as u64,
        })
        .collect();
    m.summary = Summary {
        files: m.files.len() as u64,
        by_tier,
        case_collisions: vec![],
    };
}

fn reduce_manifest(m: &Manifest) -> Result<Repository, Diagnostics> {
    let view = ManifestView::parse(m.to_json(), "m.json").expect("indexes");
    reduce(&view, "m.json", ("repo".into(), None), &build(), JUDGING)
}

fn flag(point: &str, status: &str, evidence: &str) -> AnnexFlag {
    AnnexFlag {
        point: point.into(),
        status: status.into(),
        evidence: vec![evidence.into()],
    }
}

fn exception(id: &str, expires: &str) -> ExceptionDef {
    ExceptionDef {
        id: id.into(),
        paths: vec!["docs/**".into()],
        tier: 4,
        reason: "published".into(),
        approver: "legal@example.com".into(),
        approved: "2026-01-01".into(),
        expires: expires.into(),
        blob: None,
        source: "tiergate.exceptions.yaml:2".into(),
    }
}

#[test]
fn counts_follow_the_entries_and_every_defined_tier_is_listed() {
    let r = reduce_manifest(&manifest(&["a", "b", "c", "d", "e"])).unwrap();
    assert_eq!(r.files, 5);
    assert_eq!(r.restricted_files, 2);
    let counts: Vec<(u8, u64)> = r.by_tier.iter().map(|t| (t.tier, t.files)).collect();
    assert_eq!(counts, [(1, 2), (2, 1), (3, 1), (4, 1)]);
    assert!(r.stale.is_empty(), "{:?}", r.stale);
    assert!(r.exceptions.is_empty());
}

#[test]
fn a_summary_that_disagrees_with_the_entries_is_refused() {
    let mut m = manifest(&["a", "b"]);
    m.summary.by_tier[0].files = 7;
    let d = reduce_manifest(&m).unwrap_err();
    assert_eq!(d.0[0].code, "manifest-invalid");
    assert!(d.0[0].message.contains("summary"), "{d}");
    let mut m = manifest(&["a"]);
    m.files.get_mut("a").unwrap().tier = 9;
    resummarize(&mut m);
    let d = reduce_manifest(&m).unwrap_err();
    assert!(d.0[0].message.contains("does not define"), "{d}");
}

#[test]
fn annex_flags_count_each_file_once_per_point_and_status() {
    let mut m = manifest(&["a", "b", "c"]);
    let set = |e: &mut FileEntry, flags: Vec<AnnexFlag>| e.annex_iii = flags;
    set(
        m.files.get_mut("a").unwrap(),
        vec![
            flag("4(a)", "candidate", "x"),
            flag("4(a)", "candidate", "y"),
            flag("5(b)", "possible-prohibited", "z"),
        ],
    );
    set(
        m.files.get_mut("b").unwrap(),
        vec![flag("4(a)", "candidate", "x")],
    );
    let r = reduce_manifest(&m).unwrap();
    let got: Vec<(&str, &str, u64)> = r
        .annex_iii
        .iter()
        .map(|a| (a.point.as_str(), a.status.as_str(), a.files))
        .collect();
    assert_eq!(
        got,
        [("4(a)", "candidate", 2), ("5(b)", "possible-prohibited", 1)]
    );
}

#[test]
fn stale_names_each_difference_from_this_build() {
    let mut m = manifest(&["a"]);
    m.generator.version = "0.9.0".into();
    m.provenance.decisions.insert("secrets".into(), 0);
    m.provenance.rego_input_version = 9;
    m.provenance.rules[0].digest = "sha256:ee".into();
    m.provenance.policies = vec![
        PolicyProvenance {
            package: "tiergate.baseline".into(),
            source: "shipped:policies/baseline.rego".into(),
            digest: "sha256:bb".into(),
        },
        PolicyProvenance {
            package: "tiergate.gone".into(),
            source: "shipped:policies/gone.rego".into(),
            digest: "sha256:cc".into(),
        },
        // The repository's own policies are the repository's business, not staleness.
        PolicyProvenance {
            package: "tiergate.custom.x".into(),
            source: "policies/x.rego".into(),
            digest: "sha256:dd".into(),
        },
    ];
    let r = reduce_manifest(&m).unwrap();
    let codes: Vec<&str> = r.stale.iter().map(|s| s.code).collect();
    assert_eq!(
        codes,
        [
            "decision-versions",
            "rego-input-version",
            "shipped-rules",
            "shipped-policy",
            "shipped-policy"
        ]
    );
    assert!(
        r.stale[0].message.contains(
            "steps accept 1, annex3 2, decide 1, facts 1, imports 1, media 1, pii 2, secrets 0"
        ),
        "{}",
        r.stale[0].message
    );
    assert!(r.stale[0].message.contains("0.9.0"));
    assert!(
        r.stale[2]
            .message
            .starts_with("decided with rule files shipped:rules sha256:ee; this build carries shipped:rules sha256:"),
        "{}",
        r.stale[2].message
    );
    assert!(r.stale[3].message.contains("sha256:bb"));
    assert!(r.stale[4].message.contains("not shipped"));
}

#[test]
fn exceptions_are_due_when_expired_or_within_the_window() {
    let mut m = manifest(&["a"]);
    m.exceptions = vec![
        exception("LATER", "2027-06-01"),
        exception("SOON", "2026-12-31"),
        exception("EDGE", "2026-12-01"),
        exception("PAST", "2026-10-01"),
        exception("LAST-DAY", "2026-12-02"),
    ];
    let r = reduce_manifest(&m).unwrap();
    let got: Vec<(&str, ExceptionState, i64)> = r
        .exceptions
        .iter()
        .map(|x| (x.id.as_str(), x.state, x.days_left))
        .collect();
    assert_eq!(
        got,
        [
            ("PAST", ExceptionState::Expired, -61),
            ("EDGE", ExceptionState::Expired, 0),
            ("LAST-DAY", ExceptionState::Expiring, 1),
            ("SOON", ExceptionState::Expiring, 30),
        ]
    );
    m.exceptions = vec![exception("BAD", "soon")];
    let d = reduce_manifest(&m).unwrap_err();
    assert!(d.0[0].message.contains("not a date"), "{d}");
}

#[test]
fn repository_names_come_from_the_path() {
    for (path, name) in [
        ("/ci/payments/tiergate.manifest.json", "payments"),
        ("/ci/payments.manifest.json", "payments"),
        ("/ci/payments.json", "payments"),
        ("/ci/payments", "payments"),
        ("/tiergate.manifest.json", "tiergate"),
        ("/ci/.json", "repository"),
    ] {
        assert_eq!(repository_name(Path::new(path)), name, "{path}");
    }
}

#[test]
fn duplicate_names_get_a_suffix_that_does_not_depend_on_argument_order() {
    let inputs = |order: &[usize]| {
        let all = [
            ("api", "b/api/tiergate.manifest.json"),
            ("api", "a/api/tiergate.manifest.json"),
            ("api~2", "api~2.json"),
            ("web", "web.json"),
        ];
        order
            .iter()
            .map(|&i| (all[i].0.to_string(), all[i].1.to_string()))
            .collect::<Vec<_>>()
    };
    let forward = inputs(&[0, 1, 2, 3]);
    let names = unique_names(&forward);
    let by_source = |inputs: &[(String, String)], names: &[(String, Option<String>)]| {
        let mut v: Vec<(String, String, bool)> = inputs
            .iter()
            .zip(names)
            .map(|((_, s), (n, note))| (s.clone(), n.clone(), note.is_some()))
            .collect();
        v.sort();
        v
    };
    let expected = vec![
        (
            "a/api/tiergate.manifest.json".to_string(),
            "api".to_string(),
            false,
        ),
        ("api~2.json".into(), "api~2".into(), false),
        ("b/api/tiergate.manifest.json".into(), "api~3".into(), true),
        ("web.json".into(), "web".into(), false),
    ];
    assert_eq!(by_source(&forward, &names), expected);
    let backward = inputs(&[3, 2, 1, 0]);
    assert_eq!(by_source(&backward, &unique_names(&backward)), expected);
}

#[test]
fn the_inventory_totals_its_repositories_in_name_order() {
    let mut a = manifest(&["x", "y"]);
    a.files.get_mut("x").unwrap().annex_iii = vec![flag("4(a)", "candidate", "e")];
    let mut b = manifest(&["p", "q", "r"]);
    b.provenance.decisions.insert("pii".into(), 0);
    b.exceptions = vec![exception("E1", "2026-12-10")];
    let reduce_as = |m: &Manifest, name: &str| {
        let view = ManifestView::parse(m.to_json(), name).unwrap();
        reduce(&view, name, (name.into(), None), &build(), JUDGING).unwrap()
    };
    let inv = inventory(
        vec![reduce_as(&b, "zeta"), reduce_as(&a, "alpha")],
        &build(),
        JUDGING,
    );
    let names: Vec<&str> = inv.repositories.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["alpha", "zeta"]);
    let t = &inv.totals;
    assert_eq!((t.repositories, t.files, t.restricted_files), (2, 5, 2));
    assert_eq!(t.by_tier.iter().map(|c| c.files).sum::<u64>(), 5);
    assert_eq!(t.annex_iii_repositories, ["alpha"]);
    assert_eq!(t.annex_iii[0].repositories, ["alpha"]);
    assert_eq!(t.stale_repositories, ["zeta"]);
    assert_eq!((t.expired_exceptions, t.expiring_exceptions), (0, 1));
    assert_eq!(inv.judged_on, "2026-12-01");
}

#[test]
fn another_release_that_decides_alike_is_not_stale() {
    let mut m = manifest(&["a"]);
    m.generator.version = "9.9.9".into();
    let r = reduce_manifest(&m).unwrap();
    assert_eq!(r.stale, []);
    // Written before the steps were recorded: stale.
    m.provenance.decisions.clear();
    let r = reduce_manifest(&m).unwrap();
    let codes: Vec<&str> = r.stale.iter().map(|s| s.code).collect();
    assert_eq!(codes, ["decision-versions"]);
    assert!(
        r.stale[0].message.contains("without the versions"),
        "{}",
        r.stale[0].message
    );
}
