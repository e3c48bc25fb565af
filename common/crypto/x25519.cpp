#include <crypto/x25519.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace Crypto {

struct X25519KeyPair::Key
{
    EVP_PKEY *pkey = nullptr;
    explicit Key(EVP_PKEY *k)
        : pkey(k)
    { }
    ~Key() { EVP_PKEY_free(pkey); }
};

X25519KeyPair::X25519KeyPair() = default;
X25519KeyPair::~X25519KeyPair() = default;
X25519KeyPair::X25519KeyPair(X25519KeyPair &&) noexcept = default;
X25519KeyPair &X25519KeyPair::operator=(X25519KeyPair &&) noexcept = default;

X25519KeyPair X25519KeyPair::generate()
{
    X25519KeyPair out;
    EVP_PKEY *pkey = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr);
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &pkey) == 1)
        out.m_key = std::make_unique<Key>(pkey);
    EVP_PKEY_CTX_free(ctx);
    return out;
}

X25519KeyPair X25519KeyPair::fromPrivateKey(QByteArrayView raw)
{
    X25519KeyPair out;
    if (raw.size() != kKeySize)
        return out;
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(
            EVP_PKEY_X25519, nullptr, reinterpret_cast<const unsigned char *>(raw.data()),
            std::size_t(raw.size()));
    if (pkey)
        out.m_key = std::make_unique<Key>(pkey);
    return out;
}

QByteArray X25519KeyPair::publicKey() const
{
    if (!m_key)
        return {};
    QByteArray out(kKeySize, Qt::Uninitialized);
    std::size_t len = std::size_t(out.size());
    if (EVP_PKEY_get_raw_public_key(m_key->pkey, reinterpret_cast<unsigned char *>(out.data()),
                                    &len)
                != 1
        || len != std::size_t(kKeySize))
        return {};
    return out;
}

std::optional<QByteArray> X25519KeyPair::derive(QByteArrayView peerPublicKey) const
{
    if (!m_key || peerPublicKey.size() != kKeySize)
        return std::nullopt;
    EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(
            EVP_PKEY_X25519, nullptr, reinterpret_cast<const unsigned char *>(peerPublicKey.data()),
            std::size_t(peerPublicKey.size()));
    if (!peer)
        return std::nullopt;
    QByteArray secret(kKeySize, Qt::Uninitialized);
    std::size_t len = std::size_t(secret.size());
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(m_key->pkey, nullptr);
    const bool ok = ctx && EVP_PKEY_derive_init(ctx) == 1
            && EVP_PKEY_derive_set_peer(ctx, peer) == 1
            && EVP_PKEY_derive(ctx, reinterpret_cast<unsigned char *>(secret.data()), &len) == 1
            && len == std::size_t(kKeySize);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
    if (!ok)
        return std::nullopt;
    // OpenSSL already fails on an all-zero secret; checked again so it never depends on that.
    static const QByteArray zero(kKeySize, '\0');
    if (CRYPTO_memcmp(secret.constData(), zero.constData(), std::size_t(kKeySize)) == 0)
        return std::nullopt;
    return secret;
}

} // namespace Crypto
