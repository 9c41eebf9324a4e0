//! `tiergate accept`: add the open detector hits of files to `tiergate.accepted.yaml`,
//! keeping every byte already there (comments, order) and checking that the result
//! reads back as the old entries plus the new ones before it replaces the file.

use std::io::Read;

use super::{Context, EXIT_OK, Failure, Io, Result, repo_relative, today, write_atomic};
use crate::cli::{AcceptArgs, Cli};
use crate::config::{self, ACCEPTED_FILE};
use crate::detect::accept::OpenHit;
use crate::walk::{self, Repo};

/// The head of a new accepted findings file.
const HEADER: &str = "\
# Findings accepted as false positives. Each entry names one detector hit by its
# fingerprint: the signal, the path and the text around the hit (not its line), so it
# survives edits elsewhere in the file and another value in its place is a new finding.
# Reviewed like code: `tiergate check` judges a change with the entries its base has and
# notes a change to this file as a policy change. Add entries with `tiergate accept`.
version: 1
accepted:
";

/// Most bytes of one file read to find its hits.
const MAX_FILE_BYTES: u64 = 256 << 20;

pub fn cmd_accept(cli: &Cli, a: &AcceptArgs, io: &mut Io<'_>) -> Result<u8> {
    let cwd = io.cwd.canonicalize().unwrap_or_else(|_| io.cwd.clone());
    let root = Repo::default_root(&cwd)?;
    let ctx = Context::load(&root, cli.global.config.as_deref(), &cwd, &cwd, today(cli))?;
    let opts = ctx.walk_options(1, vec![]);
    let mut scanner = ctx.detectors.scanner();
    let mut found: Vec<(String, OpenHit)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for given in &a.paths {
        let Some(rel) = repo_relative(&ctx.repo.root, &cwd, given) else {
            problems.push(format!(
                "{given}: outside the repository {}",
                ctx.repo.root.display()
            ));
            continue;
        };
        let Some((facts, mut content, tail)) = walk::read_one(&ctx.repo, &opts, &rel) else {
            problems.push(format!("{given}: no such file (accept takes files)"));
            continue;
        };
        use crate::model::FileKind;
        if !matches!(facts.kind, FileKind::Text | FileKind::Binary) {
            problems.push(format!(
                "{given}: a {} has no content to accept findings in",
                facts.kind.as_str()
            ));
            continue;
        }
        if let Some(mut tail) = tail {
            let mut rest = Vec::new();
            (&mut tail)
                .take(MAX_FILE_BYTES)
                .read_to_end(&mut rest)
                .map_err(|e| anyhow::anyhow!("{given}: {e}"))?;
            content.extend_from_slice(&rest);
        }
        let binary = facts.kind == FileKind::Binary;
        let hits: Vec<OpenHit> = scanner
            .open_hits(&rel, &content, binary)
            .into_iter()
            .filter(|h| a.signals.is_empty() || a.signals.iter().any(|s| names(s, &h.signal)))
            .filter(|h| {
                !ctx.accepted.as_ref().is_some_and(|f| {
                    f.entries
                        .iter()
                        .any(|e| e.path == rel && e.fingerprint == h.fingerprint)
                })
            })
            .collect();
        if hits.is_empty() {
            problems.push(format!(
                "{given}: no detector finding to accept{} (a tier from a rule or a policy, such as a key store's file name, needs an exception: see `tiergate explain {given}`)",
                if a.signals.is_empty() {
                    ""
                } else {
                    " of the signals named"
                }
            ));
            continue;
        }
        found.extend(hits.into_iter().map(|h| (rel.clone(), h)));
    }
    if !problems.is_empty() {
        return Err(Failure::Other(anyhow::anyhow!(
            "nothing was written:\n  {}",
            problems.join("\n  ")
        )));
    }

    let path = ctx.repo.root.join(ACCEPTED_FILE);
    let old = match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display()).into()),
    };
    let entries = entries_text(&found, &a.reason);
    let text = with_entries(old.as_deref(), &entries)?;
    let out = &mut io.out;
    writeln!(
        out,
        "{} {} finding{} to {ACCEPTED_FILE}:",
        if a.dry_run { "would add" } else { "added" },
        found.len(),
        if found.len() == 1 { "" } else { "s" }
    )?;
    for (rel, h) in &found {
        writeln!(out, "  {rel}:{}  {}  {}", h.line, h.signal, h.fingerprint)?;
    }
    if a.dry_run {
        return Ok(EXIT_OK);
    }
    write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
    writeln!(
        out,
        "Commit {ACCEPTED_FILE} first, with a reviewer: the gate judges a change with the accepted findings of its base. Then `tiergate scan` and commit the files."
    )?;
    Ok(EXIT_OK)
}

/// Whether a `--signal` value names `signal`: equal, or `family.*`.
fn names(pattern: &str, signal: &str) -> bool {
    pattern == signal
        || pattern
            .strip_suffix(".*")
            .is_some_and(|f| signal.strip_prefix(f).is_some_and(|r| r.starts_with('.')))
}

/// The YAML of the new entries, items of the `accepted` list at column 2. Strings are
/// written as JSON strings, which YAML reads as double-quoted scalars.
fn entries_text(found: &[(String, OpenHit)], reason: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let mut out = String::new();
    for (rel, h) in found {
        out.push_str(&format!(
            "  # {rel} line {} when accepted\n  - path: {}\n    signal: {}\n    fingerprint: {}\n    reason: {}\n",
            h.line,
            q(rel),
            h.signal,
            h.fingerprint,
            q(reason.trim())
        ));
    }
    out
}

/// The file with `entries` added to its `accepted` list: appended when the list ends
/// the file (the form this command writes), refused otherwise with the entries to add
/// by hand. The result must read back as the old entries followed by the new ones.
fn with_entries(old: Option<&[u8]>, entries: &str) -> Result<String> {
    let Some(old) = old else {
        let text = format!("{HEADER}{entries}");
        config::parse_accepted(text.as_bytes(), ACCEPTED_FILE)?;
        return Ok(text);
    };
    let before = config::parse_accepted(old, ACCEPTED_FILE)?;
    let old_text = String::from_utf8_lossy(old);
    let mut text = old_text.into_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let has_list_key = text.lines().any(|l| l.trim_end() == "accepted:");
    if !has_list_key && !text.lines().any(|l| l.starts_with("accepted:")) {
        text.push_str("accepted:\n");
    }
    text.push_str(entries);
    let refuse = || {
        Failure::Other(anyhow::anyhow!(
            "{ACCEPTED_FILE} does not end with its `accepted:` list in block style, so the entries cannot be appended safely; nothing was written. Add them to the list yourself:\n{entries}"
        ))
    };
    let Ok(after) = config::parse_accepted(text.as_bytes(), ACCEPTED_FILE) else {
        return Err(refuse());
    };
    let n = before.entries.len();
    let keeps_old = after.entries.len() > n
        && after.entries[..n]
            .iter()
            .zip(&before.entries)
            .all(|(a, b)| (&a.path, &a.fingerprint) == (&b.path, &b.fingerprint));
    if !keeps_old || after.entries.len() != n + entries.matches("\n  - path: ").count() {
        return Err(refuse());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(line: u32, fp: char) -> (String, OpenHit) {
        (
            "t/f.py".into(),
            OpenHit {
                signal: "secret.jwt".into(),
                line,
                fingerprint: fp.to_string().repeat(32),
            },
        )
    }

    #[test]
    fn a_new_file_has_the_header_and_the_entries() {
        let text = with_entries(None, &entries_text(&[hit(3, 'a')], "a \"fake\" token")).unwrap();
        let f = config::parse_accepted(text.as_bytes(), ACCEPTED_FILE).unwrap();
        assert_eq!(f.entries.len(), 1);
        assert_eq!(f.entries[0].reason, "a \"fake\" token");
        assert_eq!(f.entries[0].path, "t/f.py");
    }

    #[test]
    fn entries_are_appended_keeping_every_byte() {
        let first = with_entries(None, &entries_text(&[hit(3, 'a')], "one")).unwrap();
        let edited = first.replace("version: 1", "# reviewed by security\nversion: 1");
        let second = with_entries(
            Some(edited.as_bytes()),
            &entries_text(&[hit(9, 'b')], "two"),
        )
        .unwrap();
        assert!(second.starts_with(&edited));
        let f = config::parse_accepted(second.as_bytes(), ACCEPTED_FILE).unwrap();
        assert_eq!(f.entries.len(), 2);
        assert_eq!(f.entries[1].reason, "two");
    }

    #[test]
    fn a_file_not_ending_with_its_list_is_refused() {
        for old in [
            "accepted: []\n".to_string(),
            "accepted:\n  - path: a\n    signal: secret.jwt\n    fingerprint: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n    reason: r\nversion: 1\n".to_string(),
        ] {
            let err = with_entries(Some(old.as_bytes()), &entries_text(&[hit(1, 'b')], "x"));
            match err {
                Err(Failure::Other(e)) => assert!(e.to_string().contains("yourself"), "{e}"),
                other => panic!("{old}: {:?}", other.map(|_| ())),
            }
        }
    }

    #[test]
    fn signal_patterns() {
        assert!(names("secret.jwt", "secret.jwt"));
        assert!(names("secret.*", "secret.jwt"));
        assert!(!names("secret.*", "secrets.jwt"));
        assert!(!names("secret", "secret.jwt"));
    }
}
