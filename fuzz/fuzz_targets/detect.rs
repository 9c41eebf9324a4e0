//! The content detectors and their validators on arbitrary bytes. They must never
//! panic, must give the same signals for the same bytes, and a signal must carry only
//! names from the detector catalogue (never text of the file: the manifest must not
//! leak what it protects).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::{LazyLock, Mutex};
use tiergate::detect::{Scanner, validators};

/// Built-in families plus one custom detector of each flavour, built once: building the
/// automaton is the expensive part and no input changes it.
static SCANNER: LazyLock<Mutex<Scanner>> = LazyLock::new(|| {
    let config = tiergate::config::parse_str(
        "detectors:\n\
         \x20 - id: employee-id\n\
         \x20   category: personal-data\n\
         \x20   regex: \"EMP-([0-9]{6})\"\n\
         \x20   keywords: [employee]\n\
         \x20   proximity: 40\n\
         \x20   validator: luhn\n\
         \x20 - id: codename\n\
         \x20   keywords: [bluebird]\n",
        "tiergate.yaml",
    )
    .expect("the fuzz config is valid");
    let detectors = tiergate::detect::engine::Detectors::new(
        &config.detectors,
        tiergate::detect::BUILTIN_FAMILIES,
    )
    .expect("the detectors build");
    Mutex::new(detectors.scanner())
});

const FAMILIES: &[&str] = &[
    "secret.",
    "pii.",
    "health.",
    "special.",
    "special_field.",
    "annex3.",
    "custom.",
    // Public material and plain configuration, noted by the secrets family.
    "certificate.",
    "config.",
    // Images and recordings.
    "media.",
    // SQL text without rows, noted by the personal-data family.
    "schema.",
];

fuzz_target!(|data: &[u8]| {
    // The first byte picks the path, so path-dependent families (file kinds, dataset
    // headers) are reached too.
    let (path, content) = match data.split_first() {
        Some((b, rest)) => (
            [
                "src/a.py",
                "data/people.csv",
                "config/.env",
                "notes.txt",
                "m.parquet",
                "App.java",
            ][*b as usize % 6],
            rest,
        ),
        None => ("notes.txt", data),
    };
    let mut scanner = SCANNER.lock().unwrap_or_else(|e| e.into_inner());
    let signals = scanner.scan(path, content, false);
    let lines = memchr_count(content) + 1;
    for s in &signals {
        assert!(
            FAMILIES.iter().any(|f| s.id.starts_with(f))
                && s.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)),
            "signal id `{}` is not a catalogue name",
            s.id
        );
        assert!(
            s.category
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'),
            "signal category `{}` is not a catalogue name",
            s.category
        );
        assert!(s.count >= 1, "signal {} with count 0", s.id);
        assert!(
            s.line >= 1 && s.line as usize <= lines,
            "signal {} on line {} of {lines}",
            s.id,
            s.line
        );
    }
    // Same bytes, same answer: the scanner keeps per-file state between calls.
    assert_eq!(
        scanner.scan(path, content, false),
        signals,
        "a second scan differs"
    );
    // Binary content skips the text families but must not fail.
    let _ = scanner.scan(path, content, true);
    drop(scanner);

    // Every validator on the whole input and on each token of it.
    for token in
        std::iter::once(content).chain(content.split(|b| b.is_ascii_whitespace() || *b == b','))
    {
        for name in validators::VALIDATOR_NAMES {
            let check = validators::by_name(name).expect("every listed validator exists");
            let _ = check(token);
        }
        if validators::luhn(token) {
            assert!(
                token.iter().all(u8::is_ascii_digit),
                "luhn accepted a non-digit"
            );
        }
        if validators::payment_card(token) {
            let digits: Vec<u8> = token.iter().copied().filter(u8::is_ascii_digit).collect();
            assert!(
                validators::luhn(&digits) && validators::card_brand(&digits).is_some(),
                "a payment card without a brand or a Luhn check"
            );
        }
        let _ = validators::is_documentation_example(
            ["payment_card", "iban", "us_ssn", "fi_hetu"][token.len() % 4],
            token,
        );
    }
});

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}
