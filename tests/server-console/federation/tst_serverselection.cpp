#include <tests/support/federationnet.h>

#include <client/serverfailover.h>
#include <client/serverselector.h>

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;
using Client::ServerCandidate;

namespace {

// A TCP relay in front of a server that holds every chunk for a while in each direction: the
// server seems that much farther away.
class DelayProxy : public QObject
{
public:
    DelayProxy(quint16 upstream, int delayMs)
        : m_upstream(upstream)
        , m_delayMs(delayMs)
    {
        m_listener.listen(QHostAddress::LocalHost, 0);
        connect(&m_listener, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *down = m_listener.nextPendingConnection()) {
                // Neither socket owns the other: each may go first without the other
                // touching it half-destroyed.
                auto *up = new QTcpSocket(this);
                pipe(down, up);
                pipe(up, down);
                up->connectToHost(u"127.0.0.1"_s, m_upstream);
            }
        });
    }
    [[nodiscard]] quint16 port() const { return m_listener.serverPort(); }

private:
    // `to` is the context of every connection, so Qt drops them when `to` is destroyed.
    void pipe(QTcpSocket *from, QTcpSocket *to)
    {
        connect(from, &QTcpSocket::readyRead, to, [this, from, to] {
            const QByteArray data = from->readAll();
            QTimer::singleShot(m_delayMs, to, [to, data] { to->write(data); });
        });
        connect(from, &QTcpSocket::disconnected, to, [to] { to->disconnectFromHost(); });
    }
    QTcpServer m_listener;
    quint16 m_upstream;
    int m_delayMs;
};

ServerCandidate at(quint16 port)
{
    return ServerCandidate {u"127.0.0.1"_s, port, {}, -1, {}};
}

} // namespace

class TestServerSelection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void closestServerIsChosen()
    {
        FederationNet net;
        net.add(u"far"_s);
        net.add(u"near"_s);
        net.add(u"middle"_s);
        DelayProxy farProxy(net.servers[0]->port(), 120);
        DelayProxy middleProxy(net.servers[2]->port(), 40);
        Client::ServerSelector selector;
        QTemporaryDir pins; // pins of this run only: ports are reused between runs
        Client::TlsSettings tls;
        tls.knownServersFile = pins.filePath(u"known-servers"_s);
        selector.setTlsSettings(tls);
        QSignalSpy done(&selector, &Client::ServerSelector::finished);
        ServerCandidate dead = at(1); // nothing listens on port 1
        selector.probe(
                {at(farProxy.port()), dead, at(net.servers[1]->port()), at(middleProxy.port())}, 3,
                5000);
        QVERIFY(done.wait(8000));
        const auto ranked = done.at(0).at(0).value<QList<ServerCandidate>>();
        QCOMPARE(ranked.size(), 4);
        QCOMPARE(ranked[0].name, u"near"_s);
        QCOMPARE(ranked[1].name, u"middle"_s);
        QCOMPARE(ranked[2].name, u"far"_s);
        QVERIFY(ranked[2].rttMs > ranked[0].rttMs);
        QCOMPARE(ranked[3].port, quint16(1));
        QCOMPARE(ranked[3].rttMs, -1.0);
        QVERIFY(!ranked[3].error.isEmpty());
    }

    void failoverRejoinsWithTheSameNick()
    {
        FederationNet net;
        net.add(u"s0"_s);
        net.add(u"s1"_s);
        net.add(u"s2"_s);
        net.link(1, 0);
        net.link(2, 1);
        net.link(2, 0);
        QTRY_VERIFY_WITH_TIMEOUT(net.allSee(3), 5000);
        TestClient &watcher = net.client(u"watcher"_s, 2);
        QVERIFY(watcher.join(u"lobby"_s));

        TestClient roamer(u"roamer"_s);
        Client::ServerFailover failover(&roamer.core);
        QSignalSpy measured(&failover, &Client::ServerFailover::measured);
        QSignalSpy reconnected(&failover, &Client::ServerFailover::reconnected);
        QSignalSpy connected(&roamer.core, &Client::ClientCore::connected);
        // s0 and a slow way to s2 are given; the rest is learned.
        DelayProxy slow(net.servers[2]->port(), 60);
        failover.start({at(net.servers[0]->port()), at(slow.port())}, u"roamer"_s);
        QVERIFY(connected.wait(5000));
        QCOMPARE(measured.size(), 1);
        QCOMPARE(roamer.core.serverName(), u"s0"_s);
        QVERIFY(roamer.join(u"lobby"_s));
        QTRY_COMPARE(watcher.core.members(u"lobby"_s).size(), 2);
        // s1 and s2's own address are learned from the servers message.
        QTRY_COMPARE(failover.candidates().size(), 4);

        net.servers[0].reset(); // s0 goes away
        QVERIFY(reconnected.wait(8000));
        QVERIFY(reconnected.at(0).at(0).toString() != u"s0"_s);
        QCOMPARE(reconnected.at(0).at(1).toStringList(), QStringList {u"lobby"_s});
        QTRY_VERIFY(roamer.core.rooms().contains(u"lobby"_s));
        QCOMPARE(roamer.core.nick(), u"roamer"_s);
        QTRY_COMPARE(watcher.core.members(u"lobby"_s).size(), 2);
        roamer.core.say(u"lobby"_s, u"still here"_s);
        QTRY_COMPARE(watcher.texts(), QStringList {u"still here"_s});
        // The watcher saw a leave and a join of the same nick, never a lost room.
        QCOMPARE(watcher.leaves.size(), 1);
        QCOMPARE(watcher.leaves.at(0).nick, u"roamer"_s);
    }
};

QTEST_GUILESS_MAIN(TestServerSelection)
#include "tst_serverselection.moc"
