//! The command line: clap derive types only. Parsing is separate from running so tests
//! can drive [`crate::run`] in-process with any arguments.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tiergate",
    version,
    about = "Classify every file of a repository into a data tier and route it to local or cloud LLMs",
    long_about = "Classify every file of a repository into a data tier with glob rules and Rego \
policies, write a deterministic routing manifest, and answer which paths may reach which \
model destination.\n\nExit codes: 0 pass, 1 the policy said no (a path may not go where \
asked), 2 usage, config, policy or runtime error.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Config file to use instead of searching for tiergate.yaml upward from the scanned
    /// directory.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(long, global = true, default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// The day exceptions and dates in force are judged on (default: today, UTC).
    #[arg(long, global = true, env = "TIERGATE_TODAY", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<crate::model::Date>,
    /// When to colour the output: `auto` on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print nothing on standard error but errors: no progress, summaries or notes.
    /// Standard output and exit codes do not change.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more on standard error: the rules in force (config, policies, exceptions,
    /// accepted findings, with their digests) and how long the command took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_date(s: &str) -> Result<crate::model::Date, String> {
    crate::model::Date::parse(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

impl Command {
    /// Whether the command writes files a failed run must leave untouched (its errors
    /// then say that nothing was written).
    /// The command's name as typed (`scan`; `audit` for each of its subcommands).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Scan(_) => "scan",
            Command::Ls(_) => "ls",
            Command::Route(_) => "route",
            Command::Explain(_) => "explain",
            Command::Accept(_) => "accept",
            Command::Policy(_) => "policy",
            Command::Rules(_) => "rules",
            Command::Check(_) => "check",
            Command::Diff(_) => "diff",
            Command::History(_) => "history",
            Command::Report(_) => "report",
            Command::Export(_) => "export",
            Command::Init(_) => "init",
            Command::Hook(_) => "hook",
            Command::Audit(_) => "audit",
            Command::Merge(_) => "merge",
            Command::Schema(_) => "schema",
            Command::Completions(_) => "completions",
            Command::Exceptions(_) => "exceptions",
        }
    }

    pub fn writes(&self) -> bool {
        match self {
            Command::Scan(_)
            | Command::Report(_)
            | Command::Export(_)
            | Command::Init(_)
            | Command::Merge(_)
            | Command::History(_) => true,
            Command::Accept(a) => !a.dry_run,
            Command::Audit(a) => matches!(a, AuditCommand::Anchor(_) | AuditCommand::InitKey(_)),
            _ => false,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify every file and write the routing manifest.
    Scan(ScanArgs),
    /// Classify every file (tracked, untracked and ignored) and list one record per file.
    Ls(LsArgs),
    /// Say whether paths may go to a destination, from the manifest alone.
    Route(RouteArgs),
    /// Show every fact and finding for one path and how its tier was reached.
    Explain(ExplainArgs),
    /// Accept the detector findings of files as false positives: add their fingerprints
    /// to tiergate.accepted.yaml, with the reason.
    ///
    /// A fingerprint names one hit of one signal in one file by the text around it, not
    /// its line: it survives edits elsewhere, and another value in its place is a new
    /// finding. The file is governance: `tiergate check` judges a change with the
    /// accepted findings its base has, and notes the change as a policy change (commit
    /// the entries, then the files they accept). For a single line, a
    /// `tiergate:accept` marker in the file does the same (`accept.inline` of the
    /// config). Findings of rules and policies (a key store's file name) are not
    /// detector hits: use an exception.
    ///
    /// Exit codes: 0 entries added (or, with --dry-run, listed), 2 no finding to accept
    /// or an error (nothing is written).
    Accept(AcceptArgs),
    /// Test and check Rego policies (shipped packs and the repository's own).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Test the detector rule files: the knowledge the detectors apply, with examples.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Gate a change: compare it with its base and say whether it may land
    /// (pre-commit with --staged, pull requests with --base).
    ///
    /// Only the changed paths are classified, with the rules of the side the change is
    /// compared with, never the change's own. Verdicts: stale-manifest, tier-lowered,
    /// new-restricted, policy-change, violation, exception-expired, exception-mismatch;
    /// `gate.fail_on` in tiergate.yaml says which fail (default: all but new-restricted
    /// and policy-change).
    ///
    /// Exit codes: 0 no verdict fails, 1 a verdict fails, 2 error.
    Check(CheckArgs),
    /// Show how a change moves paths between tiers, grouped by direction (a pull-request
    /// comment).
    Diff(DiffArgs),
    /// Search every blob of the repository's history for credentials, and say which to
    /// rotate.
    ///
    /// A credential committed once and deleted later is still there for whoever reads
    /// the history (`git log -p`, `git show`, an agent): deleting it does not un-leak
    /// it, rotating it does. Reads every blob the refs reach (branches, tags, remote-tracking and other refs,
    /// as `git log --all`; with --since, only what the commits REF does not reach
    /// introduce), each once, with the credentials' detectors, and judges each hit as a
    /// scan judges the same bytes at the same path (accepted findings count;
    /// exceptions do not). Reports, for each credential, the oldest commit that
    /// introduced it at its path, the path, the signal and its title, the line and what
    /// to rotate: never the value. Results are kept in .git/tiergate/history.cache, so a
    /// second run reads only new blobs.
    ///
    /// Exit codes: 0 no live credential, 1 a live credential (one that makes a file
    /// tier 1; test keys such as `sk_test_` and fixtures are tier 2) or an object that
    /// cannot be read, 2 error.
    History(HistoryArgs),
    /// Write the legal review document: what is tier 1 and why, EU AI Act Annex III
    /// candidates with evidence, obligations and dates in force, exceptions with their
    /// standing, provenance and, with --since, what changed.
    Report(ReportArgs),
    /// Write a coding agent's exclusion file from the manifest, verified to cover every
    /// path the agent's destination may not receive.
    Export(ExportArgs),
    /// Write a starter tiergate.yaml, a pre-commit entry and CI jobs into a repository.
    Init(InitArgs),
    /// Answer a coding agent's tool-call hook from the manifest (deny what the session's
    /// destination may not receive).
    Hook(HookArgs),
    /// The governance log of runtime decisions: verify its hash chain, show records.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Combine the manifests of many repositories into one organisation inventory: files
    /// per tier, Annex III candidates, stale manifests, exceptions expired or expiring.
    ///
    /// Reads only the manifests, never a repository. Each repository is named by its
    /// manifest's path: the parent directory of a `tiergate.manifest.json`, else the
    /// file name without `.manifest.json` or `.json`; names that repeat get `~2`, `~3`.
    /// Exit codes: 0 written, 2 an input is unreadable or not a valid manifest (nothing
    /// is written).
    Merge(MergeArgs),
    /// Print a JSON Schema.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// List the approved exceptions of tiergate.exceptions.yaml with their status, or
    /// those expiring soon.
    #[command(subcommand)]
    Exceptions(ExceptionsCommand),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory to scan (default: the top of the git work tree containing the current
    /// directory, or the current directory outside git).
    pub dir: Option<PathBuf>,
    /// Where to write the manifest; `-` for standard output (default:
    /// tiergate.manifest.json, or tiergate.manifest.yaml with --format yaml, in DIR).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ManifestFormat::Json)]
    pub format: ManifestFormat,
    /// Also list untracked and gitignored files present on disk. Such a manifest depends
    /// on the machine; the default lists what git tracks so it is the same everywhere.
    #[arg(long)]
    pub include_untracked: bool,
    /// Judge with the rules in force at this commit (its tiergate.yaml, policies and
    /// exceptions) instead of the work tree's: the manifest the gate expects when a
    /// change edits the rules to lower tiers (see docs/src/gate.md#changing-the-rules).
    #[arg(long, value_name = "REV")]
    pub rules: Option<String>,
    /// Stage the manifest (`git add`) once written: the pre-commit hook's mode, so a
    /// commit that changes what the manifest says lands in one attempt. During a
    /// pre-commit run the work tree holds what is staged, so the manifest describes the
    /// commit.
    #[arg(long, conflicts_with = "include_untracked")]
    pub stage: bool,
    /// Read every file again instead of using the detectors' results kept from earlier
    /// scans in the git directory (which are then replaced).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Repository: a work tree, a directory in one, or a bare repository (default: the
    /// repository containing the current directory).
    pub dir: Option<PathBuf>,
    /// Only the commits REF does not reach (`REF..` of every ref): what a branch or a
    /// push adds to REF.
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
    pub format: HistoryFormat,
    /// Where to write the findings (default: standard output; `-` too).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Read every blob again instead of using the results kept from earlier runs (which
    /// are then replaced).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// Human-readable text.
    Text,
    /// The findings as JSON.
    Json,
    /// SARIF 2.1.0 (rule ids are the signal ids).
    Sarif,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Directory to report on (default as for `scan`).
    pub dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Where to write the report (default: standard output; `-` too).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also show what changed since an earlier manifest: a manifest file, or a git ref
    /// whose tree holds tiergate.manifest.json.
    #[arg(long, value_name = "MANIFEST|REF")]
    pub since: Option<String>,
    /// Report on untracked and gitignored files too (as `scan --include-untracked`).
    #[arg(long)]
    pub include_untracked: bool,
    /// Read every file again instead of using the detectors' results kept from earlier
    /// scans in the git directory (which are then replaced).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown.
    Md,
    /// One self-contained, print-friendly HTML file.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ManifestFormat {
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Directory to scan (default as for `scan`).
    pub dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only files of this tier.
    #[arg(long, value_name = "N")]
    pub tier: Option<u8>,
    /// Read every file again instead of using the detectors' results kept from earlier
    /// scans in the git directory (which are then replaced).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// Paths to ask about (repo-relative, relative to the current directory, or absolute).
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Destination name, as in the manifest (e.g. local, cloud-zdr, cloud).
    #[arg(long = "to", value_name = "DEST")]
    pub to: String,
    /// Manifest to answer from (default: tiergate.manifest.json at the repository root).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Append each answer to the governance log (as agent `--agent`): the repository's
    /// (.git/tiergate/decisions.jsonl, or $TIERGATE_LOG), or `--log=FILE`. The same
    /// option names the log of the `audit` commands.
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true)]
    pub log: Option<Option<PathBuf>>,
    /// Who is asking, for the log.
    #[arg(long, default_value = "route", value_name = "NAME", requires = "log")]
    pub agent: String,
    /// The model the answer is for, for the log.
    #[arg(long, env = "TIERGATE_MODEL", value_name = "NAME")]
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The path to explain (repo-relative, relative to the current directory, or absolute).
    pub path: String,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Read every file again instead of using the detectors' results kept from earlier
    /// scans in the git directory (which are then replaced).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// Files whose findings to accept (repo-relative, relative to the current directory,
    /// or absolute).
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Why the findings are not what they look like (reviewers read it).
    #[arg(long)]
    pub reason: String,
    /// Accept only the hits of these signals (`secret.jwt`) or families (`secret.*`).
    #[arg(long = "signal", value_name = "ID")]
    pub signals: Vec<String>,
    /// List what would be added; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the Rego unit tests (`test_*` rules) of the shipped packs and of the
    /// repository's `*_test.rego`, with a coverage summary. Exit 1 when a test fails.
    Test(PolicyTestArgs),
    /// Compile every policy for the RVM as a scan would; report problems at file:line:col.
    Check,
}

#[derive(Debug, Args)]
pub struct PolicyTestArgs {
    /// Directory holding the repository's policies and their tests (default: the
    /// configured policy directories).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every signal's examples: each `match` example must give its signal, each
    /// `no_match` example must not. The examples are scanned as files through the
    /// detector engine built from the rule files under test, so an edited file needs
    /// no rebuild. Prints each failure at its file:line and the coverage.
    ///
    /// Exit codes: 0 every example behaves, 1 an example does not, 2 a rule file is
    /// invalid (each problem at file:line:col).
    Test(RulesTestArgs),
}

#[derive(Debug, Args)]
pub struct RulesTestArgs {
    /// A rules directory laid out as the shipped one (`annex3/<point>.yaml`); default:
    /// the rule files this build carries and the repository's own (`rule_files.dirs`
    /// of its config, default `.tiergate/rules`), tested together.
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pre-commit: judge the staged blobs (the index) against HEAD, not the working tree.
    #[arg(long, conflicts_with_all = ["base", "head"])]
    pub staged: bool,
    /// Pull request: judge HEAD (or --head) against its merge base with REF. Config,
    /// policies and exceptions are read from REF, never from the change.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// The change's tip with --base (default HEAD).
    #[arg(long, value_name = "REF", requires = "base")]
    pub head: Option<String>,
    /// What standard output gets.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Also write the verdicts as SARIF 2.1.0 to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Also write the verdicts as JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also write the verdicts as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Human-readable text.
    Text,
    /// The check report as JSON.
    Json,
    /// SARIF 2.1.0 (rule ids are the verdict codes).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML, one test case per verdict code.
    Junit,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("against").required(true).args(["base", "staged"])))]
pub struct DiffArgs {
    /// Compare HEAD (or --head) with its merge base with REF, judged by REF's rules.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// The change's tip (default HEAD).
    #[arg(long, value_name = "REF", requires = "base")]
    pub head: Option<String>,
    /// Compare the staged blobs with HEAD instead.
    #[arg(long, conflicts_with_all = ["base", "head"])]
    pub staged: bool,
    #[arg(long, value_enum, default_value_t = DiffFormat::Md)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Markdown, ready to post as a pull-request comment.
    Md,
    Json,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["agent", "all", "explain"])))]
pub struct ExportArgs {
    /// The agent whose exclusion file to write (at the repository root unless -o).
    #[arg(long, value_enum)]
    pub agent: Option<crate::export::Agent>,
    /// Every agent listed under `agents:` in tiergate.yaml, each for its destination.
    #[arg(long, conflicts_with_all = ["agent", "output"])]
    pub all: bool,
    /// Print which surfaces each agent's mechanism really blocks, and what to do where
    /// it does not; write nothing.
    #[arg(long, conflicts_with_all = ["agent", "all", "check", "output"])]
    pub explain: bool,
    /// The destination the agent's model is, as named in the manifest (default: the
    /// agent's entry under `agents:` in tiergate.yaml, else cloud-zdr).
    #[arg(long, value_name = "DEST")]
    pub destination: Option<String>,
    /// Where to write (default: the agent's file at the repository root).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write nothing; exit 1 when a file on disk is missing or out of date (for CI).
    #[arg(long)]
    pub check: bool,
    /// Manifest to export (default: tiergate.manifest.json at the repository root).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; exit 1 when a record was edited, deleted, inserted or moved,
    /// when the log is gone although logging started, and (with --key-file, --against)
    /// when a MAC or an anchor does not hold.
    Verify(AuditVerifyArgs),
    /// Print records, oldest first.
    Show(AuditShowArgs),
    /// Write the log's head (count, last hash, key commitment) as a commit on a git ref
    /// outside the working tree, to be pushed where the user cannot rewrite it.
    Anchor(AuditAnchorArgs),
    /// Start the keyed mode: draw an initial key, write it to --out for the verifier,
    /// and install it for the log's next record.
    InitKey(AuditInitKeyArgs),
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    pub log: AuditLogArg,
    /// The verifier key written by `audit init-key` (the file's path, never the key):
    /// check every record's MAC and the key file against it.
    #[arg(long, env = "TIERGATE_AUDIT_KEY_FILE", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// An anchor ref or commit (e.g. a fetched `refs/tiergate/audit/<user>`): the log
    /// must extend every anchor of its history. Repeatable.
    #[arg(long, value_name = "REF")]
    pub against: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AuditAnchorArgs {
    #[command(flatten)]
    pub log: AuditLogArg,
    /// The ref to write (a name without `refs/` goes under refs/tiergate/audit/; default
    /// refs/tiergate/audit/<git user.email>).
    #[arg(long = "ref", value_name = "REF")]
    pub refname: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditInitKeyArgs {
    #[command(flatten)]
    pub log: AuditLogArg,
    /// Where to write the verifier key (created with mode 0600, never overwritten).
    /// Move it to the verifier's secret store and delete it here.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct AuditLogArg {
    /// The log (default: .git/tiergate/decisions.jsonl of the repository).
    #[arg(long, env = "TIERGATE_LOG", value_name = "FILE")]
    pub log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditShowArgs {
    #[command(flatten)]
    pub log: AuditLogArg,
    /// Only records at or after this time (RFC 3339, or a date YYYY-MM-DD).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only records of this user (git user.email or OS account).
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// Only records of this path or of paths under this directory.
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// The agent whose hook event arrives on standard input.
    #[arg(value_enum)]
    pub agent: HookAgent,
    /// The destination this session's model is, as named in the manifest.
    #[arg(
        long,
        env = "TIERGATE_DESTINATION",
        default_value = "cloud-zdr",
        value_name = "DEST"
    )]
    pub destination: String,
    /// Manifest to answer from (default: tiergate.manifest.json at the repository root).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// The session's model, for the governance log (a `model` field of the event wins).
    #[arg(long, env = "TIERGATE_MODEL", value_name = "NAME")]
    pub model: Option<String>,
    #[command(flatten)]
    pub log: AuditLogArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookAgent {
    /// Claude Code's PreToolUse event (JSON on standard input).
    ClaudeCode,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Repository to set up (default: the top of the git work tree containing the
    /// current directory).
    pub dir: Option<PathBuf>,
    /// Also replace files an earlier `tiergate init` wrote and nobody has edited since
    /// (each carries the digest of what was written in its first line). A file of the
    /// user's, or one edited since, is never replaced.
    #[arg(long)]
    pub force: bool,
    /// The git repository tiergate is published from: the pre-commit entry pins its
    /// hooks (installed from the prebuilt wheel); for a github.com repository the CI
    /// jobs install its release binary (the GitHub Action, a checksum-verified
    /// download). Without it, the hooks run the `tiergate` on PATH and the CI jobs
    /// install the wheel from PyPI.
    #[arg(long, visible_alias = "pre-commit-repo", value_name = "URL")]
    pub repo: Option<String>,
    /// The tag of --repo to pin (default: v<this version>, the tag the release
    /// workflow publishes this version under).
    #[arg(long, value_name = "REV", requires = "repo")]
    pub rev: Option<String>,
    /// Shell command the CI jobs run to install tiergate, instead of the release or
    /// the wheel.
    #[arg(long, value_name = "COMMAND")]
    pub install: Option<String>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The manifests to combine (JSON, as `tiergate scan` writes them).
    #[arg(required = true, value_name = "MANIFEST")]
    pub manifests: Vec<PathBuf>,
    /// Where to write the inventory; `-` for standard output (the default).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = MergeFormat::Json)]
    pub format: MergeFormat,
    /// List exceptions expiring within this window of --today (expired ones always):
    /// days (`30d` or `30`) or weeks (`4w`).
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = parse_days)]
    pub within: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// The inventory document (schema_version 1).
    Json,
    /// Markdown tables.
    Md,
    /// One self-contained HTML file, print-friendly.
    Html,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(value_enum)]
    pub which: SchemaKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The routing manifest.
    Manifest,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum ExceptionsCommand {
    /// Every exception with its status on `--today` (active, pending, expired).
    List(ExceptionsListArgs),
    /// Exceptions that have expired or expire within the window; exit 1 when there is
    /// one (a scheduled CI job's reminder).
    Expiring(ExceptionsExpiringArgs),
}

#[derive(Debug, Args)]
pub struct ExceptionsListArgs {
    /// Repository (default: the top of the work tree containing the current directory).
    pub dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExceptionsExpiringArgs {
    #[command(flatten)]
    pub list: ExceptionsListArgs,
    /// The window: days (`30d` or `30`) or weeks (`4w`).
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = parse_days)]
    pub within: u32,
}

fn parse_days(s: &str) -> Result<u32, String> {
    let (num, factor) = match s.strip_suffix('d') {
        Some(n) => (n, 1),
        None => match s.strip_suffix('w') {
            Some(n) => (n, 7),
            None => (s, 1),
        },
    };
    num.parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|n| *n <= 36_500)
        .ok_or_else(|| format!("`{s}` is not a duration; write days (30d) or weeks (4w)"))
}
