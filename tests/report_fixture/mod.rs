//! A hand-built gate report for the renderer tests: every verdict code, failing and not,
//! a rename, a verdict without a path and one without a line, and paths that need
//! escaping in every output format (spaces, `#`, `%`, non-ASCII, `|`, backticks).

#![allow(dead_code)]

use tiergate::gate::{Code, Mode, Report, Status, TierChange, TierName, Verdict};

fn verdict(code: Code, path: Option<&str>, fails: bool, message: &str) -> Verdict {
    Verdict {
        code,
        path: path.map(str::to_string),
        old_path: None,
        line: None,
        old_tier: None,
        new_tier: None,
        rule: None,
        message: message.into(),
        fails,
    }
}

fn change(
    path: &str,
    old_path: Option<&str>,
    status: Status,
    old: Option<u8>,
    new: Option<u8>,
    rule: &str,
) -> TierChange {
    TierChange {
        path: path.into(),
        old_path: old_path.map(str::to_string),
        status,
        old_tier: old,
        new_tier: new,
        direction: TierChange::direction_of(old, new),
        rule: Some(rule.into()),
    }
}

pub fn report() -> Report {
    let mut lowered = verdict(
        Code::TierLowered,
        Some("public/model weights#1.bin"),
        true,
        "moved out of a restricted zone",
    );
    lowered.old_path = Some("secret/model weights#1.bin".into());
    lowered.old_tier = Some(1);
    lowered.new_tier = Some(4);
    lowered.rule = Some("default-tier".into());

    let mut restricted = verdict(
        Code::NewRestricted,
        Some("données/clients 100%.csv"),
        false,
        "new personal data",
    );
    restricted.new_tier = Some(1);
    restricted.line = Some(2);
    restricted.rule = Some("iban".into());

    let mut credential = verdict(
        Code::Violation,
        Some("ops/a|b `x`.env"),
        true,
        "AWS access key committed\nrotate it, then remove it: history keeps it",
    );
    credential.line = Some(7);
    credential.new_tier = Some(1);
    credential.rule = Some("aws-access-key".into());

    let mut required = verdict(
        Code::Violation,
        Some("README.md"),
        false,
        "requirement docs-public: README.md should be tier 4",
    );
    required.new_tier = Some(3);
    required.rule = Some("docs-public".into());

    Report {
        mode: Mode::Range {
            base_ref: "origin/main".into(),
            base: "1111111111111111111111111111111111111111".into(),
            head_ref: "feature/x".into(),
            head: "2222222222222222222222222222222222222222".into(),
            merge_base: "3333333333333333333333333333333333333333".into(),
        },
        judged_with: "origin/main".into(),
        manifest: "tiergate.manifest.json".into(),
        tiers: [
            (1, "restricted"),
            (2, "confidential"),
            (3, "internal"),
            (4, "public"),
        ]
        .into_iter()
        .map(|(id, name)| TierName {
            id,
            name: name.into(),
        })
        .collect(),
        fail_on: Code::default_fail_on(),
        changed_paths: 5,
        verdicts: vec![
            verdict(
                Code::StaleManifest,
                None,
                true,
                "no manifest at tiergate.manifest.json",
            ),
            required,
            restricted,
            credential,
            lowered,
            verdict(
                Code::PolicyChange,
                Some("tiergate.yaml"),
                false,
                "the config changed; judged with the one of origin/main",
            ),
        ],
        changes: vec![
            change(
                "données/clients 100%.csv",
                None,
                Status::Added,
                None,
                Some(1),
                "iban",
            ),
            change(
                "legacy/old.rs",
                None,
                Status::Deleted,
                Some(2),
                None,
                "glob-rule",
            ),
            change(
                "ops/a|b `x`.env",
                None,
                Status::Modified,
                Some(3),
                Some(1),
                "aws-access-key",
            ),
            change(
                "public/model weights#1.bin",
                Some("secret/model weights#1.bin"),
                Status::Renamed,
                Some(1),
                Some(4),
                "default-tier",
            ),
        ],
    }
}
