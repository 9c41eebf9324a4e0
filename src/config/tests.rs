//! Unit tests of config loading: the documented examples, every diagnostic code with its
//! location, the YAML hardening, discovery and digests.

use std::time::{Duration, Instant};

use super::*;
use crate::model::{Confidence, DestinationKind};

const FILE: &str = "tiergate.yaml";

const MINIMAL: &str = "\
default_tier: 3
rules:
  - id: payments-core
    globs: [\"payments/**\"]
    tier: 1
    reason: Core payment engine is a tier-1 asset
";

fn parse(text: &str) -> Config {
    match parse_str(text, FILE) {
        Ok(c) => c,
        Err(d) => panic!("expected a valid config, got:\n{d}"),
    }
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match parse_str(text, FILE) {
        Ok(c) => panic!("expected diagnostics, got a config: {c:#?}"),
        Err(d) => d.0,
    }
}

/// `(line, col, code)` of each diagnostic, in reported order.
fn located(text: &str) -> Vec<(u64, u64, &'static str)> {
    errors(text)
        .iter()
        .map(|d| (d.line, d.col, d.code))
        .collect()
}

/// The single diagnostic `text` must produce.
fn only_error(text: &str) -> Diagnostic {
    let mut d = errors(text);
    assert_eq!(d.len(), 1, "expected one diagnostic, got {d:#?}");
    d.remove(0)
}

fn builtin_zone_names() -> Vec<&'static str> {
    vec![
        "credential-files",
        "credential-templates",
        "data-dumps",
        "logs",
        "tests",
        "docs",
        "vendor",
        "ci",
    ]
}

fn names(zones: &[Zone]) -> Vec<&str> {
    zones.iter().map(|z| z.name.as_str()).collect()
}

#[test]
fn the_minimal_file_works_as_written() {
    let c = parse(MINIMAL);
    let d = defaults();
    assert_eq!(c.tiers, d.tiers);
    assert_eq!(c.destinations, d.destinations);
    assert_eq!(c.default_tier, 3);
    assert_eq!(c.zones, builtin_zones());
    assert_eq!(
        c.rules,
        vec![GlobRule {
            id: "payments-core".into(),
            globs: vec!["payments/**".into()],
            tier: 1,
            reason: "Core payment engine is a tier-1 asset".into(),
            source: Loc {
                file: FILE.into(),
                line: 3,
                col: 5,
            },
        }]
    );
    assert_eq!(c.policies, d.policies);
    assert_eq!(c.limits, d.limits);
    assert_eq!(c.path, None);
}

#[test]
fn a_full_file_sets_every_key() {
    let text = "\
version: 1
default_tier: 2
tiers:
  - id: 4
    name: public
    label: Public
  - id: 1
    name: restricted
    label: Highly Confidential
  - id: 2
    name: internal
destinations:
  - name: on-prem
    kind: local
    accepts: 1
  - name: eu-private
    kind: cloud-zdr
    accepts: 2
  - name: openai
    kind: cloud
    accepts: 4
zones:
  payments: [\"payments/**\", \"billing/**\"]
  docs: [\"handbook/**\"]
rules:
  - id: payments-core
    globs: [\"payments/**\"]
    tier: 1
    reason: Core payment engine
  - id: public-site
    globs:
      - \"site/**\"
      - \"**/*.md\"
    tier: 4
    reason: \"  Published anyway  \"
policies:
  dirs: [\"policy\", \"team/rego\"]
  disable: [baseline, eu-ai-act]
  max_instructions: 1000
  max_eval_ms: 250
  settings:
    eu_ai_act_annex_iii: {candidate_tier: 1, strict: true, note: legal}
limits:
  max_content_bytes: 1048576
  binary_sniff_bytes: 512
";
    let c = parse(text);
    let tiers: Vec<(TierId, &str, &str)> = c
        .tiers
        .iter()
        .map(|t| (t.id, t.name.as_str(), t.label.as_str()))
        .collect();
    assert_eq!(
        tiers,
        vec![
            (1, "restricted", "Highly Confidential"),
            (2, "internal", "internal"),
            (4, "public", "Public"),
        ],
        "sorted by id, label defaulting to the name"
    );
    let dests: Vec<(&str, DestinationKind, TierId)> = c
        .destinations
        .iter()
        .map(|d| (d.name.as_str(), d.kind, d.accepts))
        .collect();
    assert_eq!(
        dests,
        vec![
            ("on-prem", DestinationKind::Local, 1),
            ("eu-private", DestinationKind::CloudZdr, 2),
            ("openai", DestinationKind::Cloud, 4),
        ],
        "config order"
    );
    assert_eq!(c.default_tier, 2);

    let mut expected_zones = builtin_zone_names();
    expected_zones.retain(|z| *z != "docs");
    expected_zones.extend(["payments", "docs"]);
    assert_eq!(names(&c.zones), expected_zones);
    let docs = c.zones.iter().find(|z| z.name == "docs").unwrap();
    assert_eq!(docs.globs, vec!["handbook/**"]);
    assert!(!docs.builtin);
    assert_eq!(
        docs.source,
        Loc {
            file: FILE.into(),
            line: 24,
            col: 3
        }
    );
    assert!(
        c.zones
            .iter()
            .filter(|z| z.builtin)
            .all(|z| z.source.file == "builtin")
    );

    assert_eq!(c.rules.len(), 2);
    assert_eq!(c.rules[1].id, "public-site");
    assert_eq!(c.rules[1].globs, vec!["site/**", "**/*.md"]);
    assert_eq!(c.rules[1].tier, 4);
    assert_eq!(c.rules[1].reason, "Published anyway");
    assert_eq!((c.rules[1].source.line, c.rules[1].source.col), (30, 5));

    assert_eq!(
        c.policies,
        PolicyConfig {
            dirs: vec!["policy".into(), "team/rego".into()],
            disable: vec!["baseline".into(), "eu-ai-act".into()],
            max_instructions: 1000,
            max_eval_ms: 250,
            settings: [(
                "eu_ai_act_annex_iii".to_string(),
                [
                    ("candidate_tier".to_string(), serde_json::json!(1)),
                    ("note".to_string(), serde_json::json!("legal")),
                    ("strict".to_string(), serde_json::json!(true)),
                ]
                .into_iter()
                .collect(),
            )]
            .into_iter()
            .collect(),
        }
    );
    assert_eq!(
        c.limits,
        Limits {
            max_content_bytes: 1 << 20,
            binary_sniff_bytes: 512,
        }
    );
    assert_eq!(c.destinations_for(2), vec!["on-prem", "eu-private"]);
}

#[test]
fn defaults_hold_the_documented_values() {
    let d = defaults();
    let tiers: Vec<(TierId, &str, &str)> = d
        .tiers
        .iter()
        .map(|t| (t.id, t.name.as_str(), t.label.as_str()))
        .collect();
    assert_eq!(
        tiers,
        vec![
            (1, "restricted", "Highly Confidential"),
            (2, "confidential", "Confidential"),
            (3, "internal", "General"),
            (4, "public", "Public"),
        ]
    );
    let dests: Vec<(&str, DestinationKind, TierId)> = d
        .destinations
        .iter()
        .map(|x| (x.name.as_str(), x.kind, x.accepts))
        .collect();
    assert_eq!(
        dests,
        vec![
            ("local", DestinationKind::Local, 1),
            ("cloud-zdr", DestinationKind::CloudZdr, 3),
            ("cloud", DestinationKind::Cloud, 4),
        ]
    );
    assert_eq!(d.default_tier, 3);
    assert_eq!(names(&d.zones), builtin_zone_names());
    assert!(d.rules.is_empty());
    assert_eq!(d.policies.dirs, vec![".tiergate/policies"]);
    assert!(d.policies.disable.is_empty());
    assert_eq!(d.policies.max_instructions, 5_000_000);
    assert_eq!(d.policies.max_eval_ms, 2_000);
    assert_eq!(d.limits.max_content_bytes, 8 * 1024 * 1024);
    assert_eq!(d.limits.binary_sniff_bytes, 8192);
    assert_eq!(d.path, None);
}

#[test]
fn builtin_zones_are_complete_and_valid() {
    let zones = builtin_zones();
    let counts: Vec<(&str, usize)> = zones
        .iter()
        .map(|z| (z.name.as_str(), z.globs.len()))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("credential-files", 28),
            ("credential-templates", 6),
            ("data-dumps", 7),
            ("logs", 2),
            ("tests", 7),
            ("docs", 4),
            ("vendor", 3),
            ("ci", 3),
        ]
    );
    for z in &zones {
        assert!(z.builtin);
        assert_eq!(
            z.source,
            Loc {
                file: "builtin".into(),
                line: 0,
                col: 0
            }
        );
        for g in &z.globs {
            assert_eq!(validate::check_glob(g), Ok(()), "{}: {g}", z.name);
        }
    }
    let creds = &zones[0].globs;
    for g in [
        "**/.env",
        "**/.kube/config",
        "**/*.tfstate.backup",
        "**/id_ed25519",
    ] {
        assert!(creds.iter().any(|c| c == g), "missing {g}");
    }
}

#[test]
fn an_empty_or_comment_only_file_means_all_defaults() {
    let d = defaults();
    for text in [
        "",
        "\n\n",
        "# nothing configured yet\n   # really\n",
        "---\n",
    ] {
        let c = parse(text);
        assert_eq!(c.tiers, d.tiers, "{text:?}");
        assert_eq!(c.destinations, d.destinations);
        assert_eq!(c.zones, d.zones);
        assert_eq!(c.policies, d.policies);
        assert_eq!(c.limits, d.limits);
        assert_eq!(c.default_tier, d.default_tier);
    }
}

#[test]
fn a_null_section_means_not_given() {
    let c = parse("rules:\ntiers:\nzones:\n");
    assert!(c.rules.is_empty());
    assert_eq!(c.tiers, defaults().tiers);
    assert_eq!(c.zones, builtin_zones());
}

#[test]
fn yaml_1_1_booleans_stay_strings() {
    // The "Norway problem": `no` must not turn into `false` and fail as a name.
    let c = parse(
        "tiers:\n  - {id: 1, name: restricted}\n  - {id: 3, name: no}\n\
         destinations:\n  - {name: local, kind: local, accepts: 1}\n",
    );
    assert_eq!(c.tiers[1].name, "no");
}

// ---- phase 1: YAML ----------------------------------------------------------------

#[test]
fn yaml_syntax_error_is_located() {
    let d = only_error("default_tier: 3\nrules: [\n  {id: a\n");
    assert_eq!((d.line, d.col, d.code), (3, 3, "yaml-syntax"), "{d}");
    assert_eq!(d.file, FILE);
    assert!(d.message.contains("unclosed"), "{}", d.message);

    let d = only_error("default_tier: 3\n  tiers: 1\n");
    assert_eq!((d.line, d.col, d.code), (2, 8, "yaml-syntax"), "{d}");
}

#[test]
fn two_documents_are_a_syntax_error() {
    let d = only_error("default_tier: 3\n---\ndefault_tier: 2\n");
    assert_eq!((d.line, d.col, d.code), (3, 1, "yaml-syntax"), "{d}");
}

#[test]
fn duplicate_key_is_reported_at_the_second_occurrence() {
    let d = only_error("default_tier: 3\nrules: []\ndefault_tier: 2\n");
    assert_eq!((d.line, d.col, d.code), (3, 1, "duplicate-key"));
    assert!(d.message.contains("`default_tier`"), "{}", d.message);

    let d = only_error("rules:\n  - id: a\n    tier: 1\n    id: b\n");
    assert_eq!((d.line, d.col, d.code), (4, 5, "duplicate-key"));
}

fn billion_laughs() -> String {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        s.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    s
}

#[test]
fn an_alias_bomb_fails_fast_with_a_limit_error() {
    let text = billion_laughs();
    let start = Instant::now();
    let d = only_error(&text);
    let elapsed = start.elapsed();
    assert_eq!(d.code, "yaml-limit", "{d}");
    assert!(d.line > 0, "{d}");
    // 9^9 lols would take minutes and gigabytes; a limit stops it in milliseconds.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn modest_aliases_are_fine() {
    let c = parse(
        "zones:\n  keys: &keys [\"**/*.kdbx\"]\nrules:\n  - id: vault\n    globs: *keys\n    tier: 1\n    reason: password stores\n",
    );
    assert_eq!(c.rules[0].globs, vec!["**/*.kdbx"]);
}

#[test]
fn deep_nesting_is_a_limit_error() {
    let text = format!("rules: {}{}\n", "[".repeat(200), "]".repeat(200));
    let d = only_error(&text);
    assert_eq!((d.line, d.code), (1, "yaml-limit"), "{d}");
}

#[test]
fn an_oversized_file_is_refused_before_parsing() {
    let text = format!("# {}\n", "x".repeat(yaml::MAX_CONFIG_BYTES));
    let d = only_error(&text);
    assert_eq!((d.line, d.code), (0, "yaml-limit"));
}

#[test]
fn custom_tags_are_rejected() {
    let d = only_error("default_tier: !secret 3\n");
    assert_eq!(d.code, "yaml-syntax");
    assert_eq!(d.line, 1);
}

// ---- phase 2: schema ----------------------------------------------------------------

#[test]
fn unknown_key_suggests_the_closest_known_key() {
    let d = only_error("rulez: []\n");
    assert_eq!((d.line, d.col, d.code), (1, 1, "unknown-key"));
    assert_eq!(d.message, "unknown key `rulez`; did you mean `rules`?");

    let d = only_error("limits:\n  max-content-bytes: 10\n");
    assert_eq!((d.line, d.col), (2, 3));
    assert!(
        d.message.ends_with("did you mean `max_content_bytes`?"),
        "{}",
        d.message
    );
}

#[test]
fn unknown_key_without_a_close_match_lists_the_known_keys() {
    let d = only_error(
        "rules:\n  - id: a\n    globs: [\"a/**\"]\n    tier: 1\n    reason: r\n    owner: me\n",
    );
    assert_eq!((d.line, d.col, d.code), (6, 5, "unknown-key"));
    assert!(
        d.message.contains("`id`, `globs`, `tier`, `reason`"),
        "{}",
        d.message
    );
    assert!(!d.message.contains("did you mean"));
}

#[test]
fn wrong_types_name_what_was_expected_and_found() {
    let d = only_error("default_tier: \"3\"\n");
    assert_eq!((d.line, d.col, d.code), (1, 15, "invalid-type"));
    assert_eq!(d.message, "expected an integer tier id, found a string");

    let d = only_error("rules:\n  - id: a\n    globs: \"a/**\"\n    tier: 1\n    reason: r\n");
    assert_eq!((d.line, d.col, d.code), (3, 12, "invalid-type"));
    assert_eq!(d.message, "expected a list of globs, found a string");

    let d = only_error("rules: {id: a}\n");
    assert_eq!(
        (d.code, d.message.as_str()),
        ("invalid-type", "expected a list of rules, found a mapping")
    );

    let d = only_error("tiers:\n  - {id: 1.5, name: a}\n");
    assert_eq!((d.line, d.col), (2, 10));
    assert_eq!(
        d.message,
        "expected an integer tier id, found a floating-point number"
    );

    let d = only_error("zones:\n  1: [\"a/**\"]\n");
    assert_eq!((d.line, d.col, d.code), (2, 3, "invalid-type"));
    assert_eq!(d.message, "expected a string key, found an integer");
}

#[test]
fn a_top_level_that_is_not_a_mapping_is_an_error() {
    let d = only_error("- rules\n- tiers\n");
    assert_eq!((d.line, d.col, d.code), (1, 1, "invalid-type"));
    assert!(d.message.contains("found a list"), "{}", d.message);

    let d = only_error("tiergate\n");
    assert_eq!(d.code, "invalid-type");
}

#[test]
fn missing_keys_are_reported_at_the_mapping() {
    let errs = errors("rules:\n  - id: a\n    globs: [\"a/**\"]\n");
    let got: Vec<(u64, u64, &str, &str)> = errs
        .iter()
        .map(|d| (d.line, d.col, d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                2,
                5,
                "missing-key",
                "this rule is missing the required key `tier`"
            ),
            (
                2,
                5,
                "missing-key",
                "this rule is missing the required key `reason`"
            ),
        ]
    );

    let d = only_error("destinations:\n  - {name: x, kind: local}\n");
    assert_eq!((d.line, d.col, d.code), (2, 5, "missing-key"));
    assert!(d.message.contains("`accepts`"));
}

#[test]
fn duplicate_ids_and_names_are_reported_at_the_repeat() {
    let d = only_error(
        "rules:\n  - {id: a, globs: [\"a/**\"], tier: 1, reason: r}\n  - {id: a, globs: [\"b/**\"], tier: 2, reason: r}\n",
    );
    assert_eq!((d.line, d.col, d.code), (3, 10, "duplicate-id"));
    assert_eq!(d.message, "rule id `a` is already used at line 2");

    let d = only_error(
        "tiers:\n  - {id: 1, name: a}\n  - {id: 1, name: b}\n  - {id: 3, name: c}\n  - {id: 4, name: d}\n",
    );
    assert_eq!((d.line, d.col, d.code), (3, 10, "duplicate-id"));

    let d =
        only_error("tiers:\n  - {id: 1, name: a}\n  - {id: 3, name: a}\n  - {id: 4, name: d}\n");
    assert_eq!((d.line, d.col, d.code), (3, 19, "duplicate-id"));

    let d = only_error(
        "destinations:\n  - {name: local, kind: local, accepts: 1}\n  - {name: local, kind: cloud, accepts: 4}\n",
    );
    assert_eq!((d.line, d.col, d.code), (3, 12, "duplicate-id"));
    assert_eq!(
        d.message,
        "destination `local` is already defined at line 2"
    );
}

#[test]
fn invalid_globs_are_reported_at_the_glob() {
    let text = "\
rules:
  - id: a
    globs:
      - \"src/**\"
      - \"/etc/passwd\"
      - \"./src/*.rs\"
      - \"src/../../secrets/**\"
      - \"src/[a-\"
      - \"\"
    tier: 1
    reason: r
";
    let errs = errors(text);
    let got: Vec<(u64, u64, &str)> = errs.iter().map(|d| (d.line, d.col, d.code)).collect();
    assert_eq!(
        got,
        vec![
            (5, 9, "invalid-glob"),
            (6, 9, "invalid-glob"),
            (7, 9, "invalid-glob"),
            (8, 9, "invalid-glob"),
            (9, 9, "invalid-glob"),
        ]
    );
    assert!(
        errs[0].message.contains("relative to the repository root"),
        "{}",
        errs[0].message
    );
    assert!(
        errs[0].message.contains("write `etc/passwd`"),
        "{}",
        errs[0].message
    );
    assert!(
        errs[1].message.contains("write `src/*.rs`"),
        "{}",
        errs[1].message
    );
    assert!(errs[2].message.contains("`..`"), "{}", errs[2].message);
    assert!(errs[3].message.contains("src/[a-"), "{}", errs[3].message);

    let d = only_error("zones:\n  secrets: []\n");
    assert_eq!((d.line, d.col, d.code), (2, 12, "invalid-value"));
}

#[test]
fn globs_match_with_literal_separators() {
    let root_only = build_glob("*.pem").unwrap().compile_matcher();
    assert!(root_only.is_match("key.pem"));
    assert!(!root_only.is_match("certs/key.pem"));
    let anywhere = build_glob("**/*.pem").unwrap().compile_matcher();
    assert!(anywhere.is_match("key.pem"));
    assert!(anywhere.is_match("a/b/key.pem"));
}

#[test]
fn unknown_tier_lists_the_configured_tiers() {
    let d = only_error("rules:\n  - id: a\n    globs: [\"a/**\"]\n    tier: 7\n    reason: r\n");
    assert_eq!((d.line, d.col, d.code), (4, 11, "unknown-tier"));
    assert_eq!(
        d.message,
        "tier 7 is not configured; configured tiers: 1, 2, 3, 4"
    );

    let d = only_error("default_tier: 300\n");
    assert_eq!((d.line, d.col, d.code), (1, 15, "unknown-tier"));

    let d = only_error("destinations:\n  - {name: x, kind: local, accepts: 5}\n");
    assert_eq!((d.line, d.col, d.code), (2, 37, "unknown-tier"));
}

#[test]
fn custom_tiers_with_default_destinations_are_checked_at_the_tiers_key() {
    let text = "\
tiers:
  - {id: 1, name: secret}
  - {id: 2, name: internal}
  - {id: 3, name: open}
";
    let d = only_error(text);
    assert_eq!((d.line, d.col, d.code), (1, 1, "unknown-tier"));
    assert!(d.message.contains("`cloud`"), "{}", d.message);
    assert!(d.message.contains("tier 4"), "{}", d.message);
    assert!(
        d.message.contains("configured tiers: 1, 2, 3"),
        "{}",
        d.message
    );
}

#[test]
fn custom_tiers_without_tier_3_need_a_default_tier() {
    let text = "\
tiers:
  - {id: 1, name: secret}
  - {id: 2, name: internal}
  - {id: 4, name: open}
destinations:
  - {name: local, kind: local, accepts: 1}
  - {name: cloud, kind: cloud, accepts: 4}
";
    let d = only_error(text);
    assert_eq!((d.line, d.col, d.code), (1, 1, "unknown-tier"));
    assert!(d.message.contains("`default_tier`"), "{}", d.message);

    let c = parse(&format!("{text}default_tier: 4\n"));
    assert_eq!(c.default_tier, 4);
    assert_eq!(c.destinations_for(2), vec!["local"]);
    assert_eq!(c.destinations_for(4), vec!["local", "cloud"]);
}

#[test]
fn a_broken_tier_list_does_not_cascade() {
    // Tier 2's id is unreadable: the rule naming tier 2 and the default destinations
    // are not reported on top, since fixing the id may fix them all.
    let text = "\
tiers:
  - {id: 1, name: restricted}
  - {id: two, name: confidential}
rules:
  - {id: a, globs: [\"a/**\"], tier: 2, reason: r}
";
    assert_eq!(located(text), vec![(3, 10, "invalid-type")]);
}

#[test]
fn invalid_names_are_reported() {
    let text = "\
tiers:
  - {id: 1, name: Restricted}
  - {id: 3, name: internal}
  - {id: 4, name: public}
destinations:
  - {name: local, kind: local, accepts: 1}
zones:
  Secret Stuff: [\"vault/**\"]
rules:
  - id: payments core
    globs: [\"payments/**\"]
    tier: 1
    reason: r
policies:
  disable: [Baseline]
";
    assert_eq!(
        located(text),
        vec![
            (2, 19, "invalid-name"),
            (8, 3, "invalid-name"),
            (10, 9, "invalid-name"),
            (15, 13, "invalid-name"),
        ]
    );
    let d = &errors(text)[2];
    assert!(
        d.message
            .starts_with("`payments core` is not a valid rule id"),
        "{}",
        d.message
    );
}

#[test]
fn out_of_range_values_are_invalid() {
    let text = "\
tiers:
  - {id: 0, name: zero}
  - {id: 256, name: big}
policies:
  max_instructions: 0
  dirs: [\"/etc/rego\", \"../elsewhere\", \"ok/dir\"]
  max_eval_ms: 0
limits:
  max_content_bytes: -1
";
    assert_eq!(
        located(text),
        vec![
            (2, 10, "invalid-value"),
            (3, 10, "invalid-value"),
            (5, 21, "invalid-value"),
            (6, 10, "invalid-value"),
            (6, 23, "invalid-value"),
            (7, 16, "invalid-value"),
            (9, 22, "invalid-value"),
        ]
    );
}

#[test]
fn sniff_bytes_may_not_exceed_content_bytes() {
    let d = only_error("limits:\n  binary_sniff_bytes: 10000\n  max_content_bytes: 4096\n");
    assert_eq!((d.line, d.col, d.code), (2, 23, "invalid-value"));
    // Against the default 8 MiB content limit.
    let d = only_error("limits:\n  binary_sniff_bytes: 9000000\n");
    assert_eq!((d.line, d.col, d.code), (2, 23, "invalid-value"));
    // Lowering the content limit under the default sniff size points at that value.
    let d = only_error("limits:\n  max_content_bytes: 100\n");
    assert_eq!((d.line, d.col, d.code), (2, 22, "invalid-value"));
}

#[test]
fn tier_1_must_exist_and_stay_local() {
    let d =
        only_error("tiers:\n  - {id: 2, name: a}\n  - {id: 3, name: b}\n  - {id: 4, name: c}\n");
    assert_eq!((d.line, d.col, d.code), (1, 1, "invalid-value"));
    assert!(d.message.contains("fail closed"), "{}", d.message);

    let d = only_error("destinations:\n  - {name: gpt, kind: cloud-zdr, accepts: 1}\n");
    assert_eq!((d.line, d.col, d.code), (2, 43, "invalid-value"));
    assert!(d.message.contains("local models"), "{}", d.message);

    let d = only_error("destinations:\n  - {name: x, kind: cloud_zdr, accepts: 3}\n");
    assert_eq!((d.line, d.col, d.code), (2, 21, "invalid-value"));
    assert!(
        d.message.contains("did you mean `cloud-zdr`?"),
        "{}",
        d.message
    );
}

#[test]
fn empty_tiers_or_destinations_are_invalid() {
    assert_eq!(located("tiers: []\n"), vec![(1, 8, "invalid-value")]);
    assert_eq!(
        located("destinations: []\n"),
        vec![(1, 15, "invalid-value")]
    );
    let d =
        only_error("rules:\n  - id: a\n    globs: [\"a/**\"]\n    tier: 1\n    reason: \"  \"\n");
    assert_eq!((d.line, d.col, d.code), (5, 13, "invalid-value"));
}

#[test]
fn unsupported_version_is_reported() {
    let d = only_error("version: 2\n");
    assert_eq!((d.line, d.col, d.code), (1, 10, "unsupported-version"));
    assert!(parse_str("version: 1\n", FILE).is_ok());
    assert_eq!(located("version: \"1\"\n"), vec![(1, 10, "invalid-type")]);
}

#[test]
fn several_problems_are_all_reported_in_file_order() {
    let text = "\
version: 1
defualt_tier: 3
tiers:
  - id: 1
    name: restricted
  - id: 2
    name: confidential
    label: 5
  - {id: 3, name: internal}
  - {id: 4, name: public}
rules:
  - id: ok-rule
    globs: [\"src/**\"]
    tier: 9
    reason: fine
  - id: Bad
    globs: [\"/abs/**\"]
    tier: 1
  - id: ok-rule
    globs: [\"x/**\"]
    tier: 1
    reason: dup
limits:
  max_content_bytes: 0
";
    let errs = errors(text);
    let got: Vec<(u64, u64, &str)> = errs.iter().map(|d| (d.line, d.col, d.code)).collect();
    assert_eq!(
        got,
        vec![
            (2, 1, "unknown-key"),
            (8, 12, "invalid-type"),
            (14, 11, "unknown-tier"),
            (16, 5, "missing-key"),
            (16, 9, "invalid-name"),
            (17, 13, "invalid-glob"),
            (19, 9, "duplicate-id"),
            (24, 22, "invalid-value"),
        ],
        "{}",
        Diagnostics(errs.clone())
    );
    assert_eq!(
        errs[0].message,
        "unknown key `defualt_tier`; did you mean `default_tier`?"
    );
    assert!(errs.iter().all(|d| d.file == FILE));
    // A tier whose label is wrong still exists for references.
    assert!(
        errs[2].message.ends_with("configured tiers: 1, 2, 3, 4"),
        "{}",
        errs[2].message
    );
    assert_eq!(
        errs[6].message,
        "rule id `ok-rule` is already used at line 12"
    );
}

#[test]
fn diagnostics_display_as_file_line_col() {
    let d = only_error("rulez: []\n");
    assert_eq!(
        d.to_string(),
        "tiergate.yaml:1:1: error[unknown-key]: unknown key `rulez`; did you mean `rules`?"
    );
}

#[test]
fn every_reported_code_is_documented() {
    let documented: Vec<&str> = DIAGNOSTIC_CODES.iter().map(|(c, _)| *c).collect();
    let samples = [
        "rulez: 1\n",
        "a: [\n",
        "a: 1\na: 2\n",
        "version: 3\n",
        "default_tier: x\n",
        "default_tier: 9\n",
        "rules:\n  - {id: A}\n",
        "zones:\n  z: [\"/x\"]\n",
        "tiers: []\n",
        "detectors:\n  - {id: a, regex: \"[\"}\n",
    ];
    for s in samples {
        for d in errors(s) {
            assert!(documented.contains(&d.code), "undocumented code {}", d.code);
        }
    }
    for (code, description) in DIAGNOSTIC_CODES {
        assert!(crate::schema::is_identifier(code), "{code}");
        assert!(!description.is_empty());
    }
}

// ---- files, discovery, digests -------------------------------------------------------

#[test]
fn load_file_reads_names_and_digests_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE_NAME);
    std::fs::write(&path, MINIMAL).unwrap();
    let c = load_file(&path, "sub/tiergate.yaml").unwrap();
    assert_eq!(c.path.as_deref(), Some(path.as_path()));
    assert_eq!(c.rules[0].source.file, "sub/tiergate.yaml");
    assert_eq!(c.digest, parse(MINIMAL).digest);
}

#[test]
fn an_unreadable_file_is_a_line_0_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.yaml");
    let d = load_file(&missing, "nope.yaml").unwrap_err().0;
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].line, d[0].col, d[0].code),
        (0, 0, "config-unreadable")
    );
    assert_eq!(d[0].file, "nope.yaml");

    // A directory opens on Unix but cannot be read.
    let d = load_file(dir.path(), "dir").unwrap_err().0;
    assert_eq!(d[0].code, "config-unreadable");
}

#[test]
fn an_oversized_file_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE_NAME);
    // Multi-byte characters across the cap: the size, not a UTF-8 cut, is reported.
    std::fs::write(&path, "é".repeat(yaml::MAX_CONFIG_BYTES)).unwrap();
    let d = load_file(&path, FILE).unwrap_err().0;
    assert_eq!((d[0].line, d[0].code), (0, "yaml-limit"), "{}", d[0]);
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE_NAME);
    std::fs::write(&path, b"default_tier: 3\nrules: \xff\n").unwrap();
    let d = load_file(&path, FILE).unwrap_err().0;
    assert_eq!((d[0].line, d[0].col, d[0].code), (2, 8, "yaml-syntax"));
}

#[test]
fn a_byte_order_mark_is_accepted_but_digested() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE_NAME);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(MINIMAL.as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let c = load_file(&path, FILE).unwrap();
    assert_eq!((c.rules[0].source.line, c.rules[0].source.col), (3, 5));
    assert_ne!(c.digest, parse(MINIMAL).digest);
}

#[test]
fn discover_walks_up_to_the_nearest_config() {
    let root = tempfile::tempdir().unwrap();
    let top = root.path().join("repo");
    let deep = top.join("a/b/c");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(top.join(CONFIG_FILE_NAME), "").unwrap();
    assert_eq!(discover(&deep), Some(top.join(CONFIG_FILE_NAME)));
    assert_eq!(discover(&top), Some(top.join(CONFIG_FILE_NAME)));

    // The nearest one wins.
    std::fs::write(top.join("a/b").join(CONFIG_FILE_NAME), "").unwrap();
    assert_eq!(
        discover(&deep),
        Some(top.join("a/b").join(CONFIG_FILE_NAME))
    );

    // A directory of that name is not a config file.
    let other = root.path().join("other/x");
    std::fs::create_dir_all(other.join(CONFIG_FILE_NAME)).unwrap();
    let found = discover(&other);
    assert!(
        found.as_ref().is_none_or(|p| !p.starts_with(root.path())),
        "{found:?}"
    );
}

#[test]
fn digests_are_sha256_of_the_bytes_and_stable() {
    let empty = parse("");
    assert_eq!(
        empty.digest,
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let a = parse(MINIMAL);
    assert_eq!(a.digest, parse(MINIMAL).digest);
    assert_ne!(
        a.digest,
        parse(&format!("{MINIMAL}\n")).digest,
        "bytes, not meaning"
    );

    let d = defaults();
    assert_eq!(d.digest, defaults().digest);
    assert_ne!(d.digest, empty.digest);
    assert!(d.digest.starts_with("sha256:"));
    assert_eq!(d.digest.len(), 7 + 64);
    assert!(
        d.digest[7..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    // Pinned: the defaults digest is recorded in every manifest made without a config,
    // so it must only change when the built-in behaviour does. Update deliberately.
    assert_eq!(d.digest, PINNED_DEFAULTS_DIGEST);
}

const PINNED_DEFAULTS_DIGEST: &str =
    "sha256:bd9b2f004b756f2e81c5fedd3a64fef3dc1f1f67fa304acddf04c38e38d51ccd";

#[test]
fn config_lookups() {
    let c = defaults();
    assert_eq!(c.tier(2).map(|t| t.name.as_str()), Some("confidential"));
    assert!(c.tier(5).is_none());
    assert_eq!(c.destination("cloud-zdr").map(|d| d.accepts), Some(3));
    assert!(c.destination("nowhere").is_none());
    assert_eq!(c.destinations_for(1), vec!["local"]);
    assert_eq!(c.destinations_for(2), vec!["local"]);
    assert_eq!(c.destinations_for(3), vec!["local", "cloud-zdr"]);
    assert_eq!(c.destinations_for(4), vec!["local", "cloud-zdr", "cloud"]);
}

// ---- detectors ------------------------------------------------------------------------

#[test]
fn detectors_are_parsed_with_defaults_and_locations() {
    let c = parse(
        "\
detectors:
  - id: employee-id
    category: personal-data
    regex: \"EMP-[0-9]{6}\"
    keywords: [\"employee\", \"Employee\", \"staff no\"]
    proximity: 80
    validator: luhn
    confidence: high
  - id: falcon
    keywords: [falcon]
",
    );
    assert_eq!(
        c.detectors,
        vec![
            CustomDetector {
                id: "employee-id".into(),
                category: "personal-data".into(),
                regex: Some("EMP-[0-9]{6}".into()),
                keywords: vec!["employee".into(), "staff no".into()],
                proximity: Some(80),
                validator: Some("luhn".into()),
                confidence: Confidence::High,
                source: Loc {
                    file: FILE.into(),
                    line: 2,
                    col: 5
                },
            },
            CustomDetector {
                id: "falcon".into(),
                category: "custom".into(),
                regex: None,
                keywords: vec!["falcon".into()],
                proximity: None,
                validator: None,
                confidence: Confidence::Medium,
                source: Loc {
                    file: FILE.into(),
                    line: 9,
                    col: 5
                },
            },
        ]
    );
    assert!(defaults().detectors.is_empty());
    assert!(parse("detectors:\n").detectors.is_empty());
    assert!(parse("detectors: []\n").detectors.is_empty());
}

#[test]
fn every_detector_problem_is_located() {
    let text = "\
detectors:
  - id: employee-id
    regex: \"EMP-[0-9\"
  - id: employee-id
    keywords: [\"employee\"]
  - id: Bad
    regex: \"x\"
    validator: luhnn
    confidence: certain
    colour: red
  - id: nothing
  - id: kw
    keywords: [\"id\"]
    proximity: 10
  - id: empty
    regex: \"a*\"
  - id: v
    keywords: [abc]
    validator: luhn
  - id: p
    regex: \"x\"
    keywords: [abcd, 7]
    proximity: 0
  - regex: \"x\"
    category: Personal
  - id: k
    keywords: []
";
    let errs = errors(text);
    let got: Vec<(u64, u64, &str)> = errs.iter().map(|d| (d.line, d.col, d.code)).collect();
    assert_eq!(
        got,
        vec![
            (3, 12, "invalid-regex"),
            (4, 9, "duplicate-id"),
            (6, 9, "invalid-name"),
            (8, 16, "invalid-value"),
            (9, 17, "invalid-value"),
            (10, 5, "unknown-key"),
            (11, 5, "missing-key"),
            (13, 16, "invalid-value"),
            (14, 16, "invalid-value"),
            (16, 12, "invalid-regex"),
            (19, 16, "invalid-value"),
            (22, 22, "invalid-type"),
            (23, 16, "invalid-value"),
            (24, 5, "missing-key"),
            (25, 15, "invalid-name"),
            (27, 15, "invalid-value"),
        ],
        "{}",
        Diagnostics(errs.clone())
    );
    let message = |line: u64| {
        errs.iter()
            .find(|d| d.line == line)
            .map(|d| d.message.as_str())
            .unwrap()
    };
    assert_eq!(
        message(3),
        "invalid regex `EMP-[0-9`: unclosed character class (at byte 4)"
    );
    assert_eq!(
        message(4),
        "detector id `employee-id` is already used at line 2"
    );
    assert!(message(8).starts_with("unknown validator `luhnn`; expected one of `luhn`"));
    assert!(
        message(8).ends_with("did you mean `luhn`?"),
        "{}",
        message(8)
    );
    assert_eq!(
        message(9),
        "unknown confidence `certain`; expected one of `low`, `medium`, `high`"
    );
    assert!(
        message(10).contains("did you mean `category`?") || message(10).contains("expected one of")
    );
    assert!(
        message(11).contains("needs `regex`, `keywords` or both"),
        "{}",
        message(11)
    );
    assert!(message(13).contains("too short"), "{}", message(13));
    assert!(
        message(14).contains("needs both `regex` and `keywords`"),
        "{}",
        message(14)
    );
    assert!(message(16).contains("empty string"), "{}", message(16));
    assert!(message(19).contains("has no `regex`"), "{}", message(19));
    assert!(message(23).contains("greater than 0"), "{}", message(23));
    assert!(message(24).contains("required key `id`"), "{}", message(24));
}

#[test]
fn detectors_must_be_a_list_of_mappings() {
    assert_eq!(
        located("detectors: {id: a}\n"),
        vec![(1, 12, "invalid-type")]
    );
    assert_eq!(
        located("detectors:\n  - employee\n"),
        vec![(2, 5, "invalid-type")]
    );
    assert_eq!(
        located("detectors:\n  - id: a\n    regex: 5\n"),
        vec![(3, 12, "invalid-type")]
    );
    assert_eq!(
        located("detectors:\n  - id: a\n    keywords: abc\n"),
        vec![(3, 15, "invalid-type")]
    );
}

#[test]
fn pack_settings_must_be_scalars_under_identifiers() {
    let d = errors(
        "policies:\n  settings:\n    \"bad pack\": {a: 1}\n    annex: {list: [1, 2], \"bad key\": 1}\n",
    );
    let got: Vec<(u64, u64, &str)> = d.iter().map(|d| (d.line, d.col, d.code)).collect();
    assert_eq!(
        got,
        vec![
            (3, 5, "invalid-name"),
            (4, 19, "invalid-type"),
            (4, 27, "invalid-name")
        ],
        "{d:#?}"
    );
}

#[test]
fn the_gate_section_sets_every_key() {
    let c = parse(
        "\
gate:
  fail_on: [violation, stale-manifest, new-restricted]
  committed_secrets: report
  require:
    - id: docs-cloud-safe
      zones: [docs]
      globs: [\"site/**\"]
      reachable_by: cloud-zdr
      reason: Docs are shared with cloud agents
",
    );
    use crate::gate::Code;
    // Sorted, whatever order the file gives.
    assert_eq!(
        c.gate.fail_on,
        vec![Code::StaleManifest, Code::NewRestricted, Code::Violation]
    );
    assert_eq!(c.gate.committed_secrets, SecretsPolicy::Report);
    let r = &c.gate.require[0];
    assert_eq!(r.id, "docs-cloud-safe");
    assert_eq!(r.zones, vec!["docs"]);
    assert_eq!(r.globs, vec!["site/**"]);
    assert_eq!(r.reachable_by, "cloud-zdr");
    assert_eq!((r.source.line, r.source.col), (5, 7));
}

#[test]
fn the_gate_defaults_fail_on_everything_but_reports() {
    use crate::gate::Code;
    for c in [defaults(), parse("default_tier: 3\n")] {
        assert_eq!(
            c.gate.fail_on,
            vec![
                Code::StaleManifest,
                Code::TierLowered,
                Code::Violation,
                Code::ExceptionExpired,
                Code::ExceptionMismatch
            ]
        );
        assert_eq!(c.gate.committed_secrets, SecretsPolicy::Violation);
        assert!(c.gate.require.is_empty());
    }
    // An empty list is allowed: the gate then only reports.
    assert!(parse("gate:\n  fail_on: []\n").gate.fail_on.is_empty());
}

#[test]
fn gate_mistakes_are_all_located() {
    let text = "\
gate:
  fail_on: [stale-manifst, violation, violation]
  committed_secrets: maybe
  require:
    - id: a
      zones: [doc]
      reachable_by: moon
      reason: x
    - id: b
      reachable_by: cloud
      reason: nothing covered
    - id: c
      globs: [\"a/[b\"]
      reachable_by: cloud
      reason: \" \"
  extra: 1
";
    assert_eq!(
        located(text),
        vec![
            (2, 13, "invalid-value"),
            (2, 39, "duplicate-id"),
            (3, 22, "invalid-value"),
            (6, 15, "invalid-value"),
            (7, 21, "invalid-value"),
            (9, 7, "missing-key"),
            (13, 15, "invalid-glob"),
            (15, 15, "invalid-value"),
            (16, 3, "unknown-key"),
        ]
    );
    let d = errors(text);
    assert!(
        d[0].message.contains("did you mean `stale-manifest`"),
        "{}",
        d[0].message
    );
    assert!(
        d[3].message.contains("did you mean `docs`"),
        "{}",
        d[3].message
    );
}

#[test]
fn agents_map_to_known_destinations() {
    let c = parse("agents:\n  cursor: cloud-zdr\n  claude-code: local\n");
    assert_eq!(
        c.agents,
        vec![
            ("cursor".to_string(), "cloud-zdr".to_string()),
            ("claude-code".to_string(), "local".to_string())
        ]
    );
    assert_eq!(
        located("agents:\n  cursr: cloud\n  aider: moon\n  gemini: [x]\n"),
        vec![
            (2, 3, "invalid-value"),
            (3, 10, "invalid-value"),
            (4, 11, "invalid-type")
        ]
    );
    assert!(
        errors("agents:\n  cursr: cloud\n")[0]
            .message
            .contains("did you mean `cursor`")
    );
}

#[test]
fn a_public_repository_s_default_tier_is_the_least_sensitive_one() {
    let c = parse("version: 1\nvisibility: public\n");
    assert_eq!(c.visibility, Visibility::Public);
    assert_eq!(c.default_tier, 4);
    // Where it was set: the `visibility` key.
    assert_eq!(c.default_tier_source.line, 2);
    // With its own tiers, the least sensitive of them.
    let c = parse(
        "visibility: public\ntiers:\n  - {id: 1, name: secret, label: Secret}\n  - {id: 2, name: open, label: Open}\ndestinations:\n  - {name: local, kind: local, accepts: 1}\n",
    );
    assert_eq!(c.default_tier, 2);
    let c = parse("visibility: private\n");
    assert_eq!((c.visibility, c.default_tier), (Visibility::Private, 3));
    assert_eq!(parse("version: 1\n").visibility, Visibility::Private);
    // Saying it twice, the same way, is fine.
    assert_eq!(
        parse("visibility: public\ndefault_tier: 4\n").default_tier,
        4
    );
}

#[test]
fn visibility_and_a_contradicting_default_tier_or_an_unknown_value_are_errors() {
    let d = only_error("visibility: public\ndefault_tier: 3\n");
    assert_eq!((d.line, d.col, d.code), (2, 15, "invalid-value"));
    assert!(d.message.contains("`visibility: public`"), "{}", d.message);
    let d = only_error("visibility: open\n");
    assert_eq!((d.line, d.col, d.code), (1, 13, "invalid-value"));
    assert!(d.message.contains("`private`, `public`"), "{}", d.message);
    let d = only_error("visibility: [public]\n");
    assert_eq!(d.line, 1);
}
