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
//! The files linked by imports to the files that implement a candidate system are its
//! code too ([`system`]): they are decided a third time, with those links.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::detect::media;
use crate::model::{Facts, Signal};

pub mod system;
pub use system::{Link, Relation};

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

/// Signals of what images and recordings show (`rules/media/media.yaml`): a face in a
/// picture, a video, an audio recording. What they are depends on the component: a
/// photograph is biometric data in a biometric component or a set laid out by person,
/// a recording in a biometric or emotion-recognition component.
pub const MEDIA_SUBJECTS: &[&str] = &[media::FACE, media::VIDEO, media::AUDIO];

/// Extensions of logs: a log of a possible high-risk system holds what it recorded
/// about the people it processed.
pub const LOG_EXTENSIONS: &[&str] = &["log"];

/// Directory names that group pictures by something other than a person (a split of a
/// dataset, a kind of file, a stage of processing): never a person's folder.
pub const NOT_PERSON_DIRS: &[&str] = &[
    // Face detectors and models a set may be grouped by (`faces/dlib/`, `faces/dnn/`).
    "cnn",
    "dlib",
    "dnn",
    "haar",
    "haarcascade",
    "hog",
    "mediapipe",
    "mtcnn",
    "opencv",
    "retinaface",
    "ssd",
    "yolo",
    // Stock-photo sources.
    "pexels",
    "pixabay",
    "unsplash",
    "aligned",
    "assets",
    "augmented",
    "cropped",
    "crops",
    "data",
    "dataset",
    "datasets",
    "dev",
    "doc",
    "docs",
    "eval",
    "evaluation",
    "example",
    "examples",
    "faces",
    "fixtures",
    "gallery",
    "holdout",
    "image",
    "images",
    "img",
    "imgs",
    "input",
    "inputs",
    "known",
    "media",
    "neg",
    "negative",
    "negatives",
    "originals",
    "output",
    "outputs",
    "photos",
    "pics",
    "pictures",
    "pos",
    "positive",
    "positives",
    "probe",
    "processed",
    "public",
    "raw",
    "res",
    "resources",
    "results",
    "sample",
    "samples",
    "static",
    "test",
    "testing",
    "tests",
    "thumbnails",
    "thumbs",
    "train",
    "training",
    "unknown",
    "val",
    "valid",
    "validation",
];

/// Per-person folders holding pictures with faces, side by side under one directory,
/// that make a set laid out by person (`dataset/<person>/<n>.jpg`): an identity-labelled
/// set, as face recognition is trained and evaluated on.
pub const MIN_PEOPLE: usize = 2;

/// Whether `path` (repository-relative) names a component marker.
pub fn is_marker(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    MARKERS.contains(&name)
}

/// Whether a file's facts hold signals judged at component level: its evidence counts
/// for its component.
pub fn has_evidence(facts: &Facts) -> bool {
    facts
        .signals
        .iter()
        .any(|s| CATEGORIES.contains(&s.category.as_str()))
}

/// Whether the file's own decision can depend on its component: it holds AI-system
/// evidence (`annex3.ai.*`) or medium or strong evidence for a point. A file with weak
/// mentions, context or exclusions only (most documentation) implements nothing: its
/// signals count for the component, its decision is its own.
///
/// Pictures showing a face and recordings ([`MEDIA_SUBJECTS`]), and logs
/// ([`LOG_EXTENSIONS`], and tables whose every row says when:
/// [`crate::detect::pii::TIMESTAMPED_ROWS`]), are decided within their component too:
/// what they are depends on it.
pub fn is_relevant(facts: &Facts) -> bool {
    let log = facts
        .extension
        .as_deref()
        .is_some_and(|e| LOG_EXTENSIONS.contains(&e))
        || facts
            .signals
            .iter()
            .any(|s| s.id == crate::detect::pii::TIMESTAMPED_ROWS);
    log || facts.signals.iter().any(|s| {
        let mut parts = s.id.split('.');
        MEDIA_SUBJECTS.contains(&s.id.as_str())
            || CATEGORIES.contains(&s.category.as_str())
                && (parts.nth(1) == Some(AI_SYSTEM)
                    || (s.confidence >= crate::model::Confidence::Medium
                        && !matches!(parts.next(), Some("exclude" | "context"))))
    })
}

/// Whether the file is a picture in which a face was found: what [`Components::add_faces`]
/// takes.
pub fn shows_face(facts: &Facts) -> bool {
    facts.signals.iter().any(|s| s.id == media::FACE)
}

/// What the policies see of a file's component: its evidence ([`Components::signals_of`])
/// and whether the file is a picture in a set laid out by person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Within {
    pub signals: Vec<Signal>,
    pub person_set: bool,
    /// The file's links to the files that implement a candidate system ([`system`]).
    pub system: Vec<Link>,
}

/// The component-level signals of a file, for [`Components::add`]: what the scan keeps
/// of a file with evidence.
pub fn evidence_of(facts: &Facts) -> (String, Vec<Signal>) {
    (
        facts.path.clone(),
        facts
            .signals
            .iter()
            .filter(|s| CATEGORIES.contains(&s.category.as_str()))
            .cloned()
            .collect(),
    )
}

/// The components of one repository and the evidence gathered for each.
#[derive(Debug, Default)]
pub struct Components {
    /// Component roots, repository-relative directories without a trailing `/`; `""`
    /// is the repository. Sorted.
    roots: Vec<String>,
    /// By root: the component-level signals of its files, by id.
    evidence: BTreeMap<String, BTreeMap<String, Evidence>>,
    /// Directories that are a person's folder in a set laid out by person.
    person_dirs: BTreeSet<String>,
    /// By path: the links of a file to the files that implement a candidate system.
    links: BTreeMap<String, Vec<Link>>,
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
            person_dirs: BTreeSet::new(),
            links: BTreeMap::new(),
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

    /// Add the component-level signals of the file at `path` to its component's
    /// evidence (signals of other categories are left out). Files are added in path
    /// order (the locations kept are the first ones).
    pub fn add_signals(&mut self, path: &str, signals: &[Signal]) {
        let root = self.root_of(path).to_string();
        let ev = self.evidence.entry(root).or_default();
        for s in signals {
            if !CATEGORIES.contains(&s.category.as_str()) {
                continue;
            }
            let at = format!("{path}:{}", s.line);
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

    /// Take the paths of the pictures in which a face was found ([`shows_face`]): a
    /// directory holding [`MIN_PEOPLE`] or more folders of them, each named as a
    /// person could be (not one of [`NOT_PERSON_DIRS`]), is a set laid out by person.
    pub fn add_faces<'a>(&mut self, faces: impl IntoIterator<Item = &'a str>) {
        // Directory -> its folders holding pictures with faces.
        let mut folders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for path in faces {
            let Some((folder, _)) = path.rsplit_once('/') else {
                continue;
            };
            let (parent, name) = folder.rsplit_once('/').unwrap_or(("", folder));
            if NOT_PERSON_DIRS.contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
            folders.entry(parent).or_default().insert(folder);
        }
        for set in folders.into_values().filter(|f| f.len() >= MIN_PEOPLE) {
            self.person_dirs.extend(set.into_iter().map(str::to_string));
        }
    }

    /// What the policies see of the component of the file at `path`.
    pub fn within(&self, path: &str) -> Within {
        Within {
            signals: self.signals_of(path),
            person_set: path
                .rsplit_once('/')
                .is_some_and(|(dir, _)| self.person_dirs.contains(dir)),
            system: self.links.get(path).cloned().unwrap_or_default(),
        }
    }

    /// Link the files of `imports` (path, imports) to the files that implement a
    /// candidate system (`implementing`: path -> the points flagged on it), among the
    /// files `exists` knows ([`system::links`]). Returns the paths linked: they are to
    /// be decided again.
    pub fn link(
        &mut self,
        implementing: &BTreeMap<String, Vec<String>>,
        imports: &[(&str, &[String])],
        exists: &dyn Fn(&str) -> bool,
    ) -> Vec<String> {
        self.links = system::links(
            implementing,
            imports,
            &|p| self.root_of(p).to_string(),
            exists,
        );
        self.links.keys().cloned().collect()
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
                let linked: Vec<String> =
                    self.links
                        .iter()
                        .filter(|(path, _)| self.root_of(path) == root.as_str())
                        .flat_map(|(path, links)| {
                            links.iter().filter(|l| l.point == label).map(move |l| {
                                format!("{path} {} {}", l.relation.describe(), l.file)
                            })
                        })
                        .collect();
                points.push(PointJudgement {
                    point: label,
                    status,
                    evidence,
                    against,
                    implemented_by,
                    linked,
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
    /// The files of the system's code linked to them by imports ([`system`]): `path
    /// imports file`, `path is imported by file`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub linked: Vec<String>,
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
            Status::NoAiSystem => {
                "not a candidate: AI-system status not established (no model library, model call, hosted model or model file in the component; Art 3(1))"
            }
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

    fn add_facts(c: &mut Components, f: &Facts) {
        c.add_signals(&f.path, &f.signals);
    }

    pub(super) fn facts(path: &str, signals: &[(&str, &str, Confidence, u32)]) -> Facts {
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
        add_facts(
            &mut c,
            &facts(
                "svc/a.go",
                &[
                    ("annex3.4a.screening_terms", "annex3", Confidence::Low, 2),
                    ("pii.email", "pii", Confidence::High, 9),
                ],
            ),
        );
        add_facts(
            &mut c,
            &facts(
                "svc/README.md",
                &[("annex3.4a.screening_terms", "annex3", Confidence::Medium, 3)],
            ),
        );
        add_facts(
            &mut c,
            &facts(
                "other.py",
                &[("annex3.ai.ml_library_import", "annex3", Confidence::High, 1)],
            ),
        );
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
    fn pictures_in_folders_named_for_people_side_by_side_are_a_set_laid_out_by_person() {
        let mut c = Components::new([]);
        c.add_faces([
            "dataset/maria_jansen/001.jpg",
            "dataset/maria_jansen/002.jpg",
            "dataset/tom_okafor/001.jpg",
            // One person's folder alone is not a set.
            "people/ada/portrait.jpg",
            // Splits and kinds of files are not people.
            "faces/train/a.jpg",
            "faces/test/b.jpg",
            "faces/Val/c.jpg",
            // Nor are the detectors a comparison is grouped by.
            "face_detection/dlib/images (2).jpg",
            "face_detection/dnn/images (2).jpg",
            // Pictures at the top or side by side in one folder are no folder per person.
            "team/grace.jpg",
            "team/eileen.jpg",
            "top.jpg",
        ]);
        assert!(c.within("dataset/maria_jansen/002.jpg").person_set);
        assert!(c.within("dataset/tom_okafor/003.png").person_set);
        for not in [
            "people/ada/portrait.jpg",
            "faces/train/a.jpg",
            "faces/Val/c.jpg",
            "face_detection/dnn/images (2).jpg",
            "team/grace.jpg",
            "top.jpg",
            "dataset/x.jpg",
        ] {
            assert!(!c.within(not).person_set, "{not}");
        }
    }

    #[test]
    fn pictures_with_faces_and_recordings_are_decided_within_their_component() {
        for id in MEDIA_SUBJECTS {
            let f = facts("a/b.bin", &[(id, "media", Confidence::Medium, 1)]);
            assert!(is_relevant(&f), "{id}");
        }
        let f = facts(
            "a/b.png",
            &[("media.not_examined.too_large", "media", Confidence::High, 1)],
        );
        assert!(!is_relevant(&f));
        assert!(!shows_face(&f));
        assert!(is_relevant(&facts("logs/session_1.log", &[])));
        assert!(!is_relevant(&facts("logs/session_1.txt", &[])));
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
        let signals: Vec<_> = ids
            .iter()
            .map(|&(id, conf)| (id, "annex3", conf, 1))
            .collect();
        let mut f = super::tests::facts(path, &signals);
        for s in &mut f.signals {
            s.line = 4;
        }
        c.add_signals(&f.path, &f.signals);
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
