#pragma once

#include <protocol/membercodec.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Protocol {

// The `joined` reply (and `members-joined` presence) of a large room, built from member entries
// encoded once each. A room of N members answers every join with its whole list; building the list
// as a QCborMap per member, every time, made a join burst into a room of 5,000 cost seconds of
// encoding alone. The server keeps the room's entries encoded in join order and writes them after
// a head made here. Head and entries are exactly what encodeMessageFrame(Joined {...}) makes of
// the same members.

// The first bytes of a `joined` frame (length prefix included) around `count` entries of
// encodeMemberEntry, `entriesBytes` long, up to where the entries start: a server writes them
// and then the entries it keeps, without copying the list into a frame.
[[nodiscard]] QByteArray joinedFrameHead(const QString &room, qsizetype entriesBytes,
                                         qsizetype count);
// The same for a `members-joined` frame: presence held for a large room, one list per delivery.
[[nodiscard]] QByteArray membersJoinedFrameHead(const QString &room, qsizetype entriesBytes,
                                                qsizetype count);

} // namespace Protocol
