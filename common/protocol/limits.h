#pragma once

#include <QtGlobal>

// Protocol limits. They are part of the wire format (docs/PROTOCOL.md) and are checked before
// anything is allocated for the data they bound.
namespace Protocol::Limits {

inline constexpr quint32 DefaultMaxFrameBytes = 1024 * 1024;
inline constexpr qsizetype MaxTextBytes = 16 * 1024; // chat text, UTF-8
inline constexpr qsizetype MaxNickLength = 32;
inline constexpr qsizetype MaxRoomLength = 64;
inline constexpr qsizetype MaxRoomKeyLength = 64; // a room password, characters
inline constexpr qsizetype RoomLockSaltBytes = 16; // a room lock's verifier: salt ...
inline constexpr qsizetype RoomLockMacBytes = 32; // ... and HMAC-SHA256(salt, password)
inline constexpr qsizetype MaxTargets = 32; // @nick/@ip recipients of one message
inline constexpr qsizetype MaxRoomsPerClient = 32;
inline constexpr qsizetype MaxMembersListed = 10000; // members in one "joined" list
inline constexpr qsizetype MaxShortString = 256; // ids, server names, reasons, software
inline constexpr qsizetype MaxErrorText = 1024;
inline constexpr qsizetype MaxRelayKind = 32;
inline constexpr qsizetype MaxRelayBodyBytes = 256 * 1024; // encoded CBOR of a relay body
inline constexpr qsizetype IdentityKeyBytes = 32; // raw Ed25519 public key
inline constexpr qsizetype IdentitySignatureBytes = 64; // Ed25519 signature

} // namespace Protocol::Limits
