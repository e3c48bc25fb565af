#include <protocol/membercodec.h>

#include <protocol/limits.h>
#include <protocol/names.h>

using namespace Qt::StringLiterals;

namespace Protocol {

namespace {

MemberInfo decodeMemberRow(const QCborArray &row, FieldReader &outer)
{
    MemberInfo m;
    if (row.size() < 3 || row.size() > 5) {
        outer.fail(u"member: a row has 3 to 5 items, not %1"_s.arg(row.size()));
        return m;
    }
    const auto text = [&](qsizetype i, QStringView name, qsizetype maxLength, QString *out) {
        const QCborValue v = row.at(i);
        if (!v.isString() || v.toString().size() > maxLength) {
            outer.fail(
                    u"member: the %1 (item %2) must be a string of up to %3 characters"_s.arg(name)
                            .arg(i)
                            .arg(maxLength));
            return false;
        }
        *out = v.toString();
        return true;
    };
    if (!text(0, u"id", Limits::MaxShortString, &m.id)
        || !text(1, u"nick", Limits::MaxNickLength, &m.nick))
        return m;
    const QCborValue key = row.at(2);
    if (!key.isByteArray() || key.toByteArray().size() != Limits::IdentityKeyBytes) {
        outer.fail(u"member: the key (item 2) must be %1 bytes"_s.arg(Limits::IdentityKeyBytes));
        return m;
    }
    m.key = key.toByteArray();
    if (row.size() > 3 && !text(3, u"ip", Limits::MaxShortString, &m.ip))
        return m;
    if (row.size() > 4) {
        if (!text(4, u"srv", Limits::MaxShortString, &m.server))
            return m;
    } else {
        m.server = impliedServer(m.id).toString();
    }
    return m;
}

// Protocol 1 wrote a map of named fields; it is still read, from servers not yet updated.
MemberInfo decodeMemberMap(const QCborMap &map, FieldReader &outer)
{
    FieldReader r(map);
    MemberInfo m;
    m.id = r.string(u"id", Limits::MaxShortString);
    m.nick = r.string(u"nick", Limits::MaxNickLength);
    m.ip = r.string(u"ip", Limits::MaxShortString);
    m.server = r.string(u"srv", Limits::MaxShortString);
    m.key = r.fixedBytes(u"key", Limits::IdentityKeyBytes);
    if (!r.ok())
        outer.fail(u"member: "_s + r.error());
    return m;
}

MemberInfo decodeMember(const QCborValue &value, FieldReader &outer)
{
    if (value.isArray())
        return decodeMemberRow(value.toArray(), outer);
    if (value.isMap())
        return decodeMemberMap(value.toMap(), outer);
    outer.fail(u"member: must be a row (array) or a map"_s);
    return {};
}

} // namespace

QCborArray encodeMember(const MemberInfo &m)
{
    QCborArray row {m.id, m.nick, m.key};
    const bool serverImplied = m.server == impliedServer(m.id);
    if (!m.ip.isEmpty() || !serverImplied)
        row.append(m.ip);
    if (!serverImplied)
        row.append(m.server);
    return row;
}

QByteArray encodeMemberEntry(const MemberInfo &member)
{
    return QCborValue(encodeMember(member)).toCbor();
}

MemberInfo readMember(FieldReader &r, QStringView key)
{
    const auto value = r.value(key);
    return value ? decodeMember(*value, r) : MemberInfo {};
}

QCborArray encodeMembers(const QList<MemberInfo> &members)
{
    QCborArray out;
    for (const MemberInfo &member : members)
        out.append(encodeMember(member));
    return out;
}

QList<MemberInfo> readMembers(FieldReader &r)
{
    QList<MemberInfo> out;
    const auto members = r.array(u"members", Limits::MaxMembersListed);
    if (!members)
        return out;
    out.reserve(members->size());
    for (const QCborValue &v : *members) {
        out.append(decodeMember(v, r));
        if (!r.ok())
            return out;
    }
    return out;
}

} // namespace Protocol
