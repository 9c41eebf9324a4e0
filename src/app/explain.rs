//! `tiergate explain`: every fact and finding for one path, and how its tier was reached.

use super::*;

pub(super) fn cmd_explain(cli: &Cli, a: &ExplainArgs, io: &mut Io<'_>) -> Result<u8> {
    let cwd = io.cwd.canonicalize().unwrap_or_else(|_| io.cwd.clone());
    let root = Repo::default_root(&cwd)?;
    let ctx = Context::load(&root, cli.global.config.as_deref(), &cwd, &cwd, today(cli))?;
    let Some(rel) = repo_relative(&ctx.repo.root, &cwd, &a.path) else {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}: outside the repository {}",
            a.path,
            ctx.repo.root.display()
        )));
    };
    let opts = ctx.walk_options(cli.global.threads, vec![]);
    let Some((facts, content, tail)) = walk::read_one(&ctx.repo, &opts, &rel) else {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}: no such file in {} (explain takes a file, not a directory)",
            a.path,
            ctx.repo.root.display()
        )));
    };
    let is_link = facts.kind == crate::model::FileKind::Symlink;
    let facts = if is_link {
        facts
    } else {
        with_signals(&mut ctx.detectors.scanner(), facts, &content, tail)
    };
    let (record, component, judgement) = if is_link
        || component::has_evidence(&facts)
        || component::is_relevant(&facts)
        || !facts.imports.is_empty()
    {
        // A link's tier depends on what it points to, possibly through other links, a
        // file with evidence judged per component on the rest of its component, and a
        // file that imports on whether it imports a candidate system's code (or such
        // code imports it): classify the whole tree so the answer is the one `scan`
        // gives.
        let plan = CachePlan::of(&ctx, a.no_cache, None);
        let mut outcome = scan(&ctx, &opts, io.progress, plan.as_ref());
        let root = outcome.components.root_of(&rel).to_string();
        let judgement = (!is_link)
            .then(|| {
                outcome
                    .components
                    .judgements(|p| {
                        outcome
                            .records
                            .get(p)
                            .map(|r| annex_flags(&r.decision))
                            .unwrap_or_default()
                    })
                    .into_iter()
                    .find(|j| j.root == root)
            })
            .flatten();
        let record = outcome
            .records
            .remove(&rel)
            .map(|r| *r)
            .ok_or_else(|| anyhow::anyhow!("{rel}: vanished during the scan"))?;
        // The component's evidence is part of the input of the files decided with it.
        let within = outcome.components.within(&rel);
        let component = (!is_link
            && (component::is_relevant(&record.facts) || !within.system.is_empty()))
        .then_some(within);
        (record, component, judgement)
    } else {
        let mut classifier = Classifier::new(ctx.rules.clone(), &ctx.policies);
        let blob = disk_blob(&ctx.repo.root, &facts, &content);
        (classifier.classify(facts, blob), None, None)
    };
    let rule_ids = record
        .decision
        .findings
        .iter()
        .filter(|f| f.code == codes::GLOB_RULE)
        .map(|f| f.rule.clone());
    let input = decide::rego_input(&record.facts, rule_ids, component.as_ref());
    // One lookup, not a parse of the whole manifest. No manifest is no answer; a
    // manifest that cannot be read right (an entry with a tier its header does not
    // define, a repeated path) is an error, never a tier shown as the manifest's.
    let manifest_tier = match manifest::Lookup::open(
        &ctx.repo.root.join(manifest::MANIFEST_FILE_NAME),
        manifest::MANIFEST_FILE_NAME,
    ) {
        Ok(m) => Some(m.get(&rel)?.map(|e| e.tier)),
        Err(d) if d.0.iter().all(|d| d.code == "manifest-unreadable") => None,
        Err(d) => return Err(d.into()),
    };
    let v = view(&ctx.config, &record);
    let denied: Vec<(String, u8)> = ctx
        .config
        .destinations
        .iter()
        .filter(|d| !d.admits(record.decision.tier))
        .map(|d| (d.name.clone(), d.accepts))
        .collect();
    let ex = render::Explanation {
        view: v,
        facts: &record.facts,
        rego_input: &input,
        defaulted: record.decision.defaulted,
        default_tier: ctx.config.default_tier,
        denied,
        manifest_tier,
        signal_sources: record
            .facts
            .signals
            .iter()
            .filter_map(|s| {
                let at = ctx.knowledge.sources.get(&s.id)?;
                Some((s.id.clone(), at.clone()))
            })
            .collect(),
        component: judgement,
    };
    let text = match a.format {
        TextOrJson::Text => render::explain_text(&ex, io.color),
        TextOrJson::Json => render::explain_json(&ex),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// A decision's Annex III flags, as `(point, status)`.
pub(super) fn annex_flags(d: &crate::model::Decision) -> Vec<(String, String)> {
    d.findings
        .iter()
        .flat_map(|f| &f.annex_iii)
        .map(|a| (a.point.clone(), a.status.clone()))
        .collect()
}
