#include <protocol/framecodec.h>
#include <protocol/identityproof.h>
#include <protocol/linkmessages.h>
#include <protocol/memberlistcodec.h>
#include <protocol/messagecodec.h>

#include <QCborArray>
#include <QSet>
#include <QTest>

#include <utility>
#include <variant>

using namespace Qt::StringLiterals;
using namespace Protocol;

Q_DECLARE_METATYPE(Protocol::Message)
Q_DECLARE_METATYPE(Protocol::MemberInfo)

namespace {
const QByteArray kBobKey(32, '\x0b');
const QByteArray kAliceKey(32, '\xa1');
const MemberInfo kBob {u"alpha/2"_s, u"bob"_s, u"10.0.0.2"_s, u"alpha"_s, kBobKey};
const MemberInfo kAlice {u"beta/7"_s, u"alice"_s, u"::1"_s, u"beta"_s, kAliceKey};

QCborMap helloWith(const QCborValue &key, const QCborValue &sig)
{
    QCborMap map {{u"t"_s, u"hello"_s}, {u"nick"_s, u"bob"_s}, {u"v"_s, 1}};
    if (!key.isUndefined())
        map[u"key"_s] = key;
    if (!sig.isUndefined())
        map[u"sig"_s] = sig;
    return map;
}

QCborMap memberJoinedWithKey(const QCborValue &key)
{
    QCborMap member {
            {u"id"_s, u"a/1"_s}, {u"nick"_s, u"x"_s}, {u"ip"_s, u"::1"_s}, {u"srv"_s, u"a"_s}};
    if (!key.isUndefined())
        member[u"key"_s] = key;
    return QCborMap {{u"t"_s, u"member-joined"_s}, {u"room"_s, u"r"_s}, {u"member"_s, member}};
}

// The examples of docs/PROTOCOL.md, one row or more per message type: name, message, wire type.
struct RoundTripRow
{
    const char *name;
    Message message;
    QString type;
};

QList<RoundTripRow> roundTripRows()
{
    const QCborMap body {{u"pattern"_s, u"*.iso"_s}, {u"req"_s, 7}};
    return {
            {"hello",
             Message(Hello {u"bob"_s, 1, u"hopshare/0.1"_s, kBobKey, QByteArray(64, '\x51')}),
             u"hello"_s},
            {"hello showing its address",
             Message(Hello {u"bob"_s, 1, u"hopshare/0.1"_s, kBobKey, QByteArray(64, '\x51'), true}),
             u"hello"_s},
            {"hello without identity", Message(Hello {u"bob"_s, 1, u"hopshare/0.1"_s, {}, {}}),
             u"hello"_s},
            {"join", Message(Join {u"lobby"_s}), u"join"_s},
            {"join with key", Message(Join {u"vault"_s, u"s3cret ✓"_s}), u"join"_s},
            {"leave", Message(Leave {u"lobby"_s}), u"leave"_s},
            {"say all", Message(Say {u"lobby"_s, {}, u"hi ✓ all"_s}), u"say"_s},
            {"say some", Message(Say {u"lobby"_s, {u"bob"_s, u"10.0.0.3"_s}, u"psst"_s}), u"say"_s},
            {"ping own", Message(Ping {42, {}}), u"ping"_s},
            {"ping remote", Message(Ping {0xffffffffu, u"beta"_s}), u"ping"_s},
            {"welcome", Message(Welcome {u"alpha"_s, u"alpha/2"_s, u"10.0.0.2"_s, 1}),
             u"welcome"_s},
            {"joined", Message(Joined {u"lobby"_s, {kBob, kAlice}}), u"joined"_s},
            {"joined alone", Message(Joined {u"lobby"_s, {kBob}}), u"joined"_s},
            {"left", Message(Left {u"lobby"_s}), u"left"_s},
            {"member-joined", Message(MemberJoined {u"lobby"_s, kAlice}), u"member-joined"_s},
            {"members-joined", Message(MembersJoined {u"lobby"_s, {kAlice, kBob}}),
             u"members-joined"_s},
            {"member-left", Message(MemberLeft {u"lobby"_s, kAlice, u"timeout"_s}),
             u"member-left"_s},
            {"msg all", Message(ChatMessage {u"lobby"_s, kBob, {}, u"hello"_s, 1795500000000}),
             u"msg"_s},
            {"msg private", Message(ChatMessage {u"lobby"_s, kBob, {u"beta/7"_s}, u"x"_s, 1}),
             u"msg"_s},
            {"pong", Message(Pong {9, u"gamma"_s, 1795500000123, 3}), u"pong"_s},
            {"error", Message(Error {ErrorCode::NickTaken, u"taken"_s, u"join"_s, u"lobby"_s}),
             u"error"_s},
            {"error bare", Message(Error {ErrorCode::BadFrame, u"bad"_s, {}, {}}), u"error"_s},
            {"bye", Message(Bye {u"server is shutting down"_s}), u"bye"_s},
            {"relay all", Message(Relay {u"lobby"_s, {}, u"find"_s, body}), u"relay"_s},
            {"relay one", Message(Relay {u"lobby"_s, {u"alpha/2"_s}, u"offer"_s, body}),
             u"relay"_s},
            {"relayed", Message(Relayed {u"lobby"_s, kBob, {u"beta/7"_s}, u"offer"_s, body}),
             u"relayed"_s},
            {"servers",
             Message(Servers {{{u"alpha"_s, u"127.0.0.1:7400"_s, 0}, {u"beta"_s, {}, 2}}}),
             u"servers"_s},
            {"udp-relay-open", Message(UdpRelayOpen {5}), u"udp-relay-open"_s},
            {"udp-relay-opened", Message(UdpRelayOpened {5, 40123, QByteArray(16, '\x5a')}),
             u"udp-relay-opened"_s},
            {"udp-relay-close", Message(UdpRelayClose {40123}), u"udp-relay-close"_s},
    };
}

// The wire names of the alternatives of Message that no row covers.
template<std::size_t... I>
QStringList uncoveredTypes(const QSet<std::size_t> &covered, std::index_sequence<I...>)
{
    QStringList missing;
    ((covered.contains(I) ? void()
                          : missing.append(messageTypeName(Message(std::in_place_index<I>)))),
     ...);
    return missing;
}
} // namespace

// Every message survives encode -> frame -> decode unchanged.
class TestMessageCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<Message>("message");
        QTest::addColumn<QString>("type");
        for (const RoundTripRow &row : roundTripRows())
            QTest::newRow(row.name) << row.message << row.type;
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

    // `joined` and `members-joined` built from entries encoded once each are byte for byte what
    // the general codec makes of the same members, and decode back to them.
    void joinedFromEncodedEntriesIsTheSameFrame_data()
    {
        QTest::addColumn<QString>("room");
        QTest::addColumn<int>("count");
        QTest::newRow("empty") << u"lobby"_s << 0;
        QTest::newRow("one") << u"lobby"_s << 1;
        QTest::newRow("23 (head in the first byte)") << u"r"_s << 23;
        QTest::newRow("24 (one-byte count)") << u"\u00e9t\u00e9 \u6d4b\u8bd5"_s << 24;
        QTest::newRow("300 (two-byte count)") << QString(40, u'x') << 300;
    }
    void joinedFromEncodedEntriesIsTheSameFrame()
    {
        QFETCH(QString, room);
        QFETCH(int, count);
        QList<MemberInfo> members;
        QByteArray entries;
        for (int i = 0; i < count; ++i) {
            // Every kind of field: non-ASCII nicks, hidden (empty) addresses, IPv6, a server
            // other than the id's (a row of five).
            MemberInfo m {u"srv%1/%2"_s.arg(i % 3).arg(i),
                          i % 5 == 0 ? u"n\u00f6\u00efck%1"_s.arg(i) : u"nick%1"_s.arg(i),
                          i % 2 ? QString() : u"fd00::%1"_s.arg(i),
                          i % 7 == 3 ? u"other"_s : u"srv%1"_s.arg(i % 3), QByteArray(32, char(i))};
            entries += encodeMemberEntry(m);
            members.append(std::move(m));
        }
        const QList<std::pair<QByteArray, Message>> cases {
                {joinedFrameHead(room, entries.size(), count) + entries, Joined {room, members}},
                {membersJoinedFrameHead(room, entries.size(), count) + entries,
                 MembersJoined {room, members}}};
        for (const auto &[built, message] : cases) {
            QCOMPARE(built, encodeMessageFrame(message));
            const DecodedFrame frame = decodeFrame(built);
            QCOMPARE(frame.status, FrameStatus::Ok);
            const MessageDecodeResult decoded = decodeMessage(frame.map);
            QVERIFY2(decoded.message, qPrintable(decoded.errorText));
            QVERIFY(*decoded.message == message);
        }
    }

    // A member is a row; what it can leave out, it does: a hidden address when nothing
    // follows it, and a server that the id names.
    void memberRowsLeaveOutWhatIsImplied_data()
    {
        QTest::addColumn<MemberInfo>("member");
        QTest::addColumn<int>("items");
        const QByteArray key(32, 'k');
        QTest::newRow("hidden address") << MemberInfo {u"a/1"_s, u"n"_s, {}, u"a"_s, key} << 3;
        QTest::newRow("shown address")
                << MemberInfo {u"a/1"_s, u"n"_s, u"10.0.0.1"_s, u"a"_s, key} << 4;
        QTest::newRow("another server, hidden address")
                << MemberInfo {u"a/1"_s, u"n"_s, {}, u"b"_s, key} << 5;
        QTest::newRow("another server")
                << MemberInfo {u"a/1"_s, u"n"_s, u"::1"_s, u"b"_s, key} << 5;
        QTest::newRow("id without a server") << MemberInfo {u"x"_s, u"n"_s, {}, u"a"_s, key} << 5;
    }
    void memberRowsLeaveOutWhatIsImplied()
    {
        QFETCH(MemberInfo, member);
        QFETCH(int, items);
        const Message message = MemberJoined {u"r"_s, member};
        const QCborMap map = encodeMessage(message);
        QVERIFY(map.value(u"member"_s).isArray());
        QCOMPARE(map.value(u"member"_s).toArray().size(), items);
        QCOMPARE(encodeMemberEntry(member), map.value(u"member"_s).toCbor());
        const MessageDecodeResult decoded = decodeMessage(map);
        QVERIFY2(decoded.message, qPrintable(decoded.errorText));
        QVERIFY(*decoded.message == message);
    }

    // Servers of protocol 1 wrote members as maps of named fields; they are still read.
    void protocolOneMemberMapsAreRead()
    {
        const QCborMap v1 {{u"id"_s, u"alpha/2"_s},
                           {u"nick"_s, u"bob"_s},
                           {u"ip"_s, u"10.0.0.2"_s},
                           {u"srv"_s, u"alpha"_s},
                           {u"key"_s, kBobKey}};
        const QCborMap joined {
                {u"t"_s, u"joined"_s},
                {u"room"_s, u"r"_s},
                {u"members"_s,
                 QCborArray {v1, encodeMessage(MemberJoined {u"r"_s, kAlice})[u"member"_s]}}};
        const MessageDecodeResult decoded = decodeMessage(joined);
        QVERIFY2(decoded.message, qPrintable(decoded.errorText));
        QCOMPARE(std::get<Joined>(*decoded.message).members, (QList<MemberInfo> {kBob, kAlice}));
    }

    void everyAlternativeIsCovered()
    {
        // Adding a message type without a round-trip row fails here, naming the type.
        QSet<std::size_t> covered;
        for (const RoundTripRow &row : roundTripRows())
            covered.insert(row.message.index());
        const QStringList missing
                = uncoveredTypes(covered, std::make_index_sequence<std::variant_size_v<Message>>());
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"no round-trip row for: "_s + missing.join(u", "_s)));
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
        QTest::newRow("hello key short") << helloWith(QByteArray(31, 'k'), QByteArray(64, 's'))
                                         << ErrorCode::BadIdentity << u"key"_s;
        QTest::newRow("hello key long") << helloWith(QByteArray(33, 'k'), QByteArray(64, 's'))
                                        << ErrorCode::BadIdentity << u"key"_s;
        QTest::newRow("hello key not bytes")
                << helloWith(u"k"_s, QByteArray(64, 's')) << ErrorCode::BadIdentity << u"key"_s;
        QTest::newRow("hello sig short") << helloWith(QByteArray(32, 'k'), QByteArray(63, 's'))
                                         << ErrorCode::BadIdentity << u"sig"_s;
        QTest::newRow("hello bad nick type before key") << [] {
            QCborMap m = helloWith(QByteArray(3, 'k'), {});
            m[u"nick"_s] = 5;
            return m;
        }() << ErrorCode::BadField << u"nick"_s;
        const auto joinedRow = [](const QCborArray &row) {
            return QCborMap {{u"t"_s, u"member-joined"_s}, {u"room"_s, u"r"_s}, {u"member"_s, row}};
        };
        const QByteArray key(32, 'k');
        QTest::newRow("member row short")
                << joinedRow({u"a/1"_s, u"n"_s}) << ErrorCode::BadField << u"3 to 5"_s;
        QTest::newRow("member row long")
                << joinedRow({u"a/1"_s, u"n"_s, key, u""_s, u"a"_s, u"x"_s}) << ErrorCode::BadField
                << u"3 to 5"_s;
        QTest::newRow("member row nick not text")
                << joinedRow({u"a/1"_s, 7, key}) << ErrorCode::BadField << u"nick"_s;
        QTest::newRow("member row nick too long") << joinedRow({u"a/1"_s, QString(33, u'n'), key})
                                                  << ErrorCode::BadField << u"nick"_s;
        QTest::newRow("member row key short") << joinedRow({u"a/1"_s, u"n"_s, QByteArray(31, 'k')})
                                              << ErrorCode::BadField << u"key"_s;
        QTest::newRow("member row key as text") << joinedRow({u"a/1"_s, u"n"_s, QString(32, u'k')})
                                                << ErrorCode::BadField << u"key"_s;
        QTest::newRow("member row server not text")
                << joinedRow({u"a/1"_s, u"n"_s, key, u""_s, 3}) << ErrorCode::BadField << u"srv"_s;
        QTest::newRow("members hold a number")
                << QCborMap {{u"t"_s, u"joined"_s},
                             {u"room"_s, u"r"_s},
                             {u"members"_s,
                              QCborArray {joinedRow({u"a/1"_s, u"n"_s, key})[u"member"_s], 5}}}
                << ErrorCode::BadField << u"member"_s;
        QTest::newRow("member key missing")
                << memberJoinedWithKey({}) << ErrorCode::BadField << u"key"_s;
        QTest::newRow("member key short")
                << memberJoinedWithKey(QByteArray(16, 'k')) << ErrorCode::BadField << u"key"_s;
        QTest::newRow("member key long")
                << memberJoinedWithKey(QByteArray(64, 'k')) << ErrorCode::BadField << u"key"_s;
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
        for (int i = 0; i <= int(ErrorCode::RoomLocked); ++i) {
            const auto code = ErrorCode(i);
            const QString name = errorCodeName(code);
            QVERIFY(name != u"unknown");
            QCOMPARE(errorCodeFromName(name), std::optional<ErrorCode>(code));
        }
        QCOMPARE(errorCodeName(ErrorCode::BadIdentity), u"bad-identity"_s);
    }

    // The bytes a hello signs: context, binding length, binding, nick; each part changes them.
    void helloProofBindsContextBindingAndNick()
    {
        const QByteArray plain = helloProof({}, u"bob"_s);
        QCOMPARE(plain, QByteArray("hopshare-hello-v1\0\0bob", 22));
        const QByteArray binding(32, '\x42');
        const QByteArray bound = helloProof(binding, u"bob"_s);
        QCOMPARE(bound.size(), 18 + 1 + 32 + 3);
        QCOMPARE(bound.at(18), char(32));
        QVERIFY(bound.endsWith("bob"));
        QVERIFY(bound != plain);
        QVERIFY(helloProof(binding, u"bod"_s) != bound);
        QVERIFY(helloProof(QByteArray(32, '\x43'), u"bob"_s) != bound);
    }

    // Locked rooms' verifiers travel in the link state: salt and MAC of exact sizes, no more.
    void linkStateCarriesRoomLocks()
    {
        Link::State state;
        state.origin = u"alpha"_s;
        state.instance = 7;
        state.seq = 9;
        state.members = {Link::StateMember {u"alpha/1"_s, u"bob"_s, {}, {u"vault"_s}, kBobKey}};
        state.locks = {Link::StateLock {u"vault"_s, QByteArray(16, 's'), QByteArray(32, 'm')}};
        QString error;
        auto decoded = Link::decode(Link::encode(state), &error);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(std::get<Link::State>(*decoded).locks, state.locks);
        // Without locks the field is left out, as before.
        state.locks.clear();
        QVERIFY(!Link::encode(state).contains(u"locks"_s));
        decoded = Link::decode(Link::encode(state), &error);
        QVERIFY(decoded && std::get<Link::State>(*decoded).locks.isEmpty());

        const Link::StateLock wrong[] = {
                {u"vault"_s, QByteArray(15, 's'), QByteArray(32, 'm')},
                {u"vault"_s, QByteArray(16, 's'), QByteArray(33, 'm')},
                {QString(65, u'r'), QByteArray(16, 's'), QByteArray(32, 'm')},
        };
        for (const Link::StateLock &lock : wrong) {
            state.locks = {lock};
            QVERIFY(!Link::decode(Link::encode(state), &error));
            QVERIFY2(error.contains(u"room lock"_s), qPrintable(error));
        }
    }

    void showipMustBeBoolean()
    {
        QCborMap hello {{u"t"_s, u"hello"_s}, {u"nick"_s, u"bob"_s}, {u"v"_s, 1}};
        hello[u"showip"_s] = true;
        auto decoded = decodeMessage(hello);
        QVERIFY(decoded.message);
        QVERIFY(std::get<Hello>(*decoded.message).showAddress);
        hello.remove(u"showip"_s);
        decoded = decodeMessage(hello);
        QVERIFY(decoded.message);
        QVERIFY(!std::get<Hello>(*decoded.message).showAddress);
        hello[u"showip"_s] = u"true"_s;
        decoded = decodeMessage(hello);
        QVERIFY(!decoded.message);
        QCOMPARE(decoded.error, ErrorCode::BadField);
        QVERIFY2(decoded.errorText.contains(u"showip"_s), qPrintable(decoded.errorText));
    }

    // Federation state carries each member's key; the decoder insists on its exact size.
    void linkStateCarriesMemberKeys()
    {
        Link::State state;
        state.origin = u"alpha"_s;
        state.instance = 7;
        state.seq = 9;
        state.neighbours = {u"beta"_s};
        state.members
                = {Link::StateMember {u"alpha/1"_s, u"bob"_s, u"::1"_s, {u"lobby"_s}, kBobKey}};
        QString error;
        const auto decoded = Link::decode(Link::encode(state), &error);
        QVERIFY2(decoded, qPrintable(error));
        const auto &back = std::get<Link::State>(*decoded);
        QCOMPARE(back.members.size(), 1);
        QCOMPARE(back.members.at(0), state.members.at(0));

        for (const QByteArray &wrong : {QByteArray(), QByteArray(31, 'k'), QByteArray(33, 'k')}) {
            state.members[0].key = wrong;
            QCborMap map = Link::encode(state);
            if (wrong.isEmpty()) {
                QCborArray members = map.value(u"members"_s).toArray();
                QCborMap m = members.at(0).toMap();
                m.remove(u"key"_s);
                members[0] = m;
                map[u"members"_s] = members;
            }
            QVERIFY(!Link::decode(map, &error));
            QVERIFY2(error.contains(u"key"_s), qPrintable(error));
        }
    }
};

QTEST_GUILESS_MAIN(TestMessageCodec)
#include "tst_messagecodec.moc"
