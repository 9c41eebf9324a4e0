//! Loading: shipped packs plus the repository's `*.rego`, checked against the tiergate
//! contract, then compiled once to one RVM program per package. Every problem found is
//! reported at once, each located at file:line:col where regorus or the text tells us.
//!
//! Phases, so that one mistake does not drown in follow-up errors: (1) read and parse
//! each file alone, check its package and that the package declares `findings`;
//! (2) only when all files pass, compile every package together (packages may import
//! each other) and check `data.tiergate.config` against the rule tree.
//!
//! The result holds, per package, an RVM program, and one prepared interpreter engine
//! for all packages; see [`super::eval`] for why evaluation needs both.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::{Program, RegoVM};
use regorus::unstable::{Module as AstModule, Ref};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use super::eval::Evaluator;
use super::shipped::{shipped_pack_names, shipped_packs};
use super::source_lines::RuleLines;
use crate::config::{CONFIG_FILE_NAME, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::TierId;

/// Diagnostic codes of this module.
pub(crate) mod code {
    /// A policy file or directory could not be read.
    pub const READ: &str = "policy-read";
    /// regorus could not parse a policy file.
    pub const SYNTAX: &str = "policy-syntax";
    /// A policy parsed but breaks the tiergate contract (package, `findings`).
    pub const CONTRACT: &str = "policy-contract";
    /// regorus could not compile a package (unknown function, unsafe variable, RVM limits).
    pub const COMPILE: &str = "policy-compile";
    /// `policies.disable` names a pack that is not shipped.
    pub const UNKNOWN_PACK: &str = "unknown-pack";
}

/// Root of every policy package, and of the data tiergate provides.
const ROOT: &str = "tiergate";
/// `data.tiergate.config` holds the configuration; no package may live there.
const RESERVED_CONFIG: &str = "config";
const ENTRY_RULE: &str = "findings";

/// One loaded policy file, for provenance (manifest, report, `tiergate policies`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    /// Package without the `data.` prefix, e.g. `tiergate.baseline`.
    pub package: String,
    /// `shipped:policies/<name>.rego` for embedded packs, else the repo-relative path.
    pub source: String,
    /// `sha256:<hex>` of the source bytes.
    pub digest: String,
    pub shipped: bool,
}

/// Compiled policies, shared by every worker thread. Cheap to clone.
///
/// The contract a policy module meets (checked at load, or per evaluation):
///
/// - it declares a package under `tiergate.` (`package tiergate.custom.payments`), made
///   of plain identifiers, not `tiergate.config` (that is where the configuration lives)
///   and, for repository policies, not a shipped pack's package; Rego v1 syntax;
/// - each package contributes a set rule `findings` (`findings contains {...} if {...}`),
///   in at least one of its files;
/// - `input` is [`super::RegoInput`] as serde_json serializes it; `data.tiergate.config`
///   is `{"default_tier", "tiers": [{"id", "name", "label"}], "destinations": [{"name",
///   "kind", "accepts"}]}`;
/// - every member of `findings` is an object with exactly the keys `code` (kebab-case,
///   not one of tiergate's own codes), `tier` (a configured tier id, or null for a note),
///   `rule` and `reason` (non-empty strings) and optionally `annex_iii` (array of
///   `{"point", "status": "candidate"|"possible-prohibited", "evidence"?: [string]}`).
///
/// Anything else at evaluation time — another shape, an unknown tier, `findings` not a
/// set or undefined, a runtime error (strict builtin errors), the instruction budget
/// exceeded — is an `Err` for that file, which the caller decides as tier 1.
///
/// Each finding's `source` is the policy file and the line of the `findings contains`
/// head that holds the literal `"rule": "<id>"`, found statically at load time; a rule
/// id that is not such a literal gets the package's first `findings contains` line (see
/// `src/policy/source_lines.rs` for the exact rule and its limits).
#[derive(Clone)]
pub struct PolicySet {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// Sorted by package name: evaluation order, hence error order, is stable.
    pub packages: Vec<CompiledPackage>,
    /// Every module, prepared, strict, with `data` set; cloned into each evaluator.
    /// In a Mutex only to make the set `Sync`: it is locked just to clone it.
    pub interpreter: Mutex<Engine>,
    pub policies: Vec<PolicyInfo>,
    /// The whole `data` document: `{"tiergate": {"config": …}}`.
    pub data: Value,
    pub max_instructions: usize,
    /// Wall-clock deadline of one evaluation (`policies.max_eval_ms`).
    pub max_eval: std::time::Duration,
    /// Tier ids a finding may carry.
    pub tiers: BTreeSet<TierId>,
    /// Answers shared by every evaluator of the set, consulted when a thread's own
    /// memo misses: a fact set one thread has evaluated is not evaluated again by the
    /// other (two that meet it at the same moment both evaluate it, with one result).
    pub shared: super::eval::SharedMemo,
}

impl Inner {
    /// A private copy of the prepared interpreter.
    pub fn engine(&self) -> Engine {
        match self.interpreter.lock() {
            Ok(engine) => engine.clone(),
            // Only a clone happens under the lock, so a poisoned lock still holds a
            // consistent engine.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

pub(crate) struct CompiledPackage {
    /// e.g. `tiergate.baseline`.
    pub name: String,
    /// `data.<name>.findings`.
    pub entry: String,
    pub program: Arc<Program>,
    pub lines: RuleLines,
    /// First file of the package, for locations when nothing better is known.
    pub first_file: String,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("policies", &self.inner.policies)
            .field("max_instructions", &self.inner.max_instructions)
            .field("max_eval", &self.inner.max_eval)
            .finish_non_exhaustive()
    }
}

/// A policy file before checking.
struct Module {
    display: String,
    text: String,
    shipped: bool,
}

impl PolicySet {
    /// Load the shipped packs (minus `cfg.policies.disable`) and every `*.rego` (not
    /// `*_test.rego`) under each of `cfg.policies.dirs`, relative to `repo_root`, then
    /// compile. A missing directory is fine; symbolic links are not followed (and are
    /// reported, so a policy cannot silently vanish or come from outside the repository).
    pub fn load(cfg: &Config, repo_root: &Path) -> Result<PolicySet, Diagnostics> {
        let mut diags = Vec::new();
        let mut sources = Vec::new();
        for dir in &cfg.policies.dirs {
            read_policy_dir(repo_root, dir, &mut sources, &mut diags);
        }
        let config_file = config_display(cfg, Some(repo_root));
        build(cfg, &config_file, sources, diags)
    }

    /// Like [`PolicySet::load`] with the repository's policies given as
    /// (display path, source) pairs — for tests and for `--base REF`, where policies come
    /// from a git tree. Names ending in `_test.rego` are skipped, as in `load`.
    pub fn load_sources(
        cfg: &Config,
        repo_sources: Vec<(String, String)>,
    ) -> Result<PolicySet, Diagnostics> {
        let config_file = config_display(cfg, None);
        build(cfg, &config_file, repo_sources, Vec::new())
    }

    /// The (source, digest) of every policy file [`PolicySet::load`] would load, sorted
    /// by source, without parsing or compiling any: what a manifest's provenance must
    /// name for its header to be the one these rules give. A directory that cannot be
    /// read is an error, as in `load`.
    pub fn digests(cfg: &Config, repo_root: &Path) -> Result<Vec<(String, String)>, Diagnostics> {
        let mut diags = Vec::new();
        let mut sources = Vec::new();
        for dir in &cfg.policies.dirs {
            read_policy_dir(repo_root, dir, &mut sources, &mut diags);
        }
        if !diags.is_empty() {
            return Err(finish(diags));
        }
        let mut out: Vec<(String, String)> = shipped_packs()
            .filter(|p| !cfg.policies.disable.iter().any(|d| d == p.name))
            .map(|p| (p.display(), p.digest.to_string()))
            .chain(
                sources
                    .into_iter()
                    .filter(|(display, _)| !display.ends_with("_test.rego"))
                    .map(|(display, text)| {
                        let digest = sha256(text.as_bytes());
                        (display, digest)
                    }),
            )
            .collect();
        out.sort();
        Ok(out)
    }

    /// Every loaded policy file, sorted by source.
    pub fn policies(&self) -> &[PolicyInfo] {
        &self.inner.policies
    }

    /// Each loaded policy file's source and digest, sorted by source: what
    /// [`PolicySet::digests`] gives for the same files, without compiling them.
    pub fn source_digests(&self) -> Vec<(String, String)> {
        self.inner
            .policies
            .iter()
            .map(|p| (p.source.clone(), p.digest.clone()))
            .collect()
    }

    /// A new evaluator for one worker thread.
    pub fn evaluator(&self) -> Evaluator {
        Evaluator::new(self.inner.clone())
    }

    /// The value of a loaded package's rule that needs no input (`package` without the
    /// `data.` prefix, e.g. `tiergate.eu_ai_act_annex_iii`, and a rule such as
    /// `dates_in_force`), as JSON, so documents such as the legal report follow what the
    /// pack carries instead of copying it. `Ok(None)` when the package is not loaded (a
    /// disabled pack) or the rule's value is undefined; an error for a rule the package
    /// does not have.
    pub fn package_data(
        &self,
        package: &str,
        rule: &str,
    ) -> Result<Option<serde_json::Value>, String> {
        if !self.inner.policies.iter().any(|p| p.package == package) {
            return Ok(None);
        }
        let mut engine = self.inner.engine();
        let value = engine
            .eval_rule(format!("data.{package}.{rule}"))
            .map_err(|e| format!("data.{package}.{rule}: {e}"))?;
        if value == Value::Undefined {
            return Ok(None);
        }
        serde_json::to_value(&value)
            .map(Some)
            .map_err(|e| format!("data.{package}.{rule}: {e}"))
    }
}

/// Where `policies.disable` is written, for `unknown-pack`: the config file relative to
/// the repository when possible. The config keeps no location for that key, so line 0.
fn config_display(cfg: &Config, repo_root: Option<&Path>) -> String {
    let Some(path) = &cfg.path else {
        return CONFIG_FILE_NAME.to_string();
    };
    if let Some(rel) = repo_root.and_then(|root| path.strip_prefix(root).ok()) {
        return slash_path(rel);
    }
    match repo_root {
        Some(_) => path.display().to_string(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| CONFIG_FILE_NAME.to_string()),
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_policy_file(name: &str) -> bool {
    name.ends_with(".rego") && !name.ends_with("_test.rego")
}

/// Collect `*.rego` under `repo_root/dir`, recursively, as (display path, text).
fn read_policy_dir(
    repo_root: &Path,
    dir: &str,
    out: &mut Vec<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    let display_dir = dir
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    let relative = Path::new(dir);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        // Policies judge the repository and are reviewed with it; loading them from
        // elsewhere would make a scan depend on the machine it runs on.
        diags.push(Diagnostic::new(
            &display_dir,
            0,
            0,
            code::READ,
            "policy directory must be inside the repository (relative, without `..`)",
        ));
        return;
    }
    let root = repo_root.join(dir);
    match std::fs::symlink_metadata(&root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            diags.push(Diagnostic::new(
                &display_dir,
                0,
                0,
                code::READ,
                e.to_string(),
            ));
            return;
        }
        Ok(m) if !m.is_dir() => {
            diags.push(Diagnostic::new(
                &display_dir,
                0,
                0,
                code::READ,
                "policy directory is not a directory (symbolic links are not followed)",
            ));
            return;
        }
        Ok(_) => {}
    }
    let mut stack = vec![(root, display_dir)];
    while let Some((path, display)) = stack.pop() {
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) => {
                diags.push(Diagnostic::new(&display, 0, 0, code::READ, e.to_string()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    diags.push(Diagnostic::new(&display, 0, 0, code::READ, e.to_string()));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if display.is_empty() {
                name.clone()
            } else {
                format!("{display}/{name}")
            };
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    diags.push(Diagnostic::new(&child, 0, 0, code::READ, e.to_string()));
                    continue;
                }
            };
            if file_type.is_dir() {
                stack.push((entry.path(), child));
            } else if !is_policy_file(&name) {
                continue;
            } else if file_type.is_symlink() {
                diags.push(Diagnostic::new(
                    &child,
                    0,
                    0,
                    code::READ,
                    "symbolic links to policies are not followed; copy the policy instead",
                ));
            } else {
                match std::fs::read_to_string(entry.path()) {
                    Ok(text) => out.push((child, text)),
                    Err(e) => diags.push(Diagnostic::new(&child, 0, 0, code::READ, e.to_string())),
                }
            }
        }
    }
}

fn build(
    cfg: &Config,
    config_file: &str,
    repo_sources: Vec<(String, String)>,
    mut diags: Vec<Diagnostic>,
) -> Result<PolicySet, Diagnostics> {
    let known = shipped_pack_names();
    for name in &cfg.policies.disable {
        if !known.contains(&name.as_str()) {
            diags.push(Diagnostic::new(
                config_file,
                0,
                0,
                code::UNKNOWN_PACK,
                format!(
                    "`policies.disable` names `{name}`, which is not a shipped policy pack (shipped: {})",
                    known.join(", ")
                ),
            ));
        }
    }

    let mut modules: Vec<Module> = shipped_packs()
        .filter(|p| !cfg.policies.disable.iter().any(|d| d == p.name))
        .map(|p| Module {
            display: p.display(),
            text: p.source.to_string(),
            shipped: true,
        })
        .collect();
    let mut repo_sources = repo_sources;
    repo_sources.sort();
    for (display, text) in repo_sources {
        if display.ends_with("_test.rego") {
            continue;
        }
        if modules.iter().any(|m| m.display == display) {
            diags.push(Diagnostic::new(
                &display,
                0,
                0,
                code::CONTRACT,
                "policy file given twice",
            ));
            continue;
        }
        modules.push(Module {
            display,
            text,
            shipped: false,
        });
    }
    modules.sort_by(|a, b| a.display.cmp(&b.display));

    // Phase 1: each file alone.
    let shipped_packages: Vec<String> = known.iter().map(|n| format!("{ROOT}.{n}")).collect();
    let mut packages: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut declares_findings: BTreeMap<String, bool> = BTreeMap::new();
    let mut parsed = Vec::new();
    for (index, module) in modules.iter().enumerate() {
        if let Some((package, has_findings, ast)) =
            check_module(module, &shipped_packages, &mut diags)
        {
            *declares_findings.entry(package.clone()).or_default() |= has_findings;
            packages.entry(package).or_default().push(index);
            parsed.push(ast);
        }
    }
    // Every call of every module, shipped packs included, against the allow-list.
    diags.extend(super::sandbox::check(&parsed, true));
    for (package, files) in &packages {
        if !declares_findings.get(package).copied().unwrap_or(false) {
            let first = &modules[files[0]];
            let (line, col) = package_position(&first.text);
            diags.push(Diagnostic::new(
                &first.display,
                line,
                col,
                code::CONTRACT,
                format!(
                    "package `{package}` declares no `{ENTRY_RULE}` rule; every tiergate policy package contributes `{ENTRY_RULE} contains {{...}} if {{...}}`"
                ),
            ));
        }
    }
    if !diags.is_empty() {
        return Err(finish(diags));
    }

    // Phase 2: all packages together.
    let data = config_data(cfg);
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(true);
    for module in &modules {
        if let Err(e) = engine.add_policy(module.display.clone(), module.text.clone()) {
            // Parsed alone in phase 1, so this is not expected; report rather than panic.
            diags.push(regorus_diagnostic(&e, &module.display, code::SYNTAX));
        }
    }
    if let Err(e) = engine.add_data(data.clone()) {
        diags.push(Diagnostic::new(
            config_file,
            0,
            0,
            code::COMPILE,
            format!("cannot provide data.{ROOT}.{RESERVED_CONFIG} to policies: {e}"),
        ));
    }
    // Rules read without input (`package_data`) run on clones of this engine: bound
    // them by the same deadline, cooperatively.
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: std::time::Duration::from_millis(cfg.policies.max_eval_ms),
        check_interval: super::eval::TIMER_CHECK_INTERVAL,
    });
    let mut compiled = Vec::new();
    for (package, files) in &packages {
        let first_file = modules[files[0]].display.clone();
        let entry = format!("data.{package}.{ENTRY_RULE}");
        let program = engine
            .compile_with_entrypoint(&regorus::Rc::from(entry.as_str()))
            .and_then(|policy| {
                Compiler::compile_from_policy(&policy, &[entry.as_str()]).map_err(Into::into)
            })
            .and_then(|program| {
                // The same check every VM makes on `set_data`, done once here so that a
                // package clashing with `data.tiergate.config` fails the load, not each file.
                let mut vm = RegoVM::new();
                vm.load_program(program.clone());
                vm.set_data(data.clone())?;
                Ok(program)
            });
        match program {
            Ok(program) => compiled.push(CompiledPackage {
                name: package.clone(),
                entry,
                program,
                lines: RuleLines::scan(
                    files
                        .iter()
                        .map(|&i| (modules[i].display.as_str(), modules[i].text.as_str())),
                ),
                first_file,
            }),
            Err(e) => diags.push(regorus_diagnostic(&e, &first_file, code::COMPILE)),
        }
    }
    if !diags.is_empty() {
        return Err(finish(diags));
    }
    let module_package: BTreeMap<usize, &String> = packages
        .iter()
        .flat_map(|(package, files)| files.iter().map(move |&i| (i, package)))
        .collect();
    let mut policies: Vec<PolicyInfo> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| PolicyInfo {
            package: module_package[&i].clone(),
            source: m.display.clone(),
            digest: sha256(m.text.as_bytes()),
            shipped: m.shipped,
        })
        .collect();
    policies.sort_by(|a, b| a.source.cmp(&b.source));

    Ok(PolicySet {
        inner: Arc::new(Inner {
            packages: compiled,
            interpreter: Mutex::new(engine),
            policies,
            data,
            max_instructions: usize::try_from(cfg.policies.max_instructions).unwrap_or(usize::MAX),
            max_eval: std::time::Duration::from_millis(cfg.policies.max_eval_ms),
            tiers: cfg.tiers.iter().map(|t| t.id).collect(),
            shared: Default::default(),
        }),
    })
}

fn finish(mut diags: Vec<Diagnostic>) -> Diagnostics {
    diags.sort();
    diags.dedup();
    Diagnostics(diags)
}

/// Parse one file alone and check its package. Returns (package, declares `findings`,
/// the parsed module).
fn check_module(
    module: &Module,
    shipped_packages: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, bool, Ref<AstModule>)> {
    let mut engine = Engine::new();
    if let Err(e) = engine.add_policy(module.display.clone(), module.text.clone()) {
        diags.push(regorus_diagnostic(&e, &module.display, code::SYNTAX));
        return None;
    }
    let components = match engine.get_policy_package_components() {
        Ok(mut rows) if rows.len() == 1 => rows.remove(0).components,
        Ok(_) => return None,
        Err(e) => {
            diags.push(regorus_diagnostic(&e, &module.display, code::SYNTAX));
            return None;
        }
    };
    let package = components.join(".");
    let (line, col) = package_position(&module.text);
    let mut contract = |message: String| {
        diags.push(Diagnostic::new(
            &module.display,
            line,
            col,
            code::CONTRACT,
            message,
        ));
    };
    if components.len() < 2 || components[0] != ROOT {
        contract(format!(
            "package `{package}` is not under `{ROOT}.`; declare e.g. `package {ROOT}.custom.<name>`"
        ));
        return None;
    }
    if let Some(bad) = components.iter().find(|c| !is_identifier(c)) {
        contract(format!(
            "package `{package}`: component `{bad}` is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)"
        ));
        return None;
    }
    if components[1] == RESERVED_CONFIG {
        contract(format!(
            "package `{package}` is reserved: `data.{ROOT}.{RESERVED_CONFIG}` holds the configuration"
        ));
        return None;
    }
    if !module.shipped
        && let Some(owner) = shipped_packages
            .iter()
            .find(|p| package == **p || package.starts_with(&format!("{p}.")))
    {
        contract(format!(
            "package `{package}` belongs to the shipped pack `{owner}`; repository policies use their own package, e.g. `{ROOT}.custom.<name>`"
        ));
        return None;
    }
    let has_findings = engine
        .has_declared_rule_rooted_at(&module.display, ENTRY_RULE)
        .unwrap_or(false);
    let ast = engine.get_modules().first()?.clone();
    Some((package, has_findings, ast))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Line and column of the `package` keyword (1-based), or (0, 0).
fn package_position(text: &str) -> (u64, u64) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("package ") || trimmed.starts_with("package\t") {
            let col = line.len() - trimmed.len() + 1;
            return (i as u64 + 1, col as u64);
        }
    }
    (0, 0)
}

/// A regorus error split into (file, line, col, message). regorus formats located
/// errors as `\n--> FILE:LINE:COL\n  |\nN | source\n  |   ^\nerror: MESSAGE`; the location
/// comes from the arrow line, the message from the last line. `None` without a location.
pub(crate) fn located_error(error: &impl std::fmt::Display) -> Option<(String, u64, u64, String)> {
    // Plain Display: anyhow's alternate form appends the source chain, which for spanned
    // compiler errors repeats the message after the location block.
    let text = error.to_string();
    let arrow = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = arrow.trim_end().rsplitn(3, ':');
    let visual_col = parts.next()?.parse::<u64>().ok()?;
    let line = parts.next()?.parse::<u64>().ok()?;
    let file = parts.next()?.to_string();
    // regorus counts a tab as 4 columns; editors and other tools count characters.
    // The error quotes the source line (`N | text`), which is enough to convert.
    let quoted = format!("{line} | ");
    let col = text
        .lines()
        .find_map(|l| l.strip_prefix(&quoted))
        .map_or(visual_col, |source| char_column(source, visual_col));
    let message = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let message = message
        .strip_prefix("error: ")
        .unwrap_or(message)
        .to_string();
    Some((file, line, col, message))
}

/// The 1-based character column of regorus' 1-based column `visual` (tab = 4).
pub(crate) fn char_column(line: &str, visual: u64) -> u64 {
    let mut at = 1u64;
    for (index, c) in line.chars().enumerate() {
        if at >= visual {
            return index as u64 + 1;
        }
        at += if c == '\t' { 4 } else { 1 };
    }
    line.chars().count() as u64 + 1
}

/// Turn a regorus error into a Diagnostic; errors without a location (some RVM compiler
/// limits) are pinned to `fallback_file`.
fn regorus_diagnostic(
    error: &anyhow::Error,
    fallback_file: &str,
    code: &'static str,
) -> Diagnostic {
    match located_error(error) {
        Some((file, line, col, message)) => Diagnostic::new(file, line, col, code, message),
        None => Diagnostic::new(fallback_file, 0, 0, code, error_chain(error)),
    }
}

/// The error and its causes on one line, skipping causes that only repeat what is
/// already said (regorus wraps compiler errors in errors with the same text).
pub(crate) fn error_chain(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = cause.to_string();
        let cause = cause.trim();
        if cause.is_empty() || text.contains(cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(cause);
    }
    text.replace('\n', " ")
}

/// `data` for every VM: `{"tiergate": {"config": {default_tier, tiers, destinations,
/// settings}}}`.
pub(crate) fn config_data(cfg: &Config) -> Value {
    let tiers: Vec<serde_json::Value> = cfg
        .tiers
        .iter()
        .map(|t| serde_json::json!({"id": t.id, "name": t.name, "label": t.label}))
        .collect();
    let destinations: Vec<serde_json::Value> = cfg
        .destinations
        .iter()
        .map(|d| serde_json::json!({"name": d.name, "kind": d.kind.as_str(), "accepts": d.accepts}))
        .collect();
    Value::from(serde_json::json!({
        "tiergate": {
            "config": {
                "default_tier": cfg.default_tier,
                "tiers": tiers,
                "destinations": destinations,
                "settings": cfg.policies.settings,
            }
        }
    }))
}

pub(crate) use crate::model::sha256_digest as sha256;
