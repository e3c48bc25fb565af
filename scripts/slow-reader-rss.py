#!/usr/bin/env python3
"""Memory of a hopshare-server under the slow-reader attack.

One client joins a room and never reads; SENDERS clients (each from its own 127.0.0.x address)
say 16 KiB messages at the server's rate limit. Prints the server's RSS and CPU once a second
and whether the slow reader was dropped. Clients speak TLS (the server's self-signed certificate,
made in a temporary folder; not pinned: the script started that server) and prove an Ed25519
identity in hello as real clients do (python3-cryptography). Loopback only; the server is
started here and stopped by its PID.

  scripts/slow-reader-rss.py build/default/server-console/hopshare-server [SECONDS] [-- ARGS]

Extra ARGS go to the server, e.g. `--send-queue-bytes 4294967296` to see the unbounded case.
"""
import hashlib, os, re, select, socket, ssl, struct, subprocess, sys, tempfile, time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HELLO_CONTEXT = b"hopshare-hello-v1\0"  # Protocol::HelloProofContext, with its NUL


def cbor_text(s):
    b = s.encode()
    return head(3, len(b)) + b


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    if n < 65536:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    return bytes([major << 5 | 26]) + struct.pack(">I", n)


def frame(fields):
    body = head(5, len(fields))
    for k, v in fields.items():
        if isinstance(v, int):
            value = head(0, v)
        elif isinstance(v, bytes):
            value = head(2, len(v)) + v
        else:
            value = cbor_text(v)
        body += cbor_text(k) + value
    return struct.pack(">I", len(body)) + body


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connect(port, source, nick, rcvbuf=None):
    raw = socket.socket()
    if rcvbuf:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    raw.bind((source, 0))
    raw.connect(("127.0.0.1", port))
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE
    tls.minimum_version = ssl.TLSVersion.TLSv1_3
    s = tls.wrap_socket(raw)
    # The proof binds the nick to this TLS session: SHA-256 of the server's certificate.
    binding = hashlib.sha256(s.getpeercert(binary_form=True)).digest()
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    sig = key.sign(HELLO_CONTEXT + bytes([len(binding)]) + binding + nick.encode())
    s.sendall(frame({"t": "hello", "nick": nick, "v": 1, "sw": "rss", "key": public, "sig": sig}))
    s.sendall(frame({"t": "join", "room": "lobby"}))
    return s


def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    binary, seconds = args[0], int(args[1]) if len(args) > 1 else 10
    senders, rate = 8, 20
    # The server makes its certificate in its data folder: a temporary HOME keeps it there.
    home = tempfile.TemporaryDirectory()
    server = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--name", "rss"] + extra,
                              env=dict(os.environ, HOME=home.name),
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        port = None
        deadline = time.time() + 5
        while port is None and time.time() < deadline:
            m = re.search(r"listening on [^ ]+:(\d+)", server.stderr.readline())
            port = int(m.group(1)) if m else None
        os.set_blocking(server.stderr.fileno(), False)
        slow = connect(port, "127.0.0.2", "slow", rcvbuf=4096)
        talkers = [connect(port, f"127.0.0.{10 + i}", f"s{i}") for i in range(senders)]
        for t in talkers:
            t.setblocking(False)
        text = "x" * (16 * 1024 - 64)
        say = frame({"t": "say", "room": "lobby", "text": text})
        start = time.time()
        base = rss_kib(server.pid)
        cpu0 = cpu_seconds(server.pid)
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
            try:
                log += os.read(server.stderr.fileno(), 1 << 16).decode(errors="replace")
            except BlockingIOError:
                pass
            if time.time() >= next_print:
                print(f"t={next_print - start:.0f} rss={rss_kib(server.pid)} KiB "
                      f"cpu={cpu_seconds(server.pid) - cpu0:.2f} s")
                next_print += 1
        end = rss_kib(server.pid)
        dropped = "unread" in log and "slow" in log
        cpu = cpu_seconds(server.pid) - cpu0
        print(f"growth={(end - base) / 1024 / seconds:.2f} MiB/s over {seconds} s; "
              f"server CPU {100 * cpu / seconds:.0f} % of a core; "
              f"slow reader closed by the server: {dropped}")
    finally:
        server.terminate()
        server.wait(5)


if __name__ == "__main__":
    main()
