#include <server-console/chat/roomregistry.h>

#include <protocol/memberlistcodec.h>

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

    // The encoded list is the members' entries in join order, in pieces of at most 64 KiB, so
    // that a list still queued to a joiner costs the next join a copy of one piece at most; a
    // piece handed out stays what it was.
    void encodedListComesInBoundedPiecesInJoinOrder()
    {
        // Local and remote members alike, each with an id of its own.
        const auto member = [](int i) {
            return i % 2 ? remote(i)
                         : RoomMember {{u"near/%1"_s.arg(i),
                                        u"n%1"_s.arg(i),
                                        {},
                                        u"near"_s,
                                        QByteArray(32, 'k')},
                                       session(i % 4)};
        };
        Server::RoomRegistry rooms;
        const int count = 4000; // ~200 KB of entries: three pieces at least
        QByteArray expected;
        for (int i = 0; i < count; ++i) {
            if (i == 10)
                QCOMPARE(rooms.encodedMembers(u"r"_s).join(), expected); // built here...
            rooms.join(u"r"_s, member(i));
            expected += Protocol::encodeMemberEntry(member(i).info);
        }
        const QList<QByteArray> pieces = rooms.encodedMembers(u"r"_s); // ...appended since
        QVERIFY(pieces.size() >= 3);
        for (const QByteArray &piece : pieces)
            QVERIFY(piece.size() <= Server::RoomRegistry::kEncodedChunkBytes);
        QCOMPARE(pieces.join(), expected);
        const QByteArray lastBefore = pieces.constLast();
        rooms.join(u"r"_s, member(count));
        QCOMPARE(pieces.constLast(), lastBefore);
        expected += Protocol::encodeMemberEntry(member(count).info);
        QCOMPARE(rooms.encodedMembers(u"r"_s).join(), expected);
        rooms.leave(u"r"_s, u"near/0"_s); // rebuilt without him
        QCOMPARE(rooms.encodedMembers(u"r"_s).join(),
                 expected.sliced(Protocol::encodeMemberEntry(member(0).info).size()));
    }
};

QTEST_GUILESS_MAIN(TestRoomRegistry)
#include "tst_roomregistry.moc"
