//! Renderers of the gate's [`Report`]: `tiergate check` (text, JSON, SARIF, GitHub
//! Actions workflow commands, JUnit XML) and `tiergate diff` (Markdown for a pull-request
//! comment, JSON). Pure functions returning the whole text; printing, exit codes and
//! deciding which verdicts fail belong elsewhere. Must not import walk, decide or app.
//!
//! One level scheme, shared by every format so a verdict reads the same everywhere:
//!
//! | verdict                                              | level     | GitHub      | JUnit          |
//! |------------------------------------------------------|-----------|-------------|----------------|
//! | fails the gate (its code is in `gate.fail_on`)        | `error`   | `::error`   | `<failure>`    |
//! | not failing: stale-manifest, tier-lowered, violation, exception-expired, exception-mismatch | `warning` | `::warning` | `<system-out>` |
//! | not failing: new-restricted, policy-change           | `note`    | `::notice`  | `<system-out>` |
//!
//! The middle row is a problem the configuration chose not to block on; the last row is
//! information a reviewer should see but that is not wrong in itself. SARIF rules carry,
//! as their default level, the level their code has under this report's `fail_on`.
//!
//! Human formats (text, JUnit lines, Markdown) show control and bidirectional-override
//! characters of paths and messages as escapes, so a file name cannot forge lines or
//! hide what it is; machine formats (JSON, SARIF) carry the strings as they are.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{paint, sarif, to_json_line};
use crate::gate::{Code, Direction, Mode, Report, TierChange, Verdict};
use crate::model::TierId;

/// Version of the JSON documents `check_json` and `diff_json` write; bump on any
/// incompatible change so consumers can tell.
const SCHEMA_VERSION: u32 = 1;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// How loud a verdict is; see the module doc for the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    fn style(self) -> Style {
        match self {
            Level::Error => AnsiColor::Red.on_default().bold(),
            Level::Warning => AnsiColor::Yellow.on_default(),
            Level::Note => Style::new().dimmed(),
        }
    }

    fn github(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        }
    }
}

/// The level a verdict of `code` has when it does (or does not) fail.
fn level_of(code: Code, fails: bool) -> Level {
    if fails {
        return Level::Error;
    }
    match code {
        Code::StaleManifest
        | Code::TierLowered
        | Code::Violation
        | Code::ExceptionExpired
        | Code::ExceptionMismatch => Level::Warning,
        Code::NewRestricted | Code::PolicyChange => Level::Note,
    }
}

fn level(v: &Verdict) -> Level {
    level_of(v.code, v.fails)
}

/// Verdicts in the order of [`Code::ALL`], keeping the report's path order within a
/// code (the sort is stable).
fn grouped(r: &Report) -> Vec<&Verdict> {
    let mut v: Vec<&Verdict> = r.verdicts.iter().collect();
    v.sort_by_key(|v| rule_index(v.code));
    v
}

fn rule_index(code: Code) -> usize {
    Code::ALL
        .iter()
        .position(|c| *c == code)
        .expect("Code::ALL lists every code")
}

fn failing(r: &Report) -> usize {
    r.verdicts.iter().filter(|v| v.fails).count()
}

/// True for characters that would let a path or message forge output lines, colours, or
/// read differently from what it is (Trojan Source bidi overrides).
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The string on one line, with dangerous characters shown as Rust escapes.
pub(crate) fn one_line(s: &str) -> String {
    if !s.contains(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `1 restricted`; just the number when the config gives the tier no name.
fn tier_label(r: &Report, id: TierId) -> String {
    let name = r.tier_name(id);
    if name == id.to_string() {
        name
    } else {
        format!("{id} {name}")
    }
}

/// `tier 1 restricted → 3 internal`, or whichever side is known.
fn tiers_text(r: &Report, old: Option<TierId>, new: Option<TierId>) -> Option<String> {
    match (old, new) {
        (Some(o), Some(n)) if o != n => {
            Some(format!("tier {} → {}", tier_label(r, o), tier_label(r, n)))
        }
        (_, Some(n)) => Some(format!("tier {}", tier_label(r, n))),
        (Some(o), None) => Some(format!("was tier {}", tier_label(r, o))),
        (None, None) => None,
    }
}

/// The message with the tiers and the deciding rule, for formats that have one text
/// field per verdict.
fn detail(r: &Report, v: &Verdict) -> String {
    let mut extra = Vec::new();
    if let Some(t) = tiers_text(r, v.old_tier, v.new_tier) {
        extra.push(t);
    }
    if let Some(rule) = &v.rule {
        extra.push(format!("rule {rule}"));
    }
    if extra.is_empty() {
        v.message.clone()
    } else {
        format!("{} ({})", v.message, extra.join("; "))
    }
}

/// `path (from old):line`, escaped for one line.
fn location_text(v: &Verdict) -> String {
    let Some(path) = &v.path else {
        return "(whole change)".to_string();
    };
    let mut s = one_line(path);
    if let Some(old) = &v.old_path {
        let _ = write!(s, " (from {})", one_line(old));
    }
    if let Some(line) = v.line {
        let _ = write!(s, ":{line}");
    }
    s
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

fn mode_text(r: &Report) -> String {
    let what = match &r.mode {
        Mode::Worktree => format!("working tree against {}", one_line(&r.manifest)),
        Mode::Staged { head: Some(h) } => format!("staged changes vs HEAD {}", short(h)),
        Mode::Staged { head: None } => "staged changes in a repository without commits".to_string(),
        Mode::Range {
            base_ref,
            head_ref,
            head,
            merge_base,
            ..
        } => format!(
            "{} ({}) against merge base {} with {}",
            one_line(head_ref),
            short(head),
            short(merge_base),
            one_line(base_ref)
        ),
    };
    format!("{what}, judged with {}", one_line(&r.judged_with))
}

fn summary_text(r: &Report) -> String {
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "tiergate: {} checked; {} ({} failing); gate {}",
        plural(r.changed_paths, "changed path", "changed paths"),
        plural(r.verdicts.len() as u64, "verdict", "verdicts"),
        failing(r),
        if r.failed() { "FAILED" } else { "passed" }
    )
}

/// `check --format text`: a header, one line per verdict grouped by code, a summary.
pub fn check_text(r: &Report, color: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "tiergate: checking {}", mode_text(r));
    for v in grouped(r) {
        let lvl = level(v);
        let _ = writeln!(
            s,
            "{}  {:<14}  {}  {}",
            paint(color, lvl.style(), &format!("{:<7}", lvl.as_str())),
            v.code.as_str(),
            location_text(v),
            one_line(&detail(r, v))
        );
    }
    // The next step for each kind of failure, once.
    for code in Code::ALL {
        if r.verdicts.iter().any(|v| v.code == code && v.fails) {
            let _ = writeln!(s, "fix {:<14}  {}", code.as_str(), code.remedy());
        }
    }
    let summary = summary_text(r);
    let style = if r.failed() {
        AnsiColor::Red.on_default().bold()
    } else {
        AnsiColor::Green.on_default()
    };
    let _ = writeln!(s, "{}", paint(color, style, &summary));
    s
}

/// `check --format json`: the report as it is, with whether it failed.
pub fn check_json(r: &Report) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        schema_version: u32,
        failed: bool,
        #[serde(flatten)]
        report: &'a Report,
    }
    to_json_line(&Out {
        schema_version: SCHEMA_VERSION,
        failed: r.failed(),
        report: r,
    })
}

/// Percent-encode a repo-relative path as a URI reference (RFC 3986): everything but
/// `pchar` and `/` is encoded, and so is `:`, because a colon in the first segment would
/// turn `c:x` into a URI with scheme `c`.
pub(super) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
                    | b'/'
            );
        if keep {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Stable identity of a verdict across runs: not the line (edits above it move it) nor
/// the message (wording may change), but what it is about. The rule is included so two
/// requirements broken by one file stay two alerts.
fn fingerprint(v: &Verdict) -> String {
    let mut h = Sha256::new();
    for part in [
        v.code.as_str(),
        v.path.as_deref().unwrap_or(""),
        v.old_path.as_deref().unwrap_or(""),
        v.rule.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        // A separator that cannot occur in a path keeps ("ab","c") apart from ("a","bc").
        h.update([0u8]);
    }
    format!("{:x}", h.finalize())
}

fn sarif_rule(r: &Report, code: Code, help_uri: Option<&str>) -> sarif::ReportingDescriptor {
    let default_level = level_of(code, r.fail_on.contains(&code));
    let properties = sarif::PropertyBag::from([
        (
            "security-severity".to_string(),
            serde_json::Value::from(code.security_severity()),
        ),
        (
            "tags".to_string(),
            serde_json::json!(["security", "data-classification"]),
        ),
        ("precision".to_string(), serde_json::Value::from("high")),
    ]);
    sarif::ReportingDescriptor {
        default_configuration: sarif::ReportingConfiguration {
            level: default_level.as_str(),
        },
        help: sarif::MultiformatMessageString {
            markdown: Some(format!(
                "**{}**\n\n{}\n\n{}",
                code.as_str(),
                code.description(),
                code.remedy()
            )),
            text: format!("{}. {}", code.description(), code.remedy()),
        },
        help_uri: help_uri
            .filter(|base| !base.is_empty())
            .map(|base| format!("{base}#{}", code.as_str())),
        id: code.as_str().to_string(),
        name: code.as_str().to_string(),
        properties,
        short_description: sarif::MultiformatMessageString {
            markdown: None,
            text: code.description().to_string(),
        },
    }
}

/// The codes reference page for SARIF's `helpUri` (each rule links its code's
/// section, `PAGE#code`): set when the binary is built, by the release workflow to the
/// page at the released tag. Unset (a local build), rules carry their help text only.
const HELP_URI: Option<&str> = option_env!("TIERGATE_CODES_URL");

fn sarif_result(r: &Report, v: &Verdict) -> sarif::Result {
    // Every result points at a file and a line, as code-scanning tools require: a
    // verdict about the change as a whole at the manifest, one about a whole file at
    // its first line.
    let path = v.path.as_deref().unwrap_or(r.manifest.as_str());
    let location = sarif::Location {
        physical_location: sarif::PhysicalLocation {
            artifact_location: sarif::ArtifactLocation {
                uri: uri_path(path),
                uri_base_id: "SRCROOT".to_string(),
            },
            region: sarif::Region {
                start_line: i64::try_from(v.line.unwrap_or(1).max(1)).unwrap_or(i64::MAX),
            },
        },
    };
    let mut properties = sarif::PropertyBag::new();
    if let Some(old) = &v.old_path {
        properties.insert("oldPath".to_string(), serde_json::Value::from(old.as_str()));
    }
    if let Some(t) = v.old_tier {
        properties.insert("oldTier".to_string(), serde_json::Value::from(t));
    }
    if let Some(t) = v.new_tier {
        properties.insert("newTier".to_string(), serde_json::Value::from(t));
    }
    if let Some(rule) = &v.rule {
        properties.insert("rule".to_string(), serde_json::Value::from(rule.as_str()));
    }
    properties.insert("fails".to_string(), serde_json::Value::from(v.fails));
    sarif::Result {
        level: level(v).as_str(),
        locations: vec![location],
        message: sarif::Message { text: detail(r, v) },
        partial_fingerprints: std::collections::BTreeMap::from([(
            "tiergate/v1".to_string(),
            fingerprint(v),
        )]),
        properties,
        rule_id: v.code.as_str().to_string(),
        rule_index: rule_index(v.code),
    }
}

/// A verdict about the check rather than the content (see [`Code::is_alert`]): a
/// notification of the run, which code-scanning tools do not turn into an alert.
fn sarif_notification(r: &Report, v: &Verdict) -> sarif::Notification {
    let mut text = detail(r, v);
    if let Some(path) = &v.path {
        text = format!("{path}: {text}");
    }
    sarif::Notification {
        associated_rule: sarif::ReportingDescriptorReference {
            id: v.code.as_str().to_string(),
            index: rule_index(v.code),
        },
        level: level(v).as_str(),
        message: sarif::Message { text },
    }
}

/// `check --format sarif`: SARIF 2.1.0, one run, one rule per code.
pub fn check_sarif(r: &Report) -> String {
    let rules = Code::ALL
        .iter()
        .map(|&c| sarif_rule(r, c, HELP_URI))
        .collect();
    let (alerts, checks): (Vec<&Verdict>, Vec<&Verdict>) =
        grouped(r).into_iter().partition(|v| v.code.is_alert());
    let results = alerts.into_iter().map(|v| sarif_result(r, v)).collect();
    // The check's own state: whether it passed, and why not when the manifest is
    // stale.
    let invocation = sarif::Invocation {
        execution_successful: true,
        exit_code: i32::from(r.failed()),
        tool_execution_notifications: checks
            .into_iter()
            .map(|v| sarif_notification(r, v))
            .collect(),
    };
    let run = sarif::Run {
        invocations: vec![invocation],
        results,
        tool: sarif::Tool {
            driver: sarif::ToolComponent {
                name: "tiergate".to_string(),
                rules,
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

/// Escaping of a workflow command's message, as `escapeData` of @actions/core.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property value, as `escapeProperty` of @actions/core.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn gh_command(command: &str, props: &[(&str, String)], message: &str) -> String {
    let mut s = format!("::{command}");
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", gh_property(v)))
        .collect();
    if !props.is_empty() {
        s.push(' ');
        s.push_str(&props.join(","));
    }
    s.push_str("::");
    s.push_str(&gh_data(message));
    s.push('\n');
    s
}

/// `check --format github`: one workflow command per verdict (an annotation on the
/// file and line when known), then the summary.
pub fn check_github(r: &Report) -> String {
    let mut s = String::new();
    for v in grouped(r) {
        let mut props = Vec::new();
        if let Some(path) = &v.path {
            props.push(("file", path.clone()));
            if let Some(line) = v.line {
                props.push(("line", line.to_string()));
            }
        }
        props.push(("title", format!("tiergate {}", v.code)));
        let mut message = detail(r, v);
        if let Some(old) = &v.old_path {
            let _ = write!(message, " (renamed from {old})");
        }
        s.push_str(&gh_command(level(v).github(), &props, &message));
    }
    let command = if r.failed() { "error" } else { "notice" };
    s.push_str(&gh_command(
        command,
        &[("title", "tiergate".to_string())],
        &summary_text(r),
    ));
    s
}

/// XML 1.0 escaping. Characters XML 1.0 cannot carry at all (most C0 controls,
/// U+FFFE, U+FFFF) are dropped; in attributes, whitespace other than a space is written
/// as a character reference so attribute-value normalization keeps it.
pub(crate) fn xml_escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A raw CR in text is turned into LF by every parser.
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// One verdict on one line, for JUnit bodies.
fn verdict_line(r: &Report, v: &Verdict) -> String {
    one_line(&format!("{}: {}", location_text(v), detail(r, v)))
}

/// `check --format junit`: one test case per code, failing when a verdict of that code
/// fails the gate.
pub fn check_junit(r: &Report) -> String {
    let mut cases = String::new();
    let mut failures = 0;
    for code in Code::ALL {
        let (fail, other): (Vec<&Verdict>, Vec<&Verdict>) = r
            .verdicts
            .iter()
            .filter(|v| v.code == code)
            .partition(|v| v.fails);
        let name = xml_escape(code.as_str(), true);
        let _ = write!(
            cases,
            "    <testcase classname=\"tiergate\" name=\"{name}\""
        );
        if fail.is_empty() && other.is_empty() {
            cases.push_str("/>\n");
            continue;
        }
        cases.push_str(">\n");
        if !fail.is_empty() {
            failures += 1;
            let message = format!(
                "{} failing {}: {}",
                fail.len(),
                if fail.len() == 1 {
                    "verdict"
                } else {
                    "verdicts"
                },
                code.description()
            );
            let body: Vec<String> = fail.iter().map(|v| verdict_line(r, v)).collect();
            let _ = writeln!(
                cases,
                "      <failure message=\"{}\" type=\"{name}\">{}</failure>",
                xml_escape(&message, true),
                xml_escape(&body.join("\n"), false)
            );
        }
        if !other.is_empty() {
            let body: Vec<String> = other
                .iter()
                .map(|v| format!("{}: {}", level(v).as_str(), verdict_line(r, v)))
                .collect();
            let _ = writeln!(
                cases,
                "      <system-out>{}</system-out>",
                xml_escape(&body.join("\n"), false)
            );
        }
        cases.push_str("    </testcase>\n");
    }
    let tests = Code::ALL.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"tiergate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"tiergate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    );
    s.push_str(&cases);
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

/// A Markdown code span that shows `s` literally, inside a GFM table cell. Backslashes
/// do not escape inside code spans, so backticks are handled with a longer fence; a pipe
/// still has to be `\|`, because GFM splits table cells before it parses code spans.
pub(crate) fn md_code(s: &str) -> String {
    md_code_span(s, true)
}

/// A Markdown code span showing `s` literally; `in_table` escapes the pipes a GFM
/// table cell needs (outside a table the backslash would show).
pub(crate) fn md_code_span(s: &str, in_table: bool) -> String {
    let s = one_line(s);
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space on each side when both are there, so pad when the
    // content itself starts or ends with a backtick or is wrapped in spaces.
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty());
    let sp = if pad { " " } else { "" };
    let body = if in_table { s.replace('|', "\\|") } else { s };
    format!("{fence}{sp}{body}{sp}{fence}")
}

/// Text outside code spans in a table cell (tier names come from the config).
pub(crate) fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn md_tier(r: &Report, t: Option<TierId>) -> String {
    t.map_or_else(|| "—".to_string(), |t| md_text(&tier_label(r, t)))
}

fn md_row(r: &Report, c: &TierChange) -> String {
    let path = match &c.old_path {
        Some(old) => format!("{} → {}", md_code(old), md_code(&c.path)),
        None => md_code(&c.path),
    };
    let mut why = c.rule.as_deref().map_or_else(|| "—".to_string(), md_code);
    if c.status == crate::gate::Status::Unchanged {
        why.push_str(" (content unchanged)");
    }
    format!(
        "| {path} | {} | {} | {why} |\n",
        md_tier(r, c.old_tier),
        md_tier(r, c.new_tier)
    )
}

/// The sections of a diff, in the order a reviewer should read them.
pub(super) const SECTIONS: [(Direction, &str); 4] = [
    (Direction::Lowered, "Lowered (less protected; needs review)"),
    (Direction::Raised, "Raised"),
    (Direction::Added, "Added"),
    (Direction::Removed, "Removed"),
];

fn changes_in(r: &Report, d: Direction) -> Vec<&TierChange> {
    r.changes.iter().filter(|c| c.direction == d).collect()
}

/// `diff --format markdown`: the tier changes as a pull-request comment.
pub fn diff_markdown(r: &Report) -> String {
    let mut s = String::from("### tiergate: tier changes\n\n");
    let counts: Vec<String> = SECTIONS
        .iter()
        .map(|(d, _)| {
            let name = match d {
                Direction::Lowered => "lowered",
                Direction::Raised => "raised",
                Direction::Added => "added",
                _ => "removed",
            };
            format!("{} {name}", changes_in(r, *d).len())
        })
        .collect();
    let any = SECTIONS.iter().any(|(d, _)| !changes_in(r, *d).is_empty());
    if any {
        let _ = writeln!(s, "{}.\n", counts.join(", "));
        for (d, title) in SECTIONS {
            let rows = changes_in(r, d);
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(s, "#### {title}\n");
            s.push_str("| Path | Before | After | Why |\n|---|---|---|---|\n");
            for c in rows {
                s.push_str(&md_row(r, c));
            }
            s.push('\n');
        }
    } else {
        s.push_str("No path changes tier.\n\n");
    }
    let n = failing(r);
    if n > 0 {
        let _ = writeln!(
            s,
            "Gate: failed ({n} {})",
            if n == 1 { "verdict" } else { "verdicts" }
        );
    } else {
        s.push_str("Gate: passed\n");
    }
    s
}

/// `diff --format json`: the tier changes grouped by direction.
pub fn diff_json(r: &Report) -> String {
    #[derive(Serialize)]
    struct Groups<'a> {
        lowered: Vec<&'a TierChange>,
        raised: Vec<&'a TierChange>,
        added: Vec<&'a TierChange>,
        removed: Vec<&'a TierChange>,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        schema_version: u32,
        mode: &'a Mode,
        judged_with: &'a str,
        changes: Groups<'a>,
    }
    to_json_line(&Out {
        schema_version: SCHEMA_VERSION,
        mode: &r.mode,
        judged_with: &r.judged_with,
        changes: Groups {
            lowered: changes_in(r, Direction::Lowered),
            raised: changes_in(r, Direction::Raised),
            added: changes_in(r, Direction::Added),
            removed: changes_in(r, Direction::Removed),
        },
    })
}

#[cfg(test)]
mod tests;
