#include <transfer/wire/addressvalidator.h>

#include <transfer/wire/randombytes.h>
#include <transfer/wire/wirebuffer.h>

#include <crypto/sha256.h>

#include <QRandomGenerator>

#include <cstring>

namespace Transfer {

AddressValidator::AddressValidator()
    : m_epoch(Clock::now())
{
    fillRandom(m_secret);
}

Digest32 AddressValidator::mac(const PeerAddress &peer, std::uint32_t cid, const Nonce &nonce,
                               std::uint64_t stamp) const
{
    // HMAC-SHA256 (RFC 2104) over the peer identity.
    std::array<std::byte, 64> ipad {};
    std::array<std::byte, 64> opad {};
    for (std::size_t i = 0; i < 64; ++i) {
        const std::byte k = i < m_secret.size() ? m_secret[i] : std::byte {0};
        ipad[i] = k ^ std::byte {0x36};
        opad[i] = k ^ std::byte {0x5c};
    }
    std::array<std::byte, 16 + 2 + 4 + 16 + 8> msg {};
    WireWriter w(msg);
    w.bytes(std::span<const std::byte>(reinterpret_cast<const std::byte *>(peer.ip.data()), 16));
    w.u16(peer.port);
    w.u32(cid);
    w.bytes(nonce);
    w.u64(stamp);
    Crypto::Sha256 inner;
    inner.addData(ipad.data(), ipad.size());
    inner.addData(msg.data(), msg.size());
    const auto innerDigest = inner.finish();
    Crypto::Sha256 outer;
    outer.addData(opad.data(), opad.size());
    outer.addData(innerDigest.data(), innerDigest.size());
    return outer.finish();
}

Cookie AddressValidator::make(const PeerAddress &peer, std::uint32_t cid, const Nonce &nonce,
                              TimePoint now) const
{
    const auto stamp = std::uint64_t(
            std::chrono::duration_cast<std::chrono::milliseconds>(now - m_epoch).count());
    Cookie cookie {};
    WireWriter w(cookie);
    w.u64(stamp);
    const Digest32 m = mac(peer, cid, nonce, stamp);
    w.bytes(std::span<const std::byte>(m).first(16));
    return cookie;
}

bool AddressValidator::verify(const Cookie &cookie, const PeerAddress &peer, std::uint32_t cid,
                              const Nonce &nonce, TimePoint now) const
{
    WireReader r(cookie);
    const std::uint64_t stamp = r.u64();
    const auto nowMs = std::uint64_t(
            std::chrono::duration_cast<std::chrono::milliseconds>(now - m_epoch).count());
    if (stamp > nowMs || nowMs - stamp > std::uint64_t(kLifetime.count()) * 1000)
        return false;
    const Digest32 m = mac(peer, cid, nonce, stamp);
    // Constant-time compare: the cookie is attacker-chosen.
    std::byte diff {0};
    for (std::size_t i = 0; i < 16; ++i)
        diff |= m[i] ^ cookie[8 + i];
    return diff == std::byte {0};
}

} // namespace Transfer
