//! The application layer: the only module that sees the whole pipeline. It loads the
//! config and policies, drives walk → decide → manifest, hands results to renderers and
//! computes the exit code once. Printing happens only through the writers it is given.

mod accept;
mod audit;
mod bash;
mod check;
mod exceptions;
mod export;
mod hook;
mod init;
pub mod judge;
mod listing;
mod merge;
mod report;
pub mod resolve;
mod rules;
mod stamp;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::{CommandFactory, Parser};

use crate::cli::{
    Cli, Command, ExplainArgs, ListFormat, LsArgs, ManifestFormat, PolicyCommand, PolicyTestArgs,
    RouteArgs, RulesCommand, ScanArgs, SchemaKind, TextOrJson,
};
use crate::codes;
use crate::config::{self, Config};
use crate::decide::{self, Classified, Classifier, FileRecord, Rules};
use crate::detect::{self, engine::Detectors};
use crate::diag::Diagnostics;
use crate::manifest::{self, Manifest, Reason, Scope};
use crate::model::{GitState, RESTRICTED};
use crate::policy::PolicySet;
use crate::render::{self, FileView, RouteAnswer};
use crate::walk::{self, Repo, WalkOptions};

pub use crate::diag::{Failure, Result};
pub use crate::files::write_atomic;

/// Exit codes, computed once per run.
pub const EXIT_OK: u8 = 0;
pub const EXIT_DENIED: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Where a run prints and what it may assume about its terminal.
pub struct Io<'a> {
    /// Standard input (the hook's event).
    pub input: &'a mut dyn std::io::Read,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub cwd: PathBuf,
    /// Colour on standard output (`--color`; by default a TTY and no NO_COLOR).
    pub color: bool,
    /// Progress bar on standard error (a TTY).
    pub progress: bool,
    /// Columns of the terminal standard output is, when it is one.
    pub width: Option<usize>,
}

/// Run the command line with the process's real stdout, stderr and working directory.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = stdout.is_terminal() && !no_color;
    let progress = stderr.is_terminal();
    let width = stdout
        .is_terminal()
        .then(|| console::Term::stdout().size_checked())
        .flatten()
        .map(|(_, cols)| usize::from(cols));
    let cwd = match std::env::current_dir() {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(
                stderr.lock(),
                "tiergate: cannot read the current directory: {e}"
            );
            return EXIT_ERROR;
        }
    };
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut input = std::io::stdin().lock();
    let mut io = Io {
        input: &mut input,
        out: &mut out,
        err: &mut err,
        cwd,
        color,
        progress,
        width,
    };
    run_with(args, &mut io)
}

/// Run the command line against the given writers (tests drive this in-process).
pub fn run_with<I, T>(args: I, io: &mut Io<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = if io.color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            if e.use_stderr() {
                let _ = write!(io.err, "{text}");
            } else {
                let _ = write!(io.out, "{text}");
            }
            return code;
        }
    };
    match cli.global.color {
        crate::cli::ColorChoice::Auto => {}
        crate::cli::ColorChoice::Always => io.color = true,
        crate::cli::ColorChoice::Never => io.color = false,
    }
    let started = std::time::Instant::now();
    let result = if cli.global.quiet {
        // Errors still reach standard error, below; everything else written there is
        // dropped.
        let mut sink = std::io::sink();
        let mut quiet = Io {
            input: &mut *io.input,
            out: &mut *io.out,
            err: &mut sink,
            cwd: io.cwd.clone(),
            color: io.color,
            progress: false,
            width: io.width,
        };
        dispatch(&cli, &mut quiet)
    } else {
        dispatch(&cli, io)
    };
    if cli.global.verbose {
        let _ = writeln!(
            io.err,
            "tiergate: {} took {:.1?}",
            cli.command.name(),
            started.elapsed()
        );
    }
    match result {
        Ok(code) => code,
        Err(Failure::Diagnostics(d)) => {
            let _ = writeln!(io.err, "{d}");
            let n = d.0.len();
            let _ = writeln!(
                io.err,
                "tiergate: {n} problem{} found{}",
                if n == 1 { "" } else { "s" },
                if cli.command.writes() {
                    "; nothing was written"
                } else {
                    ""
                }
            );
            EXIT_ERROR
        }
        Err(Failure::Other(e)) => {
            let _ = writeln!(io.err, "tiergate: error: {e:#}");
            EXIT_ERROR
        }
    }
}

fn dispatch(cli: &Cli, io: &mut Io<'_>) -> Result<u8> {
    match &cli.command {
        Command::Scan(a) => cmd_scan(cli, a, io),
        Command::Ls(a) => cmd_ls(cli, a, io),
        Command::Route(a) => cmd_route(cli, a, io),
        Command::Explain(a) => cmd_explain(cli, a, io),
        Command::Accept(a) => accept::cmd_accept(cli, a, io),
        Command::Policy(PolicyCommand::Test(a)) => cmd_policy_test(cli, a, io),
        Command::Policy(PolicyCommand::Check) => cmd_policy_check(cli, io),
        Command::Rules(RulesCommand::Test(a)) => rules::cmd_rules_test(a, io),
        Command::Check(a) => check::cmd_check(cli, a, io),
        Command::Diff(a) => check::cmd_diff(cli, a, io),
        Command::Export(a) => export::cmd_export(cli, a, io),
        Command::Report(a) => report::cmd_report(cli, a, io),
        Command::Init(a) => init::cmd_init(a, io),
        Command::Hook(a) => hook::cmd_hook(cli, a, io),
        Command::Audit(c) => audit::cmd_audit(c, io),
        Command::Exceptions(c) => exceptions::cmd_exceptions(cli, c, io),
        Command::Merge(a) => merge::cmd_merge(cli, a, io),
        Command::Schema(a) => {
            match a.which {
                SchemaKind::Manifest => io.out.write_all(Manifest::json_schema().as_bytes())?,
            }
            Ok(EXIT_OK)
        }
        Command::Completions(a) => {
            let mut cmd = Cli::command();
            clap_complete::generate(a.shell, &mut cmd, "tiergate", io.out);
            Ok(EXIT_OK)
        }
    }
}

/// The day exceptions and dates in force are judged on: `--today` (or `TIERGATE_TODAY`),
/// else the system clock's UTC date.
pub fn today(cli: &Cli) -> crate::model::Date {
    cli.global.today.unwrap_or_else(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        crate::model::Date::from_days_since_epoch((secs / 86_400) as i64)
    })
}

/// The config alone (no policies, no detectors), for commands that only need its
/// settings: `--config`, else `tiergate.yaml` found upward from `root`, else defaults.
fn config_only(cli: &Cli, root: &Path, cwd: &Path) -> Result<config::Config> {
    Ok(match &cli.global.config {
        Some(p) => {
            let abs = cwd.join(p);
            config::load_file(&abs, &abs.display().to_string())?
        }
        None => match config::discover(root) {
            Some(p) => config::load_file(&p, config::CONFIG_FILE_NAME)?,
            None => config::defaults(),
        },
    })
}

/// Config, policies and compiled rules for one scan root.
pub struct Context {
    pub repo: Repo,
    pub config: Arc<Config>,
    /// How the config is named in findings and provenance: repo-relative path or `builtin`.
    pub config_display: String,
    pub policies: PolicySet,
    pub rules: Arc<Rules>,
    pub detectors: Arc<Detectors>,
    /// `tiergate.exceptions.yaml` at the root, when there is one.
    pub exceptions: Option<config::ExceptionsFile>,
    /// `tiergate.accepted.yaml` at the root, when there is one.
    pub accepted: Option<config::AcceptedFile>,
    /// The day exceptions are judged on (`--today`, else the system clock).
    pub today: crate::model::Date,
}

impl Context {
    /// Open `root`, find or load the config, load and compile the policies. Every problem
    /// of the config (or of the policies) is reported at once. Without `config_path`,
    /// `tiergate.yaml` is searched upward from `search_from` (the directory the user named,
    /// or the working directory).
    pub fn load(
        root: &Path,
        config_path: Option<&Path>,
        search_from: &Path,
        cwd: &Path,
        today: crate::model::Date,
    ) -> Result<Context> {
        // Reading a large git index takes as long as compiling the policies: on another
        // thread meanwhile. Its errors still come first.
        let opening = {
            let root = root.to_path_buf();
            std::thread::spawn(move || Repo::open(&root))
        };
        let rest = Self::load_rules(root, config_path, search_from, cwd, today);
        let repo = opening
            .join()
            .expect("opening a repository does not panic")?;
        let (config, config_display, policies, (exceptions, accepted), rules, detectors) = rest?;
        Ok(Context {
            detectors,
            repo,
            config,
            config_display,
            policies,
            rules,
            exceptions,
            accepted,
            today,
        })
    }

    /// Everything of a context but the repository: config, policies, exceptions,
    /// rules and detectors, for the repository at `root`.
    #[allow(clippy::type_complexity)]
    fn load_rules(
        root: &Path,
        config_path: Option<&Path>,
        search_from: &Path,
        cwd: &Path,
        today: crate::model::Date,
    ) -> Result<(
        Arc<Config>,
        String,
        PolicySet,
        (Option<config::ExceptionsFile>, Option<config::AcceptedFile>),
        Arc<Rules>,
        Arc<Detectors>,
    )> {
        // The root as `Repo::open` makes it.
        let root = &walk::canonical_dir(root)?;
        let (config, config_display) = match config_path {
            Some(p) => {
                let abs = cwd.join(p);
                let display = display_path(root, &abs);
                (config::load_file(&abs, &display)?, display)
            }
            None => match config::discover(search_from) {
                Some(p) => {
                    let display = display_path(root, &p);
                    (config::load_file(&p, &display)?, display)
                }
                None => (config::defaults(), "builtin".to_string()),
            },
        };
        let config = Arc::new(config);
        // The detector automaton builds on another core while the policies compile.
        let detectors = {
            let config = config.clone();
            std::thread::spawn(move || Detectors::new(&config.detectors, detect::BUILTIN_FAMILIES))
        };
        let policies = PolicySet::load(&config, root)?;
        let exceptions = config::load_exceptions(root, &config)?;
        let accepted = config::load_accepted(root)?;
        let rules =
            Arc::new(Rules::compile(config.clone())?.with_exceptions(exceptions.as_ref(), today)?);
        let detectors = detectors
            .join()
            .expect("detector build does not panic")?
            .accepting(detect::accept::Acceptance::new(
                accepted.as_ref(),
                config.accept.inline,
            ));
        Ok((
            config,
            config_display,
            policies,
            (exceptions, accepted),
            rules,
            Arc::new(detectors),
        ))
    }

    fn walk_options(&self, threads: usize, skip: Vec<String>) -> WalkOptions {
        WalkOptions {
            threads,
            skip,
            max_content_bytes: self.config.limits.max_content_bytes,
            binary_sniff_bytes: self.config.limits.binary_sniff_bytes,
        }
    }
}

/// A path for display: relative to the root when inside it, else as given.
fn display_path(root: &Path, p: &Path) -> String {
    let canon = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    match canon.strip_prefix(root) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => p.to_string_lossy().into_owned(),
    }
}

/// What a full scan produced.
pub struct ScanOutcome {
    pub records: decide::Records,
    /// Rego evaluations really run (the rest were answered from the memo).
    pub evaluations: u64,
}

/// Walk and classify every file under the context's root, in parallel, collecting into
/// one ordered map of whole records.
pub fn scan(ctx: &Context, opts: &WalkOptions, progress: bool) -> ScanOutcome {
    let (mut records, evaluations) = scan_with(
        ctx,
        opts,
        progress,
        || (),
        |(), r| (r.facts.path.clone(), Box::new(r)),
    );
    // Links resolve as in the manifest a scan writes by default.
    let scope = scope_of(ctx, false);
    decide::finish(&ctx.rules, &mut records, |git| scope.lists(git));
    ScanOutcome {
        records: records.into_iter().collect(),
        evaluations,
    }
}

/// Walk and classify every file under the context's root, in parallel. Each worker
/// thread gets its own `state`; `keep` turns a record into what the caller holds, on
/// the thread that classified it (so what it drops is freed where it was allocated).
/// Returns what was kept, sorted by path, and the number of Rego evaluations really run.
pub(crate) fn scan_with<S: Send, T: Send + Classified>(
    ctx: &Context,
    opts: &WalkOptions,
    progress: bool,
    state: impl Fn() -> S + Sync,
    keep: impl Fn(&mut S, FileRecord) -> (String, T) + Sync,
) -> (decide::Sorted<T>, u64) {
    let evaluations = AtomicU64::new(0);
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
    std::thread::scope(|s| {
        let (evaluations, state, keep, renamed) = (&evaluations, &state, &keep, &renamed);
        s.spawn(move || {
            walk::walk(&ctx.repo, opts, || {
                let mut worker = Worker {
                    scanner: ctx.detectors.scanner(),
                    classifier: Classifier::new(ctx.rules.clone(), &ctx.policies),
                    evaluations,
                    kept: Vec::new(),
                    progress,
                    tx: tx.clone(),
                };
                let mut state = state();
                move |entry: walk::Entry<'_>| {
                    if entry.facts.raw_name.is_some() {
                        renamed.store(true, Ordering::Relaxed);
                    }
                    let facts =
                        with_signals(&mut worker.scanner, entry.facts, entry.content, entry.tail);
                    let blob = disk_blob(&ctx.repo.root, &facts, entry.content);
                    let rec = worker.classifier.classify(facts, blob);
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
                Sent::Run(run) => runs.push(run),
            }
        }
    });
    let mut kept = merge_runs(runs);
    if renamed.load(Ordering::Relaxed) {
        kept = merge_equal(kept, |path, twins| {
            decide::merge_twins(&ctx.rules, path, twins)
        });
    }
    let kept = decide::Sorted::new(kept);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    (kept, evaluations.load(Ordering::Relaxed))
}

/// The progress line on a terminal: files classified so far and the time taken.
const PROGRESS_TEMPLATE: &str = "{spinner} classifying: {human_pos} files, {elapsed}";

/// What a worker sends the collector.
enum Sent<T> {
    /// Files classified since the last report (only with a progress display).
    Progress(usize),
    /// Everything the worker kept, sorted by path.
    Run(Vec<(String, T)>),
}

/// Runs sorted by path merged into one, sorted; equal paths (twins, see
/// [`decide::merge_twins`]) are all kept, the earlier run's first. Two runs are merged
/// in two halves at once.
fn merge_runs<T: Send>(mut runs: Vec<Vec<(String, T)>>) -> Vec<(String, T)> {
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
fn merge_equal<T>(
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
const MERGE_APART: usize = 1 << 12;

/// `merge_two`, with the entries before the left run's middle path merged on another
/// thread while this one merges the rest.
fn merge_in_halves<T: Send>(
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

fn merge_two<T>(left: Vec<(String, T)>, right: Vec<(String, T)>) -> Vec<(String, T)> {
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
fn disk_blob<'c>(
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
fn with_signals(
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
const PROGRESS_EVERY: usize = 256;

/// A walk thread's state. On drop (when its thread ends) it sends what it kept,
/// sorted, and adds its classifier's evaluation count to the run's total.
struct Worker<'a, T> {
    scanner: detect::engine::Scanner,
    classifier: Classifier,
    evaluations: &'a AtomicU64,
    kept: Vec<(String, T)>,
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
        let _ = self.tx.send(Sent::Run(kept));
        self.evaluations
            .fetch_add(self.classifier.evaluations(), Ordering::Relaxed);
    }
}

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
fn summarize<'a>(
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
fn zone_tiers(ctx: &Context) -> Vec<Option<crate::model::TierId>> {
    decide::zone_tiers(&ctx.rules, &ctx.policies, ctx.repo.git.is_some())
}

/// The manifest without its files: provenance, tiers, destinations, zones (with
/// `zone_tiers`, one per zone), rules, exceptions and the given summary.
fn manifest_head(
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
            rules: crate::rules::provenance(),
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

fn into_reasons(findings: Vec<crate::model::Finding>) -> Vec<Reason> {
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

fn reasons(r: &FileRecord) -> Vec<Reason> {
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

fn view(config: &Config, r: &FileRecord) -> FileView {
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

/// The context of a command taking an optional DIR: the config is searched from DIR
/// when given, else from the working directory.
fn dir_context(cli: &Cli, dir: Option<&PathBuf>, io: &Io<'_>) -> Result<Context> {
    let root = scan_root(dir, &io.cwd)?;
    let search_from = if dir.is_some() { &root } else { &io.cwd };
    Context::load(
        &root,
        cli.global.config.as_deref(),
        search_from,
        &io.cwd,
        today(cli),
    )
}

/// The scan root for an optional DIR argument.
fn scan_root(dir: Option<&PathBuf>, cwd: &Path) -> Result<PathBuf> {
    Ok(match dir {
        Some(d) => cwd.join(d),
        None => Repo::default_root(cwd)?,
    })
}

fn cmd_scan(cli: &Cli, a: &ScanArgs, io: &mut Io<'_>) -> Result<u8> {
    let mut ctx = dir_context(cli, a.dir.as_ref(), io)?;
    if let Some(rev) = &a.rules {
        check::use_rules_at(&mut ctx, &io.cwd, cli.global.config.as_deref(), rev)?;
    }
    if cli.global.verbose {
        io.err.write_all(rules_in_force(&ctx).as_bytes())?;
    }
    let default_name = match a.format {
        ManifestFormat::Json => manifest::MANIFEST_FILE_NAME,
        ManifestFormat::Yaml => manifest::MANIFEST_YAML_FILE_NAME,
    };
    let output: Option<PathBuf> = match &a.output {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(io.cwd.join(p)),
        None => Some(ctx.repo.root.join(default_name)),
    };
    let opts = ctx.walk_options(cli.global.threads, skip_outputs(&ctx, output.as_deref()));
    // The file system's clock before the walk reads anything: route and the hooks trust
    // the manifest for files whose change time is older (see `stamp`).
    let git_dir = ctx
        .repo
        .git
        .as_ref()
        .and_then(|g| stamp::git_dir(g.workdir()));
    let started = match (&output, a.format, &git_dir) {
        (Some(_), ManifestFormat::Json, Some(g)) => stamp::start(g),
        _ => None,
    };
    let (mut files, evaluations) = scan_with(
        &ctx,
        &opts,
        io.progress,
        listing::Interner::default,
        listing::Interner::keep,
    );
    // The zones' tiers need a policy evaluator of their own (a few milliseconds to
    // set up and run): on another core while the records are finished and counted.
    let zones = {
        let (rules, policies, in_git) = (
            ctx.rules.clone(),
            ctx.policies.clone(),
            ctx.repo.git.is_some(),
        );
        std::thread::Builder::new()
            .name("tiergate-zones".into())
            .spawn(move || decide::zone_tiers(&rules, &policies, in_git))
            .ok()
    };
    let scope = scope_of(&ctx, a.include_untracked);
    decide::finish(&ctx.rules, &mut files, |git| scope.lists(git));
    let classified = files.len() as u64;
    let listed = || files.iter().filter(|(_, l)| scope.lists(l.git()));
    let summary = summarize(
        &ctx.config,
        listed().map(|(p, l)| {
            let d = l.decision();
            let collides = d.findings.iter().any(|f| f.code == codes::CASE_COLLISION);
            (p.as_str(), d.tier, collides)
        }),
    );
    // Inline when no thread could be started.
    let zones = match zones {
        Some(h) => h.join().expect("zone tiers do not panic"),
        None => zone_tiers(&ctx),
    };
    if let Some(g) = &git_dir {
        // Route, the hooks and export compare the manifest's zone tiers with these
        // without compiling the policies again.
        let key = judge::zone_key(
            &ctx.config.digest,
            &ctx.policies.source_digests(),
            ctx.repo.git.is_some(),
        );
        let _ = stamp::cache_zone_tiers(g, &key, &zones);
    }
    let mut m = manifest_head(&ctx, scope, summary, zones);
    // The written manifest does not name a commit: committed, it would change with
    // every commit, and a rescan of an unchanged tree would not be a no-op.
    m.provenance.commit = None;
    let rendered = listing::rendered(scope);
    match (&output, a.format) {
        (None, ManifestFormat::Json) => {
            m.write_json_rendered(&mut *io.out, files.as_slice(), rendered)?
        }
        (Some(path), ManifestFormat::Json) => {
            write_atomic(path, |w| {
                m.write_json_rendered(w, files.as_slice(), rendered)
            })?;
            if let (Some(g), Some(started)) = (&git_dir, started)
                && let Err(e) = stamp::record(g, path, started)
            {
                // Only slower answers follow: files then count as changed since the
                // manifest's own change time.
                writeln!(
                    io.err,
                    "note: the scan's start could not be recorded in {}: {e}",
                    stamp::state_dir(g).display()
                )?;
            }
        }
        (_, ManifestFormat::Yaml) => {
            m.files = listed()
                .map(|(p, l)| (p.clone(), file_entry(l.kind(), l.git(), l.decision())))
                .collect();
            let text = render::manifest_yaml(&m)?;
            match &output {
                None => io.out.write_all(text.as_bytes())?,
                Some(path) => write_atomic(path, |w| w.write_all(text.as_bytes()))?,
            }
        }
    }
    if a.stage {
        stage_manifest(&ctx, output.as_deref())?;
    }
    // 100,000 paths and their map take milliseconds to free: on another thread, which
    // the process does not wait for when it ends.
    drop_elsewhere(files);
    let summary = render::scan_summary(
        &m,
        classified,
        classified - m.summary.files,
        evaluations,
        output.as_deref().map(|p| display_path(&ctx.repo.root, p)),
    );
    io.err.write_all(summary.as_bytes())?;
    Ok(EXIT_OK)
}

/// `scan --stage`: put the written manifest in git's index, as `git add` would (a
/// manifest unchanged since it was staged leaves the index alone).
/// What `--verbose` says about the rules a command judges with.
fn rules_in_force(ctx: &Context) -> String {
    let mut out = format!(
        "rules in force:\n  config      {} {}\n",
        ctx.config_display, ctx.config.digest
    );
    for p in ctx.policies.policies() {
        out.push_str(&format!("  policy      {} {}\n", p.source, p.digest));
    }
    match &ctx.exceptions {
        Some(x) => out.push_str(&format!(
            "  exceptions  {} {} ({} entries)\n",
            x.display,
            x.digest,
            x.exceptions.len()
        )),
        None => out.push_str("  exceptions  none\n"),
    }
    match &ctx.accepted {
        Some(x) => out.push_str(&format!(
            "  accepted    {} {} ({} entries)\n",
            x.display,
            x.digest,
            x.entries.len()
        )),
        None => out.push_str("  accepted    none\n"),
    }
    out.push_str(&format!(
        "  markers     tiergate:accept markers {}\n",
        if ctx.config.accept.inline {
            "count"
        } else {
            "do not count (accept.inline: false)"
        }
    ));
    out
}

fn stage_manifest(ctx: &Context, output: Option<&Path>) -> Result<()> {
    let path = output.ok_or_else(|| {
        anyhow::anyhow!("--stage needs a manifest file: it cannot stage standard output")
    })?;
    let refuse = |why: String| Failure::Other(anyhow::anyhow!("--stage: {why}"));
    let repo = git2::Repository::open(&ctx.repo.root)
        .map_err(|e| refuse(format!("not a git repository ({})", e.message())))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| refuse("the repository has no work tree".into()))?
        .canonicalize()?;
    let file = path
        .parent()
        .unwrap_or(Path::new("."))
        .canonicalize()?
        .join(path.file_name().unwrap_or_default());
    let rel = file.strip_prefix(&workdir).map_err(|_| {
        refuse(format!(
            "{} is outside the work tree {}",
            path.display(),
            workdir.display()
        ))
    })?;
    let mut index = repo.index().map_err(|e| refuse(e.message().to_string()))?;
    index
        .add_path(rel)
        .and_then(|()| index.write())
        .map_err(|e| refuse(format!("cannot stage {}: {}", rel.display(), e.message())))?;
    Ok(())
}

/// Drop `value` on a thread of its own (inline when no thread can be started).
fn drop_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("tiergate-free".into())
        .spawn(move || drop(value));
}

/// Paths a scan leaves out: the manifests, and the file the command writes (when it
/// lies in the repository), so that output never classifies itself.
fn skip_outputs(ctx: &Context, output: Option<&Path>) -> Vec<String> {
    let mut skip = vec![
        manifest::MANIFEST_FILE_NAME.to_string(),
        manifest::MANIFEST_YAML_FILE_NAME.to_string(),
    ];
    if let Some(o) = output {
        let parent = o.parent().unwrap_or(Path::new("."));
        if let Ok(p) = parent.canonicalize()
            && let Ok(rel) = p
                .join(o.file_name().unwrap_or_default())
                .strip_prefix(&ctx.repo.root)
        {
            skip.push(rel.to_string_lossy().into_owned());
        }
    }
    skip
}

/// What a manifest lists: what git tracks, unless asked for everything or outside git.
fn scope_of(ctx: &Context, include_untracked: bool) -> Scope {
    if include_untracked || ctx.repo.git.is_none() {
        Scope::All
    } else {
        Scope::Tracked
    }
}

fn cmd_ls(cli: &Cli, a: &LsArgs, io: &mut Io<'_>) -> Result<u8> {
    let ctx = dir_context(cli, a.dir.as_ref(), io)?;
    if let Some(t) = a.tier
        && ctx.config.tier(t).is_none()
    {
        return Err(Failure::Other(anyhow::anyhow!(
            "--tier {t}: no such tier (known: {})",
            ctx.config
                .tiers
                .iter()
                .map(|t| t.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let skip = vec![
        manifest::MANIFEST_FILE_NAME.to_string(),
        manifest::MANIFEST_YAML_FILE_NAME.to_string(),
    ];
    let opts = ctx.walk_options(cli.global.threads, skip);
    let outcome = scan(&ctx, &opts, io.progress);
    let views: Vec<FileView> = outcome
        .records
        .values()
        .filter(|r| a.tier.is_none_or(|t| r.decision.tier == t))
        .map(|r| view(&ctx.config, r))
        .collect();
    let text = match a.format {
        ListFormat::Table => render::ls_table(&views, io.color, io.width),
        ListFormat::Json => render::ls_json(&views),
        ListFormat::Csv => render::ls_csv(&views),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// A user-given path as a normalized repo-relative path, or None when it lies outside
/// the root. Relative paths are taken from the current directory.
///
/// ```
/// use std::path::Path;
/// use tiergate::app::repo_relative;
/// let (root, cwd) = (Path::new("/repo"), Path::new("/repo/src"));
/// assert_eq!(repo_relative(root, cwd, "../docs/./a.md").as_deref(), Some("docs/a.md"));
/// assert_eq!(repo_relative(root, cwd, "/etc/passwd"), None);
/// ```
pub fn repo_relative(root: &Path, cwd: &Path, input: &str) -> Option<String> {
    let p = Path::new(input);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in abs.components() {
        use std::path::Component;
        match c {
            Component::RootDir | Component::Prefix(_) => parts.clear(),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    let root_parts: Vec<String> = root
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.len() < root_parts.len() || parts[..root_parts.len()] != root_parts[..] {
        return None;
    }
    use unicode_normalization::UnicodeNormalization;
    Some(parts[root_parts.len()..].join("/").nfc().collect())
}

/// Answer, from a manifest alone, whether each of `inputs` may go to the destination
/// `to`: the library behind `tiergate route`. Inputs are resolved against `base` (the
/// repository the manifest describes) from `cwd`; a path outside it, or one the manifest
/// does not list, takes the unlisted tier (fail closed).
pub fn route(
    view: &manifest::Lookup,
    to: &str,
    base: &Path,
    cwd: &Path,
    inputs: &[String],
) -> std::result::Result<Vec<RouteAnswer>, Failure> {
    let m = view.header();
    let Some(dest) = m.destination(to) else {
        return Err(Failure::Other(anyhow::anyhow!(
            "--to {}: no such destination in the manifest (known: {})",
            to,
            m.destinations
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let answers: Vec<RouteAnswer> = inputs
        .iter()
        .map(|input| {
            let res = match repo_relative(base, cwd, input) {
                Some(rel) => view.resolve(&rel)?,
                None => manifest::Resolution {
                    path: input.clone(),
                    tier: m.unlisted.tier,
                    listed: false,
                    reasons: vec![Reason {
                        code: codes::OUTSIDE_REPOSITORY.into(),
                        rule: codes::OUTSIDE_REPOSITORY.into(),
                        tier: Some(m.unlisted.tier),
                        source: "builtin".into(),
                        message: "the path lies outside the repository".into(),
                    }],
                },
            };
            Ok(RouteAnswer {
                input: input.clone(),
                path: res.path.clone(),
                allowed: res.tier >= dest.accepts,
                tier: res.tier,
                tier_name: m
                    .tier_def(res.tier)
                    .map_or_else(String::new, |t| t.name.clone()),
                destination: dest.name.clone(),
                accepts: dest.accepts,
                listed: res.listed,
                reasons: res.reasons,
            })
        })
        .collect::<std::result::Result<_, Diagnostics>>()?;
    Ok(answers)
}

fn cmd_route(cli: &Cli, a: &RouteArgs, io: &mut Io<'_>) -> Result<u8> {
    let cwd = io.cwd.canonicalize().unwrap_or_else(|_| io.cwd.clone());
    let root = Repo::default_root(&cwd)?;
    // Paths are relative to the repository the manifest describes: the manifest's own
    // directory when it is given explicitly.
    let base = match &a.manifest {
        Some(p) => cwd
            .join(p)
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .unwrap_or(root.clone()),
        None => root.clone(),
    };
    // The manifest reconciled with the rules in force, then each path judged as the
    // kernel resolves it and as it is on disk now (the hook's core).
    let judge = judge::Judge::open(judge::Options {
        root: base.clone(),
        cwd: io.cwd.clone(),
        manifest: a.manifest.clone(),
        config: cli.global.config.clone(),
        destination: a.to.clone(),
        today: today(cli),
        home: std::env::var_os("HOME").map(PathBuf::from),
    })
    .map_err(|e| match e {
        judge::OpenError::Refused(m) if m.starts_with("no destination") => {
            Failure::Other(anyhow::anyhow!("--to {}: {m}", a.to))
        }
        e => Failure::Other(anyhow::anyhow!("{e}")),
    })?;
    let items: Vec<judge::Item> = a
        .paths
        .iter()
        .map(|p| judge::Item {
            cwd: Some(io.cwd.clone()),
            path: p.clone(),
            access: judge::Access::Read,
        })
        .collect();
    let m = judge.header();
    let accepts = judge.accepts();
    let verdicts = judge.judge(&items, true);
    // A manifest that cannot answer for a path it lists is bad input, not a denial.
    if let Some(e) = verdicts.iter().find_map(|v| v.error.clone()) {
        return Err(Failure::Other(anyhow::anyhow!("{e}; run `tiergate scan`")));
    }
    let answers: Vec<RouteAnswer> = verdicts
        .into_iter()
        .map(|v| RouteAnswer {
            input: v.input,
            path: v.path,
            allowed: v.allowed,
            tier: v.tier,
            tier_name: m
                .tier_def(v.tier)
                .map_or_else(String::new, |t| t.name.clone()),
            destination: a.to.clone(),
            accepts,
            listed: v.listed,
            reasons: v.reasons,
        })
        .collect();
    if let Some(log) = &a.log {
        let who = audit::identity(&cwd);
        let entries: Vec<crate::audit::Entry> = answers
            .iter()
            .map(|x| crate::audit::Entry {
                model: a.model.clone(),
                ..audit::entry(
                    &who,
                    &a.agent,
                    &x.destination,
                    &base,
                    &x.path,
                    x.tier,
                    x.allowed,
                    x.reasons.first().map_or("", |r| r.rule.as_str()),
                )
            })
            .collect();
        // `--log` alone: $TIERGATE_LOG, else the repository's log.
        let file = log.clone().or_else(|| {
            std::env::var_os("TIERGATE_LOG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        let log = crate::audit::Log::new(audit::log_path(file.as_deref(), &cwd)?);
        log.append(&entries, &crate::audit::now_utc())?;
    }
    let text = match a.format {
        TextOrJson::Text => render::route_text(&answers, io.color),
        TextOrJson::Json => render::route_json(&answers),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(if answers.iter().all(|x| x.allowed) {
        EXIT_OK
    } else {
        EXIT_DENIED
    })
}

fn cmd_explain(cli: &Cli, a: &ExplainArgs, io: &mut Io<'_>) -> Result<u8> {
    let cwd = io.cwd.canonicalize().unwrap_or_else(|_| io.cwd.clone());
    let root = Repo::default_root(&cwd)?;
    let ctx = Context::load(&root, cli.global.config.as_deref(), &cwd, &cwd, today(cli))?;
    let Some(rel) = repo_relative(&ctx.repo.root, &cwd, &a.path) else {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}: outside the repository {}",
            a.path,
            ctx.repo.root.display()
        )));
    };
    let opts = ctx.walk_options(cli.global.threads, vec![]);
    let Some((facts, content, tail)) = walk::read_one(&ctx.repo, &opts, &rel) else {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}: no such file in {} (explain takes a file, not a directory)",
            a.path,
            ctx.repo.root.display()
        )));
    };
    let record = if facts.kind == crate::model::FileKind::Symlink {
        // A link's tier depends on what it points to, possibly through other links:
        // classify the whole tree so the answer is the one `scan` gives.
        let mut outcome = scan(&ctx, &opts, io.progress);
        outcome
            .records
            .remove(&rel)
            .map(|r| *r)
            .ok_or_else(|| anyhow::anyhow!("{rel}: vanished during the scan"))?
    } else {
        let facts = with_signals(&mut ctx.detectors.scanner(), facts, &content, tail);
        let mut classifier = Classifier::new(ctx.rules.clone(), &ctx.policies);
        let blob = disk_blob(&ctx.repo.root, &facts, &content);
        classifier.classify(facts, blob)
    };
    let rule_ids = record
        .decision
        .findings
        .iter()
        .filter(|f| f.code == codes::GLOB_RULE)
        .map(|f| f.rule.clone());
    let input = decide::rego_input(&record.facts, rule_ids);
    // One lookup, not a parse of the whole manifest. No manifest is no answer; a
    // manifest that cannot be read right (an entry with a tier its header does not
    // define, a repeated path) is an error, never a tier shown as the manifest's.
    let manifest_tier = match manifest::Lookup::open(
        &ctx.repo.root.join(manifest::MANIFEST_FILE_NAME),
        manifest::MANIFEST_FILE_NAME,
    ) {
        Ok(m) => Some(m.get(&rel)?.map(|e| e.tier)),
        Err(d) if d.0.iter().all(|d| d.code == "manifest-unreadable") => None,
        Err(d) => return Err(d.into()),
    };
    let v = view(&ctx.config, &record);
    let denied: Vec<(String, u8)> = ctx
        .config
        .destinations
        .iter()
        .filter(|d| !d.admits(record.decision.tier))
        .map(|d| (d.name.clone(), d.accepts))
        .collect();
    let ex = render::Explanation {
        view: v,
        facts: &record.facts,
        rego_input: &input,
        defaulted: record.decision.defaulted,
        default_tier: ctx.config.default_tier,
        denied,
        manifest_tier,
    };
    let text = match a.format {
        TextOrJson::Text => render::explain_text(&ex, io.color),
        TextOrJson::Json => render::explain_json(&ex),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// The config for a policy command: found from the working directory like `scan`'s.
fn policy_config(cli: &Cli, io: &Io<'_>) -> Result<(PathBuf, Config)> {
    let root = Repo::default_root(&io.cwd)?;
    let config = match &cli.global.config {
        Some(p) => {
            let abs = io.cwd.join(p);
            config::load_file(&abs, &display_path(&root, &abs))?
        }
        None => match config::discover(&io.cwd) {
            Some(p) => config::load_file(&p, &display_path(&root, &p))?,
            None => config::defaults(),
        },
    };
    Ok((root, config))
}

fn cmd_policy_test(cli: &Cli, a: &PolicyTestArgs, io: &mut Io<'_>) -> Result<u8> {
    let (root, config) = policy_config(cli, io)?;
    let dir = a.dir.as_ref().map(|d| io.cwd.join(d));
    let report = crate::policy::tooling::run_tests(&config, &root, dir.as_deref())?;
    io.out
        .write_all(crate::policy::tooling::render_test_report(&report).as_bytes())?;
    Ok(if report.outcomes.iter().all(|o| o.passed) {
        EXIT_OK
    } else {
        EXIT_DENIED
    })
}

fn cmd_policy_check(cli: &Cli, io: &mut Io<'_>) -> Result<u8> {
    let (root, config) = policy_config(cli, io)?;
    let infos = crate::policy::tooling::check(&config, &root)?;
    for p in &infos {
        writeln!(io.out, "ok  {}  {}", p.package, p.source)?;
    }
    writeln!(io.out, "{} policies compiled for the RVM", infos.len())?;
    Ok(EXIT_OK)
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

    #[test]
    fn repo_relative_paths() {
        let root = Path::new("/r/repo");
        let cwd = Path::new("/r/repo/sub");
        assert_eq!(
            repo_relative(root, cwd, "x.py").as_deref(),
            Some("sub/x.py")
        );
        assert_eq!(repo_relative(root, cwd, "../a/./b").as_deref(), Some("a/b"));
        assert_eq!(repo_relative(root, cwd, "/r/repo/c").as_deref(), Some("c"));
        assert_eq!(repo_relative(root, cwd, "../../other"), None);
        assert_eq!(repo_relative(root, cwd, "/etc/passwd"), None);
        assert_eq!(repo_relative(root, cwd, "..").as_deref(), Some(""));
    }
}
