//! A repository's own rule files (`.tiergate/rules/`, `rule_files.dirs`), one fixture
//! repository per scenario: a signal of its own (`fixtures/user-rules-annex3`), a
//! keyword (`user-rules-pii`), a placeholder (`user-rules-secrets`), a shipped id taken
//! again (`user-rules-collision`); their provenance, the gate judging a changed rule
//! file with HEAD's version, and `tiergate rules test` running their examples.

mod common;

use std::path::Path;

use common::{check_json, codes_of, fixture, fixtures, git, json, run, scan_manifest, tier_of};

const SIGNAL: &str = "annex3.4a.acme_cv_rank_import";
const SIGNAL_FILE: &str = ".tiergate/rules/annex3/4a.yaml";

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// `provenance.rules` as (source, digest).
fn rule_provenance(m: &serde_json::Value) -> Vec<(String, String)> {
    m["provenance"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["digest"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The Annex III evidence of a manifest entry.
fn evidence(m: &serde_json::Value, path: &str) -> Vec<String> {
    m["files"][path]["annex_iii"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().unwrap().iter())
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_repository_s_annex3_signal_fires_and_explain_shows_where_it_is_defined() {
    let dir = fixture("user-rules-annex3");
    let p = dir.path();
    let m = scan_manifest(p, &[]);
    // With the repository's import signal, the columns alone are two independent
    // signals of 4(a) in a component with a model (`model.predict(`): a candidate.
    assert_eq!(tier_of(&m, "hr/pick.py"), 2, "{}", m["files"]);
    assert!(evidence(&m, "hr/pick.py").contains(&SIGNAL.to_string()));
    let rule_bytes = std::fs::read(p.join(SIGNAL_FILE)).unwrap();
    let shipped = rule_provenance(&m)[0].clone();
    assert_eq!(shipped.0, "shipped:rules");
    assert_eq!(
        rule_provenance(&m),
        vec![
            shipped.clone(),
            (SIGNAL_FILE.to_string(), digest(&rule_bytes))
        ]
    );

    let r = run(p, &["explain", "hr/pick.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!(
            "{SIGNAL} (annex3, High, 1x, first at line 2, defined at {SIGNAL_FILE}:5)"
        )),
        "{}",
        r.stdout
    );
    // Shipped signals show what they always showed.
    assert!(
        r.stdout
            .contains("annex3.4a.candidate_columns (annex3, High, 2x, first at line 9)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("manifest: the manifest agrees (tier 2)"));
    let r = run(p, &["explain", "--format", "json", "hr/pick.py"]);
    assert_eq!(
        json(&r.stdout)["signal_sources"],
        serde_json::json!({ SIGNAL: format!("{SIGNAL_FILE}:5") })
    );

    // Without the rule file the same content is no candidate, and the manifest names
    // the shipped rules alone.
    std::fs::remove_dir_all(p.join(".tiergate")).unwrap();
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "hr/pick.py"), 3);
    assert!(evidence(&m, "hr/pick.py").is_empty());
    assert_eq!(rule_provenance(&m), vec![shipped]);
    let r = run(p, &["explain", "--format", "json", "hr/pick.py"]);
    assert!(
        json(&r.stdout).get("signal_sources").is_none(),
        "{}",
        r.stdout
    );
}

#[test]
fn provenance_lists_every_rule_file_and_a_changed_one_makes_the_manifest_stale() {
    let dir = fixture("user-rules-annex3");
    let p = dir.path();
    let keywords =
        std::fs::read(fixtures().join("user-rules-pii/.tiergate/rules/pii/keywords.yaml")).unwrap();
    write(
        p,
        ".tiergate/rules/pii/keywords.yaml",
        std::str::from_utf8(&keywords).unwrap(),
    );
    let m = scan_manifest(p, &[]);
    let sources: Vec<String> = rule_provenance(&m).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        sources,
        vec![
            "shipped:rules",
            SIGNAL_FILE,
            ".tiergate/rules/pii/keywords.yaml"
        ]
    );
    assert_eq!(rule_provenance(&m)[2].1, digest(&keywords));
    // The legal report's provenance names them too.
    let r = run(p, &["report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row = format!(
        "| rule file | `.tiergate/rules/pii/keywords.yaml` | `{}` |",
        digest(&keywords)
    );
    assert!(r.stdout.contains(&row), "{}", r.stdout);
    // The runtime answers from this manifest...
    let route = |p: &Path| run(p, &["route", "--to", "local", "README.md"]);
    let r = route(p);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // ...and refuses it once a rule file changes, as after a policy change, even by a
    // comment: the file's bytes are what the manifest records.
    let text = std::fs::read_to_string(p.join(SIGNAL_FILE)).unwrap();
    write(p, SIGNAL_FILE, &text.replace("in-house", "internal"));
    let r = route(p);
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stderr
            .contains(&format!("provenance.rules[{SIGNAL_FILE}].digest")),
        "{}",
        r.stderr
    );
    // A new rule file, too.
    scan_manifest(p, &[]);
    write(
        p,
        ".tiergate/rules/secrets/context.yaml",
        "password_keywords: [kennwort]\n",
    );
    let r = route(p);
    assert!(
        r.stderr
            .contains("provenance.rules[.tiergate/rules/secrets/context.yaml]"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_repository_s_keyword_confirms_a_personal_number() {
    let dir = fixture("user-rules-pii");
    let p = dir.path();
    let m = scan_manifest(p, &[]);
    // `burgernummer` is the repository's word for the BSN keyword group; the same
    // valid number without a keyword stays a number.
    assert_eq!(tier_of(&m, "crm/klanten.txt"), 1);
    assert_eq!(codes_of(&m, "crm/klanten.txt"), vec!["personal-data"]);
    assert_eq!(tier_of(&m, "crm/orders.txt"), 3);
    std::fs::remove_dir_all(p.join(".tiergate")).unwrap();
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "crm/klanten.txt"), 3);
}

/// A password assignment whose value is the repository's configuration placeholder,
/// written at run time so that no file of this repository looks like one.
fn placeholder_config() -> String {
    format!("database:\n  password: {}{}\n", "AcmeLocal", "2024")
}

#[test]
fn a_repository_s_placeholder_silences_a_password_finding() {
    let dir = fixture("user-rules-secrets");
    let p = dir.path();
    write(p, "deploy/app.yaml", &placeholder_config());
    // Past the content limit too: the credentials are streamed over the whole file
    // with the same tables.
    write(
        p,
        "tiergate.yaml",
        "limits:\n  max_content_bytes: 4096\n  binary_sniff_bytes: 1024\n",
    );
    let large = format!("{}{}", "# padding\n".repeat(1000), placeholder_config());
    write(p, "deploy/large.yaml", &large);
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "deploy/app.yaml"), 3, "{}", m["files"]);
    assert_eq!(tier_of(&m, "deploy/large.yaml"), 3, "{}", m["files"]);
    std::fs::remove_dir_all(p.join(".tiergate")).unwrap();
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "deploy/app.yaml"), 1);
    assert_eq!(codes_of(&m, "deploy/app.yaml"), vec!["secret"]);
    assert_eq!(tier_of(&m, "deploy/large.yaml"), 1);
}

#[test]
fn a_shipped_id_taken_again_is_an_error_at_file_line_col_and_nothing_is_written() {
    let dir = fixture("user-rules-collision");
    let p = dir.path();
    for args in [
        &["scan"][..],
        &["ls"],
        &["explain", "hr/pick.py"],
        &["rules", "test"],
    ] {
        let r = run(p, args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(
                ".tiergate/rules/annex3/4a.yaml:4:9: error[duplicate-id]: signal `annex3.4a.resume_parser_import` is a shipped signal (rules/annex3/4a.yaml:5)"
            ),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    assert!(!p.join("tiergate.manifest.json").exists());
    let r = run(p, &["scan"]);
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
}

#[test]
fn legal_facts_and_zones_are_not_rule_files_of_a_repository() {
    let dir = fixture("user-rules-pii");
    let p = dir.path();
    write(p, ".tiergate/rules/legal/eu_ai_act.yaml", "points: {}\n");
    write(p, ".tiergate/rules/zones/builtin.yaml", "zones: {}\n");
    write(p, ".tiergate/rules/pii/extra.yaml", "x: 1\n");
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for want in [
        ".tiergate/rules/legal: error[not-extensible]: the legal facts",
        ".tiergate/rules/zones: error[not-extensible]: zones are not rule files: add them under `zones:` in tiergate.yaml",
        ".tiergate/rules/pii/extra.yaml: error[unknown-rule-file]",
    ] {
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
    }
}

#[test]
fn rule_directories_come_from_the_config_and_a_missing_one_is_fine() {
    let dir = fixture("user-rules-pii");
    let p = dir.path();
    std::fs::rename(p.join(".tiergate/rules"), p.join("knowledge")).unwrap();
    // Like a missing policy directory, a configured directory that is not there adds
    // nothing.
    write(
        p,
        "tiergate.yaml",
        "rule_files:\n  dirs: [knowledge, not/there]\n",
    );
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "crm/klanten.txt"), 1);
    assert_eq!(
        rule_provenance(&m)[1].0,
        "knowledge/pii/keywords.yaml".to_string()
    );
    write(p, "tiergate.yaml", "rule_files:\n  dirs: [../outside]\n");
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("tiergate.yaml:2:10: error[invalid-value]: rule directory `../outside`"),
        "{}",
        r.stderr
    );
}

/// (code, path) of every verdict of a check report.
fn verdicts(report: &serde_json::Value) -> Vec<(String, String)> {
    common::verdict_rows(report, |_| ())
        .into_iter()
        .map(|(c, p, ())| (c, p))
        .collect()
}

#[test]
fn a_rule_file_changed_in_a_staged_commit_is_judged_with_the_head_version() {
    let dir = fixture("user-rules-secrets");
    let p = dir.path();
    let rules = ".tiergate/rules/secrets/context.yaml";
    write(p, "deploy/app.yaml", &placeholder_config());
    git(p, &["init", "-q", "-b", "main"]);
    scan_manifest(p, &[]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    // HEAD's rule file judges a change that leaves it alone: the committed manifest
    // names it, so the header agrees.
    write(
        p,
        "deploy/README.md",
        "# Deploy\n\nWritten by the deploy job.\n",
    );
    scan_manifest(p, &[]);
    git(p, &["add", "-A"]);
    let (code, r) = check_json(p, &["--staged"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(verdicts(&r).is_empty(), "{r:#}");
    git(p, &["commit", "-q", "-m", "docs"]);

    // The change swaps the placeholder for a new value and teaches the rule file the
    // new value in the same commit: judged by HEAD's version, the value is a password.
    let text = std::fs::read_to_string(p.join(rules)).unwrap();
    write(p, rules, &text.replace("acmelocal2024", "acmestaging2025"));
    write(
        p,
        "deploy/app.yaml",
        &format!("database:\n  password: {}{}\n", "AcmeStaging", "2025"),
    );
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "deploy/app.yaml"), 3, "the new rules' manifest");
    git(p, &["add", "-A"]);
    let (code, r) = check_json(p, &["--staged"]);
    assert_eq!(code, 1, "{r:#}");
    let v = verdicts(&r);
    assert!(v.contains(&("policy-change".into(), rules.into())), "{r:#}");
    assert!(
        v.contains(&("tier-lowered".into(), "deploy/app.yaml".into())),
        "{r:#}"
    );
    let change = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "deploy/app.yaml")
        .unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(change["new_tier"], 1, "{r:#}");

    // The first of two steps: the manifest HEAD's rule files give (`scan --rules`
    // reads them from the commit), the rule change to review.
    let r = run(p, &["scan", "--rules", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = json(&std::fs::read_to_string(p.join("tiergate.manifest.json")).unwrap());
    assert_eq!(tier_of(&m, "deploy/app.yaml"), 1);
    let head_rules = git(p, &["show", &format!("HEAD:{rules}")]);
    assert_eq!(
        rule_provenance(&m)[1],
        (rules.to_string(), digest(head_rules.as_bytes()))
    );
    git(p, &["add", "-A"]);
    let (code, r) = check_json(p, &["--staged"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(
        verdicts(&r).contains(&("policy-change".into(), rules.into())),
        "{r:#}"
    );
}

#[test]
fn rules_test_runs_the_repository_s_examples_with_the_shipped_ones() {
    let dir = fixture("user-rules-annex3");
    let p = dir.path();
    let n = tiergate::detect::annex3::DEFS.len()
        + tiergate::detect::pii::SIGNAL_IDS.len()
        + tiergate::detect::secrets::SIGNAL_IDS.len()
        + tiergate::detect::media::SIGNAL_IDS.len();
    let r = run(p, &["rules", "test"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let m = n + 1;
    assert!(
        r.stdout.starts_with(&format!(
            "{m} signals, {m} with examples of both sides (100%);"
        )),
        "{}",
        r.stdout
    );
    // A no_match example that gives the signal fails at its line.
    let text = std::fs::read_to_string(p.join(SIGNAL_FILE)).unwrap();
    let broken = text.replace("# acme_cv_rank is not used here", "import acme_cv_rank");
    write(p, SIGNAL_FILE, &broken);
    let line = broken
        .lines()
        .position(|l| l.trim() == "no_match:")
        .unwrap()
        + 2;
    let r = run(p, &["rules", "test"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!(
            "FAIL {SIGNAL_FILE}:{line}: {SIGNAL}: a `no_match` example gave the signal (scanned as example.py)"
        )),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("FAIL ").count(), 1, "{}", r.stdout);
}

#[test]
fn a_repository_s_credential_format_makes_its_tokens_secrets() {
    let dir = fixture("user-rules-secrets");
    let p = dir.path();
    let token = format!("acmetok_{}", "Zr5Tq8LpWm2Xc7Vb4Nn9Hk3Jd6Fs1Ga0Ye4Ru8Io");
    write(p, "deploy/service.env", &format!("ACME_TOKEN={token}\n"));
    let m = scan_manifest(p, &[]);
    assert_eq!(tier_of(&m, "deploy/service.env"), 1, "{}", m["files"]);
    assert_eq!(codes_of(&m, "deploy/service.env"), vec!["secret"]);
    let e = run(p, &["explain", "deploy/service.env"]);
    assert!(
        e.stdout.contains("secret.acme_service_token")
            && e.stdout
                .contains("defined at .tiergate/rules/secrets/formats.yaml:3"),
        "{}",
        e.stdout
    );
    assert!(!e.stdout.contains(&token), "explain shows no matched text");
    // A shipped id, and an algorithm (they find the shipped signals), are errors.
    let formats = ".tiergate/rules/secrets/formats.yaml";
    let text = std::fs::read_to_string(p.join(formats)).unwrap();
    write(
        p,
        formats,
        &text.replace("secret.acme_service_token", "secret.github_token"),
    );
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            ".tiergate/rules/secrets/formats.yaml:3:9: error[duplicate-id]: signal `secret.github_token` is a shipped signal"
        ),
        "{}",
        r.stderr
    );
    write(
        p,
        formats,
        "signals:\n  - id: secret.acme_jwt\n    title: t\n    algorithm: jwt\n    examples:\n      match: [{path: a, text: a}]\n      no_match: [{path: a, text: b}]\n",
    );
    let r = run(p, &["scan"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("algorithm `jwt` finds a shipped signal"),
        "{}",
        r.stderr
    );
}
