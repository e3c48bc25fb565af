#pragma once

#include <QString>

namespace Client {

class ClientCore;

// Where a user's identity key and known peers live. By default in the application's data
// folder (AppDataLocation/identity.pem and AppDataLocation/known-peers); given an identity file
// F (--identity, or one derived from a --settings file), the known peers sit beside it as
// "<F without .pem>.known-peers", so that every profile has its own pair.
struct ProfilePaths
{
    QString identity;
    QString knownPeers;

    [[nodiscard]] static ProfilePaths standard();
    [[nodiscard]] static ProfilePaths forIdentity(const QString &identityFile);
};

// Loads the identity (making and saving one, owner-only, when the file does not exist yet)
// and the known peers, and gives both to `core`. False with *error when either file exists
// but cannot be read or parsed: a broken key is never silently replaced by a new one.
bool loadProfile(ClientCore &core, const ProfilePaths &paths, QString *error);

} // namespace Client
