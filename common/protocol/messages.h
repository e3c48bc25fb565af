#pragma once

#include <protocol/errorcode.h>

#include <QByteArray>
#include <QCborMap>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

// Typed control messages. Each has a wire type name ("t" in the CBOR map); the list of types is
// append-only. docs/PROTOCOL.md describes every field; tests/common/protocol holds the examples.
namespace Protocol {

// 2: a member is a row [id, nick, key, ip?, srv?], not a map of named fields (PROTOCOL.md).
inline constexpr int ProtocolVersion = 2;
// A server refuses an older client's hello (error `old-version`) and an older server's link: they
// could not read the member rows in its lists and messages. Clients and servers read both forms,
// so a new client can use an older server.
inline constexpr int OldestPeerVersion = 2;

struct MemberInfo
{
    QString id; // network-unique client id, "server/n"
    QString nick;
    QString ip; // the address its server sees, only if the member shows it; empty otherwise
    QString server; // name of the server the member is connected to
    QByteArray key; // the member's Ed25519 public key (32 bytes), proven in its hello
    friend bool operator==(const MemberInfo &, const MemberInfo &) = default;
};

// --- client to server -------------------------------------------------------------------------
struct Hello
{
    QString nick;
    int version = ProtocolVersion;
    QString software;
    QByteArray key; // Ed25519 public key, 32 bytes
    QByteArray signature; // 64 bytes over Protocol::helloProof(binding, nick)
    bool showAddress = false; // "showip": other members and servers may see the address
    friend bool operator==(const Hello &, const Hello &) = default;
};
struct Join
{
    QString room;
    QString key = {}; // the room password; empty = none (an open room, or creating one unlocked)
    friend bool operator==(const Join &, const Join &) = default;
};
struct Leave
{
    QString room;
    friend bool operator==(const Leave &, const Leave &) = default;
};
// targets empty = the whole room (@all); otherwise nicks or IP addresses of members.
struct Say
{
    QString room;
    QStringList targets;
    QString text;
    friend bool operator==(const Say &, const Say &) = default;
};
// server empty = the client's own server.
struct Ping
{
    quint32 id = 0;
    QString server;
    friend bool operator==(const Ping &, const Ping &) = default;
};

// --- server to client -------------------------------------------------------------------------
struct Welcome
{
    QString server;
    QString clientId;
    QString address; // the client's address as the server sees it
    int version = ProtocolVersion;
    friend bool operator==(const Welcome &, const Welcome &) = default;
};
struct Joined
{
    QString room;
    QList<MemberInfo> members; // includes the joining client itself
    friend bool operator==(const Joined &, const Joined &) = default;
};
struct Left
{
    QString room;
    friend bool operator==(const Left &, const Left &) = default;
};
struct MemberJoined
{
    QString room;
    MemberInfo member;
    friend bool operator==(const MemberJoined &, const MemberJoined &) = default;
};
// Several members joined, in this order: a room's presence held for a while goes out as one
// list (one frame header, not one per member, for every member of a large room).
struct MembersJoined
{
    QString room;
    QList<MemberInfo> members;
    friend bool operator==(const MembersJoined &, const MembersJoined &) = default;
};
struct MemberLeft
{
    QString room;
    MemberInfo member;
    QString reason; // "left", "quit", "timeout", "split"
    friend bool operator==(const MemberLeft &, const MemberLeft &) = default;
};
// targets empty = sent to the whole room; otherwise the ids of the addressed members.
struct ChatMessage
{
    QString room;
    MemberInfo from;
    QStringList targets;
    QString text;
    qint64 time = 0; // ms since the epoch, stamped by the sender's server
    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};
struct Pong
{
    quint32 id = 0;
    QString server;
    qint64 time = 0; // the answering server's clock, ms since the epoch
    int hops = 0;
    friend bool operator==(const Pong &, const Pong &) = default;
};
struct Error
{
    ErrorCode code = ErrorCode::BadFrame;
    QString text;
    QString ref; // type of the message that caused it, if known
    QString room; // room concerned, if any
    friend bool operator==(const Error &, const Error &) = default;
};

// --- application payloads between members of a room ------------------------------------------
// The server routes these like chat (room membership, @nick/@ip/@id targets) without reading
// `body`: file search, offers and transfer signalling travel this way, so there is one routing
// mechanism for every member-to-member message. targets empty = every other member.
struct Relay
{
    QString room;
    QStringList targets; // nicks, IP addresses or client ids
    QString kind; // what the body is, e.g. "find", "offer"; 1-32 of [a-z0-9-]
    QCborMap body;
    friend bool operator==(const Relay &, const Relay &) = default;
};
struct Relayed
{
    QString room;
    MemberInfo from;
    QStringList targets; // ids of the addressed members; empty = the whole room
    QString kind;
    QCborMap body;
    friend bool operator==(const Relayed &, const Relayed &) = default;
};

// --- both directions --------------------------------------------------------------------------
// Orderly end of a session: a client quitting, or a server going away.
struct Bye
{
    QString reason;
    friend bool operator==(const Bye &, const Bye &) = default;
};

// --- federation ------------------------------------------------------------------------------
// Server to client: the servers of the network the client can reach through its own server, so
// that a client knowing one server learns the others (closest-server choice and failover).
struct ServerInfo
{
    QString name;
    QString address; // "host:port" for clients; empty when that server advertises none
    int hops = 0; // links between the client's server and this one
    friend bool operator==(const ServerInfo &, const ServerInfo &) = default;
};
struct Servers
{
    QList<ServerInfo> servers; // the client's own server first, with hops 0
    friend bool operator==(const Servers &, const Servers &) = default;
};

// --- UDP relay allocation (docs/NAT.md) ------------------------------------------------------
// Client to server: asks for a relay session on the server's UDP side for one transfer whose
// peers could not reach each other directly. `id` comes back in the answer.
struct UdpRelayOpen
{
    quint32 id = 0;
    friend bool operator==(const UdpRelayOpen &, const UdpRelayOpen &) = default;
};
// Server to client: the session's UDP port on this server and the 16-byte token both peers
// bind with. Refusals come as `error relay-unavailable` with ref "udp-relay-open".
struct UdpRelayOpened
{
    quint32 id = 0;
    quint16 port = 0;
    QByteArray token;
    friend bool operator==(const UdpRelayOpened &, const UdpRelayOpened &) = default;
};

// Client to server: the transfer that used the relay session on `port` ended; the server frees
// it at once instead of waiting for its idle expiry. Only the session's requester may close it;
// anything else is ignored.
struct UdpRelayClose
{
    quint16 port = 0;
    friend bool operator==(const UdpRelayClose &, const UdpRelayClose &) = default;
};

using Message = std::variant<Hello, Join, Leave, Say, Ping, Welcome, Joined, Left, MemberJoined,
                             MembersJoined, MemberLeft, ChatMessage, Pong, Error, Bye, Relay,
                             Relayed, Servers, UdpRelayOpen, UdpRelayOpened, UdpRelayClose>;

} // namespace Protocol
