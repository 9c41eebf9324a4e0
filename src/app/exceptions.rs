//! `tiergate exceptions list|expiring`: the reviewed exceptions with their status on
//! the day (`--today`). Reads the config only for its tiers; no scan.

use super::{EXIT_DENIED, EXIT_OK, Io, Result, scan_root, today};
use crate::cli::{Cli, ExceptionsCommand, ExceptionsListArgs, ListFormat};
use crate::config;
use crate::render::{self, ExceptionView};

pub fn cmd_exceptions(cli: &Cli, c: &ExceptionsCommand, io: &mut Io<'_>) -> Result<u8> {
    let (args, within) = match c {
        ExceptionsCommand::List(a) => (a, None),
        ExceptionsCommand::Expiring(a) => (&a.list, Some(a.within)),
    };
    let mut views = load(cli, args, io)?;
    if let Some(days) = within {
        views.retain(|v| v.status != "pending" && v.days_left <= i64::from(days));
    }
    let text = match args.format {
        ListFormat::Table => render::exceptions_table(&views, io.color),
        ListFormat::Json => render::exceptions_json(&views),
        ListFormat::Csv => render::exceptions_csv(&views),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(if within.is_some() && !views.is_empty() {
        EXIT_DENIED
    } else {
        EXIT_OK
    })
}

/// The exceptions of the repository, in file order, judged on the day.
fn load(cli: &Cli, a: &ExceptionsListArgs, io: &Io<'_>) -> Result<Vec<ExceptionView>> {
    let root = scan_root(a.dir.as_ref(), &io.cwd)?;
    let cfg = super::config_only(cli, &root, &io.cwd)?;
    let Some(file) = config::load_exceptions(&root, &cfg)? else {
        return Ok(Vec::new());
    };
    let day = today(cli);
    Ok(file
        .exceptions
        .iter()
        .map(|x| {
            let status = x.status(day);
            ExceptionView {
                id: x.id.clone(),
                status: status.as_str().to_string(),
                tier: x.tier,
                tier_name: cfg
                    .tier(x.tier)
                    .map_or_else(String::new, |t| t.name.clone()),
                paths: x.globs.clone(),
                reason: x.reason.clone(),
                approver: x.approver.clone(),
                approved: x.approved.to_string(),
                expires: x.expires.to_string(),
                days_left: day.days_until(x.expires),
                blob: x.blob.clone(),
                source: format!("{}:{}", x.source.file, x.source.line),
            }
        })
        .collect())
}
