#!/usr/bin/env python3
"""Measure tiergate's credential detection against a peer scanner's own rule tests.

The peer (gitleaks, MIT-licensed) keeps, for each rule of its default set, true- and
false-positive examples in its rule generators (cmd/generate/config/rules/*.go), and
its rule file (config/gitleaks.toml) holds each rule's pattern. This script writes every
example to its own file of a neutral repository (no path hints: `cases/NNNNN.txt`),
scans it with tiergate, and reports per rule how many true positives were found and how
many false positives were raised.

Two kinds of cases:
- fixed: the examples of the generators, evaluated from their Go source (literals,
  concatenation, `fmt.Sprintf`, the peer's sample templates, random secrets drawn from
  the peer's pattern helpers);
- drawn: values drawn from each rule's pattern of the rule file (`--drawn N` per rule),
  written as the peer's generators write theirs: the pattern's secret placed in one of
  the peer's sample templates, assigned to an identifier naming the service. With
  `--raw-draws`, whole matches of the patterns instead, context included: the keyword
  inside random words, control characters around the assignment (no file is written
  so; the figure measures the patterns' envelope, not credentials). A few rules whose
  pattern is not the shape of their credential (NOT_DRAWN) have fixed examples only.

Usage: bench/secrets-peer.py PEER_CHECKOUT TIERGATE_BIN [--drawn N] [--seed S]
       [--raw-draws] [--work DIR] [--misses FILE]
       bench/secrets-peer.py PEER_CHECKOUT --export CASES.jsonl.gz [--drawn N] [--seed S]
       bench/secrets-peer.py CASES.jsonl.gz TIERGATE_BIN [--misses FILE]
PEER_CHECKOUT is a checkout (or a bare git dir) of the peer's repository. Needs the
`rstr` package from PyPI (pip install rstr) to draw values from patterns.

`--export` writes the cases as test data: gzip-compressed JSON lines, a header line
with the peer's commit, the seed and the draw count, then one case per line (key,
rule, kind tp|fp, origin fixed|drawn, the file name of a rule limited to some paths,
text). The same checkout, seed and rstr version
give the same bytes. tests/secrets_peer.rs runs tiergate over that file
(tests/data/secrets-peer/README.md). The peer's examples are test data only; nothing of
them is in the crate or the binaries.
"""

import argparse
import gzip
import hashlib
import importlib.metadata
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict

try:
    import rstr
except ImportError:  # pragma: no cover
    sys.exit("secrets-peer.py: needs rstr (python3 -m pip install rstr)")

# The peer's sample templates (utils.GenerateSampleSecrets), {i} identifier, {I} upper,
# {s} secret.
TEMPLATES = [
    '{i}Token="{s}"', '{i}Token = "{s}"', "{i}Token={s}", "{i}Token = {s}",
    '{\n    "{i}_token": "{s}"\n}', '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
    "<{i}Token>\n    {s}\n</{i}Token>", "{i}_token: {s}", "{i}_token: '{s}'",
    '{i}_token: "{s}"', 'string {i}Token = "{s}";', 'var {i}Token string = "{s}"',
    '{i}Token := "{s}"', "{i}Token := `{s}`", 'String {i}Token = "{s}";',
    'var {i}Token = "{s}"', '${i}Token .= "{s}"', "{i}Token = '{s}'",
    '{i}Token = "{s}"', 'System.setProperty("{I}_TOKEN", "{s}")', '  "{i}Token" => "{s}"',
    '{i}_TOKEN = "{s}"', '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"',
    '{i}_TOKEN :::= "{s}"', '{i}_TOKEN ?= "{s}"',
]

HELPERS = {
    "Numeric": "[0-9]{%s}",
    "Hex": "[a-f0-9]{%s}",
    "AlphaNumeric": "[a-z0-9]{%s}",
    "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}",
    "AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
    "AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}",
}


class Unsupported(Exception):
    pass


def go_regex_to_python(p):
    """The peer's RE2 patterns as Python `re` accepts them for drawing values."""
    p = p.replace("\\z", "$").replace("(?-i:", "(?:")
    p = re.sub(r"\[\[:alnum:\]\]", "[A-Za-z0-9]", p)
    p = p.replace("[[:alnum:]]", "[A-Za-z0-9]")
    # Inline flags in the middle of a pattern: drop them (drawing ignores case anyway).
    p = re.sub(r"(?<!^)\(\?i\)", "", p)
    p = re.sub(r"\(\?i:", "(?:", p)
    p = re.sub(r"\(\?s:", "(?:", p)
    return p


def draw(pattern, rng):
    random.seed(rng.random())
    # Unbounded repetitions drawn short, as real values are.
    return rstr.xeger(go_regex_to_python(pattern).replace("$", ""))


class Expr:
    """A tiny evaluator of the Go expressions the generators build examples with."""

    def __init__(self, src, rng):
        self.s, self.i, self.rng = src, 0, rng

    def ws(self):
        while self.i < len(self.s):
            if self.s[self.i] in " \t\r\n":
                self.i += 1
            elif self.s.startswith("//", self.i):
                j = self.s.find("\n", self.i)
                self.i = len(self.s) if j < 0 else j
            elif self.s.startswith("/*", self.i):
                self.i = self.s.index("*/", self.i) + 2
            else:
                break

    def peek(self, t):
        self.ws()
        return self.s.startswith(t, self.i)

    def eat(self, t):
        if not self.peek(t):
            raise Unsupported(f"expected {t!r} at {self.s[self.i:self.i+40]!r}")
        self.i += len(t)

    def string(self):
        self.ws()
        c = self.s[self.i]
        if c == "`":
            j = self.s.index("`", self.i + 1)
            v = self.s[self.i + 1:j]
            self.i = j + 1
            return v
        if c == '"':
            j = self.i + 1
            while self.s[j] != '"':
                j += 2 if self.s[j] == "\\" else 1
            lit = self.s[self.i:j + 1]
            self.i = j + 1
            return json.loads(lit) if "\\x" not in lit else bytes(lit[1:-1], "utf-8").decode("unicode_escape")
        raise Unsupported(f"not a string at {self.s[self.i:self.i+40]!r}")

    def ident(self):
        self.ws()
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*").match(self.s, self.i)
        if not m:
            raise Unsupported(f"not an identifier at {self.s[self.i:self.i+40]!r}")
        self.i = m.end()
        return m.group(0)

    def args(self):
        self.eat("(")
        out = []
        while not self.peek(")"):
            out.append(self.expr())
            if self.peek(","):
                self.eat(",")
        self.eat(")")
        return out

    def atom(self):
        self.ws()
        if self.s[self.i] in "`\"":
            return self.string()
        name = self.ident()
        if name == "strings.Repeat":
            a = self.args()
            return a[0] * int(a[1])
        if name == "strconv.Itoa":
            return str(self.args()[0])
        if name == "fmt.Sprintf":
            a = self.args()
            return re.sub(r"%[sdv]", lambda _: str(a.pop(1)), a[0])
        if name.startswith("utils.") and name[6:] in HELPERS:
            return HELPERS[name[6:]] % self.args()[0]
        if name == "utils.Hex8_4_4_4_12":
            self.args()
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if name == "secrets.NewSecret":
            return draw(self.args()[0], self.rng)
        if name == "utils.GenerateSampleSecret":
            i, s = self.args()
            return f'{i}_api_token = "{s}"'
        if name == "utils.GenerateSampleSecrets":
            i, s = self.args()
            return [t.replace("{i}", i).replace("{I}", i.upper()).replace("{s}", s) for t in TEMPLATES]
        raise Unsupported(name)

    def expr(self):
        v = self.atom()
        while self.peek("+"):
            self.eat("+")
            w = self.atom()
            if isinstance(v, list) or isinstance(w, list):
                raise Unsupported("list concatenation")
            v = v + w
        return v


def examples(go_src, seed):
    """(rule id, tps, fps, unsupported count) for each rule function of a generator; an
    example is its text, or (path, text) for a rule limited to some paths.

    Each rule draws its random secrets from its own generator (seeded with the seed and
    the rule id), so a change in one rule's examples leaves the others' as they were."""
    out = []
    for fn in re.split(r"\nfunc ", go_src)[1:]:
        m = re.search(r'RuleID:\s*"([^"]+)"', fn)
        if not m:
            continue
        rule = m.group(1)
        rng = random.Random(f"{seed}:fixed:{rule}")
        found = {"tps": [], "fps": []}
        skipped = 0
        for stmt in re.finditer(r"\b(tps|fps)\s*(?::=|=)\s*", fn):
            side, e = stmt.group(1), Expr(fn, rng)
            e.i = stmt.end()
            try:
                if e.peek("[]string{"):
                    e.eat("[]string{")
                    while not e.peek("}"):
                        start = e.i
                        try:
                            v = e.expr()
                            found[side] += v if isinstance(v, list) else [v]
                        except (Unsupported, ValueError, IndexError):
                            skipped += 1
                            e.i = start
                            depth = 0
                            while e.i < len(e.s):  # skip to the next element
                                ch = e.s[e.i]
                                if ch in "([{":
                                    depth += 1
                                elif ch in ")]}":
                                    if depth == 0:
                                        break
                                    depth -= 1
                                elif ch == "," and depth == 0:
                                    break
                                e.i += 1
                        if e.peek(","):
                            e.eat(",")
                elif e.peek("map[string]string{"):
                    # Examples of a rule limited to some paths: file name to content.
                    e.eat("map[string]string{")
                    while not e.peek("}"):
                        path = e.expr()
                        e.eat(":")
                        found[side].append((path, e.expr()))
                        if e.peek(","):
                            e.eat(",")
                elif e.peek("append("):
                    e.eat("append(")
                    e.ident()
                    while e.peek(","):
                        e.eat(",")
                        if e.peek(")"):
                            break
                        v = e.expr()
                        if e.peek("..."):
                            e.eat("...")
                        found[side] += v if isinstance(v, list) else [v]
                else:
                    v = e.expr()
                    found[side] += v if isinstance(v, list) else [v]
            except (Unsupported, ValueError, IndexError):
                skipped += 1
        out.append((rule, found["tps"], found["fps"], skipped))
    return out


def read_peer(peer, path):
    if os.path.isdir(os.path.join(peer, path.split("/")[0])):
        with open(os.path.join(peer, path), encoding="utf-8") as f:
            return f.read()
    return subprocess.run(["git", "-C", peer, "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def list_peer(peer, d):
    if os.path.isdir(os.path.join(peer, d)):
        return sorted(os.path.join(d, f) for f in os.listdir(os.path.join(peer, d)))
    r = subprocess.run(["git", "-C", peer, "ls-tree", "--name-only", "HEAD", d + "/"],
                       check=True, capture_output=True, text=True)
    return sorted(r.stdout.split())


def peer_commit(peer):
    r = subprocess.run(["git", "-C", peer, "rev-parse", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


# Rules whose pattern is not the shape of their credential, so that a value drawn from it
# says nothing: they are measured on their fixed examples only.
NOT_DRAWN = {
    "private-key": "a key's body is base64 of its DER structure; the pattern draws any text",
    "pkcs12-file": "a file-name rule, without a pattern",
    "curl-auth-header": "a command line; the pattern draws random text around the option",
    "curl-auth-user": "a command line; the pattern draws random text around the option",
    "kubernetes-secret-yaml": "a YAML document; the pattern draws random text around `data:`",
    "nuget-config-password": "an XML element; the pattern draws control characters in it",
    "freemius-secret-key": "a PHP array entry; the pattern draws control characters in it",
    "jwt": "a JWT's header decodes to JSON; random base64 after `ey` does not",
    "jwt-base64": "a base64-encoded JWT; random base64 after its prefix is not one",
    "aws-amazon-bedrock-api-key-short-lived": "the pattern is the token's constant part only",
    "sidekiq-sensitive-url": "the credential is the user and password of a URL, not a token",
}

# The file name a drawn value of a rule limited to some paths is written to.
DRAWN_PATHS = {"hashicorp-tf-password": "main.tf"}

# The peer's semi-generic patterns: an identifier naming the service, an assignment, a
# value (cmd/generate/config/utils/generate.go). The identifiers sit in the group after
# this.
IDENTIFIER_PREFIX = "[\\w.-]{0,50}?(?:"


# What ends the peer's secret group: the delimiter after the value.
GROUP_END = ")(?:[\\x60'\"\\s;]|\\\\[nr]|$)"


def identifiers_of(pattern):
    """The alternation of identifiers of a semi-generic pattern, or None."""
    at = pattern.find(IDENTIFIER_PREFIX)
    if at < 0:
        return None
    i = start = at + len(IDENTIFIER_PREFIX)
    depth = 1
    while depth:
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    return pattern[start:i - 1]


def entropy(s):
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def literal_dots(p):
    """`hooks.slack.com` in a pattern means the dots; draw them as dots."""
    return re.sub(r"(?<=[A-Za-z0-9])(?<!\\[A-Za-z])\.(?=[A-Za-z])", r"\\.", p)


def draw_placed(rule, rng):
    """A value drawn from a rule's pattern, as the peer's own tests write one: the secret
    (the pattern's secret group, else its first non-empty group, else the whole match),
    at least as random as the rule's `entropy` asks, assigned in one of the peer's sample
    templates to an identifier naming the service (one of the pattern's identifiers for a
    semi-generic rule, else the first word of the rule id). None when the pattern cannot
    be drawn from."""
    pattern = go_regex_to_python(literal_dots(rule["regex"]))
    compiled = re.compile(pattern)
    for _ in range(50):
        random.seed(rng.random())
        text = rstr.xeger(pattern.replace("$", ""))
        m = compiled.search(text)
        if not m:
            continue
        group = rule.get("secretGroup")
        if group:
            secret = m.group(group)
        elif GROUP_END in rule["regex"]:
            secret = next((g for g in m.groups() if g), m.group(0))
        else:
            secret = m.group(0)
        # A pattern whose secret group holds the value's quotes (`"[a-z0-9]{8,20}"`).
        if len(secret) > 2 and secret[0] == secret[-1] and secret[0] in "\"'`":
            secret = secret[1:-1]
        if secret and entropy(secret) >= rule.get("entropy", 0):
            break
    else:
        return None
    ids = identifiers_of(rule["regex"])
    ident = ""
    if ids:
        random.seed(rng.random())
        # An identifier is a word: what else the alternation holds (a stray comma) goes.
        ident = re.sub(r"[^\w.-]", "", rstr.xeger(go_regex_to_python(literal_dots(ids))))
    if not ident:
        ident = rule["id"].split("-")[0]
    template = rng.choice(TEMPLATES)
    return template.replace("{i}", ident).replace("{I}", ident.upper()).replace("{s}", secret)


def case_key(rule, origin, kind, text):
    """A case's name, stable across exports: rule, origin, kind and a digest of its text."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{rule}/{origin}/{kind}/{digest}"


def collect(peer, drawn, seed, raw):
    """The cases of a peer checkout: dicts with key, rule, kind (tp|fp), origin
    (fixed|drawn) and text, without duplicates; and the count not evaluated."""
    cases, seen = [], set()
    unsupported = 0

    def add(rule, origin, kind, example):
        path, text = example if isinstance(example, tuple) else (None, example)
        key = case_key(rule, origin, kind, text if path is None else f"{path}\0{text}")
        if key not in seen:
            seen.add(key)
            case = {"key": key, "rule": rule, "kind": kind, "origin": origin, "text": text}
            if path is not None:
                case["path"] = path
            cases.append(case)

    for path in list_peer(peer, "cmd/generate/config/rules"):
        if not path.endswith(".go"):
            continue
        for rule, tps, fps, skipped in examples(read_peer(peer, path), seed):
            unsupported += skipped
            for t in tps:
                add(rule, "fixed", "tp", t)
            for t in fps:
                add(rule, "fixed", "fp", t)
    config = tomllib.loads(read_peer(peer, "config/gitleaks.toml"))
    for r in config["rules"]:
        if not r.get("regex") or (not raw and r["id"] in NOT_DRAWN):
            continue
        rng = random.Random(f"{seed}:drawn:{r['id']}")
        for _ in range(drawn):
            try:
                text = draw(r["regex"], rng) if raw else draw_placed(r, rng)
            except Exception:  # a pattern rstr cannot draw from
                text = None
            if text is None:
                unsupported += 1
            elif r["id"] in DRAWN_PATHS:
                add(r["id"], "drawn", "tp", (DRAWN_PATHS[r["id"]], text))
            else:
                add(r["id"], "drawn", "tp", text)
    return cases, unsupported


def export(path, cases, meta):
    """The cases as gzip-compressed JSON lines, the same bytes for the same input: a
    header line with the provenance, then one case per line."""
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write((json.dumps(meta, sort_keys=True) + "\n").encode("utf-8"))
            for c in cases:
                line = {k: c[k] for k in ("key", "rule", "kind", "origin", "path", "text") if k in c}
                f.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))


def load(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    return lines[0], lines[1:]


def measure(cases, binary, work):
    """Which cases tiergate flags: one file per case in a neutral repository, one run."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "cases"))
    for n, c in enumerate(cases):
        # A case with a path keeps it below its own directory: `cases/00042/main.tf`.
        name = f"{n:05}/{c['path']}" if "path" in c else f"{n:05}.txt"
        os.makedirs(os.path.dirname(os.path.join(work, "cases", name)), exist_ok=True)
        with open(os.path.join(work, "cases", name), "w", encoding="utf-8") as f:
            f.write(c["text"] + "\n")
    r = subprocess.run([binary, "ls", "--format", "json", work], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"tiergate failed: {r.stderr}")
    flagged = set()
    for f in json.loads(r.stdout):
        path = f["path"]
        # A finding of the shipped secrets pack, at any tier (test keys are tier 2), or
        # a file name that marks a key store (the peer's `pkcs12-file`).
        if path.startswith("cases/") and any(
            "policies/secrets.rego" in x["source"] or x["code"] == "credential-file"
            for x in f["reasons"]
        ):
            flagged.add(int(path[6:11]))
    return flagged


def main():
    # rstr draws from negated classes through a set of characters, whose order follows
    # the string hash: fix the hash seed so the same seed draws the same values.
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", help="the peer's checkout (or bare git dir), or a case file "
                    "(.jsonl.gz) written by --export")
    ap.add_argument("bin", nargs="?", help="the tiergate binary to measure")
    ap.add_argument("--drawn", type=int, default=25, help="values drawn per rule")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--raw-draws", action="store_true", help="draw whole matches of the "
                    "patterns, context included, instead of secrets placed in templates")
    ap.add_argument("--work", default="/tmp/secrets-peer")
    ap.add_argument("--misses", help="write the missed true positives and the false positives "
                    "raised here, one JSON per line")
    ap.add_argument("--export", metavar="FILE", help="write the cases to FILE (.jsonl.gz) "
                    "and stop")
    a = ap.parse_args()
    if a.source.endswith(".gz"):
        meta, cases = load(a.source)
        unsupported = None
        print(f"cases of {meta['peer']} at {meta['commit']}")
    else:
        cases, unsupported = collect(a.source, a.drawn, a.seed, a.raw_draws)
        if len({c["key"] for c in cases}) != len(cases):
            sys.exit("two cases share a key")
    if a.export:
        if a.raw_draws:
            sys.exit("--export writes placed draws only")
        meta = {
            "peer": "https://github.com/gitleaks/gitleaks",
            "commit": peer_commit(a.source),
            "seed": a.seed,
            "drawn": a.drawn,
            "rstr": importlib.metadata.version("rstr"),
            "not_drawn": sorted(NOT_DRAWN),
        }
        export(a.export, cases, meta)
        print(f"{len(cases)} cases written to {a.export} "
              f"({os.path.getsize(a.export)} bytes; not evaluated: {unsupported})")
        return
    if not a.bin:
        ap.error("the tiergate binary is needed to measure")
    flagged = measure(cases, a.bin, a.work)
    stats = defaultdict(lambda: [0, 0, 0, 0])  # tp found, tp total, fp raised, fp total
    misses = []
    for n, c in enumerate(cases):
        s = stats[(c["origin"], c["rule"])]
        hit = n in flagged
        if c["kind"] == "tp":
            s[0] += hit
            s[1] += 1
            if not hit:
                misses.append(c)
        else:
            s[2] += hit
            s[3] += 1
            if hit:
                misses.append(dict(c, false_positive=True))
    for origin in ("fixed", "drawn"):
        rows = {k[1]: v for k, v in stats.items() if k[0] == origin}
        tp = sum(v[0] for v in rows.values())
        tpn = sum(v[1] for v in rows.values())
        fp = sum(v[2] for v in rows.values())
        fpn = sum(v[3] for v in rows.values())
        fam = [k for k, v in rows.items() if v[1]]
        got = [k for k in fam if rows[k][0]]
        print(f"{origin}: true positives found {tp}/{tpn} ({100*tp/max(tpn,1):.1f}%), "
              f"false positives {fp}/{fpn}; rules with examples {len(fam)}, recognised {len(got)}")
    if unsupported is not None:
        print(f"examples not evaluated (unsupported Go expressions or patterns): {unsupported}")
    if a.misses:
        with open(a.misses, "w", encoding="utf-8") as f:
            for m in misses:
                f.write(json.dumps(m) + "\n")


if __name__ == "__main__":
    main()
