#pragma once

#include <client/tlssettings.h>

#include <QList>
#include <QSslError>
#include <QString>

class QSslSocket;

namespace Client {

// The client's side of TLS on one control socket, shared by the real connection and the
// server probes: TLS 1.3, and trust on first use. A server's self-signed certificate is
// accepted when it is new (it is then pinned) or matches the pin; a certificate a public CA
// vouches for (chain and host name) is accepted and pinned afresh.
class ServerTrust
{
public:
    // Plain connect, or TLS 1.3 with the peer verified against the system's CAs.
    static void connectSocket(QSslSocket &socket, const TlsSettings &settings, const QString &host,
                              quint16 port);
    // For sslErrors(): true when the handshake may go on (the tolerated errors are then
    // ignored); false with *failure saying why, naming both fingerprints on a changed pin.
    [[nodiscard]] static bool review(QSslSocket &socket, const TlsSettings &settings,
                                     const QString &hostPort, const QList<QSslError> &errors,
                                     QString *failure);
    // For encrypted(): records the certificate's fingerprint unless the pin check is off.
    static void confirm(const QSslSocket &socket, const TlsSettings &settings,
                        const QString &hostPort);
    // "host:port", "[v6]:port": the key of the known-servers file.
    [[nodiscard]] static QString hostPort(const QString &host, quint16 port);
    // The SHA-256 of the certificate's DER; the channel binding of one TLS session.
    [[nodiscard]] static QByteArray certificateHash(const QSslSocket &socket, bool peer);
};

} // namespace Client
