//! The hook's shell analysis on arbitrary command lines: it must answer (a list of
//! accesses or a refusal) without panicking, and deterministically.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(command) = std::str::from_utf8(data) else {
        return;
    };
    let first = tiergate::hook::analyze(command);
    let second = tiergate::hook::analyze(command);
    assert_eq!(first, second, "the analysis is not deterministic");
});
