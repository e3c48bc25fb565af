#include <protocol/linkmessages.h>

#include <protocol/fieldreader.h>
#include <protocol/framecodec.h>
#include <protocol/limits.h>

#include <QCborArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace Protocol::Link {

namespace {

constexpr qsizetype kMaxNonce = 64;
constexpr qsizetype kMaxListed = 100000;
constexpr qint64 kI64Max = std::numeric_limits<qint64>::max();

QCborArray toArray(const QStringList &list)
{
    QCborArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

QByteArray readBytes(const QCborMap &map, QStringView key, FieldReader &r)
{
    const QCborValue v = map.value(key);
    if (!v.isByteArray() || v.toByteArray().size() > kMaxNonce) {
        r.fail(u"field '%1' must be a byte string of at most %2 bytes"_s.arg(key).arg(kMaxNonce));
        return {};
    }
    return v.toByteArray();
}

// Instance ids and sequence numbers are unsigned 64-bit on the wire as two's complement.
quint64 readU64(FieldReader &r, QStringView key)
{
    return quint64(r.integer(key, std::numeric_limits<qint64>::min(), kI64Max));
}

QCborMap encodeMember(const StateMember &m)
{
    return QCborMap {{u"id"_s, m.id},
                     {u"nick"_s, m.nick},
                     {u"ip"_s, m.ip},
                     {u"rooms"_s, toArray(m.rooms)},
                     {u"key"_s, m.key}};
}

void readMembers(FieldReader &r, State &s)
{
    const auto members = r.array(u"members", kMaxListed, false);
    for (const QCborValue &v : members.value_or(QCborArray {})) {
        const QCborMap map = v.toMap();
        FieldReader mr(map);
        StateMember m;
        m.id = mr.string(u"id", Limits::MaxShortString);
        m.nick = mr.string(u"nick", Limits::MaxNickLength);
        m.ip = mr.string(u"ip", Limits::MaxShortString);
        m.rooms = mr.stringList(u"rooms", Limits::MaxRoomsPerClient, Limits::MaxRoomLength);
        m.key = mr.fixedBytes(u"key", Limits::IdentityKeyBytes);
        if (!v.isMap() || !mr.ok()) {
            r.fail(u"bad member: "_s + mr.error());
            return;
        }
        s.members.append(m);
    }
    const auto gone = r.array(u"gone", kMaxListed, false);
    for (const QCborValue &v : gone.value_or(QCborArray {})) {
        const QCborMap map = v.toMap();
        FieldReader gr(map);
        Departure d {gr.string(u"id", Limits::MaxShortString),
                     gr.string(u"room", Limits::MaxRoomLength),
                     gr.string(u"reason", Limits::MaxShortString)};
        if (!v.isMap() || !gr.ok()) {
            r.fail(u"bad departure: "_s + gr.error());
            return;
        }
        s.departures.append(d);
    }
}

void readLocks(FieldReader &r, State &s)
{
    const auto locks = r.array(u"locks", kMaxListed, false);
    for (const QCborValue &v : locks.value_or(QCborArray {})) {
        const QCborMap map = v.toMap();
        FieldReader lr(map);
        StateLock l {lr.string(u"room", Limits::MaxRoomLength),
                     lr.fixedBytes(u"salt", Limits::RoomLockSaltBytes),
                     lr.fixedBytes(u"mac", Limits::RoomLockMacBytes)};
        if (!v.isMap() || !lr.ok()) {
            r.fail(u"bad room lock: "_s + lr.error());
            return;
        }
        s.locks.append(l);
    }
}

// Servers before protocol 2 sent no version.
int readVersion(FieldReader &r)
{
    return int(r.integer(u"v", 1, 1000, false));
}

struct Writer
{
    QCborMap &map;
    void operator()(const Hello &m)
    {
        map[u"t"_s] = u"link-hello"_s;
        map[u"name"_s] = m.name;
        map[u"inst"_s] = qint64(m.instance);
        map[u"nonce"_s] = m.nonce;
        map[u"v"_s] = m.version;
    }
    void operator()(const Challenge &m)
    {
        map[u"t"_s] = u"link-challenge"_s;
        map[u"name"_s] = m.name;
        map[u"inst"_s] = qint64(m.instance);
        map[u"nonce"_s] = m.nonce;
        map[u"mac"_s] = m.mac;
        map[u"v"_s] = m.version;
    }
    void operator()(const Auth &m)
    {
        map[u"t"_s] = u"link-auth"_s;
        map[u"mac"_s] = m.mac;
    }
    void operator()(const Accepted &) { map[u"t"_s] = u"link-ok"_s; }
    void operator()(const Refused &m)
    {
        map[u"t"_s] = u"link-refused"_s;
        map[u"reason"_s] = m.reason;
    }
    void operator()(const Heartbeat &) { map[u"t"_s] = u"hb"_s; }
    void operator()(const State &m)
    {
        map[u"t"_s] = u"lsa"_s;
        map[u"origin"_s] = m.origin;
        map[u"inst"_s] = qint64(m.instance);
        map[u"seq"_s] = qint64(m.seq);
        map[u"addr"_s] = m.address;
        map[u"nb"_s] = toArray(m.neighbours);
        QCborArray members;
        for (const StateMember &member : m.members)
            members.append(encodeMember(member));
        map[u"members"_s] = members;
        QCborArray gone;
        for (const Departure &d : m.departures)
            gone.append(QCborMap {{u"id"_s, d.id}, {u"room"_s, d.room}, {u"reason"_s, d.reason}});
        map[u"gone"_s] = gone;
        if (!m.locks.isEmpty()) {
            QCborArray locks;
            for (const StateLock &l : m.locks)
                locks.append(
                        QCborMap {{u"room"_s, l.room}, {u"salt"_s, l.salt}, {u"mac"_s, l.mac}});
            map[u"locks"_s] = locks;
        }
    }
    void operator()(const Routed &m)
    {
        map[u"t"_s] = u"route"_s;
        map[u"src"_s] = m.src;
        map[u"seq"_s] = qint64(m.seq);
        map[u"dst"_s] = toArray(m.dst);
        map[u"hops"_s] = m.hops;
        map[u"ttl"_s] = m.ttl;
        if (!m.room.isEmpty())
            map[u"room"_s] = m.room;
        if (!m.to.isEmpty())
            map[u"to"_s] = toArray(m.to);
        map[u"msg"_s] = m.message;
    }
};

std::optional<Message> read(const QString &type, const QCborMap &map, FieldReader &r)
{
    if (type == u"link-hello")
        return Hello {r.string(u"name", Limits::MaxShortString), readU64(r, u"inst"),
                      readBytes(map, u"nonce", r), readVersion(r)};
    if (type == u"link-challenge")
        return Challenge {r.string(u"name", Limits::MaxShortString), readU64(r, u"inst"),
                          readBytes(map, u"nonce", r), readBytes(map, u"mac", r), readVersion(r)};
    if (type == u"link-auth")
        return Auth {readBytes(map, u"mac", r)};
    if (type == u"link-ok")
        return Accepted {};
    if (type == u"link-refused")
        return Refused {r.string(u"reason", Limits::MaxErrorText, false)};
    if (type == u"hb")
        return Heartbeat {};
    if (type == u"lsa") {
        State s;
        s.origin = r.string(u"origin", Limits::MaxShortString);
        s.instance = readU64(r, u"inst");
        s.seq = readU64(r, u"seq");
        s.address = r.string(u"addr", Limits::MaxShortString, false);
        s.neighbours = r.stringList(u"nb", kMaxListed, Limits::MaxShortString);
        readMembers(r, s);
        readLocks(r, s);
        return s;
    }
    if (type == u"route") {
        Routed m;
        m.src = r.string(u"src", Limits::MaxShortString);
        m.seq = readU64(r, u"seq");
        m.dst = r.stringList(u"dst", kMaxListed, Limits::MaxShortString, true);
        m.hops = int(r.integer(u"hops", 0, MaxTtl));
        m.ttl = int(r.integer(u"ttl", 0, MaxTtl));
        m.room = r.string(u"room", Limits::MaxRoomLength, false);
        m.to = r.stringList(u"to", Limits::MaxTargets, Limits::MaxShortString);
        m.message = r.map(u"msg").value_or(QCborMap {});
        return m;
    }
    r.fail(u"unknown link message type '%1'"_s.arg(type.left(64)));
    return std::nullopt;
}

} // namespace

QCborMap encode(const Message &message)
{
    QCborMap map;
    std::visit(Writer {map}, message);
    return map;
}

std::optional<Message> decode(const QCborMap &map, QString *error)
{
    const QCborValue t = map.value(u"t"_s);
    if (!t.isString()) {
        *error = u"missing message type 't'"_s;
        return std::nullopt;
    }
    FieldReader reader(map);
    std::optional<Message> out = read(t.toString(), map, reader);
    if (!reader.ok()) {
        *error = reader.error();
        return std::nullopt;
    }
    return out;
}

QByteArray encodeFrame(const Message &message)
{
    return Protocol::encodeFrame(encode(message));
}

} // namespace Protocol::Link
