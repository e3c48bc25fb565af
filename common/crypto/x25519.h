#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <optional>

namespace Crypto {

// An ephemeral X25519 key pair (OpenSSL EVP_PKEY_X25519, RFC 7748) for one transfer handshake:
// made, used for one shared secret, dropped.
class X25519KeyPair
{
public:
    static constexpr qsizetype kKeySize = 32;

    X25519KeyPair();
    ~X25519KeyPair();
    X25519KeyPair(X25519KeyPair &&) noexcept;
    X25519KeyPair &operator=(X25519KeyPair &&) noexcept;
    X25519KeyPair(const X25519KeyPair &) = delete;
    X25519KeyPair &operator=(const X25519KeyPair &) = delete;

    [[nodiscard]] static X25519KeyPair generate();
    // From a raw 32-byte private key (test vectors); invalid when it is not 32 bytes.
    [[nodiscard]] static X25519KeyPair fromPrivateKey(QByteArrayView raw);

    [[nodiscard]] bool isValid() const { return m_key != nullptr; }
    [[nodiscard]] QByteArray publicKey() const;
    // The 32-byte shared secret with the peer's raw public key; nullopt for a malformed key or
    // an all-zero result (a low-order point: RFC 7748 §6.1 says to reject it).
    [[nodiscard]] std::optional<QByteArray> derive(QByteArrayView peerPublicKey) const;

private:
    struct Key;
    std::unique_ptr<Key> m_key;
};

} // namespace Crypto
