#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan), replays the committed
# corpus of every target, then fuzzes each target for FUZZ_SECONDS (default 20), FUZZ_JOBS at a
# time (default 2). New interesting inputs go to a scratch directory, never into the tree; a
# crash fails the script and its reproducer path is printed. docs/FUZZING.md explains the rest.
#
#   scripts/fuzz.sh                  replay + bounded fuzzing (what CI runs)
#   scripts/fuzz.sh --replay-only    replay only
#   scripts/fuzz.sh --write-seeds    regenerate tests/fuzz/corpus/<target>/ from the encoders
#   FUZZ_TARGETS="frame_reader ack_ranges" FUZZ_SECONDS=600 scripts/fuzz.sh
#   FUZZ_JOBS=1 FUZZ_RUNS=10000000 FUZZ_SECONDS=3600 nice -n 10 scripts/fuzz.sh   (long campaign)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:-fuzz}
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
build=build/fuzz
scratch=${FUZZ_SCRATCH:-$build/scratch}
start=$(date +%s)

echo "=== fuzz: configure and build"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)"

targets=()
if [[ -n ${FUZZ_TARGETS:-} ]]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  while IFS= read -r exe; do
    targets+=("${exe#fuzz_}")
  done < <(find "$build/tests/fuzz" -maxdepth 1 -type f -executable -name 'fuzz_*' -printf '%f\n' | sort)
fi

if [[ $mode == --write-seeds ]]; then
  for t in "${targets[@]}"; do
    HOPSHARE_FUZZ_WRITE_SEEDS="tests/fuzz/corpus/$t" "$build/tests/fuzz/fuzz_$t"
  done
  exit 0
fi

echo "=== fuzz: corpus replay"
ctest --test-dir "$build" -L fuzz --output-on-failure -j "$jobs"
if [[ $mode == --replay-only ]]; then
  exit 0
fi

echo "=== fuzz: ${seconds} s per target, ${jobs} at a time"
mkdir -p "$scratch"
# Inputs longer than a target's decoder can meaningfully read only slow it down.
declare -A max_len=([names]=128 [impairment_spec]=256 [cli_command]=512 [hash_cache]=2048
  [ack_ranges]=600 [rendezvous_packet]=128 [transfer_packet]=1300 [frame_reader]=1024
  [message_codec]=4096 [link_messages]=4096 [known_servers]=2048 [known_peers]=2048
  [file_signalling]=1024)
run_one() {
  local t=$1 dir="$scratch/$1"
  rm -rf "$dir/crashes" "$dir/rc"
  mkdir -p "$dir/new" "$dir/crashes"
  # The first corpus directory receives new inputs; the committed one is only read.
  local rc=0
  "$build/tests/fuzz/fuzz_$t" "$dir/new" "tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -runs="${FUZZ_RUNS:--1}" -max_len="${max_len[$t]:-4096}" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/crashes/" >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}
for t in "${targets[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do
    wait -n || true
  done
  run_one "$t" &
done
wait

status=0
printf '%-20s %14s %8s %s\n' target executions seconds result
for t in "${targets[@]}"; do
  rc=$(cat "$scratch/$t/rc" 2>/dev/null || echo 1)
  log="$scratch/$t/log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  if [[ $rc -eq 0 ]]; then
    result=ok
  else
    result="FAILED (exit $rc)"
    status=1
  fi
  printf '%-20s %14s %8s %s\n' "$t" "${execs:-?}" "${secs:-?}" "$result"
  if [[ $rc -ne 0 ]]; then
    grep -E 'ERROR|invariant|SUMMARY' "$log" | head -5 | sed 's/^/    /'
    for f in "$scratch/$t"/crashes/*; do
      [[ -e $f ]] || continue
      echo "    reproducer: $root/$f"
      echo "    replay it:  $build/tests/fuzz/fuzz_$t $root/$f"
    done
    echo "    log: $root/$log"
  fi
done
echo "=== fuzz: new inputs (not committed) in $root/$scratch/<target>/new"
echo "=== scripts/fuzz.sh finished in $(( $(date +%s) - start )) s"
exit $status
