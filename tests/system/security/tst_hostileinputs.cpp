// The catalogue of hostile inputs against a live server's control plane. Each
// case sends one attack and checks the server's answer (an error code, a close, or a silent
// drop) and that two bystanders in the room still chat afterwards.
#include <tests/support/hostileserver.h>
#include <tests/support/rawclient.h>

#include <crypto/identitykey.h>
#include <protocol/identityproof.h>
#include <protocol/limits.h>
#include <protocol/linkmessages.h>
#include <server-console/serverconfig.h>

#include <QCborArray>
#include <QElapsedTimer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using namespace Hostile;
using Protocol::ErrorCode;

namespace {

QByteArray framed(const QByteArray &body)
{
    QByteArray prefix(4, Qt::Uninitialized);
    qToBigEndian(quint32(body.size()), prefix.data());
    return prefix + body;
}
QByteArray framed(const QCborMap &map)
{
    return framed(map.toCborValue().toCbor());
}
QByteArray message(const Protocol::Message &m)
{
    return Protocol::encodeMessageFrame(m);
}
// A hello with a valid identity proof, so that only what the row changes is wrong.
QByteArray hello(const QString &nick)
{
    static const auto key = Crypto::IdentityKey::generate();
    return message(Protocol::Hello {nick, Protocol::ProtocolVersion, u"raw"_s, key.publicKey(),
                                    key.sign(Protocol::helloProof({}, nick))});
}

} // namespace

class TestHostileInputs : public QObject
{
    Q_OBJECT
private:
    LiveServer m_live;

    bool prepare(RawClient &eve, int stage, const QHostAddress &from = attacker())
    {
        return m_live.prepare(eve, stage, from);
    }

private Q_SLOTS:
    void init() { m_live.start(); }
    void cleanup() { m_live.stop(); }

    // One frame each; the table is the catalogue's bulk.
    void frames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("stage");
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("closes");
        const auto row = [](const char *name, const QByteArray &bytes, Stage stage, ErrorCode code,
                            bool closes = false) {
            QTest::newRow(name) << bytes << int(stage) << int(code) << closes;
        };
        QByteArray truncatedMap
                = QCborMap {{u"t"_s, u"hello"_s}, {u"nick"_s, u"eve"_s}}.toCborValue().toCbor();
        truncatedMap.chop(3);
        QByteArray overLimit(4, Qt::Uninitialized);
        qToBigEndian(quint32(Protocol::Limits::DefaultMaxFrameBytes + 1), overLimit.data());
        const QByteArray deep = "\xa1\x61x" + QByteArray(5000, '\x81') + QByteArray(1, '\0');
        const QByteArray hugeArray("\xa1\x61x\x9b\x7f\xff\xff\xff\xff\xff\xff\xff", 12);

        // Framing and CBOR.
        row("truncated cbor map", framed(truncatedMap), Fresh, ErrorCode::BadFrame);
        row("length prefix 4 GiB", QByteArray("\xff\xff\xff\xff", 4) + "x", Fresh,
            ErrorCode::FrameTooLarge, true);
        row("length prefix one over the limit", overLimit, Fresh, ErrorCode::FrameTooLarge, true);
        row("zero length", QByteArray(4, '\0'), Fresh, ErrorCode::BadFrame);
        row("invalid cbor", framed(QByteArray("\xff\xfe\xfd", 3)), Fresh, ErrorCode::BadFrame);
        row("cbor array, not a map", framed(QCborArray {1, 2}.toCborValue().toCbor()), Fresh,
            ErrorCode::BadFrame);
        row("cbor text, not a map", framed(QCborValue(u"hello"_s).toCbor()), Fresh,
            ErrorCode::BadFrame);
        row("bytes after the map",
            framed(QCborMap {{u"t"_s, u"ping"_s}}.toCborValue().toCbor() + QByteArray(1, '\0')),
            Fresh, ErrorCode::BadFrame);
        row("array declaring 2^63 items", framed(hugeArray), Fresh, ErrorCode::BadFrame);
        row("5000 nested arrays", framed(deep), Fresh, ErrorCode::BadFrame);
        row("truncated frame, then silence", QByteArray("\0\0\0\x40\xa1", 5), Fresh,
            ErrorCode::HelloTimeout, true);
        // Fields and types.
        row("map without t", framed(QCborMap {{u"nick"_s, u"eve"_s}}), Fresh, ErrorCode::BadField);
        row("t not text", framed(QCborMap {{u"t"_s, 5}}), Fresh, ErrorCode::BadField);
        row("unknown type", framed(QCborMap {{u"t"_s, u"frobnicate"_s}}), Welcomed,
            ErrorCode::UnknownType);
        row("hello nick not text",
            framed(QCborMap {{u"t"_s, u"hello"_s}, {u"nick"_s, 5}, {u"v"_s, 1}}), Fresh,
            ErrorCode::BadField);
        row("hello version as text",
            framed(QCborMap {{u"t"_s, u"hello"_s}, {u"nick"_s, u"eve"_s}, {u"v"_s, u"1"_s}}), Fresh,
            ErrorCode::BadField);
        row("hello showip as text",
            framed(QCborMap {{u"t"_s, u"hello"_s},
                             {u"nick"_s, u"eve"_s},
                             {u"v"_s, 1},
                             {u"showip"_s, u"yes"_s}}),
            Fresh, ErrorCode::BadField);
        row("hello showip as integer",
            framed(QCborMap {
                    {u"t"_s, u"hello"_s}, {u"nick"_s, u"eve"_s}, {u"v"_s, 1}, {u"showip"_s, 1}}),
            Fresh, ErrorCode::BadField);
        row("join key not text",
            framed(QCborMap {{u"t"_s, u"join"_s}, {u"room"_s, u"vault"_s}, {u"key"_s, 5}}),
            Welcomed, ErrorCode::BadField);
        row("join key as bytes",
            framed(QCborMap {
                    {u"t"_s, u"join"_s}, {u"room"_s, u"vault"_s}, {u"key"_s, QByteArray("pw")}}),
            Welcomed, ErrorCode::BadField);
        row("join key of 65 characters",
            message(Protocol::Join {u"vault"_s,
                                    QString(Protocol::Limits::MaxRoomKeyLength + 1, u'k')}),
            Welcomed, ErrorCode::BadField);
        row("ping id negative", framed(QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, -1}}), Welcomed,
            ErrorCode::BadField);
        row("join before hello", message(Protocol::Join {kRoom}), Fresh, ErrorCode::WrongState);
        row("second hello", hello(u"eve2"_s), Welcomed, ErrorCode::WrongState);
        // What only servers send.
        row("server-only welcome", message(Protocol::Welcome {u"alpha"_s, u"alpha/9"_s, {}, 1}),
            Welcomed, ErrorCode::UnknownType);
        row("server-only msg",
            message(Protocol::ChatMessage {
                    kRoom,
                    {u"alpha/1"_s, u"alice"_s, {}, u"alpha"_s, QByteArray(32, 'k')},
                    {},
                    u"forged"_s,
                    1}),
            InRoom, ErrorCode::UnknownType);
        row("server-only udp-relay-opened",
            message(Protocol::UdpRelayOpened {1, 4000, QByteArray(16, 'x')}), Welcomed,
            ErrorCode::UnknownType);
        row("link route on the client port", framed(QCborMap {{u"t"_s, u"route"_s}}), Welcomed,
            ErrorCode::UnknownType);
        row("link lsa on the client port", framed(QCborMap {{u"t"_s, u"lsa"_s}}), Welcomed,
            ErrorCode::UnknownType);
        // Sizes.
        // The decoder bounds the characters, the server the UTF-8 bytes.
        row("text over 16 Ki characters",
            message(Protocol::Say {kRoom, {}, QString(Protocol::Limits::MaxTextBytes + 1, u'x')}),
            InRoom, ErrorCode::BadField);
        row("text over 16 KiB of UTF-8",
            message(Protocol::Say {kRoom, {}, QString(9000, QChar(0xe9))}), InRoom,
            ErrorCode::TextTooLong);
        QStringList many;
        for (int i = 0; i < 33; ++i)
            many.append(u"n%1"_s.arg(i));
        row("33 recipients", message(Protocol::Say {kRoom, many, u"hi"_s}), InRoom,
            ErrorCode::BadField);
        row("relay body over 256 KiB",
            message(Protocol::Relay {
                    kRoom, {}, u"find"_s, QCborMap {{u"x"_s, QByteArray(300 * 1024, 'x')}}}),
            InRoom, ErrorCode::BadField);
        row("relay kind with spaces",
            message(Protocol::Relay {kRoom, {}, u"Find Me"_s, QCborMap {}}), InRoom,
            ErrorCode::BadField);
        // Nicks and rooms.
        const std::pair<const char *, QString> nicks[] = {
                {"nick with escape sequence", u"bob\x1b[31m"_s},
                {"nick with newline", u"bob\n"_s},
                {"nick with bidi override", u"bob\u202e"_s},
                {"nick with zero-width space", u"b\u200bob"_s},
                {"nick of 33 characters", QString(33, u'e')},
                {"nick all", u"all"_s},
                {"nick ALL", u"ALL"_s},
                {"nick msg", u"msg"_s},
                {"nick who", u"who"_s},
                {"nick trust", u"Trust"_s},
                {"nick empty", QString()},
                {"nick an ip address", u"127.0.0.1"_s},
        };
        for (const auto &[name, nick] : nicks)
            row(name, hello(nick), Fresh, ErrorCode::BadNick);
        const std::pair<const char *, QString> rooms[] = {
                {"room with escape sequence", u"lobby\x1b[2J"_s},
                {"room with bidi override", u"lob\u202eby"_s},
                {"room with zero-width space", u"lo\u200bbby"_s},
                {"room of 65 characters", QString(65, u'r')},
                {"room with a slash", u"../lobby"_s},
        };
        for (const auto &[name, room] : rooms)
            row(name, message(Protocol::Join {room}), Welcomed, ErrorCode::BadRoom);
    }
    void frames()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, stage);
        QFETCH(int, code);
        QFETCH(bool, closes);
        RawClient eve;
        QVERIFY(prepare(eve, stage));
        eve.sendRaw(bytes);
        QVERIFY2(eve.waitForError(ErrorCode(code)), "no error with the expected code");
        if (closes) {
            QVERIFY(eve.waitForClose());
        } else {
            // The stream is still in step: the connection goes on working.
            if (stage == Fresh)
                QVERIFY(eve.hello(u"eve"_s));
            eve.send(Protocol::Ping {77, {}});
            QVERIFY(QTest::qWaitFor([&] { return eve.count<Protocol::Pong>() > 0; }, 5000));
        }
        QVERIFY(m_live.bystandersStillChat());
    }

    // Slowloris: a hello trickled a byte at a time never completes; the deadline closes it.
    void slowlorisIsClosedByTheHelloDeadline()
    {
        RawClient eve;
        QVERIFY(eve.connectTo(m_live.port(), attacker()));
        const QByteArray bytes = hello(u"eve"_s);
        QTRY_COMPARE(m_live.server->clientCount(), 3);
        for (int i = 0;
             i < bytes.size() - 1 && eve.socket.state() == QAbstractSocket::ConnectedState; ++i) {
            eve.sendRaw(bytes.mid(i, 1));
            QTest::qWait(100);
        }
        QVERIFY(eve.waitForError(ErrorCode::HelloTimeout));
        QVERIFY(eve.waitForClose());
        QTRY_COMPARE(m_live.server->clientCount(), 2);
        QVERIFY(m_live.bystandersStillChat());
    }

    // A client that never reads while the room floods: the server queues at most the bound for
    // it (or for anyone: the readers' TLS queues are bounded by the same rule), then drops it;
    // the reading bystander gets every message.
    void clientThatNeverReadsIsDropped()
    {
        m_live.stop();
        Server::ServerConfig config = testConfig();
        config.sendQueueBytes = 256 * 1024;
        QString error;
        // A bound below two frames would drop readers on one large frame: refused at start.
        QVERIFY(!config.validate(&error));
        QVERIFY2(error.contains(u"twice the frame limit"_s), qPrintable(error));
        config.maxFrameBytes = 64 * 1024;
        config.messagesPerSecond = 5000; // the flood must be faster than the kernel buffers
        m_live.start(config);
        RawClient eve;
        eve.socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        QVERIFY(prepare(eve, InRoom));
        eve.socket.setReadBufferSize(1); // stops reading: what the server sends piles up
        const QString text(16 * 1024 - 64, u'f');
        qint64 maxQueued = 0;
        int sent = 0;
        for (int round = 0; round < 200 && m_live.server->clientCount() == 3; ++round) {
            for (int i = 0; i < 10; ++i, ++sent)
                m_live.alice->core.say(kRoom, text);
            // The readers keep up (everything runs on this thread, TLS included); only eve's
            // queue grows. Readers that fell behind end the flood; the checks below tell.
            if (!QTest::qWaitFor(
                        [&] {
                            return m_live.bob->messages.size() >= sent
                                    || m_live.server->clientCount() < 3;
                        },
                        2000))
                break;
            maxQueued = std::max(maxQueued, m_live.server->largestSendQueue());
        }
        QTRY_COMPARE(m_live.server->clientCount(), 2);
        QVERIFY2(maxQueued <= config.sendQueueBytes + 64 * 1024,
                 qPrintable(u"queued %1 bytes"_s.arg(maxQueued)));
        QTRY_COMPARE_WITH_TIMEOUT(m_live.bob->messages.size(), sent, 10000);
        QVERIFY(m_live.bystandersStillChat());
        bool eveLeft = false;
        for (const auto &l : m_live.bob->leaves)
            eveLeft |= l.nick == u"eve"_s && l.reason == u"dropped"_s;
        QVERIFY(eveLeft);
    }

    // One address may hold a few connections; the rest are refused until slots free up.
    void connectionFloodFromOneAddressIsCapped()
    {
        m_live.stop();
        Server::ServerConfig config = testConfig();
        config.maxConnectionsPerAddress = 4;
        m_live.start(config);
        std::vector<std::unique_ptr<RawClient>> flood;
        for (int i = 0; i < 6; ++i) {
            flood.push_back(std::make_unique<RawClient>());
            QVERIFY(flood.back()->connectTo(m_live.port(), attacker(3)));
        }
        for (int i = 4; i < 6; ++i) {
            QVERIFY(flood[std::size_t(i)]->waitForError(ErrorCode::TooManyConnections));
            QVERIFY(flood[std::size_t(i)]->waitForClose());
        }
        QTRY_COMPARE(m_live.server->clientCount(), 2 + 4);
        TestClient carol(u"carol"_s, attacker(4)); // another address is not affected
        QVERIFY(carol.connectTo(m_live.port()));
        // None of the four says hello: the deadline frees their slots for the next ones.
        for (int i = 0; i < 4; ++i)
            QVERIFY(flood[std::size_t(i)]->waitForError(ErrorCode::HelloTimeout));
        RawClient again;
        QVERIFY(again.connectTo(m_live.port(), attacker(3)));
        QVERIFY(again.hello(u"dave"_s));
        QVERIFY(m_live.bystandersStillChat());
    }

    // Sockets that never start TLS hold only their own address's share of the handshakes in
    // progress: past the per-address cap they are closed at once, and others still get in.
    void idleSocketsBeforeTlsAreCappedPerAddress()
    {
        m_live.stop();
        Server::ServerConfig config = testConfig();
        config.maxConnectionsPerAddress = 4;
        m_live.start(config);
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 6; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            QVERIFY(s->bind(attacker(5), 0));
            s->connectToHost(QHostAddress::LocalHost, m_live.port());
            QVERIFY(s->waitForConnected(5000));
            idle.push_back(std::move(s));
        }
        // The handshake deadline is 10 s: only the cap closes the last two this soon.
        for (int i = 4; i < 6; ++i) {
            QTcpSocket &s = *idle[std::size_t(i)];
            QTRY_VERIFY_WITH_TIMEOUT(s.state() == QAbstractSocket::UnconnectedState, 3000);
        }
        for (int i = 0; i < 4; ++i)
            QCOMPARE(idle[std::size_t(i)]->state(), QAbstractSocket::ConnectedState);
        TestClient carol(u"carol"_s, attacker(6));
        QVERIFY(carol.connectTo(m_live.port()));
        QVERIFY(m_live.bystandersStillChat());
    }

    // Connections from one address share one token bucket: more connections, no more rate.
    void connectionsFromOneAddressShareTheRate()
    {
        const Server::ServerConfig config = testConfig();
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<RawClient>());
            QVERIFY(prepare(*clients.back(), Welcomed, attacker(5)));
        }
        QElapsedTimer elapsed;
        elapsed.start();
        for (int round = 0; round < 60; ++round) {
            for (auto &c : clients)
                c->send(Protocol::Ping {quint32(round), {}});
        }
        QTest::qWait(300);
        int pongs = 0;
        for (auto &c : clients)
            pongs += c->count<Protocol::Pong>();
        // Alone, each connection would get its whole burst: 5 x 60 = 300 pongs.
        const double allowed
                = config.addressBurst() + config.addressRate() * elapsed.elapsed() / 1000.0;
        QVERIFY2(pongs <= allowed + 5,
                 qPrintable(u"%1 pongs, at most %2"_s.arg(pongs).arg(allowed)));
        QVERIFY(pongs >= 60); // the first connection's burst at least
        QVERIFY(clients.front()->countErrors(ErrorCode::RateLimited)
                        + clients.back()->countErrors(ErrorCode::RateLimited)
                > 0);
        QVERIFY(m_live.bystandersStillChat());
    }

    // @ip, @nick and @id of someone who is not in the room reach nobody.
    void targetsOutsideTheRoomAreRefused_data()
    {
        QTest::addColumn<QString>("target");
        QTest::newRow("@ip outside the room") << u"@127.0.0.6"_s;
        QTest::newRow("@nick in another room") << u"@eve"_s;
        QTest::newRow("@id in another room") << u"@alpha/3"_s;
    }
    void targetsOutsideTheRoomAreRefused()
    {
        QFETCH(QString, target);
        TestClient eve(u"eve"_s, attacker(6));
        // Eve shows her address, so that @ip could match her if the room were not checked.
        eve.core.setShowAddress(true);
        QVERIFY(eve.connectTo(m_live.port()));
        QVERIFY(eve.join(u"elsewhere"_s));
        QCOMPARE(eve.core.clientId(), u"alpha/3"_s);
        m_live.alice->core.say(kRoom, u"for eve's eyes"_s, {target});
        QTRY_VERIFY(m_live.alice->hasError(ErrorCode::NoSuchMember));
        QVERIFY(m_live.bystandersStillChat());
        QVERIFY(eve.messages.isEmpty());
        QVERIFY(!m_live.bob->texts().contains(u"for eve's eyes"_s));
    }

    // A server that cannot prove the link secret never becomes a neighbour.
    void unauthenticatedLinkIsClosed_data()
    {
        QTest::addColumn<bool>("forgedAuth");
        QTest::newRow("wrong proof") << true;
        QTest::newRow("routed frame before the proof") << false;
    }
    void unauthenticatedLinkIsClosed()
    {
        QFETCH(bool, forgedAuth);
        RawClient evil;
        QVERIFY(evil.connectTo(m_live.port(), attacker(7)));
        namespace Link = Protocol::Link;
        evil.sendRaw(Link::encodeFrame(Link::Hello {u"evil"_s, 1, QByteArray(32, 'n')}));
        if (forgedAuth)
            evil.sendRaw(Link::encodeFrame(Link::Auth {QByteArray(32, 'm')}));
        else
            evil.sendRaw(framed(QCborMap {{u"t"_s, u"route"_s},
                                          {u"room"_s, kRoom},
                                          {u"msg"_s, QCborMap {{u"t"_s, u"msg"_s}}}}));
        QVERIFY(evil.waitForClose());
        QCOMPARE(m_live.server->federation().servers().size(), 1);
        QVERIFY(m_live.bystandersStillChat());
        QCOMPARE(m_live.bob->messages.size(), 1); // only the bystanders' probe
    }
};

QTEST_MAIN(TestHostileInputs)
#include "tst_hostileinputs.moc"
