//! `tiergate.accepted.yaml`: findings accepted as false positives, each by the
//! fingerprint of one detector hit (see `detect::accept`). Validated like the config
//! (every problem at once, located).

use crate::config::AcceptedEntry;
use crate::diag::Diagnostic;
use crate::schema::{Ctx, Located, Node};

const KEYS: &[&str] = &["path", "signal", "fingerprint", "reason"];

pub(in crate::config) fn validate(
    root: Option<&Located<Node>>,
    file: &str,
) -> Result<Vec<AcceptedEntry>, Vec<Diagnostic>> {
    let mut cx = Ctx {
        file,
        diags: Vec::new(),
    };
    let out = match cx.versioned_list(root, "accepted", "accepted findings file") {
        Some(list) => parse_list(&mut cx, list),
        None => Vec::new(),
    };
    cx.finish(out)
}

fn parse_list(cx: &mut Ctx<'_>, node: &Located<Node>) -> Vec<AcceptedEntry> {
    let Some(items) = cx.seq(node, "a list of accepted findings") else {
        return Vec::new();
    };
    let mut seen: Vec<(String, String, u64)> = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(fields) = cx.mapping(
            item,
            "an accepted finding with `path`, `signal`, `fingerprint` and `reason`",
            Some(KEYS),
        ) else {
            continue;
        };
        cx.require(item, &fields, KEYS, "this accepted finding");
        let path = fields.get("path").and_then(|f| path(cx, f.value));
        let signal = fields.get("signal").and_then(|f| signal(cx, f.value));
        let fingerprint = fields
            .get("fingerprint")
            .and_then(|f| fingerprint(cx, f.value));
        let reason = cx.required_text(
            &fields,
            "reason",
            "say why the finding is not what it looks like (reviewers read it)",
        );
        let (Some(path), Some(signal), Some(fingerprint), Some(reason)) =
            (path, signal, fingerprint, reason)
        else {
            continue;
        };
        if let Some((_, _, line)) = seen
            .iter()
            .find(|(p, f, _)| *p == path && *f == fingerprint)
        {
            cx.error(
                item.pos(),
                "duplicate-id",
                format!("this finding of {path} is already accepted at line {line}"),
            );
            continue;
        }
        seen.push((path.clone(), fingerprint.clone(), item.line));
        out.push(AcceptedEntry {
            path,
            signal,
            fingerprint,
            reason,
            source: cx.loc(item.pos()),
        });
    }
    out
}

/// A repo-relative path as the manifest spells it: `/`-separated, no `.` or `..`
/// component, not absolute. Not a glob: a fingerprint belongs to one file.
fn path(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<String> {
    let s = cx.string(node, "a repo-relative path")?;
    if !crate::schema::is_repo_relative_path(s) {
        cx.error(
            node.pos(),
            "invalid-value",
            format!(
                "`{s}` is not a repo-relative path; write it as the manifest lists it (`dir/file.ext`)"
            ),
        );
        return None;
    }
    Some(s.to_string())
}

/// A signal id: dot-separated lowercase words (`secret.aws_access_key`).
fn signal(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<String> {
    let s = cx.string(node, "a signal id")?;
    let ok = s.contains('.')
        && s.split('.').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        });
    if !ok {
        cx.error(
            node.pos(),
            "invalid-value",
            format!("`{s}` is not a signal id; signal ids look like `secret.aws_access_key`"),
        );
        return None;
    }
    Some(s.to_string())
}

fn fingerprint(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<String> {
    let s = cx.string(node, "a fingerprint")?;
    let ok = s.len() == crate::config::FINGERPRINT_HEX
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !ok {
        cx.error(
            node.pos(),
            "invalid-value",
            format!(
                "`{s}` is not a fingerprint; give the {} lowercase hex digits `tiergate accept` writes",
                crate::config::FINGERPRINT_HEX
            ),
        );
        return None;
    }
    Some(s.to_string())
}
