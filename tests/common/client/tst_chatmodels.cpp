#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/memberlistmodel.h>
#include <client/roomlistmodel.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Client;

namespace {
Protocol::MemberInfo member(const QString &nick, const QString &server = u"s1"_s)
{
    return {server % u'/' % nick, nick, u"127.0.0.1"_s, server, QByteArray(32, char(nick.size()))};
}
} // namespace

class TestChatModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void membersSortedAndRemovedById()
    {
        MemberListModel model;
        QAbstractItemModelTester tester(&model);
        model.setMembers({member(u"zed"_s), member(u"Alice"_s), member(u"bob"_s)});
        QCOMPARE(model.nicks(), (QStringList {u"Alice"_s, u"bob"_s, u"zed"_s}));
        model.addMember(member(u"carl"_s, u"s2"_s));
        QCOMPARE(model.nicks(), (QStringList {u"Alice"_s, u"bob"_s, u"carl"_s, u"zed"_s}));
        QCOMPARE(model.index(2).data(MemberListModel::ServerRole).toString(), u"s2"_s);
        QVERIFY(model.removeMember(u"s1/bob"_s));
        QVERIFY(!model.removeMember(u"s1/bob"_s));
        QCOMPARE(model.rowCount(), 3);
        // Seen again: replaced, not duplicated.
        model.addMember(member(u"carl"_s, u"s2"_s));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.setPresence(u"s1/zed"_s, MemberListModel::Presence::Away));
        QCOMPARE(model.index(2)
                         .data(MemberListModel::PresenceRole)
                         .value<MemberListModel::Presence>(),
                 MemberListModel::Presence::Away);
    }

    void unreadCountsSkipCurrentRoom()
    {
        RoomListModel model;
        QAbstractItemModelTester tester(&model);
        model.addRoom(u"a"_s);
        model.addRoom(u"b"_s);
        model.addRoom(u"a"_s);
        QCOMPARE(model.rowCount(), 2);
        model.setCurrentRoom(u"a"_s);
        model.countLine(u"a"_s, true);
        model.countLine(u"b"_s, false);
        model.countLine(u"b"_s, true);
        model.countLine(u"nowhere"_s, true);
        QCOMPARE(model.unread(u"a"_s), 0);
        QCOMPARE(model.unread(u"b"_s), 2);
        QCOMPARE(model.mentionCount(u"b"_s), 1);
        QCOMPARE(model.index(1).data().toString(), u"b (2)"_s);
        model.setCurrentRoom(u"b"_s);
        QCOMPARE(model.unread(u"b"_s), 0);
        QVERIFY(model.index(1).data(RoomListModel::CurrentRole).toBool());
        QVERIFY(model.removeRoom(u"b"_s));
        QCOMPARE(model.currentRoom(), QString());
    }

    void followsCoreSignals()
    {
        ClientCore core;
        ChatModels models(&core);
        QSignalSpy added(&models, &ChatModels::roomAdded);
        // Events for a room I am not in are ignored.
        Q_EMIT core.memberJoined(u"lobby"_s, member(u"x"_s));
        QCOMPARE(models.messages(u"lobby"_s), nullptr);

        Q_EMIT core.joined(u"lobby"_s, {member(u"me"_s), member(u"alice"_s)});
        QCOMPARE(added.count(), 1);
        MessageListModel *lines = models.messages(u"lobby"_s);
        MemberListModel *people = models.members(u"lobby"_s);
        QVERIFY(lines && people);
        QAbstractItemModelTester linesTester(lines);
        QCOMPARE(people->rowCount(), 2);

        Q_EMIT core.memberJoined(u"lobby"_s, member(u"bob"_s, u"s2"_s));
        QCOMPARE(people->rowCount(), 3);
        QCOMPARE(models.rooms()->unread(u"lobby"_s), 0);
        QCOMPARE(models.rooms()->activity(u"lobby"_s), RoomListModel::Activity::Event);
        Q_EMIT core.memberLeft(u"lobby"_s, member(u"alice"_s), u"quit"_s);
        Q_EMIT core.memberLeft(u"lobby"_s, member(u"bob"_s, u"s2"_s), u"split"_s);
        QCOMPARE(people->nicks(), QStringList {u"me"_s});

        Protocol::ChatMessage m;
        m.room = u"lobby"_s;
        m.from = member(u"carol"_s);
        m.text = u"hi"_s;
        Q_EMIT core.messageReceived(m);

        const auto kindAt = [&](int row) {
            return lines->index(row)
                    .data(MessageListModel::KindRole)
                    .value<MessageListModel::Kind>();
        };
        QCOMPARE(lines->rowCount(), 5);
        QCOMPARE(kindAt(0), MessageListModel::Kind::Join);
        QCOMPARE(kindAt(1), MessageListModel::Kind::Join);
        QVERIFY(lines->index(1).data().toString().contains(u"bob"_s));
        QCOMPARE(kindAt(2), MessageListModel::Kind::Leave);
        QCOMPARE(kindAt(3), MessageListModel::Kind::Split);
        QCOMPARE(kindAt(4), MessageListModel::Kind::Chat);
        // Only the message counts as unread; joins and leaves are activity.
        QCOMPARE(models.rooms()->unread(u"lobby"_s), 1);
        QCOMPARE(models.rooms()->activity(u"lobby"_s), RoomListModel::Activity::Message);

        models.addShareAnnouncement(u"lobby"_s, u"f.bin"_s, 10, QString(64, u'b'), u"carol"_s);
        QCOMPARE(kindAt(5), MessageListModel::Kind::Share);

        QSignalSpy removed(&models, &ChatModels::roomRemoved);
        Q_EMIT core.left(u"lobby"_s);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(models.rooms()->rowCount(), 0);
        QCOMPARE(people->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestChatModels)
#include "tst_chatmodels.moc"
