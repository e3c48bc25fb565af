// The transport's datagrams (common/transfer/packet.h): decodePacket and every per-type body
// decoder, on what arrives at a UDP socket from anyone.
// Input: byte 0 selects how the rest is used. Bit 0 clear: the rest is a datagram as received
// (the checksum must match, or it is sealed: first byte 0xF9 and a tag). Bit 0 set: the rest is
// a datagram without its checksum; the target appends the right CRC32C so the body decoders are
// reached, and with bit 1 also set seals it with a fixed key (PacketProtection), as an encrypted
// connection sends it.
// Invariants: the view lies inside the datagram; for every type, a body that decodes re-encodes
// to a datagram that decodes and re-encodes to the same bytes. A sealed datagram from the
// network does not open under the connection's key (it is forged) and leaves the connection
// able to open the next genuine one; one the target sealed opens to the plain body, and no
// longer opens once any byte of it is flipped.
//
// kBodyCodecs lists one entry per packet type. A type that decodePacket() accepts without an
// entry fails the very first input, so a new type (and its decoder) cannot go unfuzzed: add
// its line below, with its encoder, and a seed in seeds().
#include <tests/fuzz/fuzzsupport.h>

#include <transfer/connection/packetprotection.h>
#include <transfer/wire/crc32c.h>
#include <transfer/wire/packet.h>
#include <transfer/wire/rendezvouspacket.h>
#include <transfer/wire/wirebuffer.h>

#include <array>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Transfer;

namespace {

using Datagram = std::vector<std::byte>;
// Decodes `body` as this type and, if it decodes, re-encodes it under header `h`.
using ReEncode = std::optional<Datagram> (*)(const PacketHeader &h, std::span<const std::byte>);

template<typename Encode>
Datagram encodeWith(Encode &&encode)
{
    Datagram out(kMaxDatagramSize);
    const std::size_t n = encode(std::span<std::byte>(out));
    FUZZ_CHECK(n > 0 && n <= out.size());
    out.resize(n);
    return out;
}

// Rendezvous encoders write their own header (destination cid 0, no number or time).
template<typename Body, std::optional<Body> (*Decode)(std::span<const std::byte>),
         std::size_t (*Encode)(std::span<std::byte>, const Body &)>
std::optional<Datagram> rendezvous(const PacketHeader &, std::span<const std::byte> body)
{
    const std::optional<Body> decoded = Decode(body);
    if (!decoded)
        return std::nullopt;
    return encodeWith([&](std::span<std::byte> out) { return Encode(out, *decoded); });
}

struct BodyCodec
{
    PacketType type;
    ReEncode reEncode;
};

const std::array kBodyCodecs {
        BodyCodec {PacketType::Hello,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       HelloBody b;
                       return decodeHello(body, &b) ? std::optional(
                                      encodeWith([&](auto out) { return encodeHello(out, h, b); }))
                                                    : std::nullopt;
                   }},
        BodyCodec {PacketType::Challenge,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       Cookie c;
                       return decodeChallenge(body, &c) ? std::optional(encodeWith(
                                      [&](auto out) { return encodeChallenge(out, h, c); }))
                                                        : std::nullopt;
                   }},
        BodyCodec {PacketType::Accept,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       AcceptBody b;
                       return decodeAccept(body, &b) ? std::optional(
                                      encodeWith([&](auto out) { return encodeAccept(out, h, b); }))
                                                     : std::nullopt;
                   }},
        BodyCodec {PacketType::Refuse,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       RefuseBody b;
                       return decodeRefuse(body, &b) ? std::optional(
                                      encodeWith([&](auto out) { return encodeRefuse(out, h, b); }))
                                                     : std::nullopt;
                   }},
        BodyCodec {PacketType::Data,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       std::uint32_t unit = 0;
                       std::span<const std::byte> payload;
                       if (!decodeData(body, &unit, &payload))
                           return std::optional<Datagram>();
                       FUZZ_CHECK(payload.data() >= body.data()
                                  && payload.data() + payload.size() <= body.data() + body.size());
                       return std::optional(encodeWith(
                               [&](auto out) { return encodeData(out, h, unit, payload); }));
                   }},
        BodyCodec {PacketType::Ack,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       AckBody b;
                       return decodeAck(body, &b) ? std::optional(
                                      encodeWith([&](auto out) { return encodeAck(out, h, b); }))
                                                  : std::nullopt;
                   }},
        BodyCodec {PacketType::AckGbn,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       AckGbnBody b;
                       return decodeAckGbn(body, &b) ? std::optional(
                                      encodeWith([&](auto out) { return encodeAckGbn(out, h, b); }))
                                                     : std::nullopt;
                   }},
        BodyCodec {PacketType::Refetch,
                   [](const PacketHeader &h, std::span<const std::byte> body) {
                       RefetchBody b;
                       return decodeRefetch(body, &b) ? std::optional(encodeWith(
                                      [&](auto out) { return encodeRefetch(out, h, b); }))
                                                      : std::nullopt;
                   }},
        // PING and CLOSE have no body: whatever follows the header is ignored.
        BodyCodec {PacketType::Ping,
                   [](const PacketHeader &h, std::span<const std::byte>) {
                       return std::optional(
                               encodeWith([&](auto out) { return encodeEmpty(out, h); }));
                   }},
        BodyCodec {PacketType::Close,
                   [](const PacketHeader &h, std::span<const std::byte>) {
                       return std::optional(
                               encodeWith([&](auto out) { return encodeEmpty(out, h); }));
                   }},
        BodyCodec {PacketType::BindRequest,
                   rendezvous<TransactionId, decodeBindRequest, encodeBindRequest>},
        BodyCodec {PacketType::BindResponse,
                   rendezvous<BindResponse, decodeBindResponse, encodeBindResponse>},
        BodyCodec {PacketType::RelayBind, rendezvous<RelayBind, decodeRelayBind, encodeRelayBind>},
        BodyCodec {PacketType::RelayBound,
                   rendezvous<RelayBound, decodeRelayBound, encodeRelayBound>},
        BodyCodec {PacketType::Punch, rendezvous<PunchId, decodePunch, encodePunch>},
};

const BodyCodec *codecFor(PacketType type)
{
    for (const BodyCodec &c : kBodyCodecs)
        if (c.type == type)
            return &c;
    return nullptr;
}

Datagram seal(std::span<const std::byte> withoutChecksum)
{
    Datagram d(withoutChecksum.begin(), withoutChecksum.end());
    d.resize(d.size() + kChecksumSize);
    WireWriter w(std::span<std::byte>(d).subspan(withoutChecksum.size()));
    w.u32(crc32c(withoutChecksum));
    return d;
}

// Every type decodePacket() accepts has an entry in kBodyCodecs.
void checkEveryTypeHasACodec()
{
    for (unsigned t = 0; t < 256; ++t) {
        std::array<std::byte, kHeaderSize> header {};
        header[0] = kFirstByte;
        header[1] = std::byte(t);
        const Datagram d = seal(header);
        if (decodePacket(d) && !codecFor(PacketType(t))) {
            std::fprintf(stderr, "packet type 0x%02x has no entry in kBodyCodecs\n", t);
            FUZZ_CHECK(!"every packet type has a body codec");
        }
    }
}

// Both ends of one encrypted connection, keyed with fixed secrets.
struct Protected
{
    PacketProtection sender;
    PacketProtection receiver;
    Protected()
    {
        const TrafficSecret secret {QByteArray(16, '\x6b'), QByteArray(12, '\x1f')};
        FUZZ_CHECK(sender.init(Crypto::AeadAlgorithm::Aes128Gcm, secret, secret));
        FUZZ_CHECK(receiver.init(Crypto::AeadAlgorithm::Aes128Gcm, secret, secret));
    }
};

// A genuine sealed PING with packet number `pn` opens at `receiver`.
bool opensGenuine(PacketProtection &sender, PacketProtection &receiver, std::uint32_t pn)
{
    std::array<std::byte, kMaxSealedDatagramSize> buffer {};
    const std::size_t plain = encodeEmpty(buffer, PacketHeader {PacketType::Ping, 0, 1, pn, 0});
    const std::size_t n = sender.seal(buffer, plain, pn);
    FUZZ_CHECK(n == plain + kTagSize - kChecksumSize);
    const auto view = decodePacket(std::span<const std::byte>(buffer).first(n));
    FUZZ_CHECK(view && view->sealed);
    std::array<std::byte, kMaxSealedDatagramSize> scratch {};
    return receiver.open(*view, scratch).has_value();
}

// A sealed datagram nobody with the key made: rejected, and the window does not move.
void checkForged(const PacketView &view)
{
    Protected p;
    std::array<std::byte, kMaxSealedDatagramSize> scratch {};
    FUZZ_CHECK(!p.receiver.open(view, scratch).has_value());
    FUZZ_CHECK(opensGenuine(p.sender, p.receiver, 0));
}

// Seals `plain` (a datagram with its CRC32C), checks it opens to the same body and that a
// flipped byte makes it unopenable.
void checkSealed(std::span<const std::byte> plain, std::uint8_t flipAt)
{
    const auto plainView = decodePacket(plain);
    // Input that already starts with 0xF9 is a sealed datagram, not one to seal.
    if (!plainView || plainView->sealed
        || plain.size() + kTagSize - kChecksumSize > kMaxSealedDatagramSize)
        return;
    Protected p;
    std::array<std::byte, kMaxSealedDatagramSize> buffer {};
    std::copy(plain.begin(), plain.end(), buffer.begin());
    const std::size_t n = p.sender.seal(buffer, plain.size(), plainView->header.packetNumber);
    FUZZ_CHECK(n == plain.size() + kTagSize - kChecksumSize);
    const auto sealed = std::span<std::byte>(buffer).first(n);
    const auto view = decodePacket(sealed);
    FUZZ_CHECK(view && view->sealed);
    FUZZ_CHECK(view->body.size() == plainView->body.size() + kTagSize);
    std::array<std::byte, kMaxSealedDatagramSize> scratch {};
    const std::array<std::byte, kMaxSealedDatagramSize> copy = buffer;
    sealed[flipAt % n] ^= std::byte {0x01};
    const auto tampered = decodePacket(sealed);
    if (tampered) // flipping the first byte makes it plain, and its "checksum" fails
        FUZZ_CHECK(!p.receiver.open(*tampered, scratch).has_value());
    std::copy(copy.begin(), copy.end(), buffer.begin());
    const auto opened = p.receiver.open(*view, scratch);
    FUZZ_CHECK(opened.has_value() && !opened->sealed);
    FUZZ_CHECK(std::equal(opened->body.begin(), opened->body.end(), plainView->body.begin(),
                          plainView->body.end()));
}

void checkDatagram(std::span<const std::byte> datagram)
{
    DecodeError error = DecodeError::None;
    const std::optional<PacketView> view = decodePacket(datagram, &error);
    if (!view) {
        FUZZ_CHECK(error != DecodeError::None);
        return;
    }
    FUZZ_CHECK(error == DecodeError::None);
    if (view->sealed) {
        FUZZ_CHECK(datagram[0] == kSealedFirstByte);
        FUZZ_CHECK(view->body.data() == datagram.data() + kHeaderSize);
        FUZZ_CHECK(view->body.size() == datagram.size() - kHeaderSize);
        checkForged(*view);
        return;
    }
    FUZZ_CHECK(view->body.data() == datagram.data() + kHeaderSize);
    FUZZ_CHECK(view->body.size() == datagram.size() - kHeaderSize - kChecksumSize);
    // Every decoder sees every body: none may read outside it, whatever the type says.
    for (const BodyCodec &c : kBodyCodecs) {
        const std::optional<Datagram> first = c.reEncode(view->header, view->body);
        if (!first || c.type != view->header.type)
            continue;
        const std::optional<PacketView> again = decodePacket(*first);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->header.type == view->header.type);
        const std::optional<Datagram> second = c.reEncode(again->header, again->body);
        FUZZ_CHECK(second.has_value() && *second == *first);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool complete = (checkEveryTypeHasACodec(), true);
    (void)complete;
    if (size == 0)
        return 0;
    const auto rest = Fuzz::byteSpan(data + 1, size - 1);
    if ((data[0] & 3) == 3) {
        const Datagram plain = seal(rest);
        checkSealed(plain, std::uint8_t(data[0] >> 2));
    } else if (data[0] & 1) {
        checkDatagram(seal(rest));
    } else {
        checkDatagram(rest);
    }
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    const PacketHeader base {PacketType::Ping, 0, 0x01020304, 77, 123456};
    auto header = [&](PacketType t, std::uint16_t flags = 0) {
        PacketHeader h = base;
        h.type = t;
        h.flags = flags;
        return h;
    };
    HelloBody hello;
    hello.sourceCid = 0x0a0b0c0d;
    hello.nonce.fill(std::byte {0x42});
    hello.windowChunks = 64;
    hello.maxAckDelayUs = 25000;
    hello.rateCap = 12'500'000;
    hello.tokenId.fill(std::byte {0x33});
    hello.fileSize = 5 * kBlockSize + 17;
    hello.fileSha256.fill(std::byte {0x99});
    hello.missingCount = 2;
    hello.missing[0] = {0, 3};
    hello.missing[1] = {7, 1};
    hello.aead = std::uint8_t(Crypto::AeadAlgorithm::ChaCha20Poly1305);
    hello.ephemeralKey.fill(std::byte {0xe1});
    hello.identityKey.fill(std::byte {0xd1});
    hello.tokenProof.fill(std::byte {0x70});
    hello.signature.fill(std::byte {0x51});
    AcceptBody accept {0x0d0c0b0a, hello.nonce, hello.fileSize, {}, {}, {}};
    accept.ephemeralKey.fill(std::byte {0xe2});
    accept.identityKey.fill(std::byte {0xd2});
    accept.signature.fill(std::byte {0x52});
    Cookie cookie;
    cookie.fill(std::byte {0x5c});
    const std::array<std::byte, 40> payload {};
    AckBody ack;
    ack.largest = 90;
    ack.ackDelayUs = 1000;
    ack.maxChunk = 12;
    ack.rangeCount = 3;
    ack.ranges[0] = {90, 5};
    ack.ranges[1] = {80, 10};
    ack.ranges[2] = {60, 1};
    TransactionId txid;
    txid.fill(std::byte {0x7e});
    BindResponse bound {txid, PeerAddress::fromQt(QHostAddress(u"192.0.2.7"_s), 40001)};
    RelayToken token;
    token.fill(std::byte {0x21});

    const std::vector<std::pair<QString, Datagram>> datagrams {
            {u"hello"_s, encodeWith([&](auto o) {
                 return encodeHello(o, header(PacketType::Hello, kHelloFlagRefetch), hello);
             })},
            {u"challenge"_s, encodeWith([&](auto o) {
                 return encodeChallenge(o, header(PacketType::Challenge), cookie);
             })},
            {u"accept"_s, encodeWith([&](auto o) {
                 return encodeAccept(o, header(PacketType::Accept), accept);
             })},
            {u"refuse"_s, encodeWith([&](auto o) {
                 return encodeRefuse(o, header(PacketType::Refuse), {RefuseReason::Busy, 500});
             })},
            {u"refuse-plain"_s, encodeWith([&](auto o) {
                 return encodeRefuse(o, header(PacketType::Refuse), {RefuseReason::Plain, 0});
             })},
            {u"data"_s, encodeWith([&](auto o) {
                 return encodeData(o, header(PacketType::Data, kFlagRetransmit | (1 << 8)), 4,
                                   payload);
             })},
            {u"ack"_s, encodeWith([&](auto o) {
                 return encodeAck(o, header(PacketType::Ack, kAckFlagComplete), ack);
             })},
            {u"ack-gbn"_s, encodeWith([&](auto o) {
                 return encodeAckGbn(o, header(PacketType::AckGbn), {17, 123000, 800, 20});
             })},
            {u"refetch"_s, encodeWith([&](auto o) {
                 return encodeRefetch(o, header(PacketType::Refetch), {3, 1});
             })},
            {u"ping"_s,
             encodeWith([&](auto o) { return encodeEmpty(o, header(PacketType::Ping)); })},
            {u"close"_s,
             encodeWith([&](auto o) { return encodeEmpty(o, header(PacketType::Close)); })},
            {u"bind-request"_s, encodeWith([&](auto o) { return encodeBindRequest(o, txid); })},
            {u"bind-response"_s, encodeWith([&](auto o) { return encodeBindResponse(o, bound); })},
            {u"relay-bind"_s, encodeWith([&](auto o) {
                 return encodeRelayBind(o, {token, {}});
             })},
            {u"relay-bound"_s, encodeWith([&](auto o) {
                 return encodeRelayBound(o, RelayBound {token, 2, {}});
             })},
            {u"punch"_s, encodeWith([&](auto o) {
                 return encodePunch(o, punchIdForToken(std::span<const std::byte>(token)));
             })},
    };
    Seeds out;
    for (const auto &[name, d] : datagrams) {
        const auto bytes = std::span<const std::byte>(d);
        // Sealed form (odd mode byte): the datagram without its checksum.
        out.push_back({name, QByteArray(1, '\1') + toByteArray(bytes.first(d.size() - 4))});
        out.push_back({name + u"-raw"_s, QByteArray(1, '\0') + toByteArray(bytes)});
        // Mode 3: the target seals it; 0xF9 as received: a forged sealed datagram.
        out.push_back({name + u"-sealed"_s,
                       QByteArray(1, '\x23') + toByteArray(bytes.first(d.size() - 4))});
        QByteArray forged = toByteArray(bytes);
        forged[0] = char(kSealedFirstByte);
        out.push_back({name + u"-forged"_s, QByteArray(1, '\0') + forged + QByteArray(12, '\xa5')});
    }
    return out;
}
