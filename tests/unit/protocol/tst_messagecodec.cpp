#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>

#include <QCborArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_METATYPE(Protocol::Message)

namespace {
const MemberInfo kBob {u"alpha/2"_s, u"bob"_s, u"10.0.0.2"_s, u"alpha"_s};
const MemberInfo kAlice {u"beta/7"_s, u"alice"_s, u"::1"_s, u"beta"_s};
} // namespace

// The examples of docs/PROTOCOL.md: every message survives encode -> frame -> decode unchanged.
class TestMessageCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<Message>("message");
        QTest::addColumn<QString>("type");
        QTest::newRow("hello") << Message(Hello {u"bob"_s, 1, u"hopshare/0.1"_s}) << u"hello"_s;
        QTest::newRow("join") << Message(Join {u"lobby"_s}) << u"join"_s;
        QTest::newRow("leave") << Message(Leave {u"lobby"_s}) << u"leave"_s;
        QTest::newRow("say all") << Message(Say {u"lobby"_s, {}, u"hi ✓ all"_s}) << u"say"_s;
        QTest::newRow("say some") << Message(Say {u"lobby"_s, {u"bob"_s, u"10.0.0.3"_s}, u"psst"_s})
                                  << u"say"_s;
        QTest::newRow("ping own") << Message(Ping {42, {}}) << u"ping"_s;
        QTest::newRow("ping remote") << Message(Ping {0xffffffffu, u"beta"_s}) << u"ping"_s;
        QTest::newRow("welcome") << Message(Welcome {u"alpha"_s, u"alpha/2"_s, u"10.0.0.2"_s, 1})
                                 << u"welcome"_s;
        QTest::newRow("joined") << Message(Joined {u"lobby"_s, {kBob, kAlice}}) << u"joined"_s;
        QTest::newRow("joined alone") << Message(Joined {u"lobby"_s, {kBob}}) << u"joined"_s;
        QTest::newRow("left") << Message(Left {u"lobby"_s}) << u"left"_s;
        QTest::newRow("member-joined")
                << Message(MemberJoined {u"lobby"_s, kAlice}) << u"member-joined"_s;
        QTest::newRow("member-left")
                << Message(MemberLeft {u"lobby"_s, kAlice, u"timeout"_s}) << u"member-left"_s;
        QTest::newRow("msg all") << Message(
                ChatMessage {u"lobby"_s, kBob, {}, u"hello"_s, 1795500000000})
                                 << u"msg"_s;
        QTest::newRow("msg private")
                << Message(ChatMessage {u"lobby"_s, kBob, {u"beta/7"_s}, u"x"_s, 1}) << u"msg"_s;
        QTest::newRow("pong") << Message(Pong {9, u"gamma"_s, 1795500000123, 3}) << u"pong"_s;
        QTest::newRow("error") << Message(
                Error {ErrorCode::NickTaken, u"taken"_s, u"join"_s, u"lobby"_s})
                               << u"error"_s;
        QTest::newRow("error bare")
                << Message(Error {ErrorCode::BadFrame, u"bad"_s, {}, {}}) << u"error"_s;
        QTest::newRow("bye") << Message(Bye {u"server is shutting down"_s}) << u"bye"_s;
        const QCborMap body {{u"pattern"_s, u"*.iso"_s}, {u"req"_s, 7}};
        QTest::newRow("relay all")
                << Message(Relay {u"lobby"_s, {}, u"find"_s, body}) << u"relay"_s;
        QTest::newRow("relay one")
                << Message(Relay {u"lobby"_s, {u"alpha/2"_s}, u"offer"_s, body}) << u"relay"_s;
        QTest::newRow("relayed") << Message(
                Relayed {u"lobby"_s, kBob, {u"beta/7"_s}, u"offer"_s, body})
                                 << u"relayed"_s;
        QTest::newRow("servers") << Message(
                Servers {{{u"alpha"_s, u"127.0.0.1:7400"_s, 0}, {u"beta"_s, {}, 2}}})
                                 << u"servers"_s;
        QTest::newRow("udp-relay-open") << Message(UdpRelayOpen {5}) << u"udp-relay-open"_s;
        QTest::newRow("udp-relay-opened")
                << Message(UdpRelayOpened {5, 40123, QByteArray(16, '\x5a')})
                << u"udp-relay-opened"_s;
    }
    void roundTrip()
    {
        QFETCH(Message, message);
        QFETCH(QString, type);
        QCOMPARE(messageTypeName(message), type);
        const QByteArray frame = encodeMessageFrame(message);
        const DecodedFrame decodedFrame = decodeFrame(frame);
        QCOMPARE(decodedFrame.status, FrameStatus::Ok);
        QCOMPARE(decodedFrame.map.value(u"t"_s).toString(), type);
        const MessageDecodeResult decoded = decodeMessage(decodedFrame.map);
        QVERIFY2(decoded.message, qPrintable(decoded.errorText));
        QVERIFY(*decoded.message == message);
    }

    void everyAlternativeIsCovered()
    {
        // Adding a message type without a round-trip row above fails here.
        QCOMPARE(std::variant_size_v<Message>, std::size_t(19));
    }

    void unknownKeysAreIgnored()
    {
        QCborMap map = encodeMessage(Join {u"lobby"_s});
        map[u"future-field"_s] = 12;
        const auto decoded = decodeMessage(map);
        QVERIFY(decoded.message);
        QCOMPARE(std::get<Join>(*decoded.message).room, u"lobby"_s);
    }

    void invalid_data()
    {
        QTest::addColumn<QCborMap>("map");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no type") << QCborMap {{u"room"_s, u"x"_s}} << ErrorCode::BadField
                                 << u"type"_s;
        QTest::newRow("type not text") << QCborMap {{u"t"_s, 5}} << ErrorCode::BadField << u"t"_s;
        QTest::newRow("unknown type")
                << QCborMap {{u"t"_s, u"teleport"_s}} << ErrorCode::UnknownType << u"teleport"_s;
        QTest::newRow("missing field")
                << QCborMap {{u"t"_s, u"join"_s}} << ErrorCode::BadField << u"room"_s;
        QTest::newRow("wrong type") << QCborMap {{u"t"_s, u"join"_s}, {u"room"_s, 17}}
                                    << ErrorCode::BadField << u"room"_s;
        QTest::newRow("int out of range")
                << QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, -1}} << ErrorCode::BadField << u"id"_s;
        QTest::newRow("ping id too big")
                << QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, qint64(1) << 40}} << ErrorCode::BadField
                << u"id"_s;
        QTest::newRow("text too long") << QCborMap {{u"t"_s, u"say"_s},
                                                    {u"room"_s, u"r"_s},
                                                    {u"text"_s, QString(20000, u'x')}}
                                       << ErrorCode::BadField << u"text"_s;
        QTest::newRow("targets not list") << QCborMap {{u"t"_s, u"say"_s},
                                                       {u"room"_s, u"r"_s},
                                                       {u"to"_s, u"bob"_s},
                                                       {u"text"_s, u"x"_s}}
                                          << ErrorCode::BadField << u"to"_s;
        QCborArray many;
        for (int i = 0; i < 33; ++i)
            many.append(u"n%1"_s.arg(i));
        QTest::newRow("too many targets") << QCborMap {{u"t"_s, u"say"_s},
                                                       {u"room"_s, u"r"_s},
                                                       {u"to"_s, many},
                                                       {u"text"_s, u"x"_s}}
                                          << ErrorCode::BadField << u"to"_s;
        QTest::newRow("member not a map")
                << QCborMap {{u"t"_s, u"member-joined"_s}, {u"room"_s, u"r"_s}, {u"member"_s, 1}}
                << ErrorCode::BadField << u"member"_s;
        QTest::newRow("member missing nick")
                << QCborMap {{u"t"_s, u"member-joined"_s},
                             {u"room"_s, u"r"_s},
                             {u"member"_s, QCborMap {{u"id"_s, u"a/1"_s}}}}
                << ErrorCode::BadField << u"nick"_s;
        QTest::newRow("relay bad kind") << QCborMap {{u"t"_s, u"relay"_s},
                                                     {u"room"_s, u"r"_s},
                                                     {u"kind"_s, u"Find Me"_s},
                                                     {u"body"_s, QCborMap {}}}
                                        << ErrorCode::BadField << u"kind"_s;
        QTest::newRow("relay body not map") << QCborMap {{u"t"_s, u"relay"_s},
                                                         {u"room"_s, u"r"_s},
                                                         {u"kind"_s, u"find"_s},
                                                         {u"body"_s, 3}}
                                            << ErrorCode::BadField << u"body"_s;
        QTest::newRow("relay body too big")
                << QCborMap {{u"t"_s, u"relay"_s},
                             {u"room"_s, u"r"_s},
                             {u"kind"_s, u"find"_s},
                             {u"body"_s, QCborMap {{u"x"_s, QByteArray(300 * 1024, 'x')}}}}
                << ErrorCode::BadField << u"body"_s;
        QTest::newRow("relay token short") << QCborMap {{u"t"_s, u"udp-relay-opened"_s},
                                                        {u"id"_s, 1},
                                                        {u"port"_s, 4000},
                                                        {u"token"_s, QByteArray(8, 'x')}}
                                           << ErrorCode::BadField << u"token"_s;
        QTest::newRow("relay port zero") << QCborMap {{u"t"_s, u"udp-relay-opened"_s},
                                                      {u"id"_s, 1},
                                                      {u"port"_s, 0},
                                                      {u"token"_s, QByteArray(16, 'x')}}
                                         << ErrorCode::BadField << u"port"_s;
        QTest::newRow("unknown error code")
                << QCborMap {{u"t"_s, u"error"_s}, {u"code"_s, u"nope"_s}, {u"text"_s, u"x"_s}}
                << ErrorCode::BadField << u"nope"_s;
    }
    void invalid()
    {
        QFETCH(QCborMap, map);
        QFETCH(ErrorCode, code);
        QFETCH(QString, mentions);
        const MessageDecodeResult decoded = decodeMessage(map);
        QVERIFY(!decoded.message);
        QCOMPARE(decoded.error, code);
        QVERIFY2(decoded.errorText.contains(mentions), qPrintable(decoded.errorText));
    }

    void errorCodeNamesRoundTrip()
    {
        for (int i = 0; i <= int(ErrorCode::TooManyConnections); ++i) {
            const auto code = ErrorCode(i);
            const QString name = errorCodeName(code);
            QVERIFY(name != u"unknown");
            QCOMPARE(errorCodeFromName(name), std::optional<ErrorCode>(code));
        }
    }
};

QTEST_GUILESS_MAIN(TestMessageCodec)
#include "tst_messagecodec.moc"
