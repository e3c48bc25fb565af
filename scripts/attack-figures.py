#!/usr/bin/env python3
"""Server memory and CPU under the connection-level attacks of docs/SECURITY.md, and whether
a real client is still served meanwhile. One fresh server per attack (loopback, temporary
HOME, stopped by its PID); the attacker uses 127.0.0.2, the real client 127.0.0.1.

  scripts/attack-figures.py build/default/server-console/hopshare-server [--legacy] [SECONDS]

  idle-sockets   200 TCP connections that never say hello (server started with
                 --max-clients 100): does a real client still get `welcome`?
  udp-garbage    random 1200-byte datagrams to the server's UDP port as fast as one Python
                 process sends them: the server's CPU.
  rate-spread    20 hello'd connections from one address, each saying 1 KiB lines as fast as
                 the socket takes them: how many lines a bystander receives per second.

`--legacy` speaks the plain, unsigned hello of a server built before TLS and identities (to
measure the server before the hardening). The slow reader has its own script,
scripts/slow-reader-rss.py.
"""
import os, random, select, socket, sys, time

from hopshare_wire import Server, connect, frame, welcomed


def idle_sockets(binary, legacy, seconds):
    server = Server(binary, ["--max-clients", "100"])
    try:
        socks = []
        base, cpu0 = server.rss_kib(), server.cpu_seconds()
        for _ in range(200):
            s = socket.socket()
            s.bind(("127.0.0.2", 0))
            try:
                s.connect(("127.0.0.1", server.port))
                socks.append(s)
            except OSError:
                s.close()
        time.sleep(seconds)  # past the hello deadline (5 s) of a hardened server
        ok = welcomed(server.port, "127.0.0.1", "real", legacy)
        still_open = 0
        for s in socks:
            s.setblocking(False)
            try:
                still_open += s.recv(1, socket.MSG_PEEK) != b""  # data (an error frame) or EOF
            except BlockingIOError:
                still_open += 1  # nothing yet: still held by the server
            except OSError:
                pass
            s.close()
        print(f"idle-sockets: {len(socks)} connected, {still_open} still open after {seconds} s; "
              f"real client welcomed: {ok}; rss +{server.rss_kib() - base} KiB, "
              f"cpu {100 * (server.cpu_seconds() - cpu0) / seconds:.0f} %")
    finally:
        server.stop()


def udp_garbage(binary, legacy, seconds):
    server = Server(binary)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.2", 0))
        payload = random.randbytes(1200)
        base, cpu0, start, sent = server.rss_kib(), server.cpu_seconds(), time.time(), 0
        while time.time() - start < seconds:
            for _ in range(1000):
                try:
                    u.sendto(payload, ("127.0.0.1", server.port))
                    sent += 1
                except OSError:
                    pass
        elapsed = time.time() - start
        ok = welcomed(server.port, "127.0.0.1", "real", legacy)
        print(f"udp-garbage: {sent / elapsed:,.0f} datagrams/s for {elapsed:.0f} s; server cpu "
              f"{100 * (server.cpu_seconds() - cpu0) / elapsed:.0f} %, rss "
              f"+{server.rss_kib() - base} KiB; real client welcomed after: {ok}")
    finally:
        server.stop()


def rate_spread(binary, legacy, seconds):
    server = Server(binary)
    try:
        bystander = connect(server.port, "127.0.0.1", "bystander", legacy)
        flood = []
        for i in range(20):
            try:
                flood.append(connect(server.port, "127.0.0.2", f"f{i}", legacy))
            except OSError:
                pass  # over the per-address connection cap
        time.sleep(0.5)
        line = frame({"t": "say", "room": "lobby", "text": "y" * 1000})
        for s in flood:
            s.setblocking(False)
        bystander.setblocking(False)
        got, start, cpu0 = 0, time.time(), server.cpu_seconds()
        while time.time() - start < seconds:
            for s in flood:
                try:
                    s.send(line)
                except (BlockingIOError, OSError):
                    pass
                try:
                    while s.recv(1 << 20):
                        pass
                except (BlockingIOError, OSError):
                    pass
            r, _, _ = select.select([bystander], [], [], 0.001)
            if r:
                try:
                    data = bystander.recv(1 << 20)
                    got += data.count(b"y" * 64)
                except (BlockingIOError, OSError):
                    pass
        elapsed = time.time() - start
        closed = server.read_log().count("rate") + server.read_log().count("flood")
        print(f"rate-spread: {len(flood)} connections opened from one address, flooding; the bystander received "
              f"{got / elapsed:,.0f} lines/s; server cpu "
              f"{100 * (server.cpu_seconds() - cpu0) / elapsed:.0f} %; log lines about rate: "
              f"{closed}")
    finally:
        server.stop()


def main():
    args = [a for a in sys.argv[1:] if a != "--legacy"]
    legacy = "--legacy" in sys.argv
    binary = args[0]
    seconds = int(args[1]) if len(args) > 1 else 7
    for attack in (idle_sockets, udp_garbage, rate_spread):
        attack(binary, legacy, seconds)


if __name__ == "__main__":
    main()
