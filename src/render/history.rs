//! Renderers of [`History`], what `tiergate history` found: text, JSON and SARIF 2.1.0.
//! Pure functions returning the whole text, deterministic (the findings come sorted,
//! and nothing depends on what the cache held). A finding carries what the credential
//! is, where and since which commit, and what to do; never the value or any part of
//! it. Levels as for the gate: a live credential (or an object that cannot be read) is
//! an `error`, a test key, fixture or low-confidence hit a `note`.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::check::{one_line, uri_path};
use super::{paint, sarif, to_json_line};
use crate::history::{Finding, History, READ_ERROR};

/// Version of the JSON document `history_json` writes; bump on any incompatible
/// change.
const SCHEMA_VERSION: u32 = 1;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(f: &Finding) -> &'static str {
    if f.live { "error" } else { "note" }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Where a finding is: `path:line`, or the path alone.
fn location(f: &Finding) -> String {
    let path = if f.path.is_empty() { "." } else { &f.path };
    match f.line {
        Some(l) => format!("{}:{l}", one_line(path)),
        None => one_line(path),
    }
}

/// Since when, and where else: `introduced by 1a2b3c4d5e6f (2026-01-01), also in 2
/// other commits and 1 other path`.
fn provenance(f: &Finding) -> String {
    let mut s = String::new();
    if let Some(c) = &f.commit {
        let _ = write!(s, "introduced by {}", short(c));
        if let Some(d) = &f.date {
            let _ = write!(s, " ({})", &d[..d.len().min(10)]);
        }
    }
    let mut also = Vec::new();
    let plural =
        |n: u64, one: &str, many: &str| format!("{n} other {}", if n == 1 { one } else { many });
    if f.other_commits > 0 {
        also.push(plural(f.other_commits, "commit", "commits"));
    }
    if f.other_paths > 0 {
        also.push(plural(f.other_paths, "path", "paths"));
    }
    if !also.is_empty() {
        if !s.is_empty() {
            s.push_str(", ");
        }
        let _ = write!(s, "also in {}", also.join(" and "));
    }
    s
}

/// What a finding is, on one line: the title, the tier and policy rule behind it,
/// since when.
fn detail(f: &Finding) -> String {
    let mut s = f.title.clone();
    if f.rule != READ_ERROR {
        if f.count > 1 {
            let _ = write!(s, " ({} times)", f.count);
        }
        match (&f.tier, &f.policy_rule) {
            (Some(t), Some(r)) => {
                let _ = write!(s, ", tier {t} by {r}");
            }
            (Some(t), None) => {
                let _ = write!(s, ", tier {t}");
            }
            _ => s.push_str(", no tier by the policies"),
        }
    }
    let p = provenance(f);
    if !p.is_empty() {
        let _ = write!(s, "; {p}");
    }
    s
}

fn summary(h: &History) -> String {
    let live = h.findings.iter().filter(|f| f.live).count();
    let errors = h.findings.iter().filter(|f| f.rule == READ_ERROR).count();
    let credentials = live - errors;
    let rest = h.findings.len() - live;
    let mut parts = Vec::new();
    if credentials > 0 {
        parts.push(format!(
            "{credentials} live credential{} in the history: rotate {}",
            if credentials == 1 { "" } else { "s" },
            if credentials == 1 { "it" } else { "them" }
        ));
    }
    if errors > 0 {
        parts.push(format!(
            "{errors} object{} that cannot be read",
            if errors == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        parts.push("no live credential in the history".into());
    }
    if rest > 0 {
        parts.push(format!(
            "{rest} finding{} not live (tier 2 or lower)",
            if rest == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ")
}

/// `history --format text`: one line per finding with what to do under it, then the
/// summary.
pub fn history_text(h: &History, color: bool) -> String {
    let mut s = String::new();
    let range = match &h.since {
        Some(base) => format!("commits not in {}", one_line(base)),
        None => "all refs".to_string(),
    };
    let _ = writeln!(
        s,
        "tiergate: history of {} commit{} ({range}), {} blob{}",
        h.commits,
        if h.commits == 1 { "" } else { "s" },
        h.blobs,
        if h.blobs == 1 { "" } else { "s" },
    );
    if h.shallow {
        let _ = writeln!(
            s,
            "note: a shallow clone: the history before its oldest commits was not read, and a finding there names the oldest commit read"
        );
    }
    for f in &h.findings {
        let style = if f.live {
            AnsiColor::Red.on_default().bold()
        } else {
            Style::new().dimmed()
        };
        let _ = writeln!(
            s,
            "{}  {}  {}  {}",
            paint(color, style, &format!("{:<5}", level(f))),
            f.rule,
            location(f),
            one_line(&detail(f))
        );
        let _ = writeln!(s, "       {}", one_line(&f.action));
    }
    let style = if h.failed() {
        AnsiColor::Red.on_default().bold()
    } else {
        AnsiColor::Green.on_default()
    };
    let _ = writeln!(s, "{}", paint(color, style, &summary(h)));
    s
}

/// `history --format json`: the history as it is, with whether it failed.
pub fn history_json(h: &History) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        schema_version: u32,
        failed: bool,
        #[serde(flatten)]
        history: &'a History,
    }
    to_json_line(&Out {
        schema_version: SCHEMA_VERSION,
        failed: h.failed(),
        history: h,
    })
}

/// A finding's identity across runs: its rule, path and blob.
fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.rule.as_str(),
        f.path.as_str(),
        f.blob.as_deref().unwrap_or(""),
        f.commit.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    format!("{:x}", h.finalize())
}

/// The rules of a history's SARIF run: one per rule id found, sorted, each with its
/// title and what to do.
fn sarif_rules(h: &History) -> Vec<(String, sarif::ReportingDescriptor)> {
    let mut ids: Vec<(&str, &str)> = h
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.title.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup_by(|a, b| a.0 == b.0);
    ids.into_iter()
        .map(|(id, title)| {
            let read_error = id == READ_ERROR;
            let (short, help) = if read_error {
                (
                    "An object of the history cannot be read: what it holds was not searched for credentials (fail closed).".to_string(),
                    "Restore the object (`git fsck`, fetch it again) and run `tiergate history` again.".to_string(),
                )
            } else {
                let title = capitalized(title);
                (
                    format!("{title} in the repository's history."),
                    format!(
                        "Rotate it: {}. Then load it at run time instead of committing it.",
                        crate::history::ROTATE
                    ),
                )
            };
            let properties = sarif::PropertyBag::from([
                (
                    "security-severity".to_string(),
                    serde_json::Value::from(if read_error { "7.0" } else { "9.0" }),
                ),
                (
                    "tags".to_string(),
                    serde_json::json!(["security", "secret", "history"]),
                ),
                ("precision".to_string(), serde_json::Value::from("high")),
            ]);
            let descriptor = sarif::ReportingDescriptor {
                default_configuration: sarif::ReportingConfiguration { level: "error" },
                help: sarif::MultiformatMessageString {
                    markdown: Some(format!("**{id}**\n\n{short}\n\n{help}")),
                    text: format!("{short} {help}"),
                },
                help_uri: None,
                id: id.to_string(),
                name: id.to_string(),
                properties,
                short_description: sarif::MultiformatMessageString {
                    markdown: None,
                    text: short,
                },
            };
            (id.to_string(), descriptor)
        })
        .collect()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `history --format sarif`: one result per finding, at its path and line, with the
/// commit and blob as properties.
pub fn history_sarif(h: &History) -> String {
    let rules = sarif_rules(h);
    let results = h
        .findings
        .iter()
        .map(|f| {
            let index = rules
                .iter()
                .position(|(id, _)| *id == f.rule)
                .expect("every finding's rule is listed");
            let mut properties = sarif::PropertyBag::new();
            let mut put = |k: &str, v: serde_json::Value| {
                properties.insert(k.to_string(), v);
            };
            if let Some(c) = &f.commit {
                put("commit", c.as_str().into());
            }
            if let Some(d) = &f.date {
                put("date", d.as_str().into());
            }
            if let Some(b) = &f.blob {
                put("blob", b.as_str().into());
            }
            if let Some(t) = f.tier {
                put("tier", t.into());
            }
            if let Some(r) = &f.policy_rule {
                put("policyRule", r.as_str().into());
            }
            put("live", f.live.into());
            put("count", f.count.into());
            put("otherCommits", f.other_commits.into());
            put("otherPaths", f.other_paths.into());
            let path = if f.path.is_empty() { "." } else { &f.path };
            sarif::Result {
                level: level(f),
                locations: vec![sarif::Location {
                    physical_location: sarif::PhysicalLocation {
                        artifact_location: sarif::ArtifactLocation {
                            uri: uri_path(path),
                            uri_base_id: "SRCROOT".to_string(),
                        },
                        region: sarif::Region {
                            start_line: i64::from(f.line.unwrap_or(1).max(1)),
                        },
                    },
                }],
                message: sarif::Message {
                    text: format!("{}. {}", capitalized(&detail(f)), f.action),
                },
                partial_fingerprints: std::collections::BTreeMap::from([(
                    "tiergate/history/v1".to_string(),
                    fingerprint(f),
                )]),
                properties,
                rule_id: f.rule.clone(),
                rule_index: index,
            }
        })
        .collect();
    let run = sarif::Run {
        invocations: vec![sarif::Invocation {
            execution_successful: true,
            exit_code: i32::from(h.failed()),
            tool_execution_notifications: Vec::new(),
        }],
        results,
        tool: sarif::Tool {
            driver: sarif::ToolComponent {
                name: "tiergate".to_string(),
                rules: rules.into_iter().map(|(_, r)| r).collect(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
        },
    };
    to_json_line(&sarif::Log {
        schema: SARIF_SCHEMA.to_string(),
        runs: vec![run],
        version: "2.1.0".to_string(),
    })
}

/// What `history` prints on standard error when it is done: how much was read, how
/// much came from the cache.
pub fn history_summary(h: &History) -> String {
    let s = &h.stats;
    format!(
        "tiergate: history: {} commits ({} read), {} blobs, {} (blob, path) pairs: {} blobs scanned, {} pairs from the cache\n",
        h.commits, s.commits_read, h.blobs, s.pairs, s.scanned, s.cached
    )
}
