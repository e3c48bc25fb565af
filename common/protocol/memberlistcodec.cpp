#include <protocol/memberlistcodec.h>

#include <QtEndian>

using namespace Qt::StringLiterals;

namespace Protocol {

namespace {
// The initial byte and big-endian argument of a CBOR item head (RFC 8949, 3.1), shortest form,
// as QCborStreamWriter and QCborValue::toCbor write them.
void appendHead(QByteArray &out, quint8 majorType, quint64 argument)
{
    const char major = char(majorType << 5);
    if (argument < 24) {
        out.append(char(major | char(argument)));
    } else if (argument <= 0xff) {
        out.append(char(major | 24));
        out.append(char(argument));
    } else if (argument <= 0xffff) {
        out.append(char(major | 25));
        char be[2];
        qToBigEndian(quint16(argument), be);
        out.append(be, 2);
    } else if (argument <= 0xffffffffu) {
        out.append(char(major | 26));
        char be[4];
        qToBigEndian(quint32(argument), be);
        out.append(be, 4);
    } else {
        out.append(char(major | 27));
        char be[8];
        qToBigEndian(argument, be);
        out.append(be, 8);
    }
}

void appendText(QByteArray &out, QByteArrayView utf8)
{
    appendHead(out, 3, quint64(utf8.size()));
    out.append(utf8.data(), utf8.size());
}

constexpr quint8 kArray = 4;
constexpr quint8 kMap = 5;
constexpr qsizetype kPrefix = 4;
} // namespace

namespace {
QByteArray encodeListHead(QByteArrayView type, const QString &room, qsizetype entriesBytes,
                          qsizetype count)
{
    QByteArray head;
    head.reserve(kPrefix + 48 + room.size() * 3);
    head.resize(kPrefix);
    appendHead(head, kMap, 3);
    appendText(head, "t");
    appendText(head, type);
    appendText(head, "room");
    appendText(head, room.toUtf8());
    appendText(head, "members");
    appendHead(head, kArray, quint64(count));
    qToBigEndian(quint32(head.size() - kPrefix + entriesBytes), head.data());
    return head;
}
} // namespace

QByteArray joinedFrameHead(const QString &room, qsizetype entriesBytes, qsizetype count)
{
    return encodeListHead("joined", room, entriesBytes, count);
}

QByteArray membersJoinedFrameHead(const QString &room, qsizetype entriesBytes, qsizetype count)
{
    return encodeListHead("members-joined", room, entriesBytes, count);
}

} // namespace Protocol
