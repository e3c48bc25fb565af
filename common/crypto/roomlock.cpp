#include <crypto/roomlock.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace Crypto {

namespace {

QByteArray hmacSha256(QByteArrayView salt, const QString &password)
{
    const QByteArray message = password.toUtf8();
    QByteArray out(RoomLock::MacBytes, Qt::Uninitialized);
    unsigned int length = 0;
    const unsigned char *done = HMAC(EVP_sha256(), salt.data(), int(salt.size()),
                                     reinterpret_cast<const unsigned char *>(message.constData()),
                                     std::size_t(message.size()),
                                     reinterpret_cast<unsigned char *>(out.data()), &length);
    if (!done || length != unsigned(RoomLock::MacBytes))
        return {};
    return out;
}

} // namespace

RoomLock RoomLock::create(const QString &password)
{
    RoomLock lock;
    lock.salt.resize(SaltBytes);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(lock.salt.data()), int(SaltBytes)) != 1)
        qFatal("RAND_bytes failed: no randomness for a room salt");
    lock.mac = hmacSha256(lock.salt, password);
    if (lock.mac.isEmpty())
        qFatal("HMAC-SHA256 failed for a room lock");
    return lock;
}

bool RoomLock::admits(const QString &password) const
{
    if (!isWellFormed())
        return false;
    const QByteArray candidate = hmacSha256(salt, password);
    return candidate.size() == mac.size()
            && CRYPTO_memcmp(candidate.constData(), mac.constData(), std::size_t(mac.size())) == 0;
}

} // namespace Crypto
