#include "nativedatagramsocket.h"

#include "logging.h"
#include "qudpdatagramsocket.h"

#include <QSocketNotifier>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Transfer {

struct NativeDatagramSocket::Rings
{
    std::array<std::array<std::byte, kSlotSize>, kBatch> rx {};
    std::array<sockaddr_storage, kBatch> rxAddr {};
    std::array<iovec, kBatch> rxIov {};
    std::array<mmsghdr, kBatch> rxMsg {};
    std::array<std::array<std::byte, kSlotSize>, kBatch> tx {};
    std::array<sockaddr_storage, kBatch> txAddr {};
    std::array<iovec, kBatch> txIov {};
    std::array<mmsghdr, kBatch> txMsg {};
};

NativeDatagramSocket::NativeDatagramSocket(QObject *parent)
    : DatagramSocket(parent)
    , m_rings(std::make_unique<Rings>())
{ }

NativeDatagramSocket::~NativeDatagramSocket()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool NativeDatagramSocket::bind(const QHostAddress &address, quint16 port, QString *error)
{
    const bool v4 = address.protocol() == QAbstractSocket::IPv4Protocol;
    m_family = v4 ? AF_INET : AF_INET6;
    m_fd = ::socket(m_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        if (error)
            *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    sockaddr_storage sa {};
    const unsigned len = PeerAddress::fromQt(address, port).toSockaddr(m_family, &sa);
    if (::bind(m_fd, reinterpret_cast<sockaddr *>(&sa), len) != 0) {
        if (error)
            *error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    socklen_t got = sizeof(sa);
    ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&sa), &got);
    PeerAddress local;
    if (PeerAddress::fromSockaddr(reinterpret_cast<sockaddr *>(&sa), &local))
        m_port = local.port;
    sizeBuffers();
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &DatagramSocket::readyRead);
    return true;
}

void NativeDatagramSocket::sizeBuffers()
{
    // Warn once per process: every endpoint of a process meets the same kernel limit.
    static std::atomic<bool> warned {false};
    const struct
    {
        int option;
        int force;
        const char *sysctl;
    } buffers[] = {{SO_RCVBUF, SO_RCVBUFFORCE, "net.core.rmem_max"},
                   {SO_SNDBUF, SO_SNDBUFFORCE, "net.core.wmem_max"}};
    for (const auto &b : buffers) {
        int want = kRequestedBufferBytes;
        // The FORCE variant passes the sysctl cap when we have CAP_NET_ADMIN; else the plain one.
        if (::setsockopt(m_fd, SOL_SOCKET, b.force, &want, sizeof(want)) != 0)
            ::setsockopt(m_fd, SOL_SOCKET, b.option, &want, sizeof(want));
        int have = 0;
        socklen_t len = sizeof(have);
        ::getsockopt(m_fd, SOL_SOCKET, b.option, &have, &len);
        // Linux reports twice the usable size it granted.
        if (have / 2 < kRequestedBufferBytes && !warned.exchange(true))
            qCWarning(lcTransfer,
                      "UDP socket buffer capped at %d bytes (asked %d); raise it "
                      "with: sysctl -w %s=%d",
                      have / 2, kRequestedBufferBytes, b.sysctl, kRequestedBufferBytes);
    }
}

void NativeDatagramSocket::drain(const Handler &handler)
{
    Rings &r = *m_rings;
    // Bounded per wake-up; the level-triggered notifier fires again for what remains.
    for (int round = 0; round < 16; ++round) {
        for (std::size_t i = 0; i < kBatch; ++i) {
            r.rxIov[i] = {r.rx[i].data(), kSlotSize};
            r.rxMsg[i] = {};
            r.rxMsg[i].msg_hdr.msg_name = &r.rxAddr[i];
            r.rxMsg[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
            r.rxMsg[i].msg_hdr.msg_iov = &r.rxIov[i];
            r.rxMsg[i].msg_hdr.msg_iovlen = 1;
        }
        const int n = ::recvmmsg(m_fd, r.rxMsg.data(), kBatch, MSG_DONTWAIT, nullptr);
        if (n <= 0)
            return;
        for (int i = 0; i < n; ++i) {
            PeerAddress peer;
            if (!PeerAddress::fromSockaddr(reinterpret_cast<sockaddr *>(&r.rxAddr[i]), &peer))
                continue;
            const std::size_t size = std::min<std::size_t>(r.rxMsg[i].msg_len, kSlotSize);
            // A datagram larger than the slot arrives truncated: flag it so it is dropped.
            const bool truncated = (r.rxMsg[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
            handler(std::span<const std::byte>(r.rx[i].data(), truncated ? 1 : size), peer);
        }
        if (std::size_t(n) < kBatch)
            return;
    }
}

void NativeDatagramSocket::send(std::span<const std::byte> datagram, const PeerAddress &peer)
{
    if (m_fd < 0 || datagram.size() > kSlotSize)
        return;
    Rings &r = *m_rings;
    const std::size_t i = m_pending++;
    std::memcpy(r.tx[i].data(), datagram.data(), datagram.size());
    r.txIov[i] = {r.tx[i].data(), datagram.size()};
    r.txMsg[i] = {};
    r.txMsg[i].msg_hdr.msg_name = &r.txAddr[i];
    r.txMsg[i].msg_hdr.msg_namelen = peer.toSockaddr(m_family, &r.txAddr[i]);
    r.txMsg[i].msg_hdr.msg_iov = &r.txIov[i];
    r.txMsg[i].msg_hdr.msg_iovlen = 1;
    if (m_pending == kBatch)
        flush();
}

void NativeDatagramSocket::flush()
{
    std::size_t done = 0;
    while (done < m_pending) {
        const int n = ::sendmmsg(m_fd, m_rings->txMsg.data() + done, unsigned(m_pending - done),
                                 MSG_DONTWAIT);
        if (n <= 0) {
            // A full socket buffer drops the rest, exactly like a congested link would.
            m_sendErrors += m_pending - done;
            break;
        }
        done += std::size_t(n);
    }
    m_pending = 0;
}

std::unique_ptr<DatagramSocket> DatagramSocket::create(bool preferNative, QObject *parent)
{
#ifdef Q_OS_LINUX
    if (preferNative)
        return std::make_unique<NativeDatagramSocket>(parent);
#else
    Q_UNUSED(preferNative);
#endif
    return std::make_unique<QUdpDatagramSocket>(parent);
}

} // namespace Transfer
