use super::*;
use crate::model::DestinationKind;

fn destinations() -> Vec<Destination> {
    [
        ("local", DestinationKind::Local, 1),
        ("cloud-zdr", DestinationKind::CloudZdr, 3),
        ("cloud", DestinationKind::Cloud, 4),
    ]
    .into_iter()
    .map(|(n, kind, accepts)| Destination {
        name: n.into(),
        kind,
        accepts,
    })
    .collect()
}

fn side(tier: TierId) -> PathSide {
    PathSide {
        tier,
        rule: Some(format!("rule-{tier}")),
        ..Default::default()
    }
}

fn change(status: Status, path: &str, old: Option<PathSide>, new: Option<PathSide>) -> PathChange {
    PathChange {
        status,
        path: path.into(),
        old_path: None,
        old,
        new,
    }
}

fn run(gate: &GateConfig, f: impl FnOnce(&mut Inputs<'_>)) -> (Vec<Verdict>, Vec<TierChange>) {
    let dests = destinations();
    let mut inputs = Inputs {
        changes: vec![],
        governance: vec![],
        stale: vec![],
        shifts: vec![],
        lowerings: vec![],
        gate,
        destinations: &dests,
        restricted: 1,
        manifest: "tiergate.manifest.json",
        exceptions: vec![],
    };
    f(&mut inputs);
    judge(&inputs).expect("requirements compile")
}

fn codes(v: &[Verdict]) -> Vec<(Option<&str>, Code, bool)> {
    v.iter()
        .map(|v| (v.path.as_deref(), v.code, v.fails))
        .collect()
}

#[test]
fn a_rename_into_a_cloud_allowed_place_is_lowered_and_fails() {
    let gate = GateConfig::default();
    let (v, c) = run(&gate, |i| {
        i.changes.push(PathChange {
            old_path: Some("hr/payroll.csv".into()),
            ..change(
                Status::Renamed,
                "docs/payroll.csv",
                Some(side(1)),
                Some(side(3)),
            )
        })
    });
    assert_eq!(
        codes(&v),
        vec![(Some("docs/payroll.csv"), Code::TierLowered, true)]
    );
    assert!(
        v[0].message.contains("moved from hr/payroll.csv (tier 1)"),
        "{}",
        v[0].message
    );
    assert_eq!(c[0].direction, Direction::Lowered);
    assert_eq!(c[0].old_path.as_deref(), Some("hr/payroll.csv"));
}

#[test]
fn new_restricted_content_is_reported_not_failed_by_default() {
    let gate = GateConfig::default();
    let (v, c) = run(&gate, |i| {
        i.changes
            .push(change(Status::Added, "hr/new.csv", None, Some(side(1))));
        i.changes.push(change(
            Status::Modified,
            "a.py",
            Some(side(3)),
            Some(side(1)),
        ));
        // Already tier 1 before: nothing new.
        i.changes.push(change(
            Status::Modified,
            "b.pem",
            Some(side(1)),
            Some(side(1)),
        ));
    });
    assert_eq!(
        codes(&v),
        vec![
            (Some("a.py"), Code::NewRestricted, false),
            (Some("hr/new.csv"), Code::NewRestricted, false),
        ]
    );
    // b.pem kept its tier: not a tier change.
    assert_eq!(
        c.iter()
            .map(|c| (c.path.as_str(), c.direction))
            .collect::<Vec<_>>(),
        vec![
            ("a.py", Direction::Raised),
            ("hr/new.csv", Direction::Added)
        ]
    );
}

#[test]
fn a_committed_credential_is_a_violation_unless_configured_to_report() {
    let mut new = side(1);
    new.credentials = vec![Credential {
        id: "secret.private_key".into(),
        line: 7,
        count: 1,
    }];
    let gate = GateConfig::default();
    let (v, _) = run(&gate, |i| {
        i.changes.push(change(
            Status::Added,
            "deploy/id_rsa",
            None,
            Some(new.clone()),
        ))
    });
    let violation = v
        .iter()
        .find(|v| v.code == Code::Violation)
        .expect("violation");
    assert!(violation.fails);
    assert_eq!(violation.line, Some(7));
    assert_eq!(violation.rule.as_deref(), Some("secret.private_key"));
    let report = GateConfig {
        committed_secrets: SecretsPolicy::Report,
        ..GateConfig::default()
    };
    let (v, _) = run(&report, |i| {
        i.changes.push(change(
            Status::Added,
            "deploy/id_rsa",
            None,
            Some(new.clone()),
        ))
    });
    assert!(v.iter().all(|v| v.code != Code::Violation));
    // A key the file already held is not this change's; a second one is.
    let (v, _) = run(&gate, |i| {
        i.changes.push(change(
            Status::Modified,
            "k",
            Some(new.clone()),
            Some(new.clone()),
        ))
    });
    assert!(v.is_empty(), "{v:#?}");
    let mut more = new.clone();
    more.credentials[0].count = 2;
    let (v, _) = run(&gate, |i| {
        i.changes
            .push(change(Status::Modified, "k", Some(new.clone()), Some(more)))
    });
    assert_eq!(codes(&v), vec![(Some("k"), Code::Violation, true)]);
}

#[test]
fn requirements_match_zones_and_globs() {
    let gate = GateConfig {
        require: vec![Requirement {
            id: "docs-cloud-safe".into(),
            zones: vec!["docs".into()],
            globs: vec!["site/**".into()],
            reachable_by: "cloud-zdr".into(),
            reason: "Docs are shared".into(),
            source: crate::config::Loc {
                file: "tiergate.yaml".into(),
                line: 4,
                col: 7,
            },
        }],
        ..GateConfig::default()
    };
    let mut in_docs = side(2);
    in_docs.zones = vec!["docs".into()];
    let (v, _) = run(&gate, |i| {
        i.changes.push(change(
            Status::Added,
            "docs/a.md",
            None,
            Some(in_docs.clone()),
        ));
        i.changes
            .push(change(Status::Added, "site/b.html", None, Some(side(1))));
        i.changes
            .push(change(Status::Added, "site/ok.html", None, Some(side(3))));
        i.changes
            .push(change(Status::Added, "src/c.rs", None, Some(side(2))));
    });
    let violations: Vec<_> = v
        .iter()
        .filter(|v| v.code == Code::Violation)
        .map(|v| (v.path.as_deref().unwrap(), v.rule.as_deref().unwrap()))
        .collect();
    assert_eq!(
        violations,
        vec![
            ("docs/a.md", "gate.require.docs-cloud-safe"),
            ("site/b.html", "gate.require.docs-cloud-safe")
        ]
    );
    assert!(v.iter().any(|v| v.message.contains("tiergate.yaml:4")));
}

#[test]
fn shifts_are_tier_changes_and_never_verdicts_by_themselves() {
    let gate = GateConfig::default();
    let (v, c) = run(&gate, |i| {
        i.shifts.push(Shift {
            path: "payments/core.rs".into(),
            old: Some(1),
            new: Some(3),
            rule: None,
        })
    });
    assert!(v.is_empty(), "{v:#?}");
    assert_eq!(c[0].status, Status::Unchanged);
    assert_eq!(c[0].direction, Direction::Lowered);
}

#[test]
fn an_entry_less_protected_than_the_rules_give_is_stale_and_lowered() {
    let gate = GateConfig::default();
    let entry = |expected, found| Stale::Entry {
        path: "payments/core.rs".into(),
        expected,
        found,
        message: "differs".into(),
    };
    let (v, _) = run(&gate, |i| i.stale.push(entry(Some(1), Some(3))));
    assert_eq!(
        codes(&v),
        vec![
            (Some("payments/core.rs"), Code::StaleManifest, true),
            (Some("payments/core.rs"), Code::TierLowered, true),
        ]
    );
    assert_eq!((v[1].old_tier, v[1].new_tier), (Some(1), Some(3)));
    // More protected than the rules give, or not listed: stale only.
    for (expected, found) in [(Some(3), Some(1)), (Some(1), None), (None, Some(1))] {
        let (v, _) = run(&gate, |i| i.stale.push(entry(expected, found)));
        assert_eq!(
            codes(&v),
            vec![(Some("payments/core.rs"), Code::StaleManifest, true)],
            "{expected:?} {found:?}"
        );
    }
}

#[test]
fn a_header_widening_is_lowered_and_any_other_difference_stale() {
    let gate = GateConfig::default();
    let (v, _) = run(&gate, |i| {
        i.stale.push(Stale::Header {
            widens: true,
            message: "destinations.cloud-zdr.accepts: accepts tier 1".into(),
        });
        i.stale.push(Stale::Header {
            widens: false,
            message: "provenance.config: other config".into(),
        });
    });
    assert_eq!(
        codes(&v),
        vec![
            (Some("tiergate.manifest.json"), Code::StaleManifest, true),
            (Some("tiergate.manifest.json"), Code::TierLowered, true),
        ]
    );
}

#[test]
fn lowerings_fail_as_tier_lowered_naming_their_source() {
    let gate = GateConfig::default();
    let (v, _) = run(&gate, |i| {
        i.lowerings.push(Lowering {
            path: "docs/notes.txt".into(),
            source: Some("secrets/notes.txt".into()),
            from: 1,
            to: 3,
            message: "a copy".into(),
        })
    });
    assert_eq!(
        codes(&v),
        vec![(Some("docs/notes.txt"), Code::TierLowered, true)]
    );
    assert_eq!(v[0].old_path.as_deref(), Some("secrets/notes.txt"));
    assert_eq!((v[0].old_tier, v[0].new_tier), (Some(1), Some(3)));
}

#[test]
fn fail_on_decides_which_codes_fail() {
    let gate = GateConfig {
        fail_on: vec![Code::NewRestricted],
        ..GateConfig::default()
    };
    let (v, _) = run(&gate, |i| {
        i.changes
            .push(change(Status::Added, "x", None, Some(side(1))));
        i.changes
            .push(change(Status::Modified, "y", Some(side(1)), Some(side(3))));
        i.stale.push(Stale::Manifest {
            message: "no manifest".into(),
        });
    });
    assert_eq!(
        codes(&v),
        vec![
            (Some("tiergate.manifest.json"), Code::StaleManifest, false),
            (Some("x"), Code::NewRestricted, true),
            (Some("y"), Code::TierLowered, false),
        ]
    );
}

#[test]
fn raising_a_tier_or_deleting_a_file_is_no_verdict() {
    let gate = GateConfig::default();
    let (v, c) = run(&gate, |i| {
        i.changes
            .push(change(Status::Modified, "a", Some(side(3)), Some(side(2))));
        i.changes
            .push(change(Status::Deleted, "b", Some(side(1)), None));
    });
    assert!(v.is_empty(), "{v:#?}");
    assert_eq!(
        c.iter().map(|c| c.direction).collect::<Vec<_>>(),
        vec![Direction::Raised, Direction::Removed]
    );
}

#[test]
fn expired_and_mismatched_exceptions_fail_by_default() {
    let gate = GateConfig::default();
    let (v, _) = run(&gate, |i| {
        i.exceptions.push(ExceptionIssue {
            code: Code::ExceptionExpired,
            path: "tiergate.exceptions.yaml".into(),
            line: Some(9),
            id: "EXC-3".into(),
            message: "expired".into(),
        });
        i.exceptions.push(ExceptionIssue {
            code: Code::ExceptionMismatch,
            path: "docs/terms.md".into(),
            line: None,
            id: "EXC-4".into(),
            message: "content changed".into(),
        });
    });
    assert_eq!(
        codes(&v),
        vec![
            (Some("docs/terms.md"), Code::ExceptionMismatch, true),
            (
                Some("tiergate.exceptions.yaml"),
                Code::ExceptionExpired,
                true
            ),
        ]
    );
    assert_eq!(v[1].line, Some(9));
    assert_eq!(v[1].rule.as_deref(), Some("EXC-3"));
    // Which codes fail is configuration.
    let lenient = GateConfig {
        fail_on: vec![Code::StaleManifest],
        ..GateConfig::default()
    };
    let (v, _) = run(&lenient, |i| {
        i.exceptions.push(ExceptionIssue {
            code: Code::ExceptionExpired,
            path: "tiergate.exceptions.yaml".into(),
            line: Some(9),
            id: "EXC-3".into(),
            message: "expired".into(),
        });
    });
    assert!(!v[0].fails);
}

#[test]
fn a_lowering_markers_alone_make_is_their_policy_change_not_a_failure() {
    let gate = GateConfig::default();
    let marker = |fingerprint: &str| InlineAcceptance {
        signal: "secret.aws_access_key".into(),
        line: 4,
        fingerprint: fingerprint.into(),
    };
    // Tier 1 before; the marker added makes it 3, and without it the content is tier 1.
    let by_marker = PathSide {
        accepted_inline: vec![marker("aa")],
        tier_without_markers: 1,
        ..side(3)
    };
    let (v, _) = run(&gate, |i| {
        i.changes.push(change(
            Status::Modified,
            "tests/fixture.py",
            Some(side(1)),
            Some(by_marker.clone()),
        ))
    });
    assert_eq!(
        codes(&v),
        vec![(Some("tests/fixture.py"), Code::PolicyChange, false)]
    );
    assert_eq!(v[0].line, Some(4));
    assert!(
        v[0].message.contains("tiergate:accept marker"),
        "{}",
        v[0].message
    );

    // Markers present, but the content is lower without them too: a real lowering.
    let (v, _) = run(&gate, |i| {
        i.changes.push(change(
            Status::Modified,
            "tests/fixture.py",
            Some(side(1)),
            Some(PathSide {
                tier_without_markers: 3,
                ..by_marker.clone()
            }),
        ))
    });
    assert!(
        codes(&v).contains(&(Some("tests/fixture.py"), Code::TierLowered, true)),
        "{v:?}"
    );

    // A marker already there on the old side is no new policy change.
    let (v, _) = run(&gate, |i| {
        i.changes.push(change(
            Status::Modified,
            "tests/fixture.py",
            Some(PathSide {
                accepted_inline: vec![marker("aa")],
                ..side(3)
            }),
            Some(by_marker.clone()),
        ))
    });
    assert!(v.is_empty(), "{v:?}");
}
