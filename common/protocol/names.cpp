#include <protocol/names.h>

#include <protocol/limits.h>

#include <array>
#include <string_view>

namespace Protocol {

namespace {
bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}
bool allOf(QStringView s, bool (*pred)(QChar))
{
    for (QChar c : s) {
        if (!pred(c))
            return false;
    }
    return true;
}

// The targets and the verbs of common/client/command.cpp; a new verb belongs here too.
constexpr std::array<std::u16string_view, 25> kReservedNicks = {
        u"all",    u"say",   u"msg",    u"join", u"leave", u"part",  u"use",  u"room", u"who",
        u"ping",   u"sleep", u"quit",   u"exit", u"help",  u"share", u"find", u"get",  u"transfers",
        u"cancel", u"wait",  u"server", u"me",   u"nick",  u"admin", u"trust"};
} // namespace

bool isReservedNick(QStringView nick)
{
    for (std::u16string_view word : kReservedNicks) {
        if (nick.compare(QStringView(word.data(), qsizetype(word.size())), Qt::CaseInsensitive)
            == 0)
            return true;
    }
    return false;
}

bool isValidNick(QStringView nick)
{
    if (nick.isEmpty() || nick.size() > Limits::MaxNickLength || !isAsciiLetter(nick.front())
        || isReservedNick(nick))
        return false;
    return allOf(nick, [](QChar c) {
        return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_' || c == u'-' || c == u'.';
    });
}

bool isValidRoom(QStringView room)
{
    if (room.isEmpty() || room.size() > Limits::MaxRoomLength || room.front() == u'.'
        || room.front() == u'-')
        return false;
    return allOf(room, [](QChar c) {
        return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_' || c == u'-' || c == u'.'
                || c == u'#';
    });
}

bool isValidServerName(QStringView name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    return allOf(name, [](QChar c) {
        return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_' || c == u'-' || c == u'.';
    });
}

QStringView impliedServer(QStringView clientId)
{
    const qsizetype slash = clientId.indexOf(u'/');
    return slash < 0 ? QStringView() : clientId.left(slash);
}

QString nickKey(QStringView nick)
{
    return nick.toString().toLower();
}

} // namespace Protocol

namespace Protocol {

std::optional<HostPort> parseHostPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0)
        return std::nullopt;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return std::nullopt; // a bare IPv6 address needs brackets
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    return HostPort {host, quint16(port)};
}

} // namespace Protocol
