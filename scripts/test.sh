#!/usr/bin/env bash
# Installs what is missing, checks the formatting (scripts/format-check.sh), builds the asan
# (AddressSanitizer + UndefinedBehaviorSanitizer) preset and runs the whole test suite on it,
# builds the default (RelWithDebInfo) preset's programs with its warnings as errors; then builds
# the libFuzzer targets, replays their corpus and fuzzes each for FUZZ_SECONDS, 6 s unless set
# (scripts/fuzz.sh).
#
# TEST_PRESETS="default asan" runs the suite on both presets (about seven minutes more on two
# cores); a preset not named builds its programs only, in build/<preset>-programs.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

bash scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
export QT_QPA_PLATFORM=offscreen

status=0
echo "=== clang-format"
bash scripts/format-check.sh || status=1
test_presets=" ${TEST_PRESETS:-asan} "
for preset in default asan; do
  if [[ $test_presets == *" $preset "* ]]; then
    echo "=== ${preset}: configure and build"
    cmake --preset "$preset" -DBUILD_TESTING=ON >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "=== ${preset}: tests"
    ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" || status=1
  else
    # A folder of its own, so that build/<preset> keeps its tests for `ctest` by hand.
    echo "=== ${preset}: configure and build the programs (no tests)"
    cmake --preset "$preset" -B "build/${preset}-programs" -DBUILD_TESTING=OFF >/dev/null
    cmake --build "build/${preset}-programs" -j "$jobs"
  fi
done
# 6 s per target keeps the whole run within its time budget; longer campaigns: docs/FUZZING.md.
FUZZ_SECONDS=${FUZZ_SECONDS:-6} bash scripts/fuzz.sh || status=1
echo "=== scripts/test.sh finished in $(( $(date +%s) - start )) s"
exit $status
