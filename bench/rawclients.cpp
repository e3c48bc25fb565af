#include <bench/rawclients.h>

#include <QCborValue>
#include <QtEndian>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace Bench {

void LightReader::append(const char *data, qsizetype size)
{
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(data, size);
}

LightReader::Type LightReader::next(QCborMap *body)
{
    if (m_buffer.size() - m_offset < 4)
        return Type::None;
    const qsizetype length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (m_buffer.size() - m_offset - 4 < length)
        return Type::None;
    const QByteArrayView frame(m_buffer.constData() + m_offset + 4, length);
    m_offset += 4 + length;
    // Every message is a small map whose first entry is "t": header byte, "t", type name.
    static const QByteArray msg = QByteArray("\x61t\x63msg", 6);
    static const QByteArray joined = QByteArray("\x61t\x66joined", 9);
    const QByteArrayView afterHeader = frame.size() > 1 ? frame.sliced(1) : QByteArrayView();
    if (afterHeader.startsWith(joined))
        return Type::Joined;
    if (!afterHeader.startsWith(msg))
        return Type::Other;
    *body = QCborValue::fromCbor(frame.toByteArray()).toMap();
    return Type::Message;
}

RawClientSet::RawClientSet(FrameHandler onFrame)
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_onFrame(std::move(onFrame))
{ }

RawClientSet::~RawClientSet()
{
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool RawClientSet::open(RawClient &client, quint16 port)
{
    client.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (client.fd < 0) {
        client.closed = true;
        return false;
    }
    const int one = 1;
    ::setsockopt(client.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in to {};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(client.fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0
        && errno != EINPROGRESS) {
        close(client);
        return false;
    }
    // Writable once connected: whatever was queued meanwhile goes then.
    client.wantWrite = true;
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = &client;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, client.fd, &ev);
    return true;
}

void RawClientSet::close(RawClient &client)
{
    if (client.fd >= 0) {
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, client.fd, nullptr);
        ::close(client.fd);
    }
    client.fd = -1;
    client.closed = true;
}

void RawClientSet::arm(RawClient &client, bool write)
{
    if (client.wantWrite == write || client.fd < 0)
        return;
    client.wantWrite = write;
    epoll_event ev {};
    ev.events = EPOLLIN | (write ? EPOLLOUT : 0u);
    ev.data.ptr = &client;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, client.fd, &ev);
}

void RawClientSet::send(RawClient &client, const QByteArray &frame)
{
    if (client.closed)
        return;
    client.out.append(frame);
    if (!client.wantWrite)
        flush(client);
}

void RawClientSet::flush(RawClient &client)
{
    while (!client.out.isEmpty()) {
        const ssize_t n = ::send(client.fd, client.out.constData(), size_t(client.out.size()),
                                 MSG_NOSIGNAL);
        if (n > 0) {
            client.out.remove(0, n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN)) {
            arm(client, true);
            return;
        }
        close(client);
        return;
    }
    arm(client, false);
}

void RawClientSet::readFrom(RawClient &client)
{
    char buffer[65536];
    for (int guard = 0; guard < 64; ++guard) {
        const ssize_t n = ::recv(client.fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            client.reader.append(buffer, n);
            if (size_t(n) < sizeof buffer)
                break;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        close(client); // closed by the server, or an error
        break;
    }
    QCborMap body;
    for (LightReader::Type t = client.reader.next(&body); t != LightReader::Type::None;
         t = client.reader.next(&body))
        m_onFrame(client, t, body);
}

void RawClientSet::poll(int timeoutMs)
{
    epoll_event events[512];
    const int n = ::epoll_wait(m_epoll, events, 512, timeoutMs);
    for (int i = 0; i < n; ++i) {
        auto &client = *static_cast<RawClient *>(events[i].data.ptr);
        if (client.closed)
            continue;
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            readFrom(client);
        if (!client.closed && (events[i].events & EPOLLOUT))
            flush(client);
    }
}

} // namespace Bench
