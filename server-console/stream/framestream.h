#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

namespace Protocol {
class FrameReader;
}

namespace Server {

// A connection the server exchanges frames over, whoever carries it: the sockets it accepts
// (SessionSocket, OpenSSL over the raw descriptor) or the links it dials (QtSocketStream over
// a QSslSocket). Sessions and links only ever see decrypted bytes through this.
class FrameStream : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Queues a frame; it goes out with the others written in the same event-loop turn. The
    // frame is shared, not copied, until it is sent.
    virtual void write(const QByteArray &frame) = 0;
    // Bytes written and not yet taken by the kernel: what a peer that does not read makes the
    // server hold.
    [[nodiscard]] virtual qint64 unsentBytes() const = 0;
    // Appends what has arrived to `reader`, as much as it takes; returns how much (0: nothing
    // more for now). Bytes the reader did not take are kept for the next call.
    virtual qsizetype readInto(Protocol::FrameReader &reader) = 0;
    // Reads what the kernel already holds even if this turn's notification has not come yet
    // (a server too busy to read must not take a live peer for a dead one).
    virtual void pollIncoming() { }
    // Writes what is pending, then closes; disconnected() follows.
    virtual void disconnectFromHost() = 0;
    // Closes at once, dropping what is pending; disconnected() follows.
    virtual void abort() = 0;
    [[nodiscard]] virtual bool isConnected() const = 0;
    [[nodiscard]] virtual QHostAddress peerAddress() const = 0;
    [[nodiscard]] virtual QString errorString() const = 0;
    // DER of the certificates of this TLS session; empty in plain mode or when the peer
    // presented none.
    [[nodiscard]] virtual QByteArray localCertificateDer() const = 0;
    [[nodiscard]] virtual QByteArray peerCertificateDer() const = 0;

Q_SIGNALS:
    void readyRead();
    // Emitted once, when the connection is over (closed by either side or failed).
    void disconnected();
};

} // namespace Server
