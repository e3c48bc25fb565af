#include <server-console/chat/chatserver.h>

#include <server-console/chat/clientsession.h>
#include <server-console/chat/identitycheck.h>
#include <server-console/chat/roomlocks.h>
#include <server-console/serverlogging.h>
#include <server-console/stream/sessionsocket.h>
#include <server-console/stream/tlscontext.h>

#include <protocol/limits.h>
#include <protocol/messagecodec.h>
#include <protocol/names.h>

#include <algorithm>

#include <QDateTime>
#include <QTimer>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace Server {

ChatServer::ChatServer(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_federation(m_config, m_rooms, this)
    , m_binding(this)
{
    connect(&m_listener, &ControlListener::connectionReady, this, &ChatServer::acceptClients);
    m_deadlineSweep.setInterval(100);
    connect(&m_deadlineSweep, &QTimer::timeout, this, &ChatServer::checkSessionDeadlines);
    connect(&m_federation, &Federation::remoteMemberJoined, this,
            [this](const QString &room, const Protocol::MemberInfo &member) {
                tellRoom(room, Protocol::MemberJoined {room, member});
            });
    connect(&m_federation, &Federation::remoteMemberLeft, this,
            [this](const QString &room, const Protocol::MemberInfo &member, const QString &why) {
                tellRoom(room, Protocol::MemberLeft {room, member, why});
            });
    connect(&m_federation, &Federation::delivered, this,
            [this](const QString &room, const QStringList &to, const Protocol::Message &message) {
                deliverRouted(room, to, message);
            });
    connect(&m_federation, &Federation::nickClash, this, &ChatServer::resolveNickClash);
    connect(&m_federation, &Federation::roomLockOverruled, this, &ChatServer::dropOverruledMembers);
    connect(&m_federation, &Federation::serversChanged, this, [this] {
        for (ClientSession *s : std::as_const(m_sessions)) {
            if (s->state() == ClientSession::State::Ready)
                sendServers(s);
        }
    });
}

ChatServer::~ChatServer()
{
    // Sessions are children of this object; detach their signals before they go.
    for (ClientSession *s : std::as_const(m_sessions))
        s->disconnect(this);
}

bool ChatServer::start(QString *error)
{
    if (!m_config.validate(error))
        return false;
    if (m_config.plain) {
        m_tls.reset();
    } else if (!m_tls) {
        m_tls = TlsCredentials::forConfig(m_config, error);
        if (!m_tls)
            return false;
    }
    const auto tls = m_tls ? std::optional(m_tls->configuration()) : std::nullopt;
    std::shared_ptr<const TlsContext> sessionTls;
    if (m_tls) {
        sessionTls = TlsContext::create(m_tls->certificate(), m_tls->key(), error);
        if (!sessionTls)
            return false;
    }
    // Pending handshakes count against the per-address cap on connections as sessions do.
    m_listener.setTls(std::move(sessionTls), m_config.tlsHandshakeMs, m_config.maxTlsHandshakes,
                      m_config.maxConnectionsPerAddress);
    m_federation.links().setTls(tls);
    if (!m_listener.listen(m_config.address, m_config.port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(m_config.address.toString())
                         .arg(m_config.port)
                         .arg(m_listener.errorString());
        return false;
    }
    m_deadlineSweep.start();
    // The UDP side shares the TCP port number: clients learn their reflexive address there.
    if (!m_binding.open(m_config.address, port(), error)) {
        *error = u"cannot bind UDP %1:%2: %3"_s.arg(m_config.address.toString())
                         .arg(port())
                         .arg(*error);
        m_listener.close();
        return false;
    }
    UdpRelay::Config relay;
    relay.maxSessions = m_config.relaySessions;
    relay.maxSessionsPerClient = m_config.relaySessionsPerClient;
    relay.maxSessionsPerAddress = m_config.relaySessionsPerAddress;
    relay.serverPort = port();
    relay.session.maxBytes = quint64(m_config.relayBytes);
    relay.session.bytesPerSecond = quint64(m_config.relayRate);
    relay.session.idleMs = m_config.relayIdleMs;
    m_udpRelay = new UdpRelay(m_config.address, relay, this);
    if (m_tls)
        qCInfo(lcServer).noquote() << u"TLS 1.3 certificate %1, fingerprint %2"_s.arg(
                m_tls->origin(), m_tls->fingerprint());
    else
        qCWarning(lcServer) << "plain TCP (--plain): control connections are not encrypted";
    qCInfo(lcServer).noquote() << u"server '%1' listening on %2:%3 (%4 and UDP)"_s
                                          .arg(m_config.name, address().toString())
                                          .arg(port())
                                          .arg(m_tls ? u"TLS"_s : u"TCP"_s);
    m_federation.start(advertisedAddress());
    return true;
}

void ChatServer::shutdown(const QString &reason)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcServer).noquote() << "shutting down:" << reason << "-" << m_sessions.size()
                               << "clients told";
    m_listener.close();
    m_binding.close();
    if (m_udpRelay)
        m_udpRelay->closeAll();
    m_federation.stop(reason);
    const QSet<ClientSession *> sessions = m_sessions; // a close may end a session at once
    for (ClientSession *s : sessions) {
        s->sendError(ErrorCode::ShuttingDown, reason);
        s->close(reason);
    }
    // Give sockets a moment to flush the goodbyes; never wait forever.
    auto *deadline = new QTimer(this);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, &ChatServer::finishShutdown);
    deadline->start(m_sessions.isEmpty() ? 0 : 2000);
}

void ChatServer::finishShutdown()
{
    if (m_stopped)
        return;
    m_stopped = true;
    Q_EMIT stopped();
}

void ChatServer::acceptClients()
{
    while (SessionSocket *socket = m_listener.takeConnection()) {
        if (m_shuttingDown) {
            refuse(socket, ErrorCode::ShuttingDown, u"server is shutting down"_s);
            continue;
        }
        if (m_sessions.size() >= m_config.maxClients) {
            refuse(socket, ErrorCode::ServerFull,
                   u"server is full (%1 clients)"_s.arg(m_config.maxClients));
            continue;
        }
        const QString address = ClientSession::addressOf(socket);
        if (m_addresses.value(address).connections >= m_config.maxConnectionsPerAddress) {
            refuse(socket, ErrorCode::TooManyConnections,
                   u"%1 connections from %2 already (at most %3)"_s
                           .arg(m_addresses.value(address).connections)
                           .arg(address)
                           .arg(m_config.maxConnectionsPerAddress));
            continue;
        }
        auto *session = new ClientSession(socket, m_config, this);
        m_sessions.insert(session);
        claimAddress(session);
        connect(session, &ClientSession::messageReceived, this, &ChatServer::dispatch);
        connect(session, &ClientSession::closed, this, &ChatServer::sessionClosed);
        connect(session, &ClientSession::linkRequested, this, &ChatServer::adoptLink);
        // Debug only: its hello says the address again, and a join burst of thousands made
        // log formatting a few percent of the server's time.
        qCDebug(lcServer).noquote() << "client connected from" << session->address();
    }
}

void ChatServer::checkSessionDeadlines()
{
    // Collected first: acting on a deadline can end a session (and take it out of the set);
    // sessions are deleted later, never during this.
    const qint64 now = ClientSession::monotonicMs();
    QList<ClientSession *> due;
    for (ClientSession *s : std::as_const(m_sessions)) {
        if (s->nextDeadline() <= now)
            due.append(s);
    }
    for (ClientSession *s : std::as_const(due)) {
        if (m_sessions.contains(s))
            s->checkDeadlines(now);
    }
}

void ChatServer::refuse(FrameStream *socket, ErrorCode code, const QString &why)
{
    qCInfo(lcServer).noquote() << "refused" << socket->peerAddress().toString() << ":" << why;
    socket->setParent(this);
    socket->write(Protocol::encodeMessageFrame(Protocol::Error {code, why, {}, {}}));
    socket->write(Protocol::encodeMessageFrame(Protocol::Bye {why}));
    connect(socket, &FrameStream::disconnected, socket, &QObject::deleteLater);
    // A refused peer that never reads must not keep its socket here either.
    QTimer::singleShot(2000, socket, [socket] { socket->abort(); });
    socket->disconnectFromHost();
}

void ChatServer::claimAddress(ClientSession *session)
{
    AddressShare &share = m_addresses[session->address()];
    ++share.connections;
    if (!share.limiter)
        share.limiter
                = std::make_shared<RateLimiter>(m_config.addressRate(), m_config.addressBurst());
    session->shareRateLimiter(share.limiter);
}

void ChatServer::releaseAddress(ClientSession *session)
{
    const auto it = m_addresses.find(session->address());
    if (it != m_addresses.end() && --it->connections <= 0)
        m_addresses.erase(it);
}

qint64 ChatServer::queuedBytes() const
{
    qint64 total = 0;
    for (const ClientSession *s : m_sessions)
        total += s->unsentBytes();
    return total;
}

qint64 ChatServer::largestSendQueue() const
{
    qint64 largest = 0;
    for (const ClientSession *s : m_sessions)
        largest = std::max(largest, s->unsentBytes());
    return largest;
}

void ChatServer::dispatch(ClientSession *session, const Protocol::Message &message)
{
    m_presence.flushFor(session); // replies keep the order of the requests
    std::visit([this, session](const auto &m) { handle(session, m); }, message);
}

template<typename T>
void ChatServer::handle(ClientSession *session, const T &m)
{
    const QString type = Protocol::messageTypeName(m);
    session->sendError(ErrorCode::UnknownType,
                       u"'%1' is sent by servers, not by clients"_s.arg(type), type);
    session->countError();
}

bool ChatServer::requireReady(ClientSession *session, const QString &ref)
{
    if (session->state() == ClientSession::State::Ready)
        return true;
    session->sendError(ErrorCode::WrongState, u"say hello first"_s, ref);
    session->countError();
    return false;
}

bool ChatServer::requireMember(ClientSession *session, const QString &room, const QString &ref)
{
    if (session->isIn(room))
        return true;
    session->sendError(ErrorCode::NotInRoom, u"you are not in room '%1'"_s.arg(room), ref, room);
    return false;
}

void ChatServer::handle(ClientSession *session, const Protocol::Hello &m)
{
    if (session->state() != ClientSession::State::AwaitingHello) {
        session->sendError(ErrorCode::WrongState, u"hello was already said"_s, u"hello"_s);
        session->countError();
        return;
    }
    if (m.version < Protocol::OldestPeerVersion) {
        session->disconnectWithReason(
                ErrorCode::OldVersion,
                u"this server speaks protocol %1; your client speaks %2 and cannot read its "
                "member lists: update Hopshare"_s.arg(Protocol::ProtocolVersion)
                        .arg(m.version));
        return;
    }
    if (Protocol::isReservedNick(m.nick)) {
        session->sendError(ErrorCode::BadNick,
                           u"the nick '%1' is reserved (a recipient or command word)"_s.arg(m.nick),
                           u"hello"_s);
        session->countError();
        return;
    }
    if (!Protocol::isValidNick(m.nick)) {
        session->sendError(ErrorCode::BadNick,
                           u"invalid nick '%1': use 1-32 letters, digits, '_', '-' or '.', "
                           "starting with a letter"_s.arg(m.nick.left(40)),
                           u"hello"_s);
        session->countError();
        return;
    }
    if (const QString problem = identityProblem(m, session->channelBinding()); !problem.isEmpty()) {
        session->sendError(ErrorCode::BadIdentity, problem, u"hello"_s);
        session->countError();
        return;
    }
    // The address goes into what other members and servers see only if the member shows it;
    // this server keeps using session->address() for its limits, relays and logs.
    Protocol::MemberInfo info {u"%1/%2"_s.arg(m_config.name).arg(m_nextClientNumber++), m.nick,
                               m.showAddress ? session->address() : QString(), m_config.name,
                               m.key};
    session->setReady(info);
    m_sessionsById.insert(info.id, session);
    session->send(Protocol::Welcome {m_config.name, info.id, session->address(),
                                     Protocol::ProtocolVersion});
    sendServers(session);
    qCInfo(lcServer).noquote() << "hello from" << m.nick << "at" << session->address() << "as"
                               << info.id << (m.showAddress ? "(address shown)" : "");
}

void ChatServer::handle(ClientSession *session, const Protocol::Join &m)
{
    if (!requireReady(session, u"join"_s))
        return;
    if (!Protocol::isValidRoom(m.room)) {
        session->sendError(ErrorCode::BadRoom,
                           u"invalid room name '%1': use 1-64 letters, digits, '_', '-', '.' "
                           "or '#'"_s.arg(m.room.left(70)),
                           u"join"_s);
        return;
    }
    if (session->isIn(m.room)) {
        if (m_presence.isJoining(m.room, session))
            m_presence.flush(m.room); // its `joined` first, then why the second join failed
        session->sendError(ErrorCode::AlreadyInRoom, u"already in room '%1'"_s.arg(m.room),
                           u"join"_s, m.room);
        return;
    }
    if (session->rooms().size() >= Protocol::Limits::MaxRoomsPerClient) {
        session->sendError(ErrorCode::TooManyRooms,
                           u"at most %1 rooms at once"_s.arg(Protocol::Limits::MaxRoomsPerClient),
                           u"join"_s, m.room);
        return;
    }
    // The password comes before the nick check, so that a join without it learns nothing of
    // who is inside.
    const JoinAdmission admission = admitJoin(m_rooms, m.room, m.key);
    if (admission.result != JoinAdmission::Result::Admitted) {
        const bool missing = admission.result == JoinAdmission::Result::NeedsKey;
        session->sendError(
                ErrorCode::RoomLocked,
                (missing ? u"room '%1' needs a password"_s : u"wrong password for room '%1'"_s)
                        .arg(m.room),
                u"join"_s, m.room);
        session->countError(); // so that guessing is bounded by the error limit
        return;
    }
    if (!m_rooms.nickAvailable(m.room, session->info().nick)) {
        session->sendError(
                ErrorCode::NickTaken,
                u"the nick '%1' is already taken in room '%2'"_s.arg(session->info().nick, m.room),
                u"join"_s, m.room);
        return;
    }
    tellRoom(m.room, Protocol::MemberJoined {m.room, session->info()});
    m_rooms.join(m.room, RoomMember {session->info(), session});
    if (admission.newLock.isLocked())
        m_rooms.setLock(m.room, admission.newLock);
    session->enterRoom(m.room);
    m_presence.addJoiner(m.room, session); // its `joined` reply goes with this turn's batch
    m_federation.localMembersChanged();
    qCInfo(lcServer).noquote() << session->info().nick << "joined" << m.room;
}

void ChatServer::handle(ClientSession *session, const Protocol::Leave &m)
{
    if (!requireReady(session, u"leave"_s) || !requireMember(session, m.room, u"leave"_s))
        return;
    const auto departure = leaveRoom(session, m.room, u"left"_s);
    session->send(Protocol::Left {m.room});
    m_federation.localMembersChanged({departure});
}

std::optional<ChatServer::Recipients> ChatServer::resolveRecipients(ClientSession *session,
                                                                    const QString &room,
                                                                    const QStringList &targets,
                                                                    const QString &ref)
{
    Recipients out;
    out.toAll = targets.isEmpty();
    for (const QString &raw : targets) {
        const QString target = raw.startsWith(u'@') ? raw.mid(1) : raw;
        if (target.compare(u"all"_s, Qt::CaseInsensitive) == 0) {
            out.toAll = true;
            continue;
        }
        const QList<RoomMember> found = m_rooms.resolve(room, target);
        if (found.isEmpty()) {
            session->sendError(ErrorCode::NoSuchMember,
                               u"nobody called '%1' in room '%2'"_s.arg(target.left(64), room), ref,
                               room);
            return std::nullopt;
        }
        for (const RoomMember &m : found) {
            if (out.ids.contains(m.info.id))
                continue;
            out.ids.append(m.info.id);
            if (m.isLocal())
                out.sessions.append(m.session);
            else
                out.remote.append(m.info);
        }
    }
    if (out.toAll) {
        out.remote.clear();
        out.ids.clear();
        out.sessions = m_rooms.localSessions(room); // the registry's cached lists, shared
        out.remote = m_rooms.remoteMembers(room);
    }
    return out;
}

void ChatServer::deliver(const QString &room, const Recipients &recipients,
                         const Protocol::Message &message, ClientSession *except)
{
    m_presence.flush(room);
    if (!recipients.sessions.isEmpty()) {
        const QByteArray frame = Protocol::encodeMessageFrame(message);
        for (ClientSession *s : recipients.sessions) {
            if (s != except)
                s->sendFrame(frame);
        }
    }
    QStringList servers;
    QStringList remoteIds;
    for (const Protocol::MemberInfo &m : recipients.remote) {
        if (!servers.contains(m.server))
            servers.append(m.server);
        remoteIds.append(m.id);
    }
    if (!servers.isEmpty())
        m_federation.route(servers, room, recipients.toAll ? QStringList {} : remoteIds, message);
}

void ChatServer::handle(ClientSession *session, const Protocol::Say &m)
{
    if (!requireReady(session, u"say"_s) || !requireMember(session, m.room, u"say"_s))
        return;
    if (m.text.toUtf8().size() > Protocol::Limits::MaxTextBytes) {
        session->sendError(ErrorCode::TextTooLong,
                           u"message longer than %1 bytes"_s.arg(Protocol::Limits::MaxTextBytes),
                           u"say"_s, m.room);
        return;
    }
    auto recipients = resolveRecipients(session, m.room, m.targets, u"say"_s);
    if (!recipients)
        return;
    if (!recipients->toAll && !recipients->sessions.contains(session))
        recipients->sessions.append(session); // the sender sees its own private message once
    const Protocol::ChatMessage out {m.room, session->info(), recipients->ids, m.text,
                                     QDateTime::currentMSecsSinceEpoch()};
    deliver(m.room, *recipients, out, nullptr);
}

void ChatServer::handle(ClientSession *session, const Protocol::Relay &m)
{
    if (!requireReady(session, u"relay"_s) || !requireMember(session, m.room, u"relay"_s))
        return;
    const auto recipients = resolveRecipients(session, m.room, m.targets, u"relay"_s);
    if (!recipients)
        return;
    const Protocol::Relayed out {m.room, session->info(), recipients->ids, m.kind, m.body};
    deliver(m.room, *recipients, out, session);
}

void ChatServer::handle(ClientSession *session, const Protocol::UdpRelayOpen &m)
{
    if (!requireReady(session, u"udp-relay-open"_s))
        return;
    QString why = u"the server is not running"_s;
    const auto opened = m_udpRelay ? m_udpRelay->open(session->info().id, session->address(), &why)
                                   : std::nullopt;
    if (!opened) {
        session->sendError(ErrorCode::RelayUnavailable, why, u"udp-relay-open"_s);
        return;
    }
    session->send(Protocol::UdpRelayOpened {m.id, opened->port, opened->token});
}

void ChatServer::handle(ClientSession *session, const Protocol::UdpRelayClose &m)
{
    if (requireReady(session, u"udp-relay-close"_s) && m_udpRelay)
        m_udpRelay->close(m.port, session->info().id);
}

void ChatServer::handle(ClientSession *session, const Protocol::Ping &m)
{
    if (!requireReady(session, u"ping"_s))
        return;
    if (!m.server.isEmpty() && m.server != m_config.name && m_federation.isReachable(m.server)) {
        m_federation.route({m.server}, {}, {session->info().id}, m);
        return;
    }
    if (!m.server.isEmpty() && m.server != m_config.name) {
        session->sendError(ErrorCode::NoSuchServer, u"no server named '%1'"_s.arg(m.server),
                           u"ping"_s);
        return;
    }
    session->send(Protocol::Pong {m.id, m_config.name, QDateTime::currentMSecsSinceEpoch(), 0});
}

void ChatServer::handle(ClientSession *session, const Protocol::Bye &m)
{
    qCInfo(lcServer).noquote() << session->info().nick << "quits:" << m.reason;
    session->close(u"goodbye"_s);
}

Protocol::Link::Departure ChatServer::leaveRoom(ClientSession *session, const QString &room,
                                                const QString &reason)
{
    if (m_presence.isJoining(room, session))
        m_presence.flush(room); // it hears `joined` before `left`
    m_rooms.leave(room, session->info().id);
    session->leaveRoom(room);
    tellRoom(room, Protocol::MemberLeft {room, session->info(), reason});
    qCInfo(lcServer).noquote() << u"%1 left %2 (%3)"_s.arg(session->info().nick, room, reason);
    return {session->info().id, room, reason};
}

void ChatServer::sessionClosed(ClientSession *session, const QString &reason)
{
    const QStringList rooms = session->rooms(); // leaveRoom() changes the session's list
    QList<Protocol::Link::Departure> departures;
    for (const QString &room : rooms)
        departures.append(leaveRoom(session, room, reason));
    if (!departures.isEmpty())
        m_federation.localMembersChanged(departures);
    m_sessions.remove(session);
    if (const auto it = m_sessionsById.constFind(session->info().id);
        it != m_sessionsById.cend() && *it == session)
        m_sessionsById.erase(it);
    releaseAddress(session);
    qCInfo(lcServer).noquote() << u"client %1 %2 disconnected (%3)"_s.arg(
            session->address(), session->info().nick, reason);
    session->deleteLater();
    if (m_shuttingDown && m_sessions.isEmpty())
        QTimer::singleShot(0, this, &ChatServer::finishShutdown);
}

} // namespace Server
