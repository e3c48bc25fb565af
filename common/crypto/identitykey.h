#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>

namespace Crypto {

// A long-term Ed25519 identity (OpenSSL EVP_PKEY_ED25519). A client makes one on first start
// and keeps it in its profile; its public key travels in hello and in file offers, and signs
// the transfer handshake so that nobody else (a server, a relay) can complete one in its name.
class IdentityKey
{
public:
    static constexpr qsizetype kPublicKeySize = 32;
    static constexpr qsizetype kSignatureSize = 64;

    IdentityKey();
    ~IdentityKey();
    IdentityKey(IdentityKey &&) noexcept;
    IdentityKey &operator=(IdentityKey &&) noexcept;
    IdentityKey(const IdentityKey &) = delete;
    IdentityKey &operator=(const IdentityKey &) = delete;

    [[nodiscard]] static IdentityKey generate();
    // Reads a PKCS#8 PEM private key; nullopt with *error set when it is missing or not Ed25519.
    [[nodiscard]] static std::optional<IdentityKey> load(const QString &path,
                                                         QString *error = nullptr);
    // Loads the key at path, or makes one and saves it there (mode 0600) when none exists yet.
    [[nodiscard]] static std::optional<IdentityKey> loadOrCreate(const QString &path,
                                                                 QString *error = nullptr);
    // Writes the private key as PKCS#8 PEM, readable by the owner only.
    bool save(const QString &path, QString *error = nullptr) const;

    [[nodiscard]] bool isValid() const { return m_key != nullptr; }
    // The raw 32-byte public key.
    [[nodiscard]] QByteArray publicKey() const;
    [[nodiscard]] QString fingerprint() const { return fingerprintOf(publicKey()); }
    // A 64-byte Ed25519 signature of message.
    [[nodiscard]] QByteArray sign(QByteArrayView message) const;

    [[nodiscard]] static bool verify(QByteArrayView publicKey, QByteArrayView message,
                                     QByteArrayView signature);
    // What people compare: "SHA256:" and the first 16 bytes of SHA-256(public key) as hex in
    // groups of four ("SHA256:1a2b:3c4d:…"), like ssh-keygen's fingerprints. Empty for a key
    // that is not 32 bytes.
    [[nodiscard]] static QString fingerprintOf(QByteArrayView publicKey);

private:
    struct Key;
    std::unique_ptr<Key> m_key;
};

} // namespace Crypto
