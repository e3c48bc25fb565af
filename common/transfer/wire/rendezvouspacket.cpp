#include <transfer/wire/rendezvouspacket.h>

#include <transfer/wire/wirebuffer.h>

#include <crypto/sha256.h>

#include <algorithm>
#include <cstring>

namespace Transfer {

namespace {

PacketHeader rendezvousHeader(PacketType type)
{
    PacketHeader h;
    h.type = type;
    return h;
}

template<std::size_t N>
std::span<const std::byte> asSpan(const std::array<std::byte, N> &a)
{
    return std::span<const std::byte>(a);
}

// A fixed-size body whose first 16 bytes are an id and the rest zero.
template<std::size_t N>
std::size_t encodeIdBody(std::span<std::byte> out, PacketType type,
                         const std::array<std::byte, 16> &id)
{
    std::array<std::byte, N> body {};
    std::memcpy(body.data(), id.data(), id.size());
    return encodeWithBody(out, rendezvousHeader(type), body);
}

std::optional<std::array<std::byte, 16>> decodeIdBody(std::span<const std::byte> body,
                                                      std::size_t size)
{
    if (body.size() != size)
        return std::nullopt;
    std::array<std::byte, 16> id {};
    std::memcpy(id.data(), body.data(), id.size());
    return id;
}

} // namespace

bool isRendezvousType(PacketType type)
{
    return type == PacketType::BindRequest || type == PacketType::BindResponse
            || type == PacketType::RelayBind || type == PacketType::RelayBound
            || type == PacketType::Punch;
}

std::size_t encodeBindRequest(std::span<std::byte> out, const TransactionId &transaction)
{
    return encodeIdBody<kBindRequestBodySize>(out, PacketType::BindRequest, transaction);
}

std::size_t encodeBindResponse(std::span<std::byte> out, const BindResponse &response)
{
    std::array<std::byte, 16 + 1 + 2 + 16> body {};
    WireWriter w(body);
    w.bytes(asSpan(response.transaction));
    w.u8(response.observed.isV4 ? 4 : 6);
    const auto t = response.transaction;
    w.u16(std::uint16_t(response.observed.port
                        ^ ((std::uint16_t(t[0]) << 8) | std::uint16_t(t[1]))));
    for (std::size_t i = 0; i < 16; ++i)
        w.u8(std::uint8_t(response.observed.ip[i] ^ std::uint8_t(t[i])));
    return encodeWithBody(out, rendezvousHeader(PacketType::BindResponse), body);
}

std::optional<TransactionId> decodeBindRequest(std::span<const std::byte> body)
{
    return decodeIdBody(body, kBindRequestBodySize);
}

std::optional<BindResponse> decodeBindResponse(std::span<const std::byte> body)
{
    if (body.size() != 16 + 1 + 2 + 16)
        return std::nullopt;
    WireReader r(body);
    BindResponse out;
    r.bytes(out.transaction);
    const std::uint8_t family = r.u8();
    const auto &t = out.transaction;
    out.observed.port = std::uint16_t(r.u16() ^ ((std::uint16_t(t[0]) << 8) | std::uint16_t(t[1])));
    for (std::size_t i = 0; i < 16; ++i)
        out.observed.ip[i] = std::uint8_t(r.u8() ^ std::uint8_t(t[i]));
    if (r.failed() || (family != 4 && family != 6) || out.observed.port == 0)
        return std::nullopt;
    out.observed.isV4 = family == 4;
    if (out.observed.isV4) {
        // A v4 address travels v4-mapped; anything else in the prefix is malformed.
        static constexpr std::array<std::uint8_t, 12> prefix {0, 0, 0, 0, 0,    0,
                                                              0, 0, 0, 0, 0xFF, 0xFF};
        if (!std::equal(prefix.begin(), prefix.end(), out.observed.ip.begin()))
            return std::nullopt;
    }
    return out;
}

std::size_t encodeRelayBind(std::span<std::byte> out, const RelayBind &bind)
{
    std::array<std::byte, kRelayBindBodySize> body {};
    WireWriter w(body);
    w.bytes(asSpan(bind.token));
    w.bytes(asSpan(bind.cookie));
    return encodeWithBody(out, rendezvousHeader(PacketType::RelayBind), body);
}

std::optional<RelayBind> decodeRelayBind(std::span<const std::byte> body)
{
    if (body.size() != kRelayBindBodySize)
        return std::nullopt;
    WireReader r(body);
    RelayBind out;
    r.bytes(out.token);
    r.bytes(out.cookie);
    return r.failed() ? std::nullopt : std::optional(out);
}

namespace {
constexpr std::size_t kRelayBoundBodySize = 16 + 1 + sizeof(Cookie);
static_assert(kRelayBoundBodySize < kRelayBindBodySize, "a relay's answer never amplifies");
} // namespace

std::size_t encodeRelayBound(std::span<std::byte> out, const RelayBound &bound)
{
    std::array<std::byte, kRelayBoundBodySize> body {};
    WireWriter w(body);
    w.bytes(asSpan(bound.token));
    w.u8(bound.endpoints);
    if (bound.endpoints == 0)
        w.bytes(asSpan(bound.cookie));
    return encodeWithBody(out, rendezvousHeader(PacketType::RelayBound), body);
}

std::optional<RelayBound> decodeRelayBound(std::span<const std::byte> body)
{
    if (body.size() != kRelayBoundBodySize)
        return std::nullopt;
    WireReader r(body);
    RelayBound out;
    r.bytes(out.token);
    out.endpoints = r.u8();
    r.bytes(out.cookie);
    if (r.failed() || out.endpoints > 2)
        return std::nullopt;
    // Only a challenge carries a cookie; a bound answer's must be zero.
    if (out.endpoints > 0 && out.cookie != Cookie {})
        return std::nullopt;
    return out;
}

std::size_t encodePunch(std::span<std::byte> out, const PunchId &id)
{
    return encodeIdBody<16>(out, PacketType::Punch, id);
}

std::optional<PunchId> decodePunch(std::span<const std::byte> body)
{
    return decodeIdBody(body, 16);
}

PunchId punchIdForToken(std::span<const std::byte> token)
{
    Crypto::Sha256 h;
    static constexpr char label[] = "hopshare-punch";
    h.addData(label, sizeof(label) - 1);
    h.addData(token.data(), token.size());
    const auto digest = h.finish();
    PunchId id {};
    std::memcpy(id.data(), digest.data(), id.size());
    return id;
}

} // namespace Transfer
