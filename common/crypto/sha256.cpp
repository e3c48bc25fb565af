#include <crypto/sha256.h>

#include <QFile>

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace Crypto {

struct Sha256::Context
{
    EVP_MD_CTX *md = nullptr;
    Context()
        : md(EVP_MD_CTX_new())
    {
        if (!md || EVP_DigestInit_ex(md, EVP_sha256(), nullptr) != 1)
            throw std::runtime_error("OpenSSL SHA-256 unavailable");
    }
    ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256()
    : m_ctx(std::make_unique<Context>())
{ }
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256 &&) noexcept = default;
Sha256 &Sha256::operator=(Sha256 &&) noexcept = default;

void Sha256::addData(const void *data, std::size_t size)
{
    EVP_DigestUpdate(m_ctx->md, data, size);
}

Sha256::Digest Sha256::finish()
{
    Digest out {};
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx->md, reinterpret_cast<unsigned char *>(out.data()), &len);
    EVP_DigestInit_ex(m_ctx->md, EVP_sha256(), nullptr);
    return out;
}

Sha256::Digest Sha256::hash(QByteArrayView data)
{
    Sha256 h;
    h.addData(data);
    return h.finish();
}

QByteArray Sha256::toHex(const Digest &digest)
{
    return QByteArray(reinterpret_cast<const char *>(digest.data()), qsizetype(digest.size()))
            .toHex();
}

std::optional<Sha256::Digest> Sha256::fromHex(QByteArrayView hex)
{
    if (hex.size() != 64)
        return std::nullopt;
    for (char c : hex) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!ok)
            return std::nullopt;
    }
    const QByteArray raw = QByteArray::fromHex(hex.toByteArray());
    Digest out {};
    std::memcpy(out.data(), raw.constData(), out.size());
    return out;
}

std::optional<Sha256::Digest> Sha256::hashFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    Sha256 h;
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0) {
            if (error)
                *error = file.errorString();
            return std::nullopt;
        }
        if (n == 0)
            break;
        h.addData(buffer.constData(), std::size_t(n));
    }
    return h.finish();
}

} // namespace Crypto
