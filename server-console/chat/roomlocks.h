#pragma once

#include <crypto/roomlock.h>

#include <QList>
#include <QString>

namespace Server {

class RoomRegistry;

// Whether a join may enter a room, as far as its password goes. The password is checked
// against the verifier only; it is never kept or logged.
struct JoinAdmission
{
    enum class Result { Admitted, NeedsKey, WrongKey };
    Result result = Result::Admitted;
    // Set when the join creates the room with a password: the lock to install once it joined.
    Crypto::RoomLock newLock;
};
[[nodiscard]] JoinAdmission admitJoin(const RoomRegistry &rooms, const QString &room,
                                      const QString &key);

// One server's lock of a room, as it advertises it (or this server's own).
struct AdvertisedLock
{
    QString server;
    Crypto::RoomLock lock;
};
// The lock a room has across the network when servers disagree (two locked it at once, or the
// two sides of a split did): a lock beats no lock, and between locks the one advertised by the
// smallest server name wins. Every server decides the same without asking. Unlocked when empty.
[[nodiscard]] Crypto::RoomLock winningLock(QList<AdvertisedLock> locks);

} // namespace Server
