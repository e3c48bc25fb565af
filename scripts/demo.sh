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
timeout 20 "$CLI" --server "127.0.0.1:$port" --nick bob --room lobby --identity "$work/bob.pem" \
  --exec "sleep 2.5; who; say thanks alice, got it" >"$work/bob.out" 2>&1 &
bob=$!; pids+=($bob)
sleep 0.7
timeout 20 "$CLI" --server "127.0.0.1:$port" --nick alice --room lobby --identity "$work/alice.pem" \
  --exec "say hello everyone!; @bob this one is just for you; ping; sleep 2.5" \
  >"$work/alice.out" 2>&1 &
alice=$!; pids+=($alice)
wait "$bob" || true
wait "$alice" || true
echo "----- what bob saw -----";   cat "$work/bob.out"
echo "----- what alice saw -----"; cat "$work/alice.out"
echo "----- server log -----";     cat "$work/server.log"
