//! Claude Code: `.claude/settings.json`. Protected paths become `permissions.deny`
//! rules `Read(/path)` and `Edit(/path)` (gitignore patterns; a leading `/` anchors them
//! at the project root, where a bare pattern would follow the working directory) and
//! `sandbox.filesystem.denyRead` entries `./path` for the OS-level sandbox, which also
//! covers shell commands when the sandbox is on. Everything else in the file is kept.
//! The entries tiergate wrote last time are listed in `.claude/tiergate-managed.json`,
//! so a re-export replaces them instead of piling up; the user's own entries are never
//! touched.

use serde_json::Value;

use super::gitignore;
use super::json_merge::{object_at, parse_object, read_managed, replace_list};

pub const SETTINGS: &str = ".claude/settings.json";
pub const MANAGED: &str = ".claude/tiergate-managed.json";

/// The settings file and the list of tiergate's entries, both as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaudeExport {
    pub settings: String,
    pub managed: String,
    pub rules: usize,
}

/// tiergate's entries for a set of gitignore patterns (as [`gitignore::patterns`] makes).
pub fn entries(patterns: &[String]) -> (Vec<String>, Vec<String>) {
    let mut deny = Vec::new();
    let mut sandbox = Vec::new();
    for p in patterns {
        // `/dir/` names a directory: Claude's rules take `/dir/**` for what is in it.
        let rule = match p.strip_suffix('/') {
            Some(dir) => format!("{dir}/**"),
            None => p.clone(),
        };
        deny.push(format!("Read({rule})"));
        deny.push(format!("Edit({rule})"));
        sandbox.push(format!(".{rule}"));
    }
    (deny, sandbox)
}

/// Merge tiergate's entries into `existing` settings (JSON), replacing those listed in
/// `previous` (the managed list of the last export). Err when the existing file is not
/// a JSON object with the expected shapes.
pub fn merge(
    existing: Option<&str>,
    previous: Option<&str>,
    patterns: &[String],
    hook_command: &str,
) -> Result<ClaudeExport, String> {
    let mut root = parse_object(existing, SETTINGS)?;
    ensure_hook(&mut root, hook_command)?;
    let old = read_managed(previous);
    let (deny, sandbox) = entries(patterns);
    let permissions = object_at(&mut root, "permissions", SETTINGS)?;
    replace_list(permissions, "deny", &old, &deny, SETTINGS)?;
    let sb = object_at(&mut root, "sandbox", SETTINGS)?;
    let fs = object_at(sb, "filesystem", SETTINGS)?;
    replace_list(fs, "denyRead", &old, &sandbox, SETTINGS)?;
    let mut settings =
        serde_json::to_string_pretty(&Value::Object(root)).map_err(|e| e.to_string())?;
    settings.push('\n');
    let all: Vec<&String> = deny.iter().chain(&sandbox).collect();
    let managed = super::json_merge::write_managed(&all, SETTINGS);
    Ok(ClaudeExport {
        settings,
        managed,
        rules: deny.len(),
    })
}

/// The tools whose calls the runtime hook judges.
pub const HOOK_MATCHER: &str = "Read|Edit|Write|MultiEdit|NotebookEdit|Grep|Glob|Bash";

/// Register `tiergate hook claude-code` for PreToolUse unless a hook running
/// `tiergate hook claude-code` is already there (the user's own form is kept).
fn ensure_hook(root: &mut serde_json::Map<String, Value>, command: &str) -> Result<(), String> {
    let hooks = object_at(root, "hooks", SETTINGS)?;
    let list = hooks
        .entry("PreToolUse".to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(items) = list else {
        return Err(format!("`hooks.PreToolUse` in {SETTINGS} is not a list"));
    };
    let present = items.iter().any(|m| {
        m.get("hooks").and_then(Value::as_array).is_some_and(|hs| {
            hs.iter().any(|h| {
                h.get("command")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains("tiergate hook claude-code"))
            })
        })
    });
    if !present {
        items.push(serde_json::json!({
            "matcher": HOOK_MATCHER,
            "hooks": [{"type": "command", "command": command}],
        }));
    }
    Ok(())
}

/// The protected paths the `Read(...)` rules of a settings file do not cover, read
/// with a gitignore matcher as Claude Code reads them (project-anchored patterns only:
/// `Read(/...)`).
pub fn uncovered(settings: &str, files: &[gitignore::Listed<'_>]) -> anyhow::Result<Vec<String>> {
    let v: Value = serde_json::from_str(settings)?;
    let mut lines = String::new();
    if let Some(Value::Array(deny)) = v.pointer("/permissions/deny") {
        for d in deny.iter().filter_map(Value::as_str) {
            if let Some(p) = d.strip_prefix("Read(").and_then(|r| r.strip_suffix(')'))
                && p.starts_with('/')
                && !p.starts_with("//")
            {
                lines.push_str(p);
                lines.push('\n');
            }
        }
    }
    Ok(gitignore::verify(&lines, files)?.uncovered)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOOK: &str = "tiergate hook claude-code --destination cloud-zdr";

    fn pats(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_runtime_hook_is_registered_once() {
        let first = merge(None, None, &[], HOOK).unwrap();
        let v: Value = serde_json::from_str(&first.settings).unwrap();
        assert_eq!(v["hooks"]["PreToolUse"][0]["matcher"], HOOK_MATCHER);
        assert_eq!(v["hooks"]["PreToolUse"][0]["hooks"][0]["command"], HOOK);
        let again = merge(Some(&first.settings), Some(&first.managed), &[], HOOK).unwrap();
        let v: Value = serde_json::from_str(&again.settings).unwrap();
        assert_eq!(v["hooks"]["PreToolUse"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn entries_anchor_at_the_project_root() {
        let (deny, sandbox) = entries(&pats(&["/hr/", "/x.pem", "/**/*.key"]));
        assert_eq!(
            deny,
            [
                "Read(/hr/**)",
                "Edit(/hr/**)",
                "Read(/x.pem)",
                "Edit(/x.pem)",
                "Read(/**/*.key)",
                "Edit(/**/*.key)"
            ]
        );
        assert_eq!(sandbox, ["./hr/**", "./x.pem", "./**/*.key"]);
    }

    #[test]
    fn other_keys_and_user_entries_are_kept_and_old_entries_replaced() {
        let existing =
            r#"{"model": "x", "permissions": {"allow": ["Bash(ls)"], "deny": ["Read(/mine)"]}}"#;
        let first = merge(Some(existing), None, &pats(&["/hr/"]), HOOK).unwrap();
        let v: Value = serde_json::from_str(&first.settings).unwrap();
        assert_eq!(v["model"], "x");
        assert_eq!(v["permissions"]["allow"][0], "Bash(ls)");
        assert_eq!(
            v["permissions"]["deny"],
            serde_json::json!(["Read(/mine)", "Read(/hr/**)", "Edit(/hr/**)"])
        );
        assert_eq!(
            v["sandbox"]["filesystem"]["denyRead"],
            serde_json::json!(["./hr/**"])
        );
        // The next export, with hr/ no longer protected and x.pem protected.
        let second = merge(
            Some(&first.settings),
            Some(&first.managed),
            &pats(&["/x.pem"]),
            HOOK,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&second.settings).unwrap();
        assert_eq!(
            v["permissions"]["deny"],
            serde_json::json!(["Read(/mine)", "Read(/x.pem)", "Edit(/x.pem)"])
        );
        // Idempotent.
        let third = merge(
            Some(&second.settings),
            Some(&second.managed),
            &pats(&["/x.pem"]),
            HOOK,
        )
        .unwrap();
        assert_eq!(third, second);
    }

    #[test]
    fn a_malformed_settings_file_is_refused_with_its_location() {
        let e = merge(Some("{\n  \"permissions\": [\n"), None, &[], HOOK).unwrap_err();
        assert!(e.starts_with(".claude/settings.json:3:"), "{e}");
        let e = merge(Some(r#"{"permissions": {"deny": "x"}}"#), None, &[], HOOK).unwrap_err();
        assert!(e.contains("`deny`"), "{e}");
    }

    #[test]
    fn verification_reads_the_read_rules() {
        let files = vec![
            gitignore::Listed {
                path: "hr/a.csv",
                protected: true,
            },
            gitignore::Listed {
                path: "src/b.rs",
                protected: false,
            },
        ];
        let ok = merge(None, None, &pats(&["/hr/"]), HOOK).unwrap();
        assert!(uncovered(&ok.settings, &files).unwrap().is_empty());
        let none = merge(None, None, &pats(&["/other"]), HOOK).unwrap();
        assert_eq!(uncovered(&none.settings, &files).unwrap(), ["hr/a.csv"]);
    }
}
