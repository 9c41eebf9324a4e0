//! `tiergate policy test` and `tiergate policy check`.

use super::*;

/// The config for a policy command: found from the working directory like `scan`'s.
pub(super) fn policy_config(cli: &Cli, io: &Io<'_>) -> Result<(PathBuf, Config)> {
    let root = Repo::default_root(&io.cwd)?;
    let config = match &cli.global.config {
        Some(p) => {
            let abs = io.cwd.join(p);
            config::load_file(&abs, &display_path(&root, &abs))?
        }
        None => match config::discover(&io.cwd) {
            Some(p) => config::load_file(&p, &display_path(&root, &p))?,
            None => config::defaults(),
        },
    };
    Ok((root, config))
}

pub(super) fn cmd_policy_test(cli: &Cli, a: &PolicyTestArgs, io: &mut Io<'_>) -> Result<u8> {
    let (root, config) = policy_config(cli, io)?;
    let dir = a.dir.as_ref().map(|d| io.cwd.join(d));
    let report = crate::policy::tooling::run_tests(&config, &root, dir.as_deref())?;
    io.out
        .write_all(crate::policy::tooling::render_test_report(&report).as_bytes())?;
    Ok(if report.outcomes.iter().all(|o| o.passed) {
        EXIT_OK
    } else {
        EXIT_DENIED
    })
}

pub(super) fn cmd_policy_check(cli: &Cli, io: &mut Io<'_>) -> Result<u8> {
    let (root, config) = policy_config(cli, io)?;
    let infos = crate::policy::tooling::check(&config, &root)?;
    for p in &infos {
        writeln!(io.out, "ok  {}  {}", p.package, p.source)?;
    }
    writeln!(io.out, "{} policies compiled for the RVM", infos.len())?;
    Ok(EXIT_OK)
}
