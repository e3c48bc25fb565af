#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace Protocol {

// Error codes carried by the "error" message. Append-only: the wire name of a code never changes.
enum class ErrorCode {
    BadFrame, // invalid CBOR or not a map
    FrameTooLarge, // length prefix above the frame limit
    UnknownType, // "t" names no known message
    BadField, // a field is missing, of the wrong type or out of range
    WrongState, // e.g. "join" before "hello"
    BadNick,
    BadRoom,
    NickTaken,
    NotInRoom,
    AlreadyInRoom,
    TooManyRooms,
    NoSuchMember,
    TextTooLong,
    RateLimited,
    ServerFull,
    ShuttingDown,
    TooManyErrors,
    NoSuchServer,
    RelayUnavailable, // no UDP relay session: limits reached or relaying switched off
    SendQueueFull, // the client did not read what the server sent: it was dropped
    HelloTimeout, // no hello within the server's hello deadline
    TooManyConnections, // the source address already holds its share of connections
    BadIdentity, // hello without a valid identity key and proof of possession
    RoomLocked, // the room has a password and the join gave none or a wrong one
    OldVersion, // the hello's protocol version is older than the server can still write
};

[[nodiscard]] QString errorCodeName(ErrorCode code);
[[nodiscard]] std::optional<ErrorCode> errorCodeFromName(QStringView name);

} // namespace Protocol
