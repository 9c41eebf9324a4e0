//! How a manifest's header differs from the header the rules in force give: tiers,
//! destinations, the default and unlisted tiers, zones, rules, exceptions and
//! provenance, each difference named by field and marked when it lets some content
//! reach more destinations than the rules in force allow (a *widening*). The runtime
//! (route, the hooks, export) refuses a manifest with any difference; the gate fails a
//! widening as a lowering and any other difference as a stale manifest.
//!
//! `generator`, `provenance.commit` and `summary` are not compared: the first two say
//! who wrote the file and when, the last is counted from the entries. What the entries
//! depend on in the tool is compared instead (`provenance.decisions`, the Rego input
//! version, the shipped packs' digests): releases that decide alike agree.

use std::collections::BTreeMap;

use super::{ConfigProvenance, DestinationDef, ExceptionDef, Manifest, RuleDef, TierDef, ZoneDef};
use crate::model::TierId;

/// How a manifest's header differs from the header the rules in force give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderDifference {
    /// The field, e.g. `destinations[cloud-zdr].accepts` or `rules[secrets].globs`.
    pub field: String,
    /// lets some content reach more destinations
    pub widens: bool,
    /// What the manifest says and what the rules in force say.
    pub message: String,
}

impl Manifest {
    /// Every difference between this manifest's header (`self`) and `expected`, the
    /// header the rules in force give, in a stable order. Zones' `path_tier` values are
    /// compared only with `zone_tiers` (they need the policies evaluated).
    pub fn header_differences(
        &self,
        expected: &Manifest,
        zone_tiers: bool,
    ) -> Vec<HeaderDifference> {
        let mut d = Diffs::default();
        d.provenance(self, expected);
        d.tiers(&self.tiers, &expected.tiers);
        d.destinations(&self.destinations, &expected.destinations);
        if self.default_tier != expected.default_tier {
            d.push(
                "default_tier",
                self.default_tier > expected.default_tier,
                format!(
                    "the manifest's default tier is {}, the rules in force give {}",
                    self.default_tier, expected.default_tier
                ),
            );
        }
        d.zones(&self.zones, &expected.zones, zone_tiers);
        d.rules(&self.rules, &expected.rules);
        d.exceptions(&self.exceptions, &expected.exceptions);
        if self.unlisted.tier != expected.unlisted.tier {
            d.push(
                "unlisted.tier",
                self.unlisted.tier > expected.unlisted.tier,
                format!(
                    "the manifest resolves unlisted paths to tier {}, the rules in force to tier {}",
                    self.unlisted.tier, expected.unlisted.tier
                ),
            );
        }
        if self.unlisted.code != expected.unlisted.code {
            d.changed(
                "unlisted.code",
                &self.unlisted.code,
                &expected.unlisted.code,
            );
        }
        d.0
    }
}

/// Differences as they are found.
#[derive(Default)]
struct Diffs(Vec<HeaderDifference>);

/// Items of a list keyed by name or id, first occurrence of each, and whether a key
/// repeats (a header the tool never writes).
fn keyed<T>(items: &[T], key: impl Fn(&T) -> String) -> (BTreeMap<String, &T>, bool) {
    let mut map = BTreeMap::new();
    let mut repeated = false;
    for item in items {
        match map.entry(key(item)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(item);
            }
            std::collections::btree_map::Entry::Occupied(_) => repeated = true,
        }
    }
    (map, repeated)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tier_text(t: Option<TierId>) -> String {
    t.map_or_else(|| "none".into(), |t| format!("tier {t}"))
}

impl Diffs {
    fn push(&mut self, field: impl Into<String>, widens: bool, message: String) {
        self.0.push(HeaderDifference {
            field: field.into(),
            widens,
            message,
        });
    }

    /// A governance file's provenance (`what`: "an exceptions file"): present on one
    /// side only, or with another source or digest. Never a widening by itself: what
    /// the file changes shows in the entries.
    fn governance_file(
        &mut self,
        field: &str,
        what: &str,
        manifest: Option<&ConfigProvenance>,
        expected: Option<&ConfigProvenance>,
    ) {
        match (manifest, expected) {
            (None, None) => {}
            (Some(h), Some(w)) => {
                if h.source != w.source {
                    self.changed(&format!("{field}.source"), &h.source, &w.source);
                }
                if h.digest != w.digest {
                    self.changed(&format!("{field}.digest"), &h.digest, &w.digest);
                }
            }
            (h, w) => self.push(
                field,
                false,
                format!(
                    "the manifest was written {} {what}; the rules in force have {}",
                    if h.is_some() { "with" } else { "without" },
                    if w.is_some() { "one" } else { "none" }
                ),
            ),
        }
    }

    /// A plain value that differs; never a widening.
    fn changed(&mut self, field: &str, manifest: &str, expected: &str) {
        self.push(
            field,
            false,
            format!("the manifest says `{manifest}`, the rules in force `{expected}`"),
        );
    }

    /// Items of a keyed list: added, removed, repeated and reordered ones, then each
    /// common item through `each`. `removal_widens` says whether an item missing from the
    /// manifest lets more through; an added one is passed to `added` for its verdict.
    #[allow(clippy::too_many_arguments)]
    fn keyed_list<T: PartialEq>(
        &mut self,
        name: &str,
        manifest: &[T],
        expected: &[T],
        key: impl Fn(&T) -> String,
        added_widens: impl Fn(&T) -> bool,
        removal_widens: bool,
        mut each: impl FnMut(&mut Self, &str, &T, &T),
    ) {
        let (have, have_repeats) = keyed(manifest, &key);
        let (want, want_repeats) = keyed(expected, &key);
        if have_repeats || want_repeats {
            self.push(
                name,
                have_repeats,
                format!(
                    "the {} repeats a name in `{name}`",
                    if have_repeats {
                        "manifest"
                    } else {
                        "config in force"
                    }
                ),
            );
        }
        for (k, item) in &have {
            if !want.contains_key(k) {
                self.push(
                    format!("{name}[{k}]"),
                    added_widens(item),
                    format!("the manifest has `{k}` in `{name}`; the rules in force do not"),
                );
            }
        }
        for k in want.keys() {
            if !have.contains_key(k) {
                self.push(
                    format!("{name}[{k}]"),
                    removal_widens,
                    format!("the rules in force have `{k}` in `{name}`; the manifest does not"),
                );
            }
        }
        for (k, h) in &have {
            if let Some(w) = want.get(k)
                && h != w
            {
                each(self, &format!("{name}[{k}]"), h, w);
            }
        }
        // The same items in another order.
        if have_repeats || want_repeats || manifest.len() != expected.len() {
            return;
        }
        let reordered = manifest.iter().zip(expected).any(|(h, w)| key(h) != key(w));
        if reordered && have.keys().eq(want.keys()) {
            let order = |items: &[T]| -> Vec<String> { items.iter().map(&key).collect() };
            let (ho, wo) = (order(manifest), order(expected));
            self.push(
                format!("{name} (order)"),
                false,
                format!(
                    "the manifest lists {} in another order than the rules in force ({})",
                    list(&ho),
                    list(&wo)
                ),
            );
        }
    }

    /// Globs of a zone, rule or exception: removed ones widen for zones and rules (files
    /// no longer matched lose their protection), added ones for exceptions (more files
    /// waived).
    fn globs(&mut self, field: &str, manifest: &[String], expected: &[String], added_widens: bool) {
        if manifest == expected {
            return;
        }
        let added: Vec<String> = manifest
            .iter()
            .filter(|g| !expected.contains(g))
            .cloned()
            .collect();
        let removed: Vec<String> = expected
            .iter()
            .filter(|g| !manifest.contains(g))
            .cloned()
            .collect();
        let widens = if added_widens {
            !added.is_empty()
        } else {
            !removed.is_empty()
        };
        let message = if added.is_empty() && removed.is_empty() {
            format!(
                "the manifest has the globs {} where the rules in force have {}",
                list(manifest),
                list(expected)
            )
        } else {
            format!(
                "the manifest adds {} and drops {} against the rules in force",
                list(&added),
                list(&removed)
            )
        };
        self.push(field, widens, message);
    }

    fn provenance(&mut self, m: &Manifest, e: &Manifest) {
        let (mp, ep) = (&m.provenance, &e.provenance);
        if mp.config.source != ep.config.source {
            self.changed(
                "provenance.config.source",
                &mp.config.source,
                &ep.config.source,
            );
        }
        if mp.config.digest != ep.config.digest {
            self.changed(
                "provenance.config.digest",
                &mp.config.digest,
                &ep.config.digest,
            );
        }
        self.keyed_list(
            "provenance.policies",
            &mp.policies,
            &ep.policies,
            |p| p.source.clone(),
            |_| false,
            false,
            |d, field, h, w| {
                if h.digest != w.digest {
                    d.changed(&format!("{field}.digest"), &h.digest, &w.digest);
                }
                if h.package != w.package {
                    d.changed(&format!("{field}.package"), &h.package, &w.package);
                }
            },
        );
        self.keyed_list(
            "provenance.rules",
            &mp.rules,
            &ep.rules,
            |r| r.source.clone(),
            |_| false,
            false,
            |d, field, h, w| {
                if h.digest != w.digest {
                    d.changed(&format!("{field}.digest"), &h.digest, &w.digest);
                }
            },
        );
        self.governance_file(
            "provenance.exceptions",
            "an exceptions file",
            mp.exceptions.as_ref(),
            ep.exceptions.as_ref(),
        );
        self.governance_file(
            "provenance.accepted",
            "an accepted findings file",
            mp.accepted.as_ref(),
            ep.accepted.as_ref(),
        );
        if mp.rego_input_version != ep.rego_input_version {
            self.changed(
                "provenance.rego_input_version",
                &mp.rego_input_version.to_string(),
                &ep.rego_input_version.to_string(),
            );
        }
        if mp.decisions != ep.decisions {
            let steps: std::collections::BTreeSet<&String> =
                mp.decisions.keys().chain(ep.decisions.keys()).collect();
            for step in steps {
                let (h, w) = (mp.decisions.get(step), ep.decisions.get(step));
                if h != w {
                    let shown =
                        |v: Option<&u32>| v.map_or_else(|| "none".to_string(), u32::to_string);
                    self.push(
                        format!("provenance.decisions.{step}"),
                        false,
                        format!(
                            "the manifest's entries were decided by version {} of the `{step}` step, this tiergate runs version {}",
                            shown(h),
                            shown(w)
                        ),
                    );
                }
            }
        }
        if mp.scope != ep.scope {
            self.changed(
                "provenance.scope",
                &format!("{:?}", mp.scope).to_lowercase(),
                &format!("{:?}", ep.scope).to_lowercase(),
            );
        }
    }

    fn tiers(&mut self, manifest: &[TierDef], expected: &[TierDef]) {
        self.keyed_list(
            "tiers",
            manifest,
            expected,
            |t| t.id.to_string(),
            |_| false,
            true,
            |d, field, h, w| {
                if h.name != w.name {
                    d.changed(&format!("{field}.name"), &h.name, &w.name);
                }
                if h.label != w.label {
                    d.changed(&format!("{field}.label"), &h.label, &w.label);
                }
            },
        );
    }

    fn destinations(&mut self, manifest: &[DestinationDef], expected: &[DestinationDef]) {
        // A destination the rules in force do not define may receive whatever its
        // `accepts` lets through: any content at all, to somewhere no rule speaks for.
        self.keyed_list(
            "destinations",
            manifest,
            expected,
            |x| x.name.clone(),
            |_| true,
            false,
            |d, field, h, w| {
                if h.accepts != w.accepts {
                    // A path may go to a destination iff its tier >= accepts: a lower
                    // `accepts` admits more sensitive tiers.
                    d.push(
                        format!("{field}.accepts"),
                        h.accepts < w.accepts,
                        format!(
                            "the manifest lets `{}` receive tier {} and above, the rules in force tier {} and above",
                            h.name, h.accepts, w.accepts
                        ),
                    );
                }
                if h.kind != w.kind {
                    d.changed(&format!("{field}.kind"), &h.kind, &w.kind);
                }
            },
        );
    }

    fn zones(&mut self, manifest: &[ZoneDef], expected: &[ZoneDef], zone_tiers: bool) {
        self.keyed_list(
            "zones",
            manifest,
            expected,
            |z| z.name.clone(),
            |_| false,
            true,
            |d, field, h, w| {
                d.globs(&format!("{field}.globs"), &h.globs, &w.globs, false);
                if zone_tiers && h.path_tier != w.path_tier {
                    // Exports exclude a zone's globs from destinations below its path
                    // tier: a higher number, or none, excludes less.
                    let widens = match (h.path_tier, w.path_tier) {
                        (Some(h), Some(w)) => h > w,
                        (None, Some(_)) => true,
                        _ => false,
                    };
                    d.push(
                        format!("{field}.path_tier"),
                        widens,
                        format!(
                            "the manifest gives the zone's paths {}, the rules in force {}",
                            tier_text(h.path_tier),
                            tier_text(w.path_tier)
                        ),
                    );
                }
            },
        );
    }

    fn rules(&mut self, manifest: &[RuleDef], expected: &[RuleDef]) {
        self.keyed_list(
            "rules",
            manifest,
            expected,
            |r| r.id.clone(),
            |_| false,
            true,
            |d, field, h, w| {
                d.globs(&format!("{field}.globs"), &h.globs, &w.globs, false);
                if h.tier != w.tier {
                    d.push(
                        format!("{field}.tier"),
                        h.tier > w.tier,
                        format!(
                            "the manifest's rule gives tier {}, the rule in force tier {}",
                            h.tier, w.tier
                        ),
                    );
                }
                if h.reason != w.reason {
                    d.changed(&format!("{field}.reason"), &h.reason, &w.reason);
                }
                if h.source != w.source {
                    d.changed(&format!("{field}.source"), &h.source, &w.source);
                }
            },
        );
    }

    fn exceptions(&mut self, manifest: &[ExceptionDef], expected: &[ExceptionDef]) {
        self.keyed_list(
            "exceptions",
            manifest,
            expected,
            |x| x.id.clone(),
            |_| true,
            false,
            |d, field, h, w| {
                d.globs(&format!("{field}.paths"), &h.paths, &w.paths, true);
                if h.tier != w.tier {
                    d.push(
                        format!("{field}.tier"),
                        h.tier > w.tier,
                        format!(
                            "the manifest's exception gives tier {}, the one in force tier {}",
                            h.tier, w.tier
                        ),
                    );
                }
                // Dates are `YYYY-MM-DD`, which order as text; anything else that differs
                // is taken as a widening (fail closed).
                let date = |s: &str| {
                    s.len() == 10 && s.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        _ => b.is_ascii_digit(),
                    })
                };
                let all_dates = [&h.expires, &w.expires, &h.approved, &w.approved]
                    .iter()
                    .all(|s| date(s));
                if h.expires != w.expires {
                    d.push(
                        format!("{field}.expires"),
                        !all_dates || h.expires > w.expires,
                        format!(
                            "the manifest's exception expires on {}, the one in force on {}",
                            h.expires, w.expires
                        ),
                    );
                }
                if h.approved != w.approved {
                    // Approved earlier: in force on days the reviewed one is not.
                    d.push(
                        format!("{field}.approved"),
                        !all_dates || h.approved < w.approved,
                        format!(
                            "the manifest's exception is approved from {}, the one in force from {}",
                            h.approved, w.approved
                        ),
                    );
                }
                if h.blob != w.blob {
                    // Unbound, or bound to other content: it waives content nobody
                    // reviewed.
                    d.push(
                        format!("{field}.blob"),
                        true,
                        format!(
                            "the manifest's exception is bound to {}, the one in force to {}",
                            h.blob.as_deref().unwrap_or("any content"),
                            w.blob.as_deref().unwrap_or("any content")
                        ),
                    );
                }
                if h.reason != w.reason {
                    d.changed(&format!("{field}.reason"), &h.reason, &w.reason);
                }
                if h.approver != w.approver {
                    d.changed(&format!("{field}.approver"), &h.approver, &w.approver);
                }
                if h.source != w.source {
                    d.changed(&format!("{field}.source"), &h.source, &w.source);
                }
            },
        );
    }
}

/// One line per difference, widenings first, for an error message.
pub fn describe(differences: &[HeaderDifference]) -> String {
    let mut sorted: Vec<&HeaderDifference> = differences.iter().collect();
    sorted.sort_by_key(|d| !d.widens);
    sorted
        .iter()
        .map(|d| {
            format!(
                "{}{}: {}",
                d.field,
                if d.widens { " (widens)" } else { "" },
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{ConfigProvenance, PolicyProvenance, test_manifest};

    fn base() -> Manifest {
        let mut m = test_manifest(&[]);
        m.destinations = vec![
            DestinationDef {
                name: "local".into(),
                kind: "local".into(),
                accepts: 1,
            },
            DestinationDef {
                name: "cloud-zdr".into(),
                kind: "cloud-zdr".into(),
                accepts: 3,
            },
        ];
        m.zones = vec![ZoneDef {
            name: "credentials".into(),
            globs: vec!["**/.env".into(), "**/*.pem".into()],
            path_tier: Some(1),
        }];
        m.rules = vec![RuleDef {
            id: "secrets".into(),
            globs: vec!["secrets/**".into(), "keys/**".into()],
            tier: 1,
            reason: "keys".into(),
            source: "tiergate.yaml:3".into(),
        }];
        m.exceptions = vec![ExceptionDef {
            id: "docs-ok".into(),
            paths: vec!["docs/a.md".into()],
            tier: 3,
            reason: "reviewed".into(),
            approver: "a@example.com".into(),
            approved: "2026-01-01".into(),
            expires: "2026-06-01".into(),
            blob: Some("ab".repeat(20)),
            source: "tiergate.exceptions.yaml:2".into(),
        }];
        m.provenance.policies = vec![PolicyProvenance {
            package: "tiergate.baseline".into(),
            source: "shipped:policies/baseline.rego".into(),
            digest: "sha256:11".into(),
        }];
        m.provenance.exceptions = Some(ConfigProvenance {
            source: "tiergate.exceptions.yaml".into(),
            digest: "sha256:22".into(),
        });
        m
    }

    /// One change to the manifest side: the fields it must report, and whether each
    /// widens.
    fn check(change: impl Fn(&mut Manifest), want: &[(&str, bool)], zone_tiers: bool) {
        let expected = base();
        let mut m = base();
        change(&mut m);
        let got: Vec<(String, bool)> = m
            .header_differences(&expected, zone_tiers)
            .into_iter()
            .map(|d| {
                assert!(!d.message.is_empty());
                (d.field, d.widens)
            })
            .collect();
        let want: Vec<(String, bool)> = want.iter().map(|(f, w)| (f.to_string(), *w)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_identical_header_has_no_difference_whatever_its_files_summary_and_writer() {
        check(
            |m| {
                m.generator.version = "9.9.9".into();
                m.provenance.commit = Some("c".repeat(40));
                m.summary.files = 7;
                m.files = test_manifest(&["a", "b"]).files;
            },
            &[],
            true,
        );
    }

    #[test]
    fn destinations_widen_when_added_or_accepting_more() {
        check(
            |m| m.destinations[1].accepts = 1,
            &[("destinations[cloud-zdr].accepts", true)],
            false,
        );
        check(
            |m| m.destinations[1].accepts = 4,
            &[("destinations[cloud-zdr].accepts", false)],
            false,
        );
        check(
            |m| {
                m.destinations.push(DestinationDef {
                    name: "cloud".into(),
                    kind: "cloud".into(),
                    accepts: 4,
                })
            },
            &[("destinations[cloud]", true)],
            false,
        );
        check(
            |m| {
                m.destinations.pop();
            },
            &[("destinations[cloud-zdr]", false)],
            false,
        );
        check(
            |m| m.destinations[1].kind = "cloud".into(),
            &[("destinations[cloud-zdr].kind", false)],
            false,
        );
        check(
            |m| m.destinations.reverse(),
            &[("destinations (order)", false)],
            false,
        );
    }

    #[test]
    fn tiers_widen_when_removed() {
        check(
            |m| {
                m.tiers.pop();
            },
            &[("tiers[4]", true)],
            false,
        );
        let mut extra = base();
        extra.tiers.pop();
        // Added in the manifest (the rules in force define fewer).
        let expected = extra.clone();
        let d = base().header_differences(&expected, false);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].field.as_str(), d[0].widens), ("tiers[4]", false));
        check(
            |m| m.tiers[0].name = "secret".into(),
            &[("tiers[1].name", false)],
            false,
        );
        check(
            |m| m.tiers[0].label = "Secret".into(),
            &[("tiers[1].label", false)],
            false,
        );
    }

    #[test]
    fn default_and_unlisted_tiers_widen_when_raised() {
        check(|m| m.default_tier = 4, &[("default_tier", true)], false);
        check(|m| m.default_tier = 2, &[("default_tier", false)], false);
        check(|m| m.unlisted.tier = 3, &[("unlisted.tier", true)], false);
        let mut expected = base();
        expected.unlisted.tier = 2;
        let d = base().header_differences(&expected, false);
        assert_eq!((d[0].field.as_str(), d[0].widens), ("unlisted.tier", false));
        check(
            |m| m.unlisted.code = "x".into(),
            &[("unlisted.code", false)],
            false,
        );
    }

    #[test]
    fn zones_widen_when_removed_losing_a_glob_or_their_tier_rises() {
        check(|m| m.zones.clear(), &[("zones[credentials]", true)], false);
        check(
            |m| {
                m.zones.push(ZoneDef {
                    name: "extra".into(),
                    globs: vec!["x/**".into()],
                    path_tier: None,
                })
            },
            &[("zones[extra]", false)],
            false,
        );
        check(
            |m| {
                m.zones[0].globs.pop();
            },
            &[("zones[credentials].globs", true)],
            false,
        );
        check(
            |m| m.zones[0].globs.push("**/id_rsa".into()),
            &[("zones[credentials].globs", false)],
            false,
        );
        check(
            |m| m.zones[0].globs.reverse(),
            &[("zones[credentials].globs", false)],
            false,
        );
        for (tier, widens) in [(Some(3), true), (None, true)] {
            check(
                |m| m.zones[0].path_tier = tier,
                &[("zones[credentials].path_tier", widens)],
                true,
            );
            // Not compared without the policies' answer.
            check(|m| m.zones[0].path_tier = tier, &[], false);
        }
        let mut expected = base();
        expected.zones[0].path_tier = Some(2);
        let mut m = base();
        let d = m.header_differences(&expected, true);
        assert_eq!(
            (d[0].field.as_str(), d[0].widens),
            ("zones[credentials].path_tier", false)
        );
        expected.zones[0].path_tier = None;
        m.zones[0].path_tier = Some(1);
        let d = m.header_differences(&expected, true);
        assert!(!d[0].widens, "a tier where the rules give none");
    }

    #[test]
    fn rules_widen_when_removed_losing_a_glob_or_their_tier_rises() {
        check(|m| m.rules.clear(), &[("rules[secrets]", true)], false);
        check(
            |m| {
                let mut r = m.rules[0].clone();
                r.id = "more".into();
                m.rules.push(r);
            },
            &[("rules[more]", false)],
            false,
        );
        check(
            |m| m.rules[0].globs = vec!["secrets/**".into()],
            &[("rules[secrets].globs", true)],
            false,
        );
        check(
            |m| m.rules[0].globs.push("vault/**".into()),
            &[("rules[secrets].globs", false)],
            false,
        );
        check(
            |m| m.rules[0].globs = vec!["secret/**".into(), "keys/**".into()],
            &[("rules[secrets].globs", true)],
            false,
        );
        check(
            |m| m.rules[0].tier = 3,
            &[("rules[secrets].tier", true)],
            false,
        );
        let mut expected = base();
        expected.rules[0].tier = 2;
        let d = base().header_differences(&expected, false);
        assert_eq!(
            (d[0].field.as_str(), d[0].widens),
            ("rules[secrets].tier", false)
        );
        check(
            |m| m.rules[0].reason = "other".into(),
            &[("rules[secrets].reason", false)],
            false,
        );
        check(
            |m| m.rules[0].source = "tiergate.yaml:9".into(),
            &[("rules[secrets].source", false)],
            false,
        );
        check(
            |m| {
                let mut r = m.rules[0].clone();
                r.tier = 4;
                m.rules.push(r);
            },
            &[("rules", true)],
            false,
        );
    }

    #[test]
    fn exceptions_widen_when_added_raised_extended_or_unbound() {
        check(
            |m| {
                let mut x = m.exceptions[0].clone();
                x.id = "new".into();
                m.exceptions.push(x);
            },
            &[("exceptions[new]", true)],
            false,
        );
        check(
            |m| m.exceptions.clear(),
            &[("exceptions[docs-ok]", false)],
            false,
        );
        check(
            |m| m.exceptions[0].tier = 4,
            &[("exceptions[docs-ok].tier", true)],
            false,
        );
        check(
            |m| m.exceptions[0].tier = 2,
            &[("exceptions[docs-ok].tier", false)],
            false,
        );
        check(
            |m| m.exceptions[0].paths.push("docs/**".into()),
            &[("exceptions[docs-ok].paths", true)],
            false,
        );
        check(
            |m| m.exceptions[0].paths.clear(),
            &[("exceptions[docs-ok].paths", false)],
            false,
        );
        check(
            |m| m.exceptions[0].expires = "2027-01-01".into(),
            &[("exceptions[docs-ok].expires", true)],
            false,
        );
        check(
            |m| m.exceptions[0].expires = "2026-02-01".into(),
            &[("exceptions[docs-ok].expires", false)],
            false,
        );
        check(
            |m| m.exceptions[0].expires = "someday".into(),
            &[("exceptions[docs-ok].expires", true)],
            false,
        );
        check(
            |m| m.exceptions[0].approved = "2025-01-01".into(),
            &[("exceptions[docs-ok].approved", true)],
            false,
        );
        check(
            |m| m.exceptions[0].approved = "2026-02-01".into(),
            &[("exceptions[docs-ok].approved", false)],
            false,
        );
        check(
            |m| m.exceptions[0].blob = None,
            &[("exceptions[docs-ok].blob", true)],
            false,
        );
        check(
            |m| m.exceptions[0].blob = Some("cd".repeat(20)),
            &[("exceptions[docs-ok].blob", true)],
            false,
        );
        check(
            |m| m.exceptions[0].reason = "x".into(),
            &[("exceptions[docs-ok].reason", false)],
            false,
        );
        check(
            |m| m.exceptions[0].approver = "b@example.com".into(),
            &[("exceptions[docs-ok].approver", false)],
            false,
        );
        check(
            |m| m.exceptions[0].source = "x:1".into(),
            &[("exceptions[docs-ok].source", false)],
            false,
        );
    }

    #[test]
    fn provenance_differences_never_widen() {
        check(
            |m| m.provenance.config.source = "other.yaml".into(),
            &[("provenance.config.source", false)],
            false,
        );
        check(
            |m| m.provenance.config.digest = "sha256:ff".into(),
            &[("provenance.config.digest", false)],
            false,
        );
        check(
            |m| m.provenance.policies[0].digest = "sha256:ff".into(),
            &[(
                "provenance.policies[shipped:policies/baseline.rego].digest",
                false,
            )],
            false,
        );
        check(
            |m| m.provenance.policies[0].package = "tiergate.other".into(),
            &[(
                "provenance.policies[shipped:policies/baseline.rego].package",
                false,
            )],
            false,
        );
        check(
            |m| m.provenance.policies.clear(),
            &[("provenance.policies[shipped:policies/baseline.rego]", false)],
            false,
        );
        check(
            |m| {
                m.provenance.policies.push(PolicyProvenance {
                    package: "tiergate.custom.x".into(),
                    source: "policies/x.rego".into(),
                    digest: "sha256:33".into(),
                })
            },
            &[("provenance.policies[policies/x.rego]", false)],
            false,
        );
        check(
            |m| m.provenance.exceptions = None,
            &[("provenance.exceptions", false)],
            false,
        );
        check(
            |m| m.provenance.exceptions.as_mut().unwrap().digest = "sha256:ff".into(),
            &[("provenance.exceptions.digest", false)],
            false,
        );
        check(
            |m| m.provenance.exceptions.as_mut().unwrap().source = "x.yaml".into(),
            &[("provenance.exceptions.source", false)],
            false,
        );
        check(
            |m| m.provenance.rego_input_version = 2,
            &[("provenance.rego_input_version", false)],
            false,
        );
        check(
            |m| m.provenance.scope = crate::manifest::Scope::All,
            &[("provenance.scope", false)],
            false,
        );
    }

    #[test]
    fn the_description_puts_widenings_first() {
        let expected = base();
        let mut m = base();
        m.provenance.config.digest = "sha256:ff".into();
        m.destinations[1].accepts = 1;
        let text = describe(&m.header_differences(&expected, false));
        assert!(
            text.starts_with("destinations[cloud-zdr].accepts (widens): "),
            "{text}"
        );
        assert!(text.contains("provenance.config.digest: "), "{text}");
    }
}
