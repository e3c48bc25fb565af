#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace Server {

// Validated server settings. Built from an INI file (optional) and command-line flags; flags win.
struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 7400;
    QString name = QStringLiteral("hopshare");
    int maxClients = 1000;
    double messagesPerSecond = 20.0; // sustained frames per second per client
    double messageBurst = 60.0; // frames a client may send at once
    int idleTimeoutSeconds = 90; // no frame for this long: the client has timed out
    int maxErrors = 20; // malformed or refused frames before a client is dropped
    quint32 maxFrameBytes = 1024 * 1024;

    // Adds the server's options to `parser` (besides --help and --version).
    static void addOptions(QCommandLineParser &parser);
    // Reads --config FILE if given, then applies the flags. nullopt with *error on bad input.
    static std::optional<ServerConfig> fromParser(const QCommandLineParser &parser, QString *error);
    // "ADDR:PORT", "[v6]:PORT" or ":PORT"; nullopt when malformed.
    static std::optional<std::pair<QHostAddress, quint16>> parseEndpoint(const QString &text);
};

} // namespace Server
