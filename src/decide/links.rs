//! Symbolic links are never followed on disk, but a link must not be a way around a
//! tier: it takes at least the tier of what it points to. Targets are resolved within
//! the scanned records, component by component, through other links.
//!
//! Only what the manifest lists counts: a link is followed only when the manifest lists
//! it, and a target the manifest does not list (nothing there, an ignored or untracked
//! file, a path inside a submodule) is `symlink-dangling`, tier 1. The gate sees the
//! committed tree and manifest, not the disk, and must reach the same entry. A link
//! whose resolution passes through a `.git` directory (any spelling: `.git/config`,
//! `./.git//config`, `sub/../.git`, a link to a link into it, `.git` itself, `.GIT` on
//! a case-insensitive disk) is `symlink-into-git`, tier 1.

use super::{ByPath, Classified, Rules};
use crate::codes;
use crate::model::{FileKind, Finding, GitState, RESTRICTED, TierId};

/// Links resolved through more hops than this are treated as loops (as the kernel does).
const MAX_HOPS: usize = 40;

#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A repo-relative path (a file, a directory, or nothing).
    Inside(String),
    Escapes,
    Loop,
    /// Through a `.git` directory (the repository's or a submodule's).
    IntoGit,
}

/// Whether a path component names a `.git` directory. ASCII case is ignored: on a
/// case-insensitive disk (macOS, Windows) `.GIT` opens `.git`.
fn is_git_dir(component: &str) -> bool {
    component.eq_ignore_ascii_case(".git")
}

/// Resolve every link's target and raise the link's tier to its target's. Iterates to a
/// fixpoint because a link may point at a directory holding other links; tiers only
/// ever become more restrictive, so this terminates. `lists` says whether the manifest
/// lists a file in a git state: only those count as targets.
pub fn resolve<R: Classified>(
    rules: &Rules,
    records: &mut impl ByPath<R>,
    lists: &impl Fn(GitState) -> bool,
) {
    let links: Vec<String> = records
        .sorted()
        .filter(|(_, r)| r.kind() == FileKind::Symlink && r.link_target().is_some())
        .map(|(p, _)| p.to_string())
        .collect();
    if links.is_empty() {
        return;
    }
    let targets: Vec<(String, Target)> = links
        .iter()
        .map(|l| {
            let t = records
                .get(l)
                .and_then(Classified::link_target)
                .unwrap_or_default()
                .to_string();
            (
                l.clone(),
                resolve_target(records, l, &t, lists, &mut Vec::new()),
            )
        })
        .collect();
    // First pass adds the fixed findings (escape, loop, into `.git`, dangling); later
    // passes only propagate tiers.
    let mut live: Vec<(&str, &str)> = Vec::new();
    for (link, target) in &targets {
        let rec = records.get_mut(link).expect("link from the same map");
        let stored = rec.link_target().unwrap_or("").to_string();
        let fixed = match target {
            Target::Escapes => Finding::builtin(
                codes::SYMLINK_ESCAPES,
                Some(RESTRICTED),
                format!("link to `{stored}` leaves the repository"),
            ),
            Target::Loop => Finding::builtin(
                codes::SYMLINK_LOOP,
                Some(RESTRICTED),
                "link resolves through a loop of links".into(),
            ),
            Target::IntoGit => Finding::builtin(
                codes::SYMLINK_INTO_GIT,
                Some(RESTRICTED),
                format!("link to `{stored}` resolves into a `.git` directory"),
            ),
            Target::Inside(t) => {
                if target_tier(records, t, link, lists).is_some() {
                    live.push((link, t));
                    continue;
                }
                Finding::builtin(
                    codes::SYMLINK_DANGLING,
                    Some(RESTRICTED),
                    format!("link to `{t}` points to nothing the manifest lists"),
                )
            }
        };
        let rec = records.get_mut(link).expect("link from the same map");
        let mut findings = rec.take_findings();
        findings.push(fixed);
        rec.set_decision(rules.decide(findings));
    }
    for _ in 0..=live.len() {
        let mut changed = false;
        for &(link, t) in &live {
            let Some(tier) = target_tier(records, t, link, lists) else {
                continue;
            };
            let rec = records.get_mut(link).expect("link from the same map");
            let already = rec
                .decision()
                .findings
                .iter()
                .any(|f| f.code == codes::SYMLINK_TARGET && f.tier.is_some_and(|x| x <= tier));
            if already {
                continue;
            }
            let mut findings = rec.take_findings();
            findings.retain(|f| f.code != codes::SYMLINK_TARGET);
            findings.push(Finding::builtin(
                codes::SYMLINK_TARGET,
                Some(tier),
                format!("link to `{t}`, which is tier {tier}"),
            ));
            let before = rec.decision().tier;
            rec.set_decision(rules.decide(findings));
            changed |= rec.decision().tier != before;
        }
        if !changed {
            break;
        }
    }
}

/// The tier of a target: a listed file's own, or the most restrictive of the listed
/// files under a directory. None when the manifest lists nothing there.
fn target_tier<R: Classified>(
    records: &impl ByPath<R>,
    target: &str,
    link: &str,
    lists: &impl Fn(GitState) -> bool,
) -> Option<TierId> {
    if let Some(r) = records.get(target)
        && lists(r.git())
    {
        return Some(r.decision().tier);
    }
    // The root (`""`, a link to `.` at the top or to `..` below it) holds everything.
    let prefix = if target.is_empty() {
        String::new()
    } else {
        format!("{target}/")
    };
    records
        .starting_at(&prefix)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .filter(|(p, r)| *p != link && lists(r.git()))
        .map(|(_, r)| r.decision().tier)
        .min()
}

/// What resolving the links among `records` looks up: every path met on the way (a
/// link there would be followed), and each target reached inside the repository (a
/// file, or a directory whose files give its tier). A caller holding only some of the
/// records (the gate holds the changed paths) adds those of these it can find and
/// resolves again, until none is missing that it can add; the links then resolve as
/// in a scan that holds them all.
pub fn lookups<R: Classified>(
    records: &impl ByPath<R>,
    lists: &impl Fn(GitState) -> bool,
) -> (Vec<String>, Vec<String>) {
    let mut met = Vec::new();
    let mut targets = Vec::new();
    for (link, r) in records.sorted() {
        if r.kind() != FileKind::Symlink {
            continue;
        }
        let Some(t) = r.link_target() else { continue };
        if let Target::Inside(p) = resolve_target(records, link, t, lists, &mut met) {
            targets.push(p);
        }
    }
    met.sort();
    met.dedup();
    targets.sort();
    targets.dedup();
    (met, targets)
}

/// Resolve `target` (as stored in the link at `link`) to a repo-relative path, following
/// the links the manifest lists met on the way; every path looked up is pushed on
/// `met`.
fn resolve_target<R: Classified>(
    records: &impl ByPath<R>,
    link: &str,
    target: &str,
    lists: &impl Fn(GitState) -> bool,
    met: &mut Vec<String>,
) -> Target {
    if target.starts_with('/') {
        // Absolute targets are not portable between checkouts; they leave the repository
        // as far as any other machine is concerned.
        return Target::Escapes;
    }
    let parent: Vec<&str> = match link.rfind('/') {
        Some(i) => link[..i].split('/').collect(),
        None => Vec::new(),
    };
    let mut pending: Vec<String> = target.split('/').rev().map(str::to_string).collect();
    let mut cur: Vec<String> = parent.iter().map(|s| s.to_string()).collect();
    let mut hops = 0;
    while let Some(comp) = pending.pop() {
        match comp.as_str() {
            "" | "." => continue,
            ".." => {
                if cur.pop().is_none() {
                    return Target::Escapes;
                }
                continue;
            }
            _ => {}
        }
        // Whatever follows, the kernel opens the `.git` directory on the way (and what
        // is in it is never listed: a `..` after a link inside it could lead anywhere).
        if is_git_dir(&comp) {
            return Target::IntoGit;
        }
        cur.push(comp);
        let here = cur.join("/");
        met.push(here.clone());
        if let Some(rec) = records.get(&here)
            && rec.kind() == FileKind::Symlink
            && lists(rec.git())
        {
            hops += 1;
            if hops > MAX_HOPS {
                return Target::Loop;
            }
            let Some(next) = rec.link_target() else {
                continue;
            };
            if next.starts_with('/') {
                return Target::Escapes;
            }
            cur.pop();
            pending.extend(next.split('/').rev().map(str::to_string));
        }
    }
    Target::Inside(cur.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{FileRecord, Records};
    use crate::model::{Decision, Facts, GitState, SizeClass};

    fn all(_: GitState) -> bool {
        true
    }

    fn rec(path: &str, kind: FileKind, target: Option<&str>) -> (String, Box<FileRecord>) {
        (
            path.to_string(),
            Box::new(FileRecord {
                facts: Facts {
                    path: path.into(),
                    kind,
                    size: 1,
                    size_class: SizeClass::Small,
                    extension: None,
                    language: None,
                    git: GitState::NoRepo,
                    zones: vec![],
                    content_scanned: true,
                    signals: vec![],
                    link_target: target.map(str::to_string),
                    error: None,
                    raw_name: None,
                    filtered: None,
                    accepted: Vec::new(),
                    imports: Vec::new(),
                },
                decision: Decision::combine(vec![], 3),
            }),
        )
    }

    #[test]
    fn targets_resolve_relative_to_the_link() {
        let records: Records = [
            rec("a/b/l", FileKind::Symlink, Some("../c/f")),
            rec("a/c/f", FileKind::Text, None),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            resolve_target(&records, "a/b/l", "../c/f", &all, &mut Vec::new()),
            Target::Inside("a/c/f".into())
        );
        assert_eq!(
            resolve_target(&records, "l", "../x", &all, &mut Vec::new()),
            Target::Escapes
        );
        assert_eq!(
            resolve_target(&records, "l", "/etc/passwd", &all, &mut Vec::new()),
            Target::Escapes
        );
    }

    #[test]
    fn loops_and_chains() {
        let records: Records = [
            rec("x", FileKind::Symlink, Some("y")),
            rec("y", FileKind::Symlink, Some("x")),
            rec("c1", FileKind::Symlink, Some("c2")),
            rec("c2", FileKind::Symlink, Some("d/f")),
            rec("d/f", FileKind::Text, None),
            rec("e", FileKind::Symlink, Some("dl/../..")),
            rec("dl", FileKind::Symlink, Some("d")),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            resolve_target(&records, "x", "y", &all, &mut Vec::new()),
            Target::Loop
        );
        assert_eq!(
            resolve_target(&records, "c1", "c2", &all, &mut Vec::new()),
            Target::Inside("d/f".into())
        );
        // `dl/..` is the parent of `d`, the root; one more `..` escapes.
        assert_eq!(
            resolve_target(&records, "e", "dl/../..", &all, &mut Vec::new()),
            Target::Escapes
        );
    }

    /// A link to the repository's root (`..` one level down, `.` at the top) takes
    /// the most restrictive file of the whole tree, not "points to nothing".
    #[test]
    fn a_link_to_the_root_takes_the_whole_tree() {
        let mut records: Records = [
            rec("sub/up", FileKind::Symlink, Some("..")),
            rec("here", FileKind::Symlink, Some(".")),
            rec(".env", FileKind::Text, None),
            rec("a.txt", FileKind::Text, None),
        ]
        .into_iter()
        .collect();
        records.get_mut(".env").unwrap().decision = Decision::combine(vec![], 1);
        let rules = Rules::compile(std::sync::Arc::new(crate::config::defaults())).unwrap();
        resolve(&rules, &mut records, &all);
        for link in ["sub/up", "here"] {
            let d = &records[link].decision;
            assert_eq!(d.tier, 1, "{link}: {d:?}");
            assert!(
                d.findings.iter().all(|f| f.code != codes::SYMLINK_DANGLING),
                "{link}: {d:?}"
            );
        }
    }

    fn tracked_only(git: GitState) -> bool {
        git == GitState::Tracked
    }

    /// Records for the table tests: every path tracked but `ign.txt` (ignored) and
    /// `untracked-link` (an untracked link to `docs`).
    fn tree(links: &[(&str, &str)]) -> Records {
        let mut records: Records = [
            rec("README.md", FileKind::Text, None),
            rec("docs/guide.md", FileKind::Text, None),
            rec("secrets/key.pem", FileKind::Text, None),
            rec("secrets/notes.txt", FileKind::Text, None),
            rec("ign.txt", FileKind::Text, None),
            rec("untracked-link", FileKind::Symlink, Some("docs")),
            rec("sub", FileKind::Submodule, None),
        ]
        .into_iter()
        .chain(
            links
                .iter()
                .map(|(l, t)| rec(l, FileKind::Symlink, Some(t))),
        )
        .collect();
        for (p, r) in records.iter_mut() {
            r.facts.git = match p.as_str() {
                "ign.txt" => GitState::Ignored,
                "untracked-link" => GitState::Untracked,
                _ => GitState::Tracked,
            };
            let tier = if p.starts_with("secrets/") || p == "sub" {
                1
            } else {
                3
            };
            r.decision = Decision::combine(vec![], tier);
        }
        records
    }

    fn classified(links: &[(&str, &str)]) -> Records {
        let mut records = tree(links);
        let rules = Rules::compile(std::sync::Arc::new(crate::config::defaults())).unwrap();
        resolve(&rules, &mut records, &tracked_only);
        records
    }

    fn codes_of(r: &FileRecord) -> Vec<&str> {
        r.decision
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    /// A link into `.git`, spelled any way, is tier 1 with its own code: the config of a
    /// repository may hold a token in a remote URL, and nothing there is listed.
    #[test]
    fn links_into_git_are_tier_1_whatever_the_spelling() {
        let spellings: Vec<String> = {
            let mut v: Vec<String> = [
                ".git/config",
                "./.git//config",
                ".git",
                ".git/",
                "./.git",
                "sub/../.git",
                "docs/../.git/config",
                ".GIT/config",
                ".Git/HEAD",
                "sub/.git",
                "sub/.git/config",
                ".git/../README.md",
                "docs/./../.git/objects/pack",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            // Generated: each spelling behind `./` and `x/..` prefixes and doubled slashes.
            let base = v.clone();
            for b in &base {
                v.push(format!("./{b}"));
                v.push(format!("docs/../{b}"));
                v.push(b.replace('/', "//"));
            }
            v
        };
        for t in &spellings {
            let records = classified(&[("cfg", t)]);
            let d = &records["cfg"].decision;
            assert_eq!(d.tier, 1, "cfg -> {t}: {d:?}");
            assert!(
                codes_of(&records["cfg"]).contains(&codes::SYMLINK_INTO_GIT),
                "cfg -> {t}: {d:?}"
            );
        }
        // Through another link, to `.git` itself and below it, and from a subdirectory.
        for links in [
            &[("g", ".git"), ("cfg", "g/config")][..],
            &[("g", ".git"), ("cfg", "g")],
            &[("g", "./.git/"), ("docs/cfg", "../g/config")],
            &[("a", "b"), ("b", "c"), ("c", ".git/config"), ("cfg", "a")],
            &[("docs/up", ".."), ("cfg", "docs/up/.git/config")],
        ] {
            let records = classified(links);
            let (link, _) = links.last().unwrap();
            let d = &records[*link].decision;
            assert_eq!(d.tier, 1, "{links:?}: {d:?}");
            assert!(
                codes_of(&records[*link]).contains(&codes::SYMLINK_INTO_GIT),
                "{links:?}: {d:?}"
            );
        }
        // A name that only contains `.git` is an ordinary name.
        let records = classified(&[("l", "docs/.gitkeep"), ("m", ".github")]);
        for l in ["l", "m"] {
            assert!(
                !codes_of(&records[l]).contains(&codes::SYMLINK_INTO_GIT),
                "{l}"
            );
        }
    }

    /// A link to nothing, or to what the manifest does not list (an ignored file, a path
    /// inside a submodule, the manifest itself), is tier 1; one through an unlisted link
    /// is not followed.
    #[test]
    fn links_to_what_the_manifest_does_not_list_are_tier_1() {
        for t in [
            "nothing",
            "docs/nothing.md",
            "ign.txt",
            "./ign.txt",
            "sub/file.txt",
            "sub/deep/x",
            "untracked-link/guide.md",
            "README.md/x",
            "tiergate.manifest.json",
        ] {
            let records = classified(&[("l", t)]);
            let d = &records["l"].decision;
            assert_eq!(d.tier, 1, "l -> {t}: {d:?}");
            assert_eq!(
                codes_of(&records["l"]),
                [codes::SYMLINK_DANGLING],
                "l -> {t}"
            );
        }
        // Listed targets keep their own tier: a file, a directory, the submodule entry.
        for (t, tier) in [
            ("README.md", 3),
            ("docs", 3),
            ("docs/", 3),
            ("./docs/../README.md", 3),
            ("secrets", 1),
            ("secrets/notes.txt", 1),
            ("sub", 1),
        ] {
            let records = classified(&[("l", t)]);
            let d = &records["l"].decision;
            assert_eq!(d.tier, tier, "l -> {t}: {d:?}");
            assert_eq!(
                codes_of(&records["l"])[0],
                codes::SYMLINK_TARGET,
                "l -> {t}"
            );
        }
    }
}
