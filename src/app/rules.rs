//! `tiergate rules test [DIR]`: run the rule files' examples: those of DIR, or the
//! shipped ones and the repository's own (`rule_files.dirs`), against the detectors
//! they give together.

use super::{EXIT_DENIED, EXIT_OK, Io, Result};
use crate::cli::{Cli, RulesTestArgs};
use crate::rules::user::UserRules;
use crate::rules::{self, examples};
use crate::walk::Repo;

pub(super) fn cmd_rules_test(cli: &Cli, a: &RulesTestArgs, io: &mut Io<'_>) -> Result<u8> {
    let catalogue = match &a.dir {
        Some(dir) => rules::parse(&rules::load_dir(&io.cwd.join(dir), dir)?)?,
        None => {
            let root = Repo::default_root(&io.cwd)?;
            let config = super::config_only(cli, &root, &io.cwd)?;
            UserRules::read(&root, &config.rule_files)?.catalogue()?
        }
    };
    let report = examples::run(&catalogue);
    io.out.write_all(render(&report).as_bytes())?;
    Ok(if report.ok() { EXIT_OK } else { EXIT_DENIED })
}

/// Each failure at its file:line, then the totals and the coverage.
pub fn render(report: &examples::Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for f in report.failures() {
        let what = if f.should_match {
            "a `match` example did not give the signal"
        } else {
            "a `no_match` example gave the signal"
        };
        writeln!(
            out,
            "FAIL {}:{}: {}: {what} (scanned as {})",
            f.file, f.line, f.signal, f.path
        )
        .unwrap();
    }
    let total = report.outcomes.len();
    let failed = report.failures().count();
    let percent = if report.signals == 0 {
        100.0
    } else {
        100.0 * report.covered as f64 / report.signals as f64
    };
    writeln!(
        out,
        "{} signals, {} with examples of both sides ({percent:.0}%); {total} examples, {} passed, {failed} failed",
        report.signals,
        report.covered,
        total - failed
    )
    .unwrap();
    out
}
