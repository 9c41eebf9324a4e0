//! Phase 2 of config loading: walk the located YAML tree, check it against the
//! tiergate.yaml schema and build a [`Config`].
//!
//! Every problem is collected, not just the first, each at the line:col of the node it
//! is about, so one run shows the user everything to fix. A section that fails is left
//! out of the later cross-checks only as far as it must be, to keep one mistake from
//! echoing as many.

use super::defaults::{
    DEFAULT_TIER, builtin_loc, builtin_zones, default_destinations, default_limits,
    default_policies, default_tiers,
};
use super::{
    AcceptConfig, Config, CustomDetector, GateConfig, GlobRule, Limits, Loc, PolicyConfig,
    Requirement, SecretsPolicy, Visibility, Zone,
};
use crate::diag::Diagnostic;
use crate::model::{Confidence, Destination, DestinationKind, RESTRICTED, Tier, TierId};
use crate::schema::{
    Ctx, Field, Fields, Located, Node, Pos, bad_identifier, is_identifier, suggest, ticked,
};

const TOP_KEYS: &[&str] = &[
    "version",
    "visibility",
    "default_tier",
    "tiers",
    "destinations",
    "zones",
    "rules",
    "policies",
    "limits",
    "detectors",
    "gate",
    "agents",
    "accept",
    "rule_files",
];
const ACCEPT_KEYS: &[&str] = &["inline"];
const GATE_KEYS: &[&str] = &["fail_on", "committed_secrets", "require"];
const REQUIRE_KEYS: &[&str] = &["id", "zones", "globs", "reachable_by", "reason"];
const SECRETS_POLICIES: &[&str] = &["violation", "report"];
const TIER_KEYS: &[&str] = &["id", "name", "label"];
const DESTINATION_KEYS: &[&str] = &["name", "kind", "accepts"];
const RULE_KEYS: &[&str] = &["id", "globs", "tier", "reason"];
const POLICY_KEYS: &[&str] = &[
    "dirs",
    "disable",
    "max_instructions",
    "max_eval_ms",
    "settings",
];
const LIMIT_KEYS: &[&str] = &["max_content_bytes", "binary_sniff_bytes"];
const KINDS: &[&str] = &["local", "cloud-zdr", "cloud"];
const DETECTOR_KEYS: &[&str] = &[
    "id",
    "category",
    "regex",
    "keywords",
    "proximity",
    "validator",
    "confidence",
];
const CONFIDENCES: &[&str] = &["low", "medium", "high"];
/// Shorter keywords would make the shared prefilter stop at nearly every byte.
pub(super) const MIN_KEYWORD_BYTES: usize = 3;

pub(super) mod accepted;
pub(super) mod exceptions;

/// The only schema version this build understands.
const VERSION: i128 = 1;

// Config-specific checks of the shared schema context.
impl Ctx<'_> {
    fn loc(&self, at: Pos) -> Loc {
        Loc {
            file: self.file.to_string(),
            line: at.line,
            col: at.col,
        }
    }

    /// A reference to a configured tier.
    fn tier_ref(&mut self, node: &Located<Node>, tiers: &Tiers) -> Option<TierId> {
        let n = self.int(node, "an integer tier id")?;
        match TierId::try_from(n) {
            Ok(id) if tiers.has(id) => Some(id),
            _ if !tiers.complete => None,
            _ => {
                self.error(
                    node.pos(),
                    "unknown-tier",
                    format!("tier {n} is not configured; {}", tiers.known()),
                );
                None
            }
        }
    }

    /// A non-empty list of valid globs.
    fn globs(&mut self, node: &Located<Node>) -> Option<Vec<String>> {
        let items = self.seq(node, "a list of globs")?;
        if items.is_empty() {
            self.error(
                node.pos(),
                "invalid-value",
                "the list of globs is empty; give at least one glob",
            );
            return None;
        }
        let mut globs = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match self.glob(item) {
                Some(g) => globs.push(g),
                None => ok = false,
            }
        }
        ok.then_some(globs)
    }

    fn glob(&mut self, node: &Located<Node>) -> Option<String> {
        let g = self.string(node, "a glob string")?;
        match check_glob(g) {
            Ok(()) => Some(g.to_string()),
            Err(message) => {
                self.error(node.pos(), "invalid-glob", message);
                None
            }
        }
    }
}

/// The tiers in effect (configured or default), for reference checks.
struct Tiers {
    ids: Vec<TierId>,
    /// False when the tier list itself has an error: references are then not checked,
    /// since the tier they name may be the one that failed to parse.
    complete: bool,
}

impl Tiers {
    fn has(&self, id: TierId) -> bool {
        self.ids.contains(&id)
    }

    fn known(&self) -> String {
        if self.ids.is_empty() {
            return "no tier is configured".to_string();
        }
        let ids: Vec<String> = self.ids.iter().map(|i| i.to_string()).collect();
        format!("configured tiers: {}", ids.join(", "))
    }
}

/// Validate the document (`None`: empty file) and build the config. `digest` is the
/// caller's, since only it knows the raw bytes.
pub(super) fn validate(
    root: Option<&Located<Node>>,
    file: &str,
    digest: String,
) -> Result<Config, Vec<Diagnostic>> {
    let mut cx = Ctx {
        file,
        diags: Vec::new(),
    };
    let config = match root {
        None => Some(build(&mut cx, &Fields(Vec::new()), digest)),
        Some(root) => match &root.value {
            Node::Map(_) => {
                let fields = cx.mapping(root, "a mapping", Some(TOP_KEYS));
                fields.map(|f| build(&mut cx, &f, digest))
            }
            other => {
                cx.error(
                    root.pos(),
                    "invalid-type",
                    format!(
                        "the top level of a tiergate config must be a mapping of settings, found {}",
                        other.describe()
                    ),
                );
                None
            }
        },
    };
    match config {
        Some(c) if cx.diags.is_empty() => Ok(c),
        _ => {
            // Stable: problems at one spot keep the order they were found in.
            cx.diags.sort_by_key(|d| (d.line, d.col));
            Err(cx.diags)
        }
    }
}

fn build(cx: &mut Ctx<'_>, top: &Fields<'_>, digest: String) -> Config {
    if let Some(f) = top.present("version")
        && let Some(v) = cx.int(f.value, "an integer version")
        && v != VERSION
    {
        cx.error(
            f.value.pos(),
            "unsupported-version",
            format!("config version {v} is not supported; this tiergate reads version {VERSION}"),
        );
    }

    let tiers_field = top.present("tiers");
    let (tiers, complete) = match tiers_field {
        Some(f) => parse_tiers(cx, f),
        None => (default_tiers(), true),
    };
    let known = Tiers {
        ids: tiers.iter().map(|t| t.id).collect(),
        complete,
    };
    // Checks of the defaults against the user's tiers, reported at the `tiers` key
    // because that is what the user wrote.
    let custom_tiers = tiers_field.filter(|_| complete);

    let destinations = match top.present("destinations") {
        Some(f) => parse_destinations(cx, f, &known),
        None => {
            let defaults = default_destinations();
            if let Some(tf) = custom_tiers {
                for d in defaults.iter().filter(|d| !known.has(d.accepts)) {
                    cx.error(
                        tf.key_pos,
                        "unknown-tier",
                        format!(
                            "the default destination `{}` accepts tier {}, which these tiers do not define ({}); define `destinations` for your tiers",
                            d.name,
                            d.accepts,
                            known.known()
                        ),
                    );
                }
            }
            defaults
        }
    };

    let visibility_field = top.present("visibility");
    let visibility = match visibility_field {
        Some(f) => match cx.string(f.value, "`private` or `public`") {
            Some("public") => Visibility::Public,
            Some("private") => Visibility::Private,
            Some(other) => {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    format!("unknown visibility `{other}`; expected one of `private`, `public`"),
                );
                Visibility::Private
            }
            None => Visibility::Private,
        },
        None => Visibility::Private,
    };
    // Published content is public: the least sensitive tier, unless a finding says more.
    let public_tier = tiers.iter().map(|t| t.id).max().unwrap_or(DEFAULT_TIER);
    let default_tier_source = match (top.present("default_tier"), visibility_field) {
        (Some(f), _) => cx.loc(f.key_pos),
        (None, Some(v)) if visibility == Visibility::Public => cx.loc(v.key_pos),
        _ => builtin_loc(),
    };
    let default_tier = match top.present("default_tier") {
        Some(f) => {
            let t = cx.tier_ref(f.value, &known).unwrap_or(DEFAULT_TIER);
            if visibility == Visibility::Public && t != public_tier {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    format!(
                        "`visibility: public` makes the default tier the least sensitive one, {public_tier}; `default_tier: {t}` contradicts it (remove one of them)"
                    ),
                );
            }
            t
        }
        None if visibility == Visibility::Public => public_tier,
        None => {
            if let Some(tf) = custom_tiers
                && !known.has(DEFAULT_TIER)
            {
                cx.error(
                    tf.key_pos,
                    "unknown-tier",
                    format!(
                        "`default_tier` is not set and its default, {DEFAULT_TIER}, is not one of these tiers ({}); set `default_tier`",
                        known.known()
                    ),
                );
            }
            DEFAULT_TIER
        }
    };

    let zones = match top.present("zones") {
        Some(f) => parse_zones(cx, f),
        None => builtin_zones(),
    };
    let rules = match top.present("rules") {
        Some(f) => parse_rules(cx, f, &known),
        None => Vec::new(),
    };
    let policies = match top.present("policies") {
        Some(f) => parse_policies(cx, f),
        None => default_policies(),
    };
    let limits = match top.present("limits") {
        Some(f) => parse_limits(cx, f),
        None => default_limits(),
    };
    let detectors = match top.present("detectors") {
        Some(f) => parse_detectors(cx, f),
        None => Vec::new(),
    };
    let gate = match top.present("gate") {
        Some(f) => parse_gate(cx, f, &zones, &destinations),
        None => GateConfig::default(),
    };
    let agents = match top.present("agents") {
        Some(f) => parse_agents(cx, f, &destinations),
        None => Vec::new(),
    };
    let accept = match top.present("accept") {
        Some(f) => parse_accept(cx, f),
        None => AcceptConfig::default(),
    };
    let rule_files = match top.present("rule_files") {
        Some(f) => crate::rules::user::parse_section(cx, f.value),
        None => Default::default(),
    };

    Config {
        tiers,
        destinations,
        default_tier,
        default_tier_source,
        visibility,
        zones,
        rules,
        policies,
        limits,
        detectors,
        gate,
        agents,
        accept,
        rule_files,
        path: None,
        digest,
    }
}

/// The tiers sorted by id, and whether every entry's id was read (and tier 1 is
/// among them). Invalid entries are reported and left out.
fn parse_tiers(cx: &mut Ctx<'_>, field: &Field<'_>) -> (Vec<Tier>, bool) {
    let Some(items) = cx.seq(field.value, "a list of tiers") else {
        return (Vec::new(), false);
    };
    if items.is_empty() {
        cx.error(
            field.value.pos(),
            "invalid-value",
            "`tiers` is empty; define at least tier 1, or remove the key to use the defaults",
        );
        return (Vec::new(), false);
    }
    let mut tiers: Vec<(Tier, Pos)> = Vec::new();
    let mut ids_ok = true;
    for item in items {
        let Some(fields) = cx.mapping(item, "a tier mapping with `id` and `name`", Some(TIER_KEYS))
        else {
            ids_ok = false;
            continue;
        };
        cx.require(item, &fields, &["id", "name"], "this tier");
        let id = fields.get("id").and_then(|f| {
            let n = cx.int(f.value, "an integer tier id")?;
            match TierId::try_from(n) {
                Ok(id) if id >= 1 => Some((id, f.value.pos())),
                _ => {
                    cx.error(
                        f.value.pos(),
                        "invalid-value",
                        format!("tier ids go from 1 (most sensitive) to 255, found {n}"),
                    );
                    None
                }
            }
        });
        let name = fields.get("name").and_then(|f| {
            cx.identifier(f.value, "tier name")
                .map(|n| (n, f.value.pos()))
        });
        let label = match fields.present("label") {
            None => None,
            Some(f) => match cx.string(f.value, "a string label") {
                Some(l) if l.trim().is_empty() => {
                    cx.error(
                        f.value.pos(),
                        "invalid-value",
                        "the label is empty; remove it to use the name",
                    );
                    None
                }
                l => l.map(str::to_string),
            },
        };
        let Some((id, id_pos)) = id else {
            ids_ok = false;
            continue;
        };
        if let Some((_, first)) = tiers.iter().find(|(t, _)| t.id == id) {
            cx.error(
                id_pos,
                "duplicate-id",
                format!("tier id {id} is already defined at line {}", first.line),
            );
            continue;
        }
        // A tier whose name is wrong still counts as defined, so references to its id
        // are not reported as unknown on top of the name error.
        let name = match name {
            Some((name, name_pos)) => {
                if let Some((_, first)) = tiers.iter().find(|(t, _)| t.name == name) {
                    cx.error(
                        name_pos,
                        "duplicate-id",
                        format!("tier name `{name}` is already used at line {}", first.line),
                    );
                }
                name
            }
            None => String::new(),
        };
        let label = label.unwrap_or_else(|| name.clone());
        tiers.push((Tier { id, name, label }, item.pos()));
    }
    // Fail-closed decisions are made at tier 1 (`model::RESTRICTED`); without it they
    // would name a tier no destination rule knows. Only checked when every id parsed,
    // so a typo in tier 1's own entry is not reported twice.
    let has_restricted = tiers.iter().any(|(t, _)| t.id == RESTRICTED);
    if ids_ok && !has_restricted {
        cx.error(
            field.key_pos,
            "invalid-value",
            format!(
                "tier {RESTRICTED} must be defined: tiergate gives it to any file it cannot decide (fail closed)"
            ),
        );
    }
    let mut tiers: Vec<Tier> = tiers.into_iter().map(|(t, _)| t).collect();
    tiers.sort_by_key(|t| t.id);
    (tiers, ids_ok && has_restricted)
}

fn parse_destinations(cx: &mut Ctx<'_>, field: &Field<'_>, tiers: &Tiers) -> Vec<Destination> {
    let Some(items) = cx.seq(field.value, "a list of destinations") else {
        return Vec::new();
    };
    if items.is_empty() {
        cx.error(
            field.value.pos(),
            "invalid-value",
            "`destinations` is empty; define at least one, or remove the key to use the defaults",
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    // Every readable name with its entry's line, valid entry or not, so a repeat is
    // reported even when the first one has another problem.
    let mut seen: Vec<(String, u64)> = Vec::new();
    for item in items {
        let Some(fields) = cx.mapping(
            item,
            "a destination mapping with `name`, `kind` and `accepts`",
            Some(DESTINATION_KEYS),
        ) else {
            continue;
        };
        cx.require(item, &fields, DESTINATION_KEYS, "this destination");
        let name = fields.get("name").and_then(|f| {
            cx.unique_identifier(
                f.value,
                item.line,
                "destination name",
                &mut seen,
                |n, line| format!("destination `{n}` is already defined at line {line}"),
            )
        });
        let kind = fields.get("kind").and_then(|f| {
            let s = cx.string(f.value, "a destination kind (local, cloud-zdr or cloud)")?;
            let kind = match s {
                "local" => Some(DestinationKind::Local),
                "cloud-zdr" => Some(DestinationKind::CloudZdr),
                "cloud" => Some(DestinationKind::Cloud),
                _ => None,
            };
            if kind.is_none() {
                let hint =
                    suggest(s, KINDS).map_or(String::new(), |k| format!("; did you mean `{k}`?"));
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    format!(
                        "unknown destination kind `{s}`; expected one of {}{hint}",
                        ticked(KINDS)
                    ),
                );
            }
            kind
        });
        let accepts = fields
            .get("accepts")
            .and_then(|f| cx.tier_ref(f.value, tiers).map(|t| (t, f.value.pos())));
        let (Some(name), Some(kind), Some((accepts, accepts_pos))) = (name, kind, accepts) else {
            continue;
        };
        // The one promise tiergate exists to keep: tier-1 content never leaves the
        // building, whatever a destination is called.
        if kind != DestinationKind::Local && accepts == RESTRICTED {
            cx.error(
                accepts_pos,
                "invalid-value",
                format!(
                    "destination `{name}` is of kind {} and may not accept tier {RESTRICTED}: tier-{RESTRICTED} content must stay on local models",
                    kind.as_str()
                ),
            );
            continue;
        }
        out.push(Destination {
            name,
            kind,
            accepts,
        });
    }
    out
}

/// Built-in zones first, minus those the user redefines, then the user's in file order.
fn parse_zones(cx: &mut Ctx<'_>, field: &Field<'_>) -> Vec<Zone> {
    let Some(fields) = cx.mapping(
        field.value,
        "a mapping of zone names to lists of globs",
        None,
    ) else {
        return builtin_zones();
    };
    let mut user = Vec::new();
    for f in &fields.0 {
        let name_ok = is_identifier(f.key);
        if !name_ok {
            cx.error(
                f.key_pos,
                "invalid-name",
                bad_identifier(f.key, "zone name"),
            );
        }
        let globs = cx.globs(f.value);
        if let (true, Some(globs)) = (name_ok, globs) {
            user.push(Zone {
                name: f.key.to_string(),
                globs,
                source: cx.loc(f.key_pos),
                builtin: false,
            });
        }
    }
    let mut zones: Vec<Zone> = builtin_zones()
        .into_iter()
        .filter(|b| !user.iter().any(|u| u.name == b.name))
        .collect();
    zones.extend(user);
    zones
}

fn parse_rules(cx: &mut Ctx<'_>, field: &Field<'_>, tiers: &Tiers) -> Vec<GlobRule> {
    let Some(items) = cx.seq(field.value, "a list of rules") else {
        return Vec::new();
    };
    let mut rules = Vec::new();
    // As for destinations: repeats are found among all readable ids.
    let mut seen: Vec<(String, u64)> = Vec::new();
    for item in items {
        let Some(fields) = cx.mapping(
            item,
            "a rule mapping with `id`, `globs`, `tier` and `reason`",
            Some(RULE_KEYS),
        ) else {
            continue;
        };
        cx.require(item, &fields, RULE_KEYS, "this rule");
        let id = fields.get("id").and_then(|f| {
            cx.unique_identifier(f.value, item.line, "rule id", &mut seen, |id, line| {
                format!("rule id `{id}` is already used at line {line}")
            })
        });
        let globs = fields.get("globs").and_then(|f| cx.globs(f.value));
        let tier = fields.get("tier").and_then(|f| cx.tier_ref(f.value, tiers));
        let reason = fields.get("reason").and_then(|f| {
            let r = cx.string(f.value, "a string reason")?;
            if r.trim().is_empty() {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    "the reason is empty; say why these paths get this tier (it is shown to reviewers)",
                );
                return None;
            }
            Some(r.trim().to_string())
        });
        let (Some(id), Some(globs), Some(tier), Some(reason)) = (id, globs, tier, reason) else {
            continue;
        };
        rules.push(GlobRule {
            id,
            globs,
            tier,
            reason,
            source: cx.loc(item.pos()),
        });
    }
    rules
}

fn parse_policies(cx: &mut Ctx<'_>, field: &Field<'_>) -> PolicyConfig {
    let mut policies = default_policies();
    let Some(fields) = cx.mapping(
        field.value,
        "a mapping of policy settings",
        Some(POLICY_KEYS),
    ) else {
        return policies;
    };
    if let Some(f) = fields.present("dirs")
        && let Some(items) = cx.seq(f.value, "a list of directories")
    {
        let mut dirs = Vec::with_capacity(items.len());
        for item in items {
            let Some(d) = cx.string(item, "a directory path string") else {
                continue;
            };
            match check_policy_dir(d) {
                Ok(()) => dirs.push(d.to_string()),
                Err(message) => cx.error(item.pos(), "invalid-value", message),
            }
        }
        policies.dirs = dirs;
    }
    if let Some(f) = fields.present("disable")
        && let Some(items) = cx.seq(f.value, "a list of policy pack names")
    {
        policies.disable = items
            .iter()
            .filter_map(|item| cx.identifier(item, "policy pack name"))
            .collect();
    }
    if let Some(f) = fields.present("max_instructions")
        && let Some(n) = cx.positive(f.value, "max_instructions")
    {
        policies.max_instructions = n;
    }
    if let Some(f) = fields.present("max_eval_ms")
        && let Some(n) = cx.positive(f.value, "max_eval_ms")
    {
        policies.max_eval_ms = n;
    }
    if let Some(f) = fields.present("settings") {
        policies.settings = parse_pack_settings(cx, f);
    }
    policies
}

/// `settings: {<pack>: {<key>: <integer | boolean | string>}}`. Which keys a pack reads
/// is the pack's business; here only the shape is checked.
fn parse_pack_settings(
    cx: &mut Ctx<'_>,
    field: &Field<'_>,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, serde_json::Value>> {
    let mut out = std::collections::BTreeMap::new();
    let Some(packs) = cx.mapping(field.value, "a mapping of pack name to settings", None) else {
        return out;
    };
    for pack in &packs.0 {
        if !is_identifier(pack.key) {
            cx.error(
                pack.key_pos,
                "invalid-name",
                bad_identifier(pack.key, "pack name"),
            );
            continue;
        }
        let Some(keys) = cx.mapping(pack.value, "a mapping of setting name to value", None) else {
            continue;
        };
        let mut values = std::collections::BTreeMap::new();
        for k in &keys.0 {
            if !is_identifier(k.key) {
                cx.error(
                    k.key_pos,
                    "invalid-name",
                    bad_identifier(k.key, "setting name"),
                );
                continue;
            }
            let value = match &k.value.value {
                Node::Int(i) => match i64::try_from(*i) {
                    Ok(i) => serde_json::Value::from(i),
                    Err(_) => {
                        cx.error(
                            k.value.pos(),
                            "invalid-value",
                            format!("{i} is out of range"),
                        );
                        continue;
                    }
                },
                Node::Bool(b) => serde_json::Value::from(*b),
                Node::Str(s) => serde_json::Value::from(s.as_str()),
                _ => {
                    cx.type_error(k.value, "an integer, boolean or string setting");
                    continue;
                }
            };
            values.insert(k.key.to_string(), value);
        }
        out.insert(pack.key.to_string(), values);
    }
    out
}

fn parse_limits(cx: &mut Ctx<'_>, field: &Field<'_>) -> Limits {
    let mut limits = default_limits();
    let Some(fields) = cx.mapping(field.value, "a mapping of limits", Some(LIMIT_KEYS)) else {
        return limits;
    };
    let max = fields.present("max_content_bytes");
    let sniff = fields.present("binary_sniff_bytes");
    let max_ok = match max {
        Some(f) => cx
            .positive(f.value, "max_content_bytes")
            .map(|n| limits.max_content_bytes = n),
        None => Some(()),
    };
    let sniff_ok = match sniff {
        Some(f) => cx
            .positive(f.value, "binary_sniff_bytes")
            .map(|n| limits.binary_sniff_bytes = n),
        None => Some(()),
    };
    if max_ok.is_some()
        && sniff_ok.is_some()
        && limits.binary_sniff_bytes > limits.max_content_bytes
    {
        // Point at whichever of the two the user wrote; the other is a default.
        let at = sniff.or(max).map_or(field.key_pos, |f| f.value.pos());
        cx.error(
            at,
            "invalid-value",
            format!(
                "binary_sniff_bytes ({}) may not exceed max_content_bytes ({}): the sniffed bytes are part of the content read",
                limits.binary_sniff_bytes, limits.max_content_bytes
            ),
        );
    }
    limits
}

fn parse_accept(cx: &mut Ctx<'_>, field: &Field<'_>) -> AcceptConfig {
    let mut accept = AcceptConfig::default();
    let Some(fields) = cx.mapping(field.value, "a mapping", Some(ACCEPT_KEYS)) else {
        return accept;
    };
    if let Some(f) = fields.present("inline") {
        match f.value.value {
            Node::Bool(b) => accept.inline = b,
            _ => cx.type_error(f.value, "true or false"),
        }
    }
    accept
}

fn parse_gate(
    cx: &mut Ctx<'_>,
    field: &Field<'_>,
    zones: &[Zone],
    destinations: &[Destination],
) -> GateConfig {
    let mut gate = GateConfig::default();
    let Some(fields) = cx.mapping(field.value, "a mapping of gate settings", Some(GATE_KEYS))
    else {
        return gate;
    };
    if let Some(f) = fields.present("fail_on")
        && let Some(items) = cx.seq(f.value, "a list of verdict codes")
    {
        let names: Vec<&str> = crate::gate::Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut codes = Vec::new();
        for item in items {
            let Some(s) = cx.string(item, "a verdict code string") else {
                continue;
            };
            match crate::gate::Code::parse(s) {
                Some(c) if codes.contains(&c) => {
                    cx.error(item.pos(), "duplicate-id", format!("`{s}` is listed twice"))
                }
                Some(c) => codes.push(c),
                None => {
                    let message = match suggest(s, &names) {
                        Some(n) => format!("unknown verdict code `{s}`; did you mean `{n}`?"),
                        None => format!(
                            "unknown verdict code `{s}`; expected one of {}",
                            ticked(&names)
                        ),
                    };
                    cx.error(item.pos(), "invalid-value", message);
                }
            }
        }
        codes.sort();
        gate.fail_on = codes;
    }
    if let Some(f) = fields.present("committed_secrets")
        && let Some(s) = cx.string(f.value, "`violation` or `report`")
    {
        match s {
            "violation" => gate.committed_secrets = SecretsPolicy::Violation,
            "report" => gate.committed_secrets = SecretsPolicy::Report,
            other => cx.error(
                f.value.pos(),
                "invalid-value",
                format!(
                    "committed_secrets is `{other}`; expected one of {}",
                    ticked(SECRETS_POLICIES)
                ),
            ),
        }
    }
    if let Some(f) = fields.present("require") {
        gate.require = parse_requirements(cx, f, zones, destinations);
    }
    gate
}

/// `agents: {<agent>: <destination>}`.
fn parse_agents(
    cx: &mut Ctx<'_>,
    field: &Field<'_>,
    destinations: &[Destination],
) -> Vec<(String, String)> {
    let Some(fields) = cx.mapping(
        field.value,
        "a mapping of agent names to destination names",
        None,
    ) else {
        return Vec::new();
    };
    let known: Vec<&str> = crate::export::Agent::ALL.iter().map(|a| a.name()).collect();
    let dests: Vec<&str> = destinations.iter().map(|d| d.name.as_str()).collect();
    let mut out = Vec::new();
    for f in &fields.0 {
        if !known.contains(&f.key) {
            let message = match suggest(f.key, &known) {
                Some(s) => format!("unknown agent `{}`; did you mean `{s}`?", f.key),
                None => format!("unknown agent `{}`; agents: {}", f.key, ticked(&known)),
            };
            cx.error(f.key_pos, "invalid-value", message);
            continue;
        }
        let Some(dest) = cx.string(f.value, "a destination name") else {
            continue;
        };
        if !dests.contains(&dest) {
            cx.error(
                f.value.pos(),
                "invalid-value",
                format!(
                    "unknown destination `{dest}`; destinations: {}",
                    ticked(&dests)
                ),
            );
            continue;
        }
        out.push((f.key.to_string(), dest.to_string()));
    }
    out
}

fn parse_requirements(
    cx: &mut Ctx<'_>,
    field: &Field<'_>,
    zones: &[Zone],
    destinations: &[Destination],
) -> Vec<Requirement> {
    let Some(items) = cx.seq(field.value, "a list of requirements") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for item in items {
        let Some(fields) = cx.mapping(
            item,
            "a requirement mapping with `id`, `zones` or `globs`, `reachable_by` and `reason`",
            Some(REQUIRE_KEYS),
        ) else {
            continue;
        };
        cx.require(
            item,
            &fields,
            &["id", "reachable_by", "reason"],
            "this requirement",
        );
        let id = fields.get("id").and_then(|f| {
            cx.unique_identifier(
                f.value,
                item.line,
                "requirement id",
                &mut seen,
                |id, line| format!("requirement id `{id}` is already used at line {line}"),
            )
        });
        let mut ok = true;
        let mut zone_names = Vec::new();
        if let Some(f) = fields.present("zones")
            && let Some(zs) = cx.seq(f.value, "a list of zone names")
        {
            for z in zs {
                let Some(name) = cx.string(z, "a zone name") else {
                    ok = false;
                    continue;
                };
                if zones.iter().any(|known| known.name == name) {
                    zone_names.push(name.to_string());
                } else {
                    ok = false;
                    let known: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
                    let message = match suggest(name, &known) {
                        Some(s) => format!("unknown zone `{name}`; did you mean `{s}`?"),
                        None => format!("unknown zone `{name}`; zones: {}", ticked(&known)),
                    };
                    cx.error(z.pos(), "invalid-value", message);
                }
            }
        }
        let globs = match fields.present("globs") {
            Some(f) => match cx.seq(f.value, "a list of globs") {
                Some([]) => Vec::new(),
                Some(_) => cx.globs(f.value).unwrap_or_else(|| {
                    ok = false;
                    Vec::new()
                }),
                None => {
                    ok = false;
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        if ok && zone_names.is_empty() && globs.is_empty() {
            ok = false;
            cx.error(
                item.pos(),
                "missing-key",
                "this requirement names no `zones` and no `globs`; it would cover nothing",
            );
        }
        let reachable_by = fields.get("reachable_by").and_then(|f| {
            let name = cx.string(f.value, "a destination name")?;
            if destinations.iter().any(|d| d.name == name) {
                return Some(name.to_string());
            }
            let known: Vec<&str> = destinations.iter().map(|d| d.name.as_str()).collect();
            cx.error(
                f.value.pos(),
                "invalid-value",
                format!(
                    "unknown destination `{name}`; destinations: {}",
                    ticked(&known)
                ),
            );
            None
        });
        let reason = fields.get("reason").and_then(|f| {
            let r = cx.string(f.value, "a string reason")?;
            if r.trim().is_empty() {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    "the reason is empty; say why (it is shown to whoever the gate stops)",
                );
                return None;
            }
            Some(r.trim().to_string())
        });
        let (true, Some(id), Some(reachable_by), Some(reason)) = (ok, id, reachable_by, reason)
        else {
            continue;
        };
        out.push(Requirement {
            id,
            zones: zone_names,
            globs,
            reachable_by,
            reason,
            source: cx.loc(item.pos()),
        });
    }
    out
}

fn parse_detectors(cx: &mut Ctx<'_>, field: &Field<'_>) -> Vec<CustomDetector> {
    let Some(items) = cx.seq(field.value, "a list of detectors") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for item in items {
        let Some(fields) = cx.mapping(
            item,
            "a detector mapping with `id` and `regex` or `keywords`",
            Some(DETECTOR_KEYS),
        ) else {
            continue;
        };
        cx.require(item, &fields, &["id"], "this detector");
        let id = fields.get("id").and_then(|f| {
            cx.unique_identifier(f.value, item.line, "detector id", &mut seen, |id, line| {
                format!("detector id `{id}` is already used at line {line}")
            })
        });
        let mut ok = true;
        let category = match fields.present("category") {
            Some(f) => cx.identifier(f.value, "category").unwrap_or_else(|| {
                ok = false;
                String::new()
            }),
            None => "custom".to_string(),
        };
        let regex_field = fields.present("regex");
        let regex = regex_field.and_then(|f| {
            let pattern = cx.string(f.value, "a regex string")?;
            match crate::detect::custom::check_regex(pattern) {
                Ok(()) => Some(pattern.to_string()),
                Err(message) => {
                    cx.error(f.value.pos(), "invalid-regex", message);
                    None
                }
            }
        });
        ok &= regex_field.is_none() || regex.is_some();
        let keywords_field = fields.present("keywords");
        let keywords = match keywords_field {
            Some(f) => parse_keywords(cx, f.value).unwrap_or_else(|| {
                ok = false;
                Vec::new()
            }),
            None => Vec::new(),
        };
        if regex_field.is_none() && keywords_field.is_none() {
            cx.error(
                item.pos(),
                "missing-key",
                "this detector needs `regex`, `keywords` or both: there is nothing to look for",
            );
            ok = false;
        }
        let proximity = fields.present("proximity").and_then(|f| {
            let n = cx.positive(f.value, "proximity");
            if n.is_some() && (regex_field.is_none() || keywords_field.is_none()) {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    "`proximity` is the distance between a regex match and a keyword; it needs both `regex` and `keywords`",
                );
                return None;
            }
            n
        });
        ok &= fields.present("proximity").is_none() || proximity.is_some();
        let validator = fields.present("validator").and_then(|f| {
            let name = cx.string(f.value, "a validator name")?;
            let names = crate::detect::custom::validator_names();
            if !names.contains(&name) {
                let hint = suggest(name, &names)
                    .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    format!(
                        "unknown validator `{name}`; expected one of {}{hint}",
                        ticked(&names)
                    ),
                );
                return None;
            }
            if regex_field.is_none() {
                cx.error(
                    f.value.pos(),
                    "invalid-value",
                    "a validator checks regex matches; this detector has no `regex`",
                );
                return None;
            }
            Some(name.to_string())
        });
        ok &= fields.present("validator").is_none() || validator.is_some();
        let confidence = match fields.present("confidence") {
            None => Confidence::Medium,
            Some(f) => match cx.string(f.value, "a confidence (low, medium or high)") {
                Some("low") => Confidence::Low,
                Some("medium") => Confidence::Medium,
                Some("high") => Confidence::High,
                Some(other) => {
                    let hint = suggest(other, CONFIDENCES)
                        .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                    cx.error(
                        f.value.pos(),
                        "invalid-value",
                        format!(
                            "unknown confidence `{other}`; expected one of {}{hint}",
                            ticked(CONFIDENCES)
                        ),
                    );
                    ok = false;
                    Confidence::Medium
                }
                None => {
                    ok = false;
                    Confidence::Medium
                }
            },
        };
        let Some(id) = id else { continue };
        if !ok {
            continue;
        }
        out.push(CustomDetector {
            id,
            category,
            regex,
            keywords,
            proximity,
            validator,
            confidence,
            source: cx.loc(item.pos()),
        });
    }
    out
}

/// A non-empty list of keywords, each at least [`MIN_KEYWORD_BYTES`] long after
/// trimming; repeats (ignoring ASCII case) are dropped.
fn parse_keywords(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<String>> {
    let items = cx.seq(node, "a list of keywords")?;
    if items.is_empty() {
        cx.error(
            node.pos(),
            "invalid-value",
            "the list of keywords is empty; give at least one, or remove `keywords`",
        );
        return None;
    }
    let mut keywords: Vec<String> = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items {
        let Some(k) = cx.string(item, "a keyword string") else {
            ok = false;
            continue;
        };
        let k = k.trim();
        if k.len() < MIN_KEYWORD_BYTES {
            cx.error(
                item.pos(),
                "invalid-value",
                format!(
                    "keyword `{k}` is too short: keywords need at least {MIN_KEYWORD_BYTES} bytes, or every file would stop the prefilter at nearly every byte"
                ),
            );
            ok = false;
            continue;
        }
        if !keywords.iter().any(|s| s.eq_ignore_ascii_case(k)) {
            keywords.push(k.to_string());
        }
    }
    ok.then_some(keywords)
}

/// Why `g` is not a usable glob, if it is not. See [`super::build_glob`] for the
/// matching semantics.
pub(super) fn check_glob(g: &str) -> Result<(), String> {
    if g.is_empty() {
        return Err("empty glob; globs are repo-relative paths like `src/**`".to_string());
    }
    if let Some(rest) = g.strip_prefix("./") {
        return Err(format!(
            "glob `{g}` starts with `./`: globs are relative to the repository root and matched without `./`; write `{rest}`"
        ));
    }
    if let Some(rest) = g.strip_prefix('/') {
        return Err(format!(
            "glob `{g}` starts with `/`: globs are relative to the repository root, not absolute; write `{rest}`"
        ));
    }
    if g.split('/').any(|seg| seg == "..") {
        return Err(format!(
            "glob `{g}` contains `..`: globs are relative to the repository root and cannot leave it"
        ));
    }
    super::build_glob(g)
        .map(|_| ())
        .map_err(|e| format!("invalid glob `{g}`: {}", e.kind()))
}

fn check_policy_dir(d: &str) -> Result<(), String> {
    let looks_absolute = d.starts_with('/')
        || d.starts_with('\\')
        || std::path::Path::new(d).is_absolute()
        || d.as_bytes().get(1) == Some(&b':');
    if d.trim().is_empty() {
        Err("empty directory; give a path relative to the repository root".to_string())
    } else if looks_absolute {
        Err(format!(
            "policy directory `{d}` is absolute; give a path relative to the repository root"
        ))
    } else if d.split(['/', '\\']).any(|seg| seg == "..") {
        Err(format!(
            "policy directory `{d}` contains `..`; policies must live inside the repository"
        ))
    } else {
        Ok(())
    }
}
