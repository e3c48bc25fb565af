#pragma once

#include <QByteArray>
#include <QCborMap>

#include <functional>
#include <vector>

namespace Bench {

// Splits a server's stream into frames and tells their type from the first bytes, decoding
// only the frames the chat bench reads ("msg"): with thousands of members nearly every frame
// is presence (member-joined), and decoding each one was most of the bench's own cost.
class LightReader
{
public:
    enum class Type { None, Joined, Message, Other };
    void append(const char *data, qsizetype size);
    // The next complete frame's type; a message's decoded body in *body.
    Type next(QCborMap *body);

private:
    QByteArray m_buffer;
    qsizetype m_offset = 0;
};

// One chat client on a bare non-blocking socket.
struct RawClient
{
    int fd = -1;
    bool closed = false;
    bool wantWrite = false; // EPOLLOUT armed: output is waiting
    QByteArray out; // not yet accepted by the kernel
    LightReader reader;
    int serverIndex = 0;
    int senderIndex = -1;
    bool joined = false;
    bool warmed = false;
    bool measured = false; // joined before the clock started: its deliveries count
    qint64 received = 0;
    qint64 sent = 0;
    qint64 echoed = 0; // own messages back: the sender's window
};

// Thousands of RawClients driven by one epoll set. Qt's event dispatchers poll every
// registered descriptor on every turn, so with 5000 QTcpSockets the bench spent 80% of its time
// in the kernel's poll of idle sockets; epoll hands over only the ready ones.
class RawClientSet
{
public:
    using FrameHandler = std::function<void(RawClient &, LightReader::Type, const QCborMap &)>;

    explicit RawClientSet(FrameHandler onFrame);
    ~RawClientSet();
    RawClientSet(const RawClientSet &) = delete;
    RawClientSet &operator=(const RawClientSet &) = delete;

    // Starts a connection to 127.0.0.1:port; false if no socket could be made (descriptors).
    bool open(RawClient &client, quint16 port);
    // Queues `frame`; written as the socket accepts it.
    void send(RawClient &client, const QByteArray &frame);
    // Waits up to `timeoutMs` for ready sockets and handles them once.
    void poll(int timeoutMs);
    void close(RawClient &client);

private:
    void readFrom(RawClient &client);
    void flush(RawClient &client);
    void arm(RawClient &client, bool write);

    int m_epoll = -1;
    FrameHandler m_onFrame;
};

} // namespace Bench
