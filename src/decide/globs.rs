//! The config's globs matched against a path, split by which part of the path they
//! read, so that most of them are matched against something shorter than the path or
//! not matched again at all.
//!
//! With tiergate's glob semantics (`*` and `?` never cross a `/`):
//! - `**/P`, where `P` holds no `/`, matches a path exactly when `P` matches its file
//!   name: these are matched against the file name alone;
//! - `G/**` matches a path `D/N` exactly when it matches `D/x`: every `/` the `G` part
//!   can end at lies in `D/`, and the trailing `**` takes the rest whatever it is. So
//!   the answer depends on the directory alone, and the files of one directory (which
//!   a walk thread visits one after another) share it;
//! - every other glob is matched against the whole path.
//!
//! Globs with a character class or an escape go to the last group: a class could
//! name `/`, an escape could hide one.

use globset::{Candidate, GlobSet, GlobSetBuilder};

/// Globs of one kind, with the index each has in the list they came from.
struct Part {
    set: GlobSet,
    index: Vec<usize>,
}

impl Part {
    fn build(globs: Vec<(usize, globset::Glob)>) -> Result<Part, globset::Error> {
        let mut builder = GlobSetBuilder::new();
        let mut index = Vec::with_capacity(globs.len());
        for (i, g) in globs {
            builder.add(g);
            index.push(i);
        }
        Ok(Part {
            set: builder.build()?,
            index,
        })
    }

    /// Push the list indices of the globs matching `candidate`.
    fn matches_into(
        &self,
        candidate: &Candidate<'_>,
        scratch: &mut Vec<usize>,
        out: &mut Vec<usize>,
    ) {
        if self.index.is_empty() {
            return;
        }
        self.set.matches_candidate_into(candidate, scratch);
        out.extend(scratch.iter().map(|&i| self.index[i]));
    }
}

/// A list of globs, compiled for matching paths.
pub(crate) struct PathGlobs {
    whole: Part,
    name: Part,
    dir: Part,
}

/// One thread's memory of the last directory matched, and its scratch space.
#[derive(Default)]
pub(crate) struct DirMemo {
    dir: String,
    hits: Vec<usize>,
    known: bool,
    scratch: Vec<usize>,
}

impl PathGlobs {
    /// Compile `globs` (each already valid) with `build`.
    pub(crate) fn new<'a>(
        globs: impl IntoIterator<Item = &'a str>,
        build: impl Fn(&str) -> Result<globset::Glob, globset::Error>,
    ) -> Result<PathGlobs, globset::Error> {
        let (mut whole, mut name, mut dir) = (Vec::new(), Vec::new(), Vec::new());
        for (i, g) in globs.into_iter().enumerate() {
            let plain = !g.contains(['[', '\\']);
            match (g.strip_prefix("**/"), g.strip_suffix("/**")) {
                (Some(p), _) if plain && !p.is_empty() && !p.contains('/') && !p.contains("**") => {
                    name.push((i, build(p)?));
                }
                (_, Some(d)) if plain && !d.is_empty() => dir.push((i, build(g)?)),
                _ => whole.push((i, build(g)?)),
            }
        }
        Ok(PathGlobs {
            whole: Part::build(whole)?,
            name: Part::build(name)?,
            dir: Part::build(dir)?,
        })
    }

    /// The indices of the globs matching `path`, in no particular order, into `out`
    /// (cleared first).
    pub(crate) fn matches_into(&self, path: &str, memo: &mut DirMemo, out: &mut Vec<usize>) {
        out.clear();
        let scratch = &mut memo.scratch;
        let whole = Candidate::new(path);
        self.whole.matches_into(&whole, scratch, out);
        match path.rsplit_once('/') {
            Some((dir, name)) => {
                self.name.matches_into(&Candidate::new(name), scratch, out);
                if !self.dir.index.is_empty() {
                    if !(memo.known && memo.dir == dir) {
                        memo.dir.clear();
                        memo.dir.push_str(dir);
                        memo.dir.push_str("/x");
                        memo.hits.clear();
                        self.dir
                            .matches_into(&Candidate::new(&memo.dir), scratch, &mut memo.hits);
                        memo.dir.truncate(dir.len());
                        memo.known = true;
                    }
                    out.extend_from_slice(&memo.hits);
                }
            }
            // At the root the file name is the path.
            None => {
                self.name.matches_into(&whole, scratch, out);
                self.dir.matches_into(&whole, scratch, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_and_whole(globs: &[&str], paths: &[&str]) {
        let split = PathGlobs::new(globs.iter().copied(), crate::config::build_glob).unwrap();
        let mut b = GlobSetBuilder::new();
        for g in globs {
            b.add(crate::config::build_glob(g).unwrap());
        }
        let all = b.build().unwrap();
        let mut memo = DirMemo::default();
        let mut got = Vec::new();
        for p in paths {
            split.matches_into(p, &mut memo, &mut got);
            got.sort_unstable();
            assert_eq!(got, all.matches(p), "{p}");
        }
    }

    #[test]
    fn the_shipped_zones_match_as_one_set_does() {
        let zones = crate::config::defaults().zones;
        let globs: Vec<&str> = zones
            .iter()
            .flat_map(|z| z.globs.iter().map(String::as_str))
            .collect();
        split_and_whole(
            &globs,
            &[
                ".env",
                "a/.env",
                "a/.env.local",
                "a/.env.example",
                "key.pem",
                "x/y/key.pem",
                "x/y/key.pem.example",
                "logs/a.txt",
                "a/logs/b/c.txt",
                "a/logs",
                "logs",
                "test/x.rs",
                "src/test/x.rs",
                "src/tests",
                "src/x_test.go",
                "src/x_test.d/y",
                "a.spec.ts",
                "docs/a.md",
                "a/docs/a.md",
                "README",
                "a/README.md",
                "vendor/a",
                "a/node_modules/b/c.js",
                ".github/workflows/ci.yml",
                ".gitlab-ci.yml",
                "a/.gitlab-ci.yml",
                "src/main.rs",
                "src/main.rs",
                "src/lib.rs",
                "tests/a/b/test_x.py",
            ],
        );
    }

    #[test]
    fn odd_globs_match_as_one_set_does() {
        split_and_whole(
            &[
                "**/a[/]b",
                "**/a\\/b/**",
                "{src,lib}/**",
                "**/{x,y}/**",
                "**/**",
                "*/**",
                "**",
                "a/**/b/**",
                "**/*.{rs,go}",
                "**/?",
                "src/*.rs",
            ],
            &[
                "a/b",
                "x/a/b",
                "src/q",
                "lib/q/r",
                "x/q",
                "q/x/r",
                "a",
                "a/c/b/d",
                "a/b/c",
                "m.rs",
                "d/m.go",
                "d/e/f",
                "src/m.rs",
                "src/d/m.rs",
                "z",
            ],
        );
    }

    proptest::proptest! {
        #[test]
        fn any_glob_on_any_path_matches_as_one_set_does(
            globs in proptest::collection::vec("(\\*\\*/|/\\*\\*|[ab*?/]){1,6}", 1..6),
            paths in proptest::collection::vec("[ab]{1,2}(/[ab.]{1,3}){0,3}", 1..12),
        ) {
            let globs: Vec<&str> = globs
                .iter()
                .map(String::as_str)
                .filter(|g| crate::config::build_glob(g).is_ok())
                .collect();
            let mut paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            // Files of one directory come together, as in a walk.
            paths.sort_unstable();
            split_and_whole(&globs, &paths);
        }
    }
}
