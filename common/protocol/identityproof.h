#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Protocol {

// What a client signs with its identity key in hello, and what the server verifies
// (docs/PROTOCOL.md, "hello"): a fixed context string and its NUL, one byte with the length of
// the channel binding, the channel binding (the SHA-256 of the server's TLS certificate as both
// ends see it; empty without TLS; at most 255 bytes), and the nick in UTF-8. The binding ties a
// proof to one server, so a server that saw it cannot replay it to another; the nick ties it to one
// name.
inline constexpr char HelloProofContext[] = "hopshare-hello-v1";

[[nodiscard]] QByteArray helloProof(QByteArrayView channelBinding, const QString &nick);

} // namespace Protocol
