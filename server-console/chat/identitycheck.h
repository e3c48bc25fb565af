#pragma once

#include <protocol/messages.h>

#include <QByteArrayView>
#include <QString>

namespace Server {

// Checks a hello's proof of possession: a 32-byte Ed25519 key and its signature over
// Protocol::helloProof(channelBinding, nick), with the binding as this server sees it. Returns
// why it is refused, or an empty string when the client holds the key it claims.
[[nodiscard]] QString identityProblem(const Protocol::Hello &hello, QByteArrayView channelBinding);

} // namespace Server
