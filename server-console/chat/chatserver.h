#pragma once

#include <server-console/chat/controllistener.h>
#include <server-console/chat/presencebatch.h>
#include <server-console/chat/ratelimiter.h>
#include <server-console/chat/roomregistry.h>
#include <server-console/federation/federation.h>
#include <server-console/serverconfig.h>
#include <server-console/stream/framestream.h>
#include <server-console/tlscredentials.h>
#include <server-console/udp/bindingservice.h>
#include <server-console/udp/udprelay.h>

#include <protocol/messages.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
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

    // The certificate to serve (main() loads it to refuse bad files with exit 2); without one,
    // start() picks one by the config (TlsCredentials::forConfig).
    void setTlsCredentials(TlsCredentials credentials) { m_tls = std::move(credentials); }
    // Starts listening; false with *error set if the address cannot be bound, the config is
    // inconsistent or the certificate unusable.
    bool start(QString *error);
    // Tells every client the server is going away, then closes; emits stopped() when done.
    void shutdown(const QString &reason);

    [[nodiscard]] quint16 port() const { return m_listener.serverPort(); }
    [[nodiscard]] QHostAddress address() const { return m_listener.serverAddress(); }
    [[nodiscard]] const ServerConfig &config() const { return m_config; }
    [[nodiscard]] int clientCount() const { return int(m_sessions.size()); }
    [[nodiscard]] const RoomRegistry &rooms() const { return m_rooms; }
    [[nodiscard]] Federation &federation() { return m_federation; }
    [[nodiscard]] const BindingService &binding() const { return m_binding; }
    [[nodiscard]] UdpRelay *udpRelay() const { return m_udpRelay; }
    // Bytes queued for clients that they have not read yet, over all sessions.
    [[nodiscard]] qint64 queuedBytes() const;
    // The longest of those queues: what the per-client bound (sendQueueBytes) holds down.
    [[nodiscard]] qint64 largestSendQueue() const;
    // The certificate served; nullopt in plain mode (or before start()).
    [[nodiscard]] const std::optional<TlsCredentials> &tlsCredentials() const { return m_tls; }

Q_SIGNALS:
    void stopped();

private:
    void acceptClients();
    // Every session's timeouts, checked together (ClientSession::checkDeadlines).
    void checkSessionDeadlines();
    // Says why (error + bye) to a connection that gets no session, and closes it.
    void refuse(FrameStream *socket, Protocol::ErrorCode code, const QString &why);
    // Counts the session against its address's cap and shares the address's token bucket.
    void claimAddress(ClientSession *session);
    void releaseAddress(ClientSession *session);
    void finishShutdown();
    void dispatch(Server::ClientSession *session, const Protocol::Message &message);
    void sessionClosed(Server::ClientSession *session, const QString &reason);
    // Removes the session from the room and tells the room; the caller advertises the change.
    Protocol::Link::Departure leaveRoom(ClientSession *session, const QString &room,
                                        const QString &reason);
    void adoptLink(Server::ClientSession *session, const QCborMap &hello);
    [[nodiscard]] QString advertisedAddress() const;
    [[nodiscard]] ClientSession *sessionById(const QString &id) const;
    // Federation events: remote presence, routed messages, nick clashes after a heal.
    // Presence for the room's members (held and batched by m_presence).
    void tellRoom(const QString &room, const Protocol::MemberJoined &joined);
    void tellRoom(const QString &room, const Protocol::MemberLeft &left);
    void deliverRouted(const QString &room, const QStringList &to,
                       const Protocol::Message &message);
    void resolveNickClash(const QString &room, const QString &localId,
                          const Protocol::MemberInfo &other);
    void dropOverruledMembers(const QString &room);
    void sendServers(ClientSession *session);

    bool requireReady(ClientSession *session, const QString &ref);
    bool requireMember(ClientSession *session, const QString &room, const QString &ref);

    struct Recipients
    {
        QList<ClientSession *> sessions;
        QList<Protocol::MemberInfo> remote; // members on other servers
        QStringList ids; // empty when addressed to the whole room
        bool toAll = false;
    };
    // Resolves @all/@nick/@ip/@id targets within the room; on an unknown target the sender is
    // told and nothing is sent.
    std::optional<Recipients> resolveRecipients(ClientSession *session, const QString &room,
                                                const QStringList &targets, const QString &ref);
    // Sends to local recipients and routes one copy to the servers of the remote ones.
    void deliver(const QString &room, const Recipients &recipients,
                 const Protocol::Message &message, ClientSession *except);

    void handle(ClientSession *session, const Protocol::Hello &m);
    void handle(ClientSession *session, const Protocol::Join &m);
    void handle(ClientSession *session, const Protocol::Leave &m);
    void handle(ClientSession *session, const Protocol::Say &m);
    void handle(ClientSession *session, const Protocol::Ping &m);
    void handle(ClientSession *session, const Protocol::Bye &m);
    void handle(ClientSession *session, const Protocol::Relay &m);
    void handle(ClientSession *session, const Protocol::UdpRelayOpen &m);
    void handle(ClientSession *session, const Protocol::UdpRelayClose &m);
    // Messages only a server sends: a client sending one made a mistake.
    template<typename T>
    void handle(ClientSession *session, const T &m);

    ServerConfig m_config;
    ControlListener m_listener;
    std::optional<TlsCredentials> m_tls;
    RoomRegistry m_rooms;
    PresenceBatcher m_presence {m_rooms, m_config.presenceCoalesceFrom, m_config.presenceWindowMs};
    Federation m_federation;
    BindingService m_binding;
    UdpRelay *m_udpRelay = nullptr; // created by start(), on the listen address
    QSet<QString> m_clashesTold; // "room/winner/loser" already reported to the winner
    QSet<ClientSession *> m_sessions;
    QHash<QString, ClientSession *> m_sessionsById; // sessions that said hello
    QTimer m_deadlineSweep; // a timeout is acted on within one interval (100 ms)
    struct AddressShare
    {
        int connections = 0;
        std::shared_ptr<RateLimiter> limiter;
    };
    QHash<QString, AddressShare> m_addresses; // by ClientSession::address()
    quint64 m_nextClientNumber = 1;
    bool m_shuttingDown = false;
    bool m_stopped = false;
};

} // namespace Server
