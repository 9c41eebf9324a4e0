//! Policy tooling behind `tiergate policy test` and `tiergate policy check`.
//!
//! **Tests** follow OPA's convention: every rule named `test_*` of a `*_test.rego` is a
//! test, passing when it evaluates to `true`. They run on regorus' interpreter, not the
//! RVM: tests rely on `with`, which the RVM does not support. The shipped packs' tests
//! are embedded in the binary ([`SHIPPED_TESTS`]), so `tiergate policy test` checks the
//! packs the binary carries; the repository's tests are read from disk.
//!
//! **Coverage** is regorus' own (`coverage` feature): the interpreter marks each source
//! line on which it evaluates an expression; at the end, every expression line of each
//! policy module (test files excluded) is either covered or not. A module no test
//! touched at all is absent from regorus' report; its expression lines are then found by
//! evaluating its package once on a separate engine, and all reported as not covered.
//! Coverage is gathered per test as well, which `rego_tests.rs` uses to check that every
//! shipped rule has a positive and a negative test.
//!
//! **Check** loads every policy exactly as a scan does ([`PolicySet::load`]): parse,
//! contract, RVM compilation, each problem at file:line:col.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::num::NonZeroU32;
use std::path::{Component, Path};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use super::load::{code, config_data, error_chain, located_error};
use super::shipped::shipped_packs;
use super::{PolicyInfo, PolicySet};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};

/// The shipped packs' test files, embedded like the packs (which build.rs embeds; the
/// tests are listed here). `rego_tests.rs` checks this list against `policies/`.
pub(crate) const SHIPPED_TESTS: &[(&str, &str)] = &[
    (
        "policies/baseline_test.rego",
        include_str!("../../policies/baseline_test.rego"),
    ),
    (
        "policies/eu_ai_act_annex_iii_test.rego",
        include_str!("../../policies/eu_ai_act_annex_iii_test.rego"),
    ),
    (
        "policies/health_test.rego",
        include_str!("../../policies/health_test.rego"),
    ),
    (
        "policies/media_test.rego",
        include_str!("../../policies/media_test.rego"),
    ),
    (
        "policies/payment_test.rego",
        include_str!("../../policies/payment_test.rego"),
    ),
    (
        "policies/personal_data_test.rego",
        include_str!("../../policies/personal_data_test.rego"),
    ),
    (
        "policies/secrets_test.rego",
        include_str!("../../policies/secrets_test.rego"),
    ),
];

/// Wall-clock limit for one test (the interpreter has no instruction budget).
const TEST_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The result of one `test_*` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct TestOutcome {
    /// `data.<package>.test_<name>`.
    pub name: String,
    /// `file:line` of the test's (first) head, e.g. `shipped:policies/secrets_test.rego:40`.
    pub source: String,
    pub passed: bool,
    /// Why the test could not run to a value: a runtime error (`file:line:col: message`
    /// when regorus gives a location), or a value other than a boolean. `None` for a
    /// test that passed, or failed by being false or undefined.
    pub error: Option<String>,
}

/// Coverage of one policy module (test files are not reported).
#[derive(Debug, Clone, PartialEq)]
pub struct FileCoverage {
    /// Display path: `shipped:policies/<name>.rego` or repo-relative.
    pub source: String,
    /// Lines holding an expression that some test evaluated.
    pub covered_lines: u32,
    /// Lines holding an expression no test evaluated, ascending.
    pub not_covered_lines: Vec<u32>,
    /// covered / (covered + not covered), 0–100; 100 for a module without expressions.
    pub percent: f64,
}

/// Every test outcome, in file then line order, and coverage per policy module, sorted
/// by source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestReport {
    pub outcomes: Vec<TestOutcome>,
    pub coverage: Vec<FileCoverage>,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed).count()
    }

    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }
}

/// Run every `test_*` rule of the shipped packs' tests and of the `*_test.rego` files
/// under `dir` (default: each of `cfg.policies.dirs`), against the shipped packs (all
/// of them: `policies.disable` does not apply to tests) and the repository's policies
/// (`*.rego` under `cfg.policies.dirs` and under `dir`), on regorus' interpreter with
/// `data.tiergate.config` from `cfg` and coverage enabled.
///
/// A relative `dir` is taken relative to `repo_root`. A missing configured policy
/// directory is fine (as for a scan); a missing `dir` is an error. Files that cannot be
/// read, symbolic links and files that do not parse are `Err`, each at file:line:col.
/// Failing tests are not errors: they are outcomes with `passed: false`.
pub fn run_tests(
    cfg: &Config,
    repo_root: &Path,
    dir: Option<&Path>,
) -> Result<TestReport, Diagnostics> {
    let suite = Suite::collect(cfg, repo_root, dir)?;
    suite.run().map(|run| run.report)
}

/// Load every policy (shipped, minus `policies.disable`, plus the repository's) exactly
/// as a scan does, compiling each package for the RVM. `Ok` lists the loaded files;
/// `Err` holds every problem found, each at file:line:col.
pub fn check(cfg: &Config, repo_root: &Path) -> Result<Vec<PolicyInfo>, Diagnostics> {
    PolicySet::load(cfg, repo_root).map(|set| set.policies().to_vec())
}

/// The report as text: one line per test (`PASS name (file:line)`, `FAIL name
/// (file:line)[: error]`), a coverage table, and `N passed, M failed`.
pub fn render_test_report(r: &TestReport) -> String {
    let mut out = String::new();
    for o in &r.outcomes {
        let status = if o.passed { "PASS" } else { "FAIL" };
        let _ = write!(out, "{status} {} ({})", o.name, o.source);
        if let Some(e) = &o.error {
            let _ = write!(out, ": {e}");
        }
        out.push('\n');
    }
    if !r.coverage.is_empty() {
        if !r.outcomes.is_empty() {
            out.push('\n');
        }
        out.push_str("coverage:\n");
        let width = r
            .coverage
            .iter()
            .map(|c| c.source.chars().count())
            .max()
            .unwrap_or(0);
        for c in &r.coverage {
            let total = c.covered_lines as usize + c.not_covered_lines.len();
            let _ = write!(
                out,
                "  {:<width$}  {:>5.1}%  {:>4}/{:<4} lines",
                c.source, c.percent, c.covered_lines, total
            );
            if !c.not_covered_lines.is_empty() {
                let _ = write!(out, "  not covered: {}", line_ranges(&c.not_covered_lines));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{} passed, {} failed", r.passed(), r.failed());
    out
}

/// `3, 5-7, 10` from ascending line numbers.
fn line_ranges(lines: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// A Rego file: display path and text.
#[derive(Debug, Clone)]
pub(crate) struct RegoFile {
    pub display: String,
    pub text: String,
}

/// Policy modules and test files to run together.
#[derive(Debug, Clone)]
pub(crate) struct Suite {
    pub policies: Vec<RegoFile>,
    pub tests: Vec<RegoFile>,
    pub data: Value,
}

/// One test's outcome with the lines it covered, per policy module.
#[derive(Debug, Clone)]
pub(crate) struct TestTrace {
    pub outcome: TestOutcome,
    /// Policy module display path -> lines on which the test evaluated an expression.
    /// Read by the shipped-rule check in `rego_tests.rs`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub covered: BTreeMap<String, BTreeSet<u32>>,
}

#[derive(Debug, Clone)]
pub(crate) struct SuiteRun {
    pub report: TestReport,
    /// One per test, in outcome order.
    #[cfg_attr(not(test), allow(dead_code))]
    pub traces: Vec<TestTrace>,
}

/// A `test_*` rule head found in a test file.
struct TestRule {
    name: String,
    line: u32,
}

impl Suite {
    /// The shipped packs and their tests only.
    pub fn shipped(cfg: &Config) -> Suite {
        Suite {
            policies: shipped_policy_files(),
            tests: shipped_test_files(),
            data: config_data(cfg),
        }
    }

    fn collect(cfg: &Config, repo_root: &Path, dir: Option<&Path>) -> Result<Suite, Diagnostics> {
        let mut suite = Suite::shipped(cfg);
        let mut diags = Vec::new();
        let mut configured = Vec::new();
        for d in &cfg.policies.dirs {
            read_rego_dir(repo_root, Path::new(d), false, &mut configured, &mut diags);
        }
        let mut explicit = Vec::new();
        if let Some(d) = dir {
            read_rego_dir(repo_root, d, true, &mut explicit, &mut diags);
        }
        // Policies from everywhere; tests from `dir` when given, else from the config's.
        let tests_from_explicit = dir.is_some();
        let mut seen_policies = BTreeSet::new();
        let mut seen_tests = BTreeSet::new();
        let tagged = configured
            .into_iter()
            .map(|f| (f, !tests_from_explicit))
            .chain(explicit.into_iter().map(|f| (f, true)));
        for (file, tests_wanted) in tagged {
            if is_test_file(&file.display) {
                if tests_wanted && seen_tests.insert(file.display.clone()) {
                    suite.tests.push(file);
                }
            } else if seen_policies.insert(file.display.clone()) {
                suite.policies.push(file);
            }
        }
        if !diags.is_empty() {
            diags.sort();
            diags.dedup();
            return Err(Diagnostics(diags));
        }
        suite.policies.sort_by(|a, b| a.display.cmp(&b.display));
        suite.tests.sort_by(|a, b| a.display.cmp(&b.display));
        Ok(suite)
    }

    /// Run every test; per-test coverage in `traces`, totals in `report.coverage`.
    pub fn run(&self) -> Result<SuiteRun, Diagnostics> {
        let mut diags = Vec::new();
        let mut engine = Engine::new();
        engine.set_strict_builtin_errors(true);
        engine.set_gather_prints(true);
        if let Ok(interval) = NonZeroU32::try_from(1000) {
            engine.set_execution_timer_config(ExecutionTimerConfig {
                limit: TEST_TIME_LIMIT,
                check_interval: interval,
            });
        }
        for file in &self.policies {
            if let Err(e) = engine.add_policy(file.display.clone(), file.text.clone()) {
                diags.push(diagnostic(&e, &file.display, code::SYNTAX));
            }
        }
        let mut test_packages = Vec::new();
        for file in &self.tests {
            match engine.add_policy(file.display.clone(), file.text.clone()) {
                Ok(package) => test_packages.push((file, package)),
                Err(e) => diags.push(diagnostic(&e, &file.display, code::SYNTAX)),
            }
        }
        // The same decision as a scan's, over the tests too: a test runs policies and
        // may call builtins itself.
        diags.extend(super::sandbox::check(engine.get_modules(), false));
        if let Err(e) = engine.add_data(self.data.clone()) {
            diags.push(Diagnostic::new(
                "tiergate.yaml",
                0,
                0,
                code::COMPILE,
                format!("cannot provide data.tiergate.config to policies: {e}"),
            ));
        }
        if !diags.is_empty() {
            diags.sort();
            diags.dedup();
            return Err(Diagnostics(diags));
        }

        let policy_files: BTreeSet<&str> =
            self.policies.iter().map(|p| p.display.as_str()).collect();
        engine.set_enable_coverage(true);
        let mut traces = Vec::new();
        // Every expression line seen per policy module, and those some test covered.
        let mut known: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        let mut covered_any: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for (file, package) in test_packages {
            let mut seen = BTreeSet::new();
            for rule in test_rules(&file.text) {
                if !seen.insert(rule.name.clone()) {
                    continue;
                }
                engine.clear_coverage_data();
                let name = format!("{package}.{}", rule.name);
                let result = engine.eval_rule(name.clone());
                // Prints are gathered only so they do not interleave with the report.
                let _ = engine.take_prints();
                let (passed, error) = match result {
                    Ok(Value::Bool(b)) => (b, None),
                    Ok(Value::Undefined) => (false, None),
                    Ok(other) => (false, Some(format!("evaluated to {other}, not true"))),
                    Err(e) => (false, Some(error_text(&e))),
                };
                let mut covered = BTreeMap::new();
                if let Ok(report) = engine.get_coverage_report() {
                    for f in report.files {
                        if !policy_files.contains(f.path.as_str()) {
                            continue;
                        }
                        let lines = known.entry(f.path.clone()).or_default();
                        lines.extend(f.covered.iter().copied());
                        lines.extend(f.not_covered.iter().copied());
                        covered_any
                            .entry(f.path.clone())
                            .or_default()
                            .extend(f.covered.iter().copied());
                        if !f.covered.is_empty() {
                            covered.insert(f.path, f.covered);
                        }
                    }
                }
                traces.push(TestTrace {
                    outcome: TestOutcome {
                        name,
                        source: format!("{}:{}", file.display, rule.line),
                        passed,
                        error,
                    },
                    covered,
                });
            }
        }

        let untouched: Vec<&RegoFile> = self
            .policies
            .iter()
            .filter(|p| !known.contains_key(&p.display))
            .collect();
        if !untouched.is_empty() {
            known.extend(expression_lines(&untouched, &self.data));
        }
        let coverage = self
            .policies
            .iter()
            .map(|p| {
                let all = known.get(&p.display).cloned().unwrap_or_default();
                let covered = covered_any.get(&p.display).cloned().unwrap_or_default();
                let not_covered: Vec<u32> = all.difference(&covered).copied().collect();
                let covered_lines = u32::try_from(all.len() - not_covered.len()).unwrap_or(0);
                let percent = if all.is_empty() {
                    100.0
                } else {
                    f64::from(covered_lines) * 100.0 / all.len() as f64
                };
                FileCoverage {
                    source: p.display.clone(),
                    covered_lines,
                    not_covered_lines: not_covered,
                    percent,
                }
            })
            .collect();
        let outcomes = traces.iter().map(|t| t.outcome.clone()).collect();
        Ok(SuiteRun {
            report: TestReport { outcomes, coverage },
            traces,
        })
    }
}

/// Expression lines of policy modules no test touched: evaluate each module's package
/// once on a fresh engine with coverage on (errors ignored: only the line table of each
/// touched module matters), then take every line regorus reports, covered or not.
fn expression_lines(files: &[&RegoFile], data: &Value) -> BTreeMap<String, BTreeSet<u32>> {
    let mut engine = Engine::new();
    let mut packages = BTreeSet::new();
    for f in files {
        if let Ok(package) = engine.add_policy(f.display.clone(), f.text.clone()) {
            packages.insert(package);
        }
    }
    let _ = engine.add_data(data.clone());
    engine.set_gather_prints(true);
    engine.set_enable_coverage(true);
    for package in packages {
        let _ = engine.eval_query(package, false);
    }
    let mut out = BTreeMap::new();
    if let Ok(report) = engine.get_coverage_report() {
        for f in report.files {
            let lines: BTreeSet<u32> = f.covered.union(&f.not_covered).copied().collect();
            out.insert(f.path, lines);
        }
    }
    out
}

fn error_text(e: &anyhow::Error) -> String {
    match located_error(e) {
        Some((file, line, col, message)) => format!("{file}:{line}:{col}: {message}"),
        None => error_chain(e),
    }
}

fn diagnostic(e: &anyhow::Error, fallback_file: &str, code: &'static str) -> Diagnostic {
    match located_error(e) {
        Some((file, line, col, message)) => Diagnostic::new(file, line, col, code, message),
        None => Diagnostic::new(fallback_file, 0, 0, code, error_chain(e)),
    }
}

/// `test_*` rule heads: rules start in column 1 (as `opa fmt` writes them); a test may
/// have several heads (incremental definitions), reported at the first.
fn test_rules(text: &str) -> Vec<TestRule> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("test_"))
        .map(|(i, l)| TestRule {
            name: l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect(),
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
        })
        .collect()
}

pub(crate) fn is_test_file(name: &str) -> bool {
    name.ends_with("_test.rego")
}

pub(crate) fn shipped_policy_files() -> Vec<RegoFile> {
    shipped_packs()
        .map(|p| RegoFile {
            display: p.display(),
            text: p.source.to_string(),
        })
        .collect()
}

pub(crate) fn shipped_test_files() -> Vec<RegoFile> {
    SHIPPED_TESTS
        .iter()
        .map(|&(path, text)| RegoFile {
            display: format!("shipped:{path}"),
            text: text.to_string(),
        })
        .collect()
}

/// Collect every `*.rego` under `repo_root/dir` (tests included), recursively, as
/// repo-relative display paths when inside the repository. Symbolic links are reported,
/// not followed, as when loading policies for a scan.
fn read_rego_dir(
    repo_root: &Path,
    dir: &Path,
    must_exist: bool,
    out: &mut Vec<RegoFile>,
    diags: &mut Vec<Diagnostic>,
) {
    let root = repo_root.join(dir);
    let display = display_path(repo_root, &root);
    match std::fs::symlink_metadata(&root) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return,
        Err(e) => {
            diags.push(Diagnostic::new(&display, 0, 0, code::READ, e.to_string()));
            return;
        }
        Ok(m) if !m.is_dir() => {
            diags.push(Diagnostic::new(
                &display,
                0,
                0,
                code::READ,
                "not a directory (symbolic links are not followed)",
            ));
            return;
        }
        Ok(_) => {}
    }
    let mut stack = vec![root];
    while let Some(path) = stack.pop() {
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) => {
                let display = display_path(repo_root, &path);
                diags.push(Diagnostic::new(display, 0, 0, code::READ, e.to_string()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let display = display_path(repo_root, &path);
                    diags.push(Diagnostic::new(display, 0, 0, code::READ, e.to_string()));
                    continue;
                }
            };
            let child = entry.path();
            let display = display_path(repo_root, &child);
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    diags.push(Diagnostic::new(display, 0, 0, code::READ, e.to_string()));
                    continue;
                }
            };
            let is_rego = entry.file_name().to_string_lossy().ends_with(".rego");
            if file_type.is_dir() {
                stack.push(child);
            } else if !is_rego {
                continue;
            } else if file_type.is_symlink() {
                diags.push(Diagnostic::new(
                    display,
                    0,
                    0,
                    code::READ,
                    "symbolic links to policies are not followed; copy the policy instead",
                ));
            } else {
                match std::fs::read_to_string(&child) {
                    Ok(text) => out.push(RegoFile { display, text }),
                    Err(e) => diags.push(Diagnostic::new(display, 0, 0, code::READ, e.to_string())),
                }
            }
        }
    }
}

/// `path` relative to `repo_root` with `/` separators when inside it, else as is.
fn display_path(repo_root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(repo_root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if rel.is_absolute() {
        rel.display().to_string()
    } else if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tests::test_config;

    const POLICY: &str = r#"package tiergate.custom.t

import rego.v1

findings contains {
	"code": "fired",
	"tier": 2,
	"rule": "fires",
	"reason": "x",
} if {
	input.file.git == "ignored"
}

findings contains {
	"code": "never",
	"tier": 2,
	"rule": "never-exercised",
	"reason": "y",
} if {
	"never" in input.file.zones
	input.file.git == "tracked"
}
"#;

    const TESTS: &str = r#"package tiergate.custom.t_test

import rego.v1

import data.tiergate.custom.t

test_passes if {
	count(t.findings) == 1 with input as {"file": {"git": "ignored", "zones": []}}
}

test_fails if {
	count(t.findings) == 2 with input as {"file": {"git": "ignored", "zones": []}}
}

test_errors if to_number("x") == 1
"#;

    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn outcome<'a>(r: &'a TestReport, name: &str) -> &'a TestOutcome {
        r.outcomes
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name} not in {:?}", r.outcomes))
    }

    #[test]
    fn repository_tests_pass_fail_and_error_with_their_source_lines() {
        let dir = repo(&[
            (".tiergate/policies/t.rego", POLICY),
            (".tiergate/policies/t_test.rego", TESTS),
        ]);
        let r = run_tests(&test_config(), dir.path(), None).unwrap();
        let pass = outcome(&r, "data.tiergate.custom.t_test.test_passes");
        assert!(pass.passed && pass.error.is_none(), "{pass:?}");
        assert_eq!(pass.source, ".tiergate/policies/t_test.rego:7");
        let fail = outcome(&r, "data.tiergate.custom.t_test.test_fails");
        assert!(!fail.passed, "{fail:?}");
        assert_eq!(fail.error, None);
        assert_eq!(fail.source, ".tiergate/policies/t_test.rego:11");
        let err = outcome(&r, "data.tiergate.custom.t_test.test_errors");
        assert!(!err.passed);
        assert_eq!(err.source, ".tiergate/policies/t_test.rego:15");
        let message = err.error.as_deref().unwrap();
        assert!(
            message.starts_with(".tiergate/policies/t_test.rego:15:") && message.contains("number"),
            "{message}"
        );
        // The shipped packs' tests run too, and pass.
        assert!(
            r.outcomes
                .iter()
                .filter(|o| o.source.starts_with("shipped:"))
                .all(|o| o.passed),
            "{}",
            render_test_report(&r)
        );
        assert_eq!(r.failed(), 2);
    }

    #[test]
    fn coverage_lists_the_lines_of_a_rule_never_exercised() {
        let dir = repo(&[
            (".tiergate/policies/t.rego", POLICY),
            (".tiergate/policies/t_test.rego", TESTS),
        ]);
        let r = run_tests(&test_config(), dir.path(), None).unwrap();
        let c = r
            .coverage
            .iter()
            .find(|c| c.source == ".tiergate/policies/t.rego")
            .unwrap();
        // The first rule fires (head and body covered); the second is evaluated up to
        // its first condition, which fails: the rest of it is not covered.
        for line in [5, 11, 20] {
            assert!(!c.not_covered_lines.contains(&line), "{line}: {c:?}");
        }
        for line in [14, 15, 21] {
            assert!(c.not_covered_lines.contains(&line), "{line}: {c:?}");
        }
        assert!(c.percent > 0.0 && c.percent < 100.0, "{c:?}");
        // Test files are not in the coverage table; shipped packs are.
        assert!(r.coverage.iter().all(|c| !c.source.ends_with("_test.rego")));
        assert!(
            r.coverage
                .iter()
                .any(|c| c.source == "shipped:policies/secrets.rego")
        );
    }

    #[test]
    fn a_policy_no_test_touches_is_entirely_not_covered() {
        let dir = repo(&[(".tiergate/policies/t.rego", POLICY)]);
        let r = run_tests(&test_config(), dir.path(), None).unwrap();
        let c = r
            .coverage
            .iter()
            .find(|c| c.source == ".tiergate/policies/t.rego")
            .unwrap();
        assert_eq!(c.covered_lines, 0, "{c:?}");
        assert!(c.not_covered_lines.contains(&11), "{c:?}");
        assert!(c.not_covered_lines.contains(&21), "{c:?}");
        assert_eq!(c.percent, 0.0);
    }

    #[test]
    fn an_explicit_dir_runs_only_its_tests_and_loads_its_policies() {
        let dir = repo(&[
            ("elsewhere/t.rego", POLICY),
            ("elsewhere/t_test.rego", TESTS),
            (
                ".tiergate/policies/other_test.rego",
                "package tiergate.custom.other_test\n\nimport rego.v1\n\ntest_x if false\n",
            ),
        ]);
        let r = run_tests(&test_config(), dir.path(), Some(Path::new("elsewhere"))).unwrap();
        assert!(
            r.outcomes
                .iter()
                .any(|o| o.source == "elsewhere/t_test.rego:7" && o.passed)
        );
        assert!(r.outcomes.iter().all(|o| !o.name.contains("other_test")));
        // The configured directory given explicitly runs its own tests.
        let r = run_tests(
            &test_config(),
            dir.path(),
            Some(Path::new("./.tiergate/policies")),
        )
        .unwrap();
        let other = outcome(&r, "data.tiergate.custom.other_test.test_x");
        assert_eq!(other.source, ".tiergate/policies/other_test.rego:5");
        assert!(!other.passed);
        let missing = run_tests(&test_config(), dir.path(), Some(Path::new("nope"))).unwrap_err();
        assert_eq!(missing.0[0].file, "nope");
    }

    #[test]
    fn a_test_file_that_does_not_parse_is_a_located_diagnostic() {
        let dir = repo(&[(
            ".tiergate/policies/bad_test.rego",
            "package tiergate.custom.bad_test\n\nimport rego.v1\n\ntest_x if {\n\t1 ==\n}\n",
        )]);
        let err = run_tests(&test_config(), dir.path(), None).unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.file, ".tiergate/policies/bad_test.rego");
        assert!(d.line >= 6 && d.col > 0, "{d}");
    }

    #[test]
    fn check_reports_a_syntax_error_at_file_line_col() {
        let dir = repo(&[(
            ".tiergate/policies/broken.rego",
            "package tiergate.custom.broken\n\nimport rego.v1\n\nfindings contains {\"rule\": } if true\n",
        )]);
        let err = check(&test_config(), dir.path()).unwrap_err();
        let d = &err.0[0];
        assert_eq!(
            (d.file.as_str(), d.line, d.code),
            (".tiergate/policies/broken.rego", 5, code::SYNTAX),
            "{d}"
        );
        assert!(d.col > 0, "{d}");
        assert!(
            d.to_string()
                .starts_with(".tiergate/policies/broken.rego:5:")
        );
    }

    #[test]
    fn check_lists_every_loaded_policy() {
        let dir = repo(&[(".tiergate/policies/t.rego", POLICY)]);
        let policies = check(&test_config(), dir.path()).unwrap();
        assert!(
            policies
                .iter()
                .any(|p| p.source == ".tiergate/policies/t.rego" && !p.shipped)
        );
        for pack in shipped_packs() {
            assert!(policies.iter().any(|p| p.source == pack.display()));
        }
    }

    #[test]
    fn the_report_renders_outcomes_coverage_and_a_summary() {
        let r = TestReport {
            outcomes: vec![
                TestOutcome {
                    name: "data.p.test_a".into(),
                    source: "p_test.rego:3".into(),
                    passed: true,
                    error: None,
                },
                TestOutcome {
                    name: "data.p.test_b".into(),
                    source: "p_test.rego:5".into(),
                    passed: false,
                    error: Some("p_test.rego:5:10: boom".into()),
                },
            ],
            coverage: vec![FileCoverage {
                source: "p.rego".into(),
                covered_lines: 3,
                not_covered_lines: vec![7, 8, 9, 12],
                percent: 300.0 / 7.0,
            }],
        };
        let text = render_test_report(&r);
        assert_eq!(
            text,
            "PASS data.p.test_a (p_test.rego:3)\n\
             FAIL data.p.test_b (p_test.rego:5): p_test.rego:5:10: boom\n\
             \n\
             coverage:\n\
             \x20 p.rego   42.9%     3/7    lines  not covered: 7-9, 12\n\
             \n\
             1 passed, 1 failed\n"
        );
    }
}
