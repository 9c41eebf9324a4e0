#!/usr/bin/env bash
# Time a rescan after changing N tracked files against `git status` on the same tree, in
# one run: each round changes the same N files (a line appended), runs `git status`,
# changes them again, runs `tiergate scan` (which finds the rest in its cache). Prints
# both medians and their ratio, then restores the files.
# Usage: bench/rescan.sh TIERGATE_BIN [CORPUS_DIR] [FILES] [RUNS]
set -euo pipefail
bin=$(realpath "$1")
corpus=${2:-${TMPDIR:-/tmp}/tiergate-bench-corpus}
n=${3:-10}
runs=${4:-9}
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$corpus/.git" ] || python3 "$here/mkcorpus.py" "$corpus"
out=$(mktemp -d)
cd "$corpus"
git ls-files -- '*.py' | awk -v n="$n" 'NR % 997 == 1 && c < n { print; c++ }' >"$out/files"
restore() { xargs git checkout -q -- <"$out/files"; rm -rf "$out"; }
trap restore EXIT
round=0
change() { round=$((round + 1)); while read -r f; do printf '# rescan %s\n' "$round" >>"$f"; done <"$out/files"; }
tg_cmd() { "$bin" scan -o "$out/manifest.json" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 2; }; }
now() { date +%s.%N; }
git status >/dev/null; tg_cmd; tg_cmd   # warm the page cache and the cache
gits=(); tgs=()
for _ in $(seq "$runs"); do
  change; t0=$(now); git status >/dev/null; t1=$(now)
  change; t2=$(now); tg_cmd; t3=$(now)
  gits+=("$(echo "$t1 - $t0" | bc)"); tgs+=("$(echo "$t3 - $t2" | bc)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
mg=$(median "${gits[@]}"); mt=$(median "${tgs[@]}")
printf 'changed: %s files per run\nlast scan: %s\ngit status median: %.3f s\ntiergate rescan median: %.3f s\nratio tiergate/git status: %.2f\n' \
  "$(wc -l <"$out/files")" "$(grep 'known from the cache' "$out/err" | sed 's/^tiergate: //')" "$mg" "$mt" "$(echo "$mt / $mg" | bc -l)"
