//! Static lookup of where a Rego rule id is written down, so a finding can point at
//! `file:line` without asking the VM (which keeps no source positions for values).
//!
//! How it works, and its limits (documented for policy authors in docs/src/rego.md):
//!
//! - The source text of each file of a package is scanned once, at load time.
//! - A *statement* starts at every line whose first character is not blank, `#`, `}`,
//!   `]` or `)` — i.e. rule heads are expected in column 1, as `opa fmt` writes them.
//! - A statement is a findings rule when its first line starts with `findings contains`.
//! - Inside a findings rule (head or body), the literal `"rule": "<id>"` (any spacing
//!   around the colon, outside comments) ties `<id>` to the line of that rule's head.
//!   The first such place wins (files in sorted order, then line order).
//! - A rule id that is not a literal in a findings rule of that package — computed with
//!   `sprintf`, held in a helper rule or variable, or written in a head that does not
//!   start in column 1 — gets the line of the first `findings contains` of the package.

use std::collections::HashMap;

use crate::model::SourceLoc;

/// Rule id -> location, for one package.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleLines {
    by_rule: HashMap<String, SourceLoc>,
    fallback: Option<SourceLoc>,
}

impl RuleLines {
    /// Scan the files of one package, given as (display path, source), in sorted order.
    pub fn scan<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> RuleLines {
        let mut lines = RuleLines::default();
        for (file, text) in files {
            lines.scan_file(file, text);
        }
        lines
    }

    fn scan_file(&mut self, file: &str, text: &str) {
        let mut head: Option<u32> = None;
        for (index, line) in text.lines().enumerate() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            if starts_statement(line) {
                head = line.starts_with("findings contains").then_some(number);
                if let (Some(n), None) = (head, &self.fallback) {
                    self.fallback = Some(SourceLoc {
                        file: file.to_string(),
                        line: n,
                    });
                }
            }
            let Some(head_line) = head else { continue };
            for id in rule_literals(strip_comment(line)) {
                self.by_rule
                    .entry(id.to_string())
                    .or_insert_with(|| SourceLoc {
                        file: file.to_string(),
                        line: head_line,
                    });
            }
        }
    }

    /// Where `rule` is written, or the package's first findings rule.
    pub fn locate(&self, rule: &str, package_file: &str) -> SourceLoc {
        self.by_rule
            .get(rule)
            .or(self.fallback.as_ref())
            .cloned()
            .unwrap_or_else(|| SourceLoc {
                file: package_file.to_string(),
                line: 0,
            })
    }
}

pub(crate) fn starts_statement(line: &str) -> bool {
    line.chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && !matches!(c, '#' | '}' | ']' | ')'))
}

/// The line without a trailing `#` comment (a `#` inside a string does not count).
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Every `<id>` of a `"rule": "<id>"` on the line. Ids with escapes are skipped: they
/// cannot be compared with the evaluated value reliably, and real ids are kebab-case.
pub(crate) fn rule_literals(line: &str) -> Vec<&str> {
    const KEY: &str = "\"rule\"";
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(pos) = rest.find(KEY) {
        rest = &rest[pos + KEY.len()..];
        let after_colon = match rest.trim_start().strip_prefix(':') {
            Some(r) => r.trim_start(),
            None => continue,
        };
        let Some(value) = after_colon.strip_prefix('"') else {
            continue;
        };
        if let Some(end) = value.find('"') {
            let id = &value[..end];
            if !id.is_empty() && !id.contains('\\') {
                found.push(id);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(file: &str, line: u32) -> SourceLoc {
        SourceLoc {
            file: file.into(),
            line,
        }
    }

    const POLICY: &str = r#"package tiergate.x

import rego.v1

# "rule": "in-a-comment"
helper := {"rule": "in-a-helper"}

findings contains {
	"code": "a",
	"rule": "multi-line-head",
} if {
	input.file.git == "ignored"
}

findings contains f if {
	f := {"code": "b", "tier": 1, "rule":"in-body", "reason": "x # not a comment"}
}

findings contains f if {
	f := {"code": "c", "rule": sprintf("%s", ["computed"])}
}
"#;

    #[test]
    fn literal_rule_ids_point_at_their_rule_head() {
        let lines = RuleLines::scan([("p.rego", POLICY)]);
        assert_eq!(lines.locate("multi-line-head", "p.rego"), loc("p.rego", 8));
        assert_eq!(lines.locate("in-body", "p.rego"), loc("p.rego", 15));
    }

    #[test]
    fn ids_outside_findings_rules_fall_back_to_the_first_findings_rule() {
        let lines = RuleLines::scan([("p.rego", POLICY)]);
        assert_eq!(lines.locate("in-a-helper", "p.rego"), loc("p.rego", 8));
        assert_eq!(lines.locate("in-a-comment", "p.rego"), loc("p.rego", 8));
        assert_eq!(lines.locate("computed", "p.rego"), loc("p.rego", 8));
    }

    #[test]
    fn the_first_file_with_the_id_wins_across_files() {
        let a = "package tiergate.x\nfindings contains {\"rule\": \"r\"} if true\n";
        let b = "package tiergate.x\n\n\nfindings contains {\"rule\": \"r\"} if true\nfindings contains {\"rule\": \"s\"} if true\n";
        let lines = RuleLines::scan([("a.rego", a), ("b.rego", b)]);
        assert_eq!(lines.locate("r", "a.rego"), loc("a.rego", 2));
        assert_eq!(lines.locate("s", "a.rego"), loc("b.rego", 5));
    }

    #[test]
    fn a_package_without_findings_heads_points_at_the_file() {
        let lines = RuleLines::scan([("a.rego", "package tiergate.x\n")]);
        assert_eq!(lines.locate("r", "a.rego"), loc("a.rego", 0));
    }
}
