#pragma once

#include <client/tlssettings.h>
#include <transfer/impairment/impairment.h>

#include <QString>
#include <QStringList>

#include <optional>

class QCoreApplication;

namespace Cli {

struct ServerAddress
{
    QString host;
    quint16 port = 0;
};

struct CliConfig
{
    QList<ServerAddress> servers;
    QString nick;
    QStringList rooms;
    QString roomKey; // --room-key: the password the --room joins give (locks a room they create)
    bool showAddress = false; // --show-ip: other members may see our address
    bool json = false;
    bool verbose = false; // -v: the client's info log lines on stderr too (default: warnings)
    std::optional<QStringList> execCommands; // set: run these, then quit; unset: read stdin
    QStringList shares; // --share, repeatable
    QString downloads; // --downloads; empty = the current directory
    int maxUploads = 3;
    Transfer::ImpairmentSpec impairment; // --impair; inactive by default
    bool forceRelay = false; // --force-relay (docs/NAT.md)
    int punchTimeoutMs = 3000; // --punch-timeout
    QString identity; // --identity; empty = the profile's (AppDataLocation/identity.pem)
    Client::TlsSettings tls; // --plain, --insecure, --known-servers
};

// Parses the command line (exits on --help/--version); nullopt with *error on bad input.
std::optional<CliConfig> parseCommandLine(const QCoreApplication &app, QString *error);
// "host:port", "[v6]:port"; nullopt when malformed.
std::optional<ServerAddress> parseServerAddress(const QString &text);
// Splits --exec text at ';' (a literal ';' is written "\;").
QStringList splitExec(const QString &text);

} // namespace Cli
