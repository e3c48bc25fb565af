#pragma once
// A UDP peer as a trivially copyable value (16 address bytes, IPv4 stored v4-mapped, and a
// port), so the per-datagram path compares and hashes peers without QHostAddress allocations.
#include <QHostAddress>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

struct sockaddr;
struct sockaddr_storage;

namespace Transfer {

struct PeerAddress
{
    std::array<std::uint8_t, 16> ip {};
    std::uint16_t port = 0;
    bool isV4 = true;

    [[nodiscard]] static PeerAddress fromQt(const QHostAddress &address, quint16 port);
    [[nodiscard]] QHostAddress toQt() const;
    // Returns false for families other than AF_INET/AF_INET6.
    [[nodiscard]] static bool fromSockaddr(const sockaddr *sa, PeerAddress *out);
    // Fills `out` for a socket of `family`; returns the sockaddr length.
    [[nodiscard]] unsigned toSockaddr(int family, sockaddr_storage *out) const;
    [[nodiscard]] QString toString() const;
    friend bool operator==(const PeerAddress &, const PeerAddress &) = default;
};

struct PeerAddressHash
{
    std::size_t operator()(const PeerAddress &p) const noexcept;
};

} // namespace Transfer
