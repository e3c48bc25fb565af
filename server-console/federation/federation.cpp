#include <server-console/federation/federation.h>

#include <server-console/serverconfig.h>
#include <server-console/serverlogging.h>

#include <protocol/messagecodec.h>
#include <protocol/names.h>

#include <QDateTime>
#include <QHash>
#include <QRandomGenerator>
#include <QTimer>

using namespace Qt::StringLiterals;
namespace Link = Protocol::Link;

namespace Server {

namespace {
constexpr qsizetype kSeenCapacity = 65536;

QString memberKey(const QString &room, const Protocol::MemberInfo &m)
{
    return room + u'\n' + m.id + u'\n' + m.nick;
}

QString reasonFor(const QList<Link::Departure> &departures, const QString &room, const QString &id)
{
    for (const Link::Departure &d : departures) {
        if (d.id == id && d.room == room)
            return d.reason;
    }
    return u"left"_s;
}
} // namespace

Federation::Federation(const ServerConfig &config, RoomRegistry &rooms, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_rooms(rooms)
    , m_instance(QRandomGenerator::system()->generate64())
    , m_links(
              LinkIdentity {config.name, m_instance, config.linkSecret, config.heartbeatMs,
                            config.deadLinkMs, config.linkSendQueueBytes, std::nullopt,
                            config.linkPeerCerts, config.linkPreAuthFrameBytes},
              [this](const QString &name, quint64 instance) { return admission(name, instance); },
              config.redialMs, this)
{
    m_links.setAdmissionLimits(config.linkPendingMax, config.linkAttemptsPerMinute);
    connect(&m_links, &LinkManager::neighbourUp, this, &Federation::neighbourUp);
    connect(&m_links, &LinkManager::neighbourDown, this, &Federation::neighbourDown);
    connect(&m_links, &LinkManager::received, this, &Federation::received);
    m_router.rebuild(m_config.name, {});
    m_reachable = m_router.reachable();
}

Federation::~Federation() = default;

void Federation::start(const QString &clientAddress)
{
    m_clientAddress = clientAddress;
    if (m_config.linkSecret.isEmpty() && m_config.linkPeerCerts.isEmpty())
        qCInfo(lcFederation) << "federation closed: no link secret and no pinned peer "
                                "certificate, so no server can link to this one";
    for (const auto &[host, port] : m_config.links)
        m_links.addPeer(host, port);
}

void Federation::stop(const QString &reason)
{
    // What crossed each link, for operators checking that room traffic stayed where members are.
    for (const QString &line : m_links.traffic().summary())
        qCInfo(lcFederation).noquote() << line;
    m_links.stop(reason);
}

void Federation::adopt(FrameStream *socket, const QCborMap &hello, const QByteArray &unread)
{
    m_links.adopt(socket, hello, unread);
}

QString Federation::admission(const QString &name, quint64 instance) const
{
    if (name == m_config.name)
        return u"duplicate server name '%1': it is this server's own name"_s.arg(name);
    const auto it = m_states.constFind(name);
    if (it != m_states.cend() && it->instance != instance && m_router.isReachable(name))
        return u"duplicate server name '%1': another server of that name is in the network"_s.arg(
                name);
    return {};
}

void Federation::neighbourUp(const QString &name)
{
    advertise();
    // The new neighbour learns the whole network at once; it floods on what it did not know.
    for (const Link::State &s : std::as_const(m_states))
        m_links.send(name, s);
}

void Federation::neighbourDown(const QString &name)
{
    qCInfo(lcFederation).noquote() << "neighbour" << name << "is gone";
    advertise();
}

void Federation::localMembersChanged(const QList<Link::Departure> &departures)
{
    // Every advertisement lists all local members, so one per join made a burst of N joins
    // O(N²) on every link and at every server; a burst is advertised once per event-loop turn.
    m_pendingDepartures += departures;
    if (m_advertisePending)
        return;
    m_advertisePending = true;
    QTimer::singleShot(0, this, [this] {
        if (!m_advertisePending)
            return;
        if (m_links.neighbours().isEmpty()) {
            // Nobody to tell: a neighbour that comes up gets a fresh advertisement
            // (neighbourUp), so a lone server skips building one per turn of leaves.
            m_pendingDepartures.clear();
            m_advertisePending = false;
            return;
        }
        advertise();
    });
}

void Federation::advertise(const QList<Link::Departure> &departures)
{
    Link::State own;
    own.origin = m_config.name;
    own.instance = m_instance;
    // Sequence numbers start from the clock, so a restarted server's advertisements still win
    // over the ones it sent before.
    m_seq = std::max(m_seq + 1, quint64(QDateTime::currentMSecsSinceEpoch()) * 1000);
    own.seq = m_seq;
    own.address = m_clientAddress;
    own.neighbours = m_links.neighbours();
    // Grouped by member through a hash: this runs on every join, so it stays linear in the
    // members (a sorted map made it N log N string compares per join).
    QHash<QString, qsizetype> index;
    // Visited in place: the registry's member list of a room is rebuilt after every change.
    for (const QString &room : m_rooms.roomNames()) {
        m_rooms.forEachMember(room, [&](const RoomMember &m) {
            if (!m.isLocal())
                return;
            auto it = index.constFind(m.info.id);
            if (it == index.cend()) {
                it = index.insert(m.info.id, own.members.size());
                own.members.append(
                        Link::StateMember {m.info.id, m.info.nick, m.info.ip, {}, m.info.key});
            }
            own.members[*it].rooms.append(room);
        });
    }
    own.departures = m_pendingDepartures + departures;
    m_pendingDepartures.clear();
    m_advertisePending = false;
    own.locks = localLocks();
    m_states.insert(own.origin, own);
    m_links.broadcast(own);
    recompute();
}

void Federation::received(const QString &neighbour, const Link::Message &message)
{
    if (const auto *state = std::get_if<Link::State>(&message))
        onState(neighbour, *state);
    else if (const auto *routed = std::get_if<Link::Routed>(&message))
        onRouted(*routed);
    else
        qCWarning(lcFederation).noquote() << "unexpected link message from" << neighbour;
}

void Federation::onState(const QString &neighbour, const Link::State &state)
{
    if (!Protocol::isValidServerName(state.origin))
        return;
    if (state.origin == m_config.name) {
        if (state.instance != m_instance)
            qCWarning(lcFederation).noquote()
                    << "another server in the network is also called" << state.origin;
        return;
    }
    const auto it = m_states.constFind(state.origin);
    if (it != m_states.cend() && it->seq >= state.seq)
        return; // a copy that came round another way, or an old one
    m_states.insert(state.origin, state);
    m_links.broadcast(state, neighbour);
    recompute({{state.origin, state.departures}});
}

void Federation::recompute(const QHash<QString, QList<Link::Departure>> &departures)
{
    QHash<QString, QStringList> adjacency;
    for (const Link::State &s : std::as_const(m_states))
        adjacency.insert(s.origin, s.neighbours);
    adjacency.insert(m_config.name, m_links.neighbours());
    m_router.rebuild(m_config.name, adjacency);
    // Advertisements of servers we cannot reach are dropped: when the network heals, their
    // current state arrives with the link, never an old one kept here.
    m_states.removeIf([this](const auto &entry) { return !m_router.isReachable(entry.key()); });
    updateRemoteMembers(departures);
    reconcileLocks();
    if (m_router.reachable() != m_reachable) {
        m_reachable = m_router.reachable();
        qCInfo(lcFederation).noquote() << "reachable servers:" << m_reachable.join(u", "_s);
        Q_EMIT serversChanged();
    }
}

void Federation::updateRemoteMembers(const QHash<QString, QList<Link::Departure>> &departures)
{
    // The members other servers advertise, room by room, nearest server first.
    QHash<QString, QList<Protocol::MemberInfo>> wanted;
    for (const QString &server : m_router.reachable()) {
        if (server == m_config.name)
            continue;
        for (const Link::StateMember &m : m_states.value(server).members) {
            for (const QString &room : m.rooms)
                wanted[room].append(Protocol::MemberInfo {m.id, m.nick, m.ip, server, m.key});
        }
    }
    // A nick used twice in a room (two sides of a split joined while apart) goes to the member
    // with the smaller id; every server decides the same without asking.
    struct Clash
    {
        QString room, localId;
        Protocol::MemberInfo other;
    };
    QList<Clash> clashes;
    QSet<QString> clashLosers;
    for (auto it = wanted.begin(); it != wanted.end(); ++it) {
        QHash<QString, Protocol::MemberInfo> owner; // nick key -> member keeping it
        for (const RoomMember &local : m_rooms.members(it.key())) {
            if (local.isLocal())
                owner.insert(Protocol::nickKey(local.info.nick), local.info);
        }
        for (const Protocol::MemberInfo &m : std::as_const(*it)) {
            const QString key = Protocol::nickKey(m.nick);
            const auto found = owner.constFind(key);
            if (found == owner.cend() || m.id < found->id) {
                if (found != owner.cend()) {
                    clashLosers.insert(memberKey(it.key(), *found));
                    if (found->server == m_config.name)
                        clashes.append({it.key(), found->id, m});
                }
                owner.insert(key, m);
            } else {
                clashLosers.insert(memberKey(it.key(), m));
                if (found->server == m_config.name)
                    clashes.append({it.key(), found->id, m});
            }
        }
        it->removeIf([&](const Protocol::MemberInfo &m) {
            return clashLosers.contains(memberKey(it.key(), m));
        });
    }
    QSet<QString> wantedKeys;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        for (const Protocol::MemberInfo &m : it.value())
            wantedKeys.insert(memberKey(it.key(), m));
    }
    QSet<QString> present;
    for (const QString &room : m_rooms.roomNames()) {
        for (const RoomMember &m : m_rooms.members(room)) {
            if (m.isLocal())
                continue;
            present.insert(memberKey(room, m.info));
            if (wantedKeys.contains(memberKey(room, m.info)))
                continue;
            const QString reason = !m_router.isReachable(m.info.server) ? u"split"_s
                    : clashLosers.contains(memberKey(room, m.info))
                    ? u"nick-clash"_s
                    : reasonFor(departures.value(m.info.server), room, m.info.id);
            m_rooms.leave(room, m.info.id);
            Q_EMIT remoteMemberLeft(room, m.info, reason);
        }
    }
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        for (const Protocol::MemberInfo &m : it.value()) {
            if (present.contains(memberKey(it.key(), m)))
                continue;
            m_rooms.join(it.key(), RoomMember {m, nullptr});
            Q_EMIT remoteMemberJoined(it.key(), m);
        }
    }
    for (const Clash &c : std::as_const(clashes)) {
        Q_EMIT nickClash(c.room, c.localId, c.other);
    }
}

void Federation::route(const QStringList &servers, const QString &room, const QStringList &to,
                       const Protocol::Message &message)
{
    // Whoever receives this hears of the sender's membership first, as before batching.
    if (m_advertisePending)
        advertise();
    Link::Routed routed;
    routed.src = m_config.name;
    routed.seq = ++m_routeSeq;
    routed.dst = servers;
    routed.room = room;
    routed.to = to;
    routed.message = Protocol::encodeMessage(message);
    forward(routed, servers);
}

void Federation::forward(const Link::Routed &routed, const QStringList &destinations)
{
    if (routed.ttl <= 0)
        return;
    const QHash<QString, QStringList> byHop = m_router.splitByNextHop(destinations);
    for (auto it = byHop.cbegin(); it != byHop.cend(); ++it) {
        Link::Routed copy = routed;
        copy.dst = it.value();
        copy.hops = routed.hops + 1;
        copy.ttl = routed.ttl - 1;
        m_links.send(it.key(), copy);
    }
}

void Federation::onRouted(const Link::Routed &routed)
{
    QStringList rest = routed.dst;
    if (rest.removeAll(m_config.name) > 0 && !seenBefore(routed.src, routed.seq))
        deliverLocally(routed);
    if (!rest.isEmpty())
        forward(routed, rest);
}

bool Federation::seenBefore(const QString &src, quint64 seq)
{
    const QString key = src + u'/' + QString::number(seq);
    if (m_seen.contains(key))
        return true;
    m_seen.insert(key);
    m_seenOrder.enqueue(key);
    if (m_seenOrder.size() > kSeenCapacity)
        m_seen.remove(m_seenOrder.dequeue());
    return false;
}

void Federation::deliverLocally(const Link::Routed &routed)
{
    const Protocol::MessageDecodeResult decoded = Protocol::decodeMessage(routed.message);
    if (!decoded.message) {
        qCWarning(lcFederation).noquote()
                << "dropped a routed message from" << routed.src << ":" << decoded.errorText;
        return;
    }
    if (const auto *ping = std::get_if<Protocol::Ping>(&*decoded.message)) {
        // Answered here; the hop count the ping travelled goes back with the pong.
        Link::Routed reply;
        reply.src = m_config.name;
        reply.seq = ++m_routeSeq;
        reply.dst = {routed.src};
        reply.to = routed.to;
        reply.message = Protocol::encodeMessage(Protocol::Pong {
                ping->id, m_config.name, QDateTime::currentMSecsSinceEpoch(), routed.hops});
        forward(reply, reply.dst);
        return;
    }
    Q_EMIT delivered(routed.room, routed.to, *decoded.message, routed.hops);
}

QList<Protocol::ServerInfo> Federation::servers() const
{
    QList<Protocol::ServerInfo> out;
    for (const QString &name : m_router.reachable()) {
        const QString address
                = name == m_config.name ? m_clientAddress : m_states.value(name).address;
        out.append(Protocol::ServerInfo {name, address, m_router.distance(name)});
    }
    return out;
}

} // namespace Server
