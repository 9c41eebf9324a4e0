//! Components: the parts of a repository whose purpose is judged as a whole.
//!
//! An AI system's intended purpose (what the EU AI Act's Annex III is about) belongs to
//! a package or service, not to one of its files: the README states it, the dependency
//! file and the imports show the model library, the training code, the model artifact
//! and the data columns show what it decides. A component is a directory holding a
//! package or build manifest ([`MARKERS`]: `pyproject.toml`, `package.json`, `go.mod`…),
//! or the repository itself; each file belongs to the nearest one above it.
//!
//! The scan collects the signals the component-level policies read (category
//! [`CATEGORIES`]) from every file of a component, one entry per signal id (confidence
//! the highest seen, count the sum), and passes them with each of its files to the
//! policies as `input.component.signals`. Only files that have such signals themselves
//! can be judged differently inside their component, so only they are decided twice.

use std::collections::BTreeMap;

use crate::model::{Facts, Signal};

/// File names that make their directory a component root: package and build manifests
/// of the ecosystems tiergate reads imports of, and a few more.
pub const MARKERS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "environment.yml",
    "requirements.txt",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "build.sbt",
    "DESCRIPTION",
    "renv.lock",
    "Gemfile",
    "composer.json",
    "mix.exs",
    "Package.swift",
];

/// Signal categories judged at component level.
pub const CATEGORIES: &[&str] = &["annex3"];

/// Whether `path` (repository-relative) names a component marker.
pub fn is_marker(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    MARKERS.contains(&name)
}

/// Whether a file's facts hold signals judged at component level.
pub fn is_relevant(facts: &Facts) -> bool {
    facts
        .signals
        .iter()
        .any(|s| CATEGORIES.contains(&s.category.as_str()))
}

/// The components of one repository and the evidence gathered for each.
#[derive(Debug, Default)]
pub struct Components {
    /// Component roots, repository-relative directories without a trailing `/`; `""`
    /// is the repository. Sorted.
    roots: Vec<String>,
    /// By root: the component-level signals of its files, by id.
    evidence: BTreeMap<String, BTreeMap<String, Signal>>,
}

impl Components {
    /// The components whose markers are at `markers` (paths of marker files).
    pub fn new<'a>(markers: impl IntoIterator<Item = &'a str>) -> Components {
        let mut roots: Vec<String> = markers
            .into_iter()
            .map(|m| m.rsplit_once('/').map_or("", |(dir, _)| dir).to_string())
            .collect();
        roots.push(String::new());
        roots.sort();
        roots.dedup();
        Components {
            roots,
            evidence: BTreeMap::new(),
        }
    }

    /// The root of the component `path` belongs to: the longest root that is `path`'s
    /// directory or one above it.
    pub fn root_of(&self, path: &str) -> &str {
        let mut dir = path;
        while let Some((d, _)) = dir.rsplit_once('/') {
            if let Ok(i) = self.roots.binary_search_by(|r| r.as_str().cmp(d)) {
                return &self.roots[i];
            }
            dir = d;
        }
        ""
    }

    /// Add a file's component-level signals to its component's evidence.
    pub fn add(&mut self, facts: &Facts) {
        let root = self.root_of(&facts.path).to_string();
        let ev = self.evidence.entry(root).or_default();
        for s in &facts.signals {
            if !CATEGORIES.contains(&s.category.as_str()) {
                continue;
            }
            ev.entry(s.id.clone())
                .and_modify(|e| {
                    e.confidence = e.confidence.max(s.confidence);
                    e.count = e.count.saturating_add(s.count);
                    e.line = 0;
                })
                .or_insert_with(|| Signal {
                    line: 0,
                    ..s.clone()
                });
        }
    }

    /// The evidence of the component `path` belongs to, sorted by id.
    pub fn signals_of(&self, path: &str) -> Vec<Signal> {
        self.evidence
            .get(self.root_of(path))
            .map(|e| e.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Every component with evidence: its root and signals, by root.
    pub fn judged(&self) -> impl Iterator<Item = (&str, Vec<&Signal>)> {
        self.evidence
            .iter()
            .map(|(root, ev)| (root.as_str(), ev.values().collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Confidence;

    fn facts(path: &str, signals: &[(&str, &str, Confidence, u32)]) -> Facts {
        let mut f = crate::walk::base_facts(
            crate::walk::RelPath {
                display: path.into(),
                raw: path.into(),
                utf8: true,
            },
            crate::model::FileKind::Text,
            10,
            crate::model::GitState::Tracked,
        );
        f.signals = signals
            .iter()
            .map(|&(id, category, confidence, count)| Signal {
                id: id.into(),
                category: category.into(),
                confidence,
                count,
                line: 3,
            })
            .collect();
        f
    }

    #[test]
    fn a_file_belongs_to_the_nearest_root_above_it() {
        let c = Components::new([
            "services/rank/pyproject.toml",
            "package.json",
            "web/package.json",
        ]);
        assert_eq!(c.root_of("services/rank/src/model.py"), "services/rank");
        assert_eq!(c.root_of("services/rank/pyproject.toml"), "services/rank");
        assert_eq!(c.root_of("services/ranker/x.py"), "");
        assert_eq!(c.root_of("web/app.ts"), "web");
        assert_eq!(c.root_of("README.md"), "");
        assert_eq!(c.root_of("docs/a/b/c.md"), "");
    }

    #[test]
    fn evidence_is_one_signal_per_id_with_the_highest_confidence_and_the_summed_count() {
        let mut c = Components::new(["svc/go.mod"]);
        c.add(&facts(
            "svc/a.go",
            &[
                ("annex3.4a.screening_terms", "annex3", Confidence::Low, 2),
                ("pii.email", "pii", Confidence::High, 9),
            ],
        ));
        c.add(&facts(
            "svc/README.md",
            &[("annex3.4a.screening_terms", "annex3", Confidence::Medium, 3)],
        ));
        c.add(&facts(
            "other.py",
            &[("annex3.ai.ml_library_import", "annex3", Confidence::High, 1)],
        ));
        let s = c.signals_of("svc/b.go");
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].id, "annex3.4a.screening_terms");
        assert_eq!(s[0].confidence, Confidence::Medium);
        assert_eq!(s[0].count, 5);
        assert_eq!(c.signals_of("x.py")[0].id, "annex3.ai.ml_library_import");
        assert!(c.signals_of("svc/nothing/here.go").len() == 1);
        assert_eq!(c.judged().count(), 2);
    }

    #[test]
    fn markers_are_known_by_file_name() {
        assert!(is_marker("a/b/pyproject.toml"));
        assert!(is_marker("package.json"));
        assert!(!is_marker("a/package.json.bak"));
        assert!(!is_marker("docs/pyproject.toml.md"));
    }
}
