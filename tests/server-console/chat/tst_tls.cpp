#include <tests/support/testclient.h>

#include <server-console/chat/chatserver.h>
#include <server-console/chat/clientsession.h>
#include <server-console/tlscredentials.h>

#include <client/knownservers.h>
#include <crypto/certificatefingerprint.h>
#include <crypto/selfsignedcertificate.h>
#include <protocol/messagecodec.h>

#include <QFile>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <memory>

using namespace Qt::StringLiterals;

// TLS on the control plane between ClientCore and ChatServer: on by default, pinned on first
// use, refused on a changed certificate, plain only when both ends ask for it.
class TestTls : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static std::unique_ptr<Server::ChatServer> startServer(Server::ServerConfig c = {})
    {
        c.address = QHostAddress::LocalHost;
        c.port = 0;
        c.name = u"tls"_s;
        auto server = std::make_unique<Server::ChatServer>(c);
        QString error;
        if (!server->start(&error))
            qFatal("cannot start: %s", qPrintable(error));
        return server;
    }
    Client::TlsSettings pinsIn(const QString &file) const
    {
        Client::TlsSettings tls;
        tls.knownServersFile = m_dir.filePath(file);
        return tls;
    }
    static QString fingerprintOf(const Server::ChatServer &server)
    {
        return server.tlsCredentials()->fingerprint();
    }

private Q_SLOTS:
    void plainHelloToTlsServerGetsNoWelcome()
    {
        auto server = startServer();
        QTcpSocket raw;
        raw.connectToHost(u"127.0.0.1"_s, server->port());
        QVERIFY(raw.waitForConnected(5000));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"TLS handshake from .* failed"_s));
        raw.write(Protocol::encodeMessageFrame(
                Protocol::Hello {u"eve"_s, Protocol::ProtocolVersion, {}, {}, {}}));
        QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(!raw.readAll().contains("welcome"));
        QCOMPARE(server->clientCount(), 0);
    }

    // TLS 1.3 only: a client that offers at most TLS 1.2 never gets an encrypted session.
    void tls12ClientIsRefused()
    {
        auto server = startServer();
        QSslSocket old;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setProtocol(QSsl::TlsV1_2);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        old.setSslConfiguration(tls);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"TLS handshake from .* failed"_s));
        old.connectToHostEncrypted(u"127.0.0.1"_s, server->port());
        QTRY_COMPARE_WITH_TIMEOUT(old.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(!old.isEncrypted());
        QCOMPARE(server->clientCount(), 0);
    }

    void stalledHandshakeIsClosed()
    {
        Server::ServerConfig c;
        c.tlsHandshakeMs = 300;
        auto server = startServer(c);
        QTcpSocket raw; // connects and says nothing
        raw.connectToHost(u"127.0.0.1"_s, server->port());
        QVERIFY(raw.waitForConnected(5000));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"no handshake within 300 ms"_s));
        QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
        QCOMPARE(server->clientCount(), 0);
    }

    void firstUsePinsAndChannelBindingMatches()
    {
        auto server = startServer();
        TestClient alice(u"alice"_s);
        alice.core.setTlsSettings(pinsIn(u"first-use"_s));
        QVERIFY(alice.connectTo(server->port()));
        const Client::KnownServers known(m_dir.filePath(u"first-use"_s));
        const auto pin = known.find(u"127.0.0.1:%1"_s.arg(server->port()));
        QVERIFY(pin);
        QCOMPARE(pin->fingerprint, fingerprintOf(*server));
        // Both ends see the same channel binding: the SHA-256 of the server certificate.
        const QByteArray binding = alice.core.channelBinding();
        QCOMPARE(binding.size(), 32);
        QCOMPARE(Crypto::certificateFingerprint(server->tlsCredentials()->certificate().toDer()),
                 u"SHA256:"_s + QString::fromLatin1(binding.toHex()));
        // A pinned match connects again.
        alice.core.disconnectFromServer();
        QTRY_COMPARE(alice.core.state(), Client::ClientCore::State::Disconnected);
        QVERIFY(alice.connectTo(server->port()));
    }

    void serverSessionOffersTheSameBinding()
    {
        auto server = startServer();
        TestClient alice(u"alice"_s);
        alice.core.setTlsSettings(pinsIn(u"binding"_s));
        QVERIFY(alice.connectTo(server->port()));
        const auto sessions = server->findChildren<Server::ClientSession *>();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions.first()->channelBinding(), alice.core.channelBinding());
    }

    void changedCertificateIsRefusedWithBothFingerprints()
    {
        auto server = startServer();
        const QString file = m_dir.filePath(u"changed"_s);
        const QString old = u"SHA256:"_s + QString(64, u'a');
        Client::KnownServers known(file);
        QVERIFY(known.remember(u"127.0.0.1:%1"_s.arg(server->port()), old));
        TestClient alice(u"alice"_s);
        alice.core.setTlsSettings(pinsIn(u"changed"_s));
        QSignalSpy failed(&alice.core, &Client::ClientCore::connectionFailed);
        QSignalSpy connected(&alice.core, &Client::ClientCore::connected);
        alice.core.connectToServer(u"127.0.0.1"_s, server->port(), u"alice"_s);
        QVERIFY(failed.wait(5000));
        const QString reason = failed.first().first().toString();
        QVERIFY2(reason.contains(old), qPrintable(reason));
        QVERIFY2(reason.contains(fingerprintOf(*server)), qPrintable(reason));
        QVERIFY2(reason.contains(file) && reason.contains(u"line 1"_s), qPrintable(reason));
        QCOMPARE(connected.size(), 0);
        QCOMPARE(server->clientCount(), 0); // refused before hello
        QCOMPARE(known.find(u"127.0.0.1:%1"_s.arg(server->port()))->fingerprint, old);
    }

    void insecureSkipsThePin()
    {
        auto server = startServer();
        Client::KnownServers known(m_dir.filePath(u"insecure"_s));
        QVERIFY(known.remember(u"127.0.0.1:%1"_s.arg(server->port()),
                               u"SHA256:"_s + QString(64, u'b')));
        TestClient alice(u"alice"_s);
        Client::TlsSettings tls = pinsIn(u"insecure"_s);
        tls.mode = Client::TlsSettings::Mode::Insecure;
        alice.core.setTlsSettings(tls);
        QVERIFY(alice.connectTo(server->port()));
        QCOMPARE(alice.core.channelBinding().size(), 32); // still TLS
    }

    void plainOnlyWhenBothAsk()
    {
        Server::ServerConfig c;
        c.plain = true;
        auto server = startServer(c);
        QVERIFY(!server->tlsCredentials());
        TestClient alice(u"alice"_s);
        alice.core.setTlsSettings({Client::TlsSettings::Mode::Plain, {}});
        QVERIFY(alice.connectTo(server->port()));
        QVERIFY(alice.core.channelBinding().isEmpty());
        QVERIFY(alice.join(u"lobby"_s));

        // A TLS client does not fall back to plain text.
        TestClient bob(u"bob"_s);
        bob.core.setTlsSettings(pinsIn(u"plain"_s));
        QSignalSpy failed(&bob.core, &Client::ClientCore::connectionFailed);
        bob.core.connectToServer(u"127.0.0.1"_s, server->port(), u"bob"_s);
        QVERIFY(failed.wait(10000));
        QCOMPARE(bob.core.state(), Client::ClientCore::State::Disconnected);
    }

    void operatorCertificateIsServed()
    {
        const auto pem = Crypto::SelfSignedCertificate::generate(u"operator.example"_s);
        QVERIFY(pem);
        const QString cert = m_dir.filePath(u"op-cert.pem"_s);
        const QString key = m_dir.filePath(u"op-key.pem"_s);
        for (const auto &[path, data] :
             {std::pair {cert, pem->certificate}, {key, pem->privateKey}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        Server::ServerConfig c;
        c.tlsCert = cert;
        c.tlsKey = key;
        auto server = startServer(c);
        QCOMPARE(server->tlsCredentials()->certificate(), QSslCertificate(pem->certificate));
        TestClient alice(u"alice"_s);
        alice.core.setTlsSettings(pinsIn(u"operator"_s));
        QVERIFY(alice.connectTo(server->port()));
        const auto pin = Client::KnownServers(m_dir.filePath(u"operator"_s))
                                 .find(u"127.0.0.1:%1"_s.arg(server->port()));
        QVERIFY(pin);
        QCOMPARE(pin->fingerprint,
                 Crypto::certificateFingerprint(QSslCertificate(pem->certificate).toDer()));
    }

    void generatedCertificateIsKeptAndReused()
    {
        const QString dir = m_dir.filePath(u"generated"_s);
        QString error;
        const auto first = Server::TlsCredentials::loadOrCreate(dir, u"s1"_s, &error);
        QVERIFY2(first, qPrintable(error));
        const QString keyFile = dir + u"/server-key.pem"_s;
        QCOMPARE(QFile::permissions(keyFile),
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
        const auto second = Server::TlsCredentials::loadOrCreate(dir, u"s1"_s, &error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(second->fingerprint(), first->fingerprint());
        QVERIFY(first->certificate().subjectInfo(QSslCertificate::CommonName).contains(u"s1"_s));
    }

    void badCertificateFilesAreRefused()
    {
        QString error;
        QVERIFY(!Server::TlsCredentials::load(m_dir.filePath(u"missing.pem"_s),
                                              m_dir.filePath(u"missing-key.pem"_s), &error));
        QVERIFY(error.contains(u"cannot read"_s));
        const auto a = Crypto::SelfSignedCertificate::generate(u"a"_s);
        const auto b = Crypto::SelfSignedCertificate::generate(u"b"_s);
        QVERIFY(a && b);
        const QString cert = m_dir.filePath(u"a-cert.pem"_s);
        const QString key = m_dir.filePath(u"b-key.pem"_s);
        const QString garbage = m_dir.filePath(u"garbage.pem"_s);
        for (const auto &[path, data] :
             {std::pair {cert, a->certificate}, {key, b->privateKey}, {garbage, QByteArray("x")}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        QVERIFY(!Server::TlsCredentials::load(cert, key, &error));
        QVERIFY2(error.contains(u"does not belong"_s), qPrintable(error));
        QVERIFY(!Server::TlsCredentials::load(garbage, key, &error));
        QVERIFY2(error.contains(u"not a PEM certificate"_s), qPrintable(error));
        Server::ServerConfig c;
        c.tlsCert = cert;
        c.tlsKey = key;
        Server::ChatServer server(c);
        QVERIFY(!server.start(&error));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
