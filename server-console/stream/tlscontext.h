#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

class QSslCertificate;
class QSslKey;
struct ssl_ctx_st;

namespace Server {

// One OpenSSL server context for every session this server accepts: TLS 1.3 only, the
// server's certificate and key, a client certificate asked for but not required (linking
// servers present theirs; they are checked by pin, not by a CA), no session tickets (clients
// do not resume), and buffers released whenever a session is idle, which is what keeps an idle
// TLS session at a few KiB.
class TlsContext
{
public:
    [[nodiscard]] static std::shared_ptr<const TlsContext>
    create(const QSslCertificate &certificate, const QSslKey &key, QString *error);
    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    [[nodiscard]] ssl_ctx_st *handle() const { return m_context; }
    [[nodiscard]] const QByteArray &certificateDer() const { return m_certificateDer; }

private:
    TlsContext(ssl_ctx_st *context, QByteArray certificateDer);

    ssl_ctx_st *m_context;
    QByteArray m_certificateDer;
};

} // namespace Server
