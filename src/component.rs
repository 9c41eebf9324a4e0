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

use serde::Serialize;

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
    evidence: BTreeMap<String, BTreeMap<String, Evidence>>,
}

/// One signal of a component: merged over its files, and where it was seen.
#[derive(Debug, Clone)]
struct Evidence {
    signal: Signal,
    /// `path:line` of the first [`MAX_LOCATIONS`] files that have it, sorted.
    at: Vec<String>,
}

/// Locations kept per signal and component: enough for a reviewer to look.
pub const MAX_LOCATIONS: usize = 8;

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

    /// Add a file's component-level signals to its component's evidence. Files are
    /// added in path order (the locations kept are the first ones).
    pub fn add(&mut self, facts: &Facts) {
        let root = self.root_of(&facts.path).to_string();
        let ev = self.evidence.entry(root).or_default();
        for s in &facts.signals {
            if !CATEGORIES.contains(&s.category.as_str()) {
                continue;
            }
            let at = format!("{}:{}", facts.path, s.line);
            ev.entry(s.id.clone())
                .and_modify(|e| {
                    e.signal.confidence = e.signal.confidence.max(s.confidence);
                    e.signal.count = e.signal.count.saturating_add(s.count);
                    if e.at.len() < MAX_LOCATIONS {
                        e.at.push(at.clone());
                    }
                })
                .or_insert_with(|| Evidence {
                    signal: Signal {
                        line: 0,
                        ..s.clone()
                    },
                    at: vec![at],
                });
        }
    }

    /// The evidence of the component `path` belongs to, sorted by id.
    pub fn signals_of(&self, path: &str) -> Vec<Signal> {
        self.evidence
            .get(self.root_of(path))
            .map(|e| e.values().map(|x| x.signal.clone()).collect())
            .unwrap_or_default()
    }

    /// The judgement of every component with Annex III evidence, by root: what shows
    /// an AI system, and per point the evidence, the status the policies gave its files
    /// (`flags(path)`: the file's `(point label, status)` pairs) and those files.
    pub fn judgements(&self, flags: impl Fn(&str) -> Vec<(String, String)>) -> Vec<Judgement> {
        let mut out = Vec::new();
        for (root, ev) in &self.evidence {
            let located = |e: &Evidence| Located {
                signal: e.signal.id.clone(),
                at: e.at.clone(),
            };
            let ai_system: Vec<Located> = ev
                .values()
                .filter(|e| point_of(&e.signal.id) == Some(AI_SYSTEM))
                .map(located)
                .collect();
            // Point key -> (evidence, against).
            let mut by_point: BTreeMap<&str, (Vec<Located>, Vec<Located>)> = BTreeMap::new();
            for e in ev.values() {
                let Some(p) = point_of(&e.signal.id).filter(|p| *p != AI_SYSTEM) else {
                    continue;
                };
                let role = e.signal.id.split('.').nth(2);
                let slot = by_point.entry(p).or_default();
                match role {
                    Some("exclude") => slot.1.push(located(e)),
                    Some("context") => {}
                    _ => slot.0.push(located(e)),
                }
            }
            // Flags of the component's files, read once per file with evidence.
            let mut files: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
            for e in ev.values() {
                for at in &e.at {
                    let path = at.rsplit_once(':').map_or(at.as_str(), |(p, _)| p);
                    if !files.contains_key(path) {
                        files.insert(path.to_string(), flags(path));
                    }
                }
            }
            let mut points = Vec::new();
            for (key, (evidence, against)) in by_point {
                if evidence.is_empty() {
                    continue;
                }
                let label = point_label(key);
                let flagged: Vec<(&String, &String)> = files
                    .iter()
                    .flat_map(|(path, fl)| {
                        fl.iter()
                            .filter(|(p, _)| *p == label)
                            .map(move |(_, status)| (path, status))
                    })
                    .collect();
                let status = if flagged
                    .iter()
                    .any(|(_, s)| s.as_str() == "possible-prohibited")
                {
                    Status::PossibleProhibited
                } else if !flagged.is_empty() {
                    Status::Candidate
                } else if ai_system.is_empty() {
                    Status::NoAiSystem
                } else {
                    Status::NotEnoughEvidence
                };
                let mut implemented_by: Vec<String> =
                    flagged.iter().map(|(p, _)| (*p).clone()).collect();
                implemented_by.dedup();
                points.push(PointJudgement {
                    point: label,
                    status,
                    evidence,
                    against,
                    implemented_by,
                });
            }
            if !points.is_empty() {
                out.push(Judgement {
                    root: root.clone(),
                    ai_system,
                    points,
                });
            }
        }
        out
    }
}

/// The key of the AI-system signals (`annex3.ai.*`), of no Annex III point.
pub const AI_SYSTEM: &str = "ai";

/// `annex3.<point>.…` -> the point key.
fn point_of(id: &str) -> Option<&str> {
    let mut parts = id.split('.');
    (parts.next() == Some("annex3"))
        .then(|| parts.next())
        .flatten()
}

/// A point key as the regulation writes it: `4a` -> `4(a)`, `2` -> `2`.
pub fn point_label(key: &str) -> String {
    match key.split_at_checked(1) {
        Some((area, letter)) if !letter.is_empty() => format!("{area}({letter})"),
        _ => key.to_string(),
    }
}

/// What tiergate concluded about one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    /// The component's root directory; `""` is the repository.
    pub root: String,
    /// The evidence of an AI system (empty: none found).
    pub ai_system: Vec<Located>,
    /// Every point with positive evidence in the component.
    pub points: Vec<PointJudgement>,
}

/// One Annex III point in one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointJudgement {
    /// As the regulation writes it, `4(a)`.
    pub point: String,
    pub status: Status,
    /// The positive signals, with where they were seen.
    pub evidence: Vec<Located>,
    /// Negative evidence (exclusions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub against: Vec<Located>,
    /// The files flagged with the point: those that implement the system.
    pub implemented_by: Vec<String>,
}

/// A point's status in a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Flagged on the files that implement it: a candidate for legal review.
    Candidate,
    /// Flagged as overlapping an Art 5 prohibited practice.
    PossibleProhibited,
    /// Evidence of the purpose, but nothing shows an AI system: not a candidate.
    NoAiSystem,
    /// An AI system, but the point's evidence falls short of a candidate.
    NotEnoughEvidence,
}

impl Status {
    /// The status in a sentence's words.
    pub fn describe(self) -> &'static str {
        match self {
            Status::Candidate => "candidate",
            Status::PossibleProhibited => "possible prohibited practice",
            Status::NoAiSystem => "not a candidate: no AI system found in the component",
            Status::NotEnoughEvidence => {
                "not a candidate: the evidence falls short (two independent signals, one medium or strong)"
            }
        }
    }
}

/// A signal and where it was seen (`path:line`, at most [`MAX_LOCATIONS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    pub signal: String,
    pub at: Vec<String>,
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
        assert_eq!(c.evidence.len(), 2);
    }

    #[test]
    fn markers_are_known_by_file_name() {
        assert!(is_marker("a/b/pyproject.toml"));
        assert!(is_marker("package.json"));
        assert!(!is_marker("a/package.json.bak"));
        assert!(!is_marker("docs/pyproject.toml.md"));
    }
}

#[cfg(test)]
mod judgement_tests {
    use super::*;
    use crate::model::Confidence;

    fn add(c: &mut Components, path: &str, ids: &[(&str, Confidence)]) {
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
        f.signals = ids
            .iter()
            .map(|&(id, confidence)| Signal {
                id: id.into(),
                category: "annex3".into(),
                confidence,
                count: 1,
                line: 4,
            })
            .collect();
        c.add(&f);
    }

    #[test]
    fn a_component_is_judged_once_with_its_evidence_and_the_files_that_implement_it() {
        let mut c = Components::new(["svc/pyproject.toml"]);
        add(
            &mut c,
            "svc/README.md",
            &[("annex3.4a.screening_terms", Confidence::Low)],
        );
        add(
            &mut c,
            "svc/rank.py",
            &[
                ("annex3.4a.candidate_columns", Confidence::High),
                ("annex3.ai.inference_call", Confidence::Medium),
            ],
        );
        add(
            &mut c,
            "tools/notes.md",
            &[("annex3.5b.credit_risk_terms", Confidence::Low)],
        );
        let j = c.judgements(|p| {
            if p == "svc/rank.py" {
                vec![("4(a)".into(), "candidate".into())]
            } else {
                vec![]
            }
        });
        assert_eq!(j.len(), 2);
        assert_eq!(j[0].root, "");
        assert_eq!(j[0].points[0].point, "5(b)");
        assert_eq!(j[0].points[0].status, Status::NoAiSystem);
        assert_eq!(j[1].root, "svc");
        assert_eq!(j[1].ai_system[0].signal, "annex3.ai.inference_call");
        let p = &j[1].points[0];
        assert_eq!((p.point.as_str(), p.status), ("4(a)", Status::Candidate));
        assert_eq!(p.implemented_by, ["svc/rank.py"]);
        let at: Vec<&str> = p
            .evidence
            .iter()
            .flat_map(|e| e.at.iter().map(String::as_str))
            .collect();
        assert_eq!(at, ["svc/rank.py:4", "svc/README.md:4"]);
    }

    #[test]
    fn point_labels_are_the_regulation_s() {
        assert_eq!(point_label("4a"), "4(a)");
        assert_eq!(point_label("2"), "2");
    }
}
