#!/usr/bin/env bash
# A small internet in network namespaces: two linked hopshare-servers on a public segment, two
# private LANs behind NAT routers, three real hopshare-cli clients. Checks the room, the chat and
# file transfers (direct on the LAN, punched through both NATs, relayed through a symmetric NAT,
# under loss and under a rate limit, relayed under loss, and between routers that masquerade
# without a firewall) and two IPv6-only peers on the public segment, on the same server as the
# IPv4 clients. Topology and checks: docs/NAT-SCENARIO.md.
#
# Usage: nat_scenario.sh [--slow] SERVER_BIN CLI_BIN
#   --slow  multiplies every wait by 4 (sanitizer builds).
# Exit codes: 0 all checks passed, 1 a check failed, 77 cannot run here (prints what is missing).
# shellcheck disable=SC2317  # the cleanup functions run from traps
set -uo pipefail

readonly SKIP=77
SLOW=1
if [[ ${1:-} == --slow ]]; then
  SLOW=4
  shift
fi
SERVER_BIN=${1:-}
CLI_BIN=${2:-}

# ---------------------------------------------------------------------------------------------
# Names and addresses. Every namespace carries a per-run prefix, so parallel or aborted runs
# never collide; interfaces are created inside their namespaces and need no prefix.
readonly P="hsn$$-"
readonly NS_PUB=${P}pub NS_S1=${P}s1 NS_S2=${P}s2 NS_R1=${P}r1 NS_R2=${P}r2
readonly NS_ALICE=${P}alice NS_BOB=${P}bob NS_CAROL=${P}carol NS_DAVE=${P}dave NS_ERIN=${P}erin
readonly S1_IP=203.0.113.10 S2_IP=203.0.113.20 R1_WAN=203.0.113.101 R2_WAN=203.0.113.102
readonly R1_LAN=192.168.1.1 R2_LAN=192.168.2.1
# IPv6 on the public segment, no NAT: s1 listens on both families, dave and erin have IPv6 only.
readonly S1_IP6=2001:db8:77::10 DAVE_IP6=2001:db8:77::d ERIN_IP6=2001:db8:77::e
readonly ALICE_IP=192.168.1.10 CAROL_IP=192.168.1.11 BOB_IP=192.168.2.10
readonly PORT=7400 ROOM=lobby SECRET=scenario-link-secret
readonly FILE_KIB=8192 # size of every shared test file

NAMESPACES=()  # created, deleted by cleanup
PIDS=()        # started, stopped by cleanup
declare -A CLIENT_PID CLIENT_FD CLIENT_LOG
WORK=
FAILED=0
RATES=()       # "check path bytes seconds rate" lines for the summary

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
pass() { printf 'PASS %s\n' "$*"; }
fail() {
  printf 'FAIL %s\n' "$*"
  FAILED=1
}
in_ns() { timeout 10 ip netns exec "$@"; }

# ---------------------------------------------------------------------------------------------
# Preconditions: root, tools and binaries. Anything missing is named and the run is skipped.
check_requirements() {
  local missing=()
  [[ $(id -u) -eq 0 ]] || missing+=("root privileges (network namespaces)")
  local tool
  for tool in ip nft tc jq timeout sha256sum mkfifo; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("command '$tool'")
  done
  [[ -x $SERVER_BIN ]] || missing+=("server binary '$SERVER_BIN'")
  [[ -x $CLI_BIN ]] || missing+=("client binary '$CLI_BIN'")
  if [[ ${#missing[@]} -eq 0 ]]; then
    # A container may forbid namespaces even to root: try one.
    if ! timeout 10 ip netns add "${P}probe" 2>/dev/null; then
      missing+=("permission to create network namespaces (ip netns add failed)")
    else
      timeout 10 ip netns del "${P}probe"
      if ! timeout 10 nft --check add table inet probe 2>/dev/null; then
        missing+=("nftables support in the kernel (nft --check failed)")
      fi
    fi
  fi
  if [[ ${#missing[@]} -gt 0 ]]; then
    printf 'SKIP net_nat_scenario: missing %s\n' "${missing[@]}"
    printf 'SKIP install with: bash scripts/deps.sh (as root)\n'
    exit $SKIP
  fi
  command -v conntrack >/dev/null 2>&1 ||
    log "note: no 'conntrack' tool; clients are restarted instead of flushing NAT state"
}

# ---------------------------------------------------------------------------------------------
# Cleanup on every exit: processes by PID (TERM, then KILL), then the namespaces.
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [[ -n $WORK ]] && [[ $FAILED -ne 0 || ($code -ne 0 && $code -ne $SKIP) ]]; then
    dump_logs
  fi
  local ns
  for ns in "${NAMESPACES[@]}"; do
    timeout 10 ip netns del "$ns" 2>/dev/null
  done
  if [[ -n $WORK ]]; then
    if [[ -n ${HOPSHARE_NET_KEEP_LOGS:-} ]]; then
      log "logs kept in $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$code"
}
on_signal() {
  log "interrupted"
  exit 130
}

dump_logs() {
  local f ns
  for ns in "$NS_R1" "$NS_R2"; do
    printf -- '----- %s: unsolicited drops (input, forward), UDP conntrack\n' "$ns"
    timeout 10 ip netns exec "$ns" nft list table inet home 2>/dev/null | grep 'counter'
    timeout 10 ip netns exec "$ns" conntrack -L -p udp 2>/dev/null
  done
  for f in "$WORK"/*.log "$WORK"/*.err; do
    [[ -s $f ]] || continue
    printf -- '----- %s (last 40 lines, without progress events)\n' "${f##*/}"
    grep -v '"event":"transfer-progress"' "$f" | tail -n 40
  done
}

# ---------------------------------------------------------------------------------------------
# Topology helpers.
add_ns() {
  timeout 10 ip netns add "$1" || return 1
  NAMESPACES+=("$1")
  in_ns "$1" ip link set lo up
}

# veth NS_A IF_A NS_B IF_B: a cable between two namespaces (created there directly).
veth() {
  timeout 10 ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
  local pair
  for pair in "$1:$2" "$3:$4"; do
    # One packet per skb, so that loss and rate limits act on real packets: without this a
    # UDP GSO run of up to 54 datagrams crosses the routers as one skb and is dropped whole.
    in_ns "${pair%%:*}" ethtool -K "${pair#*:}" tso off gso off gro off \
      tx-udp-segmentation off >/dev/null 2>&1 || true
    in_ns "${pair%%:*}" ip link set "${pair#*:}" up
  done
}

# host NS IP/LEN GATEWAY: the single "eth0" of an end host.
host_addr() {
  in_ns "$1" ip addr add "$2" dev eth0
  [[ -z ${3:-} ]] || in_ns "$1" ip route add default via "$3"
}

# The home router's rules: masquerade out of "wan", nothing unsolicited in from "wan".
# Dropping unsolicited packets before they are accepted also keeps conntrack from recording
# them (an entry for a stray probe would make the NAT pick another port for the reply flow).
router_rules() { # NS NAT_FLAGS
  in_ns "$1" nft -f - <<EOF
table inet home {
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan" ct state established,related accept
    iifname "wan" meta l4proto icmp accept
    iifname "wan" counter drop
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "wan" ct state established,related accept
    iifname "wan" counter drop
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" masquerade $2
  }
}
EOF
}

# A router that masquerades and filters nothing: an unsolicited probe reaching its WAN port
# leaves a conntrack entry, and the router then maps the LAN host's own flow to that peer from
# another port than the one its server saw (docs/NAT.md, "Routers handled").
router_rules_open() { # NS
  in_ns "$1" nft -f - <<EOF
table inet home {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" masquerade
  }
}
EOF
}

build_topology() {
  log "building the namespaces (prefix $P)"
  local ns
  for ns in "$NS_PUB" "$NS_S1" "$NS_S2" "$NS_R1" "$NS_R2" "$NS_ALICE" "$NS_BOB" "$NS_CAROL" \
    "$NS_DAVE" "$NS_ERIN"; do
    add_ns "$ns" || return 1
  done
  # Public segment: one bridge, the two servers and the two routers' WAN ports on it.
  in_ns "$NS_PUB" ip link add br0 type bridge
  in_ns "$NS_PUB" ip link set br0 up
  veth "$NS_S1" eth0 "$NS_PUB" s1 && veth "$NS_S2" eth0 "$NS_PUB" s2 || return 1
  veth "$NS_R1" wan "$NS_PUB" r1 && veth "$NS_R2" wan "$NS_PUB" r2 || return 1
  veth "$NS_DAVE" eth0 "$NS_PUB" d6 && veth "$NS_ERIN" eth0 "$NS_PUB" e6 || return 1
  for ns in s1 s2 r1 r2 d6 e6; do in_ns "$NS_PUB" ip link set "$ns" master br0; done
  host_addr "$NS_S1" "$S1_IP/24"
  # nodad: usable at once, not after duplicate address detection.
  in_ns "$NS_S1" ip -6 addr add "$S1_IP6/64" dev eth0 nodad
  in_ns "$NS_DAVE" ip -6 addr add "$DAVE_IP6/64" dev eth0 nodad
  in_ns "$NS_ERIN" ip -6 addr add "$ERIN_IP6/64" dev eth0 nodad
  host_addr "$NS_S2" "$S2_IP/24"
  in_ns "$NS_R1" ip addr add "$R1_WAN/24" dev wan
  in_ns "$NS_R2" ip addr add "$R2_WAN/24" dev wan

  # LAN 1: a bridge in router 1 with alice and carol; LAN 2: bob alone on router 2.
  in_ns "$NS_R1" ip link add lan type bridge
  in_ns "$NS_R1" ip link set lan up
  veth "$NS_ALICE" eth0 "$NS_R1" lan-a && veth "$NS_CAROL" eth0 "$NS_R1" lan-c || return 1
  in_ns "$NS_R1" ip link set lan-a master lan
  in_ns "$NS_R1" ip link set lan-c master lan
  in_ns "$NS_R1" ip addr add "$R1_LAN/24" dev lan
  veth "$NS_BOB" eth0 "$NS_R2" lan || return 1
  in_ns "$NS_R2" ip addr add "$R2_LAN/24" dev lan
  host_addr "$NS_ALICE" "$ALICE_IP/24" "$R1_LAN"
  host_addr "$NS_CAROL" "$CAROL_IP/24" "$R1_LAN"
  host_addr "$NS_BOB" "$BOB_IP/24" "$R2_LAN"

  for ns in "$NS_R1" "$NS_R2"; do
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
    router_rules "$ns" "" || return 1
  done

  # The public side must answer before anything starts (bounded).
  local who
  for who in "$NS_ALICE:$S1_IP" "$NS_CAROL:$S1_IP" "$NS_BOB:$S2_IP" "$NS_S1:$S2_IP"; do
    wait_ping "${who%%:*}" "${who#*:}" || {
      fail "topology: ${who%%:*} cannot reach ${who#*:}"
      return 1
    }
  done
  pass "topology: 2 servers on 203.0.113.0/24, LANs 192.168.1.0/24 (alice, carol) and 192.168.2.0/24 (bob) behind NAT"
}

wait_ping() { # NS IP
  local _
  for _ in $(seq 1 50); do
    in_ns "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Processes. Every one runs under `timeout` and is recorded by PID for the cleanup. The whole
# scenario has a budget below CTest's timeout, so the cleanup always gets to run.
readonly BUDGET=$((200 * SLOW))
readonly DEADLINE=$((SECONDS + BUDGET))
readonly RUN_LIMIT=$((BUDGET + 20))

start_server() { # NAME NS IP [LINK_TO] [dual]: "dual" listens on every address of both families
  local name=$1 ns=$2 ip=$3 args=() listen="$3:$PORT"
  [[ -z ${4:-} ]] || args=(--link "$4:$PORT")
  if [[ ${5:-} == dual ]]; then
    listen="*:$PORT"
    args+=(--advertise "$ip:$PORT")
  fi
  # The generated TLS certificate stays in the run's folder, never in the real home.
  XDG_DATA_HOME="$WORK/$name-data" HOME="$WORK/$name-home" \
    ip netns exec "$ns" timeout "$RUN_LIMIT" "$SERVER_BIN" --name "$name" \
    --listen "$listen" --link-secret "$SECRET" --heartbeat-ms 300 --dead-link-ms 3000 \
    --redial-ms 200 "${args[@]}" >"$WORK/$name.log" 2>"$WORK/$name.err" &
  PIDS+=($!)
}

# start_client NICK NS SERVER_IP: a long-running CLI fed through a FIFO, JSON events in a log.
start_client() {
  local nick=$1 ns=$2 server=$3
  local fifo="$WORK/$nick.in" log="$WORK/$nick.log"
  mkdir -p "$WORK/$nick-share" "$WORK/$nick-downloads"
  rm -f "$fifo"
  mkfifo "$fifo"
  local fd
  exec {fd}<>"$fifo"
  : >"$log"
  XDG_CACHE_HOME="$WORK/$nick-cache" XDG_DATA_HOME="$WORK/$nick-data" HOME="$WORK/$nick-home" \
    ip netns exec "$ns" timeout "$RUN_LIMIT" "$CLI_BIN" --server "$server:$PORT" \
    --nick "$nick" --room "$ROOM" --json --identity "$WORK/$nick.pem" \
    --show-ip \
    --share "$WORK/$nick-share" \
    --downloads "$WORK/$nick-downloads" <"$fifo" >"$log" 2>>"$WORK/$nick.err" &
  PIDS+=($!)
  CLIENT_PID[$nick]=$!
  CLIENT_FD[$nick]=$fd
  CLIENT_LOG[$nick]=$log
}

send() { # NICK COMMAND
  printf '%s\n' "$2" >&"${CLIENT_FD[$1]}"
}

# Ends a client the polite way (end of input), then by PID if it does not go.
stop_client() {
  local pid=${CLIENT_PID[$1]} fd=${CLIENT_FD[$1]}
  exec {fd}>&-
  local _
  for _ in $(seq 1 $((50 * SLOW))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# Event helpers (jq over the JSON lines a client prints).

mark() { wc -l <"${CLIENT_LOG[$1]}"; } # NICK: position to wait from

# wait_event NICK FROM_LINE TIMEOUT_S JQ_CONDITION: prints the first matching event after line
# FROM_LINE of the client's log; returns 1 when the time is over.
wait_event() {
  local nick=$1 from=$2 limit=$(($3 * SLOW)) cond=$4 hit
  local deadline=$((SECONDS + limit))
  ((deadline <= DEADLINE)) || deadline=$DEADLINE
  while ((SECONDS <= deadline)); do
    hit=$(tail -n +"$((from + 1))" "${CLIENT_LOG[$nick]}" |
      jq -Rc "fromjson? | select(type == \"object\") | select($cond)" 2>/dev/null | head -n 1)
    if [[ -n $hit ]]; then
      printf '%s\n' "$hit"
      return 0
    fi
    kill -0 "${CLIENT_PID[$nick]}" 2>/dev/null || break
    sleep 0.2
  done
  return 1
}

field() { jq -r "$2 // empty" <<<"$1"; } # JSON FILTER

# ---------------------------------------------------------------------------------------------
# Scenario steps.

start_network() {
  start_server s1 "$NS_S1" "$S1_IP" "" dual
  start_server s2 "$NS_S2" "$S2_IP" "$S1_IP"
  local deadline=$((SECONDS + 10 * SLOW))
  until grep -q "reachable servers: s1, s2" "$WORK/s1.err" "$WORK/s2.err" 2>/dev/null; do
    if ((SECONDS > deadline)); then
      fail "servers: s1 and s2 did not link"
      return 1
    fi
    sleep 0.2
  done
  pass "servers: s1 ($S1_IP) and s2 ($S2_IP) linked"
}

make_files() {
  local nick tag
  for nick in alice bob carol; do
    mkdir -p "$WORK/$nick-share"
    for tag in punched lan loss rate sym rloss open; do
      head -c $((FILE_KIB * 1024)) /dev/urandom >"$WORK/$nick-share/$tag-$nick.bin"
    done
  done
}

# Starts a client and waits until it has joined the room and indexed its files.
join_client() { # NICK NS SERVER_IP
  start_client "$@"
  if ! wait_event "$1" 0 20 '.event == "joined"' >/dev/null ||
    ! wait_event "$1" 0 20 '.event == "shared"' >/dev/null; then
    fail "$1 did not join '$ROOM' through $3"
    return 1
  fi
}

# sees NICK OTHER: OTHER is in NICK's member list (joined event) or joined later.
sees() {
  wait_event "$1" 0 15 "(.event == \"member-joined\" and .nick == \"$2\") or
    (.event == \"joined\" and any(.members[]; .nick == \"$2\"))"
}

check_room() {
  join_client alice "$NS_ALICE" "$S1_IP" || return 1
  join_client carol "$NS_CAROL" "$S1_IP" || return 1
  join_client bob "$NS_BOB" "$S2_IP" || return 1
  local a b
  if ! a=$(sees alice bob) || ! b=$(sees bob alice); then
    fail "check 1: alice and bob do not see each other in '$ROOM'"
    return 1
  fi
  # The servers see the routers' public addresses, not the private ones: the NATs are in the way.
  local bob_ip alice_ip
  bob_ip=$(field "$a" 'if .event == "joined" then (.members[] | select(.nick == "bob") | .ip) else .ip end')
  alice_ip=$(field "$b" 'if .event == "joined" then (.members[] | select(.nick == "alice") | .ip) else .ip end')
  if [[ $bob_ip != "$R2_WAN" || $alice_ip != "$R1_WAN" ]]; then
    fail "check 1: members seen at alice=$alice_ip bob=$bob_ip, expected $R1_WAN and $R2_WAN (NAT)"
    return 1
  fi
  pass "check 1: alice (on s1) and bob (on s2) see each other in '$ROOM', at $R1_WAN and $R2_WAN"
}

check_chat() {
  local mb mc ma
  mb=$(mark bob)
  mc=$(mark carol)
  send alice "@all hello everyone from alice"
  if wait_event bob "$mb" 10 '.event == "message" and .from == "alice" and .text == "hello everyone from alice" and (.private | not)' >/dev/null &&
    wait_event carol "$mc" 10 '.event == "message" and .from == "alice"' >/dev/null; then
    pass "check 2a: alice -> @all reached bob (via s1-s2) and carol"
  else
    fail "check 2a: alice's message to @all did not reach bob and carol"
  fi
  ma=$(mark alice)
  mc=$(mark carol)
  send bob "@alice hi alice, bob here"
  if wait_event alice "$ma" 10 '.event == "message" and .from == "bob" and .text == "hi alice, bob here" and .private' >/dev/null; then
    sleep 1
    if wait_event carol "$mc" 0 '.event == "message" and .from == "bob"' >/dev/null; then
      fail "check 2b: bob's private message to alice also reached carol"
    else
      pass "check 2b: bob -> @alice arrived, private (carol did not get it)"
    fi
  else
    fail "check 2b: bob's message to @alice did not arrive"
  fi
}

# transfer CHECK GETTER OWNER FILE EXPECTED_PATH [MAX_CONNECT_MS]: GETTER finds FILE, gets it
# from OWNER, waits for transfer-done, compares SHA-256 with the original and the reported path.
# EXPECTED_PATH "any" accepts any path, "a|b" either. With MAX_CONNECT_MS, the time from the get
# to the transfer's start (its path chosen) must stay below it. Records the rate.
transfer() {
  local check=$1 getter=$2 owner=$3 file=$4 want=$5 max_connect_ms=${6:-}
  local m offer id done_ev connect_ms=
  m=$(mark "$getter")
  send "$getter" "find @$owner $file"
  offer=$(wait_event "$getter" "$m" 15 ".event == \"offer\" and .peer == \"$owner\" and .file == \"$file\"") || {
    fail "$check: $getter got no offer of $file from $owner"
    return 1
  }
  id=$(field "$offer" .offer)
  m=$(mark "$getter")
  local t0
  t0=$(date +%s%N)
  send "$getter" "get $id"
  if [[ -n $max_connect_ms ]]; then
    if wait_event "$getter" "$m" 40 ".event == \"transfer-started\" and .file == \"$file\"" >/dev/null; then
      connect_ms=$((($(date +%s%N) - t0) / 1000000))
    fi
  fi
  done_ev=$(wait_event "$getter" "$m" 40 "(.event == \"transfer-done\" or .event == \"transfer-failed\") and .file == \"$file\"") || {
    fail "$check: $getter <- $owner $file did not end in $((40 * SLOW)) s"
    # Cancel it, so that it does not compete with the next transfers.
    id=$(wait_event "$getter" "$m" 0 ".event == \"transfer-started\" and .file == \"$file\"") &&
      send "$getter" "cancel $(field "$id" .id)"
    return 1
  }
  if [[ $(field "$done_ev" .event) != transfer-done ]]; then
    fail "$check: $getter <- $owner $file failed: $(field "$done_ev" .reason)"
    return 1
  fi
  local got="$WORK/$getter-downloads/$file" sha_src sha_got
  sha_src=$(sha256sum <"$WORK/$owner-share/$file" | cut -d' ' -f1)
  sha_got=$( [[ -f $got ]] && sha256sum <"$got" | cut -d' ' -f1)
  local bytes seconds route verified
  bytes=$(field "$done_ev" .size)
  seconds=$(field "$done_ev" .seconds)
  verified=$(field "$done_ev" .verified)
  route=$(field "$done_ev" "$ROUTE_FILTER")
  local rate
  rate=$(jq -rn --argjson b "${bytes:-0}" --argjson s "${seconds:-0}" \
    'if $s > 0 then ($b / $s / 1048576 * 100 | round / 100 | tostring) + " MiB/s" else "n/a" end')
  RATES+=("$check  $getter <- $owner  ${route:-?}  $bytes B in ${seconds}s = $rate${connect_ms:+, started ${connect_ms} ms after the get}")
  log "rate: $getter <- $owner ($file) path=${route:-?} $bytes bytes in $seconds s = $rate"
  if [[ $sha_got != "$sha_src" || $verified != true ]]; then
    fail "$check: $getter <- $owner $file: SHA-256 mismatch or not verified (got ${sha_got:-nothing}, verified=$verified)"
    return 1
  fi
  if [[ $want != any && "|$want|" != *"|$route|"* ]]; then
    fail "$check: $getter <- $owner $file arrived intact but over '${route:-?}', expected '$want'"
    return 1
  fi
  if [[ -n $max_connect_ms ]] && [[ -z $connect_ms || $connect_ms -gt $max_connect_ms ]]; then
    fail "$check: $getter <- $owner $file started ${connect_ms:-never} ms after the get, more than $max_connect_ms"
    return 1
  fi
  pass "$check: $getter <- $owner $file intact (SHA-256 ${sha_src:0:12}...), path ${route:-?}, $rate${connect_ms:+, started after ${connect_ms} ms}"
}

# The transfer path the CLI reports in its transfer events.
ROUTE_FILTER=.path

check_punched() {
  transfer "check 3" alice bob punched-bob.bin direct-punched
  transfer "check 3" bob alice punched-alice.bin direct-punched
}

check_lan() {
  transfer "check 5" alice carol lan-carol.bin direct-lan
  transfer "check 5" carol alice lan-alice.bin direct-lan
}

impair_loss() { # NS PERCENT (0 removes)
  in_ns "$1" nft delete table inet impair 2>/dev/null
  [[ $2 -gt 0 ]] || return 0
  in_ns "$1" nft -f - <<EOF
table inet impair {
  chain pre {
    type filter hook prerouting priority raw - 10; policy accept;
    counter
    numgen random mod 100 < $2 counter drop
  }
}
EOF
}

impair_rate() { # NS RATE|none: on both of the router's ports
  local ifc
  for ifc in wan lan; do
    in_ns "$1" tc qdisc del dev "$ifc" root 2>/dev/null
    [[ $2 == none ]] || in_ns "$1" tc qdisc add dev "$ifc" root tbf rate "$2" burst 32kbit latency 50ms
  done
}

check_impaired() {
  impair_loss "$NS_R2" 5
  transfer "check 6 (5% loss at router 2)" alice bob loss-bob.bin direct-punched
  transfer "check 6 (5% loss at router 2)" bob alice loss-alice.bin direct-punched
  log "router 2 dropped $(in_ns "$NS_R2" nft list chain inet impair pre | grep -o 'packets [0-9]*' |
    cut -d' ' -f2 | paste -sd' ' | awk '{ print $2 " of " $1 }') packets"
  impair_loss "$NS_R2" 0
  impair_rate "$NS_R2" 20mbit
  transfer "check 6 (20 mbit/s at router 2)" alice bob rate-bob.bin direct-punched
  transfer "check 6 (20 mbit/s at router 2)" bob alice rate-alice.bin direct-punched
  impair_rate "$NS_R2" none
}

# IPv6 without NAT: dave and erin (IPv6 only) join through s1's IPv6 address, alice (IPv4,
# behind router 1) sees them in the same room of the same server, and their transfers go
# directly over IPv6 (host candidates).
check_ipv6() {
  local nick
  for nick in dave erin; do
    mkdir -p "$WORK/$nick-share"
    head -c $((FILE_KIB * 1024)) /dev/urandom >"$WORK/$nick-share/v6-$nick.bin"
  done
  local ma
  ma=$(mark alice)
  join_client dave "$NS_DAVE" "[$S1_IP6]" || return 1
  join_client erin "$NS_ERIN" "[$S1_IP6]" || return 1
  local seen dave_ip
  if ! seen=$(wait_event alice "$ma" 15 '.event == "member-joined" and .nick == "dave"'); then
    fail "check 9: alice (IPv4) does not see dave (IPv6) on s1"
    return 1
  fi
  dave_ip=$(field "$seen" .ip)
  if [[ $dave_ip != "$DAVE_IP6" ]]; then
    fail "check 9: alice sees dave at '$dave_ip', expected $DAVE_IP6"
    return 1
  fi
  pass "check 9: s1 serves both families: alice (IPv4, via NAT) sees dave at $dave_ip in '$ROOM'"
  transfer "check 9 (IPv6, no NAT)" dave erin v6-erin.bin direct-lan
  transfer "check 9 (IPv6, no NAT)" erin dave v6-dave.bin direct-lan
  stop_client dave
  stop_client erin
}

# Router 2 becomes a symmetric NAT: a new random source port per flow, so the address bob's
# server sees is not the one alice's packets would have to reach.
check_symmetric() {
  stop_client bob
  in_ns "$NS_R2" nft delete table inet home
  router_rules "$NS_R2" fully-random || {
    fail "check 4: cannot switch router 2 to a symmetric NAT"
    return 1
  }
  if command -v conntrack >/dev/null 2>&1; then
    in_ns "$NS_R2" conntrack -F >/dev/null 2>&1
  fi
  local ma
  ma=$(mark alice)
  join_client bob "$NS_BOB" "$S2_IP" || return 1
  wait_event alice "$ma" 15 '.event == "member-joined" and .nick == "bob"' >/dev/null || {
    fail "check 4: alice did not see bob come back"
    return 1
  }
  # The relay races the punching (docs/NAT.md): nobody waits for the 3 s punch timeout. The
  # bound leaves room for the wait_event polling (0.2 s) and a loaded machine.
  transfer "check 4 (symmetric NAT)" alice bob sym-bob.bin relayed $((2000 * SLOW))
  transfer "check 4 (symmetric NAT)" bob alice sym-alice.bin relayed $((2000 * SLOW))
}

# The relay path under loss: router 2 (still the symmetric NAT) drops 5 % of what it receives,
# the relay's datagrams in both directions among them.
check_relay_loss() {
  impair_loss "$NS_R2" 5
  transfer "check 7 (relayed, 5% loss at router 2)" alice bob rloss-bob.bin relayed
  transfer "check 7 (relayed, 5% loss at router 2)" bob alice rloss-alice.bin relayed
  impair_loss "$NS_R2" 0
}

# Both routers masquerade without a firewall: stray probes leave conntrack entries and the
# routers remap ports. Learned peer-reflexive candidates or the raced relay carry the transfer;
# either way it starts without waiting for the punch timeout.
check_open_routers() {
  stop_client alice
  stop_client bob
  local ns
  for ns in "$NS_R1" "$NS_R2"; do
    in_ns "$ns" nft delete table inet home
    router_rules_open "$ns" || {
      fail "check 8: cannot switch the routers to masquerading without a firewall"
      return 1
    }
    if command -v conntrack >/dev/null 2>&1; then
      in_ns "$ns" conntrack -F >/dev/null 2>&1
    fi
  done
  join_client alice "$NS_ALICE" "$S1_IP" || return 1
  join_client bob "$NS_BOB" "$S2_IP" || return 1
  sees alice bob >/dev/null || {
    fail "check 8: alice does not see bob after the routers changed"
    return 1
  }
  transfer "check 8 (routers without firewall)" alice bob open-bob.bin "direct-punched|relayed" $((2000 * SLOW))
  transfer "check 8 (routers without firewall)" bob alice open-alice.bin "direct-punched|relayed" $((2000 * SLOW))
}

summary() {
  [[ ${#RATES[@]} -eq 0 ]] || printf '\nMeasured transfer rates (%s KiB files, bytes/seconds of transfer-done):\n' "$FILE_KIB"
  local line
  for line in "${RATES[@]}"; do printf '  %s\n' "$line"; done
  if [[ $FAILED -eq 0 ]]; then
    printf 'net_nat_scenario: all checks passed\n'
  else
    printf 'net_nat_scenario: some checks FAILED\n'
  fi
}

main() {
  check_requirements
  trap cleanup EXIT
  trap on_signal INT TERM
  WORK=$(mktemp -d /tmp/hopshare-net.XXXXXX)
  build_topology || exit 1
  make_files
  start_network || exit 1
  check_room || exit 1
  check_chat
  check_punched
  check_lan
  check_impaired
  check_ipv6
  check_symmetric
  check_relay_loss
  check_open_routers
  summary
  exit $FAILED
}

main "$@"
