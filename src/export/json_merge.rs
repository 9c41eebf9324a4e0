//! Merging tiergate's entries into an agent's JSON settings without touching the rest:
//! nested objects are created when missing, lists keep the user's entries first, and
//! the entries tiergate wrote last time (kept in a managed list beside the file) are
//! replaced rather than piled up.

use serde_json::{Map, Value};

/// The object at `key`, created when missing. Err names `file` when it is not an object.
pub fn object_at<'m>(
    m: &'m mut Map<String, Value>,
    key: &str,
    file: &str,
) -> Result<&'m mut Map<String, Value>, String> {
    let v = m
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    match v {
        Value::Object(o) => Ok(o),
        _ => Err(format!("`{key}` in {file} is not an object")),
    }
}

/// The list at `key` without tiergate's `old` entries, then the `new` ones (each once,
/// the user's first, in their order).
pub fn replace_list(
    m: &mut Map<String, Value>,
    key: &str,
    old: &[String],
    new: &[String],
    file: &str,
) -> Result<(), String> {
    let current = m
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(items) = current else {
        return Err(format!("`{key}` in {file} is not a list"));
    };
    items.retain(|v| !v.as_str().is_some_and(|s| old.iter().any(|o| o == s)));
    for n in new {
        if !items.iter().any(|v| v.as_str() == Some(n.as_str())) {
            items.push(Value::String(n.clone()));
        }
    }
    Ok(())
}

/// The entries a previous export recorded (none when there is no readable list).
pub fn read_managed(text: Option<&str>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str::<Value>(t).ok())
        .and_then(|v| v.get("entries").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// The managed list for the entries written into `file`.
pub fn write_managed(entries: &[&String], file: &str) -> String {
    let mut out = serde_json::to_string_pretty(&serde_json::json!({
        "about": format!("entries tiergate export wrote into {file}; it replaces them on the next export"),
        "entries": entries,
    }))
    .expect("JSON values serialize");
    out.push('\n');
    out
}

/// Parse a settings file as a JSON object (empty or missing: a new object).
pub fn parse_object(existing: Option<&str>, file: &str) -> Result<Map<String, Value>, String> {
    match existing.filter(|t| !t.trim().is_empty()) {
        Some(t) => match serde_json::from_str(t) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(format!("{file} is not a JSON object")),
            Err(e) => Err(format!("{file}:{}:{}: {e}", e.line(), e.column())),
        },
        None => Ok(Map::new()),
    }
}
