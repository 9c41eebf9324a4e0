//! `tiergate init`: write the starter files [`crate::init`] plans, merging into or
//! keeping what the user has.

use std::path::PathBuf;

use super::{EXIT_OK, Failure, Io, Result, write_atomic};
use crate::cli::InitArgs;
use crate::init::{Action, CONFIG, GITLAB_JOB, Setup, decide, plan};
use crate::walk::Repo;

pub(super) fn cmd_init(args: &InitArgs, io: &mut Io<'_>) -> Result<u8> {
    let root: PathBuf = match &args.dir {
        Some(d) => io.cwd.join(d),
        None => Repo::default_root(&io.cwd)?,
    };
    if !root.is_dir() {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}: not a directory",
            root.display()
        )));
    }
    let setup = Setup {
        published: crate::init::published_licence(&root),
        ..Setup::from_args(args)
    };
    let files = plan(&setup);
    // Every file is decided before any is written: a refusal writes nothing.
    let mut actions = Vec::with_capacity(files.len());
    for (rel, fresh) in &files {
        actions.push((*rel, decide(&root, rel, fresh, &setup, args.force)?));
    }
    for (rel, action) in &actions {
        let text = match action {
            Action::Write(t) | Action::Replace(t) | Action::Merge(t) => t,
            Action::Keep(..) => continue,
        };
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| anyhow::anyhow!("{}: {e}", parent.display()))?;
        }
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
    }
    for (rel, action) in &actions {
        match action {
            Action::Write(_) => writeln!(io.out, "wrote {rel}")?,
            Action::Replace(_) => writeln!(
                io.out,
                "replaced {rel} (tiergate init wrote it and it was unedited)"
            )?,
            Action::Merge(_) => writeln!(
                io.out,
                "added the tiergate hooks to {rel} (everything else in it is kept as it was)"
            )?,
            Action::Keep(why, snippet) => {
                writeln!(io.out, "kept {rel}: {why}")?;
                if let Some(s) = snippet {
                    for l in s.lines() {
                        writeln!(io.out, "    {l}")?;
                    }
                }
            }
        }
    }
    writeln!(
        io.out,
        "\nnext: review {CONFIG}, then `git add -A && tiergate scan --stage && git commit` (the manifest lists what git\n\
         tracks: add the files first); `pre-commit install` turns the hooks on; add `include: [{{local: {GITLAB_JOB}}}]` to .gitlab-ci.yml for GitLab."
    )?;
    Ok(EXIT_OK)
}
