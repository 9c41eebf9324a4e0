#!/usr/bin/env bash
# Every benchmark of the performance chapter (docs/src/performance.md) in one command.
# Usage: bench/run.sh [TIERGATE_BIN] [RUNS]
#   TIERGATE_BIN  default target/release/tiergate (built with `cargo build --release` if missing)
#   RUNS          alternating runs per scan comparison (default 7)
# Needs python3, rg, hyperfine and bc; builds the benchmark repositories with
# bench/mkcorpus.py under $TMPDIR (default /tmp) when they are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${1:-$top/target/release/tiergate}
runs=${2:-7}
tmp=${TMPDIR:-/tmp}
big=$tmp/tiergate-bench-corpus
small=$tmp/tiergate-bench-10k
for tool in python3 rg hyperfine bc; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: needs $tool" >&2; exit 2; }
done
[ -x "$bin" ] || (cd "$top" && cargo build --release)
bin=$(realpath "$bin")
[ -d "$big/.git" ] || python3 "$here/mkcorpus.py" "$big" >/dev/null
[ -d "$small/.git" ] || python3 "$here/mkcorpus.py" "$small" --files 10000 >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== machine"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== 1. scan against ripgrep, 100,000 files ($runs alternating runs)"
"$here/compare.sh" "$bin" "$big" "$runs"

echo "== 4. scaling: the same on 10,000 files"
"$here/compare.sh" "$bin" "$small" "$runs"

echo "== 5. same bytes: two scans, and one thread against the default"
(cd "$big" && git reset -q --hard)
(cd "$big" && "$bin" scan -o "$out/a.json" 2>/dev/null && "$bin" scan -o "$out/b.json" 2>/dev/null \
  && "$bin" --threads 1 scan -o "$out/c.json" 2>/dev/null)
cmp "$out/a.json" "$out/b.json" && cmp "$out/a.json" "$out/c.json" \
  && echo "identical: $(sha256sum <"$out/a.json" | cut -c1-16) ($(wc -c <"$out/a.json") bytes)"

echo "== 2. check --staged, 10 staged files"
"$here/check-staged.sh" "$bin" "$big" 10 30

echo "== 3. route and hook against the 100,000-file manifest"
cd "$big"
"$bin" scan >/dev/null 2>&1
path=$(git ls-files -- '*.py' | sed -n 5000p)
printf '{"session_id":"bench","hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"file_path":"%s/%s"},"cwd":"%s"}\n' \
  "$big" "$path" "$big" >"$out/event.json"
export TIERGATE_LOG="$out/audit.jsonl"
hyperfine -N --warmup 5 --runs 50 --export-json "$out/route.json" \
  "$bin route $path --to cloud-zdr" >/dev/null 2>&1
# The event comes on standard input: through `sh -c` (about 1 ms of the figure).
hyperfine -N --warmup 5 --runs 50 --export-json "$out/hook.json" \
  "sh -c '$bin hook claude-code <$out/event.json'" >/dev/null 2>&1
python3 - "$out" <<'PY'
import json, statistics, sys
for name in ("route", "hook"):
    r = json.load(open(f"{sys.argv[1]}/{name}.json"))["results"][0]
    t = r["times"]
    print(f"{name}: median {statistics.median(t)*1000:.1f} ms, min {min(t)*1000:.1f} ms, "
          f"user+sys {(r['user']+r['system'])*1000:.1f} ms, over {len(t)} runs  [{r['command']}]")
PY
git reset -q --hard
git clean -qfd
