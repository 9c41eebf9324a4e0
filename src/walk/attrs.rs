//! The `filter` attribute of `.gitattributes`: which paths git passes through a clean
//! filter other than LFS (git-crypt and the like), whose stored bytes tiergate cannot
//! read back. LFS is not looked up here: a pointer is recognized by its content (see
//! [`super::lfs`]).
//!
//! The files read are the repository's own `.gitattributes` (at the root and in any
//! directory): the scan reads the tracked ones from the work tree, the gate reads them
//! from the side it judges, so both see the same rules for the same commit.
//! `$GIT_DIR/info/attributes` and `core.attributesFile` are a machine's own and are not
//! read (a filter set only there makes the scan and the gate disagree, which the gate
//! reports as a stale manifest).
//!
//! Semantics as git's: a pattern matches as in `.gitignore` relative to the file's
//! directory (without negation; a pattern ending in `/` matches no file); in a file the
//! last matching line decides, and a deeper file overrides a shallower one; a macro
//! (`[attr]name ...`, in the root file) expands where it is set.

use std::collections::HashMap;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// `facts` of a path whose attributes name a filter other than LFS: git stores what
/// the filter makes of the file, which tiergate cannot read back, so the content is
/// not read at all (not even the work tree's, so the scan and the gate agree):
/// unreadable, tier 1 (`content-filtered`) unless a reviewed exception says otherwise.
pub fn filtered_facts(mut facts: crate::model::Facts, driver: &str) -> crate::model::Facts {
    facts.kind = crate::model::FileKind::Unreadable;
    facts.size = 0;
    facts.size_class = crate::model::SizeClass::Empty;
    facts.content_scanned = false;
    facts.signals.clear();
    facts.filtered = Some(format!(
        "filter `{driver}` (.gitattributes): git stores what the filter makes of the file, which tiergate cannot read back; the content was not read"
    ));
    facts
}

/// What a line says about `filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// `filter=NAME`.
    Driver(String),
    /// `-filter`, `!filter`, or `filter` set without a driver: no filter.
    None,
}

struct Line {
    matcher: Gitignore,
    state: State,
}

struct AttrFile {
    /// The directory of the file, relative to the repository, with a trailing `/`
    /// (empty at the root).
    dir: Vec<u8>,
    lines: Vec<Line>,
}

/// The `filter` rules of a repository's `.gitattributes` files.
#[derive(Default)]
pub struct Filters {
    /// Shallower first.
    files: Vec<AttrFile>,
}

impl Filters {
    /// The rules of `files`: (directory with a trailing `/`, or empty for the root;
    /// the file's bytes).
    pub fn parse(files: &[(Vec<u8>, Vec<u8>)]) -> Filters {
        // Macros are defined in the root file only.
        let mut macros: HashMap<String, State> = HashMap::new();
        if let Some((_, text)) = files.iter().find(|(d, _)| d.is_empty()) {
            for line in lines(text) {
                if let Some(def) = line.strip_prefix("[attr]") {
                    let mut words = def.split_whitespace();
                    if let Some(name) = words.next()
                        && let Some(state) = filter_state(words, &HashMap::new())
                    {
                        macros.insert(name.to_string(), state);
                    }
                }
            }
        }
        let mut out: Vec<AttrFile> = Vec::new();
        for (dir, text) in files {
            let mut parsed = Vec::new();
            for line in lines(text) {
                if line.starts_with("[attr]") {
                    continue;
                }
                let Some((pattern, rest)) = split_pattern(line) else {
                    continue;
                };
                // git refuses negative patterns; a directory pattern matches no file.
                if pattern.is_empty() || pattern.starts_with('!') || pattern.ends_with('/') {
                    continue;
                }
                let Some(state) = filter_state(rest.split_whitespace(), &macros) else {
                    continue;
                };
                let mut b = GitignoreBuilder::new("/");
                if b.add_line(None, &pattern).is_err() {
                    continue;
                }
                let Ok(matcher) = b.build() else {
                    continue;
                };
                parsed.push(Line { matcher, state });
            }
            if !parsed.is_empty() {
                out.push(AttrFile {
                    dir: dir.clone(),
                    lines: parsed,
                });
            }
        }
        out.sort_by_key(|f| f.dir.iter().filter(|&&b| b == b'/').count());
        // Nothing to look up when no line names a driver other than LFS.
        let drivers = out
            .iter()
            .flat_map(|f| &f.lines)
            .any(|l| matches!(&l.state, State::Driver(d) if d != "lfs"));
        if !drivers {
            out.clear();
        }
        Filters { files: out }
    }

    /// Whether no path has a filter other than LFS (nothing to look up).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The filter driver other than LFS that applies to the file at `path` (relative to
    /// the repository, as git stores it), if any.
    pub fn driver_of(&self, path: &[u8]) -> Option<&str> {
        let mut state: Option<&State> = None;
        for f in &self.files {
            let Some(rel) = path.strip_prefix(&f.dir[..]) else {
                continue;
            };
            let mut p = Vec::with_capacity(rel.len() + 1);
            p.push(b'/');
            p.extend_from_slice(rel);
            let p = crate::platform::os_path(&p);
            if let Some(l) = f
                .lines
                .iter()
                .rev()
                .find(|l| l.matcher.matched(&p, false).is_ignore())
            {
                state = Some(&l.state);
            }
        }
        match state {
            Some(State::Driver(d)) if d != "lfs" => Some(d),
            _ => None,
        }
    }
}

/// The meaningful lines of a file: trimmed, without blanks and comments.
fn lines(text: &[u8]) -> impl Iterator<Item = &str> {
    text.split(|&b| b == b'\n')
        .filter_map(|l| std::str::from_utf8(l).ok())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A line's pattern (unquoted when it is in C-style quotes) and the rest.
fn split_pattern(line: &str) -> Option<(String, &str)> {
    if let Some(quoted) = line.strip_prefix('"') {
        let mut out: Vec<u8> = Vec::new();
        let b = quoted.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'"' => {
                    let pattern = String::from_utf8(out).ok()?;
                    return Some((pattern, &quoted[i + 1..]));
                }
                b'\\' => {
                    let c = *b.get(i + 1)?;
                    match c {
                        b'0'..=b'7' => {
                            let oct = quoted.get(i + 1..i + 4)?;
                            out.push(u8::from_str_radix(oct, 8).ok()?);
                            i += 4;
                            continue;
                        }
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        other => out.push(other),
                    }
                    i += 2;
                }
                other => {
                    out.push(other);
                    i += 1;
                }
            }
        }
        return None;
    }
    let end = line.find(char::is_whitespace).unwrap_or(line.len());
    Some((line[..end].to_string(), &line[end..]))
}

/// What a line's attributes say about `filter`, macros expanded; None when nothing.
fn filter_state<'a>(
    words: impl Iterator<Item = &'a str>,
    macros: &HashMap<String, State>,
) -> Option<State> {
    let mut state = None;
    for w in words {
        if let Some(driver) = w.strip_prefix("filter=") {
            state = Some(State::Driver(driver.to_string()));
        } else if matches!(w, "-filter" | "!filter" | "filter") {
            state = Some(State::None);
        } else if let Some(m) = macros.get(w) {
            state = Some(m.clone());
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(files: &[(&str, &str)]) -> Filters {
        let owned: Vec<(Vec<u8>, Vec<u8>)> = files
            .iter()
            .map(|(d, t)| (d.as_bytes().to_vec(), t.as_bytes().to_vec()))
            .collect();
        Filters::parse(&owned)
    }

    /// A table of `.gitattributes` spellings against what git itself says
    /// (`git check-attr filter`) for the same files and paths.
    #[test]
    fn filters_are_read_as_git_reads_them() {
        /// (`.gitattributes` files by directory, paths asked about)
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);
        let cases: &[Case<'_>] = &[
            (
                &[("", "secret/** filter=crypt\n*.lfs filter=lfs\n")],
                &["secret/a", "secret/d/b", "x.lfs", "secretx", "a/secret/b"],
            ),
            (
                &[("", "*.key filter=crypt\n*.key -filter\n")],
                &["a.key", "d/a.key"],
            ),
            (
                &[
                    ("", "*.env filter=crypt\n"),
                    ("sub/", "*.env !filter\nkeep.env filter=vault\n"),
                ],
                &[
                    "a.env",
                    "sub/a.env",
                    "sub/keep.env",
                    "sub/d/x.env",
                    "other/a.env",
                ],
            ),
            (
                &[(
                    "",
                    "[attr]enc filter=crypt diff=crypt\n*.sec enc\n\"quoted name\" filter=crypt\n",
                )],
                &["a.sec", "quoted name", "quoted", "d/a.sec"],
            ),
            (
                &[(
                    "",
                    "dir/ filter=crypt\n/top.txt filter=crypt\nd/*.txt filter=crypt\n",
                )],
                &["dir/a", "top.txt", "x/top.txt", "d/a.txt", "d/e/a.txt"],
            ),
            (
                &[("", "# comment\n\n  *.gpg   filter=gpg  \n")],
                &["a.gpg", "b/c.gpg", "a.gpgx"],
            ),
            (&[("", "*.lfs filter=lfs\n")], &["a.lfs"]),
        ];
        for (files, paths) in cases {
            let f = filters(files);
            let got: Vec<Option<String>> = paths
                .iter()
                .map(|p| f.driver_of(p.as_bytes()).map(str::to_string))
                .collect();
            let want = git_check_attr(files, paths);
            assert_eq!(got, want, "{files:?}");
        }
    }

    /// `git check-attr filter` in a repository holding `files`: the driver of each path,
    /// LFS left out (as `driver_of` leaves it).
    fn git_check_attr(files: &[(&str, &str)], paths: &[&str]) -> Vec<Option<String>> {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .unwrap()
        };
        assert!(git(&["init", "-q"]).status.success());
        for (d, text) in files {
            let p = dir.path().join(d).join(".gitattributes");
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut args = vec!["check-attr", "filter", "--"];
        args.extend_from_slice(paths);
        let out = git(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let v = l.rsplit(": ").next().unwrap();
                match v {
                    "unspecified" | "unset" | "set" | "lfs" => None,
                    d => Some(d.to_string()),
                }
            })
            .collect()
    }

    #[test]
    fn no_driver_but_lfs_means_nothing_to_look_up() {
        assert!(filters(&[("", "*.bin filter=lfs diff=lfs merge=lfs -text\n")]).is_empty());
        assert!(filters(&[]).is_empty());
        assert!(!filters(&[("d/", "x filter=crypt\n")]).is_empty());
    }
}
