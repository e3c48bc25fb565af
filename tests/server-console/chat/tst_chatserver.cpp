#include <tests/support/localserver.h>
#include <tests/support/rawclient.h>
#include <tests/support/testclient.h>

#include <client/identityhello.h>
#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>
#include <server-console/chat/chatserver.h>

#include <QCborArray>
#include <QSslSocket>
#include <QtEndian>

#include <memory>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

class TestChatServer : public QObject
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

    void joinListAndPresenceEvents()
    {
        TestClient a(u"alice"_s), b(u"bob"_s), c(u"carol"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(b.connectTo(m_port));
        QVERIFY(c.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));
        QCOMPARE(b.core.members(u"lobby"_s).size(), 2);
        QCOMPARE(b.core.members(u"lobby"_s).at(0).nick, u"alice"_s);
        QCOMPARE(b.core.members(u"lobby"_s).at(1).server, u"alpha"_s);
        QVERIFY(c.join(u"lobby"_s));
        QTRY_COMPARE(a.joins.size(), 2);
        QCOMPARE(a.joins.at(0), std::pair(u"lobby"_s, u"bob"_s));
        QTRY_COMPARE(b.joins.size(), 1);
        QCOMPARE(b.joins.at(0).second, u"carol"_s);

        b.core.leave(u"lobby"_s);
        QTRY_COMPARE(a.leaves.size(), 1);
        QTRY_COMPARE(c.leaves.size(), 1);
        QCOMPARE(a.leaves.at(0).nick, u"bob"_s);
        QCOMPARE(a.leaves.at(0).reason, u"left"_s);
        QTRY_COMPARE(a.core.members(u"lobby"_s).size(), 2);

        c.core.disconnectFromServer();
        QTRY_COMPARE(a.leaves.size(), 2);
        QCOMPARE(a.leaves.at(1).nick, u"carol"_s);
        QCOMPARE(a.leaves.at(1).reason, u"quit"_s);
        QVERIFY(b.leaves.isEmpty()); // bob had left: he hears nothing of the room any more
    }

    void presenceInALargeRoomIsHeldNotLost()
    {
        // From two local members on, presence is held for a window and written once per member.
        Server::ServerConfig config;
        config.presenceCoalesceFrom = 2;
        config.presenceWindowMs = 300;
        startServer(config);
        TestClient a(u"alice"_s), b(u"bob"_s), c(u"carol"_s), d(u"dave"_s);
        for (TestClient *t : {&a, &b, &c, &d})
            QVERIFY(t->connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));
        QVERIFY(c.join(u"lobby"_s));
        QVERIFY(d.join(u"lobby"_s));
        // Each joiner's list says who came before it, in join order...
        QCOMPARE(b.core.members(u"lobby"_s).size(), 2);
        QCOMPARE(c.core.members(u"lobby"_s).size(), 3);
        QCOMPARE(d.core.members(u"lobby"_s).size(), 4);
        QCOMPARE(d.core.members(u"lobby"_s).at(2).nick, u"carol"_s);
        // ...and a ping is a barrier: alice hears of every join before her pong.
        qsizetype joinsAtPong = -1;
        connect(&a.core, &Client::ClientCore::pongReceived, this,
                [&] { joinsAtPong = a.joins.size(); });
        a.core.ping();
        QTRY_VERIFY(joinsAtPong >= 0);
        QCOMPARE(joinsAtPong, 3);
        // Everyone hears of exactly the joins after its own, once, in order.
        QTest::qWait(2 * config.presenceWindowMs);
        const auto nicks = [](const TestClient &t) {
            QStringList out;
            for (const auto &[room, nick] : t.joins)
                out.append(nick);
            return out;
        };
        QCOMPARE(nicks(a), (QStringList {u"bob"_s, u"carol"_s, u"dave"_s}));
        QCOMPARE(nicks(b), (QStringList {u"carol"_s, u"dave"_s}));
        QCOMPARE(nicks(c), QStringList {u"dave"_s});
        QVERIFY(d.joins.isEmpty());
        // A message never overtakes the presence before it: carol leaves, dave speaks at once.
        c.core.leave(u"lobby"_s);
        QTRY_VERIFY(c.core.members(u"lobby"_s).isEmpty());
        d.core.say(u"lobby"_s, u"after"_s);
        QTRY_COMPARE(b.messages.size(), 1);
        QCOMPARE(b.leaves.size(), 1);
        QCOMPARE(b.leaves.at(0).nick, u"carol"_s);
        QTRY_COMPARE(a.messages.size(), 1);
        QCOMPARE(a.leaves.size(), 1);
    }

    // On the wire, held presence is one `members-joined` list per run of joins, a leave
    // between them in its place: a frame header per member was a third of a burst's bytes.
    void heldJoinsGoOutAsOneListPerRun()
    {
        Server::ServerConfig config;
        config.presenceCoalesceFrom = 1;
        config.presenceWindowMs = 10'000; // only the watcher's ping lets it out
        startServer(config);
        RawClient watcher;
        QVERIFY(watcher.connectTo(m_port));
        QVERIFY(watcher.hello(u"watcher"_s));
        QVERIFY(watcher.join(u"lobby"_s));
        TestClient a(u"alice"_s), b(u"bob"_s), c(u"carol"_s), d(u"dave"_s);
        for (TestClient *t : {&a, &b, &c, &d})
            QVERIFY(t->connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));
        QVERIFY(c.join(u"lobby"_s));
        b.core.leave(u"lobby"_s);
        QTRY_VERIFY(b.core.members(u"lobby"_s).isEmpty());
        QVERIFY(d.join(u"lobby"_s));
        watcher.received.clear();
        watcher.send(Protocol::Ping {1, {}});
        QVERIFY(QTest::qWaitFor([&] { return watcher.count<Protocol::Pong>() == 1; }, 5000));
        const auto nicks = [](const QList<Protocol::MemberInfo> &members) {
            QStringList out;
            for (const auto &m : members)
                out.append(m.nick);
            return out;
        };
        QCOMPARE(watcher.received.size(), 4);
        const auto *first = std::get_if<Protocol::MembersJoined>(&watcher.received.at(0));
        QVERIFY(first);
        QCOMPARE(nicks(first->members), (QStringList {u"alice"_s, u"bob"_s, u"carol"_s}));
        const auto *left = std::get_if<Protocol::MemberLeft>(&watcher.received.at(1));
        QVERIFY(left);
        QCOMPARE(left->member.nick, u"bob"_s);
        const auto *second = std::get_if<Protocol::MembersJoined>(&watcher.received.at(2));
        QVERIFY(second);
        QCOMPARE(nicks(second->members), QStringList {u"dave"_s});
        QVERIFY(std::holds_alternative<Protocol::Pong>(watcher.received.at(3)));
        // A client reads them as each member once, in order.
        qsizetype joinsAtPong = -1;
        connect(&a.core, &Client::ClientCore::pongReceived, this,
                [&] { joinsAtPong = a.joins.size(); });
        a.core.ping();
        QTRY_VERIFY(joinsAtPong >= 0);
        QStringList seen;
        for (const auto &[room, nick] : a.joins)
            seen.append(nick);
        QCOMPARE(seen, (QStringList {u"bob"_s, u"carol"_s, u"dave"_s}));
        QCOMPARE(a.leaves.size(), 1);
        QCOMPARE(a.core.members(u"lobby"_s).size(), 4);
    }

    void roomsAreIsolated()
    {
        std::vector<std::unique_ptr<TestClient>> clients;
        const QStringList rooms {u"red"_s, u"green"_s, u"blue"_s};
        for (int i = 0; i < 6; ++i) {
            clients.push_back(std::make_unique<TestClient>(u"user%1"_s.arg(i)));
            QVERIFY(clients.back()->connectTo(m_port));
            QVERIFY(clients.back()->join(rooms.at(i % 3)));
        }
        for (int i = 0; i < 6; ++i)
            clients[i]->core.say(rooms.at(i % 3), u"secret of %1"_s.arg(rooms.at(i % 3)));
        // Someone in red addresses a member of green by nick: not found in red.
        clients[0]->core.say(u"red"_s, u"hey"_s, {u"user1"_s});
        // And cannot speak in a room it has not joined.
        clients[0]->core.say(u"green"_s, u"intrusion"_s);
        for (int i = 0; i < 6; ++i)
            QTRY_COMPARE(clients[i]->messages.size(), 2);
        QTRY_VERIFY(clients[0]->hasError(ErrorCode::NoSuchMember));
        QTRY_VERIFY(clients[0]->hasError(ErrorCode::NotInRoom));
        for (int i = 0; i < 6; ++i) {
            const QString room = rooms.at(i % 3);
            for (const auto &m : clients[i]->messages) {
                QCOMPARE(m.room, room);
                QCOMPARE(m.text, u"secret of %1"_s.arg(room));
            }
            for (const auto &j : clients[i]->joins)
                QCOMPARE(j.first, room);
            QCOMPARE(clients[i]->core.members(room).size(), 2);
        }
    }

    void addressedMessages()
    {
        TestClient a(u"alice"_s, QHostAddress(u"127.0.0.1"_s));
        TestClient b(u"bob"_s, QHostAddress(u"127.0.0.2"_s));
        TestClient c(u"carol"_s, QHostAddress(u"127.0.0.3"_s));
        c.core.setShowAddress(true); // @ip reaches only members who show their address
        for (TestClient *t : {&a, &b, &c}) {
            QVERIFY(t->connectTo(m_port));
            QVERIFY(t->join(u"lobby"_s));
        }
        QCOMPARE(b.core.observedAddress(), u"127.0.0.2"_s);

        a.core.say(u"lobby"_s, u"to everyone"_s, {u"@all"_s});
        a.core.say(u"lobby"_s, u"to bob by nick"_s, {u"@BOB"_s});
        a.core.say(u"lobby"_s, u"to carol by ip"_s, {u"@127.0.0.3"_s});
        a.core.say(u"lobby"_s, u"to both"_s, {u"bob"_s, u"127.0.0.3"_s});
        a.core.say(u"lobby"_s, u"default all"_s);
        QTRY_COMPARE(a.messages.size(), 5); // the sender sees each once
        QTRY_COMPARE(b.messages.size(), 4);
        QTRY_COMPARE(c.messages.size(), 4);
        QCOMPARE(b.texts(),
                 (QStringList {u"to everyone"_s, u"to bob by nick"_s, u"to both"_s,
                               u"default all"_s}));
        QCOMPARE(c.texts(),
                 (QStringList {u"to everyone"_s, u"to carol by ip"_s, u"to both"_s,
                               u"default all"_s}));
        QCOMPARE(b.messages.at(1).targets, QStringList {b.core.clientId()});
        QVERIFY(b.messages.at(0).targets.isEmpty());
        QCOMPARE(b.messages.at(1).from.nick, u"alice"_s);
    }

    void relayStaysInTheRoom()
    {
        TestClient a(u"alice"_s), b(u"bob"_s), c(u"carol"_s), d(u"dave"_s);
        for (TestClient *t : {&a, &b, &c, &d})
            QVERIFY(t->connectTo(m_port));
        for (TestClient *t : {&a, &b, &c})
            QVERIFY(t->join(u"lobby"_s));
        QVERIFY(d.join(u"elsewhere"_s));
        QList<Protocol::Relayed> got[4];
        TestClient *all[4] = {&a, &b, &c, &d};
        for (int i = 0; i < 4; ++i) {
            connect(&all[i]->core, &Client::ClientCore::relayReceived, this,
                    [&got, i](const Protocol::Relayed &r) { got[i].append(r); });
        }
        const QCborMap body {{u"pattern"_s, u"*.iso"_s}};
        a.core.relay(u"lobby"_s, u"find"_s, body); // every other member
        a.core.relay(u"lobby"_s, u"offer"_s, body, {c.core.clientId()}); // one member by id
        a.core.relay(u"lobby"_s, u"offer"_s, body, {u"dave"_s}); // not in the room
        a.core.relay(u"elsewhere"_s, u"find"_s, body); // not a member
        QTRY_COMPARE(got[2].size(), 2);
        QTRY_COMPARE(got[1].size(), 1);
        QTRY_VERIFY(a.hasError(ErrorCode::NoSuchMember));
        QTRY_VERIFY(a.hasError(ErrorCode::NotInRoom));
        QCOMPARE(got[1].at(0).kind, u"find"_s);
        QCOMPARE(got[1].at(0).body, body);
        QCOMPARE(got[1].at(0).from.id, a.core.clientId());
        QCOMPARE(got[2].at(1).targets, QStringList {c.core.clientId()});
        QVERIFY(got[0].isEmpty()); // no echo to the sender
        QVERIFY(got[3].isEmpty()); // nothing leaks to another room
    }

    void orderPerSender()
    {
        TestClient a(u"alice"_s), b(u"bob"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(b.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));
        for (int i = 0; i < 40; ++i)
            a.core.say(u"lobby"_s, QString::number(i));
        QTRY_COMPARE(b.messages.size(), 40);
        for (int i = 0; i < 40; ++i)
            QCOMPARE(b.messages.at(i).text, QString::number(i));
    }

    void ping()
    {
        TestClient a(u"alice"_s);
        QVERIFY(a.connectTo(m_port));
        QSignalSpy pong(&a.core, &Client::ClientCore::pongReceived);
        const quint32 id = a.core.ping();
        QVERIFY(pong.wait(5000));
        QCOMPARE(pong.at(0).at(0).toUInt(), id);
        QCOMPARE(pong.at(0).at(1).toString(), u"alpha"_s);
        QVERIFY(pong.at(0).at(2).toDouble() >= 0);
        QCOMPARE(pong.at(0).at(3).toInt(), 0);
        a.core.ping(u"alpha"_s);
        QVERIFY(pong.wait(5000));
        a.core.ping(u"nowhere"_s);
        QTRY_VERIFY(a.hasError(ErrorCode::NoSuchServer));
    }

    void nickClashInRoom()
    {
        TestClient a(u"bob"_s), b(u"BOB"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(b.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        b.core.join(u"lobby"_s);
        QTRY_VERIFY(b.hasError(ErrorCode::NickTaken));
        QCOMPARE(b.errors.constLast().room, u"lobby"_s);
        QVERIFY(b.core.rooms().isEmpty());
        QVERIFY(b.join(u"other"_s)); // the same nick is fine in another room
        QVERIFY(a.joins.isEmpty());
    }

    void requestsBeforeHelloAreRefused()
    {
        RawClient raw;
        QVERIFY(raw.connectTo(m_port));
        raw.send(Protocol::Join {u"lobby"_s});
        QTRY_COMPARE(raw.countErrors(ErrorCode::WrongState), 1);
        raw.send(Protocol::Hello {u"9bad"_s, Protocol::ProtocolVersion, {}, {}, {}});
        QTRY_COMPARE(raw.countErrors(ErrorCode::BadNick), 1);
    }

    // A client of protocol 1 reads members as maps: it is told to update and let go, before
    // anything it could not read is sent to it.
    void anOlderClientIsToldToUpdate()
    {
        TestClient bob(u"bob"_s);
        QVERIFY(bob.connectTo(m_port));
        QVERIFY(bob.join(u"lobby"_s));
        RawClient old;
        QVERIFY(old.connectTo(m_port));
        old.send(Protocol::Hello {u"alice"_s, Protocol::OldestPeerVersion - 1, {}, {}, {}});
        QVERIFY(old.waitForError(ErrorCode::OldVersion));
        QVERIFY(old.waitForClose());
        QCOMPARE(old.countWelcomes(), 0);
        QVERIFY(bob.joins.isEmpty());
    }

    void rateLimit()
    {
        Server::ServerConfig config;
        config.messagesPerSecond = 5;
        config.messageBurst = 10;
        startServer(config);
        TestClient a(u"alice"_s), b(u"bob"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(b.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));
        for (int i = 0; i < 60; ++i)
            a.core.say(u"lobby"_s, QString::number(i));
        QTRY_VERIFY(a.hasError(ErrorCode::RateLimited));
        QTest::qWait(200);
        QVERIFY(b.messages.size() >= 5);
        QVERIFY2(b.messages.size() < 20, qPrintable(QString::number(b.messages.size())));
    }

    void maxClients()
    {
        Server::ServerConfig config;
        config.maxClients = 2;
        startServer(config);
        TestClient a(u"a"_s), b(u"b"_s), c(u"c"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(b.connectTo(m_port));
        QSignalSpy gone(&c.core, &Client::ClientCore::disconnected);
        c.core.connectToServer(u"127.0.0.1"_s, m_port, u"c"_s);
        QVERIFY(gone.wait(5000));
        QVERIFY(c.hasError(ErrorCode::ServerFull));
        QVERIFY2(c.disconnectReason.contains(u"full"_s), qPrintable(c.disconnectReason));
        QCOMPARE(m_server->clientCount(), 2);
    }

    void malformedFramesDoNotDisturbOthers()
    {
        TestClient a(u"alice"_s), b(u"bob"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(b.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));

        RawClient raw;
        QVERIFY(raw.connectTo(m_port));
        raw.send(Client::signedHello(Crypto::IdentityKey::generate(), u"mallory"_s, {},
                                     raw.channelBinding()));
        raw.sendBody(QByteArray::fromHex("ff")); // invalid CBOR
        raw.sendBody(QByteArray::fromHex("a2617401")); // truncated
        raw.sendBody(QCborValue(QCborArray {1}).toCbor()); // not a map
        raw.sendBody(QCborValue(QCborMap {{u"t"_s, u"warp"_s}}).toCbor()); // unknown type
        raw.sendBody(QCborValue(QCborMap {{u"t"_s, u"join"_s}, {u"room"_s, 5}}).toCbor());
        raw.send(Protocol::Welcome {u"x"_s, u"x/1"_s, {}, 1}); // a server-only message
        for (int i = 0; i < 10; ++i)
            a.core.say(u"lobby"_s, u"still here %1"_s.arg(i));
        QTRY_COMPARE(b.messages.size(), 10);
        QTRY_COMPARE(raw.countErrors(ErrorCode::BadFrame), 3);
        QTRY_COMPARE(raw.countErrors(ErrorCode::UnknownType), 2);
        QCOMPARE(raw.countErrors(ErrorCode::BadField), 1);
        QCOMPARE(m_server->clientCount(), 3);

        // An oversized frame ends that client, with a reason, and only that client.
        QByteArray prefix(4, Qt::Uninitialized);
        qToBigEndian(quint32(64 * 1024 * 1024), prefix.data());
        raw.sendRaw(prefix + QByteArray(100, 'x'));
        QTRY_COMPARE(raw.socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(raw.countErrors(ErrorCode::FrameTooLarge), 1);
        QTRY_COMPARE(m_server->clientCount(), 2);
        a.core.say(u"lobby"_s, u"after"_s);
        QTRY_COMPARE(b.messages.size(), 11);
    }

    void persistentGarbageIsDisconnected()
    {
        RawClient raw;
        QVERIFY(raw.connectTo(m_port));
        for (int i = 0; i < 30; ++i)
            raw.sendBody(QByteArray::fromHex("ff"));
        QTRY_COMPARE(raw.socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(raw.countErrors(ErrorCode::TooManyErrors), 1);
        QTRY_COMPARE(m_server->clientCount(), 0);
    }

    void idleClientTimesOut()
    {
        Server::ServerConfig config;
        config.idleTimeoutSeconds = 1;
        startServer(config);
        TestClient a(u"alice"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        RawClient raw;
        QVERIFY(raw.connectTo(m_port));
        raw.send(Client::signedHello(Crypto::IdentityKey::generate(), u"sleepy"_s, {},
                                     raw.channelBinding()));
        raw.send(Protocol::Join {u"lobby"_s});
        QTRY_COMPARE(a.joins.size(), 1);
        // alice talks (and keeps her session alive); sleepy says nothing more.
        for (int i = 0; i < 6 && a.leaves.isEmpty(); ++i) {
            a.core.say(u"lobby"_s, u"tick"_s);
            QTest::qWait(400);
        }
        QTRY_COMPARE_WITH_TIMEOUT(a.leaves.size(), 1, 5000);
        QCOMPARE(a.leaves.at(0).nick, u"sleepy"_s);
        QCOMPARE(a.leaves.at(0).reason, u"timeout"_s);
    }

    void shutdownTellsClients()
    {
        TestClient a(u"alice"_s);
        QVERIFY(a.connectTo(m_port));
        QSignalSpy stopped(m_server.get(), &Server::ChatServer::stopped);
        QSignalSpy gone(&a.core, &Client::ClientCore::disconnected);
        m_server->shutdown(u"maintenance"_s);
        QVERIFY(gone.wait(5000));
        QVERIFY(a.hasError(ErrorCode::ShuttingDown));
        QVERIFY2(a.disconnectReason.contains(u"maintenance"_s), qPrintable(a.disconnectReason));
        QTRY_COMPARE(stopped.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestChatServer)
#include "tst_chatserver.moc"
