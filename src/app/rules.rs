//! `tiergate rules test [DIR]`: run the rule files' examples.

use super::{EXIT_DENIED, EXIT_OK, Io, Result};
use crate::cli::RulesTestArgs;
use crate::rules::{self, examples};

pub(super) fn cmd_rules_test(a: &RulesTestArgs, io: &mut Io<'_>) -> Result<u8> {
    let files = match &a.dir {
        Some(dir) => rules::load_dir(&io.cwd.join(dir), dir)?,
        None => rules::shipped(),
    };
    let catalogue = rules::parse(&files)?;
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
