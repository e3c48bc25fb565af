// Federation: room locks across servers (docs/FEDERATION.md "Room locks").
#include <server-console/federation/federation.h>

#include <server-console/chat/roomlocks.h>
#include <server-console/serverconfig.h>
#include <server-console/serverlogging.h>

#include <QSet>

namespace Server {

namespace Link = Protocol::Link;

QList<Link::StateLock> Federation::localLocks() const
{
    QList<Link::StateLock> out;
    for (const QString &room : m_rooms.roomNames()) {
        const Crypto::RoomLock lock = m_rooms.lock(room);
        if (lock.isLocked() && m_rooms.hasLocalMembers(room))
            out.append(Link::StateLock {room, lock.salt, lock.mac});
    }
    return out;
}

void Federation::reconcileLocks()
{
    // Locks other servers hold, counted only for rooms in which they advertise members: a
    // server has no say over a room it has nobody in.
    QHash<QString, QList<AdvertisedLock>> advertised;
    for (const QString &server : m_router.reachable()) {
        if (server == m_config.name)
            continue;
        const Link::State state = m_states.value(server);
        QSet<QString> roomsWithMembers;
        for (const Link::StateMember &m : state.members)
            roomsWithMembers.unite(QSet<QString>(m.rooms.cbegin(), m.rooms.cend()));
        for (const Link::StateLock &l : state.locks) {
            if (roomsWithMembers.contains(l.room))
                advertised[l.room].append({server, Crypto::RoomLock {l.salt, l.mac}});
        }
    }
    QStringList overruled;
    for (const QString &room : m_rooms.roomNames()) {
        const Crypto::RoomLock own = m_rooms.lock(room);
        const bool local = m_rooms.hasLocalMembers(room);
        QList<AdvertisedLock> candidates = advertised.value(room);
        if (local && own.isLocked())
            candidates.append({m_config.name, own});
        const Crypto::RoomLock winner = winningLock(candidates);
        if (winner == own)
            continue;
        m_rooms.setLock(room, winner);
        if (local) {
            // Our members entered under another lock (or none) than the one that holds.
            qCInfo(lcFederation).noquote()
                    << "room" << room << "is locked by another server: its members here leave";
            overruled.append(room);
        }
    }
    for (const QString &room : std::as_const(overruled))
        Q_EMIT roomLockOverruled(room);
}

} // namespace Server
