#include <server-console/chat/roomregistry.h>

#include <QTest>

#include <array>

using namespace Qt::StringLiterals;
using Server::ClientSession;
using Server::RoomMember;

namespace {
// The registry keeps session pointers and never follows them: stand-ins are enough.
std::array<char, 4> g_sessions {};
ClientSession *session(int i)
{
    return reinterpret_cast<ClientSession *>(&g_sessions.at(size_t(i)));
}

RoomMember local(int i)
{
    return {{u"near/%1"_s.arg(i), u"n%1"_s.arg(i), {}, u"near"_s, QByteArray(32, 'k')}, session(i)};
}

RoomMember remote(int i)
{
    return {{u"far/%1"_s.arg(i), u"f%1"_s.arg(i), {}, u"far"_s, QByteArray(32, 'k')}, nullptr};
}

QStringList ids(const QList<Protocol::MemberInfo> &members)
{
    QStringList out;
    for (const auto &m : members)
        out.append(m.id);
    return out;
}
} // namespace

class TestRoomRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cachedListsFollowEveryJoinAndLeave()
    {
        Server::RoomRegistry rooms;
        rooms.join(u"r"_s, local(0));
        QVERIFY(rooms.remoteMembers(u"r"_s).isEmpty());
        rooms.join(u"r"_s, remote(1));
        rooms.join(u"r"_s, local(1));
        rooms.join(u"r"_s, remote(2));
        QCOMPARE(ids(rooms.remoteMembers(u"r"_s)), (QStringList {u"far/1"_s, u"far/2"_s}));
        QCOMPARE(rooms.localSessions(u"r"_s), (QList<ClientSession *> {session(0), session(1)}));

        // A list handed out stays what it was; the next one says what changed.
        const QList<Protocol::MemberInfo> before = rooms.remoteMembers(u"r"_s);
        rooms.leave(u"r"_s, u"far/1"_s);
        QCOMPARE(ids(before), (QStringList {u"far/1"_s, u"far/2"_s}));
        QCOMPARE(ids(rooms.remoteMembers(u"r"_s)), QStringList {u"far/2"_s});
        rooms.join(u"r"_s, remote(3));
        QCOMPARE(ids(rooms.remoteMembers(u"r"_s)), (QStringList {u"far/2"_s, u"far/3"_s}));
        rooms.leave(u"r"_s, u"near/0"_s);
        QCOMPARE(rooms.localSessions(u"r"_s), QList<ClientSession *> {session(1)});
        QCOMPARE(ids(rooms.remoteMembers(u"r"_s)), (QStringList {u"far/2"_s, u"far/3"_s}));

        // Other rooms are apart; a room nobody is in has nobody.
        rooms.join(u"s"_s, remote(4));
        QCOMPARE(ids(rooms.remoteMembers(u"s"_s)), QStringList {u"far/4"_s});
        QCOMPARE(ids(rooms.remoteMembers(u"r"_s)), (QStringList {u"far/2"_s, u"far/3"_s}));
        QVERIFY(rooms.remoteMembers(u"nowhere"_s).isEmpty());
        rooms.leave(u"s"_s, u"far/4"_s);
        QVERIFY(!rooms.exists(u"s"_s));
        QVERIFY(rooms.remoteMembers(u"s"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRoomRegistry)
#include "tst_roomregistry.moc"
