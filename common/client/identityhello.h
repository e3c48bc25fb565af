#pragma once

#include <crypto/identitykey.h>
#include <protocol/messages.h>

#include <QByteArrayView>

namespace Client {

// A hello that proves possession of `key`: its public key and its signature over
// Protocol::helloProof(channelBinding, nick). Every way a client greets a server (ClientCore,
// the server probes, the bench) builds its hello here.
[[nodiscard]] Protocol::Hello signedHello(const Crypto::IdentityKey &key, const QString &nick,
                                          const QString &software, QByteArrayView channelBinding);

} // namespace Client
