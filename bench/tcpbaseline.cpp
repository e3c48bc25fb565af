#include <bench/tcpbaseline.h>

#include <bench/tcpstream.h>

#include <unistd.h>

#include <thread>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

constexpr int kLoopbackTimeoutMs = 120'000;

std::optional<Crypto::Sha256::Digest> digestOf(const QString &file, Measurement *m)
{
    auto digest = Crypto::Sha256::hashFile(file, &m->error);
    return digest;
}

} // namespace

TcpBaseline::TcpBaseline(QString congestion)
    : m_congestion(std::move(congestion))
{ }

Measurement TcpBaseline::runLoopback(const QString &file, const QString &outPath) const
{
    Measurement m;
    const auto digest = digestOf(file, &m);
    if (!digest)
        return m;
    quint16 port = 0;
    const QHostAddress local(QHostAddress::LocalHost);
    const int listener = TcpStream::listenOn(local, 0, m_congestion, &port, &m.error);
    if (listener < 0)
        return m;
    Measurement sender;
    std::thread sendThread([&] {
        const int fd = TcpStream::acceptOne(listener, 10'000, &sender.error);
        if (fd < 0)
            return;
        TcpStream::sendFile(fd, file, *digest, &sender);
        ::close(fd);
    });
    std::thread receiveThread([&] {
        const int fd = TcpStream::connectTo(local, port, m_congestion, &m.error);
        if (fd < 0)
            return;
        TcpStream::receiveFile(fd, outPath, kLoopbackTimeoutMs, &m);
        ::close(fd);
    });
    receiveThread.join();
    sendThread.join();
    ::close(listener);
    m.cpuSenderSeconds = sender.cpuSenderSeconds;
    if (m.error.isEmpty() && !sender.error.isEmpty())
        m.error = sender.error;
    return m;
}

Measurement TcpBaseline::serve(const QString &file, const QHostAddress &addr, quint16 port,
                               int acceptTimeoutMs) const
{
    Measurement m;
    const auto digest = digestOf(file, &m);
    if (!digest)
        return m;
    quint16 bound = 0;
    const int listener = TcpStream::listenOn(addr, port, m_congestion, &bound, &m.error);
    if (listener < 0)
        return m;
    const int fd = TcpStream::acceptOne(listener, acceptTimeoutMs, &m.error);
    ::close(listener);
    if (fd < 0)
        return m;
    TcpStream::sendFile(fd, file, *digest, &m);
    ::close(fd);
    m.verified = m.error.isEmpty();
    return m;
}

Measurement TcpBaseline::fetch(const QHostAddress &addr, quint16 port, const QString &outPath,
                               int timeoutMs) const
{
    Measurement m;
    const int fd = TcpStream::connectTo(addr, port, m_congestion, &m.error);
    if (fd < 0)
        return m;
    TcpStream::receiveFile(fd, outPath, timeoutMs, &m);
    ::close(fd);
    return m;
}

} // namespace Bench
