#pragma once

#include "client/serverselector.h"

#include <QObject>
#include <QStringList>

namespace Client {

class ClientCore;

// Keeps a ClientCore on the closest server it can reach: measures the candidates, connects to
// the nearest, learns the network's other servers from the "servers" message, and when the
// server goes away measures again and reconnects to the next closest with the same nick,
// rejoining the same rooms.
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
    void stop() { m_stopped = true; }
    // True between losing the server and being connected to another one.
    [[nodiscard]] bool isRecovering() const { return m_recovering; }
    [[nodiscard]] QList<ServerCandidate> candidates() const { return m_ranked; }

Q_SIGNALS:
    void measured(const QList<Client::ServerCandidate> &ranked);
    void reconnected(const QString &server, const QStringList &rooms);
    // No candidate could be reached.
    void exhausted(const QString &reason);

private:
    void ranked(const QList<ServerCandidate> &ranking);
    void tryNext();
    void onConnected(const QString &server);
    void learn(const QList<Protocol::ServerInfo> &servers);
    void recover();

    ClientCore *m_core;
    ServerSelector m_selector;
    QList<ServerCandidate> m_ranked;
    QString m_nick;
    QStringList m_rooms; // to rejoin after a failover
    QString m_currentAddress;
    QString m_lastError;
    int m_next = 0;
    bool m_recovering = false;
    bool m_stopped = false;
    bool m_restartPending = false; // connectInOrder() waits for the old connection to end
};

} // namespace Client
