#pragma once

#include <QByteArrayView>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace Crypto {

enum class AeadAlgorithm : std::uint8_t { Aes128Gcm = 0, ChaCha20Poly1305 = 1 };

// One direction of an AEAD-protected packet stream (OpenSSL EVP): the cipher and key are set
// once, and each packet only changes the nonce = static IV XOR the 64-bit packet number (left
// padded, as QUIC, RFC 9001 §5.3). Seal and open work on caller buffers and do not allocate.
// A context is used by one thread at a time.
class AeadContext
{
public:
    static constexpr std::size_t kTagSize = 16;
    static constexpr std::size_t kIvSize = 12;
    enum class Direction : std::uint8_t { Seal, Open };

    AeadContext();
    ~AeadContext();
    AeadContext(AeadContext &&) noexcept;
    AeadContext &operator=(AeadContext &&) noexcept;
    AeadContext(const AeadContext &) = delete;
    AeadContext &operator=(const AeadContext &) = delete;

    [[nodiscard]] static std::size_t keySize(AeadAlgorithm algorithm);
    // False when the key or IV has the wrong size or OpenSSL refuses.
    bool init(AeadAlgorithm algorithm, Direction direction, QByteArrayView key, QByteArrayView iv);
    [[nodiscard]] bool isValid() const { return m_ctx != nullptr; }

    // Encrypts `plaintext` into `ciphertext` (same size; may be the same memory) and writes
    // the tag. False on failure (the output is then garbage).
    bool seal(std::uint64_t packetNumber, std::span<const std::byte> associatedData,
              std::span<const std::byte> plaintext, std::span<std::byte> ciphertext,
              std::span<std::byte, kTagSize> tag);
    // Decrypts and authenticates; false when the tag does not match (the output must then be
    // discarded).
    bool open(std::uint64_t packetNumber, std::span<const std::byte> associatedData,
              std::span<const std::byte> ciphertext, std::span<std::byte> plaintext,
              std::span<const std::byte, kTagSize> tag);

private:
    void nonceFor(std::uint64_t packetNumber, unsigned char *out) const;
    struct Context;
    std::unique_ptr<Context> m_ctx;
};

} // namespace Crypto
