#include <crypto/selfsignedcertificate.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace Crypto {

namespace {
struct Free
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(X509 *p) const { X509_free(p); }
    void operator()(BIO *p) const { BIO_free(p); }
    void operator()(X509_EXTENSION *p) const { X509_EXTENSION_free(p); }
};
template<typename T>
using Owned = std::unique_ptr<T, Free>;

bool fail(QString *error, const char *what)
{
    if (error)
        *error = QString::fromLatin1(what);
    return false;
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

Owned<EVP_PKEY> generateP256()
{
    EVP_PKEY *pkey = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
    const bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1
            && EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1
            && EVP_PKEY_keygen(ctx, &pkey) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        EVP_PKEY_free(pkey);
        return nullptr;
    }
    return Owned<EVP_PKEY>(pkey);
}

bool addExtension(X509 *cert, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A random positive 63-bit serial: two certificates of one name never share one.
bool setRandomSerial(X509 *cert)
{
    unsigned char bytes[8];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f;
    quint64 serial = 0;
    for (unsigned char b : bytes)
        serial = (serial << 8) | b;
    return ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial | 1) == 1;
}
} // namespace

std::optional<SelfSignedCertificate::Pem> SelfSignedCertificate::generate(const QString &commonName,
                                                                          QString *error)
{
    Owned<EVP_PKEY> key = generateP256();
    Owned<X509> cert(X509_new());
    if (!key || !cert) {
        fail(error, "OpenSSL could not generate a P-256 key");
        return std::nullopt;
    }
    const QByteArray cn = commonName.toUtf8();
    X509_NAME *name = X509_get_subject_name(cert.get());
    const bool built = X509_set_version(cert.get(), 2) == 1 && setRandomSerial(cert.get())
            && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)
            && X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(kValidityDays) * 86400)
            && X509_set_pubkey(cert.get(), key.get()) == 1
            && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char *>(cn.constData()),
                                          int(cn.size()), -1, 0)
                    == 1
            && X509_set_issuer_name(cert.get(), name) == 1
            && addExtension(cert.get(), NID_subject_alt_name,
                            "DNS:" + cn + (cn == "localhost" ? "" : ",DNS:localhost"))
            && addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(cert.get(), NID_key_usage, "critical,digitalSignature")
            && addExtension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth")
            && X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
    if (!built) {
        fail(error, "OpenSSL could not build the self-signed certificate");
        return std::nullopt;
    }
    Owned<BIO> certBio(BIO_new(BIO_s_mem()));
    Owned<BIO> keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), cert.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                != 1) {
        fail(error, "OpenSSL could not encode the certificate");
        return std::nullopt;
    }
    return Pem {bioBytes(certBio.get()), bioBytes(keyBio.get())};
}

bool SelfSignedCertificate::keyMatches(const QByteArray &certificatePem,
                                       const QByteArray &privateKeyPem, QString *error)
{
    Owned<BIO> certBio(BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    Owned<BIO> keyBio(BIO_new_mem_buf(privateKeyPem.constData(), int(privateKeyPem.size())));
    Owned<X509> cert(certBio ? PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr)
                             : nullptr);
    if (!cert)
        return fail(error, "not a PEM certificate");
    Owned<EVP_PKEY> key(keyBio ? PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr)
                               : nullptr);
    if (!key)
        return fail(error, "not a PEM private key (or it is encrypted)");
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        return fail(error, "the private key does not belong to the certificate");
    return true;
}

} // namespace Crypto
