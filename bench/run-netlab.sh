#!/usr/bin/env bash
# Times hopshare-bench (UDP transport) and kernel TCP between the two netlab namespaces:
# the file sender runs in the "snd" namespace (10.77.0.1), the fetcher in "rcv" (10.77.0.2),
# where netlab drops arriving packets, so loss hits the data direction.
#
#   bench/run-netlab.sh BENCH_BINARY [OUT_CSV]
#   env: RATES="100mbit unlimited"  LOSSES="0 1 5 10"  KINDS="tcp-bbr tcp-cubic udp-sr udp-sr-plain udp-gbn"
#        (udp-* encrypt; a "-plain" suffix, e.g. udp-sr-plain, is the unencrypted baseline)
#        SIZE_LIMITED=32MiB SIZE_UNLIMITED=256MiB FETCH_TIMEOUT=20 (seconds; slower runs report
#        the goodput of what arrived, unverified)
# Needs root, iproute2, nftables, ethtool. Always tears the lab down; every process it starts is
# bounded by `timeout` and stopped by its PID.
set -euo pipefail

BENCH=$(realpath "${1:?usage: run-netlab.sh BENCH_BINARY [OUT_CSV]}")
OUT=${2:-netlab.csv}
RATES=${RATES:-"100mbit unlimited"}
LOSSES=${LOSSES:-"0 1 5 10"}
KINDS=${KINDS:-"tcp-bbr tcp-cubic udp-sr udp-sr-plain udp-gbn"}
SIZE_LIMITED=${SIZE_LIMITED:-32MiB}
SIZE_UNLIMITED=${SIZE_UNLIMITED:-256MiB}
FETCH_TIMEOUT=${FETCH_TIMEOUT:-20}
NETLAB=${NETLAB:-/work/shared/tools/netlab.sh}
NAME=hb
SND_IP=10.77.0.1
WORK=$(mktemp -d /tmp/hopshare-netlab.XXXXXX)
SERVER_PID=

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  bash "$NETLAB" down -n "$NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

bytes_of() { python3 -c "
import re,sys
m=re.fullmatch(r'([0-9.]+)(B|KiB|MiB|GiB)?', sys.argv[1])
print(int(float(m.group(1))*{None:1,'B':1,'KiB':1024,'MiB':1<<20,'GiB':1<<30}[m.group(2)]))" "$1"; }

wait_listening() {  # proto port
  for _ in $(seq 1 50); do
    if timeout 5 ip netns exec "$NAME-snd" ss -Hln"$1" "sport = :$2" | grep -q .; then return 0; fi
    sleep 0.1
  done
  echo "run-netlab: server on port $2 did not come up" >&2
  return 1
}

# resent_pct: the sender's resent datagrams in % of all it sent; spurious: resent although the
# first copy had arrived (UDP only).
echo "rate,loss_pct,kind,file_bytes,bytes,seconds,goodput_MBps,verified,retransmissions,cpu_fetch_s,cpu_serve_s,resent_pct,spurious" >"$OUT"
port=47100
for rate in $RATES; do
  size=$SIZE_LIMITED; [[ "$rate" == unlimited ]] && size=$SIZE_UNLIMITED
  file="$WORK/file-$size.bin"
  [[ -f "$file" ]] || head -c "$(bytes_of "$size")" /dev/urandom >"$file"
  timeout 60 bash "$NETLAB" up -n "$NAME" -r "$rate" -l 0
  # netlab leaves tx-udp-segmentation on: a UDP GSO train would then cross the veth whole and
  # the loss rule would drop all of its datagrams at once. Off, the sender's kernel splits each
  # train before the veth, so loss hits single datagrams as it does TCP's segments.
  for end in snd:s rcv:r; do
    timeout 10 ip netns exec "$NAME-${end%%:*}" ethtool -K "$NAME-${end#*:}" \
      tx-udp-segmentation off >/dev/null 2>&1 || echo "run-netlab: ethtool -K failed" >&2
  done
  for loss in $LOSSES; do
    timeout 60 bash "$NETLAB" set -n "$NAME" -r "$rate" -l "$loss"
    for kind in $KINDS; do
      port=$((port + 1))
      case "$kind" in
        tcp-*) proto=t; serve=(tcp-serve "$file" --listen "$SND_IP:$port" --cc "${kind#tcp-}")
               fetch=(tcp-fetch "$SND_IP:$port" --out "$WORK/out.bin" --cc "${kind#tcp-}") ;;
        udp-*) proto=u; mode=${kind#udp-}; plain=()
               if [[ "$mode" == *-plain ]]; then mode=${mode%-plain}; plain=(--plain); fi
               serve=(serve "$file" --listen "$SND_IP:$port" --mode "$mode" "${plain[@]}")
               fetch=(fetch "$SND_IP:$port" --out "$WORK/out.bin" --mode "$mode" "${plain[@]}") ;;
      esac
      rm -f "$WORK/out.bin"*
      timeout $((FETCH_TIMEOUT + 15)) ip netns exec "$NAME-snd" "$BENCH" "${serve[@]}" \
        --timeout $((FETCH_TIMEOUT + 10)) >"$WORK/serve.json" 2>"$WORK/serve.err" &
      SERVER_PID=$!
      line='{}'
      if wait_listening "$proto" "$port"; then
        line=$(timeout $((FETCH_TIMEOUT + 10)) ip netns exec "$NAME-rcv" "$BENCH" "${fetch[@]}" \
                 --timeout "$FETCH_TIMEOUT" 2>"$WORK/fetch.err" | tail -n1) || true
      fi
      # The sender prints its own line (retransmissions, CPU) once the last ACK is in.
      for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID" 2>/dev/null || true; fi
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=
      serve_line=$(tail -n1 "$WORK/serve.json" 2>/dev/null)
      python3 - "$rate" "$loss" "$kind" "$(bytes_of "$size")" "${line:-{\}}" "${serve_line:-{\}}" \
        >>"$OUT" <<'PY'
import json,sys
rate,loss,kind,size,line,serve_line=sys.argv[1:7]
def parse(text):
    try: return json.loads(text)
    except Exception: return {}
d,s=parse(line),parse(serve_line)
print(",".join(str(x) for x in [rate,loss,kind,size,d.get("bytes",0),round(d.get("seconds",0),3),
      round(d.get("goodput_MBps",0),2),d.get("verified",False),s.get("retransmissions",""),
      round(d.get("cpu_receiver_s",0),3),round(s.get("cpu_sender_s",0),3),
      round(100*s.get("retransmission_ratio",0),2) if "retransmission_ratio" in s else "",
      s.get("spurious_retransmissions","")]))
PY
      tail -n1 "$OUT"
    done
  done
done
bash "$NETLAB" stats -n "$NAME" || true
