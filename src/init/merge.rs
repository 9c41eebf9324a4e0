//! Adding tiergate's hooks to a user's `.pre-commit-config.yaml` by a text edit that
//! keeps every byte the user wrote: the new `repos:` item is inserted after the list's
//! last item, in the file's own indentation and line endings, and nothing else moves.
//! The result is parsed back and must hold the user's document unchanged plus one item;
//! anything this cannot do that way (a flow-style list, a layout it does not
//! recognise) is refused, never guessed.

use serde_json::Value;

/// How the file's block sequences are written: the column of an item's dash relative
/// to its parent key, and the spaces between the dash and the item's first key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Column of a `repos:` item's dash.
    pub item: usize,
    /// Spaces after that dash.
    pub gap: usize,
    /// Columns from the `hooks:` key to its items' dashes.
    pub hooks_offset: usize,
    /// Spaces after a hook item's dash.
    pub hooks_gap: usize,
}

/// The style of `tiergate init`'s own file (and of pre-commit's documentation).
pub const DEFAULT_STYLE: Style = Style {
    item: 2,
    gap: 1,
    hooks_offset: 2,
    hooks_gap: 1,
};

/// What the edit did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The new text: the user's bytes with the tiergate item inserted.
    Added(String),
    /// Every tiergate hook is listed already; the file stays as it is.
    Present,
}

/// Why the file is left alone and the snippet printed instead.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Some of tiergate's hooks are listed and some are not: which item should get the
    /// rest is the user's call.
    Partial { present: Vec<String> },
    /// The file's layout is not one this edit handles; the reason says which.
    Layout(String),
}

/// One line of the text: its bytes without the line break, and where it ends
/// (past the line break).
struct Line<'a> {
    text: &'a str,
    end: usize,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line { text: body, end });
        start = end;
    }
    out
}

fn indent(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn is_comment(s: &str) -> bool {
    s.trim_start().starts_with('#')
}

/// After a key: nothing, or only a comment.
fn nothing_after(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

/// `repos:` (plain or quoted) at column 0: Some(what follows the colon).
fn repos_key(line: &str) -> Option<&str> {
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    ["repos:", "\"repos\":", "'repos':"]
        .iter()
        .find_map(|k| line.strip_prefix(k))
        .filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '#']))
}

/// The dash of a block sequence item at `line`: (column, spaces after the dash).
fn dash(line: &str) -> Option<(usize, usize)> {
    let col = indent(line);
    let rest = line[col..].strip_prefix('-')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let gap = rest.len() - rest.trim_start_matches(' ').len();
    Some((col, gap.max(1)))
}

/// The hook ids of tiergate's entry that the parsed config lists already, in any repo.
pub fn present_hooks(doc: &Value, ids: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for repo in doc["repos"].as_array().into_iter().flatten() {
        for hook in repo["hooks"].as_array().into_iter().flatten() {
            if let Some(id) = hook["id"].as_str()
                && ids.contains(&id)
                && !found.iter().any(|f| f == id)
            {
                found.push(id.to_string());
            }
        }
    }
    found
}

/// Insert the item that `render(style)` writes (lines without a break, indented for a
/// `repos:` key at column 0) into `text`, whose parse is `doc`.
pub fn add_item(
    text: &str,
    doc: &Value,
    ids: &[&str],
    render: impl Fn(Style) -> Vec<String>,
) -> Result<Outcome, Refusal> {
    let present = present_hooks(doc, ids);
    if present.len() == ids.len() {
        return Ok(Outcome::Present);
    }
    if !present.is_empty() {
        return Err(Refusal::Partial { present });
    }
    match doc {
        Value::Null | Value::Object(_) => {}
        _ => {
            return Err(Refusal::Layout(
                "the document is not a mapping with a `repos:` list".into(),
            ));
        }
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines = lines(text);
    let key = lines.iter().position(|l| repos_key(l.text).is_some());
    let Some(key) = key else {
        if doc.get("repos").is_some() {
            return Err(Refusal::Layout(
                "its `repos:` key is not written as a plain `repos:` at the start of a line".into(),
            ));
        }
        // No list yet: append one at the end.
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str("repos:");
        out.push_str(eol);
        for l in render(DEFAULT_STYLE) {
            out.push_str(&l);
            out.push_str(eol);
        }
        return Ok(Outcome::Added(out));
    };
    if !nothing_after(repos_key(lines[key].text).unwrap_or_default()) {
        return Err(Refusal::Layout(
            "its `repos:` list is written in flow style (`[...]` on the key's line)".into(),
        ));
    }
    if !matches!(doc["repos"], Value::Array(_) | Value::Null) {
        return Err(Refusal::Layout("its `repos:` is not a list".into()));
    }
    // The block: every following line that is blank, a comment, indented, or (for a
    // list written at the key's own column) a dash item; it ends at the next key.
    let mut last = key; // the last line that belongs to the list
    let mut first_item: Option<(usize, usize)> = None;
    let mut hooks_key: Option<usize> = None;
    let mut hooks_style: Option<(usize, usize)> = None;
    for (i, l) in lines.iter().enumerate().skip(key + 1) {
        let t = l.text;
        if is_blank(t) {
            continue;
        }
        let col = indent(t);
        if t.starts_with("---") || t.starts_with("...") {
            break;
        }
        if is_comment(t) {
            if col > 0 {
                last = i;
            }
            continue;
        }
        let item_dash = dash(t);
        if col == 0 && item_dash.is_none() {
            break;
        }
        if first_item.is_none() {
            match item_dash {
                Some(d) => first_item = Some(d),
                None => {
                    return Err(Refusal::Layout(
                        "its `repos:` list does not start with a `- ` item".into(),
                    ));
                }
            }
        }
        if hooks_style.is_none() {
            if let Some(h) = hooks_key
                && let Some((dcol, gap)) = item_dash
                && dcol >= h
            {
                hooks_style = Some((dcol - h, gap));
            }
            let after_dash = item_dash.map_or(col, |(c, g)| c + 1 + g);
            if t.len() > after_dash
                && let Some(rest) = t[after_dash..].strip_prefix("hooks:")
                && nothing_after(rest)
            {
                hooks_key = Some(after_dash);
            }
        }
        last = i;
    }
    let style = match first_item {
        Some((item, gap)) => {
            let (hooks_offset, hooks_gap) = hooks_style.unwrap_or((2, 1));
            Style {
                item,
                gap,
                hooks_offset,
                hooks_gap,
            }
        }
        None => DEFAULT_STYLE,
    };
    let at = lines[last].end;
    let mut out = String::with_capacity(text.len() + 512);
    out.push_str(&text[..at]);
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    for l in render(style) {
        out.push_str(&l);
        out.push_str(eol);
    }
    out.push_str(&text[at..]);
    Ok(Outcome::Added(out))
}

/// The check that the edit kept the user's document: the same mapping, the same repos
/// in the same order, and one more item that equals `expected`.
pub fn verify(before: &Value, after: &Value, expected: &Value) -> Result<(), String> {
    let after_map = after
        .as_object()
        .ok_or("the result is not a mapping".to_string())?;
    if let Some(before_map) = before.as_object() {
        for (k, v) in before_map {
            if k != "repos" && after_map.get(k) != Some(v) {
                return Err(format!("the key `{k}` changed"));
            }
        }
        if after_map.len() != before_map.len() + usize::from(!before_map.contains_key("repos")) {
            return Err("a key was added or lost".into());
        }
    } else if after_map.len() != 1 {
        return Err("a key was added".into());
    }
    let old: &[Value] = before["repos"].as_array().map_or(&[], Vec::as_slice);
    let new = after["repos"]
        .as_array()
        .ok_or("`repos` is not a list after the edit".to_string())?;
    if new.len() != old.len() + 1 {
        return Err(format!(
            "`repos` has {} items after the edit, not {}",
            new.len(),
            old.len() + 1
        ));
    }
    if new[..old.len()] != *old {
        return Err("an existing `repos` item changed".into());
    }
    if new[old.len()] != *expected {
        return Err("the added item does not read back as written".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 1] = ["ours"];

    fn item(style: Style) -> Vec<String> {
        let key = " ".repeat(style.item + 1 + style.gap);
        let dash = " ".repeat(key.len() + style.hooks_offset);
        vec![
            format!(
                "{}-{}repo: local",
                " ".repeat(style.item),
                " ".repeat(style.gap)
            ),
            format!("{key}hooks:"),
            format!("{dash}-{}id: ours", " ".repeat(style.hooks_gap)),
        ]
    }

    fn add(text: &str) -> Result<Outcome, Refusal> {
        let doc: Value = serde_saphyr::from_str::<Option<Value>>(text)
            .unwrap()
            .unwrap_or_default();
        add_item(text, &doc, &IDS, item)
    }

    fn added(text: &str) -> String {
        match add(text) {
            Ok(Outcome::Added(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_item_follows_the_last_one_and_its_comments() {
        let text = "---\nrepos:\n  - repo: a\n    hooks:\n      - id: x\n  # - repo: off for now\n\n# about ci\nci: {}\n";
        let out = added(text);
        assert_eq!(
            out,
            "---\nrepos:\n  - repo: a\n    hooks:\n      - id: x\n  # - repo: off for now\n  - repo: local\n    hooks:\n      - id: ours\n\n# about ci\nci: {}\n"
        );
    }

    #[test]
    fn the_styles_of_the_file_are_kept() {
        // Hooks listed at their key's column, items after three spaces.
        let out = added("repos:\n-   repo: a\n    hooks:\n    -   id: x\n");
        assert!(
            out.ends_with("-   repo: local\n    hooks:\n    -   id: ours\n"),
            "{out}"
        );
        // An empty list gets the default style.
        let out = added("repos:\nci: {}\n");
        assert_eq!(
            out,
            "repos:\n  - repo: local\n    hooks:\n      - id: ours\nci: {}\n"
        );
    }

    #[test]
    fn listed_hooks_and_unknown_layouts_are_left_alone() {
        assert_eq!(
            add("repos:\n  - repo: local\n    hooks:\n      - id: ours\n"),
            Ok(Outcome::Present)
        );
        assert!(matches!(add("repos: []\n"), Err(Refusal::Layout(_))));
        assert!(matches!(add("- a\n- b\n"), Err(Refusal::Layout(_))));
        assert!(matches!(
            add("{repos: [{repo: a, hooks: []}]}\n"),
            Err(Refusal::Layout(_))
        ));
    }

    #[test]
    fn verify_tells_a_kept_document_from_a_changed_one() {
        let before: Value = serde_json::json!({"repos": [{"repo": "a"}], "ci": {}});
        let ours = serde_json::json!({"repo": "local"});
        let good = serde_json::json!({"repos": [{"repo": "a"}, {"repo": "local"}], "ci": {}});
        assert_eq!(verify(&before, &good, &ours), Ok(()));
        for bad in [
            serde_json::json!({"repos": [{"repo": "b"}, {"repo": "local"}], "ci": {}}),
            serde_json::json!({"repos": [{"repo": "a"}, {"repo": "local"}]}),
            serde_json::json!({"repos": [{"repo": "a"}, {"repo": "other"}], "ci": {}}),
            serde_json::json!({"repos": [{"repo": "a"}], "ci": {}}),
        ] {
            assert!(verify(&before, &bad, &ours).is_err(), "{bad}");
        }
    }
}
