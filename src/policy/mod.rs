//! Rego policies: the shipped packs (embedded at build time from `policies/`) plus the
//! repository's own, compiled once to regorus' RVM and evaluated over facts. Results
//! are memoized per distinct input, so Rego cost grows with distinct fact sets, not files.
//! Must not import walk, decide, manifest or render.

use serde::{Deserialize, Serialize};

use crate::model::{Confidence, FileKind, GitState, SizeClass};

/// Version of the Rego input document (`input.input_version`). Bump on any change
/// to its shape; documented in docs/src/rego.md.
pub const INPUT_VERSION: u32 = 2;

/// The Rego input for one file. Deliberately holds no path and no line numbers:
/// only facts, so that many files share one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegoInput {
    pub input_version: u32,
    pub file: RegoFile,
    /// The evidence of the file's component (see [`crate::component`]), when the file
    /// was judged within a whole scan and holds evidence of its own; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<RegoComponent>,
}

/// What the policies answered for one input: every package's findings, sorted.
pub type Answer = (RegoInput, std::sync::Arc<Vec<crate::model::Finding>>);

/// The component a file belongs to, as the policies see it: the component-level
/// signals of all its files, one per id, sorted by id; and, for a picture, whether it
/// is in a set laid out by person (a folder per person, side by side).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegoComponent {
    pub signals: Vec<RegoSignal>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub person_set: bool,
    /// The file's links to the files that implement a candidate system: the point and
    /// how (no path: the input holds facts only). Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system: Vec<RegoLink>,
}

/// A link of a file to a candidate system's code (see [`crate::component::system`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RegoLink {
    /// As flags write it: `7(c)`.
    pub point: String,
    /// `imports` or `imported-by`.
    pub relation: crate::component::Relation,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegoFile {
    pub kind: FileKind,
    pub extension: Option<String>,
    pub language: Option<String>,
    pub size_class: SizeClass,
    pub git: GitState,
    /// Sorted zone names.
    pub zones: Vec<String>,
    /// Sorted ids of the config glob rules that matched the path.
    pub rules: Vec<String>,
    pub content_scanned: bool,
    /// Sorted by id.
    pub signals: Vec<RegoSignal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegoSignal {
    pub id: String,
    pub category: String,
    pub confidence: Confidence,
    /// Occurrences, as the lower bound of a bucket: 1, 2 (2-4), 5 (5-9), 10 (10-99) or
    /// 100 (100 and more).
    pub count: u32,
}

/// The shape of the input document: every field a policy may read. A reference to
/// anything else (`input.file.languag`) could never be defined, so the rule using it
/// would silently never fire; loading refuses it (see `sandbox`).
#[derive(Debug)]
pub(crate) enum Shape {
    /// A value with no fields (string, number, boolean, null).
    Leaf,
    Object(&'static [(&'static str, Shape)]),
    /// An array of values of one shape.
    Array(&'static Shape),
}

/// [`RegoInput`] as policies see it (checked against its serialization by a test).
pub(crate) const INPUT_SHAPE: Shape = Shape::Object(&[
    ("input_version", Shape::Leaf),
    (
        "file",
        Shape::Object(&[
            ("kind", Shape::Leaf),
            ("extension", Shape::Leaf),
            ("language", Shape::Leaf),
            ("size_class", Shape::Leaf),
            ("git", Shape::Leaf),
            ("zones", Shape::Array(&Shape::Leaf)),
            ("rules", Shape::Array(&Shape::Leaf)),
            ("content_scanned", Shape::Leaf),
            (
                "signals",
                Shape::Array(&Shape::Object(&[
                    ("id", Shape::Leaf),
                    ("category", Shape::Leaf),
                    ("confidence", Shape::Leaf),
                    ("count", Shape::Leaf),
                ])),
            ),
        ]),
    ),
]);

mod eval;
mod load;
mod sandbox;
mod shipped;
mod source_lines;
pub mod tooling;

#[cfg(test)]
mod rego_tests;
#[cfg(test)]
mod tests;

pub use eval::Evaluator;
pub use load::{AnswerInputs, PolicyInfo, PolicySet};
pub use shipped::{shipped_pack_digests, shipped_pack_names};
