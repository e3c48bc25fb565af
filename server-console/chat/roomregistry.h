#pragma once

#include <crypto/roomlock.h>
#include <protocol/messages.h>

#include <QHash>
#include <QList>
#include <QMultiHash>
#include <QString>

#include <map>
#include <optional>

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
// no messages. Joins, leaves and lookups by id or nick are hash lookups, so a room of N members
// costs O(N) to fill, not O(N²); the member lists handed out are cached until the room changes.
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
    [[nodiscard]] bool contains(const QString &room, const QString &id) const;

    // The room's password verifier as this server enforces it: set by the member who created
    // the room here, or taken from the server whose lock wins (docs/FEDERATION.md "Room locks").
    [[nodiscard]] Crypto::RoomLock lock(const QString &room) const { return m_locks.value(room); }
    void setLock(const QString &room, const Crypto::RoomLock &lock);

    // In join order. The lists are the registry's cached ones, shared: const, so that a
    // range-for over the returned value does not detach (deep-copy) them, which copied a
    // room's every member for each message it carried.
    [[nodiscard]] const QList<RoomMember> members(const QString &room) const;
    [[nodiscard]] const QList<ClientSession *> localSessions(const QString &room) const;
    // The members on other servers, in join order (cached like the lists above: a message to
    // the whole room walked every member to find them, a fifth of the server in a room of 5000).
    [[nodiscard]] const QList<Protocol::MemberInfo> remoteMembers(const QString &room) const;
    // Visits the members in join order without copying them (the visitor must not change the
    // registry).
    template<typename Visitor>
    void forEachMember(const QString &room, Visitor &&visit) const
    {
        const auto it = m_rooms.constFind(room);
        if (it == m_rooms.cend())
            return;
        for (const auto &entry : it->bySeq)
            visit(entry.second);
    }
    // The room's members as `joined` lists them: each one's encoded entry, in join order
    // (Protocol::joinedFrameHead), in pieces of up to kEncodedChunkBytes. Kept from join to
    // join, rebuilt after a leave. The pieces are written as they are: a join that appends
    // while the last `joined` is still queued copies only the last piece, not the list.
    [[nodiscard]] QList<QByteArray> encodedMembers(const QString &room) const;
    static constexpr qsizetype kEncodedChunkBytes = 64 * 1024;
    [[nodiscard]] qsizetype memberCount(const QString &room) const;
    [[nodiscard]] int localCount(const QString &room) const;
    // Resolves "@nick", "@ip" or "@id" (without the '@') to members of the room. An address
    // matches only members who show theirs (a hidden member's MemberInfo::ip is empty).
    [[nodiscard]] QList<RoomMember> resolve(const QString &room, const QString &target) const;
    [[nodiscard]] QStringList roomNames() const { return m_rooms.keys(); }
    [[nodiscard]] int roomCount() const { return int(m_rooms.size()); }

private:
    struct Room
    {
        std::map<quint64, RoomMember> bySeq; // join order
        QHash<QString, quint64> seqById;
        QMultiHash<QString, quint64> seqByNick; // nick key; a split can leave a nick twice
        quint64 nextSeq = 0;
        int localCount = 0;
        // Rebuilt on first use after a change: a room's messages between changes share them.
        mutable std::optional<QList<RoomMember>> members;
        mutable std::optional<QList<ClientSession *>> locals;
        mutable std::optional<QList<Protocol::MemberInfo>> remotes;
        mutable std::optional<QList<QByteArray>> encoded; // a join appends, a leave drops it
        void appendEncoded(const QByteArray &entry) const;
        void changed()
        {
            members.reset();
            locals.reset();
            remotes.reset();
        }
    };

    QHash<QString, Room> m_rooms;
    QHash<QString, Crypto::RoomLock> m_locks; // only rooms that exist and are locked
};

} // namespace Server
