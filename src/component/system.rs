//! The code of a candidate system: files linked by imports to the files that
//! implement it.
//!
//! A system's code is more than the files that show a point's evidence: the API that
//! serves the scorer's results, the feature builder whose output the model is trained
//! and scored on. They show nothing themselves; what makes them part of the system is
//! that they import a file that implements it, or that such a file imports them.
//!
//! Imports come from the detectors' read ([`crate::detect::imports`]) and are resolved
//! to the repository's files as the languages do: a Python module from the importing
//! file's directory or one above it up to the component's root (a `src/` layout), or
//! the repository's root (`a/b` is `a/b.py` or `a/b/__init__.py`); a relative import from the importing file (`./x` is `x`,
//! `x.ts`, `x.js`, `x/index.ts`...). One step only, and within one component: what an
//! imported file imports in turn is no more the system's than any library is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::detect::imports::{Lang, lang_of};

/// How a file is linked to a file that implements a candidate system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The file imports one that implements the system (an API, a CLI, a job).
    Imports,
    /// A file that implements the system imports it (features, preprocessing).
    ImportedBy,
}

impl Relation {
    pub fn describe(self) -> &'static str {
        match self {
            Relation::Imports => "imports",
            Relation::ImportedBy => "is imported by",
        }
    }
}

/// One link of a file to the system of a point: the point (as flags write it, `7(c)`),
/// how, and the implementing file at the other end.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Link {
    pub point: String,
    pub relation: Relation,
    pub file: String,
}

/// What a file's imports may name, in the order a language looks for it.
fn candidates(lang: Lang, stem: &str) -> Vec<String> {
    match lang {
        Lang::Python => vec![format!("{stem}.py"), format!("{stem}/__init__.py")],
        Lang::Script => {
            let mut v = Vec::new();
            let (base, ext) = stem.rsplit_once('.').unwrap_or((stem, ""));
            if lang_of(stem).is_some() {
                v.push(stem.to_string());
                // `./x.js` written for `x.ts` (ES modules in TypeScript).
                if matches!(ext, "js" | "jsx" | "mjs" | "cjs") {
                    v.extend(["ts", "tsx", "mts", "cts"].map(|e| format!("{base}.{e}")));
                }
            }
            for e in ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"] {
                v.push(format!("{stem}.{e}"));
            }
            for e in ["ts", "tsx", "js", "jsx"] {
                v.push(format!("{stem}/index.{e}"));
            }
            v
        }
    }
}

/// The file an import of the file at `importer` (in the component at `root`) names,
/// among those `exists` knows.
pub fn resolve(
    importer: &str,
    root: &str,
    import: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let lang = lang_of(importer)?;
    let dir = importer.rsplit_once('/').map_or("", |(d, _)| d);
    let stems: Vec<String> = match import.strip_prefix('/') {
        Some(exact) => vec![exact.to_string()],
        None => {
            // The importing file's directory and each above it up to the component's
            // root (a script's directory, a `src/` layout, the project), then the
            // repository's root.
            let mut bases = vec![dir];
            let mut d = dir;
            while d != root
                && let Some((up, _)) = d.rsplit_once('/')
            {
                bases.push(up);
                d = up;
            }
            if d != root {
                bases.push(root);
            }
            bases.push("");
            bases.dedup();
            bases
                .iter()
                .map(|b| {
                    if b.is_empty() {
                        import.to_string()
                    } else {
                        format!("{b}/{import}")
                    }
                })
                .collect()
        }
    };
    stems
        .iter()
        .filter(|s| !s.is_empty())
        .flat_map(|s| candidates(lang, s))
        .find(|c| c != importer && exists(c))
}

/// The links of the files of `imports` (path, imports; any order) to the files that
/// implement a system (`implementing`: path -> the points flagged on it), within one
/// component (`root_of`). By linked path, each file's links sorted.
pub fn links(
    implementing: &BTreeMap<String, Vec<String>>,
    imports: &[(&str, &[String])],
    root_of: &dyn Fn(&str) -> String,
    exists: &dyn Fn(&str) -> bool,
) -> BTreeMap<String, Vec<Link>> {
    let mut out: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    if implementing.is_empty() {
        return out;
    }
    for &(path, imps) in imports {
        let root = root_of(path);
        let mine = implementing.get(path);
        for imp in imps {
            let Some(target) = resolve(path, &root, imp, exists) else {
                continue;
            };
            if root_of(&target) != root {
                continue;
            }
            match (mine, implementing.get(&target)) {
                // Both implement (their own flags say so), or neither does.
                (Some(_), Some(_)) | (None, None) => {}
                (None, Some(points)) => {
                    for p in points {
                        out.entry(path.to_string()).or_default().push(Link {
                            point: p.clone(),
                            relation: Relation::Imports,
                            file: target.clone(),
                        });
                    }
                }
                (Some(points), None) => {
                    for p in points {
                        out.entry(target.clone()).or_default().push(Link {
                            point: p.clone(),
                            relation: Relation::ImportedBy,
                            file: path.to_string(),
                        });
                    }
                }
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
        v.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(paths: &[&str]) -> impl Fn(&str) -> bool {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        move |p| paths.iter().any(|x| x == p)
    }

    #[test]
    fn imports_resolve_as_the_languages_look_them_up() {
        let exists = set(&[
            "credibility/model.py",
            "svc/pkg/__init__.py",
            "features.py",
            "src/scoreCandidate.ts",
            "src/lib/index.js",
        ]);
        let r = |importer: &str, imp: &str| resolve(importer, "", imp, &exists);
        assert_eq!(
            r("service/api.py", "credibility/model").as_deref(),
            Some("credibility/model.py")
        );
        assert_eq!(
            r("svc/run.py", "pkg").as_deref(),
            Some("svc/pkg/__init__.py")
        );
        assert_eq!(r("train.py", "features").as_deref(), Some("features.py"));
        assert_eq!(r("train.py", "pandas"), None);
        // A `src/` layout: the package is found from a directory above the importer.
        let exists = set(&["screener/src/screener/rank.py"]);
        assert_eq!(
            resolve(
                "screener/src/screener/api.py",
                "screener",
                "screener/rank",
                &exists
            )
            .as_deref(),
            Some("screener/src/screener/rank.py")
        );
        assert_eq!(
            r("src/server.ts", "/src/scoreCandidate").as_deref(),
            Some("src/scoreCandidate.ts")
        );
        assert_eq!(
            r("src/server.ts", "/src/scoreCandidate.js").as_deref(),
            Some("src/scoreCandidate.ts")
        );
        assert_eq!(
            r("src/server.ts", "/src/lib").as_deref(),
            Some("src/lib/index.js")
        );
        // A file never imports itself.
        assert_eq!(r("features.py", "features"), None);
    }

    #[test]
    fn importers_and_imported_files_of_an_implementing_file_are_linked_once() {
        let exists = set(&[
            "credibility/model.py",
            "service/api.py",
            "features.py",
            "train.py",
            "util.py",
        ]);
        let implementing: BTreeMap<String, Vec<String>> = [
            ("credibility/model.py".to_string(), vec!["7(c)".to_string()]),
            ("train.py".to_string(), vec!["7(c)".to_string()]),
        ]
        .into();
        let api = vec!["credibility/model".to_string(), "fastapi".to_string()];
        let train = vec!["features".to_string(), "credibility/model".to_string()];
        let features = vec!["util".to_string()];
        let imports: Vec<(&str, &[String])> = vec![
            ("service/api.py", &api),
            ("train.py", &train),
            ("features.py", &features),
        ];
        let l = links(&implementing, &imports, &|_| String::new(), &exists);
        let got: Vec<(&str, Relation, &str)> = l
            .iter()
            .flat_map(|(p, v)| {
                v.iter()
                    .map(move |k| (p.as_str(), k.relation, k.file.as_str()))
            })
            .collect();
        assert_eq!(
            got,
            [
                ("features.py", Relation::ImportedBy, "train.py"),
                ("service/api.py", Relation::Imports, "credibility/model.py"),
            ]
        );
        // Across components, nothing.
        let other = |p: &str| {
            if p.starts_with("service/") {
                "service".to_string()
            } else {
                String::new()
            }
        };
        let l = links(&implementing, &imports, &other, &exists);
        assert!(!l.contains_key("service/api.py"));
    }
}
