//! `git` on the command line: which of its subcommands print file content (`show
//! REV:path`, `cat-file -p`, `grep`, `blame`, `diff`, `log -p`), which write the work
//! tree (`checkout -- path`, `rm`, `mv`, `apply`, `clean`), and which can run commands
//! of their own (`-c alias.x=!cmd`, `config core.pager`, aliases, `rebase -x`), which
//! are refused.

use super::programs::{Parsed, parse_opts};
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

/// `git [global options] SUBCOMMAND [args] [-- pathspecs]`: what the subcommand reads,
/// writes or runs, by its row of [`SUBCOMMANDS`]; aliases and external subcommands are
/// refused.
pub(super) fn git(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) -> Result<()> {
    let (cx, i) = global_options(args, cx)?;
    let Some(sub) = args.get(i).and_then(Word::literal) else {
        return Ok(());
    };
    if !KNOWN.contains(&sub) {
        return Err(unparseable(format!(
            "`git {sub}` is an alias or an external command; not analysed"
        )));
    }
    let rest = &args[i + 1..];
    // Paths after `--` are pathspecs whatever they look like.
    let (before, after) = match rest.iter().position(|w| w.literal() == Some("--")) {
        Some(k) => (&rest[..k], Some(&rest[k + 1..])),
        None => (rest, None),
    };
    let call = Call {
        sub,
        before,
        after,
        st,
        cx: &cx,
    };
    match SUBCOMMANDS.iter().find(|(names, _)| names.contains(&sub)) {
        Some((_, step)) => step(a, &call),
        None => Ok(()),
    }
}

/// git's global options (`-C dir`, `-c key=value`, `--git-dir`, ...), up to the
/// subcommand: the context the subcommand runs in, and the index of its name in `args`.
/// Options that can make git run a command are refused.
fn global_options(args: &[Word], cx: &Cx) -> Result<(Cx, usize)> {
    let mut cx = cx.clone();
    let mut i = 0;
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
    Ok((cx, i))
}

/// One subcommand as run: its name, its arguments split at `--`, and where it runs.
struct Call<'a> {
    sub: &'a str,
    /// The arguments before `--`: options, revisions, and paths.
    before: &'a [Word],
    /// The words after `--`, if there is one: pathspecs whatever they look like.
    after: Option<&'a [Word]>,
    st: &'a State,
    cx: &'a Cx,
}

impl Call<'_> {
    /// The arguments before `--`, GNU-style.
    fn parse(&self, value: &[&str], optional: &[&str]) -> Parsed {
        parse_opts(self.before, value, optional, false)
    }

    fn access(&self, a: &mut Analyzer, kind: Kind, w: &Word) {
        a.access(kind, self.st, self.cx, w);
    }

    fn pathspecs(&self, a: &mut Analyzer, kind: Kind, words: &[Word]) {
        for w in words {
            pathspec(a, kind, self.st, self.cx, w);
        }
    }

    /// Any file of the tree (a commit's patch, an archive of the whole tree).
    fn whole_tree(&self, a: &mut Analyzer) {
        a.git_root_read(self.st, self.cx, "");
    }

    fn rev_path(&self, a: &mut Analyzer, w: &Word) -> bool {
        rev_path(a, self.st, self.cx, w)
    }
}

/// What one subcommand reads, writes or runs.
type Step = fn(&mut Analyzer, &Call<'_>) -> Result<()>;

/// The subcommands that show file content, change the work tree or run commands, by
/// name. Any other known subcommand (`status`, `commit`, `ls-files`, `ls-tree`, ...)
/// names no file whose content it shows or changes.
const SUBCOMMANDS: &[(&[&str], Step)] = &[
    (&["show"], show),
    (&["cat-file"], cat_file),
    (&["grep"], grep),
    (&["blame", "annotate"], blame),
    (
        &["diff", "difftool", "diff-files", "diff-index", "diff-tree"],
        diff,
    ),
    (&["log", "whatchanged", "reflog", "shortlog"], log),
    (&["stash"], stash),
    (
        &[
            "archive",
            "bundle",
            "format-patch",
            "send-email",
            "request-pull",
            "fast-export",
        ],
        export,
    ),
    (
        &[
            "checkout",
            "restore",
            "reset",
            "switch",
            "checkout-index",
            "read-tree",
        ],
        checkout,
    ),
    (&["rm"], rm),
    (&["mv"], mv),
    (&["apply", "am", "merge-file"], apply),
    (&["clean"], clean),
    (&["config"], config),
    (&["rebase"], rebase),
    (&["bisect"], bisect),
    (&["submodule"], submodule),
    (
        &["mergetool", "instaweb", "gui", "citool", "gitk"],
        runs_programs,
    ),
    (&["filter-branch"], filter_branch),
];

/// Options of `show` that print names or statistics, not content.
const SHOW_NAMES_ONLY: &[&str] = &[
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
];

/// `git show REV:path` reads the path; `git show COMMIT` its patch (any file it
/// touched) unless only names or statistics are asked for.
fn show(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&show_values(), &[]);
    let names_only = p.has(SHOW_NAMES_ONLY) && !p.has(&["-p", "--patch"]);
    let mut blobs = false;
    for w in &p.operands {
        if c.rev_path(a, w) {
            blobs = true;
        }
    }
    if let Some(paths) = c.after {
        c.pathspecs(a, Kind::Read, paths);
    } else if !blobs && !names_only {
        // A commit's patch: any file it touched.
        c.whole_tree(a);
    }
    Ok(())
}

/// `git cat-file -p REV:path` reads the path; an object named by its id is a file
/// unknown; `--batch` reads whatever its input names.
fn cat_file(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&["--path", "--filters", "--textconv"], &[]);
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
            c.whole_tree(a);
        }
        return Ok(());
    }
    for w in &p.operands {
        if !c.rev_path(a, w) && !is_type_name(w) {
            // A blob or tree named by its id: which file it was is unknown.
            c.access(
                a,
                Kind::Read,
                &Word::Unknown(format!("(git object {})", w.text())),
            );
        }
    }
    Ok(())
}

const GREP_VALUES: &[&str] = &[
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
];

/// `git grep [-f FILE] PATTERN [REV...] [PATH...]`: the paths (or revisions' trees, or
/// `.`) are read.
fn grep(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(GREP_VALUES, &[]);
    for f in p.values(&["-f"]) {
        c.access(a, Kind::Read, f);
    }
    let mut ops: Vec<&Word> = p.operands.iter().collect();
    if !p.has(&["-e", "-f"]) && !ops.is_empty() {
        ops.remove(0);
    }
    // Operands before `--` are revisions (their trees are searched) or paths.
    let mut any_path = false;
    for w in ops {
        if c.rev_path(a, w) {
            any_path = true;
            continue;
        }
        pathspec(a, Kind::Read, c.st, c.cx, w);
        any_path = true;
    }
    if let Some(paths) = c.after {
        c.pathspecs(a, Kind::Read, paths);
        any_path |= !paths.is_empty();
    }
    if !any_path {
        c.access(a, Kind::Read, &Word::Path(".".into()));
    }
    Ok(())
}

const BLAME_VALUES: &[&str] = &[
    "-L",
    "-S",
    "--contents",
    "--ignore-rev",
    "--ignore-revs-file",
    "-C",
    "-M",
    "--abbrev",
    "--date",
];

/// `git blame [REV] FILE`: every operand, and the files of `--contents` and
/// `--ignore-revs-file`, are read.
fn blame(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(BLAME_VALUES, &["-C", "-M"]);
    for f in p.values(&["--contents", "--ignore-revs-file"]) {
        c.access(a, Kind::Read, f);
    }
    for w in &p.operands {
        c.access(a, Kind::Read, w);
    }
    if let Some(paths) = c.after {
        c.pathspecs(a, Kind::Read, paths);
    }
    Ok(())
}

/// Options of `diff` that print names, statistics or a status, not content.
const DIFF_NAMES_ONLY: &[&str] = &[
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
];

/// `git diff`: the paths named, else the changed files (of the work tree, the index or
/// both), else any file of the tree when commits are compared. The plumbing
/// (`diff-files`, `diff-index`, `diff-tree`) prints content only with `-p`.
fn diff(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&diff_values(), &[]);
    let names_only = p.has(DIFF_NAMES_ONLY) && !p.has(&["-p", "--patch"]);
    if matches!(c.sub, "diff-files" | "diff-index" | "diff-tree")
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
        } else if c.rev_path(a, w) {
            revs.push("blob");
        } else if looks_like_rev(w) {
            revs.push(w.text());
        } else {
            paths.push(w.clone());
        }
    }
    if let Some(ps) = c.after {
        paths.extend(ps.iter().cloned());
    }
    if !paths.is_empty() {
        c.pathspecs(a, Kind::Read, &paths);
        return Ok(());
    }
    if revs.contains(&"blob") {
        return Ok(());
    }
    let cached = p.has(&["--cached", "--staged"]);
    match revs.as_slice() {
        [] => a.git_changed(c.st, c.cx, cached),
        ["HEAD"] | ["@"] => {
            a.git_changed(c.st, c.cx, true);
            if !cached {
                a.git_changed(c.st, c.cx, false);
            }
        }
        // Against another commit, or between commits: any file of the tree.
        _ => c.whole_tree(a),
    }
    Ok(())
}

/// Options of `log` that print patches.
const LOG_PATCH: &[&str] = &[
    "-p",
    "-u",
    "--patch",
    "--cc",
    "-c",
    "--full-diff",
    "--word-diff",
    "--color-words",
];

/// `git log -L RANGE:FILE` reads the file; `git log -p` the paths named, else any file
/// of the tree.
fn log(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&log_values(), &[]);
    for l in p.values(&["-L"]) {
        // -L start,end:file or -L :func:file
        if let Some((_, f)) = l.text().rsplit_once(':') {
            c.access(a, Kind::Read, &Word::Path(f.to_string()));
        }
    }
    let patch = p.has(LOG_PATCH) || c.sub == "whatchanged" && p.has(&["-p"]);
    if !patch {
        return Ok(());
    }
    let mut paths: Vec<Word> = p
        .operands
        .iter()
        .filter(|w| !looks_like_rev(w))
        .cloned()
        .collect();
    if let Some(ps) = c.after {
        paths.extend(ps.iter().cloned());
    }
    if paths.is_empty() {
        c.whole_tree(a);
    } else {
        c.pathspecs(a, Kind::Read, &paths);
    }
    Ok(())
}

/// `git stash show -p` prints any file; `pop`, `apply` and `branch` restore files;
/// `git stash [push] -- paths` changes the paths.
fn stash(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let action = c.before.first().and_then(Word::literal).unwrap_or("push");
    match action {
        "show" => {
            let p = parse_opts(&c.before[1..], &[], &[], false);
            let names_only = !p.has(&["-p", "--patch", "-u"]);
            if !names_only {
                c.whole_tree(a);
            }
        }
        "pop" | "apply" | "drop" | "clear" | "branch" | "list" | "create" | "store" => {
            if matches!(action, "pop" | "apply" | "branch") {
                c.whole_tree(a);
                c.access(
                    a,
                    Kind::Write,
                    &Word::Unknown("(files restored from the stash)".into()),
                );
            }
        }
        _ => {
            if let Some(paths) = c.after {
                c.pathspecs(a, Kind::Write, paths);
            }
        }
    }
    Ok(())
}

const EXPORT_VALUES: &[&str] = &[
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
];

/// `git archive`, `format-patch`, ...: the paths named (else any file of the tree) are
/// read, `--add-file` read, the output written.
fn export(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(EXPORT_VALUES, &[]);
    if p.has(&["--exec", "--remote"]) && c.sub == "archive" {
        return Err(unparseable("git archive --remote/--exec is not analysed"));
    }
    for f in p.values(&["-o", "--output", "--output-directory"]) {
        c.access(a, Kind::Write, f);
    }
    for f in p.values(&["--add-file"]) {
        c.access(a, Kind::Read, f);
    }
    match c.after {
        Some(paths) if !paths.is_empty() => c.pathspecs(a, Kind::Read, paths),
        _ => c.whole_tree(a),
    }
    Ok(())
}

const CHECKOUT_VALUES: &[&str] = &[
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
];

/// `git checkout -- paths`, `restore`, `reset -- paths`: the paths are written.
fn checkout(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(CHECKOUT_VALUES, &[]);
    for f in p.values(&["--pathspec-from-file"]) {
        c.access(a, Kind::Read, f);
        c.access(
            a,
            Kind::Write,
            &Word::Unknown("(paths listed in a file)".into()),
        );
    }
    match c.after {
        Some(paths) => c.pathspecs(a, Kind::Write, paths),
        None if matches!(c.sub, "restore" | "checkout-index") => {
            c.pathspecs(a, Kind::Write, &p.operands);
        }
        None if c.sub == "checkout" => {
            // `git checkout path` restores the file; `git checkout branch`
            // switches (a branch name names no file, so it is dropped).
            c.pathspecs(a, Kind::Write, &p.operands[p.operands.len().min(1)..]);
            c.pathspecs(a, Kind::Write, &p.operands[..p.operands.len().min(1)]);
        }
        None => {}
    }
    Ok(())
}

/// `git rm paths`: the paths are written.
fn rm(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&["--pathspec-from-file"], &[]);
    c.pathspecs(a, Kind::Write, &p.operands);
    if let Some(paths) = c.after {
        c.pathspecs(a, Kind::Write, paths);
    }
    Ok(())
}

/// `git mv SRC... DEST`: the sources are read and removed, the destination written.
fn mv(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&[], &[]);
    let mut ops = p.operands.clone();
    if let Some(paths) = c.after {
        ops.extend(paths.iter().cloned());
    }
    if let Some((dest, srcs)) = ops.split_last() {
        for s in srcs {
            c.access(a, Kind::Read, s);
            c.access(a, Kind::Write, s);
        }
        c.access(a, Kind::Write, dest);
    }
    Ok(())
}

const APPLY_VALUES: &[&str] = &[
    "-p",
    "-C",
    "--directory",
    "--exclude",
    "--include",
    "--whitespace",
    "-S",
    "--build-fake-ancestor",
];

/// `git apply PATCH`, `am`, `merge-file`: the operands are read, the files named in
/// the patch written (unless only statistics or a check are asked for).
fn apply(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(APPLY_VALUES, &[]);
    for f in &p.operands {
        c.access(a, Kind::Read, f);
    }
    if !p.has(&["--stat", "--numstat", "--summary", "--check"]) {
        c.access(
            a,
            Kind::Write,
            &Word::Unknown("(files named in the patch)".into()),
        );
    }
    Ok(())
}

/// `git clean [paths]`: the paths (else `.`) are written, unless it is a dry run.
fn clean(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(&["-e", "--exclude"], &[]);
    if p.has(&["-n", "--dry-run"]) {
        return Ok(());
    }
    let mut paths = p.operands.clone();
    if let Some(ps) = c.after {
        paths.extend(ps.iter().cloned());
    }
    if paths.is_empty() {
        c.access(a, Kind::Write, &Word::Path(".".into()));
    } else {
        c.pathspecs(a, Kind::Write, &paths);
    }
    Ok(())
}

/// Options of `config` that read instead of setting.
const CONFIG_READING: &[&str] = &[
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
];

/// `git config [-f FILE] KEY VALUE`: the file is read; setting a key whose value git
/// runs as a command, or starting an editor, is refused.
fn config(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(
        &["-f", "--file", "--blob", "--type", "--default", "--comment"],
        &[],
    );
    for f in p.values(&["-f", "--file"]) {
        c.access(a, Kind::Read, f);
    }
    let reading = p.has(CONFIG_READING)
        || matches!(
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
                    "set" | "get" | "list" | "unset" | "rename-section" | "remove-section" | "edit"
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
    Ok(())
}

const REBASE_VALUES: &[&str] = &[
    "-x",
    "--exec",
    "-s",
    "--strategy",
    "-X",
    "--strategy-option",
    "--onto",
    "-C",
];

/// `git rebase --exec`/`--interactive` run commands: refused.
fn rebase(_: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    let p = c.parse(REBASE_VALUES, &[]);
    if p.has(&["-x", "--exec", "-i", "--interactive"]) {
        return Err(unparseable(
            "git rebase --exec/--interactive runs commands; not analysed",
        ));
    }
    Ok(())
}

/// `git bisect run CMD...` runs the command, analysed as such.
fn bisect(a: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    if c.before.first().and_then(Word::literal) == Some("run") {
        let mut s = c.st.clone();
        super::programs::run(a, &c.before[1..], &mut s, c.cx)?;
    }
    Ok(())
}

/// `git submodule foreach CMD` runs commands: refused.
fn submodule(_: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    if c.before.iter().any(|w| w.literal() == Some("foreach")) {
        return Err(unparseable(
            "git submodule foreach runs commands; not analysed",
        ));
    }
    Ok(())
}

/// Subcommands that start other programs (tools, a web server, a GUI): refused.
fn runs_programs(_: &mut Analyzer, c: &Call<'_>) -> Result<()> {
    Err(unparseable(format!(
        "git {} runs other programs; not analysed",
        c.sub
    )))
}

/// `git filter-branch` runs its filters as commands: refused.
fn filter_branch(_: &mut Analyzer, _: &Call<'_>) -> Result<()> {
    Err(unparseable("git filter-branch runs commands; not analysed"))
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
