//! `tiergate route`: may these paths go to this destination, from the manifest alone.

use super::*;

/// A user-given path as a normalized repo-relative path, or None when it lies outside
/// the root. Relative paths are taken from the current directory.
///
/// ```
/// use std::path::Path;
/// use tiergate::app::repo_relative;
/// let (root, cwd) = (Path::new("/repo"), Path::new("/repo/src"));
/// assert_eq!(repo_relative(root, cwd, "../docs/./a.md").as_deref(), Some("docs/a.md"));
/// assert_eq!(repo_relative(root, cwd, "/etc/passwd"), None);
/// ```
pub fn repo_relative(root: &Path, cwd: &Path, input: &str) -> Option<String> {
    let p = Path::new(input);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in abs.components() {
        use std::path::Component;
        match c {
            Component::RootDir | Component::Prefix(_) => parts.clear(),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    let root_parts: Vec<String> = root
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.len() < root_parts.len() || parts[..root_parts.len()] != root_parts[..] {
        return None;
    }
    use unicode_normalization::UnicodeNormalization;
    Some(parts[root_parts.len()..].join("/").nfc().collect())
}

/// Answer, from a manifest alone, whether each of `inputs` may go to the destination
/// `to`: the library behind `tiergate route`. Inputs are resolved against `base` (the
/// repository the manifest describes) from `cwd`; a path outside it, or one the manifest
/// does not list, takes the unlisted tier (fail closed).
pub fn route(
    view: &manifest::Lookup,
    to: &str,
    base: &Path,
    cwd: &Path,
    inputs: &[String],
) -> std::result::Result<Vec<RouteAnswer>, Failure> {
    let m = view.header();
    let Some(dest) = m.destination(to) else {
        return Err(Failure::Other(anyhow::anyhow!(
            "--to {}: no such destination in the manifest (known: {})",
            to,
            m.destinations
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let answers: Vec<RouteAnswer> = inputs
        .iter()
        .map(|input| {
            let res = match repo_relative(base, cwd, input) {
                Some(rel) => view.resolve(&rel)?,
                None => manifest::Resolution {
                    path: input.clone(),
                    tier: m.unlisted.tier,
                    listed: false,
                    reasons: vec![Reason {
                        code: codes::OUTSIDE_REPOSITORY.into(),
                        rule: codes::OUTSIDE_REPOSITORY.into(),
                        tier: Some(m.unlisted.tier),
                        source: "builtin".into(),
                        message: "the path lies outside the repository".into(),
                    }],
                },
            };
            Ok(RouteAnswer {
                input: input.clone(),
                path: res.path.clone(),
                allowed: res.tier >= dest.accepts,
                tier: res.tier,
                tier_name: m
                    .tier_def(res.tier)
                    .map_or_else(String::new, |t| t.name.clone()),
                destination: dest.name.clone(),
                accepts: dest.accepts,
                listed: res.listed,
                reasons: res.reasons,
            })
        })
        .collect::<std::result::Result<_, Diagnostics>>()?;
    Ok(answers)
}

pub(super) fn cmd_route(cli: &Cli, a: &RouteArgs, io: &mut Io<'_>) -> Result<u8> {
    let cwd = io.cwd.canonicalize().unwrap_or_else(|_| io.cwd.clone());
    let root = Repo::default_root(&cwd)?;
    // Paths are relative to the repository the manifest describes: the manifest's own
    // directory when it is given explicitly.
    let base = match &a.manifest {
        Some(p) => cwd
            .join(p)
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .unwrap_or(root.clone()),
        None => root.clone(),
    };
    // The manifest reconciled with the rules in force, then each path judged as the
    // kernel resolves it and as it is on disk now (the hook's core).
    let judge = judge::Judge::open(judge::Options {
        root: base.clone(),
        cwd: io.cwd.clone(),
        manifest: a.manifest.clone(),
        config: cli.global.config.clone(),
        destination: a.to.clone(),
        today: today(cli),
        home: std::env::var_os("HOME").map(PathBuf::from),
    })
    .map_err(|e| match e {
        judge::OpenError::Refused(m) if m.starts_with("no destination") => {
            Failure::Other(anyhow::anyhow!("--to {}: {m}", a.to))
        }
        e => Failure::Other(anyhow::anyhow!("{e}")),
    })?;
    let items: Vec<judge::Item> = a
        .paths
        .iter()
        .map(|p| judge::Item {
            cwd: Some(io.cwd.clone()),
            path: p.clone(),
            access: judge::Access::Read,
        })
        .collect();
    let m = judge.header();
    let accepts = judge.accepts();
    let verdicts = judge.judge(&items, true);
    // A manifest that cannot answer for a path it lists is bad input, not a denial.
    if let Some(e) = verdicts.iter().find_map(|v| v.error.clone()) {
        return Err(Failure::Other(anyhow::anyhow!("{e}; run `tiergate scan`")));
    }
    let answers: Vec<RouteAnswer> = verdicts
        .into_iter()
        .map(|v| RouteAnswer {
            input: v.input,
            path: v.path,
            allowed: v.allowed,
            tier: v.tier,
            tier_name: m
                .tier_def(v.tier)
                .map_or_else(String::new, |t| t.name.clone()),
            destination: a.to.clone(),
            accepts,
            listed: v.listed,
            reasons: v.reasons,
        })
        .collect();
    if let Some(log) = &a.log {
        let who = audit::identity(&cwd);
        let entries: Vec<crate::audit::Entry> = answers
            .iter()
            .map(|x| crate::audit::Entry {
                model: a.model.clone(),
                ..audit::entry(
                    &who,
                    &a.agent,
                    &x.destination,
                    &base,
                    &x.path,
                    x.tier,
                    x.allowed,
                    x.reasons.first().map_or("", |r| r.rule.as_str()),
                )
            })
            .collect();
        // `--log` alone: $TIERGATE_LOG, else the repository's log.
        let file = log.clone().or_else(|| {
            std::env::var_os("TIERGATE_LOG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        let log = crate::audit::Log::new(audit::log_path(file.as_deref(), &cwd)?);
        log.append(&entries, &crate::audit::now_utc())?;
    }
    let text = match a.format {
        TextOrJson::Text => render::route_text(&answers, io.color),
        TextOrJson::Json => render::route_json(&answers),
    };
    io.out.write_all(text.as_bytes())?;
    Ok(if answers.iter().all(|x| x.allowed) {
        EXIT_OK
    } else {
        EXIT_DENIED
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_relative_paths() {
        let root = Path::new("/r/repo");
        let cwd = Path::new("/r/repo/sub");
        assert_eq!(
            repo_relative(root, cwd, "x.py").as_deref(),
            Some("sub/x.py")
        );
        assert_eq!(repo_relative(root, cwd, "../a/./b").as_deref(), Some("a/b"));
        assert_eq!(repo_relative(root, cwd, "/r/repo/c").as_deref(), Some("c"));
        assert_eq!(repo_relative(root, cwd, "../../other"), None);
        assert_eq!(repo_relative(root, cwd, "/etc/passwd"), None);
        assert_eq!(repo_relative(root, cwd, "..").as_deref(), Some(""));
    }
}
