#include <server-console/chat/identitycheck.h>

#include <crypto/identitykey.h>
#include <protocol/identityproof.h>
#include <protocol/limits.h>

using namespace Qt::StringLiterals;

namespace Server {

QString identityProblem(const Protocol::Hello &hello, QByteArrayView channelBinding)
{
    // Every Hopshare client has an identity; a hello without one is refused rather than
    // admitted as an anonymous member nobody could recognise again.
    if (hello.key.isEmpty() || hello.signature.isEmpty())
        return u"hello carries no identity key and proof"_s;
    if (hello.key.size() != Protocol::Limits::IdentityKeyBytes)
        return u"identity key must be %1 bytes"_s.arg(Protocol::Limits::IdentityKeyBytes);
    if (hello.signature.size() != Protocol::Limits::IdentitySignatureBytes)
        return u"identity proof must be %1 bytes"_s.arg(Protocol::Limits::IdentitySignatureBytes);
    if (!Crypto::IdentityKey::verify(hello.key, Protocol::helloProof(channelBinding, hello.nick),
                                     hello.signature))
        return u"identity proof does not verify for this key, nick and server"_s;
    return {};
}

} // namespace Server
