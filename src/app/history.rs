//! `tiergate history`: credentials in the blobs of a repository's history, judged by
//! the rules of the work tree (or `--config`), reported without their values.

use std::collections::HashMap;

use super::*;
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::history;

pub(super) fn cmd_history(cli: &Cli, a: &HistoryArgs, io: &mut Io<'_>) -> Result<u8> {
    let start = match &a.dir {
        Some(d) => io.cwd.join(d),
        None => io.cwd.clone(),
    };
    let repo = git2::Repository::discover(&start).map_err(|e| {
        anyhow::anyhow!(
            "{}: not in a git repository ({})",
            start.display(),
            e.message()
        )
    })?;
    let git_dir = repo.path().to_path_buf();
    let state = stamp::state_dir(repo.commondir());
    // The rules come from the top of the work tree, as for a scan of the whole
    // repository (the history's paths are relative to it), wherever the command runs;
    // a bare repository has none but `--config`'s (or the defaults).
    let root = repo.workdir().unwrap_or(repo.path()).to_path_buf();
    drop(repo);
    let (config, config_display, policies, (exceptions, accepted), _, detectors) =
        Context::load_rules(
            &root,
            cli.global.config.as_deref(),
            &root,
            &io.cwd,
            today(cli),
        )?;
    let (detectors, rule_files, knowledge) = detectors;
    // Exceptions say where a file's current content may go: they cannot un-leak what
    // the history holds. The rules are compiled without them.
    let rules = Arc::new(decide::Rules::compile(config.clone())?);
    let ctx = Context {
        repo: Repo {
            root: walk::canonical_dir(&root)?,
            git: None,
        },
        config,
        config_display,
        policies,
        rules: rules.clone(),
        detectors,
        exceptions,
        accepted,
        today: today(cli),
        rule_files,
        knowledge,
    };
    if cli.global.verbose {
        io.err.write_all(rules_in_force(&ctx).as_bytes())?;
    }
    let titles: HashMap<String, String> = ctx
        .knowledge
        .knowledge
        .secrets
        .formats
        .iter()
        .map(|d| (d.id.to_string(), d.title.to_string()))
        .collect();
    let judge = history::Judge::new(
        ctx.detectors.credentials(),
        rules,
        ctx.policies.clone(),
        titles,
    );
    let limits = &ctx.config.limits;
    let opts = history::Options {
        since: a.since.clone(),
        threads: cli.global.threads,
        max_content_bytes: limits.max_content_bytes,
        binary_sniff_bytes: limits.binary_sniff_bytes,
        cache: Some(state.join(history::cache::FILE_NAME)),
        reuse_cache: !a.no_cache,
        cache_key: cache_key(&ctx),
    };
    // Read objects as git does, without hashing each one again to check its id: a
    // third of the run otherwise (SHA-1 with collision detection over every tree and
    // blob). What is searched is then exactly what `git show` shows of the object;
    // corrupt compressed data still fails to inflate, and is a read-error finding.
    git2::opts::strict_hash_verification(false);
    let found = history::run(&git_dir, &opts, &judge)?;
    let text = match a.format {
        HistoryFormat::Text => {
            render::history::history_text(&found, io.color && a.output.is_none())
        }
        HistoryFormat::Json => render::history::history_json(&found),
        HistoryFormat::Sarif => render::history::history_sarif(&found),
    };
    match &a.output {
        Some(p) if p.as_os_str() != "-" => {
            write_atomic(&io.cwd.join(p), |w| w.write_all(text.as_bytes()))?
        }
        _ => io.out.write_all(text.as_bytes())?,
    }
    if let Some(e) = &found.stats.cache_error {
        writeln!(
            io.err,
            "note: the results could not be kept for the next run: {e}"
        )?;
    }
    io.err
        .write_all(render::history::history_summary(&found).as_bytes())?;
    if cli.global.verbose {
        let s = &found.stats;
        writeln!(
            io.err,
            "tiergate: history: walk {:.1?}, scan {:.1?}, judge {:.1?}",
            s.walk, s.scan, s.judge
        )?;
    }
    Ok(if found.failed() { EXIT_DENIED } else { EXIT_OK })
}

/// What the cached detector results depend on besides a blob's bytes and path (see
/// [`history::cache::KeyInputs`]).
fn cache_key(ctx: &Context) -> [u8; 32] {
    history::cache::key(&super::pipeline::detector_inputs(ctx))
}
