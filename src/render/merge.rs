//! Renderers of the organisation inventory (`tiergate merge`): JSON (the document as
//! is), Markdown tables, and one self-contained XHTML-compatible HTML file (inline CSS,
//! no scripts, no external references, print-friendly). Markdown and HTML are written
//! from one list of sections, so the two always say the same thing. Every text from a
//! manifest is escaped for its format. Must not import walk, decide, app or manifest
//! reading: it sees only [`crate::merge::Inventory`].

use std::fmt::Write as _;

use super::check::{md_code, md_text, one_line, xml_escape};
use crate::merge::{Inventory, Repository};

/// `merge --format json`: the inventory, pretty-printed, with a final newline.
pub fn merge_json(inv: &Inventory) -> String {
    let mut s = serde_json::to_string_pretty(inv).expect("the inventory serializes");
    s.push('\n');
    s
}

/// One table cell: prose, a literal (paths, ids, digests: shown as code), or a count.
enum Cell {
    Text(String),
    Code(String),
    Num(u64),
}

fn none() -> Cell {
    Cell::Text("—".into())
}

struct Section {
    title: String,
    /// Column names; a column whose first cell is a count is right-aligned.
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// What to say instead of an empty table.
    empty: &'static str,
    /// The last row is a total (bold in HTML).
    total_row: bool,
}

fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary_line(inv: &Inventory) -> String {
    let t = &inv.totals;
    format!(
        "{}, {}, {} of them tier 1. Judged on {} by tiergate {}; exceptions expiring within {} days are listed.",
        counted(t.repositories, "repository", "repositories"),
        counted(t.files, "file", "files"),
        t.restricted_files,
        inv.judged_on,
        inv.generator.version,
        inv.within_days
    )
}

fn tier_cells(inv: &Inventory, counts: impl Fn(u8) -> Option<u64>) -> Vec<Cell> {
    inv.totals
        .by_tier
        .iter()
        .map(|t| counts(t.tier).map_or_else(none, Cell::Num))
        .collect()
}

fn repository_row(inv: &Inventory, r: &Repository) -> Vec<Cell> {
    let mut row = vec![
        Cell::Text(r.name.clone()),
        Cell::Code(r.source.clone()),
        r.commit.clone().map_or_else(none, Cell::Code),
        Cell::Num(r.files),
    ];
    row.extend(tier_cells(inv, |id| {
        r.by_tier.iter().find(|t| t.tier == id).map(|t| t.files)
    }));
    let yes_no = |b: bool| Cell::Text(if b { "yes" } else { "—" }.into());
    row.push(yes_no(!r.annex_iii.is_empty()));
    row.push(yes_no(!r.stale.is_empty()));
    row.push(Cell::Num(r.exceptions.len() as u64));
    row
}

fn names(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

/// One row per item of each repository (its flags, its reasons, its exceptions), in
/// repository order.
fn per_repository<'a, T: 'a>(
    inv: &'a Inventory,
    items: impl Fn(&'a Repository) -> &'a [T],
    row: impl Fn(&'a Repository, &'a T) -> Vec<Cell>,
) -> Vec<Vec<Cell>> {
    inv.repositories
        .iter()
        .flat_map(|r| items(r).iter().map(move |x| (r, x)))
        .map(|(r, x)| row(r, x))
        .collect()
}

/// The inventory's sections, in the order both formats show them.
fn sections(inv: &Inventory) -> Vec<Section> {
    vec![
        repositories(inv),
        annex_totals(inv),
        annex_by_repository(inv),
        stale(inv),
        exceptions(inv),
        renamed(inv),
    ]
}

/// One row per repository (its files per tier, its flags), then the totals.
fn repositories(inv: &Inventory) -> Section {
    let mut columns = names(&["repository", "manifest", "commit", "files"]);
    columns.extend(
        inv.totals
            .by_tier
            .iter()
            .map(|t| format!("tier {} {}", t.tier, t.name)),
    );
    columns.extend(names(&["Annex III", "stale", "exceptions due"]));
    let mut rows: Vec<Vec<Cell>> = inv
        .repositories
        .iter()
        .map(|r| repository_row(inv, r))
        .collect();
    if !rows.is_empty() {
        rows.push(total_row(inv));
    }
    Section {
        title: "Repositories".into(),
        columns,
        rows,
        empty: "No manifests.",
        total_row: true,
    }
}

/// The last row of the repositories table.
fn total_row(inv: &Inventory) -> Vec<Cell> {
    let t = &inv.totals;
    let mut total = vec![
        Cell::Text("total".into()),
        none(),
        none(),
        Cell::Num(t.files),
    ];
    total.extend(tier_cells(inv, |id| {
        t.by_tier.iter().find(|c| c.tier == id).map(|c| c.files)
    }));
    total.push(Cell::Num(t.annex_iii_repositories.len() as u64));
    total.push(Cell::Num(t.stale_repositories.len() as u64));
    total.push(Cell::Num(t.expired_exceptions + t.expiring_exceptions));
    total
}

fn annex_totals(inv: &Inventory) -> Section {
    Section {
        title: "Annex III candidates".into(),
        columns: names(&["point", "status", "files", "repositories"]),
        rows: inv
            .totals
            .annex_iii
            .iter()
            .map(|a| {
                vec![
                    Cell::Code(a.point.clone()),
                    Cell::Text(a.status.clone()),
                    Cell::Num(a.files),
                    Cell::Text(a.repositories.join(", ")),
                ]
            })
            .collect(),
        empty: "No file carries an Annex III flag.",
        total_row: false,
    }
}

fn annex_by_repository(inv: &Inventory) -> Section {
    Section {
        title: "Annex III by repository".into(),
        columns: names(&["repository", "point", "status", "files"]),
        rows: per_repository(
            inv,
            |r| &r.annex_iii,
            |r, a| {
                vec![
                    Cell::Text(r.name.clone()),
                    Cell::Code(a.point.clone()),
                    Cell::Text(a.status.clone()),
                    Cell::Num(a.files),
                ]
            },
        ),
        empty: "No file carries an Annex III flag.",
        total_row: false,
    }
}

fn stale(inv: &Inventory) -> Section {
    Section {
        title: "Stale manifests".into(),
        columns: names(&["repository", "written by", "code", "reason"]),
        rows: per_repository(
            inv,
            |r| &r.stale,
            |r, s| {
                vec![
                    Cell::Text(r.name.clone()),
                    Cell::Code(r.generator_version.clone()),
                    Cell::Code(s.code.to_string()),
                    Cell::Text(s.message.clone()),
                ]
            },
        ),
        empty: "Every manifest was written by this tiergate, its Rego input and its shipped packs.",
        total_row: false,
    }
}

fn exceptions(inv: &Inventory) -> Section {
    Section {
        title: format!(
            "Exceptions expired or expiring within {} days",
            inv.within_days
        ),
        columns: names(&[
            "repository",
            "exception",
            "state",
            "expires",
            "days left",
            "tier",
            "approver",
            "paths",
            "reason",
        ]),
        rows: per_repository(
            inv,
            |r| &r.exceptions,
            |r, x| {
                vec![
                    Cell::Text(r.name.clone()),
                    Cell::Code(x.id.clone()),
                    Cell::Text(x.state.as_str().into()),
                    Cell::Text(x.expires.clone()),
                    Cell::Text(x.days_left.to_string()),
                    Cell::Num(u64::from(x.tier)),
                    Cell::Text(x.approver.clone()),
                    Cell::Code(x.paths.join(", ")),
                    Cell::Text(x.reason.clone()),
                ]
            },
        ),
        empty: "No exception is expired or expiring.",
        total_row: false,
    }
}

/// Repositories whose name is not their manifest's path, with why.
fn renamed(inv: &Inventory) -> Section {
    Section {
        title: "Repository names".into(),
        columns: names(&["repository", "note"]),
        rows: inv
            .repositories
            .iter()
            .filter_map(|r| {
                let note = r.name_note.as_ref()?;
                Some(vec![Cell::Text(r.name.clone()), Cell::Text(note.clone())])
            })
            .collect(),
        empty: "Every repository is named by its manifest's path.",
        total_row: false,
    }
}

fn numeric(s: &Section, column: usize) -> bool {
    s.rows
        .first()
        .is_some_and(|r| matches!(r.get(column), Some(Cell::Num(_))))
}

/// `merge --format md`: the inventory as Markdown tables.
pub fn merge_markdown(inv: &Inventory) -> String {
    let mut s = String::from("# tiergate inventory\n\n");
    s.push_str(&md_text(&summary_line(inv)));
    s.push('\n');
    for sec in sections(inv) {
        let _ = write!(s, "\n## {}\n\n", md_text(&sec.title));
        if sec.rows.is_empty() {
            let _ = writeln!(s, "{}", md_text(sec.empty));
            continue;
        }
        let head: Vec<String> = sec.columns.iter().map(|c| md_text(c)).collect();
        let _ = writeln!(s, "| {} |", head.join(" | "));
        let rule: Vec<&str> = (0..sec.columns.len())
            .map(|i| if numeric(&sec, i) { "--:" } else { "---" })
            .collect();
        let _ = writeln!(s, "|{}|", rule.join("|"));
        for row in &sec.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => md_text(t),
                    Cell::Code(t) => md_code(t),
                    Cell::Num(n) => n.to_string(),
                })
                .collect();
            let _ = writeln!(s, "| {} |", cells.join(" | "));
        }
    }
    s
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#111;background:#fff}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}\
th,td{border:1px solid #999;padding:0.2em 0.5em;text-align:left;vertical-align:top}\
th{background:#eee}\
td.num{text-align:right;font-variant-numeric:tabular-nums}\
tr.total td{font-weight:bold}\
code{font-family:ui-monospace,monospace;font-size:0.9em;word-break:break-all}\
@media print{body{margin:0;font-size:10pt}thead{display:table-header-group}\
tr{page-break-inside:avoid}h2{page-break-after:avoid}}";

fn html_text(s: &str) -> String {
    xml_escape(&one_line(s), false)
}

/// `merge --format html`: one self-contained page (inline style, no scripts, no
/// external references) that parses as XML.
pub fn merge_html(inv: &Inventory) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n\
<meta charset=\"utf-8\" />\n<title>tiergate inventory</title>\n<style>",
    );
    s.push_str(CSS);
    s.push_str("</style>\n</head>\n<body>\n<h1>tiergate inventory</h1>\n");
    let _ = writeln!(s, "<p>{}</p>", html_text(&summary_line(inv)));
    for sec in sections(inv) {
        let _ = writeln!(s, "<section>\n<h2>{}</h2>", html_text(&sec.title));
        if sec.rows.is_empty() {
            let _ = writeln!(s, "<p>{}</p>\n</section>", html_text(sec.empty));
            continue;
        }
        s.push_str("<table>\n<thead><tr>");
        for c in &sec.columns {
            let _ = write!(s, "<th scope=\"col\">{}</th>", html_text(c));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        let last = sec.rows.len() - 1;
        for (i, row) in sec.rows.iter().enumerate() {
            let total = sec.total_row && i == last;
            s.push_str(if total {
                "<tr class=\"total\">"
            } else {
                "<tr>"
            });
            for c in row {
                match c {
                    Cell::Text(t) => {
                        let _ = write!(s, "<td>{}</td>", html_text(t));
                    }
                    Cell::Code(t) => {
                        let _ = write!(s, "<td><code>{}</code></td>", html_text(t));
                    }
                    Cell::Num(n) => {
                        let _ = write!(s, "<td class=\"num\">{n}</td>");
                    }
                }
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_repository_is_not_plural() {
        assert_eq!(counted(1, "repository", "repositories"), "1 repository");
        assert_eq!(counted(0, "file", "files"), "0 files");
        assert_eq!(counted(2, "file", "files"), "2 files");
    }
}
