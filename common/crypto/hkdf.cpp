#include <crypto/hkdf.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

namespace Crypto {

namespace {

constexpr qsizetype kSha256Size = 32;

unsigned char *mutableBytes(QByteArrayView v)
{
    // OSSL_PARAM takes non-const pointers for octet strings it only reads.
    return const_cast<unsigned char *>(reinterpret_cast<const unsigned char *>(v.data()));
}

QByteArray runHkdf(int mode, QByteArrayView key, QByteArrayView salt, QByteArrayView info,
                   qsizetype length)
{
    EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
    EVP_KDF_free(kdf);
    if (!ctx)
        return {};
    char digest[] = "SHA256";
    OSSL_PARAM params[5];
    int n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, mutableBytes(key),
                                                    std::size_t(key.size()));
    if (mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY)
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, mutableBytes(salt),
                                                        std::size_t(salt.size()));
    else
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, mutableBytes(info),
                                                        std::size_t(info.size()));
    params[n] = OSSL_PARAM_construct_end();
    QByteArray out(length, Qt::Uninitialized);
    const bool ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char *>(out.data()),
                                   std::size_t(length), params)
            == 1;
    EVP_KDF_CTX_free(ctx);
    return ok ? out : QByteArray();
}

} // namespace

QByteArray hkdfExtract(QByteArrayView salt, QByteArrayView inputKeyMaterial)
{
    // RFC 5869: an absent salt is HashLen zero bytes.
    static const QByteArray zeroSalt(kSha256Size, '\0');
    return runHkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, inputKeyMaterial,
                   salt.isEmpty() ? QByteArrayView(zeroSalt) : salt, {}, kSha256Size);
}

QByteArray hkdfExpand(QByteArrayView pseudoRandomKey, QByteArrayView info, qsizetype length)
{
    if (length < 1 || length > 255 * kSha256Size || pseudoRandomKey.size() < kSha256Size)
        return {};
    return runHkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, pseudoRandomKey, {}, info, length);
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView message)
{
    QByteArray out(kSha256Size, Qt::Uninitialized);
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), int(key.size()),
              reinterpret_cast<const unsigned char *>(message.data()), std::size_t(message.size()),
              reinterpret_cast<unsigned char *>(out.data()), &len)
        || len != unsigned(kSha256Size))
        return {};
    return out;
}

} // namespace Crypto
