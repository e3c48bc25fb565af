#!/usr/bin/env python3
"""Memory of a hopshare-server under the slow-reader attack.

One client joins a room and never reads; SENDERS clients (each from its own 127.0.0.x address)
say 16 KiB messages at the server's rate limit. Prints the server's RSS and CPU once a second
and whether the slow reader was dropped. Clients speak TLS (the server's self-signed certificate,
made in a temporary folder; not pinned: the script started that server) and prove an Ed25519
identity in hello as real clients do (python3-cryptography). Loopback only; the server is
started here and stopped by its PID.

  scripts/slow-reader-rss.py build/default/server-console/hopshare-server [SECONDS] [-- ARGS]

Extra ARGS go to the server, e.g. `--send-queue-bytes 4294967296` to see the unbounded case;
`--legacy` (not passed on) speaks the plain, unsigned hello of a server built before TLS.
"""
import os, select, ssl, sys, time

from hopshare_wire import Server, connect, frame


def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    binary, seconds = args[0], int(args[1]) if len(args) > 1 else 10
    senders, rate = 8, 20
    legacy = "--legacy" in extra  # a server built before TLS and identities
    extra = [a for a in extra if a != "--legacy"]
    server = Server(binary, extra)
    try:
        port = server.port
        slow = connect(port, "127.0.0.2", "slow", legacy, rcvbuf=4096)
        talkers = [connect(port, f"127.0.0.{10 + i}", f"s{i}", legacy) for i in range(senders)]
        for t in talkers:
            t.setblocking(False)
        text = "x" * (16 * 1024 - 64)
        say = frame({"t": "say", "room": "lobby", "text": text})
        start = time.time()
        base = server.rss_kib()
        cpu0 = server.cpu_seconds()
        print(f"t=0 rss={base} KiB")
        next_print = start + 1
        sent = 0
        log = ""
        while time.time() - start < seconds:
            due = int((time.time() - start) * rate)
            while sent < due:
                for t in talkers:
                    try:
                        t.send(say)
                    except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                        pass
                sent += 1
            r, _, _ = select.select(talkers, [], [], 0.005)
            for t in r:  # the talkers read; only `slow` does not
                try:
                    while t.recv(1 << 20):
                        pass
                except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    pass
            log = server.read_log()
            if time.time() >= next_print:
                print(f"t={next_print - start:.0f} rss={server.rss_kib()} KiB "
                      f"cpu={server.cpu_seconds() - cpu0:.2f} s")
                next_print += 1
        end = server.rss_kib()
        dropped = "unread" in log and "slow" in log
        cpu = server.cpu_seconds() - cpu0
        print(f"growth={(end - base) / 1024 / seconds:.2f} MiB/s over {seconds} s; "
              f"server CPU {100 * cpu / seconds:.0f} % of a core; "
              f"slow reader closed by the server: {dropped}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
