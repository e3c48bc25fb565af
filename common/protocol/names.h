#pragma once

#include <QString>
#include <QStringView>

namespace Protocol {

// Nick: 1-32 characters, an ASCII letter first, then letters, digits, '_', '-' or '.'.
// Starting with a letter keeps nicks apart from IP addresses ("@10.0.0.2"); reserved words
// are refused too.
[[nodiscard]] bool isValidNick(QStringView nick);
// "all" and the client's command words (say, msg, join, who, ...), in any case: a nick like
// that would make "@all" or "msg who ..." mean two things.
[[nodiscard]] bool isReservedNick(QStringView nick);
// Room: 1-64 characters of letters, digits, '_', '-', '.' and '#', not starting with '.' or '-'.
[[nodiscard]] bool isValidRoom(QStringView room);
// Server name: 1-64 characters of letters, digits, '_', '-' and '.'.
[[nodiscard]] bool isValidServerName(QStringView name);
// Nicks are unique per room without regard to case ("Bob" and "bob" would confuse people).
[[nodiscard]] QString nickKey(QStringView nick);
// A client id is "server/n", given by the member's server (server names have no '/'): the
// server part, or nothing for an id without one. A member row leaves its server out when it
// is this one.
[[nodiscard]] QStringView impliedServer(QStringView clientId);

} // namespace Protocol

#include <optional>

namespace Protocol {

struct HostPort
{
    QString host; // without brackets; may be empty ("any address") for ":PORT"
    quint16 port = 0;
};
// Parses "host:port", "[v6]:port" or ":port".
[[nodiscard]] std::optional<HostPort> parseHostPort(const QString &text);

} // namespace Protocol
