// Who may join a room (passwords) and who sees a member's address (hidden unless shown), on
// one server. The federated cases are in tests/server-console/federation/tst_federatedrooms.cpp.
#include <tests/support/localserver.h>
#include <tests/support/testclient.h>

#include <server-console/chat/chatserver.h>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace {

// Sends a join that the server must refuse; returns the refusal (code room-locked expected).
Protocol::Error refusedJoin(TestClient &c, const QString &room, const QString &key)
{
    const qsizetype before = c.errors.size();
    c.core.join(room, key);
    if (!QTest::qWaitFor([&] { return c.errors.size() > before; }, 5000))
        return {};
    return c.errors.constLast();
}

std::optional<Protocol::MemberInfo> memberByNick(const TestClient &c, const QString &room,
                                                 const QString &nick)
{
    for (const auto &m : c.core.members(room)) {
        if (m.nick == nick)
            return m;
    }
    return std::nullopt;
}

} // namespace

class TestRoomAccess : public QObject
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

private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { m_server.reset(); }

    void addressesAreHiddenUnlessShown()
    {
        TestClient hidden(u"hidden"_s, QHostAddress(u"127.0.0.4"_s));
        TestClient shown(u"shown"_s, QHostAddress(u"127.0.0.5"_s));
        shown.core.setShowAddress(true);
        for (TestClient *t : {&hidden, &shown}) {
            QVERIFY(t->connectTo(m_port));
            QVERIFY(t->join(u"lobby"_s));
        }
        // The server still tells each client its own address.
        QCOMPARE(hidden.core.observedAddress(), u"127.0.0.4"_s);
        QTRY_VERIFY(memberByNick(shown, u"lobby"_s, u"hidden"_s));
        QTRY_VERIFY(memberByNick(hidden, u"lobby"_s, u"shown"_s));
        QCOMPARE(memberByNick(shown, u"lobby"_s, u"hidden"_s)->ip, QString());
        QCOMPARE(memberByNick(hidden, u"lobby"_s, u"shown"_s)->ip, u"127.0.0.5"_s);
        // Messages carry the same MemberInfo.
        hidden.core.say(u"lobby"_s, u"who am I?"_s);
        QTRY_COMPARE(shown.messages.size(), 1);
        QCOMPARE(shown.messages.at(0).from.ip, QString());

        // @ip finds only a member who shows the address: probing a hidden one answers
        // exactly like an address nobody in the room has.
        shown.core.say(u"lobby"_s, u"found you"_s, {u"@127.0.0.4"_s});
        QTRY_VERIFY(shown.hasError(ErrorCode::NoSuchMember));
        hidden.core.say(u"lobby"_s, u"by address"_s, {u"@127.0.0.5"_s});
        QTRY_COMPARE(shown.texts(), (QStringList {u"who am I?"_s, u"by address"_s}));
        QCOMPARE(hidden.texts(), (QStringList {u"who am I?"_s, u"by address"_s}));
    }

    void lockedRoomNeedsItsPassword()
    {
        TestClient owner(u"owner"_s);
        TestClient guest(u"guest"_s);
        QVERIFY(owner.connectTo(m_port));
        QVERIFY(guest.connectTo(m_port));
        QVERIFY(owner.join(u"vault"_s, u"open sesame"_s));

        Protocol::Error e = refusedJoin(guest, u"vault"_s, {});
        QCOMPARE(e.code, ErrorCode::RoomLocked);
        QCOMPARE(e.text, u"room 'vault' needs a password"_s);
        QCOMPARE(e.ref, u"join"_s);
        QCOMPARE(e.room, u"vault"_s);
        e = refusedJoin(guest, u"vault"_s, u"open sesame!"_s);
        QCOMPARE(e.code, ErrorCode::RoomLocked);
        QCOMPARE(e.text, u"wrong password for room 'vault'"_s);
        QVERIFY(!guest.core.rooms().contains(u"vault"_s));
        QCOMPARE(owner.core.members(u"vault"_s).size(), 1);
        QVERIFY(owner.joins.isEmpty()); // nobody was let in, not even for a moment

        QVERIFY(guest.join(u"vault"_s, u"open sesame"_s));
        QTRY_COMPARE(owner.core.members(u"vault"_s).size(), 2);
        guest.core.say(u"vault"_s, u"inside"_s);
        QTRY_COMPARE(owner.texts(), QStringList {u"inside"_s});
    }

    void openRoomStaysOpen()
    {
        TestClient first(u"first"_s);
        TestClient second(u"second"_s);
        TestClient third(u"third"_s);
        for (TestClient *t : {&first, &second, &third})
            QVERIFY(t->connectTo(m_port));
        QVERIFY(first.join(u"lobby"_s));
        // A key for a room that exists unlocked does not lock it.
        QVERIFY(second.join(u"lobby"_s, u"too late"_s));
        QVERIFY(third.join(u"lobby"_s));
        QTRY_COMPARE(first.core.members(u"lobby"_s).size(), 3);
    }

    void lockIsForgottenWithTheRoom()
    {
        TestClient owner(u"owner"_s);
        TestClient later(u"later"_s);
        QVERIFY(owner.connectTo(m_port));
        QVERIFY(later.connectTo(m_port));
        QVERIFY(owner.join(u"vault"_s, u"first key"_s));
        QVERIFY(m_server->rooms().lock(u"vault"_s).isLocked());
        QCOMPARE(refusedJoin(later, u"vault"_s, {}).code, ErrorCode::RoomLocked);
        QSignalSpy left(&owner.core, &Client::ClientCore::left);
        owner.core.leave(u"vault"_s);
        QVERIFY(left.wait(5000));
        QVERIFY(!m_server->rooms().exists(u"vault"_s));
        QVERIFY(!m_server->rooms().lock(u"vault"_s).isLocked());
        // The room is new again: open for a join without a key, lockable again.
        QVERIFY(later.join(u"vault"_s));
        QVERIFY(!m_server->rooms().lock(u"vault"_s).isLocked());
    }

    void verifierIsSaltedAndNeverThePassword()
    {
        TestClient owner(u"owner"_s);
        QVERIFY(owner.connectTo(m_port));
        QVERIFY(owner.join(u"one"_s, u"same password"_s));
        QVERIFY(owner.join(u"two"_s, u"same password"_s));
        const Crypto::RoomLock one = m_server->rooms().lock(u"one"_s);
        const Crypto::RoomLock two = m_server->rooms().lock(u"two"_s);
        QVERIFY(one.isWellFormed());
        QVERIFY(one.salt != two.salt);
        QVERIFY(one.mac != two.mac);
        QVERIFY(!one.mac.contains("same password"));
        QVERIFY(one.admits(u"same password"_s));
        QVERIFY(!one.admits(u"same passwordX"_s));
    }

    void wrongPasswordsCountTowardsTheErrorLimit()
    {
        Server::ServerConfig config;
        config.maxErrors = 3;
        startServer(config);
        TestClient owner(u"owner"_s);
        TestClient guesser(u"guesser"_s);
        QVERIFY(owner.connectTo(m_port));
        QVERIFY(guesser.connectTo(m_port));
        QVERIFY(owner.join(u"vault"_s, u"secret"_s));
        QSignalSpy gone(&guesser.core, &Client::ClientCore::disconnected);
        for (const QString &guess : {u"a"_s, u"b"_s, u"c"_s})
            guesser.core.join(u"vault"_s, guess);
        QVERIFY(gone.wait(5000) || !gone.isEmpty());
        QTRY_VERIFY(guesser.hasError(ErrorCode::TooManyErrors));
        QCOMPARE(owner.core.members(u"vault"_s).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRoomAccess)
#include "tst_roomaccess.moc"
