//! What a policy may call: the one decision, made on the parsed modules before anything
//! runs, shared by the scan and the gate ([`super::PolicySet`]), `tiergate policy check`
//! (which loads like a scan) and `tiergate policy test` (which checks its test files
//! too).
//!
//! Determinism holds by construction, not by listing the bad builtins of today: every
//! call in every module must name either a function the loaded policies define or a
//! builtin of [`ALLOWED_BUILTINS`], each of which is a pure function of its arguments
//! (no clock, randomness, environment, files, network or output). Anything else —
//! `rand.intn`, which regorus 0.14 registers whenever its `std` feature is on,
//! `time.now_ns`, `uuid.rfc4122`, `http.send`, `opa.runtime`, `trace`, `print`, the
//! RVM's `__builtin_*` hooks, and every builtin a later regorus adds — is refused at
//! load time with its file:line:col.
//!
//! A builtin can also be reached without being called by its name: `with f as
//! rand.intn` makes every call of `f` in that scope call `rand.intn`. A `with` value
//! that spells a builtin outside the allow-list is refused as well. (`walk` is
//! evaluated as a loop by the interpreter but is named like any call, so it is checked
//! like one.)
//!
//! What a policy may read, on the same walk: a reference into `input` (directly, or
//! through a variable bound to part of it by `some x in`, `every x in` or `x :=`) must
//! follow [`INPUT_SHAPE`]. `input.file.languag` can never be defined, so a rule reading
//! it would never fire without a word: it is refused at load time with its
//! file:line:col (code `policy-input`). What a variable holds after any other binding
//! (a function's argument, `x = input.file` inside a comprehension's own scope passed
//! on) is not followed.
//!
//! Must not import anything beyond regorus' AST, [`crate::diag`] and the input's shape.

use std::collections::{BTreeSet, HashMap};

use super::{INPUT_SHAPE, Shape};

use regorus::unstable::{BUILTINS, Expr, Literal, Module, Query, Ref, Rule, RuleHead, Span};
use regorus::utils::get_path_string;

use crate::diag::Diagnostic;

/// Diagnostic code of a refused call.
pub(crate) const CODE: &str = "policy-builtin";
/// Diagnostic code of a reference outside the input document.
pub(crate) const INPUT_CODE: &str = "policy-input";

/// Builtins a policy may call, sorted. Each is deterministic (its result depends only
/// on its arguments: regorus' sets and objects are ordered, so `json.marshal`,
/// `object.keys` and `sprintf` render them in one order) and has no side effect. Cost
/// is not a criterion here: the instruction budget and the evaluation deadline bound it.
pub(crate) const ALLOWED_BUILTINS: &[&str] = &[
    "abs",
    "array.concat",
    "array.reverse",
    "array.slice",
    "bits.and",
    "bits.lsh",
    "bits.negate",
    "bits.or",
    "bits.rsh",
    "bits.xor",
    "ceil",
    "concat",
    "contains",
    "count",
    "endswith",
    "floor",
    "format_int",
    "glob.match",
    "glob.quote_meta",
    "indexof",
    "indexof_n",
    "intersection",
    "is_array",
    "is_boolean",
    "is_null",
    "is_number",
    "is_object",
    "is_set",
    "is_string",
    "json.filter",
    "json.is_valid",
    "json.marshal",
    "json.marshal_with_options",
    "json.remove",
    "json.unmarshal",
    "lower",
    "max",
    "min",
    "numbers.range",
    "numbers.range_step",
    "object.filter",
    "object.get",
    "object.keys",
    "object.remove",
    "object.subset",
    "object.union",
    "object.union_n",
    "product",
    "regex.find_all_string_submatch_n",
    "regex.find_n",
    "regex.is_valid",
    "regex.match",
    "regex.replace",
    "regex.split",
    "regex.template_match",
    "replace",
    "round",
    "sort",
    "split",
    "sprintf",
    "startswith",
    "strings.any_prefix_match",
    "strings.any_suffix_match",
    "strings.count",
    "strings.replace_n",
    "strings.reverse",
    "substring",
    "sum",
    "to_number",
    "trim",
    "trim_left",
    "trim_prefix",
    "trim_right",
    "trim_space",
    "trim_suffix",
    "type_name",
    "union",
    "units.parse",
    "units.parse_bytes",
    "upper",
    "walk",
];

/// True when `name` may be called by a policy as a builtin.
pub(crate) fn is_allowed(name: &str) -> bool {
    ALLOWED_BUILTINS.binary_search(&name).is_ok()
}

/// True when regorus would run `name` as a builtin of its own rather than as a
/// function of the policies: its builtin table, `print` (special-cased by both engines)
/// and the RVM's `__builtin_*` hooks.
fn is_engine_builtin(name: &str) -> bool {
    name == "print" || name.starts_with("__builtin") || BUILTINS.contains_key(name)
}

/// Every refused call or `with` value in `modules`, loaded together (a call may name
/// a function another module defines), and with `input` every reference outside the
/// input document, each located at file:line:col. Test files pass `input: false`: they
/// build inputs of their own (`with input as`).
pub(crate) fn check(modules: &[Ref<Module>], input: bool) -> Vec<Diagnostic> {
    let functions = defined_functions(modules);
    let mut diags = Vec::new();
    for module in modules {
        let Ok(package) = get_path_string(&module.package.refr, Some("data")) else {
            continue;
        };
        let imports: Vec<(String, String)> = module
            .imports
            .iter()
            .filter_map(|import| {
                let target = get_path_string(&import.refr, None).ok()?;
                if !target.starts_with("data.") {
                    return None;
                }
                let alias = match &import.r#as {
                    Some(span) => span.text().to_string(),
                    None => target.rsplit('.').next()?.to_string(),
                };
                Some((alias, target))
            })
            .collect();
        let mut walker = Walker {
            package: &package,
            imports: &imports,
            functions: &functions,
            diags: &mut diags,
            input,
            scopes: Vec::new(),
        };
        walker.module(module);
    }
    diags.sort();
    diags.dedup();
    diags
}

/// `data.<package>.<name>` of every function rule (a head with arguments, or a
/// `default` with arguments) of every module.
fn defined_functions(modules: &[Ref<Module>]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for module in modules {
        let Ok(package) = get_path_string(&module.package.refr, Some("data")) else {
            continue;
        };
        for rule in &module.policy {
            let refr = match rule.as_ref() {
                Rule::Spec {
                    head: RuleHead::Func { refr, .. },
                    ..
                } => refr,
                Rule::Default { refr, args, .. } if !args.is_empty() => refr,
                _ => continue,
            };
            if let Ok(path) = get_path_string(refr, Some(&package)) {
                out.insert(path);
            }
        }
    }
    out
}

struct Walker<'a> {
    /// `data.<package>` of the module being walked.
    package: &'a str,
    /// (alias, `data.…` target) of the module's imports of data.
    imports: &'a [(String, String)],
    functions: &'a BTreeSet<String>,
    diags: &'a mut Vec<Diagnostic>,
    /// Whether references into `input` are checked.
    input: bool,
    /// Variables bound to a part of the input, innermost query last.
    scopes: Vec<HashMap<String, &'static Shape>>,
}

impl Walker<'_> {
    fn module(&mut self, module: &Module) {
        self.expr(&module.package.refr);
        for import in &module.imports {
            self.expr(&import.refr);
        }
        for rule in &module.policy {
            match rule.as_ref() {
                Rule::Spec { head, bodies, .. } => {
                    match head {
                        RuleHead::Compr { refr, assign, .. } => {
                            self.expr(refr);
                            if let Some(a) = assign {
                                self.expr(&a.value);
                            }
                        }
                        RuleHead::Set { refr, key, .. } => {
                            self.expr(refr);
                            if let Some(k) = key {
                                self.expr(k);
                            }
                        }
                        RuleHead::Func {
                            refr, args, assign, ..
                        } => {
                            self.expr(refr);
                            for a in args {
                                self.expr(a);
                            }
                            if let Some(a) = assign {
                                self.expr(&a.value);
                            }
                        }
                    }
                    for body in bodies {
                        if let Some(a) = &body.assign {
                            self.expr(&a.value);
                        }
                        self.query(&body.query);
                    }
                }
                Rule::Default {
                    refr, args, value, ..
                } => {
                    self.expr(refr);
                    for a in args {
                        self.expr(a);
                    }
                    self.expr(value);
                }
            }
        }
    }

    fn query(&mut self, query: &Query) {
        self.scopes.push(HashMap::new());
        for stmt in &query.stmts {
            match &stmt.literal {
                Literal::SomeVars { .. } => {}
                Literal::SomeIn {
                    key,
                    value,
                    collection,
                    ..
                } => {
                    if let Some(k) = key {
                        self.expr(k);
                    }
                    self.expr(value);
                    self.expr(collection);
                    if let (Expr::Var { span, .. }, Some(Shape::Array(element))) =
                        (value.as_ref(), self.shape_of(collection))
                    {
                        self.bind(span.text(), element);
                    }
                }
                Literal::Expr { expr, .. } | Literal::NotExpr { expr, .. } => {
                    self.expr(expr);
                    if let Expr::AssignExpr { lhs, rhs, .. } = expr.as_ref()
                        && let Expr::Var { span, .. } = lhs.as_ref()
                        && let Some(shape) = self.shape_of(rhs)
                    {
                        self.bind(span.text(), shape);
                    }
                }
                Literal::Every {
                    value,
                    domain,
                    query,
                    ..
                } => {
                    self.expr(domain);
                    let element = match self.shape_of(domain) {
                        Some(Shape::Array(element)) => Some(*element),
                        _ => None,
                    };
                    self.scopes.push(HashMap::new());
                    if let Some(element) = element {
                        self.bind(value.text(), element);
                    }
                    self.query(query);
                    self.scopes.pop();
                }
            }
            for with in &stmt.with_mods {
                self.expr(&with.refr);
                self.with_value(&with.r#as);
                self.expr(&with.r#as);
            }
        }
        self.scopes.pop();
    }

    fn bind(&mut self, var: &str, shape: &'static Shape) {
        if var != "_"
            && let Some(scope) = self.scopes.last_mut()
        {
            scope.insert(var.to_string(), shape);
        }
    }

    /// The shape a reference into the input has, when it is one this walk follows and
    /// every step of it exists.
    fn shape_of(&self, expr: &Expr) -> Option<&'static Shape> {
        if !self.input {
            return None;
        }
        match self.follow(expr) {
            Some(Ok(shape)) => Some(shape),
            _ => None,
        }
    }

    /// Follow a reference from its root: None when its root is neither `input` nor a
    /// variable bound to part of it (or a step cannot be known, like `input.file[k]`),
    /// `Err(path)` at the first step outside the shape.
    fn follow(&self, expr: &Expr) -> Option<Result<&'static Shape, String>> {
        match expr {
            Expr::Var { span, .. } => {
                let name = span.text();
                if let Some(shape) = self.scopes.iter().rev().find_map(|s| s.get(name)) {
                    return Some(Ok(*shape));
                }
                (name == "input").then_some(Ok(&INPUT_SHAPE))
            }
            Expr::RefDot { refr, field, .. } => {
                let shape = match self.follow(refr)? {
                    Ok(shape) => shape,
                    Err(path) => return Some(Err(path)),
                };
                Some(step(shape, field.0.text(), refr))
            }
            Expr::RefBrack { refr, index, .. } => {
                let shape = match self.follow(refr)? {
                    Ok(shape) => shape,
                    Err(path) => return Some(Err(path)),
                };
                match index.as_ref() {
                    Expr::String { span, .. } | Expr::RawString { span, .. } => {
                        Some(step(shape, span.text(), refr))
                    }
                    // A number, a variable or `_`: an element of an array; of an
                    // object, a key this walk cannot know.
                    _ => match shape {
                        Shape::Array(element) => Some(Ok(*element)),
                        Shape::Object(_) => None,
                        Shape::Leaf => Some(Err(format!("{}[…]", path_text(refr)))),
                    },
                }
            }
            _ => None,
        }
    }

    /// A reference into the input that leaves its shape.
    fn reference(&mut self, expr: &Expr) {
        if !self.input {
            return;
        }
        if let Some(Err(path)) = self.follow(expr) {
            let span = root_span(expr).clone();
            self.located(
                &span,
                INPUT_CODE,
                format!(
                    "`{path}` is not in the input document: the rule reading it can never fire (the input has `input.input_version` and `input.file` with kind, extension, language, size_class, git, zones, rules, content_scanned and signals[] of id, category, confidence, count; see docs/src/rego.md)"
                ),
            );
        }
    }

    /// Exhaustive on purpose: a kind of expression a later regorus adds must be looked
    /// into here before this compiles again.
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::String { .. }
            | Expr::RawString { .. }
            | Expr::Number { .. }
            | Expr::Bool { .. }
            | Expr::Null { .. }
            | Expr::Var { .. } => {}
            Expr::Array { items, .. } | Expr::Set { items, .. } => {
                for item in items {
                    self.expr(item);
                }
            }
            Expr::Object { fields, .. } => {
                for (_, key, value) in fields {
                    self.expr(key);
                    self.expr(value);
                }
            }
            Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                self.expr(term);
                self.query(query);
            }
            Expr::ObjectCompr {
                key, value, query, ..
            } => {
                self.expr(key);
                self.expr(value);
                self.query(query);
            }
            Expr::Call { fcn, params, .. } => {
                self.call(fcn);
                self.expr(fcn);
                for p in params {
                    self.expr(p);
                }
            }
            Expr::UnaryExpr { expr, .. } => self.expr(expr),
            Expr::RefDot { refr, .. } => {
                self.reference(expr);
                self.expr(refr);
            }
            Expr::RefBrack { refr, index, .. } => {
                self.reference(expr);
                self.expr(refr);
                self.expr(index);
            }
            Expr::BinExpr { lhs, rhs, .. }
            | Expr::BoolExpr { lhs, rhs, .. }
            | Expr::ArithExpr { lhs, rhs, .. }
            | Expr::AssignExpr { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            Expr::Membership {
                key,
                value,
                collection,
                ..
            } => {
                if let Some(k) = key {
                    self.expr(k);
                }
                self.expr(value);
                self.expr(collection);
            }
        }
    }

    /// A call: the function named (as both engines name it, with regorus' own path
    /// function) must be an allowed builtin or a function of the policies. A name that
    /// is an engine builtin outside the allow-list is refused even where a policy
    /// defines a function of that name: which of the two runs would then depend on
    /// each engine's lookup order.
    fn call(&mut self, fcn: &Expr) {
        let Ok(name) = get_path_string(fcn, None) else {
            // Both engines refuse a call whose function is not a reference.
            return;
        };
        if is_allowed(&name) {
            return;
        }
        if !is_engine_builtin(&name) && self.defines(&name) {
            return;
        }
        self.refuse(root_span(fcn), &name);
    }

    /// A `with` value that names a builtin replaces the target function by it.
    fn with_value(&mut self, value: &Expr) {
        if let Ok(name) = get_path_string(value, None)
            && is_engine_builtin(&name)
            && !is_allowed(&name)
        {
            self.refuse(root_span(value), &name);
        }
    }

    /// Whether `name`, called in this module, is a function of the loaded policies:
    /// as an absolute `data.` path, relative to the module's package, or through an
    /// import alias.
    fn defines(&self, name: &str) -> bool {
        if name.starts_with("data.") {
            return self.functions.contains(name);
        }
        if self.functions.contains(&format!("{}.{name}", self.package)) {
            return true;
        }
        let (head, rest) = name.split_once('.').unwrap_or((name, ""));
        self.imports.iter().any(|(alias, target)| {
            alias == head && {
                let full = if rest.is_empty() {
                    target.clone()
                } else {
                    format!("{target}.{rest}")
                };
                self.functions.contains(&full)
            }
        })
    }

    fn refuse(&mut self, span: &Span, name: &str) {
        self.located(
            span,
            CODE,
            format!(
                "`{name}` is {}: policies may call only the functions they define and deterministic builtins without side effects (no clock, randomness, environment, network or output; see docs/src/rego.md)",
                if is_engine_builtin(name) {
                    "not an allowed builtin"
                } else {
                    "neither a function of the policies nor an allowed builtin"
                }
            ),
        );
    }

    fn located(&mut self, span: &Span, code: &'static str, message: String) {
        let file = span.source.file().clone();
        let line = u64::from(span.line);
        let col = span
            .source
            .contents()
            .lines()
            .nth(span.line.saturating_sub(1) as usize)
            .map_or(u64::from(span.col), |text| {
                super::load::char_column(text, u64::from(span.col))
            });
        self.diags
            .push(Diagnostic::new(file, line, col, code, message));
    }
}

/// One step `key` into `shape` from the reference `from`: the field's shape, or the
/// path up to the step that leaves the shape.
fn step(shape: &'static Shape, key: &str, from: &Expr) -> Result<&'static Shape, String> {
    if let Shape::Object(fields) = shape
        && let Some((_, field)) = fields.iter().find(|(name, _)| *name == key)
    {
        return Ok(field);
    }
    Err(format!("{}.{key}", path_text(from)))
}

/// A reference as written, from its root.
fn path_text(expr: &Expr) -> String {
    match expr {
        Expr::RefDot { refr, field, .. } => format!("{}.{}", path_text(refr), field.0.text()),
        Expr::RefBrack { refr, index, .. } => match index.as_ref() {
            Expr::String { span, .. } | Expr::RawString { span, .. } => {
                format!("{}[\"{}\"]", path_text(refr), span.text())
            }
            _ => format!("{}[_]", path_text(refr)),
        },
        other => other.span().text().to_string(),
    }
}

/// Where a reference starts: regorus puts the span of `a.b.c` at its last dot.
fn root_span(expr: &Expr) -> &Span {
    match expr {
        Expr::RefDot { refr, .. } | Expr::RefBrack { refr, .. } => root_span(refr),
        other => other.span(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::policy::PolicySet;
    use crate::policy::tests::test_config;

    /// Every shipped pack off: only the policy under test.
    fn bare() -> crate::config::Config {
        let mut cfg = test_config();
        cfg.policies.disable = crate::policy::shipped_pack_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        cfg
    }

    fn load(policy: &str) -> Result<PolicySet, crate::diag::Diagnostics> {
        PolicySet::load_sources(
            &bare(),
            vec![(".tiergate/policies/p.rego".to_string(), policy.to_string())],
        )
    }

    const HEAD: &str = "package tiergate.custom.p\n\nimport rego.v1\n\n";

    /// References outside the input document, direct or through a variable bound to a
    /// part of it, each refused at its line; every spelling of a real field loads.
    #[test]
    fn references_outside_the_input_document_are_refused_where_they_are() {
        let rule = |body: &str| {
            format!(
                "{HEAD}findings contains {{\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"}} if {{\n\t{body}\n}}\n"
            )
        };
        let refused = [
            ("input.file.languag == \"python\"", "input.file.languag"),
            ("input.fil.kind == \"text\"", "input.fil"),
            (
                "input.file[\"extention\"] == \"py\"",
                "input.file.extention",
            ),
            ("input.file.kind.name == \"x\"", "input.file.kind.name"),
            ("input.file.signals.id == \"x\"", "input.file.signals.id"),
            ("some s in input.file.signals\n\ts.idd == \"x\"", "s.idd"),
            ("s := input.file.signals[_]\n\ts.cont > 1", "s.cont"),
            ("f := input.file\n\tf.zone[_] == \"x\"", "f.zone"),
            (
                "every s in input.file.signals { s.confidense == \"high\" }",
                "s.confidense",
            ),
            (
                "input.file.zones[0].name == \"x\"",
                "input.file.zones[_].name",
            ),
        ];
        for (body, path) in refused {
            let err = load(&rule(body)).expect_err(body);
            assert_eq!(err.0.len(), 1, "{body}: {err}");
            let d = &err.0[0];
            assert_eq!(d.code, INPUT_CODE, "{body}: {d}");
            assert!(d.message.contains(&format!("`{path}`")), "{body}: {d}");
            let line = 6 + body.matches('\n').count() as u64;
            assert_eq!(d.line, line, "{body}: {d}");
        }
        let loaded = [
            "input.file.language == \"python\"",
            "input.file[\"language\"] == \"python\"",
            "input.input_version == 1",
            "some s in input.file.signals\n\ts.id == \"x\"\n\ts.count >= 2",
            "s := input.file.signals[_]\n\ts.confidence == \"high\"",
            "some z in input.file.zones\n\tz == \"x\"",
            "every r in input.file.rules { r != \"x\" }",
            "count(input.file.signals) > 0",
            "k := \"kind\"\n\tinput.file[k] == \"text\"",
            // Not a part of the input: not followed.
            "x := {\"a\": 1}\n\tx.a == 1",
            "input.file.signals[i].category == \"pii\"\n\ti >= 0",
        ];
        for body in loaded {
            if let Err(e) = load(&rule(body)) {
                panic!("{body}: {e}");
            }
        }
    }

    /// The shape policies are held to is the input tiergate builds: every field of a
    /// serialized input is in it, and nothing else.
    #[test]
    fn the_input_shape_is_the_input_tiergate_builds() {
        fn paths(v: &serde_json::Value, at: String, out: &mut BTreeSet<String>) {
            match v {
                serde_json::Value::Object(o) => {
                    for (k, v) in o {
                        let p = format!("{at}.{k}");
                        out.insert(p.clone());
                        paths(v, p, out);
                    }
                }
                serde_json::Value::Array(a) => {
                    for v in a {
                        paths(v, format!("{at}[]"), out);
                    }
                }
                _ => {}
            }
        }
        fn shape_paths(s: &Shape, at: String, out: &mut BTreeSet<String>) {
            match s {
                Shape::Leaf => {}
                Shape::Object(fields) => {
                    for (k, s) in *fields {
                        let p = format!("{at}.{k}");
                        out.insert(p.clone());
                        shape_paths(s, p, out);
                    }
                }
                Shape::Array(s) => shape_paths(s, format!("{at}[]"), out),
            }
        }
        let input = crate::policy::RegoInput {
            input_version: crate::policy::INPUT_VERSION,
            file: crate::policy::RegoFile {
                kind: crate::model::FileKind::Text,
                extension: Some("py".into()),
                language: Some("python".into()),
                size_class: crate::model::SizeClass::Small,
                git: crate::model::GitState::Tracked,
                zones: vec!["z".into()],
                rules: vec!["r".into()],
                content_scanned: true,
                signals: vec![crate::policy::RegoSignal {
                    id: "pii.email".into(),
                    category: "pii".into(),
                    confidence: crate::model::Confidence::High,
                    count: 1,
                }],
            },
            component: None,
        };
        let mut built = BTreeSet::new();
        paths(
            &serde_json::to_value(&input).unwrap(),
            "input".into(),
            &mut built,
        );
        let mut shaped = BTreeSet::new();
        shape_paths(&INPUT_SHAPE, "input".into(), &mut shaped);
        assert_eq!(built, shaped);
    }

    /// The issue's case: `rand.intn` made five scans give five manifests. It is refused
    /// at load, located at the call.
    #[test]
    fn rand_intn_is_refused_at_load_with_its_location() {
        let policy = format!(
            "{HEAD}findings contains {{\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"}} if {{\n\trand.intn(\"x\", 10) > 4\n}}\n"
        );
        let err = load(&policy).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        let d = &err.0[0];
        assert_eq!(
            (d.file.as_str(), d.line, d.col, d.code),
            (".tiergate/policies/p.rego", 6, 2, CODE),
            "{d}"
        );
        assert!(d.message.contains("`rand.intn`"), "{d}");
    }

    /// Refused names, each spelled in every place a call or a function value can
    /// appear; every combination is refused at the line it is on. Names regorus does
    /// not have in this build (`time.now_ns`, `http.send`...) are refused by the same
    /// rule, before the compiler would call them unknown.
    #[test]
    fn refused_builtins_are_found_wherever_they_are_spelled() {
        let names = [
            "rand.intn",
            "trace",
            "print",
            "time.now_ns",
            "time.now",
            "uuid.rfc4122",
            "uuid.parse",
            "http.send",
            "opa.runtime",
            "net.lookup_ip_addr",
            "rego.metadata.rule",
            "crypto.x509.parse_certificates",
            "io.jwt.decode_verify",
            "__builtin_sets.union",
            "__builtin_host_await",
            "some_function_nobody_defines",
        ];
        // (template, line of the call) with NAME for the function and ARGS for its
        // arguments; every template is a complete policy body after HEAD.
        let places: &[(&str, u64)] = &[
            (
                "findings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tNAME(ARGS)\n}\n",
                6,
            ),
            (
                "findings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tnot NAME(ARGS)\n}\n",
                6,
            ),
            (
                "findings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tx := [y | some y in [1]; NAME(ARGS)]\n\tcount(x) > 0\n}\n",
                6,
            ),
            (
                "findings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tevery y in [1] {\n\t\tNAME(ARGS)\n\t}\n}\n",
                7,
            ),
            (
                "helper(x) := NAME(ARGS) if {\n\tx > 0\n}\n\nfindings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if helper(1)\n",
                5,
            ),
            (
                "helper := 1 if {\n\tfalse\n} else := NAME(ARGS)\n\nfindings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if helper\n",
                7,
            ),
            (
                "findings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": sprintf(\"%v\", [NAME(ARGS)])} if true\n",
                5,
            ),
            (
                "findings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tobject.get({NAME(ARGS): 1}, \"a\", 0) == 1\n}\n",
                6,
            ),
            (
                "default helper(_) := 0\n\nhelper(x) := 1 if {\n\tx == NAME(ARGS)\n}\n\nfindings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if helper(1) == 1\n",
                8,
            ),
            // Reached without a call of its name: a `with` value replaces a function.
            (
                "f(x) := x\n\nfindings contains {\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": \"r\"} if {\n\tf(1) == 1 with f as NAME\n}\n",
                8,
            ),
        ];
        for name in names {
            // The bracket spelling names the same function for both engines.
            let spellings = match name.rsplit_once('.') {
                Some((head, rest)) if !name.starts_with("__") => {
                    vec![name.to_string(), format!("{head}[\"{rest}\"]")]
                }
                _ => vec![name.to_string()],
            };
            for spelled in &spellings {
                for (template, line) in places {
                    // A `with` value that is no engine builtin calls nothing: the
                    // interpreter skips the statement. Only builtins matter there.
                    if template.contains(" with ") && !is_engine_builtin(name) {
                        continue;
                    }
                    let policy = format!(
                        "{HEAD}{}",
                        template
                            .replace("NAME", spelled)
                            .replace("ARGS", "\"x\", 1")
                    );
                    let Err(err) = load(&policy) else {
                        panic!("loaded:\n{policy}");
                    };
                    let hit = err
                        .0
                        .iter()
                        .find(|d| d.code == CODE)
                        .unwrap_or_else(|| panic!("{err}\n{policy}"));
                    assert_eq!(hit.line, *line, "{hit}\n{policy}");
                    assert!(hit.col > 0, "{hit}");
                    assert!(hit.message.contains(&format!("`{name}`")), "{hit}");
                }
            }
        }
    }

    /// Allowed builtins and the policies' own functions (in the package, in another
    /// package, through an import alias, through a `with` replacement) still load.
    #[test]
    fn allowed_builtins_and_defined_functions_load() {
        let lib = "package tiergate.custom.lib\n\nimport rego.v1\n\nfindings := set()\n\ntwice(x) := x * 2\n";
        let policy = format!(
            "{HEAD}import data.tiergate.custom.lib\nimport data.tiergate.custom.lib as l\n\nlocal(x) := x + 1\n\nfindings contains {{\"code\": \"r\", \"tier\": 2, \"rule\": \"r\", \"reason\": sprintf(\"%d\", [count(input.file.zones)])}} if {{\n\tlocal(1) == 2\n\tlib.twice(2) == 4\n\tl.twice(2) == 4\n\tdata.tiergate.custom.lib.twice(2) == 4\n\tsort([2, 1]) == [1, 2]\n\tregex.match(\"^a\", \"ab\")\n}}\n"
        );
        let set = PolicySet::load_sources(
            &bare(),
            vec![
                (".tiergate/policies/lib.rego".to_string(), lib.to_string()),
                (".tiergate/policies/p.rego".to_string(), policy.clone()),
            ],
        );
        assert!(set.is_ok(), "{}\n{policy}", set.err().unwrap());
        // Every shipped pack passes the check (they load in every other test too).
        PolicySet::load_sources(&test_config(), vec![]).expect("shipped packs load");
    }

    /// `policy test` decides with the same function, over the test files too.
    #[test]
    fn policy_test_refuses_the_same_calls_in_test_files() {
        let dir = tempfile::tempdir().unwrap();
        let policies = dir.path().join(".tiergate/policies");
        std::fs::create_dir_all(&policies).unwrap();
        std::fs::write(
            policies.join("t_test.rego"),
            "package tiergate.custom.t_test\n\nimport rego.v1\n\ntest_random if {\n\trand.intn(\"x\", 2) < 2\n}\n\ntest_traced if trace(\"x\")\n\ntest_walks if {\n\tsome p, v\n\twalk({\"a\": 1}, [p, v])\n}\n",
        )
        .unwrap();
        let err = crate::policy::tooling::run_tests(&test_config(), dir.path(), None).unwrap_err();
        let located: Vec<(String, u64, &str)> = err
            .0
            .iter()
            .map(|d| (d.file.clone(), d.line, d.code))
            .collect();
        assert_eq!(
            located,
            [
                (".tiergate/policies/t_test.rego".to_string(), 6, CODE),
                (".tiergate/policies/t_test.rego".to_string(), 9, CODE),
            ]
        );
    }

    /// Every builtin regorus registers in this build is either allowed or refused
    /// for a stated reason; a regorus upgrade that adds one fails here until someone
    /// decides (until then it is refused, which is the safe default).
    #[test]
    fn every_builtin_of_this_regorus_build_is_classified() {
        const REFUSED: &[(&str, &str)] = &[
            ("rand.intn", "random"),
            ("trace", "output in the interpreter, a string in the RVM"),
            ("__builtin_sets.union", "the RVM's internal form of `|`"),
            (
                "__builtin_sets.intersection",
                "the RVM's internal form of `&`",
            ),
        ];
        let mut unclassified = Vec::new();
        for name in BUILTINS.keys() {
            let refused = REFUSED.iter().any(|(n, _)| n == name);
            assert!(
                !(refused && is_allowed(name)),
                "{name} both allowed and refused"
            );
            if !refused && !is_allowed(name) {
                unclassified.push(*name);
            }
        }
        assert!(
            unclassified.is_empty(),
            "classify these builtins: {unclassified:?}"
        );
        // Every allowed builtin exists in this build (`walk` is the interpreter's loop).
        for name in ALLOWED_BUILTINS {
            assert!(
                *name == "walk" || BUILTINS.contains_key(name),
                "{name} is allowed but regorus does not have it"
            );
        }
        let mut sorted = ALLOWED_BUILTINS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, ALLOWED_BUILTINS, "sorted and unique: binary search");
    }
}
