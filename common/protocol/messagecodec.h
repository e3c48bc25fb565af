#pragma once

#include <protocol/errorcode.h>
#include <protocol/messages.h>

#include <QCborMap>
#include <QString>

#include <optional>

namespace Protocol {

struct MessageDecodeResult
{
    std::optional<Message> message;
    ErrorCode error = ErrorCode::BadField; // meaningful when message is empty
    QString errorText;
    QString type; // the "t" value when it was readable, for error replies
};

// The wire name of a message's type ("hello", "join", ...).
[[nodiscard]] QString messageTypeName(const Message &message);

[[nodiscard]] QCborMap encodeMessage(const Message &message);
// Checks types, ranges and lengths of every field; unknown keys are ignored.
[[nodiscard]] MessageDecodeResult decodeMessage(const QCborMap &map);

// A whole frame (length prefix + CBOR) ready for a socket.
[[nodiscard]] QByteArray encodeMessageFrame(const Message &message);

} // namespace Protocol
