//! The scan's pipeline: the parallel walk, each worker classifying its files, the
//! collector that merges their sorted runs (the one place the whole list is held).

use super::*;

/// What a full scan produced.
pub struct ScanOutcome {
    pub records: decide::Records,
    /// Rego evaluations really run (the rest were answered from the memo).
    pub evaluations: u64,
    /// The repository's components and their evidence.
    pub components: Components,
}

/// Walk and classify every file under the context's root, in parallel, collecting into
/// one ordered map of whole records.
pub fn scan(
    ctx: &Context,
    opts: &WalkOptions,
    progress: bool,
    cache: Option<&CachePlan>,
) -> ScanOutcome {
    let Scanned {
        kept: mut records,
        evaluations,
        components,
        cache: _,
    } = scan_with(
        ctx,
        opts,
        progress,
        cache,
        || (),
        |(), r| (r.facts.path.clone(), Box::new(r)),
    );
    // Links resolve as in the manifest a scan writes by default.
    let scope = scope_of(ctx, false);
    decide::finish(&ctx.rules, &mut records, |git| scope.lists(git));
    ScanOutcome {
        records: records.into_iter().collect(),
        evaluations,
        components,
    }
}

/// What [`scan_with`] returns.
pub(crate) struct Scanned<T> {
    /// What was kept of each file, sorted by path.
    pub kept: decide::Sorted<T>,
    /// Rego evaluations really run.
    pub evaluations: u64,
    pub components: Components,
    /// What the cache of the detectors' results saved, and its writing.
    pub cache: CacheUse,
}

/// Where and how a scan keeps the detectors' results for the next one (see
/// [`crate::cache::scan`]).
pub struct CachePlan {
    path: PathBuf,
    /// Whether the results kept are used (false: `--no-cache`, every file is read
    /// and the cache replaced).
    reuse: bool,
    key: [u8; 32],
    /// The scan's start on the file system's clock: a file stamp not older is not kept.
    started: Option<cache::scan::Clock>,
    /// Where the policies' answers are kept between scans (see [`cache::policy`]), and
    /// their key; None when the policy set cannot name what its answers depend on.
    answers: Option<(PathBuf, [u8; 32])>,
    /// Set once the answers kept have been given to the policy set.
    answers_kept: std::sync::OnceLock<()>,
}

impl CachePlan {
    /// The plan for a scan of `ctx`'s root. None (no cache) outside git, for a scan of
    /// a subdirectory (whose paths are not the work tree's), and where file stamps do
    /// not tell contents apart. `started` is the scan's start when the caller has
    /// taken it.
    pub fn of(ctx: &Context, no_cache: bool, started: Option<stamp::Stamp>) -> Option<CachePlan> {
        let git = ctx.repo.git.as_ref()?;
        if !git.at_top() || !crate::platform::STAMPS_IDENTIFY {
            return None;
        }
        let started = started.or_else(|| stamp::start(&stamp::git_dir(git.workdir())?));
        let state = git.common_dir().join(cache::STATE_DIR);
        let build = build_identity()?;
        Some(CachePlan {
            answers: answers_key(ctx, &build)
                .map(|key| (state.join(cache::policy::FILE_NAME), key)),
            answers_kept: std::sync::OnceLock::new(),
            path: state.join(cache::scan::FILE_NAME),
            reuse: !no_cache,
            key: scan_cache_key(ctx, &build),
            started: started.map(|s| cache::scan::Clock {
                dev: s.dev,
                sec: s.sec,
                nsec: s.nsec,
            }),
        })
    }
}

impl CachePlan {
    /// Give `policies` the answers the last scan kept (see [`cache::policy`]), once per
    /// plan: whoever asks first reads them, whoever asks meanwhile waits for them, so
    /// that no evaluation that could be answered from them runs before they are there.
    /// Nothing with `--no-cache`.
    pub fn keep_answers(&self, policies: &crate::policy::PolicySet) {
        self.answers_kept.get_or_init(|| {
            if let (true, Some((path, key))) = (self.reuse, &self.answers) {
                policies.keep_answers(cache::policy::load(path, key));
            }
        });
    }
}

/// What the detectors' results depend on besides a file's bytes and path, for every
/// cache of them (see [`cache::DetectorInputs`]).
pub(super) fn detector_inputs(ctx: &Context) -> cache::DetectorInputs<'_> {
    let l = &ctx.config.limits;
    cache::DetectorInputs {
        versions: crate::decide::DECISION_VERSIONS,
        rules: ctx
            .rule_files
            .provenance()
            .into_iter()
            .map(|r| (r.source, r.digest))
            .collect(),
        accepted: ctx.accepted.as_ref().map(|x| x.digest.as_str()),
        max_content_bytes: l.max_content_bytes,
        binary_sniff_bytes: l.binary_sniff_bytes,
        inline: ctx.config.accept.inline,
    }
}

/// The scan cache's key: the detectors' inputs, the custom detectors, and the build
/// (its version and the executable's identity: a rebuilt binary, whose detectors may
/// differ under the same version, starts afresh). None when the executable cannot be
/// found: no cache then.
fn scan_cache_key(ctx: &Context, build: &str) -> [u8; 32] {
    let custom: Vec<String> = ctx
        .config
        .detectors
        .iter()
        .map(|d| {
            format!(
                "{:?}",
                (
                    &d.id,
                    &d.category,
                    &d.regex,
                    &d.keywords,
                    d.proximity,
                    &d.validator,
                    d.confidence
                )
            )
        })
        .collect();
    cache::scan::key(&cache::scan::KeyInputs {
        detectors: detector_inputs(ctx),
        custom: custom.join("\n"),
        build: build.to_string(),
    })
}

/// What names the build of tiergate: its version and the executable's identity. None
/// when the executable cannot be found.
fn build_identity() -> Option<String> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let e = crate::platform::file_stamp(&exe);
    Some(format!(
        "{} {} {} {}.{} {}",
        env!("CARGO_PKG_VERSION"),
        e.dev,
        e.ino,
        e.mtime,
        e.mtime_nsec,
        e.size
    ))
}

/// The key of the policies' answers kept between scans (see [`cache::policy`]).
fn answers_key(ctx: &Context, build: &str) -> Option<[u8; 32]> {
    let a = ctx.policies.answer_inputs()?;
    Some(cache::policy::key(&cache::policy::KeyInputs {
        versions: crate::decide::DECISION_VERSIONS,
        policies: a.policies,
        data: a.data,
        config: ctx.config.digest.clone(),
        tiers: a.tiers,
        max_instructions: a.max_instructions,
        max_eval_ms: a.max_eval_ms,
        input_version: crate::policy::INPUT_VERSION,
        build: build.to_string(),
    }))
}

/// How a scan used its cache.
#[derive(Default)]
pub struct CacheUse {
    /// Whether the scan had a cache (a git work tree, at its top).
    pub on: bool,
    /// Files whose content was read and given to the detectors.
    pub read: u64,
    /// Files whose detectors' results came from the cache (not read).
    pub cached: u64,
    /// The cache's writing, on a thread of its own: an error when it failed, true
    /// when the file was written.
    writing: Option<std::thread::JoinHandle<anyhow::Result<bool>>>,
    /// The writing of the policies' answers, on a thread of its own.
    answers: Option<std::thread::JoinHandle<anyhow::Result<()>>>,
}

impl CacheUse {
    /// Wait for the caches to be written: why one could not be, if one could not.
    pub fn finish(&mut self) -> Option<String> {
        let answers = self.answers.take().and_then(|h| match h.join() {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(format!("{e:#}")),
            Err(_) => Some("the policy answers' writer failed".into()),
        });
        let scan = self.writing.take().and_then(|h| match h.join() {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(format!("{e:#}")),
            Err(_) => Some("the cache's writer failed".into()),
        });
        scan.or(answers)
    }
}

/// A scan never ends before its cache is written (or has failed to be).
impl Drop for CacheUse {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Walk and classify every file under the context's root, in parallel. Each worker
/// thread gets its own `state`; `keep` turns a record into what the caller holds, on
/// the thread that classified it (so what it drops is freed where it was allocated).
/// Returns what was kept, sorted by path, the number of Rego evaluations really run,
/// and the components.
///
/// Files with evidence judged per component (see [`crate::component`]) are decided
/// again once the walk has seen every file, with their component's evidence: their
/// first decision, made alone, is replaced.
pub(crate) fn scan_with<S: Send, T: Send + Classified>(
    ctx: &Context,
    opts: &WalkOptions,
    progress: bool,
    plan: Option<&CachePlan>,
    state: impl Fn() -> S + Sync,
    keep: impl Fn(&mut S, FileRecord) -> (String, T) + Sync,
) -> Scanned<T> {
    let evaluations = AtomicU64::new(0);
    // The policies' answers are read on another core while the cache is.
    let old = std::thread::scope(|s| {
        if let Some(p) = plan {
            s.spawn(|| p.keep_answers(&ctx.policies));
        }
        match plan {
            Some(p) if p.reuse => cache::scan::Cache::load(&p.path, &p.key),
            _ => cache::scan::Cache::empty(),
        }
    });
    let started = plan.and_then(|p| p.started);
    let on = plan.is_some();
    // Whether a name was met whose bytes differ from its path: only such a name can
    // give two files one path.
    let renamed = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = crossbeam_channel::unbounded::<Sent<T>>();
    let bar = progress.then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(PROGRESS_TEMPLATE) {
            b.set_style(style);
        }
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    });
    // Each worker keeps its files and sorts them by path when its walk ends (while
    // the others may still be walking); the collector merges the sorted runs.
    let mut runs: Vec<Vec<(String, T)>> = Vec::new();
    let mut again_all: Vec<(crate::model::Facts, Option<String>)> = Vec::new();
    let mut linkable: Vec<crate::model::Facts> = Vec::new();
    let mut markers_all: Vec<String> = Vec::new();
    let mut evidence_all: Vec<(String, Vec<crate::model::Signal>)> = Vec::new();
    let mut faces_all: Vec<String> = Vec::new();
    let mut records_all: Vec<cache::scan::Records> = Vec::new();
    let mut read = 0u64;
    std::thread::scope(|s| {
        let (evaluations, state, keep, renamed, old) =
            (&evaluations, &state, &keep, &renamed, &old);
        s.spawn(move || {
            walk::walk_probed(&ctx.repo, opts, old, || {
                let mut worker = Worker {
                    scanner: ctx.detectors.scanner(),
                    classifier: Classifier::new(ctx.rules.clone(), &ctx.policies),
                    evaluations,
                    kept: Vec::new(),
                    again: Vec::new(),
                    linkable: Vec::new(),
                    evidence: Vec::new(),
                    markers: Vec::new(),
                    faces: Vec::new(),
                    records: cache::scan::Records::default(),
                    old,
                    read: 0,
                    progress,
                    tx: tx.clone(),
                };
                let mut state = state();
                move |entry: walk::Entry<'_>| {
                    if entry.facts.raw_name.is_some() {
                        renamed.store(true, Ordering::Relaxed);
                    }
                    let facts = match entry.known {
                        Some(at) => {
                            let mut facts = entry.facts;
                            if old.fill(at, &mut facts) {
                                worker.records.keep_known(old, at);
                            } else {
                                // Every record decodes (checked when the cache is read):
                                // never reached, and fail closed if it were.
                                facts.kind = crate::model::FileKind::Unreadable;
                                facts.error = Some(
                                    "the scan cache's record of this file cannot be read".into(),
                                );
                            }
                            facts
                        }
                        None => {
                            let facts = with_signals(
                                &mut worker.scanner,
                                entry.facts,
                                entry.content,
                                entry.tail,
                            );
                            if matches!(
                                facts.kind,
                                crate::model::FileKind::Text | crate::model::FileKind::Binary
                            ) {
                                worker.read += 1;
                            }
                            if on && let Some(id) = &entry.identity {
                                let raw =
                                    facts.raw_name.as_deref().unwrap_or(facts.path.as_bytes());
                                worker.records.add(raw, id, &facts, started);
                                if let Some(first) = old.find(raw) {
                                    worker.records.keep_earlier(old, first, None, id.blob);
                                }
                            }
                            facts
                        }
                    };
                    if component::is_marker(&facts.path) {
                        worker.markers.push(facts.path.clone());
                    }
                    let blob = disk_blob(&ctx.repo.root, &facts, entry.content);
                    if component::has_evidence(&facts) {
                        worker.evidence.push(component::evidence_of(&facts));
                    }
                    if component::shows_face(&facts) {
                        worker.faces.push(facts.path.clone());
                    }
                    let rec = if component::is_relevant(&facts) {
                        // Decided again with its component's evidence: keep what that needs.
                        let id = blob();
                        worker.again.push((facts.clone(), id.clone()));
                        worker.classifier.classify(facts, move || id)
                    } else {
                        if !facts.imports.is_empty() {
                            // Linked to a candidate system's code, it is decided again.
                            worker.linkable.push(facts.clone());
                        }
                        worker.classifier.classify(facts, blob)
                    };
                    worker.kept.push(keep(&mut state, rec));
                    if worker.progress && worker.kept.len().is_multiple_of(PROGRESS_EVERY) {
                        // The receiver lives until the walk ends; a send cannot fail.
                        let _ = worker.tx.send(Sent::Progress(PROGRESS_EVERY));
                    }
                }
            });
            drop(tx);
        });
        for sent in rx {
            match sent {
                Sent::Progress(n) => {
                    if let Some(b) = &bar {
                        b.inc(n as u64);
                    }
                }
                Sent::Run(run) => {
                    runs.push(run.kept);
                    again_all.extend(run.again);
                    linkable.extend(run.linkable);
                    evidence_all.extend(run.evidence);
                    markers_all.extend(run.markers);
                    faces_all.extend(run.faces);
                    read += run.read;
                    records_all.push(run.records);
                }
            }
        }
    });
    let cached: u64 = records_all.iter().map(|r| r.hits).sum();
    // Written on another core while the scan goes on; the old cache's bytes are freed
    // there too.
    let writing = plan.map(|p| {
        let (path, key) = (p.path.clone(), p.key);
        std::thread::spawn(move || {
            let r = cache::scan::save(&path, &key, &old, &records_all);
            drop((old, records_all));
            r
        })
    });
    let mut kept = merge_runs(runs);
    markers_all.sort_unstable();
    // In path order: the evidence locations kept are the same whatever the threads did.
    again_all.sort_unstable_by(|a, b| (&a.0.path, &a.0.raw_name).cmp(&(&b.0.path, &b.0.raw_name)));
    evidence_all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut components = Components::new(markers_all.iter().map(String::as_str));
    for (path, signals) in &evidence_all {
        components.add_signals(path, signals);
    }
    components.add_faces(faces_all.iter().map(String::as_str));
    // The files that implement a candidate system: those the decisions within their
    // component flag with a point.
    let mut implementing: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    if !again_all.is_empty() {
        let mut classifier = Classifier::new(ctx.rules.clone(), &ctx.policies);
        let mut st = state();
        for (facts, id) in again_all {
            // One that imports something may be linked too.
            if !facts.imports.is_empty() {
                linkable.push(facts.clone());
            }
            let within = components.within(&facts.path);
            let rec = classifier.classify_in(facts, Some(&within), move || id);
            let mut points: Vec<String> = super::explain::annex_flags(&rec.decision)
                .into_iter()
                .map(|(point, _)| point)
                .collect();
            points.sort_unstable();
            points.dedup();
            if !points.is_empty() {
                implementing.insert(rec.facts.path.clone(), points);
            }
            redecided(&mut kept, keep(&mut st, rec));
        }
        evaluations.fetch_add(classifier.evaluations(), Ordering::Relaxed);
    }
    // The code of a candidate system: files linked by imports to the files that
    // implement it, decided a third time with those links.
    if !implementing.is_empty() && !linkable.is_empty() {
        linkable.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let imports: Vec<(&str, &[String])> = linkable
            .iter()
            .map(|f| (f.path.as_str(), f.imports.as_slice()))
            .collect();
        let exists = |p: &str| kept.binary_search_by(|(k, _)| k.as_str().cmp(p)).is_ok();
        let linked = components.link(&implementing, &imports, &exists);
        let mut classifier = Classifier::new(ctx.rules.clone(), &ctx.policies);
        let mut st = state();
        for path in linked {
            let Ok(at) = linkable.binary_search_by(|f| f.path.as_str().cmp(&path)) else {
                continue;
            };
            let facts = linkable[at].clone();
            let within = components.within(&path);
            let file = ctx.repo.root.join(&path);
            let rec = classifier.classify_in(facts, Some(&within), move || audit::blob_id(&file));
            redecided(&mut kept, keep(&mut st, rec));
        }
        evaluations.fetch_add(classifier.evaluations(), Ordering::Relaxed);
    }
    drop(linkable);
    // The policies' answers, kept for the next scan when the engines gave new ones.
    let answers = plan
        .and_then(|p| p.answers.clone())
        .and_then(|(path, key)| {
            let (answers, fresh) = ctx.policies.answers();
            (fresh > 0)
                .then(|| std::thread::spawn(move || cache::policy::save(&path, &key, &answers)))
        });
    if renamed.load(Ordering::Relaxed) {
        kept = merge_equal(kept, |path, twins| {
            decide::merge_twins(&ctx.rules, path, twins)
        });
    }
    let kept = decide::Sorted::new(kept);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Scanned {
        kept,
        evaluations: evaluations.load(Ordering::Relaxed),
        components,
        cache: CacheUse {
            on,
            read,
            cached,
            writing,
            answers,
        },
    }
}

/// Put a file's new decision in place of its first one in `kept` (sorted by path).
/// Twins (two names, one path) keep their first decisions, merged after.
fn redecided<T>(kept: &mut [(String, T)], (path, t): (String, T)) {
    let range = kept.partition_point(|(p, _)| *p < path)..kept.partition_point(|(p, _)| *p <= path);
    if range.len() == 1 {
        kept[range.start] = (path, t);
    }
}

/// The progress line on a terminal: files classified so far and the time taken.
pub(super) const PROGRESS_TEMPLATE: &str = "{spinner} classifying: {human_pos} files, {elapsed}";

/// What a worker sends the collector.
pub(super) enum Sent<T> {
    /// Files classified since the last report (only with a progress display).
    Progress(usize),
    /// What the worker made of its files.
    Run(Box<Run<T>>),
}

/// What a walk thread made of its files.
pub(super) struct Run<T> {
    /// Everything the worker kept, sorted by path.
    kept: Vec<(String, T)>,
    /// The facts of the files to decide again within their component, with their blob
    /// ids.
    again: Vec<(crate::model::Facts, Option<String>)>,
    /// The facts of the other files that import something: linked to a candidate
    /// system's code, they are decided again.
    linkable: Vec<crate::model::Facts>,
    /// The component-level signals of the files that have some.
    evidence: Vec<(String, Vec<crate::model::Signal>)>,
    /// The component markers seen.
    markers: Vec<String>,
    /// The records for the next cache.
    records: cache::scan::Records,
    /// Files read and given to the detectors.
    read: u64,
    /// Paths of the pictures showing a face.
    faces: Vec<String>,
}

/// Runs sorted by path merged into one, sorted; equal paths (twins, see
/// [`decide::merge_twins`]) are all kept, the earlier run's first. Two runs are merged
/// in two halves at once.
pub(super) fn merge_runs<T: Send>(mut runs: Vec<Vec<(String, T)>>) -> Vec<(String, T)> {
    while runs.len() > 1 {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(2));
        let mut it = runs.into_iter();
        while let Some(left) = it.next() {
            merged.push(match it.next() {
                Some(right) => merge_in_halves(left, right),
                None => left,
            });
        }
        runs = merged;
    }
    runs.pop().unwrap_or_default()
}

/// A sorted list with each run of equal paths replaced by what `merge` makes of them.
pub(super) fn merge_equal<T>(
    sorted: Vec<(String, T)>,
    mut merge: impl FnMut(&str, Vec<T>) -> T,
) -> Vec<(String, T)> {
    let mut out: Vec<(String, T)> = Vec::with_capacity(sorted.len());
    let mut group: Vec<T> = Vec::new();
    let mut it = sorted.into_iter().peekable();
    while let Some((path, first)) = it.next() {
        if it.peek().is_none_or(|(p, _)| *p != path) {
            out.push((path, first));
            continue;
        }
        group.push(first);
        while let Some((_, t)) = it.next_if(|(p, _)| *p == path) {
            group.push(t);
        }
        let merged = merge(&path, std::mem::take(&mut group));
        out.push((path, merged));
    }
    out
}

/// Below this many entries, two runs are merged on one thread.
pub(super) const MERGE_APART: usize = 1 << 12;

/// `merge_two`, with the entries before the left run's middle path merged on another
/// thread while this one merges the rest.
pub(super) fn merge_in_halves<T: Send>(
    mut left: Vec<(String, T)>,
    mut right: Vec<(String, T)>,
) -> Vec<(String, T)> {
    if left.len() + right.len() < MERGE_APART || left.is_empty() {
        return merge_two(left, right);
    }
    let mid = left.len() / 2;
    let pivot = &left[mid].0;
    let cut = right.partition_point(|(p, _)| p < pivot);
    let (left_hi, right_hi) = (left.split_off(mid), right.split_off(cut));
    let (mut lo, hi) = std::thread::scope(|s| {
        let lo = s.spawn(|| merge_two(left, right));
        let hi = merge_two(left_hi, right_hi);
        (lo.join().expect("a merge does not panic"), hi)
    });
    lo.extend(hi);
    lo
}

pub(super) fn merge_two<T>(left: Vec<(String, T)>, right: Vec<(String, T)>) -> Vec<(String, T)> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    loop {
        let take = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => a.0.cmp(&b.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        match take {
            std::cmp::Ordering::Less => out.extend(l.next()),
            std::cmp::Ordering::Greater => out.extend(r.next()),
            std::cmp::Ordering::Equal => {
                out.extend(l.next());
                out.extend(r.next());
            }
        }
    }
    out
}

/// The git blob id of a file the walk read, for exceptions bound to one: hashed from
/// the bytes read when they are the whole file, else from the file on disk.
pub(super) fn disk_blob<'c>(
    root: &'c Path,
    facts: &crate::model::Facts,
    content: &'c [u8],
) -> impl FnOnce() -> Option<String> + 'c {
    let whole = facts.kind == crate::model::FileKind::Text && facts.size == content.len() as u64
        || facts.size == 0;
    let path = facts.path.clone();
    move || {
        if whole {
            git2::Oid::hash_object(git2::ObjectType::Blob, content)
                .ok()
                .map(|o| o.to_string())
        } else {
            audit::blob_id(&root.join(&path))
        }
    }
}

/// Run the detectors over what the walk read. Text files are scanned; binary files are
/// shown to the detectors too (schema readers use them) but count as not scanned. A
/// file larger than the content limit is read on (`tail`) by the secret detectors.
pub(super) fn with_signals(
    scanner: &mut detect::engine::Scanner,
    facts: crate::model::Facts,
    content: &[u8],
    mut tail: Option<walk::Tail>,
) -> crate::model::Facts {
    detect::with_signals(
        scanner,
        facts,
        content,
        tail.as_mut().map(|t| t as &mut dyn std::io::Read),
    )
}

/// Files between two progress reports of a worker (one channel operation per file
/// would cost more than classifying a small one).
pub(super) const PROGRESS_EVERY: usize = 256;

/// A walk thread's state. On drop (when its thread ends) it sends what it kept,
/// sorted, and adds its classifier's evaluation count to the run's total.
pub(super) struct Worker<'a, T> {
    scanner: detect::engine::Scanner,
    classifier: Classifier,
    evaluations: &'a AtomicU64,
    kept: Vec<(String, T)>,
    /// Files to decide again within their component, with their blob ids.
    again: Vec<(crate::model::Facts, Option<String>)>,
    /// The other files that import something ([`Run::linkable`]).
    linkable: Vec<crate::model::Facts>,
    /// The component-level signals of each file that has some, by path.
    evidence: Vec<(String, Vec<crate::model::Signal>)>,
    /// Paths of component markers.
    markers: Vec<String>,
    /// Paths of the pictures showing a face.
    faces: Vec<String>,
    /// The records for the next cache.
    records: cache::scan::Records,
    /// The cache read, which the records may point into.
    old: &'a cache::scan::Cache,
    /// Files read and given to the detectors.
    read: u64,
    progress: bool,
    tx: crossbeam_channel::Sender<Sent<T>>,
}

/// The walk drops a worker's visitor on the worker's thread when its walk ends, so
/// the sort happens there.
impl<T> Drop for Worker<'_, T> {
    fn drop(&mut self) {
        let mut kept = std::mem::take(&mut self.kept);
        // A walk visits each path once: no equal keys to keep in order.
        kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // The receiver lives until the walk ends; a send cannot fail.
        let _ = self.tx.send(Sent::Run(Box::new(Run {
            kept,
            again: std::mem::take(&mut self.again),
            linkable: std::mem::take(&mut self.linkable),
            evidence: std::mem::take(&mut self.evidence),
            markers: std::mem::take(&mut self.markers),
            faces: std::mem::take(&mut self.faces),
            records: {
                let mut r = std::mem::take(&mut self.records);
                r.sort(self.old);
                r
            },
            read: self.read,
        })));
        self.evaluations
            .fetch_add(self.classifier.evaluations(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_shows_files_done_and_elapsed_time() {
        let style = indicatif::ProgressStyle::with_template(PROGRESS_TEMPLATE);
        assert!(style.is_ok());
        assert!(PROGRESS_TEMPLATE.contains("{human_pos} files"));
        assert!(PROGRESS_TEMPLATE.contains("{elapsed}"));
    }

    #[test]
    fn merged_runs_are_the_sort_of_their_concatenation() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for runs in [0, 1, 2, 3, 5, 8] {
            let mut all = Vec::new();
            let sorted: Vec<Vec<(String, usize)>> = (0..runs)
                .map(|r| {
                    // Long enough that two runs are merged in halves (MERGE_APART).
                    let len = (next() % 6000) as usize;
                    let mut v: Vec<(String, usize)> = (0..len)
                        .map(|i| {
                            (
                                format!("d{}/f{}", next() % 13, next() % 5000),
                                r * 10_000 + i,
                            )
                        })
                        .collect();
                    // A run may hold a path more than once (twins).
                    v.sort_by(|a, b| a.0.cmp(&b.0));
                    all.extend(v.iter().cloned());
                    v
                })
                .collect();
            // Every entry is kept, in path order.
            let mut merged = merge_runs(sorted);
            assert!(merged.windows(2).all(|w| w[0].0 <= w[1].0), "{runs} runs");
            merged.sort();
            all.sort();
            assert_eq!(merged, all, "{runs} runs");
        }
    }

    #[test]
    fn equal_paths_are_merged_once_per_group() {
        let list: Vec<(String, u32)> = [
            ("a", 1),
            ("b", 2),
            ("b", 3),
            ("b", 4),
            ("c", 5),
            ("d", 6),
            ("d", 7),
        ]
        .iter()
        .map(|(p, v)| (p.to_string(), *v))
        .collect();
        let mut calls = Vec::new();
        let out = merge_equal(list, |p, group| {
            calls.push((p.to_string(), group.clone()));
            group.iter().sum()
        });
        let want: Vec<(String, u32)> = [("a", 1), ("b", 9), ("c", 5), ("d", 13)]
            .iter()
            .map(|(p, v)| (p.to_string(), *v))
            .collect();
        assert_eq!(out, want);
        assert_eq!(
            calls,
            [
                ("b".to_string(), vec![2, 3, 4]),
                ("d".to_string(), vec![6, 7])
            ]
        );
    }
}
