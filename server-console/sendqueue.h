#pragma once

#include <QAbstractSocket>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

namespace Server {

// Bytes handed to a socket that the peer has not taken yet, in user space: what a client that
// never reads makes the server hold. A TLS socket keeps a second queue of encrypted bytes; both
// count, so that the bound holds whichever kind of socket the connection is.
[[nodiscard]] inline qint64 unsentBytes(const QAbstractSocket *socket)
{
    if (!socket)
        return 0;
    qint64 bytes = socket->bytesToWrite();
#if QT_CONFIG(ssl)
    if (const auto *tls = qobject_cast<const QSslSocket *>(socket))
        bytes += tls->encryptedBytesToWrite();
#endif
    return bytes;
}

} // namespace Server
