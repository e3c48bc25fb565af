#!/usr/bin/env bash
# Installs what is missing, builds hopshare-bench (default preset) and runs one benchmark,
# writing CSV, JSON and PNG plots into bench-results/ (netlab: bench-results/netlab.csv; chat
# prints its table).
#
#   scripts/bench.sh [transfer|concurrency|chat|netlab] [options passed to the benchmark]
#
# transfer (the default) is the full loss x delay x mode x controller sweep (~10-20 min; add
# --quick for ~2 min); netlab times the transport and kernel TCP between two network
# namespaces and needs root (`netlab --both-directions` loses the ACK path too; its kinds include
# a relayed transfer). docs/BENCHMARKS.md explains every figure.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-transfer}
[[ $# -eq 0 ]] || shift
case "$what" in
  transfer | concurrency | chat | netlab) ;;
  *) echo "usage: scripts/bench.sh [transfer|concurrency|chat|netlab] [options]" >&2; exit 2 ;;
esac

bash scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target hopshare-bench hopshare-server -j "$(nproc 2>/dev/null || echo 2)"
bench=build/default/bench/hopshare-bench
mkdir -p bench-results
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

if [[ $what == netlab ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "bench: netlab creates network namespaces and needs root" >&2
    exit 1
  fi
  # --both-directions: the same loss on the ACK path too (LOSS_DIR=both); the CSV is named for it.
  out=bench-results/netlab.csv
  for arg in "$@"; do
    case "$arg" in
      --both-directions) export LOSS_DIR=both; out=bench-results/netlab-both.csv ;;
      *) echo "bench: netlab takes only --both-directions (and RATES, LOSSES, KINDS from the environment)" >&2; exit 2 ;;
    esac
  done
  exec bash bench/run-netlab.sh "$bench" "$out"
fi
if [[ $what == chat ]]; then
  # Prints its table; the raw rows are in the JSON lines it prints last.
  exec "$bench" chat --server-bin build/default/server-console/hopshare-server "$@"
fi
exec "$bench" "$what" --out bench-results "$@"
