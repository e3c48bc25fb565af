#pragma once

#include <bench/measurement.h>

#include <crypto/sha256.h>

#include <QHostAddress>
#include <QString>

// Blocking native TCP socket operations used by the TCP baseline (Linux/POSIX only).
namespace Bench::TcpStream {

// Returns a listening socket bound to addr:port (port 0 = ephemeral) or -1 with *error set;
// *boundPort receives the actual port.
[[nodiscard]] int listenOn(const QHostAddress &addr, quint16 port, const QString &congestion,
                           quint16 *boundPort, QString *error);
// Waits up to timeoutMs for one connection; returns the connected socket or -1.
[[nodiscard]] int acceptOne(int listener, int timeoutMs, QString *error);
[[nodiscard]] int connectTo(const QHostAddress &addr, quint16 port, const QString &congestion,
                            QString *error);

// Sends a 40-byte header (size, SHA-256 computed beforehand, outside the timing) then the
// file; fills the sender-side fields.
void sendFile(int socket, const QString &file, const Crypto::Sha256::Digest &digest,
              Measurement *m);
// Receives header and file into outPath, hashes it and compares; fills the receiver side.
// Gives up after timeoutMs and reports what arrived (unverified) so a very slow point still
// yields a goodput figure.
void receiveFile(int socket, const QString &outPath, int timeoutMs, Measurement *m);

} // namespace Bench::TcpStream
