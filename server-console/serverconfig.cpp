#include <server-console/serverconfig.h>

#include <protocol/names.h>

#include <crypto/certificatefingerprint.h>

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Server {

void ServerConfig::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
            {u"listen"_s, u"Address and port to listen on (default 127.0.0.1:7400)."_s,
             u"ADDR:PORT"_s},
            {u"port"_s, u"Port to listen on, TCP and UDP (overrides the port of --listen)."_s,
             u"PORT"_s},
            {u"name"_s, u"Name of this server in the network."_s, u"NAME"_s},
            {u"config"_s, u"INI file with settings; command-line flags win."_s, u"FILE"_s},
            {u"max-clients"_s, u"Maximum number of connected clients."_s, u"N"_s},
            {u"rate"_s, u"Messages per second a client may send (sustained)."_s, u"N"_s},
            {u"idle-timeout"_s, u"Seconds without a frame before a client times out."_s, u"S"_s},
            {u"link"_s, u"Link to another server (repeatable)."_s, u"HOST:PORT"_s},
            {u"link-secret"_s,
             u"Shared secret of the server network, at least 16 bytes (or "
             "HOPSHARE_LINK_SECRET, or [links] secret in the config file)."_s,
             u"SECRET"_s},
            {u"link-peer-cert"_s,
             u"Pin a neighbour's TLS certificate (repeatable; [links] peer-certs)."_s,
             u"NAME=SHA256"_s},
            {u"tls-cert"_s, u"TLS certificate (PEM); default: a generated self-signed one."_s,
             u"FILE"_s},
            {u"tls-key"_s, u"Private key (PEM) of --tls-cert."_s, u"FILE"_s},
            {u"plain"_s, u"No TLS: plain TCP for clients and links (baselines, tests)."_s},
            {u"heartbeat-ms"_s, u"Link heartbeat interval in milliseconds (default 1000)."_s,
             u"MS"_s},
            {u"dead-link-ms"_s, u"Silence after which a link is dead (default 4000)."_s, u"MS"_s},
            {u"redial-ms"_s, u"First re-dial delay of a lost link; doubles up to 10 s."_s, u"MS"_s},
            {u"advertise"_s, u"Address other servers' clients should use for this one."_s,
             u"HOST:PORT"_s},
            {u"relay-sessions"_s, u"UDP relay sessions at most (default 64; 0 = no relay)."_s,
             u"N"_s},
            {u"relay-sessions-per-client"_s, u"UDP relay sessions per client (default 4)."_s,
             u"N"_s},
            {u"relay-sessions-per-address"_s,
             u"UDP relay sessions of all clients of one address (default 8)."_s, u"N"_s},
            {u"relay-bytes"_s, u"Bytes one relay session may forward (default 4 GiB)."_s,
             u"BYTES"_s},
            {u"relay-rate"_s,
             u"Bytes per second one relay session forwards in each direction "
             "(default 125000000)."_s,
             u"BYTES"_s},
            {u"relay-idle-ms"_s, u"Idle time after which a relay session ends (default 30000)."_s,
             u"MS"_s},
            {u"send-queue-bytes"_s,
             u"Unread bytes a client may leave queued before it is dropped (default 4194304)."_s,
             u"BYTES"_s},
            {u"link-send-queue-bytes"_s,
             u"Unread bytes a server link may leave queued before it is cut (default 33554432)."_s,
             u"BYTES"_s},
            {u"hello-timeout-ms"_s,
             u"A connection that has not said hello by then is closed (default 5000)."_s, u"MS"_s},
            {u"max-per-address"_s, u"Simultaneous connections from one address (default 16)."_s,
             u"N"_s},
            {u"address-rate"_s,
             u"Messages per second shared by all connections of one address (default: twice "
             "--rate)."_s,
             u"N"_s},
            {u"presence-coalesce-from"_s,
             u"Rooms with this many local members or more hold joins and leaves for "
             "--presence-window-ms and write them once per member (default 64)."_s,
             u"N"_s},
            {u"presence-window-ms"_s,
             u"How long a large room holds presence (default 500; 0: to the end of the "
             "event-loop turn)."_s,
             u"MS"_s},
    });
}

std::optional<std::pair<QHostAddress, quint16>> ServerConfig::parseEndpoint(const QString &text)
{
    const auto hp = Protocol::parseHostPort(text);
    if (!hp)
        return std::nullopt;
    QHostAddress address;
    if (hp->host.isEmpty() || hp->host == u"*")
        address = QHostAddress::Any;
    else if (hp->host == u"localhost")
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(hp->host))
        return std::nullopt;
    return std::pair {address, hp->port};
}

namespace {

bool readInt64(const QString &text, qint64 min, qint64 max, qint64 *out)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool readInt(const QString &text, int min, int max, int *out)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < min || v > max)
        return false;
    *out = v;
    return true;
}

// Applies one setting by name; used for both the INI file and the flags.
bool apply(ServerConfig &c, const QString &key, const QString &value, QString *error)
{
    auto bad = [&](const QString &why) {
        *error = u"invalid %1 '%2': %3"_s.arg(key, value, why);
        return false;
    };
    if (key == u"listen") {
        const auto ep = ServerConfig::parseEndpoint(value);
        if (!ep)
            return bad(u"expected ADDR:PORT"_s);
        c.address = ep->first;
        c.port = ep->second;
    } else if (key == u"port") {
        int port = 0;
        if (!readInt(value, 0, 65535, &port))
            return bad(u"expected a port from 0 to 65535"_s);
        c.port = quint16(port);
    } else if (key == u"relay-sessions") {
        if (!readInt(value, 0, 100000, &c.relaySessions))
            return bad(u"expected a number from 0 to 100000"_s);
    } else if (key == u"relay-sessions-per-client") {
        if (!readInt(value, 1, 1000, &c.relaySessionsPerClient))
            return bad(u"expected a number from 1 to 1000"_s);
    } else if (key == u"relay-sessions-per-address") {
        if (!readInt(value, 1, 100000, &c.relaySessionsPerAddress))
            return bad(u"expected a number from 1 to 100000"_s);
    } else if (key == u"relay-bytes") {
        if (!readInt64(value, 1024, qint64(1) << 50, &c.relayBytes))
            return bad(u"expected bytes from 1024 to 2^50"_s);
    } else if (key == u"relay-rate") {
        if (!readInt64(value, 1024, qint64(1) << 40, &c.relayRate))
            return bad(u"expected bytes per second from 1024 to 2^40"_s);
    } else if (key == u"relay-idle-ms") {
        if (!readInt(value, 100, 3'600'000, &c.relayIdleMs))
            return bad(u"expected milliseconds from 100 to 3600000"_s);
    } else if (key == u"send-queue-bytes") {
        if (!readInt64(value, 65536, qint64(1) << 32, &c.sendQueueBytes))
            return bad(u"expected bytes from 65536 to 2^32"_s);
    } else if (key == u"link-send-queue-bytes") {
        if (!readInt64(value, 65536, qint64(1) << 34, &c.linkSendQueueBytes))
            return bad(u"expected bytes from 65536 to 2^34"_s);
    } else if (key == u"hello-timeout-ms") {
        if (!readInt(value, 100, 600'000, &c.helloTimeoutMs))
            return bad(u"expected milliseconds from 100 to 600000"_s);
    } else if (key == u"max-per-address") {
        if (!readInt(value, 1, 1'000'000, &c.maxConnectionsPerAddress))
            return bad(u"expected a number from 1 to 1000000"_s);
    } else if (key == u"presence-coalesce-from") {
        if (!readInt(value, 1, 1'000'000, &c.presenceCoalesceFrom))
            return bad(u"expected a number from 1 to 1000000"_s);
    } else if (key == u"presence-window-ms") {
        if (!readInt(value, 0, 10'000, &c.presenceWindowMs))
            return bad(u"expected milliseconds from 0 to 10000"_s);
    } else if (key == u"address-rate") {
        bool ok = false;
        const double r = value.toDouble(&ok);
        if (!ok || r <= 0 || r > 1'000'000)
            return bad(u"expected a positive number"_s);
        c.addressMessagesPerSecond = r;
    } else if (key == u"name") {
        if (!Protocol::isValidServerName(value))
            return bad(u"use 1-64 letters, digits, '_', '-' or '.'"_s);
        c.name = value;
    } else if (key == u"max-clients") {
        if (!readInt(value, 1, 1'000'000, &c.maxClients))
            return bad(u"expected a number from 1 to 1000000"_s);
    } else if (key == u"rate") {
        bool ok = false;
        const double r = value.toDouble(&ok);
        if (!ok || r <= 0 || r > 100000)
            return bad(u"expected a positive number"_s);
        c.messagesPerSecond = r;
        c.messageBurst = std::max(10.0, 3 * r);
    } else if (key == u"link") {
        const auto hp = Protocol::parseHostPort(value);
        if (!hp || hp->host.isEmpty() || hp->port == 0)
            return bad(u"expected HOST:PORT"_s);
        c.links.append({hp->host, hp->port});
    } else if (key == u"link-secret") {
        c.linkSecret = value.toUtf8();
    } else if (key == u"heartbeat-ms") {
        if (!readInt(value, 20, 60000, &c.heartbeatMs))
            return bad(u"expected milliseconds from 20 to 60000"_s);
    } else if (key == u"dead-link-ms") {
        if (!readInt(value, 50, 600000, &c.deadLinkMs))
            return bad(u"expected milliseconds from 50 to 600000"_s);
    } else if (key == u"redial-ms") {
        if (!readInt(value, 10, 60000, &c.redialMs))
            return bad(u"expected milliseconds from 10 to 60000"_s);
    } else if (key == u"advertise") {
        if (!Protocol::parseHostPort(value))
            return bad(u"expected HOST:PORT"_s);
        c.advertise = value;
    } else if (key == u"link-peer-cert") {
        const qsizetype eq = value.indexOf(u'=');
        const QString name = value.left(eq).trimmed();
        const QString fingerprint = Crypto::normalizedFingerprint(value.mid(eq + 1));
        if (eq <= 0 || !Protocol::isValidServerName(name) || fingerprint.isEmpty())
            return bad(u"expected NAME=SHA256:<64 hex digits>"_s);
        c.linkPeerCerts.insert(name, fingerprint);
    } else if (key == u"tls-cert") {
        c.tlsCert = value;
    } else if (key == u"tls-key") {
        c.tlsKey = value;
    } else if (key == u"idle-timeout") {
        if (!readInt(value, 1, 86400, &c.idleTimeoutSeconds))
            return bad(u"expected seconds from 1 to 86400"_s);
    }
    return true;
}

// "port" after "listen" so that it overrides the port given there.
const QStringList kKeys = {u"listen"_s,
                           u"port"_s,
                           u"name"_s,
                           u"max-clients"_s,
                           u"rate"_s,
                           u"idle-timeout"_s,
                           u"heartbeat-ms"_s,
                           u"dead-link-ms"_s,
                           u"redial-ms"_s,
                           u"advertise"_s,
                           u"relay-sessions"_s,
                           u"relay-sessions-per-client"_s,
                           u"relay-bytes"_s,
                           u"relay-rate"_s,
                           u"relay-idle-ms"_s,
                           u"send-queue-bytes"_s,
                           u"link-send-queue-bytes"_s,
                           u"hello-timeout-ms"_s,
                           u"max-per-address"_s,
                           u"address-rate"_s,
                           u"presence-coalesce-from"_s,
                           u"presence-window-ms"_s,
                           u"relay-sessions-per-address"_s,
                           u"tls-cert"_s,
                           u"tls-key"_s};

// [links] in the INI file: "peers" (a comma-separated HOST:PORT list), "secret" and the timers.
bool readLinks(QSettings &ini, ServerConfig &config, QString *error)
{
    ini.beginGroup(u"links"_s);
    const QStringList peers = ini.value(u"peers"_s).toStringList();
    for (const QString &peer : peers) {
        if (!apply(config, u"link"_s, peer.trimmed(), error))
            return false;
    }
    if (ini.contains(u"secret"_s))
        config.linkSecret = ini.value(u"secret"_s).toString().toUtf8();
    for (const QString &pin : ini.value(u"peer-certs"_s).toStringList()) {
        if (!apply(config, u"link-peer-cert"_s, pin.trimmed(), error))
            return false;
    }
    for (const QString &key : {u"heartbeat-ms"_s, u"dead-link-ms"_s, u"redial-ms"_s}) {
        if (ini.contains(key) && !apply(config, key, ini.value(key).toString(), error))
            return false;
    }
    ini.endGroup();
    return true;
}

} // namespace

std::optional<ServerConfig> ServerConfig::fromParser(const QCommandLineParser &parser,
                                                     QString *error)
{
    ServerConfig config;
    // A generated certificate lives next to the config file, or in the server's data folder.
    config.tlsDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (parser.isSet(u"config"_s)) {
        const QString file = parser.value(u"config"_s);
        config.tlsDir = QFileInfo(file).absolutePath();
        if (!QFileInfo(file).isReadable()) {
            *error = u"cannot read config file '%1'"_s.arg(file);
            return std::nullopt;
        }
        QSettings ini(file, QSettings::IniFormat);
        ini.beginGroup(u"server"_s);
        for (const QString &key : kKeys) {
            if (ini.contains(key) && !apply(config, key, ini.value(key).toString(), error)) {
                *error = file + u": "_s + *error;
                return std::nullopt;
            }
        }
        ini.endGroup();
        if (!readLinks(ini, config, error)) {
            *error = file + u": "_s + *error;
            return std::nullopt;
        }
    }
    if (const QByteArray env = qgetenv("HOPSHARE_LINK_SECRET"); !env.isEmpty())
        config.linkSecret = env;
    for (const QString &key : kKeys) {
        if (parser.isSet(key) && !apply(config, key, parser.value(key), error))
            return std::nullopt;
    }
    if (parser.isSet(u"link"_s))
        config.links.clear(); // flags win over the file's peers
    for (const QString &link : parser.values(u"link"_s)) {
        if (!apply(config, u"link"_s, link, error))
            return std::nullopt;
    }
    if (parser.isSet(u"link-secret"_s))
        config.linkSecret = parser.value(u"link-secret"_s).toUtf8();
    for (const QString &pin : parser.values(u"link-peer-cert"_s)) {
        if (!apply(config, u"link-peer-cert"_s, pin, error))
            return std::nullopt;
    }
    config.plain = parser.isSet(u"plain"_s);
    if (!config.validate(error))
        return std::nullopt;
    return config;
}

bool ServerConfig::validate(QString *error) const
{
    if (!linkSecret.isEmpty() && linkSecret.size() < kMinLinkSecretBytes) {
        *error = u"the link secret is %1 bytes; it must be at least %2 (a guessable secret "
                 "lets anyone join the server network)"_s.arg(linkSecret.size())
                         .arg(kMinLinkSecretBytes);
        return false;
    }
    if (!links.isEmpty() && linkSecret.isEmpty() && linkPeerCerts.isEmpty()) {
        *error = u"--link needs --link-secret or --link-peer-cert: federation is closed "
                 "without them"_s;
        return false;
    }
    if (plain && !linkPeerCerts.isEmpty()) {
        *error = u"--link-peer-cert needs TLS; it cannot be used with --plain"_s;
        return false;
    }
    if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
        *error = u"--tls-cert and --tls-key go together"_s;
        return false;
    }
    // A queue bound below one frame would drop a client that reads promptly on the first
    // large member list or relay.
    for (const auto &[name, bytes] :
         {std::pair {u"--send-queue-bytes"_s, sendQueueBytes},
          std::pair {u"--link-send-queue-bytes"_s, linkSendQueueBytes}}) {
        if (bytes < 2 * qint64(maxFrameBytes)) {
            *error = u"%1 is %2 bytes; it must be at least twice the frame limit (%3 bytes)"_s
                             .arg(name)
                             .arg(bytes)
                             .arg(2 * qint64(maxFrameBytes));
            return false;
        }
    }
    return true;
}

} // namespace Server
