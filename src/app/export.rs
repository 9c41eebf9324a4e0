//! `tiergate export`: read the manifest, build one agent's exclusion file, verify it,
//! then write it atomically or, with `--check`, compare it with the file on disk.

use std::path::{Path, PathBuf};

use super::{EXIT_DENIED, EXIT_OK, Failure, Io, Result, write_atomic};
use crate::cli::{Cli, ExportArgs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::Agent;
use crate::export::{self, ExportError};
use crate::manifest::{self, ManifestView};
use crate::walk::Repo;

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::Other(anyhow::anyhow!("{}: {e}", path.display()))),
    }
}

fn export_error(target: &Path, e: ExportError) -> Failure {
    match e {
        ExportError::Uncovered(paths) => Failure::Other(anyhow::anyhow!(
            "{}: the file would let {} protected path{} through, so nothing was written:\n  {}\n(a line of yours re-includes them, or a name cannot be written as a pattern)",
            target.display(),
            paths.len(),
            if paths.len() == 1 { "" } else { "s" },
            paths.join("\n  ")
        )),
        ExportError::Other(message) => Failure::Other(anyhow::anyhow!(message)),
    }
}

pub fn cmd_export(cli: &Cli, a: &ExportArgs, io: &mut Io<'_>) -> Result<u8> {
    if a.explain {
        io.out
            .write_all(export::coverage::render_text().as_bytes())?;
        return Ok(EXIT_OK);
    }
    let root = Repo::default_root(&io.cwd)?;
    // Which agents, each with its destination: the command line, else tiergate.yaml's
    // `agents:`, else cloud-zdr.
    let cfg = super::config_only(cli, &root, &io.cwd)?;
    let configured = |agent: Agent| {
        cfg.agents
            .iter()
            .find(|(name, _)| name == agent.name())
            .map(|(_, d)| d.clone())
    };
    let jobs: Vec<(Agent, String)> = match a.agent {
        Some(agent) => vec![(
            agent,
            a.destination
                .clone()
                .or_else(|| configured(agent))
                .unwrap_or_else(|| "cloud-zdr".to_string()),
        )],
        None => {
            if cfg.agents.is_empty() && a.check {
                // CI's check of a repository that exports nothing: nothing to be stale.
                writeln!(
                    io.err,
                    "tiergate: tiergate.yaml lists no agents under `agents:`; no exclusion file to check"
                )?;
                return Ok(EXIT_OK);
            }
            if cfg.agents.is_empty() {
                return Err(Failure::Other(anyhow::anyhow!(
                    "--all: tiergate.yaml lists no agents; name them under `agents:` (e.g. `agents: {{cursor: cloud-zdr}}`)"
                )));
            }
            cfg.agents
                .iter()
                .filter_map(|(name, dest)| {
                    Agent::parse(name)
                        .map(|agent| (agent, a.destination.clone().unwrap_or_else(|| dest.clone())))
                })
                .collect()
        }
    };
    let manifest_path = match &a.manifest {
        Some(p) => io.cwd.join(p),
        None => root.join(manifest::MANIFEST_FILE_NAME),
    };
    let display = manifest_path.display().to_string();
    let view = ManifestView::open(&manifest_path, &display).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            display.clone(),
            0,
            0,
            "manifest-unreadable",
            format!("cannot read the manifest: {e} (run `tiergate scan` first)"),
        )])
    })?;
    // Every entry parsed: one whose tier the header does not define is an error.
    let m = view?.to_manifest()?;
    reconcile(cli, io, &root, &m, &display)?;
    let mut code = EXIT_OK;
    for (agent, destination) in &jobs {
        code = code.max(export_one(a, io, &root, &m, *agent, destination)?);
    }
    Ok(code)
}

/// Refuse a manifest whose header is not what the config in force gives (the config,
/// the policies' and the exceptions file's digests): an edited header (a destination
/// accepting more, a rule losing its globs) would otherwise become exclusion files that
/// let protected paths through.
fn reconcile(
    cli: &Cli,
    io: &Io<'_>,
    root: &Path,
    m: &manifest::Manifest,
    display: &str,
) -> Result<()> {
    let rules = super::judge::InForce::load(root, &io.cwd, cli.global.config.as_deref())?;
    // The zones' path tiers too: exports exclude a zone's globs by them.
    let differences = rules
        .differences(m)
        .map_err(|e| Failure::Other(anyhow::anyhow!("{display}: {e}")))?;
    if differences.is_empty() {
        return Ok(());
    }
    Err(Failure::Other(anyhow::anyhow!(
        "{}; nothing was written",
        super::judge::header_refusal(display, &differences)
    )))
}

fn export_one(
    a: &ExportArgs,
    io: &mut Io<'_>,
    root: &Path,
    m: &manifest::Manifest,
    agent: Agent,
    destination: &str,
) -> Result<u8> {
    let target: PathBuf = match &a.output {
        Some(p) => io.cwd.join(p),
        None => root.join(agent.file()),
    };
    let shown = target.strip_prefix(root).map_or_else(
        |_| target.display().to_string(),
        |p| p.display().to_string(),
    );
    let existing = read_optional(&target)?;
    // What to write: the agent's file, and for Claude Code the list of tiergate's
    // entries beside it.
    let (text, extra, summary) = match (agent, agent.ignore()) {
        (_, Some(ignore_agent)) => {
            let built = export::ignore_file(m, ignore_agent, destination, existing.as_deref())
                .map_err(|e| export_error(&target, e))?;
            let summary = format!(
                "{} pattern{} exclude all {} protected path{} from {}; {} shareable path{} excluded as well",
                built.patterns,
                if built.patterns == 1 { "" } else { "s" },
                built.protected,
                if built.protected == 1 { "" } else { "s" },
                destination,
                built.over_excluded,
                if built.over_excluded == 1 {
                    " is"
                } else {
                    "s are"
                },
            );
            (built.text, None, summary)
        }
        (Agent::ClaudeCode, None) => {
            let managed_path = target
                .parent()
                .unwrap_or(Path::new("."))
                .join("tiergate-managed.json");
            let previous = read_optional(&managed_path)?;
            let (built, protected) =
                export::claude_settings(m, destination, existing.as_deref(), previous.as_deref())
                    .map_err(|e| export_error(&target, e))?;
            let summary = format!(
                "{} deny rule{} keep all {} protected path{} from {} (built-in Read/Edit tools; the sandbox's denyRead also covers shell reads when the sandbox is on)",
                built.rules,
                if built.rules == 1 { "" } else { "s" },
                protected,
                if protected == 1 { "" } else { "s" },
                destination,
            );
            (built.settings, Some((managed_path, built.managed)), summary)
        }
        (Agent::AmazonQ, None) => {
            let managed_path = root.join(export::amazonq::MANAGED);
            let previous = read_optional(&managed_path)?;
            let (text, managed, n, protected) =
                export::amazonq_agent(m, destination, existing.as_deref(), previous.as_deref())
                    .map_err(|e| export_error(&target, e))?;
            let summary = format!(
                "{n} denied path{} for fs_read and fs_write keep all {protected} protected path{} from {destination} (start sessions with `q chat --agent tiergate`; execute_bash is not covered)",
                if n == 1 { "" } else { "s" },
                if protected == 1 { "" } else { "s" },
            );
            (text, Some((managed_path, managed)), summary)
        }
        (_, None) => {
            let (text, entries, protected) =
                export::copilot_list(m, destination).map_err(|e| export_error(&target, e))?;
            let summary = format!(
                "{entries} entr{} cover all {protected} protected path{} from {destination} (paste into the repository's Copilot settings; Copilot matches case-insensitively)",
                if entries == 1 { "y" } else { "ies" },
                if protected == 1 { "" } else { "s" },
            );
            (text, None, summary)
        }
    };
    if a.check {
        let (code, what) = match &existing {
            Some(t) if *t == text => (EXIT_OK, "up to date"),
            Some(_) => (EXIT_DENIED, "out of date"),
            None => (EXIT_DENIED, "missing"),
        };
        writeln!(
            io.out,
            "{shown}: {what} (run `tiergate export --agent {}`)",
            agent.name()
        )?;
        return Ok(code);
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| anyhow::anyhow!("{}: {e}", parent.display()))?;
    }
    write_atomic(&target, |w| w.write_all(text.as_bytes()))?;
    if let Some((path, managed)) = extra {
        // After the settings: if this write is lost, the next export leaves the old
        // entries in place (more excluded, never less).
        write_atomic(&path, |w| w.write_all(managed.as_bytes()))?;
    }
    writeln!(io.out, "wrote {shown}: {summary}")?;
    Ok(EXIT_OK)
}
