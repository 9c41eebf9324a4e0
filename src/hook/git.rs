//! `git` on the command line: which of its subcommands print file content (`show
//! REV:path`, `cat-file -p`, `grep`, `blame`, `diff`, `log -p`), which write the work
//! tree (`checkout -- path`, `rm`, `mv`, `apply`, `clean`), and which can run commands
//! of their own (`-c alias.x=!cmd`, `config core.pager`, aliases, `rebase -x`), which
//! are refused.

use super::programs::parse_opts;
use super::shell::{Analyzer, Cx, Kind, Result, State, Word, unparseable};

/// Subcommands git ships; any other name is an alias or an external `git-NAME`
/// program, which the hook cannot see into.
const KNOWN: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "check-mailmap",
    "check-ref-format",
    "checkout",
    "checkout-index",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "column",
    "commit",
    "commit-graph",
    "commit-tree",
    "config",
    "count-objects",
    "describe",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fetch",
    "for-each-ref",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "hash-object",
    "help",
    "init",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "maintenance",
    "merge",
    "merge-base",
    "merge-file",
    "mergetool",
    "mktag",
    "mktree",
    "mv",
    "name-rev",
    "notes",
    "prune",
    "pull",
    "push",
    "range-diff",
    "read-tree",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "rerere",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-branch",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "stripspace",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "verify-pack",
    "verify-tag",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
    "lfs",
    "send-email",
    "request-pull",
    "blame",
    "instaweb",
    "citool",
    "gui",
    "gitk",
];

/// Config keys whose value git runs as a command (or that load more config).
fn runs_commands(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("alias.")
        || k.starts_with("filter.")
        || k.starts_with("include")
        || k.ends_with(".pager")
        || k.starts_with("pager.")
        || k.ends_with("command")
        || k.ends_with(".cmd")
        || k.ends_with(".program")
        || k.ends_with(".textconv")
        || k.ends_with(".driver")
        || k.ends_with(".helper")
        || k.ends_with(".tool")
        || k.ends_with(".editor")
        || k == "core.fsmonitor"
        || k == "core.hookspath"
        || k == "core.gitproxy"
        || k == "core.askpass"
        || k == "diff.external"
        || k == "sequence.editor"
        || k.starts_with("credential")
        || k.starts_with("remote.")
            && (k.ends_with(".uploadpack") || k.ends_with(".receivepack") || k.ends_with(".vcs"))
}

pub(super) fn git(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) -> Result<()> {
    let mut cx = cx.clone();
    let mut i = 0;
    // Global options, then the subcommand.
    while i < args.len() {
        let Some(t) = args[i].literal() else {
            return Err(unparseable(format!(
                "git with an argument known only at run time: `{}`",
                args[i].text()
            )));
        };
        if !t.starts_with('-') {
            break;
        }
        i += 1;
        match t {
            "-C" => {
                if let Some(d) = args.get(i) {
                    cx = cx.with_chdir(d);
                }
                i += 1;
            }
            "-c" => {
                let kv = args.get(i).map(Word::text).unwrap_or("");
                let key = kv.split_once('=').map_or(kv, |(k, _)| k);
                if runs_commands(key) || args.get(i).and_then(Word::literal).is_none() {
                    return Err(unparseable(format!(
                        "git -c {kv} can make git run a command; not analysed"
                    )));
                }
                i += 1;
            }
            "--config-env" => {
                return Err(unparseable("git --config-env is not analysed"));
            }
            t if t.starts_with("--config-env=") => {
                return Err(unparseable("git --config-env is not analysed"));
            }
            "--git-dir" | "--work-tree" | "--namespace" | "--super-prefix" => {
                cx.cwd_unknown = true;
                i += 1;
            }
            t if t.starts_with("--git-dir=") || t.starts_with("--work-tree=") => {
                cx.cwd_unknown = true;
            }
            "--exec-path" => {}
            t if t.starts_with("--exec-path=") => {
                return Err(unparseable(
                    "git --exec-path= runs other programs; not analysed",
                ));
            }
            _ => {}
        }
    }
    let Some(sub) = args.get(i).and_then(Word::literal) else {
        return Ok(());
    };
    let rest = &args[i + 1..];
    let cx = &cx;
    if !KNOWN.contains(&sub) {
        return Err(unparseable(format!(
            "`git {sub}` is an alias or an external command; not analysed"
        )));
    }
    // Paths after `--` are pathspecs whatever they look like.
    let (before, after) = match rest.iter().position(|w| w.literal() == Some("--")) {
        Some(k) => (&rest[..k], Some(&rest[k + 1..])),
        None => (rest, None),
    };
    let pathspecs = |a: &mut Analyzer, kind: Kind, words: &[Word]| {
        for w in words {
            pathspec(a, kind, st, cx, w);
        }
    };
    match sub {
        "show" => {
            let p = parse_opts(before, &show_values(), &[], false);
            let names_only = p.has(&[
                "--stat",
                "--name-only",
                "--name-status",
                "--no-patch",
                "-s",
                "--raw",
                "--shortstat",
                "--numstat",
                "--summary",
                "--oneline",
            ]) && !p.has(&["-p", "--patch"]);
            let mut blobs = false;
            for w in &p.operands {
                if rev_path(a, st, cx, w) {
                    blobs = true;
                }
            }
            if let Some(paths) = after {
                pathspecs(a, Kind::Read, paths);
            } else if !blobs && !names_only {
                // A commit's patch: any file it touched.
                a.git_root_read(st, cx, "");
            }
        }
        "cat-file" => {
            let p = parse_opts(before, &["--path", "--filters", "--textconv"], &[], false);
            if p.has(&["-t", "-s", "-e"]) {
                return Ok(());
            }
            if p.has(&[
                "--batch",
                "--batch-check",
                "--batch-command",
                "--batch-all-objects",
            ]) {
                if !p.has(&["--batch-check"]) {
                    a.git_root_read(st, cx, "");
                }
                return Ok(());
            }
            for w in &p.operands {
                if !rev_path(a, st, cx, w) && !is_type_name(w) {
                    // A blob or tree named by its id: which file it was is unknown.
                    a.access(
                        Kind::Read,
                        st,
                        cx,
                        &Word::Unknown(format!("(git object {})", w.text())),
                    );
                }
            }
        }
        "grep" => {
            let p = parse_opts(
                before,
                &[
                    "-e",
                    "-f",
                    "-A",
                    "-B",
                    "-C",
                    "--context",
                    "--after-context",
                    "--before-context",
                    "-m",
                    "--max-count",
                    "--max-depth",
                    "--threads",
                    "-O",
                    "--open-files-in-pager",
                    "--color",
                    "--untracked",
                ],
                &[],
                false,
            );
            for f in p.values(&["-f"]) {
                a.access(Kind::Read, st, cx, f);
            }
            let mut ops: Vec<&Word> = p.operands.iter().collect();
            if !p.has(&["-e", "-f"]) && !ops.is_empty() {
                ops.remove(0);
            }
            // Operands before `--` are revisions (their trees are searched) or paths.
            let mut any_path = false;
            for w in ops {
                if rev_path(a, st, cx, w) {
                    any_path = true;
                    continue;
                }
                pathspec(a, Kind::Read, st, cx, w);
                any_path = true;
            }
            if let Some(paths) = after {
                pathspecs(a, Kind::Read, paths);
                any_path |= !paths.is_empty();
            }
            if !any_path {
                a.access(Kind::Read, st, cx, &Word::Path(".".into()));
            }
        }
        "blame" | "annotate" => {
            let p = parse_opts(
                before,
                &[
                    "-L",
                    "-S",
                    "--contents",
                    "--ignore-rev",
                    "--ignore-revs-file",
                    "-C",
                    "-M",
                    "--abbrev",
                    "--date",
                ],
                &["-C", "-M"],
                false,
            );
            for f in p.values(&["--contents", "--ignore-revs-file"]) {
                a.access(Kind::Read, st, cx, f);
            }
            for w in &p.operands {
                a.access(Kind::Read, st, cx, w);
            }
            if let Some(paths) = after {
                pathspecs(a, Kind::Read, paths);
            }
        }
        "diff" | "difftool" | "diff-files" | "diff-index" | "diff-tree" => {
            let p = parse_opts(before, &diff_values(), &[], false);
            let names_only = p.has(&[
                "--stat",
                "--name-only",
                "--name-status",
                "--numstat",
                "--shortstat",
                "--summary",
                "--raw",
                "--dirstat",
                "-s",
                "--no-patch",
                "--quiet",
                "--exit-code",
            ]) && !p.has(&["-p", "--patch"]);
            if matches!(sub, "diff-files" | "diff-index" | "diff-tree")
                && !p.has(&["-p", "--patch", "-u"])
            {
                return Ok(());
            }
            if names_only {
                return Ok(());
            }
            let mut revs = Vec::new();
            let mut paths: Vec<Word> = Vec::new();
            let no_index = p.has(&["--no-index"]);
            for w in &p.operands {
                if no_index {
                    paths.push(w.clone());
                } else if rev_path(a, st, cx, w) {
                    revs.push("blob");
                } else if looks_like_rev(w) {
                    revs.push(w.text());
                } else {
                    paths.push(w.clone());
                }
            }
            if let Some(ps) = after {
                paths.extend(ps.iter().cloned());
            }
            if !paths.is_empty() {
                pathspecs(a, Kind::Read, &paths);
                return Ok(());
            }
            if revs.contains(&"blob") {
                return Ok(());
            }
            let cached = p.has(&["--cached", "--staged"]);
            match revs.as_slice() {
                [] => a.git_changed(st, cx, cached),
                ["HEAD"] | ["@"] => {
                    a.git_changed(st, cx, true);
                    if !cached {
                        a.git_changed(st, cx, false);
                    }
                }
                // Against another commit, or between commits: any file of the tree.
                _ => a.git_root_read(st, cx, ""),
            }
        }
        "log" | "whatchanged" | "reflog" | "shortlog" => {
            let p = parse_opts(before, &log_values(), &[], false);
            for l in p.values(&["-L"]) {
                // -L start,end:file or -L :func:file
                if let Some((_, f)) = l.text().rsplit_once(':') {
                    a.access(Kind::Read, st, cx, &Word::Path(f.to_string()));
                }
            }
            let patch = p.has(&[
                "-p",
                "-u",
                "--patch",
                "--cc",
                "-c",
                "--full-diff",
                "--word-diff",
                "--color-words",
            ]) || sub == "whatchanged" && p.has(&["-p"]);
            if !patch {
                return Ok(());
            }
            let mut paths: Vec<Word> = p
                .operands
                .iter()
                .filter(|w| !looks_like_rev(w))
                .cloned()
                .collect();
            if let Some(ps) = after {
                paths.extend(ps.iter().cloned());
            }
            if paths.is_empty() {
                a.git_root_read(st, cx, "");
            } else {
                pathspecs(a, Kind::Read, &paths);
            }
        }
        "stash" => {
            let action = before.first().and_then(Word::literal).unwrap_or("push");
            match action {
                "show" => {
                    let p = parse_opts(&before[1..], &[], &[], false);
                    let names_only = !p.has(&["-p", "--patch", "-u"]);
                    if !names_only {
                        a.git_root_read(st, cx, "");
                    }
                }
                "pop" | "apply" | "drop" | "clear" | "branch" | "list" | "create" | "store" => {
                    if matches!(action, "pop" | "apply" | "branch") {
                        a.git_root_read(st, cx, "");
                        a.access(
                            Kind::Write,
                            st,
                            cx,
                            &Word::Unknown("(files restored from the stash)".into()),
                        );
                    }
                }
                _ => {
                    if let Some(paths) = after {
                        pathspecs(a, Kind::Write, paths);
                    }
                }
            }
        }
        "archive" | "bundle" | "format-patch" | "send-email" | "request-pull" | "fast-export" => {
            let p = parse_opts(
                before,
                &[
                    "-o",
                    "--output",
                    "--format",
                    "--prefix",
                    "--remote",
                    "--exec",
                    "--output-directory",
                    "-v",
                    "--to",
                    "--cc",
                    "--subject-prefix",
                    "--add-file",
                ],
                &[],
                false,
            );
            if p.has(&["--exec", "--remote"]) && sub == "archive" {
                return Err(unparseable("git archive --remote/--exec is not analysed"));
            }
            for f in p.values(&["-o", "--output", "--output-directory"]) {
                a.access(Kind::Write, st, cx, f);
            }
            for f in p.values(&["--add-file"]) {
                a.access(Kind::Read, st, cx, f);
            }
            match after {
                Some(paths) if !paths.is_empty() => pathspecs(a, Kind::Read, paths),
                _ => a.git_root_read(st, cx, ""),
            }
        }
        "checkout" | "restore" | "reset" | "switch" | "checkout-index" | "read-tree" => {
            let p = parse_opts(
                before,
                &[
                    "-b",
                    "-B",
                    "--orphan",
                    "-s",
                    "--source",
                    "--conflict",
                    "--pathspec-from-file",
                    "-c",
                    "--create",
                    "-C",
                    "--force-create",
                ],
                &[],
                false,
            );
            for f in p.values(&["--pathspec-from-file"]) {
                a.access(Kind::Read, st, cx, f);
                a.access(
                    Kind::Write,
                    st,
                    cx,
                    &Word::Unknown("(paths listed in a file)".into()),
                );
            }
            match after {
                Some(paths) => pathspecs(a, Kind::Write, paths),
                None if matches!(sub, "restore" | "checkout-index") => {
                    pathspecs(a, Kind::Write, &p.operands);
                }
                None if sub == "checkout" => {
                    // `git checkout path` restores the file; `git checkout branch`
                    // switches (a branch name names no file, so it is dropped).
                    pathspecs(a, Kind::Write, &p.operands[p.operands.len().min(1)..]);
                    pathspecs(a, Kind::Write, &p.operands[..p.operands.len().min(1)]);
                }
                None => {}
            }
        }
        "rm" => {
            let p = parse_opts(before, &["--pathspec-from-file"], &[], false);
            pathspecs(a, Kind::Write, &p.operands);
            if let Some(paths) = after {
                pathspecs(a, Kind::Write, paths);
            }
        }
        "mv" => {
            let p = parse_opts(before, &[], &[], false);
            let mut ops = p.operands.clone();
            if let Some(paths) = after {
                ops.extend(paths.iter().cloned());
            }
            if let Some((dest, srcs)) = ops.split_last() {
                for s in srcs {
                    a.access(Kind::Read, st, cx, s);
                    a.access(Kind::Write, st, cx, s);
                }
                a.access(Kind::Write, st, cx, dest);
            }
        }
        "apply" | "am" | "merge-file" => {
            let p = parse_opts(
                before,
                &[
                    "-p",
                    "-C",
                    "--directory",
                    "--exclude",
                    "--include",
                    "--whitespace",
                    "-S",
                    "--build-fake-ancestor",
                ],
                &[],
                false,
            );
            for f in &p.operands {
                a.access(Kind::Read, st, cx, f);
            }
            if !p.has(&["--stat", "--numstat", "--summary", "--check"]) {
                a.access(
                    Kind::Write,
                    st,
                    cx,
                    &Word::Unknown("(files named in the patch)".into()),
                );
            }
        }
        "clean" => {
            let p = parse_opts(before, &["-e", "--exclude"], &[], false);
            if p.has(&["-n", "--dry-run"]) {
                return Ok(());
            }
            let mut paths = p.operands.clone();
            if let Some(ps) = after {
                paths.extend(ps.iter().cloned());
            }
            if paths.is_empty() {
                a.access(Kind::Write, st, cx, &Word::Path(".".into()));
            } else {
                pathspecs(a, Kind::Write, &paths);
            }
        }
        "config" => {
            let p = parse_opts(
                before,
                &["-f", "--file", "--blob", "--type", "--default", "--comment"],
                &[],
                false,
            );
            for f in p.values(&["-f", "--file"]) {
                a.access(Kind::Read, st, cx, f);
            }
            let reading = p.has(&[
                "--get",
                "--get-all",
                "--get-regexp",
                "-l",
                "--list",
                "--get-urlmatch",
                "--get-color",
                "--get-colorbool",
                "--name-only",
                "--show-origin",
                "--show-scope",
            ]) || matches!(
                p.operands.first().and_then(Word::literal),
                Some("get" | "list")
            );
            let ops: Vec<&Word> = p
                .operands
                .iter()
                .filter(|w| {
                    !matches!(
                        w.literal(),
                        Some(
                            "set"
                                | "get"
                                | "list"
                                | "unset"
                                | "rename-section"
                                | "remove-section"
                                | "edit"
                        )
                    )
                })
                .collect();
            if !reading && ops.len() >= 2 {
                let key = ops[0].text();
                if runs_commands(key) || ops[0].literal().is_none() {
                    return Err(unparseable(format!(
                        "git config {key} can make git run a command; not analysed"
                    )));
                }
            }
            if p.has(&["-e", "--edit"])
                || matches!(p.operands.first().and_then(Word::literal), Some("edit"))
            {
                return Err(unparseable(
                    "git config --edit starts an editor; not analysed",
                ));
            }
        }
        "rebase" => {
            let p = parse_opts(
                before,
                &[
                    "-x",
                    "--exec",
                    "-s",
                    "--strategy",
                    "-X",
                    "--strategy-option",
                    "--onto",
                    "-C",
                ],
                &[],
                false,
            );
            if p.has(&["-x", "--exec", "-i", "--interactive"]) {
                return Err(unparseable(
                    "git rebase --exec/--interactive runs commands; not analysed",
                ));
            }
        }
        "bisect" if before.first().and_then(Word::literal) == Some("run") => {
            let mut s = st.clone();
            super::programs::run(a, &before[1..], &mut s, cx)?;
        }
        "submodule" if before.iter().any(|w| w.literal() == Some("foreach")) => {
            return Err(unparseable(
                "git submodule foreach runs commands; not analysed",
            ));
        }
        "mergetool" | "instaweb" | "gui" | "citool" | "gitk" => {
            return Err(unparseable(format!(
                "git {sub} runs other programs; not analysed"
            )));
        }
        "filter-branch" => {
            return Err(unparseable("git filter-branch runs commands; not analysed"));
        }
        "commit" => {
            let p = parse_opts(
                before,
                &[
                    "-F",
                    "--file",
                    "-m",
                    "--message",
                    "-C",
                    "--reuse-message",
                    "-c",
                    "--reedit-message",
                    "-t",
                    "--template",
                    "--author",
                    "--date",
                    "--fixup",
                    "--squash",
                    "--cleanup",
                    "-S",
                    "--gpg-sign",
                    "--trailer",
                    "--pathspec-from-file",
                ],
                &["-S"],
                false,
            );
            let _ = p;
        }
        "ls-tree" | "ls-files" => {
            // Names only: the listing of the tree.
        }
        _ => {}
    }
    Ok(())
}

/// A `REV:path` operand (`HEAD:secrets/key.pem`, `:secrets/key.pem` from the index,
/// `HEAD:./x` relative to the working directory): records a read of the path and says
/// whether the operand was one.
fn rev_path(a: &mut Analyzer, st: &State, cx: &Cx, w: &Word) -> bool {
    let Some(t) = w.literal() else {
        if w.text().contains(':') {
            a.access(Kind::Read, st, cx, w);
            return true;
        }
        return false;
    };
    let Some((rev, path)) = t.split_once(':') else {
        return false;
    };
    if t.contains("://") {
        return false;
    }
    // `:/text` searches commit messages; `:0:path` names an index stage.
    if rev.is_empty() && path.starts_with('/') {
        return false;
    }
    let path = if rev.is_empty() {
        match path.split_once(':') {
            Some((stage, p)) if stage.len() == 1 && stage.chars().all(|c| c.is_ascii_digit()) => p,
            _ => path,
        }
    } else {
        path
    };
    if path.starts_with("./") || path.starts_with("../") || path == "." {
        a.access(Kind::Read, st, cx, &Word::Path(path.to_string()));
    } else {
        a.git_root_read(st, cx, path);
    }
    true
}

/// A pathspec: `:/x` and `:(top)x` from the top of the work tree, exclusions skipped,
/// other magic unknown; otherwise a path from the working directory.
fn pathspec(a: &mut Analyzer, kind: Kind, st: &State, cx: &Cx, w: &Word) {
    let Some(t) = w.literal() else {
        a.access(kind, st, cx, w);
        return;
    };
    if let Some(rest) = t.strip_prefix(":/") {
        if matches!(kind, Kind::Read) {
            a.git_root_read(st, cx, rest);
        } else {
            a.access(kind, st, cx, &Word::Unknown(t.to_string()));
        }
        return;
    }
    if t.starts_with(":!") || t.starts_with(":^") || t.starts_with(":(exclude)") {
        return;
    }
    if let Some(rest) = t.strip_prefix(":(top)") {
        if matches!(kind, Kind::Read) {
            a.git_root_read(st, cx, rest);
        } else {
            a.access(kind, st, cx, &Word::Unknown(t.to_string()));
        }
        return;
    }
    if t.starts_with(":(") || t.starts_with(':') {
        a.access(kind, st, cx, &Word::Unknown(t.to_string()));
        return;
    }
    a.access(kind, st, cx, w);
}

fn is_type_name(w: &Word) -> bool {
    matches!(w.literal(), Some("blob" | "tree" | "commit" | "tag"))
}

/// Revision-looking operands (`HEAD~2`, `main..topic`, `abc123`, `@{u}`): these name no
/// file. A word that is both (a branch and a file of the same name) is git's own
/// ambiguity error.
fn looks_like_rev(w: &Word) -> bool {
    let Some(t) = w.literal() else { return false };
    t == "HEAD"
        || t == "@"
        || t.starts_with("HEAD~")
        || t.starts_with("HEAD^")
        || t.starts_with("HEAD@")
        || t.starts_with("refs/")
        || t.starts_with("origin/")
        || t.starts_with("upstream/")
        || t.contains("..")
        || t.contains("@{")
        || t.ends_with('^')
        || t.contains('~')
        || (t.len() >= 7 && t.len() <= 40 && t.chars().all(|c| c.is_ascii_hexdigit()))
        || matches!(
            t,
            "main"
                | "master"
                | "develop"
                | "trunk"
                | "FETCH_HEAD"
                | "ORIG_HEAD"
                | "MERGE_HEAD"
                | "stash"
        )
}

fn show_values() -> Vec<&'static str> {
    let mut v = diff_values();
    v.extend([
        "--format",
        "--pretty",
        "--encoding",
        "--notes",
        "-n",
        "--max-count",
    ]);
    v
}

fn diff_values() -> Vec<&'static str> {
    vec![
        "-U",
        "--unified",
        "--inter-hunk-context",
        "-M",
        "--find-renames",
        "-C",
        "--find-copies",
        "-l",
        "-O",
        "--output",
        "-S",
        "-G",
        "--diff-filter",
        "--relative",
        "--src-prefix",
        "--dst-prefix",
        "--line-prefix",
        "--word-diff-regex",
        "--color-moved",
        "--abbrev",
        "--stat-width",
        "--stat-count",
        "--anchored",
        "--diff-algorithm",
        "--submodule",
        "--ignore-submodules",
        "-I",
        "--ignore-matching-lines",
        "--color",
        "--word-diff",
        "--ws-error-highlight",
        "-B",
        "--break-rewrites",
        "--dirstat",
        "--output-indicator-new",
        "--output-indicator-old",
        "--output-indicator-context",
        "--find-object",
        "-X",
    ]
}

fn log_values() -> Vec<&'static str> {
    let mut v = show_values();
    v.extend([
        "-L",
        "--since",
        "--after",
        "--until",
        "--before",
        "--author",
        "--committer",
        "--grep",
        "--skip",
        "--min-parents",
        "--max-parents",
        "--branches",
        "--tags",
        "--remotes",
        "--glob",
        "--exclude",
        "--date",
        "--decorate",
        "--decorate-refs",
        "--decorate-refs-exclude",
        "-g",
    ]);
    v
}
