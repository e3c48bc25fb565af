#!/usr/bin/env python3
"""Server memory per idle TLS client.

Starts a hopshare-server (TLS, as by default), notes its RSS, connects N clients (TLS 1.3,
hello with an Ed25519 identity, join one room), reads everything the server sends them until
it has been quiet for a second, waits 11 s, and prints the server's RSS growth per client.
Clients come from 127.0.x.y addresses, 200 per address. Loopback only; the server is started here and
stopped by its PID.

  scripts/idle-tls-rss.py build/default/server-console/hopshare-server [N] [-- ARGS]
"""
import resource, select, ssl, sys, time

from hopshare_wire import Server, connect


def drain(sockets, server, quiet=1.0, limit=120.0):
    """Reads every socket until nothing arrived for `quiet` seconds."""
    start = last = time.time()
    while time.time() - last < quiet and time.time() - start < limit:
        server.read_log()  # the server logs to a pipe: keep it from filling
        readable, _, _ = select.select(sockets, [], [], 0.05) if sockets else ([], [], [])
        for s in readable:
            try:
                while s.recv(1 << 16):
                    last = time.time()
            except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass


def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    binary, count = args[0], int(args[1]) if len(args) > 1 else 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 256), hard))
    server = Server(binary, ["--max-clients", str(count + 10), "--max-per-address", "200", *extra])
    clients = []
    try:
        time.sleep(0.5)
        base = server.rss_kib()
        for i in range(count):
            s = connect(server.port, f"127.0.{1 + i // 200 // 250}.{1 + (i // 200) % 250}",
                        f"idle{i}")
            s.setblocking(False)
            clients.append(s)
            if i % 50 == 49:
                drain(clients, server, quiet=0.0)
        drain(clients, server)
        time.sleep(11)  # the server hands freed heap pages back every 5 s
        end = server.rss_kib()
        print(f"clients={count} rss_before={base} KiB rss_after={end} KiB "
              f"per_client={(end - base) / count:.1f} KiB")
    finally:
        for s in clients:
            s.close()
        server.stop()


if __name__ == "__main__":
    main()
