#include <server-console/stream/tlscontext.h>

#include <QSslCertificate>
#include <QSslKey>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <csignal>
#include <mutex>

using namespace Qt::StringLiterals;

namespace Server {

namespace {
QString lastOpenSslError()
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return QString::fromLatin1(text);
}

// Clients are pinned or trust on first use and links are checked by pin or by the secret's
// proofs, so a certificate is asked for to be read, never to be verified against a CA.
int acceptAnyCertificate(int, X509_STORE_CTX *)
{
    return 1;
}
} // namespace

TlsContext::TlsContext(ssl_ctx_st *context, QByteArray certificateDer)
    : m_context(context)
    , m_certificateDer(std::move(certificateDer))
{ }

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

std::shared_ptr<const TlsContext> TlsContext::create(const QSslCertificate &certificate,
                                                     const QSslKey &key, QString *error)
{
    // OpenSSL writes to sockets with write(2): a peer that is gone must be an error, not a
    // signal that ends the server.
    static std::once_flag ignorePipe;
    std::call_once(ignorePipe, [] { std::signal(SIGPIPE, SIG_IGN); });

    ERR_clear_error();
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (!context) {
        *error = u"cannot create a TLS context: %1"_s.arg(lastOpenSslError());
        return nullptr;
    }
    const QByteArray certPem = certificate.toPem();
    const QByteArray keyPem = key.toPem();
    BIO *certBio = BIO_new_mem_buf(certPem.constData(), int(certPem.size()));
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    X509 *x509 = certBio ? PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr) : nullptr;
    EVP_PKEY *pkey = keyBio ? PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr) : nullptr;
    const bool ok = x509 && pkey && SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION) == 1
            && SSL_CTX_use_certificate(context, x509) == 1
            && SSL_CTX_use_PrivateKey(context, pkey) == 1
            && SSL_CTX_check_private_key(context) == 1;
    if (!ok)
        *error = u"the server's certificate or key is unusable: %1"_s.arg(lastOpenSslError());
    X509_free(x509);
    EVP_PKEY_free(pkey);
    BIO_free(certBio);
    BIO_free(keyBio);
    if (!ok) {
        SSL_CTX_free(context);
        return nullptr;
    }
    SSL_CTX_set_mode(context,
                     SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE
                             | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, acceptAnyCertificate);
    SSL_CTX_set_num_tickets(context, 0);
    // A peer that closes without close_notify has closed: a session ends the same either way
    // (frames are length-prefixed, so a cut-off one is never taken for whole).
    SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
    return std::shared_ptr<const TlsContext>(new TlsContext(context, certificate.toDer()));
}

} // namespace Server
