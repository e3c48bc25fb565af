#pragma once

#include "relaysession.h"

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
        RelayLimits session;
    };
    struct Opened
    {
        quint16 port = 0;
        QByteArray token; // 16 bytes
    };

    UdpRelay(const QHostAddress &bindAddress, Config config, QObject *parent = nullptr);

    // A new session owned by `clientId`, or nullopt with *why set when a limit refuses it.
    std::optional<Opened> open(const QString &clientId, QString *why);
    [[nodiscard]] int sessionCount() const { return int(m_sessions.size()); }
    [[nodiscard]] int sessionCount(const QString &clientId) const;
    [[nodiscard]] RelaySession *session(quint16 port) const;
    void closeAll();

private:
    QHostAddress m_bindAddress;
    Config m_config;
    QHash<quint16, RelaySession *> m_sessions; // by port
};

} // namespace Server
