//! Paths resolved the way the kernel will resolve them when the agent's tool opens
//! them: absolute, or relative to the session's working directory; `~` from `HOME`;
//! each component looked at with `lstat`, a symbolic link replaced by its target
//! (relative to the link's directory, or from `/`) and walked on, `..` applied to the
//! resolved prefix (physically, as the kernel does), at most [`MAX_HOPS`] links (then
//! a loop, as `ELOOP`). The process files that name another place (`/proc/self/cwd`,
//! `/proc/self/root`, `/proc/*/fd/*`, `/dev/fd/*`, ...) map to the session (`self` is
//! the agent's process, whose working directory is the session's, not this one's) or
//! cannot be known.
//!
//! A name after a file (`f/x`, `f/..`) makes the rest text, as after a missing name:
//! the kernel refuses to open it (`ENOTDIR`). A trailing `/` or `/.` after a file is
//! taken as the file (the kernel refuses that too; judging the file is the strict
//! side). A property test checks the walk against `realpath` on generated trees.
//!
//! The textual form of the same input (`.` and `..` applied to the text) is kept too:
//! callers judge both, and the stricter answer wins.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::fs::Metadata;
use std::path::{Component, Path, PathBuf};

/// Links followed before the walk gives up, as Linux's `MAXSYMLINKS`.
pub const MAX_HOPS: usize = 40;

/// Where relative paths start, and what `~` means.
#[derive(Debug, Clone)]
pub struct Session {
    /// The working directory as the agent gave it (perhaps through a symlinked alias).
    pub cwd: PathBuf,
    /// The same directory resolved.
    pub cwd_physical: PathBuf,
    pub home: Option<PathBuf>,
}

impl Session {
    pub fn new(cwd: &Path, home: Option<PathBuf>) -> Session {
        let cwd = lexical(Path::new("/"), cwd.as_os_str());
        let probe = Session {
            cwd: cwd.clone(),
            cwd_physical: cwd.clone(),
            home: None,
        };
        // The working directory has no `/proc/self/cwd` of its own to refer to: a cwd
        // spelled that way stays as the text says.
        let walked = walk(Vec::new(), components(cwd.as_os_str()), &probe);
        let cwd_physical = match walked.end {
            End::Exists(_) | End::Missing => to_path(&walked.stack),
            End::Loop | End::Unknown(_) => cwd.clone(),
        };
        Session {
            cwd,
            cwd_physical,
            home,
        }
    }
}

/// One symbolic link met on the way.
#[derive(Debug)]
pub struct Hop {
    /// Where the link itself is (its directory resolved, its own name).
    pub link: PathBuf,
    pub meta: Metadata,
}

#[derive(Debug)]
pub enum End {
    /// The path names something; its `lstat` (never a link: links are followed).
    Exists(Metadata),
    /// Some component does not exist; the rest of the path was taken as text.
    Missing,
    /// More than [`MAX_HOPS`] links: the kernel refuses to open it (`ELOOP`).
    Loop,
    /// The path goes through a process's open file or another process's directory,
    /// which this process cannot know.
    Unknown(String),
}

#[derive(Debug)]
pub struct Resolved {
    /// Absolute, every link replaced (up to where the walk ended).
    pub physical: PathBuf,
    /// Absolute, `.` and `..` applied to the text as given (`~` expanded).
    pub lexical: PathBuf,
    pub hops: Vec<Hop>,
    pub end: End,
}

/// Resolve `input` for a session.
pub fn resolve(input: &str, session: &Session) -> Resolved {
    let expanded: OsString = match (input.strip_prefix('~'), &session.home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            let mut h = home.as_os_str().to_os_string();
            h.push(rest);
            h
        }
        _ => input.into(),
    };
    let absolute = Path::new(&expanded).is_absolute();
    let lexical = lexical(&session.cwd, &expanded);
    let start = if absolute {
        Vec::new()
    } else {
        components(session.cwd_physical.as_os_str()).into()
    };
    let walked = walk(start, components(&expanded), session);
    Resolved {
        physical: to_path(&walked.stack),
        lexical,
        hops: walked.hops,
        end: walked.end,
    }
}

/// `path` (absolute, or relative to `base`) with `.` and `..` applied to the text.
pub fn lexical(base: &Path, path: &OsStr) -> PathBuf {
    let p = Path::new(path);
    let mut parts: Vec<&OsStr> = Vec::new();
    let joined;
    let full: &Path = if p.is_absolute() {
        p
    } else {
        joined = base.join(p);
        &joined
    };
    for c in full.components() {
        match c {
            Component::RootDir | Component::Prefix(_) => parts.clear(),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(s) => parts.push(s),
        }
    }
    let mut out = PathBuf::from("/");
    out.extend(parts);
    out
}

/// The names of a path, in order (empty, `.` kept out; `..` kept).
fn components(path: &OsStr) -> VecDeque<OsString> {
    path.as_encoded_bytes()
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .map(|c| crate::platform::os_str(c).into_owned())
        .collect()
}

fn to_path(stack: &[OsString]) -> PathBuf {
    let mut p = PathBuf::from("/");
    p.extend(stack);
    p
}

struct Walked {
    stack: Vec<OsString>,
    hops: Vec<Hop>,
    end: End,
}

/// What a name under `/proc` or `/dev` means for the agent's process.
enum Magic {
    /// `/proc/self`, `/proc/thread-self`: the agent's process (kept as `self`).
    This,
    /// A name that means the agent's process, kept as it is (a thread id).
    Keep,
    /// Its working directory: the session's.
    Cwd,
    /// Its root directory: `/`.
    Root,
    Unknown(String),
}

fn magic(stack: &[OsString], name: &OsStr) -> Option<Magic> {
    let at = |i: usize| stack.get(i).map(|s| s.as_encoded_bytes());
    let name = name.as_encoded_bytes();
    match (stack.len(), at(0)) {
        (1, Some(b"proc")) if name == b"self" || name == b"thread-self" => Some(Magic::This),
        // Processes and threads are named as the agent sees them, whether or not this
        // process can see them: their directories are judged by name below.
        (1, Some(b"proc")) if !name.is_empty() && name.iter().all(u8::is_ascii_digit) => {
            Some(Magic::Keep)
        }
        (3, Some(b"proc")) if at(2) == Some(b"task") => Some(Magic::Keep),
        (2, Some(b"proc")) | (4, Some(b"proc")) => {
            // `/proc/<pid>/<name>` or `/proc/<pid>/task/<tid>/<name>`.
            if stack.len() == 4 && at(2) != Some(b"task") {
                return None;
            }
            let this = at(1) == Some(b"self");
            match name {
                b"task" if stack.len() == 2 => Some(Magic::Keep),
                b"cwd" if this => Some(Magic::Cwd),
                b"root" if this => Some(Magic::Root),
                b"cwd" | b"root" => Some(Magic::Unknown(
                    "the working or root directory of another process cannot be known".into(),
                )),
                b"fd" | b"map_files" | b"exe" => Some(Magic::Unknown(
                    "a process's open files cannot be known from their names".into(),
                )),
                _ => None,
            }
        }
        (1, Some(b"dev")) if name == b"fd" || name == b"stdin" => Some(Magic::Unknown(
            "a process's open files cannot be known from their names".into(),
        )),
        _ => None,
    }
}

/// Walk `pending` from `stack` (absolute components), as the kernel does.
fn walk(mut stack: Vec<OsString>, mut pending: VecDeque<OsString>, session: &Session) -> Walked {
    let mut hops = Vec::new();
    let mut missing = false;
    while let Some(name) = pending.pop_front() {
        if name == ".." {
            // After a missing component this is text: the kernel would fail on
            // `missing/..` (ENOENT) and open nothing; the text says what was meant.
            stack.pop();
            continue;
        }
        if missing {
            stack.push(name);
            continue;
        }
        match magic(&stack, &name) {
            Some(Magic::This) => {
                stack.push("self".into());
                continue;
            }
            Some(Magic::Keep) => {
                stack.push(name);
                continue;
            }
            Some(Magic::Cwd) => {
                stack = components(session.cwd_physical.as_os_str()).into();
                continue;
            }
            Some(Magic::Root) => {
                stack.clear();
                continue;
            }
            Some(Magic::Unknown(why)) => {
                stack.push(name);
                stack.extend(pending);
                return Walked {
                    stack,
                    hops,
                    end: End::Unknown(why),
                };
            }
            None => {}
        }
        let mut path = to_path(&stack);
        path.push(&name);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                if hops.len() >= MAX_HOPS {
                    stack.push(name);
                    stack.extend(pending);
                    return Walked {
                        stack,
                        hops,
                        end: End::Loop,
                    };
                }
                let Ok(target) = std::fs::read_link(&path) else {
                    // Replaced between the two calls: take it as it now is, missing.
                    missing = true;
                    stack.push(name);
                    continue;
                };
                hops.push(Hop { link: path, meta });
                if target.is_absolute() {
                    stack.clear();
                }
                for c in components(target.as_os_str()).into_iter().rev() {
                    pending.push_front(c);
                }
            }
            Ok(meta) => {
                // A file followed by more names cannot be opened (ENOTDIR): the rest
                // is text, as after a missing component.
                missing |= !meta.is_dir() && !pending.is_empty();
                stack.push(name);
            }
            Err(_) => {
                missing = true;
                stack.push(name);
            }
        }
    }
    let end = if missing {
        End::Missing
    } else {
        match std::fs::symlink_metadata(to_path(&stack)) {
            Ok(m) => End::Exists(m),
            Err(_) => End::Missing,
        }
    };
    Walked { stack, hops, end }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn session(cwd: &Path) -> Session {
        Session::new(cwd, Some(PathBuf::from("/home/someone")))
    }

    #[test]
    fn links_are_followed_before_dotdot_and_text_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join("secrets/sub")).unwrap();
        std::fs::write(top.join("secrets/key.pem"), "k").unwrap();
        symlink("secrets/sub", top.join("q")).unwrap();
        let s = session(&top);
        let r = resolve("q/../key.pem", &s);
        assert_eq!(r.physical, top.join("secrets/key.pem"));
        assert_eq!(r.lexical, top.join("key.pem"));
        assert!(matches!(r.end, End::Exists(_)));
        assert_eq!(r.hops.len(), 1);
        assert_eq!(r.hops[0].link, top.join("q"));
        // An absolute target starts again from `/`.
        symlink(top.join("secrets"), top.join("abs")).unwrap();
        assert_eq!(
            resolve("abs/./key.pem", &s).physical,
            top.join("secrets/key.pem")
        );
        // `~` is the session's home.
        assert_eq!(resolve("~/x", &s).lexical, Path::new("/home/someone/x"));
        assert_eq!(resolve("~", &s).lexical, Path::new("/home/someone"));
        assert_eq!(resolve("~other/x", &s).lexical, top.join("~other/x"));
    }

    #[test]
    fn missing_components_are_text_and_loops_end() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let s = session(&top);
        let r = resolve("nope/../x", &s);
        assert!(matches!(r.end, End::Missing));
        assert_eq!(r.physical, top.join("x"));
        symlink("b", top.join("a")).unwrap();
        symlink("a", top.join("b")).unwrap();
        let r = resolve("a/x", &s);
        assert!(matches!(r.end, End::Loop));
        assert_eq!(r.hops.len(), MAX_HOPS);
        // A dangling link is followed to where it points, which is missing.
        symlink("gone", top.join("d")).unwrap();
        let r = resolve("d", &s);
        assert!(matches!(r.end, End::Missing));
        assert_eq!(r.physical, top.join("gone"));
    }

    #[test]
    fn process_files_map_to_the_session_or_are_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::write(top.join("f"), "x").unwrap();
        let s = session(&top);
        for p in [
            "/proc/self/cwd/f",
            "/proc/thread-self/cwd/./f",
            "/proc/self/task/1/cwd/f",
        ] {
            let r = resolve(p, &s);
            assert_eq!(r.physical, top.join("f"), "{p}");
            assert!(matches!(r.end, End::Exists(_)), "{p}");
        }
        let r = resolve("/proc/self/root/proc/self/cwd/f", &s);
        assert_eq!(r.physical, top.join("f"));
        for p in [
            "/proc/self/fd/3",
            "/proc/1/cwd/f",
            "/proc/self/map_files/x",
            "/dev/fd/0",
            "/dev/stdin",
            "/proc/12/task/12/root/etc",
        ] {
            assert!(matches!(resolve(p, &s).end, End::Unknown(_)), "{p}");
        }
        // Through a link into /proc.
        symlink("/proc/self/cwd", top.join("here")).unwrap();
        assert_eq!(resolve("here/here/f", &s).physical, top.join("f"));
    }

    use proptest::prelude::*;

    /// A tree of directories and links (relative, absolute, to each other, dangling,
    /// looping) for the property below.
    fn tree(top: &Path, links: &[(usize, usize, bool)]) {
        for d in ["a", "a/b", "a/b/c", "x", "x/y"] {
            std::fs::create_dir_all(top.join(d)).unwrap();
        }
        for f in ["a/f", "a/b/f", "a/b/c/f", "x/f", "x/y/f", "f"] {
            std::fs::write(top.join(f), f).unwrap();
        }
        let dirs = ["", "a", "a/b", "a/b/c", "x", "x/y"];
        let targets = [
            "a", "a/b", "..", "../..", "x/y", "f", "gone", "l0", "l1", "../l2", "a/b/c/f",
        ];
        for (i, &(at, to, absolute)) in links.iter().enumerate() {
            let dir = top.join(dirs[at % dirs.len()]);
            let target = targets[to % targets.len()];
            let target = if absolute {
                top.join(target).display().to_string()
            } else {
                target.to_string()
            };
            let _ = symlink(target, dir.join(format!("l{i}")));
        }
    }

    fn segment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "b", "c", "x", "y", "f", "l0", "l1", "l2", "l3", "..", ".", "gone",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Wherever the kernel opens a path (`realpath`, which resolves as `open`
        /// does), the resolution names the same file; where it refuses (a missing
        /// component, a loop), the resolution does not say it exists.
        #[test]
        fn resolution_agrees_with_the_kernel(
            links in prop::collection::vec((0usize..6, 0usize..11, any::<bool>()), 0..5),
            path in prop::collection::vec(segment(), 1..7),
            absolute in any::<bool>(),
            from in 0usize..3,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let top = dir.path().canonicalize().unwrap();
            tree(&top, &links);
            let cwd = top.join(["", "a/b", "x"][from]);
            let joined = path.join("/");
            let input = if absolute {
                format!("{}/{joined}", cwd.display())
            } else {
                joined
            };
            let r = resolve(&input, &session(&cwd));
            match std::fs::canonicalize(cwd.join(&input)) {
                Ok(real) => {
                    prop_assert!(matches!(r.end, End::Exists(_)), "{input}: {:?}", r.end);
                    prop_assert_eq!(&r.physical, &real, "{}", input);
                }
                Err(_) => {
                    // A file named with a trailing `/.` (ENOTDIR for the kernel) is
                    // taken as the file: judged, never let through as nothing.
                    let mut trimmed = input.as_str();
                    while let Some(t) = trimmed.strip_suffix("/.").or_else(|| trimmed.strip_suffix('/')) {
                        trimmed = t;
                    }
                    let as_file = std::fs::canonicalize(cwd.join(trimmed)).is_ok_and(|p| p == r.physical && p.is_file());
                    prop_assert!(
                        !matches!(r.end, End::Exists(_)) || as_file,
                        "{input}: exists as {:?}",
                        r.physical
                    );
                }
            }
        }
    }

    #[test]
    fn a_session_reached_through_an_alias_resolves_to_the_real_directory() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join("real/repo")).unwrap();
        std::fs::write(top.join("real/repo/f"), "x").unwrap();
        symlink(top.join("real"), top.join("alias")).unwrap();
        let s = session(&top.join("alias/repo"));
        assert_eq!(s.cwd_physical, top.join("real/repo"));
        let r = resolve("f", &s);
        assert_eq!(r.physical, top.join("real/repo/f"));
        assert_eq!(r.lexical, top.join("alias/repo/f"));
        let r = resolve("../repo/f", &s);
        assert_eq!(r.physical, top.join("real/repo/f"));
    }
}
