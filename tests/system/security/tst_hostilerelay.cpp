// The catalogue of hostile inputs against a live server's UDP side: garbage on its port, and
// relay sessions taken in bulk, bound to the server's own ports or looped. Each case checks the
// server's answer and that two bystanders in the room still chat afterwards.
#include <tests/support/hostileserver.h>
#include <tests/support/rawclient.h>
#include <tests/support/udppackets.h>

#include <server-console/serverconfig.h>
#include <server-console/udp/relaysession.h>
#include <server-console/udp/udprelay.h>

#include <QNetworkDatagram>
#include <QUdpSocket>

using namespace Qt::StringLiterals;
using namespace Hostile;
using Protocol::ErrorCode;

class TestHostileRelay : public QObject
{
    Q_OBJECT
private:
    LiveServer m_live;

private Q_SLOTS:
    void init() { m_live.start(); }
    void cleanup() { m_live.stop(); }

    // Garbage on the server's UDP port is dropped; binding probes are still answered.
    void garbageDatagramsToTheServerAreDropped()
    {
        QUdpSocket udp;
        QVERIFY(udp.bind(attacker(8), 0));
        const QByteArray junk[] = {QByteArray("hello server"), QByteArray(2000, '\xf1'),
                                   QByteArray(1, '\0'), QByteArray(64, '\xff')};
        for (const QByteArray &d : junk)
            udp.writeDatagram(d, QHostAddress::LocalHost, m_live.port());
        QTRY_COMPARE(m_live.server->binding().counters().dropped, quint64(std::size(junk)));
        QCOMPARE(m_live.server->binding().counters().answered, quint64(0));
        QVERIFY(!udp.hasPendingDatagrams());
        QVERIFY(m_live.bystandersStillChat());
    }

    // One client cannot take every relay session.
    void relaySessionsPerClientAreCapped()
    {
        RawClient eve;
        QVERIFY(m_live.prepare(eve, Welcomed));
        const int perClient = testConfig().relaySessionsPerClient;
        for (int i = 0; i < perClient + 2; ++i)
            eve.send(Protocol::UdpRelayOpen {quint32(i)});
        QVERIFY(QTest::qWaitFor([&] { return eve.countErrors(ErrorCode::RelayUnavailable) == 2; },
                                5000));
        QCOMPARE(eve.count<Protocol::UdpRelayOpened>(), perClient);
        QVERIFY(m_live.bystandersStillChat());
    }

    // All clients of one address together hold a bounded number of relay sessions.
    void relaySessionsPerAddressAreCapped()
    {
        m_live.stop();
        Server::ServerConfig config = testConfig();
        config.relaySessionsPerAddress = 2;
        m_live.start(config);
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<RawClient>());
            QVERIFY(clients.back()->connectTo(m_live.port(), attacker(13)));
            QVERIFY(clients.back()->hello(u"eve%1"_s.arg(i)));
            clients.back()->send(Protocol::UdpRelayOpen {quint32(i)});
            QVERIFY(QTest::qWaitFor(
                    [&] {
                        return clients.back()->count<Protocol::UdpRelayOpened>()
                                + clients.back()->countErrors(ErrorCode::RelayUnavailable)
                                > 0;
                    },
                    5000));
        }
        QCOMPARE(clients[0]->count<Protocol::UdpRelayOpened>(), 1);
        QCOMPARE(clients[1]->count<Protocol::UdpRelayOpened>(), 1);
        QCOMPARE(clients[2]->countErrors(ErrorCode::RelayUnavailable), 1);
        TestClient carol(u"carol"_s, attacker(14)); // another address still gets one
        QVERIFY(carol.connectTo(m_live.port()));
        QSignalSpy opened(&carol.core, &Client::ClientCore::udpRelayOpened);
        carol.core.openUdpRelay();
        QVERIFY(opened.wait(5000));
        QVERIFY(m_live.bystandersStillChat());
    }

    // The server's own sockets (its UDP port, its relay ports) are never relay endpoints:
    // sessions bound to each other's ports would pass one datagram round forever. A spoofed
    // source cannot be sent from a test on loopback, so the check is asked directly.
    void relayNeverBindsTheServersOwnPorts()
    {
        RawClient eve;
        QVERIFY(m_live.prepare(eve, Welcomed));
        eve.send(Protocol::UdpRelayOpen {1});
        QVERIFY(QTest::qWaitFor([&] { return eve.count<Protocol::UdpRelayOpened>() == 1; }, 5000));
        quint16 relayPort = 0;
        for (const auto &m : eve.received) {
            if (const auto *o = std::get_if<Protocol::UdpRelayOpened>(&m))
                relayPort = o->port;
        }
        const Server::UdpRelay *relay = m_live.server->udpRelay();
        const auto at = [](quint16 port) {
            return Transfer::PeerAddress::fromQt(QHostAddress::LocalHost, port);
        };
        QVERIFY(relay->isOwnAddress(at(relayPort)));
        QVERIFY(relay->isOwnAddress(at(m_live.port())));
        QUdpSocket client;
        QVERIFY(client.bind(QHostAddress::LocalHost, 0));
        QVERIFY(!relay->isOwnAddress(at(client.localPort())));
        QVERIFY(m_live.bystandersStillChat());
    }

    // Two endpoints that send every datagram straight back make the session pass the same
    // datagram round and round: the relay notices and ends the session.
    void relayEndsALoop()
    {
        RawClient eve;
        QVERIFY(m_live.prepare(eve, Welcomed));
        eve.send(Protocol::UdpRelayOpen {1});
        QVERIFY(QTest::qWaitFor([&] { return eve.count<Protocol::UdpRelayOpened>() == 1; }, 5000));
        Protocol::UdpRelayOpened opened;
        for (const auto &m : eve.received) {
            if (const auto *o = std::get_if<Protocol::UdpRelayOpened>(&m))
                opened = *o;
        }
        QUdpSocket a, b;
        QVERIFY(a.bind(attacker(15), 0));
        QVERIFY(b.bind(attacker(16), 0));
        for (QUdpSocket *s : {&a, &b})
            QVERIFY(UdpTest::bindRelay(*s, opened.port, opened.token));
        const Server::RelaySession *session = m_live.server->udpRelay()->session(opened.port);
        QVERIFY(session);
        // Both ends reflect whatever arrives: one datagram circles until the relay stops it.
        a.writeDatagram(QByteArray(100, 'L'), QHostAddress::LocalHost, opened.port);
        int reflected = 0;
        for (int i = 0; i < 5000 && m_live.server->udpRelay()->session(opened.port); ++i) {
            for (QUdpSocket *s : {&a, &b}) {
                while (s->hasPendingDatagrams()) {
                    s->writeDatagram(s->receiveDatagram().data(), QHostAddress::LocalHost,
                                     opened.port);
                    ++reflected;
                }
            }
            QTest::qWait(1);
        }
        QVERIFY2(!m_live.server->udpRelay()->session(opened.port),
                 qPrintable(u"still forwarding after %1 reflections"_s.arg(reflected)));
        QVERIFY(reflected < 1000);
        QVERIFY(m_live.bystandersStillChat());
    }
};

QTEST_MAIN(TestHostileRelay)
#include "tst_hostilerelay.moc"
