//! `tiergate merge`: reads each manifest named on the command line (never a
//! repository), reduces it with [`crate::merge::reduce`] while only it is in memory,
//! then renders the inventory once every input has been read. Any input that cannot be
//! read or is not a valid manifest fails the run with every such problem listed, before
//! anything is written. Must not import walk, decide or policy loading: a manifest is
//! all it needs.

use super::{EXIT_OK, Io, Result, today, write_atomic};
use crate::cli::{Cli, MergeArgs, MergeFormat};
use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::ManifestView;
use crate::merge::{self, Build, Judging};
use crate::render::merge as render;

pub fn cmd_merge(cli: &Cli, a: &MergeArgs, io: &mut Io<'_>) -> Result<u8> {
    let build = Build::current();
    let judging = Judging {
        today: today(cli),
        within_days: a.within,
    };
    let inputs: Vec<(String, String)> = a
        .manifests
        .iter()
        .map(|p| {
            let abs = io.cwd.join(p);
            // Canonical, so that `./tiergate.manifest.json` is named after its directory.
            let canonical = abs.canonicalize().unwrap_or(abs);
            (
                merge::repository_name(&canonical),
                p.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let mut named: Vec<_> = merge::unique_names(&inputs)
        .into_iter()
        .zip(&a.manifests)
        .zip(&inputs)
        .map(|((name, path), (_, display))| (name, path.as_path(), display.as_str()))
        .collect();
    named.sort_by(|x, y| x.0.0.cmp(&y.0.0));

    let mut repositories = Vec::with_capacity(named.len());
    let mut problems = Vec::new();
    for (name, path, display) in named {
        let reduced = ManifestView::open(&io.cwd.join(path), display)
            .map_err(|e| {
                Diagnostics(vec![Diagnostic::new(
                    display,
                    0,
                    0,
                    "manifest-unreadable",
                    format!("cannot read the manifest: {e}"),
                )])
            })
            .and_then(|view| view)
            .and_then(|view| merge::reduce(&view, display, name, &build, judging));
        match reduced {
            Ok(r) => repositories.push(r),
            Err(d) => problems.extend(d.0),
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems).into());
    }
    let inventory = merge::inventory(repositories, &build, judging);
    for r in &inventory.repositories {
        if let Some(note) = &r.name_note {
            writeln!(io.err, "tiergate: note: {note}")?;
        }
    }
    let text = match a.format {
        MergeFormat::Json => render::merge_json(&inventory),
        MergeFormat::Md => render::merge_markdown(&inventory),
        MergeFormat::Html => render::merge_html(&inventory),
    };
    match &a.output {
        Some(p) if p.as_os_str() != "-" => {
            write_atomic(&io.cwd.join(p), |w| w.write_all(text.as_bytes()))?
        }
        _ => io.out.write_all(text.as_bytes())?,
    }
    Ok(EXIT_OK)
}
