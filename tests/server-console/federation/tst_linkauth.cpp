#include <tests/support/federationnet.h>

#include <protocol/linkmessages.h>
#include <server-console/tlscredentials.h>

#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtEndian>

using namespace Qt::StringLiterals;
namespace Link = Protocol::Link;

namespace {

// Every log line of the process, so that a test can wait for the one it expects.
QStringList &logLines()
{
    static QStringList lines;
    return lines;
}
void captureLog(QtMsgType, const QMessageLogContext &, const QString &text)
{
    logLines().append(text);
}
bool logged(const QString &needle)
{
    for (const QString &line : std::as_const(logLines())) {
        if (line.contains(needle))
            return true;
    }
    return false;
}

// A dialler written by hand over TLS: says link-hello and then whatever the test wants.
struct RawDialler
{
    QSslSocket socket;
    bool connectTo(quint16 port)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setProtocol(QSsl::TlsV1_3OrLater);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.setSslConfiguration(tls);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
        // The server runs in this thread: wait with the event loop, never blocking it.
        return QTest::qWaitFor([this] { return socket.isEncrypted(); }, 5000);
    }
    static QByteArray hello(const QString &name)
    {
        return Link::encodeFrame(Link::Hello {name, 42, QByteArray(32, 'n')});
    }
    // A frame of `size` bytes of CBOR text: large, but well-formed.
    static QByteArray bigFrame(int size)
    {
        QByteArray body = QCborValue(QString(size, u'x')).toCbor();
        QByteArray prefix(4, Qt::Uninitialized);
        qToBigEndian(quint32(body.size()), prefix.data());
        return prefix + body;
    }
};

// A TCP hop between two servers that can stop reading from the dialling side, as a
// neighbour that stops reading would (its kernel buffers fill, then the dialler's queue).
class FreezableProxy : public QObject
{
public:
    FreezableProxy(quint16 target)
        : m_target(target)
    {
        QVERIFY(m_listener.listen(QHostAddress::LocalHost, 0));
        connect(&m_listener, &QTcpServer::newConnection, this, [this] {
            m_in = m_listener.nextPendingConnection();
            // Qt reads no more than this while frozen: the rest stays in the kernel.
            m_in->setReadBufferSize(4096);
            m_out = new QTcpSocket(this);
            m_out->connectToHost(QHostAddress::LocalHost, m_target);
            connect(m_in, &QTcpSocket::readyRead, this, &FreezableProxy::pump);
            connect(m_out, &QTcpSocket::readyRead, this, &FreezableProxy::pump);
            connect(m_out, &QTcpSocket::connected, this, &FreezableProxy::pump);
        });
    }
    [[nodiscard]] quint16 port() const { return m_listener.serverPort(); }
    void freeze() { m_frozen = true; }

private:
    void pump()
    {
        if (!m_in || !m_out || m_out->state() != QAbstractSocket::ConnectedState)
            return;
        if (!m_frozen)
            m_out->write(m_in->readAll());
        m_in->write(m_out->readAll());
    }
    QTcpServer m_listener;
    quint16 m_target;
    QTcpSocket *m_in = nullptr;
    QTcpSocket *m_out = nullptr;
    bool m_frozen = false;
};

} // namespace

// Link authentication: TLS and the secret, or pinned certificates; closed without either;
// small frames, few pending handshakes and a per-address limit before authentication.
class TestLinkAuth : public QObject
{
    Q_OBJECT
private:
    // Servers whose certificates are made first, so that each can pin the other's.
    struct Pinned
    {
        std::vector<std::unique_ptr<Server::ChatServer>> servers;
        void add(Server::ServerConfig c, Server::TlsCredentials tls)
        {
            servers.push_back(std::make_unique<Server::ChatServer>(c));
            servers.back()->setTlsCredentials(std::move(tls));
            QString error;
            if (!servers.back()->start(&error))
                qFatal("cannot start: %s", qPrintable(error));
        }
    };
    static Server::TlsCredentials credentials(const QString &name)
    {
        QString error;
        auto c = Server::TlsCredentials::ephemeral(name, &error);
        if (!c)
            qFatal("%s", qPrintable(error));
        return *c;
    }

    // A listener whose handshake deadline is long, so that a close is the limit's doing.
    static std::unique_ptr<Server::ChatServer> patientListener(int attemptsPerMinute = 60)
    {
        Server::ServerConfig c = FederationNet::config(u"alpha"_s, "federation-test-secret");
        c.deadLinkMs = 30000;
        c.linkAttemptsPerMinute = attemptsPerMinute;
        auto server = std::make_unique<Server::ChatServer>(c);
        QString error;
        if (!server->start(&error))
            qFatal("cannot start: %s", qPrintable(error));
        return server;
    }

private Q_SLOTS:
    void init()
    {
        logLines().clear();
        qInstallMessageHandler(captureLog);
    }
    void cleanup() { qInstallMessageHandler(nullptr); }

    void withoutSecretOrPinNoLinkIsAccepted()
    {
        FederationNet net;
        net.add(u"alpha"_s, {});
        net.add(u"beta"_s, {});
        net.link(1, 0);
        QTRY_VERIFY_WITH_TIMEOUT(logged(u"federation is closed"_s), 5000);
        QVERIFY(net.servers[0]->federation().links().neighbours().isEmpty());
        QVERIFY(net.servers[1]->federation().links().neighbours().isEmpty());
    }

    void shortSecretIsRefusedAtStart()
    {
        Server::ServerConfig c = FederationNet::config(u"alpha"_s, "fifteen-bytes!!");
        Server::ChatServer server(c);
        QString error;
        QVERIFY(!server.start(&error));
        QVERIFY2(error.contains(u"at least 16"_s), qPrintable(error));
        c.linkSecret = "sixteen-bytes!!!";
        QVERIFY(c.validate(&error));
    }

    void wrongSecretOverTlsIsRefusedAndLogged()
    {
        FederationNet net;
        net.add(u"alpha"_s);
        net.add(u"mallory"_s, "not-the-network-secret");
        net.link(1, 0);
        QTRY_VERIFY_WITH_TIMEOUT(logged(u"link to 'alpha'"_s)
                                         && logged(u"authentication failed (bad link secret)"_s)
                                         && logged(u"closed before authentication"_s),
                                 5000);
        QVERIFY(net.servers[0]->federation().links().neighbours().isEmpty());
        QVERIFY(net.servers[0]->tlsCredentials()); // the exchange ran inside TLS
    }

    void pinnedCertificatesAloneAuthenticate()
    {
        auto a = credentials(u"alpha"_s);
        auto b = credentials(u"beta"_s);
        Server::ServerConfig ca = FederationNet::config(u"alpha"_s, {});
        Server::ServerConfig cb = FederationNet::config(u"beta"_s, {});
        ca.linkPeerCerts.insert(u"beta"_s, b.fingerprint());
        cb.linkPeerCerts.insert(u"alpha"_s, a.fingerprint());
        Pinned net;
        net.add(ca, a);
        net.add(cb, b);
        net.servers[1]->federation().links().addPeer(u"127.0.0.1"_s, net.servers[0]->port());
        QTRY_COMPARE_WITH_TIMEOUT(net.servers[0]->federation().links().neighbours(),
                                  QStringList {u"beta"_s}, 5000);
        QTRY_COMPARE(net.servers[1]->federation().links().neighbours(), QStringList {u"alpha"_s});
    }

    void pinMismatchIsRefusedEvenWithTheSecret()
    {
        auto a = credentials(u"alpha"_s);
        auto b = credentials(u"beta"_s);
        const QByteArray secret = "federation-test-secret";
        Server::ServerConfig ca = FederationNet::config(u"alpha"_s, secret);
        Server::ServerConfig cb = FederationNet::config(u"beta"_s, secret);
        ca.linkPeerCerts.insert(u"beta"_s, u"SHA256:"_s + QString(64, u'0')); // not b's
        Pinned net;
        net.add(ca, a);
        net.add(cb, b);
        net.servers[1]->federation().links().addPeer(u"127.0.0.1"_s, net.servers[0]->port());
        QTRY_VERIFY_WITH_TIMEOUT(logged(u"link from 'beta'"_s) && logged(u"not the pinned"_s),
                                 5000);
        QVERIFY2(logged(b.fingerprint()), "the refusal names the certificate seen");
        QVERIFY(net.servers[0]->federation().links().neighbours().isEmpty());

        // And as the dialler: alpha dials beta, whose certificate is not the pinned one.
        net.servers[0]->federation().links().addPeer(u"127.0.0.1"_s, net.servers[1]->port());
        QTRY_VERIFY_WITH_TIMEOUT(logged(u"link to 'beta'"_s), 5000);
        QVERIFY(net.servers[1]->federation().links().neighbours().isEmpty());
    }

    void oversizedFrameBeforeAuthenticationCloses()
    {
        auto alpha = patientListener();
        RawDialler raw;
        QVERIFY(raw.connectTo(alpha->port()));
        // Hello and a 5 KiB frame in one write: the second must reach the link, whose cap is
        // 4 KiB until it is authenticated (the bytes survive the hand-over from the session).
        raw.socket.write(RawDialler::hello(u"eve"_s) + RawDialler::bigFrame(5000));
        raw.socket.flush();
        QTRY_COMPARE_WITH_TIMEOUT(raw.socket.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(logged(u"closed before authentication"_s));

        // An oversized hello never becomes a link at all.
        RawDialler big;
        QVERIFY(big.connectTo(alpha->port()));
        QCborMap hello = Link::encode(Link::Hello {u"eve"_s, 1, QByteArray(32, 'n')});
        hello.insert(u"pad"_s, QString(5000, u'p'));
        QByteArray body = hello.toCborValue().toCbor();
        QByteArray prefix(4, Qt::Uninitialized);
        qToBigEndian(quint32(body.size()), prefix.data());
        big.socket.write(prefix + body);
        big.socket.flush();
        QTRY_COMPARE_WITH_TIMEOUT(big.socket.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(logged(u"at most 4096 before authentication"_s));
    }

    // A server of protocol 1 could not read the member rows in the client messages a link
    // carries: its hello, which has no version, is refused and the refusal says why.
    void anOlderServerIsRefused()
    {
        auto alpha = patientListener();
        RawDialler raw;
        QVERIFY(raw.connectTo(alpha->port()));
        QCborMap hello = Link::encode(Link::Hello {u"old"_s, 1, QByteArray(32, 'n')});
        QVERIFY(hello.contains(u"v"_s));
        hello.remove(u"v"_s);
        const QByteArray body = hello.toCborValue().toCbor();
        QByteArray prefix(4, Qt::Uninitialized);
        qToBigEndian(quint32(body.size()), prefix.data());
        raw.socket.write(prefix + body);
        raw.socket.flush();
        QTRY_COMPARE_WITH_TIMEOUT(raw.socket.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(logged(
                u"'old' speaks protocol 1, this server %1"_s.arg(Protocol::ProtocolVersion)));
    }

    void tooManyPendingHandshakesAreClosed()
    {
        auto alpha = patientListener();
        std::vector<std::unique_ptr<RawDialler>> waiting;
        for (int i = 0; i < 8; ++i) {
            waiting.push_back(std::make_unique<RawDialler>());
            QVERIFY(waiting.back()->connectTo(alpha->port()));
            waiting.back()->socket.write(RawDialler::hello(u"eve%1"_s.arg(i)));
            // Its challenge comes back: the handshake is pending, and never answered.
            QVERIFY(QTest::qWaitFor([&] { return waiting.back()->socket.bytesAvailable() > 0; },
                                    5000));
        }
        RawDialler ninth;
        QVERIFY(ninth.connectTo(alpha->port()));
        ninth.socket.write(RawDialler::hello(u"eve8"_s));
        QTRY_COMPARE_WITH_TIMEOUT(ninth.socket.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(logged(u"8 link handshakes already pending"_s));
        for (const auto &w : waiting)
            QCOMPARE(w->socket.state(), QAbstractSocket::ConnectedState);
    }

    // A neighbour that stops reading does not grow this server's memory: past the link's send
    // queue bound the link is cut (it redials and resyncs), the clients stay.
    void aLinkThatNeverReadsIsCut()
    {
        Server::ServerConfig a = FederationNet::config(u"alpha"_s, "federation-test-secret");
        a.linkSendQueueBytes = qint64(2) << 20; // the smallest allowed: two largest frames
        a.deadLinkMs = a.heartbeatMs = 30000; // only the queue may end the link
        a.messagesPerSecond = a.messageBurst = 100000;
        a.sendQueueBytes = qint64(1) << 30; // the talker's own echoes must not drop it
        Server::ServerConfig b = FederationNet::config(u"beta"_s, "federation-test-secret");
        b.deadLinkMs = b.heartbeatMs = 30000;
        FederationNet net;
        for (const Server::ServerConfig &c : {a, b}) {
            net.servers.push_back(std::make_unique<Server::ChatServer>(c));
            QString error;
            QVERIFY2(net.servers.back()->start(&error), qPrintable(error));
        }
        FreezableProxy proxy(net.servers[1]->port());
        net.servers[0]->federation().links().addPeer(u"127.0.0.1"_s, proxy.port());
        QTRY_VERIFY_WITH_TIMEOUT(net.allSee(2), 10000);
        TestClient &talker = net.client(u"talker"_s, 0);
        TestClient &far = net.client(u"far"_s, 1);
        QVERIFY(talker.join(u"lobby"_s));
        QVERIFY(far.join(u"lobby"_s));
        talker.core.say(u"lobby"_s, u"before"_s, {});
        QTRY_VERIFY(far.texts().contains(u"before"_s));
        proxy.freeze();
        // Far more than the kernel buffers on both sides of the proxy and the 2 MiB bound.
        const QString text(8000, u'x'); // 8000 characters: 8000 bytes of UTF-8 and more framed
        bool cut = false;
        for (int i = 0; i < 4000 && !cut; ++i) {
            talker.core.say(u"lobby"_s, text, {});
            if (i % 50 == 0) {
                QTest::qWait(1);
                cut = logged(u"send queue full"_s);
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(logged(u"send queue full: the peer does not read"_s), 10000);
        // The clients on alpha are not affected: the talker still hears itself.
        talker.core.say(u"lobby"_s, u"after the cut"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(talker.texts().contains(u"after the cut"_s), 10000);
        QVERIFY(talker.errors.isEmpty());
    }

    void reconnectsPerAddressAreLimited()
    {
        auto alpha = patientListener(3);
        for (int i = 0; i < 3; ++i) {
            RawDialler raw;
            QVERIFY(raw.connectTo(alpha->port()));
            raw.socket.write(RawDialler::hello(u"eve"_s));
            QVERIFY(QTest::qWaitFor([&] { return raw.socket.bytesAvailable() > 0; },
                                    5000)); // admitted: a challenge
        }
        RawDialler fourth;
        QVERIFY(fourth.connectTo(alpha->port()));
        fourth.socket.write(RawDialler::hello(u"eve"_s));
        QTRY_COMPARE_WITH_TIMEOUT(fourth.socket.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(logged(u"3 link attempts from this address"_s));
    }
};

QTEST_GUILESS_MAIN(TestLinkAuth)
#include "tst_linkauth.moc"
