//! The gitignore-dialect export round trip: a file list with tiers made from the input
//! (any names: spaces, `*`, `?`, `[`, `]`, `\`, `#`, `!`, trailing spaces, unicode) and a
//! few rule globs; the exported block must exclude every protected path under an
//! independent gitignore matcher, never start a line with `!` (a negation) and never use
//! a `[...]` class (an escaped `\[` in a literal name is not one).
#![no_main]

use ignore::gitignore::GitignoreBuilder;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use tiergate::export::gitignore::{self, Listed};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines: `<tier digit><path>` lists a file; `=<glob>` is a rule glob for files that
    // appear later.
    let mut files: BTreeMap<String, bool> = BTreeMap::new();
    let mut globs = Vec::new();
    for line in text.split('\n') {
        if let Some(g) = line.strip_prefix('=') {
            if tiergate::config::build_glob(g).is_ok() {
                globs.push(g.to_string());
            }
            continue;
        }
        let mut chars = line.chars();
        let Some(tier) = chars.next().and_then(|c| c.to_digit(10)) else {
            continue;
        };
        let path = chars.as_str();
        // What a manifest can hold: repo-relative, no empty, `.` or `..` segment.
        if path.is_empty()
            || path.contains(['\0', '\r'])
            || path
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            continue;
        }
        // Tier 1 and 2 are protected from a destination accepting tier 3.
        files.insert(path.to_string(), tier < 3);
    }
    // A name cannot be both a file and a directory.
    let keys: Vec<String> = files.keys().cloned().collect();
    files.retain(|p, _| {
        !keys.iter().any(|k| {
            k.len() > p.len() && k.starts_with(p.as_str()) && k.as_bytes()[p.len()] == b'/'
        })
    });
    let listed: Vec<Listed<'_>> = files
        .iter()
        .map(|(path, &protected)| Listed { path, protected })
        .collect();
    let patterns = match gitignore::patterns(&listed, &globs) {
        Ok(p) => p,
        Err(bad) => panic!("names without a newline were refused: {bad:?}"),
    };
    assert!(!patterns.is_empty(), "an empty exclusion list");
    for p in &patterns {
        assert!(
            p.starts_with('/'),
            "pattern {p:?} is not anchored at the root"
        );
        assert!(!p.contains('\n'), "pattern {p:?} spans lines");
        assert_no_class(p);
    }
    let file = gitignore::merge(None, &patterns, "fuzz: header");
    // tiergate's own check, then an independent matcher built from the written text.
    let cov = gitignore::verify(&file, &listed).expect("the export parses");
    assert!(
        cov.uncovered.is_empty(),
        "verify finds uncovered paths: {:?}",
        cov.uncovered
    );
    let mut b = GitignoreBuilder::new("/");
    for line in file.lines() {
        b.add_line(None, line).expect("every exported line parses");
    }
    let m = b.build().expect("the export builds");
    for f in listed.iter().filter(|f| f.protected) {
        assert!(
            m.matched_path_or_any_parents(format!("/{}", f.path), false)
                .is_ignore(),
            "protected {:?} is not excluded by {patterns:?}",
            f.path
        );
    }
});

/// No unescaped `[`: every `[` is preceded by an odd run of backslashes.
fn assert_no_class(p: &str) {
    let b = p.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'[' {
            let slashes = b[..i].iter().rev().take_while(|&&x| x == b'\\').count();
            assert!(slashes % 2 == 1, "pattern {p:?} has a character class");
        }
    }
}
