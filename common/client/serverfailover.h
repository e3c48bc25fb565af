#pragma once

#include <client/connectionstatus.h>
#include <client/reconnectbackoff.h>
#include <client/serverselector.h>

#include <QObject>
#include <QStringList>

namespace Client {

class ClientCore;

// Keeps a ClientCore on the closest server it can reach: measures the candidates, connects to
// the nearest, learns the network's other servers from the "servers" message, and when the
// server goes away measures again and reconnects to the next closest with the same nick,
// rejoining the same rooms. With setRetryForever(true) (the desktop client), when no candidate
// answers (one server restarting, or all of them gone) it tries again after a growing wait
// (ReconnectBackoff) for as long as it is not stopped; reconnectNow() skips the wait. Without
// it (the CLI's scripts) a round that reaches no server is the end.
class ServerFailover : public QObject
{
    Q_OBJECT
public:
    explicit ServerFailover(ClientCore *core, QObject *parent = nullptr);

    // Measures `servers` (skipped for a single one) and connects to the closest.
    void start(const QList<ServerCandidate> &servers, const QString &nick);
    // Connects to `ordered` in that order without measuring (they were measured already, or a
    // person picked the first); failing over later measures the others as usual.
    void connectInOrder(const QList<ServerCandidate> &ordered, const QString &nick);
    // Our own goodbye is coming: a disconnection from now on is final.
    void stop();
    // Ends a wait between attempts and tries every candidate now.
    void reconnectNow();
    void setRetryForever(bool retry) { m_retryForever = retry; }
    // The waits between attempts (tests shorten them).
    void setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds longest)
    {
        m_backoff.setDelays(first, longest);
    }
    // True between losing the server and being connected to another one.
    [[nodiscard]] bool isRecovering() const { return m_recovering; }
    [[nodiscard]] QList<ServerCandidate> candidates() const { return m_ranked; }
    [[nodiscard]] ConnectionStatus status() const { return m_status; }

Q_SIGNALS:
    void measured(const QList<Client::ServerCandidate> &ranked);
    void reconnected(const QString &server, const QStringList &rooms);
    // No candidate could be reached in this round; `reason` names the last failure. Another
    // round follows after a wait unless stopped.
    void exhausted(const QString &reason);
    void statusChanged(const Client::ConnectionStatus &status);
    // The server a person picked (connectInOrder) could not be used; `server` was instead.
    void connectedInstead(const QString &picked, const QString &server, const QString &reason);

private:
    void ranked(const QList<ServerCandidate> &ranking);
    void tryNext();
    void onConnected(const QString &server);
    void onStateChanged();
    void learn(const QList<Protocol::ServerInfo> &servers);
    void recover(const QString &reason);
    void scheduleRetry(const QString &reason);
    void retryRound();
    void setStatus(const ConnectionStatus &status);

    ClientCore *m_core;
    ServerSelector m_selector;
    ReconnectBackoff m_backoff;
    QList<ServerCandidate> m_ranked;
    QString m_nick;
    QStringList m_rooms; // to rejoin after a failover
    QString m_currentAddress;
    QString m_lastError;
    QString m_picked; // connectInOrder's first choice, until the first connection
    QString m_lost; // the server just lost: tried again last, after the others were measured
    ConnectionStatus m_status;
    int m_next = 0;
    bool m_recovering = false;
    bool m_stopped = false;
    bool m_retryForever = false;
    bool m_restartPending = false; // connectInOrder() waits for the old connection to end
};

} // namespace Client
