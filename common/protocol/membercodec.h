#pragma once

#include <protocol/fieldreader.h>
#include <protocol/messages.h>

#include <QByteArray>
#include <QCborArray>

// One member's wire form (docs/PROTOCOL.md, Messages). A member is a row (protocol 2):
// [id, nick, key, ip?, srv?], ip left out when hidden (empty) and nothing follows it, srv when
// it is the server named in the id. A member is in every joined list and every chat message:
// as a map of five named fields it was a third larger, and the names were a quarter of a
// room's presence bytes. Readers still take protocol 1's map {id, nick, ip, srv, key}.
namespace Protocol {

[[nodiscard]] QCborArray encodeMember(const MemberInfo &member);
// The same row as CBOR bytes: the entries a server keeps of a room's members, to write after
// a list head (memberlistcodec.h) without encoding the list again.
[[nodiscard]] QByteArray encodeMemberEntry(const MemberInfo &member);
[[nodiscard]] QCborArray encodeMembers(const QList<MemberInfo> &members);
// The member in field `key` (row or map); a problem fails `r`, naming the item.
[[nodiscard]] MemberInfo readMember(FieldReader &r, QStringView key);
// The members in field "members", at most Limits::MaxMembersListed.
[[nodiscard]] QList<MemberInfo> readMembers(FieldReader &r);

} // namespace Protocol
