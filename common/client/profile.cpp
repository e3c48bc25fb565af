#include <client/profile.h>

#include <client/clientcore.h>
#include <client/knownpeers.h>

#include <crypto/identitykey.h>

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Client {

ProfilePaths ProfilePaths::standard()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return {dir + u"/identity.pem"_s, dir + u"/known-peers"_s};
}

ProfilePaths ProfilePaths::forIdentity(const QString &identityFile)
{
    QString base = QFileInfo(identityFile).absoluteFilePath();
    if (base.endsWith(u".pem"_s))
        base.chop(4);
    return {identityFile, base + u".known-peers"_s};
}

bool loadProfile(ClientCore &core, const ProfilePaths &paths, QString *error)
{
    QString why;
    if (!QFileInfo::exists(paths.identity))
        QDir().mkpath(QFileInfo(paths.identity).absolutePath());
    auto key = Crypto::IdentityKey::loadOrCreate(paths.identity, &why);
    if (!key) {
        *error = u"identity key %1: %2"_s.arg(paths.identity, why);
        return false;
    }
    auto peers = std::make_shared<KnownPeers>(paths.knownPeers);
    if (!peers->load(&why)) {
        *error = why;
        return false;
    }
    core.setIdentity(std::make_shared<const Crypto::IdentityKey>(std::move(*key)));
    core.setKnownPeers(std::move(peers));
    return true;
}

} // namespace Client
