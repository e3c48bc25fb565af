#pragma once

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
    // Removes the member with that id; an empty room is forgotten.
    void leave(const QString &room, const QString &id);

    [[nodiscard]] QList<RoomMember> members(const QString &room) const;
    [[nodiscard]] QList<ClientSession *> localSessions(const QString &room) const;
    [[nodiscard]] QList<Protocol::MemberInfo> memberInfos(const QString &room) const;
    // Resolves "@nick", "@ip" or "@id" (without the '@') to members of the room.
    [[nodiscard]] QList<RoomMember> resolve(const QString &room, const QString &target) const;
    [[nodiscard]] QStringList roomNames() const { return m_rooms.keys(); }
    [[nodiscard]] int roomCount() const { return int(m_rooms.size()); }

private:
    QHash<QString, QList<RoomMember>> m_rooms; // join order is kept
};

} // namespace Server
