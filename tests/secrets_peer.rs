//! Credential coverage against a peer scanner's own rule tests (issue 21): the true- and
//! false-positive examples of gitleaks' rule generators and values drawn from its
//! patterns, kept compressed in `tests/data/secrets-peer/cases.jsonl.gz` (provenance in
//! the README there; `bench/secrets-peer.py --export` writes it).
//!
//! Every case becomes one file of a neutral repository (`cases/00042.txt`, or
//! `cases/00042/<its path>` for a rule limited to some file names), scanned once. A case
//! deviates when it is a peer true positive tiergate does not flag, or a peer false
//! positive it flags. Each deviation is reviewed in `deviations.yaml` under a category and
//! a reason: the test fails on a deviation that is not listed (a regression, or new
//! coverage of the peer to review) and on a listed case that no longer deviates (the list
//! shrinks as coverage grows). It prints the figures per origin and per category, and
//! holds the floors of the file's `bar`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Deserialize;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/secrets-peer")
}

/// The case file's first line: where the cases come from.
#[derive(Deserialize)]
struct Meta {
    peer: String,
    commit: String,
    seed: u64,
    drawn: u64,
}

#[derive(Deserialize)]
struct Case {
    key: String,
    rule: String,
    kind: Kind,
    origin: Origin,
    path: Option<String>,
    text: String,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Tp,
    Fp,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "lowercase")]
enum Origin {
    Fixed,
    Drawn,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deviations {
    peer_commit: String,
    bar: Bar,
    categories: BTreeMap<String, Category>,
    deviations: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bar {
    fixed_recall: f64,
    drawn_recall: f64,
    false_positives: usize,
    real_looking_recall: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Category {
    side: Kind,
    real_looking: bool,
    #[allow(dead_code)]
    means: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    category: String,
    reason: String,
    cases: Vec<String>,
}

fn load_cases() -> (Meta, Vec<Case>) {
    let file = std::fs::File::open(data().join("cases.jsonl.gz")).expect("the case file");
    let mut lines = std::io::BufReader::new(flate2::read::GzDecoder::new(file)).lines();
    let meta: Meta = serde_json::from_str(&lines.next().expect("a header line").unwrap())
        .expect("the header line");
    let cases = lines
        .map(|l| serde_json::from_str(&l.unwrap()).expect("a case line"))
        .collect();
    (meta, cases)
}

/// The deviations file, checked: known categories on the right side, every case listed
/// once and present in the case file.
fn load_deviations(cases: &[Case]) -> (Deviations, BTreeMap<String, (String, String)>) {
    let text = std::fs::read_to_string(data().join("deviations.yaml")).unwrap();
    let dev: Deviations = serde_saphyr::from_str(&text).expect("deviations.yaml");
    let kinds: BTreeMap<&str, Kind> = cases.iter().map(|c| (c.key.as_str(), c.kind)).collect();
    let mut listed = BTreeMap::new();
    let mut problems = Vec::new();
    for g in &dev.deviations {
        let Some(cat) = dev.categories.get(&g.category) else {
            problems.push(format!("unknown category {}", g.category));
            continue;
        };
        if g.reason.trim().is_empty() || g.reason.contains('\n') {
            problems.push(format!("{}: a reason is one line", g.category));
        }
        for key in &g.cases {
            match kinds.get(key.as_str()) {
                None => problems.push(format!("{key}: no such case")),
                Some(&k) if k != cat.side => problems.push(format!(
                    "{key}: a {k:?} case under {} (a {:?} category)",
                    g.category, cat.side
                )),
                Some(_) => {}
            }
            if listed
                .insert(key.clone(), (g.category.clone(), g.reason.clone()))
                .is_some()
            {
                problems.push(format!("{key}: listed twice"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "deviations.yaml:\n{}",
        problems.join("\n")
    );
    (dev, listed)
}

/// Which cases tiergate flags: a finding of the shipped secrets pack at any tier (test
/// keys are tier 2), or a file name that marks a key store (the peer's `pkcs12-file`).
fn flagged(cases: &[Case]) -> BTreeSet<usize> {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path().join("cases");
    let mut names = BTreeMap::new();
    for (n, c) in cases.iter().enumerate() {
        let name = match &c.path {
            Some(p) => format!("{n:05}/{p}"),
            None => format!("{n:05}.txt"),
        };
        let file = root.join(&name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, format!("{}\n", c.text)).unwrap();
        names.insert(format!("cases/{name}"), n);
    }
    let r = common::run(repo.path(), &["ls", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listing = common::json(&r.stdout);
    let records = listing.as_array().unwrap();
    assert_eq!(records.len(), cases.len(), "one record per case");
    records
        .iter()
        .filter(|f| {
            f["reasons"].as_array().unwrap().iter().any(|x| {
                x["source"]
                    .as_str()
                    .is_some_and(|s| s.contains("policies/secrets.rego"))
                    || x["code"] == "credential-file"
            })
        })
        .map(|f| names[f["path"].as_str().unwrap()])
        .collect()
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

/// A case as a reviewer reads it in a failure: its key and an excerpt of its text.
fn show(c: &Case) -> String {
    let text: String = c.text.chars().take(160).collect();
    let path = c
        .path
        .as_deref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    format!("{}{path}: {text:?}", c.key)
}

#[test]
fn the_peer_rule_tests_deviate_only_as_reviewed() {
    let (meta, cases) = load_cases();
    let (dev, listed) = load_deviations(&cases);
    assert_eq!(
        meta.commit, dev.peer_commit,
        "the cases come from another peer commit than deviations.yaml was reviewed for"
    );
    let hits = flagged(&cases);

    let mut unlisted = Vec::new();
    let mut stale = Vec::new();
    // (origin, kind) -> (flagged, total)
    let mut by_origin: BTreeMap<(Origin, Kind), (usize, usize)> = BTreeMap::new();
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut real_found, mut real_total) = (0, 0);
    for (n, c) in cases.iter().enumerate() {
        let hit = hits.contains(&n);
        let deviates = (c.kind == Kind::Tp) != hit;
        let entry = by_origin.entry((c.origin, c.kind)).or_default();
        entry.0 += usize::from(hit);
        entry.1 += 1;
        let listing = listed.get(&c.key);
        match (deviates, listing) {
            (true, None) => unlisted.push(c),
            (false, Some(_)) => stale.push(c),
            _ => {}
        }
        if let Some((category, _)) = listing {
            *by_category.entry(category).or_default() += 1;
        }
        if c.kind == Kind::Tp {
            let real = listing.is_none_or(|(category, _)| dev.categories[category].real_looking);
            if real {
                real_total += 1;
                real_found += usize::from(hit);
            }
        }
    }

    println!(
        "{} cases of {} at {} (seed {}, {} drawn per rule)",
        cases.len(),
        meta.peer,
        meta.commit,
        meta.seed,
        meta.drawn
    );
    for ((origin, kind), (hit, total)) in &by_origin {
        let origin = match origin {
            Origin::Fixed => "fixed",
            Origin::Drawn => "drawn",
        };
        let what = match kind {
            Kind::Tp => "true positives found",
            Kind::Fp => "false positives flagged",
        };
        println!(
            "{origin}: {what} {hit}/{total} ({:.1}%)",
            percent(*hit, *total)
        );
    }
    println!(
        "real-looking true positives found {real_found}/{real_total} ({:.2}%)",
        percent(real_found, real_total)
    );
    let rules: BTreeSet<&str> = cases.iter().map(|c| c.rule.as_str()).collect();
    println!("rules with cases: {}", rules.len());
    for (category, count) in &by_category {
        println!("deviations, {category}: {count}");
    }

    let mut problems = Vec::new();
    if !unlisted.is_empty() {
        problems.push(format!(
            "{} cases deviate from the peer and are not in deviations.yaml (a true positive \
             not flagged, or a false positive flagged): fix the regression, or review each \
             and list it under a category with a reason:\n{}",
            unlisted.len(),
            unlisted
                .iter()
                .map(|c| show(c))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if !stale.is_empty() {
        problems.push(format!(
            "{} cases listed in deviations.yaml no longer deviate: remove them:\n{}",
            stale.len(),
            stale
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));

    let ratio = |origin, kind| {
        let (hit, total) = by_origin[&(origin, kind)];
        hit as f64 / total as f64
    };
    let fixed = ratio(Origin::Fixed, Kind::Tp);
    assert!(
        fixed >= dev.bar.fixed_recall,
        "fixed recall {fixed:.4} < {}",
        dev.bar.fixed_recall
    );
    let drawn = ratio(Origin::Drawn, Kind::Tp);
    assert!(
        drawn >= dev.bar.drawn_recall,
        "drawn recall {drawn:.4} < {}",
        dev.bar.drawn_recall
    );
    let fps: usize = by_origin
        .iter()
        .filter(|((_, kind), _)| *kind == Kind::Fp)
        .map(|(_, (hit, _))| hit)
        .sum();
    assert!(
        fps <= dev.bar.false_positives,
        "{fps} peer false positives flagged > {}",
        dev.bar.false_positives
    );
    let real = real_found as f64 / real_total as f64;
    assert!(
        real >= dev.bar.real_looking_recall,
        "real-looking recall {real:.4} < {}",
        dev.bar.real_looking_recall
    );
}

/// The cases stay compressed, so no scanner reads them as leaks: tiergate's own scan of
/// the directory that holds them finds no credential.
#[test]
fn the_vendored_cases_look_like_no_credential_to_a_scanner() {
    let r = common::run(&data(), &["ls", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listing = common::json(&r.stdout);
    let files = listing.as_array().unwrap();
    assert!(files.len() >= 3, "{files:?}");
    for f in files {
        let secret = f["reasons"].as_array().unwrap().iter().any(|x| {
            x["source"]
                .as_str()
                .is_some_and(|s| s.contains("policies/secrets.rego"))
        });
        assert!(!secret, "{} reads as a credential: {f}", f["path"]);
    }
}
