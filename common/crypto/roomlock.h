#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Crypto {

// What a server keeps of a room password: a random salt and HMAC-SHA256(salt, password). The
// password itself is never stored, logged or sent between servers; the verifier is what
// linked servers exchange (docs/FEDERATION.md "Room locks").
struct RoomLock
{
    static constexpr qsizetype SaltBytes = 16;
    static constexpr qsizetype MacBytes = 32;

    QByteArray salt;
    QByteArray mac;

    [[nodiscard]] bool isLocked() const { return !mac.isEmpty(); }
    // A fresh lock for that password (a new random salt each time).
    [[nodiscard]] static RoomLock create(const QString &password);
    // Constant-time: true when the password's MAC under this salt is this lock's MAC.
    [[nodiscard]] bool admits(const QString &password) const;
    // A lock received from another server: exact sizes, or it is not a lock at all.
    [[nodiscard]] bool isWellFormed() const
    {
        return salt.size() == SaltBytes && mac.size() == MacBytes;
    }
    friend bool operator==(const RoomLock &, const RoomLock &) = default;
};

} // namespace Crypto
