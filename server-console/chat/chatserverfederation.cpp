// ChatServer's side of the federation: the callbacks through which links hand
// members, routed frames and clashes to this server's local sessions.
#include <server-console/chat/chatserver.h>

#include <server-console/chat/clientsession.h>

#include <protocol/messagecodec.h>

#include <QSet>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace Server {

void ChatServer::adoptLink(ClientSession *session, const QCborMap &hello)
{
    m_sessions.remove(session);
    releaseAddress(session);
    session->disconnect(this);
    QByteArray unread;
    FrameStream *socket = session->releaseSocket(&unread);
    session->deleteLater();
    if (socket)
        m_federation.adopt(socket, hello, unread);
}

QString ChatServer::advertisedAddress() const
{
    if (!m_config.advertise.isEmpty())
        return m_config.advertise;
    const QHostAddress a = address();
    if (a == QHostAddress::Any || a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6)
        return {}; // which of our addresses the others can reach is not known here
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]"_s.arg(a.toString())
                                                                       : a.toString();
    return u"%1:%2"_s.arg(host).arg(port());
}

ClientSession *ChatServer::sessionById(const QString &id) const
{
    return m_sessionsById.value(id);
}

void ChatServer::tellRoom(const QString &room, const Protocol::MemberJoined &joined)
{
    m_presence.announce(room, joined);
}

void ChatServer::tellRoom(const QString &room, const Protocol::MemberLeft &left)
{
    m_presence.announce(room, left);
}

void ChatServer::deliverRouted(const QString &room, const QStringList &to,
                               const Protocol::Message &message)
{
    if (room.isEmpty()) { // a pong, for the client that pinged
        for (const QString &id : to) {
            if (ClientSession *s = sessionById(id))
                s->send(message);
        }
        return;
    }
    m_presence.flush(room);
    const QByteArray frame = Protocol::encodeMessageFrame(message);
    if (to.isEmpty()) {
        for (ClientSession *s : m_rooms.localSessions(room))
            s->sendFrame(frame);
        return;
    }
    QSet<ClientSession *> sent; // an id listed twice still gets one copy
    for (const QString &id : to) {
        ClientSession *s = sessionById(id);
        if (s && s->isIn(room) && !sent.contains(s)) {
            sent.insert(s);
            s->sendFrame(frame);
        }
    }
}

void ChatServer::resolveNickClash(const QString &room, const QString &localId,
                                  const Protocol::MemberInfo &other)
{
    ClientSession *session = sessionById(localId);
    if (!session || !session->isIn(room))
        return;
    const QString nick = session->info().nick;
    if (localId < other.id) {
        // This member keeps the nick; it hears once that the other one lost it.
        if (Q_LIKELY(!m_clashesTold.contains(room + u'/' + localId + u'/' + other.id))) {
            m_clashesTold.insert(room + u'/' + localId + u'/' + other.id);
            session->sendError(
                    ErrorCode::NickTaken,
                    u"'%1' on server '%2' also joined as '%3' while the network was split; "
                    "you keep the nick, they were removed from the room"_s.arg(other.id,
                                                                               other.server, nick),
                    u"join"_s, room);
        }
        return;
    }
    session->sendError(
            ErrorCode::NickTaken,
            u"the network healed and '%1' on server '%2' holds the nick '%3' in room "
            "'%4'; join again with another nick"_s.arg(other.id, other.server, nick, room),
            u"join"_s, room);
    const auto departure = leaveRoom(session, room, u"nick-clash"_s);
    session->send(Protocol::Left {room});
    m_federation.localMembersChanged({departure});
}

void ChatServer::dropOverruledMembers(const QString &room)
{
    QList<Protocol::Link::Departure> departures;
    for (ClientSession *session : m_rooms.localSessions(room)) {
        session->sendError(ErrorCode::RoomLocked,
                           u"room '%1' was locked on another server at the same time; join again "
                           "with its password"_s.arg(room),
                           u"join"_s, room);
        departures.append(leaveRoom(session, room, u"room-locked"_s));
        session->send(Protocol::Left {room});
    }
    if (!departures.isEmpty())
        m_federation.localMembersChanged(departures);
}

void ChatServer::sendServers(ClientSession *session)
{
    session->send(Protocol::Servers {m_federation.servers()});
}

} // namespace Server
