//! Personal data as a careful reviewer judges it: one fixture repository per scenario
//! (fixtures/pii-*), each a real git repository, asserted through
//! `tiergate ls --format json`. Each expectation is (path, tier, rule of the deciding
//! finding), with why in a comment where it is a trap.

mod common;

use common::*;

type Expect = (&'static str, u64, &'static str);

fn check(fixture_name: &str, expected: &[Expect]) {
    let dir = fixture(fixture_name);
    git_commit_all(dir.path());
    let recs = ls(dir.path());
    let listed: Vec<&str> = recs.iter().map(|x| x["path"].as_str().unwrap()).collect();
    let want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    assert_eq!(listed, want, "{fixture_name}: files listed");
    for (path, tier, rule) in expected {
        let rec = record(&recs, path);
        assert_eq!(rec["tier"], *tier, "{fixture_name}/{path}: {rec}");
        assert_eq!(
            rec["reasons"][0]["rule"], *rule,
            "{fixture_name}/{path}: {rec}"
        );
    }
}

/// Special-category words are data only as records with values; code and schemas that
/// declare such fields are at most tier 2; prose, comments, labels, constants and
/// class names are nothing.
#[test]
fn vocabulary_is_not_data() {
    check(
        "pii-vocabulary",
        &[
            // Explains face encodings: prose.
            ("README.md", 3, "default_tier"),
            // JSON Schema, a Django model, protobuf, a JPA entity: declared fields.
            ("api/patient.schema.json", 2, "special-category-schema"),
            ("app/models.py", 2, "special-category-schema"),
            // Reads a posted field: code that uses a name declares nothing.
            ("app/views.py", 3, "default_tier"),
            // A dump with rows is data; the schema without rows is not, nor a dump
            // (schema.sql_without_rows): it declares special-category fields.
            ("db/dump.sql", 1, "health-columns"),
            ("db/schema.sql", 2, "special-category-schema"),
            ("docs/data-model.md", 3, "default_tier"),
            ("fixtures/patients.json", 1, "health-columns"),
            ("proto/patient.proto", 2, "special-category-schema"),
            // A class named Race.
            ("sim/Race.py", 3, "default_tier"),
            (
                "src/main/java/org/ehr/api/Patient.java",
                2,
                "special-category-schema",
            ),
            // Privilege constants named after diagnoses and the HIV programme.
            (
                "src/main/java/org/ehr/api/PrivilegeConstants.java",
                3,
                "default_tier",
            ),
            // UI labels `Race`, `HIV Program`.
            (
                "src/main/resources/messages_en.properties",
                3,
                "default_tier",
            ),
            // A comment about a race condition.
            ("tests/test_scheduler.py", 3, "default_tier"),
            // A translation file.
            ("web/i18n/en.json", 3, "default_tier"),
        ],
    );
}

/// A national identifier needs its keyword or its column; machine output holds no
/// one's data.
#[test]
fn numbers_need_context() {
    check(
        "pii-numbers",
        &[
            // Build ids and timestamps shaped like personnummer, hashes, a UUID.
            ("data/checksums.txt", 3, "default_tier"),
            // A column of personnummer under a header without keyword: its column.
            ("data/clients.csv", 1, "personal-identifier"),
            // Liquibase changeSet ids (20110915-0803) that pass the personnummer check.
            ("db/changelog/db.changelog-1.9.xml", 3, "default_tier"),
            // A LightGBM dump whose counts pass the NIR check, an XGBoost dump.
            ("model/lgbm_model.txt", 3, "default_tier"),
            ("model/xgb_dump.txt", 3, "default_tier"),
            // With its keyword.
            ("notes/customer.txt", 1, "personal-identifier"),
            // A lockfile's maintainers and a minified bundle's IP table.
            ("php/composer.lock", 3, "default_tier"),
            ("static/app.min.js", 3, "default_tier"),
        ],
    );
}

/// Tables are judged by header and values together.
#[test]
fn tables_by_header_and_values() {
    check(
        "pii-tables",
        &[
            // A card charge is no offence.
            ("data/billing.csv", 3, "default_tier"),
            // Parquet: per-person yes/no conditions from the footer's names and types.
            ("data/conditions.parquet", 1, "health-columns"),
            // Offences per person: GDPR Art 10.
            ("data/court_cases.csv", 1, "criminal-record"),
            // A user's logins and logouts: events about a person (a pseudonymous id is
            // still personal data).
            ("data/events.jsonl", 2, "person-events"),
            // Conditions per person, none of the words a special-category term.
            ("data/health_conditions.csv", 1, "health-columns"),
            // Names with dates of birth.
            ("data/people.csv", 2, "person-records"),
            ("data/products.csv", 3, "default_tier"),
            // The same condition names holding regional rates: no person.
            ("data/region_rates.csv", 3, "default_tier"),
            // A header without rows: a template.
            (
                "data/registration_template.csv",
                2,
                "special-category-schema",
            ),
            ("data/sensors.parquet", 3, "content-not-scanned"),
            // JSON lines of ICD-10 codes.
            ("data/visits.jsonl", 1, "diagnosis-codes"),
        ],
    );
}

/// A Parquet file past the content limit is read for its schema at its end: the
/// footer the secrets family's stream reads last.
#[test]
fn a_large_parquet_file_is_judged_by_its_footer() {
    let dir = fixture("pii-tables");
    std::fs::write(
        dir.path().join("tiergate.yaml"),
        "limits:\n  max_content_bytes: 512\n  binary_sniff_bytes: 256\n",
    )
    .unwrap();
    git_commit_all(dir.path());
    let recs = ls(dir.path());
    let rec = record(&recs, "data/conditions.parquet");
    assert!(
        std::fs::metadata(dir.path().join("data/conditions.parquet"))
            .unwrap()
            .len()
            > 512
    );
    assert_eq!(rec["tier"], 1, "{rec}");
    assert_eq!(rec["reasons"][0]["rule"], "health-columns", "{rec}");
}
