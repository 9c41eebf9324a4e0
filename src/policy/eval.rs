//! Evaluation: per worker thread, one RVM per compiled package plus one interpreter
//! engine, a memo keyed on the whole [`RegoInput`], and strict checking of what policies
//! return. Anything unexpected is an `Err` for that file, which the caller turns into a
//! tier-1 finding (fail closed).
//!
//! Why two engines. regorus 0.14's RVM is the fast path DESIGN §4 asks for and the only
//! one with a deterministic budget (`max_instructions`), but it swallows every non-fatal
//! error raised inside a rule body — strict builtin errors included (`rvm/vm/rules.rs`,
//! `Err(_e) => {}`): `to_number("x")` or a division by zero just makes the rule not
//! fire, which is fail-open. The interpreter propagates them. So on a memo miss each
//! package runs first on the RVM (budget enforced; a runaway policy stops there), then
//! on the interpreter (strict errors surface, with file:line:col); the two answers must
//! agree, else the file fails closed. Only distinct inputs pay for this. When the RVM
//! propagates strict errors, the interpreter pass can go (see `evaluate_package`).
//!
//! The deadline. Every evaluation (all packages, both engines) must end within
//! `policies.max_eval_ms` of wall-clock time. Both engines check regorus' cooperative
//! execution timer between instructions, which stops loops of cheap steps, but a single
//! builtin call (`sort(numbers.range(1, 3e6))`) runs to its end before anything can
//! look at the clock. So the engines live on a helper thread that the evaluator hands
//! each memo miss to and waits for at most the time left: at the deadline the caller
//! stops waiting, answers with an error (tier 1), and abandons the helper, whose
//! engines go with it; the next miss starts a fresh helper. The abandoned thread ends
//! at its next timer check after the builtin in progress returns, its answer unread.
//! What holds: no evaluation holds its caller past the deadline (plus scheduling);
//! what does not: the CPU and memory an abandoned builtin call uses until it returns.
//! When no thread can be started the evaluator runs the engines itself, with the
//! cooperative timer only.

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use regorus::rvm::RegoVM;
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};

use super::RegoInput;
use super::load::{CompiledPackage, Inner, error_chain, located_error};
use crate::model::{AnnexFlag, Finding, TierId};

/// Past this many distinct inputs the memo starts over: memory stays bounded on
/// repositories whose signal counts make most inputs distinct.
const MEMO_CAPACITY: usize = 1 << 16;

/// Annex III statuses a policy may report (DESIGN §2).
const ANNEX_STATUSES: &[&str] = &["candidate", "possible-prohibited"];

/// Keys a finding object may have.
const FINDING_KEYS: &[&str] = &["code", "tier", "rule", "reason", "annex_iii"];
const ANNEX_KEYS: &[&str] = &["point", "status", "evidence"];

type Memo = HashMap<RegoInput, Result<Arc<Vec<Finding>>, String>, foldhash::fast::RandomState>;

/// The memo shared by the evaluators of one policy set, and the answers kept from
/// earlier scans (`crate::cache::policy`).
#[derive(Default)]
pub(crate) struct SharedMemo {
    memo: std::sync::RwLock<Memo>,
    /// Answers kept between scans, consulted when the memo misses: each is the one the
    /// engines would give (the cache's key covers what they read).
    kept: std::sync::RwLock<HashMap<RegoInput, Arc<Vec<Finding>>, foldhash::fast::RandomState>>,
    /// Inputs the engines evaluated (not answered from `kept`).
    fresh: std::sync::atomic::AtomicU64,
}

impl SharedMemo {
    fn get(&self, input: &RegoInput) -> Option<Result<Arc<Vec<Finding>>, String>> {
        // Entries are inserted whole under the lock: a poisoned one is consistent.
        let m = self
            .memo
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        m.get(input).cloned()
    }

    fn insert(&self, input: &RegoInput, result: &Result<Arc<Vec<Finding>>, String>) {
        let mut m = self
            .memo
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if m.len() >= MEMO_CAPACITY {
            m.clear();
        }
        m.insert(input.clone(), result.clone());
    }

    /// The answer kept from an earlier scan for `input`, if there is one.
    fn kept(&self, input: &RegoInput) -> Option<Arc<Vec<Finding>>> {
        let k = self
            .kept
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if k.is_empty() {
            return None;
        }
        k.get(input).cloned()
    }

    /// Take `answers`, kept from an earlier scan, as the engines' own.
    pub(crate) fn keep(&self, answers: impl IntoIterator<Item = super::Answer>) {
        let mut k = self
            .kept
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        k.extend(answers);
    }

    /// The answers given so far (errors left out), and how many inputs the engines
    /// evaluated (the rest came from the answers kept).
    pub(crate) fn answers(&self) -> (Vec<super::Answer>, u64) {
        let m = self
            .memo
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let answers = m
            .iter()
            .filter_map(|(input, r)| Some((input.clone(), r.as_ref().ok()?.clone())))
            .collect();
        (
            answers,
            self.fresh.load(std::sync::atomic::Ordering::Relaxed),
        )
    }
}

/// Instructions (RVM) or calls (interpreter) between two looks at the clock. A look is
/// one monotonic clock read (~50 ns here); the shipped packs run a few hundred
/// instructions per evaluation, so looking at every one would add a third to their
/// cost. Every 16th keeps that negligible and bounds what an abandoned helper runs on
/// past the deadline to at most 16 more builtin calls.
pub(crate) const TIMER_CHECK_INTERVAL: NonZeroU32 = NonZeroU32::new(16).expect("16 is not zero");

/// The error of an evaluation that ran past the deadline. The memo keeps it for the
/// fact set, as it keeps every error (re-evaluating each file of a fact set that
/// overran would cost the deadline each time); the text says so, since the overrun may
/// be the machine's load rather than the facts.
pub(crate) fn deadline_error(limit: Duration) -> String {
    format!(
        "evaluation exceeded {}ms (policies.max_eval_ms); every file with the same facts shares this answer",
        limit.as_millis()
    )
}

/// The engines of one evaluator: one VM per package and the interpreter.
struct Engines {
    set: Arc<Inner>,
    /// One VM per package, in `set.packages` order.
    vms: Vec<RegoVM>,
    /// The interpreter, for strict errors the RVM swallows.
    engine: Engine,
    /// Set when the VMs could not be prepared; every evaluation then fails (closed).
    setup_error: Option<String>,
}

impl Engines {
    fn new(set: Arc<Inner>) -> Engines {
        let mut setup_error = None;
        let vms = set
            .packages
            .iter()
            .map(|package| {
                let mut vm = RegoVM::new();
                vm.load_program(package.program.clone());
                vm.set_max_instructions(set.max_instructions);
                // The RVM default is lenient (a failing builtin is undefined, so a rule
                // silently does not fire); a broken policy must fail the file instead.
                vm.set_strict_builtin_errors(true);
                // Checked at load time; kept as an error rather than a panic regardless.
                if let Err(e) = vm.set_data(set.data.clone()) {
                    setup_error.get_or_insert_with(|| {
                        format!("policy package {}: cannot set data: {e}", package.name)
                    });
                }
                vm
            })
            .collect();
        let engine = set.engine();
        Engines {
            set,
            vms,
            engine,
            setup_error,
        }
    }

    /// Every package on both engines, each engine call under the cooperative timer
    /// set to the time left until `started + max_eval`.
    fn evaluate(
        &mut self,
        input: &RegoInput,
        started: Instant,
    ) -> Result<Arc<Vec<Finding>>, String> {
        if let Some(e) = &self.setup_error {
            return Err(e.clone());
        }
        let limit = self.set.max_eval;
        let input = input_value(input)?;
        self.engine.set_input(input.clone());
        let mut findings = Vec::new();
        for (package, vm) in self.set.packages.iter().zip(self.vms.iter_mut()) {
            let out = evaluate_package(package, vm, &mut self.engine, &input, started, limit)
                .map_err(|e| {
                    if started.elapsed() >= limit {
                        deadline_error(limit)
                    } else {
                        format!("policy package {}: {e}", package.name)
                    }
                })?;
            collect_findings(package, &out, &self.set.tiers, &mut findings)
                .map_err(|e| format!("policy package {}: {e}", package.name))?;
        }
        if started.elapsed() >= limit {
            // Finished, but late: the caller has stopped waiting, or would have.
            return Err(deadline_error(limit));
        }
        findings.sort();
        findings.dedup();
        Ok(Arc::new(findings))
    }
}

/// A memo miss handed to the helper: the input and when its deadline started.
type Job = (RegoInput, Instant);
type Answer = Result<Arc<Vec<Finding>>, String>;

/// The helper thread that runs an evaluator's engines.
struct Helper {
    jobs: mpsc::SyncSender<Job>,
    answers: mpsc::Receiver<Answer>,
}

impl Helper {
    /// Start a thread owning `engines`; `None` when the system refuses a thread.
    fn spawn(engines: Engines) -> Option<Helper> {
        let (jobs, job_rx) = mpsc::sync_channel::<Job>(1);
        let (answer_tx, answers) = mpsc::sync_channel::<Answer>(1);
        let mut engines = engines;
        std::thread::Builder::new()
            .name("tiergate-rego".into())
            // regorus recurses over expressions; the size of a main thread's stack.
            .stack_size(8 << 20)
            .spawn(move || {
                while let Ok((input, started)) = job_rx.recv() {
                    let answer = engines.evaluate(&input, started);
                    if answer_tx.send(answer).is_err() {
                        // Abandoned at the deadline: nobody reads this answer.
                        break;
                    }
                }
            })
            .ok()?;
        Some(Helper { jobs, answers })
    }
}

/// Evaluates the policy set for one worker thread. `Send`, not `Sync`: create it on any
/// thread and move it to the worker that uses it.
pub struct Evaluator {
    set: Arc<Inner>,
    /// Engines ready for the next helper (or for evaluating here when no thread can be
    /// started). Made at the first input to evaluate, and again after a deadline
    /// abandoned them.
    idle: Option<Engines>,
    /// The thread running the engines, started at the first memo miss.
    helper: Option<Helper>,
    /// This thread's answers, looked up once per file without a lock: foldhash
    /// (randomly seeded per process), not SipHash.
    memo: Memo,
    evaluations: u64,
}

impl std::fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluator")
            .field("packages", &self.set.packages.len())
            .field("memo", &self.memo.len())
            .field("evaluations", &self.evaluations)
            .finish_non_exhaustive()
    }
}

impl Evaluator {
    pub(crate) fn new(set: Arc<Inner>) -> Evaluator {
        Evaluator {
            set,
            // Made at the first input neither memo nor the kept answers know: a scan
            // whose answers were all kept never builds its engines.
            idle: None,
            helper: None,
            memo: HashMap::default(),
            evaluations: 0,
        }
    }

    /// Findings of every package for `input`, sorted. Identical inputs (errors included)
    /// are answered from the memo, shared through the `Arc`.
    pub fn evaluate(&mut self, input: &RegoInput) -> Result<Arc<Vec<Finding>>, String> {
        if let Some(hit) = self.memo.get(input) {
            return hit.clone();
        }
        let result = match self.set.shared.get(input) {
            Some(hit) => hit,
            None => {
                let result = match self.set.shared.kept(input) {
                    Some(found) => Ok(found),
                    None => {
                        self.set
                            .shared
                            .fresh
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        self.evaluate_uncached(input)
                    }
                };
                self.evaluations += 1;
                self.set.shared.insert(input, &result);
                result
            }
        };
        if self.memo.len() >= MEMO_CAPACITY {
            self.memo.clear();
        }
        self.memo.insert(input.clone(), result.clone());
        result
    }

    /// Distinct inputs this evaluator answered first (by the engines, or from the
    /// answers kept between scans); the rest were memo hits.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// One evaluation on the helper thread, waited for until the deadline.
    fn evaluate_uncached(&mut self, input: &RegoInput) -> Result<Arc<Vec<Finding>>, String> {
        if self.helper.is_none() {
            let engines = self
                .idle
                .take()
                .unwrap_or_else(|| Engines::new(self.set.clone()));
            self.helper = Helper::spawn(engines);
        }
        let started = Instant::now();
        let limit = self.set.max_eval;
        let Some(helper) = &self.helper else {
            // No thread could be started: the cooperative timer is the only bound.
            let engines = self
                .idle
                .get_or_insert_with(|| Engines::new(self.set.clone()));
            return engines.evaluate(input, started);
        };
        if helper.jobs.send((input.clone(), started)).is_err() {
            self.helper = None;
            return Err(STOPPED.to_string());
        }
        match helper
            .answers
            .recv_timeout(limit.saturating_sub(started.elapsed()))
        {
            Ok(answer) => answer,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // The helper is still in the evaluation: leave it to finish unread.
                self.helper = None;
                Err(deadline_error(limit))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.helper = None;
                Err(STOPPED.to_string())
            }
        }
    }
}

/// The helper thread ended without an answer: a panic inside the Rego engine.
const STOPPED: &str = "the policy evaluation thread stopped without an answer (a panic in the Rego engine); failing closed";

/// `findings` of one package: RVM for the budget, interpreter for strict errors, and
/// both must agree. `engine` already holds `input`. Each engine runs under the
/// cooperative timer set to the time left until `started + limit`.
fn evaluate_package(
    package: &CompiledPackage,
    vm: &mut RegoVM,
    engine: &mut Engine,
    input: &Value,
    started: Instant,
    limit: Duration,
) -> Result<Value, String> {
    let timer = |what: &str| {
        let left = limit.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(format!("deadline reached before {what}"));
        }
        Ok(ExecutionTimerConfig {
            limit: left,
            check_interval: TIMER_CHECK_INTERVAL,
        })
    };
    vm.set_execution_timer_config(Some(timer("the RVM")?));
    vm.set_input(input.clone());
    let fast = vm.execute().map_err(|e| e.to_string())?;
    engine.set_execution_timer_config(timer("the interpreter")?);
    // The interpreter has no instruction budget, but it runs the same loops the RVM
    // just finished within its budget. (`print`, which the interpreter would write to
    // stderr, never gets here: the RVM compiler refuses it.)
    let checked = engine
        .eval_rule(package.entry.clone())
        .map_err(|e| match located_error(&e) {
            Some((file, line, col, message)) => format!("{file}:{line}:{col}: {message}"),
            None => error_chain(&e),
        })?;
    if fast != checked {
        return Err(format!(
            "regorus' RVM and interpreter disagree ({} vs {}); failing closed",
            short(&fast),
            short(&checked)
        ));
    }
    Ok(fast)
}

/// The input document exactly as serde_json serializes [`RegoInput`]: that serialization
/// is the documented contract, so no hand-written conversion can drift from it. Only
/// memo misses pay for it.
pub(crate) fn input_value(input: &RegoInput) -> Result<Value, String> {
    let json = serde_json::to_value(input).map_err(|e| format!("cannot serialize input: {e}"))?;
    match Value::from(json) {
        Value::Undefined => Err("cannot convert input to a Rego value".to_string()),
        value => Ok(value),
    }
}

fn collect_findings(
    package: &CompiledPackage,
    out: &Value,
    tiers: &BTreeSet<TierId>,
    findings: &mut Vec<Finding>,
) -> Result<(), String> {
    let set = match out {
        Value::Set(set) => set,
        Value::Undefined => return Err("`findings` is undefined".to_string()),
        other => {
            return Err(format!(
                "`findings` must be a set (`findings contains ...`), got {}",
                type_name(other)
            ));
        }
    };
    for value in set.iter() {
        let finding = to_finding(package, value, tiers)
            .map_err(|e| format!("invalid finding {}: {e}", short(value)))?;
        findings.push(finding);
    }
    Ok(())
}

fn to_finding(
    package: &CompiledPackage,
    value: &Value,
    tiers: &BTreeSet<TierId>,
) -> Result<Finding, String> {
    let Value::Object(object) = value else {
        return Err(format!(
            "a finding must be an object, got {}",
            type_name(value)
        ));
    };
    for key in object.keys() {
        match key {
            Value::String(k) if FINDING_KEYS.contains(&k.as_ref()) => {}
            other => return Err(format!("unknown key {other}")),
        }
    }
    let field = |name: &str| object.get(&Value::from(name));

    let code = required_string(field("code"), "code")?;
    if !is_kebab_case(&code) {
        return Err(format!(
            "`code` {code:?} is not kebab-case ([a-z0-9]+(-[a-z0-9]+)*)"
        ));
    }
    if crate::codes::is_builtin(&code) {
        return Err(format!(
            "`code` {code:?} is reserved for tiergate's own findings"
        ));
    }
    let tier = match field("tier") {
        Some(Value::Null) => None,
        Some(v @ Value::Number(n)) => {
            let id = n
                .as_u64()
                .filter(|_| n.is_integer())
                .and_then(|v| TierId::try_from(v).ok())
                .filter(|id| tiers.contains(id))
                .ok_or_else(|| {
                    let known: Vec<String> = tiers.iter().map(|t| t.to_string()).collect();
                    format!(
                        "`tier` {v} is not a configured tier id ({})",
                        known.join(", ")
                    )
                })?;
            Some(id)
        }
        Some(other) => {
            return Err(format!(
                "`tier` must be a configured tier id or null, got {}",
                type_name(other)
            ));
        }
        None => return Err("missing `tier` (use null for an informational finding)".into()),
    };
    let rule = required_string(field("rule"), "rule")?;
    let message = required_string(field("reason"), "reason")?;
    let annex_iii = match field("annex_iii") {
        None => Vec::new(),
        Some(v) => elements(v, "annex_iii")?
            .into_iter()
            .map(to_annex_flag)
            .collect::<Result<_, _>>()?,
    };
    Ok(Finding {
        source: package.lines.locate(&rule, &package.first_file),
        code,
        rule,
        tier,
        message,
        annex_iii,
    })
}

fn to_annex_flag(value: &Value) -> Result<AnnexFlag, String> {
    let Value::Object(object) = value else {
        return Err(format!(
            "an `annex_iii` entry must be an object, got {}",
            type_name(value)
        ));
    };
    for key in object.keys() {
        match key {
            Value::String(k) if ANNEX_KEYS.contains(&k.as_ref()) => {}
            other => return Err(format!("unknown key {other} in an `annex_iii` entry")),
        }
    }
    let field = |name: &str| object.get(&Value::from(name));
    let point = required_string(field("point"), "annex_iii[].point")?;
    let status = required_string(field("status"), "annex_iii[].status")?;
    if !ANNEX_STATUSES.contains(&status.as_str()) {
        return Err(format!(
            "`annex_iii[].status` {status:?} is not one of {}",
            ANNEX_STATUSES.join(", ")
        ));
    }
    let evidence = match field("evidence") {
        None => Vec::new(),
        Some(v) => elements(v, "annex_iii[].evidence")?
            .into_iter()
            .map(|e| required_string(Some(e), "annex_iii[].evidence[]"))
            .collect::<Result<_, _>>()?,
    };
    Ok(AnnexFlag {
        point,
        status,
        evidence,
    })
}

/// Members of an array, or of a set (sets come naturally out of Rego comprehensions).
fn elements<'a>(value: &'a Value, what: &str) -> Result<Vec<&'a Value>, String> {
    match value {
        Value::Array(a) => Ok(a.iter().collect()),
        Value::Set(s) => Ok(s.iter().collect()),
        other => Err(format!(
            "`{what}` must be an array, got {}",
            type_name(other)
        )),
    }
}

fn required_string(value: Option<&Value>, what: &str) -> Result<String, String> {
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.to_string()),
        Some(Value::String(_)) => Err(format!("`{what}` is empty")),
        Some(other) => Err(format!(
            "`{what}` must be a string, got {}",
            type_name(other)
        )),
        None => Err(format!("missing `{what}`")),
    }
}

pub(crate) fn is_kebab_case(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Set(_) => "a set",
        Value::Object(_) => "an object",
        Value::Undefined => "undefined",
    }
}

/// A value for an error message, cut short: errors end up in the manifest.
fn short(value: &Value) -> String {
    const MAX: usize = 200;
    let text = value.to_string();
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
