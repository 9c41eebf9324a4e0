//! From what the detectors found to findings: each (blob, path) pair with credential
//! signals is classified as a scan classifies a tracked file with those bytes at that
//! path (glob rules, then the policies over its facts, without exceptions), and each
//! signal is judged by the findings it adds to those the path has without it: *live*
//! when one of them is tier 1. Then the blobs that hold the same credential (the same
//! signal, as many times, with the same text where it is first seen, judged alike:
//! versions of a file that keep it, copies, renames) become one finding, at the oldest
//! commit that introduced one of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use git2::Oid;

use super::cache::{Cache, Hit, Scanned};
use super::commits::Walked;
use super::{Finding, ROTATE};
use crate::decide::{Classifier, Rules};
use crate::detect::Detectors;
use crate::model::{Facts, RESTRICTED, Signal, TierId};
use crate::policy::PolicySet;
use crate::walk;

/// The detectors and the rules a history is judged with.
pub struct Judge {
    detectors: Detectors,
    rules: Arc<Rules>,
    policies: PolicySet,
    /// Signal id → what it is (`a Stripe secret or restricted key`).
    titles: HashMap<String, String>,
    max_content_bytes: u64,
    binary_sniff_bytes: u64,
}

impl Judge {
    /// `detectors`: the credentials' (see [`Detectors::credentials`]); `rules`: compiled
    /// without exceptions; `titles`: each signal's title.
    pub fn new(
        detectors: Detectors,
        rules: Arc<Rules>,
        policies: PolicySet,
        titles: HashMap<String, String>,
    ) -> Judge {
        let limits = &rules.config().limits;
        let (max_content_bytes, binary_sniff_bytes) =
            (limits.max_content_bytes, limits.binary_sniff_bytes);
        Judge {
            detectors,
            rules,
            policies,
            titles,
            max_content_bytes,
            binary_sniff_bytes,
        }
    }

    pub fn detectors(&self) -> &Detectors {
        &self.detectors
    }

    fn title(&self, id: &str) -> String {
        self.titles
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("a credential ({id})"))
    }

    /// The facts a scan has of a tracked file at `path` whose content is `scanned`
    /// (zones are the classifier's to add).
    fn facts(&self, raw: &[u8], scanned: &Scanned) -> Facts {
        let rel = walk::RelPath {
            display: super::display(raw),
            raw: raw.to_vec(),
            utf8: std::str::from_utf8(raw).is_ok(),
        };
        let (mut facts, _) = walk::facts_from_head(
            rel,
            super::scan::MODE_FILE,
            &[],
            scanned.size,
            self.max_content_bytes,
            self.binary_sniff_bytes,
        );
        if scanned.binary {
            facts.kind = crate::model::FileKind::Binary;
            facts.content_scanned = false;
        }
        facts
    }

    /// How each signal of `scanned` at `raw` is judged, in its order.
    fn verdicts(&self, classifier: &mut Classifier, raw: &[u8], scanned: &Scanned) -> Vec<Verdict> {
        let facts = self.facts(raw, scanned);
        let signal = |h: &Hit| Signal {
            id: h.id.clone(),
            category: "secret".into(),
            confidence: h.confidence,
            count: h.count,
            line: h.line,
        };
        let mut decide = |signals: Vec<Signal>| {
            let mut f = facts.clone();
            f.signals = signals;
            classifier.classify(f, || None).decision.findings
        };
        let baseline: BTreeSet<(String, String, Option<TierId>)> =
            decide(Vec::new()).iter().map(key).collect();
        // The findings a set of signals adds to the path's own: the most restrictive
        // one, with its tier.
        let mut added = |signals: Vec<Signal>| {
            decide(signals)
                .into_iter()
                .filter(|f| f.tier.is_some() && !baseline.contains(&key(f)))
                .min_by_key(|f| f.tier)
                .map(|f| (f.tier, f.rule))
        };
        let mut verdicts: Vec<Verdict> = scanned
            .signals
            .iter()
            .map(|h| {
                let (tier, rule) = added(vec![signal(h)]).unwrap_or((None, String::new()));
                Verdict {
                    tier,
                    policy_rule: (!rule.is_empty()).then_some(rule),
                    live: tier == Some(RESTRICTED),
                }
            })
            .collect();
        // A policy may judge signals together: when all of them make the file tier 1
        // and none alone does, each counts as live (fail closed).
        if verdicts.len() > 1 && !verdicts.iter().any(|v| v.live) {
            let all = added(scanned.signals.iter().map(signal).collect());
            if let Some((Some(RESTRICTED), rule)) = all {
                for v in &mut verdicts {
                    v.live = true;
                    v.tier = Some(RESTRICTED);
                    v.policy_rule = Some(rule.clone());
                }
            }
        }
        verdicts
    }
}

/// What identifies a finding in a decision, to tell those signals add.
fn key(f: &crate::model::Finding) -> (String, String, Option<TierId>) {
    (f.code.clone(), f.rule.clone(), f.tier)
}

/// How one signal at one path is judged.
#[derive(Debug, Clone)]
struct Verdict {
    tier: Option<TierId>,
    policy_rule: Option<String>,
    live: bool,
}

impl Verdict {
    /// Lower is more severe: live first, then by tier, no tier last.
    fn rank(&self) -> (bool, TierId) {
        (!self.live, self.tier.unwrap_or(TierId::MAX))
    }
}

/// The findings of a walked history: credentials, by the cache's results; objects that
/// could not be read (`unreadable`: pairs whose blob could not, and the walk's
/// errors). Sorted by path, commit date, commit, line, rule.
pub fn findings(
    walked: &Walked,
    cache: &Cache,
    unreadable: &HashMap<(Oid, &[u8]), String>,
    judge: &Judge,
) -> Vec<Finding> {
    let mut classifier = Classifier::new(judge.rules.clone(), &judge.policies);
    // Paths each blob was introduced at, to count copies and renames.
    let mut paths_of: HashMap<Oid, BTreeSet<String>> = HashMap::new();
    for ((blob, raw), _) in &walked.pairs {
        paths_of
            .entry(*blob)
            .or_default()
            .insert(super::display(raw));
    }
    // One group per credential: the same signal on the same line of text, as many
    // times, judged alike: the versions of a file that keep it, its copies and renames.
    let mut groups: BTreeMap<(String, u64, u32, bool), Group> = BTreeMap::new();
    let mut out: Vec<Finding> = Vec::new();
    for ((blob, raw), intro) in &walked.pairs {
        if let Some(message) = unreadable.get(&(*blob, &**raw)) {
            let path = super::display(raw);
            let c = &walked.commits[intro.oldest as usize];
            out.push(Finding {
                other_paths: others(paths_of[blob].iter().map(String::as_str), &path),
                blob: Some(blob.to_string()),
                other_commits: intro.commits.len() as u64 - 1,
                ..unreadable_finding(path, Some(c), message)
            });
            continue;
        }
        let Some(scanned) = cache.get(*blob, raw) else {
            continue;
        };
        if scanned.signals.is_empty() {
            continue;
        }
        let path = super::display(raw);
        let verdicts = judge.verdicts(&mut classifier, raw, scanned);
        for (hit, verdict) in scanned.signals.iter().zip(verdicts) {
            let member = Member {
                path: path.clone(),
                oldest: intro.oldest,
                blob: *blob,
                hit: hit.clone(),
                verdict,
            };
            let key = (hit.id.clone(), hit.group, hit.count, member.verdict.live);
            let g = groups.entry(key).or_insert_with(|| Group {
                first: member.clone(),
                commits: BTreeSet::new(),
                blobs: BTreeSet::new(),
            });
            g.commits.extend(intro.commits.iter().copied());
            g.blobs.insert(*blob);
            let older = walked.older(member.oldest, g.first.oldest)
                || member.oldest == g.first.oldest && member.path < g.first.path;
            // The most severe verdict of its members, at the oldest of them.
            let verdict = if member.verdict.rank() <= g.first.verdict.rank() {
                member.verdict.clone()
            } else {
                g.first.verdict.clone()
            };
            if older {
                g.first = member;
            }
            g.first.verdict = verdict;
        }
    }
    for ((id, _, _, _), g) in groups {
        let first = g.first;
        let c = &walked.commits[first.oldest as usize];
        let paths = g
            .blobs
            .iter()
            .flat_map(|b| paths_of[b].iter().map(String::as_str));
        let title = judge.title(&id);
        out.push(Finding {
            other_paths: others(paths, &first.path),
            path: first.path,
            commit: Some(c.id.to_string()),
            date: Some(super::rfc3339(c.time)),
            blob: Some(first.blob.to_string()),
            line: Some(first.hit.line),
            count: first.hit.count,
            confidence: Some(first.hit.confidence),
            tier: first.verdict.tier,
            policy_rule: first.verdict.policy_rule,
            live: first.verdict.live,
            other_commits: g.commits.len() as u64 - 1,
            action: action(&title, first.verdict.live),
            rule: id,
            title,
        });
    }
    for e in &walked.errors {
        let c = e
            .commit
            .and_then(|id| walked.commits.iter().find(|c| c.id == id));
        let mut finding = unreadable_finding(e.path.clone(), c, &e.message);
        finding.commit = e.commit.map(|c| c.to_string());
        out.push(finding);
    }
    out.sort_by(|a, b| {
        (&a.path, &a.date, &a.commit, a.line, &a.rule, &a.blob)
            .cmp(&(&b.path, &b.date, &b.commit, b.line, &b.rule, &b.blob))
    });
    out
}

/// The title of a finding about an object that cannot be read.
const UNREADABLE: &str = "an object that cannot be read";
/// What such a finding says after why.
const UNSEARCHED: &str = "what it holds was not searched for credentials (fail closed): restore the object (`git fsck`, fetch it again) and run again";

/// The distinct paths among `paths` other than `path`.
/// A finding for what could not be read (`read-error`): tier 1, live, at `path`, dated
/// by commit `c` when there is one; the caller sets commit, blob and counts.
fn unreadable_finding(path: String, c: Option<&super::commits::Commit>, message: &str) -> Finding {
    Finding {
        path,
        commit: c.map(|c| c.id.to_string()),
        date: c.map(|c| super::rfc3339(c.time)),
        blob: None,
        rule: super::READ_ERROR.into(),
        title: UNREADABLE.into(),
        line: None,
        count: 1,
        confidence: None,
        tier: Some(RESTRICTED),
        policy_rule: None,
        live: true,
        other_commits: 0,
        other_paths: 0,
        action: format!("{message}; {UNSEARCHED}"),
    }
}

fn others<'a>(paths: impl Iterator<Item = &'a str>, path: &str) -> u64 {
    paths.filter(|p| *p != path).collect::<BTreeSet<_>>().len() as u64
}

/// What to do about a credential: rotate a live one; check a test key, fixture or
/// low-confidence hit.
pub fn action(title: &str, live: bool) -> String {
    if live {
        format!("Rotate {title}: {ROTATE}.")
    } else {
        format!(
            "Check {title}: judged a test or example key, a fixture or a low-confidence hit (not tier 1). If it is a real credential, rotate it: {ROTATE}."
        )
    }
}

/// One pair's credential, as a member of a group.
#[derive(Debug, Clone)]
struct Member {
    path: String,
    /// The oldest commit that introduced the blob at the path.
    oldest: u32,
    blob: Oid,
    hit: Hit,
    verdict: Verdict,
}

/// The pairs holding one credential.
struct Group {
    /// The member introduced first, with the most severe verdict of all.
    first: Member,
    /// Every commit that introduced a member.
    commits: BTreeSet<u32>,
    blobs: BTreeSet<Oid>,
}
