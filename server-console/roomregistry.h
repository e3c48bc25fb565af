#pragma once

#include <crypto/roomlock.h>
#include <protocol/messages.h>

#include <QHash>
#include <QList>
#include <QString>

namespace Server {

class ClientSession;

// One member of a room: a client of this server (session set) or of another server in the
// network (session null; its server routes to it).
struct RoomMember
{
    Protocol::MemberInfo info;
    ClientSession *session = nullptr;
    [[nodiscard]] bool isLocal() const { return session != nullptr; }
};

// Rooms by name and who is in them, wherever they are connected. Pure bookkeeping: no sockets,
// no messages.
class RoomRegistry
{
public:
    // False if the nick is already taken in that room (case-insensitively).
    [[nodiscard]] bool nickAvailable(const QString &room, const QString &nick) const;
    void join(const QString &room, const RoomMember &member);
    // Removes the member with that id; an empty room is forgotten, with its lock.
    void leave(const QString &room, const QString &id);
    [[nodiscard]] bool exists(const QString &room) const { return m_rooms.contains(room); }
    [[nodiscard]] bool hasLocalMembers(const QString &room) const;

    // The room's password verifier as this server enforces it: set by the member who created
    // the room here, or taken from the server whose lock wins (docs/FEDERATION.md "Room locks").
    [[nodiscard]] Crypto::RoomLock lock(const QString &room) const { return m_locks.value(room); }
    void setLock(const QString &room, const Crypto::RoomLock &lock);

    [[nodiscard]] QList<RoomMember> members(const QString &room) const;
    [[nodiscard]] QList<ClientSession *> localSessions(const QString &room) const;
    [[nodiscard]] QList<Protocol::MemberInfo> memberInfos(const QString &room) const;
    // Resolves "@nick", "@ip" or "@id" (without the '@') to members of the room. An address
    // matches only members who show theirs (a hidden member's MemberInfo::ip is empty).
    [[nodiscard]] QList<RoomMember> resolve(const QString &room, const QString &target) const;
    [[nodiscard]] QStringList roomNames() const { return m_rooms.keys(); }
    [[nodiscard]] int roomCount() const { return int(m_rooms.size()); }

private:
    QHash<QString, QList<RoomMember>> m_rooms; // join order is kept
    QHash<QString, Crypto::RoomLock> m_locks; // only rooms that exist and are locked
};

} // namespace Server
