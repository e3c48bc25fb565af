#!/usr/bin/env bash
# The local demo: installs what is missing, builds, starts a server on loopback and clients in a
# room. With a display it opens two desktop clients; without one it runs a headless chat with
# hopshare-cli and prints what each side sees.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc 2>/dev/null || echo 2)" \
  --target hopshare-server hopshare-cli hopshare
BIN=build/default
SERVER=$BIN/server-console/hopshare-server
CLI=$BIN/client-cli/hopshare-cli
GUI=$BIN/client-gui/hopshare

work=$(mktemp -d)
# The server's generated certificate and the clients' pins live and die with this demo.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$SERVER" --listen 127.0.0.1:0 --name demo 2>"$work/server.log" &
pids+=($!)
port=""
for _ in $(seq 1 50); do
  port=$(sed -n 's/.*listening on [^ ]*:\([0-9]\+\).*/\1/p' "$work/server.log" | head -n1)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "demo: the server did not start:"; cat "$work/server.log"; exit 1; }
echo "demo: server 'demo' listening on 127.0.0.1:$port"

if [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} && -x $GUI ]]; then
  # Each client gets its own settings file; alice shares a folder with a file ready to fetch.
  mkdir -p "$work/alice-shared" "$work/alice-downloads" "$work/bob-downloads"
  head -c $((24 * 1024 * 1024)) /dev/urandom >"$work/alice-shared/holiday-video.bin"
  printf 'Hello from alice. Drag files onto a room window to share them.\n' \
    >"$work/alice-shared/readme.txt"
  for who in alice bob; do
    {
      echo "[files]"
      [[ $who == alice ]] && echo "shared=$work/alice-shared"
      echo "downloads=$work/$who-downloads"
    } >"$work/$who.ini"
  done
  echo "demo: opening two desktop clients in room 'lobby'; alice shares $work/alice-shared"
  echo "demo: in bob's window use Find (or type /find video) to fetch alice's file"
  echo "demo: close both windows to end"
  "$GUI" --server "127.0.0.1:$port" --nick alice --room lobby --settings "$work/alice.ini" &
  gui1=$!; pids+=($gui1)
  "$GUI" --server "127.0.0.1:$port" --nick bob --room lobby --settings "$work/bob.ini" &
  gui2=$!; pids+=($gui2)
  wait "$gui1" "$gui2" || true
  exit 0
fi

echo "demo: no display found, so this is the headless demo with hopshare-cli"
echo "demo: (run it from a desktop session to get the desktop clients)"
echo
# The mission end to end: alice and carol share the same video; alice has no free upload slot
# (--max-uploads 0), carol's uploads lose 5 % of their datagrams (--impair). bob asks @all,
# gets both offers, picks alice's: she refuses (busy), and the download falls over to carol by
# itself, over UDP, and is verified. Every wait below is bounded.
mkdir -p "$work/alice-share" "$work/carol-share" "$work/bob-downloads"
head -c $((24 * 1024 * 1024)) /dev/urandom >"$work/alice-share/holiday-video.bin"
cp "$work/alice-share/holiday-video.bin" "$work/carol-share/"
peer() { # NICK ARGS...: a client that chats, shares and stays 30 s
  local nick=$1; shift
  timeout 40 "$CLI" --server "127.0.0.1:$port" --nick "$nick" --room lobby \
    --identity "$work/$nick.pem" "$@" >"$work/$nick.out" 2>&1 &
  pids+=($!)
}
peer alice --share "$work/alice-share" --max-uploads 0 \
  --exec "sleep 4; say hello everyone! my upload slots are all taken; sleep 26"
peer carol --share "$work/carol-share" --impair "loss=5%" --exec "sleep 30"
mkfifo "$work/bob.in"
exec {bob_in}<>"$work/bob.in"
timeout 40 "$CLI" --server "127.0.0.1:$port" --nick bob --room lobby --identity "$work/bob.pem" \
  --downloads "$work/bob-downloads" <"$work/bob.in" >"$work/bob.out" 2>&1 &
bob=$!; pids+=($bob)
until_seen() { # PATTERN SECONDS: waits until bob's output has PATTERN
  local deadline=$((SECONDS + $2))
  until grep -q -- "$1" "$work/bob.out"; do
    ((SECONDS < deadline)) || { echo "demo: bob never saw '$1'"; return 1; }
    sleep 0.2
  done
}
ok=true
until_seen "you joined" 10 && until_seen "alice" 10 && until_seen "carol" 10 || ok=false
$ok && { echo "find @all holiday-video.bin" >&"$bob_in"; until_seen "holiday-video.bin.*from alice" 10; } || ok=false
$ok && until_seen "holiday-video.bin.*from carol" 10 || ok=false
if $ok; then
  offer=$(sed -n 's/^\(o[0-9]*\) .*holiday-video.bin.*from alice.*/\1/p' "$work/bob.out" | head -n1)
  echo "get $offer" >&"$bob_in"
  until_seen "holiday-video.bin done\|failed" 30 || ok=false
fi
until_seen "hello everyone" 10 || true # alice's line, said after bob joined
printf 'transfers\nsay thanks alice and carol!\nquit\n' >&"$bob_in"
wait "$bob" || true
echo "----- what bob saw -----";   cat "$work/bob.out"
echo "----- what alice saw -----"; cat "$work/alice.out"
if $ok && cmp -s "$work/carol-share/holiday-video.bin" "$work/bob-downloads/holiday-video.bin"; then
  echo "demo: bob's copy is byte for byte carol's file"
else
  echo "demo: the file did not arrive; the server log follows"
  cat "$work/server.log"
  exit 1
fi
