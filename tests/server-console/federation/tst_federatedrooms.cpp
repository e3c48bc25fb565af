// Room passwords and hidden addresses across linked servers (docs/FEDERATION.md "Room locks").
#include <tests/support/federationnet.h>

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace {

const QString kVault = u"vault"_s;

// Sends a join that the server must refuse; returns the refusal.
Protocol::Error refusedJoin(TestClient &c, const QString &room, const QString &key)
{
    const qsizetype before = c.errors.size();
    c.core.join(room, key);
    if (!QTest::qWaitFor([&] { return c.errors.size() > before; }, 5000))
        return {};
    return c.errors.constLast();
}

QString ipOf(const TestClient &c, const QString &room, const QString &nick)
{
    for (const auto &m : c.core.members(room)) {
        if (m.nick == nick)
            return m.ip;
    }
    return u"(not a member)"_s;
}

void buildLine(FederationNet &net, int count)
{
    for (int i = 0; i < count; ++i)
        net.add(u"s%1"_s.arg(i));
    for (int i = 0; i + 1 < count; ++i)
        net.link(i + 1, i);
    QTRY_VERIFY_WITH_TIMEOUT(net.allSee(count), 5000);
}

} // namespace

class TestFederatedRooms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lockHoldsOnEveryServer()
    {
        FederationNet net;
        buildLine(net, 3);
        if (QTest::currentTestFailed())
            return;
        TestClient &owner = net.client(u"owner"_s, 0);
        TestClient &guest = net.client(u"guest"_s, 2);
        QVERIFY(owner.join(kVault, u"correct horse"_s));
        // The lock reaches s2 (through s1, which has nobody in the room) with the membership.
        QTRY_VERIFY_WITH_TIMEOUT(net.servers[2]->rooms().lock(kVault).isLocked(), 5000);
        QCOMPARE(net.servers[2]->rooms().lock(kVault), net.servers[0]->rooms().lock(kVault));

        QCOMPARE(refusedJoin(guest, kVault, {}).text, u"room 'vault' needs a password"_s);
        const Protocol::Error wrong = refusedJoin(guest, kVault, u"battery staple"_s);
        QCOMPARE(wrong.code, ErrorCode::RoomLocked);
        QCOMPARE(wrong.text, u"wrong password for room 'vault'"_s);
        QVERIFY(!guest.core.rooms().contains(kVault));
        QVERIFY(guest.join(kVault, u"correct horse"_s));
        QTRY_COMPARE_WITH_TIMEOUT(owner.core.members(kVault).size(), 2, 5000);

        // The owner leaves: the room lives on s2 with the same lock, and s0 still enforces it.
        QSignalSpy left(&owner.core, &Client::ClientCore::left);
        owner.core.leave(kVault);
        QVERIFY(left.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(guest.core.members(kVault).size(), 1, 5000);
        TestClient &late = net.client(u"late"_s, 0);
        QCOMPARE(refusedJoin(late, kVault, {}).code, ErrorCode::RoomLocked);
        QVERIFY(late.join(kVault, u"correct horse"_s));

        // Everyone leaves: every server forgets the room and its lock.
        for (TestClient *c : {&guest, &late}) {
            QSignalSpy gone(&c->core, &Client::ClientCore::left);
            c->core.leave(kVault);
            QVERIFY(gone.wait(5000));
        }
        for (int i = 0; i < 3; ++i)
            QTRY_VERIFY_WITH_TIMEOUT(!net.servers[i]->rooms().exists(kVault), 5000);
        TestClient &fresh = net.client(u"fresh"_s, 1);
        QVERIFY(fresh.join(kVault));
        QVERIFY(!net.servers[1]->rooms().lock(kVault).isLocked());
    }

    void simultaneousLocksSmallestServerWins()
    {
        FederationNet net;
        net.add(u"s0"_s);
        net.add(u"s1"_s);
        TestClient &a = net.client(u"a"_s, 0);
        TestClient &b = net.client(u"b"_s, 1);
        QVERIFY(a.join(kVault, u"alpha"_s));
        QVERIFY(b.join(kVault, u"beta"_s)); // apart: each server locks its own room
        net.link(1, 0);
        QTRY_VERIFY_WITH_TIMEOUT(net.allSee(2), 5000);
        // s0 < s1: s0's lock holds; b, admitted under s1's, is told and removed.
        QTRY_VERIFY_WITH_TIMEOUT(!b.core.rooms().contains(kVault), 5000);
        QVERIFY(b.hasError(ErrorCode::RoomLocked));
        QVERIFY(b.errors.constLast().text.contains(u"locked on another server"_s));
        QVERIFY(a.core.rooms().contains(kVault));
        QVERIFY(!a.hasError(ErrorCode::RoomLocked));
        QTRY_COMPARE_WITH_TIMEOUT(net.servers[1]->rooms().lock(kVault),
                                  net.servers[0]->rooms().lock(kVault), 5000);
        QCOMPARE(refusedJoin(b, kVault, u"beta"_s).code, ErrorCode::RoomLocked);
        QVERIFY(b.join(kVault, u"alpha"_s));
        QTRY_COMPARE_WITH_TIMEOUT(a.core.members(kVault).size(), 2, 5000);
    }

    void hiddenAddressesStayHiddenAcrossServers()
    {
        FederationNet net;
        buildLine(net, 2);
        if (QTest::currentTestFailed())
            return;
        TestClient &hidden = net.client(u"hidden"_s, 0);
        TestClient &shown = net.client(u"shown"_s, 1, true);
        QVERIFY(hidden.join(u"lobby"_s));
        QVERIFY(shown.join(u"lobby"_s));
        QTRY_COMPARE_WITH_TIMEOUT(hidden.core.members(u"lobby"_s).size(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(shown.core.members(u"lobby"_s).size(), 2, 5000);
        QCOMPARE(ipOf(shown, u"lobby"_s, u"hidden"_s), QString());
        QCOMPARE(ipOf(hidden, u"lobby"_s, u"shown"_s), u"127.0.0.1"_s);
        // The hidden member's server never advertised the address.
        QCOMPARE(ipOf(shown, u"lobby"_s, u"hidden"_s), QString());
        for (const auto &m : net.servers[1]->rooms().members(u"lobby"_s)) {
            if (m.info.nick == u"hidden")
                QCOMPARE(m.info.ip, QString());
        }
        // @127.0.0.1 from s1 matches only the member who shows it (both are at that address).
        shown.core.say(u"lobby"_s, u"to 127.0.0.1"_s, {u"@127.0.0.1"_s});
        QTRY_COMPARE(shown.texts(), QStringList {u"to 127.0.0.1"_s});
        hidden.core.say(u"lobby"_s, u"remote by address"_s, {u"@127.0.0.1"_s});
        QTRY_COMPARE_WITH_TIMEOUT(shown.texts().size(), 2, 5000);
        QCOMPARE(shown.texts().constLast(), u"remote by address"_s);
        shown.core.say(u"lobby"_s, u"barrier"_s);
        QTRY_COMPARE_WITH_TIMEOUT(hidden.texts(),
                                  (QStringList {u"remote by address"_s, u"barrier"_s}), 5000);
    }
};

QTEST_GUILESS_MAIN(TestFederatedRooms)
#include "tst_federatedrooms.moc"
