#include <tests/support/federationnet.h>

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using Server::LinkTraffic;

namespace {

const QString kRoom = u"busy"_s;
const QString kOtherRoom = u"elsewhere"_s;
constexpr auto In = LinkTraffic::Direction::Received;
constexpr auto Out = LinkTraffic::Direction::Sent;

} // namespace

// Room traffic goes only towards servers with members of the room, counted per link by the
// servers themselves: a line s0-s1-s2-s3, the busy room on s0 and s1, another room on s2 and s3.
class TestRoomTraffic : public QObject
{
    Q_OBJECT
private:
    FederationNet m_net;

    [[nodiscard]] const LinkTraffic &traffic(int server)
    {
        return m_net.servers[server]->federation().links().traffic();
    }
    [[nodiscard]] qint64 roomFrames(int server, const QString &room, LinkTraffic::Direction d)
    {
        return traffic(server).room(room, d).frames;
    }
    // A routed ping from s0 to s3 and back crosses every link after whatever was sent on it
    // before (TCP keeps order): once it returns, no stray room frame can still be on its way.
    bool barrier(TestClient &from)
    {
        QSignalSpy pongs(&from.core, &Client::ClientCore::pongReceived);
        from.core.ping(u"s3"_s);
        return pongs.wait(5000) && pongs.at(0).at(1).toString() == u"s3"_s;
    }

private Q_SLOTS:
    void roomTrafficStaysWithItsMembers()
    {
        for (int i = 0; i < 4; ++i)
            m_net.add(u"s%1"_s.arg(i));
        for (int i = 0; i + 1 < 4; ++i)
            m_net.link(i + 1, i);
        QTRY_VERIFY_WITH_TIMEOUT(m_net.allSee(4), 5000);
        TestClient &a = m_net.client(u"alice"_s, 0);
        TestClient &b = m_net.client(u"bob"_s, 1);
        TestClient &c = m_net.client(u"carol"_s, 2);
        TestClient &d = m_net.client(u"dave"_s, 3);
        QVERIFY(a.join(kRoom));
        QVERIFY(b.join(kRoom));
        QVERIFY(c.join(kOtherRoom));
        QVERIFY(d.join(kOtherRoom));
        QTRY_COMPARE(a.core.members(kRoom).size(), 2);
        QTRY_COMPARE(d.core.members(kOtherRoom).size(), 2);

        // Chat and signalling in the busy room, chat in the other one.
        QSignalSpy bobRelays(&b.core, &Client::ClientCore::relayReceived);
        for (int i = 0; i < 5; ++i)
            a.core.say(kRoom, u"line %1"_s.arg(i));
        a.core.relay(kRoom, u"find"_s, QCborMap {{u"q"_s, u"*.iso"_s}});
        b.core.say(kRoom, u"answer"_s);
        c.core.say(kOtherRoom, u"over here"_s);
        QTRY_COMPARE(b.texts().size(), 6);
        QTRY_COMPARE(bobRelays.size(), 1);
        QTRY_COMPARE(a.texts().size(), 6);
        QTRY_COMPARE(d.texts(), QStringList {u"over here"_s});
        QVERIFY(barrier(a));

        // Exactly one frame per message on the one link between the members...
        QCOMPARE(traffic(0).room(kRoom, Out, u"s1"_s).frames, 6);
        QCOMPARE(traffic(1).room(kRoom, In, u"s0"_s).frames, 6);
        QCOMPARE(traffic(1).room(kRoom, Out, u"s0"_s).frames, 1);
        QVERIFY(traffic(1).room(kRoom, In, u"s0"_s).bytes > 0);
        // ...none of it beyond them, and the other room's traffic stayed on its side.
        QCOMPARE(traffic(1).room(kRoom, Out, u"s2"_s).frames, 0);
        for (int s : {2, 3}) {
            QCOMPARE(roomFrames(s, kRoom, In), 0);
            QCOMPARE(roomFrames(s, kRoom, Out), 0);
            QVERIFY(!traffic(s).rooms().contains(kRoom));
        }
        for (int s : {0, 1}) {
            QCOMPARE(roomFrames(s, kOtherRoom, In), 0);
            QCOMPARE(roomFrames(s, kOtherRoom, Out), 0);
        }
        QCOMPARE(roomFrames(3, kOtherRoom, In), 1);
        // Presence is flooded to every server by design and counted on its own; the barrier
        // ping is control traffic. Neither is room traffic.
        QVERIFY(traffic(3).presence(In).frames > 0);
        QVERIFY(traffic(3).control(In).frames > 0);

        // A member on s3 joins: the room's traffic now reaches s3, through s2 (the only path).
        TestClient &e = m_net.client(u"erin"_s, 3);
        QVERIFY(e.join(kRoom));
        QTRY_COMPARE(a.core.members(kRoom).size(), 3);
        const qint64 s2Before = roomFrames(2, kRoom, In);
        for (int i = 0; i < 3; ++i)
            a.core.say(kRoom, u"to erin %1"_s.arg(i));
        QTRY_COMPARE(e.texts().size(), 3);
        QVERIFY(barrier(a));
        QCOMPARE(roomFrames(3, kRoom, In), 3);
        QCOMPARE(roomFrames(2, kRoom, In) - s2Before, 3);
        QCOMPARE(traffic(2).room(kRoom, Out, u"s3"_s).frames, 3);
        QCOMPARE(e.texts().size(), 3); // exactly once

        // The member leaves: the traffic stops reaching s3 (and s2) again.
        QSignalSpy left(&e.core, &Client::ClientCore::left);
        e.core.leave(kRoom);
        QVERIFY(left.wait(5000));
        QTRY_COMPARE(a.core.members(kRoom).size(), 2);
        const qint64 s2Frames = roomFrames(2, kRoom, In);
        const qint64 s3Frames = roomFrames(3, kRoom, In);
        const qint64 bobBefore = b.texts().size();
        for (int i = 0; i < 3; ++i)
            a.core.say(kRoom, u"after erin %1"_s.arg(i));
        QTRY_COMPARE(b.texts().size(), bobBefore + 3);
        QVERIFY(barrier(a));
        QCOMPARE(roomFrames(2, kRoom, In), s2Frames);
        QCOMPARE(roomFrames(3, kRoom, In), s3Frames);
        QCOMPARE(e.texts().size(), 3);
        QVERIFY(traffic(2).summary().join(u'\n').contains(u"room 'busy'"_s));
    }
};

QTEST_GUILESS_MAIN(TestRoomTraffic)
#include "tst_roomtraffic.moc"
