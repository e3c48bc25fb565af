#include <server-console/chat/roomlocks.h>

#include <server-console/chat/roomregistry.h>

#include <algorithm>

namespace Server {

JoinAdmission admitJoin(const RoomRegistry &rooms, const QString &room, const QString &key)
{
    JoinAdmission out;
    if (!rooms.exists(room)) {
        // The first member anywhere this server knows of decides: with a key it locks the room.
        if (!key.isEmpty())
            out.newLock = Crypto::RoomLock::create(key);
        return out;
    }
    const Crypto::RoomLock lock = rooms.lock(room);
    if (!lock.isLocked())
        return out; // an open room stays open; a key given for it is ignored
    if (key.isEmpty())
        out.result = JoinAdmission::Result::NeedsKey;
    else if (!lock.admits(key))
        out.result = JoinAdmission::Result::WrongKey;
    return out;
}

Crypto::RoomLock winningLock(QList<AdvertisedLock> locks)
{
    locks.removeIf([](const AdvertisedLock &l) { return !l.lock.isWellFormed(); });
    if (locks.isEmpty())
        return {};
    const auto winner = std::min_element(
            locks.cbegin(), locks.cend(),
            [](const AdvertisedLock &a, const AdvertisedLock &b) { return a.server < b.server; });
    return winner->lock;
}

} // namespace Server
