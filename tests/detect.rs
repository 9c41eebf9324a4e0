//! Content detectors and the shipped packs end to end, through `tiergate ls --format json`:
//! one repository per detector family (built here so no credential-shaped literal sits in
//! the source tree) and the Annex III fixture repositories under fixtures/annex3-*.

mod common;

use common::*;
use serde_json::Value;

fn codes(rec: &Value) -> Vec<String> {
    rec["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

fn write(dir: &std::path::Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn secrets_are_tier_1_and_never_copied_into_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let key_body = "MIIEpAIBAAKCAQEA7q2dV9mW3bq8sZ9uN1xKf0aLr2Tq4Yy8pS1cVb6n3eH0gJ5w";
    write(
        p,
        "deploy/id_key.txt",
        &format!("-----BEGIN RSA PRIVATE KEY-----\n{key_body}\n-----END RSA PRIVATE KEY-----\n"),
    );
    // The last six characters are the CRC32 checksum real GitHub tokens carry.
    let token = format!("ghp_{}", "Zq8mN3vL5xR7tY2wB9cK4hJ6pD1sF03TUU45");
    write(
        p,
        "ci/publish.sh",
        &format!("#!/bin/sh\nexport GITHUB_TOKEN={token}\n"),
    );
    write(
        p,
        "docs/aws.md",
        "Use the documentation key AKIAIOSFODNN7EXAMPLE in examples.\n",
    );
    write(
        p,
        "config/app.yaml",
        "database:\n  password: ${DB_PASSWORD}\n",
    );
    write(p, "src/ok.py", "print('hello')\n");

    let recs = ls(p);
    let key = record(&recs, "deploy/id_key.txt");
    assert_eq!(key["tier"], 1, "{key}");
    assert!(codes(key).contains(&"secret".to_string()), "{key}");
    assert_eq!(record(&recs, "ci/publish.sh")["tier"], 1);
    // Documentation examples and placeholders are not secrets.
    assert_eq!(record(&recs, "docs/aws.md")["tier"], 3);
    assert_eq!(record(&recs, "config/app.yaml")["tier"], 3);
    assert_eq!(record(&recs, "src/ok.py")["tier"], 3);

    // The manifest and every output name the finding, never the secret.
    let m = run(p, &["scan", "-o", "-", "--include-untracked"]);
    assert_eq!(m.code, 0);
    let ex = run(p, &["explain", "ci/publish.sh", "--format", "json"]);
    for out in [&m.stdout, &ex.stdout] {
        assert!(!out.contains(&token), "secret leaked into output");
        assert!(!out.contains(key_body), "key leaked into output");
    }
    let e = json(&ex.stdout);
    let ids: Vec<&str> = e["facts"]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["secret.github_token"]);
    assert_eq!(e["facts"]["signals"][0]["line"], 2);
}

#[test]
fn personal_data_with_validators_and_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "exports/customers.csv",
        "name,email,iban,credit_card\n\
         Ana,ana.perez@mailbox.eu,DE50526018159083016613,4960308246281940\n",
    );
    // One changed digit: the checksums fail, nothing is reported.
    write(
        p,
        "exports/near_miss.csv",
        "name,iban,credit_card\nBo,DE50526018159083016623,4960308246281941\n",
    );
    // Published test card numbers are documentation, not cardholder data.
    write(
        p,
        "docs/testing.md",
        "Use the test card 4242 4242 4242 4242 in staging.\n",
    );
    write(
        p,
        "research/cohort.csv",
        "participant_id,age,ethnicity,religion,diagnosis\n1,40,x,y,z\n",
    );

    let recs = ls(p);
    let customers = record(&recs, "exports/customers.csv");
    assert_eq!(customers["tier"], 1, "{customers}");
    let c = codes(customers);
    assert!(c.contains(&"cardholder-data".to_string()), "{c:?}");
    assert!(c.contains(&"bank-account-data".to_string()), "{c:?}");
    assert_eq!(record(&recs, "exports/near_miss.csv")["tier"], 3);
    assert_eq!(record(&recs, "docs/testing.md")["tier"], 3);
    let cohort = record(&recs, "research/cohort.csv");
    assert_eq!(cohort["tier"], 1);
    assert!(
        codes(cohort).contains(&"special-category-data".to_string()),
        "{cohort}"
    );
}

#[test]
fn custom_detectors_from_config() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "tiergate.yaml",
        "detectors:\n  - id: employee-id\n    category: personal-data\n    regex: \"EMP-[0-9]{6}\"\n    keywords: [employee]\n    confidence: high\n",
    );
    write(
        p,
        ".tiergate/policies/hr.rego",
        "package tiergate.custom.hr\n\nimport rego.v1\n\nfindings contains {\"code\": \"employee-record\", \"tier\": 1, \"rule\": \"employee-ids\", \"reason\": \"Employee identifiers\"} if {\n\tsome s in input.file.signals\n\ts.id == \"custom.employee-id\"\n}\n",
    );
    write(p, "hr/roster.txt", "employee EMP-123456 joined\n");
    write(p, "hr/other.txt", "nothing here\n");
    let recs = ls(p);
    let roster = record(&recs, "hr/roster.txt");
    assert_eq!(roster["tier"], 1, "{roster}");
    assert_eq!(
        roster["reasons"][0]["source"],
        ".tiergate/policies/hr.rego:5"
    );
    assert_eq!(record(&recs, "hr/other.txt")["tier"], 3);

    write(
        p,
        "tiergate.yaml",
        "detectors:\n  - id: broken\n    regex: \"EMP-[0-9\"\n",
    );
    let r = run(p, &["ls"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tiergate.yaml:3:"), "{}", r.stderr);
}

#[test]
fn policy_commands() {
    let dir = fixture("custom-policy");
    let r = run(dir.path(), &["policy", "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("tiergate.custom.models"), "{}", r.stdout);
    assert!(
        r.stdout.contains("tiergate.eu_ai_act_annex_iii"),
        "{}",
        r.stdout
    );

    let r = run(dir.path(), &["policy", "test"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("coverage"), "{}", r.stdout);
    assert!(r.stdout.trim_end().ends_with("0 failed"), "{}", r.stdout);

    // A failing repository test fails the command with exit 1 and names the test.
    write(
        dir.path(),
        ".tiergate/policies/models_test.rego",
        "package tiergate.custom.models_test\n\nimport rego.v1\n\ntest_always_fails if {\n\tfalse\n}\n",
    );
    let r = run(dir.path(), &["policy", "test"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FAIL"), "{}", r.stdout);
    assert!(r.stdout.contains("test_always_fails"), "{}", r.stdout);

    let bad = fixture("bad-policy");
    let r = run(bad.path(), &["policy", "check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".tiergate/policies/broken.rego:7:"),
        "{}",
        r.stderr
    );
}
