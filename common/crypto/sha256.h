#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>

namespace Crypto {

// Incremental SHA-256 backed by OpenSSL's EVP interface. It is about ten times faster than
// QCryptographicHash::Sha256 on machines with SHA extensions, which matters for multi-GB files.
class Sha256
{
public:
    using Digest = std::array<std::byte, 32>;

    Sha256();
    ~Sha256();
    Sha256(Sha256 &&) noexcept;
    Sha256 &operator=(Sha256 &&) noexcept;
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(const void *data, std::size_t size);
    void addData(QByteArrayView data) { addData(data.data(), std::size_t(data.size())); }
    // Returns the digest and resets the object for a new message.
    [[nodiscard]] Digest finish();

    [[nodiscard]] static Digest hash(QByteArrayView data);
    [[nodiscard]] static QByteArray toHex(const Digest &digest);
    [[nodiscard]] static std::optional<Digest> fromHex(QByteArrayView hex);
    // Hashes a whole file; nullopt with *error set when it cannot be read.
    [[nodiscard]] static std::optional<Digest> hashFile(const QString &path,
                                                        QString *error = nullptr);

private:
    struct Context;
    std::unique_ptr<Context> m_ctx;
};

} // namespace Crypto
