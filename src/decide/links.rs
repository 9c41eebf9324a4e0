//! Symbolic links are never followed on disk, but a link must not be a way around a
//! tier: it takes at least the tier of what it points to. Targets are resolved within
//! the scanned records, component by component, through other links.

use super::{ByPath, Classified, Rules};
use crate::codes;
use crate::model::{FileKind, Finding, RESTRICTED, TierId};

/// Links resolved through more hops than this are treated as loops (as the kernel does).
const MAX_HOPS: usize = 40;

#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A repo-relative path (a file, a directory, or nothing).
    Inside(String),
    Escapes,
    Loop,
}

/// Resolve every link's target and raise the link's tier to its target's. Iterates to a
/// fixpoint because a link may point at a directory holding other links; tiers only
/// ever become more restrictive, so this terminates.
pub fn resolve<R: Classified>(rules: &Rules, records: &mut impl ByPath<R>) {
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
            (l.clone(), resolve_target(records, l, &t))
        })
        .collect();
    // First pass adds the fixed findings (escape, loop, dangling); later passes only
    // propagate tiers.
    for (link, target) in &targets {
        let rec = records.get_mut(link).expect("link from the same map");
        let mut findings = rec.take_findings();
        match target {
            Target::Escapes => findings.push(Finding::builtin(
                codes::SYMLINK_ESCAPES,
                Some(RESTRICTED),
                format!(
                    "link to `{}` leaves the repository",
                    rec.link_target().unwrap_or("")
                ),
            )),
            Target::Loop => findings.push(Finding::builtin(
                codes::SYMLINK_LOOP,
                Some(RESTRICTED),
                "link resolves through a loop of links".into(),
            )),
            Target::Inside(_) => {}
        }
        rec.set_decision(rules.decide(findings));
    }
    for _ in 0..=targets.len() {
        let mut changed = false;
        for (link, target) in &targets {
            let Target::Inside(t) = target else { continue };
            let Some(tier) = target_tier(records, t, link) else {
                let rec = records.get_mut(link).expect("link from the same map");
                if !rec
                    .decision()
                    .findings
                    .iter()
                    .any(|f| f.code == codes::SYMLINK_DANGLING)
                {
                    let mut findings = rec.take_findings();
                    findings.push(Finding::builtin(
                        codes::SYMLINK_DANGLING,
                        None,
                        format!("link to `{t}` points to nothing in the repository"),
                    ));
                    rec.set_decision(rules.decide(findings));
                }
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

/// The tier of a target: a file's own, or the most restrictive of a directory's files.
/// None when nothing in the scan is there.
fn target_tier<R: Classified>(
    records: &impl ByPath<R>,
    target: &str,
    link: &str,
) -> Option<TierId> {
    if let Some(r) = records.get(target) {
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
        .filter(|(p, _)| *p != link)
        .map(|(_, r)| r.decision().tier)
        .min()
}

/// Resolve `target` (as stored in the link at `link`) to a repo-relative path, following
/// links met on the way within the records.
fn resolve_target<R: Classified>(records: &impl ByPath<R>, link: &str, target: &str) -> Target {
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
        cur.push(comp);
        let here = cur.join("/");
        if let Some(rec) = records.get(&here)
            && rec.kind() == FileKind::Symlink
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
            resolve_target(&records, "a/b/l", "../c/f"),
            Target::Inside("a/c/f".into())
        );
        assert_eq!(resolve_target(&records, "l", "../x"), Target::Escapes);
        assert_eq!(
            resolve_target(&records, "l", "/etc/passwd"),
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
        assert_eq!(resolve_target(&records, "x", "y"), Target::Loop);
        assert_eq!(
            resolve_target(&records, "c1", "c2"),
            Target::Inside("d/f".into())
        );
        // `dl/..` is the parent of `d`, the root; one more `..` escapes.
        assert_eq!(resolve_target(&records, "e", "dl/../.."), Target::Escapes);
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
        resolve(&rules, &mut records);
        for link in ["sub/up", "here"] {
            let d = &records[link].decision;
            assert_eq!(d.tier, 1, "{link}: {d:?}");
            assert!(
                d.findings.iter().all(|f| f.code != codes::SYMLINK_DANGLING),
                "{link}: {d:?}"
            );
        }
    }
}
