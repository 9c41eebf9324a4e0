#!/usr/bin/env bash
# The quality corpus's figures (docs/src/quality.md) for one or more tiergate binaries,
# to compare a change with what came before. The figures are computed by the `quality`
# test target (tests/quality.rs), run here in report-only mode against each binary.
# Usage: bench/quality.sh [TIERGATE_BIN...]
#   TIERGATE_BIN  default: the binary `cargo test` builds from this checkout
# Example: before and after a change
#   git stash && cargo build --release && cp target/release/tiergate /tmp/tiergate-before
#   git stash pop && cargo build --release
#   bench/quality.sh /tmp/tiergate-before target/release/tiergate
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bins=()
for bin in "$@"; do
  [ -x "$bin" ] || { echo "bench/quality.sh: $bin is not an executable" >&2; exit 2; }
  bins+=("$(realpath "$bin")")
done
[ ${#bins[@]} -gt 0 ] || bins=("")
cd "$top"
cargo test --quiet --test quality --no-run
for bin in "${bins[@]}"; do
  echo "== ${bin:-the binary of this checkout}"
  TIERGATE_QUALITY_BIN=$bin TIERGATE_QUALITY_REPORT_ONLY=1 \
    cargo test --quiet --test quality corpus_figures -- --exact --nocapture \
    | grep -v -e '^running [0-9]* test' -e '^test result:' -e '^\.$'
done
