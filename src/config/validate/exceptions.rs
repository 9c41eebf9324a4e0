//! `tiergate.exceptions.yaml`: reviewed waivers. Validated like the config (every
//! problem at once, located), against the config's tiers.

use super::{Tiers, check_glob};
use crate::config::{Config, Exception};
use crate::diag::Diagnostic;
use crate::model::Date;
use crate::schema::{Ctx, Located, Node};

const KEYS: &[&str] = &[
    "id", "paths", "tier", "reason", "approver", "approved", "expires", "blob",
];
const REQUIRED: &[&str] = &[
    "id", "paths", "tier", "reason", "approver", "approved", "expires",
];

pub(in crate::config) fn validate(
    root: Option<&Located<Node>>,
    file: &str,
    config: &Config,
) -> Result<Vec<Exception>, Vec<Diagnostic>> {
    let mut cx = Ctx {
        file,
        diags: Vec::new(),
    };
    let tiers = Tiers {
        ids: config.tiers.iter().map(|t| t.id).collect(),
        complete: true,
    };
    let out = match cx.versioned_list(root, "exceptions", "exceptions file") {
        Some(list) => parse_list(&mut cx, list, &tiers),
        None => Vec::new(),
    };
    cx.finish(out)
}

fn parse_list(cx: &mut Ctx<'_>, node: &Located<Node>, tiers: &Tiers) -> Vec<Exception> {
    let Some(items) = cx.seq(node, "a list of exceptions") else {
        return Vec::new();
    };
    let mut seen: Vec<(String, u64)> = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(fields) = cx.mapping(
            item,
            "an exception mapping with `id`, `paths`, `tier`, `reason`, `approver`, `approved` and `expires`",
            Some(KEYS),
        ) else {
            continue;
        };
        cx.require(item, &fields, REQUIRED, "this exception");
        let id = fields
            .get("id")
            .and_then(|f| exception_id(cx, f.value, item.line, &mut seen));
        let globs = fields.get("paths").and_then(|f| paths(cx, f.value));
        let tier = fields.get("tier").and_then(|f| cx.tier_ref(f.value, tiers));
        let reason = cx.required_text(
            &fields,
            "reason",
            "say why the exception is granted (legal reviews it)",
        );
        let approver = cx.required_text(
            &fields,
            "approver",
            "name who approved it (legal reviews it)",
        );
        let approved = fields.get("approved").and_then(|f| date(cx, f.value));
        let expires = fields.get("expires").and_then(|f| date(cx, f.value));
        let mut in_order = true;
        if let (Some(a), Some(e), Some(f)) = (approved, expires, fields.get("expires"))
            && e <= a
        {
            cx.error(
                f.value.pos(),
                "invalid-value",
                format!("the exception expires ({e}) on or before it was approved ({a})"),
            );
            in_order = false;
        }
        let blob = match fields.present("blob") {
            None => Some(None),
            Some(f) => blob(cx, f.value).map(Some),
        };
        let (
            Some(id),
            Some(globs),
            Some(tier),
            Some(reason),
            Some(approver),
            Some(approved),
            Some(expires),
            Some(blob),
        ) = (id, globs, tier, reason, approver, approved, expires, blob)
        else {
            continue;
        };
        if !in_order {
            continue;
        }
        out.push(Exception {
            id,
            globs,
            tier,
            reason,
            approver,
            approved,
            expires,
            blob,
            source: cx.loc(item.pos()),
        });
    }
    out
}

/// Ids are written by people in ticket style (`EXC-7`): letters, digits, `-`, `_`, `.`.
fn exception_id(
    cx: &mut Ctx<'_>,
    node: &Located<Node>,
    item_line: u64,
    seen: &mut Vec<(String, u64)>,
) -> Option<String> {
    let s = cx.string(node, "a string exception id")?;
    let ok = s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        cx.error(
            node.pos(),
            "invalid-name",
            format!("`{s}` is not a valid exception id: use up to 64 letters, digits, `-`, `_` and `.`, starting with a letter or digit"),
        );
        return None;
    }
    if let Some((_, line)) = seen.iter().find(|(x, _)| x == s) {
        cx.error(
            node.pos(),
            "duplicate-id",
            format!("exception id `{s}` is already used at line {line}"),
        );
        return None;
    }
    seen.push((s.to_string(), item_line));
    Some(s.to_string())
}

/// Paths or globs (the same semantics as rule globs; a plain path matches itself).
fn paths(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Vec<String>> {
    let items = cx.seq(node, "a list of paths or globs")?;
    if items.is_empty() {
        cx.error(
            node.pos(),
            "invalid-value",
            "the list of paths is empty; name at least one path or glob",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(p) = cx.string(item, "a path or glob string") else {
            ok = false;
            continue;
        };
        match check_glob(p) {
            Ok(()) => out.push(p.to_string()),
            Err(message) => {
                cx.error(item.pos(), "invalid-glob", message);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn date(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<Date> {
    let s = cx.string(node, "a date YYYY-MM-DD")?;
    let d = Date::parse(s);
    if d.is_none() {
        cx.error(
            node.pos(),
            "invalid-value",
            format!("`{s}` is not a date; write YYYY-MM-DD (e.g. 2027-05-01)"),
        );
    }
    d
}

/// A git blob id: 40 hex digits (SHA-1) or 64 (SHA-256 repositories), lowercase.
fn blob(cx: &mut Ctx<'_>, node: &Located<Node>) -> Option<String> {
    let s = cx.string(node, "a git blob id")?;
    let ok = matches!(s.len(), 40 | 64)
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !ok {
        cx.error(
            node.pos(),
            "invalid-value",
            format!(
                "`{s}` is not a git blob id; give the 40 hex digits `git hash-object FILE` prints"
            ),
        );
        return None;
    }
    Some(s.to_string())
}
