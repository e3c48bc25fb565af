#pragma once

#include <bench/measurement.h>

#include <QHostAddress>
#include <QString>

namespace Bench {

// The TCP reference: the same file over a plain kernel TCP connection, received into a file and
// hashed like the UDP transport does. Native blocking sockets in two threads keep Qt's event loop
// out of the figure. It cannot pass through the datagram impairment layer, so in a loopback sweep
// it is the unimpaired reference; across netlab namespaces the kernel's own loss applies to it.
class TcpBaseline
{
public:
    // Congestion control by name ("bbr", "cubic", "reno"; empty = kernel default).
    explicit TcpBaseline(QString congestion = {});

    // Sender and receiver threads in this process over 127.0.0.1.
    [[nodiscard]] Measurement runLoopback(const QString &file, const QString &outPath) const;
    // Two-process mode: waits for one connection on addr:port, sends the file, returns.
    [[nodiscard]] Measurement serve(const QString &file, const QHostAddress &addr, quint16 port,
                                    int acceptTimeoutMs) const;
    // Connects, receives into outPath, verifies the SHA-256 the server announced.
    [[nodiscard]] Measurement fetch(const QHostAddress &addr, quint16 port, const QString &outPath,
                                    int timeoutMs) const;

private:
    QString m_congestion;
};

} // namespace Bench
