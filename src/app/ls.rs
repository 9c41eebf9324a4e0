//! `tiergate ls`: one record per file, tracked or not.

use super::*;

pub(super) fn cmd_ls(cli: &Cli, a: &LsArgs, io: &mut Io<'_>) -> Result<u8> {
    let ctx = dir_context(cli, a.dir.as_ref(), io)?;
    if let Some(t) = a.tier
        && ctx.config.tier(t).is_none()
    {
        return Err(Failure::Other(anyhow::anyhow!(
            "--tier {t}: no such tier (known: {})",
            ctx.config
                .tiers
                .iter()
                .map(|t| t.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let skip = vec![
        manifest::MANIFEST_FILE_NAME.to_string(),
        manifest::MANIFEST_YAML_FILE_NAME.to_string(),
    ];
    let opts = ctx.walk_options(cli.global.threads, skip);
    let plan = CachePlan::of(&ctx, a.no_cache, None);
    let outcome = scan(&ctx, &opts, io.progress, plan.as_ref());
    let views: Vec<FileView> = outcome
        .records
        .values()
        .filter(|r| a.tier.is_none_or(|t| r.decision.tier == t))
        .map(|r| view(&ctx.config, r))
        .collect();
    let text = match a.format {
        ListFormat::Table => render::ls_table(&views, io.color, io.width),
        ListFormat::Json => render::ls_json(&views),
        ListFormat::Csv => render::ls_csv(&views),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}
