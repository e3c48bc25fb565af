#include "chatserver.h"

#include "clientsession.h"
#include "logging.h"

#include <protocol/limits.h>
#include <protocol/messagecodec.h>
#include <protocol/names.h>

#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace Server {

ChatServer::ChatServer(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_listener.setMaxPendingConnections(128);
    connect(&m_listener, &QTcpServer::newConnection, this, &ChatServer::acceptClients);
}

ChatServer::~ChatServer()
{
    // Sessions are children of this object; detach their signals before they go.
    for (ClientSession *s : std::as_const(m_sessions))
        s->disconnect(this);
}

bool ChatServer::start(QString *error)
{
    if (!m_listener.listen(m_config.address, m_config.port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(m_config.address.toString())
                         .arg(m_config.port)
                         .arg(m_listener.errorString());
        return false;
    }
    qCInfo(lcServer).noquote() << u"server '%1' listening on %2:%3"_s
                                          .arg(m_config.name, address().toString())
                                          .arg(port());
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
    for (ClientSession *s : std::as_const(m_sessions)) {
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
    while (QTcpSocket *socket = m_listener.nextPendingConnection()) {
        if (m_shuttingDown || m_sessions.size() >= m_config.maxClients) {
            const QString why = m_shuttingDown
                    ? u"server is shutting down"_s
                    : u"server is full (%1 clients)"_s.arg(m_config.maxClients);
            qCInfo(lcServer).noquote()
                    << "refused" << socket->peerAddress().toString() << ":" << why;
            socket->write(Protocol::encodeMessageFrame(Protocol::Error {
                    m_shuttingDown ? ErrorCode::ShuttingDown : ErrorCode::ServerFull,
                    why,
                    {},
                    {}}));
            socket->write(Protocol::encodeMessageFrame(Protocol::Bye {why}));
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            continue;
        }
        auto *session = new ClientSession(socket, m_config, this);
        m_sessions.append(session);
        connect(session, &ClientSession::messageReceived, this, &ChatServer::dispatch);
        connect(session, &ClientSession::closed, this, &ChatServer::sessionClosed);
        qCInfo(lcServer).noquote() << "client connected from" << session->address();
    }
}

void ChatServer::dispatch(ClientSession *session, const Protocol::Message &message)
{
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
    if (session->rooms().contains(room))
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
    if (!Protocol::isValidNick(m.nick)) {
        session->sendError(ErrorCode::BadNick,
                           u"invalid nick '%1': use 1-32 letters, digits, '_', '-' or '.', "
                           "starting with a letter"_s.arg(m.nick.left(40)),
                           u"hello"_s);
        session->countError();
        return;
    }
    Protocol::MemberInfo info {u"%1/%2"_s.arg(m_config.name).arg(m_nextClientNumber++), m.nick,
                               session->address(), m_config.name};
    session->setReady(info);
    session->send(Protocol::Welcome {m_config.name, info.id, info.ip, Protocol::ProtocolVersion});
    qCInfo(lcServer).noquote() << "hello from" << m.nick << "at" << info.ip << "as" << info.id;
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
    if (session->rooms().contains(m.room)) {
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
    if (!m_rooms.nickAvailable(m.room, session->info().nick)) {
        session->sendError(
                ErrorCode::NickTaken,
                u"the nick '%1' is already taken in room '%2'"_s.arg(session->info().nick, m.room),
                u"join"_s, m.room);
        return;
    }
    const Protocol::MemberJoined event {m.room, session->info()};
    for (ClientSession *other : m_rooms.members(m.room))
        other->send(event);
    m_rooms.join(m.room, session);
    session->rooms().insert(m.room);
    session->send(Protocol::Joined {m.room, m_rooms.memberInfos(m.room)});
    qCInfo(lcServer).noquote() << session->info().nick << "joined" << m.room;
}

void ChatServer::handle(ClientSession *session, const Protocol::Leave &m)
{
    if (!requireReady(session, u"leave"_s) || !requireMember(session, m.room, u"leave"_s))
        return;
    leaveRoom(session, m.room, u"left"_s);
    session->send(Protocol::Left {m.room});
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
        const QList<ClientSession *> found = m_rooms.resolve(room, target);
        if (found.isEmpty()) {
            session->sendError(ErrorCode::NoSuchMember,
                               u"nobody called '%1' in room '%2'"_s.arg(target.left(64), room), ref,
                               room);
            return std::nullopt;
        }
        for (ClientSession *s : found) {
            if (!out.sessions.contains(s)) {
                out.sessions.append(s);
                out.ids.append(s->info().id);
            }
        }
    }
    if (out.toAll) {
        out.sessions = m_rooms.members(room);
        out.ids.clear();
    }
    return out;
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
    for (ClientSession *s : std::as_const(recipients->sessions))
        s->send(out);
}

void ChatServer::handle(ClientSession *session, const Protocol::Relay &m)
{
    if (!requireReady(session, u"relay"_s) || !requireMember(session, m.room, u"relay"_s))
        return;
    const auto recipients = resolveRecipients(session, m.room, m.targets, u"relay"_s);
    if (!recipients)
        return;
    const Protocol::Relayed out {m.room, session->info(), recipients->ids, m.kind, m.body};
    for (ClientSession *s : recipients->sessions) {
        if (s != session)
            s->send(out);
    }
}

void ChatServer::handle(ClientSession *session, const Protocol::Ping &m)
{
    if (!requireReady(session, u"ping"_s))
        return;
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

void ChatServer::leaveRoom(ClientSession *session, const QString &room, const QString &reason)
{
    m_rooms.leave(room, session);
    session->rooms().remove(room);
    const Protocol::MemberLeft event {room, session->info(), reason};
    for (ClientSession *other : m_rooms.members(room))
        other->send(event);
    qCInfo(lcServer).noquote() << u"%1 left %2 (%3)"_s.arg(session->info().nick, room, reason);
}

void ChatServer::sessionClosed(ClientSession *session, const QString &reason)
{
    const QStringList rooms(session->rooms().cbegin(), session->rooms().cend());
    for (const QString &room : rooms)
        leaveRoom(session, room, reason);
    m_sessions.removeAll(session);
    qCInfo(lcServer).noquote() << u"client %1 %2 disconnected (%3)"_s.arg(
            session->address(), session->info().nick, reason);
    session->deleteLater();
    if (m_shuttingDown && m_sessions.isEmpty())
        QTimer::singleShot(0, this, &ChatServer::finishShutdown);
}

} // namespace Server
