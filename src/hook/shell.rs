//! What a shell command line would do to files, found without running it: the Bash
//! tool's half of the runtime hook.
//!
//! The line is parsed with brush-parser (a bash-compatible parser) and walked as bash
//! would run it: `;`, `&&`, `||`, pipelines, subshells, `if`/`while`/`for`/`case`
//! bodies, functions, command and process substitutions, here-documents. The walk
//! tracks the working directory (`cd`, `pushd`, `popd`, with subshell scoping and the
//! chance that a `cd` fails), variables assigned in the same line, and positional
//! parameters; it recurses into `sh -c`/`bash -c` strings, `eval`, `trap` and
//! here-document-fed shells, and sees through wrappers (`timeout`, `env`, `sudo`,
//! `xargs`, `find -exec`, ...). What each program does with its operands is a table
//! in [`super::programs`].
//!
//! Fail closed: what cannot be parsed, is nested too deeply or would take too long is
//! [`Unparseable`] (the hook denies it); a word whose value is only known at run time is
//! [`Word::Unknown`], a directory that cannot be known is [`Cwd::Unknown`]. Unknown
//! programs' operands are reported as reads: over-reporting is safe, since words that
//! name nothing are dropped by the resolver, and under-reporting is a hole.
//!
//! Pure: no filesystem, no environment, no git. Must not import app, walk or manifest.

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use brush_parser::ParserOptions;
use brush_parser::ast;
use brush_parser::word::{
    self as bword, BraceExpressionMember, BraceExpressionOrText, Parameter, ParameterExpr,
    SpecialParameter, TildeExpr, WordPiece, WordPieceWithSource,
};

/// What one command line would do to a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// Reads the operand (a file, or every file under it if it is a directory), or sends
    /// it somewhere (an upload, a copy's source).
    Read(Operand),
    /// Writes, creates, truncates, deletes, moves onto or changes the metadata of it (a
    /// directory: anything under it).
    Write(Operand),
    /// Reveals only the names and metadata of the operand and, for a directory, of what
    /// is under it, not their content (`ls`, `find` without an action that reads, `tree`,
    /// `du`, `stat`).
    List(Operand),
    /// Prints content of the files git reports as changed in the work tree (`git diff`,
    /// `git diff --cached`, `git diff HEAD`, ... without path operands): the resolver asks
    /// git. `staged`: the index against `HEAD` (`--cached`, `--staged`, `HEAD`) rather
    /// than the work tree against the index; `git diff HEAD` gives both.
    GitChanged { cwd: Cwd, staged: bool },
}

/// A word naming a file, and the directory it is relative to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operand {
    pub cwd: Cwd,
    pub word: Word,
}

/// The directory a relative operand is taken from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cwd {
    /// The session's working directory.
    Session,
    /// After `cd` (or `git -C`, `env -C`, `tar -C`, ...): a directory as written, absolute
    /// or relative to the session's working directory, its components joined with `/`
    /// and `..` kept as written (bash's `cd` applies `..` to the text, the kernel to the
    /// directory it reached: judge both). `~` and `~/x` are left for the resolver to
    /// expand.
    Dir(String),
    /// The top of the git work tree that contains this directory: `git show REV:path`
    /// and `:/path` pathspecs name paths from there.
    GitRoot(Box<Cwd>),
    /// Cannot be known statically (`cd "$X"`, `pushd +1`, `find -execdir`, a loop
    /// that keeps changing directory, more possible directories than are tracked).
    Unknown,
}

/// One operand after the shell's expansions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Word {
    /// A literal path after quote removal (may start with `~`).
    Path(String),
    /// Contains unquoted glob characters (`*`, `?`, `[`, extglob groups): a pattern in
    /// which quoted glob characters are escaped with `\`. The resolver expands it
    /// against the disk (or takes the longest literal directory prefix as a directory
    /// operand).
    Glob(String),
    /// Depends on run-time values (`$VAR` not assigned earlier in the same line,
    /// `$(...)`, backticks, arithmetic, process substitution, `xargs` input): the
    /// resolver fails closed (tier 1). Holds the word as written.
    Unknown(String),
}

impl Word {
    /// The literal text, the pattern, or the word as written.
    pub fn text(&self) -> &str {
        match self {
            Word::Path(s) | Word::Glob(s) | Word::Unknown(s) => s,
        }
    }

    /// The literal text, if the word is one.
    pub fn literal(&self) -> Option<&str> {
        match self {
            Word::Path(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a command line cannot be analysed; the hook denies it with this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparseable {
    pub reason: String,
}

impl std::fmt::Display for Unparseable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

pub(super) fn unparseable(reason: impl Into<String>) -> Unparseable {
    Unparseable {
        reason: reason.into(),
    }
}

pub(super) type Result<T> = std::result::Result<T, Unparseable>;

/// Longer command lines are not analysed (a tool call is a few hundred bytes).
const MAX_COMMAND_BYTES: usize = 64 * 1024;
/// Nested shells: `sh -c`, `eval`, command substitutions, function calls.
pub(super) const MAX_DEPTH: usize = 8;
/// Brackets and compound commands nested in one parse (the parser recurses).
const MAX_NESTING: usize = 200;
/// Parentheses open at once in one parse (the parser's backtracking doubles with each).
const MAX_PARENS: usize = 12;
/// Possible working directories kept apart before they collapse into `Unknown`.
const MAX_WORLDS: usize = 8;
/// Commands visited in one analysis (loops, functions and nested shells multiply them).
const MAX_STEPS: usize = 20_000;
/// Fields one word may expand to (brace expansion) and `for` values followed one by one.
pub(super) const MAX_FIELDS: usize = 256;
/// Unquoted `{` in one word the brace expansion reads: the parser's time grows
/// exponentially with unbalanced ones (16 take half a second), and no command a person
/// writes needs more.
const MAX_BRACES: usize = 8;
/// How long the analysis of one command may take before it is refused (fail closed):
/// whatever the bounds above miss, the hook answers in time.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);
/// Iterations of a loop body before its state is widened.
const MAX_LOOP_ROUNDS: usize = 4;

/// The stack the analysis runs on: the parser and the walk recurse once per nesting
/// level, and running out of stack aborts the process, which the agent would take as
/// a hook that merely failed. Reserved, not committed, memory.
const STACK_BYTES: usize = 64 << 20;

/// What `command` would read and write, in the order the shell would get to them
/// (each access once).
pub fn analyze(command: &str) -> std::result::Result<Vec<Access>, Unparseable> {
    if command.len() > MAX_COMMAND_BYTES {
        return Err(unparseable(format!(
            "the command is longer than {MAX_COMMAND_BYTES} bytes"
        )));
    }
    let owned = command.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("tiergate-shell".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let r = std::panic::catch_unwind(|| analyze_here(&owned));
            // The receiver may have given up (the deadline): nothing to tell then.
            let _ = tx.send(r);
        })
        .map_err(|e| unparseable(format!("the shell analysis could not start: {e}")))?;
    match rx.recv_timeout(DEADLINE) {
        Ok(Ok(r)) => r,
        Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err(unparseable("the shell analysis failed on this command"))
        }
        // The worker is left to finish on its own; the answer does not wait for it.
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(unparseable(format!(
            "the shell analysis took longer than {} s",
            DEADLINE.as_secs()
        ))),
    }
}

fn analyze_here(command: &str) -> std::result::Result<Vec<Access>, Unparseable> {
    let mut a = Analyzer::default();
    let mut st = State::session();
    a.script(command, &mut st, 0)?;
    Ok(a.out)
}

/// One possible working directory and directory stack.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct World {
    pub cwd: Cwd,
    /// `pushd`'s stack, top last; below it the session's own stack, unknown.
    pub stack: Vec<Cwd>,
    /// `$OLDPWD` (`cd -`), if this line set it.
    pub old: Option<Cwd>,
}

impl World {
    fn unknown() -> World {
        World {
            cwd: Cwd::Unknown,
            stack: Vec::new(),
            old: None,
        }
    }
}

/// A function defined by the line, compared by identity.
#[derive(Debug, Clone)]
pub(super) struct Function(pub Rc<ast::FunctionBody>);

impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The shell's state at one point of the walk: every working directory it may be in,
/// the variables the line assigned, the positional parameters and functions.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct State {
    pub worlds: Vec<World>,
    /// Variables assigned in this line; absent ones come from the environment.
    pub vars: BTreeMap<String, Word>,
    /// `$1`...: `None` when not known (the session's own, a function called from
    /// somewhere not followed).
    pub positional: Option<Vec<Word>>,
    /// `$0`.
    pub arg0: Option<Word>,
    pub functions: BTreeMap<String, Function>,
}

impl State {
    fn session() -> State {
        State {
            worlds: vec![World {
                cwd: Cwd::Session,
                stack: Vec::new(),
                old: None,
            }],
            vars: BTreeMap::new(),
            positional: None,
            arg0: None,
            functions: BTreeMap::new(),
        }
    }

    /// A child shell (`bash -c`, `xargs sh -c`): same directories, functions (exported
    /// or not: the stricter reading), no shell variables, the given parameters.
    pub fn child(&self, arg0: Option<Word>, positional: Option<Vec<Word>>) -> State {
        State {
            worlds: self.worlds.clone(),
            vars: BTreeMap::new(),
            positional,
            arg0,
            functions: self.functions.clone(),
        }
    }

    /// The state after one of two paths was taken.
    pub fn join(&self, other: &State) -> State {
        let mut worlds = self.worlds.clone();
        for w in &other.worlds {
            if !worlds.contains(w) {
                worlds.push(w.clone());
            }
        }
        if worlds.len() > MAX_WORLDS {
            worlds = vec![World::unknown()];
        }
        let mut vars = BTreeMap::new();
        for (k, v) in &self.vars {
            let same = other.vars.get(k) == Some(v);
            vars.insert(
                k.clone(),
                if same {
                    v.clone()
                } else {
                    Word::Unknown(format!("${k}"))
                },
            );
        }
        for k in other.vars.keys() {
            vars.entry(k.clone())
                .or_insert_with(|| Word::Unknown(format!("${k}")));
        }
        let mut functions = self.functions.clone();
        for (k, v) in &other.functions {
            functions.entry(k.clone()).or_insert_with(|| v.clone());
        }
        State {
            worlds,
            vars,
            positional: if self.positional == other.positional {
                self.positional.clone()
            } else {
                None
            },
            arg0: if self.arg0 == other.arg0 {
                self.arg0.clone()
            } else {
                None
            },
            functions,
        }
    }

    /// Every directory the state may be in becomes `Unknown`, every variable that
    /// differs from `from` unknown: a loop that keeps changing them.
    fn widen(&self, from: &State) -> State {
        let mut out = self.join(from);
        if self.worlds != from.worlds {
            out.worlds = vec![World::unknown()];
        }
        out
    }

    pub fn set_var(&mut self, name: &str, value: Word) {
        self.vars.insert(name.to_string(), value);
    }

    /// Every variable unknown (after `source`, `read` of many names...).
    pub fn forget_vars(&mut self) {
        for (k, v) in self.vars.iter_mut() {
            *v = Word::Unknown(format!("${k}"));
        }
        self.positional = None;
    }

    /// Moves every world by `cd DIR` (`None`: to an unknown directory).
    pub fn chdir(&mut self, to: Option<&Word>) {
        for w in &mut self.worlds {
            let next = match to {
                Some(word) => w.cwd.join(word),
                None => Cwd::Unknown,
            };
            w.old = Some(std::mem::replace(&mut w.cwd, next));
        }
        self.dedup_worlds();
    }

    pub fn dedup_worlds(&mut self) {
        let mut seen = Vec::new();
        for w in self.worlds.drain(..) {
            if !seen.contains(&w) {
                seen.push(w);
            }
        }
        self.worlds = if seen.len() > MAX_WORLDS {
            vec![World::unknown()]
        } else {
            seen
        };
    }
}

impl Cwd {
    /// The directory `cd WORD` reaches from here.
    pub fn join(&self, word: &Word) -> Cwd {
        let Word::Path(dir) = word else {
            return Cwd::Unknown;
        };
        if dir.starts_with('/') || dir.starts_with('~') {
            return Cwd::Dir(trim_slashes(dir));
        }
        if dir.is_empty() || dir == "." || dir == "./" {
            return self.clone();
        }
        match self {
            Cwd::Session => Cwd::Dir(trim_slashes(dir)),
            Cwd::Dir(d) => Cwd::Dir(format!("{}/{}", d.trim_end_matches('/'), trim_slashes(dir))),
            Cwd::GitRoot(_) | Cwd::Unknown => Cwd::Unknown,
        }
    }
}

fn trim_slashes(s: &str) -> String {
    let t = s.trim_end_matches('/');
    if t.is_empty() { "/".into() } else { t.into() }
}

/// Where a command's standard input comes from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Stdin {
    /// The shell's own (not a file the line names).
    Inherited,
    /// A pipe from the previous command, or a file redirection.
    Redirected,
    /// A here-document or here-string: its text when it is known.
    Text(Option<String>),
}

/// How one command is run, beyond the shell's state.
#[derive(Debug, Clone)]
pub(super) struct Cx {
    pub depth: usize,
    pub stdin: Stdin,
    /// Directories entered for this command only (`env -C`, `git -C`, `tar -C`).
    pub chdir: Vec<Word>,
    /// Relative operands are taken from an unknown directory (`find -execdir`).
    pub cwd_unknown: bool,
}

impl Cx {
    pub fn with_chdir(&self, dir: &Word) -> Cx {
        let mut cx = self.clone();
        cx.chdir.push(dir.clone());
        cx
    }
}

#[derive(Clone, Copy)]
pub(super) enum Kind {
    Read,
    Write,
    List,
}

/// Devices and descriptors that are not files of the tree.
fn is_device(path: &str) -> bool {
    matches!(
        path,
        "-" | "/dev/null"
            | "/dev/stdin"
            | "/dev/stdout"
            | "/dev/stderr"
            | "/dev/tty"
            | "/dev/zero"
            | "/dev/full"
            | "/dev/random"
            | "/dev/urandom"
    ) || path.starts_with("/dev/fd/")
}

#[derive(Default)]
pub(super) struct Analyzer {
    out: Vec<Access>,
    seen: HashSet<Access>,
    steps: usize,
}

/// How a word is expanded.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Mode {
    /// A command's word: brace expansion, field splitting, pathname expansion.
    Fields,
    /// An assignment's value, a here-string, a `case` word: one field, no globbing.
    Single,
}

impl Analyzer {
    fn push(&mut self, a: Access) {
        if self.seen.insert(a.clone()) {
            self.out.push(a);
        }
    }

    /// Records that the command reads/writes/lists `word`, from every directory the
    /// shell may be in.
    pub fn access(&mut self, kind: Kind, st: &State, cx: &Cx, word: &Word) {
        if word.text().is_empty() {
            return;
        }
        if let Word::Path(p) = word
            && is_device(p)
        {
            return;
        }
        let worlds: Vec<Cwd> = st.worlds.iter().map(|w| w.cwd.clone()).collect();
        for base in worlds {
            let cwd = if cx.cwd_unknown {
                Cwd::Unknown
            } else {
                cx.chdir.iter().fold(base, |c, d| c.join(d))
            };
            let op = Operand {
                cwd,
                word: word.clone(),
            };
            self.push(match kind {
                Kind::Read => Access::Read(op),
                Kind::Write => Access::Write(op),
                Kind::List => Access::List(op),
            });
        }
    }

    /// Records a read of `path` relative to the top of the git work tree.
    pub fn git_root_read(&mut self, st: &State, cx: &Cx, path: &str) {
        let worlds: Vec<Cwd> = st.worlds.iter().map(|w| w.cwd.clone()).collect();
        for base in worlds {
            let cwd = cx.chdir.iter().fold(base, |c, d| c.join(d));
            let cwd = if cx.cwd_unknown { Cwd::Unknown } else { cwd };
            self.push(Access::Read(Operand {
                cwd: Cwd::GitRoot(Box::new(cwd)),
                word: Word::Path(if path.is_empty() {
                    ".".into()
                } else {
                    path.into()
                }),
            }));
        }
    }

    pub fn git_changed(&mut self, st: &State, cx: &Cx, staged: bool) {
        let worlds: Vec<Cwd> = st.worlds.iter().map(|w| w.cwd.clone()).collect();
        for base in worlds {
            let cwd = cx.chdir.iter().fold(base, |c, d| c.join(d));
            let cwd = if cx.cwd_unknown { Cwd::Unknown } else { cwd };
            self.push(Access::GitChanged { cwd, staged });
        }
    }

    fn step(&mut self) -> Result<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(unparseable(
                "the command is too large to analyse (too many commands, loops or nested shells)",
            ));
        }
        Ok(())
    }

    /// Parses and walks a script in the current shell (`eval`, `sh -c` with a child
    /// state, `trap`, here-document-fed shells).
    pub fn script(&mut self, text: &str, st: &mut State, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(unparseable(format!(
                "shells nested more than {MAX_DEPTH} deep (sh -c, eval, $(...), functions)"
            )));
        }
        self.step()?;
        let program = parse(text)?;
        for list in &program.complete_commands {
            let (ok, fail) = self.list(list, st, depth)?;
            *st = ok.join(&fail);
        }
        Ok(())
    }

    /// Runs a function's body in the current shell (the caller set the parameters).
    pub fn function_body(
        &mut self,
        body: &ast::FunctionBody,
        st: &mut State,
        d: usize,
    ) -> Result<(State, State)> {
        if d > MAX_DEPTH {
            return Err(unparseable(format!(
                "functions call each other more than {MAX_DEPTH} deep"
            )));
        }
        self.step()?;
        let mut cx = self.cx(d, false);
        if let Some(r) = &body.1 {
            for r in &r.0 {
                self.redirect(r, st, &mut cx)?;
            }
        }
        self.compound(&body.0, st, d)
    }

    /// A compound list; returns the states after its last command succeeded / failed.
    fn list(&mut self, list: &ast::CompoundList, st: &State, d: usize) -> Result<(State, State)> {
        let mut cur = st.clone();
        let mut last = (st.clone(), st.clone());
        for ast::CompoundListItem(aol, sep) in &list.0 {
            if matches!(sep, ast::SeparatorOperator::Async) {
                // A background job runs in a subshell: its `cd` stays there.
                self.and_or(aol, &cur, d)?;
                last = (cur.clone(), cur.clone());
            } else {
                last = self.and_or(aol, &cur, d)?;
                cur = last.0.join(&last.1);
            }
        }
        Ok(last)
    }

    fn and_or(&mut self, aol: &ast::AndOrList, st: &State, d: usize) -> Result<(State, State)> {
        let (mut ok, mut fail) = self.pipeline(&aol.first, st, d)?;
        for next in &aol.additional {
            match next {
                ast::AndOr::And(p) => {
                    let (o, f) = self.pipeline(p, &ok, d)?;
                    ok = o;
                    fail = fail.join(&f);
                }
                ast::AndOr::Or(p) => {
                    let (o, f) = self.pipeline(p, &fail, d)?;
                    ok = ok.join(&o);
                    fail = f;
                }
            }
        }
        Ok((ok, fail))
    }

    fn pipeline(&mut self, p: &ast::Pipeline, st: &State, d: usize) -> Result<(State, State)> {
        self.step()?;
        if let [only] = p.seq.as_slice() {
            let (o, f) = self.command(only, st, d, false)?;
            return Ok(if p.bang { (f, o) } else { (o, f) });
        }
        // Each command of a pipeline runs in its own subshell.
        for (i, c) in p.seq.iter().enumerate() {
            self.command(c, st, d, i > 0)?;
        }
        Ok((st.clone(), st.clone()))
    }

    fn command(
        &mut self,
        c: &ast::Command,
        st: &State,
        d: usize,
        piped: bool,
    ) -> Result<(State, State)> {
        match c {
            ast::Command::Simple(sc) => self.simple(sc, st, d, piped),
            ast::Command::Compound(cc, redirects) => {
                let mut s = st.clone();
                let mut cx = self.cx(d, piped);
                if let Some(r) = redirects {
                    for r in &r.0 {
                        self.redirect(r, &mut s, &mut cx)?;
                    }
                }
                self.compound(cc, &s, d)
            }
            ast::Command::Function(f) => {
                let mut s = st.clone();
                let name = f.fname.value.clone();
                s.functions.insert(name, Function(Rc::new(f.body.clone())));
                Ok((s.clone(), s))
            }
            ast::Command::ExtendedTest(t, redirects) => {
                let mut s = st.clone();
                let mut cx = self.cx(d, piped);
                if let Some(r) = redirects {
                    for r in &r.0 {
                        self.redirect(r, &mut s, &mut cx)?;
                    }
                }
                self.test_expr(&t.expr, &mut s, d)?;
                Ok((s.clone(), s))
            }
        }
    }

    fn cx(&self, d: usize, piped: bool) -> Cx {
        Cx {
            depth: d,
            stdin: if piped {
                Stdin::Redirected
            } else {
                Stdin::Inherited
            },
            chdir: Vec::new(),
            cwd_unknown: false,
        }
    }

    /// `[[ ... ]]`: file tests reveal no content; words may run substitutions.
    fn test_expr(&mut self, e: &ast::ExtendedTestExpr, st: &mut State, d: usize) -> Result<()> {
        match e {
            ast::ExtendedTestExpr::And(a, b) | ast::ExtendedTestExpr::Or(a, b) => {
                self.test_expr(a, st, d)?;
                self.test_expr(b, st, d)
            }
            ast::ExtendedTestExpr::Not(a) | ast::ExtendedTestExpr::Parenthesized(a) => {
                self.test_expr(a, st, d)
            }
            ast::ExtendedTestExpr::UnaryTest(_, w) => {
                self.expand(&w.value, st, d, Mode::Single)?;
                Ok(())
            }
            ast::ExtendedTestExpr::BinaryTest(_, a, b) => {
                self.expand(&a.value, st, d, Mode::Single)?;
                self.expand(&b.value, st, d, Mode::Single)?;
                Ok(())
            }
        }
    }

    fn compound(
        &mut self,
        cc: &ast::CompoundCommand,
        st: &State,
        d: usize,
    ) -> Result<(State, State)> {
        use ast::CompoundCommand as C;
        match cc {
            C::BraceGroup(g) => self.list(&g.list, st, d),
            C::Subshell(s) => {
                self.list(&s.list, st, d)?;
                Ok((st.clone(), st.clone()))
            }
            C::Arithmetic(a) => {
                self.arith(&a.expr.value, st, d)?;
                Ok((st.clone(), st.clone()))
            }
            C::ArithmeticForClause(f) => {
                for e in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    arithmetic(&e.value)?;
                }
                let out = self.repeat(st, d, |a, s| {
                    let (o, f) = a.list(&f.body.list, s, d)?;
                    Ok(o.join(&f))
                })?;
                Ok((out.clone(), out))
            }
            C::ForClause(f) => self.for_loop(f, st, d),
            C::CaseClause(c) => {
                let mut s = st.clone();
                self.expand(&c.value.value, &mut s, d, Mode::Single)?;
                let mut out = s.clone();
                for item in &c.cases {
                    let mut si = s.clone();
                    for p in &item.patterns {
                        self.expand(&p.value, &mut si, d, Mode::Single)?;
                    }
                    if let Some(body) = &item.cmd {
                        let (o, f) = self.list(body, &si, d)?;
                        out = out.join(&o.join(&f));
                    }
                }
                Ok((out.clone(), out))
            }
            C::IfClause(i) => {
                let (ok, mut fail) = self.list(&i.condition, st, d)?;
                let (o, f) = self.list(&i.then, &ok, d)?;
                let mut out = o.join(&f);
                let mut open = true;
                for e in i.elses.iter().flatten() {
                    match &e.condition {
                        Some(c) => {
                            let (ok, f2) = self.list(c, &fail, d)?;
                            let (o, f) = self.list(&e.body, &ok, d)?;
                            out = out.join(&o.join(&f));
                            fail = f2;
                        }
                        None => {
                            let (o, f) = self.list(&e.body, &fail, d)?;
                            out = out.join(&o.join(&f));
                            open = false;
                        }
                    }
                }
                if open {
                    out = out.join(&fail);
                }
                Ok((out.clone(), out))
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                let until = matches!(cc, C::UntilClause(_));
                let out = self.repeat(st, d, |a, s| {
                    let (ok, fail) = a.list(&w.0, s, d)?;
                    let (enter, leave) = if until { (fail, ok) } else { (ok, fail) };
                    let (o, f) = a.list(&w.1.list, &enter, d)?;
                    Ok(o.join(&f).join(&leave))
                })?;
                Ok((out.clone(), out))
            }
            C::Coprocess(c) => {
                self.command(&c.body, st, d, false)?;
                Ok((st.clone(), st.clone()))
            }
        }
    }

    /// Runs a loop body until the state stops changing; past [`MAX_LOOP_ROUNDS`] the
    /// directories and changed variables become unknown and the body runs once more.
    fn repeat(
        &mut self,
        st: &State,
        _d: usize,
        mut body: impl FnMut(&mut Self, &State) -> Result<State>,
    ) -> Result<State> {
        let mut cur = st.clone();
        for _ in 0..MAX_LOOP_ROUNDS {
            let next = cur.join(&body(self, &cur)?);
            if next == cur {
                return Ok(cur);
            }
            cur = next;
        }
        let wide = cur.widen(st);
        let after = body(self, &wide)?;
        Ok(wide.join(&after))
    }

    fn for_loop(
        &mut self,
        f: &ast::ForClauseCommand,
        st: &State,
        d: usize,
    ) -> Result<(State, State)> {
        let mut s = st.clone();
        let values: Option<Vec<Word>> = match &f.values {
            Some(words) => {
                let mut v = Vec::new();
                for w in words {
                    v.extend(self.expand(&w.value, &mut s, d, Mode::Fields)?);
                }
                Some(v)
            }
            None => s.positional.clone(),
        };
        let name = f.variable_name.clone();
        match values {
            Some(values) if values.len() <= MAX_FIELDS => {
                // Iterations run one after the other; `break` may leave after any.
                let mut cur = s.clone();
                let mut out = s.clone();
                for v in values {
                    cur.set_var(&name, v);
                    let (o, fl) = self.list(&f.body.list, &cur, d)?;
                    cur = o.join(&fl);
                    out = out.join(&cur);
                }
                Ok((out.clone(), out))
            }
            _ => {
                s.set_var(&name, Word::Unknown(format!("${name}")));
                let out = self.repeat(&s, d, |a, s| {
                    let (o, f) = a.list(&f.body.list, s, d)?;
                    Ok(o.join(&f))
                })?;
                Ok((out.clone(), out))
            }
        }
    }

    fn simple(
        &mut self,
        sc: &ast::SimpleCommand,
        st: &State,
        d: usize,
        piped: bool,
    ) -> Result<(State, State)> {
        self.step()?;
        let mut s = st.clone();
        let mut cx = self.cx(d, piped);
        let mut assigns: Vec<&ast::Assignment> = Vec::new();
        let mut items: Vec<&ast::CommandPrefixOrSuffixItem> = Vec::new();
        if let Some(p) = &sc.prefix {
            items.extend(p.0.iter());
        }
        let name_item;
        if let Some(w) = &sc.word_or_name {
            name_item = ast::CommandPrefixOrSuffixItem::Word(w.clone());
            items.push(&name_item);
        }
        if let Some(x) = &sc.suffix {
            items.extend(x.0.iter());
        }
        let declaration = sc.word_or_name.as_ref().is_some_and(|w| {
            matches!(
                w.value.as_str(),
                "export" | "declare" | "typeset" | "local" | "readonly"
            )
        });
        // Words first, then redirections, in the order written; the command's own
        // assignments apply to its environment, not to the expansion of its words.
        let mut argv: Vec<Word> = Vec::new();
        let mut declared: Vec<(String, Word)> = Vec::new();
        let mut redirects: Vec<&ast::IoRedirect> = Vec::new();
        for item in &items {
            match item {
                ast::CommandPrefixOrSuffixItem::Word(w) => {
                    if declaration
                        && !argv.is_empty()
                        && let Some((n, v)) = split_assignment(&w.value)
                    {
                        let value = self.expand_single(v, &mut s, d)?;
                        declared.push((n.to_string(), value));
                        argv.push(Word::Path(format!("{n}=")));
                        continue;
                    }
                    argv.extend(self.expand(&w.value, &mut s, d, Mode::Fields)?);
                }
                ast::CommandPrefixOrSuffixItem::AssignmentWord(a, w) => {
                    if sc.word_or_name.is_some() && !argv.is_empty() {
                        // `declare x=1` style words after the command name.
                        if let Some((n, v)) = split_assignment(&w.value) {
                            let value = self.expand_single(v, &mut s, d)?;
                            if declaration {
                                declared.push((n.to_string(), value.clone()));
                            }
                            argv.push(Word::Path(format!("{n}={}", value.text())));
                        } else {
                            argv.extend(self.expand(&w.value, &mut s, d, Mode::Fields)?);
                        }
                    } else {
                        assigns.push(a);
                    }
                }
                ast::CommandPrefixOrSuffixItem::ProcessSubstitution(_, sub) => {
                    self.list(&sub.list, &s, d + 1)?;
                    argv.push(Word::Path("/dev/fd/63".into()));
                }
                ast::CommandPrefixOrSuffixItem::IoRedirect(r) => redirects.push(r),
            }
        }
        for r in redirects {
            self.redirect(r, &mut s, &mut cx)?;
        }
        let mut values = Vec::new();
        for a in assigns {
            values.push(self.assignment(a, &mut s, d)?);
        }
        if argv.is_empty() {
            for (name, v) in values {
                if let Some(name) = name {
                    s.set_var(&name, v);
                }
            }
            return Ok((s.clone(), s));
        }
        for (name, v) in declared {
            s.set_var(&name, v);
        }
        super::programs::run(self, &argv, &mut s, &cx)
    }

    /// An assignment's name (if a plain variable) and value.
    fn assignment(
        &mut self,
        a: &ast::Assignment,
        st: &mut State,
        d: usize,
    ) -> Result<(Option<String>, Word)> {
        let name = match &a.name {
            ast::AssignmentName::VariableName(n) => Some(n.clone()),
            ast::AssignmentName::ArrayElementName(..) => None,
        };
        let value = match &a.value {
            ast::AssignmentValue::Scalar(w) => self.expand_single(&w.value, st, d)?,
            ast::AssignmentValue::Array(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expand(&k.value, st, d, Mode::Single)?;
                    }
                    self.expand(&v.value, st, d, Mode::Fields)?;
                }
                Word::Unknown("(array)".into())
            }
        };
        let value = if a.append {
            Word::Unknown(format!("${}", name.as_deref().unwrap_or("")))
        } else {
            value
        };
        Ok((name, value))
    }

    /// Expands to exactly one word (assignment values, here-strings).
    pub fn expand_single(&mut self, raw: &str, st: &mut State, d: usize) -> Result<Word> {
        let mut fields = self.expand(raw, st, d, Mode::Single)?;
        Ok(if fields.len() == 1 {
            fields.remove(0)
        } else if fields.is_empty() {
            Word::Path(String::new())
        } else {
            Word::Unknown(raw.to_string())
        })
    }

    fn redirect(&mut self, r: &ast::IoRedirect, st: &mut State, cx: &mut Cx) -> Result<()> {
        let d = cx.depth;
        let stdin_fd = |fd: &Option<i32>| fd.is_none_or(|f| f == 0);
        match r {
            ast::IoRedirect::File(fd, kind, target) => {
                use ast::IoFileRedirectKind as K;
                let words = match target {
                    ast::IoFileRedirectTarget::Filename(w) => {
                        self.expand(&w.value, st, d, Mode::Fields)?
                    }
                    ast::IoFileRedirectTarget::Fd(_) => return Ok(()),
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                        self.list(&sub.list, st, d + 1)?;
                        if matches!(kind, K::Read) && stdin_fd(fd) {
                            cx.stdin = Stdin::Redirected;
                        }
                        return Ok(());
                    }
                    ast::IoFileRedirectTarget::Duplicate(w) => {
                        let words = self.expand(&w.value, st, d, Mode::Fields)?;
                        // `>&2`, `<&-`: descriptors; `>&file` is `&>file`.
                        if words.iter().all(|w| {
                            w.literal().is_some_and(|t| {
                                t == "-"
                                    || t.trim_end_matches('-').chars().all(|c| c.is_ascii_digit())
                            })
                        }) {
                            return Ok(());
                        }
                        words
                    }
                };
                for w in &words {
                    match kind {
                        K::Read | K::DuplicateInput => {
                            self.access(Kind::Read, st, cx, w);
                            if stdin_fd(fd) {
                                cx.stdin = Stdin::Redirected;
                            }
                        }
                        K::ReadAndWrite => {
                            self.access(Kind::Read, st, cx, w);
                            self.access(Kind::Write, st, cx, w);
                        }
                        K::Write | K::Append | K::Clobber | K::DuplicateOutput => {
                            self.access(Kind::Write, st, cx, w)
                        }
                    }
                }
            }
            ast::IoRedirect::HereDocument(fd, doc) => {
                let text = if doc.requires_expansion {
                    self.heredoc(&doc.doc.value, st, d)?
                } else {
                    Some(doc.doc.value.clone())
                };
                if stdin_fd(fd) {
                    cx.stdin = Stdin::Text(text);
                }
            }
            ast::IoRedirect::HereString(fd, w) => {
                let word = self.expand_single(&w.value, st, d)?;
                if stdin_fd(fd) {
                    cx.stdin = Stdin::Text(word.literal().map(|t| format!("{t}\n")));
                }
            }
            ast::IoRedirect::OutputAndError(w, _) => {
                for w in self.expand(&w.value, st, d, Mode::Fields)? {
                    self.access(Kind::Write, st, cx, &w);
                }
            }
        }
        Ok(())
    }

    /// An unquoted here-document's body after expansion: its command substitutions run;
    /// the text is known only if nothing in it depends on run-time values.
    fn heredoc(&mut self, body: &str, st: &mut State, d: usize) -> Result<Option<String>> {
        let pieces = guarded(|| bword::parse_heredoc(body, &options()).map_err(|e| e.to_string()))?;
        let mut b = Fields::new(Mode::Single);
        for p in &pieces {
            self.piece(&p.piece, body, p, st, d, true, &mut b)?;
        }
        let fields = b.finish(body);
        Ok(match fields.as_slice() {
            [Word::Path(t)] | [Word::Glob(t)] => Some(t.clone()),
            [] => Some(String::new()),
            _ => None,
        })
    }

    /// The fields a word expands to; command substitutions in it are analysed (their
    /// accesses recorded) from the current state.
    pub fn expand(&mut self, raw: &str, st: &mut State, d: usize, mode: Mode) -> Result<Vec<Word>> {
        let alternatives = if mode == Mode::Fields && raw.contains('{') {
            brace_expand(raw)?
        } else {
            vec![raw.to_string()]
        };
        let mut out = Vec::new();
        for alt in &alternatives {
            let pieces = guarded(|| bword::parse(alt, &options()).map_err(|e| e.to_string()))?;
            let mut b = Fields::new(mode);
            for p in &pieces {
                self.piece(&p.piece, alt, p, st, d, false, &mut b)?;
            }
            out.extend(b.finish(raw));
        }
        if out.len() > MAX_FIELDS {
            return Err(unparseable(format!(
                "`{raw}` expands to more than {MAX_FIELDS} words"
            )));
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn piece(
        &mut self,
        piece: &WordPiece,
        src: &str,
        at: &WordPieceWithSource,
        st: &mut State,
        d: usize,
        quoted: bool,
        b: &mut Fields,
    ) -> Result<()> {
        match piece {
            WordPiece::Text(t) => b.text(t, !quoted),
            WordPiece::SingleQuotedText(t) => b.text(t, false),
            WordPiece::AnsiCQuotedText(t) => match ansi_c(t) {
                Some(t) => b.text(&t, false),
                None => b.unknown(),
            },
            WordPiece::DoubleQuotedSequence(ps) | WordPiece::GettextDoubleQuotedSequence(ps) => {
                b.quoted_start();
                for p in ps {
                    self.piece(&p.piece, src, p, st, d, true, b)?;
                }
            }
            WordPiece::TildeExpansion(t) => match t {
                TildeExpr::Home => b.text("~", false),
                TildeExpr::UserHome(u) => b.text(&format!("~{u}"), false),
                TildeExpr::WorkingDir => b.text(".", false),
                _ => b.unknown(),
            },
            WordPiece::EscapeSequence(e) => {
                let c = e.strip_prefix('\\').unwrap_or(e);
                if quoted && !matches!(c, "$" | "`" | "\"" | "\\" | "\n") {
                    b.text(e, false);
                } else if c != "\n" {
                    b.text(c, false);
                }
            }
            WordPiece::CommandSubstitution(s) => {
                self.substitution(s, st, d)?;
                b.unknown();
            }
            WordPiece::BackquotedCommandSubstitution(s) => {
                let inner = unescape_backquoted(s);
                self.substitution(&inner, st, d)?;
                b.unknown();
            }
            WordPiece::ArithmeticExpression(e) => {
                self.arith(&e.value, st, d)?;
                b.unknown();
            }
            WordPiece::ParameterExpansion(p) => {
                let raw = src.get(at.start_index..at.end_index).unwrap_or(src);
                self.parameter(p, raw, st, d, quoted, b)?;
            }
        }
        Ok(())
    }

    /// The parser reads `( (cmd) )` as the arithmetic `((cmd))` where bash sees nested
    /// subshells; arithmetic text that parses as commands is walked as a subshell too
    /// (for true arithmetic this reports a few words that name nothing).
    /// Arithmetic that is not that is refused if it runs a command.
    fn arith(&mut self, text: &str, st: &State, d: usize) -> Result<()> {
        match parse(text) {
            Ok(program) => {
                let mut sub = st.clone();
                for list in &program.complete_commands {
                    let (ok, fail) = self.list(list, &sub, d + 1)?;
                    sub = ok.join(&fail);
                }
                Ok(())
            }
            Err(_) => arithmetic(text),
        }
    }

    /// `$(...)` and backticks run in a subshell of the current state.
    fn substitution(&mut self, text: &str, st: &State, d: usize) -> Result<()> {
        let mut sub = st.clone();
        self.script(text, &mut sub, d + 1)
    }

    fn parameter(
        &mut self,
        p: &ParameterExpr,
        raw: &str,
        st: &mut State,
        d: usize,
        quoted: bool,
        b: &mut Fields,
    ) -> Result<()> {
        // Nested words (defaults, patterns) may run substitutions of their own.
        let mut nested: Vec<&String> = Vec::new();
        let plain = match p {
            ParameterExpr::Parameter {
                parameter,
                indirect: false,
            } => Some(parameter),
            ParameterExpr::UseDefaultValues { default_value, .. } => {
                nested.extend(default_value);
                None
            }
            ParameterExpr::AssignDefaultValues {
                parameter,
                default_value,
                ..
            } => {
                nested.extend(default_value);
                if let Parameter::Named(n) = parameter {
                    st.set_var(n, Word::Unknown(format!("${n}")));
                }
                None
            }
            ParameterExpr::IndicateErrorIfNullOrUnset { error_message, .. } => {
                nested.extend(error_message);
                None
            }
            ParameterExpr::UseAlternativeValue {
                alternative_value, ..
            } => {
                nested.extend(alternative_value);
                None
            }
            ParameterExpr::RemoveSmallestSuffixPattern { pattern, .. }
            | ParameterExpr::RemoveLargestSuffixPattern { pattern, .. }
            | ParameterExpr::RemoveSmallestPrefixPattern { pattern, .. }
            | ParameterExpr::RemoveLargestPrefixPattern { pattern, .. } => {
                nested.extend(pattern);
                None
            }
            ParameterExpr::Substring { offset, length, .. } => {
                arithmetic(&offset.value)?;
                if let Some(l) = length {
                    arithmetic(&l.value)?;
                }
                None
            }
            _ => {
                if raw.contains("$(")
                    || raw.contains('`')
                    || raw.contains("<(")
                    || raw.contains(">(")
                {
                    return Err(unparseable(format!(
                        "a command substitution inside `{raw}` is not analysed"
                    )));
                }
                None
            }
        };
        for n in nested {
            self.expand(n, st, d, Mode::Single)?;
        }
        let Some(param) = plain else {
            b.unknown();
            return Ok(());
        };
        let values: Option<Vec<Word>> = match param {
            Parameter::Named(n) => Some(vec![match st.vars.get(n) {
                Some(v) => v.clone(),
                None if n == "HOME" => Word::Path("~".into()),
                None if n == "PWD" => Word::Path(".".into()),
                None => Word::Unknown(format!("${n}")),
            }]),
            Parameter::Positional(0) => st.arg0.clone().map(|w| vec![w]),
            Parameter::Positional(n) => st.positional.as_ref().map(|ps| {
                vec![
                    ps.get(*n as usize - 1)
                        .cloned()
                        .unwrap_or_else(|| Word::Path(String::new())),
                ]
            }),
            Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate }) => {
                match &st.positional {
                    Some(ps) if *concatenate || !quoted => {
                        if ps.iter().all(|w| matches!(w, Word::Path(_))) {
                            Some(vec![Word::Path(
                                ps.iter().map(Word::text).collect::<Vec<_>>().join(" "),
                            )])
                        } else {
                            None
                        }
                    }
                    Some(ps) => {
                        // "$@": one field per parameter.
                        for (i, w) in ps.iter().enumerate() {
                            if i > 0 {
                                b.split();
                            }
                            b.value(w, true);
                        }
                        if ps.is_empty() {
                            b.vanish_if_alone();
                        }
                        return Ok(());
                    }
                    None => None,
                }
            }
            _ => None,
        };
        match values {
            Some(vs) => {
                for v in vs {
                    b.value(&v, quoted);
                }
            }
            None => b.unknown(),
        }
        Ok(())
    }
}

/// Builds the fields of one word from its pieces.
struct Fields {
    mode: Mode,
    done: Vec<Word>,
    text: String,
    pattern: String,
    glob: bool,
    unknown: bool,
    /// Something (even an empty quoted string) makes the current field exist.
    started: bool,
    /// `"$@"` with no parameters and nothing else: the word disappears.
    vanish: bool,
}

impl Fields {
    fn new(mode: Mode) -> Fields {
        Fields {
            mode,
            done: Vec::new(),
            text: String::new(),
            pattern: String::new(),
            glob: false,
            unknown: false,
            started: false,
            vanish: false,
        }
    }

    /// Literal text; `active`: unquoted, so glob characters are patterns.
    fn text(&mut self, t: &str, active: bool) {
        self.started = true;
        let mut rest = t;
        while let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
            // `[` opens a bracket expression only if a `]` closes it.
            let special = matches!(c, '*' | '?')
                || (c == '[' && rest.contains(']'))
                || (matches!(c, '+' | '@' | '!') && rest.starts_with('('));
            if active && self.mode == Mode::Fields && special {
                self.glob = true;
                self.pattern.push(c);
            } else if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                self.pattern.push('\\');
                self.pattern.push(c);
            } else {
                self.pattern.push(c);
            }
            self.text.push(c);
        }
    }

    fn quoted_start(&mut self) {
        self.started = true;
    }

    fn unknown(&mut self) {
        self.started = true;
        self.unknown = true;
    }

    /// A variable's value: unquoted, it is split into fields at blanks and its glob
    /// characters are patterns.
    fn value(&mut self, v: &Word, quoted: bool) {
        match v {
            Word::Unknown(_) => self.unknown(),
            Word::Glob(p) => {
                self.started = true;
                self.glob = true;
                self.pattern.push_str(p);
                self.text.push_str(p);
            }
            Word::Path(t) => {
                if quoted || self.mode == Mode::Single {
                    if quoted {
                        self.started = true;
                    }
                    self.text(t, false);
                    return;
                }
                let mut first = true;
                for part in t.split([' ', '\t', '\n']) {
                    if !first {
                        self.split();
                    }
                    first = false;
                    if !part.is_empty() {
                        self.text(part, true);
                    }
                }
            }
        }
    }

    fn vanish_if_alone(&mut self) {
        if !self.started {
            self.vanish = true;
        }
    }

    /// Ends the current field.
    fn split(&mut self) {
        if self.started {
            let w = self.word("");
            self.done.push(w);
        }
        self.text.clear();
        self.pattern.clear();
        self.glob = false;
        self.unknown = false;
        self.started = false;
    }

    fn word(&self, raw: &str) -> Word {
        if self.unknown {
            Word::Unknown(raw.to_string())
        } else if self.glob {
            Word::Glob(self.pattern.clone())
        } else {
            Word::Path(self.text.clone())
        }
    }

    fn finish(mut self, raw: &str) -> Vec<Word> {
        if self.started && !(self.vanish && self.text.is_empty() && !self.unknown) {
            let w = self.word(raw);
            self.done.push(w);
        }
        // An unknown field stands for the whole word as written.
        for w in &mut self.done {
            if let Word::Unknown(t) = w
                && t.is_empty()
            {
                *t = raw.to_string();
            }
        }
        self.done
    }
}

/// `$'...'`: the common escapes; anything else makes the word unknown.
fn ansi_c(t: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = t.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            '?' => out.push('?'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            'x' => {
                let hex: String = chars
                    .clone()
                    .take(2)
                    .take_while(char::is_ascii_hexdigit)
                    .collect();
                if hex.is_empty() {
                    return None;
                }
                for _ in 0..hex.len() {
                    chars.next();
                }
                let v = u8::from_str_radix(&hex, 16).ok()?;
                if !v.is_ascii() {
                    return None;
                }
                out.push(v as char);
            }
            d @ '0'..='7' => {
                let mut v = d.to_digit(8)?;
                for _ in 0..2 {
                    match chars.clone().next() {
                        Some(c @ '0'..='7') => {
                            v = v * 8 + c.to_digit(8)?;
                            chars.next();
                        }
                        _ => break,
                    }
                }
                let v = u8::try_from(v).ok()?;
                if !v.is_ascii() {
                    return None;
                }
                out.push(v as char);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Inside backticks, `\$`, `` \` `` and `\\` stand for the character.
fn unescape_backquoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && matches!(n, '$' | '`' | '\\')
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Arithmetic yields a number; one that runs a command is not analysed.
fn arithmetic(text: &str) -> Result<()> {
    if text.contains("$(") || text.contains('`') {
        return Err(unparseable(format!(
            "a command substitution inside the arithmetic `{text}` is not analysed"
        )));
    }
    Ok(())
}

/// `name=value` (or `name+=value`) at the start of a word.
pub(super) fn split_assignment(w: &str) -> Option<(&str, &str)> {
    let eq = w.find('=')?;
    let name = w[..eq].strip_suffix('+').unwrap_or(&w[..eq]);
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some((name, &w[eq + 1..]))
}

fn options() -> ParserOptions {
    ParserOptions::default()
}

/// Runs the parser, turning a panic inside it into [`Unparseable`].
fn guarded<T>(f: impl FnOnce() -> std::result::Result<T, String>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(unparseable(format!("the command could not be parsed: {e}"))),
        Err(_) => Err(unparseable("the shell parser failed on this command")),
    }
}

/// Parses a script; refuses nesting deep enough to exhaust the parser's stack.
fn parse(text: &str) -> Result<ast::Program> {
    let (depth, parens) = nesting(text);
    if depth > MAX_NESTING || parens > MAX_PARENS {
        return Err(unparseable(format!(
            "the command nests brackets or compound commands too deeply to analyse \
             (more than {MAX_PARENS} parentheses or {MAX_NESTING} levels)"
        )));
    }
    if let Some(n) = oversized_fd(text) {
        return Err(unparseable(format!(
            "the redirection's file descriptor {n} is out of range"
        )));
    }
    let text = &split_spaced_parens(text);
    guarded(|| {
        let opts = options();
        let tokens = brush_parser::tokenize_str_with_options(text, &opts.tokenizer_options())
            .map_err(|e| e.to_string())?;
        brush_parser::parse_tokens(&tokens, &opts).map_err(|e| e.to_string())
    })
}

/// A redirection whose file-descriptor number (`33333330333<file`) does not fit the
/// parser's integer: the parser would panic on it (caught, but a fuzzer counts it), and
/// a shell refuses it too.
fn oversized_fd(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &text[start..i];
            if matches!(b.get(i), Some(b'<' | b'>')) && digits.parse::<u32>().is_err() {
                return Some(digits);
            }
            continue;
        }
        i += 1;
    }
    None
}

/// The parser takes `( (` for the arithmetic `((`; bash sees two subshells only when
/// the parentheses are apart. A newline between them (outside single quotes) keeps
/// the meaning and makes the parser see the subshells.
fn split_spaced_parens(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("( ") && !text.contains("(\t") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut single = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if escaped {
            escaped = false;
            continue;
        }
        if single {
            single = c != '\'';
            continue;
        }
        match c {
            '\\' => escaped = true,
            '\'' => single = true,
            '(' => {
                let mut j = i;
                while j < chars.len() && matches!(chars[j], ' ' | '\t') {
                    j += 1;
                }
                if j > i && chars.get(j) == Some(&'(') {
                    out.push('\n');
                    i = j;
                }
            }
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// An upper bound of the nesting the parser will recurse through: brackets of any
/// kind and compound-command keywords outside single quotes (a here-document's `if`s
/// count too: the bound is loose); and of the parentheses on which the parser
/// backtracks (each unclosed `(` doubles its work).
fn nesting(text: &str) -> (usize, usize) {
    let mut depth: usize = 0;
    let mut max = 0;
    let mut parens: usize = 0;
    let mut max_parens = 0;
    let mut word = String::new();
    let flush = |word: &mut String, depth: &mut usize| {
        match word.as_str() {
            "if" | "while" | "until" | "for" | "case" | "select" | "function" | "coproc" => {
                *depth += 1
            }
            "fi" | "done" | "esac" => *depth = depth.saturating_sub(1),
            _ => {}
        }
        word.clear();
    };
    let mut single = false;
    let mut escaped = false;
    for c in text.chars() {
        if c.is_ascii_alphabetic() && !single {
            word.push(c);
        } else {
            flush(&mut word, &mut depth);
        }
        if escaped {
            escaped = false;
        } else if single {
            single = c != '\'';
        } else {
            match c {
                '\\' => escaped = true,
                '\'' => single = true,
                '(' => parens += 1,
                ')' => parens = parens.saturating_sub(1),
                _ => {}
            }
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            max_parens = max_parens.max(parens);
            max = max.max(depth);
        }
    }
    flush(&mut word, &mut depth);
    (max.max(depth), max_parens)
}

/// Bash's brace expansion (`a{b,c}d`, `{1..3}`), done before the other expansions.
fn brace_expand(raw: &str) -> Result<Vec<String>> {
    if unquoted_braces(raw) > MAX_BRACES {
        return Err(unparseable(format!(
            "a word with more than {MAX_BRACES} unquoted braces"
        )));
    }
    let parsed =
        guarded(|| bword::parse_brace_expansions(raw, &options()).map_err(|e| e.to_string()))?;
    let Some(pieces) = parsed else {
        return Ok(vec![raw.to_string()]);
    };
    let out = expand_pieces(&pieces)?;
    Ok(out)
}

/// The `{` of `raw` outside quotes and not escaped: the ones brace expansion reads.
fn unquoted_braces(raw: &str) -> usize {
    let (mut n, mut single, mut double, mut escaped) = (0, false, false, false);
    for c in raw.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '{' if !single && !double => n += 1,
            _ => {}
        }
    }
    n
}

fn expand_pieces(pieces: &[BraceExpressionOrText]) -> Result<Vec<String>> {
    let mut acc = vec![String::new()];
    for p in pieces {
        let alts: Vec<String> = match p {
            BraceExpressionOrText::Text(t) => vec![t.clone()],
            BraceExpressionOrText::Expr(members) => {
                let mut v = Vec::new();
                for m in members {
                    match m {
                        BraceExpressionMember::Child(c) => v.extend(expand_pieces(c)?),
                        BraceExpressionMember::NumberSequence {
                            start,
                            end,
                            increment,
                        } => {
                            let step = increment.unsigned_abs().max(1);
                            let count = start.abs_diff(*end) / step + 1;
                            if count > MAX_FIELDS as u64 {
                                return Err(too_many());
                            }
                            let mut x = *start;
                            for _ in 0..count {
                                v.push(x.to_string());
                                x = if start <= end {
                                    x.saturating_add_unsigned(step)
                                } else {
                                    x.saturating_sub_unsigned(step)
                                };
                            }
                        }
                        BraceExpressionMember::CharSequence {
                            start,
                            end,
                            increment,
                        } => {
                            let (a, z) = (*start as u32, *end as u32);
                            let step = increment.unsigned_abs().max(1) as u32;
                            let (lo, hi) = (a.min(z), a.max(z));
                            let mut c = lo;
                            while c <= hi {
                                if let Some(ch) = char::from_u32(c) {
                                    v.push(ch.to_string());
                                }
                                c += step;
                            }
                        }
                    }
                }
                v
            }
        };
        let mut next = Vec::with_capacity(acc.len() * alts.len());
        for a in &acc {
            for b in &alts {
                next.push(format!("{a}{b}"));
            }
        }
        if next.len() > MAX_FIELDS {
            return Err(too_many());
        }
        acc = next;
    }
    Ok(acc)
}

fn too_many() -> Unparseable {
    unparseable(format!(
        "a brace expansion gives more than {MAX_FIELDS} words"
    ))
}

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
