#include <crypto/identitykey.h>

#include <crypto/sha256.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace Crypto {

struct IdentityKey::Key
{
    EVP_PKEY *pkey = nullptr;
    explicit Key(EVP_PKEY *k)
        : pkey(k)
    { }
    ~Key() { EVP_PKEY_free(pkey); }
};

IdentityKey::IdentityKey() = default;
IdentityKey::~IdentityKey() = default;
IdentityKey::IdentityKey(IdentityKey &&) noexcept = default;
IdentityKey &IdentityKey::operator=(IdentityKey &&) noexcept = default;

IdentityKey IdentityKey::generate()
{
    IdentityKey out;
    EVP_PKEY *pkey = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    if (ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &pkey) == 1)
        out.m_key = std::make_unique<Key>(pkey);
    EVP_PKEY_CTX_free(ctx);
    return out;
}

std::optional<IdentityKey> IdentityKey::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    const QByteArray pem = file.read(64 * 1024);
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (!pkey || EVP_PKEY_id(pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pkey);
        if (error)
            *error = QStringLiteral("%1 is not an Ed25519 private key").arg(path);
        return std::nullopt;
    }
    IdentityKey out;
    out.m_key = std::make_unique<Key>(pkey);
    return out;
}

std::optional<IdentityKey> IdentityKey::loadOrCreate(const QString &path, QString *error)
{
    if (QFileInfo::exists(path))
        return load(path, error);
    IdentityKey key = generate();
    if (!key.isValid()) {
        if (error)
            *error = QStringLiteral("OpenSSL could not generate an Ed25519 key");
        return std::nullopt;
    }
    if (!key.save(path, error))
        return std::nullopt;
    return key;
}

bool IdentityKey::save(const QString &path, QString *error) const
{
    if (!isValid()) {
        if (error)
            *error = QStringLiteral("no key to save");
        return false;
    }
    BIO *bio = BIO_new(BIO_s_mem());
    QByteArray pem;
    if (bio && PEM_write_bio_PrivateKey(bio, m_key->pkey, nullptr, nullptr, 0, nullptr, nullptr)) {
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        pem = QByteArray(data, qsizetype(size));
    }
    BIO_free(bio);
    if (pem.isEmpty()) {
        if (error)
            *error = QStringLiteral("OpenSSL could not encode the key");
        return false;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Created with mode 0600 (and narrowed first if it exists), so the secret is never
    // readable by others, not even for a moment.
    QFile file(path);
    const QFile::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (file.exists() && !file.setPermissions(ownerOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate, ownerOnly)
        || file.write(pem) != pem.size() || !file.flush()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

QByteArray IdentityKey::publicKey() const
{
    if (!isValid())
        return {};
    QByteArray out(kPublicKeySize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    if (EVP_PKEY_get_raw_public_key(m_key->pkey, reinterpret_cast<unsigned char *>(out.data()),
                                    &len)
                != 1
        || len != size_t(kPublicKeySize))
        return {};
    return out;
}

QByteArray IdentityKey::sign(QByteArrayView message) const
{
    if (!isValid())
        return {};
    QByteArray out(kSignatureSize, Qt::Uninitialized);
    size_t len = size_t(out.size());
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, m_key->pkey) == 1
            && EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(out.data()), &len,
                              reinterpret_cast<const unsigned char *>(message.data()),
                              size_t(message.size()))
                    == 1;
    EVP_MD_CTX_free(ctx);
    return ok && len == size_t(kSignatureSize) ? out : QByteArray();
}

bool IdentityKey::verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (publicKey.size() != kPublicKeySize || signature.size() != kSignatureSize)
        return false;
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(
            EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(publicKey.data()),
            size_t(publicKey.size()));
    if (!pkey)
        return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1
            && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.data()),
                                size_t(signature.size()),
                                reinterpret_cast<const unsigned char *>(message.data()),
                                size_t(message.size()))
                    == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return ok;
}

QString IdentityKey::fingerprintOf(QByteArrayView publicKey)
{
    if (publicKey.size() != kPublicKeySize)
        return {};
    const QByteArray hex = Sha256::toHex(Sha256::hash(publicKey)).left(32);
    QString out = QStringLiteral("SHA256:");
    for (qsizetype i = 0; i < hex.size(); i += 4) {
        if (i)
            out += QLatin1Char(':');
        out += QLatin1StringView(hex.mid(i, 4));
    }
    return out;
}

} // namespace Crypto
