//! `tiergate export`: read the manifest, build one agent's exclusion file, verify it,
//! then write it atomically or, with `--check`, compare it with the file on disk.

use std::path::PathBuf;

use super::{EXIT_DENIED, EXIT_OK, Failure, Io, Result, write_atomic};
use crate::cli::ExportArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::{self, ExportError};
use crate::manifest::{self, ManifestView};
use crate::walk::Repo;

pub fn cmd_export(a: &ExportArgs, io: &mut Io<'_>) -> Result<u8> {
    let root = Repo::default_root(&io.cwd)?;
    let manifest_path = match &a.manifest {
        Some(p) => io.cwd.join(p),
        None => root.join(manifest::MANIFEST_FILE_NAME),
    };
    let display = manifest_path.display().to_string();
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            display.clone(),
            0,
            0,
            "manifest-unreadable",
            format!("cannot read the manifest: {e} (run `tiergate scan` first)"),
        )])
    })?;
    let m = ManifestView::parse(text, &display)?.to_manifest()?;
    let target: PathBuf = match &a.output {
        Some(p) => io.cwd.join(p),
        None => root.join(a.agent.file()),
    };
    let existing = match std::fs::read_to_string(&target) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Failure::Other(anyhow::anyhow!("{}: {e}", target.display())));
        }
    };
    let built = match export::ignore_file(&m, a.agent, &a.destination, existing.as_deref()) {
        Ok(b) => b,
        Err(ExportError::Uncovered(paths)) => {
            return Err(Failure::Other(anyhow::anyhow!(
                "{}: the file would let {} protected path{} through, so nothing was written:\n  {}\n(a `!` line of yours re-includes them, or a name cannot be written as a pattern)",
                target.display(),
                paths.len(),
                if paths.len() == 1 { "" } else { "s" },
                paths.join("\n  ")
            )));
        }
        Err(ExportError::Other(message)) => return Err(Failure::Other(anyhow::anyhow!(message))),
    };
    let shown = target.strip_prefix(&root).map_or_else(
        |_| target.display().to_string(),
        |p| p.display().to_string(),
    );
    if a.check {
        let (code, what) = match &existing {
            Some(t) if *t == built.text => (EXIT_OK, "up to date"),
            Some(_) => (EXIT_DENIED, "out of date"),
            None => (EXIT_DENIED, "missing"),
        };
        writeln!(
            io.out,
            "{shown}: {what} (run `tiergate export --agent {}`)",
            a.agent.name()
        )?;
        return Ok(code);
    }
    write_atomic(&target, |w| w.write_all(built.text.as_bytes()))?;
    writeln!(
        io.out,
        "wrote {shown}: {} pattern{} exclude all {} protected path{} from {}; {} shareable path{} excluded as well",
        built.patterns,
        if built.patterns == 1 { "" } else { "s" },
        built.protected,
        if built.protected == 1 { "" } else { "s" },
        a.destination,
        built.over_excluded,
        if built.over_excluded == 1 {
            " is"
        } else {
            "s are"
        },
    )?;
    Ok(EXIT_OK)
}
