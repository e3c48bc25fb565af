#pragma once

#include <QString>

#include <memory>

class QProcess;
class QTemporaryDir;

namespace Bench {

// A chat server the versus bench drives: one it started (pid known: its RSS and CPU are
// reported) or one given by address.
struct ChatTarget
{
    enum class Kind { Hopshare, Irc };
    Kind kind = Kind::Hopshare;
    bool tls = false;
    QString name; // row label: "hopshare TLS", "ngircd plain", ...
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    qint64 pid = 0; // 0: not ours, nothing measured on the server side
    std::shared_ptr<QProcess> process;
    std::shared_ptr<QTemporaryDir> dir; // ngircd's generated config and certificate
    QString error;
};

// Starts hopshare-server on a free loopback port (TLS unless `tls` is false).
ChatTarget startHopshare(const QString &binary, bool tls);
// Starts `ngircd -n -f <generated config>` with its flood limits off, listening for plain IRC
// and, with `tls`, for IRC over TLS (a generated self-signed certificate).
ChatTarget startNgircd(const QString &binary, bool tls);
// Stops a server this bench started, by its process.
void stopTarget(ChatTarget &target);

// The ngircd.conf the bench writes (documented in docs/BENCHMARKS.md).
QString ngircdConfig(quint16 port, quint16 tlsPort, const QString &certFile,
                     const QString &keyFile);

struct ProcessSample
{
    qint64 rssKiB = -1;
    qint64 hwmKiB = -1;
    double cpuSeconds = 0; // user + sys
};
ProcessSample sampleProcess(qint64 pid);

} // namespace Bench
