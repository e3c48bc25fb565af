// The server's UDP side (docs/NAT.md): binding probes on the listen port and relay sessions,
// driven with raw UDP sockets on loopback and a ClientCore for the control messages.
#include <tests/support/localserver.h>
#include <tests/support/testclient.h>
#include <tests/support/udppackets.h>

#include <server-console/chat/chatserver.h>

#include <transfer/wire/rendezvouspacket.h>

#include <QNetworkDatagram>
#include <QTest>
#include <QUdpSocket>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Transfer;
using namespace UdpTest;

namespace {

// How long a negative check ("nothing arrives") listens; positive checks wait up to 5 s.
constexpr int kQuietMs = 300;

// A loopback UDP socket that keeps what it receives.
struct Peer
{
    QUdpSocket socket;
    Peer() { QVERIFY(socket.bind(QHostAddress::LocalHost, 0)); }
    // The server runs on this thread: wait by spinning the event loop, never by blocking.
    std::optional<QNetworkDatagram> receive(int timeoutMs = 5000)
    {
        if (!QTest::qWaitFor([this] { return socket.hasPendingDatagrams(); }, timeoutMs))
            return std::nullopt;
        return socket.receiveDatagram();
    }
    [[nodiscard]] bool quiet()
    {
        QTest::qWait(kQuietMs);
        return !socket.hasPendingDatagrams();
    }
    void send(const QByteArray &d, quint16 port)
    {
        socket.writeDatagram(d, QHostAddress::LocalHost, port);
    }
};

std::optional<RelayBound> boundAnswer(const std::optional<QNetworkDatagram> &d)
{
    return d ? relayAnswer(d->data()) : std::nullopt;
}

} // namespace

class TestUdpService : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Server::ChatServer> m_server;
    quint16 m_port = 0;

    void startServer(Server::ServerConfig config = {})
    {
        startLocalServer(m_server, std::move(config));
        m_port = m_server->port();
    }

    struct Opened
    {
        quint16 port = 0;
        QByteArray token;
        QString refusal;
    };
    static Opened openRelay(TestClient &client)
    {
        Opened out;
        QObject ctx;
        bool answered = false;
        QObject::connect(&client.core, &Client::ClientCore::udpRelayOpened, &ctx,
                         [&](quint32, quint16 port, const QByteArray &token) {
                             out.port = port;
                             out.token = token;
                             answered = true;
                         });
        QObject::connect(&client.core, &Client::ClientCore::udpRelayRefused, &ctx,
                         [&](quint32, const QString &why) {
                             out.refusal = why;
                             answered = true;
                         });
        client.core.openUdpRelay();
        if (!QTest::qWaitFor([&] { return answered; }, 5000))
            out.refusal = u"no answer"_s;
        return out;
    }
    // Opens a session and binds `a` and `b` to it.
    Opened openAndBind(TestClient &client, Peer &a, Peer &b)
    {
        const Opened s = openRelay(client);
        if (s.port == 0)
            return s;
        const auto first = bindRelay(a.socket, s.port, s.token);
        const auto second = bindRelay(b.socket, s.port, s.token);
        if (!first || first->endpoints != 1 || !second || second->endpoints != 2)
            return {};
        return s;
    }

    // A server with `config`, `owner` connected to it, and a session it opened bound to a and b.
    [[nodiscard]] Opened startBound(TestClient &owner, Peer &a, Peer &b,
                                    Server::ServerConfig config = {})
    {
        startServer(config);
        if (!owner.connectTo(m_port))
            return {};
        return openAndBind(owner, a, b);
    }

private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    void bindingProbeReturnsObservedAddress()
    {
        startServer();
        Peer p;
        TransactionId txid {};
        txid.fill(std::byte {0x3c});
        txid[0] = std::byte {0x81};
        p.send(bindRequest(txid), m_port); // the UDP side listens on the TCP port
        const auto d = p.receive();
        QVERIFY(d);
        QCOMPARE(d->senderPort(), int(m_port));
        const QByteArray data = d->data();
        const auto packet = decodePacket(asSpan(data));
        QVERIFY(packet);
        QCOMPARE(packet->header.type, PacketType::BindResponse);
        const auto response = decodeBindResponse(packet->body);
        QVERIFY(response);
        QVERIFY(response->transaction == txid);
        QCOMPARE(response->observed.toQt(), QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(response->observed.port, p.socket.localPort());
        QVERIFY(data.size() <= bindRequest(txid).size()); // never amplifies
        QCOMPARE(m_server->binding().counters().answered, quint64(1));
    }

    void bindingGarbageIsDroppedAndCounted()
    {
        startServer();
        Peer p;
        p.send(QByteArray("hello server"), m_port);
        p.send(QByteArray(2000, '\xF1'), m_port);
        QByteArray truncated = bindRequest({});
        truncated.chop(10);
        p.send(truncated, m_port);
        QByteArray flipped = bindRequest({});
        flipped[20] = char(flipped[20] ^ 0x40); // checksum no longer matches
        p.send(flipped, m_port);
        std::array<std::byte, 64> out {};
        p.send(toBytes(std::span(out).first(encodePunch(out, {}))), m_port); // not a probe
        QVERIFY(p.quiet());
        QTRY_COMPARE(m_server->binding().counters().dropped, quint64(5));
        QCOMPARE(m_server->binding().counters().answered, quint64(0));
        p.send(bindRequest({}), m_port); // still answering
        QVERIFY(p.receive());
    }

    void relayForwardsBothWays()
    {
        TestClient alice(u"alice"_s);
        Peer a, b;
        const Opened s = startBound(alice, a, b);
        QVERIFY(s.port != 0);
        QVERIFY(s.port != m_port);
        a.send(QByteArray("from a"), s.port);
        auto got = b.receive();
        QVERIFY(got);
        QCOMPARE(got->data(), QByteArray("from a"));
        QCOMPARE(got->senderPort(), int(s.port)); // the peer sees the relay, not a
        b.send(QByteArray("from b"), s.port);
        got = a.receive();
        QVERIFY(got);
        QCOMPARE(got->data(), QByteArray("from b"));
        // A repeated bind is answered again, not forwarded.
        a.send(relayBind(s.token), s.port);
        const auto again = boundAnswer(a.receive());
        QVERIFY(again);
        QCOMPARE(again->endpoints, std::uint8_t(2));
        QVERIFY(b.quiet());
        const auto *session = m_server->udpRelay()->session(s.port);
        QVERIFY(session);
        QCOMPARE(session->counters().forwardedDatagrams, quint64(2));
    }

    void thirdAddressCannotBindOrInject()
    {
        startServer();
        TestClient alice(u"alice"_s);
        QVERIFY(alice.connectTo(m_port));
        Peer a, b, mallory;
        const Opened s = openAndBind(alice, a, b);
        QVERIFY(s.port != 0);
        mallory.send(relayBind(s.token), s.port); // right token, third address
        QVERIFY(mallory.quiet());
        mallory.send(QByteArray("inject"), s.port);
        QVERIFY(a.quiet());
        QVERIFY(b.quiet());
        const auto *session = m_server->udpRelay()->session(s.port);
        QCOMPARE(session->boundEndpoints(), 2);
        QCOMPARE(session->counters().forwardedDatagrams, quint64(0));
        QCOMPARE(session->counters().dropped, quint64(2));
        // The bound pair still works.
        a.send(QByteArray("still"), s.port);
        QVERIFY(b.receive());
    }

    // A bind only earns a challenge sent to its source address; the address is bound when it
    // echoes that cookie, so a spoofed source (which never sees the cookie) is never bound.
    void onlyAnAddressThatEchoesItsChallengeIsBound()
    {
        startServer();
        TestClient alice(u"alice"_s);
        QVERIFY(alice.connectTo(m_port));
        const Opened s = openRelay(alice);
        QVERIFY(s.port != 0);
        Peer a, b;
        a.send(relayBind(s.token), s.port);
        const auto challenge = boundAnswer(a.receive());
        QVERIFY(challenge);
        QCOMPARE(challenge->endpoints, std::uint8_t(0));
        QVERIFY(challenge->cookie != Cookie {});
        const auto *session = m_server->udpRelay()->session(s.port);
        QCOMPARE(session->boundEndpoints(), 0);
        // b echoes the cookie made for a: b is challenged afresh, not bound.
        b.send(relayBind(s.token, challenge->cookie), s.port);
        const auto other = boundAnswer(b.receive());
        QVERIFY(other);
        QCOMPARE(other->endpoints, std::uint8_t(0));
        QVERIFY(other->cookie != challenge->cookie);
        QCOMPARE(session->boundEndpoints(), 0);
        // A forged cookie is no better.
        Cookie forged = challenge->cookie;
        forged[10] ^= std::byte {1};
        a.send(relayBind(s.token, forged), s.port);
        QVERIFY(boundAnswer(a.receive()));
        QCOMPARE(session->boundEndpoints(), 0);
        // a echoes its own: bound.
        a.send(relayBind(s.token, challenge->cookie), s.port);
        const auto bound = boundAnswer(a.receive());
        QVERIFY(bound);
        QCOMPARE(bound->endpoints, std::uint8_t(1));
        QCOMPARE(session->boundEndpoints(), 1);
    }

    void wrongTokenIsRefused()
    {
        startServer();
        TestClient alice(u"alice"_s);
        QVERIFY(alice.connectTo(m_port));
        const Opened s = openRelay(alice);
        QVERIFY(s.port != 0);
        QCOMPARE(s.token.size(), 16);
        Peer a, b;
        QByteArray wrong = s.token;
        wrong[0] = char(wrong[0] ^ 1);
        a.send(relayBind(wrong), s.port);
        QVERIFY(a.quiet());
        b.send(QByteArray("before binding"), s.port); // nobody bound: nowhere to go
        QVERIFY(a.quiet());
        const auto *session = m_server->udpRelay()->session(s.port);
        QCOMPARE(session->boundEndpoints(), 0);
        QCOMPARE(session->counters().dropped, quint64(2));
    }

    void byteCapEndsTheSession()
    {
        Server::ServerConfig config;
        config.relayBytes = 2500;
        TestClient alice(u"alice"_s);
        Peer a, b;
        const Opened s = startBound(alice, a, b, config);
        QVERIFY(s.port != 0);
        const QByteArray chunk(1000, 'x');
        a.send(chunk, s.port);
        QVERIFY(b.receive());
        a.send(chunk, s.port);
        QVERIFY(b.receive());
        a.send(chunk, s.port); // 3000 > 2500: dropped, and the session ends
        QVERIFY(b.quiet());
        QTRY_COMPARE(m_server->udpRelay()->sessionCount(), 0);
        a.send(chunk, s.port);
        QVERIFY(b.quiet());
    }

    void idleSessionExpires()
    {
        Server::ServerConfig config;
        config.relayIdleMs = 300;
        TestClient alice(u"alice"_s);
        Peer a, b;
        const Opened s = startBound(alice, a, b, config);
        QVERIFY(s.port != 0);
        QCOMPARE(m_server->udpRelay()->sessionCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->udpRelay()->sessionCount(), 0, 5000);
        a.send(QByteArray("late"), s.port);
        QVERIFY(b.quiet());
    }

    // The downloader says when its transfer ended: the session goes at once, but only its
    // owner can end it.
    void onlyTheOwnerClosesASession()
    {
        startServer();
        TestClient alice(u"alice"_s), bob(u"bob"_s);
        QVERIFY(alice.connectTo(m_port));
        QVERIFY(bob.connectTo(m_port));
        Peer a, b;
        const Opened s = openAndBind(alice, a, b);
        QVERIFY(s.port != 0);
        bob.core.closeUdpRelay(s.port); // not bob's: ignored
        QTest::qWait(kQuietMs);
        QCOMPARE(m_server->udpRelay()->sessionCount(), 1);
        a.send(QByteArray("still open"), s.port);
        QVERIFY(b.receive());
        alice.core.closeUdpRelay(s.port);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->udpRelay()->sessionCount(), 0, 2000);
        a.send(QByteArray("after close"), s.port);
        QVERIFY(b.quiet());
        QVERIFY(alice.errors.isEmpty());
        QVERIFY(bob.errors.isEmpty());
    }

    // A client that never says so does not hold the session for the idle time: a transfer
    // CLOSE crossing it ends it after a short grace (the idle time here is far longer).
    void aTransferCloseEndsTheSession()
    {
        TestClient alice(u"alice"_s);
        Peer a, b;
        const Opened s = startBound(alice, a, b);
        QVERIFY(s.port != 0);
        QByteArray close(64, '\0');
        close[1] = char(Transfer::PacketType::Close); // the header's type byte
        a.send(close, s.port);
        QVERIFY(b.receive()); // the CLOSE itself is forwarded
        b.send(QByteArray(64, 'a'), s.port); // the peer's last word still goes through
        QVERIFY(a.receive());
        QTRY_COMPARE_WITH_TIMEOUT(m_server->udpRelay()->sessionCount(), 0, 5000);
    }

    // Bursts as a transfer's flight sends them cross the relay whole: the batched socket and
    // its buffers drop nothing.
    void burstsAreForwardedWithoutDrops()
    {
        TestClient alice(u"alice"_s);
        Peer a, b;
        const Opened s = startBound(alice, a, b);
        QVERIFY(s.port != 0);
        constexpr int kBursts = 20;
        constexpr int kBurst = 64;
        int received = 0;
        for (int burst = 0; burst < kBursts; ++burst) {
            for (int i = 0; i < kBurst; ++i) {
                QByteArray d(1200, char(i));
                d[0] = char(burst);
                d[1] = char(Transfer::PacketType::Data);
                d[2] = char(i);
                a.send(d, s.port);
            }
            const int want = (burst + 1) * kBurst;
            QVERIFY(QTest::qWaitFor(
                    [&] {
                        while (b.socket.hasPendingDatagrams()) {
                            if (b.socket.receiveDatagram().data().size() == 1200)
                                ++received;
                        }
                        return received >= want;
                    },
                    5000));
        }
        QCOMPARE(received, kBursts * kBurst);
        const auto counters = m_server->udpRelay()->session(s.port)->counters();
        QCOMPARE(counters.forwardedDatagrams, quint64(kBursts * kBurst));
        QCOMPARE(counters.dropped, quint64(0));
        QCOMPARE(counters.sendErrors, quint64(0));
    }

    // Past its rate (a token bucket per direction, burst a tenth of a second but at least
    // 64 datagrams) a session drops the transfer's datagrams like a congested link, and says
    // how many.
    void overTheRateIsDroppedAndCounted()
    {
        Server::ServerConfig config;
        config.relayRate = 10'000; // bytes/s: the burst is the floor, 64 x 1500 bytes
        TestClient alice(u"alice"_s);
        Peer a, b;
        const Opened s = startBound(alice, a, b, config);
        QVERIFY(s.port != 0);
        constexpr int kSent = 100; // 120 000 bytes at once: more than the 96 000-byte burst
        for (int i = 0; i < kSent; ++i) {
            QByteArray d(1200, char(i));
            d[1] = char(Transfer::PacketType::Data);
            a.send(d, s.port);
        }
        const auto *session = m_server->udpRelay()->session(s.port);
        QTRY_COMPARE(session->counters().forwardedDatagrams + session->counters().dropped,
                     quint64(kSent));
        const auto counters = session->counters();
        // About the burst's 80 datagrams (the binds' challenges were paid from it too, and it
        // refills at 10 kB/s meanwhile); the rest was dropped over the rate, and nothing else.
        QVERIFY2(counters.forwardedDatagrams >= 76 && counters.forwardedDatagrams <= 82,
                 qPrintable(QString::number(counters.forwardedDatagrams)));
        QCOMPARE(counters.droppedOverRate, quint64(kSent) - counters.forwardedDatagrams);
        QCOMPARE(counters.dropped, counters.droppedOverRate);
        // The other direction has a bucket of its own.
        b.send(QByteArray(1200, 'b'), s.port);
        QVERIFY(a.receive());
    }

    void sessionLimitsAreEnforced()
    {
        Server::ServerConfig config;
        config.relaySessions = 2;
        config.relaySessionsPerClient = 1;
        startServer(config);
        TestClient alice(u"alice"_s), bob(u"bob"_s), carol(u"carol"_s);
        QVERIFY(alice.connectTo(m_port));
        QVERIFY(bob.connectTo(m_port));
        QVERIFY(carol.connectTo(m_port));
        QVERIFY(openRelay(alice).port != 0);
        const Opened second = openRelay(alice);
        QCOMPARE(second.port, quint16(0));
        QVERIFY2(second.refusal.contains(u"per client"_s), qPrintable(second.refusal));
        QVERIFY(openRelay(bob).port != 0);
        const Opened third = openRelay(carol);
        QCOMPARE(third.port, quint16(0));
        QVERIFY2(third.refusal.contains(u"in use"_s), qPrintable(third.refusal));
        QVERIFY(alice.errors.isEmpty()); // refusals answer the request, not serverError
        QCOMPARE(m_server->udpRelay()->sessionCount(), 2);
    }

    void relayOffRefuses()
    {
        Server::ServerConfig config;
        config.relaySessions = 0;
        startServer(config);
        TestClient alice(u"alice"_s);
        QVERIFY(alice.connectTo(m_port));
        const Opened s = openRelay(alice);
        QCOMPARE(s.port, quint16(0));
        QVERIFY(!s.refusal.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestUdpService)
#include "tst_udpservice.moc"
