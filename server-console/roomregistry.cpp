#include "roomregistry.h"

#include "clientsession.h"

#include <protocol/names.h>

#include <QHostAddress>

namespace Server {

bool RoomRegistry::nickAvailable(const QString &room, const QString &nick) const
{
    const QString key = Protocol::nickKey(nick);
    for (const ClientSession *s : m_rooms.value(room)) {
        if (Protocol::nickKey(s->info().nick) == key)
            return false;
    }
    return true;
}

void RoomRegistry::join(const QString &room, ClientSession *session)
{
    QList<ClientSession *> &list = m_rooms[room];
    if (!list.contains(session))
        list.append(session);
}

void RoomRegistry::leave(const QString &room, ClientSession *session)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    it->removeAll(session);
    if (it->isEmpty())
        m_rooms.erase(it);
}

QList<ClientSession *> RoomRegistry::members(const QString &room) const
{
    return m_rooms.value(room);
}

QList<Protocol::MemberInfo> RoomRegistry::memberInfos(const QString &room) const
{
    QList<Protocol::MemberInfo> out;
    for (const ClientSession *s : m_rooms.value(room))
        out.append(s->info());
    return out;
}

QList<ClientSession *> RoomRegistry::resolve(const QString &room, const QString &target) const
{
    QList<ClientSession *> out;
    const QHostAddress asAddress(target);
    const bool byAddress = !asAddress.isNull();
    const bool byId = target.contains(u'/'); // ids are "server/n"; nicks have no '/'
    const QString key = Protocol::nickKey(target);
    for (ClientSession *s : m_rooms.value(room)) {
        const bool match = byId ? s->info().id == target
                : byAddress     ? QHostAddress(s->info().ip).isEqual(asAddress)
                                : Protocol::nickKey(s->info().nick) == key;
        if (match)
            out.append(s);
    }
    return out;
}

} // namespace Server
