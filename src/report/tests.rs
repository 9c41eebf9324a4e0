use super::*;
use crate::manifest::{FileEntry, Reason};
use crate::model::AnnexFlag;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A manifest with the default tiers and destinations and the given files.
/// (path, tier, [(code, rule)], flags).
type FileSpec<'a> = (&'a str, TierId, &'a [(&'a str, &'a str)], &'a [AnnexFlag]);

fn manifest(files: &[FileSpec<'_>]) -> Manifest {
    let mut m = Manifest::from_json(
        r#"{"schema_version":1,"generator":{"name":"tiergate","version":"0.1.0"},
        "provenance":{"commit":null,"config":{"source":"builtin","digest":"sha256:00"},
          "policies":[],"rego_input_version":1,"scope":"tracked"},
        "tiers":[{"id":1,"name":"restricted","label":"Highly Confidential"},
          {"id":2,"name":"confidential","label":"Confidential"},
          {"id":3,"name":"internal","label":"General"},{"id":4,"name":"public","label":"Public"}],
        "destinations":[{"name":"local","kind":"local","accepts":1},
          {"name":"cloud-zdr","kind":"cloud-zdr","accepts":3},{"name":"cloud","kind":"cloud","accepts":4}],
        "default_tier":3,"zones":[],"rules":[],"unlisted":{"tier":1,"code":"not-in-manifest"},
        "summary":{"files":0,"by_tier":[],"case_collisions":[]},"files":{}}"#,
        "test",
    )
    .unwrap();
    for (path, tier, reasons, flags) in files {
        m.files.insert(
            path.to_string(),
            FileEntry {
                tier: *tier,
                kind: "text".into(),
                git: "tracked".into(),
                reasons: reasons
                    .iter()
                    .map(|(code, rule)| Reason {
                        code: code.to_string(),
                        rule: rule.to_string(),
                        tier: Some(*tier),
                        source: "tiergate.yaml:3".into(),
                        message: "why".into(),
                    })
                    .collect(),
                annex_iii: flags.to_vec(),
            },
        );
    }
    m
}

/// (path, size, [(signal id, line)]).
type ExtraSpec<'a> = (&'a str, u64, &'a [(&'a str, u32)]);

fn extra(entries: &[ExtraSpec<'_>]) -> BTreeMap<String, FileExtra> {
    entries
        .iter()
        .map(|(p, size, lines)| {
            (
                p.to_string(),
                FileExtra {
                    size: *size,
                    signal_lines: lines.iter().map(|(id, l)| (id.to_string(), *l)).collect(),
                },
            )
        })
        .collect()
}

fn pack() -> AnnexPack {
    AnnexPack::from_json(
        serde_json::json!({"prohibitions": "2025-02-02", "original": "2026-08-02",
            "original_basis": "Art 113", "deferred": "2027-12-02",
            "amending_act": "Regulation X", "deferred_status": "reported, to be confirmed"}),
        serde_json::json!({
            "1b": {"label": "1(b)", "area": "1", "title": "categorisation", "extra": ""},
            "5b": {"label": "5(b)", "area": "5", "title": "credit", "extra": " Art 27 note."}}),
        Some(serde_json::json!({"1b": "Art 5(1)(g)"})),
        serde_json::json!([
            {"article": "Art 5", "text": "possible prohibited practice, {art5}; since {prohibitions}",
                "points": "all", "status": "possible-prohibited"},
            {"article": "Art 6(2)", "text": "high-risk", "points": "all"},
            {"article": "Art 27", "text": "impact assessment", "points": ["5a", "5b"]}]),
    )
    .unwrap()
}

/// The pack as the shipped legal facts give it (`src/policy/legal.json`, from
/// `rules/legal/eu_ai_act.yaml`), its `art5_basis` as the pack derives it.
fn shipped_pack() -> AnnexPack {
    let legal: serde_json::Value =
        serde_json::from_str(include_str!("../policy/legal.json")).unwrap();
    let facts = &legal["eu_ai_act"];
    let art5_basis: serde_json::Map<String, serde_json::Value> = facts["points"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(k, p)| Some((k.clone(), p.get("art5")?.clone())))
        .collect();
    AnnexPack::from_json(
        facts["dates_in_force"].clone(),
        facts["points"].clone(),
        Some(art5_basis.into()),
        facts["obligations"].clone(),
    )
    .unwrap()
}

fn input<'a>(
    m: &'a Manifest,
    x: &'a BTreeMap<String, FileExtra>,
    annex: Option<&'a AnnexPack>,
) -> Input<'a> {
    Input {
        manifest: m,
        extra: x,
        exceptions: None,
        accepted: None,
        annex,
        since: None,
        today: date("2026-12-01"),
        components: &[],
    }
}

#[test]
fn summary_counts_files_and_bytes_per_tier_and_destination() {
    let m = manifest(&[
        ("a/secret", 1, &[], &[]),
        ("b/code", 3, &[], &[]),
        ("c/doc", 4, &[], &[]),
    ]);
    let x = extra(&[
        ("a/secret", 10, &[]),
        ("b/code", 20, &[]),
        ("c/doc", 40, &[]),
    ]);
    let r = build(&input(&m, &x, None));
    assert_eq!((r.summary.files, r.summary.bytes), (3, 70));
    let tiers: Vec<_> = r
        .summary
        .tiers
        .iter()
        .map(|c| (c.tier, c.files, c.bytes))
        .collect();
    assert_eq!(tiers, [(1, 1, 10), (2, 0, 0), (3, 1, 20), (4, 1, 40)]);
    let dests: Vec<_> = r
        .summary
        .destinations
        .iter()
        .map(|d| (d.name.as_str(), d.files, d.bytes))
        .collect();
    assert_eq!(
        dests,
        [("local", 3, 70), ("cloud-zdr", 2, 60), ("cloud", 1, 40)]
    );
}

#[test]
fn tier1_is_grouped_by_directory_with_the_top_level_first() {
    let m = manifest(&[
        (
            ".env",
            1,
            &[("credential-file", "credential-file-name")],
            &[],
        ),
        ("hr/a.csv", 1, &[("glob-rule", "hr-data")], &[]),
        ("hr/b.csv", 1, &[("glob-rule", "hr-data")], &[]),
        ("hr/x/c.csv", 1, &[("glob-rule", "hr-data")], &[]),
        ("src/ok.py", 3, &[], &[]),
    ]);
    let r = build(&input(&m, &BTreeMap::new(), None));
    let groups: Vec<_> = r
        .tier1
        .iter()
        .map(|g| (g.dir.as_str(), g.files.len()))
        .collect();
    assert_eq!(groups, [("", 1), ("hr", 2), ("hr/x", 1)]);
    assert_eq!(r.tier1[1].files[0].reasons[0].rule, "hr-data");
}

#[test]
fn annex_points_carry_evidence_lines_obligations_and_dates() {
    let flag = |point: &str, status: &str, evidence: &[&str]| AnnexFlag {
        point: point.into(),
        status: status.into(),
        evidence: evidence.iter().map(|e| e.to_string()).collect(),
    };
    let m = manifest(&[
        (
            "score.py",
            2,
            &[],
            &[flag("5(b)", "candidate", &["annex3.5b.a", "annex3.5b.b"])],
        ),
        (
            "faces.py",
            1,
            &[],
            &[flag("1(b)", "possible-prohibited", &["annex3.1b.x"])],
        ),
    ]);
    let x = extra(&[("score.py", 1, &[("annex3.5b.a", 7), ("annex3.5b.b", 0)])]);
    let p = pack();
    let r = build(&input(&m, &x, Some(&p)));
    let Annex::Reviewed { dates, points, .. } = &r.annex else {
        panic!("pack given")
    };
    let when: Vec<_> = dates.iter().map(|d| d.relative.as_str()).collect();
    assert_eq!(
        when,
        [
            "in force for 22 months",
            "in force for 4 months",
            "in 12 months"
        ]
    );
    assert!(dates[2].note.contains("to be confirmed"), "{:?}", dates[2]);
    assert_eq!(points.len(), 2);
    let (b1, b5) = (&points[0], &points[1]);
    assert_eq!(
        (b1.point.as_str(), b1.files[0].status),
        ("1(b)", AnnexStatus::PossibleProhibited)
    );
    assert!(b1.obligations[0].starts_with("Art 5: possible prohibited practice, Art 5(1)(g)"));
    assert!(!b1.obligations.iter().any(|o| o.starts_with("Art 27")));
    assert_eq!(b5.title, "credit");
    assert!(
        b5.obligations.iter().any(|o| o.starts_with("Art 27")),
        "{:?}",
        b5.obligations
    );
    assert!(!b5.obligations.iter().any(|o| o.starts_with("Art 5:")));
    // Line 0 means unknown: the id alone, no made-up location.
    let ev: Vec<_> = b5.files[0]
        .evidence
        .iter()
        .map(|e| (e.signal.as_str(), e.location.as_deref()))
        .collect();
    assert_eq!(
        ev,
        [("annex3.5b.a", Some("score.py:7")), ("annex3.5b.b", None)]
    );
}

#[test]
fn a_disabled_pack_is_said_so() {
    let m = manifest(&[]);
    assert_eq!(
        build(&input(&m, &BTreeMap::new(), None)).annex,
        Annex::Disabled
    );
}

#[test]
fn pack_data_of_the_wrong_shape_is_an_error() {
    let err = AnnexPack::from_json(
        serde_json::json!({"prohibitions": "soon"}),
        serde_json::json!({}),
        None,
        serde_json::json!([]),
    )
    .unwrap_err();
    assert!(err.contains("dates_in_force"), "{err}");
    let dates = pack().dates;
    let dates = serde_json::json!({"prohibitions": dates.prohibitions, "original": dates.original,
        "original_basis": "", "deferred": dates.deferred, "amending_act": "", "deferred_status": ""});
    for (obligations, want) in [
        (serde_json::Value::Null, "obligations"),
        (
            serde_json::json!([{"article": "Art 10", "text": "t", "points": "some"}]),
            "`some`",
        ),
        (
            serde_json::json!([{"article": "Art 10", "points": "all"}]),
            "text",
        ),
    ] {
        let err = AnnexPack::from_json(dates.clone(), serde_json::json!({}), None, obligations)
            .unwrap_err();
        assert!(err.contains(want), "{want}: {err}");
    }
}

/// The shipped facts list what the report always listed: Art 5 for a possible
/// prohibited practice with its basis and date, Art 6(2), 10, 12, 14 and 26 for every
/// point, Art 27 for 5(a)-5(c), then the point's own note.
#[test]
fn the_shipped_obligations_give_the_report_s_wording() {
    let pack = shipped_pack();
    let point = |key: &'static str| Some((key, &pack.points[key]));
    let common = [
        "Art 6(2): high-risk, unless an Art 6(3) assessment documents no significant risk (never where it profiles natural persons)",
        "Art 10: data and data governance",
        "Art 12: record-keeping (automatic logs)",
        "Art 14: human oversight",
        "Art 26: obligations of deployers",
    ];
    let b1 = obligations(&pack, point("1b"), true);
    assert_eq!(
        b1[0],
        "Art 5: possible prohibited practice, Art 5(1)(g) (biometric categorisation inferring race, political opinions, trade-union membership, religious or philosophical beliefs, sex life or sexual orientation); prohibited since 2025-02-02: review before any use"
    );
    assert_eq!(b1[1..], common);
    let b5 = obligations(&pack, point("5b"), false);
    assert_eq!(b5[..5], common);
    assert_eq!(
        b5[5..],
        [
            "Art 27: fundamental-rights impact assessment before first use",
            "Art 27: fundamental-rights impact assessment by deployers."
        ]
    );
    // A point the facts do not describe, flagged as prohibited: the generic basis.
    let unknown = obligations(&pack, None, true);
    assert!(unknown[0].starts_with("Art 5: possible prohibited practice, Art 5; "));
    assert_eq!(unknown[1..], common);
}

#[test]
fn placeholders_are_filled_and_unknown_ones_kept() {
    let value = |name: &str| (name == "a").then_some("A");
    assert_eq!(fill("x {a} y {b} {a}", value), "x A y {b} A");
    assert_eq!(fill("no braces", value), "no braces");
    assert_eq!(fill("open { only", value), "open { only");
}

#[test]
fn changes_are_grouped_by_direction_with_flags_and_exceptions() {
    let flag = AnnexFlag {
        point: "4(a)".into(),
        status: "candidate".into(),
        evidence: vec![],
    };
    let mut old = manifest(&[
        ("down", 1, &[], &[]),
        ("up", 4, &[], &[]),
        ("gone", 2, &[], &[]),
        ("same", 3, &[], &[]),
    ]);
    let mut now = manifest(&[
        ("down", 3, &[], &[]),
        ("up", 2, &[], &[]),
        ("new", 1, &[], &[]),
        ("same", 3, &[], std::slice::from_ref(&flag)),
    ]);
    let def = |id: &str| crate::manifest::ExceptionDef {
        id: id.into(),
        paths: vec!["x".into()],
        tier: 4,
        reason: "r".into(),
        approver: "a".into(),
        approved: "2026-01-01".into(),
        expires: "2027-01-01".into(),
        blob: None,
        source: "tiergate.exceptions.yaml:2".into(),
    };
    old.exceptions = vec![def("EXC-1")];
    now.exceptions = vec![def("EXC-2")];
    let c = changes(
        &Since {
            label: "old.json".into(),
            manifest: &old,
        },
        &now,
    );
    let paths = |v: &[TierMove]| {
        v.iter()
            .map(|m| (m.path.clone(), m.old, m.new))
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&c.lowered), [("down".to_string(), Some(1), Some(3))]);
    assert_eq!(paths(&c.raised), [("up".to_string(), Some(4), Some(2))]);
    assert_eq!(paths(&c.added), [("new".to_string(), None, Some(1))]);
    assert_eq!(paths(&c.removed), [("gone".to_string(), Some(2), None)]);
    assert_eq!(c.annex_appeared.len(), 1);
    assert_eq!(c.annex_appeared[0].path, "same");
    assert!(c.annex_disappeared.is_empty());
    assert_eq!(c.exceptions_added, ["EXC-2"]);
    assert_eq!(c.exceptions_removed, ["EXC-1"]);
    assert!(!c.is_empty());
}

#[test]
fn relative_dates_use_days_under_two_months() {
    let today = date("2026-12-01");
    assert_eq!(relative(today, today), "from today");
    assert_eq!(relative(today, date("2026-11-30")), "in force for 1 day");
    assert_eq!(relative(today, date("2026-12-20")), "in 19 days");
    assert_eq!(relative(today, date("2027-02-15")), "in 2 months");
}

#[test]
fn exceptions_have_a_status_a_warning_and_the_files_they_decide() {
    let ex = |id: &str, approved: &str, expires: &str, blob: Option<&str>| Exception {
        id: id.into(),
        globs: vec!["x/**".into()],
        tier: 4,
        reason: "r".into(),
        approver: "legal@example.com".into(),
        approved: date(approved),
        expires: date(expires),
        blob: blob.map(str::to_string),
        source: crate::config::Loc {
            file: "tiergate.exceptions.yaml".into(),
            line: 3,
            col: 5,
        },
    };
    let file = ExceptionsFile {
        display: "tiergate.exceptions.yaml".into(),
        digest: "sha256:11".into(),
        exceptions: vec![
            ex("EXC-A", "2026-11-01", "2027-05-01", None),
            ex("EXC-S", "2026-06-01", "2026-12-31", None),
            ex("EXC-E", "2025-01-01", "2026-10-01", None),
            ex("EXC-P", "2027-01-01", "2027-06-01", None),
            ex("EXC-B", "2026-01-01", "2027-06-01", Some("00")),
        ],
    };
    let m = manifest(&[
        ("x/a", 4, &[("exception", "EXC-A"), ("glob-rule", "r")], &[]),
        // Decided by a rule, the exception only noted: it does not decide this file.
        ("x/b", 1, &[("glob-rule", "r"), ("exception", "EXC-A")], &[]),
        (
            "x/c",
            3,
            &[("exception-mismatch", "EXC-B"), ("default-tier", "d")],
            &[],
        ),
    ]);
    let x = BTreeMap::new();
    let mut i = input(&m, &x, None);
    i.exceptions = Some(&file);
    let r = build(&i);
    let rows: Vec<_> = r
        .exceptions
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|e| (e.id.as_str(), e.status.as_str(), e.expires_soon))
        .collect();
    assert_eq!(
        rows,
        [
            ("EXC-A", "active", false),
            ("EXC-S", "active", true),
            ("EXC-E", "expired", false),
            ("EXC-P", "pending", false),
            ("EXC-B", "active", false),
        ]
    );
    let items = &r.exceptions.as_ref().unwrap().items;
    assert_eq!(items[0].decides, ["x/a"]);
    assert_eq!(items[0].source, "tiergate.exceptions.yaml:3");
    assert!(items[4].decides.is_empty());
    assert_eq!(items[4].mismatched, ["x/c"]);
}
