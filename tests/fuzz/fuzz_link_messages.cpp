// Federation link messages (Protocol::Link::decode): the body of a frame from another server,
// including the client message a "route" carries, which the receiving server decodes too.
// Input: the frame body (CBOR), read through decodeFrame as a session reads it. Invariant: decode
// -> encode -> decode is stable.
#include <tests/fuzz/fuzzsupport.h>

#include <protocol/linkmessages.h>
#include <protocol/messagecodec.h>

#include <QCborValue>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool ok = false;
    const QCborMap map = Fuzz::frameBody(data, size, &ok);
    if (!ok)
        return 0;
    QString error;
    const auto first = Protocol::Link::decode(map, &error);
    if (!first) {
        FUZZ_CHECK(!error.isEmpty());
        return 0;
    }
    const QCborMap encoded = Protocol::Link::encode(*first);
    QString again;
    const auto second = Protocol::Link::decode(encoded, &again);
    FUZZ_CHECK(second.has_value());
    // Compared as encoded bytes: a routed message may hold a NaN, which never equals itself.
    FUZZ_CHECK(Protocol::Link::encode(*second).toCborValue().toCbor()
               == encoded.toCborValue().toCbor());
    if (const auto *routed = std::get_if<Protocol::Link::Routed>(&*first))
        (void)Protocol::decodeMessage(routed->message);
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    using namespace Protocol::Link;
    const QByteArray nonce(32, '\x11');
    const QByteArray mac(32, '\x22');
    const QCborMap say = Protocol::encodeMessage(Protocol::ChatMessage {
            u"#lobby"_s,
            {u"s1/2"_s, u"bob"_s, u"10.0.0.2"_s, u"s1"_s, QByteArray(32, '\x0b')},
            {},
            u"over the link"_s,
            1764763200000});
    const std::vector<Message> messages {
            Hello {u"s1"_s, 0x1234567890abcdefULL, nonce},
            Challenge {u"s2"_s, 42, nonce, mac},
            Auth {mac},
            Accepted {},
            Refused {u"bad secret"_s},
            Heartbeat {},
            State {u"s1"_s,
                   7,
                   19,
                   u"127.0.0.1:7000"_s,
                   {u"s2"_s, u"s3"_s},
                   {{u"s1/2"_s,
                     u"bob"_s,
                     u"10.0.0.2"_s,
                     {u"#lobby"_s, u"#files"_s},
                     QByteArray(32, '\x0b')}},
                   {{u"s1/3"_s, u"#lobby"_s, u"quit"_s}}},
            State {u"s2"_s,
                   3,
                   4,
                   {},
                   {u"s1"_s},
                   {{u"s2/1"_s, u"eve"_s, {}, {u"#vault"_s}, QByteArray(32, '\x0e')}},
                   {},
                   {{u"#vault"_s, QByteArray(16, '\x33'), QByteArray(32, '\x44')}}},
            Routed {u"s1"_s, 5, {u"s2"_s, u"s3"_s}, 1, MaxTtl, u"#lobby"_s, {u"s2/7"_s}, say},
    };
    Seeds out;
    for (const Message &m : messages) {
        const QCborMap map = encode(m);
        const QString name = map.value(u"t"_s).toString() + u'-' + QString::number(out.size());
        out.push_back({name, QCborValue(map).toCbor()});
    }
    return out;
}
