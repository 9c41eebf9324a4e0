//! The part of SARIF 2.1.0 that `check --format sarif` writes: plain structs, written
//! only, each holding just the properties tiergate fills in. Section numbers refer to
//! the OASIS standard (<https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>);
//! `tests/sarif.rs` validates the output against the official schema.
//!
//! Fields are declared in the alphabetical order of their JSON names: the order of the
//! types generated from the schema that the output was first written with (serde-sarif),
//! kept so the output stayed byte for byte the same. A new field goes where its name
//! sorts.

use std::collections::BTreeMap;

use serde::Serialize;

/// §3.8 property bag: tool-specific properties, keys sorted.
pub type PropertyBag = BTreeMap<String, serde_json::Value>;

/// §3.13 sarifLog: the document.
#[derive(Debug, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub runs: Vec<Run>,
    pub version: String,
}

/// §3.14 run.
#[derive(Debug, Serialize)]
pub struct Run {
    pub invocations: Vec<Invocation>,
    pub results: Vec<Result>,
    pub tool: Tool,
}

/// §3.18 tool.
#[derive(Debug, Serialize)]
pub struct Tool {
    pub driver: ToolComponent,
}

/// §3.19 toolComponent (the driver).
#[derive(Debug, Serialize)]
pub struct ToolComponent {
    pub name: String,
    pub rules: Vec<ReportingDescriptor>,
    pub version: String,
}

/// §3.20 invocation.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    pub exit_code: i32,
    pub tool_execution_notifications: Vec<Notification>,
}

/// §3.27 result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Result {
    /// `error`, `warning`, `note` or `none` (§3.27.10).
    pub level: &'static str,
    pub locations: Vec<Location>,
    pub message: Message,
    pub partial_fingerprints: BTreeMap<String, String>,
    pub properties: PropertyBag,
    pub rule_id: String,
    pub rule_index: usize,
}

/// §3.28 location.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
}

/// §3.29 physicalLocation.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

/// §3.4 artifactLocation.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    pub uri_base_id: String,
}

/// §3.30 region.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: i64,
}

/// §3.11 message.
#[derive(Debug, Serialize)]
pub struct Message {
    pub text: String,
}

/// §3.12 multiformatMessageString.
#[derive(Debug, Serialize)]
pub struct MultiformatMessageString {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    pub text: String,
}

/// §3.49 reportingDescriptor (a rule).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub default_configuration: ReportingConfiguration,
    pub help: MultiformatMessageString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub id: String,
    pub name: String,
    pub properties: PropertyBag,
    pub short_description: MultiformatMessageString,
}

/// §3.50 reportingConfiguration.
#[derive(Debug, Serialize)]
pub struct ReportingConfiguration {
    /// As [`Result::level`].
    pub level: &'static str,
}

/// §3.52 reportingDescriptorReference.
#[derive(Debug, Serialize)]
pub struct ReportingDescriptorReference {
    pub id: String,
    pub index: usize,
}

/// §3.58 notification.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub associated_rule: ReportingDescriptorReference,
    /// As [`Result::level`].
    pub level: &'static str,
    pub message: Message,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> MultiformatMessageString {
        MultiformatMessageString {
            markdown: None,
            text: s.into(),
        }
    }

    fn log() -> Log {
        let rule = ReportingDescriptor {
            default_configuration: ReportingConfiguration { level: "error" },
            help: MultiformatMessageString {
                markdown: Some("**help**".into()),
                text: "help".into(),
            },
            help_uri: None,
            id: "r".into(),
            name: "r".into(),
            properties: PropertyBag::from([("tags".into(), serde_json::json!(["a"]))]),
            short_description: text("short"),
        };
        let result = Result {
            level: "warning",
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: "a.txt".into(),
                        uri_base_id: "SRCROOT".into(),
                    },
                    region: Region { start_line: 1 },
                },
            }],
            message: Message { text: "m".into() },
            partial_fingerprints: BTreeMap::from([("v1".into(), "f".into())]),
            properties: PropertyBag::from([("fails".into(), true.into())]),
            rule_id: "r".into(),
            rule_index: 0,
        };
        let notification = Notification {
            associated_rule: ReportingDescriptorReference {
                id: "r".into(),
                index: 0,
            },
            level: "note",
            message: Message { text: "n".into() },
        };
        Log {
            schema: "https://example.invalid/sarif.json".into(),
            runs: vec![Run {
                invocations: vec![Invocation {
                    execution_successful: true,
                    exit_code: 0,
                    tool_execution_notifications: vec![notification],
                }],
                results: vec![result],
                tool: Tool {
                    driver: ToolComponent {
                        name: "t".into(),
                        rules: vec![rule],
                        version: "1".into(),
                    },
                },
            }],
            version: "2.1.0".into(),
        }
    }

    /// What the schema test cannot see: every object's keys come out sorted (the
    /// order the output has always had), and absent optional fields are left out rather
    /// than written as null.
    #[test]
    fn keys_are_sorted_and_absent_fields_omitted() {
        // serde_json's own map sorts its keys (no `preserve_order`): the reference.
        assert_eq!(
            serde_json::to_string(&serde_json::json!({"b": 1, "a": 2})).unwrap(),
            r#"{"a":2,"b":1}"#
        );
        let log = log();
        let written = serde_json::to_string_pretty(&log).unwrap();
        let sorted = serde_json::to_string_pretty(&serde_json::to_value(&log).unwrap()).unwrap();
        assert_eq!(written, sorted);
        assert!(!written.contains("null"), "{written}");
        assert!(!written.contains("helpUri"), "{written}");
        assert_eq!(written.matches("\"markdown\"").count(), 1, "{written}");
    }
}
