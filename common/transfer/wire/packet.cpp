#include <transfer/wire/packet.h>

#include <transfer/wire/crc32c.h>
#include <transfer/wire/wirebuffer.h>

#include <algorithm>

namespace Transfer {

namespace {

bool knownType(std::uint8_t t)
{
    switch (PacketType(t)) {
    case PacketType::Hello:
    case PacketType::Challenge:
    case PacketType::Accept:
    case PacketType::Refuse:
    case PacketType::Data:
    case PacketType::Ack:
    case PacketType::Ping:
    case PacketType::Refetch:
    case PacketType::AckGbn:
    case PacketType::Close:
    case PacketType::BindRequest:
    case PacketType::BindResponse:
    case PacketType::RelayBind:
    case PacketType::RelayBound:
    case PacketType::Punch:
        return true;
    }
    return false;
}

void writeHeader(WireWriter &w, const PacketHeader &h)
{
    w.bytes(std::span<const std::byte>(&kFirstByte, 1));
    w.u8(std::uint8_t(h.type));
    w.u16(h.flags);
    w.u32(h.destinationCid);
    w.u32(h.packetNumber);
    w.u32(h.timestampUs);
}

// Appends the checksum (a placeholder when the datagram is to be sealed); returns the
// datagram size or 0 on overflow.
std::size_t appendChecksum(std::span<std::byte> out, WireWriter &w, const PacketHeader &h)
{
    if (w.failed())
        return 0;
    const std::size_t n = w.size();
    w.u32(h.toBeSealed ? 0 : crc32c(out.first(n)));
    return w.failed() ? 0 : w.size();
}

template<std::size_t N>
void writeArray(WireWriter &w, const std::array<std::byte, N> &a)
{
    w.bytes(std::span<const std::byte>(a));
}

} // namespace

std::optional<PacketView> decodePacket(std::span<const std::byte> datagram, DecodeError *error)
{
    auto fail = [error](DecodeError e) -> std::optional<PacketView> {
        if (error)
            *error = e;
        return std::nullopt;
    };
    const bool sealed = !datagram.empty() && datagram[0] == kSealedFirstByte;
    const std::size_t trailer = sealed ? kTagSize : kChecksumSize;
    if (datagram.size() < kHeaderSize + trailer
        || datagram.size() > (sealed ? kMaxSealedDatagramSize : kMaxDatagramSize))
        return fail(DecodeError::Truncated);
    if (datagram[0] != kFirstByte && !sealed)
        return fail(DecodeError::Version);
    // A sealed datagram's tag (which covers the header) is checked when it is opened.
    const std::size_t covered = sealed ? datagram.size() : datagram.size() - kChecksumSize;
    if (!sealed) {
        WireReader tail(datagram.subspan(covered));
        if (crc32c(datagram.first(covered)) != tail.u32())
            return fail(DecodeError::Checksum);
    }
    WireReader r(datagram.first(covered));
    r.u8();
    const std::uint8_t type = r.u8();
    if (!knownType(type))
        return fail(DecodeError::Type);
    PacketView view;
    view.header.type = PacketType(type);
    view.header.flags = r.u16();
    view.header.destinationCid = r.u32();
    view.header.packetNumber = r.u32();
    view.header.timestampUs = r.u32();
    view.body = r.rest();
    view.sealed = sealed;
    if (error)
        *error = DecodeError::None;
    return view;
}

std::size_t encodeWithBody(std::span<std::byte> out, const PacketHeader &h,
                           std::span<const std::byte> body)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.bytes(body);
    return appendChecksum(out, w, h);
}

std::size_t encodeHello(std::span<std::byte> out, const PacketHeader &h, const HelloBody &b)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u32(b.sourceCid);
    writeArray(w, b.nonce);
    w.u8(std::uint8_t(b.mode));
    w.u8(b.controller);
    w.u16(b.windowChunks);
    w.u32(b.maxAckDelayUs);
    w.u64(b.rateCap);
    writeArray(w, b.cookie);
    writeArray(w, b.tokenId);
    w.u64(b.fileSize);
    writeArray(w, b.fileSha256);
    const std::uint16_t n = std::min<std::uint16_t>(b.missingCount, kMaxMissingRanges);
    w.u16(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.u32(b.missing[i].first);
        w.u32(b.missing[i].count);
    }
    w.u8(b.aead);
    writeArray(w, b.ephemeralKey);
    writeArray(w, b.identityKey);
    writeArray(w, b.tokenProof);
    writeArray(w, b.signature);
    // Padding to the full datagram size makes the HELLO at least as large as anything an
    // unvalidated address can make us send (anti-amplification).
    if (w.size() + kChecksumSize < kMaxDatagramSize)
        w.zeros(kMaxDatagramSize - kChecksumSize - w.size());
    return appendChecksum(out, w, h);
}

bool decodeHello(std::span<const std::byte> body, HelloBody *out)
{
    WireReader r(body);
    out->sourceCid = r.u32();
    r.bytes(out->nonce);
    const std::uint8_t mode = r.u8();
    out->controller = r.u8();
    out->windowChunks = r.u16();
    out->maxAckDelayUs = r.u32();
    out->rateCap = r.u64();
    r.bytes(out->cookie);
    r.bytes(out->tokenId);
    out->fileSize = r.u64();
    r.bytes(out->fileSha256);
    out->missingCount = r.u16();
    if (r.failed() || mode > 1 || out->missingCount > kMaxMissingRanges || out->sourceCid == 0)
        return false;
    out->mode = ArqMode(mode);
    for (std::size_t i = 0; i < out->missingCount; ++i) {
        out->missing[i].first = r.u32();
        out->missing[i].count = r.u32();
    }
    out->aead = r.u8();
    r.bytes(out->ephemeralKey);
    r.bytes(out->identityKey);
    r.bytes(out->tokenProof);
    r.bytes(out->signature);
    return !r.failed() && out->aead <= 1;
}

std::size_t encodeChallenge(std::span<std::byte> out, const PacketHeader &h, const Cookie &c)
{
    WireWriter w(out);
    writeHeader(w, h);
    writeArray(w, c);
    return appendChecksum(out, w, h);
}

bool decodeChallenge(std::span<const std::byte> body, Cookie *out)
{
    WireReader r(body);
    r.bytes(*out);
    return !r.failed();
}

std::size_t encodeAccept(std::span<std::byte> out, const PacketHeader &h, const AcceptBody &b)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u32(b.sourceCid);
    writeArray(w, b.nonce);
    w.u64(b.fileSize);
    writeArray(w, b.ephemeralKey);
    writeArray(w, b.identityKey);
    writeArray(w, b.signature);
    return appendChecksum(out, w, h);
}

bool decodeAccept(std::span<const std::byte> body, AcceptBody *out)
{
    WireReader r(body);
    out->sourceCid = r.u32();
    r.bytes(out->nonce);
    out->fileSize = r.u64();
    r.bytes(out->ephemeralKey);
    r.bytes(out->identityKey);
    r.bytes(out->signature);
    return !r.failed() && out->sourceCid != 0;
}

std::size_t encodeRefuse(std::span<std::byte> out, const PacketHeader &h, const RefuseBody &b)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u8(std::uint8_t(b.reason));
    w.u32(b.retryAfterMs);
    return appendChecksum(out, w, h);
}

bool decodeRefuse(std::span<const std::byte> body, RefuseBody *out)
{
    WireReader r(body);
    const std::uint8_t reason = r.u8();
    out->retryAfterMs = r.u32();
    if (r.failed() || reason < 1 || reason > 5)
        return false;
    out->reason = RefuseReason(reason);
    return true;
}

std::size_t encodeData(std::span<std::byte> out, const PacketHeader &h, std::uint32_t unit,
                       std::span<const std::byte> payload)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u32(unit);
    w.bytes(payload);
    return appendChecksum(out, w, h);
}

bool decodeData(std::span<const std::byte> body, std::uint32_t *unit,
                std::span<const std::byte> *payload)
{
    WireReader r(body);
    *unit = r.u32();
    *payload = r.failed() ? std::span<const std::byte>() : r.rest();
    return !r.failed();
}

std::size_t encodeAck(std::span<std::byte> out, const PacketHeader &h, const AckBody &b)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u32(b.largest);
    w.u32(b.ackDelayUs);
    w.u32(b.maxChunk);
    const std::uint8_t n = std::min<std::uint8_t>(b.rangeCount, kMaxAckRanges);
    w.u8(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.u32(b.ranges[i].last);
        w.u32(b.ranges[i].count);
    }
    return appendChecksum(out, w, h);
}

bool decodeAck(std::span<const std::byte> body, AckBody *out)
{
    WireReader r(body);
    out->largest = r.u32();
    out->ackDelayUs = r.u32();
    out->maxChunk = r.u32();
    out->rangeCount = r.u8();
    if (r.failed() || out->rangeCount == 0 || out->rangeCount > kMaxAckRanges)
        return false;
    for (std::size_t i = 0; i < out->rangeCount; ++i) {
        out->ranges[i].last = r.u32();
        out->ranges[i].count = r.u32();
        if (out->ranges[i].count == 0)
            return false;
    }
    return !r.failed();
}

std::size_t encodeAckGbn(std::span<std::byte> out, const PacketHeader &h, const AckGbnBody &b)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u32(b.nextUnit);
    w.u32(b.echoTimestampUs);
    w.u32(b.ackDelayUs);
    w.u32(b.maxChunk);
    return appendChecksum(out, w, h);
}

bool decodeAckGbn(std::span<const std::byte> body, AckGbnBody *out)
{
    WireReader r(body);
    out->nextUnit = r.u32();
    out->echoTimestampUs = r.u32();
    out->ackDelayUs = r.u32();
    out->maxChunk = r.u32();
    return !r.failed();
}

std::size_t encodeRefetch(std::span<std::byte> out, const PacketHeader &h, const RefetchBody &b)
{
    WireWriter w(out);
    writeHeader(w, h);
    w.u32(b.chunk);
    w.u8(b.generation);
    return appendChecksum(out, w, h);
}

bool decodeRefetch(std::span<const std::byte> body, RefetchBody *out)
{
    WireReader r(body);
    out->chunk = r.u32();
    out->generation = r.u8();
    return !r.failed() && out->generation > 0;
}

std::size_t encodeEmpty(std::span<std::byte> out, const PacketHeader &h)
{
    WireWriter w(out);
    writeHeader(w, h);
    return appendChecksum(out, w, h);
}

} // namespace Transfer
