//! Renderers of the legal review document ([`crate::report::Report`]): GitHub-flavoured
//! Markdown and one self-contained, print-friendly HTML file (inline CSS, an inline SVG
//! chart, no external asset of any kind). Pure functions returning the whole text;
//! deterministic (no clock: the only date is the report's). Must not import walk,
//! decide or app.
//!
//! The document is laid out once, as [`Block`]s (sections, headings, paragraphs, lists,
//! tables, per-directory groups, the chart), and each format writes those blocks, so
//! the two formats cannot drift apart in what they say.
//!
//! Every piece of text from the repository or the config (paths, reasons, approvers) is
//! escaped for its format: Markdown code spans and cell text as `tiergate diff` writes
//! them, HTML with the XML escapes of the JUnit writer, so the HTML is also well-formed
//! XML and a path can never open a tag.

use std::fmt::Write as _;

use super::check::{SECTIONS, md_code_span, md_text, one_line, xml_escape};
use crate::config::ExceptionStatus;
use crate::gate::Direction;
use crate::manifest::{Reason, TierDef};
use crate::model::TierId;
use crate::report::{
    Annex, AnnexPoint, AnnexStatus, Changes, EXPIRY_WARNING_DAYS, Report, TierMove, relative,
};

// ---------------------------------------------------------------- the layout

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Span {
    Text(String),
    Code(String),
    /// Text that stands out (an expired exception, a possible prohibited practice);
    /// the HTML class says how.
    Marked(String, &'static str),
}

type Line = Vec<Span>;

fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

fn code(s: impl Into<String>) -> Span {
    Span::Code(s.into())
}

/// Code spans joined by commas; a dash for none.
fn codes(items: &[String]) -> Line {
    if items.is_empty() {
        return vec![text("—")];
    }
    let mut line = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            line.push(text(", "));
        }
        line.push(code(item.clone()));
    }
    line
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    /// Column titles; `true` for a numeric (right-aligned) column.
    head: Vec<(&'static str, bool)>,
    rows: Vec<Vec<Line>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    /// A numbered top-level section.
    Section {
        id: &'static str,
        title: Line,
        blocks: Vec<Block>,
    },
    Heading {
        id: Option<String>,
        line: Line,
    },
    Para(Line),
    List(Vec<Line>),
    Table(Table),
    /// Files per tier: a bar chart in HTML, nothing in Markdown (the table says it).
    Chart(Vec<(String, u64, String)>),
    /// A collapsible group (a tier-1 directory): open details in HTML, a heading in
    /// Markdown.
    Group {
        key: String,
        title: Line,
        blocks: Vec<Block>,
    },
}

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

fn files(n: u64) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
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

/// The whole document, once for every format.
fn layout(r: &Report) -> Vec<Block> {
    let mut doc = vec![Block::Para(vec![
        text(format!("Report date: {} · commit: ", r.today)),
        code(commit_text(r)),
        text(format!(" · scope: {}", scope_text(r))),
    ])];
    doc.push(summary(r));
    doc.push(tier1(r));
    doc.push(annex(r));
    doc.push(exceptions(r));
    doc.push(provenance(r));
    if let Some(c) = &r.changes {
        doc.push(changes(r, c));
    }
    doc
}

/// A table without numeric columns.
fn plain_table(head: &[&'static str], rows: impl Iterator<Item = Vec<Line>>) -> Block {
    Block::Table(Table {
        head: head.iter().map(|h| (*h, false)).collect(),
        rows: rows.collect(),
    })
}

fn section(id: &'static str, title: Line, blocks: Vec<Block>) -> Block {
    Block::Section { id, title, blocks }
}

fn summary(r: &Report) -> Block {
    let sm = &r.summary;
    let label = |id: TierId| r.tiers.iter().find(|t| t.id == id).map_or("", |t| &t.label);
    let tiers = Table {
        head: vec![
            ("Tier", false),
            ("Label", false),
            ("Files", true),
            ("Bytes", true),
        ],
        rows: sm
            .tiers
            .iter()
            .map(|c| {
                vec![
                    vec![text(tier_label(&r.tiers, c.tier))],
                    vec![text(label(c.tier))],
                    vec![text(c.files.to_string())],
                    vec![text(bytes(c.bytes))],
                ]
            })
            .collect(),
    };
    let destinations = Table {
        head: vec![
            ("Destination", false),
            ("Kind", false),
            ("Accepts", false),
            ("Files", true),
            ("Bytes", true),
        ],
        rows: sm
            .destinations
            .iter()
            .map(|d| {
                vec![
                    vec![code(d.name.clone())],
                    vec![text(d.kind.clone())],
                    vec![text(format!("tier {} and above", d.accepts))],
                    vec![text(d.files.to_string())],
                    vec![text(bytes(d.bytes))],
                ]
            })
            .collect(),
    };
    let chart = sm
        .tiers
        .iter()
        .map(|c| {
            let caption = format!("{} · {}", files(c.files), bytes(c.bytes));
            (tier_label(&r.tiers, c.tier), c.files, caption)
        })
        .collect();
    section(
        "summary",
        vec![text("1. Summary")],
        vec![
            Block::Para(vec![text(format!(
                "{} ({}).",
                files(sm.files),
                bytes(sm.bytes)
            ))]),
            Block::Chart(chart),
            Block::Table(tiers),
            Block::Para(vec![
                text("What may reach each destination (a file may go where "),
                code("tier >= accepts"),
                text("):"),
            ]),
            Block::Table(destinations),
        ],
    )
}

fn reason_cells(x: &Reason) -> [Line; 4] {
    [
        vec![code(x.code.clone())],
        vec![code(x.rule.clone())],
        vec![code(x.source.clone())],
        vec![text(x.message.clone())],
    ]
}

fn tier1(r: &Report) -> Block {
    let n: u64 = r.tier1.iter().map(|g| g.files.len() as u64).sum();
    let title = vec![text("2. Tier-1 inventory")];
    if n == 0 {
        return section(
            "tier-1",
            title,
            vec![Block::Para(vec![text("No file is tier 1.")])],
        );
    }
    let dirs = r.tier1.len();
    let mut blocks = vec![Block::Para(vec![text(format!(
        "{} in {dirs} {}, each with every reason found (the first decides).",
        files(n),
        if dirs == 1 {
            "directory"
        } else {
            "directories"
        }
    ))])];
    for g in &r.tier1 {
        let mut rows = Vec::new();
        for f in &g.files {
            for (i, x) in f.reasons.iter().enumerate() {
                // The file and its size on its first reason only: the rows that follow
                // are more reasons for the same file.
                let (path, size) = if i == 0 {
                    (vec![code(f.path.clone())], vec![text(bytes(f.bytes))])
                } else {
                    (vec![], vec![])
                };
                let mut row = vec![path, size];
                row.extend(reason_cells(x));
                rows.push(row);
            }
        }
        let name = if g.dir.is_empty() {
            text("(top level)")
        } else {
            code(g.dir.clone())
        };
        blocks.push(Block::Group {
            key: g.dir.clone(),
            title: vec![name, text(format!(" ({})", files(g.files.len() as u64)))],
            blocks: vec![Block::Table(Table {
                head: vec![
                    ("File", false),
                    ("Size", true),
                    ("Code", false),
                    ("Rule", false),
                    ("Source", false),
                    ("Reason", false),
                ],
                rows,
            })],
        });
    }
    section("tier-1", title, blocks)
}

fn point_status(p: &AnnexPoint) -> AnnexStatus {
    p.files
        .iter()
        .map(|f| f.status)
        .min()
        .unwrap_or(AnnexStatus::Candidate)
}

fn status_span(s: AnnexStatus) -> Span {
    match s {
        AnnexStatus::PossibleProhibited => Span::Marked(s.text().into(), "status-prohibited"),
        AnnexStatus::Candidate => text(s.text()),
    }
}

/// Each component with Annex III evidence, judged once: what shows an AI system, and
/// per point its status, the files that implement it and the evidence.
fn component_blocks(components: &[crate::component::Judgement]) -> Vec<Block> {
    let mut blocks = Vec::new();
    if components.is_empty() {
        return blocks;
    }
    blocks.push(Block::Para(vec![text(
        "Purpose is judged per component (a package root, or the repository), from all its \
         files: documentation states it, code and data show it. No point is a candidate \
         without an AI system in the component.",
    )]));
    let seen = |l: &crate::component::Located| {
        let mut line = vec![code(l.signal.clone()), text(" at ")];
        for (i, at) in l.at.iter().enumerate() {
            if i > 0 {
                line.push(text(", "));
            }
            line.push(code(at.clone()));
        }
        line
    };
    let joined = |ls: &[crate::component::Located]| {
        let mut line = Vec::new();
        for (i, l) in ls.iter().enumerate() {
            if i > 0 {
                line.push(text("; "));
            }
            line.extend(seen(l));
        }
        line
    };
    for j in components {
        let name = if j.root.is_empty() {
            vec![text("Component: the repository")]
        } else {
            vec![text("Component "), code(format!("{}/", j.root))]
        };
        blocks.push(Block::Heading {
            id: None,
            line: name,
        });
        let mut items = Vec::new();
        if j.ai_system.is_empty() {
            items.push(vec![text(
                "AI system: none found (no model library, model call, hosted model or model file)",
            )]);
        } else {
            let mut line = vec![text("AI system: ")];
            line.extend(joined(&j.ai_system));
            items.push(line);
        }
        for p in &j.points {
            let mut line = vec![text(format!("{}: {}", p.point, p.status.describe()))];
            if !p.implemented_by.is_empty() {
                line.push(text("; implemented by "));
                line.extend(codes(&p.implemented_by));
            }
            if !p.linked.is_empty() {
                line.push(text(format!(
                    "; its code by imports: {}",
                    p.linked.join("; ")
                )));
            }
            line.push(text("; evidence: "));
            line.extend(joined(&p.evidence));
            if !p.against.is_empty() {
                line.push(text("; against: "));
                line.extend(joined(&p.against));
            }
            items.push(line);
        }
        blocks.push(Block::List(items));
    }
    blocks
}

fn annex(r: &Report) -> Block {
    let title = vec![text("3. EU AI Act Annex III candidates")];
    let Annex::Reviewed {
        dates,
        components,
        points,
    } = &r.annex
    else {
        return section(
            "annex-iii",
            title,
            vec![Block::Para(vec![
                text("Not reviewed: the "),
                code("eu_ai_act_annex_iii"),
                text(" policy pack is disabled ("),
                code("policies.disable"),
                text(")."),
            ])],
        );
    };
    let mut blocks = vec![
        Block::Para(vec![text(ANNEX_NOTE)]),
        Block::Para(vec![text(format!(
            "Dates in force, as the pack carries them (relative to {}):",
            r.today
        ))]),
        Block::Table(Table {
            head: vec![
                ("What", false),
                ("Date", false),
                ("When", false),
                ("Basis", false),
            ],
            rows: dates
                .iter()
                .map(|d| {
                    vec![
                        vec![text(d.what.clone())],
                        vec![text(d.date.to_string())],
                        vec![text(d.relative.clone())],
                        vec![text(d.note.clone())],
                    ]
                })
                .collect(),
        }),
    ];
    blocks.extend(component_blocks(components));
    if points.is_empty() {
        blocks.push(Block::Para(vec![text("No Annex III candidate was found.")]));
    }
    for p in points {
        let name = if p.title.is_empty() {
            p.point.clone()
        } else {
            format!("{} {}", p.point, p.title)
        };
        blocks.push(Block::Heading {
            id: None,
            line: vec![text(format!("{name}: ")), status_span(point_status(p))],
        });
        blocks.push(Block::Para(vec![text("Obligations:")]));
        blocks.push(Block::List(
            p.obligations
                .iter()
                .map(|o| vec![text(o.clone())])
                .collect(),
        ));
        let rows = p
            .files
            .iter()
            .map(|f| {
                let mut evidence = Vec::new();
                for (i, e) in f.evidence.iter().enumerate() {
                    if i > 0 {
                        evidence.push(text("; "));
                    }
                    evidence.push(code(e.signal.clone()));
                    if let Some(l) = &e.location {
                        evidence.extend([text(" at "), code(l.clone())]);
                    }
                }
                vec![
                    vec![code(f.path.clone())],
                    vec![status_span(f.status)],
                    evidence,
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            head: vec![("File", false), ("Status", false), ("Evidence", false)],
            rows,
        }));
    }
    section("annex-iii", title, blocks)
}

fn exception_status(r: &Report, x: &crate::report::ExceptionRow) -> Span {
    let mut s = x.status.as_str().to_string();
    if x.expires_soon {
        let _ = write!(
            s,
            ", expires within {EXPIRY_WARNING_DAYS} days ({})",
            relative(r.today, x.expires)
        );
        return Span::Marked(s, "soon");
    }
    match x.status {
        ExceptionStatus::Expired => Span::Marked(s, "status-expired"),
        ExceptionStatus::Pending => Span::Marked(s, "status-pending"),
        ExceptionStatus::Active => text(s),
    }
}

fn exceptions(r: &Report) -> Block {
    let title = vec![text("4. Exceptions and accepted findings")];
    let mut blocks = exception_blocks(r);
    blocks.extend(accepted_blocks(r));
    section("exceptions", title, blocks)
}

/// The detector hits accepted as false positives: by a marker in the file, or by an
/// entry of the accepted findings file with its reason.
fn accepted_blocks(r: &Report) -> Vec<Block> {
    if r.accepted.is_empty() {
        return vec![Block::Para(vec![text(
            "No detector finding is accepted as a false positive.",
        )])];
    }
    vec![
        Block::Para(vec![text(format!(
            "Detector findings accepted as false positives ({}): left out of the decision, each by a marker in the file or by its fingerprint in the accepted findings file.",
            r.accepted.len()
        ))]),
        plain_table(
            &["Path", "Signal", "Accepted by", "Reason"],
            r.accepted.iter().map(|a| {
                vec![
                    vec![code(a.path.clone())],
                    vec![code(a.signal.clone())],
                    match &a.entry {
                        Some(e) => vec![code(e.clone())],
                        None => vec![text("a marker in the file")],
                    },
                    vec![text(a.reason.clone().unwrap_or_else(|| "—".into()))],
                ]
            }),
        ),
    ]
}

fn exception_blocks(r: &Report) -> Vec<Block> {
    let Some(x) = &r.exceptions else {
        return vec![Block::Para(vec![text("No exceptions file.")])];
    };
    let mut blocks = vec![Block::Para(vec![
        code(x.source.clone()),
        text(" ("),
        code(x.digest.clone()),
        text(format!("), judged on {}.", r.today)),
    ])];
    if x.items.is_empty() {
        blocks.push(Block::Para(vec![text("The file lists no exception.")]));
        return blocks;
    }
    blocks.push(plain_table(
        &[
            "Id", "Status", "Paths", "Tier", "Approver", "Approved", "Expires", "Blob", "Source",
            "Reason",
        ],
        x.items.iter().map(|e| {
            let blob = e
                .blob
                .as_ref()
                .map_or_else(|| text("—"), |b| code(b.clone()));
            vec![
                vec![code(e.id.clone())],
                vec![exception_status(r, e)],
                codes(&e.paths),
                vec![text(tier_label(&r.tiers, e.tier))],
                vec![text(e.approver.clone())],
                vec![text(e.approved.to_string())],
                vec![text(e.expires.to_string())],
                vec![blob],
                vec![code(e.source.clone())],
                vec![text(e.reason.clone())],
            ]
        }),
    ));
    blocks.push(Block::Para(vec![text(
        "What each exception decides today:",
    )]));
    blocks.push(plain_table(
        &["Id", "Decides the tier of", "Bound blob no longer matches"],
        x.items.iter().map(|e| {
            vec![
                vec![code(e.id.clone())],
                codes(&e.decides),
                codes(&e.mismatched),
            ]
        }),
    ));
    blocks
}

fn provenance(r: &Report) -> Block {
    let p = &r.provenance.provenance;
    let row = |item: Line, source: Line, digest: Line| vec![item, source, digest];
    let mut rows = vec![
        row(
            vec![text("tool")],
            vec![text(format!(
                "{} {}",
                r.provenance.tool, r.provenance.version
            ))],
            vec![text("—")],
        ),
        row(
            vec![text("config")],
            vec![code(p.config.source.clone())],
            vec![code(p.config.digest.clone())],
        ),
    ];
    for x in &p.policies {
        rows.push(row(
            vec![text("policy "), code(x.package.clone())],
            vec![code(x.source.clone())],
            vec![code(x.digest.clone())],
        ));
    }
    // The repository's own rule files (the shipped ones are the tool's).
    for x in p.rules.iter().filter(|x| !x.source.starts_with("shipped:")) {
        rows.push(row(
            vec![text("rule file")],
            vec![code(x.source.clone())],
            vec![code(x.digest.clone())],
        ));
    }
    for (item, file) in [
        ("exceptions", &p.exceptions),
        ("accepted findings", &p.accepted),
    ] {
        rows.push(match file {
            Some(x) => row(
                vec![text(item)],
                vec![code(x.source.clone())],
                vec![code(x.digest.clone())],
            ),
            None => row(vec![text(item)], vec![text("none")], vec![text("—")]),
        });
    }
    section(
        "provenance",
        vec![text("5. Provenance")],
        vec![
            Block::Table(Table {
                head: vec![("Item", false), ("Source", false), ("Digest", false)],
                rows,
            }),
            Block::Para(vec![
                text("Commit "),
                code(commit_text(r)),
                text(format!(
                    "; scope: {}; report date {}.",
                    scope_text(r),
                    r.today
                )),
            ]),
        ],
    )
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

/// A heading and a table of paths with two more text columns.
fn path_table(
    id: Option<String>,
    heading: &str,
    columns: [&'static str; 2],
    rows: impl Iterator<Item = (String, String, String)>,
) -> [Block; 2] {
    [
        Block::Heading {
            id,
            line: vec![text(heading)],
        },
        Block::Table(Table {
            head: vec![("Path", false), (columns[0], false), (columns[1], false)],
            rows: rows
                .map(|(path, a, b)| vec![vec![code(path)], vec![text(a)], vec![text(b)]])
                .collect(),
        }),
    ]
}

fn changes(r: &Report, c: &Changes) -> Block {
    let title = vec![text("6. Changes since "), code(c.against.clone())];
    if c.is_empty() {
        return section(
            "changes",
            title,
            vec![Block::Para(vec![text("Nothing changed.")])],
        );
    }
    let counts: Vec<String> = SECTIONS
        .iter()
        .map(|(d, _)| format!("{} {}", moves(c, *d).len(), direction_name(*d)))
        .collect();
    let mut blocks = vec![Block::Para(vec![text(format!(
        "Tiers: {}.",
        counts.join(", ")
    ))])];
    for (d, heading) in SECTIONS {
        let rows = moves(c, d);
        if rows.is_empty() {
            continue;
        }
        blocks.extend(path_table(
            Some(format!("changes-{}", direction_name(d))),
            heading,
            ["Before", "After"],
            rows.iter().map(|m| {
                let (o, n) = (opt_tier(&r.tiers, m.old), opt_tier(&r.tiers, m.new));
                (m.path.clone(), o, n)
            }),
        ));
    }
    for (heading, list) in [
        ("Annex III flags that appeared", &c.annex_appeared),
        ("Annex III flags that disappeared", &c.annex_disappeared),
    ] {
        if list.is_empty() {
            continue;
        }
        blocks.extend(path_table(
            None,
            heading,
            ["Point", "Status"],
            list.iter()
                .map(|a| (a.path.clone(), a.point.clone(), a.status.clone())),
        ));
    }
    for (label, list) in [
        ("Exceptions added: ", &c.exceptions_added),
        ("Exceptions removed: ", &c.exceptions_removed),
    ] {
        if !list.is_empty() {
            let mut line = vec![text(label)];
            line.extend(codes(list));
            line.push(text("."));
            blocks.push(Block::Para(line));
        }
    }
    section("changes", title, blocks)
}

// ---------------------------------------------------------------- Markdown

fn md_line(line: &[Span], in_table: bool) -> String {
    line.iter()
        .map(|s| match s {
            Span::Text(t) | Span::Marked(t, _) => md_text(t),
            Span::Code(c) => md_code_span(c, in_table),
        })
        .collect()
}

fn md_blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Section { title, blocks, .. } => {
                let _ = writeln!(out, "## {}\n", md_line(title, false));
                md_blocks(out, blocks);
            }
            Block::Heading { line, .. } => {
                let _ = writeln!(out, "### {}\n", md_line(line, false));
            }
            Block::Group { title, blocks, .. } => {
                let _ = writeln!(out, "### {}\n", md_line(title, false));
                md_blocks(out, blocks);
            }
            Block::Para(line) => {
                let _ = writeln!(out, "{}\n", md_line(line, false));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", md_line(item, false));
                }
                out.push('\n');
            }
            Block::Table(t) => {
                let head: Vec<&str> = t.head.iter().map(|(h, _)| *h).collect();
                let rule: Vec<&str> = t
                    .head
                    .iter()
                    .map(|(_, num)| if *num { "---:" } else { "---" })
                    .collect();
                let _ = writeln!(out, "| {} |\n|{}|", head.join(" | "), rule.join("|"));
                for row in &t.rows {
                    let cells: Vec<String> = row.iter().map(|c| md_line(c, true)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
            Block::Chart(_) => {}
        }
    }
}

/// `report --format md`: the document as GitHub-flavoured Markdown.
pub fn report_markdown(r: &Report) -> String {
    let mut s = String::from("# tiergate report\n\n");
    md_blocks(&mut s, &layout(r));
    let end = s.trim_end().len();
    s.truncate(end);
    s.push('\n');
    s
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

fn html_line(line: &[Span]) -> String {
    line.iter()
        .map(|s| match s {
            Span::Text(t) => h(t),
            Span::Code(c) => format!("<code>{}</code>", h(c)),
            Span::Marked(t, class) => format!("<span class=\"{class}\">{}</span>", h(t)),
        })
        .collect()
}

/// Fill colours of the chart's bars, most sensitive first; they print on white.
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
@media print{body{margin:0;max-width:none;font-size:10pt}nav{display:none}h2{break-after:avoid}tr,svg{break-inside:avoid}details{border:none;padding:0}summary{list-style:none}a{color:inherit;text-decoration:none}}
";

/// Files per tier as horizontal bars with text labels, scaled to the largest tier.
fn chart(bars: &[(String, u64, String)]) -> String {
    const ROW: u64 = 30;
    const LABEL: u64 = 210;
    const BAR: u64 = 420;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as u64 + 10;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\" role=\"img\" aria-labelledby=\"chart-title\">\n<title id=\"chart-title\">Files per tier</title>\n"
    );
    for (i, (label, n, caption)) in bars.iter().enumerate() {
        let y = 5 + ROW * i as u64;
        let w = BAR * n / max;
        let fill = BAR_FILLS[i.min(BAR_FILLS.len() - 1)];
        let _ = writeln!(
            s,
            "<g><text x=\"0\" y=\"{ty}\">{}</text><rect class=\"bar\" data-tier=\"{}\" x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"{fill}\"/><text x=\"{}\" y=\"{ty}\">{}</text></g>",
            h(label),
            attr(label.split(' ').next().unwrap_or_default()),
            LABEL + w + 8,
            h(caption),
            ty = y + 15,
        );
    }
    s.push_str("</svg>\n");
    s
}

fn html_blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Section { id, title, blocks } => {
                let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{}</h2>", html_line(title));
                html_blocks(out, blocks);
                out.push_str("</section>\n");
            }
            Block::Heading { id, line } => {
                let id = id
                    .as_ref()
                    .map_or_else(String::new, |i| format!(" id=\"{}\"", attr(i)));
                let _ = writeln!(out, "<h3{id}>{}</h3>", html_line(line));
            }
            Block::Group { key, title, blocks } => {
                let _ = writeln!(
                    out,
                    "<details open=\"open\" data-dir=\"{}\">\n<summary>{}</summary>",
                    attr(key),
                    html_line(title)
                );
                html_blocks(out, blocks);
                out.push_str("</details>\n");
            }
            Block::Para(line) => {
                let _ = writeln!(out, "<p>{}</p>", html_line(line));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", html_line(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => {
                let num = |n: bool| if n { " class=\"num\"" } else { "" };
                out.push_str("<table>\n<thead><tr>");
                for (head, n) in &t.head {
                    let _ = write!(out, "<th{}>{}</th>", num(*n), h(head));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    out.push_str("<tr>");
                    for (cell, (_, n)) in row.iter().zip(&t.head) {
                        let _ = write!(out, "<td{}>{}</td>", num(*n), html_line(cell));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Chart(bars) => out.push_str(&chart(bars)),
        }
    }
}

/// `report --format html`: one self-contained page, well-formed XML.
pub fn report_html(r: &Report) -> String {
    let doc = layout(r);
    let mut s = String::from(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n",
    );
    let _ = writeln!(s, "<title>tiergate report {}</title>", r.today);
    let _ = writeln!(
        s,
        "<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>tiergate report</h1>"
    );
    // The first block is the report line under the title.
    if let Some(Block::Para(line)) = doc.first() {
        let _ = writeln!(s, "<p class=\"meta\">{}</p>", html_line(line));
    }
    s.push_str("<nav><ol>");
    for b in &doc {
        if let Block::Section { id, title, .. } = b {
            // The section's name without its number, for the table of contents.
            let name = match title.first() {
                Some(Span::Text(t)) => t.split_once(". ").map_or(t.as_str(), |(_, n)| n),
                _ => "",
            };
            let _ = write!(s, "<li><a href=\"#{id}\">{}</a></li>", h(name.trim_end()));
        }
    }
    s.push_str("</ol></nav>\n");
    html_blocks(&mut s, &doc[1..]);
    s.push_str("</body>\n</html>\n");
    s
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

    #[test]
    fn code_spans_escape_pipes_only_in_tables() {
        let line = [code("a|b"), text(" *x*")];
        assert_eq!(md_line(&line, true), "`a\\|b` \\*x\\*");
        assert_eq!(md_line(&line, false), "`a|b` \\*x\\*");
    }
}
