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
- drawn: values drawn from each rule's pattern of the rule file (`--drawn N` per rule).

Usage: bench/secrets-peer.py PEER_CHECKOUT TIERGATE_BIN [--drawn N] [--seed S]
       [--work DIR] [--misses FILE]
PEER_CHECKOUT is a checkout (or a bare git dir) of the peer's repository. Needs the
`rstr` package from PyPI (pip install rstr) to draw values from patterns.
The peer's examples are used to measure only; nothing of them is shipped.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict

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


def examples(go_src, rng):
    """(rule id, tps, fps, unsupported count) for each rule function of a generator."""
    out = []
    for fn in re.split(r"\nfunc ", go_src)[1:]:
        m = re.search(r'RuleID:\s*"([^"]+)"', fn)
        if not m:
            continue
        rule = m.group(1)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer")
    ap.add_argument("bin")
    ap.add_argument("--drawn", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default="/tmp/secrets-peer")
    ap.add_argument("--misses", help="write the missed true positives and the false positives "
                    "raised here, one JSON per line")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cases = []  # (kind, rule, should_match, text)
    unsupported = 0
    for path in list_peer(a.peer, "cmd/generate/config/rules"):
        if not path.endswith(".go"):
            continue
        for rule, tps, fps, skipped in examples(read_peer(a.peer, path), rng):
            unsupported += skipped
            cases += [("fixed", rule, True, t) for t in tps]
            cases += [("fixed", rule, False, t) for t in fps]
    config = tomllib.loads(read_peer(a.peer, "config/gitleaks.toml"))
    for r in config["rules"]:
        if "regex" not in r:
            continue
        for _ in range(a.drawn):
            try:
                cases.append(("drawn", r["id"], True, draw(r["regex"], rng)))
            except Exception:  # a pattern rstr cannot draw from
                unsupported += 1
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(os.path.join(a.work, "cases"))
    for n, (_, _, _, text) in enumerate(cases):
        with open(os.path.join(a.work, "cases", f"{n:05}.txt"), "w", encoding="utf-8") as f:
            f.write(text + "\n")
    r = subprocess.run([a.bin, "ls", "--format", "json", a.work], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"tiergate failed: {r.stderr}")
    listing = json.loads(r.stdout)
    flagged = {}
    for f in listing:
        path = f["path"]
        # A finding of the shipped secrets pack, at any tier (test keys are tier 2).
        secret = [r for r in f["reasons"] if "secrets.rego" in r["source"]]
        if path.startswith("cases/"):
            flagged[int(path[6:11])] = secret
    stats = defaultdict(lambda: [0, 0, 0, 0])  # tp found, tp total, fp raised, fp total
    misses = []
    for n, (kind, rule, should, text) in enumerate(cases):
        s = stats[(kind, rule)]
        hit = bool(flagged.get(n))
        if should:
            s[0] += hit
            s[1] += 1
            if not hit:
                misses.append({"kind": kind, "rule": rule, "text": text})
        else:
            s[2] += hit
            s[3] += 1
            if hit:
                misses.append({"kind": kind, "rule": rule, "false_positive": True, "text": text})
    for kind in ("fixed", "drawn"):
        rows = {k[1]: v for k, v in stats.items() if k[0] == kind}
        tp = sum(v[0] for v in rows.values())
        tpn = sum(v[1] for v in rows.values())
        fp = sum(v[2] for v in rows.values())
        fpn = sum(v[3] for v in rows.values())
        fam = [k for k, v in rows.items() if v[1]]
        got = [k for k in fam if rows[k][0]]
        print(f"{kind}: true positives found {tp}/{tpn} ({100*tp/max(tpn,1):.1f}%), "
              f"false positives {fp}/{fpn}; rules with examples {len(fam)}, recognised {len(got)}")
    print(f"examples not evaluated (unsupported Go expressions or patterns): {unsupported}")
    if a.misses:
        with open(a.misses, "w", encoding="utf-8") as f:
            for m in misses:
                f.write(json.dumps(m) + "\n")


if __name__ == "__main__":
    main()
