//! `tiergate report`: classify the repository as `scan` does (same scope, same rules),
//! read the Annex III pack's data from the loaded policies, read the earlier manifest
//! for `--since` (a file, or a git ref's tree), build the document and print or write it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{
    Context, EXIT_OK, Failure, Io, Result, build_manifest, dir_context, scan, scope_of,
    skip_outputs, write_atomic,
};
use crate::cli::{Cli, ReportArgs, ReportFormat};
use crate::manifest::{self, Manifest, ManifestView};
use crate::render::report::{report_html, report_markdown};
use crate::report::{self, ANNEX_PACKAGE, AnnexPack, FileExtra};

pub fn cmd_report(cli: &Cli, a: &ReportArgs, io: &mut Io<'_>) -> Result<u8> {
    let ctx = dir_context(cli, a.dir.as_ref(), io)?;
    let output: Option<PathBuf> = a
        .output
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| io.cwd.join(p));
    // Before the scan: a wrong --since fails at once.
    let since = match &a.since {
        Some(arg) => Some(read_since(&ctx, &io.cwd, arg)?),
        None => None,
    };
    let annex = annex_pack(&ctx)?;
    let opts = ctx.walk_options(cli.global.threads, skip_outputs(&ctx, output.as_deref()));
    let plan = super::CachePlan::of(&ctx, a.no_cache, None);
    let outcome = scan(&ctx, &opts, io.progress, plan.as_ref());
    let scope = scope_of(&ctx, a.include_untracked);
    // What the manifest does not keep, taken before the records go into it.
    let extra: BTreeMap<String, FileExtra> = outcome
        .records
        .iter()
        .map(|(path, r)| {
            let mut signal_lines = BTreeMap::new();
            for s in &r.facts.signals {
                signal_lines.entry(s.id.clone()).or_insert(s.line);
            }
            let x = FileExtra {
                size: r.facts.size,
                signal_lines,
            };
            (path.clone(), x)
        })
        .collect();
    let components = outcome.components.judgements(|p| {
        outcome
            .records
            .get(p)
            .map(|r| super::explain::annex_flags(&r.decision))
            .unwrap_or_default()
    });
    let m = build_manifest(&ctx, outcome.records, scope);
    let doc = report::build(&report::Input {
        manifest: &m,
        extra: &extra,
        exceptions: ctx.exceptions.as_ref(),
        accepted: ctx.accepted.as_ref(),
        annex: annex.as_ref(),
        since: since.as_ref().map(|(label, old)| report::Since {
            label: label.clone(),
            manifest: old,
        }),
        today: ctx.today,
        components: &components,
    });
    let text = match a.format {
        ReportFormat::Md => report_markdown(&doc),
        ReportFormat::Html => report_html(&doc),
    };
    match &output {
        Some(path) => write_atomic(path, |w| w.write_all(text.as_bytes()))?,
        None => io.out.write_all(text.as_bytes())?,
    }
    Ok(EXIT_OK)
}

/// The Annex III pack's dates, points and obligations as the loaded pack evaluates
/// them; None when the pack is disabled.
fn annex_pack(ctx: &Context) -> Result<Option<AnnexPack>> {
    let get = |rule: &str| {
        ctx.policies
            .package_data(ANNEX_PACKAGE, rule)
            .map_err(|e| Failure::Other(anyhow::anyhow!("{e}")))
    };
    let (Some(dates), Some(points)) = (get("dates_in_force")?, get("points")?) else {
        return Ok(None);
    };
    let obligations = get("obligations")?.unwrap_or_default();
    AnnexPack::from_json(dates, points, get("art5_basis")?, obligations)
        .map(Some)
        .map_err(|e| Failure::Other(anyhow::anyhow!("{e}")))
}

/// `--since`: a manifest file when one exists at that path, else a git ref whose tree
/// holds the manifest (at the scan root's place in the work tree). Returns how to name
/// it in the report, and the manifest.
fn read_since(ctx: &Context, cwd: &Path, arg: &str) -> Result<(String, Manifest)> {
    let path = cwd.join(arg);
    if path.is_file() {
        let m = ManifestView::open(&path, arg)
            .map_err(|e| anyhow::anyhow!("--since {arg}: cannot read: {e}"))??
            .to_manifest()?;
        return Ok((arg.to_string(), m));
    }
    let Some(git) = &ctx.repo.git else {
        return Err(Failure::Other(anyhow::anyhow!(
            "--since {arg}: no such manifest file, and {} is not in a git repository to read a ref from",
            ctx.repo.root.display()
        )));
    };
    let repo = git2::Repository::open(git.workdir())
        .map_err(|e| anyhow::anyhow!("{}: {}", git.workdir().display(), e.message()))?;
    let commit = super::check::resolve_commit(&repo, arg).map_err(|e| {
        anyhow::anyhow!("--since {arg}: neither a manifest file nor a git ref ({e:#})")
    })?;
    let tree = commit
        .tree()
        .map_err(|e| anyhow::anyhow!("--since {arg}: {}", e.message()))?;
    let prefix = ctx
        .repo
        .root
        .strip_prefix(git.workdir())
        .unwrap_or(Path::new(""));
    let in_tree = prefix
        .join(manifest::MANIFEST_FILE_NAME)
        .to_string_lossy()
        .into_owned();
    let id = commit.id().to_string();
    let short = &id[..id.len().min(12)];
    let Some((bytes, _)) = super::check::read_tree_blob(&repo, &tree, &in_tree)? else {
        return Err(Failure::Other(anyhow::anyhow!(
            "--since {arg}: commit {short} has no {in_tree}"
        )));
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("--since {arg}: {in_tree} is not UTF-8"))?;
    let display = format!("{arg}:{in_tree}");
    let m = ManifestView::parse(text, &display)?.to_manifest()?;
    Ok((format!("{arg} ({short})"), m))
}
