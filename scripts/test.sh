#!/usr/bin/env bash
# Installs what is missing, builds the default (RelWithDebInfo) and the asan (AddressSanitizer +
# UndefinedBehaviorSanitizer) presets, and runs the whole test suite on both; then builds the
# libFuzzer targets, replays their corpus and fuzzes each for FUZZ_SECONDS (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

bash scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
export QT_QPA_PLATFORM=offscreen

status=0
for preset in default asan; do
  echo "=== ${preset}: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== ${preset}: tests"
  ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" || status=1
done
bash scripts/fuzz.sh || status=1
echo "=== scripts/test.sh finished in $(( $(date +%s) - start )) s"
exit $status
