//! Renderers of the legal review document ([`crate::report::Report`]): GitHub-flavoured
//! Markdown and one self-contained, print-friendly HTML file (inline CSS, an inline SVG
//! chart, no external asset of any kind). Pure functions returning the whole text;
//! deterministic (no clock: the only date is the report's). Must not import walk,
//! decide or app.
//!
//! Every piece of text from the repository or the config (paths, reasons, approvers) is
//! escaped for its format: Markdown code spans and cell text as `tiergate diff` writes
//! them, HTML with the XML escapes of the JUnit writer, so the HTML is also well-formed
//! XML and a path can never open a tag.

use std::fmt::Write as _;

use super::check::{SECTIONS, md_code, md_text, one_line, xml_escape};
use crate::gate::Direction;
use crate::manifest::{Reason, TierDef};
use crate::model::TierId;
use crate::report::{
    Annex, AnnexStatus, Changes, DirGroup, Evidence, ExceptionRow, Report, TierMove,
};

/// `1 restricted`; just the number when the tier has no name.
fn tier_label(tiers: &[TierDef], id: TierId) -> String {
    match tiers.iter().find(|t| t.id == id) {
        Some(t) if !t.name.is_empty() => format!("{id} {}", t.name),
        _ => id.to_string(),
    }
}

fn opt_tier(tiers: &[TierDef], t: Option<TierId>) -> String {
    t.map_or_else(|| "—".to_string(), |t| tier_label(tiers, t))
}

/// A byte count for people: exact under 1 KiB, else one decimal.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

fn files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}

fn dir_name(dir: &str) -> &str {
    if dir.is_empty() { "(top level)" } else { dir }
}

fn point_status(p: &crate::report::AnnexPoint) -> AnnexStatus {
    p.files
        .iter()
        .map(|f| f.status)
        .min()
        .unwrap_or(AnnexStatus::Candidate)
}

fn exception_status(x: &ExceptionRow, today: crate::model::Date) -> String {
    let mut s = x.status.as_str().to_string();
    if x.expires_soon {
        let _ = write!(
            s,
            ", expires within {} days ({})",
            crate::report::EXPIRY_WARNING_DAYS,
            crate::report::relative(today, x.expires)
        );
    }
    s
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Lowered => "lowered",
        Direction::Raised => "raised",
        Direction::Added => "added",
        _ => "removed",
    }
}

fn moves(c: &Changes, d: Direction) -> &[TierMove] {
    match d {
        Direction::Lowered => &c.lowered,
        Direction::Raised => &c.raised,
        Direction::Added => &c.added,
        _ => &c.removed,
    }
}

fn counts_line(c: &Changes) -> String {
    SECTIONS
        .iter()
        .map(|(d, _)| format!("{} {}", moves(c, *d).len(), direction_name(*d)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn commit_text(r: &Report) -> String {
    r.provenance
        .provenance
        .commit
        .clone()
        .unwrap_or_else(|| "none (not a git repository, or no commit yet)".into())
}

fn scope_text(r: &Report) -> &'static str {
    match r.provenance.provenance.scope {
        crate::manifest::Scope::Tracked => "tracked files",
        crate::manifest::Scope::All => "all files on disk",
    }
}

const ANNEX_NOTE: &str = "Annex III status attaches to an AI system's intended purpose, not to a file: each point below is a candidate for legal review, with the signals that raised it. Evidence names signals and where they were first seen, never the matched text.";

// ---------------------------------------------------------------- Markdown

/// `report --format md`: the document as GitHub-flavoured Markdown.
pub fn report_markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# tiergate report\n");
    let _ = writeln!(
        s,
        "Report date: {} · commit: {} · scope: {}\n",
        r.today,
        md_code(&commit_text(r)),
        scope_text(r)
    );
    md_summary(&mut s, r);
    md_tier1(&mut s, r);
    md_annex(&mut s, r);
    md_exceptions(&mut s, r);
    md_provenance(&mut s, r);
    if let Some(c) = &r.changes {
        md_changes(&mut s, r, c);
    }
    s
}

fn md_summary(s: &mut String, r: &Report) {
    let sm = &r.summary;
    let _ = writeln!(
        s,
        "## 1. Summary\n\n{} ({}).\n",
        files(sm.files as usize),
        bytes(sm.bytes)
    );
    s.push_str("| Tier | Label | Files | Bytes |\n|---|---|---:|---:|\n");
    for c in &sm.tiers {
        let label = r
            .tiers
            .iter()
            .find(|t| t.id == c.tier)
            .map_or("", |t| &t.label);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            md_text(&tier_label(&r.tiers, c.tier)),
            md_text(label),
            c.files,
            bytes(c.bytes)
        );
    }
    s.push_str("\nWhat may reach each destination (a file may go where `tier >= accepts`):\n\n");
    s.push_str("| Destination | Kind | Accepts | Files | Bytes |\n|---|---|---|---:|---:|\n");
    for d in &sm.destinations {
        let _ = writeln!(
            s,
            "| {} | {} | tier {} and above | {} | {} |",
            md_code(&d.name),
            md_text(&d.kind),
            d.accepts,
            d.files,
            bytes(d.bytes)
        );
    }
    s.push('\n');
}

fn md_reason_cells(x: &Reason) -> String {
    format!(
        "{} | {} | {} | {}",
        md_code(&x.code),
        md_code(&x.rule),
        md_code(&x.source),
        md_text(&x.message)
    )
}

fn md_tier1(s: &mut String, r: &Report) {
    let n: usize = r.tier1.iter().map(|g| g.files.len()).sum();
    let _ = writeln!(s, "## 2. Tier-1 inventory\n");
    if n == 0 {
        s.push_str("No file is tier 1.\n\n");
        return;
    }
    let _ = writeln!(
        s,
        "{} in {} {}, each with every reason found (the first decides).\n",
        files(n),
        r.tier1.len(),
        if r.tier1.len() == 1 {
            "directory"
        } else {
            "directories"
        }
    );
    for g in &r.tier1 {
        let _ = writeln!(
            s,
            "### {} ({})\n",
            md_text(dir_name(&g.dir)),
            files(g.files.len())
        );
        s.push_str("| File | Size | Code | Rule | Source | Reason |\n|---|---:|---|---|---|---|\n");
        for f in &g.files {
            for (i, x) in f.reasons.iter().enumerate() {
                let (path, size) = if i == 0 {
                    (md_code(&f.path), bytes(f.bytes))
                } else {
                    (String::new(), String::new())
                };
                let _ = writeln!(s, "| {path} | {size} | {} |", md_reason_cells(x));
            }
        }
        s.push('\n');
    }
}

fn md_evidence(e: &[Evidence]) -> String {
    e.iter()
        .map(|e| match &e.location {
            Some(l) => format!("{} at {}", md_code(&e.signal), md_code(l)),
            None => md_code(&e.signal),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn md_annex(s: &mut String, r: &Report) {
    s.push_str("## 3. EU AI Act Annex III candidates\n\n");
    let Annex::Reviewed { dates, points } = &r.annex else {
        s.push_str("Not reviewed: the `eu_ai_act_annex_iii` policy pack is disabled (`policies.disable`).\n\n");
        return;
    };
    let _ = writeln!(s, "{ANNEX_NOTE}\n");
    let _ = writeln!(
        s,
        "Dates in force, as the pack carries them (relative to {}):\n",
        r.today
    );
    s.push_str("| What | Date | When | Basis |\n|---|---|---|---|\n");
    for d in dates {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            md_text(&d.what),
            d.date,
            md_text(&d.relative),
            md_text(&d.note)
        );
    }
    s.push('\n');
    if points.is_empty() {
        s.push_str("No Annex III candidate was found.\n\n");
        return;
    }
    for p in points {
        let title = if p.title.is_empty() {
            String::new()
        } else {
            format!(" {}", md_text(&p.title))
        };
        let _ = writeln!(
            s,
            "### {}{title}: {}\n",
            md_text(&p.point),
            point_status(p).text()
        );
        s.push_str("Obligations:\n\n");
        for o in &p.obligations {
            let _ = writeln!(s, "- {}", md_text(o));
        }
        s.push_str("\n| File | Status | Evidence |\n|---|---|---|\n");
        for f in &p.files {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                md_code(&f.path),
                f.status.text(),
                md_evidence(&f.evidence)
            );
        }
        s.push('\n');
    }
}

fn md_list(items: &[String]) -> String {
    if items.is_empty() {
        return "—".into();
    }
    items
        .iter()
        .map(|p| md_code(p))
        .collect::<Vec<_>>()
        .join(", ")
}

fn md_exceptions(s: &mut String, r: &Report) {
    s.push_str("## 4. Exceptions\n\n");
    let Some(x) = &r.exceptions else {
        s.push_str("No exceptions file.\n\n");
        return;
    };
    let _ = writeln!(
        s,
        "{} ({}), judged on {}.\n",
        md_code(&x.source),
        md_code(&x.digest),
        r.today
    );
    if x.items.is_empty() {
        s.push_str("The file lists no exception.\n\n");
        return;
    }
    s.push_str("| Id | Status | Paths | Tier | Approver | Approved | Expires | Blob | Source | Reason |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for e in &x.items {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md_code(&e.id),
            md_text(&exception_status(e, r.today)),
            md_list(&e.paths),
            md_text(&tier_label(&r.tiers, e.tier)),
            md_text(&e.approver),
            e.approved,
            e.expires,
            e.blob.as_deref().map_or_else(|| "—".into(), md_code),
            md_code(&e.source),
            md_text(&e.reason)
        );
    }
    s.push_str("\nWhat each exception decides today:\n\n| Id | Decides the tier of | Bound blob no longer matches |\n|---|---|---|\n");
    for e in &x.items {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            md_code(&e.id),
            md_list(&e.decides),
            md_list(&e.mismatched)
        );
    }
    s.push('\n');
}

fn md_provenance(s: &mut String, r: &Report) {
    let p = &r.provenance.provenance;
    s.push_str("## 5. Provenance\n\n| Item | Source | Digest |\n|---|---|---|\n");
    let _ = writeln!(
        s,
        "| tool | {} | — |",
        md_text(&format!("{} {}", r.provenance.tool, r.provenance.version))
    );
    let _ = writeln!(
        s,
        "| config | {} | {} |",
        md_code(&p.config.source),
        md_code(&p.config.digest)
    );
    for x in &p.policies {
        let _ = writeln!(
            s,
            "| policy {} | {} | {} |",
            md_code(&x.package),
            md_code(&x.source),
            md_code(&x.digest)
        );
    }
    match &p.exceptions {
        Some(x) => {
            let _ = writeln!(
                s,
                "| exceptions | {} | {} |",
                md_code(&x.source),
                md_code(&x.digest)
            );
        }
        None => s.push_str("| exceptions | none | — |\n"),
    }
    let _ = writeln!(
        s,
        "\nCommit {}; scope: {}; report date {}.\n",
        md_code(&commit_text(r)),
        scope_text(r),
        r.today
    );
}

fn md_changes(s: &mut String, r: &Report, c: &Changes) {
    let _ = writeln!(s, "## 6. Changes since {}\n", md_code(&c.against));
    if c.is_empty() {
        s.push_str("Nothing changed.\n");
        return;
    }
    let _ = writeln!(s, "Tiers: {}.\n", counts_line(c));
    for (d, title) in SECTIONS {
        let rows = moves(c, d);
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "### {title}\n");
        s.push_str("| Path | Before | After |\n|---|---|---|\n");
        for m in rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                md_code(&m.path),
                md_text(&opt_tier(&r.tiers, m.old)),
                md_text(&opt_tier(&r.tiers, m.new))
            );
        }
        s.push('\n');
    }
    for (title, list) in [
        ("Annex III flags that appeared", &c.annex_appeared),
        ("Annex III flags that disappeared", &c.annex_disappeared),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "### {title}\n\n| Path | Point | Status |\n|---|---|---|");
        for a in list {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                md_code(&a.path),
                md_text(&a.point),
                md_text(&a.status)
            );
        }
        s.push('\n');
    }
    for (title, list) in [
        ("Exceptions added", &c.exceptions_added),
        ("Exceptions removed", &c.exceptions_removed),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "{title}: {}.\n", md_list(list));
        }
    }
}

// ---------------------------------------------------------------- HTML

/// Text content.
fn h(s: &str) -> String {
    xml_escape(&one_line(s), false)
}

/// An attribute value (quoted by the caller).
fn attr(s: &str) -> String {
    xml_escape(&one_line(s), true)
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", h(s))
}

fn codes(items: &[String]) -> String {
    if items.is_empty() {
        return "—".into();
    }
    items.iter().map(|p| code(p)).collect::<Vec<_>>().join(", ")
}

/// Fill colours of the chart's bars, most sensitive first; light enough to print.
const BAR_FILLS: [&str; 4] = ["#c0392b", "#e67e22", "#2e86c1", "#27ae60"];

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1b1b1b;background:#fff;margin:2rem auto;max-width:75rem;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}
h2{border-bottom:2px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
td.num,th.num{text-align:right}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
details{border:1px solid #ddd;border-radius:4px;padding:.3rem .8rem;margin:.5rem 0}
summary{font-weight:600;cursor:pointer}
.meta{color:#555}
.status-expired,.status-prohibited{color:#a01010;font-weight:600}
.status-pending{color:#7a5a00}
.soon{color:#a05a00;font-weight:600}
nav ol{columns:2}
svg{max-width:100%;height:auto;print-color-adjust:exact;-webkit-print-color-adjust:exact}
svg text{font-size:13px;fill:#1b1b1b}
@media print{body{margin:0;max-width:none;font-size:10pt}nav{display:none}h2{break-after:avoid}tr,details,svg{break-inside:avoid}details{border:none;padding:0}summary{list-style:none}a{color:inherit;text-decoration:none}}
";

/// `report --format html`: one self-contained page, well-formed XML.
pub fn report_html(r: &Report) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(s, "<title>tiergate report {}</title>", r.today);
    let _ = writeln!(s, "<style>\n{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(s, "<h1>tiergate report</h1>");
    let _ = writeln!(
        s,
        "<p class=\"meta\">Report date: {} · commit: {} · scope: {}</p>",
        r.today,
        code(&commit_text(r)),
        scope_text(r)
    );
    s.push_str("<nav><ol><li><a href=\"#summary\">Summary</a></li><li><a href=\"#tier-1\">Tier-1 inventory</a></li><li><a href=\"#annex-iii\">EU AI Act Annex III candidates</a></li><li><a href=\"#exceptions\">Exceptions</a></li><li><a href=\"#provenance\">Provenance</a></li>");
    if r.changes.is_some() {
        s.push_str("<li><a href=\"#changes\">Changes</a></li>");
    }
    s.push_str("</ol></nav>\n");
    html_summary(&mut s, r);
    html_tier1(&mut s, r);
    html_annex(&mut s, r);
    html_exceptions(&mut s, r);
    html_provenance(&mut s, r);
    if let Some(c) = &r.changes {
        html_changes(&mut s, r, c);
    }
    s.push_str("</body>\n</html>\n");
    s
}

/// Files per tier as horizontal bars with text labels, scaled to the largest tier.
fn chart(r: &Report) -> String {
    const ROW: u64 = 30;
    const LABEL: u64 = 210;
    const BAR: u64 = 420;
    let tiers = &r.summary.tiers;
    let max = tiers.iter().map(|c| c.files).max().unwrap_or(0).max(1);
    let height = ROW * tiers.len() as u64 + 10;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\" role=\"img\" aria-labelledby=\"chart-title\">\n<title id=\"chart-title\">Files per tier</title>\n"
    );
    for (i, c) in tiers.iter().enumerate() {
        let y = 5 + ROW * i as u64;
        let w = BAR * c.files / max;
        let fill = BAR_FILLS[i.min(BAR_FILLS.len() - 1)];
        let _ = writeln!(
            s,
            "<g class=\"tier\"><text x=\"0\" y=\"{}\">{}</text><rect class=\"bar\" data-tier=\"{}\" x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"{fill}\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            y + 15,
            h(&tier_label(&r.tiers, c.tier)),
            c.tier,
            LABEL + w + 8,
            y + 15,
            h(&format!("{} · {}", files(c.files as usize), bytes(c.bytes)))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn html_summary(s: &mut String, r: &Report) {
    let sm = &r.summary;
    let _ = writeln!(
        s,
        "<section id=\"summary\">\n<h2>1. Summary</h2>\n<p>{} ({}).</p>",
        files(sm.files as usize),
        bytes(sm.bytes)
    );
    s.push_str(&chart(r));
    s.push_str("<table>\n<thead><tr><th>Tier</th><th>Label</th><th class=\"num\">Files</th><th class=\"num\">Bytes</th></tr></thead>\n<tbody>\n");
    for c in &sm.tiers {
        let label = r
            .tiers
            .iter()
            .find(|t| t.id == c.tier)
            .map_or("", |t| &t.label);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            h(&tier_label(&r.tiers, c.tier)),
            h(label),
            c.files,
            bytes(c.bytes)
        );
    }
    s.push_str("</tbody>\n</table>\n<p>What may reach each destination (a file may go where <code>tier &gt;= accepts</code>):</p>\n");
    s.push_str("<table>\n<thead><tr><th>Destination</th><th>Kind</th><th>Accepts</th><th class=\"num\">Files</th><th class=\"num\">Bytes</th></tr></thead>\n<tbody>\n");
    for d in &sm.destinations {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>tier {} and above</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            code(&d.name),
            h(&d.kind),
            d.accepts,
            d.files,
            bytes(d.bytes)
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn html_dir(s: &mut String, g: &DirGroup) {
    let _ = writeln!(
        s,
        "<details open=\"open\" data-dir=\"{}\">\n<summary>{} ({})</summary>",
        attr(&g.dir),
        if g.dir.is_empty() {
            h(dir_name(&g.dir))
        } else {
            code(&g.dir)
        },
        files(g.files.len())
    );
    s.push_str("<table>\n<thead><tr><th>File</th><th class=\"num\">Size</th><th>Code</th><th>Rule</th><th>Source</th><th>Reason</th></tr></thead>\n<tbody>\n");
    for f in &g.files {
        let span = f.reasons.len().max(1);
        for (i, x) in f.reasons.iter().enumerate() {
            s.push_str("<tr>");
            if i == 0 {
                let _ = write!(
                    s,
                    "<td rowspan=\"{span}\">{}</td><td class=\"num\" rowspan=\"{span}\">{}</td>",
                    code(&f.path),
                    bytes(f.bytes)
                );
            }
            let _ = writeln!(
                s,
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                code(&x.code),
                code(&x.rule),
                code(&x.source),
                h(&x.message)
            );
        }
    }
    s.push_str("</tbody>\n</table>\n</details>\n");
}

fn html_tier1(s: &mut String, r: &Report) {
    s.push_str("<section id=\"tier-1\">\n<h2>2. Tier-1 inventory</h2>\n");
    let n: usize = r.tier1.iter().map(|g| g.files.len()).sum();
    if n == 0 {
        s.push_str("<p>No file is tier 1.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        s,
        "<p>{} in {} {}, each with every reason found (the first decides).</p>",
        files(n),
        r.tier1.len(),
        if r.tier1.len() == 1 {
            "directory"
        } else {
            "directories"
        }
    );
    for g in &r.tier1 {
        html_dir(s, g);
    }
    s.push_str("</section>\n");
}

fn html_annex(s: &mut String, r: &Report) {
    s.push_str("<section id=\"annex-iii\">\n<h2>3. EU AI Act Annex III candidates</h2>\n");
    let Annex::Reviewed { dates, points } = &r.annex else {
        s.push_str("<p>Not reviewed: the <code>eu_ai_act_annex_iii</code> policy pack is disabled (<code>policies.disable</code>).</p>\n</section>\n");
        return;
    };
    let _ = writeln!(s, "<p>{}</p>", h(ANNEX_NOTE));
    let _ = writeln!(
        s,
        "<p>Dates in force, as the pack carries them (relative to {}):</p>",
        r.today
    );
    s.push_str("<table>\n<thead><tr><th>What</th><th>Date</th><th>When</th><th>Basis</th></tr></thead>\n<tbody>\n");
    for d in dates {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&d.what),
            d.date,
            h(&d.relative),
            h(&d.note)
        );
    }
    s.push_str("</tbody>\n</table>\n");
    if points.is_empty() {
        s.push_str("<p>No Annex III candidate was found.</p>\n");
    }
    for p in points {
        let status = point_status(p);
        let class = if status == AnnexStatus::PossibleProhibited {
            " class=\"status-prohibited\""
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<h3>{} {}: <span{class}>{}</span></h3>\n<p>Obligations:</p>\n<ul>",
            h(&p.point),
            h(&p.title),
            status.text()
        );
        for o in &p.obligations {
            let _ = writeln!(s, "<li>{}</li>", h(o));
        }
        s.push_str("</ul>\n<table>\n<thead><tr><th>File</th><th>Status</th><th>Evidence</th></tr></thead>\n<tbody>\n");
        for f in &p.files {
            let evidence = f
                .evidence
                .iter()
                .map(|e| match &e.location {
                    Some(l) => format!("<li>{} at {}</li>", code(&e.signal), code(l)),
                    None => format!("<li>{}</li>", code(&e.signal)),
                })
                .collect::<String>();
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td><ul>{evidence}</ul></td></tr>",
                code(&f.path),
                f.status.text()
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    s.push_str("</section>\n");
}

fn html_exceptions(s: &mut String, r: &Report) {
    s.push_str("<section id=\"exceptions\">\n<h2>4. Exceptions</h2>\n");
    let Some(x) = &r.exceptions else {
        s.push_str("<p>No exceptions file.</p>\n</section>\n");
        return;
    };
    let _ = writeln!(
        s,
        "<p>{} ({}), judged on {}.</p>",
        code(&x.source),
        code(&x.digest),
        r.today
    );
    if x.items.is_empty() {
        s.push_str("<p>The file lists no exception.</p>\n</section>\n");
        return;
    }
    s.push_str("<table>\n<thead><tr><th>Id</th><th>Status</th><th>Paths</th><th>Tier</th><th>Approver</th><th>Approved</th><th>Expires</th><th>Blob</th><th>Source</th><th>Reason</th><th>Decides the tier of</th><th>Bound blob no longer matches</th></tr></thead>\n<tbody>\n");
    for e in &x.items {
        let class = match (e.status, e.expires_soon) {
            (_, true) => "soon",
            (crate::config::ExceptionStatus::Expired, _) => "status-expired",
            (crate::config::ExceptionStatus::Pending, _) => "status-pending",
            _ => "status-active",
        };
        let _ = writeln!(
            s,
            "<tr data-id=\"{}\"><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            attr(&e.id),
            code(&e.id),
            h(&exception_status(e, r.today)),
            codes(&e.paths),
            h(&tier_label(&r.tiers, e.tier)),
            h(&e.approver),
            e.approved,
            e.expires,
            e.blob.as_deref().map_or_else(|| "—".into(), code),
            code(&e.source),
            h(&e.reason),
            codes(&e.decides),
            codes(&e.mismatched)
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

fn html_provenance(s: &mut String, r: &Report) {
    let p = &r.provenance.provenance;
    s.push_str("<section id=\"provenance\">\n<h2>5. Provenance</h2>\n<table>\n<thead><tr><th>Item</th><th>Source</th><th>Digest</th></tr></thead>\n<tbody>\n");
    let _ = writeln!(
        s,
        "<tr><td>tool</td><td>{}</td><td>—</td></tr>",
        h(&format!("{} {}", r.provenance.tool, r.provenance.version))
    );
    let _ = writeln!(
        s,
        "<tr><td>config</td><td>{}</td><td>{}</td></tr>",
        code(&p.config.source),
        code(&p.config.digest)
    );
    for x in &p.policies {
        let _ = writeln!(
            s,
            "<tr><td>policy {}</td><td>{}</td><td>{}</td></tr>",
            code(&x.package),
            code(&x.source),
            code(&x.digest)
        );
    }
    match &p.exceptions {
        Some(x) => {
            let _ = writeln!(
                s,
                "<tr><td>exceptions</td><td>{}</td><td>{}</td></tr>",
                code(&x.source),
                code(&x.digest)
            );
        }
        None => s.push_str("<tr><td>exceptions</td><td>none</td><td>—</td></tr>\n"),
    }
    let _ = writeln!(
        s,
        "</tbody>\n</table>\n<p>Commit {}; scope: {}; report date {}.</p>\n</section>",
        code(&commit_text(r)),
        scope_text(r),
        r.today
    );
}

fn html_changes(s: &mut String, r: &Report, c: &Changes) {
    let _ = writeln!(
        s,
        "<section id=\"changes\">\n<h2>6. Changes since {}</h2>",
        code(&c.against)
    );
    if c.is_empty() {
        s.push_str("<p>Nothing changed.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(s, "<p>Tiers: {}.</p>", counts_line(c));
    for (d, title) in SECTIONS {
        let rows = moves(c, d);
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3 id=\"changes-{}\">{}</h3>\n<table>\n<thead><tr><th>Path</th><th>Before</th><th>After</th></tr></thead>\n<tbody>",
            direction_name(d),
            h(title)
        );
        for m in rows {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                code(&m.path),
                h(&opt_tier(&r.tiers, m.old)),
                h(&opt_tier(&r.tiers, m.new))
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    for (title, list) in [
        ("Annex III flags that appeared", &c.annex_appeared),
        ("Annex III flags that disappeared", &c.annex_disappeared),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3>{title}</h3>\n<table>\n<thead><tr><th>Path</th><th>Point</th><th>Status</th></tr></thead>\n<tbody>"
        );
        for a in list {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                code(&a.path),
                h(&a.point),
                h(&a.status)
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    for (title, list) in [
        ("Exceptions added", &c.exceptions_added),
        ("Exceptions removed", &c.exceptions_removed),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "<p>{title}: {}.</p>", codes(list));
        }
    }
    s.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_exact_under_a_kib_then_one_decimal() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
    }

    #[test]
    fn html_text_and_attributes_cannot_open_markup() {
        assert_eq!(h("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(attr("x\"y"), "x&quot;y");
        // A control character is shown as an escape, not passed through.
        assert_eq!(h("a\u{1b}[31m"), "a\\u{1b}[31m");
    }
}
