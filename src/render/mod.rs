//! Renderers: one function per output format, each returning the full text. The only
//! place that formats for people or machines; colour only when the caller says the
//! output is a terminal that wants it. Must not import walk, decide or app.

pub mod check;
pub mod history;
pub mod merge;
pub mod report;
mod sarif;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::manifest::{Manifest, Reason};
use crate::model::{AnnexFlag, Facts, TierId};
use crate::policy::RegoInput;

/// One classified file as `ls` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub path: String,
    pub tier: TierId,
    pub tier_name: String,
    pub destinations: Vec<String>,
    pub kind: String,
    pub git: String,
    pub reasons: Vec<Reason>,
    pub annex_iii: Vec<AnnexFlag>,
}

/// One exception as `tiergate exceptions` shows it, judged on `today`.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    pub id: String,
    /// `active`, `pending` or `expired`.
    pub status: String,
    pub tier: TierId,
    pub tier_name: String,
    pub paths: Vec<String>,
    pub reason: String,
    pub approver: String,
    pub approved: String,
    pub expires: String,
    /// Days from `today` to `expires` (negative once expired).
    pub days_left: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
    /// `file:line` of the entry.
    pub source: String,
}

/// `exceptions list|expiring` as a table, one exception a line.
pub fn exceptions_table(views: &[ExceptionView], color: bool) -> String {
    let mut s = String::new();
    for v in views {
        let when = match (v.status.as_str(), v.days_left) {
            ("expired", 0) => format!("expired on {} (today)", v.expires),
            ("expired", d) => format!("expired on {} ({} days ago)", v.expires, -d),
            (_, 1) => format!("expires {} (tomorrow)", v.expires),
            (_, d) => format!("expires {} (in {d} days)", v.expires),
        };
        let status = match v.status.as_str() {
            "expired" => paint(color, AnsiColor::Red.on_default().bold(), &v.status),
            _ => v.status.clone(),
        };
        let _ = writeln!(
            s,
            "{:<12} {:<7} tier {} {:<12} {}  approved by {} on {}{}\n{:>13}{}\n{:>13}{}  [{}]",
            v.id,
            status,
            v.tier,
            v.tier_name,
            when,
            v.approver,
            v.approved,
            v.blob.as_deref().map_or(String::new(), |b| format!(
                "; bound to blob {}",
                &b[..b.len().min(12)]
            )),
            "",
            v.paths.join(", "),
            "",
            v.reason,
            v.source,
        );
    }
    s
}

pub fn exceptions_json(views: &[ExceptionView]) -> String {
    to_json_line(views)
}

pub fn exceptions_csv(views: &[ExceptionView]) -> String {
    let mut s = String::from(
        "id,status,tier,tier_name,paths,reason,approver,approved,expires,days_left,blob,source\n",
    );
    for v in views {
        let fields = [
            csv_field(&v.id),
            v.status.clone(),
            v.tier.to_string(),
            csv_field(&v.tier_name),
            csv_field(&v.paths.join(";")),
            csv_field(&v.reason),
            csv_field(&v.approver),
            v.approved.clone(),
            v.expires.clone(),
            v.days_left.to_string(),
            v.blob.clone().unwrap_or_default(),
            csv_field(&v.source),
        ];
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    s
}

/// One answer of `route`.
#[derive(Debug, Clone, Serialize)]
pub struct RouteAnswer {
    /// The path as the user gave it.
    pub input: String,
    /// The repo-relative path it resolved to.
    pub path: String,
    pub allowed: bool,
    pub tier: TierId,
    pub tier_name: String,
    pub destination: String,
    pub accepts: TierId,
    /// False when the manifest does not list the path (it is then tier 1).
    pub listed: bool,
    pub reasons: Vec<Reason>,
}

/// Everything `explain` shows for one file.
pub struct Explanation<'a> {
    pub view: FileView,
    pub facts: &'a Facts,
    pub rego_input: &'a RegoInput,
    pub defaulted: bool,
    pub default_tier: TierId,
    /// Destinations that may not receive the file, with the tier each accepts.
    pub denied: Vec<(String, TierId)>,
    /// None: no readable manifest; Some(None): the manifest does not list the path.
    pub manifest_tier: Option<Option<TierId>>,
    /// Where the repository's own signals among the file's are defined, by id
    /// (`.tiergate/rules/annex3/4a.yaml:12`); shipped signals are not listed.
    pub signal_sources: BTreeMap<String, String>,
    /// The judgement of the file's component, when the file has evidence judged per
    /// component and the component has Annex III evidence.
    pub component: Option<crate::component::Judgement>,
}

/// A component's judgement in lines of text, indented by `indent`.
pub fn judgement_text(j: &crate::component::Judgement, indent: &str) -> String {
    let mut s = String::new();
    let root = if j.root.is_empty() {
        "the repository".to_string()
    } else {
        format!("`{}/`", j.root)
    };
    let _ = writeln!(s, "{indent}component {root}");
    let seen = |l: &crate::component::Located| format!("{} at {}", l.signal, l.at.join(", "));
    if j.ai_system.is_empty() {
        let _ = writeln!(
            s,
            "{indent}  AI system: none found (no model library, model call, hosted model or model file)"
        );
    } else {
        let _ = writeln!(
            s,
            "{indent}  AI system: {}",
            j.ai_system.iter().map(seen).collect::<Vec<_>>().join("; ")
        );
    }
    for p in &j.points {
        let _ = writeln!(s, "{indent}  {}: {}", p.point, p.status.describe());
        if !p.implemented_by.is_empty() {
            let _ = writeln!(
                s,
                "{indent}    implemented by: {}",
                p.implemented_by.join(", ")
            );
        }
        if !p.linked.is_empty() {
            let _ = writeln!(
                s,
                "{indent}    its code by imports: {}",
                p.linked.join("; ")
            );
        }
        let _ = writeln!(
            s,
            "{indent}    evidence: {}",
            p.evidence.iter().map(seen).collect::<Vec<_>>().join("; ")
        );
        if !p.against.is_empty() {
            let _ = writeln!(
                s,
                "{indent}    against: {}",
                p.against.iter().map(seen).collect::<Vec<_>>().join("; ")
            );
        }
    }
    s
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{}{}{}", style.render(), text, style.render_reset())
    } else {
        text.to_string()
    }
}

fn tier_style(tier: TierId) -> Style {
    match tier {
        1 => AnsiColor::Red.on_default().bold(),
        2 => AnsiColor::Yellow.on_default(),
        _ => AnsiColor::Green.on_default(),
    }
}

fn to_json_line<T: Serialize + ?Sized>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("plain data serializes");
    s.push('\n');
    s
}

/// The manifest as YAML (same content as the JSON form).
pub fn manifest_yaml(m: &Manifest) -> anyhow::Result<String> {
    serde_saphyr::to_string(m).map_err(|e| anyhow::anyhow!("cannot render YAML: {e}"))
}

/// What `scan` prints on standard error when it is done.
pub fn scan_summary(
    m: &Manifest,
    classified: u64,
    unlisted: u64,
    evaluations: u64,
    written: Option<String>,
) -> String {
    let mut s = String::new();
    let target = written.unwrap_or_else(|| "standard output".into());
    let _ = writeln!(
        s,
        "tiergate: classified {classified} files; {} listed in {target}",
        m.summary.files
    );
    if unlisted > 0 {
        let _ = writeln!(
            s,
            "tiergate: {unlisted} untracked or ignored files are not listed (they resolve as tier {}; use --include-untracked to list them)",
            m.unlisted.tier
        );
    }
    let tiers: Vec<String> = m
        .summary
        .by_tier
        .iter()
        .map(|t| format!("tier {} {}: {}", t.tier, t.name, t.files))
        .collect();
    let _ = writeln!(s, "tiergate: {}", tiers.join(", "));
    let _ = writeln!(
        s,
        "tiergate: {evaluations} Rego evaluations (one per distinct fact set)"
    );
    if !m.summary.case_collisions.is_empty() {
        let _ = writeln!(
            s,
            "tiergate: warning: {} groups of paths differ only by case",
            m.summary.case_collisions.len()
        );
    }
    s
}

fn first_reason(reasons: &[Reason]) -> String {
    match reasons.first() {
        Some(r) if r.message.is_empty() => r.code.clone(),
        Some(r) => format!("{}: {}", r.code, r.message),
        None => String::new(),
    }
}

/// `text` cut to at most `width` characters, ending with `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `ls --format table`: tier, destinations, path, the deciding reason. With `width`
/// (a terminal's), each reason is cut so its line fits; `explain` and the JSON and CSV
/// formats hold the whole text.
pub fn ls_table(views: &[FileView], color: bool, width: Option<usize>) -> String {
    let dest_w = views
        .iter()
        .map(|v| v.destinations.join(",").len())
        .max()
        .unwrap_or(0)
        .max("DESTINATIONS".len());
    let path_w = views
        .iter()
        .map(|v| v.path.chars().count())
        .max()
        .unwrap_or(0)
        .max("PATH".len())
        .min(60);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<4}  {:<dest_w$}  {:<path_w$}  REASON",
        "TIER", "DESTINATIONS", "PATH"
    );
    for v in views {
        let tier = format!("{:<4}", v.tier);
        let reason = first_reason(&v.reasons);
        let reason = match width {
            Some(w) => {
                let used = 4 + 2 + dest_w + 2 + path_w.max(v.path.chars().count()) + 2;
                // At least a code's worth of the reason, even on a narrow terminal.
                fit(&reason, w.saturating_sub(used).max(16))
            }
            None => reason,
        };
        let _ = writeln!(
            s,
            "{}  {:<dest_w$}  {:<path_w$}  {}",
            paint(color, tier_style(v.tier), &tier),
            v.destinations.join(","),
            v.path,
            reason
        );
    }
    s
}

/// Rows under a header, every column but the last padded to its widest cell (in
/// characters), two spaces apart; control characters in cells are escaped so a cell
/// cannot start a line of its own.
pub fn aligned(header: &[&str], rows: &[Vec<String>]) -> String {
    let clean = |c: &str| -> String {
        c.chars()
            .flat_map(|ch| {
                if ch.is_control() {
                    ch.escape_default().collect::<Vec<_>>()
                } else {
                    vec![ch]
                }
            })
            .collect()
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let cells: Vec<&str> = cells.collect();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                let pad = widths[i].saturating_sub(c.chars().count()) + 2;
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.push('\n');
    };
    line(&mut header.iter().copied());
    for r in &rows {
        line(&mut r.iter().map(String::as_str));
    }
    s
}

/// `ls --format json`: a sorted array of records.
pub fn ls_json(views: &[FileView]) -> String {
    to_json_line(views)
}

/// Quote a CSV field when it needs it (RFC 4180).
pub fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_string()
    }
}

/// `ls --format csv`: one line per file, multi-valued fields joined with `;`.
pub fn ls_csv(views: &[FileView]) -> String {
    let mut s = String::from("path,tier,tier_name,destinations,kind,git,codes,rules\n");
    for v in views {
        let codes: Vec<&str> = v.reasons.iter().map(|r| r.code.as_str()).collect();
        let rules: Vec<&str> = v.reasons.iter().map(|r| r.rule.as_str()).collect();
        let fields = [
            csv_field(&v.path),
            v.tier.to_string(),
            csv_field(&v.tier_name),
            csv_field(&v.destinations.join(";")),
            v.kind.clone(),
            v.git.clone(),
            csv_field(&codes.join(";")),
            csv_field(&rules.join(";")),
        ];
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    s
}

/// `route --format text`: one line per path.
pub fn route_text(answers: &[RouteAnswer], color: bool) -> String {
    let mut s = String::new();
    for a in answers {
        let verdict = if a.allowed {
            paint(color, AnsiColor::Green.on_default(), "allow")
        } else {
            paint(color, AnsiColor::Red.on_default().bold(), "deny ")
        };
        let _ = writeln!(
            s,
            "{verdict}  {}  {} (tier {} {}; {} accepts tier {} and above){}",
            a.destination,
            a.path,
            a.tier,
            a.tier_name,
            a.destination,
            a.accepts,
            if a.allowed {
                String::new()
            } else {
                format!(": {}", first_reason(&a.reasons))
            }
        );
    }
    s
}

pub fn route_json(answers: &[RouteAnswer]) -> String {
    to_json_line(answers)
}

/// `explain --format text`.
pub fn explain_text(ex: &Explanation<'_>, color: bool) -> String {
    let f = ex.facts;
    let v = &ex.view;
    let mut s = String::new();
    let none = "(none)".to_string();
    let _ = writeln!(s, "path: {}", v.path);
    let _ = writeln!(s, "facts:");
    let _ = writeln!(s, "  kind: {}", f.kind.as_str());
    let _ = writeln!(
        s,
        "  size: {} bytes ({})",
        f.size,
        serde_json::to_value(f.size_class)
            .ok()
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "  extension: {}", f.extension.as_ref().unwrap_or(&none));
    let _ = writeln!(s, "  language: {}", f.language.as_ref().unwrap_or(&none));
    let _ = writeln!(s, "  git: {}", f.git.as_str());
    let zones = if f.zones.is_empty() {
        none.clone()
    } else {
        f.zones.join(", ")
    };
    let _ = writeln!(s, "  zones: {zones}");
    let _ = writeln!(
        s,
        "  content scanned: {}",
        if f.content_scanned { "yes" } else { "no" }
    );
    if let Some(t) = &f.link_target {
        let _ = writeln!(s, "  link target: {t}");
    }
    if let Some(e) = &f.error {
        let _ = writeln!(s, "  error: {e}");
    }
    if f.signals.is_empty() {
        let _ = writeln!(s, "  signals: (none)");
    } else {
        let _ = writeln!(s, "  signals:");
        for sig in &f.signals {
            let from = ex
                .signal_sources
                .get(&sig.id)
                .map_or_else(String::new, |at| format!(", defined at {at}"));
            let _ = writeln!(
                s,
                "    {} ({}, {:?}, {}x, first at line {}{from})",
                sig.id, sig.category, sig.confidence, sig.count, sig.line
            );
        }
    }
    let _ = writeln!(
        s,
        "rego input (input_version {}):",
        ex.rego_input.input_version
    );
    let input = serde_json::to_string(ex.rego_input).expect("input serializes");
    let _ = writeln!(s, "  {input}");
    let _ = writeln!(s, "findings (most restrictive first):");
    for r in &v.reasons {
        let tier = match r.tier {
            Some(t) => format!("tier {t}"),
            None => "note".to_string(),
        };
        let _ = writeln!(
            s,
            "  {tier:<7} {}  rule {}  at {}",
            r.code, r.rule, r.source
        );
        if !r.message.is_empty() {
            let _ = writeln!(s, "          {}", r.message);
        }
    }
    let tier_text = format!("tier {} {}", v.tier, v.tier_name);
    let how = if ex.defaulted {
        format!(
            "no finding carries a tier, so the default tier {} applies",
            ex.default_tier
        )
    } else {
        let deciding: Vec<String> = v
            .reasons
            .iter()
            .filter(|r| r.tier == Some(v.tier))
            .map(|r| format!("{} ({})", r.rule, r.source))
            .collect();
        format!("the most restrictive finding wins: {}", deciding.join(", "))
    };
    let _ = writeln!(
        s,
        "decision: {}: {how}",
        paint(color, tier_style(v.tier), &tier_text)
    );
    let _ = writeln!(
        s,
        "may go to: {}",
        if v.destinations.is_empty() {
            none.clone()
        } else {
            v.destinations.join(", ")
        }
    );
    for (d, accepts) in &ex.denied {
        let _ = writeln!(s, "may not go to: {d} (accepts tier {accepts} and above)");
    }
    let m = match ex.manifest_tier {
        None => "no readable manifest at the repository root".to_string(),
        Some(None) => "the manifest does not list this path (it resolves as tier 1)".to_string(),
        Some(Some(t)) if t == v.tier => format!("the manifest agrees (tier {t})"),
        Some(Some(t)) => format!("the manifest says tier {t}: it is stale, rescan"),
    };
    let _ = writeln!(s, "manifest: {m}");
    if let Some(j) = &ex.component {
        s.push_str(&judgement_text(j, ""));
    }
    s
}

/// `explain --format json`.
pub fn explain_json(ex: &Explanation<'_>) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        path: &'a str,
        facts: &'a Facts,
        rego_input: &'a RegoInput,
        findings: &'a [Reason],
        decision: Decision<'a>,
        manifest: Option<Option<TierId>>,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        signal_sources: &'a BTreeMap<String, String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        component: &'a Option<crate::component::Judgement>,
    }
    #[derive(Serialize)]
    struct Decision<'a> {
        tier: TierId,
        tier_name: &'a str,
        defaulted: bool,
        destinations: &'a [String],
    }
    to_json_line(&Out {
        path: &ex.view.path,
        facts: ex.facts,
        rego_input: ex.rego_input,
        findings: &ex.view.reasons,
        decision: Decision {
            tier: ex.view.tier,
            tier_name: &ex.view.tier_name,
            defaulted: ex.defaulted,
            destinations: &ex.view.destinations,
        },
        manifest: ex.manifest_tier,
        signal_sources: &ex.signal_sources,
        component: &ex.component,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_columns_start_at_the_same_place_and_cells_cannot_break_lines() {
        let t = aligned(
            &["A", "B", "C"],
            &[
                vec!["1".into(), "a long cell".into(), "end".into()],
                vec!["22".into(), "x\ny".into(), "last".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3, "{t}");
        assert_eq!(lines[0], "A   B            C");
        assert_eq!(lines[1], "1   a long cell  end");
        assert_eq!(lines[2], "22  x\\ny         last");
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("a/b.txt"), "a/b.txt");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn no_escape_codes_without_colour() {
        let v = FileView {
            path: "a".into(),
            tier: 1,
            tier_name: "restricted".into(),
            destinations: vec!["local".into()],
            kind: "text".into(),
            git: "tracked".into(),
            reasons: vec![],
            annex_iii: vec![],
        };
        assert!(!ls_table(std::slice::from_ref(&v), false, None).contains('\u{1b}'));
        assert!(ls_table(std::slice::from_ref(&v), true, None).contains('\u{1b}'));
        // On a terminal 60 columns wide, the line fits and says it was cut.
        let mut long = v.clone();
        long.reasons = vec![crate::manifest::Reason {
            code: "pii".into(),
            rule: "email".into(),
            tier: Some(1),
            source: "builtin".into(),
            message: String::new(),
        }];
        long.reasons[0].message =
            "a reason long enough to run past the edge of a narrow terminal window".into();
        let whole = ls_table(std::slice::from_ref(&long), false, None);
        assert!(whole.contains("narrow terminal window"), "{whole}");
        let cut = ls_table(std::slice::from_ref(&long), false, Some(60));
        let line = cut.lines().nth(1).unwrap();
        assert_eq!(line.chars().count(), 60, "{cut}");
        assert!(line.ends_with('…'), "{cut}");
    }
}
