// End-to-end encryption of transfers (docs/TRANSFER.md "Encryption"), through an interposer
// that sees, rewrites, drops and replays the datagrams: no file bytes on the wire, tampered
// datagrams dropped and counted, identities enforced both ways, tokens consumed only by a
// successful handshake, replays and key substitution going nowhere, no downgrade to plain.
#include <tests/support/interposer.h>
#include <tests/support/transferfixture.h>

#include <transfer/wire/packet.h>

#include <crypto/identitykey.h>
#include <crypto/x25519.h>

#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <string_view>
#include <unordered_set>

using namespace Transfer;
using namespace TransferTest;

namespace {

constexpr qint64 kSize = 300 * 1024 + 7;
constexpr int kTimeoutMs = 20000;
using Dir = Interposer::Direction;

std::span<const std::byte> asBytes(const QByteArray &d)
{
    return std::as_bytes(std::span(d.constData(), std::size_t(d.size())));
}

std::optional<PacketView> view(const QByteArray &d)
{
    return decodePacket(asBytes(d));
}

std::shared_ptr<const Crypto::IdentityKey> newIdentity()
{
    return std::make_shared<const Crypto::IdentityKey>(Crypto::IdentityKey::generate());
}

QByteArray reencodeHello(const PacketView &v, const HelloBody &b)
{
    QByteArray out(qsizetype(kMaxDatagramSize), '\0');
    const std::size_t n = encodeHello(
            std::as_writable_bytes(std::span(out.data(), std::size_t(out.size()))), v.header, b);
    out.resize(qsizetype(n));
    return out;
}

QByteArray reencodeAccept(const PacketView &v, const AcceptBody &b)
{
    QByteArray out(qsizetype(kMaxDatagramSize), '\0');
    const std::size_t n = encodeAccept(
            std::as_writable_bytes(std::span(out.data(), std::size_t(out.size()))), v.header, b);
    out.resize(qsizetype(n));
    return out;
}

// Every 64-byte run of `file` at any offset, to look for in captures.
class RunIndex
{
public:
    explicit RunIndex(const QByteArray &file)
        : m_file(file)
    {
        for (qsizetype i = 0; i + kRun <= m_file.size(); ++i)
            m_runs.insert(std::string_view(m_file.constData() + i, kRun));
    }
    [[nodiscard]] bool foundIn(const QList<QByteArray> &datagrams) const
    {
        for (const QByteArray &d : datagrams)
            for (qsizetype i = 0; i + kRun <= d.size(); ++i)
                if (m_runs.contains(std::string_view(d.constData() + i, kRun)))
                    return true;
        return false;
    }

private:
    static constexpr qsizetype kRun = 64;
    QByteArray m_file;
    std::unordered_set<std::string_view> m_runs;
};

} // namespace

class TestTransferE2e : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_source = m_dir.filePath(u"source.bin"_s);
        m_sha = writeRandomFile(m_source, kSize, 4242);
        QVERIFY(!m_sha.isEmpty());
    }

    void init()
    {
        m_up = std::make_unique<Endpoint>();
        m_down = std::make_unique<Endpoint>();
        m_upKey = newIdentity();
        m_downKey = newIdentity();
        m_up->setIdentity(m_upKey);
        m_down->setIdentity(m_downKey);
        QVERIFY(m_up->bind(QHostAddress::LocalHost, 0));
        QVERIFY(m_down->bind(QHostAddress::LocalHost, 0));
        connect(m_down.get(), &Endpoint::countersChanged, this,
                [this](const EndpointCounters &c) { m_downCounters = c; });
        m_relay = std::make_unique<Interposer>(m_up->localPort());
        m_downCounters = {};
    }

    void cleanup()
    {
        m_relay.reset();
        m_down.reset();
        m_up.reset();
    }

    void captureHoldsNoFileBytes()
    {
        QFile f(m_source);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const RunIndex runs(f.readAll());
        QVERIFY(download(issue(), u"sealed"_s).error == TransferError::None);
        QVERIFY(m_relay->captured.size() > int(kSize / 1200));
        QVERIFY2(!runs.foundIn(m_relay->captured), "file bytes in the clear on the wire");
        for (const QByteArray &d : std::as_const(m_relay->captured)) {
            QVERIFY(d.size() <= qsizetype(kMaxSealedDatagramSize));
            const auto v = view(d);
            QVERIFY(v);
            const auto t = v->header.type;
            const bool clearOk = t == PacketType::Hello || t == PacketType::Challenge
                    || t == PacketType::Accept;
            QVERIFY2(v->sealed != clearOk, "only the handshake travels in the clear");
        }
        // Control: the same check does find the file in a plain transfer's capture.
        m_up->setAllowPlainUploads(true);
        m_relay->captured.clear();
        DownloadRequest plain = requestVia(issue(), u"plain"_s);
        plain.options.plain = true;
        QVERIFY(run(plain).error == TransferError::None);
        QVERIFY(runs.foundIn(m_relay->captured));
    }

    void chachaTransferCompletes()
    {
        DownloadRequest r = requestVia(issue(), u"chacha"_s);
        r.options.cipher = Crypto::AeadAlgorithm::ChaCha20Poly1305;
        const Outcome o = run(r);
        QVERIFY2(o.error == TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(m_dir.filePath(u"chacha"_s)), m_sha);
        HelloBody h;
        const auto v = view(m_relay->captured.first());
        QVERIFY(v && decodeHello(v->body, &h));
        QCOMPARE(h.aead, std::uint8_t(Crypto::AeadAlgorithm::ChaCha20Poly1305));
    }

    void tamperedDatagramIsDroppedAndCounted()
    {
        int seen = 0;
        int tampered = 0;
        m_relay->setHook([&](QByteArray &d, Dir dir) {
            const auto v = view(d);
            if (dir == Dir::ToDownloader && v && v->sealed && v->header.type == PacketType::Data
                && ++seen % 20 == 0) {
                d[d.size() / 2] = char(d[d.size() / 2] ^ 0x40); // inside the ciphertext
                ++tampered;
            }
            return true;
        });
        const Outcome o = download(issue(), u"tampered"_s);
        QVERIFY2(o.error == TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(m_dir.filePath(u"tampered"_s)), m_sha);
        QVERIFY(tampered > 5);
        QTRY_VERIFY_WITH_TIMEOUT(m_downCounters.unauthenticated >= quint64(tampered), 2000);
        QVERIFY(m_downCounters.corrupt >= m_downCounters.unauthenticated);
    }

    void uploaderKeyMustMatchTheOffer()
    {
        DownloadRequest r = requestVia(issue(), u"wrongkey"_s);
        r.uploaderKey = newIdentity()->publicKey();
        r.options.handshakeTimeout = std::chrono::milliseconds(2000); // no ACCEPT will match
        const Outcome o = run(r);
        QCOMPARE(o.error, TransferError::PeerIdentity);
        QVERIFY2(o.reason.contains(u"SHA256:"_s), qPrintable(o.reason));
        QVERIFY(!QFile::exists(m_dir.filePath(u"wrongkey"_s)));
        r = requestVia(issue(), u"rightkey"_s);
        r.uploaderKey = m_upKey->publicKey();
        QVERIFY(run(r).error == TransferError::None);
    }

    void tokenIsBoundToTheRequesterKey()
    {
        // Issued to someone else: our endpoint's identity is refused, the token survives.
        const auto alice = newIdentity();
        const QByteArray token
                = m_up->issueUploadToken({m_source, kSize, m_sha, alice->publicKey()});
        QCOMPARE(download(token, u"mallory"_s).error, TransferError::Refused);
        m_down->setIdentity(alice);
        const Outcome o = download(token, u"alice"_s);
        QVERIFY2(o.error == TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(m_dir.filePath(u"alice"_s)), m_sha);
    }

    void wrongContentDoesNotConsumeTheToken()
    {
        const QByteArray token = issue();
        DownloadRequest r = requestVia(token, u"wronghash"_s);
        r.sha256 = QByteArray(32, 'x');
        QCOMPARE(run(r).error, TransferError::Content);
        r = requestVia(token, u"wrongsize"_s);
        r.size = kSize + 1;
        QCOMPARE(run(r).error, TransferError::Content);
        QVERIFY(download(token, u"righthash"_s).error == TransferError::None);
        QCOMPARE(download(token, u"reused"_s).error, TransferError::Refused);
    }

    void plainRequestIsRefused()
    {
        const QByteArray token = issue();
        DownloadRequest r = requestVia(token, u"plain"_s);
        r.options.plain = true;
        const Outcome o = run(r);
        QCOMPARE(o.error, TransferError::Refused);
        QVERIFY2(o.reason.contains(u"encrypted"_s), qPrintable(o.reason));
        // A peer stripping the encryption from a plain connection's packets gains nothing
        // either: the token is still good for the encrypted download.
        QVERIFY(download(token, u"sealed"_s).error == TransferError::None);
    }

    void replayedHandshakeCreatesNothing()
    {
        QByteArray lastHello;
        QByteArray accept;
        m_relay->setHook([&](QByteArray &d, Dir) {
            const auto v = view(d);
            if (v && v->header.type == PacketType::Hello)
                lastHello = d;
            if (v && v->header.type == PacketType::Accept)
                accept = d;
            return true;
        });
        QVERIFY(download(issue(), u"original"_s).error == TransferError::None);
        QVERIFY(!lastHello.isEmpty() && !accept.isEmpty());
        settle(); // the uploader's last ACK-drawn packets and CLOSE are not answers to the replay

        // Replaying the HELLO (token used, cookie bound to this address) buys no ACCEPT or DATA.
        QList<QByteArray> answers;
        m_relay->setHook([&](QByteArray &d, Dir dir) {
            if (dir == Dir::ToDownloader)
                answers.append(d);
            return dir == Dir::ToUploader;
        });
        m_relay->inject(lastHello, Dir::ToUploader);
        QTRY_VERIFY_WITH_TIMEOUT(!answers.isEmpty(), 5000);
        QTest::qWait(100);
        for (const QByteArray &d : std::as_const(answers)) {
            const auto v = view(d);
            QVERIFY(v);
            QVERIFY2(v->header.type == PacketType::Refuse
                             || v->header.type == PacketType::Challenge,
                     qPrintable(QString::number(int(v->header.type))));
        }

        // Replaying the ACCEPT into a new download (its cid patched in) does not establish it.
        std::uint32_t newCid = 0;
        m_relay->setHook([&](QByteArray &d, Dir dir) {
            const auto v = view(d);
            HelloBody h;
            if (v && v->header.type == PacketType::Hello && decodeHello(v->body, &h))
                newCid = h.sourceCid;
            Q_UNUSED(dir);
            return false; // nothing reaches the uploader: only the replayed ACCEPT answers
        });
        DownloadRequest r = requestVia(issue(), u"replayed"_s);
        r.options.handshakeTimeout = std::chrono::milliseconds(1500);
        const TransferId id = m_down->startDownload(r);
        Watcher w(*m_down, id);
        QTRY_VERIFY_WITH_TIMEOUT(newCid != 0, 5000);
        const auto v = view(accept);
        AcceptBody a;
        QVERIFY(v && decodeAccept(v->body, &a));
        PacketView patched = *v;
        patched.header.destinationCid = newCid;
        m_relay->inject(reencodeAccept(patched, a), Dir::ToDownloader);
        QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, kTimeoutMs);
        QCOMPARE(w.outcome.error, TransferError::Unreachable);
        QVERIFY(!w.lastStats.connected);
    }

    void keySubstitutingRelayCannotCompleteTheHandshake_data()
    {
        QTest::addColumn<bool>("inHello");
        QTest::newRow("downloader's share") << true;
        QTest::newRow("uploader's share") << false;
    }

    void keySubstitutingRelayCannotCompleteTheHandshake()
    {
        QFETCH(bool, inHello);
        const auto mallory = Crypto::X25519KeyPair::generate();
        m_relay->setHook([&](QByteArray &d, Dir) {
            const auto v = view(d);
            if (!v)
                return true;
            if (inHello && v->header.type == PacketType::Hello) {
                HelloBody h;
                if (decodeHello(v->body, &h)) {
                    h.headerFlags = v->header.flags;
                    std::memcpy(h.ephemeralKey.data(), mallory.publicKey().constData(), 32);
                    d = reencodeHello(*v, h);
                }
            } else if (!inHello && v->header.type == PacketType::Accept) {
                AcceptBody a;
                if (decodeAccept(v->body, &a)) {
                    std::memcpy(a.ephemeralKey.data(), mallory.publicKey().constData(), 32);
                    d = reencodeAccept(*v, a);
                }
            }
            return true;
        });
        DownloadRequest r = requestVia(issue(), u"mitm"_s);
        r.options.handshakeTimeout = std::chrono::milliseconds(2000); // every ACCEPT is forged
        const Outcome o = run(r);
        QCOMPARE(o.error, inHello ? TransferError::Refused : TransferError::PeerIdentity);
        QVERIFY(!QFile::exists(m_dir.filePath(u"mitm"_s)));
    }

    void forgedAcceptIsDroppedAndTheRealOneCompletes()
    {
        // Whoever saw the HELLO can answer first; that answer must not end the download.
        const auto mallory = Crypto::X25519KeyPair::generate();
        int forged = 0;
        m_relay->setHook([&](QByteArray &d, Dir dir) {
            const auto v = view(d);
            AcceptBody a;
            if (dir == Dir::ToDownloader && forged == 0 && v && v->header.type == PacketType::Accept
                && decodeAccept(v->body, &a)) {
                std::memcpy(a.ephemeralKey.data(), mallory.publicKey().constData(), 32);
                d = reencodeAccept(*v, a);
                ++forged;
            }
            return true;
        });
        const Outcome o = download(issue(), u"forged-accept"_s);
        QCOMPARE(forged, 1);
        QVERIFY2(o.error == TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(m_dir.filePath(u"forged-accept"_s)), m_sha);
    }

    void clearHandshakeCopiesDoNotKeepAnEncryptedTransferAlive()
    {
        // Once the keys are agreed, a clear-text ACCEPT can only be a late copy or a forgery:
        // it must not count as hearing from the peer, or an attacker holds a dead transfer open.
        QByteArray accept;
        int dataSeen = 0;
        bool cut = false;
        m_relay->setHook([&](QByteArray &d, Dir dir) {
            if (dir != Dir::ToDownloader)
                return true;
            const auto v = view(d);
            if (v && v->header.type == PacketType::Accept)
                accept = d;
            if (v && v->sealed && ++dataSeen >= 3)
                cut = true; // the uploader goes silent mid-transfer
            return !cut;
        });
        QTimer replay;
        connect(&replay, &QTimer::timeout, this, [&] {
            if (cut && !accept.isEmpty())
                m_relay->inject(accept, Dir::ToDownloader);
        });
        replay.start(100);
        DownloadRequest r = requestVia(issue(), u"kept-alive"_s);
        r.options.idleTimeout = std::chrono::milliseconds(1500);
        const Outcome o = run(r);
        QVERIFY(cut);
        QCOMPARE(o.error, TransferError::PeerGone);
        QTRY_VERIFY_WITH_TIMEOUT(m_downCounters.unsolicited >= 5, 3000);
    }

private:
    QByteArray issue() { return m_up->issueUploadToken({m_source, kSize, m_sha}); }

    DownloadRequest requestVia(const QByteArray &token, const QString &name)
    {
        DownloadRequest r = request(*m_up, token, m_source, m_sha, m_dir.filePath(name));
        r.port = m_relay->port();
        return r;
    }

    Outcome run(const DownloadRequest &r)
    {
        const TransferId id = m_down->startDownload(r);
        Watcher w(*m_down, id);
        if (!QTest::qWaitFor([&] { return w.outcome.done; }, kTimeoutMs))
            return {true, TransferError::Unreachable, u"test timeout"_s, {}};
        return w.outcome;
    }

    // Waits (bounded) until no datagram crossed the interposer for 200 ms.
    void settle()
    {
        for (int i = 0; i < 50; ++i) {
            const auto before = m_relay->captured.size();
            QTest::qWait(200);
            if (m_relay->captured.size() == before)
                return;
        }
    }

    Outcome download(const QByteArray &token, const QString &name)
    {
        return run(requestVia(token, name));
    }

    QTemporaryDir m_dir;
    QString m_source;
    QByteArray m_sha;
    std::unique_ptr<Endpoint> m_up;
    std::unique_ptr<Endpoint> m_down;
    std::shared_ptr<const Crypto::IdentityKey> m_upKey;
    std::shared_ptr<const Crypto::IdentityKey> m_downKey;
    std::unique_ptr<Interposer> m_relay;
    EndpointCounters m_downCounters;
};

QTEST_GUILESS_MAIN(TestTransferE2e)
#include "tst_transfere2e.moc"
