#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
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

    // Hostile clients (docs/PROTOCOL.md, "Limits against abuse"). A client whose unread output
    // passes sendQueueBytes is dropped; a connection without hello after helloTimeoutMs is
    // closed; one source address holds at most maxConnectionsPerAddress connections, and all of
    // them share one token bucket (addressMessagesPerSecond; 0 = twice the per-client rate).
    qint64 sendQueueBytes = qint64(4) << 20;
    qint64 linkSendQueueBytes = qint64(32) << 20; // a link carries many clients' traffic
    int helloTimeoutMs = 5000;
    int maxConnectionsPerAddress = 16;
    double addressMessagesPerSecond = 0;
    [[nodiscard]] double addressRate() const
    {
        return addressMessagesPerSecond > 0 ? addressMessagesPerSecond : 2 * messagesPerSecond;
    }
    [[nodiscard]] double addressBurst() const { return 3 * addressRate(); }

    // Federation: servers to link to (they may also dial us), the shared link secret, and the
    // link timers. A dead link is noticed after deadLinkMs without a frame.
    QList<std::pair<QString, quint16>> links;
    QByteArray linkSecret;
    int heartbeatMs = 1000;
    int deadLinkMs = 4000;
    int redialMs = 500; // first re-dial delay; it doubles up to 10 s
    QString advertise; // "host:port" told to clients of other servers; default: the listen address
    // Pinned certificates of neighbours: server name -> "SHA256:<hex>". A pinned neighbour
    // must present that certificate; with no secret, the pin alone authenticates it.
    QHash<QString, QString> linkPeerCerts;
    // Before a link is authenticated: its frame cap, how many handshakes may wait at once,
    // and how many links one address may open per minute.
    quint32 linkPreAuthFrameBytes = 4096;
    int linkPendingMax = 8;
    int linkAttemptsPerMinute = 60;

    // Presence in a room of presenceCoalesceFrom local members or more is held for up to
    // presenceWindowMs and sent as one write per member (PresenceBatcher).
    int presenceCoalesceFrom = 64;
    // 500: a join burst into a room of 5000 costs each member a write per window, and half a
    // second is as long as a person notices no delay in a member list (docs/BENCHMARKS.md).
    int presenceWindowMs = 500;

    // Control-plane TLS (docs/PROTOCOL.md). `plain` = no TLS at all (--plain: benchmark
    // baselines, some tests). tlsCert/tlsKey: the operator's pair; otherwise a self-signed one
    // is generated in tlsDir (empty = in memory for this run only).
    bool plain = false;
    QString tlsCert;
    QString tlsKey;
    QString tlsDir;
    int tlsHandshakeMs = 10'000; // a TLS handshake not done by then is closed
    int maxTlsHandshakes = 256; // handshakes in progress at once

    // UDP side (docs/NAT.md): binding probes on the listen port, relay sessions on ephemeral
    // ports. relaySessions 0 switches relaying off.
    int relaySessions = 64;
    int relaySessionsPerClient = 4;
    int relaySessionsPerAddress = 8;
    qint64 relayBytes = qint64(4) << 30; // bytes one session may forward
    qint64 relayRate = 125'000'000; // bytes/s per session and direction
    int relayIdleMs = 30'000;

    // Adds the server's options to `parser` (besides --help and --version).
    static void addOptions(QCommandLineParser &parser);
    // Reads --config FILE if given, then applies the flags. nullopt with *error on bad input.
    static std::optional<ServerConfig> fromParser(const QCommandLineParser &parser, QString *error);
    // Rules that span settings (secret length, federation closed without a secret or pins).
    [[nodiscard]] bool validate(QString *error) const;
    static constexpr int kMinLinkSecretBytes = 16;
    // "ADDR:PORT", "[v6]:PORT" or ":PORT"; nullopt when malformed.
    static std::optional<std::pair<QHostAddress, quint16>> parseEndpoint(const QString &text);
};

} // namespace Server
