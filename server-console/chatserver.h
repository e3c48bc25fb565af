#pragma once

#include "roomregistry.h"
#include "serverconfig.h"

#include <protocol/messages.h>

#include <QList>
#include <QObject>
#include <QTcpServer>

#include <optional>

namespace Server {

class ClientSession;

// Hosts rooms on one server: accepts clients, checks every request against the session state,
// keeps rooms isolated, and routes chat messages to the members they are for.
class ChatServer : public QObject
{
    Q_OBJECT
public:
    explicit ChatServer(ServerConfig config, QObject *parent = nullptr);
    ~ChatServer() override;

    // Starts listening; false with *error set if the address cannot be bound.
    bool start(QString *error);
    // Tells every client the server is going away, then closes; emits stopped() when done.
    void shutdown(const QString &reason);

    [[nodiscard]] quint16 port() const { return m_listener.serverPort(); }
    [[nodiscard]] QHostAddress address() const { return m_listener.serverAddress(); }
    [[nodiscard]] const ServerConfig &config() const { return m_config; }
    [[nodiscard]] int clientCount() const { return int(m_sessions.size()); }
    [[nodiscard]] const RoomRegistry &rooms() const { return m_rooms; }

Q_SIGNALS:
    void stopped();

private:
    void acceptClients();
    void finishShutdown();
    void dispatch(Server::ClientSession *session, const Protocol::Message &message);
    void sessionClosed(Server::ClientSession *session, const QString &reason);
    void leaveRoom(ClientSession *session, const QString &room, const QString &reason);
    bool requireReady(ClientSession *session, const QString &ref);
    bool requireMember(ClientSession *session, const QString &room, const QString &ref);

    struct Recipients
    {
        QList<ClientSession *> sessions;
        QStringList ids; // empty when addressed to the whole room
        bool toAll = false;
    };
    // Resolves @all/@nick/@ip/@id targets within the room; on an unknown target the sender is
    // told and nothing is sent.
    std::optional<Recipients> resolveRecipients(ClientSession *session, const QString &room,
                                                const QStringList &targets, const QString &ref);

    void handle(ClientSession *session, const Protocol::Hello &m);
    void handle(ClientSession *session, const Protocol::Join &m);
    void handle(ClientSession *session, const Protocol::Leave &m);
    void handle(ClientSession *session, const Protocol::Say &m);
    void handle(ClientSession *session, const Protocol::Ping &m);
    void handle(ClientSession *session, const Protocol::Bye &m);
    void handle(ClientSession *session, const Protocol::Relay &m);
    // Messages only a server sends: a client sending one made a mistake.
    template<typename T>
    void handle(ClientSession *session, const T &m);

    ServerConfig m_config;
    QTcpServer m_listener;
    RoomRegistry m_rooms;
    QList<ClientSession *> m_sessions;
    quint64 m_nextClientNumber = 1;
    bool m_shuttingDown = false;
    bool m_stopped = false;
};

} // namespace Server
