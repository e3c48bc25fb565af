#include "roomregistry.h"

#include "clientsession.h"

#include <protocol/names.h>

#include <QHostAddress>

#include <algorithm>

namespace Server {

bool RoomRegistry::nickAvailable(const QString &room, const QString &nick) const
{
    // Nicks are ASCII (Protocol::isValidNick), so a case-insensitive compare is the same test
    // as comparing nick keys, without building a key per member on every join.
    for (const RoomMember &m : m_rooms.value(room)) {
        if (m.info.nick.compare(nick, Qt::CaseInsensitive) == 0)
            return false;
    }
    return true;
}

void RoomRegistry::join(const QString &room, const RoomMember &member)
{
    QList<RoomMember> &list = m_rooms[room];
    for (const RoomMember &m : std::as_const(list)) {
        if (m.info.id == member.info.id)
            return;
    }
    list.append(member);
}

void RoomRegistry::leave(const QString &room, const QString &id)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    it->removeIf([&id](const RoomMember &m) { return m.info.id == id; });
    if (it->isEmpty()) {
        m_rooms.erase(it);
        m_locks.remove(room); // a room nobody is in is forgotten with its password
    }
}

bool RoomRegistry::hasLocalMembers(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    return it != m_rooms.cend() && std::any_of(it->cbegin(), it->cend(), [](const RoomMember &m) {
               return m.isLocal();
           });
}

void RoomRegistry::setLock(const QString &room, const Crypto::RoomLock &lock)
{
    if (lock.isLocked() && m_rooms.contains(room))
        m_locks.insert(room, lock);
    else
        m_locks.remove(room);
}

QList<RoomMember> RoomRegistry::members(const QString &room) const
{
    return m_rooms.value(room);
}

QList<ClientSession *> RoomRegistry::localSessions(const QString &room) const
{
    QList<ClientSession *> out;
    for (const RoomMember &m : m_rooms.value(room)) {
        if (m.session)
            out.append(m.session);
    }
    return out;
}

QList<Protocol::MemberInfo> RoomRegistry::memberInfos(const QString &room) const
{
    QList<Protocol::MemberInfo> out;
    for (const RoomMember &m : m_rooms.value(room))
        out.append(m.info);
    return out;
}

QList<RoomMember> RoomRegistry::resolve(const QString &room, const QString &target) const
{
    QList<RoomMember> out;
    const QHostAddress asAddress(target);
    const bool byAddress = !asAddress.isNull();
    const bool byId = target.contains(u'/'); // ids are "server/n"; nicks have no '/'
    const QString key = Protocol::nickKey(target);
    for (const RoomMember &m : m_rooms.value(room)) {
        const bool match = byId ? m.info.id == target
                : byAddress     ? !m.info.ip.isEmpty() && QHostAddress(m.info.ip).isEqual(asAddress)
                                : Protocol::nickKey(m.info.nick) == key;
        if (match)
            out.append(m);
    }
    return out;
}

} // namespace Server
