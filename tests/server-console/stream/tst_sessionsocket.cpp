#include <server-console/stream/sessionsocket.h>
#include <server-console/stream/tlscontext.h>
#include <server-console/tlscredentials.h>

#include <protocol/framecodec.h>

#include <QCborMap>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <numeric>

using namespace Qt::StringLiterals;
using Server::SessionSocket;

namespace {
// Hands over accepted descriptors as they are, the way the server's listener gets them.
class DescriptorServer : public QTcpServer
{
public:
    QList<qintptr> descriptors;

protected:
    void incomingConnection(qintptr descriptor) override { descriptors.append(descriptor); }
};

QByteArray frame(int i, qsizetype padding = 0)
{
    QCborMap map;
    map.insert(u"i"_s, i);
    map.insert(u"pad"_s, QString(padding, u'x'));
    return Protocol::encodeFrame(map);
}

// Reads frames with the protocol's own reader until `count` arrived (or 10 s passed).
QList<int> readFrames(QTcpSocket &socket, int count)
{
    Protocol::FrameReader reader(1 << 20);
    QList<int> seen;
    QElapsedTimer clock;
    clock.start();
    while (seen.size() < count && clock.elapsed() < 10'000) {
        // The event loop runs meanwhile: the server side is in this thread.
        if (!QTest::qWaitFor([&] { return socket.bytesAvailable() > 0; }, 100))
            continue;
        QByteArray bytes = socket.readAll();
        while (!bytes.isEmpty()) {
            const qsizetype taken = reader.append(bytes);
            bytes.remove(0, taken);
            auto f = reader.next();
            for (; f.status == Protocol::FrameStatus::Ok; f = reader.next())
                seen.append(int(f.map.value(u"i"_s).toInteger()));
            if (taken == 0 && f.status != Protocol::FrameStatus::Incomplete)
                return seen; // a broken stream: what came so far is the answer
        }
    }
    return seen;
}
} // namespace

// The server's own connection over OpenSSL (or plain TCP) against Qt's client socket: frames
// both ways in order, writes of one turn gathered, a peer that does not read held in user
// space and counted, an orderly close that delivers what was pending, and a close reported once.
class TestSessionSocket : public QObject
{
    Q_OBJECT
private:
    std::shared_ptr<const Server::TlsContext> m_tls;
    DescriptorServer m_listener;

    // A connected pair: Qt's client socket and the server's session socket, TLS unless plain.
    struct Pair
    {
        std::unique_ptr<QSslSocket> client;
        std::unique_ptr<SessionSocket> server;
    };
    Pair connectPair(bool tls)
    {
        Pair p;
        p.client = std::make_unique<QSslSocket>();
        p.client->setPeerVerifyMode(QSslSocket::VerifyNone);
        const int before = int(m_listener.descriptors.size());
        if (tls)
            p.client->connectToHostEncrypted(u"127.0.0.1"_s, m_listener.serverPort());
        else
            p.client->connectToHost(QHostAddress::LocalHost, m_listener.serverPort());
        if (!QTest::qWaitFor([&] { return m_listener.descriptors.size() > before; }, 5000))
            return p;
        p.server = std::make_unique<SessionSocket>(m_listener.descriptors.constLast(),
                                                   tls ? m_tls : nullptr);
        if (tls) {
            QSignalSpy encrypted(p.server.get(), &SessionSocket::encrypted);
            p.server->startHandshake();
            if (!encrypted.wait(5000) || !QTest::qWaitFor([&] { return p.client->isEncrypted(); }))
                p.server.reset();
        } else if (!p.client->waitForConnected(5000)) {
            p.server.reset();
        }
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        const auto credentials = Server::TlsCredentials::ephemeral(u"stream"_s, &error);
        QVERIFY2(credentials, qPrintable(error));
        m_tls = Server::TlsContext::create(credentials->certificate(), credentials->key(), &error);
        QVERIFY2(m_tls, qPrintable(error));
        QVERIFY(m_listener.listen(QHostAddress::LocalHost));
    }

    void framesBothWaysInOrder_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("tls") << true;
        QTest::newRow("plain") << false;
    }
    void framesBothWaysInOrder()
    {
        QFETCH(bool, tls);
        Pair p = connectPair(tls);
        QVERIFY(p.server);
        QCOMPARE(p.server->isConnected(), true);
        QCOMPARE(p.server->peerAddress(), QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(p.server->localCertificateDer().isEmpty(), !tls);
        if (tls)
            QCOMPARE(p.server->localCertificateDer(), p.client->peerCertificate().toDer());
        // 2000 frames in one turn, some larger than a TLS record: all arrive, in order.
        QList<int> expected;
        for (int i = 0; i < 2000; ++i) {
            p.server->write(frame(i, i % 100 == 0 ? 40'000 : 20));
            expected.append(i);
        }
        QVERIFY(p.server->unsentBytes() > 0); // queued, not written, until the turn ends
        QCOMPARE(readFrames(*p.client, 2000), expected);
        QTRY_COMPARE(p.server->unsentBytes(), 0);

        for (int i = 0; i < 3; ++i)
            p.client->write(frame(100 + i));
        Protocol::FrameReader reader;
        QList<int> got;
        QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    p.server->readInto(reader);
                    for (auto f = reader.next(); f.status == Protocol::FrameStatus::Ok;
                         f = reader.next())
                        got.append(int(f.map.value(u"i"_s).toInteger()));
                    return got.size() == 3;
                }(),
                5000);
        QCOMPARE(got, (QList<int> {100, 101, 102}));
    }

    // A peer that stops reading: what the kernel does not take stays queued here, counted,
    // until the session is aborted; nothing is written after that.
    void unreadBytesStayCountedUntilAbort()
    {
        Pair p = connectPair(true);
        QVERIFY(p.server);
        p.client->setReadBufferSize(1); // Qt stops reading from the kernel
        const QByteArray big = frame(0, 256 * 1024);
        for (int i = 0; i < 200 && p.server->unsentBytes() < 8 * big.size(); ++i) {
            p.server->write(big);
            QTest::qWait(5);
        }
        QVERIFY2(p.server->unsentBytes() >= 8 * big.size(),
                 qPrintable(QString::number(p.server->unsentBytes())));
        QSignalSpy disconnected(p.server.get(), &SessionSocket::disconnected);
        p.server->abort();
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(p.server->unsentBytes(), 0);
        QCOMPARE(p.server->isConnected(), false);
        p.server->write(big);
        QCOMPARE(p.server->unsentBytes(), 0);
        p.server->abort();
        QCOMPARE(disconnected.size(), 1);
    }

    // A peer that stops reading until the kernel's buffers are full, then reads again: every
    // frame written meanwhile arrives once and in order (a blocked SSL_write is repeated with
    // the same bytes, rebuilt from the queue across frames of every size).
    void blockedWritesResumeInOrder_data() { framesBothWaysInOrder_data(); }
    void blockedWritesResumeInOrder()
    {
        QFETCH(bool, tls);
        Pair p = connectPair(tls);
        QVERIFY(p.server);
        p.client->setReadBufferSize(1); // Qt stops reading from the kernel
        int written = 0;
        for (int turn = 0; turn < 2000 && p.server->unsentBytes() < 512 * 1024; ++turn) {
            for (int i = 0; i < 200; ++i, ++written)
                p.server->write(frame(written, (written * 37) % 3000));
            QTest::qWait(2);
        }
        QVERIFY2(p.server->unsentBytes() >= 512 * 1024, "the kernel never pushed back");
        p.client->setReadBufferSize(0);
        QList<int> expected(written);
        std::iota(expected.begin(), expected.end(), 0);
        QCOMPARE(readFrames(*p.client, written), expected);
        QTRY_COMPARE(p.server->unsentBytes(), 0);
    }

    // disconnectFromHost() writes what is pending first, then closes; the close is reported
    // once everything is out.
    void orderlyCloseDeliversWhatIsPending_data() { framesBothWaysInOrder_data(); }
    void orderlyCloseDeliversWhatIsPending()
    {
        QFETCH(bool, tls);
        Pair p = connectPair(tls);
        QVERIFY(p.server);
        QSignalSpy disconnected(p.server.get(), &SessionSocket::disconnected);
        QList<int> expected;
        for (int i = 0; i < 64; ++i) {
            p.server->write(frame(i, 32 * 1024));
            expected.append(i);
        }
        p.server->disconnectFromHost();
        p.server->write(frame(999)); // after the close: dropped
        QCOMPARE(readFrames(*p.client, 64), expected);
        QTRY_COMPARE(p.client->state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(p.client->bytesAvailable(), 0);
    }

    void peerCloseIsReportedOnce_data() { framesBothWaysInOrder_data(); }
    void peerCloseIsReportedOnce()
    {
        QFETCH(bool, tls);
        Pair p = connectPair(tls);
        QVERIFY(p.server);
        Protocol::FrameReader reader;
        connect(p.server.get(), &SessionSocket::readyRead, this, [&] {
            while (p.server->readInto(reader) > 0) { }
        });
        QSignalSpy disconnected(p.server.get(), &SessionSocket::disconnected);
        p.client->write(frame(1));
        p.client->disconnectFromHost();
        QTRY_COMPARE(disconnected.size(), 1);
        QTest::qWait(50);
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(reader.next().status, Protocol::FrameStatus::Ok); // read before the close
        QVERIFY(!p.server->isConnected());
    }

    // A session deleted in the turn it was written to (its owner dropped it) leaves the
    // turn's flush: the flush still runs for the others, and nothing touches the deleted one
    // (an ASan build would report it).
    void destroyedWithItsFlushQueued()
    {
        Pair gone = connectPair(true);
        Pair stays = connectPair(true);
        QVERIFY(gone.server && stays.server);
        gone.server->write(frame(1, 5000));
        stays.server->write(frame(2));
        QVERIFY(gone.server->unsentBytes() > 0); // queued for this turn's flush
        gone.server.reset();
        QCOMPARE(readFrames(*stays.client, 1), QList<int> {2});
        QTRY_COMPARE(gone.client->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(gone.client->bytesAvailable(), 0);
    }

    void handshakeFailsOnPlainBytes()
    {
        QTcpSocket raw;
        const int before = int(m_listener.descriptors.size());
        raw.connectToHost(QHostAddress::LocalHost, m_listener.serverPort());
        QVERIFY(raw.waitForConnected(5000));
        QTRY_VERIFY(m_listener.descriptors.size() > before);
        SessionSocket server(m_listener.descriptors.constLast(), m_tls);
        QSignalSpy failed(&server, &SessionSocket::handshakeFailed);
        QSignalSpy encrypted(&server, &SessionSocket::encrypted);
        server.startHandshake();
        raw.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(failed.wait(5000));
        QVERIFY(!failed.at(0).at(0).toString().isEmpty());
        QCOMPARE(encrypted.size(), 0);
        QTRY_COMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    }
};

QTEST_GUILESS_MAIN(TestSessionSocket)
#include "tst_sessionsocket.moc"
