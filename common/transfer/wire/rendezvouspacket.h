#pragma once
// Rendezvous datagrams (docs/NAT.md): binding probes to a server's UDP port, relay binding,
// and punch datagrams between peers. They share the transport's framing (first byte, header,
// CRC32C) so one socket carries them beside transfers; the destination cid is always 0.
// Every request is at least as large as its answer, so none of them amplifies.
#include <transfer/wire/packet.h>
#include <transfer/wire/peeraddress.h>

#include <array>
#include <cstddef>
#include <optional>
#include <span>

namespace Transfer {

using TransactionId = std::array<std::byte, 16>;
using RelayToken = std::array<std::byte, 16>;
using PunchId = std::array<std::byte, 16>;

inline constexpr std::size_t kBindRequestBodySize = 48; // txid + zero padding
inline constexpr std::size_t kRelayBindBodySize = 48; // token + cookie + zero padding

// BIND_RESPONSE body: the transaction id and the address the server saw, XOR-ed with the
// transaction id (as STUN's XOR-MAPPED-ADDRESS, so no middlebox rewrites it).
struct BindResponse
{
    TransactionId transaction {};
    PeerAddress observed;
};

// RELAY_BIND body: the session token and, once the relay challenged this address, the cookie
// it sent (all zero in the first bind).
struct RelayBind
{
    RelayToken token {};
    Cookie cookie {};
};

// RELAY_BOUND body: the session token and how many endpoints are bound (1 or 2), or 0: a
// challenge, whose cookie the address must echo in its next RELAY_BIND to prove that it
// receives what is sent to it (a spoofed source never sees the cookie, so cannot be bound).
struct RelayBound
{
    RelayToken token {};
    std::uint8_t endpoints = 0;
    Cookie cookie {}; // challenges only
};

std::size_t encodeBindRequest(std::span<std::byte> out, const TransactionId &transaction);
std::size_t encodeBindResponse(std::span<std::byte> out, const BindResponse &response);
std::size_t encodeRelayBind(std::span<std::byte> out, const RelayBind &bind);
std::size_t encodeRelayBound(std::span<std::byte> out, const RelayBound &bound);
std::size_t encodePunch(std::span<std::byte> out, const PunchId &id);

// Body decoders: nullopt for a body of the wrong size or content.
[[nodiscard]] std::optional<TransactionId> decodeBindRequest(std::span<const std::byte> body);
[[nodiscard]] std::optional<BindResponse> decodeBindResponse(std::span<const std::byte> body);
[[nodiscard]] std::optional<RelayBind> decodeRelayBind(std::span<const std::byte> body);
[[nodiscard]] std::optional<RelayBound> decodeRelayBound(std::span<const std::byte> body);
[[nodiscard]] std::optional<PunchId> decodePunch(std::span<const std::byte> body);

[[nodiscard]] bool isRendezvousType(PacketType type);
// What a PUNCH carries for a transfer token: a hash of it, so the token itself is not sent to
// addresses that may not be the peer's.
[[nodiscard]] PunchId punchIdForToken(std::span<const std::byte> token);

} // namespace Transfer
