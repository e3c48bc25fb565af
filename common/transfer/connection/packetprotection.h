#pragma once
// AEAD protection of one connection's datagrams after the handshake (docs/TRANSFER.md
// "Encryption"): the 16-byte header is the associated data, the body is encrypted in place and
// a 16-byte tag replaces the CRC32C; the nonce is the direction's static IV XOR the 64-bit
// packet number. One sealing and one opening context, made once per connection.
#include <transfer/connection/handshakecrypto.h>
#include <transfer/wire/packet.h>
#include <transfer/wire/packetnumber.h>

#include <crypto/aead.h>

#include <optional>
#include <span>

namespace Transfer {

class PacketProtection
{
public:
    // False when a key or IV is unusable.
    bool init(Crypto::AeadAlgorithm algorithm, const TrafficSecret &send,
              const TrafficSecret &receive);

    // Turns the plain datagram of `plainSize` bytes at the start of `buffer` (header | body |
    // CRC32C, as the encoders wrote it) into a sealed one; returns its size (plainSize + 12), or
    // 0 when `buffer` is too small or sealing failed. `nextPn` is the connection's next packet
    // number, from which the header's 32-bit number is expanded.
    [[nodiscard]] std::size_t seal(std::span<std::byte> buffer, std::size_t plainSize,
                                   PacketNumber nextPn);
    // Authenticates and decrypts a sealed datagram (decodePacket()'s view of it) into
    // `scratch`; the returned view's body points there. nullopt when the tag does not match:
    // nothing here changes then, so a forged datagram cannot move the packet number window.
    [[nodiscard]] std::optional<PacketView> open(const PacketView &sealed,
                                                 std::span<std::byte> scratch);

private:
    Crypto::AeadContext m_seal;
    Crypto::AeadContext m_open;
    PacketNumber m_largestOpened = 0;
    bool m_openedAny = false;
};

} // namespace Transfer
