#include <transfer/connection/packetprotection.h>

#include <transfer/wire/wirebuffer.h>

namespace Transfer {

bool PacketProtection::init(Crypto::AeadAlgorithm algorithm, const TrafficSecret &send,
                            const TrafficSecret &receive)
{
    using D = Crypto::AeadContext::Direction;
    return m_seal.init(algorithm, D::Seal, send.key, send.iv)
            && m_open.init(algorithm, D::Open, receive.key, receive.iv);
}

std::size_t PacketProtection::seal(std::span<std::byte> buffer, std::size_t plainSize,
                                   PacketNumber nextPn)
{
    if (plainSize < kHeaderSize + kChecksumSize)
        return 0;
    const std::size_t bodySize = plainSize - kHeaderSize - kChecksumSize;
    const std::size_t sealedSize = kHeaderSize + bodySize + kTagSize;
    if (buffer.size() < sealedSize)
        return 0;
    buffer[0] = kSealedFirstByte;
    WireReader r(buffer.subspan(8, 4));
    const PacketNumber pn = expandPacketNumber(nextPn, r.u32());
    const auto header = buffer.first(kHeaderSize);
    const auto body = buffer.subspan(kHeaderSize, bodySize);
    const auto tag = buffer.subspan(kHeaderSize + bodySize).first<kTagSize>();
    return m_seal.seal(pn, header, body, body, tag) ? sealedSize : 0;
}

std::optional<PacketView> PacketProtection::open(const PacketView &sealed,
                                                 std::span<std::byte> scratch)
{
    if (!sealed.sealed || sealed.body.size() < kTagSize)
        return std::nullopt;
    const std::size_t bodySize = sealed.body.size() - kTagSize;
    if (scratch.size() < bodySize)
        return std::nullopt;
    // The header is what precedes the body in the datagram.
    const std::span<const std::byte> header(sealed.body.data() - kHeaderSize, kHeaderSize);
    const PacketNumber expected = m_openedAny ? m_largestOpened + 1 : 0;
    const PacketNumber pn = expandPacketNumber(expected, sealed.header.packetNumber);
    const auto plain = scratch.first(bodySize);
    if (!m_open.open(pn, header, sealed.body.first(bodySize), plain,
                     sealed.body.subspan(bodySize).first<kTagSize>()))
        return std::nullopt;
    if (!m_openedAny || pn > m_largestOpened)
        m_largestOpened = pn;
    m_openedAny = true;
    PacketView out = sealed;
    out.body = plain;
    out.sealed = false;
    return out;
}

} // namespace Transfer
