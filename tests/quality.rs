//! The labelled quality corpus (issue 22; docs/src/quality.md): small repositories
//! modelled on real public projects, under `tests/quality/corpus/<name>/`, each labelled
//! in `tests/quality/labels/<name>.yaml` with what a careful reviewer would say: an
//! acceptable tier range per file and the Annex III points expected per component.
//!
//! Each repository is copied to a temporary directory (a `NAME.sealed.gz` file becomes
//! `NAME`, decompressed: credential-shaped fixtures stay binary in this repository, so
//! no scanner reads them as leaks), committed as a real git repository and scanned with
//! the default configuration. The figures (precision and recall per tier, tier-1
//! precision, protected recall, Annex III recall per point at component level, flags and
//! tier 1 on controls, prose files at tier 1) are printed with every file out of its
//! range, and compared with `tests/quality/thresholds.yaml`: the test fails below the
//! `floor` (today's measured values: a ratchet) and prints the gap to the issue's
//! `targets`.
//!
//! This file holds the only computation of the figures: `bench/quality.sh` runs this
//! target against any tiergate binary (`TIERGATE_QUALITY_BIN`) in report-only mode
//! (`TIERGATE_QUALITY_REPORT_ONLY=1`); `TIERGATE_QUALITY_REPOS=a,b` limits a run to some
//! repositories (report only).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use serde_json::Value;

fn quality() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/quality")
}

/// The suffix of a corpus file stored gzip-compressed; the harness writes it out
/// decompressed, without the suffix.
const SEALED: &str = ".sealed.gz";

/// The corpus stays small: it is read by every CI run and by every reviewer.
const MAX_FILE_BYTES: u64 = 100 * 1024;
const MAX_CORPUS_BYTES: u64 = 2 * 1024 * 1024;

// ---- labels ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    kind: Kind,
    /// The real project kind the repository is modelled on, in one line.
    models: String,
    components: Vec<ComponentLabel>,
    files: BTreeMap<String, FileLabel>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Kind {
    /// Must raise nothing: no Annex III flag, no tier 1.
    Control,
    Subject,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentLabel {
    /// Repository-relative directory; `.` is the repository.
    root: String,
    /// The points a reviewer expects flagged (recall counts each).
    annex_iii: Vec<String>,
    /// Points a reviewer would also accept (neither required nor a false flag).
    #[serde(default)]
    accept: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLabel {
    /// The acceptable tier range under the default configuration, most sensitive first.
    tier: [u8; 2],
    class: Class,
    /// README, documentation and other prose: tier 1 by vocabulary alone is a failure.
    #[serde(default)]
    prose: bool,
    reason: String,
}

/// The failure class of issue 22 a file is a trap for, or `none`.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "kebab-case")]
enum Class {
    None,
    /// 1: vocabulary taken for data.
    Vocabulary,
    /// 2: validators firing on numbers that are not identifiers.
    Numbers,
    /// 3: secrets judged by file name and loose patterns.
    Secrets,
    /// 4: Annex III judged file by file.
    AnnexIii,
    /// 5: images and recordings not looked at.
    Media,
    /// 6: tables read by header only.
    Tables,
    /// 7: nothing ever tier 4.
    Public,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::None => "none",
            Class::Vocabulary => "vocabulary",
            Class::Numbers => "numbers",
            Class::Secrets => "secrets",
            Class::AnnexIii => "annex-iii",
            Class::Media => "media",
            Class::Tables => "tables",
            Class::Public => "public",
        }
    }
}

struct Repo {
    name: String,
    labels: Labels,
}

fn read_labels(path: &Path) -> Labels {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every labelled repository, by name.
fn corpus() -> Vec<Repo> {
    let mut repos = Vec::new();
    for entry in std::fs::read_dir(quality().join("labels")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        let name = file
            .strip_suffix(".yaml")
            .unwrap_or_else(|| panic!("labels/{file}: not a .yaml file"))
            .to_string();
        repos.push(Repo {
            labels: read_labels(&path),
            name,
        });
    }
    repos.sort_by(|a, b| a.name.cmp(&b.name));
    repos
}

/// `root` as a path prefix: `""` for the repository.
fn norm_root(root: &str) -> String {
    let r = root.trim_matches('/');
    if r == "." {
        String::new()
    } else {
        r.to_string()
    }
}

fn contains(root: &str, path: &str) -> bool {
    root.is_empty() || path.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

/// The deepest of `roots` holding `path`.
fn owner<'a>(roots: impl IntoIterator<Item = &'a str>, path: &str) -> Option<&'a str> {
    roots
        .into_iter()
        .filter(|r| contains(r, path))
        .max_by_key(|r| r.len())
}

/// The files of a corpus repository as the scanned repository holds them (sealed names
/// without their suffix), with their stored path.
fn corpus_files(dir: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let path = format!("{rel}{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{path}/"), out);
            } else {
                let logical = path.strip_suffix(SEALED).unwrap_or(&path).to_string();
                assert!(
                    out.insert(logical.clone(), entry.path()).is_none(),
                    "{}: {logical} is stored twice (sealed and not)",
                    dir.display()
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// Write the repository `name` into `to`, sealed files decompressed.
fn materialize(name: &str, to: &Path) {
    for (logical, stored) in corpus_files(&quality().join("corpus").join(name)) {
        let target = to.join(&logical);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        if stored.to_str().unwrap().ends_with(SEALED) {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&stored).unwrap())
                .read_to_end(&mut bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", stored.display()));
            std::fs::write(&target, bytes).unwrap();
        } else {
            std::fs::copy(&stored, &target).unwrap();
        }
    }
}

// ---- running tiergate ----

/// The binary under test: `TIERGATE_QUALITY_BIN` when set and not empty, or the one
/// cargo built.
fn binary() -> PathBuf {
    match std::env::var_os("TIERGATE_QUALITY_BIN") {
        Some(b) if !b.is_empty() => PathBuf::from(b),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_tiergate")),
    }
}

/// What tiergate said about one labelled file.
struct Outcome<'a> {
    repo: &'a Repo,
    path: &'a str,
    label: &'a FileLabel,
    tier: u8,
    /// Annex III points of the file (its own, and its component's when the manifest
    /// judges components).
    points: BTreeSet<String>,
    /// The codes of the file's findings, to show why a file is out of range.
    codes: Vec<String>,
}

fn points_of(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| {
            f.as_str()
                .or_else(|| f.get("point").and_then(Value::as_str))
        })
        .map(str::to_string)
        .collect()
}

/// The manifest's component judgements, when it has them (`components`, a map from root
/// to judgement or a list of judgements naming their `root`): each root with its Annex
/// III points. None for a manifest that judges files only.
fn manifest_components(m: &Value) -> Option<Vec<(String, BTreeSet<String>)>> {
    let c = m.get("components")?;
    let items: Vec<(String, &Value)> = match c {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(list) => list
            .iter()
            .map(|v| {
                let root = ["root", "path"]
                    .iter()
                    .find_map(|k| v.get(*k).and_then(Value::as_str))
                    .expect("a component names its root");
                (root.to_string(), v)
            })
            .collect(),
        _ => panic!("manifest `components` is neither a map nor a list"),
    };
    Some(
        items
            .into_iter()
            .map(|(root, v)| (norm_root(&root), points_of(v.get("annex_iii"))))
            .collect(),
    )
}

/// Scan one repository; what tiergate said about each of its files, and whether the
/// manifest judged components.
fn measure(repo: &Repo) -> (Vec<Outcome<'_>>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    materialize(&repo.name, p);
    common::git(p, &["init", "-q", "-b", "main"]);
    // Everything is committed, also what a .gitignore in the corpus would leave out.
    common::git(p, &["add", "-A", "-f"]);
    common::git(p, &["commit", "-q", "-m", "corpus"]);
    let out = Command::new(binary())
        .args(["scan", "-o", "-"])
        .current_dir(p)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", binary().display()));
    assert!(
        out.status.success(),
        "{}: tiergate scan failed: {}",
        repo.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: Value = serde_json::from_slice(&out.stdout).expect("the manifest is JSON");
    let files = manifest["files"].as_object().expect("manifest files");
    let listed: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    let labelled: BTreeSet<&str> = repo.labels.files.keys().map(String::as_str).collect();
    assert_eq!(
        listed, labelled,
        "{}: the manifest lists other files than the labels",
        repo.name
    );
    let components = manifest_components(&manifest);
    let outcomes = repo
        .labels
        .files
        .iter()
        .map(|(path, label)| {
            let entry = &files[path.as_str()];
            let mut points = points_of(entry.get("annex_iii"));
            if let Some(cs) = &components
                && let Some(root) = owner(cs.iter().map(|(r, _)| r.as_str()), path)
            {
                let (_, own) = cs.iter().find(|(r, _)| r == root).unwrap();
                points.extend(own.iter().cloned());
            }
            let codes = entry["reasons"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["code"].as_str().map(str::to_string))
                .collect();
            Outcome {
                repo,
                path,
                label,
                tier: entry["tier"].as_u64().expect("a tier") as u8,
                points,
                codes,
            }
        })
        .collect();
    (outcomes, components.is_some())
}

/// Scan every repository, a few at a time.
fn measure_all(repos: &[Repo]) -> (Vec<Outcome<'_>>, bool) {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Vec<Outcome<'_>>, bool)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(repo) = repos.get(i) else { break };
                    let (outcomes, by_component) = measure(repo);
                    results.lock().unwrap().push((i, outcomes, by_component));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _, _)| *i);
    let by_component = results.iter().any(|(_, _, c)| *c);
    (
        results.into_iter().flat_map(|(_, o, _)| o).collect(),
        by_component,
    )
}

// ---- figures ----

/// The figures the thresholds hold. Ratios: higher is better, the floor is a minimum.
/// Counts: lower is better, the floor is a maximum.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Figures {
    /// Of the files at tier 1, the share whose label admits tier 1.
    tier1_precision: f64,
    /// Of the files whose label says at most tier 2, the share at tier 1 or 2.
    protected_recall: f64,
    /// Of the (component, point) pairs the labels expect, the share flagged.
    annex_iii_recall: f64,
    /// (component, point) pairs flagged in control repositories.
    control_annex_flags: u64,
    /// Files at tier 1 in control repositories.
    control_tier1: u64,
    /// Prose files at tier 1 whose label does not admit tier 1 (vocabulary alone).
    prose_tier1: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Thresholds {
    targets: Figures,
    floor: Figures,
}

/// One labelled component and what was flagged in it.
struct ComponentResult<'a> {
    repo: &'a Repo,
    label: &'a ComponentLabel,
    root: String,
    flagged: BTreeSet<String>,
}

/// `n/d` with three decimals, `-` when there is nothing to divide.
fn shown(n: usize, d: usize) -> String {
    if d == 0 {
        "-".to_string()
    } else {
        format!("{:.3}", n as f64 / d as f64)
    }
}

/// `n/d`; 1 when `d` is 0 (nothing to get wrong).
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

fn components<'a>(repos: &'a [Repo], outcomes: &[Outcome<'a>]) -> Vec<ComponentResult<'a>> {
    let mut out = Vec::new();
    for repo in repos {
        let mut results: Vec<ComponentResult> = repo
            .labels
            .components
            .iter()
            .map(|label| ComponentResult {
                repo,
                label,
                root: norm_root(&label.root),
                flagged: BTreeSet::new(),
            })
            .collect();
        let roots: Vec<String> = results.iter().map(|c| c.root.clone()).collect();
        for o in outcomes.iter().filter(|o| std::ptr::eq(o.repo, repo)) {
            if let Some(root) = owner(roots.iter().map(String::as_str), o.path) {
                let c = results.iter_mut().find(|c| c.root == root).unwrap();
                c.flagged.extend(o.points.iter().cloned());
            }
        }
        out.extend(results);
    }
    out
}

/// The report and the figures.
fn evaluate(repos: &[Repo], outcomes: &[Outcome], by_component: bool) -> (String, Figures) {
    let mut r = String::new();
    let controls = repos
        .iter()
        .filter(|x| x.labels.kind == Kind::Control)
        .count();
    let in_range = |o: &Outcome| o.label.tier[0] <= o.tier && o.tier <= o.label.tier[1];
    writeln!(
        r,
        "tiergate quality corpus: {} repositories ({controls} controls), {} files; binary {}",
        repos.len(),
        outcomes.len(),
        binary().display()
    )
    .unwrap();
    writeln!(
        r,
        "Annex III judged {}",
        if by_component {
            "from the manifest's components"
        } else {
            "from the files' flags (a component is flagged with P when one of its files is)"
        }
    )
    .unwrap();

    // Per tier: precision among the files given that tier; recall among the files whose
    // label's least sensitive acceptable tier is that tier.
    writeln!(
        r,
        "\ntier    got  right  precision | labelled (max)  in range  recall"
    )
    .unwrap();
    for t in 1..=4u8 {
        let got: Vec<_> = outcomes.iter().filter(|o| o.tier == t).collect();
        let right = got.iter().filter(|o| in_range(o)).count();
        let want: Vec<_> = outcomes.iter().filter(|o| o.label.tier[1] == t).collect();
        let hit = want.iter().filter(|o| in_range(o)).count();
        writeln!(
            r,
            "{t:>4}  {:>5}  {right:>5}  {:>9} | {:>14}  {hit:>8}  {:>6}",
            got.len(),
            shown(right, got.len()),
            want.len(),
            shown(hit, want.len())
        )
        .unwrap();
    }
    let ok = outcomes.iter().filter(|o| in_range(o)).count();
    let strict = outcomes.iter().filter(|o| o.tier < o.label.tier[0]).count();
    let lax = outcomes.iter().filter(|o| o.tier > o.label.tier[1]).count();
    writeln!(
        r,
        "files in range: {ok}/{} ({:.3}); more sensitive than the range: {strict}; less: {lax}",
        outcomes.len(),
        ratio(ok, outcomes.len())
    )
    .unwrap();

    let tier1: Vec<_> = outcomes.iter().filter(|o| o.tier == 1).collect();
    let tier1_right = tier1.iter().filter(|o| o.label.tier[0] == 1).count();
    let protected: Vec<_> = outcomes.iter().filter(|o| o.label.tier[1] <= 2).collect();
    let protected_hit = protected.iter().filter(|o| o.tier <= 2).count();
    let comps = components(repos, outcomes);
    let expected: usize = comps.iter().map(|c| c.label.annex_iii.len()).sum();
    let found: usize = comps
        .iter()
        .map(|c| {
            c.label
                .annex_iii
                .iter()
                .filter(|p| c.flagged.contains(*p))
                .count()
        })
        .sum();
    let is_control = |repo: &Repo| repo.labels.kind == Kind::Control;
    let control_annex_flags: usize = comps
        .iter()
        .filter(|c| is_control(c.repo))
        .map(|c| c.flagged.len())
        .sum();
    let control_tier1 = outcomes
        .iter()
        .filter(|o| is_control(o.repo) && o.tier == 1)
        .count();
    let prose_tier1 = outcomes
        .iter()
        .filter(|o| o.label.prose && o.tier == 1 && o.label.tier[0] > 1)
        .count();
    let figures = Figures {
        tier1_precision: ratio(tier1_right, tier1.len()),
        protected_recall: ratio(protected_hit, protected.len()),
        annex_iii_recall: ratio(found, expected),
        control_annex_flags: control_annex_flags as u64,
        control_tier1: control_tier1 as u64,
        prose_tier1: prose_tier1 as u64,
    };
    writeln!(
        r,
        "\ntier-1 precision: {tier1_right}/{} files at tier 1 admit it; protected recall: {protected_hit}/{} files labelled at most 2 are at most 2",
        tier1.len(),
        protected.len()
    )
    .unwrap();

    writeln!(
        r,
        "\nAnnex III recall per point (components flagged / expected): {found}/{expected}"
    )
    .unwrap();
    let mut per_point: BTreeMap<&str, (usize, usize, Vec<String>)> = BTreeMap::new();
    for c in &comps {
        for p in &c.label.annex_iii {
            let e = per_point.entry(p.as_str()).or_default();
            e.1 += 1;
            if c.flagged.contains(p) {
                e.0 += 1;
            } else {
                e.2.push(component_name(c));
            }
        }
    }
    for (p, (hit, total, missed)) in &per_point {
        let missed = if missed.is_empty() {
            String::new()
        } else {
            format!("  missed: {}", missed.join(", "))
        };
        writeln!(r, "  {p:<6} {hit}/{total}{missed}").unwrap();
    }
    let mut unexpected = Vec::new();
    for c in &comps {
        let extra: Vec<&str> = c
            .flagged
            .iter()
            .filter(|p| !c.label.annex_iii.contains(p) && !c.label.accept.contains(p))
            .map(String::as_str)
            .collect();
        if !extra.is_empty() {
            let kind = if is_control(c.repo) { "control " } else { "" };
            unexpected.push(format!(
                "  {kind}{}: {}",
                component_name(c),
                extra.join(", ")
            ));
        }
    }
    writeln!(
        r,
        "Annex III flags no label expects or accepts: {}",
        unexpected.len()
    )
    .unwrap();
    for u in &unexpected {
        writeln!(r, "{u}").unwrap();
    }
    let prose_flagged = outcomes
        .iter()
        .filter(|o| o.label.prose && !o.points.is_empty() && !by_component)
        .count();
    if !by_component {
        writeln!(
            r,
            "prose files carrying Annex III flags (docs are evidence, not candidates): {prose_flagged}"
        )
        .unwrap();
    }

    writeln!(r, "\nin range by failure class:").unwrap();
    let mut by_class: BTreeMap<Class, (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let e = by_class.entry(o.label.class).or_default();
        e.1 += 1;
        if in_range(o) {
            e.0 += 1;
        }
    }
    for (class, (hit, total)) in &by_class {
        writeln!(
            r,
            "  {:<11} {hit:>3}/{total:<3} ({:.3})",
            class.name(),
            ratio(*hit, *total)
        )
        .unwrap();
    }

    let out: Vec<_> = outcomes.iter().filter(|o| !in_range(o)).collect();
    writeln!(r, "\nout of range ({} files):", out.len()).unwrap();
    for o in out {
        let [lo, hi] = o.label.tier;
        let codes = if o.codes.is_empty() {
            "no finding".to_string()
        } else {
            o.codes.join(", ")
        };
        writeln!(
            r,
            "  {}/{}: got {}, want [{lo}, {hi}] ({}{}): {}  [tiergate: {codes}]",
            o.repo.name,
            o.path,
            o.tier,
            o.label.class.name(),
            if o.label.prose { ", prose" } else { "" },
            o.label.reason
        )
        .unwrap();
    }
    (r, figures)
}

fn component_name(c: &ComponentResult) -> String {
    if c.root.is_empty() {
        c.repo.name.clone()
    } else {
        format!("{}/{}", c.repo.name, c.root)
    }
}

/// The comparison with the thresholds: the report's lines, and the figures below the
/// floor.
fn compare(got: &Figures, t: &Thresholds) -> (String, Vec<String>) {
    let mut r = String::new();
    let mut failed = Vec::new();
    writeln!(
        r,
        "\n{:<44} {:>7} {:>7} {:>7}",
        "figure", "value", "floor", "target"
    )
    .unwrap();
    let ratios = [
        (
            "tier-1 precision",
            got.tier1_precision,
            t.floor.tier1_precision,
            t.targets.tier1_precision,
        ),
        (
            "protected recall (label max <= 2, got <= 2)",
            got.protected_recall,
            t.floor.protected_recall,
            t.targets.protected_recall,
        ),
        (
            "Annex III component recall",
            got.annex_iii_recall,
            t.floor.annex_iii_recall,
            t.targets.annex_iii_recall,
        ),
    ];
    for (name, value, floor, target) in ratios {
        let mut note = String::new();
        if value + 1e-9 < floor {
            failed.push(format!("{name} {value:.3} < floor {floor}"));
            note.push_str("  BELOW THE FLOOR");
        } else if value > floor + 0.01 {
            note.push_str(&format!("  (floor can rise to {:.2})", floor_of(value)));
        }
        if value + 1e-9 < target {
            note.push_str(&format!("  gap to target {:.3}", target - value));
        }
        writeln!(
            r,
            "{name:<44} {value:>7.3} {floor:>7.2} {target:>7.2}{note}"
        )
        .unwrap();
    }
    let counts = [
        (
            "Annex III flags on controls",
            got.control_annex_flags,
            t.floor.control_annex_flags,
            t.targets.control_annex_flags,
        ),
        (
            "tier-1 files in controls",
            got.control_tier1,
            t.floor.control_tier1,
            t.targets.control_tier1,
        ),
        (
            "prose files at tier 1 (vocabulary alone)",
            got.prose_tier1,
            t.floor.prose_tier1,
            t.targets.prose_tier1,
        ),
    ];
    for (name, value, floor, target) in counts {
        let mut note = String::new();
        if value > floor {
            failed.push(format!("{name} {value} > floor {floor}"));
            note.push_str("  ABOVE THE FLOOR");
        } else if value < floor {
            note.push_str(&format!("  (floor can drop to {value})"));
        }
        if value > target {
            note.push_str(&format!("  gap to target {}", value - target));
        }
        writeln!(r, "{name:<44} {value:>7} {floor:>7} {target:>7}{note}").unwrap();
    }
    (r, failed)
}

/// A ratio rounded down to two decimals, as floors are written.
fn floor_of(v: f64) -> f64 {
    (v * 100.0 + 1e-9).floor() / 100.0
}

fn thresholds() -> Thresholds {
    let path = quality().join("thresholds.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The corpus scanned, its figures printed and held to the floor.
#[test]
fn corpus_figures() {
    let mut repos = corpus();
    let only = std::env::var("TIERGATE_QUALITY_REPOS").ok();
    if let Some(only) = &only {
        let names: BTreeSet<&str> = only.split(',').map(str::trim).collect();
        repos.retain(|r| names.contains(r.name.as_str()));
        assert!(
            !repos.is_empty(),
            "TIERGATE_QUALITY_REPOS={only}: no such repository"
        );
    }
    let started = std::time::Instant::now();
    let (outcomes, by_component) = measure_all(&repos);
    let (mut report, figures) = evaluate(&repos, &outcomes, by_component);
    let thresholds = thresholds();
    let (table, failed) = compare(&figures, &thresholds);
    report.push_str(&table);
    writeln!(
        report,
        "\n{} repositories scanned in {:.1} s",
        repos.len(),
        started.elapsed().as_secs_f64()
    )
    .unwrap();
    println!("{report}");
    let report_only =
        only.is_some() || std::env::var("TIERGATE_QUALITY_REPORT_ONLY").as_deref() == Ok("1");
    assert!(
        report_only || failed.is_empty(),
        "quality below the floor of tests/quality/thresholds.yaml: {}",
        failed.join("; ")
    );
}

// ---- the corpus itself ----

/// The Annex III points, from the rule files (`rules/annex3/1a.yaml` is `1(a)`).
fn annex_points() -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/annex3"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let stem = name.strip_suffix(".yaml")?.to_string();
            let (num, letter): (String, String) = stem.chars().partition(|c| c.is_ascii_digit());
            Some(if letter.is_empty() {
                num
            } else {
                format!("{num}({letter})")
            })
        })
        .collect()
}

/// The corpus is what the harness assumes: every file labelled and every label a file,
/// valid ranges and points, controls that expect nothing, small sizes.
#[test]
fn corpus_is_well_formed() {
    let repos = corpus();
    let mut problems = Vec::new();
    let dirs: BTreeSet<String> = std::fs::read_dir(quality().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let names: BTreeSet<String> = repos.iter().map(|r| r.name.clone()).collect();
    for d in dirs.difference(&names) {
        problems.push(format!("corpus/{d}: no labels/{d}.yaml"));
    }
    for n in names.difference(&dirs) {
        problems.push(format!("labels/{n}.yaml: no corpus/{n}"));
    }
    let controls = repos
        .iter()
        .filter(|r| r.labels.kind == Kind::Control)
        .count();
    if repos.len() < 30 || controls < 10 {
        problems.push(format!(
            "{} repositories, {controls} controls: the corpus holds at least 30, 10 of them controls",
            repos.len()
        ));
    }
    let points = annex_points();
    let mut total = 0;
    for repo in repos.iter().filter(|r| dirs.contains(&r.name)) {
        let name = &repo.name;
        let dir = quality().join("corpus").join(name);
        let files = corpus_files(&dir);
        if repo.labels.models.trim().is_empty() {
            problems.push(format!("{name}: `models` is empty"));
        }
        for (logical, stored) in &files {
            let size = std::fs::metadata(stored).unwrap().len();
            total += size;
            if size > MAX_FILE_BYTES {
                problems.push(format!(
                    "{name}/{logical}: {size} bytes (at most {MAX_FILE_BYTES})"
                ));
            }
            if !repo.labels.files.contains_key(logical) {
                problems.push(format!("{name}/{logical}: not labelled"));
            }
            // Files git would treat specially in this repository as well.
            let base = logical.rsplit('/').next().unwrap();
            if [".gitattributes", ".gitmodules", ".git"].contains(&base) {
                problems.push(format!(
                    "{name}/{logical}: git reads it in this repository too"
                ));
            }
        }
        for (path, label) in &repo.labels.files {
            if !files.contains_key(path) {
                problems.push(format!("{name}: labelled {path} does not exist"));
            }
            let [lo, hi] = label.tier;
            if !(1 <= lo && lo <= hi && hi <= 4) {
                problems.push(format!(
                    "{name}/{path}: tier [{lo}, {hi}] is not a range of 1..=4"
                ));
            }
            if label.reason.trim().is_empty() {
                problems.push(format!("{name}/{path}: no reason"));
            }
            if repo.labels.kind == Kind::Control && lo == 1 {
                problems.push(format!("{name}/{path}: a control's file admits tier 1"));
            }
        }
        if repo.labels.components.is_empty() {
            problems.push(format!("{name}: no component"));
        }
        for c in &repo.labels.components {
            let root = norm_root(&c.root);
            if !root.is_empty() && !dir.join(&root).is_dir() {
                problems.push(format!("{name}: component root {} does not exist", c.root));
            }
            for p in c.annex_iii.iter().chain(&c.accept) {
                if !points.contains(p) {
                    problems.push(format!("{name}: {p} is not an Annex III point"));
                }
            }
            if repo.labels.kind == Kind::Control && !c.annex_iii.is_empty() {
                problems.push(format!(
                    "{name}: a control's component expects Annex III points"
                ));
            }
            if c.reason.trim().is_empty() {
                problems.push(format!("{name}: component {} has no reason", c.root));
            }
        }
    }
    if total > MAX_CORPUS_BYTES {
        problems.push(format!(
            "the corpus is {total} bytes (at most {MAX_CORPUS_BYTES})"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn roots_own_their_deepest_files() {
    let roots = ["", "svc", "svc/api"];
    assert_eq!(owner(roots, "svc/api/main.py"), Some("svc/api"));
    assert_eq!(owner(roots, "svc/x.py"), Some("svc"));
    assert_eq!(owner(roots, "svcx/y.py"), Some(""));
    assert_eq!(owner(["svc"], "other/z.py"), None);
    assert_eq!(norm_root("."), "");
    assert_eq!(norm_root("svc/"), "svc");
}

#[test]
fn component_judgements_are_read_in_either_shape() {
    let map = serde_json::json!({"components": {"": {"annex_iii": [{"point": "4(a)"}]}, "svc": {"annex_iii": []}}});
    let list = serde_json::json!({"components": [{"root": ".", "annex_iii": ["4(a)"]}, {"root": "svc", "annex_iii": []}]});
    for m in [map, list] {
        let got = manifest_components(&m).unwrap();
        let want: Vec<(String, BTreeSet<String>)> = vec![
            (String::new(), ["4(a)".to_string()].into()),
            ("svc".to_string(), BTreeSet::new()),
        ];
        assert_eq!(got, want);
    }
    assert!(manifest_components(&serde_json::json!({"files": {}})).is_none());
}
