#!/usr/bin/env bash
# Compare builds of tiergate on one repository by interleaved scans: each run scans once
# with every build in turn, so a change in the machine's speed hits all of them alike.
# Prints, per build, the medians of wall time, CPU time (user + system) and peak RSS.
# Usage: bench/interleave.sh RUNS CORPUS_DIR BIN [BIN ...]
# Needs python3 and GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
runs=$1 corpus=$2
shift 2
[ -x /usr/bin/time ] || { echo "interleave.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$corpus"
bins=()
for b in "$@"; do bins+=("$(realpath "$b")"); done
for b in "${bins[@]}"; do "$b" scan -o "$out/m.json" >/dev/null 2>&1; done   # warm up
for _ in $(seq "$runs"); do
  for i in "${!bins[@]}"; do
    /usr/bin/time -a -o "$out/$i.times" -f "%e %U %S %M" "${bins[$i]}" scan -o "$out/m.json" >/dev/null 2>&1
  done
done
for i in "${!bins[@]}"; do
  python3 - "${bins[$i]}" "$out/$i.times" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
med = lambda xs: statistics.median(xs)
print(f"{sys.argv[1]}: wall {med([r[0] for r in rows]):.3f} s, user+sys {med([r[1] + r[2] for r in rows]):.3f} s, "
      f"peak RSS {med([r[3] for r in rows]) / 1024:.0f} MB, {len(rows)} runs")
PY
done
