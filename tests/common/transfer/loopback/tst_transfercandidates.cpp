// Multi-candidate handshake, punching and relay binding of the endpoint (docs/NAT.md) on
// loopback: dead candidates (unbound ports, 127.0.0.x where nothing listens) beside the live
// one, the path each side reports, and a transfer through an in-test UDP relay.
#include <tests/support/transferfixture.h>

#include <transfer/wire/rendezvouspacket.h>

#include <QNetworkDatagram>
#include <QTemporaryDir>
#include <QUdpSocket>

using namespace TransferTest;
using Transfer::Candidate;
using Transfer::CandidateKind;
using Transfer::PathKind;

namespace {

// A port on 127.0.0.1 that nothing listens on (bound, then released).
quint16 deadPort()
{
    QUdpSocket s;
    if (!s.bind(QHostAddress::LocalHost, 0))
        return 9;
    return s.localPort();
}

std::span<const std::byte> asSpan(const QByteArray &b)
{
    return std::as_bytes(std::span(b.constData(), std::size_t(b.size())));
}

// A two-party relay like the server's: the first two addresses that bind with the token (and
// echo its challenge's cookie) are the endpoints, datagrams between them are forwarded, and the
// count of forwarded datagrams proves the bytes went through it.
class MiniRelay : public QObject
{
public:
    explicit MiniRelay(const QByteArray &token)
        : m_token(token)
    {
        QVERIFY(m_socket.bind(QHostAddress::LocalHost, 0));
        connect(&m_socket, &QUdpSocket::readyRead, this, &MiniRelay::read);
    }
    quint16 port() const { return m_socket.localPort(); }
    int forwarded = 0;
    int binds = 0;

private:
    void read()
    {
        while (m_socket.hasPendingDatagrams()) {
            const QNetworkDatagram d = m_socket.receiveDatagram();
            const QByteArray data = d.data();
            const std::pair<QHostAddress, int> from {d.senderAddress(), d.senderPort()};
            const auto packet = Transfer::decodePacket(asSpan(data));
            if (packet && packet->header.type == Transfer::PacketType::RelayBind) {
                const auto bind = Transfer::decodeRelayBind(packet->body);
                if (!bind
                    || QByteArray(reinterpret_cast<const char *>(bind->token.data()), 16)
                            != m_token)
                    continue;
                ++binds;
                // As the server's relay: a new address is challenged first, and bound when it
                // echoes the cookie.
                Transfer::RelayBound bound {bind->token, 0, kCookie};
                if (m_ends.contains(from) || (bind->cookie == kCookie && m_ends.size() < 2)) {
                    if (!m_ends.contains(from))
                        m_ends.append(from);
                    bound = {bind->token, std::uint8_t(m_ends.size()), {}};
                }
                std::array<std::byte, 64> out {};
                const std::size_t n = Transfer::encodeRelayBound(out, bound);
                m_socket.writeDatagram(reinterpret_cast<const char *>(out.data()), qint64(n),
                                       from.first, quint16(from.second));
                continue;
            }
            if (m_ends.size() == 2 && m_ends.contains(from)) {
                const auto &to = m_ends[0] == from ? m_ends[1] : m_ends[0];
                m_socket.writeDatagram(data, to.first, quint16(to.second));
                ++forwarded;
            }
        }
    }
    // One cookie for every address: enough to make the client answer a challenge.
    static constexpr Transfer::Cookie kCookie {std::byte {7}, std::byte {7}, std::byte {7}};
    QUdpSocket m_socket;
    QByteArray m_token;
    QList<std::pair<QHostAddress, int>> m_ends;
};

} // namespace

class TestTransferCandidates : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_source;
    QByteArray m_sha;

    static Outcome await(Transfer::Endpoint &endpoint, Transfer::TransferId id, int ms = 20000)
    {
        Watcher w(endpoint, id);
        [[maybe_unused]] const bool ended = QTest::qWaitFor([&] { return w.outcome.done; }, ms);
        return w.outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_source = m_dir.filePath(u"source.bin"_s);
        m_sha = writeRandomFile(m_source, 3 * 1024 * 1024 + 17, 11);
        QVERIFY(!m_sha.isEmpty());
    }

    void pathClassification()
    {
        const QHostAddress lan(u"192.168.1.5"_s), pub(u"203.0.113.7"_s);
        const QList<Candidate> candidates {
                {lan, 4000, CandidateKind::Host},
                {pub, 40000, CandidateKind::Reflexive},
                {QHostAddress::LocalHost, 4000, CandidateKind::Host},
                {QHostAddress::LocalHost, 4000, CandidateKind::Reflexive}};
        QCOMPARE(Transfer::classifyPath(lan, 4000, candidates), PathKind::DirectLan);
        QCOMPARE(Transfer::classifyPath(pub, 40000, candidates), PathKind::DirectPunched);
        // Loopback is a host and a reflexive candidate at once: the host wins.
        QCOMPARE(Transfer::classifyPath(QHostAddress::LocalHost, 4000, candidates),
                 PathKind::DirectLan);
        // Unannounced: private addresses are LAN, public ones came through a NAT.
        QCOMPARE(Transfer::classifyPath(QHostAddress(u"10.1.2.3"_s), 5, {}), PathKind::DirectLan);
        QCOMPARE(Transfer::classifyPath(QHostAddress(u"198.51.100.1"_s), 5, {}),
                 PathKind::DirectPunched);
        QCOMPARE(Transfer::classifyPath(pub, 1, candidates), PathKind::DirectPunched);
        QCOMPARE(Transfer::pathKindName(PathKind::DirectLan), u"direct-lan"_s);
        QCOMPARE(Transfer::pathKindName(PathKind::DirectPunched), u"direct-punched"_s);
        QCOMPARE(Transfer::pathKindName(PathKind::Relayed), u"relayed"_s);
        QCOMPARE(Transfer::pathKindName(PathKind::Unknown), QString());
    }

    void picksTheLiveCandidateAmongDeadOnes_data()
    {
        QTest::addColumn<CandidateKind>("liveKind");
        QTest::addColumn<PathKind>("expected");
        QTest::newRow("host") << CandidateKind::Host << PathKind::DirectLan;
        QTest::newRow("reflexive") << CandidateKind::Reflexive << PathKind::DirectPunched;
    }
    void picksTheLiveCandidateAmongDeadOnes()
    {
        QFETCH(CandidateKind, liveKind);
        QFETCH(PathKind, expected);
        Transfer::Endpoint up, down;
        QVERIFY(up.bind(QHostAddress::LocalHost, 0));
        QVERIFY(down.bind(QHostAddress::LocalHost, 0));
        const QByteArray token
                = up.issueUploadToken({m_source, quint64(QFile(m_source).size()), m_sha});
        const QString target = m_dir.filePath(u"live-%1.bin"_s.arg(int(liveKind)));
        auto req = request(up, token, m_source, m_sha, target);
        // The live candidate comes last: a sequential prober would spend its whole time
        // on the dead ones, which never answer.
        req.candidates = {{QHostAddress(u"127.0.0.2"_s), up.localPort(), CandidateKind::Host},
                          {QHostAddress::LocalHost, deadPort(), CandidateKind::Host},
                          {QHostAddress(u"127.0.0.3"_s), 9, CandidateKind::Reflexive},
                          {QHostAddress::LocalHost, up.localPort(), liveKind}};
        req.options.handshakeTimeout = std::chrono::milliseconds(3000);
        Watcher uploads(up, Transfer::TransferId(1) << 48);
        const auto id = down.startDownload(req);
        const Outcome o = await(down, id);
        QVERIFY2(o.done && o.error == Transfer::TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(target), m_sha);
        QCOMPARE(o.result.stats.path, expected);
        QCOMPARE(o.result.stats.peerPort, up.localPort());
        // The uploader had no candidates for this token: an unannounced loopback peer is LAN.
        QTRY_VERIFY(uploads.outcome.done);
        QCOMPARE(uploads.outcome.result.stats.path, PathKind::DirectLan);
    }

    void allDeadIsUnreachableWithinTheTimeout()
    {
        Transfer::Endpoint down;
        QVERIFY(down.bind(QHostAddress::LocalHost, 0));
        Transfer::DownloadRequest req;
        req.token = QByteArray(16, 'x');
        req.size = 100;
        req.sha256 = QByteArray(32, 'y');
        req.destination = m_dir.filePath(u"never.bin"_s);
        req.candidates = {{QHostAddress(u"127.0.0.2"_s), 7, CandidateKind::Host},
                          {QHostAddress::LocalHost, deadPort(), CandidateKind::Reflexive}};
        req.options.handshakeTimeout = std::chrono::milliseconds(600);
        const auto id = down.startDownload(req);
        const Outcome o = await(down, id, 10000);
        QVERIFY(o.done);
        QCOMPARE(o.error, Transfer::TransferError::Unreachable);
        QVERIFY2(o.reason.contains(u"127.0.0.2"_s), qPrintable(o.reason));
    }

    void uploaderNamesThePathFromTheDownloadersCandidates()
    {
        Transfer::Endpoint up, down;
        QVERIFY(up.bind(QHostAddress::LocalHost, 0));
        QVERIFY(down.bind(QHostAddress::LocalHost, 0));
        const QByteArray token
                = up.issueUploadToken({m_source, quint64(QFile(m_source).size()), m_sha});
        // The downloader announced its socket as a reflexive address only: the uploader
        // calls the path punched, and its punches reach the downloader (counted there as
        // rendezvous traffic for no download once the handshake is done).
        up.punch(token, {{QHostAddress::LocalHost, down.localPort(), CandidateKind::Reflexive}},
                 std::chrono::milliseconds(400));
        Watcher uploads(up, Transfer::TransferId(1) << 48);
        const QString target = m_dir.filePath(u"punched.bin"_s);
        const auto id = down.startDownload(request(up, token, m_source, m_sha, target));
        const Outcome o = await(down, id);
        QVERIFY2(o.done && o.error == Transfer::TransferError::None, qPrintable(o.reason));
        QTRY_VERIFY(uploads.outcome.done);
        QCOMPARE(uploads.outcome.result.stats.path, PathKind::DirectPunched);
    }

    void punchFromTheUploaderAddsACandidate()
    {
        // The downloader only knows a dead address; the uploader's punch from its real
        // address (a peer-reflexive candidate) lets the handshake complete there.
        Transfer::Endpoint up, down;
        QVERIFY(up.bind(QHostAddress::LocalHost, 0));
        QVERIFY(down.bind(QHostAddress::LocalHost, 0));
        const QByteArray token
                = up.issueUploadToken({m_source, quint64(QFile(m_source).size()), m_sha});
        const QString target = m_dir.filePath(u"prflx.bin"_s);
        auto req = request(up, token, m_source, m_sha, target);
        req.candidates = {{QHostAddress::LocalHost, deadPort(), CandidateKind::Host},
                          {QHostAddress(u"127.0.0.2"_s), 9, CandidateKind::Host}};
        req.options.handshakeTimeout = std::chrono::milliseconds(5000);
        const auto id = down.startDownload(req);
        QTest::qWait(100);
        up.punch(token, {{QHostAddress::LocalHost, down.localPort(), CandidateKind::Reflexive}},
                 std::chrono::milliseconds(2000));
        const Outcome o = await(down, id);
        QVERIFY2(o.done && o.error == Transfer::TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(target), m_sha);
        QCOMPARE(o.result.stats.path, PathKind::DirectPunched);
    }

    void strayRendezvousDatagramsAreDroppedAndCounted()
    {
        Transfer::Endpoint ep;
        QVERIFY(ep.bind(QHostAddress::LocalHost, 0));
        QSignalSpy counters(&ep, &Transfer::Endpoint::countersChanged);
        QUdpSocket stranger;
        QVERIFY(stranger.bind(QHostAddress::LocalHost, 0));
        auto send = [&](std::span<const std::byte> d) {
            stranger.writeDatagram(reinterpret_cast<const char *>(d.data()), qint64(d.size()),
                                   QHostAddress::LocalHost, ep.localPort());
        };
        std::array<std::byte, 128> out {};
        // An answer to a probe we never sent, from an address that is not our server.
        Transfer::BindResponse fake;
        fake.observed = Transfer::PeerAddress::fromQt(QHostAddress(u"203.0.113.1"_s), 1234);
        send(std::span(out).first(Transfer::encodeBindResponse(out, fake)));
        // A relay confirmation for a session we are not binding to.
        send(std::span(out).first(Transfer::encodeRelayBound(out, {{}, 2})));
        // A punch for no download of ours.
        send(std::span(out).first(Transfer::encodePunch(out, {})));
        // Requests are for servers.
        send(std::span(out).first(Transfer::encodeBindRequest(out, {})));
        // A punch body of the wrong size.
        std::array<std::byte, 8> shortBody {};
        Transfer::PacketHeader h;
        h.type = Transfer::PacketType::Punch;
        send(std::span(out).first(Transfer::encodeWithBody(out, h, shortBody)));
        QTRY_VERIFY_WITH_TIMEOUT(
                !counters.isEmpty()
                        && counters.last().at(0).value<Transfer::EndpointCounters>().rendezvous
                                == 5,
                5000);
        // Bad bodies decode to nothing.
        QVERIFY(!Transfer::decodeBindResponse(shortBody));
        QVERIFY(!Transfer::decodeRelayBound(shortBody));
        std::array<std::byte, 16 + 1 + sizeof(Transfer::Cookie)> answer {};
        answer[16] = std::byte {3}; // three endpoints
        QVERIFY(!Transfer::decodeRelayBound(answer));
        answer[16] = std::byte {1};
        answer[20] = std::byte {1}; // a cookie in a confirmation
        QVERIFY(!Transfer::decodeRelayBound(answer));
        answer[16] = std::byte {0}; // a challenge carries one
        QVERIFY(Transfer::decodeRelayBound(answer));
    }

    void transferThroughARelayIsByteIdenticalAndRelayed()
    {
        const QByteArray relayToken(16, '\x42');
        MiniRelay relay(relayToken);
        Transfer::Endpoint up, down;
        QVERIFY(up.bind(QHostAddress::LocalHost, 0));
        QVERIFY(down.bind(QHostAddress::LocalHost, 0));
        QSignalSpy downBound(&down, &Transfer::Endpoint::relayBound);
        QSignalSpy upBound(&up, &Transfer::Endpoint::relayBound);
        down.bindRelay(QHostAddress::LocalHost, relay.port(), relayToken);
        QVERIFY(downBound.wait(5000));
        up.bindRelay(QHostAddress::LocalHost, relay.port(), relayToken);
        QVERIFY(upBound.wait(5000));
        QCOMPARE(upBound.last().at(2).toInt(), 2);
        const QByteArray token
                = up.issueUploadToken({m_source, quint64(QFile(m_source).size()), m_sha});
        const QString target = m_dir.filePath(u"relayed.bin"_s);
        auto req = request(up, token, m_source, m_sha, target);
        req.candidates = {{QHostAddress::LocalHost, relay.port(), CandidateKind::Relay}};
        Watcher uploads(up, Transfer::TransferId(1) << 48);
        const auto id = down.startDownload(req);
        const Outcome o = await(down, id, 30000);
        QVERIFY2(o.done && o.error == Transfer::TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(target), m_sha);
        QCOMPARE(o.result.stats.path, PathKind::Relayed);
        QTRY_VERIFY(uploads.outcome.done);
        QCOMPARE(uploads.outcome.result.stats.path, PathKind::Relayed);
        // Every data byte crossed the relay: at least one datagram per 1176-byte block.
        QVERIFY(relay.forwarded > int(QFile(m_source).size() / 1176));
    }

    // Race, don't wait: a relay added while the dead direct candidates are still probed is
    // used at once, long before their timeout, and it extends the handshake's deadline.
    void aRelayRacedInWinsBeforeThePunchTimeout()
    {
        const QByteArray relayToken(16, '\x43');
        MiniRelay relay(relayToken);
        Transfer::Endpoint up, down;
        QVERIFY(up.bind(QHostAddress::LocalHost, 0));
        QVERIFY(down.bind(QHostAddress::LocalHost, 0));
        const QByteArray token
                = up.issueUploadToken({m_source, quint64(QFile(m_source).size()), m_sha});
        const QString target = m_dir.filePath(u"raced.bin"_s);
        auto req = request(up, token, m_source, m_sha, target);
        req.candidates = {{QHostAddress::LocalHost, deadPort(), CandidateKind::Host},
                          {QHostAddress(u"127.0.0.2"_s), 9, CandidateKind::Reflexive}};
        // Shorter than the transfer through the relay takes: the raced candidate must
        // extend it, or the download would fail as unreachable.
        req.options.handshakeTimeout = std::chrono::milliseconds(1500);
        const auto id = down.startDownload(req);
        QTest::qWait(300); // the direct candidates' head start, with no answer
        down.bindRelay(QHostAddress::LocalHost, relay.port(), relayToken);
        up.bindRelay(QHostAddress::LocalHost, relay.port(), relayToken);
        down.addCandidate(id, {QHostAddress::LocalHost, relay.port(), CandidateKind::Relay});
        const Outcome o = await(down, id, 30000);
        QVERIFY2(o.done && o.error == Transfer::TransferError::None, qPrintable(o.reason));
        QCOMPARE(fileSha(target), m_sha);
        QCOMPARE(o.result.stats.path, PathKind::Relayed);
        QVERIFY(relay.forwarded > int(QFile(m_source).size() / 1176));
        // A candidate raced into a download that already has its path changes nothing.
        down.addCandidate(id, {QHostAddress::LocalHost, deadPort(), CandidateKind::Relay});
        QTest::qWait(50);
    }
};

QTEST_GUILESS_MAIN(TestTransferCandidates)
#include "tst_transfercandidates.moc"
