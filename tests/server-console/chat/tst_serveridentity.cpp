#include <tests/support/localserver.h>
#include <tests/support/rawclient.h>
#include <tests/support/testclient.h>

#include <client/identityhello.h>
#include <protocol/identityproof.h>
#include <server-console/chat/chatserver.h>
#include <server-console/tlscredentials.h>

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

Q_DECLARE_METATYPE(Protocol::Hello)

// The hello proof of possession (docs/PROTOCOL.md, "hello"): only a client holding the private
// key of the key it claims is welcomed, and every member list carries the proven key.
class TestServerIdentity : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Server::ChatServer> m_server;
    quint16 m_port = 0;
    // One certificate for every server of this test, so that the rows can sign for it.
    QTemporaryDir m_tlsDir;
    QByteArray m_binding;

    // Sends `hello` on a fresh connection; true when the server refused it with bad-identity
    // and sent no welcome.
    [[nodiscard]] bool refusedAsBadIdentity(const Protocol::Hello &hello)
    {
        RawClient raw;
        if (!raw.connectTo(m_port))
            return false;
        raw.send(hello);
        // A join behind the hello: its answer proves the hello has been dealt with.
        raw.send(Protocol::Join {u"lobby"_s});
        for (int i = 0; i < 250 && raw.countErrors(ErrorCode::WrongState) == 0; ++i)
            QTest::qWait(20); // the server runs on this thread's event loop
        return raw.countErrors(ErrorCode::BadIdentity) == 1 && raw.countWelcomes() == 0
                && raw.countErrors(ErrorCode::WrongState) == 1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        const auto tls = Server::TlsCredentials::loadOrCreate(m_tlsDir.path(), u"alpha"_s, &error);
        QVERIFY2(tls, qPrintable(error));
        m_binding
                = QCryptographicHash::hash(tls->certificate().toDer(), QCryptographicHash::Sha256);
    }
    void init()
    {
        Server::ServerConfig config;
        config.tlsDir = m_tlsDir.path();
        startLocalServer(m_server, std::move(config));
        m_port = m_server->port();
    }
    void cleanup() { m_server.reset(); }

    void validProofIsWelcomed()
    {
        RawClient raw;
        QVERIFY(raw.connectTo(m_port));
        raw.send(Client::signedHello(Crypto::IdentityKey::generate(), u"alice"_s, {}, m_binding));
        QTRY_COMPARE(raw.countWelcomes(), 1);
        QCOMPARE(raw.countErrors(ErrorCode::BadIdentity), 0);
    }

    void badProofsAreRefused_data()
    {
        QTest::addColumn<Protocol::Hello>("hello");
        const auto key = Crypto::IdentityKey::generate();
        const Protocol::Hello good = Client::signedHello(key, u"alice"_s, {}, m_binding);

        Protocol::Hello h = good;
        h.signature[10] = char(h.signature.at(10) ^ 0x01);
        QTest::newRow("bad signature") << h;
        h = good;
        h.key.chop(1);
        QTest::newRow("key 31 bytes") << h;
        h = good;
        h.key.append('\0');
        QTest::newRow("key 33 bytes") << h;
        h = good;
        h.signature.chop(1);
        QTest::newRow("signature 63 bytes") << h;
        h = good;
        h.key.clear();
        h.signature.clear();
        QTest::newRow("no identity") << h;
        h = good;
        h.signature.clear();
        QTest::newRow("key without proof") << h;
        // Someone who saw alice's hello has her key and a signature, not her private key.
        h = good;
        h.nick = u"mallory"_s;
        QTest::newRow("copied key, other nick") << h;
        h = good;
        h.signature = key.sign(Protocol::helloProof(QByteArray(32, '\x42'), u"alice"_s));
        QTest::newRow("proof for another server's binding") << h;
        h = good;
        h.key = Crypto::IdentityKey::generate().publicKey();
        QTest::newRow("another key, alice's signature") << h;
    }
    void badProofsAreRefused()
    {
        QFETCH(Protocol::Hello, hello);
        QVERIFY(refusedAsBadIdentity(hello));
        QTRY_COMPARE(m_server->clientCount(), 0); // the refused connection, once closed
    }

    void aRefusedHelloMayBeRetried()
    {
        RawClient raw;
        QVERIFY(raw.connectTo(m_port));
        const auto key = Crypto::IdentityKey::generate();
        Protocol::Hello bad = Client::signedHello(key, u"alice"_s, {}, m_binding);
        bad.nick = u"bob"_s;
        raw.send(bad);
        QTRY_COMPARE(raw.countErrors(ErrorCode::BadIdentity), 1);
        raw.send(Client::signedHello(key, u"bob"_s, {}, m_binding));
        QTRY_COMPARE(raw.countWelcomes(), 1);
    }

    void memberListsCarryTheProvenKey()
    {
        TestClient a(u"alice"_s), b(u"bob"_s);
        QVERIFY(a.connectTo(m_port));
        QVERIFY(a.join(u"lobby"_s));
        QSignalSpy bobArrived(&a.core, &Client::ClientCore::memberJoined);
        QVERIFY(b.connectTo(m_port));
        QVERIFY(b.join(u"lobby"_s));
        const QByteArray aliceKey = a.core.identity()->publicKey();
        const QByteArray bobKey = b.core.identity()->publicKey();
        QVERIFY(aliceKey != bobKey);

        // joined: the whole list, each with its key.
        for (const auto &m : b.core.members(u"lobby"_s))
            QCOMPARE(m.key, m.nick == u"alice" ? aliceKey : bobKey);
        // member-joined
        QTRY_COMPARE(bobArrived.size(), 1);
        QCOMPARE(bobArrived.at(0).at(1).value<Protocol::MemberInfo>().key, bobKey);
        // msg from
        b.core.say(u"lobby"_s, u"hi"_s);
        QTRY_COMPARE(a.messages.size(), 1);
        QCOMPARE(a.messages.at(0).from.key, bobKey);
        // relayed from
        QSignalSpy relayed(&a.core, &Client::ClientCore::relayReceived);
        b.core.relay(u"lobby"_s, u"find"_s, QCborMap {{u"p"_s, u"*"_s}});
        QTRY_COMPARE(relayed.size(), 1);
        QCOMPARE(relayed.at(0).at(0).value<Protocol::Relayed>().from.key, bobKey);
        // member-left
        QSignalSpy bobLeft(&a.core, &Client::ClientCore::memberLeft);
        b.core.leave(u"lobby"_s);
        QTRY_COMPARE(bobLeft.size(), 1);
        QCOMPARE(bobLeft.at(0).at(1).value<Protocol::MemberInfo>().key, bobKey);
    }
};

QTEST_GUILESS_MAIN(TestServerIdentity)
#include "tst_serveridentity.moc"
