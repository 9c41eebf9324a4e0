#!/usr/bin/env bash
# A short, bounded fuzz run of every target, for CI: it catches regressions, it is not a
# campaign (see fuzz/README.md for long runs). Needs only the stable toolchain:
# RUSTC_BOOTSTRAP=1 lets it accept the -Z flags cargo-fuzz passes.
# Usage: fuzz/ci.sh [SECONDS_PER_TARGET]   (default 20)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-20}"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
# No sanitizer: the code under test is Rust whose memory safety the compiler checks, so
# AddressSanitizer would mostly slow a short run; panics, failed assertions, timeouts and
# memory blow-ups are what it looks for (fuzz/README.md shows a run with the sanitizer).
# A dev build (fuzz/Cargo.toml sets its optimisation) compiles in about half the time
# of a release build, which is most of a short run's cost.
flags=(--sanitizer none --dev)
cargo fuzz build "${flags[@]}"
for target in $(cargo fuzz list); do
  # Run on a scratch copy of the seeds, so the committed corpus only holds seeds.
  work="$(mktemp -d)"
  cp corpus/"$target"/* "$work"/
  log="$work.log"
  echo "fuzz: $target for ${seconds}s"
  status=0
  cargo fuzz run "${flags[@]}" "$target" "$work" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" || true
  if [ "$status" -ne 0 ]; then
    # The panic message and libFuzzer's summary; the backtrace is in neither.
    grep -E -A3 'panicked at|^==[0-9]+== ERROR|^SUMMARY' "$log" >&2 || tail -n 40 "$log" >&2
    echo "fuzz: $target failed (exit $status); the crashing input is under fuzz/artifacts/$target/" >&2
    exit 1
  fi
  rm -rf "$work" "$log"
done
