#include <server-console/chat/presencebatch.h>

#include <server-console/chat/clientsession.h>
#include <server-console/chat/roomregistry.h>

#include <protocol/messagecodec.h>

#include <QSet>
#include <QTimer>

namespace Server {

PresenceBatcher::PresenceBatcher(const RoomRegistry &rooms, QObject *parent)
    : QObject(parent)
    , m_rooms(rooms)
{ }

void PresenceBatcher::announce(const QString &room, const QByteArray &frame)
{
    m_pending[room].frames += frame;
    schedule();
}

void PresenceBatcher::addJoiner(const QString &room, ClientSession *session)
{
    m_pending[room].joiners.append(session);
    m_joining[session].append(room);
    schedule();
}

bool PresenceBatcher::isJoining(const QString &room, ClientSession *session) const
{
    const auto it = m_joining.constFind(session);
    return it != m_joining.cend() && it->contains(room);
}

void PresenceBatcher::flushFor(ClientSession *session)
{
    const auto it = m_joining.constFind(session);
    if (it == m_joining.cend())
        return;
    const QStringList rooms = *it;
    for (const QString &room : rooms)
        flush(room);
}

void PresenceBatcher::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    // Zero timeout: after the socket events of this turn, so a burst read in it is one batch.
    QTimer::singleShot(0, this, &PresenceBatcher::flushAll);
}

void PresenceBatcher::flush(const QString &room)
{
    const auto it = m_pending.find(room);
    if (it == m_pending.end())
        return;
    const Pending pending = std::move(*it);
    m_pending.erase(it);
    for (ClientSession *s : pending.joiners) {
        const auto joining = m_joining.find(s);
        if (joining != m_joining.end() && joining->removeAll(room) > 0 && joining->isEmpty())
            m_joining.erase(joining);
    }
    const QSet<ClientSession *> joiners(pending.joiners.cbegin(), pending.joiners.cend());
    if (!pending.frames.isEmpty()) {
        for (ClientSession *s : m_rooms.localSessions(room)) {
            if (!joiners.contains(s))
                s->sendFrame(pending.frames);
        }
    }
    if (!pending.joiners.isEmpty()) {
        const QByteArray joined
                = Protocol::encodeMessageFrame(Protocol::Joined {room, m_rooms.memberInfos(room)});
        for (ClientSession *s : pending.joiners)
            s->sendFrame(joined);
    }
}

void PresenceBatcher::flushAll()
{
    m_scheduled = false;
    const QStringList rooms = m_pending.keys();
    for (const QString &room : rooms)
        flush(room);
}

} // namespace Server
