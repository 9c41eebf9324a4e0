//! What programs do with their operands: the knowledge [`super::shell`] applies to each
//! simple command, as data where it can be (the [`TABLE`] of readers and writers:
//! which operands are read or written, which options take a value, which name a file,
//! which make a reader recursive) and as code where a program's grammar needs it
//! (shell [`BUILTINS`] that change the shell's state, wrappers that run another
//! command, and the [`GRAMMARS`] of `git`, `find`, `tar`, `dd`, `curl`, ...), each step
//! found by name.
//!
//! A program that is in none of them is assumed to read every operand (and the value of
//! every `--option=value`): over-reporting is safe, the resolver drops words that name
//! nothing.

use super::shell::{
    Analyzer, Cx, Kind, MAX_DEPTH, MAX_FIELDS, Result, State, Stdin, Word, split_assignment,
    unparseable,
};

/// What the operands (the words that are not options) of a program are.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Role {
    /// Every operand is read.
    Read,
    /// The first operand is a pattern or program text unless an option in
    /// `pattern_opts` gave one; the rest are read.
    PatternThenRead,
    /// Every operand is written (created, truncated, deleted, changed).
    Write,
    /// Every operand is read and written (editors, `sed -i` is an option instead).
    ReadWrite,
    /// The sources are read, the last operand (or the `target` option's value) written.
    CopyTo,
    /// The sources are read and removed, the last operand (or `target`) written.
    MoveTo,
    /// The first operand is a mode or owner (unless `--reference` gave it), the rest are
    /// written.
    ModeThenWrite,
    /// The first operand is read, the second (if any) written (`uniq IN OUT`).
    InThenOut,
    /// The names and metadata of the operands are shown, not their content.
    List,
    /// The operands are not files.
    None,
}

/// One row of the table.
pub(super) struct Spec {
    pub names: &'static [&'static str],
    pub role: Role,
    /// Options that take a value (`-n`, `--lines`): glued (`-n5`, `--lines=5`) or in
    /// the next word.
    pub value: &'static [&'static str],
    /// Options whose value, glued only, is optional (`sed -i.bak`).
    pub optional: &'static [&'static str],
    /// Value options whose value is a file the program reads.
    pub reads: &'static [&'static str],
    /// Value options whose value is a file the program writes.
    pub writes: &'static [&'static str],
    /// Options that supply the pattern or program text, so the first operand is a file.
    pub pattern_opts: &'static [&'static str],
    /// Options that make directory operands recursive; with no path operand the program
    /// reads `.`.
    pub recursive: &'static [&'static str],
    /// Recursive whatever the options (`rg`): with no path operand it reads `.` (unless
    /// its standard input is redirected, which it then reads instead).
    pub always_recursive: bool,
    /// Options that make every operand written as well (`sed -i`, `sort -o` is `writes`).
    pub in_place: &'static [&'static str],
    /// Options whose value is the directory the operands are copied or moved into.
    pub target: &'static [&'static str],
    /// Options whose value is a directory the program works from (`make -C`).
    pub chdir: &'static [&'static str],
    /// Options that make it list file names instead of reading them (`rg --files`).
    pub names_only: &'static [&'static str],
}

const NO: &[&str] = &[];

const fn spec(names: &'static [&'static str], role: Role) -> Spec {
    Spec {
        names,
        role,
        value: NO,
        optional: NO,
        reads: NO,
        writes: NO,
        pattern_opts: NO,
        recursive: NO,
        always_recursive: false,
        in_place: NO,
        target: NO,
        chdir: NO,
        names_only: NO,
    }
}

/// Readers, writers and listers, by name.
pub(super) const TABLE: &[Spec] = &[
    Spec {
        value: &["-n", "--lines", "-c", "--bytes"],
        ..spec(&["head", "tail"], Role::Read)
    },
    Spec {
        value: &["-s", "--separator"],
        ..spec(&["tac"], Role::Read)
    },
    spec(
        &[
            "cat",
            "more",
            "strings",
            "rev",
            "zcat",
            "bzcat",
            "xzcat",
            "zstdcat",
            "zless",
            "zmore",
            "lzcat",
            "unpigz",
            "file",
            "md5sum",
            "sha1sum",
            "sha224sum",
            "sha256sum",
            "sha384sum",
            "sha512sum",
            "b2sum",
            "cksum",
            "sum",
            "wc",
            "iconv",
            "expand",
            "unexpand",
            "fold",
            "fmt",
            "tr",
            "base32",
            "base64",
            "basenc",
            "uuencode",
            "uudecode",
            "hexdump",
            "hd",
            "xxd",
            "od",
            "pr",
            "column",
            "look",
            "shuf",
            "tsort",
            "nl",
            "paste",
            "join",
            "comm",
            "cut",
            "numfmt",
            "lp",
            "lpr",
            "pbcopy",
            "xclip",
            "xsel",
            "wl-copy",
            "clip",
            "qrencode",
            "enscript",
            "a2ps",
            "pandoc",
            "pdftotext",
            "exiftool",
            "identify",
            "mediainfo",
            "sqlite3",
            "duckdb",
            "psql",
            "mysql",
            "openssl",
            "gpg",
            "gpg2",
            "age",
            "ssh-keygen",
            "keytool",
            "certutil",
            "jwt",
            "gzip",
            "gunzip",
            "bzip2",
            "bunzip2",
            "xz",
            "unxz",
            "lzma",
            "zstd",
            "unzstd",
            "lz4",
            "brotli",
            "pigz",
            "7z",
            "7za",
            "7zr",
            "rar",
            "unrar",
            "cpio",
            "ar",
            "less",
            "bat",
            "batcat",
            "most",
            "diff",
            "diff3",
            "sdiff",
            "cmp",
            "colordiff",
            "delta",
            "difft",
            "vimdiff",
            "icdiff",
            "meld",
            "code",
            "subl",
            "open",
            "xdg-open",
            "pbpaste",
            "nc",
            "ncat",
            "netcat",
            "telnet",
            "mail",
            "mailx",
            "sendmail",
            "mutt",
            "lftp",
            "ftp",
            "tftp",
            "aws",
            "gsutil",
            "az",
            "gcloud",
            "rclone",
            "s3cmd",
            "split",
            "csplit",
            "yes",
        ],
        Role::Read,
    ),
    Spec {
        value: &[
            "-e",
            "--regexp",
            "-f",
            "--file",
            "-m",
            "--max-count",
            "-A",
            "--after-context",
            "-B",
            "--before-context",
            "-C",
            "--context",
            "--color",
            "--colour",
            "--label",
            "--include",
            "--exclude",
            "--exclude-dir",
            "--exclude-from",
            "--include-dir",
            "-d",
            "--directories",
            "-D",
            "--devices",
            "--binary-files",
            "--group-separator",
        ],
        reads: &["-f", "--file", "--exclude-from"],
        pattern_opts: &["-e", "--regexp", "-f", "--file"],
        recursive: &[
            "-r",
            "-R",
            "--recursive",
            "--dereference-recursive",
            "-d",
            "--directories",
        ],
        ..spec(
            &["grep", "egrep", "fgrep", "zgrep", "bzgrep", "xzgrep"],
            Role::PatternThenRead,
        )
    },
    Spec {
        value: &[
            "-e",
            "--regexp",
            "-f",
            "--file",
            "-m",
            "--max-count",
            "-A",
            "--after-context",
            "-B",
            "--before-context",
            "-C",
            "--context",
            "-g",
            "--glob",
            "--iglob",
            "-t",
            "--type",
            "-T",
            "--type-not",
            "--type-add",
            "--type-clear",
            "-j",
            "--threads",
            "-M",
            "--max-columns",
            "--max-depth",
            "-d",
            "--maxdepth",
            "--max-filesize",
            "-r",
            "--replace",
            "-E",
            "--encoding",
            "--color",
            "--colors",
            "--sort",
            "--sortr",
            "--ignore-file",
            "--pre",
            "--pre-glob",
            "--path-separator",
            "--context-separator",
            "--field-match-separator",
            "--field-context-separator",
            "--engine",
            "--regex-size-limit",
            "--dfa-size-limit",
            "--hostname-bin",
            "--hyperlink-format",
            "--generate",
            "--max-columns-preview",
        ],
        reads: &["-f", "--file", "--ignore-file"],
        pattern_opts: &["-e", "--regexp", "-f", "--file", "--files", "--type-list"],
        names_only: &["--files", "--type-list"],
        always_recursive: true,
        ..spec(&["rg"], Role::PatternThenRead)
    },
    Spec {
        value: &[
            "-A",
            "--after",
            "-B",
            "--before",
            "-C",
            "--context",
            "-G",
            "--file-search-regex",
            "--ignore",
            "--ignore-dir",
            "-m",
            "--max-count",
            "--depth",
            "-p",
            "--path-to-ignore",
            "--pager",
            "--color-line-number",
            "--color-match",
            "--color-path",
            "-W",
            "--width",
            "--workers",
            "--ackmate-dir-filter",
        ],
        reads: &["-p", "--path-to-ignore"],
        pattern_opts: &["-g", "--filename-pattern"],
        always_recursive: true,
        ..spec(
            &["ag", "ack", "ack-grep", "pt", "sift", "ugrep", "ug"],
            Role::PatternThenRead,
        )
    },
    Spec {
        value: &["-e", "--expression", "-f", "--file", "-l", "--line-length"],
        optional: &["-i"],
        reads: &["-f", "--file"],
        pattern_opts: &["-e", "--expression", "-f", "--file"],
        in_place: &["-i", "--in-place"],
        ..spec(&["sed", "gsed"], Role::PatternThenRead)
    },
    Spec {
        value: &[
            "-f",
            "--file",
            "-v",
            "--assign",
            "-F",
            "--field-separator",
            "-i",
            "--include",
            "-l",
            "--load",
            "-E",
            "--exec",
        ],
        reads: &["-f", "--file", "-i", "--include", "-E", "--exec"],
        pattern_opts: &["-f", "--file", "-E", "--exec"],
        ..spec(&["awk", "gawk", "mawk", "nawk"], Role::PatternThenRead)
    },
    Spec {
        value: &[
            "-f",
            "--from-file",
            "-L",
            "--arg",
            "--argjson",
            "--slurpfile",
            "--rawfile",
            "--indent",
            "--args",
            "--jsonargs",
        ],
        reads: &["-f", "--from-file"],
        pattern_opts: &["-f", "--from-file"],
        ..spec(&["jq", "gojq", "jaq"], Role::PatternThenRead)
    },
    Spec {
        value: &[
            "-o",
            "--output-format",
            "-p",
            "--input-format",
            "-I",
            "--indent",
            "--from-file",
            "--expression",
        ],
        reads: &["--from-file"],
        pattern_opts: &["--from-file", "--expression"],
        ..spec(&["yq"], Role::PatternThenRead)
    },
    Spec {
        value: &[
            "-o",
            "--output",
            "-k",
            "--key",
            "-t",
            "--field-separator",
            "-T",
            "--temporary-directory",
            "-S",
            "--buffer-size",
            "--parallel",
            "--batch-size",
            "--files0-from",
            "--compress-program",
            "--random-source",
        ],
        reads: &["--files0-from", "--random-source"],
        writes: &["-o", "--output"],
        ..spec(&["sort"], Role::Read)
    },
    Spec {
        value: &[
            "-f",
            "--skip-fields",
            "-s",
            "--skip-chars",
            "-w",
            "--check-chars",
            "--group",
            "--all-repeated",
        ],
        ..spec(&["uniq"], Role::InThenOut)
    },
    Spec {
        value: &[
            "-c", "--cmd", "-S", "-u", "-U", "-i", "-T", "-s", "-w", "-W", "--cmd", "-t", "-q",
            "-r",
        ],
        reads: &["-S", "-u", "-s"],
        writes: &["-w", "-W"],
        ..spec(
            &["vim", "vi", "nvim", "ex", "view", "gvim", "rvim"],
            Role::ReadWrite,
        )
    },
    spec(
        &[
            "nano",
            "pico",
            "emacs",
            "emacsclient",
            "ed",
            "joe",
            "micro",
            "hx",
            "kak",
            "mcedit",
            "sudoedit",
        ],
        Role::ReadWrite,
    ),
    Spec {
        value: &[
            "-t",
            "--target-directory",
            "-S",
            "--suffix",
            "--backup",
            "--reflink",
            "--sparse",
            "--preserve",
            "--no-preserve",
            "--sparse",
            "-Z",
            "--context",
        ],
        target: &["-t", "--target-directory"],
        ..spec(&["cp", "gcp"], Role::CopyTo)
    },
    Spec {
        value: &[
            "-t",
            "--target-directory",
            "-S",
            "--suffix",
            "--backup",
            "-Z",
            "--context",
        ],
        target: &["-t", "--target-directory"],
        ..spec(&["mv", "gmv"], Role::MoveTo)
    },
    Spec {
        value: &[
            "-t",
            "--target-directory",
            "-m",
            "--mode",
            "-o",
            "--owner",
            "-g",
            "--group",
            "-S",
            "--suffix",
            "--backup",
            "--strip-program",
            "-Z",
            "--context",
        ],
        target: &["-t", "--target-directory"],
        ..spec(&["install", "ginstall"], Role::CopyTo)
    },
    Spec {
        value: &["-t", "--target-directory", "-S", "--suffix", "--backup"],
        target: &["-t", "--target-directory"],
        ..spec(&["ln", "link"], Role::CopyTo)
    },
    Spec {
        value: &[
            "-e",
            "--rsh",
            "--rsync-path",
            "--exclude",
            "--include",
            "--filter",
            "-f",
            "--files-from",
            "--exclude-from",
            "--include-from",
            "--password-file",
            "--log-file",
            "--log-file-format",
            "--backup-dir",
            "--suffix",
            "--partial-dir",
            "-T",
            "--temp-dir",
            "--chmod",
            "--chown",
            "--usermap",
            "--groupmap",
            "-B",
            "--block-size",
            "--bwlimit",
            "--timeout",
            "--contimeout",
            "--port",
            "-M",
            "--remote-option",
            "--info",
            "--debug",
            "--out-format",
            "--compare-dest",
            "--copy-dest",
            "--link-dest",
            "--max-size",
            "--min-size",
            "--max-delete",
            "--modify-window",
            "--checksum-choice",
            "--compress-choice",
            "--compress-level",
            "--skip-compress",
            "--iconv",
            "--address",
            "--sockopts",
            "--outbuf",
            "--write-batch",
            "--only-write-batch",
            "--read-batch",
            "--protocol",
            "--stop-after",
            "--stop-at",
        ],
        reads: &[
            "--files-from",
            "--exclude-from",
            "--include-from",
            "--password-file",
            "--read-batch",
        ],
        writes: &["--log-file", "--write-batch", "--only-write-batch"],
        ..spec(&["rsync"], Role::CopyTo)
    },
    Spec {
        value: &["-c", "-F", "-i", "-J", "-l", "-o", "-P", "-S", "-X", "-D"],
        reads: &["-F", "-i"],
        ..spec(&["scp"], Role::CopyTo)
    },
    Spec {
        value: &[
            "-i", "-F", "-E", "-l", "-p", "-o", "-b", "-c", "-D", "-e", "-I", "-J", "-L", "-m",
            "-O", "-Q", "-R", "-S", "-w", "-W", "-B", "-P",
        ],
        reads: &["-i", "-F"],
        writes: &["-E"],
        ..spec(&["ssh", "sftp", "mosh"], Role::None)
    },
    Spec {
        value: &["--interactive", "-I"],
        ..spec(
            &["rm", "unlink", "shred", "srm", "trash", "trash-put", "gio"],
            Role::Write,
        )
    },
    Spec {
        value: &["-m", "--mode", "-Z", "--context"],
        ..spec(&["mkdir", "rmdir", "mkfifo", "mknod"], Role::Write)
    },
    Spec {
        value: &["-s", "--size", "-r", "--reference"],
        reads: &["-r", "--reference"],
        ..spec(&["truncate", "fallocate"], Role::Write)
    },
    Spec {
        value: &["-d", "--date", "-t", "-r", "--reference", "--time"],
        reads: &["-r", "--reference"],
        ..spec(&["touch"], Role::Write)
    },
    Spec {
        value: &["--output-error"],
        ..spec(&["tee"], Role::Write)
    },
    Spec {
        value: &["--reference", "--from"],
        reads: &["--reference"],
        pattern_opts: &["--reference"],
        ..spec(
            &["chmod", "chown", "chgrp", "chattr", "setfacl", "chcon"],
            Role::ModeThenWrite,
        )
    },
    Spec {
        value: &[
            "-p",
            "--strip",
            "-i",
            "--input",
            "-o",
            "--output",
            "-D",
            "--ifdef",
            "-d",
            "--directory",
            "-r",
            "--reject-file",
            "-B",
            "--prefix",
            "-F",
            "--fuzz",
            "-V",
            "--version-control",
            "-z",
            "--suffix",
        ],
        reads: &["-i", "--input"],
        writes: &["-o", "--output", "-r", "--reject-file"],
        chdir: &["-d", "--directory"],
        ..spec(&["patch"], Role::Write)
    },
    Spec {
        value: &[
            "-I",
            "--ignore",
            "--hide",
            "-w",
            "--width",
            "-T",
            "--tabsize",
            "--format",
            "--sort",
            "--time",
            "--time-style",
            "--block-size",
            "--quoting-style",
            "--indicator-style",
            "--color",
            "-P",
            "-L",
            "--filelimit",
            "-o",
            "--charset",
            "--timefmt",
        ],
        writes: &["-o"],
        ..spec(
            &[
                "ls", "dir", "vdir", "tree", "exa", "eza", "lsd", "du", "stat", "realpath",
                "readlink", "namei", "getfacl", "lsattr", "test", "[", "df",
            ],
            Role::List,
        )
    },
    Spec {
        value: &[
            "-C",
            "--directory",
            "-f",
            "--file",
            "--makefile",
            "-I",
            "--include-dir",
            "-j",
            "--jobs",
            "-l",
            "--load-average",
            "-o",
            "--old-file",
            "-W",
            "--what-if",
            "--assume-new",
            "--new-file",
            "-O",
            "--output-sync",
            "--eval",
            "--debug",
        ],
        reads: &["-f", "--file", "--makefile"],
        chdir: &["-C", "--directory"],
        ..spec(&["make", "gmake", "bmake"], Role::Read)
    },
    spec(
        &[
            "echo",
            "printf",
            "true",
            "false",
            ":",
            "exit",
            "return",
            "break",
            "continue",
            "sleep",
            "kill",
            "killall",
            "pkill",
            "wait",
            "jobs",
            "fg",
            "bg",
            "disown",
            "umask",
            "ulimit",
            "type",
            "which",
            "whereis",
            "hash",
            "help",
            "history",
            "date",
            "pwd",
            "whoami",
            "id",
            "groups",
            "uname",
            "hostname",
            "seq",
            "expr",
            "basename",
            "dirname",
            "printenv",
            "getopts",
            "let",
            "shopt",
            "unalias",
            "bind",
            "complete",
            "compgen",
            "caller",
            "enable",
            "logout",
            "times",
            "tput",
            "clear",
            "reset",
            "stty",
            "tty",
            "nproc",
            "uptime",
            "free",
            "ps",
            "top",
            "htop",
            "dirs",
            "suspend",
            "mktemp",
            "sync",
            "arch",
            "logname",
            "users",
            "who",
            "w",
            "locale",
            "cal",
            "bc",
            "dc",
            "factor",
            "tset",
            "notify-send",
            "say",
            "beep",
        ],
        Role::None,
    ),
];

fn lookup(name: &str) -> Option<&'static Spec> {
    TABLE.iter().find(|s| s.names.contains(&name))
}

/// A command's arguments sorted into options and operands.
#[derive(Default, Debug)]
pub(super) struct Parsed {
    /// (option as written without its value, e.g. `-n` or `--lines`; its value).
    pub opts: Vec<(String, Option<Word>)>,
    pub operands: Vec<Word>,
}

impl Parsed {
    pub fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|(o, _)| names.contains(&o.as_str()))
    }

    pub fn values<'a>(&'a self, names: &'a [&str]) -> impl Iterator<Item = &'a Word> + 'a {
        self.opts
            .iter()
            .filter(move |(o, _)| names.contains(&o.as_str()))
            .filter_map(|(_, v)| v.as_ref())
    }
}

/// Splits arguments GNU-style: options anywhere before `--`, short options clustered,
/// `value` options taking the rest of their cluster or the next word.
pub(super) fn parse_opts(args: &[Word], value: &[&str], optional: &[&str], posix: bool) -> Parsed {
    let mut p = Parsed::default();
    let mut i = 0;
    let mut ended = false;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        let Some(t) = w.literal() else {
            p.operands.push(w.clone());
            if posix {
                ended = true;
            }
            continue;
        };
        if ended || t == "-" || !t.starts_with('-') {
            p.operands.push(w.clone());
            if posix {
                ended = true;
            }
            continue;
        }
        if t == "--" {
            ended = true;
            continue;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, glued) = match long.split_once('=') {
                Some((n, v)) => (format!("--{n}"), Some(Word::Path(v.to_string()))),
                None => (t.to_string(), None),
            };
            let v = if glued.is_some() {
                glued
            } else if value.contains(&name.as_str()) {
                let v = args.get(i).cloned();
                i += 1;
                v
            } else {
                None
            };
            p.opts.push((name, v));
            continue;
        }
        let cluster: Vec<char> = t[1..].chars().collect();
        let mut j = 0;
        while j < cluster.len() {
            let name = format!("-{}", cluster[j]);
            j += 1;
            if optional.contains(&name.as_str()) {
                let rest: String = cluster[j..].iter().collect();
                p.opts
                    .push((name, (!rest.is_empty()).then_some(Word::Path(rest))));
                break;
            }
            if value.contains(&name.as_str()) {
                let rest: String = cluster[j..].iter().collect();
                let v = if rest.is_empty() {
                    let v = args.get(i).cloned();
                    i += 1;
                    v
                } else {
                    Some(Word::Path(rest))
                };
                p.opts.push((name, v));
                break;
            }
            p.opts.push((name, None));
        }
    }
    p
}

fn basename(t: &str) -> &str {
    t.rsplit('/').next().unwrap_or(t)
}

type Flow = (State, State);

fn same(st: &State) -> Result<Flow> {
    Ok((st.clone(), st.clone()))
}

/// Runs one simple command (its words already expanded, its redirections applied): a
/// function of the line, a shell builtin ([`BUILTINS`]), a wrapper, a shell, a program
/// with a grammar of its own ([`GRAMMARS`]), a row of the [`TABLE`], or an unknown
/// program, looked up in that order.
pub(super) fn run(a: &mut Analyzer, argv: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let Some(first) = argv.first() else {
        return same(st);
    };
    let Some(path) = first.literal() else {
        return Err(unparseable(format!(
            "the program to run, `{}`, is only known at run time",
            first.text()
        )));
    };
    // `./script` and `bin/tool` are the repository's own programs, whatever their
    // name; `/usr/bin/cat` is `cat`.
    let local = path.contains('/') && !path.starts_with('/');
    let name = if local { path } else { basename(path) };
    let args = &argv[1..];
    // A shell function of the line runs in the current shell with these parameters.
    if !path.contains('/')
        && let Some(body) = st.functions.get(name).cloned()
    {
        return call_function(a, &body.0, args, st, cx);
    }
    if local {
        // A script or program named by its path: it may read its own file.
        a.access(Kind::Read, st, cx, first);
    }
    if let Some(step) = step_for(BUILTINS, name) {
        return step(a, name, args, st, cx);
    }
    if let Some(w) = wrapper(name) {
        return run_wrapped(a, w, name, args, st, cx);
    }
    if is_shell(name) {
        return shell(a, name, args, st, cx);
    }
    if let Some(step) = step_for(GRAMMARS, name) {
        return step(a, name, args, st, cx);
    }
    foreign_command_string(name, args)?;
    if let Some(spec) = lookup(name) {
        apply(a, spec, args, st, cx);
        return same(st);
    }
    unknown_program(a, args, st, cx);
    same(st)
}

/// What one builtin or program does, given its name as run and its arguments: the
/// shell's state after it succeeds and after it fails.
type Step = fn(&mut Analyzer, &str, &[Word], &mut State, &Cx) -> Result<Flow>;

fn step_for(steps: &[(&[&str], Step)], name: &str) -> Option<Step> {
    steps
        .iter()
        .find(|(names, _)| names.contains(&name))
        .map(|&(_, step)| step)
}

/// Shell builtins that change the shell's state (directory, variables, functions,
/// parameters) or run text as commands, by name.
const BUILTINS: &[(&[&str], Step)] = &[
    (&["cd", "chdir"], |a, _, args, st, cx| cd(a, args, st, cx)),
    (&["pushd"], |_, _, args, st, _| pushd(args, st)),
    (&["popd"], popd),
    (
        &["export", "declare", "typeset", "local", "readonly"],
        |_, _, _, st, _| same(st),
    ),
    (&["unset"], unset),
    (&["read", "readarray", "mapfile", "getopts"], read),
    (&["printf"], printf),
    (&["set"], set),
    (&["shift"], shift),
    (&["eval"], eval),
    (&["source", "."], source),
    (&["alias"], alias),
    (&["trap"], trap),
    (&["exec"], exec),
    (&["command"], command),
    (&["builtin"], |a, _, args, st, cx| {
        if args.is_empty() {
            return same(st);
        }
        without_functions(a, args, st, cx)
    }),
];

/// Programs whose grammar needs code, by name (looked up after the wrappers and the
/// shells).
const GRAMMARS: &[(&[&str], Step)] = &[
    (&["xargs"], |a, _, args, st, cx| xargs(a, args, st, cx)),
    (&["find"], |a, _, args, st, cx| find(a, args, st, cx)),
    (&["parallel"], |a, _, args, st, cx| {
        parallel(a, args, st, cx)
    }),
    (&["git"], |a, _, args, st, cx| {
        super::git::git(a, args, st, cx)?;
        same(st)
    }),
    (&["tar", "gtar", "bsdtar"], |a, _, args, st, cx| {
        tar(a, args, st, cx);
        same(st)
    }),
    (&["zip"], |a, _, args, st, cx| {
        zip(a, args, st, cx);
        same(st)
    }),
    (&["unzip"], unzip),
    (&["dd"], dd),
    (
        &["curl", "wget", "http", "https", "xh", "xhs", "httpie"],
        |a, name, args, st, cx| {
            transfer(a, name, args, st, cx);
            same(st)
        },
    ),
    (&["socat"], |a, _, args, st, cx| {
        socat(a, args, st, cx)?;
        same(st)
    }),
    (&["patch"], patch),
    (&["chroot"], |_, _, _, _, _| {
        Err(unparseable(
            "chroot changes what every path means; not analysed",
        ))
    }),
];

/// `fish -c`, `pwsh -Command`, ...: command strings in another shell's language are
/// refused; without one these run as unknown programs.
fn foreign_command_string(name: &str, args: &[Word]) -> Result<()> {
    if matches!(
        name,
        "fish" | "csh" | "tcsh" | "pwsh" | "powershell" | "nu" | "elvish" | "xonsh"
    ) && args
        .iter()
        .any(|w| matches!(w.literal(), Some("-c" | "--command" | "-Command")))
    {
        return Err(unparseable(format!(
            "{name} command strings are not analysed"
        )));
    }
    Ok(())
}

/// `popd`: each command starts with an empty directory stack (the session keeps its
/// working directory between commands, not the shell's state), so `popd` past the
/// line's own `pushd` fails and stays.
fn popd(_: &mut Analyzer, _: &str, _: &[Word], st: &mut State, _: &Cx) -> Result<Flow> {
    let mut ok = st.clone();
    for w in &mut ok.worlds {
        if let Some(next) = w.stack.pop() {
            w.old = Some(std::mem::replace(&mut w.cwd, next));
        }
    }
    ok.dedup_worlds();
    Ok((ok, st.clone()))
}

/// `unset NAME...` empties variables; `unset -f NAME...` removes functions.
fn unset(_: &mut Analyzer, _: &str, args: &[Word], st: &mut State, _: &Cx) -> Result<Flow> {
    let p = parse_opts(args, NO, NO, false);
    if !p.has(&["-f"]) {
        for w in &p.operands {
            if let Some(n) = w.literal() {
                st.set_var(n, Word::Path(String::new()));
            }
        }
    } else {
        for w in &p.operands {
            if let Some(n) = w.literal() {
                st.functions.remove(n);
            }
        }
    }
    same(st)
}

/// `read`, `readarray`, `mapfile`, `getopts`: the variables they set are known only at
/// run time.
fn read(_: &mut Analyzer, name: &str, args: &[Word], st: &mut State, _: &Cx) -> Result<Flow> {
    let p = parse_opts(
        args,
        &[
            "-a", "-d", "-n", "-N", "-p", "-t", "-u", "-i", "-C", "-c", "-O", "-s",
        ],
        NO,
        false,
    );
    for w in p.operands.iter().chain(p.values(&["-a"])) {
        if let Some(n) = w.literal() {
            st.set_var(n, Word::Unknown(format!("${n}")));
        }
    }
    if name == "getopts" {
        st.forget_vars();
    }
    same(st)
}

/// `printf -v NAME`: the variable is known only at run time.
fn printf(_: &mut Analyzer, _: &str, args: &[Word], st: &mut State, _: &Cx) -> Result<Flow> {
    let p = parse_opts(args, &["-v"], NO, true);
    for w in p.values(&["-v"]) {
        if let Some(n) = w.literal() {
            st.set_var(n, Word::Unknown(format!("${n}")));
        }
    }
    same(st)
}

/// `set [options] [--] args`: the positional parameters.
fn set(_: &mut Analyzer, _: &str, args: &[Word], st: &mut State, _: &Cx) -> Result<Flow> {
    let mut i = 0;
    let mut set_positional = false;
    while i < args.len() {
        match args[i].literal() {
            Some("--") => {
                set_positional = true;
                i += 1;
                break;
            }
            Some(t) if t.starts_with('-') || t.starts_with('+') => {
                if t == "-o" || t == "+o" {
                    i += 1;
                }
                i += 1;
            }
            _ => {
                set_positional = true;
                break;
            }
        }
    }
    if set_positional {
        st.positional = Some(args[i..].to_vec());
    }
    same(st)
}

/// `shift [n]`: the positional parameters, shifted.
fn shift(_: &mut Analyzer, _: &str, args: &[Word], st: &mut State, _: &Cx) -> Result<Flow> {
    let n = args
        .first()
        .and_then(Word::literal)
        .map(|t| t.parse::<usize>().ok())
        .unwrap_or(Some(1));
    st.positional = match (st.positional.take(), n) {
        (Some(ps), Some(n)) if n <= ps.len() => Some(ps[n..].to_vec()),
        (Some(ps), Some(_)) => Some(ps),
        _ => None,
    };
    same(st)
}

/// `eval WORDS`: the words joined are a script, run in the current shell.
fn eval(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let text = join_words(args, "eval")?;
    let mut s = st.clone();
    a.script(&text, &mut s, cx.depth + 1)?;
    Ok((s.clone(), s))
}

/// `source FILE` reads the file.
fn source(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let p = parse_opts(args, NO, NO, true);
    for w in &p.operands {
        a.access(Kind::Read, st, cx, w);
    }
    // The sourced file's commands are not seen; its variables may be anything.
    st.forget_vars();
    same(st)
}

/// `alias name=text`: the text is analysed as a script.
fn alias(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    for w in args {
        if let Some((_, v)) = w.literal().and_then(split_assignment) {
            let mut s = st.clone();
            a.script(v, &mut s, cx.depth + 1)?;
        } else if let Word::Unknown(t) = w {
            return Err(unparseable(format!("an alias defined at run time: `{t}`")));
        }
    }
    same(st)
}

/// `trap ACTION SIGNAL...`: the action is analysed as a script.
fn trap(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let p = parse_opts(args, NO, NO, true);
    if let Some(action) = p.operands.first()
        && p.operands.len() > 1
    {
        let text = action.literal().ok_or_else(|| {
            unparseable(format!(
                "a trap action known only at run time: `{}`",
                action.text()
            ))
        })?;
        let mut s = st.clone();
        a.script(text, &mut s, cx.depth + 1)?;
    }
    same(st)
}

/// `exec [-a NAME] COMMAND...` runs the command.
fn exec(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let p = parse_opts_until_command(args, &["-a"]);
    if p.operands.is_empty() {
        return same(st);
    }
    run(a, &p.operands, st, cx)
}

/// `command COMMAND...` runs the command, skipping functions; `command -v` only looks
/// it up.
fn command(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let p = parse_opts_until_command(args, NO);
    if p.has(&["-v", "-V"]) || p.operands.is_empty() {
        return same(st);
    }
    without_functions(a, &p.operands, st, cx)
}

/// Runs `argv` with the line's functions hidden (`command`, `builtin`), which the
/// states after it keep.
fn without_functions(a: &mut Analyzer, argv: &[Word], st: &State, cx: &Cx) -> Result<Flow> {
    let mut s = st.clone();
    s.functions.clear();
    let (mut o, mut f) = run(a, argv, &mut s, cx)?;
    o.functions = st.functions.clone();
    f.functions = st.functions.clone();
    Ok((o, f))
}

/// `unzip ARCHIVE [-d DIR]`: the archive read, the directory (else `.`) written unless
/// it only lists or prints.
fn unzip(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let p = parse_opts(args, &["-d", "-x", "-P"], NO, false);
    for w in p.operands.iter().take(1) {
        a.access(Kind::Read, st, cx, w);
    }
    let listing = p.has(&["-l", "-v", "-t", "-Z", "-p", "-c"]);
    if !listing {
        match p.values(&["-d"]).last() {
            Some(d) => a.access(Kind::Write, st, cx, d),
            None => a.access(Kind::Write, st, cx, &Word::Path(".".into())),
        }
    }
    same(st)
}

/// `dd if=IN of=OUT`: IN read, OUT written.
fn dd(a: &mut Analyzer, _: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    for w in args {
        if let Some(t) = w.literal() {
            if let Some(f) = t.strip_prefix("if=") {
                a.access(Kind::Read, st, cx, &Word::Path(f.into()));
            } else if let Some(f) = t.strip_prefix("of=") {
                a.access(Kind::Write, st, cx, &Word::Path(f.into()));
            }
        } else {
            a.access(Kind::Read, st, cx, w);
        }
    }
    same(st)
}

/// `patch`: its table row, and without a file operand the files named inside the
/// patch are changed.
fn patch(a: &mut Analyzer, name: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    if let Some(spec) = lookup(name) {
        apply(a, spec, args, st, cx);
    }
    let p = parse_opts(args, lookup(name).map_or(NO, |s| s.value), NO, false);
    if p.operands.is_empty() {
        a.access(
            Kind::Write,
            st,
            cx,
            &Word::Unknown("(files named in the patch)".into()),
        );
    }
    same(st)
}

/// A program not in the table: every operand, and every `--opt=value`'s value, may be
/// a file it reads (`python3 tools/dump.py hr/a.csv`, `./script x`).
fn unknown_program(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) {
    for w in args {
        match w.literal() {
            Some(t) if t.starts_with('-') => {
                if let Some((_, v)) = t.split_once('=') {
                    a.access(Kind::Read, st, cx, &Word::Path(v.to_string()));
                }
            }
            _ => a.access(Kind::Read, st, cx, w),
        }
    }
}

/// Applies a table row.
fn apply(a: &mut Analyzer, spec: &Spec, args: &[Word], st: &State, cx: &Cx) {
    let p = parse_opts(args, spec.value, spec.optional, false);
    let mut cx = cx.clone();
    for d in p.values(spec.chdir) {
        cx = cx.with_chdir(d);
    }
    let cx = &cx;
    for w in p.values(spec.reads) {
        a.access(Kind::Read, st, cx, w);
    }
    for w in p.values(spec.writes) {
        a.access(Kind::Write, st, cx, w);
    }
    let in_place = p.has(spec.in_place);
    let mut ops: Vec<&Word> = p.operands.iter().collect();
    if p.has(spec.names_only) {
        for w in &ops {
            a.access(Kind::List, st, cx, w);
        }
        if ops.is_empty() {
            a.access(Kind::List, st, cx, &Word::Path(".".into()));
        }
        return;
    }
    match spec.role {
        Role::Read | Role::ReadWrite => {
            for w in &ops {
                a.access(Kind::Read, st, cx, w);
                if spec.role == Role::ReadWrite || in_place {
                    a.access(Kind::Write, st, cx, w);
                }
            }
        }
        Role::PatternThenRead => {
            // rg --files, rg -l 'x' -e y: the pattern may come from options.
            let skip = usize::from(!p.has(spec.pattern_opts));
            if ops.len() >= skip {
                ops.drain(..skip);
            } else {
                ops.clear();
            }
            for w in &ops {
                a.access(Kind::Read, st, cx, w);
                if in_place {
                    a.access(Kind::Write, st, cx, w);
                }
            }
            let stdin_fed = cx.stdin != Stdin::Inherited;
            if ops.is_empty() && (p.has(spec.recursive) || (spec.always_recursive && !stdin_fed)) {
                a.access(Kind::Read, st, cx, &Word::Path(".".into()));
            }
        }
        Role::Write => {
            for w in &ops {
                a.access(Kind::Write, st, cx, w);
            }
        }
        Role::CopyTo | Role::MoveTo => {
            let target: Option<Word> = p.values(spec.target).last().cloned();
            let dest = match &target {
                Some(t) => Some(t.clone()),
                None if ops.len() >= 2 => ops.pop().cloned(),
                None => None,
            };
            for w in &ops {
                a.access(Kind::Read, st, cx, w);
                if spec.role == Role::MoveTo {
                    a.access(Kind::Write, st, cx, w);
                }
            }
            if let Some(d) = dest {
                a.access(Kind::Write, st, cx, &d);
                if spec.names.contains(&"rsync") || spec.names.contains(&"scp") {
                    // A remote source copied here, or here copied away: both ends.
                    a.access(Kind::Read, st, cx, &d);
                }
            }
        }
        Role::ModeThenWrite => {
            let skip = usize::from(!p.has(spec.pattern_opts)).min(ops.len());
            for w in &ops[skip..] {
                a.access(Kind::Write, st, cx, w);
            }
        }
        Role::InThenOut => {
            if let Some(w) = ops.first() {
                a.access(Kind::Read, st, cx, w);
            }
            if let Some(w) = ops.get(1) {
                a.access(Kind::Write, st, cx, w);
            }
        }
        Role::List => {
            for w in &ops {
                a.access(Kind::List, st, cx, w);
            }
        }
        Role::None => {}
    }
}

fn cd(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) -> Result<Flow> {
    let _ = (a, cx);
    let p = parse_opts(args, NO, NO, true);
    let mut ok = st.clone();
    match p.operands.first() {
        None => ok.chdir(Some(&Word::Path("~".into()))),
        Some(Word::Path(t)) if t == "-" => {
            for w in &mut ok.worlds {
                let next = w.old.clone().unwrap_or(super::shell::Cwd::Unknown);
                w.old = Some(std::mem::replace(&mut w.cwd, next));
            }
            ok.dedup_worlds();
        }
        Some(w @ Word::Path(_)) => ok.chdir(Some(w)),
        Some(_) => ok.chdir(None),
    }
    // A `cd` that fails leaves the shell where it was.
    Ok((ok, st.clone()))
}

fn pushd(args: &[Word], st: &State) -> Result<Flow> {
    let p = parse_opts(args, NO, NO, true);
    let mut ok = st.clone();
    for w in &mut ok.worlds {
        match p.operands.first() {
            Some(Word::Path(t)) if !t.starts_with('+') && !t.starts_with('-') => {
                let next = w.cwd.join(&Word::Path(t.clone()));
                let prev = std::mem::replace(&mut w.cwd, next);
                w.stack.push(prev.clone());
                w.old = Some(prev);
            }
            None => match w.stack.pop() {
                Some(top) => {
                    let prev = std::mem::replace(&mut w.cwd, top);
                    w.stack.push(prev.clone());
                    w.old = Some(prev);
                }
                None => w.cwd = super::shell::Cwd::Unknown,
            },
            Some(_) => {
                let prev = std::mem::replace(&mut w.cwd, super::shell::Cwd::Unknown);
                w.stack.push(prev);
            }
        }
    }
    ok.dedup_worlds();
    Ok((ok, st.clone()))
}

fn call_function(
    a: &mut Analyzer,
    body: &brush_parser::ast::FunctionBody,
    args: &[Word],
    st: &mut State,
    cx: &Cx,
) -> Result<Flow> {
    if cx.depth + 1 > MAX_DEPTH {
        return Err(unparseable(format!(
            "functions call each other more than {MAX_DEPTH} deep"
        )));
    }
    let saved = st.positional.replace(args.to_vec());
    let mut s = st.clone();
    let (ok, fail) = a.function_body(body, &mut s, cx.depth + 1)?;
    let (mut ok, mut fail) = (ok, fail);
    ok.positional = saved.clone();
    fail.positional = saved;
    Ok((ok, fail))
}

/// Joins words back into a script (`eval`, `watch`): every word must be known.
fn join_words(args: &[Word], what: &str) -> Result<String> {
    let mut parts = Vec::new();
    for w in args {
        match w {
            Word::Path(t) | Word::Glob(t) => parts.push(t.clone()),
            Word::Unknown(t) => {
                return Err(unparseable(format!(
                    "{what} of a value known only at run time: `{t}`"
                )));
            }
        }
    }
    Ok(parts.join(" "))
}

/// Quotes a word for a script built from words (`parallel`, `env -S`).
fn quote(w: &Word) -> Result<String> {
    match w {
        Word::Path(t) => Ok(format!("'{}'", t.replace('\'', "'\\''"))),
        Word::Glob(t) => Ok(t.clone()),
        Word::Unknown(t) => Err(unparseable(format!(
            "a command built from a value known only at run time: `{t}`"
        ))),
    }
}

/// Options up to the first operand, then the command.
fn parse_opts_until_command(args: &[Word], value: &[&str]) -> Parsed {
    parse_opts(args, value, NO, true)
}

fn is_shell(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash"
            | "zsh"
            | "dash"
            | "ksh"
            | "mksh"
            | "ash"
            | "yash"
            | "posh"
            | "rbash"
            | "ksh93"
            | "oksh"
            | "loksh"
            | "pdksh"
            | "busybox-sh"
    )
}

/// `bash [options] -c 'script' [$0 [$1 ...]]`, `bash script args`, `bash <<EOF`.
fn shell(a: &mut Analyzer, name: &str, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let mut command = false;
    let mut stdin_script = false;
    let mut i = 0;
    while i < args.len() {
        let Some(t) = args[i].literal() else { break };
        if t == "--" || t == "-" {
            i += 1;
            break;
        }
        if !(t.starts_with('-') || t.starts_with('+')) || t.len() < 2 {
            break;
        }
        i += 1;
        if t.starts_with("--") {
            if matches!(t, "--rcfile" | "--init-file") {
                if let Some(f) = args.get(i) {
                    a.access(Kind::Read, st, cx, f);
                }
                i += 1;
            }
            continue;
        }
        for c in t[1..].chars() {
            match c {
                'c' => command = true,
                's' => stdin_script = true,
                'o' | 'O' => i += 1,
                _ => {}
            }
        }
    }
    let rest = &args[i.min(args.len())..];
    if command {
        let Some(script) = rest.first() else {
            return Err(unparseable(format!("{name} -c without a command")));
        };
        let Some(text) = script.literal() else {
            return Err(unparseable(format!(
                "{name} -c runs a command known only at run time: `{}`",
                script.text()
            )));
        };
        let mut child = st.child(
            rest.get(1).cloned(),
            Some(rest.get(2..).unwrap_or(&[]).to_vec()),
        );
        child_chdir(&mut child, cx);
        a.script(text, &mut child, cx.depth + 1)?;
        return same(st);
    }
    if !stdin_script && let Some(file) = rest.first() {
        // A script file: read by the shell; what it does is not seen.
        a.access(Kind::Read, st, cx, file);
        for w in &rest[1..] {
            a.access(Kind::Read, st, cx, w);
        }
        return same(st);
    }
    match &cx.stdin {
        Stdin::Text(Some(text)) => {
            let mut child = st.child(Some(Word::Path(name.into())), Some(rest.to_vec()));
            child_chdir(&mut child, cx);
            a.script(text, &mut child, cx.depth + 1)?;
            same(st)
        }
        Stdin::Text(None) => Err(unparseable(format!(
            "{name} reads a here-document whose text is known only at run time"
        ))),
        // Its input may be a pipe or file set up around a compound command
        // (`echo cmd | (bash)`): not known here.
        Stdin::Redirected | Stdin::Inherited => Err(unparseable(format!(
            "{name} reads its commands from its input, which is not analysed"
        ))),
    }
}

/// A child shell started under `env -C DIR` or `sudo -D DIR` starts there.
fn child_chdir(child: &mut State, cx: &Cx) {
    for d in &cx.chdir {
        child.chdir(Some(d));
    }
    if cx.cwd_unknown {
        child.chdir(None);
    }
}

/// A program that runs another: its options, how many operands come before the
/// command, and the options that change what it does.
pub(super) struct Wrapper {
    pub names: &'static [&'static str],
    value: &'static [&'static str],
    /// Operands before the command (`timeout DURATION`, `flock FILE`).
    skip: usize,
    /// Value options naming the directory the command runs in.
    chdir: &'static [&'static str],
    /// Value options naming files it reads or writes.
    reads: &'static [&'static str],
    writes: &'static [&'static str],
    /// Options after which it runs no command (`ionice -p PID`, `command -v`).
    no_command: &'static [&'static str],
    /// Value options holding a shell command string (`flock -c`, `su -c`).
    script: &'static [&'static str],
    /// `NAME=VALUE` operands before the command are its environment (`env`).
    assignments: bool,
}

const fn wrap(names: &'static [&'static str]) -> Wrapper {
    Wrapper {
        names,
        value: NO,
        skip: 0,
        chdir: NO,
        reads: NO,
        writes: NO,
        no_command: NO,
        script: NO,
        assignments: false,
    }
}

pub(super) const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        value: &["-s", "--signal", "-k", "--kill-after"],
        skip: 1,
        ..wrap(&["timeout", "gtimeout"])
    },
    Wrapper {
        value: &["-n", "--adjustment"],
        ..wrap(&["nice"])
    },
    Wrapper {
        value: &[
            "-c",
            "--class",
            "-n",
            "--classdata",
            "-p",
            "--pid",
            "-P",
            "--pgid",
            "-u",
            "--uid",
        ],
        no_command: &["-p", "--pid", "-P", "--pgid", "-u", "--uid"],
        ..wrap(&["ionice"])
    },
    Wrapper {
        value: &[
            "-u",
            "--unset",
            "-C",
            "--chdir",
            "-S",
            "--split-string",
            "-a",
            "--argv0",
            "--block-signal",
            "--default-signal",
            "--ignore-signal",
        ],
        chdir: &["-C", "--chdir"],
        assignments: true,
        ..wrap(&["env"])
    },
    Wrapper {
        value: &[
            "-u",
            "--user",
            "-g",
            "--group",
            "-h",
            "--host",
            "-p",
            "--prompt",
            "-C",
            "--close-from",
            "-D",
            "--chdir",
            "-r",
            "--role",
            "-t",
            "--type",
            "-T",
            "--command-timeout",
            "-U",
            "--other-user",
            "-R",
            "--chroot",
        ],
        chdir: &["-D", "--chdir"],
        no_command: &[
            "-l",
            "--list",
            "-v",
            "--validate",
            "-k",
            "--reset-timestamp",
            "-K",
            "--remove-timestamp",
            "-V",
            "--version",
        ],
        assignments: true,
        ..wrap(&["sudo"])
    },
    Wrapper {
        value: &["-u", "-C"],
        reads: &["-C"],
        ..wrap(&["doas"])
    },
    wrap(&[
        "nohup",
        "unbuffer",
        "torsocks",
        "catchsegv",
        "time-limit",
        "caffeinate",
        "proxychains",
        "proxychains4",
        "tsocks",
        "firejail",
        "nocache",
        "eatmydata",
        "fakeroot",
        "pv-wrap",
    ]),
    Wrapper {
        value: &[],
        ..wrap(&["setsid"])
    },
    Wrapper {
        value: &["-i", "--input", "-o", "--output", "-e", "--error"],
        ..wrap(&["stdbuf"])
    },
    Wrapper {
        value: &["-o", "--output", "-f", "--format"],
        writes: &["-o", "--output"],
        ..wrap(&["time", "gtime"])
    },
    Wrapper {
        value: &[
            "-w",
            "--timeout",
            "--wait",
            "-E",
            "--conflict-exit-code",
            "-c",
            "--command",
        ],
        skip: 1,
        script: &["-c", "--command"],
        ..wrap(&["flock"])
    },
    Wrapper {
        value: &["-c", "--cpu-list"],
        skip: 1,
        no_command: &["-p", "--pid"],
        ..wrap(&["taskset"])
    },
    Wrapper {
        skip: 1,
        no_command: &["-p", "--pid"],
        ..wrap(&["chrt"])
    },
    Wrapper {
        value: &[
            "-C",
            "--physcpubind",
            "-N",
            "--cpunodebind",
            "-m",
            "--membind",
            "-i",
            "--interleave",
            "-p",
            "--preferred",
        ],
        ..wrap(&["numactl"])
    },
    Wrapper {
        value: &[
            "-o", "-e", "-p", "-s", "-u", "-E", "-a", "-S", "-P", "-b", "-I", "-X",
        ],
        writes: &["-o"],
        ..wrap(&["strace", "ltrace"])
    },
    Wrapper {
        value: &[
            "-c",
            "--command",
            "-s",
            "--shell",
            "-g",
            "--group",
            "-G",
            "--supp-group",
            "-w",
            "--whitelist-environment",
        ],
        script: &["-c", "--command"],
        ..wrap(&["su", "runuser"])
    },
    Wrapper {
        value: &[
            "-c",
            "--command",
            "-E",
            "--echo",
            "-I",
            "--log-in",
            "-O",
            "--log-out",
            "-B",
            "--log-io",
            "-T",
            "--log-timing",
            "-t",
            "--timing",
        ],
        script: &["-c", "--command"],
        ..wrap(&["script"])
    },
    Wrapper {
        value: &["-n", "--interval", "-q", "--equexit"],
        ..wrap(&["watch"])
    },
    wrap(&["busybox", "toybox"]),
];

fn wrapper(name: &str) -> Option<&'static Wrapper> {
    WRAPPERS.iter().find(|w| w.names.contains(&name))
}

fn run_wrapped(
    a: &mut Analyzer,
    w: &Wrapper,
    name: &str,
    args: &[Word],
    st: &mut State,
    cx: &Cx,
) -> Result<Flow> {
    // flock takes its options after the lock file too.
    let p = parse_opts(args, w.value, NO, name != "flock");
    let mut cx = cx.clone();
    for d in p.values(w.chdir) {
        cx = cx.with_chdir(d);
    }
    if name == "sudo" && p.has(&["-e", "--edit"]) {
        for f in &p.operands {
            a.access(Kind::Read, st, &cx, f);
            a.access(Kind::Write, st, &cx, f);
        }
        return same(st);
    }
    for f in p.values(w.reads) {
        a.access(Kind::Read, st, &cx, f);
    }
    for f in p.values(w.writes) {
        a.access(Kind::Write, st, &cx, f);
    }
    if p.has(w.no_command) {
        return same(st);
    }
    for s in p.values(w.script) {
        let text = s.literal().ok_or_else(|| {
            unparseable(format!(
                "{name} runs a command known only at run time: `{}`",
                s.text()
            ))
        })?;
        let mut child = st.child(None, None);
        child_chdir(&mut child, &cx);
        a.script(text, &mut child, cx.depth + 1)?;
    }
    if name == "env"
        && let Some(s) = p.values(&["-S", "--split-string"]).last()
    {
        {
            // `env -S 'cmd args'`: the string is split into the command and its first
            // arguments, quotes honoured; the shell's parser does the same split.
            let mut text = s
                .literal()
                .ok_or_else(|| {
                    unparseable(format!(
                        "env -S with a value known only at run time: `{}`",
                        s.text()
                    ))
                })?
                .to_string();
            for o in &p.operands {
                text.push(' ');
                text.push_str(&quote(o)?);
            }
            let mut child = st.child(None, None);
            child_chdir(&mut child, &cx);
            a.script(&text, &mut child, cx.depth + 1)?;
            return same(st);
        }
    }
    let mut rest: &[Word] = &p.operands;
    if w.skip > 0 {
        if rest.len() < w.skip {
            return same(st);
        }
        if name == "flock" && p.has(w.script) {
            return same(st);
        }
        rest = &rest[w.skip..];
    }
    if w.assignments {
        while let Some(first) = rest.first() {
            if first.literal().and_then(split_assignment).is_some() {
                rest = &rest[1..];
            } else {
                break;
            }
        }
    }
    if rest.is_empty() {
        return same(st);
    }
    if name == "watch" && !p.has(&["-x", "--exec"]) {
        // watch hands its words, joined, to `sh -c`.
        let text = join_words(rest, "watch")?;
        let mut child = st.child(None, None);
        child_chdir(&mut child, &cx);
        a.script(&text, &mut child, cx.depth + 1)?;
        return same(st);
    }
    if (name == "su" || name == "runuser") && !p.has(w.script) {
        // `su user`: an interactive shell, `runuser -u user -- cmd`: the command.
        if name == "runuser" && p.has(&["-u", "--user"]) {
            let mut s = st.clone();
            run(a, rest, &mut s, &cx)?;
        }
        return same(st);
    }
    if name == "script" {
        for f in rest {
            a.access(Kind::Write, st, &cx, f);
        }
        return same(st);
    }
    // The wrapped command runs as a child process: its `cd` cannot reach the shell.
    let mut s = st.clone();
    if !cx.chdir.is_empty() {
        // The command's own relative paths start from the new directory.
        for d in &cx.chdir {
            s.chdir(Some(d));
        }
        cx.chdir.clear();
    }
    run(a, rest, &mut s, &cx)?;
    same(st)
}

/// `xargs [options] [command [initial-arguments]]`: the items read from its input are
/// only known at run time.
fn xargs(a: &mut Analyzer, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let p = parse_opts(
        args,
        &[
            "-a",
            "--arg-file",
            "-d",
            "--delimiter",
            "-E",
            "-I",
            "-L",
            "--max-lines",
            "-n",
            "--max-args",
            "-P",
            "--max-procs",
            "-s",
            "--max-chars",
            "--process-slot-var",
        ],
        &["-e", "-i", "-l"],
        true,
    );
    for f in p.values(&["-a", "--arg-file"]) {
        a.access(Kind::Read, st, cx, f);
    }
    let replace: Option<String> = p
        .opts
        .iter()
        .rev()
        .find(|(o, _)| matches!(o.as_str(), "-I" | "-i" | "--replace"))
        .map(|(o, v)| match (o.as_str(), v) {
            (_, Some(v)) => v.text().to_string(),
            _ => "{}".to_string(),
        });
    let input = Word::Unknown("(items read by xargs)".into());
    let mut argv: Vec<Word> = if p.operands.is_empty() {
        vec![Word::Path("echo".into())]
    } else {
        p.operands.clone()
    };
    match &replace {
        Some(r) => {
            for w in argv.iter_mut().skip(1) {
                if w.text().contains(r.as_str()) {
                    *w = input.clone();
                }
            }
        }
        None => argv.push(input),
    }
    let mut s = st.clone();
    run(a, &argv, &mut s, cx)?;
    same(st)
}

/// `parallel [options] command ::: args` (each argument list substituted for `{}` or
/// appended, the line run by a shell); without `:::` the arguments come from input.
fn parallel(a: &mut Analyzer, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let value = [
        "-j",
        "--jobs",
        "-P",
        "-S",
        "--sshlogin",
        "-a",
        "--arg-file",
        "-I",
        "-n",
        "-N",
        "-L",
        "--delay",
        "--timeout",
        "--results",
        "--joblog",
        "--tmpdir",
        "--workdir",
        "--wd",
        "-d",
        "--delimiter",
        "-E",
        "--colsep",
        "--sshloginfile",
        "--retries",
        "--memfree",
        "--load",
        "--tag-string",
        "--basefile",
        "--return",
    ];
    let mut i = 0;
    let mut opts: Vec<Word> = Vec::new();
    while i < args.len() {
        let Some(t) = args[i].literal() else { break };
        if !t.starts_with('-') || t == ":::" || t == "::::" {
            break;
        }
        opts.push(args[i].clone());
        if value.contains(&t) {
            if let Some(v) = args.get(i + 1) {
                opts.push(v.clone());
            }
            i += 1;
        }
        i += 1;
    }
    let p = parse_opts(&opts, &value, NO, false);
    for f in p.values(&["-a", "--arg-file", "--sshloginfile"]) {
        a.access(Kind::Read, st, cx, f);
    }
    for f in p.values(&["--results", "--joblog"]) {
        a.access(Kind::Write, st, cx, f);
    }
    let rest = &args[i..];
    let sep = rest
        .iter()
        .position(|w| matches!(w.literal(), Some(":::" | "::::" | ":::+" | "::::+")));
    let (command, lists) = match sep {
        Some(k) => (&rest[..k], &rest[k..]),
        None => (rest, &[][..]),
    };
    let mut values: Vec<Word> = Vec::new();
    let mut files = false;
    for w in lists {
        match w.literal() {
            Some(":::" | ":::+") => files = false,
            Some("::::" | "::::+") => files = true,
            _ if files => {
                a.access(Kind::Read, st, cx, w);
                values.push(Word::Unknown(format!("(lines of {})", w.text())));
            }
            _ => values.push(w.clone()),
        }
    }
    if sep.is_none() || p.has(&["-a", "--arg-file"]) {
        values.push(Word::Unknown("(items read by parallel)".into()));
    }
    if command.is_empty() {
        return same(st);
    }
    let template = join_words(command, "parallel")?;
    for v in values.iter().take(MAX_FIELDS) {
        let text = match v {
            Word::Unknown(_) => {
                // An item known only at run time stands in for `{}` as an unknown word.
                let marker = "\"$__tiergate_item\"";
                if template.contains("{}") {
                    template.replace("{}", marker)
                } else {
                    format!("{template} {marker}")
                }
            }
            _ => {
                let q = quote(v)?;
                if template.contains("{}") {
                    template.replace("{}", &q)
                } else {
                    format!("{template} {q}")
                }
            }
        };
        let mut child = st.child(None, None);
        child_chdir(&mut child, cx);
        a.script(&text, &mut child, cx.depth + 1)?;
    }
    same(st)
}

/// `find [-H|-L|-P] [paths...] [expression]`: the paths are listed; `-exec`, `-execdir`,
/// `-ok`, `-okdir` run a command on each file found (`{}`: the start path, which holds
/// them), `-delete` removes them, `-fprint FILE` writes.
fn find(a: &mut Analyzer, args: &[Word], st: &mut State, cx: &Cx) -> Result<Flow> {
    let (paths, expression) = find_start(args);
    find_expression(a, expression, &paths, st, cx)?;
    for p in &paths {
        a.access(Kind::List, st, cx, p);
    }
    same(st)
}

/// The start paths of `find` (`.` when none are given) and the expression after them,
/// past the leading options.
fn find_start(args: &[Word]) -> (Vec<Word>, &[Word]) {
    let mut i = 0;
    while i < args.len() {
        match args[i].literal() {
            Some("-H" | "-L" | "-P") => i += 1,
            Some(t) if t.starts_with("-O") => i += 1,
            Some("-D") => i += 2,
            _ => break,
        }
    }
    let mut paths: Vec<Word> = Vec::new();
    while i < args.len() {
        match args[i].literal() {
            Some(t) if t.starts_with('-') || t == "(" || t == "!" || t == ")" || t == "," => break,
            _ => {
                paths.push(args[i].clone());
                i += 1;
            }
        }
    }
    if paths.is_empty() {
        paths.push(Word::Path(".".into()));
    }
    (paths, &args[i.min(args.len())..])
}

/// `find` tests that take a value (names, patterns, times), which names no file.
const FIND_VALUE_PREDICATES: &[&str] = &[
    "-name",
    "-iname",
    "-path",
    "-ipath",
    "-wholename",
    "-iwholename",
    "-regex",
    "-iregex",
    "-type",
    "-xtype",
    "-user",
    "-group",
    "-uid",
    "-gid",
    "-perm",
    "-size",
    "-mtime",
    "-atime",
    "-ctime",
    "-mmin",
    "-amin",
    "-cmin",
    "-newer",
    "-anewer",
    "-cnewer",
    "-samefile",
    "-links",
    "-inum",
    "-maxdepth",
    "-mindepth",
    "-printf",
    "-fstype",
    "-lname",
    "-ilname",
    "-context",
    "-used",
    "-regextype",
    "-newermt",
    "-newerat",
    "-newerct",
    "-newermm",
    "-newerBt",
];

/// The actions of a `find` expression: the commands it runs, the files it removes,
/// writes or reads its list from.
fn find_expression(
    a: &mut Analyzer,
    args: &[Word],
    paths: &[Word],
    st: &State,
    cx: &Cx,
) -> Result<()> {
    let mut i = 0;
    while i < args.len() {
        let t = args[i].literal().unwrap_or("");
        i += 1;
        match t {
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let start = i;
                while i < args.len() && !matches!(args[i].literal(), Some(";" | "+")) {
                    i += 1;
                }
                let command = &args[start..i.min(args.len())];
                i += 1;
                if !command.is_empty() {
                    find_exec(a, t.ends_with("dir"), command, paths, st, cx)?;
                }
            }
            "-delete" => {
                for p in paths {
                    a.access(Kind::Write, st, cx, p);
                }
            }
            "-fprint" | "-fprint0" | "-fls" => {
                if let Some(f) = args.get(i) {
                    a.access(Kind::Write, st, cx, f);
                }
                i += 1;
            }
            "-fprintf" => {
                if let Some(f) = args.get(i) {
                    a.access(Kind::Write, st, cx, f);
                }
                i += 2;
            }
            "-files0-from" => {
                if let Some(f) = args.get(i) {
                    a.access(Kind::Read, st, cx, f);
                }
                i += 1;
            }
            t if FIND_VALUE_PREDICATES.contains(&t) => i += 1,
            _ => {}
        }
    }
    Ok(())
}

/// `-exec COMMAND ;` (or `+`), run once per start path with `{}` standing for it;
/// `in_dir` (`-execdir`, `-okdir`): run in each file's directory, somewhere under the
/// start path.
fn find_exec(
    a: &mut Analyzer,
    in_dir: bool,
    command: &[Word],
    paths: &[Word],
    st: &State,
    cx: &Cx,
) -> Result<()> {
    for path in paths {
        let argv: Vec<Word> = command
            .iter()
            .map(|w| match w.literal() {
                Some("{}") => path.clone(),
                Some(t) if t.contains("{}") => Word::Unknown(t.to_string()),
                _ => w.clone(),
            })
            .collect();
        let mut s = st.clone();
        if in_dir {
            // Each command runs in its file's directory, somewhere under the start
            // path, which `{}` still stands for.
            let mut cx2 = cx.clone();
            cx2.cwd_unknown = true;
            for w in &argv[1..] {
                if w == path {
                    a.access(Kind::Read, st, cx, path);
                }
            }
            run(a, &argv, &mut s, &cx2)?;
        } else {
            run(a, &argv, &mut s, cx)?;
        }
    }
    Ok(())
}

/// `tar`: create (`c`, `r`, `u`: operands read, the archive written), extract (`x`: the
/// archive read, the directory written), list (`t`: the archive read).
fn tar(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) {
    let value = [
        "-f",
        "--file",
        "-C",
        "--directory",
        "-T",
        "--files-from",
        "-X",
        "--exclude-from",
        "--exclude",
        "-b",
        "--blocking-factor",
        "-I",
        "--use-compress-program",
        "-K",
        "--starting-file",
        "-N",
        "--newer",
        "--after-date",
        "-L",
        "--tape-length",
        "-g",
        "--listed-incremental",
        "-H",
        "--format",
        "--owner",
        "--group",
        "--mode",
        "--mtime",
        "--transform",
        "--xform",
        "--strip-components",
        "-V",
        "--label",
        "--index-file",
    ];
    // Old style: the first word's letters are options, each value letter taking the
    // next word in turn (`tar czf out.tgz dir`).
    let mut expanded: Vec<Word> = Vec::new();
    let mut rest = args;
    if let Some(first) = args.first().and_then(Word::literal)
        && !first.starts_with('-')
    {
        let mut values = args[1..].iter();
        let mut consumed = 0;
        for c in first.chars() {
            expanded.push(Word::Path(format!("-{c}")));
            if value.contains(&format!("-{c}").as_str())
                && let Some(v) = values.next()
            {
                expanded.push(v.clone());
                consumed += 1;
            }
        }
        rest = &args[1 + consumed..];
    }
    expanded.extend(rest.iter().cloned());
    let p = parse_opts(&expanded, &value, NO, false);
    let mode = p.opts.iter().find_map(|(o, _)| match o.as_str() {
        "-c" | "--create" | "-r" | "--append" | "-u" | "--update" => Some('c'),
        "-x" | "--extract" | "--get" => Some('x'),
        "-t" | "--list" => Some('t'),
        "-d" | "--diff" | "--compare" => Some('d'),
        "-A" | "--catenate" | "--concatenate" => Some('c'),
        _ => None,
    });
    let mut cx2 = cx.clone();
    for d in p.values(&["-C", "--directory"]) {
        cx2 = cx2.with_chdir(d);
    }
    for f in p.values(&["-T", "--files-from", "-X", "--exclude-from"]) {
        a.access(Kind::Read, st, cx, f);
    }
    let archives: Vec<&Word> = p.values(&["-f", "--file"]).collect();
    match mode {
        Some('c') => {
            for f in &archives {
                a.access(Kind::Write, st, cx, f);
            }
            for w in &p.operands {
                a.access(Kind::Read, st, &cx2, w);
            }
            if p.operands.is_empty() {
                let what = if p.has(&["-T", "--files-from"]) {
                    Word::Unknown("(names listed in a file)".into())
                } else {
                    Word::Path(".".into())
                };
                a.access(Kind::Read, st, &cx2, &what);
            }
        }
        Some('x') => {
            for f in &archives {
                a.access(Kind::Read, st, cx, f);
            }
            if p.has(&["-O", "--to-stdout"]) {
                return;
            }
            if p.operands.is_empty() {
                a.access(Kind::Write, st, &cx2, &Word::Path(".".into()));
            }
            for w in &p.operands {
                a.access(Kind::Write, st, &cx2, w);
            }
        }
        _ => {
            for f in &archives {
                a.access(Kind::Read, st, cx, f);
            }
            for w in &p.operands {
                a.access(Kind::Read, st, &cx2, w);
            }
        }
    }
}

/// `zip [options] archive files...`: the files read (directories with `-r`), the
/// archive written.
fn zip(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) {
    let p = parse_opts(
        args,
        &[
            "-b", "-n", "-t", "-tt", "-x", "-i", "-P", "-O", "--out", "-Z", "-s", "-sp", "-U", "-z",
        ],
        NO,
        false,
    );
    if let Some((archive, files)) = p.operands.split_first() {
        a.access(Kind::Write, st, cx, archive);
        a.access(Kind::Read, st, cx, archive);
        for f in files {
            a.access(Kind::Read, st, cx, f);
        }
        if p.has(&["-@"]) {
            a.access(
                Kind::Read,
                st,
                cx,
                &Word::Unknown("(names read by zip)".into()),
            );
        }
    }
    for f in p.values(&["-O", "--out"]) {
        a.access(Kind::Write, st, cx, f);
    }
}

/// `curl`, `wget`, HTTPie: uploads and request bodies from files are reads (`-T f`,
/// `-d @f`, `-F name=@f`, `name@f`), downloads into files writes (`-o f`).
fn transfer(a: &mut Analyzer, name: &str, args: &[Word], st: &State, cx: &Cx) {
    match name {
        "curl" => curl(a, args, st, cx),
        "wget" => wget(a, args, st, cx),
        _ => httpie(a, args, st, cx),
    }
}

/// `@file` or `<file`: the file.
fn at_file(t: &str) -> Option<&str> {
    t.strip_prefix('@').or_else(|| t.strip_prefix('<'))
}

/// Reads the file of an upload or body; `file;type=text/plain` names `file`.
fn read_upload(a: &mut Analyzer, st: &State, cx: &Cx, t: &str) {
    let f = t.split(';').next().unwrap_or(t);
    a.access(Kind::Read, st, cx, &Word::Path(f.to_string()));
}

/// curl's options that take a value.
const CURL_VALUE: &[&str] = &[
    "-T",
    "--upload-file",
    "-d",
    "--data",
    "--data-binary",
    "--data-ascii",
    "--data-raw",
    "--data-urlencode",
    "--json",
    "-F",
    "--form",
    "--form-string",
    "-K",
    "--config",
    "-o",
    "--output",
    "-D",
    "--dump-header",
    "-c",
    "--cookie-jar",
    "-b",
    "--cookie",
    "--cacert",
    "--capath",
    "-E",
    "--cert",
    "--key",
    "--netrc-file",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--libcurl",
    "-w",
    "--write-out",
    "-H",
    "--header",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-X",
    "--request",
    "-u",
    "--user",
    "-x",
    "--proxy",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-r",
    "--range",
    "-C",
    "--continue-at",
    "-y",
    "-Y",
    "-z",
    "--time-cond",
    "--retry",
    "--resolve",
    "--url",
    "--output-dir",
    "--limit-rate",
    "--max-filesize",
    "--proxy-user",
    "--interface",
    "--dns-servers",
    "-Q",
    "--quote",
    "--variable",
    "--etag-save",
    "--etag-compare",
    "--hsts",
    "--alt-svc",
    "--proxy-cacert",
    "--proxy-cert",
    "--proxy-key",
    "--crlfile",
    "--pinnedpubkey",
    "--upload-flags",
    "--url-query",
];

/// curl options whose value, when known only at run time, may be a file curl reads.
const CURL_MAY_READ: &[&str] = &[
    "-T",
    "--upload-file",
    "-K",
    "--config",
    "-d",
    "--data",
    "--data-binary",
    "-F",
    "--form",
    "--json",
    "--data-urlencode",
];

/// What curl does with a known option value.
#[derive(Clone, Copy)]
enum CurlValue {
    /// Reads the files it lists, comma-separated, braces allowed (`{a,b}`).
    Files,
    /// Reads a file if the value is `@file` or `<file`; otherwise it is text.
    AtFile,
    /// A form field or variable: `name=@file`, `name=<file`, `name@file`, or a file.
    Field,
    /// Reads the file the cookies come from unless the value is cookies (`a=b`).
    Cookies,
    /// Writes the file or directory.
    Writes,
}

/// curl's value options that name files, by what curl does with the value.
const CURL_FILES: &[(&[&str], CurlValue)] = &[
    (
        &[
            "-T",
            "--upload-file",
            "-K",
            "--config",
            "--cacert",
            "-E",
            "--cert",
            "--key",
            "--netrc-file",
            "--proxy-cacert",
            "--proxy-cert",
            "--proxy-key",
            "--crlfile",
            "--etag-compare",
        ],
        CurlValue::Files,
    ),
    (
        &[
            "-d",
            "--data",
            "--data-binary",
            "--data-ascii",
            "--json",
            "-w",
            "--write-out",
            "-H",
            "--header",
            "--url-query",
        ],
        CurlValue::AtFile,
    ),
    (
        &["--data-urlencode", "-F", "--form", "--variable"],
        CurlValue::Field,
    ),
    (&["-b", "--cookie"], CurlValue::Cookies),
    (
        &[
            "-o",
            "--output",
            "-D",
            "--dump-header",
            "-c",
            "--cookie-jar",
            "--trace",
            "--trace-ascii",
            "--stderr",
            "--libcurl",
            "--etag-save",
            "--hsts",
            "--alt-svc",
            "--output-dir",
        ],
        CurlValue::Writes,
    ),
];

/// `curl`: the files its options name ([`CURL_FILES`]), `file://` URLs read, and a
/// file named by the server written with `-O`/`-J`.
fn curl(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) {
    let p = parse_opts(args, CURL_VALUE, NO, false);
    for (o, v) in &p.opts {
        let Some(v) = v else { continue };
        let Some(t) = v.literal() else {
            if CURL_MAY_READ.contains(&o.as_str()) {
                a.access(Kind::Read, st, cx, v);
            }
            continue;
        };
        let what = CURL_FILES
            .iter()
            .find(|(names, _)| names.contains(&o.as_str()))
            .map(|&(_, what)| what);
        match what {
            Some(CurlValue::Files) => {
                for f in t.split(',') {
                    read_upload(a, st, cx, f.trim_start_matches('{').trim_end_matches('}'));
                }
            }
            Some(CurlValue::AtFile) => {
                if let Some(f) = at_file(t) {
                    read_upload(a, st, cx, f);
                }
            }
            Some(CurlValue::Field) => {
                let v = t.split_once('=').map_or(t, |(_, v)| v);
                let v = t
                    .split_once('@')
                    .filter(|_| !t.contains('='))
                    .map_or(v, |(_, f)| f);
                if let Some(f) = at_file(v) {
                    read_upload(a, st, cx, f);
                } else if !t.contains('=') {
                    read_upload(a, st, cx, v);
                }
            }
            Some(CurlValue::Cookies) if !t.contains('=') => read_upload(a, st, cx, t),
            Some(CurlValue::Writes) => a.access(Kind::Write, st, cx, v),
            _ => {}
        }
    }
    if p.has(&["-O", "--remote-name", "--remote-name-all", "-J"]) {
        a.access(
            Kind::Write,
            st,
            cx,
            &Word::Unknown("(file named by the server)".into()),
        );
    }
    for w in &p.operands {
        if let Some(f) = w.literal().and_then(|t| t.strip_prefix("file://")) {
            read_upload(a, st, cx, f);
        }
    }
}

/// wget's options that take a value.
const WGET_VALUE: &[&str] = &[
    "--post-file",
    "--body-file",
    "-i",
    "--input-file",
    "-O",
    "--output-document",
    "-o",
    "--output-file",
    "-a",
    "--append-output",
    "-P",
    "--directory-prefix",
    "--load-cookies",
    "--save-cookies",
    "--certificate",
    "--private-key",
    "--ca-certificate",
    "-e",
    "--execute",
    "--header",
    "-U",
    "--user-agent",
    "--post-data",
    "--body-data",
    "--method",
    "-t",
    "--tries",
    "-T",
    "--timeout",
    "--user",
    "--password",
    "-w",
    "--wait",
    "-Q",
    "--quota",
    "--config",
    "-l",
    "--level",
    "-A",
    "--accept",
    "-R",
    "--reject",
    "-D",
    "--domains",
    "-I",
    "--include-directories",
    "-X",
    "--exclude-directories",
];

/// `wget`: the files its options read and write, and the download, named after the
/// URL unless `-O` names it.
fn wget(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) {
    let p = parse_opts(args, WGET_VALUE, NO, false);
    for (o, v) in &p.opts {
        let Some(v) = v else { continue };
        match o.as_str() {
            "--post-file" | "--body-file" | "-i" | "--input-file" | "--load-cookies"
            | "--certificate" | "--private-key" | "--ca-certificate" | "--config" => {
                a.access(Kind::Read, st, cx, v)
            }
            "-O" | "--output-document" | "-o" | "--output-file" | "-a" | "--append-output"
            | "-P" | "--directory-prefix" | "--save-cookies" => a.access(Kind::Write, st, cx, v),
            "-e" | "--execute" => {
                // A wgetrc command: `post_file=secrets/x`, `output_document=...`.
                let f = v.text().split_once('=').map_or(v.text(), |(_, f)| f);
                a.access(Kind::Read, st, cx, &Word::Path(f.trim().to_string()));
                a.access(Kind::Write, st, cx, &Word::Path(f.trim().to_string()));
            }
            _ => {}
        }
    }
    if !p.has(&["-O", "--output-document", "--spider"]) {
        a.access(
            Kind::Write,
            st,
            cx,
            &Word::Unknown("(file named after the URL)".into()),
        );
    }
}

/// HTTPie's (and xh's) options that take a value.
const HTTPIE_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-a",
    "--auth",
    "-A",
    "--auth-type",
    "--session",
    "--session-read-only",
    "--cert",
    "--cert-key",
    "--verify",
    "-p",
    "--print",
    "--pretty",
    "-s",
    "--style",
    "--timeout",
    "--proxy",
];

/// HTTPie / xh: `field=@file`, `field:=@file`, `@file` bodies, `--output`.
fn httpie(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) {
    let p = parse_opts(args, HTTPIE_VALUE, NO, false);
    for (o, v) in &p.opts {
        let Some(v) = v else { continue };
        match o.as_str() {
            "-o" | "--output" | "--session" => a.access(Kind::Write, st, cx, v),
            "--cert" | "--cert-key" | "--session-read-only" => a.access(Kind::Read, st, cx, v),
            _ => {}
        }
    }
    for w in &p.operands {
        let Some(t) = w.literal() else {
            a.access(Kind::Read, st, cx, w);
            continue;
        };
        if let Some(f) = t.strip_prefix('@') {
            read_upload(a, st, cx, f);
        } else if let Some(i) = t.find("=@").or_else(|| t.find(":=@")) {
            let f = &t[i..];
            read_upload(
                a,
                st,
                cx,
                f.trim_start_matches(":=@").trim_start_matches("=@"),
            );
        } else if let Some((_, f)) = t.split_once('@')
            && !t.contains("://")
        {
            read_upload(a, st, cx, f);
        }
    }
}

/// `socat ADDR ADDR`: file addresses are read and written; `EXEC:`/`SYSTEM:` run
/// commands, which are not analysed.
fn socat(a: &mut Analyzer, args: &[Word], st: &State, cx: &Cx) -> Result<()> {
    for w in args {
        let Some(t) = w.literal() else {
            a.access(Kind::Read, st, cx, w);
            continue;
        };
        if t.starts_with('-') && t.len() > 1 {
            continue;
        }
        let (kind, rest) = t.split_once(':').unwrap_or(("", t));
        let kind = kind.to_ascii_uppercase();
        match kind.as_str() {
            "EXEC" | "SYSTEM" | "SHELL" => {
                return Err(unparseable("socat EXEC/SYSTEM addresses are not analysed"));
            }
            "FILE" | "OPEN" | "GOPEN" | "CREATE" | "CREAT" | "PIPE" | "UNIX-CONNECT"
            | "UNIX-SENDTO" | "UNIX-CLIENT" => {
                let f = rest.split(',').next().unwrap_or(rest);
                a.access(Kind::Read, st, cx, &Word::Path(f.to_string()));
                a.access(Kind::Write, st, cx, &Word::Path(f.to_string()));
            }
            "" if !t.contains(':') && t != "-" && !t.eq_ignore_ascii_case("STDIO") => {
                let f = t.split(',').next().unwrap_or(t);
                a.access(Kind::Read, st, cx, &Word::Path(f.to_string()));
                a.access(Kind::Write, st, cx, &Word::Path(f.to_string()));
            }
            _ => {}
        }
    }
    Ok(())
}
