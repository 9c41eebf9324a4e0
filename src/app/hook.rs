//! `tiergate hook claude-code`: read a PreToolUse event on standard input, turn the tool
//! call into the paths it would read, write or search ([`judge::Item`]), judge them with
//! the core `route` uses ([`judge::Judge`]), and deny when one may not reach the
//! session's destination. Fails closed: an event or a manifest that cannot be read
//! denies the call (Claude Code lets a call through when a hook merely fails), and a
//! manifest whose header the rules in force do not give denies every call.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::bash::Touches;
use super::judge::{self, Access, Item, Judge, OpenError, Search, Verdict};
use super::{EXIT_OK, Io, Result};
use crate::cli::{Cli, HookArgs};
use crate::hook::{self, ClaudeEvent, Refusal};
use crate::walk::Repo;

/// Events larger than this are refused (a tool input is a few kilobytes).
const MAX_EVENT_BYTES: u64 = 4 << 20;

pub fn cmd_hook(cli: &Cli, a: &HookArgs, io: &mut Io<'_>) -> Result<u8> {
    let answer = match answer(cli, a, io).and_then(|(verdicts, root, cwd, call)| {
        record(a, &verdicts, &root, &cwd, &call)?;
        Ok(verdicts
            .into_iter()
            .filter(|v| !v.allowed)
            .map(refusal)
            .collect::<Vec<_>>())
    }) {
        Ok(refusals) => hook::claude_answer(&refusals, &a.destination),
        Err(why) => hook::claude_answer(
            &[Refusal {
                path: "(this call)".into(),
                tier: 1,
                reason: why,
            }],
            &a.destination,
        ),
    };
    if let Some(json) = answer {
        writeln!(io.out, "{json}")?;
    }
    Ok(EXIT_OK)
}

/// How a denied path is shown to the agent: as given, then the path the answer comes
/// from when that is another (`q/../key.pem -> secrets/key.pem`, a link's target, the
/// most restrictive file under a directory).
fn refusal(v: Verdict) -> Refusal {
    let path = match &v.judged {
        Some(j) => format!("{} -> {j}", shown(&v.path)),
        None => shown(&v.path),
    };
    Refusal {
        path,
        tier: v.tier,
        reason: reason(&v),
    }
}

fn shown(rel: &str) -> String {
    if rel.is_empty() {
        ".".into()
    } else {
        rel.to_string()
    }
}

fn reason(v: &Verdict) -> String {
    v.reasons
        .first()
        .map(|r| {
            if r.code == r.rule {
                format!("{}: {}", r.code, r.message)
            } else {
                format!("{} {}", r.code, r.rule)
            }
        })
        .unwrap_or_default()
}

/// The rule behind an answer, for the log: its code and rule id.
fn rule(v: &Verdict) -> String {
    v.reasons
        .first()
        .map(|r| format!("{} {}", r.code, r.rule))
        .unwrap_or_default()
}

/// What the log says about the call beyond each path's decision.
#[derive(Default)]
struct Call {
    tool: Option<String>,
    session: Option<String>,
    model: Option<String>,
}

/// Every decision goes to the governance log; if it cannot be written the call is
/// denied, since an unrecorded decision is what the log exists to prevent.
fn record(
    a: &HookArgs,
    verdicts: &[Verdict],
    root: &Path,
    cwd: &Path,
    call: &Call,
) -> std::result::Result<(), String> {
    if verdicts.is_empty() {
        return Ok(());
    }
    let who = super::audit::identity(cwd);
    let entries: Vec<crate::audit::Entry> = verdicts
        .iter()
        .map(|v| crate::audit::Entry {
            model: call.model.clone().or_else(|| a.model.clone()),
            session: call.session.clone(),
            tool: call.tool.clone(),
            ..super::audit::entry(
                &who,
                "claude-code",
                &a.destination,
                root,
                &shown(&v.path),
                v.tier,
                v.allowed,
                &rule(v),
            )
        })
        .collect();
    let path = super::audit::log_path(a.log.log.as_deref(), cwd).map_err(|e| e.to_string())?;
    crate::audit::Log::new(path)
        .append(&entries, &crate::audit::now_utc())
        .map_err(|e| format!("the governance log cannot be written: {e}"))
}

/// What a tool call touches. File tools give their path (Edit, Write, MultiEdit and
/// NotebookEdit write it); Grep searches its path (the session's directory when it
/// gives none) as ripgrep does, with its `glob` and `type`; Glob and LS reveal names,
/// not content, and are not judged; Bash gives what its command line reads and writes
/// (see [`super::bash`]).
pub fn touches_of(event: &ClaudeEvent, session: &Path, home: Option<&Path>) -> Touches {
    match event.tool_name.as_str() {
        "Bash" => match event.tool_input.get("command").and_then(Value::as_str) {
            Some(c) => super::bash::touches(c, session, home),
            None => Touches::default(),
        },
        _ => Touches {
            items: items_of(event),
            ..Touches::default()
        },
    }
}

/// The paths a file tool's call touches, as judge items.
fn items_of(event: &ClaudeEvent) -> Vec<Item> {
    let input = &event.tool_input;
    let field = |k: &str| input.get(k).and_then(Value::as_str).map(str::to_string);
    let cwd = event.cwd.as_ref().map(PathBuf::from);
    let item = |path: String, access: Access| Item {
        cwd: cwd.clone(),
        path,
        access,
    };
    match event.tool_name.as_str() {
        "Read" => field("file_path")
            .map(|p| item(p, Access::Read))
            .into_iter()
            .collect(),
        "NotebookRead" => field("notebook_path")
            .map(|p| item(p, Access::Read))
            .into_iter()
            .collect(),
        "Edit" | "Write" | "MultiEdit" => field("file_path")
            .map(|p| item(p, Access::Write))
            .into_iter()
            .collect(),
        "NotebookEdit" => field("notebook_path")
            .map(|p| item(p, Access::Write))
            .into_iter()
            .collect(),
        "Grep" => vec![item(
            field("path").unwrap_or_else(|| ".".into()),
            Access::Search(Search::claude_grep(
                field("glob").as_deref(),
                field("type").as_deref(),
            )),
        )],
        _ => Vec::new(),
    }
}

type Judged = (Vec<Verdict>, PathBuf, PathBuf, Call);

fn answer(cli: &Cli, a: &HookArgs, io: &mut Io<'_>) -> std::result::Result<Judged, String> {
    let mut text = String::new();
    io.input
        .take(MAX_EVENT_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("the hook event could not be read: {e}"))?;
    let event: ClaudeEvent = serde_json::from_str(&text)
        .map_err(|e| format!("the hook event is not a Claude Code event: {e}"))?;
    if event
        .hook_event_name
        .as_deref()
        .is_some_and(|n| n != "PreToolUse")
    {
        return Ok((Vec::new(), io.cwd.clone(), io.cwd.clone(), Call::default()));
    }
    let cwd = event
        .cwd
        .as_deref()
        .map(PathBuf::from)
        .unwrap_or_else(|| io.cwd.clone());
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let touches = touches_of(&event, &cwd, home.as_deref());
    let nothing =
        touches.items.is_empty() && touches.recorded.is_empty() && touches.unknowable.is_empty();
    let root = Repo::default_root(&cwd).map_err(|e| format!("{e}"))?;
    let opened = Judge::open(judge::Options {
        root: root.clone(),
        cwd: cwd.clone(),
        manifest: a.manifest.as_ref().map(|p| io.cwd.join(p)),
        config: cli.global.config.as_ref().map(|p| io.cwd.join(p)),
        destination: a.destination.clone(),
        today: super::today(cli),
        home,
    });
    let judge = match opened {
        Ok(j) => j,
        // Nothing scanned yet: a call that touches no path goes on.
        Err(OpenError::Missing(_)) if nothing => {
            return Ok((Vec::new(), root, cwd, Call::default()));
        }
        // A manifest the rules in force do not vouch for denies every call.
        Err(e) => return Err(e.to_string()),
    };
    if nothing {
        return Ok((Vec::new(), root, cwd, Call::default()));
    }
    let mut verdicts = judge.judge(&touches.items, false);
    verdicts.extend(judge.judge(&touches.recorded, true));
    verdicts.extend(
        touches
            .unknowable
            .iter()
            .map(|(what, why)| judge.unknowable(what, why)),
    );
    let call = Call {
        tool: Some(event.tool_name.clone()),
        session: event.session_id.clone(),
        model: event.model.clone(),
    };
    Ok((verdicts, judge.root().to_path_buf(), cwd, call))
}
