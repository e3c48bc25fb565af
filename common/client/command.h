#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

// The commands people type, shared by the CLI (one per line) and the desktop client's input
// line ("/find", "/ping", ...). Parsing only: executing them is the front end's business.
namespace Client::Command {

struct Say
{
    QStringList targets; // empty = @all
    QString text;
};
struct Join
{
    QString room;
    QString key = {}; // the room password: the rest of the line after the room
};
struct Leave
{
    QString room; // empty = the current room
};
struct Use
{
    QString room; // switch the current room
};
struct Who
{
    QString room; // empty = the current room
};
struct Ping
{
    QString server; // empty = own server
};
struct Sleep
{
    double seconds = 0;
};
struct Share
{
    QString path;
};
struct Find
{
    QString target; // a nick or address without '@'; empty = @all
    QString pattern;
};
struct Get
{
    QString what; // an offer id ("o3") or a name pattern
};
struct Transfers
{
};
struct Cancel
{
    QString id;
};
struct Wait
{
    double seconds = 0; // 0 = no limit
};
// Accept the key a nick now shows after it was flagged as changed.
struct Trust
{
    QString nick;
};
struct Quit
{
};
struct Help
{
};

using Command = std::variant<Say, Join, Leave, Use, Who, Ping, Sleep, Quit, Help, Share, Find, Get,
                             Transfers, Cancel, Wait, Trust>;

struct ParseResult
{
    std::optional<Command> command; // empty with an empty error: blank line or comment
    QString error;
};

// Accepts "say TEXT", "@all TEXT", "@nick[,@nick2] TEXT", "@nick @ip TEXT", "msg @nick TEXT",
// "join ROOM [KEY]", "leave [ROOM]", "use ROOM", "who [ROOM]", "ping [SERVER]", "sleep SECONDS",
// "quit", "help", "share PATH", "find [@nick] PATTERN", "get OFFER_ID|PATTERN", "transfers",
// "cancel ID", "wait [SECONDS]", "trust NICK". A leading '/' is allowed (the desktop client's input
// line). Lines starting with '#' are comments.
[[nodiscard]] ParseResult parse(const QString &line);
[[nodiscard]] QString helpText();

} // namespace Client::Command
