//! `tiergate hook claude-code`: read a PreToolUse event on standard input, resolve the
//! paths the tool call would touch against the manifest, and deny when one may not
//! reach the session's destination. Fails closed: an event or a manifest that cannot be
//! read denies the call (Claude Code lets a call through when a hook merely fails).

use std::io::Read;
use std::path::Path;

use super::{EXIT_OK, Io, Result, repo_relative};
use crate::cli::HookArgs;
use crate::hook::{self, ClaudeEvent, Refusal};
use crate::manifest;
use crate::walk::Repo;

/// Events larger than this are refused (a tool input is a few kilobytes).
const MAX_EVENT_BYTES: u64 = 4 << 20;

pub fn cmd_hook(a: &HookArgs, io: &mut Io<'_>) -> Result<u8> {
    let answer = match answer(a, io).and_then(|(decisions, root, cwd, call)| {
        record(a, &decisions, &root, &cwd, &call)?;
        Ok(decisions
            .into_iter()
            .filter(|d| !d.allowed)
            .map(|d| d.refusal)
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

/// One path the hook judged.
struct Decision {
    allowed: bool,
    refusal: Refusal,
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
    decisions: &[Decision],
    root: &Path,
    cwd: &Path,
    call: &Call,
) -> std::result::Result<(), String> {
    if decisions.is_empty() {
        return Ok(());
    }
    let who = super::audit::identity(cwd);
    let entries: Vec<crate::audit::Entry> = decisions
        .iter()
        .map(|d| crate::audit::Entry {
            model: call.model.clone().or_else(|| a.model.clone()),
            session: call.session.clone(),
            tool: call.tool.clone(),
            ..super::audit::entry(
                &who,
                "claude-code",
                &a.destination,
                root,
                &d.refusal.path,
                d.refusal.tier,
                d.allowed,
                &d.refusal.reason,
            )
        })
        .collect();
    let path = super::audit::log_path(a.log.log.as_deref(), cwd).map_err(|e| e.to_string())?;
    crate::audit::Log::new(path)
        .append(&entries, &crate::audit::now_utc())
        .map_err(|e| format!("the governance log cannot be written: {e}"))
}

type Judged = (Vec<Decision>, std::path::PathBuf, std::path::PathBuf, Call);

fn answer(a: &HookArgs, io: &mut Io<'_>) -> std::result::Result<Judged, String> {
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
    let paths = hook::paths_of(&event);
    if paths.is_empty() {
        return Ok((Vec::new(), io.cwd.clone(), io.cwd.clone(), Call::default()));
    }
    let cwd = event
        .cwd
        .as_deref()
        .map(Path::new)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| io.cwd.clone());
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let root = Repo::default_root(&cwd).map_err(|e| format!("{e}"))?;
    let manifest_path = match &a.manifest {
        Some(p) => io.cwd.join(p),
        None => root.join(manifest::MANIFEST_FILE_NAME),
    };
    let display = manifest_path.display().to_string();
    let view = manifest::Lookup::open(&manifest_path, &display)
        .map_err(|d| format!("{d}; run `tiergate scan`"))?;
    let Some(dest) = view.header().destination(&a.destination) else {
        return Err(format!(
            "no destination `{}` in the manifest",
            a.destination
        ));
    };
    let accepts = dest.accepts;
    let mut refusals = Vec::new();
    for p in paths {
        let Some(rel) = repo_relative(&root, &cwd, &p) else {
            // Outside the repository: not this manifest's to judge.
            continue;
        };
        let res = view.resolve(&rel).map_err(|d| d.to_string())?;
        // A word that names nothing the manifest lists and nothing on disk is not a path
        // (a grep pattern, an option value).
        if !res.listed && std::fs::symlink_metadata(root.join(&rel)).is_err() {
            continue;
        }
        let reason = res
            .reasons
            .first()
            .map(|r| format!("{} {}", r.code, r.rule))
            .unwrap_or_default();
        refusals.push(Decision {
            allowed: res.tier >= accepts,
            refusal: Refusal {
                path: if rel.is_empty() { ".".into() } else { rel },
                tier: res.tier,
                reason,
            },
        });
    }
    let call = Call {
        tool: Some(event.tool_name.clone()),
        session: event.session_id.clone(),
        model: event.model.clone(),
    };
    Ok((refusals, root, cwd, call))
}
