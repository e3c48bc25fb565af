// The control messages (Protocol::decodeMessage), both directions: the body of one frame, a
// CBOR map, as a client sends it to a server or a server to a client.
// Input: the frame body (CBOR), read through decodeFrame as a session reads it. Invariant: what
// decodes re-encodes to a map that decodes to the same message, and the decoder names the type it
// rejected when it could read it.
#include <tests/fuzz/fuzzsupport.h>

#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>

#include <QCborValue>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool ok = false;
    const QCborMap map = Fuzz::frameBody(data, size, &ok);
    if (!ok)
        return 0;
    const Protocol::MessageDecodeResult first = Protocol::decodeMessage(map);
    if (!first.message) {
        FUZZ_CHECK(!first.errorText.isEmpty());
        return 0;
    }
    FUZZ_CHECK(first.type == Protocol::messageTypeName(*first.message));
    const QCborMap encoded = Protocol::encodeMessage(*first.message);
    const Protocol::MessageDecodeResult second = Protocol::decodeMessage(encoded);
    FUZZ_CHECK(second.message.has_value());
    // Compared as encoded bytes: a relay body may hold a NaN, which never equals itself.
    const QByteArray bytes = encoded.toCborValue().toCbor();
    FUZZ_CHECK(Protocol::encodeMessage(*second.message).toCborValue().toCbor() == bytes);
    // And through a whole frame, as a socket carries it.
    const QByteArray frame = Protocol::encodeMessageFrame(*first.message);
    const Protocol::DecodedFrame f = Protocol::decodeFrame(frame, quint32(frame.size()));
    FUZZ_CHECK(f.status == Protocol::FrameStatus::Ok && f.map.toCborValue().toCbor() == bytes);
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    using namespace Protocol;
    const MemberInfo bob {u"s1/2"_s, u"bob"_s, u"10.0.0.2"_s, u"s1"_s, QByteArray(32, '\x0b')};
    const MemberInfo eve {u"s2/7"_s, u"eve"_s, u"fd00::7"_s, u"s2"_s, QByteArray(32, '\x0e')};
    const QCborMap findBody {{u"pattern"_s, u"*.iso"_s}, {u"id"_s, 3}};
    const QByteArray token(16, '\x5a');
    const std::vector<Message> messages {
            Hello {u"alice"_s, ProtocolVersion, u"hopshare-cli 0.1.0"_s, QByteArray(32, '\x4b'),
                   QByteArray(64, '\x53')},
            Hello {u"carol"_s, ProtocolVersion, u"hopshare 0.1.0"_s, QByteArray(32, '\x4c'),
                   QByteArray(64, '\x54'), true},
            Join {u"#lobby"_s},
            Join {u"#vault"_s, u"correct horse"_s},
            Leave {u"#lobby"_s},
            Say {u"#lobby"_s, {}, u"hello, room"_s},
            Say {u"#lobby"_s, {u"bob"_s, u"10.0.0.3"_s}, u"just you two"_s},
            Ping {7, u"s2"_s},
            Welcome {u"s1"_s, u"s1/1"_s, u"127.0.0.1:40000"_s, ProtocolVersion},
            Joined {u"#lobby"_s, {bob, eve}},
            Left {u"#lobby"_s},
            MemberJoined {u"#lobby"_s, eve},
            MemberLeft {u"#lobby"_s, eve, u"timeout"_s},
            ChatMessage {u"#lobby"_s, bob, {u"s1/1"_s}, u"psst"_s, 1764763200000},
            Pong {7, u"s2"_s, 1764763200123, 2},
            Error {ErrorCode::BadField, u"say: field 'text' too long"_s, u"say"_s, u"#lobby"_s},
            Bye {u"quit"_s},
            Relay {u"#lobby"_s, {u"eve"_s}, u"find"_s, findBody},
            Relayed {u"#lobby"_s, bob, {}, u"offer"_s, findBody},
            Servers {{{u"s1"_s, u"127.0.0.1:7000"_s, 0}, {u"s2"_s, {}, 1}}},
            UdpRelayOpen {9},
            UdpRelayOpened {9, 7001, token},
            UdpRelayClose {7001},
            MembersJoined {u"#lobby"_s, {eve, bob}},
    };
    Seeds out;
    for (const Message &m : messages) {
        const QString name = messageTypeName(m) + u'-' + QString::number(out.size());
        out.push_back({name, QCborValue(encodeMessage(m)).toCbor()});
    }
    return out;
}
