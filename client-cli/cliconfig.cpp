#include "cliconfig.h"

#include <protocol/names.h>

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Cli {

std::optional<ServerAddress> parseServerAddress(const QString &text)
{
    const auto hp = Protocol::parseHostPort(text);
    if (!hp || hp->host.isEmpty() || hp->port == 0)
        return std::nullopt;
    return ServerAddress {hp->host, hp->port};
}

QStringList splitExec(const QString &text)
{
    QStringList out;
    QString current;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\\' && i + 1 < text.size() && text.at(i + 1) == u';') {
            current.append(u';');
            ++i;
        } else if (text.at(i) == u';') {
            out.append(current.trimmed());
            current.clear();
        } else {
            current.append(text.at(i));
        }
    }
    out.append(current.trimmed());
    out.removeAll(QString());
    return out;
}

std::optional<CliConfig> parseCommandLine(const QCoreApplication &app, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Hopshare headless client: chat from scripts and terminals.\n\n"_s
            + u"Reads commands from standard input (one per line) or from --exec."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
            {u"server"_s, u"Server to connect to (repeatable)."_s, u"ADDR:PORT"_s},
            {u"nick"_s, u"Your nick in the rooms."_s, u"NAME"_s},
            {u"room"_s, u"Room to join (repeatable)."_s, u"ROOM"_s},
            {u"json"_s, u"Print every event as one JSON object per line."_s},
            {u"exec"_s, u"Run these commands (separated by ';'), then quit."_s, u"CMDS"_s},
    });
    parser.process(app);

    CliConfig config;
    const QStringList servers = parser.values(u"server"_s);
    if (servers.isEmpty()) {
        *error = u"--server ADDR:PORT is required"_s;
        return std::nullopt;
    }
    for (const QString &s : servers) {
        const auto address = parseServerAddress(s);
        if (!address) {
            *error = u"invalid --server '%1': expected ADDR:PORT"_s.arg(s);
            return std::nullopt;
        }
        config.servers.append(*address);
    }
    config.nick = parser.value(u"nick"_s);
    if (!Protocol::isValidNick(config.nick)) {
        *error = u"invalid --nick '%1': use 1-32 letters, digits, '_', '-' or '.', starting "
                 "with a letter"_s.arg(config.nick);
        return std::nullopt;
    }
    config.rooms = parser.values(u"room"_s);
    for (const QString &room : std::as_const(config.rooms)) {
        if (!Protocol::isValidRoom(room)) {
            *error = u"invalid --room '%1'"_s.arg(room);
            return std::nullopt;
        }
    }
    config.json = parser.isSet(u"json"_s);
    if (parser.isSet(u"exec"_s))
        config.execCommands = splitExec(parser.value(u"exec"_s));
    return config;
}

} // namespace Cli
