#!/usr/bin/env bash
# Installs what is missing, builds hopshare-bench (default preset) and runs one benchmark,
# writing CSV, JSON and PNG plots into bench-results/ (netlab: bench-results/netlab.csv; chat
# prints its table).
#
#   scripts/bench.sh [transfer|concurrency|chat|netlab] [options passed to the benchmark]
#   scripts/bench.sh chat --vs-ngircd [--clients 1000,5000] [--window 64]   (hopshare vs ngIRCd:
#     bench-results/chat-vs-ngircd.{csv,json,png}; installs ngircd as root if missing)
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
  if [[ ${1:-} == --vs-ngircd ]]; then
    shift
    # The threaded TLS generator against hopshare-server and Debian's ngIRCd in the same run;
    # ngircd runs as our own foreground process (-n) on a free loopback port, never as a service.
    if ! command -v ngircd >/dev/null && [[ ! -x /usr/sbin/ngircd ]]; then
      if [[ $(id -u) -ne 0 ]]; then
        echo "bench: ngircd is missing; install it as root (apt-get install ngircd)" >&2
        exit 1
      fi
      apt-get update -qq
      # The package's own service is not wanted: a policy-rc.d (ours only if there was none)
      # keeps it from starting.
      made_policy=0
      if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        made_policy=1
      fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngircd || status=$?
      [[ $made_policy -eq 0 ]] || rm -f /usr/sbin/policy-rc.d
      [[ ${status:-0} -eq 0 ]] || exit "$status"
    fi
    ngircd_bin=$(command -v ngircd || echo /usr/sbin/ngircd)
    exec "$bench" chat --gen --ngircd-bin "$ngircd_bin" --out bench-results \
      --server-bin build/default/server-console/hopshare-server "$@"
  fi
  # Prints its table; the raw rows are in the JSON lines it prints last.
  exec "$bench" chat --server-bin build/default/server-console/hopshare-server "$@"
fi
exec "$bench" "$what" --out bench-results "$@"
