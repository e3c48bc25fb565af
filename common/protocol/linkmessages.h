#pragma once

#include <protocol/messages.h>

#include <QByteArray>
#include <QCborMap>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

// Server-to-server messages on a federation link. They travel in the same length-prefixed CBOR
// frames as the client protocol but use their own type names ("link-*", "lsa", "hb", "route"),
// so a listening server can tell a dialling server from a client by its first frame.
// docs/FEDERATION.md describes the handshake and the routing.
namespace Protocol::Link {

inline constexpr quint32 MaxLinkFrameBytes = 16 * 1024 * 1024;
inline constexpr int MaxTtl = 64;

// Dialler -> listener, first frame: who is calling, and a fresh nonce to be proven against.
struct Hello
{
    QString name;
    quint64 instance = 0; // random per server start: tells a restart or a namesake apart
    QByteArray nonce;
    int version = ProtocolVersion; // of the client messages it routes; absent on the wire = 1
};
// Listener -> dialler: its own identity, its nonce, and its proof over the dialler's nonce.
struct Challenge
{
    QString name;
    quint64 instance = 0;
    QByteArray nonce;
    QByteArray mac;
    int version = ProtocolVersion;
};
// Dialler -> listener: proof over the listener's nonce.
struct Auth
{
    QByteArray mac;
};
struct Accepted
{
};
struct Refused
{
    QString reason;
};
struct Heartbeat
{
};

struct StateMember
{
    QString id;
    QString nick;
    QString ip;
    QStringList rooms;
    QByteArray key; // the member's Ed25519 public key (32 bytes), proven to its own server
    friend bool operator==(const StateMember &, const StateMember &) = default;
};
struct Departure
{
    QString id;
    QString room;
    QString reason;
};
// The password verifier of a locked room that has members on the advertising server.
struct StateLock
{
    QString room;
    QByteArray salt; // Limits::RoomLockSaltBytes
    QByteArray mac; // Limits::RoomLockMacBytes: HMAC-SHA256(salt, password)
    friend bool operator==(const StateLock &, const StateLock &) = default;
};
// Link-state advertisement: one server's whole state, flooded to every server. The newest
// sequence number of an origin wins.
struct State
{
    QString origin;
    quint64 instance = 0;
    quint64 seq = 0;
    QString address; // "host:port" where its clients connect; empty when not advertised
    QStringList neighbours;
    QList<StateMember> members;
    QList<Departure> departures; // why members went since the previous sequence number
    QList<StateLock> locks = {}; // locked rooms among this server's members' rooms
};
// A client message carried from server `src` to the servers in `dst`. Every hop delivers it if
// it is in `dst` and forwards the rest along its shortest paths.
struct Routed
{
    QString src;
    quint64 seq = 0;
    QStringList dst;
    int hops = 0;
    int ttl = MaxTtl;
    QString room; // empty for messages that are not about a room (ping, pong)
    QStringList to; // client ids on the destination servers; empty = every member of the room
    QCborMap message; // an encoded Protocol::Message
};

using Message = std::variant<Hello, Challenge, Auth, Accepted, Refused, Heartbeat, State, Routed>;

[[nodiscard]] QCborMap encode(const Message &message);
// nullopt with *error set when the map is not a valid link message.
[[nodiscard]] std::optional<Message> decode(const QCborMap &map, QString *error);
[[nodiscard]] QByteArray encodeFrame(const Message &message);

} // namespace Protocol::Link
