#include <client/command.h>

using namespace Qt::StringLiterals;

namespace Client::Command {

namespace {

ParseResult fail(const QString &error)
{
    return ParseResult {std::nullopt, error};
}

// "@a @b,@c text" -> targets [a, b, c] and the rest as text.
ParseResult parseAddressed(const QString &line)
{
    QStringList targets;
    qsizetype pos = 0;
    while (pos < line.size() && line.at(pos) == u'@') {
        qsizetype end = line.indexOf(u' ', pos);
        if (end < 0)
            end = line.size();
        const QStringList parts = line.mid(pos, end - pos).split(u',', Qt::SkipEmptyParts);
        for (QString part : parts) {
            if (part.startsWith(u'@'))
                part.remove(0, 1);
            if (part.isEmpty())
                return fail(u"empty @recipient"_s);
            if (part.compare(u"all"_s, Qt::CaseInsensitive) != 0)
                targets.append(part);
        }
        pos = end;
        while (pos < line.size() && line.at(pos) == u' ')
            ++pos;
    }
    const QString text = line.mid(pos);
    if (text.trimmed().isEmpty())
        return fail(u"nothing to say"_s);
    return ParseResult {Say {targets, text}, {}};
}

// The file commands: share, find, get, transfers, cancel, wait.
std::optional<ParseResult> parseFileCommand(const QString &verb, const QString &rest)
{
    if (verb == u"share") {
        if (rest.isEmpty())
            return fail(u"usage: share PATH"_s);
        return ParseResult {Share {rest}, {}};
    }
    if (verb == u"find") {
        QString target;
        QString pattern = rest;
        if (rest.startsWith(u'@')) {
            target = rest.section(u' ', 0, 0).mid(1);
            pattern = rest.section(u' ', 1).trimmed();
            if (target.compare(u"all"_s, Qt::CaseInsensitive) == 0)
                target.clear();
        }
        if (pattern.isEmpty())
            return fail(u"usage: find [@nick] PATTERN"_s);
        return ParseResult {Find {target, pattern}, {}};
    }
    if (verb == u"get") {
        if (rest.isEmpty())
            return fail(u"usage: get OFFER_ID|PATTERN"_s);
        return ParseResult {Get {rest}, {}};
    }
    if (verb == u"transfers")
        return ParseResult {Transfers {}, {}};
    if (verb == u"cancel") {
        if (rest.isEmpty())
            return fail(u"usage: cancel ID"_s);
        return ParseResult {Cancel {rest.section(u' ', 0, 0)}, {}};
    }
    if (verb == u"wait") {
        bool ok = rest.isEmpty();
        const double s = ok ? 0 : rest.section(u' ', 0, 0).toDouble(&ok);
        if (!ok || s < 0 || s > 86400)
            return fail(u"usage: wait [SECONDS] (0 to 86400)"_s);
        return ParseResult {Wait {s}, {}};
    }
    return std::nullopt;
}

} // namespace

ParseResult parse(const QString &input)
{
    QString line = input.trimmed();
    if (line.isEmpty() || line.startsWith(u'#'))
        return {};
    if (line.startsWith(u'/'))
        line.remove(0, 1);
    if (line.startsWith(u'@'))
        return parseAddressed(line);

    const qsizetype space = line.indexOf(u' ');
    const QString verb = (space < 0 ? line : line.left(space)).toLower();
    const QString rest = space < 0 ? QString() : line.mid(space + 1).trimmed();
    const QString firstWord = rest.section(u' ', 0, 0);

    if (verb == u"say") {
        if (rest.isEmpty())
            return fail(u"say what? usage: say TEXT"_s);
        return ParseResult {Say {{}, line.mid(space + 1)}, {}};
    }
    if (verb == u"msg") {
        if (!rest.startsWith(u'@'))
            return fail(u"usage: msg @nick TEXT"_s);
        return parseAddressed(rest);
    }
    if (verb == u"join") {
        if (rest.isEmpty())
            return fail(u"usage: join ROOM [KEY]"_s);
        return ParseResult {Join {firstWord, rest.section(u' ', 1).trimmed()}, {}};
    }
    if (verb == u"leave" || verb == u"part")
        return ParseResult {Leave {firstWord}, {}};
    if (verb == u"use" || verb == u"room") {
        if (rest.isEmpty())
            return fail(u"usage: use ROOM"_s);
        return ParseResult {Use {firstWord}, {}};
    }
    if (verb == u"who")
        return ParseResult {Who {firstWord}, {}};
    if (verb == u"ping")
        return ParseResult {Ping {firstWord}, {}};
    if (verb == u"sleep") {
        bool ok = false;
        const double s = firstWord.toDouble(&ok);
        if (!ok || s < 0 || s > 3600)
            return fail(u"usage: sleep SECONDS (0 to 3600)"_s);
        return ParseResult {Sleep {s}, {}};
    }
    if (verb == u"trust") {
        if (rest.isEmpty())
            return fail(u"usage: trust NICK"_s);
        return ParseResult {Trust {firstWord.startsWith(u'@') ? firstWord.mid(1) : firstWord}, {}};
    }
    if (auto files = parseFileCommand(verb, rest))
        return *files;
    if (verb == u"quit" || verb == u"exit")
        return ParseResult {Quit {}, {}};
    if (verb == u"help" || verb == u"?")
        return ParseResult {Help {}, {}};
    return fail(u"unknown command '%1' (try 'help')"_s.arg(verb.left(32)));
}

QString helpText()
{
    return u"Commands:\n"
           "  say TEXT              to everyone in the current room (same as @all TEXT)\n"
           "  @nick [@nick2] TEXT   to some members only (by nick or IP address)\n"
           "  msg @nick TEXT        the same\n"
           "  join ROOM [KEY]       join a room (it becomes the current room); KEY is its\n"
           "                        password, or locks a room you create\n"
           "  leave [ROOM]          leave a room (default: the current one)\n"
           "  use ROOM              switch the current room\n"
           "  who [ROOM]            list the members of a room, with their key fingerprints\n"
           "  trust NICK            accept the new key of a member flagged 'key changed'\n"
           "  ping [SERVER]         measure the round trip to a server\n"
           "  sleep SECONDS         wait (for scripts)\n"
           "  share PATH            share a file or folder\n"
           "  find [@nick] PATTERN  ask the room (or one peer) for files\n"
           "  get OFFER_ID|PATTERN  download an offer, or the best source of a match\n"
           "  transfers             list transfers\n"
           "  cancel ID             cancel a transfer\n"
           "  wait [SECONDS]        wait until every transfer ended\n"
           "  quit                  leave and exit"_s;
}

} // namespace Client::Command
