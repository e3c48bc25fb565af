#include <client-cli/cliconfig.h>

#include <protocol/limits.h>
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

namespace {
bool parseFileOptions(const QCommandLineParser &parser, CliConfig &config, QString *error)
{
    config.shares = parser.values(u"share"_s);
    config.downloads = parser.value(u"downloads"_s);
    if (parser.isSet(u"max-uploads"_s)) {
        bool ok = false;
        config.maxUploads = parser.value(u"max-uploads"_s).toInt(&ok);
        if (!ok || config.maxUploads < 0 || config.maxUploads > 64) {
            *error = u"invalid --max-uploads '%1': expected 0 to 64"_s.arg(
                    parser.value(u"max-uploads"_s));
            return false;
        }
    }
    if (parser.isSet(u"impair"_s)) {
        QString why;
        const auto spec = Transfer::ImpairmentSpec::parse(parser.value(u"impair"_s), &why);
        if (!spec) {
            *error = u"invalid --impair '%1': %2"_s.arg(parser.value(u"impair"_s), why);
            return false;
        }
        config.impairment = *spec;
    }
    config.forceRelay = parser.isSet(u"force-relay"_s);
    if (parser.isSet(u"punch-timeout"_s)) {
        bool ok = false;
        config.punchTimeoutMs = parser.value(u"punch-timeout"_s).toInt(&ok);
        if (!ok || config.punchTimeoutMs < 100 || config.punchTimeoutMs > 60000) {
            *error = u"invalid --punch-timeout '%1': expected 100 to 60000 ms"_s.arg(
                    parser.value(u"punch-timeout"_s));
            return false;
        }
    }
    return true;
}
} // namespace

std::optional<CliConfig> parseCommandLine(const QCoreApplication &app, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Hopshare headless client: chat from scripts and terminals.\n\n"_s
            + u"Reads commands from standard input (one per line) or from --exec."_s);
    parser.addHelpOption();
    // -v is --verbose, as in most command-line tools; the version is -V / --version.
    const QCommandLineOption version({u"V"_s, u"version"_s}, u"Displays version information."_s);
    parser.addOption(version);
    parser.addOptions({
            {u"server"_s, u"Server to connect to (repeatable)."_s, u"ADDR:PORT"_s},
            {u"nick"_s, u"Your nick in the rooms."_s, u"NAME"_s},
            {u"room"_s, u"Room to join (repeatable)."_s, u"ROOM"_s},
            {u"room-key"_s,
             u"Password for the --room rooms: opens a locked room, locks one they create."_s,
             u"KEY"_s},
            {u"show-ip"_s, u"Let room members see the IP address your server sees for you."_s},
            {u"json"_s, u"Print every event as one JSON object per line."_s},
            {{u"v"_s, u"verbose"_s},
             u"Also print the client's internal log lines (its UDP port, the address the "
             "server sees, failover steps) on standard error; by default only warnings."_s},
            {u"exec"_s, u"Run these commands (separated by ';'), then quit."_s, u"CMDS"_s},
            {u"share"_s, u"Share this file or folder (repeatable)."_s, u"PATH"_s},
            {u"downloads"_s, u"Save downloads in this folder."_s, u"DIR"_s},
            {u"max-uploads"_s, u"Concurrent uploads served (default 3)."_s, u"N"_s},
            {u"impair"_s, u"Impair the UDP transport, e.g. \"loss=5%\"."_s, u"SPEC"_s},
            {u"force-relay"_s,
             u"Downloads skip direct probing and go through a relay on our server."_s},
            {u"punch-timeout"_s,
             u"Milliseconds to probe a peer's addresses before asking for a relay (default "
             "3000)."_s,
             u"MS"_s},
            {u"identity"_s,
             u"Identity key file (PEM), made on first use (default: identity.pem in the "
             "application's data folder). Known peers are kept beside it."_s,
             u"FILE"_s},
            {u"known-servers"_s,
             u"File of pinned server certificates (default: known-servers in the data folder)."_s,
             u"FILE"_s},
            {u"insecure"_s, u"TLS without checking the server's certificate: for tests only."_s},
            {u"plain"_s, u"No TLS: plain TCP, only to a server started with --plain."_s},
    });
    parser.process(app);
    if (parser.isSet(version))
        parser.showVersion();

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
    config.roomKey = parser.value(u"room-key"_s);
    if (config.roomKey.size() > Protocol::Limits::MaxRoomKeyLength) {
        *error = u"--room-key is longer than %1 characters"_s.arg(
                Protocol::Limits::MaxRoomKeyLength);
        return std::nullopt;
    }
    config.showAddress = parser.isSet(u"show-ip"_s);
    config.json = parser.isSet(u"json"_s);
    config.verbose = parser.isSet(u"verbose"_s);
    config.identity = parser.value(u"identity"_s);
    if (parser.isSet(u"plain"_s) && parser.isSet(u"insecure"_s)) {
        *error = u"--plain and --insecure exclude each other"_s;
        return std::nullopt;
    }
    using Mode = Client::TlsSettings::Mode;
    config.tls.mode = parser.isSet(u"plain"_s) ? Mode::Plain
            : parser.isSet(u"insecure"_s)      ? Mode::Insecure
                                               : Mode::Pinned;
    config.tls.knownServersFile = parser.value(u"known-servers"_s);
    if (!parseFileOptions(parser, config, error))
        return std::nullopt;
    if (parser.isSet(u"exec"_s))
        config.execCommands = splitExec(parser.value(u"exec"_s));
    return config;
}

} // namespace Cli
