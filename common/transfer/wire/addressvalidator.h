#pragma once
// Stateless address-validation cookies (RFC 9000 Retry / SYN-cookie idea): the uploader
// answers a first HELLO with a CHALLENGE carrying timestamp || HMAC-SHA256(secret, peer
// address, port, client CID, nonce, timestamp)[0..16). Only a HELLO echoing a fresh, matching
// cookie proves the address receives, and only then is connection state allocated.
#include <transfer/io/transferclock.h>
#include <transfer/wire/packet.h>
#include <transfer/wire/peeraddress.h>

namespace Transfer {

class AddressValidator
{
public:
    static constexpr std::chrono::seconds kLifetime {10};

    AddressValidator(); // random secret
    [[nodiscard]] Cookie make(const PeerAddress &peer, std::uint32_t cid, const Nonce &nonce,
                              TimePoint now) const;
    [[nodiscard]] bool verify(const Cookie &cookie, const PeerAddress &peer, std::uint32_t cid,
                              const Nonce &nonce, TimePoint now) const;

private:
    [[nodiscard]] Digest32 mac(const PeerAddress &peer, std::uint32_t cid, const Nonce &nonce,
                               std::uint64_t stamp) const;
    std::array<std::byte, 32> m_secret {};
    TimePoint m_epoch;
};

} // namespace Transfer
