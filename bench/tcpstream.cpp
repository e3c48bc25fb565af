#include <bench/tcpstream.h>

#include <bench/cputime.h>
#include <bench/tcpinfo.h>

#include <QElapsedTimer>
#include <QFile>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

using namespace Qt::StringLiterals;

namespace Bench::TcpStream {

namespace {

constexpr std::size_t kBufferSize = 1 << 20;
constexpr std::size_t kHeaderSize = 8 + 32;

QString systemError(const QString &what)
{
    return what + u": "_s + QString::fromLocal8Bit(std::strerror(errno));
}

socklen_t toSockaddr(const QHostAddress &addr, quint16 port, sockaddr_storage *out)
{
    std::memset(out, 0, sizeof *out);
    if (addr.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(out);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR raw = addr.toIPv6Address();
        std::memcpy(&in6->sin6_addr, raw.c, 16);
        return sizeof *in6;
    }
    auto *in4 = reinterpret_cast<sockaddr_in *>(out);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    in4->sin_addr.s_addr = htonl(addr.toIPv4Address());
    return sizeof *in4;
}

bool setCongestion(int fd, const QString &congestion, QString *error)
{
    if (congestion.isEmpty())
        return true;
    const QByteArray name = congestion.toLatin1();
    if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name.constData(), socklen_t(name.size()))
        != 0) {
        *error = systemError(u"TCP_CONGESTION %1 (try modprobe tcp_%1)"_s.arg(congestion));
        return false;
    }
    return true;
}

bool sendAll(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

bool recvAll(int fd, char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::recv(fd, data, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

} // namespace

int listenOn(const QHostAddress &addr, quint16 port, const QString &congestion, quint16 *boundPort,
             QString *error)
{
    sockaddr_storage sa;
    const socklen_t len = toSockaddr(addr, port, &sa);
    const int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = systemError(u"socket"_s);
        return -1;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (!setCongestion(fd, congestion, error)) {
        ::close(fd);
        return -1;
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0 || ::listen(fd, 4) != 0) {
        *error = systemError(u"bind/listen %1:%2"_s.arg(addr.toString()).arg(port));
        ::close(fd);
        return -1;
    }
    socklen_t slen = sizeof sa;
    getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &slen);
    *boundPort = ntohs(sa.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6 *>(&sa)->sin6_port
                                                : reinterpret_cast<sockaddr_in *>(&sa)->sin_port);
    return fd;
}

int acceptOne(int listener, int timeoutMs, QString *error)
{
    pollfd pfd {listener, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, timeoutMs);
    if (ready <= 0) {
        *error = ready == 0 ? u"no connection within %1 ms"_s.arg(timeoutMs)
                            : systemError(u"poll"_s);
        return -1;
    }
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
        *error = systemError(u"accept"_s);
    return fd;
}

int connectTo(const QHostAddress &addr, quint16 port, const QString &congestion, QString *error)
{
    sockaddr_storage sa;
    const socklen_t len = toSockaddr(addr, port, &sa);
    const int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = systemError(u"socket"_s);
        return -1;
    }
    if (!setCongestion(fd, congestion, error)
        || ::connect(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0) {
        if (error->isEmpty())
            *error = systemError(u"connect %1:%2"_s.arg(addr.toString()).arg(port));
        ::close(fd);
        return -1;
    }
    return fd;
}

void sendFile(int socket, const QString &file, const Crypto::Sha256::Digest &digest, Measurement *m)
{
    QElapsedTimer clock;
    clock.start();
    const double cpu0 = threadCpuSeconds();
    const int in = ::open(QFile::encodeName(file).constData(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        m->error = systemError(u"open "_s + file);
        return;
    }
    const std::int64_t size = ::lseek(in, 0, SEEK_END);
    ::lseek(in, 0, SEEK_SET);
    char header[kHeaderSize];
    for (int i = 0; i < 8; ++i)
        header[i] = char((std::uint64_t(size) >> (56 - 8 * i)) & 0xff);
    std::memcpy(header + 8, digest.data(), 32);
    std::vector<char> buffer(kBufferSize);
    bool ok = sendAll(socket, header, kHeaderSize);
    std::int64_t sent = 0;
    while (ok && sent < size) {
        const ssize_t n = ::read(in, buffer.data(), buffer.size());
        if (n <= 0)
            break;
        ok = sendAll(socket, buffer.data(), std::size_t(n));
        sent += ok ? n : 0;
    }
    ::close(in);
    ::shutdown(socket, SHUT_WR);
    if (sent != size)
        m->error = u"sent %1 of %2 bytes"_s.arg(sent).arg(size);
    m->bytes = sent;
    m->seconds = double(clock.nsecsElapsed()) * 1e-9;
    m->cpuSenderSeconds = threadCpuSeconds() - cpu0;
    // The last segments may still be in flight (and resent): the counters are final once the
    // receiver, which closes after the last byte, has closed (bounded wait, outside the timing).
    pollfd p {socket, POLLIN, 0};
    char sink[256];
    for (int i = 0; i < 100 && ::poll(&p, 1, 100) >= 0; ++i) {
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0
            && ::recv(socket, sink, sizeof(sink), 0) <= 0)
            break;
    }
    if (const auto segments = sentSegments(socket)) {
        m->datagramsSent = segments->dataSegments;
        m->retransmissions = segments->retransmitted;
    }
}

void receiveFile(int socket, const QString &outPath, int timeoutMs, Measurement *m)
{
    QElapsedTimer clock;
    clock.start();
    const double cpu0 = threadCpuSeconds();
    char header[kHeaderSize];
    if (!recvAll(socket, header, kHeaderSize)) {
        m->error = u"connection closed before the header"_s;
        return;
    }
    std::uint64_t size = 0;
    for (int i = 0; i < 8; ++i)
        size = (size << 8) | std::uint8_t(header[i]);
    Crypto::Sha256::Digest expected;
    std::memcpy(expected.data(), header + 8, 32);
    const int out = ::open(QFile::encodeName(outPath).constData(),
                           O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        m->error = systemError(u"open "_s + outPath);
        return;
    }
    Crypto::Sha256 sha;
    std::vector<char> buffer(kBufferSize);
    std::uint64_t got = 0;
    const timeval tick {0, 200'000}; // wake up to check the deadline
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    while (got < size && clock.elapsed() < timeoutMs) {
        const ssize_t n = ::recv(socket, buffer.data(), buffer.size(), 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0 || ::write(out, buffer.data(), std::size_t(n)) != n)
            break;
        sha.addData(buffer.data(), std::size_t(n));
        got += std::uint64_t(n);
    }
    ::close(out);
    const auto digest = sha.finish();
    m->bytes = std::int64_t(got);
    m->seconds = double(clock.nsecsElapsed()) * 1e-9;
    m->cpuReceiverSeconds = threadCpuSeconds() - cpu0;
    m->sha256 = QString::fromLatin1(Crypto::Sha256::toHex(digest));
    m->verified = got == size && digest == expected;
    if (!m->verified && m->error.isEmpty())
        m->error = u"received %1 of %2 bytes, hash %3"_s.arg(got).arg(size).arg(
                digest == expected ? u"matches"_s : u"differs"_s);
}

} // namespace Bench::TcpStream
