//! `tiergate scan`: classify and write the manifest (or stage it, for the hook).

use super::*;

/// The context of a command taking an optional DIR: the config is searched from DIR
/// when given, else from the working directory.
pub(super) fn dir_context(cli: &Cli, dir: Option<&PathBuf>, io: &Io<'_>) -> Result<Context> {
    let root = scan_root(dir, &io.cwd)?;
    let search_from = if dir.is_some() { &root } else { &io.cwd };
    Context::load(
        &root,
        cli.global.config.as_deref(),
        search_from,
        &io.cwd,
        today(cli),
    )
}

/// The scan root for an optional DIR argument.
pub(super) fn scan_root(dir: Option<&PathBuf>, cwd: &Path) -> Result<PathBuf> {
    Ok(match dir {
        Some(d) => cwd.join(d),
        None => Repo::default_root(cwd)?,
    })
}

pub(super) fn cmd_scan(cli: &Cli, a: &ScanArgs, io: &mut Io<'_>) -> Result<u8> {
    let mut ctx = dir_context(cli, a.dir.as_ref(), io)?;
    if let Some(rev) = &a.rules {
        check::use_rules_at(&mut ctx, &io.cwd, cli.global.config.as_deref(), rev)?;
    }
    if cli.global.verbose {
        io.err.write_all(rules_in_force(&ctx).as_bytes())?;
    }
    let default_name = match a.format {
        ManifestFormat::Json => manifest::MANIFEST_FILE_NAME,
        ManifestFormat::Yaml => manifest::MANIFEST_YAML_FILE_NAME,
    };
    let output: Option<PathBuf> = match &a.output {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(io.cwd.join(p)),
        None => Some(ctx.repo.root.join(default_name)),
    };
    let opts = ctx.walk_options(cli.global.threads, skip_outputs(&ctx, output.as_deref()));
    // The file system's clock before the walk reads anything: route and the hooks trust
    // the manifest for files whose change time is older (see `stamp`).
    let git_dir = ctx
        .repo
        .git
        .as_ref()
        .and_then(|g| stamp::git_dir(g.workdir()));
    let started = match (&output, a.format, &git_dir) {
        (Some(_), ManifestFormat::Json, Some(g)) => stamp::start(g),
        _ => None,
    };
    let plan = CachePlan::of(&ctx, a.no_cache, started).map(std::sync::Arc::new);
    // The zones' tiers need a policy evaluator of their own (a few milliseconds to
    // set up and run, none when the answers the last scan kept hold them): on another
    // core while the walk goes on.
    let zones = {
        let (rules, policies, in_git, plan) = (
            ctx.rules.clone(),
            ctx.policies.clone(),
            ctx.repo.git.is_some(),
            plan.clone(),
        );
        std::thread::Builder::new()
            .name("tiergate-zones".into())
            .spawn(move || {
                if let Some(p) = &plan {
                    p.keep_answers(&policies);
                }
                decide::zone_tiers(&rules, &policies, in_git)
            })
            .ok()
    };
    let Scanned {
        kept: mut files,
        evaluations,
        components: _,
        cache: mut cache_use,
    } = scan_with(
        &ctx,
        &opts,
        io.progress,
        plan.as_deref(),
        listing::Interner::default,
        listing::Interner::keep,
    );
    let scope = scope_of(&ctx, a.include_untracked);
    decide::finish(&ctx.rules, &mut files, |git| scope.lists(git));
    let classified = files.len() as u64;
    let listed = || files.iter().filter(|(_, l)| scope.lists(l.git()));
    let summary = summarize(
        &ctx.config,
        listed().map(|(p, l)| {
            let d = l.decision();
            let collides = d.findings.iter().any(|f| f.code == codes::CASE_COLLISION);
            (p.as_str(), d.tier, collides)
        }),
    );
    // Inline when no thread could be started.
    let zones = match zones {
        Some(h) => h.join().expect("zone tiers do not panic"),
        None => zone_tiers(&ctx),
    };
    if let Some(g) = &git_dir {
        // Route, the hooks and export compare the manifest's zone tiers with these
        // without compiling the policies again.
        let key = judge::zone_key(
            &ctx.config.digest,
            &ctx.policies.source_digests(),
            ctx.repo.git.is_some(),
        );
        let _ = stamp::cache_zone_tiers(g, &key, &zones);
    }
    let mut m = manifest_head(&ctx, scope, summary, zones);
    // The written manifest does not name a commit: committed, it would change with
    // every commit, and a rescan of an unchanged tree would not be a no-op.
    m.provenance.commit = None;
    let rendered = listing::rendered(scope);
    match (&output, a.format) {
        (None, ManifestFormat::Json) => {
            m.write_json_rendered(&mut *io.out, files.as_slice(), rendered)?
        }
        (Some(path), ManifestFormat::Json) => {
            write_atomic(path, |w| {
                m.write_json_rendered(w, files.as_slice(), rendered)
            })?;
            if let (Some(g), Some(started)) = (&git_dir, started)
                && let Err(e) = stamp::record(g, path, started)
            {
                // Only slower answers follow: files then count as changed since the
                // manifest's own change time.
                writeln!(
                    io.err,
                    "note: the scan's start could not be recorded in {}: {e}",
                    stamp::state_dir(g).display()
                )?;
            }
        }
        (_, ManifestFormat::Yaml) => {
            m.files = listed()
                .map(|(p, l)| (p.clone(), file_entry(l.kind(), l.git(), l.decision())))
                .collect();
            let text = render::manifest_yaml(&m)?;
            match &output {
                None => io.out.write_all(text.as_bytes())?,
                Some(path) => write_atomic(path, |w| w.write_all(text.as_bytes()))?,
            }
        }
    }
    if a.stage {
        stage_manifest(&ctx, output.as_deref())?;
    }
    // 100,000 paths and their map take milliseconds to free: on another thread, which
    // the process does not wait for when it ends.
    drop_elsewhere(files);
    let summary = render::scan_summary(
        &m,
        classified,
        classified - m.summary.files,
        evaluations,
        output.as_deref().map(|p| display_path(&ctx.repo.root, p)),
    );
    io.err.write_all(summary.as_bytes())?;
    if cache_use.on {
        writeln!(
            io.err,
            "tiergate: {} files read, {} known from the cache",
            cache_use.read, cache_use.cached
        )?;
    }
    if let Some(e) = cache_use.finish() {
        writeln!(
            io.err,
            "note: the detectors' results could not be kept for the next scan: {e}"
        )?;
    }
    Ok(EXIT_OK)
}

/// `scan --stage`: put the written manifest in git's index, as `git add` would (a
/// manifest unchanged since it was staged leaves the index alone).
/// What `--verbose` says about the rules a command judges with.
pub(super) fn rules_in_force(ctx: &Context) -> String {
    let mut out = format!(
        "rules in force:\n  config      {} {}\n",
        ctx.config_display, ctx.config.digest
    );
    for p in ctx.policies.policies() {
        out.push_str(&format!("  policy      {} {}\n", p.source, p.digest));
    }
    for f in ctx.rule_files.files() {
        out.push_str(&format!("  rule file   {} {}\n", f.path, f.digest));
    }
    match &ctx.exceptions {
        Some(x) => out.push_str(&format!(
            "  exceptions  {} {} ({} entries)\n",
            x.display,
            x.digest,
            x.exceptions.len()
        )),
        None => out.push_str("  exceptions  none\n"),
    }
    match &ctx.accepted {
        Some(x) => out.push_str(&format!(
            "  accepted    {} {} ({} entries)\n",
            x.display,
            x.digest,
            x.entries.len()
        )),
        None => out.push_str("  accepted    none\n"),
    }
    out.push_str(&format!(
        "  markers     tiergate:accept markers {}\n",
        if ctx.config.accept.inline {
            "count"
        } else {
            "do not count (accept.inline: false)"
        }
    ));
    out
}

pub(super) fn stage_manifest(ctx: &Context, output: Option<&Path>) -> Result<()> {
    let path = output.ok_or_else(|| {
        anyhow::anyhow!("--stage needs a manifest file: it cannot stage standard output")
    })?;
    let refuse = |why: String| Failure::Other(anyhow::anyhow!("--stage: {why}"));
    let repo = git2::Repository::open(&ctx.repo.root)
        .map_err(|e| refuse(format!("not a git repository ({})", e.message())))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| refuse("the repository has no work tree".into()))?
        .canonicalize()?;
    let file = path
        .parent()
        .unwrap_or(Path::new("."))
        .canonicalize()?
        .join(path.file_name().unwrap_or_default());
    let rel = file.strip_prefix(&workdir).map_err(|_| {
        refuse(format!(
            "{} is outside the work tree {}",
            path.display(),
            workdir.display()
        ))
    })?;
    let mut index = repo.index().map_err(|e| refuse(e.message().to_string()))?;
    index
        .add_path(rel)
        .and_then(|()| index.write())
        .map_err(|e| refuse(format!("cannot stage {}: {}", rel.display(), e.message())))?;
    Ok(())
}

/// Drop `value` on a thread of its own (inline when no thread can be started).
pub(super) fn drop_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("tiergate-free".into())
        .spawn(move || drop(value));
}

/// Paths a scan leaves out: the manifests, and the file the command writes (when it
/// lies in the repository), so that output never classifies itself.
pub(super) fn skip_outputs(ctx: &Context, output: Option<&Path>) -> Vec<String> {
    let mut skip = vec![
        manifest::MANIFEST_FILE_NAME.to_string(),
        manifest::MANIFEST_YAML_FILE_NAME.to_string(),
    ];
    if let Some(o) = output {
        let parent = o.parent().unwrap_or(Path::new("."));
        if let Ok(p) = parent.canonicalize()
            && let Ok(rel) = p
                .join(o.file_name().unwrap_or_default())
                .strip_prefix(&ctx.repo.root)
        {
            skip.push(rel.to_string_lossy().into_owned());
        }
    }
    skip
}

/// What a manifest lists: what git tracks, unless asked for everything or outside git.
pub(super) fn scope_of(ctx: &Context, include_untracked: bool) -> Scope {
    if include_untracked || ctx.repo.git.is_none() {
        Scope::All
    } else {
        Scope::Tracked
    }
}
