#include <client/identityhello.h>

#include <protocol/identityproof.h>

namespace Client {

Protocol::Hello signedHello(const Crypto::IdentityKey &key, const QString &nick,
                            const QString &software, QByteArrayView channelBinding)
{
    Protocol::Hello hello {nick, Protocol::ProtocolVersion, software, key.publicKey(), {}};
    hello.signature = key.sign(Protocol::helloProof(channelBinding, nick));
    return hello;
}

} // namespace Client
