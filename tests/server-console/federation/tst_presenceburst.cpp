#include <tests/support/federationnet.h>

#include <QSet>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using Server::LinkTraffic;

namespace {

const QString kRoom = u"crowd"_s;

// What one client was told about the room: the list in its `joined` reply (once) and every
// member-joined after it.
struct PresenceLog
{
    int joinedReplies = 0;
    QStringList listed; // nicks in the joined reply
};

} // namespace

// Join bursts: presence is batched per room and event-loop turn, and nobody may hear of a
// member twice or never. Single server, then a line of three servers.
class TestPresenceBurst : public QObject
{
    Q_OBJECT
private:
    static Server::ServerConfig config(const QString &name)
    {
        Server::ServerConfig c = FederationNet::config(name, "federation-test-secret");
        c.maxConnectionsPerAddress = 1000; // every test client is on 127.0.0.1
        // 180 TLS clients in one process stall the event loop for longer than the net's
        // 500 ms dead-link timer on a loaded machine; a split would then re-announce every
        // remote member, which is right but not what these tests are about.
        c.heartbeatMs = 1000;
        c.deadLinkMs = 30'000;
        return c;
    }

    // Connects `count` clients spread round-robin over the servers, then has all of them join
    // the room at once; waits until every client sees every member.
    static bool burst(FederationNet &net, int count, QList<PresenceLog> &logs)
    {
        logs.resize(count);
        for (int i = 0; i < count; ++i)
            net.client(u"m%1"_s.arg(i), i % int(net.servers.size()));
        for (int i = 0; i < count; ++i) {
            QObject::connect(&net.clients[i]->core, &Client::ClientCore::joined,
                             &net.clients[i]->core,
                             [&logs, i](const QString &, const QList<Protocol::MemberInfo> &ms) {
                                 ++logs[i].joinedReplies;
                                 for (const auto &m : ms)
                                     logs[i].listed.append(m.nick);
                             });
        }
        for (int i = 0; i < count; ++i)
            net.clients[i]->core.join(kRoom);
        return QTest::qWaitFor(
                [&] {
                    for (const auto &c : net.clients) {
                        if (c->core.members(kRoom).size() != count)
                            return false;
                    }
                    return true;
                },
                60'000);
    }

    // Every client heard of every member exactly once: in its list or as one member-joined.
    static void checkExactlyOnce(const FederationNet &net, const QList<PresenceLog> &logs)
    {
        const int count = int(net.clients.size());
        for (int i = 0; i < count; ++i) {
            const TestClient &c = *net.clients[i];
            QCOMPARE(logs[i].joinedReplies, 1);
            QStringList told = logs[i].listed;
            for (const auto &[room, nick] : c.joins)
                told.append(nick);
            QCOMPARE(told.size(), count);
            QCOMPARE(QSet<QString>(told.cbegin(), told.cend()).size(), count);
            QVERIFY(logs[i].listed.contains(c.nick));
            QVERIFY(c.leaves.isEmpty());
            QVERIFY(c.errors.isEmpty());
        }
    }

private Q_SLOTS:
    void joinBurstOnOneServer()
    {
        FederationNet net;
        net.add(config(u"solo"_s));
        QList<PresenceLog> logs;
        QVERIFY(burst(net, 40, logs));
        checkExactlyOnce(net, logs);
        net.clients[7]->core.say(kRoom, u"hello crowd"_s);
        for (const auto &c : net.clients)
            QTRY_COMPARE(c->texts(), QStringList {u"hello crowd"_s});
        // A member who leaves is told once to everyone left.
        net.clients[3]->core.leave(kRoom);
        for (int i = 0; i < int(net.clients.size()); ++i) {
            if (i != 3)
                QTRY_COMPARE(net.clients[i]->leaves.size(), 1);
        }
    }

    // The joined reply waits for the end of the turn, yet replies keep the order of the
    // requests: a ping sent right after a join is answered after the joined.
    void repliesKeepTheOrderOfRequests()
    {
        FederationNet net;
        net.add(config(u"solo"_s));
        TestClient &c = net.client(u"early"_s, 0);
        QStringList order;
        QObject::connect(&c.core, &Client::ClientCore::joined, &c.core,
                         [&order] { order.append(u"joined"_s); });
        QObject::connect(&c.core, &Client::ClientCore::pongReceived, &c.core,
                         [&order] { order.append(u"pong"_s); });
        c.core.join(kRoom);
        c.core.ping();
        QTRY_COMPARE(order.size(), 2);
        QCOMPARE(order, (QStringList {u"joined"_s, u"pong"_s}));
    }

    // 180 members over a line s0 - s1 - s2 joining at once: nobody misses or repeats a join,
    // and a message crosses each link once, not once per member behind it.
    void joinBurstOverALineOfThree()
    {
        FederationNet net;
        for (int i = 0; i < 3; ++i)
            net.add(config(u"s%1"_s.arg(i)));
        net.link(1, 0);
        net.link(2, 1);
        QTRY_VERIFY_WITH_TIMEOUT(net.allSee(3), 5000);
        QList<PresenceLog> logs;
        const int count = 180;
        QVERIFY(burst(net, count, logs));
        checkExactlyOnce(net, logs);

        const auto frames = [&](int server, const QString &to) {
            return net.servers[server]
                    ->federation()
                    .links()
                    .traffic()
                    .room(kRoom, LinkTraffic::Direction::Sent, to)
                    .frames;
        };
        const qint64 s0Before = frames(0, u"s1"_s);
        const qint64 s1Before = frames(1, u"s2"_s);
        net.clients[0]->core.say(kRoom, u"to everyone"_s); // m0 is on s0
        for (const auto &c : net.clients)
            QTRY_COMPARE_WITH_TIMEOUT(c->texts(), QStringList {u"to everyone"_s}, 10'000);
        QCOMPARE(frames(0, u"s1"_s) - s0Before, 1);
        QCOMPARE(frames(1, u"s2"_s) - s1Before, 1);
    }
};

QTEST_GUILESS_MAIN(TestPresenceBurst)
#include "tst_presenceburst.moc"
