//! The built-in configuration: default tiers, destinations, limits, and the built-in
//! zones that shipped Rego packs refer to by name. Also the canonical rendering whose
//! digest identifies "no config file" in manifest provenance.

use super::{Config, Limits, Loc, PolicyConfig, Zone};
use crate::model::{Destination, DestinationKind, Tier, TierId};

pub(super) const DEFAULT_TIER: TierId = 3;
pub(super) const DEFAULT_POLICY_DIR: &str = ".tiergate/policies";
pub(super) const DEFAULT_MAX_INSTRUCTIONS: u64 = 5_000_000;
/// A normal evaluation of every shipped pack takes well under a millisecond; two
/// seconds leaves room for a loaded machine and for large repository policies.
pub(super) const DEFAULT_MAX_EVAL_MS: u64 = 2_000;
pub(super) const DEFAULT_MAX_CONTENT_BYTES: u64 = 8 << 20;
pub(super) const DEFAULT_BINARY_SNIFF_BYTES: u64 = 8 << 10;

/// `Loc.file` of everything tiergate defines itself.
pub const BUILTIN_FILE: &str = "builtin";

// The built-in zones (`BUILTIN_ZONES`) are generated from `rules/zones/builtin.yaml`.
#[rustfmt::skip]
mod zones;
use zones::BUILTIN_ZONES;

/// The zones that exist in every configuration, in a fixed order. A user zone of the
/// same name replaces one of these (see [`super::parse_str`]).
pub fn builtin_zones() -> Vec<Zone> {
    BUILTIN_ZONES
        .iter()
        .map(|(name, globs)| Zone {
            name: (*name).to_string(),
            globs: globs.iter().map(|g| (*g).to_string()).collect(),
            source: builtin_loc(),
            builtin: true,
        })
        .collect()
}

/// The location of anything tiergate defines itself.
pub fn builtin_loc() -> Loc {
    Loc {
        file: BUILTIN_FILE.to_string(),
        line: 0,
        col: 0,
    }
}

pub(super) fn default_tiers() -> Vec<Tier> {
    [
        (1, "restricted", "Highly Confidential"),
        (2, "confidential", "Confidential"),
        (3, "internal", "General"),
        (4, "public", "Public"),
    ]
    .into_iter()
    .map(|(id, name, label)| Tier {
        id,
        name: name.to_string(),
        label: label.to_string(),
    })
    .collect()
}

pub(super) fn default_destinations() -> Vec<Destination> {
    [
        ("local", DestinationKind::Local, 1),
        ("cloud-zdr", DestinationKind::CloudZdr, 3),
        ("cloud", DestinationKind::Cloud, 4),
    ]
    .into_iter()
    .map(|(name, kind, accepts)| Destination {
        name: name.to_string(),
        kind,
        accepts,
    })
    .collect()
}

pub(super) fn default_policies() -> PolicyConfig {
    PolicyConfig {
        dirs: vec![DEFAULT_POLICY_DIR.to_string()],
        disable: Vec::new(),
        max_instructions: DEFAULT_MAX_INSTRUCTIONS,
        max_eval_ms: DEFAULT_MAX_EVAL_MS,
        settings: Default::default(),
    }
}

pub(super) fn default_limits() -> Limits {
    Limits {
        max_content_bytes: DEFAULT_MAX_CONTENT_BYTES,
        binary_sniff_bytes: DEFAULT_BINARY_SNIFF_BYTES,
    }
}

/// The built-in configuration used when no `tiergate.yaml` exists.
pub fn defaults() -> Config {
    let mut config = Config {
        tiers: default_tiers(),
        destinations: default_destinations(),
        default_tier: DEFAULT_TIER,
        default_tier_source: builtin_loc(),
        visibility: Default::default(),
        zones: builtin_zones(),
        rules: Vec::new(),
        policies: default_policies(),
        limits: default_limits(),
        detectors: Vec::new(),
        gate: Default::default(),
        accept: Default::default(),
        rule_files: Default::default(),
        agents: Vec::new(),
        path: None,
        digest: String::new(),
    };
    config.digest = sha256_digest(canonical_rendering(&config).as_bytes());
    config
}

pub(super) use crate::model::sha256_digest;

/// A stable text form of everything that affects decisions, so the defaults digest
/// changes exactly when the built-in behaviour does. Source locations, path and digest
/// are left out: they describe where the config came from, not what it says. The
/// leading tag lets the format itself change without colliding with an older digest.
///
/// Rendered by hand rather than through a `serde_json::Value`: feature unification
/// (`preserve_order`, enabled by some dependency) would change `Value`'s key order, and
/// with it the digest, depending on what else is in the build.
fn canonical_rendering(config: &Config) -> String {
    use std::fmt::Write as _;
    fn q(s: &str) -> String {
        serde_json::to_string(s).expect("a string always serializes")
    }
    fn list(items: &[String]) -> String {
        let quoted: Vec<String> = items.iter().map(|s| q(s)).collect();
        format!("[{}]", quoted.join(","))
    }
    let mut out = String::from("tiergate-config/1\n");
    // `write!` into a String cannot fail.
    for t in &config.tiers {
        let _ = writeln!(out, "tier {} {} {}", t.id, q(&t.name), q(&t.label));
    }
    for d in &config.destinations {
        let _ = writeln!(
            out,
            "destination {} {} {}",
            q(&d.name),
            d.kind.as_str(),
            d.accepts
        );
    }
    let _ = writeln!(out, "default_tier {}", config.default_tier);
    for z in &config.zones {
        let _ = writeln!(out, "zone {} {} {}", q(&z.name), z.builtin, list(&z.globs));
    }
    for r in &config.rules {
        let _ = writeln!(
            out,
            "rule {} {} {} {}",
            q(&r.id),
            r.tier,
            q(&r.reason),
            list(&r.globs)
        );
    }
    let p = &config.policies;
    let _ = writeln!(out, "policies.dirs {}", list(&p.dirs));
    let _ = writeln!(out, "policies.disable {}", list(&p.disable));
    let _ = writeln!(out, "policies.max_instructions {}", p.max_instructions);
    // Written only when set: the deadline changes no decision of a policy that meets
    // it, and the defaults' digest stays the one manifests already carry.
    if p.max_eval_ms != DEFAULT_MAX_EVAL_MS {
        let _ = writeln!(out, "policies.max_eval_ms {}", p.max_eval_ms);
    }
    let l = &config.limits;
    let _ = writeln!(out, "limits.max_content_bytes {}", l.max_content_bytes);
    let _ = writeln!(out, "limits.binary_sniff_bytes {}", l.binary_sniff_bytes);
    // Nothing is written without detectors, so the pinned defaults digest holds.
    for d in &config.detectors {
        let _ = writeln!(
            out,
            "detector {} {} {} {} {:?} {} {:?}",
            q(&d.id),
            q(&d.category),
            d.regex.as_deref().map_or("null".to_string(), q),
            list(&d.keywords),
            d.proximity,
            d.validator.as_deref().map_or("null".to_string(), q),
            d.confidence,
        );
    }
    out
}
