#pragma once

#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>

namespace Server {

// The server's TCP port: with TLS, every accepted socket is a QSslSocket that finishes its
// handshake here before anyone reads from it, so sessions only ever see decrypted bytes. A
// handshake that fails (a plain client, garbage) or stalls past the deadline is closed with a
// log line and never takes a client slot. Handshakes in progress are capped in all and per
// source address, so sockets that never start TLS from one address cannot keep everyone
// else's handshakes out. Without TLS (--plain) sockets are handed on at once.
class ControlListener : public QTcpServer
{
    Q_OBJECT
public:
    explicit ControlListener(QObject *parent = nullptr);

    // nullopt = plain TCP.
    void setTls(std::optional<QSslConfiguration> tls, int handshakeMs, int maxHandshakes,
                int maxHandshakesPerAddress);
    [[nodiscard]] int handshakesInProgress() const { return m_handshakes; }

Q_SIGNALS:
    // A connection is ready for nextPendingConnection() (a QSslSocket, encrypted unless plain).
    void connectionReady();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void handshakeDone(class QSslSocket *socket);
    void handshakeOver(const QString &peer);

    std::optional<QSslConfiguration> m_tls;
    int m_handshakeMs = 10'000;
    int m_maxHandshakes = 256;
    int m_maxHandshakesPerAddress = 16;
    int m_handshakes = 0;
    QHash<QString, int> m_handshakesByAddress;
};

} // namespace Server
