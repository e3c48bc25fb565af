#pragma once

#include <protocol/messages.h>

#include <QHash>
#include <QList>
#include <QString>

namespace Server {

class ClientSession;

// Rooms by name and who is in them. Pure bookkeeping: no sockets, no messages.
class RoomRegistry
{
public:
    // False if the nick is already taken in that room (case-insensitively).
    [[nodiscard]] bool nickAvailable(const QString &room, const QString &nick) const;
    void join(const QString &room, ClientSession *session);
    // Removes the session; an empty room is forgotten.
    void leave(const QString &room, ClientSession *session);

    [[nodiscard]] QList<ClientSession *> members(const QString &room) const;
    [[nodiscard]] QList<Protocol::MemberInfo> memberInfos(const QString &room) const;
    // Resolves "@nick", "@ip" or "@id" (without the '@') to members of the room.
    [[nodiscard]] QList<ClientSession *> resolve(const QString &room, const QString &target) const;
    [[nodiscard]] int roomCount() const { return int(m_rooms.size()); }

private:
    QHash<QString, QList<ClientSession *>> m_rooms; // join order is kept
};

} // namespace Server
