//! The application layer: the only module that sees the whole pipeline. It loads the
//! config and policies, drives walk → decide → manifest, hands results to renderers and
//! computes the exit code once. Printing happens only through the writers it is given.

mod accept;
mod audit;
mod bash;
mod build;
mod check;
mod exceptions;
mod explain;
mod export;
mod history;
mod hook;
mod init;
pub mod judge;
mod listing;
mod ls;
mod merge;
mod pipeline;
mod policy;
mod report;
pub mod resolve;
mod route;
mod rules;
mod scan;
mod stamp;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::{CommandFactory, Parser};

use crate::cache;
use crate::cli::{
    Cli, Command, ExplainArgs, ListFormat, LsArgs, ManifestFormat, PolicyCommand, PolicyTestArgs,
    RouteArgs, RulesCommand, ScanArgs, SchemaKind, TextOrJson,
};
use crate::codes;
use crate::component::{self, Components};
use crate::config::{self, Config};
use crate::decide::{self, Classified, Classifier, FileRecord, Rules};
use crate::detect::{self, engine::Detectors};
use crate::diag::Diagnostics;
use crate::manifest::{self, Manifest, Reason, Scope};
use crate::model::{GitState, RESTRICTED};
use crate::policy::PolicySet;
use crate::render::{self, FileView, RouteAnswer};
use crate::rules::user::{Loaded, UserRules};
use crate::walk::{self, Repo, WalkOptions};

pub use crate::diag::{Failure, Result};
pub use crate::files::write_atomic;
pub use build::build_manifest;
use build::*;
pub(crate) use build::{Head, Made, file_entry, head_of, header_of};
use explain::*;
use ls::*;
pub(crate) use pipeline::scan_with;
use pipeline::*;
pub use pipeline::{CachePlan, CacheUse};
pub use pipeline::{ScanOutcome, scan};
use policy::*;
use route::*;
pub use route::{repo_relative, route};
use scan::*;

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
        Command::Rules(RulesCommand::Test(a)) => rules::cmd_rules_test(cli, a, io),
        Command::Check(a) => check::cmd_check(cli, a, io),
        Command::Diff(a) => check::cmd_diff(cli, a, io),
        Command::Export(a) => export::cmd_export(cli, a, io),
        Command::Report(a) => report::cmd_report(cli, a, io),
        Command::History(a) => history::cmd_history(cli, a, io),
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
    /// The repository's own rule files (none: the shipped rules alone).
    pub rule_files: Arc<UserRules>,
    /// What the detectors know with them, and where the repository's signals are
    /// defined.
    pub knowledge: Arc<Loaded>,
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
        let (detectors, rule_files, knowledge) = detectors;
        Ok(Context {
            detectors,
            rule_files,
            knowledge,
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
        (Arc<Detectors>, Arc<UserRules>, Arc<Loaded>),
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
        // The repository's rule files are read and the detector automaton built on
        // another core while the policies compile.
        let detectors = {
            let (config, root) = (config.clone(), root.to_path_buf());
            std::thread::spawn(move || -> std::result::Result<_, Diagnostics> {
                let files = UserRules::read(&root, &config.rule_files)?;
                let knowledge = files.load()?;
                let detectors =
                    Detectors::with_knowledge(&config.detectors, knowledge.knowledge, false)?;
                Ok((detectors, Arc::new(files), knowledge))
            })
        };
        let policies = PolicySet::load(&config, root)?;
        let exceptions = config::load_exceptions(root, &config)?;
        let accepted = config::load_accepted(root)?;
        let rules =
            Arc::new(Rules::compile(config.clone())?.with_exceptions(exceptions.as_ref(), today)?);
        let (detectors, rule_files, knowledge) =
            detectors.join().expect("detector build does not panic")?;
        let detectors = detectors.accepting(detect::accept::Acceptance::new(
            accepted.as_ref(),
            config.accept.inline,
        ));
        Ok((
            config,
            config_display,
            policies,
            (exceptions, accepted),
            rules,
            (Arc::new(detectors), rule_files, knowledge),
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
