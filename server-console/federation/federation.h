#pragma once

#include <server-console/chat/roomregistry.h>
#include <server-console/federation/linkmanager.h>
#include <server-console/federation/router.h>

#include <protocol/linkmessages.h>
#include <protocol/messages.h>

#include <QHash>
#include <QObject>
#include <QQueue>
#include <QSet>

namespace Server {

struct ServerConfig;

// The network of servers as this server sees it: a link-state database (every server's latest
// advertisement: neighbours and members with their rooms), shortest-path routing over it, and
// the remote members it implies in the room registry. Every member-to-member message (chat,
// relays, pings) crosses the network the same way: as a Routed message to the servers that host
// its recipients, split at every hop by next hop, delivered once per server.
class Federation : public QObject
{
    Q_OBJECT
public:
    Federation(const ServerConfig &config, RoomRegistry &rooms, QObject *parent = nullptr);
    ~Federation() override;

    // Dials the configured links. `clientAddress` is advertised to other servers' clients.
    void start(const QString &clientAddress);
    void stop(const QString &reason);
    void adopt(FrameStream *socket, const QCborMap &hello, const QByteArray &unread);

    // This server's members changed: advertise the new state. `departures` say why members
    // went, for the leave events other servers show.
    void localMembersChanged(const QList<Protocol::Link::Departure> &departures = {});
    // Sends `message` to the servers in `servers`; `to` names recipient ids there (empty = the
    // room's members). Unreachable servers are skipped.
    void route(const QStringList &servers, const QString &room, const QStringList &to,
               const Protocol::Message &message);

    [[nodiscard]] bool isReachable(const QString &server) const
    {
        return m_router.isReachable(server);
    }
    [[nodiscard]] QList<Protocol::ServerInfo> servers() const;
    [[nodiscard]] LinkManager &links() { return m_links; }
    [[nodiscard]] const Router &router() const { return m_router; }

Q_SIGNALS:
    void remoteMemberJoined(const QString &room, const Protocol::MemberInfo &member);
    void remoteMemberLeft(const QString &room, const Protocol::MemberInfo &member,
                          const QString &reason);
    // A message routed to this server for local clients (`to` empty = the room's members).
    void delivered(const QString &room, const QStringList &to, const Protocol::Message &message,
                   int hops);
    // A local member lost its nick to a remote member after a heal; the server removes it.
    void nickClash(const QString &room, const QString &localId, const Protocol::MemberInfo &winner);
    void serversChanged();
    // Another server's lock of the room wins over the one its local members joined under (two
    // servers locked it at once, or a split healed): the server removes them from the room.
    void roomLockOverruled(const QString &room);

private:
    void neighbourUp(const QString &name);
    void neighbourDown(const QString &name);
    void received(const QString &neighbour, const Protocol::Link::Message &message);
    void onState(const QString &neighbour, const Protocol::Link::State &state);
    void onRouted(const Protocol::Link::Routed &routed);
    void forward(const Protocol::Link::Routed &routed, const QStringList &destinations);
    void deliverLocally(const Protocol::Link::Routed &routed);
    void advertise(const QList<Protocol::Link::Departure> &departures = {});
    void recompute(const QHash<QString, QList<Protocol::Link::Departure>> &departures = {});
    void updateRemoteMembers(const QHash<QString, QList<Protocol::Link::Departure>> &departures);
    void reconcileLocks(); // federationlocks.cpp
    [[nodiscard]] QList<Protocol::Link::StateLock> localLocks() const;
    [[nodiscard]] bool seenBefore(const QString &src, quint64 seq);
    [[nodiscard]] QString admission(const QString &name, quint64 instance) const;

    const ServerConfig &m_config;
    RoomRegistry &m_rooms;
    quint64 m_instance;
    LinkManager m_links;
    Router m_router;
    QString m_clientAddress;
    QHash<QString, Protocol::Link::State> m_states; // origin -> newest advertisement
    quint64 m_seq = 0; // of our own advertisements
    quint64 m_routeSeq = 0;
    QSet<QString> m_seen; // "src/seq" of routed messages delivered here
    QQueue<QString> m_seenOrder; // bounds m_seen
    QStringList m_reachable;
    // Local membership changes not advertised yet: one advertisement per event-loop turn.
    QList<Protocol::Link::Departure> m_pendingDepartures;
    bool m_advertisePending = false;
};

} // namespace Server
