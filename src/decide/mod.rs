//! Decide: from facts to a tier. Zone and glob-rule globs are compiled once into one
//! globset; Rego policies see the resulting facts through a memoized evaluator; the
//! most restrictive finding wins; any error while deciding is a tier-1 finding (fail
//! closed). Whole-repository steps that need every record (symlink targets, case
//! collisions) run once in [`finish`], after the parallel part.
//! Must not import walk's traversal, manifest or render.

mod by_path;
mod globs;
mod links;

pub use by_path::{ByPath, Sorted};
pub use links::lookups as link_lookups;

use std::collections::BTreeMap;
use std::sync::Arc;

use globset::{GlobSet, GlobSetBuilder};

use crate::codes;
use crate::config::{Config, Exception, ExceptionStatus, ExceptionsFile};
use crate::model::{
    AcceptedBy, Date, Decision, Facts, FileKind, Finding, GitState, RESTRICTED, Signal, SizeClass,
    SourceLoc, TierId,
};
use crate::policy::{
    Evaluator, INPUT_VERSION, PolicySet, RegoComponent, RegoFile, RegoInput, RegoSignal,
};

/// One classified file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub facts: Facts,
    pub decision: Decision,
}

/// Classified files by path. Each record is boxed: a map of 100,000 of them, and the
/// sorted run it is built from, then move 8 bytes per file instead of the whole record,
/// which kept tens of megabytes of copies alive while a scan's map was built.
pub type Records = BTreeMap<String, Box<FileRecord>>;

/// What [`finish`] needs of a classified file, however a scan keeps it: the whole
/// record (for `ls`, `explain`, `report`), or only what the manifest lists (for `scan`,
/// which keeps a decision shared by every file that has the same one).
pub trait Classified {
    fn kind(&self) -> FileKind;
    /// The git state, which says whether the manifest lists the file.
    fn git(&self) -> GitState;
    fn link_target(&self) -> Option<&str>;
    fn decision(&self) -> &Decision;
    /// The findings, to be decided again with one more: taken where the record owns
    /// them, copied where it shares them.
    fn take_findings(&mut self) -> Vec<Finding>;
    fn set_decision(&mut self, decision: Decision);
    /// The path's bytes as stored, when they differ from its path (see
    /// [`Facts::raw_name`]).
    fn raw_name(&self) -> Option<&[u8]>;
    /// The path's [`crate::model::CaseHasher`] hash, when computed beforehand.
    fn case_hash(&self) -> Option<u64> {
        None
    }
}

impl Classified for Box<FileRecord> {
    fn kind(&self) -> FileKind {
        self.facts.kind
    }
    fn git(&self) -> GitState {
        self.facts.git
    }
    fn link_target(&self) -> Option<&str> {
        self.facts.link_target.as_deref()
    }
    fn raw_name(&self) -> Option<&[u8]> {
        self.facts.raw_name.as_deref()
    }
    fn decision(&self) -> &Decision {
        &self.decision
    }
    fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.decision.findings)
    }
    fn set_decision(&mut self, decision: Decision) {
        self.decision = decision;
    }
}

#[derive(Debug, Clone, Copy)]
enum Owner {
    Zone(usize),
    Rule(usize),
}

/// Everything compiled once per run and shared by all workers.
pub struct Rules {
    config: Arc<Config>,
    globs: globs::PathGlobs,
    owners: Vec<Owner>,
    /// The note of a file no rule decided: made once, copied into each such decision.
    default_finding: Finding,
    exceptions: Exceptions,
}

/// The exceptions file compiled: one globset, each glob owned by an exception, and the
/// day their status is judged on.
#[derive(Default)]
struct Exceptions {
    list: Vec<(Exception, ExceptionStatus)>,
    set: GlobSet,
    owners: Vec<usize>,
}

impl Rules {
    /// Compile zones and glob rules. The config has validated every glob, so a failure
    /// here is a bug, reported as an error rather than a panic.
    pub fn compile(config: Arc<Config>) -> anyhow::Result<Rules> {
        let mut list: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        for (i, zone) in config.zones.iter().enumerate() {
            for g in &zone.globs {
                list.push(g);
                owners.push(Owner::Zone(i));
            }
        }
        for (i, rule) in config.rules.iter().enumerate() {
            for g in &rule.globs {
                list.push(g);
                owners.push(Owner::Rule(i));
            }
        }
        let globs = globs::PathGlobs::new(list, crate::config::build_glob)?;
        let default_finding = Finding {
            code: codes::DEFAULT_TIER.into(),
            rule: "default_tier".into(),
            tier: None,
            source: SourceLoc {
                file: config.default_tier_source.file.clone(),
                line: config.default_tier_source.line as u32,
            },
            message: format!(
                "no rule fired; the default tier {} applies",
                config.default_tier
            ),
            annex_iii: vec![],
        };
        Ok(Rules {
            config,
            globs,
            owners,
            default_finding,
            exceptions: Exceptions::default(),
        })
    }

    /// Apply the exceptions of `file` as they stand on `today`: an active one sets the
    /// tier of the paths it covers (when bound to a blob, only while the content is that
    /// blob); an expired one, or one whose blob no longer matches, leaves a note.
    pub fn with_exceptions(
        mut self,
        file: Option<&ExceptionsFile>,
        today: Date,
    ) -> anyhow::Result<Rules> {
        let Some(file) = file else {
            return Ok(self);
        };
        let mut builder = GlobSetBuilder::new();
        let mut owners = Vec::new();
        let mut list = Vec::new();
        for (i, x) in file.exceptions.iter().enumerate() {
            for g in &x.globs {
                builder.add(crate::config::build_glob(g)?);
                owners.push(i);
            }
            list.push((x.clone(), x.status(today)));
        }
        self.exceptions = Exceptions {
            list,
            set: builder.build()?,
            owners,
        };
        Ok(self)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether exception `id` is in force and covers `path` (its blob binding aside).
    pub fn exception_in_force(&self, path: &str, id: &str) -> bool {
        let x = &self.exceptions;
        x.set.matches(path).into_iter().any(|i| {
            let (e, status) = &x.list[x.owners[i]];
            e.id == id && *status == ExceptionStatus::Active
        })
    }

    /// The exception finding for `path`, if an exception covers it: `exception` (with
    /// the exception's tier) for the first active one whose blob matches, else notes for
    /// those that do not apply. `blob` gives the content's git blob id, asked for only
    /// when an exception is bound to one.
    fn exception_findings(
        &self,
        path: &str,
        blob: impl FnOnce() -> Option<String>,
    ) -> Vec<Finding> {
        let x = &self.exceptions;
        if x.list.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<usize> = x
            .set
            .matches(path)
            .into_iter()
            .map(|i| x.owners[i])
            .collect();
        hits.sort_unstable();
        hits.dedup();
        let mut blob = Some(blob);
        let mut content: Option<Option<String>> = None;
        let mut notes = Vec::new();
        for i in hits {
            let (e, status) = &x.list[i];
            let source = SourceLoc {
                file: e.source.file.clone(),
                line: e.source.line as u32,
            };
            let note = |code: &str, message: String| Finding {
                code: code.into(),
                rule: e.id.clone(),
                tier: None,
                source: source.clone(),
                message,
                annex_iii: vec![],
            };
            match status {
                ExceptionStatus::Expired => notes.push(note(
                    codes::EXCEPTION_EXPIRED,
                    format!(
                        "exception {} expired on {}; it no longer applies",
                        e.id, e.expires
                    ),
                )),
                ExceptionStatus::Pending => notes.push(note(
                    codes::EXCEPTION_PENDING,
                    format!("exception {} applies from {}", e.id, e.approved),
                )),
                ExceptionStatus::Active => {
                    if let Some(want) = &e.blob {
                        let have = content
                            .get_or_insert_with(|| blob.take().and_then(|f| f()))
                            .as_deref();
                        if have != Some(want.as_str()) {
                            notes.push(note(
                                codes::EXCEPTION_MISMATCH,
                                format!(
                                    "exception {} is bound to blob {}, but the content is {}; it does not apply",
                                    e.id,
                                    short_blob(want),
                                    have.map_or("unknown", short_blob)
                                ),
                            ));
                            continue;
                        }
                    }
                    notes.push(Finding {
                        code: codes::EXCEPTION.into(),
                        rule: e.id.clone(),
                        tier: Some(e.tier),
                        source,
                        message: format!(
                            "{} (approved by {} on {}, expires {})",
                            e.reason, e.approver, e.approved, e.expires
                        ),
                        annex_iii: vec![],
                    });
                    return notes;
                }
            }
        }
        notes
    }

    /// Zone names and glob-rule indices matching `path`, both sorted and unique.
    fn matches(
        &self,
        path: &str,
        memo: &mut globs::DirMemo,
        scratch: &mut Vec<usize>,
    ) -> (Vec<String>, Vec<usize>) {
        self.globs.matches_into(path, memo, scratch);
        let mut zones: Vec<String> = Vec::new();
        let mut rules: Vec<usize> = Vec::new();
        for &i in scratch.iter() {
            match self.owners[i] {
                Owner::Zone(z) => zones.push(self.config.zones[z].name.clone()),
                Owner::Rule(r) => rules.push(r),
            }
        }
        zones.sort();
        zones.dedup();
        // Kept in the file's record until the manifest is written.
        zones.shrink_to_fit();
        rules.sort_unstable();
        rules.dedup();
        (zones, rules)
    }

    /// Combine findings into a decision, adding the default-tier note when no finding
    /// carries a tier.
    pub fn decide(&self, mut findings: Vec<Finding>) -> Decision {
        findings.retain(|f| f.code != codes::DEFAULT_TIER);
        // An active exception sets the tier, lower or higher, but never less protected
        // than a finding it may not waive (see UNWAIVABLE_CODES).
        let excepted = findings
            .iter()
            .find(|f| f.code == codes::EXCEPTION)
            .and_then(|f| f.tier);
        let floor = findings
            .iter()
            .filter(|f| is_unwaivable(&f.code))
            .filter_map(|f| f.tier)
            .min();
        let mut d = Decision::combine(findings, self.config.default_tier);
        if let Some(tier) = excepted {
            // The finding that sets the tier goes first: the exception, or the first
            // unwaivable finding that holds the tier where the exception would lower it.
            let (tier, first) = match floor {
                Some(f) if f < tier => (
                    f,
                    d.findings
                        .iter()
                        .position(|x| is_unwaivable(&x.code) && x.tier == Some(f)),
                ),
                _ => (
                    tier,
                    d.findings.iter().position(|f| f.code == codes::EXCEPTION),
                ),
            };
            d.tier = tier;
            if let Some(i) = first {
                let f = d.findings.remove(i);
                d.findings.insert(0, f);
            }
        } else if d.defaulted {
            // Most files end here with no other finding: one slot, not the four a
            // first push reserves (a scan keeps 100,000 of these until it writes).
            d.findings.reserve_exact(1);
            d.findings.push(self.default_finding.clone());
        }
        d.findings.shrink_to_fit();
        d
    }
}

/// Codes of the findings no exception may waive: an active exception sets a path's
/// tier, but never less protected than any of these. Each says what the path *reaches*
/// or that tiergate could not decide, not what its content is, so an exception
/// reviewed for the content a path held cannot vouch for it:
///
/// - `read-error`, `policy-error`, `non-utf8-path`: the decision failed (fail closed);
/// - `symlink-target`, `symlink-escapes`, `symlink-loop`, `symlink-into-git`,
///   `symlink-dangling`: a link is as protected as what it reaches (an exception over
///   `docs/**` must not lower a new `docs/key.txt -> ../secrets/key.pem`, nor a link to
///   `~/.ssh/id_rsa`);
/// - `name-collision`: the name reaches several files, and which one a tool opens
///   depends on the tool.
///
/// An exception may lower `submodule` and `content-filtered` (reviewed decisions about
/// content tiergate cannot read) and every rule or policy finding.
pub const UNWAIVABLE_CODES: &[&str] = &[
    codes::READ_ERROR,
    codes::POLICY_ERROR,
    codes::NON_UTF8_PATH,
    codes::SYMLINK_TARGET,
    codes::SYMLINK_ESCAPES,
    codes::SYMLINK_LOOP,
    codes::SYMLINK_INTO_GIT,
    codes::SYMLINK_DANGLING,
    codes::NAME_COLLISION,
];

/// Whether no exception may waive a finding with this code.
pub fn is_unwaivable(code: &str) -> bool {
    UNWAIVABLE_CODES.contains(&code)
}

/// A per-thread classifier: the shared rules, this thread's Rego evaluator, scratch space.
pub struct Classifier {
    rules: Arc<Rules>,
    evaluator: Evaluator,
    scratch: Vec<usize>,
    /// The glob answers of the directory of the last file.
    dir_memo: globs::DirMemo,
}

impl Classifier {
    pub fn new(rules: Arc<Rules>, policies: &PolicySet) -> Classifier {
        Classifier {
            rules,
            evaluator: policies.evaluator(),
            scratch: Vec::new(),
            dir_memo: globs::DirMemo::default(),
        }
    }

    /// Rego evaluations really performed by this classifier (the rest were memo hits).
    pub fn evaluations(&self) -> u64 {
        self.evaluator.evaluations()
    }

    /// Decide one file. Never fails: errors become tier-1 findings. `blob` gives the
    /// content's git blob id; it is called only when an exception is bound to one.
    pub fn classify(&mut self, facts: Facts, blob: impl FnOnce() -> Option<String>) -> FileRecord {
        self.classify_in(facts, None, blob)
    }

    /// Under `visibility: public`, the finding that keeps a file git does not track (or
    /// ignores) off the public default: it is not published with the repository.
    fn unpublished(&self, facts: &Facts) -> Option<Finding> {
        let config = &self.rules.config;
        if config.visibility != crate::config::Visibility::Public
            || !matches!(facts.git, GitState::Untracked | GitState::Ignored)
        {
            return None;
        }
        // The tiers are sorted most sensitive first; the public one is last.
        let tier = config
            .tiers
            .iter()
            .rev()
            .nth(1)
            .or(config.tiers.last())
            .map_or(RESTRICTED, |t| t.id);
        Some(Finding::builtin(
            codes::UNPUBLISHED,
            Some(tier),
            format!(
                "git does not track this file, so it is not published with the repository: tier {tier}, not the public default"
            ),
        ))
    }

    /// Decide one file within its component: `component` is the evidence of all the
    /// component's files (see [`crate::component`]); `None` judges the file alone.
    pub fn classify_in(
        &mut self,
        mut facts: Facts,
        component: Option<&crate::component::Within>,
        blob: impl FnOnce() -> Option<String>,
    ) -> FileRecord {
        let (zones, rule_idx) =
            self.rules
                .matches(&facts.path, &mut self.dir_memo, &mut self.scratch);
        facts.zones = zones;
        let config = &self.rules.config;
        let mut findings: Vec<Finding> = rule_idx
            .iter()
            .map(|&i| {
                let r = &config.rules[i];
                Finding {
                    code: codes::GLOB_RULE.into(),
                    rule: r.id.clone(),
                    tier: Some(r.tier),
                    source: SourceLoc {
                        file: r.source.file.clone(),
                        line: r.source.line as u32,
                    },
                    message: r.reason.clone(),
                    annex_iii: vec![],
                }
            })
            .collect();
        findings.extend(builtin_findings(&facts));
        if let Some(f) = self.unpublished(&facts) {
            findings.push(f);
        }
        findings.extend(self.rules.exception_findings(&facts.path, blob));
        let input = rego_input(
            &facts,
            rule_idx.iter().map(|&i| config.rules[i].id.clone()),
            component,
        );
        match self.evaluator.evaluate(&input) {
            Ok(found) => findings.extend(found.iter().cloned()),
            Err(e) => findings.push(Finding::builtin(
                codes::POLICY_ERROR,
                Some(RESTRICTED),
                format!("policy evaluation failed: {e}"),
            )),
        }
        let decision = self.rules.decide(findings);
        FileRecord { facts, decision }
    }
}

/// The versions of the built-in steps a file's entry depends on besides the config,
/// the policies and the Rego input: the facts read from a file, each detector family,
/// and how rules, findings and exceptions become a tier. A step's version goes up
/// whenever its results change on some input (a new credential format, a keyword, a
/// threshold, a merging rule). Manifests record them (`provenance.decisions`): one
/// recorded with other versions is stale for the gate, merge and the runtime, and two
/// releases of tiergate agree on a manifest exactly when these agree.
/// `tests/decisions.rs` pins the decisions over the fixture repositories to this table:
/// changed results without a changed version fail it.
pub const DECISION_VERSIONS: &[(&str, u32)] = &[
    // Detector hits accepted as false positives (markers, the accepted findings file).
    ("accept", 1),
    ("facts", 1),
    ("secrets", 4),
    ("pii", 2),
    ("annex3", 2),
    // Images and recordings (src/detect/media, policies/media.rego).
    ("media", 1),
    // What code files import from their repository (src/detect/imports.rs), which links
    // the files of a component's system.
    ("imports", 1),
    ("decide", 1),
];

/// [`DECISION_VERSIONS`] as a manifest records them.
pub fn decision_versions() -> BTreeMap<String, u32> {
    DECISION_VERSIONS
        .iter()
        .map(|(step, v)| ((*step).to_string(), *v))
        .collect()
}

/// The tier a file that appears later in each zone gets by its path alone: for every
/// zone of the config, the most restrictive tier the policies give a file whose only
/// zone is that one, with no content known (text or binary, untracked or ignored; outside
/// git, `no-repo`). `None` when no policy speaks about such a file. The manifest carries
/// it so exports can exclude a zone's globs, and a `.env` created after the scan is kept
/// from the agents like one the scan saw. A policy that fails on the probe makes the zone
/// tier 1 (fail closed).
pub fn zone_tiers(rules: &Rules, policies: &PolicySet, in_git: bool) -> Vec<Option<TierId>> {
    let mut evaluator = policies.evaluator();
    let states: &[GitState] = if in_git {
        &[GitState::Untracked, GitState::Ignored]
    } else {
        &[GitState::NoRepo]
    };
    rules
        .config
        .zones
        .iter()
        .map(|zone| {
            let mut tier: Option<TierId> = None;
            for &git in states {
                for kind in [FileKind::Text, FileKind::Binary] {
                    let input = RegoInput {
                        input_version: INPUT_VERSION,
                        file: RegoFile {
                            kind,
                            extension: None,
                            language: None,
                            size_class: SizeClass::Small,
                            git,
                            zones: vec![zone.name.clone()],
                            rules: vec![],
                            content_scanned: kind == FileKind::Text,
                            signals: vec![],
                        },
                        component: None,
                    };
                    let found = match evaluator.evaluate(&input) {
                        Ok(found) => found.iter().filter_map(|f| f.tier).min(),
                        Err(_) => Some(RESTRICTED),
                    };
                    tier = match (tier, found) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
            }
            tier
        })
        .collect()
}

fn short_blob(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Occurrence counts reach Rego as the lower bound of a bucket (1, 2, 5, 10, 100): policies
/// ask "one", "a few" or "a data set", and exact counts would make almost every file a
/// distinct fact set, defeating the memo.
pub fn count_bucket(count: u32) -> u32 {
    match count {
        0 => 0,
        1 => 1,
        2..=4 => 2,
        5..=9 => 5,
        10..=99 => 10,
        _ => 100,
    }
}

/// The Rego input for a file: facts only, no path.
pub fn rego_input(
    facts: &Facts,
    rule_ids: impl Iterator<Item = String>,
    component: Option<&crate::component::Within>,
) -> RegoInput {
    let mut rules: Vec<String> = rule_ids.collect();
    rules.sort();
    rules.dedup();
    let signals = rego_signals(&facts.signals);
    RegoInput {
        component: component.map(|c| {
            let mut system: Vec<crate::policy::RegoLink> = c
                .system
                .iter()
                .map(|l| crate::policy::RegoLink {
                    point: l.point.clone(),
                    relation: l.relation,
                })
                .collect();
            system.sort();
            system.dedup();
            RegoComponent {
                signals: rego_signals(&c.signals),
                person_set: c.person_set,
                system,
            }
        }),
        input_version: INPUT_VERSION,
        file: RegoFile {
            kind: facts.kind,
            extension: facts.extension.clone(),
            language: facts.language.clone(),
            size_class: facts.size_class,
            git: facts.git,
            zones: facts.zones.clone(),
            rules,
            content_scanned: facts.content_scanned,
            signals,
        },
    }
}

/// Signals as the policies see them (counts bucketed), sorted by id.
fn rego_signals(signals: &[Signal]) -> Vec<RegoSignal> {
    let mut out: Vec<RegoSignal> = signals
        .iter()
        .map(|s| RegoSignal {
            id: s.id.clone(),
            category: s.category.clone(),
            confidence: s.confidence,
            count: count_bucket(s.count),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Findings tiergate makes from the facts themselves.
fn builtin_findings(facts: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(err) = &facts.error {
        let code = if err == crate::walk::NON_UTF8_MESSAGE {
            codes::NON_UTF8_PATH
        } else {
            codes::READ_ERROR
        };
        out.push(Finding::builtin(code, Some(RESTRICTED), err.clone()));
    }
    if let Some(why) = &facts.filtered {
        out.push(Finding::builtin(
            codes::CONTENT_FILTERED,
            Some(RESTRICTED),
            why.clone(),
        ));
    }
    match facts.kind {
        FileKind::Binary => out.push(Finding::builtin(
            codes::CONTENT_NOT_SCANNED,
            None,
            "binary file: no text detector read it; classified by path, metadata and what the binary readers found (faces in images, key stores, table footers)".into(),
        )),
        FileKind::Special => out.push(Finding::builtin(
            codes::CONTENT_NOT_SCANNED,
            None,
            "special file (FIFO, socket or device): never opened".into(),
        )),
        FileKind::Submodule => out.push(Finding::builtin(
            codes::SUBMODULE,
            Some(RESTRICTED),
            "submodule: its files are covered only by the submodule's own manifest, not by this one".into(),
        )),
        FileKind::Text if facts.size_class == SizeClass::Large => out.push(Finding::builtin(
            codes::CONTENT_TRUNCATED,
            None,
            format!(
                "file of {} bytes is over the content limit: every detector read its head, the secret detectors all of it",
                facts.size
            ),
        )),
        _ => {}
    }
    for a in &facts.accepted {
        let (source, by) = match a.by {
            AcceptedBy::Inline => (
                SourceLoc {
                    file: "inline".into(),
                    line: 0,
                },
                "an inline marker".to_string(),
            ),
            AcceptedBy::File { line } => (
                SourceLoc {
                    file: crate::config::ACCEPTED_FILE.into(),
                    line,
                },
                crate::config::ACCEPTED_FILE.to_string(),
            ),
        };
        out.push(Finding {
            code: codes::ACCEPTED.into(),
            rule: a.signal.clone(),
            tier: None,
            source,
            message: format!(
                "{} accepted by {by} (fingerprint {})",
                a.signal, a.fingerprint
            ),
            annex_iii: vec![],
        });
    }
    out
}

/// Whole-repository steps after the parallel part: symlinks take at least their target's
/// tier (links escaping the repository, looping, into `.git` or to nothing the manifest
/// lists are tier 1), and paths that differ only by case are noted. `lists` says
/// whether the manifest lists a file in a git state (only those are link targets).
pub fn finish<R: Classified>(
    rules: &Rules,
    records: &mut impl ByPath<R>,
    lists: impl Fn(GitState) -> bool,
) {
    links::resolve(rules, records, &lists);
    note_case_collisions(rules, records);
}

/// Merge the records of files that have one path once their names are normalized
/// ("twins": `café.txt` in NFC and in NFD; a name that is not UTF-8 and a UTF-8 name
/// spelled like its `\xNN` form): one record, on the strictest twin (its kind, git
/// state and link; a tracked twin before any other, so the entry stays in a manifest
/// of tracked files), with every twin's findings and a `name-collision` finding naming
/// the raw names. Which twin an agent or tool opens under the path depends on the tool,
/// so the entry must hold for all of them. `twins` holds two or more records of `path`
/// in any order: the result does not depend on the order.
pub fn merge_twins<R: Classified>(rules: &Rules, path: &str, mut twins: Vec<R>) -> R {
    assert!(!twins.is_empty(), "merge_twins needs records");
    let name = |r: &R| r.raw_name().unwrap_or(path.as_bytes()).to_vec();
    let base = (0..twins.len())
        .min_by(|&a, &b| {
            let (x, y) = (&twins[a], &twins[b]);
            (x.git() != GitState::Tracked)
                .cmp(&(y.git() != GitState::Tracked))
                .then_with(|| x.decision().tier.cmp(&y.decision().tier))
                .then_with(|| name(x).cmp(&name(y)))
        })
        .expect("not empty");
    let mut names: Vec<Vec<u8>> = twins.iter().map(name).collect();
    names.sort();
    names.dedup();
    let mut findings = Vec::new();
    for t in &mut twins {
        findings.extend(t.take_findings());
    }
    findings.push(Finding::builtin(
        codes::NAME_COLLISION,
        Some(RESTRICTED),
        format!(
            "{} files have this path once their names are normalized: {}",
            names.len(),
            names
                .iter()
                .map(|n| format!("`{}`", show_bytes(n)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    let mut out = twins.swap_remove(base);
    out.set_decision(rules.decide(findings));
    out
}

/// Raw name bytes for a message: printable ASCII as it is, a backslash doubled, every
/// other byte as `\xNN`, so twins that look alike are told apart.
fn show_bytes(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for &b in raw {
        match b {
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02X}")),
        }
    }
    out
}

fn note_case_collisions<R: Classified>(rules: &Rules, records: &mut impl ByPath<R>) {
    let mut hasher = crate::model::CaseHasher::default();
    let hashed = records
        .sorted()
        .map(|(p, r)| (p, r.case_hash().unwrap_or_else(|| hasher.hash(p))));
    let groups: Vec<Vec<String>> = crate::model::case_groups_hashed(hashed)
        .into_iter()
        .map(|g| g.into_iter().map(str::to_string).collect())
        .collect();
    for paths in &groups {
        for p in paths {
            let others: Vec<&str> = paths
                .iter()
                .filter(|o| *o != p)
                .map(String::as_str)
                .collect();
            let rec = records.get_mut(p).expect("path from the same map");
            let mut findings = rec.take_findings();
            findings.push(Finding::builtin(
                codes::CASE_COLLISION,
                None,
                format!("differs only by case from {}", others.join(", ")),
            ));
            rec.set_decision(rules.decide(findings));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_with(exceptions: &str, today: &str) -> Rules {
        let config = Arc::new(crate::config::defaults());
        let file = crate::config::parse_exceptions(
            exceptions.as_bytes(),
            crate::config::EXCEPTIONS_FILE,
            &config,
        )
        .expect("valid exceptions");
        Rules::compile(config)
            .unwrap()
            .with_exceptions(Some(&file), Date::parse(today).unwrap())
            .unwrap()
    }

    const ONE: &str = "exceptions:
  - id: EXC-1
    paths: [\"docs/**\"]
    tier: 4
    reason: Public
    approver: legal@example.com
    approved: 2026-11-01
    expires: 2027-05-01
";

    #[test]
    fn decisions_hold_no_spare_finding_slots() {
        // A scan keeps every decision until it writes the manifest: a first push's
        // four slots per file were 40 MB of a 100,000-file scan's peak.
        let rules = rules_with(ONE, "2026-12-01");
        let d = rules.decide(Vec::new());
        assert!(d.defaulted);
        assert_eq!((d.findings.len(), d.findings.capacity()), (1, 1));
        let mut findings = Vec::with_capacity(8);
        findings.push(Finding::builtin("glob-rule", Some(2), "a rule".into()));
        let d = rules.decide(findings);
        assert_eq!((d.findings.len(), d.findings.capacity()), (1, 1));
        let d = rules.decide(rules.exception_findings("docs/a.md", || None));
        assert_eq!(d.findings.len(), d.findings.capacity());
    }

    #[test]
    fn an_active_exception_sets_the_tier_even_below_other_findings() {
        let rules = rules_with(ONE, "2026-12-01");
        let mut findings = rules.exception_findings("docs/a.md", || None);
        findings.push(Finding::builtin("glob-rule", Some(2), "rule".into()));
        let d = rules.decide(findings);
        assert_eq!(d.tier, 4);
        assert_eq!(d.findings[0].code, codes::EXCEPTION);
        assert_eq!(d.findings[0].source.line, 2);
        assert!(rules.exception_findings("src/a.rs", || None).is_empty());
        assert!(rules.exception_in_force("docs/a.md", "EXC-1"));
        assert!(!rules.exception_in_force("src/a.rs", "EXC-1"));
    }

    #[test]
    fn failures_to_decide_are_never_waived() {
        let rules = rules_with(ONE, "2026-12-01");
        for code in [codes::READ_ERROR, codes::POLICY_ERROR, codes::NON_UTF8_PATH] {
            let mut findings = rules.exception_findings("docs/a.md", || None);
            findings.push(Finding::builtin(code, Some(RESTRICTED), "broken".into()));
            assert_eq!(rules.decide(findings).tier, RESTRICTED, "{code}");
        }
    }

    /// Every code of the set, at every tier, holds the tier against an exception that
    /// would lower it (`docs/**` to tier 4), and heads the reasons; the exception still
    /// waives the other findings, and applies when it is the stricter.
    #[test]
    fn no_exception_waives_an_unwaivable_finding() {
        assert!(
            UNWAIVABLE_CODES
                .iter()
                .all(|c| codes::is_builtin(c) && is_unwaivable(c))
        );
        for code in [
            codes::SYMLINK_TARGET,
            codes::SYMLINK_ESCAPES,
            codes::SYMLINK_LOOP,
            codes::SYMLINK_INTO_GIT,
            codes::SYMLINK_DANGLING,
            codes::READ_ERROR,
            codes::POLICY_ERROR,
            codes::NON_UTF8_PATH,
            codes::NAME_COLLISION,
        ] {
            assert!(is_unwaivable(code), "{code}");
        }
        let lowering = rules_with(ONE, "2026-12-01");
        let raising = rules_with(&ONE.replace("tier: 4", "tier: 1"), "2026-12-01");
        for &code in UNWAIVABLE_CODES {
            for tier in 1..=4u8 {
                let mut findings = lowering.exception_findings("docs/a.md", || None);
                findings.push(Finding::builtin(code, Some(tier), "reached".into()));
                // A rule the exception may waive, stricter than the finding.
                findings.push(Finding::builtin("glob-rule", Some(1), "rule".into()));
                let d = lowering.decide(findings);
                assert_eq!(d.tier, tier, "{code} at tier {tier}: {d:?}");
                let first = &d.findings[0].code;
                if tier < 4 {
                    assert_eq!(first, code, "{code} at tier {tier} heads the reasons");
                } else {
                    assert_eq!(first, codes::EXCEPTION, "{code} at tier 4");
                }
                let mut findings = raising.exception_findings("docs/a.md", || None);
                findings.push(Finding::builtin(code, Some(tier), "reached".into()));
                let d = raising.decide(findings);
                assert_eq!(
                    (d.tier, d.findings[0].code.as_str()),
                    (1, codes::EXCEPTION),
                    "{code}"
                );
            }
        }
        // Reviewed decisions about what tiergate cannot read may be lowered.
        for code in [
            codes::SUBMODULE,
            codes::CONTENT_FILTERED,
            "glob-rule",
            "credential-file",
        ] {
            assert!(!is_unwaivable(code), "{code}");
            let mut findings = lowering.exception_findings("docs/a.md", || None);
            findings.push(Finding::builtin(code, Some(1), "waived".into()));
            let d = lowering.decide(findings);
            assert_eq!(
                (d.tier, d.findings[0].code.as_str()),
                (4, codes::EXCEPTION),
                "{code}"
            );
        }
    }

    #[test]
    fn expired_pending_and_mismatched_exceptions_leave_notes_only() {
        let expired = rules_with(ONE, "2027-05-01");
        let f = expired.exception_findings("docs/a.md", || None);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].code.as_str(), f[0].tier),
            (codes::EXCEPTION_EXPIRED, None)
        );
        assert!(!expired.exception_in_force("docs/a.md", "EXC-1"));
        let pending = rules_with(ONE, "2026-10-31");
        assert_eq!(
            pending.exception_findings("docs/a.md", || None)[0].code,
            codes::EXCEPTION_PENDING
        );
        let bound = format!("{ONE}    blob: {}\n", "ab".repeat(20));
        let rules = rules_with(&bound, "2026-12-01");
        let f = rules.exception_findings("docs/a.md", || Some("cd".repeat(20)));
        assert_eq!(f[0].code, codes::EXCEPTION_MISMATCH);
        let f = rules.exception_findings("docs/a.md", || Some("ab".repeat(20)));
        assert_eq!((f[0].code.as_str(), f[0].tier), (codes::EXCEPTION, Some(4)));
        // The blob is only asked for when an exception is bound to one.
        let plain = rules_with(ONE, "2026-12-01");
        let f = plain.exception_findings("docs/a.md", || panic!("not needed"));
        assert_eq!(f[0].code, codes::EXCEPTION);
    }

    fn twin(raw: &[u8], kind: FileKind, git: GitState, tier: u8) -> Box<FileRecord> {
        let path = crate::walk::changeset::display_of(raw);
        Box::new(FileRecord {
            facts: Facts {
                raw_name: (raw != path.as_bytes()).then(|| raw.to_vec()),
                path,
                kind,
                size: 1,
                size_class: SizeClass::Small,
                extension: None,
                language: None,
                git,
                zones: vec![],
                content_scanned: true,
                signals: vec![],
                link_target: None,
                error: None,
                filtered: None,
                accepted: Vec::new(),
                imports: Vec::new(),
            },
            decision: Decision::combine(
                vec![Finding::builtin(
                    "glob-rule",
                    Some(tier),
                    format!("tier {tier}"),
                )],
                3,
            ),
        })
    }

    /// Twins merge into one record whatever order they come in: the strictest tracked
    /// twin's kind, every twin's findings, and one `name-collision` naming them all.
    #[test]
    fn twins_merge_the_same_way_in_any_order() {
        let rules = rules_with(ONE, "2026-12-01");
        let nfc = "caf\u{e9}.txt".as_bytes();
        let nfd = "cafe\u{301}.txt".as_bytes();
        let make = || {
            vec![
                twin(nfc, FileKind::Text, GitState::Tracked, 3),
                twin(nfd, FileKind::Binary, GitState::Tracked, 2),
                twin(
                    "caf\u{e9}.txt".as_bytes(),
                    FileKind::Text,
                    GitState::Untracked,
                    1,
                ),
            ]
        };
        let mut results = Vec::new();
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
            let mut v: Vec<Option<Box<FileRecord>>> = make().into_iter().map(Some).collect();
            let twins: Vec<Box<FileRecord>> = order.iter().map(|&i| v[i].take().unwrap()).collect();
            results.push(merge_twins(&rules, "caf\u{e9}.txt", twins));
        }
        for r in &results[1..] {
            assert_eq!(r.decision, results[0].decision);
            assert_eq!(
                (r.facts.kind, r.facts.git),
                (results[0].facts.kind, results[0].facts.git)
            );
        }
        let r = &results[0];
        assert_eq!(r.decision.tier, 1);
        // The strictest tracked twin: the NFD binary one.
        assert_eq!(
            (r.facts.kind, r.facts.git),
            (FileKind::Binary, GitState::Tracked)
        );
        let collision: Vec<&Finding> = r
            .decision
            .findings
            .iter()
            .filter(|f| f.code == codes::NAME_COLLISION)
            .collect();
        assert_eq!(collision.len(), 1);
        assert_eq!(
            collision[0].message,
            "2 files have this path once their names are normalized: `cafe\\xCC\\x81.txt`, `caf\\xC3\\xA9.txt`"
        );
        let tiers: Vec<Option<u8>> = r
            .decision
            .findings
            .iter()
            .filter(|f| f.code == "glob-rule")
            .map(|f| f.tier)
            .collect();
        assert_eq!(tiers, [Some(1), Some(2), Some(3)], "every twin's findings");
    }
}
