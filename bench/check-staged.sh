#!/usr/bin/env bash
# Time `tiergate check --staged` with N staged files on the 100,000-file benchmark
# repository (built by bench/mkcorpus.py; committed manifest included).
# Usage: bench/check-staged.sh TIERGATE_BIN [CORPUS_DIR] [STAGED_FILES] [RUNS]
# Prints the median, min and max wall time over RUNS runs (hyperfine), then restores the
# corpus to its commit. Needs hyperfine (Debian package `hyperfine`).
set -euo pipefail
bin=$(realpath "$1")
corpus=${2:-${TMPDIR:-/tmp}/tiergate-bench-corpus}
staged=${3:-10}
runs=${4:-30}
here=$(cd "$(dirname "$0")" && pwd)
command -v hyperfine >/dev/null || { echo "check-staged.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
if [ ! -d "$corpus/.git" ]; then
  mk="$here/mkcorpus.py"
  [ -f "$mk" ] || { echo "check-staged.sh: no corpus at $corpus and no mkcorpus.py" >&2; exit 2; }
  python3 "$mk" "$corpus"
fi
cd "$corpus"
git reset -q --hard
# The benchmark judges a fresh manifest: commit one when the corpus has none.
if ! git cat-file -e HEAD:tiergate.manifest.json 2>/dev/null; then
  "$bin" scan >/dev/null 2>&1
  git add tiergate.manifest.json
  git -c user.name=bench -c user.email=bench@example.com commit -q -m "tiergate manifest"
fi
restore() { git reset -q --hard; }
trap restore EXIT
# Edit N tracked text files (spread over the tree), regenerate the manifest, stage both.
git ls-files -- '*.py' | awk -v n="$staged" 'NR % 997 == 1 && c < n { print; c++ }' >/tmp/tiergate-staged-files
while read -r f; do printf '\n# edited for the benchmark\n' >>"$f"; done </tmp/tiergate-staged-files
"$bin" scan >/dev/null 2>&1
git add -A
echo "staged: $(git diff --cached --name-only | wc -l) files (manifest included)"
"$bin" check --staged >/dev/null || { echo "check --staged did not pass on the benchmark change" >&2; "$bin" check --staged | tail -5; exit 2; }
hyperfine -N --warmup 3 --runs "$runs" --export-json /tmp/tiergate-staged.json "$bin check --staged" >/dev/null 2>&1
python3 - <<'PY'
import json, statistics
r = json.load(open("/tmp/tiergate-staged.json"))["results"][0]
t = r["times"]
print(f"check --staged: median {statistics.median(t)*1000:.1f} ms, min {min(t)*1000:.1f} ms, max {max(t)*1000:.1f} ms over {len(t)} runs")
PY
