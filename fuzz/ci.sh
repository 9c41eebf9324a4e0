#!/usr/bin/env bash
# A short, bounded fuzz run of every target, for CI: it catches regressions, it is not a
# campaign (see fuzz/README.md for long runs). It needs only cargo and the stable
# toolchain: the targets are built with the coverage instrumentation cargo-fuzz passes
# for `--sanitizer none`, without installing cargo-fuzz (minutes of build on a fresh
# machine), and libFuzzer's binaries are run directly.
# Usage: fuzz/ci.sh [SECONDS_PER_TARGET]   (default 20)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-20}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
# No sanitizer: the code under test is Rust whose memory safety the compiler checks, so
# AddressSanitizer would mostly slow a short run; panics, failed assertions (debug
# assertions are on), timeouts and memory blow-ups are what it looks for
# (fuzz/README.md shows a run with the sanitizer). The dev profile of fuzz/Cargo.toml leaves the
# dependencies unoptimised (the build is most of a short run's cost) and optimises
# tiergate, the code under test, a little.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
--cfg fuzzing -Cdebug-assertions"
cargo build --quiet --locked --target "$triple" --bins
for src in fuzz_targets/*.rs; do
  target="$(basename "$src" .rs)"
  # Run on a scratch copy of the seeds, so the committed corpus only holds seeds.
  work="$(mktemp -d)"
  cp corpus/"$target"/* "$work"/
  log="$work.log"
  mkdir -p artifacts/"$target"
  echo "fuzz: $target for ${seconds}s"
  status=0
  "target/$triple/debug/$target" "$work" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" >"$log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" || true
  if [ "$status" -ne 0 ]; then
    # The panic message and libFuzzer's summary; the backtrace is in neither.
    grep -E -A3 'panicked at|^==[0-9]+== ERROR|^SUMMARY' "$log" >&2 || tail -n 40 "$log" >&2
    echo "fuzz: $target failed (exit $status); the crashing input is under fuzz/artifacts/$target/" >&2
    exit 1
  fi
  rm -rf "$work" "$log"
done
