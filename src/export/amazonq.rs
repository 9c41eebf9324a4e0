//! Amazon Q Developer CLI: a custom agent, `.amazonq/cli-agents/tiergate.json`, whose
//! `fs_read` and `fs_write` tools are denied the protected paths
//! (`toolsSettings.<tool>.deniedPaths`, gitignore-style, evaluated before any allow).
//! Start sessions with `q chat --agent tiergate`. An existing file keeps every other key
//! and the user's own entries; tiergate's entries of the last export are listed in
//! `.amazonq/tiergate-managed.json` (outside `cli-agents/`, which holds only agents).

use serde_json::Value;

use super::gitignore;
use super::json_merge::{object_at, parse_object, read_managed, replace_list, write_managed};

pub const AGENT_FILE: &str = ".amazonq/cli-agents/tiergate.json";
pub const MANAGED: &str = ".amazonq/tiergate-managed.json";

/// `./path` entries for gitignore patterns (`/dir/` becomes `./dir/**`).
pub fn entries(patterns: &[String]) -> Vec<String> {
    patterns
        .iter()
        .map(|p| match p.strip_suffix('/') {
            Some(dir) => format!(".{dir}/**"),
            None => format!(".{p}"),
        })
        .collect()
}

/// The agent file with tiergate's denied paths merged in, and the managed list.
pub fn merge(
    existing: Option<&str>,
    previous: Option<&str>,
    patterns: &[String],
) -> Result<(String, String, usize), String> {
    let mut root = parse_object(existing, AGENT_FILE)?;
    if existing.is_none_or(|t| t.trim().is_empty()) {
        root.insert("name".into(), Value::from("tiergate"));
        root.insert(
            "description".into(),
            Value::from("All tools; file tools are denied the paths this repository keeps from cloud models (tiergate export)"),
        );
        root.insert("tools".into(), serde_json::json!(["*"]));
    }
    let old = read_managed(previous);
    let new = entries(patterns);
    let settings = object_at(&mut root, "toolsSettings", AGENT_FILE)?;
    for tool in ["fs_read", "fs_write"] {
        let t = object_at(settings, tool, AGENT_FILE)?;
        replace_list(t, "deniedPaths", &old, &new, AGENT_FILE)?;
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).map_err(|e| e.to_string())?;
    text.push('\n');
    let all: Vec<&String> = new.iter().collect();
    Ok((text, write_managed(&all, AGENT_FILE), new.len()))
}

/// Protected paths the `fs_read` denied paths do not cover (read as gitignore lines
/// anchored at the project root).
pub fn uncovered(agent: &str, files: &[gitignore::Listed<'_>]) -> anyhow::Result<Vec<String>> {
    let v: Value = serde_json::from_str(agent)?;
    let mut lines = String::new();
    if let Some(Value::Array(denied)) = v.pointer("/toolsSettings/fs_read/deniedPaths") {
        for d in denied.iter().filter_map(Value::as_str) {
            if let Some(p) = d.strip_prefix("./") {
                lines.push('/');
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

    fn pats(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_new_agent_denies_the_protected_paths_to_both_file_tools() {
        let (text, managed, n) = merge(None, None, &pats(&["/hr/", "/x.pem"])).unwrap();
        assert_eq!(n, 2);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["name"], "tiergate");
        assert_eq!(v["tools"], serde_json::json!(["*"]));
        for tool in ["fs_read", "fs_write"] {
            assert_eq!(
                v["toolsSettings"][tool]["deniedPaths"],
                serde_json::json!(["./hr/**", "./x.pem"])
            );
        }
        // Re-export with other paths replaces tiergate's entries, keeps the user's.
        let mut edited: Value = serde_json::from_str(&text).unwrap();
        edited["toolsSettings"]["fs_read"]["deniedPaths"]
            .as_array_mut()
            .unwrap()
            .insert(0, Value::from("./mine/**"));
        edited["model"] = Value::from("x");
        let (text2, _, _) = merge(
            Some(&edited.to_string()),
            Some(&managed),
            &pats(&["/y.key"]),
        )
        .unwrap();
        let v: Value = serde_json::from_str(&text2).unwrap();
        assert_eq!(v["model"], "x");
        assert_eq!(
            v["toolsSettings"]["fs_read"]["deniedPaths"],
            serde_json::json!(["./mine/**", "./y.key"])
        );
    }

    #[test]
    fn verification_reads_the_denied_paths() {
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
        let (ok, _, _) = merge(None, None, &pats(&["/hr/"])).unwrap();
        assert!(uncovered(&ok, &files).unwrap().is_empty());
        let (bad, _, _) = merge(None, None, &pats(&["/other"])).unwrap();
        assert_eq!(uncovered(&bad, &files).unwrap(), ["hr/a.csv"]);
    }
}
