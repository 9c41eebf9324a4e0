//! GitHub Copilot content exclusion: a YAML list of paths for the repository's settings
//! (Settings → Copilot → Content exclusion), or for an organization's through the REST
//! API. Copilot does not read it from the repository; tiergate writes it so it can be
//! reviewed, pasted and checked for drift. Copilot matches with fnmatch, case
//! insensitively; a leading `/` anchors at the repository root, a pattern without `/`
//! matches a file name anywhere.

use super::gitignore;

/// Copilot entries for gitignore patterns: `/dir/` becomes `/dir/**`; a pattern that
/// starts with `/**/` also gets its unanchored tail (`*.pem`), the form Copilot's own
/// examples use for "anywhere".
pub fn entries(patterns: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for p in patterns {
        match p.strip_suffix('/') {
            Some(dir) => push(format!("{dir}/**")),
            None => push(p.clone()),
        }
        if let Some(tail) = p.strip_prefix("/**/")
            && !tail.contains('/')
        {
            push(tail.to_string());
        }
    }
    out
}

/// The YAML document: comments, then one double-quoted entry per line.
pub fn render(entries: &[String], header: &str) -> String {
    let mut out = format!(
        "# {header}\n# Paste into Settings → Copilot → Content exclusion (Copilot does not read this file).\n"
    );
    for e in entries {
        out.push_str("- ");
        out.push_str(&serde_json::to_string(e).expect("a string serializes"));
        out.push('\n');
    }
    out
}

/// Protected paths no entry matches, with Copilot's reading: case-insensitive fnmatch
/// (`*` may cross `/`), anchored entries against the whole path, the others against the
/// file name and every trailing part of the path.
pub fn uncovered(
    entries: &[String],
    files: &[gitignore::Listed<'_>],
) -> anyhow::Result<Vec<String>> {
    let mut anchored = globset::GlobSetBuilder::new();
    let mut loose = globset::GlobSetBuilder::new();
    for e in entries {
        let (set, pat) = match e.strip_prefix('/') {
            Some(rest) => (&mut anchored, rest),
            None => (&mut loose, e.as_str()),
        };
        set.add(
            globset::GlobBuilder::new(pat)
                .case_insensitive(true)
                .literal_separator(false)
                .backslash_escape(true)
                .build()?,
        );
    }
    let (anchored, loose) = (anchored.build()?, loose.build()?);
    Ok(files
        .iter()
        .filter(|f| f.protected)
        .filter(|f| {
            // By bytes: a name that is not UTF-8 is matched as the file's raw bytes too.
            let covers = |path: &[u8]| {
                let os = |b: &[u8]| crate::platform::os_path(b).into_owned();
                anchored.is_match(os(path))
                    || std::iter::once(path)
                        .chain(memchr::memchr_iter(b'/', path).map(|i| &path[i + 1..]))
                        .any(|tail| loose.is_match(os(tail)))
            };
            let covered = gitignore::spellings(f.path).iter().all(|raw| covers(raw));
            !covered
        })
        .map(|f| f.path.to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_and_anywhere_patterns_take_copilots_form() {
        let p: Vec<String> = ["/hr/", "/x.pem", "/**/*.key", "/a/**/b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            entries(&p),
            ["/hr/**", "/x.pem", "/**/*.key", "*.key", "/a/**/b"]
        );
        let text = render(&entries(&p), "h");
        assert!(text.contains("- \"/hr/**\"\n"), "{text}");
        let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(v[0], "/hr/**");
    }

    #[test]
    fn verification_reads_like_copilot() {
        let files = vec![
            gitignore::Listed {
                path: "hr/a.csv",
                protected: true,
            },
            gitignore::Listed {
                path: "deep/dir/k.KEY",
                protected: true,
            },
            gitignore::Listed {
                path: "src/b.rs",
                protected: false,
            },
        ];
        let e = entries(&["/hr/".to_string(), "/**/*.key".to_string()]);
        assert!(uncovered(&e, &files).unwrap().is_empty());
        let e = entries(&["/hr/".to_string()]);
        assert_eq!(uncovered(&e, &files).unwrap(), ["deep/dir/k.KEY"]);
    }
}
