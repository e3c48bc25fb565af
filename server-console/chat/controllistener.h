#pragma once

#include <QHash>
#include <QList>
#include <QTcpServer>

#include <memory>

namespace Server {

class SessionSocket;
class TlsContext;

// The server's TCP port: with TLS, every accepted connection finishes its handshake here
// before anyone reads from it, so sessions only ever see decrypted bytes. A handshake that
// fails (a plain client, garbage) or stalls past the deadline is closed with a log line and
// never takes a client slot. Handshakes in progress are capped in all and per source address,
// so sockets that never start TLS from one address cannot keep everyone else's handshakes out.
// Without TLS (--plain) connections are handed on at once.
class ControlListener : public QTcpServer
{
    Q_OBJECT
public:
    explicit ControlListener(QObject *parent = nullptr);
    ~ControlListener() override;

    // nullptr = plain TCP.
    void setTls(std::shared_ptr<const TlsContext> tls, int handshakeMs, int maxHandshakes,
                int maxHandshakesPerAddress);
    [[nodiscard]] int handshakesInProgress() const { return m_handshakes; }
    // The next ready connection (the caller owns it), or nullptr.
    [[nodiscard]] SessionSocket *takeConnection();

Q_SIGNALS:
    // A connection is ready for takeConnection().
    void connectionReady();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void ready(SessionSocket *socket);
    void handshakeOver(const QString &peer);

    std::shared_ptr<const TlsContext> m_tls;
    QList<SessionSocket *> m_ready;
    int m_handshakeMs = 10'000;
    int m_maxHandshakes = 256;
    int m_maxHandshakesPerAddress = 16;
    int m_handshakes = 0;
    QHash<QString, int> m_handshakesByAddress;
};

} // namespace Server
