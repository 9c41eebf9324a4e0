//! The manifest readers on arbitrary text: the indexed view (`ManifestView`), the
//! positioned-read lookup (`Lookup`, from a file) and the whole parse must never panic,
//! must agree with each other, and every path must resolve fail-closed: a listed file
//! to its entry, a directory to its most restrictive file, anything else to the
//! manifest's unlisted tier.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tiergate::manifest::{Lookup, Manifest, ManifestView};

/// One file per fuzzing process, rewritten for each input: `Lookup` reads from disk.
static SCRATCH: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a scratch directory"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let view = ManifestView::parse(text.to_string(), "fuzz.json");
    let path = SCRATCH.path().join("tiergate.manifest.json");
    std::fs::write(&path, data).expect("the scratch file is writable");
    let lookup = Lookup::open(&path, "fuzz.json");
    let (view, lookup) = match (view, lookup) {
        (Ok(v), Ok(l)) => (v, l),
        (Err(_), Err(_)) => return,
        // The lookup reads the header and then only the entry lines a query needs (that
        // is its point), so a broken entry elsewhere is not seen at open; queries must
        // still answer or fail, never panic.
        (Err(_), Ok(l)) => {
            for probe in ["", "src", "src/app/main.py", ".env", "zzz"] {
                let _ = l.resolve(probe);
            }
            return;
        }
        (v, l) => panic!(
            "the readers disagree on whether this is a manifest: view {:?}, lookup {:?}",
            v.err(),
            l.err()
        ),
    };
    assert_eq!(
        &view.header,
        lookup.header(),
        "the readers see different headers"
    );
    let Ok(m) = view.to_manifest() else {
        // An entry line that does not parse: every lookup of that path must fail too,
        // never answer.
        return;
    };
    // The canonical rendering reads back to the same manifest.
    let again = Manifest::from_json(&m.to_json(), "again.json").expect("canonical JSON parses");
    assert_eq!(again, m, "the canonical rendering does not round-trip");
    let mut probes: Vec<String> = Vec::new();
    for p in m.files.keys().take(64) {
        probes.push(p.clone());
        // Every ancestor directory too, and a sibling that is not listed.
        let mut dir = p.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            probes.push(parent.to_string());
            dir = parent;
        }
        probes.push(format!("{p}.unlisted-probe"));
    }
    probes.push(String::new());
    for probe in &probes {
        let want = m.resolve(probe);
        check_resolution(&m, probe, &want);
        match view.resolve(probe) {
            Ok(r) => assert_eq!(r, want, "the view resolves `{probe}` differently"),
            Err(e) => panic!("the view fails on `{probe}` of a manifest that parsed: {e:?}"),
        }
        match lookup.resolve(probe) {
            Ok(r) => assert_eq!(r, want, "the lookup resolves `{probe}` differently"),
            Err(e) => panic!("the lookup fails on `{probe}` of a manifest that parsed: {e:?}"),
        }
    }
});

/// Fail closed: what a resolution must be, from the file list alone.
fn check_resolution(m: &Manifest, probe: &str, r: &tiergate::manifest::Resolution) {
    if let Some(e) = m.files.get(probe) {
        assert!(
            r.listed && r.tier == e.tier,
            "`{probe}` does not resolve to its entry"
        );
        return;
    }
    let prefix = format!("{probe}/");
    let under: Vec<u8> = m
        .files
        .iter()
        .filter(|(p, _)| probe.is_empty() || p.starts_with(&prefix))
        .map(|(_, e)| e.tier)
        .collect();
    match under.iter().min() {
        Some(&worst) => assert_eq!(
            r.tier, worst,
            "directory `{probe}` is not its most restrictive file"
        ),
        None => assert!(
            !r.listed && r.tier == m.unlisted.tier,
            "unlisted `{probe}` does not take the unlisted tier"
        ),
    }
}
