#pragma once

#include <server-console/chat/ratelimiter.h>

#include <protocol/framecodec.h>
#include <protocol/messages.h>

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <limits>
#include <memory>

namespace Server {

class FrameStream;

struct ServerConfig;

// One connected client: owns its socket, turns bytes into typed messages, enforces the frame,
// error and rate limits, and sends replies. It knows nothing of rooms; ChatServer does.
class ClientSession : public QObject
{
    Q_OBJECT
public:
    enum class State { AwaitingHello, Ready, Closing };

    ClientSession(FrameStream *socket, const ServerConfig &config, QObject *parent = nullptr);
    ~ClientSession() override;

    // The peer's address as clients see it in MemberInfo (IPv4 without the ::ffff: prefix).
    [[nodiscard]] static QString addressOf(const FrameStream *socket);

    void send(const Protocol::Message &message);
    // An already encoded frame: a message for a whole room is encoded once, not per member.
    void sendFrame(const QByteArray &frame);
    // A frame in pieces, all or none: a room's member list goes after its own head, shared
    // with the registry instead of copied into a frame per turn of joins.
    void sendFrame(const QByteArray &head, const QList<QByteArray> &body);
    void sendError(Protocol::ErrorCode code, const QString &text, const QString &ref = {},
                   const QString &room = {});
    // Says why (an error frame, then bye), flushes, and closes.
    void disconnectWithReason(Protocol::ErrorCode code, const QString &reason);
    // Orderly close: bye with the reason, then the socket closes once written.
    void close(const QString &reason);
    // Counts a refused request; too many of them and the client is dropped.
    void countError();

    [[nodiscard]] State state() const { return m_state; }
    void setReady(const Protocol::MemberInfo &info);
    [[nodiscard]] const Protocol::MemberInfo &info() const { return m_info; }
    [[nodiscard]] QString address() const { return m_address; }
    // The rooms the client is in, in join order. A list: a client is in a few rooms at most
    // (Limits::MaxRoomsPerClient), and a QSet holding one room took 1.3 KiB (its first
    // span's storage), a tenth of what a TLS client costs the server.
    [[nodiscard]] const QStringList &rooms() const { return m_rooms; }
    [[nodiscard]] bool isIn(const QString &room) const { return m_rooms.contains(room); }
    void enterRoom(const QString &room) { m_rooms.append(room); }
    void leaveRoom(const QString &room) { m_rooms.removeOne(room); }
    // Bytes written to the client that it has not read yet (bounded by sendQueueBytes).
    [[nodiscard]] qint64 unsentBytes() const;
    // The token bucket every connection from this session's address draws from too.
    void shareRateLimiter(std::shared_ptr<RateLimiter> perAddress);
    // Hands the socket over (a server dialled in, not a client); the session is finished.
    // *unread gets the bytes that arrived after the link hello, which the link reads first.
    [[nodiscard]] FrameStream *releaseSocket(QByteArray *unread);
    // The session's timeouts (no hello, nothing received, a close the client does not read)
    // are deadlines its server checks a few times a second for all sessions at once
    // (ChatServer), not a timer each: three QTimers per client were three QObjects and their
    // connections, and re-arming one per frame searched every timer of the thread.
    [[nodiscard]] qint64 nextDeadline() const;
    void checkDeadlines(qint64 nowMs);
    // The clock of those deadlines (ms, monotonic).
    [[nodiscard]] static qint64 monotonicMs();

    // SHA-256 of this server's certificate DER as this client's TLS session presented it;
    // empty in plain mode. A client signs with the same value (ClientCore::channelBinding).
    [[nodiscard]] QByteArray channelBinding() const { return m_channelBinding; }

Q_SIGNALS:
    void messageReceived(Server::ClientSession *session, const Protocol::Message &message);
    // The session is over; `reason` is the leave reason the room members see.
    void closed(Server::ClientSession *session, const QString &reason);
    // The first frame was a federation link hello: the peer is a server.
    void linkRequested(Server::ClientSession *session, const QCborMap &hello);

private:
    void readFrames();
    void handleFrame(const Protocol::DecodedFrame &frame);
    void finish(const QString &reason);
    // Queues a frame (head, then body) unless the client stopped reading: past the bound it is
    // dropped.
    void write(const QByteArray &head, const QList<QByteArray> &body = {});
    [[nodiscard]] bool takeToken(qint64 nowMs);

    QPointer<FrameStream> m_socket;
    const ServerConfig &m_config;
    Protocol::FrameReader m_reader;
    RateLimiter m_limiter;
    std::shared_ptr<RateLimiter> m_addressLimiter;
    static constexpr qint64 kNoDeadline = std::numeric_limits<qint64>::max();
    static constexpr qint64 kCloseLingerMs = 2000;
    qint64 m_idleDeadline = kNoDeadline;
    qint64 m_helloDeadline = kNoDeadline;
    qint64 m_lingerDeadline = kNoDeadline; // a closing client that never reads is cut off
    State m_state = State::AwaitingHello;
    Protocol::MemberInfo m_info;
    QString m_address;
    QByteArray m_channelBinding;
    QStringList m_rooms;
    int m_errors = 0;
    qint64 m_lastRateErrorMs = -1;
    QString m_closeReason;
    bool m_finished = false;
    bool m_sendQueueFull = false; // past sendQueueBytes: nothing more is queued
    // Bytes that may still be queued without asking the socket: sendQueueBytes less what was
    // unsent when last asked, less what was written since.
    qint64 m_sendBudget = 0;
    bool m_sayingGoodbye = false;
};

} // namespace Server
