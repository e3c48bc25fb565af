#pragma once

#include <server-console/udp/relaysession.h>

#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <optional>

namespace Server {

// Hands out relay sessions (RelaySession) to clients whose peers cannot reach them directly,
// within the configured limits: sessions per server, sessions per client, and each session's
// byte cap, rate and idle expiry. A session ends when it expires; its slot is then free again.
class UdpRelay : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        int maxSessions = 64; // 0 = relaying off
        int maxSessionsPerClient = 4;
        int maxSessionsPerAddress = 8; // all clients of one IP address together
        quint16 serverPort = 0; // the server's own UDP port: never a relay endpoint
        RelayLimits session;
    };
    struct Opened
    {
        quint16 port = 0;
        QByteArray token; // 16 bytes
    };

    UdpRelay(const QHostAddress &bindAddress, Config config, QObject *parent = nullptr);

    // A new session owned by `clientId`, or nullopt with *why set when a limit refuses it.
    // `clientAddress` is the client's IP address as its control connection shows it.
    std::optional<Opened> open(const QString &clientId, const QString &clientAddress, QString *why);
    [[nodiscard]] int sessionCount() const { return int(m_sessions.size()); }
    [[nodiscard]] int sessionCount(const QString &clientId) const;
    [[nodiscard]] quint64 sessionsOpened() const { return m_opened; } // since start, in all
    [[nodiscard]] RelaySession *session(quint16 port) const;
    // An address and port of this server's own sockets: its UDP port or one of its relay ports.
    [[nodiscard]] bool isOwnAddress(const Transfer::PeerAddress &address) const;
    // Ends the session on `port` if `clientId` opened it (the transfer ended); false otherwise.
    bool close(quint16 port, const QString &clientId);
    void closeAll();

private:
    QHostAddress m_bindAddress;
    Config m_config;
    QHash<quint16, RelaySession *> m_sessions; // by port
    QHash<quint16, QString> m_sessionAddress; // by port: the owner's IP address
    quint64 m_opened = 0;
};

} // namespace Server
