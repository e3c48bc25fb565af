#include <tests/support/federationnet.h>

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace {

const QString kRoom = u"lobby"_s;

QStringList nicksIn(const TestClient &c, const QString &room)
{
    QStringList out;
    for (const auto &m : c.core.members(room))
        out.append(m.nick + u'@' + m.server);
    out.sort();
    return out;
}

// Builds `count` servers s0..s(n-1) linked as `shape` and puts client cN on server N, all in
// the lobby; returns when every client sees every other. `showAddresses`: the clients let
// the others see their addresses (for @ip targets).
void build(FederationNet &net, const QString &shape, int count, bool showAddresses = false)
{
    for (int i = 0; i < count; ++i)
        net.add(u"s%1"_s.arg(i));
    for (int i = 0; i + 1 < count; ++i)
        net.link(i + 1, i);
    if (shape == u"ring")
        net.link(0, count - 1);
    if (shape == u"mesh") {
        for (int i = 0; i < count; ++i) {
            for (int j = i + 2; j < count; ++j)
                net.link(i, j);
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(net.allSee(count), 5000);
    for (int i = 0; i < count; ++i) {
        TestClient &c = net.client(u"c%1"_s.arg(i), i, showAddresses);
        QVERIFY(c.join(kRoom));
    }
    for (const auto &c : net.clients)
        QTRY_COMPARE_WITH_TIMEOUT(c->core.members(kRoom).size(), count, 5000);
}

} // namespace

class TestFederation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactlyOnceInOrder_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("count");
        QTest::newRow("line of 4") << u"line"_s << 4;
        QTest::newRow("ring of 5") << u"ring"_s << 5;
        QTest::newRow("mesh of 4") << u"mesh"_s << 4;
    }
    void exactlyOnceInOrder()
    {
        QFETCH(QString, shape);
        QFETCH(int, count);
        FederationNet net;
        build(net, shape, count);
        if (QTest::currentTestFailed())
            return;
        constexpr int kPerSender = 10;
        for (int k = 0; k < kPerSender; ++k) {
            for (const auto &c : net.clients)
                c->core.say(kRoom, u"%1-%2"_s.arg(c->nick).arg(k));
        }
        const int expected = kPerSender * count;
        for (const auto &c : net.clients)
            QTRY_COMPARE_WITH_TIMEOUT(c->messages.size(), expected, 5000);
        QTest::qWait(200); // nothing more may arrive: a duplicate would show now
        for (const auto &c : net.clients) {
            QCOMPARE(c->messages.size(), expected);
            QHash<QString, int> next; // per sender, the next number expected
            for (const auto &m : c->messages) {
                const QStringList parts = m.text.split(u'-');
                QCOMPARE(parts.value(0), m.from.nick);
                QCOMPARE(parts.value(1).toInt(), next[m.from.nick]++);
            }
        }
    }

    void membersCarryTheirServerAndListsAgreeAfterChurn()
    {
        FederationNet net;
        build(net, u"ring"_s, 4);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(net.clients[1]->core.members(kRoom).size() == 4);
        for (const auto &m : net.clients[0]->core.members(kRoom))
            QCOMPARE(m.id.section(u'/', 0, 0), m.server);
        // Each member's identity key crosses the links unchanged: what c0 sees of cN is the
        // key cN proved to its own server.
        for (const auto &c : net.clients) {
            const auto seen = net.clients[0]->core.members(kRoom);
            const auto it = std::find_if(seen.cbegin(), seen.cend(),
                                         [&](const auto &m) { return m.id == c->core.clientId(); });
            QVERIFY(it != seen.cend());
            QCOMPARE(it->key, c->core.identity()->publicKey());
        }
        // Churn: one leaves, two newcomers arrive on different servers, one quits.
        net.clients[2]->core.leave(kRoom);
        TestClient &x = net.client(u"x"_s, 1);
        QVERIFY(x.join(kRoom));
        TestClient &y = net.client(u"y"_s, 3);
        QVERIFY(y.join(kRoom));
        net.clients[3]->core.disconnectFromServer(u"bye"_s);
        const QStringList want {u"c0@s0"_s, u"c1@s1"_s, u"x@s1"_s, u"y@s3"_s};
        for (int i : {0, 1, 4, 5})
            QTRY_COMPARE_WITH_TIMEOUT(nicksIn(*net.clients[i], kRoom), want, 5000);
        // The leave reasons travel with the advertisements.
        bool sawLeft = false;
        for (const auto &l : net.clients[0]->leaves)
            sawLeft |= l.nick == u"c2" && l.reason == u"left";
        QVERIFY(sawLeft);
    }

    void targetedMessagesAndRelaysCrossServers()
    {
        FederationNet net;
        build(net, u"line"_s, 3, true);
        if (QTest::currentTestFailed())
            return;
        TestClient &a = *net.clients[0];
        TestClient &b = *net.clients[1];
        TestClient &c = *net.clients[2];
        a.core.say(kRoom, u"psst"_s, {u"@c2"_s});
        QTRY_COMPARE(c.texts(), QStringList {u"psst"_s});
        QTRY_COMPARE(a.texts(), QStringList {u"psst"_s}); // the sender's own copy
        QSignalSpy relays(&c.core, &Client::ClientCore::relayReceived);
        QSignalSpy relaysB(&b.core, &Client::ClientCore::relayReceived);
        a.core.relay(kRoom, u"find"_s, QCborMap {{u"q"_s, u"*.iso"_s}}, {c.core.clientId()});
        QTRY_COMPARE(relays.size(), 1);
        const auto relayed = relays.at(0).at(0).value<Protocol::Relayed>();
        QCOMPARE(relayed.from.nick, u"c0"_s);
        QCOMPARE(relayed.body.value(u"q"_s).toString(), u"*.iso"_s);
        a.core.relay(kRoom, u"find"_s, QCborMap {}); // every other member
        QTRY_COMPARE(relaysB.size(), 1);
        QTRY_COMPARE(relays.size(), 2);
        QVERIFY(b.texts().isEmpty());
        QCOMPARE(a.texts(), QStringList {u"psst"_s});
        // @ip reaches every member at that address, on every server; @all the whole room.
        a.core.say(kRoom, u"by address"_s, {u"@127.0.0.1"_s});
        QTRY_COMPARE(b.texts(), QStringList {u"by address"_s});
        QTRY_COMPARE(c.texts(), (QStringList {u"psst"_s, u"by address"_s}));
        c.core.say(kRoom, u"everyone"_s, {u"@all"_s});
        QTRY_COMPARE(a.texts().size(), 3);
        QCOMPARE(a.texts().constLast(), u"everyone"_s);
        QTRY_COMPARE(b.texts(), (QStringList {u"by address"_s, u"everyone"_s}));
        a.core.say(kRoom, u"hello?"_s, {u"@nobody"_s});
        QTRY_VERIFY(a.hasError(ErrorCode::NoSuchMember));
    }

    void pingReportsHops()
    {
        FederationNet net;
        build(net, u"line"_s, 4);
        if (QTest::currentTestFailed())
            return;
        TestClient &a = *net.clients[0];
        QSignalSpy pongs(&a.core, &Client::ClientCore::pongReceived);
        a.core.ping(u"s3"_s);
        QVERIFY(pongs.wait(3000));
        QCOMPARE(pongs.at(0).at(1).toString(), u"s3"_s);
        QCOMPARE(pongs.at(0).at(3).toInt(), 3);
        a.core.ping();
        QTRY_COMPARE(pongs.size(), 2);
        QCOMPARE(pongs.at(1).at(1).toString(), u"s0"_s);
        QCOMPARE(pongs.at(1).at(3).toInt(), 0);
        a.core.ping(u"nowhere"_s);
        QTRY_VERIFY(a.hasError(ErrorCode::NoSuchServer));
    }

    void aRemotePongFollowsHeldPresence()
    {
        // The presence a large room holds for a member goes out when a request of its own is
        // read, so a pong from a far server comes after it too, as a local one does.
        FederationNet net;
        Server::ServerConfig near = FederationNet::config(u"s0"_s, "federation-test-secret");
        near.presenceCoalesceFrom = 2;
        near.presenceWindowMs = 2000;
        net.add(near);
        net.add(u"s1"_s);
        net.link(0, 1);
        QTRY_VERIFY(net.allSee(2));
        TestClient &a = net.client(u"alice"_s, 0);
        TestClient &b = net.client(u"bob"_s, 0);
        QVERIFY(a.join(kRoom));
        QVERIFY(b.join(kRoom));
        qsizetype joinsAtPong = -1;
        QString pongFrom;
        connect(&a.core, &Client::ClientCore::pongReceived, this,
                [&](quint32, const QString &server) {
                    pongFrom = server;
                    joinsAtPong = a.joins.size();
                });
        a.core.ping(u"s1"_s);
        QTRY_VERIFY(joinsAtPong >= 0);
        QCOMPARE(pongFrom, u"s1"_s);
        QCOMPARE(joinsAtPong, 1); // bob, held for up to two seconds, came first
    }

    void ringCutReroutesWithoutLeaves()
    {
        FederationNet net;
        build(net, u"ring"_s, 4);
        if (QTest::currentTestFailed())
            return;
        // s0 dialled s3 to close the ring; cut that link. Both ends must have seen the cut
        // before the messages go: a frame sent onto a link its peer has already closed is lost
        // (links carry no acknowledgements), and which of the close and c3's frame s3 reads
        // first is the event loop's choice.
        QSignalSpy s3LostS0(&net.servers[3]->federation().links(),
                            &Server::LinkManager::neighbourDown);
        net.servers[0]->federation().links().dropNeighbour(u"s3"_s);
        QTRY_VERIFY(!net.servers[0]->federation().links().neighbours().contains(u"s3"_s));
        QTRY_VERIFY(s3LostS0.contains(QVariantList {u"s0"_s}));
        net.clients[0]->core.say(kRoom, u"around"_s);
        net.clients[3]->core.say(kRoom, u"back"_s);
        for (const auto &c : net.clients)
            QTRY_COMPARE_WITH_TIMEOUT(c->messages.size(), 2, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(
                net.servers[0]->federation().links().neighbours().contains(u"s3"_s), 5000);
        QTest::qWait(200);
        for (const auto &c : net.clients) {
            QVERIFY2(c->leaves.isEmpty(), qPrintable(c->nick));
            QCOMPARE(c->messages.size(), 2);
        }
    }

    void lineCutSplitsAndHeals()
    {
        FederationNet net;
        build(net, u"line"_s, 3);
        if (QTest::currentTestFailed())
            return;
        TestClient &a = *net.clients[0];
        TestClient &c = *net.clients[2];
        const int joinsBefore = int(a.joins.size());
        net.servers[2]->federation().links().dropNeighbour(u"s1"_s); // s2 re-dials
        QTRY_COMPARE_WITH_TIMEOUT(a.leaves.size(), 1, 3000);
        QCOMPARE(a.leaves.at(0).nick, u"c2"_s);
        QCOMPARE(a.leaves.at(0).reason, u"split"_s);
        QTRY_COMPARE_WITH_TIMEOUT(c.leaves.size(), 2, 3000);
        for (const auto &l : c.leaves)
            QCOMPARE(l.reason, u"split"_s);
        // The link comes back by itself: everyone is announced again, once.
        QTRY_COMPARE_WITH_TIMEOUT(a.joins.size(), joinsBefore + 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(a.core.members(kRoom).size(), 3, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(c.core.members(kRoom).size(), 3, 5000);
        c.core.say(kRoom, u"healed"_s);
        QTRY_COMPARE(a.texts(), QStringList {u"healed"_s});
        QTest::qWait(200);
        QCOMPARE(a.texts(), QStringList {u"healed"_s});
    }

    void nickClashAfterHealKeepsTheSmallerId()
    {
        FederationNet net;
        build(net, u"line"_s, 2);
        if (QTest::currentTestFailed())
            return;
        net.servers[1]->federation().links().dropNeighbour(u"s0"_s);
        QTRY_COMPARE_WITH_TIMEOUT(net.clients[0]->leaves.size(), 1, 3000);
        // Both sides admit a "bob" while apart; s0/… sorts before s1/…, so s0's bob keeps it.
        TestClient &bob0 = net.client(u"bob"_s, 0);
        TestClient &bob1 = net.client(u"bob"_s, 1);
        QVERIFY(bob0.join(kRoom));
        QVERIFY(bob1.join(kRoom));
        QTRY_VERIFY_WITH_TIMEOUT(net.allSee(2), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(bob1.hasError(ErrorCode::NickTaken), 5000);
        QTRY_VERIFY(!bob1.core.rooms().contains(kRoom));
        QTRY_VERIFY(bob0.hasError(ErrorCode::NickTaken));
        QVERIFY(bob0.core.rooms().contains(kRoom));
        for (int i : {0, 1, 2}) {
            QTRY_COMPARE_WITH_TIMEOUT(nicksIn(*net.clients[i], kRoom),
                                      (QStringList {u"bob@s0"_s, u"c0@s0"_s, u"c1@s1"_s}), 5000);
        }
    }

    void duplicateNameIsRefused()
    {
        FederationNet net;
        net.add(u"alpha"_s);
        net.add(u"beta"_s);
        net.link(1, 0);
        QTRY_VERIFY_WITH_TIMEOUT(net.allSee(2), 5000);
        net.add(u"beta"_s); // a namesake dialling alpha
        net.link(2, 0);
        net.add(u"alpha"_s); // and one dialling itself by name
        net.link(3, 0);
        QTest::qWait(600);
        QCOMPARE(net.servers[0]->federation().links().neighbours(), QStringList {u"beta"_s});
        QCOMPARE(net.servers[2]->federation().links().neighbours(), QStringList {});
        QCOMPARE(net.servers[3]->federation().links().neighbours(), QStringList {});
        QVERIFY(net.allSee(2) == false);
        QCOMPARE(net.servers[0]->federation().router().reachable().size(), 2);
    }

    void badSecretIsRefused()
    {
        FederationNet net;
        net.add(u"alpha"_s);
        net.add(u"mallory"_s, "wrong-secret-of-mallory");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"authentication failed"_s));
        net.link(1, 0);
        QTest::qWait(500);
        QVERIFY(net.servers[0]->federation().links().neighbours().isEmpty());
        QVERIFY(net.servers[1]->federation().links().neighbours().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFederation)
#include "tst_federation.moc"
