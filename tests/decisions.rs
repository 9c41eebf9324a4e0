//! The decision versions are current: what tiergate decides for every file of every
//! fixture repository is pinned in `tests/decisions.lock` together with the versions of
//! the decision steps (`DECISION_VERSIONS` in `src/decide/mod.rs`) that decided it.
//! Manifests compare those versions, not the release, to tell whether another tiergate
//! would decide alike; so a change of results without a change of version would let
//! two releases agree on a manifest one of them would write differently.
//!
//! When results change on purpose: raise the version of the step whose results changed
//! (`facts`, `secrets`, `pii`, `annex3`, `media` or `decide`), then rewrite the lock with
//! `TIERGATE_BLESS=1 cargo test --test decisions`. Blessing refuses changed results
//! under unchanged versions, unless the fixture's own files changed (the lock holds a
//! digest of them too): new inputs, not new decisions; or unless the shipped knowledge
//! manifests also record changed with them (the digests of the shipped policy packs and
//! of the tables the rule files give, pinned in the lock as `knowledge`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{fixture, fixtures, json, run};
use sha2::{Digest, Sha256};

const LOCK: &str = "tests/decisions.lock";
/// Exceptions are in force or not depending on the day: fixed, as the lock is.
const TODAY: &str = "2026-12-01";

/// The decision versions this build runs, from the manifest a scan writes.
fn decision_versions(manifest: &serde_json::Value) -> BTreeMap<String, u64> {
    manifest["provenance"]["decisions"]
        .as_object()
        .expect("the manifest records its decision versions")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// The shipped knowledge a manifest records: `shipped:rules` and every
/// `shipped:policies/…` pack, each with its digest.
fn knowledge(manifest: &serde_json::Value) -> BTreeMap<String, String> {
    let p = &manifest["provenance"];
    let rules = p["rules"].as_array().into_iter().flatten();
    let policies = p["policies"].as_array().into_iter().flatten();
    rules
        .chain(policies)
        .filter_map(|e| {
            let source = e["source"].as_str()?;
            let digest = e["digest"].as_str()?;
            source
                .starts_with("shipped:")
                .then(|| (source.to_string(), digest.to_string()))
        })
        .collect()
}

/// One line per file: path, tier, and every reason and Annex III flag, in the
/// manifest's order.
fn decided(manifest: &serde_json::Value) -> String {
    let mut out = String::new();
    for (path, e) in manifest["files"].as_object().unwrap() {
        out.push_str(&format!(
            "{path}\t{}\t{}\t{}\n",
            e["tier"], e["reasons"], e["annex_iii"]
        ));
    }
    out
}

fn digest(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Every fixture repository that scans (the ones that must not are left out by their
/// exit code, 2, which the lock pins as well).
fn current() -> (
    BTreeMap<String, u64>,
    BTreeMap<String, String>,
    BTreeMap<String, Pinned>,
) {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut versions = BTreeMap::new();
    let mut shipped = BTreeMap::new();
    let mut digests = BTreeMap::new();
    for name in names {
        let dir = fixture(&name);
        let out = dir.path().join("out.json");
        let r = run(
            dir.path(),
            &["--today", TODAY, "scan", "-o", out.to_str().unwrap()],
        );
        let entry = match r.code {
            0 => {
                let m = json(&std::fs::read_to_string(&out).unwrap());
                versions = decision_versions(&m);
                shipped.extend(knowledge(&m));
                digest(decided(&m).as_bytes())
            }
            code => format!("exit {code}"),
        };
        let files = content(&fixtures().join(&name));
        digests.insert(
            name,
            Pinned {
                files,
                decided: entry,
            },
        );
    }
    (versions, shipped, digests)
}

/// A fixture's files and what tiergate decides for them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pinned {
    files: String,
    decided: String,
}

/// A digest of the files of a fixture as the tests copy it (paths and bytes).
fn content(dir: &Path) -> String {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "tiergate.manifest.json" {
                continue;
            }
            let path = format!("{rel}{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{path}/"), out);
            } else {
                out.push((path, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files);
    files.sort();
    let mut all = Vec::new();
    for (path, bytes) in files {
        all.extend_from_slice(format!("{path}\0{}\0", bytes.len()).as_bytes());
        all.extend_from_slice(&bytes);
    }
    digest(&all)
}

fn render(
    versions: &BTreeMap<String, u64>,
    shipped: &BTreeMap<String, String>,
    digests: &BTreeMap<String, Pinned>,
) -> String {
    let fixtures: serde_json::Map<String, serde_json::Value> = digests
        .iter()
        .map(|(name, p)| {
            (
                name.clone(),
                serde_json::json!({ "files": p.files, "decided": p.decided }),
            )
        })
        .collect();
    let lock =
        serde_json::json!({ "decisions": versions, "knowledge": shipped, "fixtures": fixtures });
    serde_json::to_string_pretty(&lock).unwrap() + "\n"
}

#[test]
fn the_decision_versions_change_whenever_the_decisions_do() {
    let (versions, shipped, digests) = current();
    assert!(!versions.is_empty(), "no fixture scanned");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(LOCK);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let lock: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let locked_versions: BTreeMap<String, u64> = lock["decisions"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    let locked_shipped: BTreeMap<String, String> =
        serde_json::from_value(lock["knowledge"].clone()).unwrap_or_default();
    // Fixtures whose files are those locked and whose decisions are not.
    let changed: Vec<&String> = digests
        .iter()
        .filter(|(name, p)| {
            let locked = &lock["fixtures"][name.as_str()];
            locked["files"].as_str() == Some(p.files.as_str())
                && locked["decided"].as_str() != Some(p.decided.as_str())
        })
        .map(|(name, _)| name)
        .collect();
    let removed = lock["fixtures"]
        .as_object()
        .is_some_and(|o| o.keys().any(|k| !digests.contains_key(k)));
    let bless = std::env::var_os("TIERGATE_BLESS").is_some();
    if !changed.is_empty() && versions == locked_versions && shipped == locked_shipped {
        panic!(
            "the decisions over fixtures {changed:?} changed while the decision versions \
             ({versions:?}) and the shipped packs and rules did not: raise the version of the \
             step whose results changed in DECISION_VERSIONS (src/decide/mod.rs), then run \
             `TIERGATE_BLESS=1 cargo test --test decisions`"
        );
    }
    let rendered = render(&versions, &shipped, &digests);
    if rendered == text {
        return;
    }
    if bless {
        std::fs::write(&path, rendered).unwrap();
        return;
    }
    panic!(
        "{LOCK} is not current (versions {locked_versions:?} -> {versions:?}, fixtures changed {changed:?}, \
         fixtures removed: {removed}): run `TIERGATE_BLESS=1 cargo test --test decisions` and review the diff"
    );
}
