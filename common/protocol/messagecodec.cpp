#include <protocol/messagecodec.h>

#include <protocol/fieldreader.h>
#include <protocol/framecodec.h>
#include <protocol/limits.h>
#include <protocol/membercodec.h>

#include <QCborArray>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace Protocol {

namespace {

constexpr qint64 kU32Max = std::numeric_limits<quint32>::max();
constexpr qint64 kI64Max = std::numeric_limits<qint64>::max();
constexpr qsizetype kMaxServersListed = 1024; // servers in one "servers" message

QCborArray toArray(const QStringList &list)
{
    QCborArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

// One specialisation per message: its wire name, how to write it and how to read it.
template<typename T>
struct Codec;

template<>
struct Codec<Hello>
{
    static constexpr QStringView name = u"hello";
    static void write(const Hello &m, QCborMap &map)
    {
        map[u"nick"_s] = m.nick;
        map[u"v"_s] = m.version;
        map[u"sw"_s] = m.software;
        if (!m.key.isEmpty())
            map[u"key"_s] = m.key;
        if (!m.signature.isEmpty())
            map[u"sig"_s] = m.signature;
        if (m.showAddress)
            map[u"showip"_s] = true;
    }
    static void read(FieldReader &r, Hello &m)
    {
        m.nick = r.string(u"nick", Limits::MaxShortString);
        m.version = int(r.integer(u"v", 1, 1000));
        m.software = r.string(u"sw", Limits::MaxShortString, false);
        m.showAddress = r.boolean(u"showip");
        // Optional at the codec level so that the server can answer a hello without an
        // identity with `bad-identity`; present, they have their exact sizes or the hello is
        // refused with `bad-identity` too.
        const bool fineSoFar = r.ok();
        m.key = r.fixedBytes(u"key", Limits::IdentityKeyBytes, false);
        m.signature = r.fixedBytes(u"sig", Limits::IdentitySignatureBytes, false);
        if (fineSoFar && !r.ok())
            r.setErrorCode(ErrorCode::BadIdentity);
    }
};
template<>
struct Codec<Join>
{
    static constexpr QStringView name = u"join";
    static void write(const Join &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        if (!m.key.isEmpty())
            map[u"key"_s] = m.key;
    }
    static void read(FieldReader &r, Join &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.key = r.string(u"key", Limits::MaxRoomKeyLength, false);
    }
};
template<>
struct Codec<Leave>
{
    static constexpr QStringView name = u"leave";
    static void write(const Leave &m, QCborMap &map) { map[u"room"_s] = m.room; }
    static void read(FieldReader &r, Leave &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
    }
};
template<>
struct Codec<Say>
{
    static constexpr QStringView name = u"say";
    static void write(const Say &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        if (!m.targets.isEmpty())
            map[u"to"_s] = toArray(m.targets);
        map[u"text"_s] = m.text;
    }
    static void read(FieldReader &r, Say &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.targets = r.stringList(u"to", Limits::MaxTargets, Limits::MaxShortString);
        m.text = r.string(u"text", Limits::MaxTextBytes);
    }
};
template<>
struct Codec<Ping>
{
    static constexpr QStringView name = u"ping";
    static void write(const Ping &m, QCborMap &map)
    {
        map[u"id"_s] = qint64(m.id);
        if (!m.server.isEmpty())
            map[u"srv"_s] = m.server;
    }
    static void read(FieldReader &r, Ping &m)
    {
        m.id = quint32(r.integer(u"id", 0, kU32Max));
        m.server = r.string(u"srv", Limits::MaxShortString, false);
    }
};
template<>
struct Codec<Welcome>
{
    static constexpr QStringView name = u"welcome";
    static void write(const Welcome &m, QCborMap &map)
    {
        map[u"srv"_s] = m.server;
        map[u"id"_s] = m.clientId;
        map[u"addr"_s] = m.address;
        map[u"v"_s] = m.version;
    }
    static void read(FieldReader &r, Welcome &m)
    {
        m.server = r.string(u"srv", Limits::MaxShortString);
        m.clientId = r.string(u"id", Limits::MaxShortString);
        m.address = r.string(u"addr", Limits::MaxShortString, false);
        m.version = int(r.integer(u"v", 1, 1000));
    }
};
// `joined` and `members-joined`: a room and a list of members.
template<typename T>
struct RoomMembersCodec
{
    static void write(const T &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        map[u"members"_s] = encodeMembers(m.members);
    }
    static void read(FieldReader &r, T &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.members = readMembers(r);
    }
};
template<>
struct Codec<Joined> : RoomMembersCodec<Joined>
{
    static constexpr QStringView name = u"joined";
};
template<>
struct Codec<Left>
{
    static constexpr QStringView name = u"left";
    static void write(const Left &m, QCborMap &map) { map[u"room"_s] = m.room; }
    static void read(FieldReader &r, Left &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
    }
};
template<>
struct Codec<MemberJoined>
{
    static constexpr QStringView name = u"member-joined";
    static void write(const MemberJoined &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        map[u"member"_s] = encodeMember(m.member);
    }
    static void read(FieldReader &r, MemberJoined &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.member = readMember(r, u"member");
    }
};
template<>
struct Codec<MembersJoined> : RoomMembersCodec<MembersJoined>
{
    static constexpr QStringView name = u"members-joined";
};
template<>
struct Codec<MemberLeft>
{
    static constexpr QStringView name = u"member-left";
    static void write(const MemberLeft &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        map[u"member"_s] = encodeMember(m.member);
        map[u"reason"_s] = m.reason;
    }
    static void read(FieldReader &r, MemberLeft &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.member = readMember(r, u"member");
        m.reason = r.string(u"reason", Limits::MaxShortString);
    }
};
template<>
struct Codec<ChatMessage>
{
    static constexpr QStringView name = u"msg";
    static void write(const ChatMessage &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        map[u"from"_s] = encodeMember(m.from);
        if (!m.targets.isEmpty())
            map[u"to"_s] = toArray(m.targets);
        map[u"text"_s] = m.text;
        map[u"time"_s] = m.time;
    }
    static void read(FieldReader &r, ChatMessage &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.from = readMember(r, u"from");
        m.targets = r.stringList(u"to", Limits::MaxTargets, Limits::MaxShortString);
        m.text = r.string(u"text", Limits::MaxTextBytes);
        m.time = r.integer(u"time", 0, kI64Max);
    }
};
template<>
struct Codec<Pong>
{
    static constexpr QStringView name = u"pong";
    static void write(const Pong &m, QCborMap &map)
    {
        map[u"id"_s] = qint64(m.id);
        map[u"srv"_s] = m.server;
        map[u"time"_s] = m.time;
        map[u"hops"_s] = m.hops;
    }
    static void read(FieldReader &r, Pong &m)
    {
        m.id = quint32(r.integer(u"id", 0, kU32Max));
        m.server = r.string(u"srv", Limits::MaxShortString);
        m.time = r.integer(u"time", 0, kI64Max);
        m.hops = int(r.integer(u"hops", 0, 255));
    }
};
template<>
struct Codec<Error>
{
    static constexpr QStringView name = u"error";
    static void write(const Error &m, QCborMap &map)
    {
        map[u"code"_s] = errorCodeName(m.code);
        map[u"text"_s] = m.text;
        if (!m.ref.isEmpty())
            map[u"ref"_s] = m.ref;
        if (!m.room.isEmpty())
            map[u"room"_s] = m.room;
    }
    static void read(FieldReader &r, Error &m)
    {
        const QString code = r.string(u"code", Limits::MaxShortString);
        if (const auto c = errorCodeFromName(code))
            m.code = *c;
        else if (r.ok())
            r.fail(u"unknown error code '%1'"_s.arg(code));
        m.text = r.string(u"text", Limits::MaxErrorText);
        m.ref = r.string(u"ref", Limits::MaxShortString, false);
        m.room = r.string(u"room", Limits::MaxShortString, false);
    }
};
template<>
struct Codec<Bye>
{
    static constexpr QStringView name = u"bye";
    static void write(const Bye &m, QCborMap &map) { map[u"reason"_s] = m.reason; }
    static void read(FieldReader &r, Bye &m)
    {
        m.reason = r.string(u"reason", Limits::MaxShortString, false);
    }
};

bool isValidKind(const QString &kind)
{
    if (kind.isEmpty() || kind.size() > Limits::MaxRelayKind)
        return false;
    for (QChar c : kind) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'))
            return false;
    }
    return true;
}

void readRelayCommon(FieldReader &r, QString &kind, QCborMap &body)
{
    kind = r.string(u"kind", Limits::MaxRelayKind);
    if (r.ok() && !isValidKind(kind))
        r.fail(u"field 'kind' must be 1-32 of a-z, 0-9 and '-'"_s);
    if (const auto map = r.map(u"body")) {
        if (QCborValue(*map).toCbor().size() > Limits::MaxRelayBodyBytes)
            r.fail(u"field 'body' is larger than %1 bytes"_s.arg(Limits::MaxRelayBodyBytes));
        else
            body = *map;
    }
}

template<>
struct Codec<Relay>
{
    static constexpr QStringView name = u"relay";
    static void write(const Relay &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        if (!m.targets.isEmpty())
            map[u"to"_s] = toArray(m.targets);
        map[u"kind"_s] = m.kind;
        map[u"body"_s] = m.body;
    }
    static void read(FieldReader &r, Relay &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.targets = r.stringList(u"to", Limits::MaxTargets, Limits::MaxShortString);
        readRelayCommon(r, m.kind, m.body);
    }
};
template<>
struct Codec<Relayed>
{
    static constexpr QStringView name = u"relayed";
    static void write(const Relayed &m, QCborMap &map)
    {
        map[u"room"_s] = m.room;
        map[u"from"_s] = encodeMember(m.from);
        if (!m.targets.isEmpty())
            map[u"to"_s] = toArray(m.targets);
        map[u"kind"_s] = m.kind;
        map[u"body"_s] = m.body;
    }
    static void read(FieldReader &r, Relayed &m)
    {
        m.room = r.string(u"room", Limits::MaxShortString);
        m.from = readMember(r, u"from");
        m.targets = r.stringList(u"to", Limits::MaxTargets, Limits::MaxShortString);
        readRelayCommon(r, m.kind, m.body);
    }
};

template<>
struct Codec<Servers>
{
    static constexpr QStringView name = u"servers";
    static void write(const Servers &m, QCborMap &map)
    {
        QCborArray list;
        for (const ServerInfo &s : m.servers)
            list.append(
                    QCborMap {{u"name"_s, s.name}, {u"addr"_s, s.address}, {u"hops"_s, s.hops}});
        map[u"servers"_s] = list;
    }
    static void read(FieldReader &r, Servers &m)
    {
        const auto list = r.array(u"servers", kMaxServersListed);
        for (const QCborValue &v : list.value_or(QCborArray {})) {
            const QCborMap item = v.toMap();
            FieldReader ir(item);
            ServerInfo s {ir.string(u"name", Limits::MaxShortString),
                          ir.string(u"addr", Limits::MaxShortString, false),
                          int(ir.integer(u"hops", 0, 255))};
            if (!v.isMap() || !ir.ok()) {
                r.fail(u"field 'servers': "_s + ir.error());
                return;
            }
            m.servers.append(s);
        }
    }
};

template<>
struct Codec<UdpRelayOpen>
{
    static constexpr QStringView name = u"udp-relay-open";
    static void write(const UdpRelayOpen &m, QCborMap &map) { map[u"id"_s] = qint64(m.id); }
    static void read(FieldReader &r, UdpRelayOpen &m)
    {
        m.id = quint32(r.integer(u"id", 0, kU32Max));
    }
};
template<>
struct Codec<UdpRelayOpened>
{
    static constexpr QStringView name = u"udp-relay-opened";
    static constexpr qsizetype kTokenBytes = 16;
    static void write(const UdpRelayOpened &m, QCborMap &map)
    {
        map[u"id"_s] = qint64(m.id);
        map[u"port"_s] = m.port;
        map[u"token"_s] = m.token;
    }
    static void read(FieldReader &r, UdpRelayOpened &m)
    {
        m.id = quint32(r.integer(u"id", 0, kU32Max));
        m.port = quint16(r.integer(u"port", 1, 65535));
        m.token = r.bytes(u"token", kTokenBytes);
        if (r.ok() && m.token.size() != kTokenBytes)
            r.fail(u"field 'token' must be %1 bytes"_s.arg(kTokenBytes));
    }
};

template<>
struct Codec<UdpRelayClose>
{
    static constexpr QStringView name = u"udp-relay-close";
    static void write(const UdpRelayClose &m, QCborMap &map) { map[u"port"_s] = m.port; }
    static void read(FieldReader &r, UdpRelayClose &m)
    {
        m.port = quint16(r.integer(u"port", 1, 65535));
    }
};

template<std::size_t I = 0>
bool decodeAlternative(QStringView type, FieldReader &reader, std::optional<Message> &out)
{
    if constexpr (I < std::variant_size_v<Message>) {
        using T = std::variant_alternative_t<I, Message>;
        if (type == Codec<T>::name) {
            T value;
            Codec<T>::read(reader, value);
            out = std::move(value);
            return true;
        }
        return decodeAlternative<I + 1>(type, reader, out);
    } else {
        return false;
    }
}

} // namespace

QString messageTypeName(const Message &message)
{
    return std::visit(
            [](const auto &m) { return Codec<std::decay_t<decltype(m)>>::name.toString(); },
            message);
}

QCborMap encodeMessage(const Message &message)
{
    QCborMap map;
    std::visit(
            [&map](const auto &m) {
                using T = std::decay_t<decltype(m)>;
                map[u"t"_s] = Codec<T>::name.toString();
                Codec<T>::write(m, map);
            },
            message);
    return map;
}

MessageDecodeResult decodeMessage(const QCborMap &map)
{
    MessageDecodeResult result;
    const QCborValue t = map.value(u"t"_s);
    if (!t.isString()) {
        result.error = ErrorCode::BadField;
        result.errorText = u"missing message type 't'"_s;
        return result;
    }
    result.type = t.toString().left(Limits::MaxShortString);
    FieldReader reader(map);
    std::optional<Message> message;
    if (!decodeAlternative(result.type, reader, message)) {
        result.error = ErrorCode::UnknownType;
        result.errorText = u"unknown message type '%1'"_s.arg(result.type);
        return result;
    }
    if (!reader.ok()) {
        result.error = reader.errorCode();
        result.errorText = u"%1: %2"_s.arg(result.type, reader.error());
        return result;
    }
    result.message = std::move(message);
    return result;
}

QByteArray encodeMessageFrame(const Message &message)
{
    return encodeFrame(encodeMessage(message));
}

} // namespace Protocol
