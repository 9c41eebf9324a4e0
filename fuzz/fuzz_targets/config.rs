//! The config loader and the exceptions parser on arbitrary bytes: they must answer with
//! a value or located diagnostics, never panic, and a config they accept must be usable
//! (its detectors compile, as a scan would build them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static DEFAULTS: LazyLock<tiergate::config::Config> = LazyLock::new(tiergate::config::defaults);

fuzz_target!(|data: &[u8]| {
    // One input drives both parsers: the exceptions parser takes bytes (it checks
    // UTF-8 itself), the config parser text.
    match tiergate::config::parse_exceptions(data, "tiergate.exceptions.yaml", &DEFAULTS) {
        Ok(file) => {
            for x in &file.exceptions {
                // An accepted exception names a configured tier: the decision that
                // applies it must find the tier.
                assert!(
                    DEFAULTS.tier(x.tier).is_some(),
                    "exception with unknown tier {}",
                    x.tier
                );
            }
        }
        Err(d) => assert!(!d.0.is_empty(), "an error without a diagnostic"),
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match tiergate::config::parse_str(text, "tiergate.yaml") {
        Ok(config) => {
            assert!(
                config.tier(config.default_tier).is_some(),
                "the default tier {} is not configured",
                config.default_tier
            );
            for d in &config.destinations {
                assert!(
                    config.tier(d.accepts).is_some(),
                    "destination {} accepts an unknown tier",
                    d.name
                );
            }
            // The config loader vets custom detectors, so building them cannot fail.
            if let Err(d) = tiergate::detect::engine::Detectors::new(
                &config.detectors,
                tiergate::detect::BUILTIN_FAMILIES,
            ) {
                panic!("an accepted config whose detectors do not build: {d:?}");
            }
            // An accepted config also judges exceptions against its own tiers.
            let _ = tiergate::config::parse_exceptions(data, "tiergate.exceptions.yaml", &config);
        }
        Err(d) => assert!(!d.0.is_empty(), "an error without a diagnostic"),
    }
});
