//! From what the application layer found (classifications of both sides of every
//! changed path, manifest problems, governance files touched) to verdicts and tier
//! changes. Pure: no I/O, deterministic order.

use globset::{GlobSet, GlobSetBuilder};

use super::{Code, Direction, Status, TierChange, Verdict};
use super::{GateConfig, Requirement, SecretsPolicy};
use crate::model::{Destination, TierId};

/// One path's classification on one side of a change, as far as the gate cares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathSide {
    pub tier: TierId,
    /// The rule of the finding that decided the tier.
    pub rule: Option<String>,
    /// Zones the path is in.
    pub zones: Vec<String>,
    /// Credentials found in the content. Only high-confidence `secret` signals:
    /// validated tokens and private keys.
    pub credentials: Vec<Credential>,
    /// Detector hits that markers in the content accept as false positives.
    pub accepted_inline: Vec<InlineAcceptance>,
    /// The tier the content would have if no marker counted (`tier` without markers).
    pub tier_without_markers: TierId,
}

/// A hit a `tiergate:accept` marker accepts: which signal, where, its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineAcceptance {
    pub signal: String,
    pub line: u32,
    pub fingerprint: String,
}

/// A credential signal: which kind, where first, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: String,
    pub line: u32,
    pub count: u32,
}

/// A path whose content or place changed, judged on both sides by the same rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathChange {
    pub status: Status,
    /// The new path (the old one for a deletion).
    pub path: String,
    /// The source of a rename.
    pub old_path: Option<String>,
    pub old: Option<PathSide>,
    pub new: Option<PathSide>,
}

/// Why the committed manifest does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// No manifest, or one that cannot be read: the whole change is unverified.
    Manifest { message: String },
    /// A field of the manifest's header differs from the header the rules give.
    /// `widens`: the difference lets some content reach more destinations (a
    /// `tier-lowered` verdict); otherwise the manifest is stale.
    Header { widens: bool, message: String },
    /// One path's entry differs from what the judging rules give (None: not listed /
    /// should not be listed). An entry less protected than the rules give is also
    /// `tier-lowered`.
    Entry {
        path: String,
        expected: Option<TierId>,
        found: Option<TierId>,
        message: String,
    },
}

/// A path whose content did not change but whose tier in the manifest did (the base
/// manifest against the new one). Reported as a tier change; whether the new entry is
/// right is judged like every other entry (see [`Stale::Entry`] and [`Lowering`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub path: String,
    pub old: Option<TierId>,
    pub new: Option<TierId>,
    pub rule: Option<String>,
}

/// Content that becomes less protected although the manifest follows rules: a copy of
/// a more protected file, or an entry that the change's own new rules lower below what
/// the judging rules give. Always `tier-lowered`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowering {
    pub path: String,
    /// The more protected path the content comes from (a copy).
    pub source: Option<String>,
    /// The tier the content must keep.
    pub from: TierId,
    /// The tier it gets.
    pub to: TierId,
    pub message: String,
}

/// An exception that fails the gate: expired, or bound to content that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionIssue {
    pub code: Code,
    /// The exceptions file for an expired one; the changed file for a mismatch.
    pub path: String,
    /// The exception's line in the exceptions file (expired ones).
    pub line: Option<u64>,
    pub id: String,
    pub message: String,
}

/// Everything the gate judges.
pub struct Inputs<'a> {
    pub changes: Vec<PathChange>,
    /// Governance files (config, policies, exceptions) the change touches.
    pub governance: Vec<(String, Status)>,
    pub stale: Vec<Stale>,
    /// Entries that moved without their content moving, for the tier changes.
    pub shifts: Vec<Shift>,
    pub lowerings: Vec<Lowering>,
    pub gate: &'a GateConfig,
    pub destinations: &'a [Destination],
    /// The most sensitive tier id (tier 1 by default).
    pub restricted: TierId,
    /// Name of the manifest file, for verdicts about it.
    pub manifest: &'a str,
    pub exceptions: Vec<ExceptionIssue>,
}

/// Compiled `gate.require` globs, one set per requirement.
struct Requirements<'a> {
    items: Vec<(&'a Requirement, GlobSet, TierId)>,
}

impl<'a> Requirements<'a> {
    fn compile(gate: &'a GateConfig, destinations: &[Destination]) -> anyhow::Result<Self> {
        let mut items = Vec::new();
        for r in &gate.require {
            let mut b = GlobSetBuilder::new();
            for g in &r.globs {
                b.add(crate::model::build_glob(g)?);
            }
            let accepts = destinations
                .iter()
                .find(|d| d.name == r.reachable_by)
                .map(|d| d.accepts)
                .ok_or_else(|| anyhow::anyhow!("unknown destination `{}`", r.reachable_by))?;
            items.push((r, b.build()?, accepts));
        }
        Ok(Requirements { items })
    }

    /// Requirements covering a path that its tier breaks.
    fn broken(&self, path: &str, side: &PathSide) -> Vec<(&'a Requirement, TierId)> {
        self.items
            .iter()
            .filter(|(r, set, _)| {
                r.zones.iter().any(|z| side.zones.contains(z)) || set.is_match(path)
            })
            .filter(|(_, _, accepts)| side.tier < *accepts)
            .map(|(r, _, accepts)| (*r, *accepts))
            .collect()
    }
}

/// Judge a change. Verdicts come sorted by path (change-wide ones first), then code;
/// tier changes by path.
pub fn judge(inputs: &Inputs<'_>) -> anyhow::Result<(Vec<Verdict>, Vec<TierChange>)> {
    let requirements = Requirements::compile(inputs.gate, inputs.destinations)?;
    let make = Make { inputs };
    let mut verdicts = Vec::new();
    let mut changes = Vec::new();
    stale_verdicts(&make, &mut verdicts);
    lowering_verdicts(&make, &mut verdicts);
    governance_verdicts(&make, &mut verdicts);
    marker_verdicts(&make, &mut verdicts);
    exception_verdicts(&make, &mut verdicts);
    for c in &inputs.changes {
        changes.extend(tier_change(c));
        path_verdicts(&make, &requirements, c, &mut verdicts);
    }
    changes.extend(shift_changes(&inputs.shifts));

    verdicts.sort_by(|a, b| {
        (a.path.is_some(), &a.path, a.code, &a.rule, a.line).cmp(&(
            b.path.is_some(),
            &b.path,
            b.code,
            &b.rule,
            b.line,
        ))
    });
    verdicts.dedup();
    changes.sort_by(|a, b| a.path.cmp(&b.path).then(a.status.cmp(&b.status)));
    Ok((verdicts, changes))
}

/// Makes verdicts for one judgement: whether a code fails comes from `gate.fail_on`.
struct Make<'i, 'a> {
    inputs: &'i Inputs<'a>,
}

impl Make<'_, '_> {
    fn fails(&self, code: Code) -> bool {
        self.inputs.gate.fail_on.contains(&code)
    }

    /// A verdict with nothing but its code, path and message.
    fn verdict(&self, code: Code, path: Option<&str>, message: String) -> Verdict {
        Verdict {
            code,
            path: path.map(str::to_string),
            old_path: None,
            line: None,
            old_tier: None,
            new_tier: None,
            rule: None,
            message,
            fails: self.fails(code),
        }
    }
}

/// A stale manifest, header or entry; an entry less protected than the rules give is
/// also `tier-lowered` (pushed first).
fn stale_verdicts(make: &Make<'_, '_>, out: &mut Vec<Verdict>) {
    let manifest = Some(make.inputs.manifest);
    for s in &make.inputs.stale {
        let v = match s {
            Stale::Manifest { message }
            | Stale::Header {
                widens: false,
                message,
            } => make.verdict(Code::StaleManifest, manifest, message.clone()),
            Stale::Header {
                widens: true,
                message,
            } => make.verdict(Code::TierLowered, manifest, message.clone()),
            Stale::Entry {
                path,
                expected,
                found,
                message,
            } => {
                let stale = Verdict {
                    old_tier: *found,
                    new_tier: *expected,
                    ..make.verdict(Code::StaleManifest, Some(path), message.clone())
                };
                if let (Some(e), Some(f)) = (expected, found)
                    && f > e
                {
                    out.push(Verdict {
                        code: Code::TierLowered,
                        fails: make.fails(Code::TierLowered),
                        old_tier: Some(*e),
                        new_tier: Some(*f),
                        message: format!(
                            "the manifest says tier {f} where the rules give tier {e}: it would let the content reach destinations it may not"
                        ),
                        ..stale.clone()
                    });
                }
                stale
            }
        };
        out.push(v);
    }
}

/// Copies of more protected content, and lowerings through the change's own rules.
fn lowering_verdicts(make: &Make<'_, '_>, out: &mut Vec<Verdict>) {
    for l in &make.inputs.lowerings {
        out.push(Verdict {
            old_path: l.source.clone(),
            old_tier: Some(l.from),
            new_tier: Some(l.to),
            ..make.verdict(Code::TierLowered, Some(&l.path), l.message.clone())
        });
    }
}

/// Governance files the change touches: a policy change to review.
fn governance_verdicts(make: &Make<'_, '_>, out: &mut Vec<Verdict>) {
    for (file, status) in &make.inputs.governance {
        let what = match status {
            Status::Added => "added",
            Status::Deleted => "deleted",
            Status::Renamed => "renamed",
            _ => "modified",
        };
        out.push(make.verdict(
            Code::PolicyChange,
            Some(file),
            format!(
                "{file} is {what} by this change; the change was judged with the unchanged rules, and the new ones need review"
            ),
        ));
    }
}

/// A marker the change adds accepts a finding without touching a governance file:
/// noted like one, at its line, so that review sees it.
fn marker_verdicts(make: &Make<'_, '_>, out: &mut Vec<Verdict>) {
    for c in &make.inputs.changes {
        let Some(new) = &c.new else { continue };
        let before = c.old.as_ref().map_or(&[][..], |o| &o.accepted_inline[..]);
        for a in &new.accepted_inline {
            if before.iter().any(|b| b.fingerprint == a.fingerprint) {
                continue;
            }
            out.push(Verdict {
                line: Some(u64::from(a.line)),
                rule: Some(a.signal.clone()),
                ..make.verdict(
                    Code::PolicyChange,
                    Some(&c.path),
                    format!(
                        "line {}: a tiergate:accept marker added by this change accepts a {} finding as a false positive; it needs review",
                        a.line, a.signal
                    ),
                )
            });
        }
    }
}

/// Expired exceptions and exceptions bound to content that changed.
fn exception_verdicts(make: &Make<'_, '_>, out: &mut Vec<Verdict>) {
    for x in &make.inputs.exceptions {
        out.push(Verdict {
            line: x.line,
            rule: Some(x.id.clone()),
            ..make.verdict(x.code, Some(&x.path), x.message.clone())
        });
    }
}

/// The tier change of a changed path: None when its tier stays and it did not move.
fn tier_change(c: &PathChange) -> Option<TierChange> {
    let old_tier = c.old.as_ref().map(|s| s.tier);
    let new_tier = c.new.as_ref().map(|s| s.tier);
    let direction = TierChange::direction_of(old_tier, new_tier);
    let rule = c
        .new
        .as_ref()
        .or(c.old.as_ref())
        .and_then(|s| s.rule.clone());
    (direction != Direction::Same || c.status == Status::Renamed).then(|| TierChange {
        path: c.path.clone(),
        old_path: c.old_path.clone(),
        status: c.status,
        old_tier,
        new_tier,
        direction,
        rule,
    })
}

/// Entries that moved without their content moving, as tier changes.
fn shift_changes(shifts: &[Shift]) -> impl Iterator<Item = TierChange> + '_ {
    shifts.iter().filter_map(|s| {
        let direction = TierChange::direction_of(s.old, s.new);
        (direction != Direction::Same).then(|| TierChange {
            path: s.path.clone(),
            old_path: None,
            status: Status::Unchanged,
            old_tier: s.old,
            new_tier: s.new,
            direction,
            rule: s.rule.clone(),
        })
    })
}

/// The verdicts on the new side of one changed path: lowered, newly restricted,
/// committed credentials, broken requirements, in that order.
fn path_verdicts(
    make: &Make<'_, '_>,
    requirements: &Requirements<'_>,
    c: &PathChange,
    out: &mut Vec<Verdict>,
) {
    let Some(new) = &c.new else { return };
    let old_tier = c.old.as_ref().map(|s| s.tier);
    let new_tier = Some(new.tier);
    let base = Verdict {
        old_path: c.old_path.clone(),
        old_tier,
        new_tier,
        rule: new.rule.clone(),
        ..make.verdict(Code::TierLowered, Some(&c.path), String::new())
    };
    // A lowering that markers alone make is the markers' policy change (noted with
    // theirs, at their lines), not a tier-lowered failure.
    if let (Some(o), Some(n)) = (old_tier, new_tier)
        && n > o
        && (new.accepted_inline.is_empty() || new.tier_without_markers > o)
    {
        let message = match (&c.old_path, c.status) {
            (Some(from), Status::Renamed) => format!(
                "moved from {from} (tier {o}) to a place that is tier {n}: content that had to stay more protected may now reach more destinations"
            ),
            _ => format!(
                "tier {o} before this change, tier {n} after: the path may now reach destinations it could not"
            ),
        };
        out.push(Verdict {
            message,
            ..base.clone()
        });
    }
    let restricted = make.inputs.restricted;
    if n_is_restricted(new_tier, restricted) && old_tier.is_none_or(|o| o > restricted) {
        let decided_by = new.rule.as_deref().unwrap_or("the default tier");
        let message = match old_tier {
            None => {
                format!("new tier-{restricted} content (decided by {decided_by}): it stays local")
            }
            Some(o) => {
                format!("now tier {restricted} (was {o}), decided by {decided_by}: it stays local")
            }
        };
        out.push(Verdict {
            code: Code::NewRestricted,
            fails: make.fails(Code::NewRestricted),
            message,
            ..base.clone()
        });
    }
    if make.inputs.gate.committed_secrets == SecretsPolicy::Violation {
        credential_verdicts(make, c, new, &base, out);
    }
    for (r, accepts) in requirements.broken(&c.path, new) {
        out.push(Verdict {
            code: Code::Violation,
            fails: make.fails(Code::Violation),
            rule: Some(format!("gate.require.{}", r.id)),
            message: format!(
                "tier {} here breaks requirement `{}` ({}:{}): every file it covers must be able to reach {} (tier {accepts} or higher); {}",
                new.tier, r.id, r.source.file, r.source.line, r.reachable_by, r.reason
            ),
            ..base.clone()
        });
    }
}

/// Credentials the new side commits. Those the old side already held are not this
/// change's doing (a full check reports them); more of a kind than before are.
fn credential_verdicts(
    make: &Make<'_, '_>,
    c: &PathChange,
    new: &PathSide,
    base: &Verdict,
    out: &mut Vec<Verdict>,
) {
    let before = |id: &str| {
        c.old
            .iter()
            .flat_map(|o| &o.credentials)
            .filter(|k| k.id == id)
            .map(|k| k.count)
            .sum::<u32>()
    };
    for Credential { id, line, count } in &new.credentials {
        if *count <= before(id) {
            continue;
        }
        out.push(Verdict {
            code: Code::Violation,
            fails: make.fails(Code::Violation),
            line: Some(u64::from(*line)),
            rule: Some(id.clone()),
            message: format!(
                "a credential ({id}) is committed: credentials never belong in a repository; remove it, rotate it, and load it at run time"
            ),
            ..base.clone()
        });
    }
}

fn n_is_restricted(tier: Option<TierId>, restricted: TierId) -> bool {
    tier == Some(restricted)
}

#[cfg(test)]
mod tests;
