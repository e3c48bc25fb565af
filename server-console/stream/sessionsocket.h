#pragma once

#include <server-console/stream/epollwatch.h>
#include <server-console/stream/framestream.h>

#include <QList>

#include <memory>

struct ssl_st;

namespace Server {

class TlsContext;

// A connection the server accepted, on its raw descriptor: TLS through OpenSSL with the
// server's one shared context, or plain TCP. Frames written in one event-loop turn go out
// together (one TLS record and one system call for many frames), shared rather than copied
// until then; an idle session holds no buffer (a Qt TLS socket holds four, ~80 KiB, which is
// what a room of thousands is made of).
class SessionSocket : public FrameStream
{
    Q_OBJECT
public:
    // Takes the descriptor; `tls` null = plain TCP, ready at once.
    SessionSocket(qintptr descriptor, std::shared_ptr<const TlsContext> tls,
                  QObject *parent = nullptr);
    ~SessionSocket() override;

    // TLS: runs the server side of the handshake; encrypted() or handshakeFailed() follows.
    void startHandshake();

    void write(const QByteArray &frame) override;
    [[nodiscard]] qint64 unsentBytes() const override { return m_pendingBytes + m_carry.size(); }
    qsizetype readInto(Protocol::FrameReader &reader) override;
    void pollIncoming() override { m_readBudget = kReadBudget; }
    void disconnectFromHost() override;
    void abort() override;
    [[nodiscard]] bool isConnected() const override { return m_phase == Phase::Open; }
    [[nodiscard]] QHostAddress peerAddress() const override { return m_peer; }
    [[nodiscard]] QString errorString() const override { return m_error; }
    [[nodiscard]] QByteArray localCertificateDer() const override;
    [[nodiscard]] QByteArray peerCertificateDer() const override;

    // Writes what this turn queued (called once per turn for every socket written to).
    void flush();

Q_SIGNALS:
    void encrypted();
    void handshakeFailed(const QString &why);

private:
    enum class Phase { Handshake, Open, Draining, HalfClosed, Closed };
    // Read per notification before others get their turn: a flooding peer cannot hold the
    // event loop.
    static constexpr qsizetype kReadBudget = 256 * 1024;

    void onReadable();
    // Emits readyRead(). A close the reader finds is reported right after its handler, in
    // this turn, as Qt's sockets do: a link must be known down before the next event routes
    // over it. False when the connection ended.
    bool emitReadyRead();
    void onWritable();
    void continueHandshake();
    void flushTls();
    // Hands what OpenSSL sealed to the kernel, behind the carry an earlier write left; what
    // the kernel does not take now becomes the carry. False when the connection failed.
    bool sendSealed();
    void flushPlain();
    void consume(qsizetype bytes);
    void wantWrite(bool on);
    [[nodiscard]] bool waitingToWrite() const { return m_watch.isWriteEnabled(); }
    // Sends close_notify and the FIN once everything pending is out, then reports the close;
    // reads (and drops) what the peer still sends until its FIN or the socket's end.
    void finishWriting();
    void discardIncoming();
    // Closes the descriptor; disconnected() is emitted from the event loop (or at once by
    // abort()), never from inside a read.
    void fail(const QString &why);
    void closeNow();
    void emitDisconnected();
    void scheduleFlush();
    void scheduleReadAgain();
    // The bytes OpenSSL must be handed again after a blocked write (the same bytes, rebuilt
    // from the queue): *length bytes from the head of the queue, copied into one buffer when
    // they span frames.
    const char *gather(qsizetype *length);

    int m_fd;
    ssl_st *m_ssl = nullptr;
    std::shared_ptr<const TlsContext> m_tls;
    EpollWatch m_watch;
    QHostAddress m_peer;
    QList<QByteArray> m_pending;
    qsizetype m_headOffset = 0;
    qint64 m_pendingBytes = 0;
    QByteArray m_carry; // sealed, not taken by the kernel yet; empty (no buffer) most of the time
    qsizetype m_tlsRetryBytes = 0; // a blocked SSL_write's length, to be repeated exactly
    QByteArray m_unread; // read but not taken by the frame reader
    qsizetype m_readBudget = kReadBudget;
    QString m_error;
    Phase m_phase = Phase::Open;
    bool m_flushQueued = false;
    bool m_readAgainQueued = false;
    bool m_readCalled = false;
    bool m_disconnectEmitted = false;
    bool m_inNotification = false;
    bool m_disconnectDue = false;

    friend class FlushQueue;
};

} // namespace Server
