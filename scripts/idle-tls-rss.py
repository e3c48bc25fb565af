#!/usr/bin/env python3
"""Server memory per idle TLS client.

Starts a hopshare-server (TLS, as by default), notes its RSS, connects N clients (TLS 1.3,
hello with an Ed25519 identity, join one room), reads everything the server sends them until
it has been quiet for a second, waits 11 s, and prints the server's RSS growth per client.
Fails unless every client was welcomed.
Clients come from 127.0.x.y addresses, 200 per address. Loopback only; the server is started here and
stopped by its PID.

  scripts/idle-tls-rss.py build/default/server-console/hopshare-server [N] [-- ARGS]
"""
import resource, selectors, ssl, sys, time

from hopshare_wire import Server, connect


def drain(watched, server, quiet=1.0, limit=120.0):
    """Reads every socket until nothing arrived for `quiet` seconds. `watched` is a selector
    (epoll): select() cannot watch descriptors above 1023, and a run of 2000 clients has them."""
    start = last = time.time()
    while True:  # at least one pass: quiet=0 reads what is there now
        server.read_log()  # the server logs to a pipe: keep it from filling
        for key, _ in watched.select(0.05):
            try:
                while chunk := key.fileobj.recv(1 << 16):
                    last = time.time()
                    seen = key.data["tail"] + chunk  # a word may span two reads
                    key.data["welcomed"] = key.data["welcomed"] or b"welcome" in seen
                    key.data["tail"] = seen[-16:]
            except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                pass
        if time.time() - last >= quiet or time.time() - start >= limit:
            break


def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    binary, count = args[0], int(args[1]) if len(args) > 1 else 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 256), hard))
    # A rate as high as the chat bench's: 200 hellos and joins at once from one address would
    # otherwise meet the address's token bucket, and refused clients are not what is measured.
    server = Server(binary, ["--max-clients", str(count + 10), "--max-per-address", "200",
                             "--rate", "100000", *extra])
    clients = []
    watched = selectors.DefaultSelector()
    try:
        time.sleep(0.5)
        base = server.rss_kib()
        for i in range(count):
            s = connect(server.port, f"127.0.{1 + i // 200 // 250}.{1 + (i // 200) % 250}",
                        f"idle{i}")
            s.setblocking(False)
            clients.append(s)
            watched.register(s, selectors.EVENT_READ, {"tail": b"", "welcomed": False})
            if i % 50 == 49:
                drain(watched, server, quiet=0.0)
        drain(watched, server)
        time.sleep(11)  # the server hands freed heap pages back every 5 s
        end = server.rss_kib()
        welcomed = sum(key.data["welcomed"] for key in watched.get_map().values())
        print(f"clients={count} welcomed={welcomed} rss_before={base} KiB rss_after={end} KiB "
              f"per_client={(end - base) / count:.1f} KiB")
        if welcomed < count:
            sys.exit(f"only {welcomed} of {count} clients were welcomed: not a measurement")
    finally:
        for s in clients:
            s.close()
        watched.close()
        server.stop()


if __name__ == "__main__":
    main()
