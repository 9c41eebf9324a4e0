//! Phase 1 of config loading: YAML text into a located generic tree.
//!
//! Owns the serde-saphyr options (duplicate keys are errors, a budget against alias
//! bombs and oversized documents) and the translation of its errors into one located
//! [`Diagnostic`]. Knows nothing about the tiergate schema: that is `validate`'s job, so
//! a schema problem never hides behind the first serde error.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, Spanned};

use crate::diag::Diagnostic;

/// Config files are a few kilobytes; anything past this is a mistake or an attack, and
/// serde-saphyr's own size cap only applies to reader input, not to `&str`.
pub(crate) const MAX_CONFIG_BYTES: usize = 1 << 20;

/// A value with the 1-based position where it is used in the file (for an alias, the
/// alias token: that is where the user has to look).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located<T> {
    pub value: T,
    pub line: u64,
    pub col: u64,
}

/// The YAML data model, with every node and every mapping key located.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// Wide enough for every YAML integer serde reports, so range checks happen in
    /// validation with a proper message instead of an overflow in the parser.
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Located<Node>>),
    /// Keys are nodes, not strings: a non-string key is a schema problem reported with
    /// the others, not a parse failure.
    Map(Vec<(Located<Node>, Located<Node>)>),
}

impl Node {
    /// "found {what}" in type errors.
    pub fn describe(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a floating-point number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Located<Node> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Node>::deserialize(d)?;
        Ok(Located {
            value: s.value,
            line: s.referenced.line(),
            col: s.referenced.column(),
        })
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        // Saturating keeps "out of range" an out-of-range error in validation.
        Ok(Node::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Err(E::custom(
            "binary (!!binary) values are not supported in tiergate.yaml",
        ))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Located<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Located<Node>>()? {
            let value = map.next_value::<Located<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// Limits far above any real tiergate.yaml (a few hundred nodes) and far below what
/// would let a hostile file burn CPU or memory. The alias limits are what stop a
/// "billion laughs" file: its parser events are few, its replays explode.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 200_000,
            max_aliases: 2_000,
            max_anchors: 2_000,
            max_recorded_anchor_events: 20_000,
            max_recorded_anchor_bytes: 4 << 20,
            max_depth: 32,
            max_nodes: 100_000,
            max_total_scalar_bytes: 4 << 20,
            max_merge_keys: 1_000,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 20_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 5_000,
        },
        duplicate_keys: DuplicateKeyPolicy::Error,
        // YAML 1.1 booleans (`no`, `on`, `y`) silently turn names into booleans.
        strict_booleans: true,
        // A custom tag has no meaning in this schema; dropping it silently would hide
        // a mistake.
        reject_unsupported_tags: true,
        // Let `.nan` reach validation as a float, reported with the other type errors.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
    }
}

/// Parse YAML text into the located tree. `Ok(None)` for an empty document (nothing,
/// or only comments), which means "all defaults".
pub(crate) fn parse(text: &str, file: &str) -> Result<Option<Located<Node>>, Diagnostic> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(Diagnostic::new(
            file,
            0,
            0,
            "yaml-limit",
            format!(
                "the file is {} bytes; a config file may be at most {MAX_CONFIG_BYTES} bytes",
                text.len()
            ),
        ));
    }
    serde_saphyr::from_str_with_options::<Option<Located<Node>>>(text, options())
        .map_err(|e| to_diagnostic(&e, file))
}

/// Parse any YAML document into JSON values with the same limits and error reporting
/// (for files of other tools, whose schema is not tiergate's). An empty document is
/// null.
pub(crate) fn parse_value(text: &str, file: &str) -> Result<serde_json::Value, Diagnostic> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(Diagnostic::new(
            file,
            0,
            0,
            "yaml-limit",
            format!(
                "the file is {} bytes; at most {MAX_CONFIG_BYTES} bytes are read",
                text.len()
            ),
        ));
    }
    serde_saphyr::from_str_with_options::<Option<serde_json::Value>>(text, options())
        .map(Option::unwrap_or_default)
        .map_err(|e| to_diagnostic(&e, file))
}

fn to_diagnostic(err: &serde_saphyr::Error, file: &str) -> Diagnostic {
    use serde_saphyr::Error as E;
    // Alias and snippet wrappers carry no meaning of their own; classify the cause.
    let mut inner = err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let code = match inner {
        E::DuplicateMappingKey { .. } => "duplicate-key",
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => "yaml-limit",
        _ => "yaml-syntax",
    };
    let detail = serde_saphyr::DefaultMessageFormatter.format_message(inner);
    let message = match (code, inner) {
        (_, E::DuplicateMappingKey { key: Some(k), .. }) => {
            format!("duplicate key `{k}`: each key may appear once in a mapping")
        }
        (_, E::MultipleDocuments { .. }) => {
            "a config file holds a single YAML document; a second one starts here".into()
        }
        ("duplicate-key", _) => "duplicate key: each key may appear once in a mapping".into(),
        (_, E::Budget { .. }) => {
            format!("YAML document too large or too complex for a config file: {detail}")
        }
        ("yaml-limit", _) => format!("YAML aliases expand too much (an alias bomb?): {detail}"),
        _ => detail.into_owned(),
    };
    // The formatter's contract leaves control characters in; a diagnostic is one line.
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let (line, col) = err
        .location()
        .or_else(|| inner.location())
        .map_or((0, 0), |l| (l.line(), l.column()));
    Diagnostic::new(file, line, col, code, message)
}
