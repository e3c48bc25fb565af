"""Just enough of Hopshare's control protocol (docs/PROTOCOL.md) for the attack measurements in
scripts/: CBOR frames, a client that speaks TLS and proves an Ed25519 identity in hello
(python3-cryptography), or the plain unsigned hello of servers built before TLS (`legacy`),
and a server started in a temporary HOME and stopped by its PID. Loopback only.
"""
import hashlib, os, re, socket, ssl, struct, subprocess, tempfile, time

HELLO_CONTEXT = b"hopshare-hello-v1\0"  # Protocol::HelloProofContext, with its NUL


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    if n < 65536:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    return bytes([major << 5 | 26]) + struct.pack(">I", n)


def cbor_text(s):
    b = s.encode()
    return head(3, len(b)) + b


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


def connect(port, source, nick, legacy=False, rcvbuf=None, room="lobby"):
    """A client that said hello (and joined `room` unless None); returns the socket."""
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    # Protocol 2 (member rows); a legacy server, from before TLS and identities, took 1.
    hello = {"t": "hello", "nick": nick, "v": 1 if legacy else 2, "sw": "attack"}
    if not legacy:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        # Not pinned: the measurement started this server itself.
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
        tls.minimum_version = ssl.TLSVersion.TLSv1_3
        s = tls.wrap_socket(s)
        # The proof binds the nick to this TLS session: SHA-256 of the server's certificate.
        binding = hashlib.sha256(s.getpeercert(binary_form=True)).digest()
        key = Ed25519PrivateKey.generate()
        hello["key"] = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        hello["sig"] = key.sign(HELLO_CONTEXT + bytes([len(binding)]) + binding + nick.encode())
    s.sendall(frame(hello))
    if room:
        s.sendall(frame({"t": "join", "room": room}))
    return s


def welcomed(port, source, nick, legacy=False, timeout=5.0):
    """Whether a new client gets `welcome` within `timeout` seconds."""
    try:
        s = connect(port, source, nick, legacy, room=None)
        s.settimeout(timeout)
        data, deadline = b"", time.time() + timeout
        while time.time() < deadline and b"welcome" not in data and b"error" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        return b"welcome" in data
    except OSError:
        return False


class Server:
    """hopshare-server on 127.0.0.1 with an ephemeral port, in a temporary HOME."""

    def __init__(self, binary, extra=()):
        self.home = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--name", "attack", *extra],
            env=dict(os.environ, HOME=self.home.name), stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL, text=True)
        self.port = None
        deadline = time.time() + 10
        while self.port is None and time.time() < deadline:
            m = re.search(r"listening on [^ ]+:(\d+)", self.process.stderr.readline())
            self.port = int(m.group(1)) if m else None
        if self.port is None:
            self.stop()
            raise RuntimeError("the server did not say where it listens")
        os.set_blocking(self.process.stderr.fileno(), False)
        self.log = ""

    def read_log(self):
        try:
            self.log += os.read(self.process.stderr.fileno(), 1 << 16).decode(errors="replace")
        except BlockingIOError:
            pass
        return self.log

    def rss_kib(self):
        return rss_kib(self.process.pid)

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
