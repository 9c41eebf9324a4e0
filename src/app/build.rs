//! Assembling the manifest from a scan: its header (config, policies, rules, zones,
//! provenance) and one entry per classified file.

use super::*;

/// Build the manifest from classified records.
/// Consumes the records so a large repository is not held twice in memory.
pub fn build_manifest(ctx: &Context, records: decide::Records, scope: Scope) -> Manifest {
    let files: BTreeMap<String, manifest::FileEntry> = records
        .into_iter()
        .filter(|(_, r)| scope.lists(r.facts.git))
        .map(|(p, r)| (p, file_entry(r.facts.kind, r.facts.git, &r.decision)))
        .collect();
    let summary = summarize(
        &ctx.config,
        files.iter().map(|(p, e)| {
            let collides = e.reasons.iter().any(|r| r.code == codes::CASE_COLLISION);
            (p.as_str(), e.tier, collides)
        }),
    );
    let mut m = manifest_head(ctx, scope, summary, zone_tiers(ctx));
    m.files = files;
    m
}

/// A file's manifest entry.
pub(crate) fn file_entry(
    kind: crate::model::FileKind,
    git: GitState,
    decision: &crate::model::Decision,
) -> manifest::FileEntry {
    manifest::FileEntry {
        tier: decision.tier,
        kind: kind.as_str().into(),
        git: git.as_str().into(),
        annex_iii: decision.annex_iii(),
        reasons: into_reasons(decision.findings.clone()),
    }
}

/// The manifest's summary of the listed files, given in path order as (path, tier,
/// whether it has a case-collision finding).
pub(super) fn summarize<'a>(
    config: &Config,
    listed: impl Iterator<Item = (&'a str, crate::model::TierId, bool)>,
) -> manifest::Summary {
    let mut files = 0u64;
    let mut per_tier: BTreeMap<crate::model::TierId, u64> = BTreeMap::new();
    // `decide::finish` gave every path in a case collision a finding: grouping just
    // those paths gives the groups of all listed paths, without hashing 100,000 again.
    let mut colliding: Vec<&str> = Vec::new();
    for (path, tier, collides) in listed {
        files += 1;
        *per_tier.entry(tier).or_default() += 1;
        if collides {
            colliding.push(path);
        }
    }
    manifest::Summary {
        files,
        by_tier: config
            .tiers
            .iter()
            .map(|t| manifest::TierCount {
                tier: t.id,
                name: t.name.clone(),
                files: per_tier.get(&t.id).copied().unwrap_or(0),
            })
            .collect(),
        case_collisions: crate::model::case_groups(colliding)
            .into_iter()
            .map(|g| g.into_iter().map(str::to_string).collect())
            .collect(),
    }
}

/// Each zone's path tier (see [`decide::zone_tiers`]).
pub(super) fn zone_tiers(ctx: &Context) -> Vec<Option<crate::model::TierId>> {
    decide::zone_tiers(&ctx.rules, &ctx.policies, ctx.repo.git.is_some())
}

/// The manifest without its files: provenance, tiers, destinations, zones (with
/// `zone_tiers`, one per zone), rules, exceptions and the given summary.
pub(super) fn manifest_head(
    ctx: &Context,
    scope: Scope,
    summary: manifest::Summary,
    zone_tiers: Vec<Option<crate::model::TierId>>,
) -> Manifest {
    header_of(
        &Made {
            config: &ctx.config,
            config_display: &ctx.config_display,
            policies: &ctx.policies,
            exceptions: ctx.exceptions.as_ref(),
            accepted: ctx.accepted.as_ref(),
            rules: ctx.rule_files.provenance(),
            commit: ctx.repo.head().map(str::to_string),
            scope,
        },
        summary,
        zone_tiers,
    )
}

/// What a manifest's header is made from: the rules that judged its files and where
/// they came from. The scan and the gate build headers from it, so a committed
/// manifest's header can be rebuilt from the rules that must have made it.
pub(crate) struct Made<'a> {
    pub config: &'a Config,
    pub config_display: &'a str,
    pub policies: &'a PolicySet,
    pub exceptions: Option<&'a config::ExceptionsFile>,
    pub accepted: Option<&'a config::AcceptedFile>,
    /// `provenance.rules`: the shipped rules and the repository's rule files.
    pub rules: Vec<manifest::ConfigProvenance>,
    pub commit: Option<String>,
    pub scope: Scope,
}

/// The header (a manifest without files) that `made` gives, with `summary` and the
/// zones' path tiers (`zone_tiers`, one per zone).
pub(crate) fn header_of(
    made: &Made<'_>,
    summary: manifest::Summary,
    zone_tiers: Vec<Option<crate::model::TierId>>,
) -> Manifest {
    let policies = made
        .policies
        .policies()
        .iter()
        .map(|p| manifest::PolicyProvenance {
            package: p.package.clone(),
            source: p.source.clone(),
            digest: p.digest.clone(),
        })
        .collect();
    head_of(
        &Head {
            config: made.config,
            config_display: made.config_display,
            policies,
            exceptions: made.exceptions,
            accepted: made.accepted,
            rules: made.rules.clone(),
            scope: made.scope,
            commit: made.commit.clone(),
        },
        summary,
        &zone_tiers,
    )
}

/// [`Made`] with the policies named by their provenance rather than compiled: what
/// route, the hooks and export rebuild a header from without compiling any policy.
pub(crate) struct Head<'a> {
    pub config: &'a Config,
    pub config_display: &'a str,
    pub policies: Vec<manifest::PolicyProvenance>,
    pub exceptions: Option<&'a config::ExceptionsFile>,
    pub accepted: Option<&'a config::AcceptedFile>,
    /// `provenance.rules` (see [`crate::rules::user::UserRules::provenance`]).
    pub rules: Vec<manifest::ConfigProvenance>,
    pub scope: Scope,
    pub commit: Option<String>,
}

/// The header these parts give, with `zone_tiers` (one per zone, or none when the
/// policies were not evaluated) and `summary`.
pub(crate) fn head_of(
    h: &Head<'_>,
    summary: manifest::Summary,
    zone_tiers: &[Option<crate::model::TierId>],
) -> Manifest {
    let config = h.config;
    Manifest {
        schema_version: manifest::SCHEMA_VERSION,
        generator: manifest::Generator {
            name: "tiergate".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        provenance: manifest::Provenance {
            commit: h.commit.clone(),
            config: manifest::ConfigProvenance {
                source: h.config_display.to_string(),
                digest: config.digest.clone(),
            },
            policies: h.policies.clone(),
            rules: h.rules.clone(),
            exceptions: h.exceptions.map(|x| manifest::ConfigProvenance {
                source: x.display.clone(),
                digest: x.digest.clone(),
            }),
            accepted: h.accepted.map(|x| manifest::ConfigProvenance {
                source: x.display.clone(),
                digest: x.digest.clone(),
            }),
            rego_input_version: crate::policy::INPUT_VERSION,
            decisions: crate::decide::decision_versions(),
            scope: h.scope,
        },
        tiers: config.tiers.iter().map(manifest::tier_def).collect(),
        destinations: config
            .destinations
            .iter()
            .map(manifest::destination_def)
            .collect(),
        default_tier: config.default_tier,
        zones: config
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| manifest::ZoneDef {
                name: z.name.clone(),
                globs: z.globs.clone(),
                path_tier: zone_tiers.get(i).copied().flatten(),
            })
            .collect(),
        rules: config
            .rules
            .iter()
            .map(|r| manifest::RuleDef {
                id: r.id.clone(),
                globs: r.globs.clone(),
                tier: r.tier,
                reason: r.reason.clone(),
                source: format!("{}:{}", r.source.file, r.source.line),
            })
            .collect(),
        exceptions: h
            .exceptions
            .iter()
            .flat_map(|x| x.exceptions.iter())
            .map(config::Exception::manifest_def)
            .collect(),
        unlisted: manifest::Unlisted {
            tier: RESTRICTED.max(config.tiers.first().map_or(RESTRICTED, |t| t.id)),
            code: codes::NOT_IN_MANIFEST.into(),
        },
        summary,
        files: BTreeMap::new(),
    }
}

pub(super) fn into_reasons(findings: Vec<crate::model::Finding>) -> Vec<Reason> {
    findings
        .into_iter()
        .map(|f| Reason {
            source: f.source.to_string(),
            code: f.code,
            rule: f.rule,
            tier: f.tier,
            message: f.message,
        })
        .collect()
}

pub(super) fn reasons(r: &FileRecord) -> Vec<Reason> {
    r.decision
        .findings
        .iter()
        .map(|f| Reason {
            code: f.code.clone(),
            rule: f.rule.clone(),
            tier: f.tier,
            source: f.source.to_string(),
            message: f.message.clone(),
        })
        .collect()
}

pub(super) fn view(config: &Config, r: &FileRecord) -> FileView {
    FileView {
        path: r.facts.path.clone(),
        tier: r.decision.tier,
        tier_name: config
            .tier(r.decision.tier)
            .map_or_else(String::new, |t| t.name.clone()),
        destinations: config
            .destinations_for(r.decision.tier)
            .into_iter()
            .map(str::to_string)
            .collect(),
        kind: r.facts.kind.as_str().into(),
        git: r.facts.git.as_str().into(),
        reasons: reasons(r),
        annex_iii: r.decision.annex_iii(),
    }
}
