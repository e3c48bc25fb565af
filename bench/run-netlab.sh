#!/usr/bin/env bash
# Times hopshare-bench (UDP transport) and kernel TCP between the two netlab namespaces:
# the file sender runs in the "snd" namespace (10.77.0.1), the fetcher in "rcv" (10.77.0.2),
# where netlab drops arriving packets: LOSS_DIR=data (default) loses only the data direction,
# LOSS_DIR=both loses the same share of the reverse path too (ACKs, TCP's and ours).
#
#   bench/run-netlab.sh BENCH_BINARY [OUT_CSV]
#   env: RATES="100mbit unlimited"  LOSSES="0 1 5 10"  LOSS_DIR=data|both  KINDS="tcp-bbr tcp-cubic udp-sr udp-sr-plain udp-gbn udp-sr-relay"
#        (udp-* encrypt; a "-plain" suffix, e.g. udp-sr-plain, is the unencrypted baseline;
#        a "-relay" suffix, e.g. udp-sr-relay, sends through a server relay session
#        (`hopshare-bench relay`, the server's forwarding code) in the sender's namespace, so
#        the relayed path crosses the same link as the direct one, plus the relay;
#        RELAY_RATE=BYTES sets its per-direction rate, default the server's 125000000)
#        SIZE_LIMITED=32MiB SIZE_UNLIMITED=256MiB FETCH_TIMEOUT=20 (seconds; slower runs report
#        the goodput of what arrived, unverified)
# Needs root, iproute2, nftables, ethtool. Always tears the lab down; every process it starts is
# bounded by `timeout` and stopped by its PID.
set -euo pipefail

BENCH=$(realpath "${1:?usage: run-netlab.sh BENCH_BINARY [OUT_CSV]}")
OUT=${2:-netlab.csv}
RATES=${RATES:-"100mbit unlimited"}
LOSSES=${LOSSES:-"0 1 5 10"}
LOSS_DIR=${LOSS_DIR:-data}
KINDS=${KINDS:-"tcp-bbr tcp-cubic udp-sr udp-sr-plain udp-gbn udp-sr-relay"}
SIZE_LIMITED=${SIZE_LIMITED:-32MiB}
SIZE_UNLIMITED=${SIZE_UNLIMITED:-256MiB}
FETCH_TIMEOUT=${FETCH_TIMEOUT:-20}
NETLAB=${NETLAB:-/work/shared/tools/netlab.sh}
NAME=hb
SND_IP=10.77.0.1
WORK=$(mktemp -d /tmp/hopshare-netlab.XXXXXX)
SERVER_PID=
RELAY_PID=

stop_pid() {  # pid: waits up to 3 s for it to end by itself, then stops it
  [[ -n "$1" ]] || return 0
  for _ in $(seq 1 30); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then kill "$1" 2>/dev/null || true; fi
  wait "$1" 2>/dev/null || true
}

cleanup() {
  if [[ -n "$RELAY_PID" ]] && kill -0 "$RELAY_PID" 2>/dev/null; then
    kill "$RELAY_PID" 2>/dev/null || true
    wait "$RELAY_PID" 2>/dev/null || true
  fi
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
# first copy had arrived (UDP only). relay_over_rate, relay_dropped, relay_send_errors,
# cpu_relay_s: the transfer's datagrams the relay session dropped over its rate, all it dropped
# by its rules (also datagrams before both ends were bound), what the kernel refused to send,
# its CPU (relayed only).
echo "rate,loss_pct,loss_dir,kind,file_bytes,bytes,seconds,goodput_MBps,verified,retransmissions,cpu_fetch_s,cpu_serve_s,resent_pct,spurious,relay_over_rate,relay_dropped,relay_send_errors,cpu_relay_s" >"$OUT"
port=47100

# Starts a relay session in the sender's namespace (RELAY_PID) and sets RELAY_ARGS for serve
# and fetch.
start_relay() {
  timeout $((FETCH_TIMEOUT + 25)) ip netns exec "$NAME-snd" "$BENCH" relay --listen "$SND_IP" \
    --timeout $((FETCH_TIMEOUT + 20)) ${RELAY_RATE:+--rate "$RELAY_RATE"} >"$WORK/relay.json" \
    2>"$WORK/relay.err" &
  RELAY_PID=$!
  for _ in $(seq 1 50); do
    if [[ -s "$WORK/relay.json" ]]; then
      read -r rport rtoken < <(python3 -c 'import json,sys
r=json.loads(open(sys.argv[1]).readline()); print(r["relay_port"], r["token"])' "$WORK/relay.json")
      RELAY_ARGS=(--relay "$SND_IP:$rport" --relay-token "$rtoken")
      return 0
    fi
    sleep 0.1
  done
  return 1
}
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
    timeout 60 bash "$NETLAB" set -n "$NAME" -r "$rate" -l "$loss" -d "$LOSS_DIR"
    for kind in $KINDS; do
      port=$((port + 1))
      case "$kind" in
        tcp-*) proto=t; serve=(tcp-serve "$file" --listen "$SND_IP:$port" --cc "${kind#tcp-}")
               fetch=(tcp-fetch "$SND_IP:$port" --out "$WORK/out.bin" --cc "${kind#tcp-}") ;;
        udp-*) proto=u; mode=${kind#udp-}; plain=(); relay=()
               if [[ "$mode" == *-relay ]]; then
                 mode=${mode%-relay}
                 start_relay || { echo "run-netlab: the relay did not start" >&2; continue; }
                 relay=("${RELAY_ARGS[@]}")
               fi
               if [[ "$mode" == *-plain ]]; then mode=${mode%-plain}; plain=(--plain); fi
               serve=(serve "$file" --listen "$SND_IP:$port" --mode "$mode" "${plain[@]}" ${relay[@]+"${relay[@]}"})
               fetch=(fetch "$SND_IP:$port" --out "$WORK/out.bin" --mode "$mode" "${plain[@]}" ${relay[@]+"${relay[@]}"}) ;;
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
      # The sender prints its own line (retransmissions, CPU) once the last ACK is in; the
      # relay its own 2 s after the transfer's CLOSE crossed it.
      stop_pid "$SERVER_PID"; SERVER_PID=
      relay_line='{}'
      if [[ -n "$RELAY_PID" ]]; then
        stop_pid "$RELAY_PID"; RELAY_PID=
        relay_line=$(tail -n1 "$WORK/relay.json" 2>/dev/null)
      fi
      serve_line=$(tail -n1 "$WORK/serve.json" 2>/dev/null)
      python3 - "$rate" "$loss" "$LOSS_DIR" "$kind" "$(bytes_of "$size")" "${line:-{\}}" "${serve_line:-{\}}" \
        "${relay_line:-{\}}" >>"$OUT" <<'PY'
import json,sys
rate,loss,loss_dir,kind,size,line,serve_line,relay_line=sys.argv[1:9]
def parse(text):
    try: return json.loads(text)
    except Exception: return {}
d,s,r=parse(line),parse(serve_line),parse(relay_line)
print(",".join(str(x) for x in [rate,loss,loss_dir,kind,size,d.get("bytes",0),round(d.get("seconds",0),3),
      round(d.get("goodput_MBps",0),2),d.get("verified",False),s.get("retransmissions",""),
      round(d.get("cpu_receiver_s",0),3),round(s.get("cpu_sender_s",0),3),
      round(100*s.get("retransmission_ratio",0),2) if "retransmission_ratio" in s else "",
      s.get("spurious_retransmissions",""),r.get("dropped_over_rate",""),r.get("dropped",""),
      r.get("send_errors",""),
      round(r["cpu_relay_s"],3) if "cpu_relay_s" in r else ""]))
PY
      tail -n1 "$OUT"
    done
  done
done
bash "$NETLAB" stats -n "$NAME" || true
