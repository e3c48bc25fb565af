#include <transfer/io/nativedatagramsocket.h>

#include <transfer/io/qudpdatagramsocket.h>
#include <transfer/io/transferlogging.h>

#include <QSocketNotifier>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
#ifndef UDP_SEGMENT
constexpr int UDP_SEGMENT = 103; // linux/udp.h, Linux >= 4.18
#endif
// A GSO message must fit one UDP datagram's length field (65507 payload bytes on IPv4); the
// kernel also caps the number of segments (UDP_MAX_SEGMENTS, 64 on older kernels).
constexpr std::size_t kMaxGsoBytes = 65000;
constexpr std::size_t kMaxGsoSegments = 64;
constexpr std::size_t kGsoControlSize = CMSG_SPACE(sizeof(std::uint16_t));
#ifndef UDP_GRO
constexpr int UDP_GRO = 104; // linux/udp.h, Linux >= 5.0
#endif
constexpr std::size_t kGroControlSize = CMSG_SPACE(sizeof(int));
// With GRO one receive slot holds a whole coalesced train (up to 64 KiB); fewer slots keep the
// ring at 1 MiB.
constexpr std::size_t kGroSlots = 16;
constexpr std::size_t kGroSlotSize = 65536;
} // namespace

struct NativeDatagramSocket::Rings
{
    std::vector<std::byte> rx; // rxSlots x rxSlotSize
    std::size_t rxSlots = kBatch;
    std::size_t rxSlotSize = kSlotSize;
    alignas(cmsghdr) std::array<std::array<std::byte, kGroControlSize>, kBatch> rxControl {};
    std::array<sockaddr_storage, kBatch> rxAddr {};
    std::array<iovec, kBatch> rxIov {};
    std::array<mmsghdr, kBatch> rxMsg {};
    std::array<std::array<std::byte, kSlotSize>, kBatch> tx {};
    std::array<std::size_t, kBatch> txSize {};
    std::array<PeerAddress, kBatch> txPeer {};
    std::array<sockaddr_storage, kBatch> txAddr {};
    std::array<iovec, kBatch> txIov {};
    std::array<mmsghdr, kBatch> txMsg {};
    std::array<std::size_t, kBatch> txFirst {}; // first datagram of each message
    alignas(cmsghdr) std::array<std::array<std::byte, kGsoControlSize>, kBatch> txControl {};
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
    // Probe: the option exists on kernels that can segment UDP.
    int segment = 0;
    socklen_t segmentLen = sizeof(segment);
    m_gso = qEnvironmentVariableIntValue("HOPSHARE_NO_GSO") == 0
            && ::getsockopt(m_fd, SOL_UDP, UDP_SEGMENT, &segment, &segmentLen) == 0;
    // GRO: the kernel may hand over a train of same-size datagrams from one sender as one
    // buffer (a GSO train that crossed veth or loopback unsplit); drain() splits it again.
    int one = 1;
    m_gro = m_gso && ::setsockopt(m_fd, SOL_UDP, UDP_GRO, &one, sizeof(one)) == 0;
    Rings &r = *m_rings;
    r.rxSlots = m_gro ? kGroSlots : kBatch;
    r.rxSlotSize = m_gro ? kGroSlotSize : kSlotSize;
    r.rx.assign(r.rxSlots * r.rxSlotSize, std::byte {0});
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
    if (m_fd < 0)
        return;
    Rings &r = *m_rings;
    // Bounded per wake-up; the level-triggered notifier fires again for what remains.
    for (int round = 0; round < 16; ++round) {
        for (std::size_t i = 0; i < r.rxSlots; ++i) {
            r.rxIov[i] = {r.rx.data() + i * r.rxSlotSize, r.rxSlotSize};
            r.rxMsg[i] = {};
            r.rxMsg[i].msg_hdr.msg_name = &r.rxAddr[i];
            r.rxMsg[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
            r.rxMsg[i].msg_hdr.msg_iov = &r.rxIov[i];
            r.rxMsg[i].msg_hdr.msg_iovlen = 1;
            if (m_gro) {
                r.rxMsg[i].msg_hdr.msg_control = r.rxControl[i].data();
                r.rxMsg[i].msg_hdr.msg_controllen = kGroControlSize;
            }
        }
        const int n = ::recvmmsg(m_fd, r.rxMsg.data(), unsigned(r.rxSlots), MSG_DONTWAIT, nullptr);
        if (n <= 0)
            return;
        for (int i = 0; i < n; ++i) {
            msghdr &h = r.rxMsg[i].msg_hdr;
            PeerAddress peer;
            if (!PeerAddress::fromSockaddr(reinterpret_cast<sockaddr *>(&r.rxAddr[i]), &peer))
                continue;
            const std::byte *data = r.rx.data() + std::size_t(i) * r.rxSlotSize;
            const std::size_t size = std::min<std::size_t>(r.rxMsg[i].msg_len, r.rxSlotSize);
            // A datagram larger than the slot arrives truncated: flag it so it is dropped.
            if ((h.msg_flags & MSG_TRUNC) != 0) {
                handler(std::span<const std::byte>(data, 1), peer);
                continue;
            }
            std::size_t segment = size;
            for (cmsghdr *c = m_gro ? CMSG_FIRSTHDR(&h) : nullptr; c; c = CMSG_NXTHDR(&h, c))
                if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
                    int v = 0;
                    std::memcpy(&v, CMSG_DATA(c), sizeof(v));
                    if (v > 0)
                        segment = std::size_t(v);
                }
            for (std::size_t off = 0; off < size; off += segment)
                handler(std::span<const std::byte>(data + off, std::min(segment, size - off)),
                        peer);
        }
        if (std::size_t(n) < r.rxSlots)
            return;
    }
}

void NativeDatagramSocket::send(std::span<const std::byte> datagram, const PeerAddress &peer)
{
    if (m_fd < 0 || datagram.size() > kSlotSize || datagram.empty())
        return;
    Rings &r = *m_rings;
    const std::size_t i = m_pending++;
    std::memcpy(r.tx[i].data(), datagram.data(), datagram.size());
    r.txSize[i] = datagram.size();
    r.txPeer[i] = peer;
    r.txIov[i] = {r.tx[i].data(), datagram.size()};
    if (m_pending == kBatch)
        flush();
}

std::size_t NativeDatagramSocket::buildMessages()
{
    Rings &r = *m_rings;
    std::size_t messages = 0;
    for (std::size_t i = 0; i < m_pending;) {
        // A run: same peer, every datagram as long as the first except possibly the last.
        std::size_t end = i + 1;
        if (m_gso) {
            const std::size_t limit = std::min(
                    kMaxGsoSegments, std::max<std::size_t>(kMaxGsoBytes / r.txSize[i], 1));
            while (end < m_pending && end - i < limit && r.txPeer[end] == r.txPeer[i]
                   && r.txSize[end] <= r.txSize[i] && r.txSize[end - 1] == r.txSize[i])
                ++end;
        }
        mmsghdr &m = r.txMsg[messages];
        m = {};
        m.msg_hdr.msg_name = &r.txAddr[messages];
        m.msg_hdr.msg_namelen = r.txPeer[i].toSockaddr(m_family, &r.txAddr[messages]);
        // The iovecs of a run are adjacent in txIov: the kernel concatenates them.
        m.msg_hdr.msg_iov = &r.txIov[i];
        m.msg_hdr.msg_iovlen = end - i;
        if (end - i > 1) {
            m.msg_hdr.msg_control = r.txControl[messages].data();
            m.msg_hdr.msg_controllen = kGsoControlSize;
            cmsghdr *c = CMSG_FIRSTHDR(&m.msg_hdr);
            c->cmsg_level = SOL_UDP;
            c->cmsg_type = UDP_SEGMENT;
            c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
            const auto segment = std::uint16_t(r.txSize[i]);
            std::memcpy(CMSG_DATA(c), &segment, sizeof(segment));
        }
        r.txFirst[messages] = i;
        ++messages;
        i = end;
    }
    return messages;
}

void NativeDatagramSocket::flush()
{
    Rings &r = *m_rings;
    std::size_t messages = buildMessages();
    std::size_t done = 0;
    while (done < messages) {
        const int n
                = ::sendmmsg(m_fd, r.txMsg.data() + done, unsigned(messages - done), MSG_DONTWAIT);
        if (n > 0) {
            done += std::size_t(n);
            continue;
        }
        if (m_gso && (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP)) {
            // The path cannot take segmentation offload: resend the rest one by one.
            qCInfo(lcTransfer, "UDP GSO unavailable (%s); sending datagrams singly",
                   std::strerror(errno));
            m_gso = false;
            const std::size_t first = r.txFirst[done];
            std::memmove(r.txSize.data(), r.txSize.data() + first,
                         (m_pending - first) * sizeof(std::size_t));
            for (std::size_t k = first; k < m_pending; ++k) {
                std::memcpy(r.tx[k - first].data(), r.tx[k].data(), r.txSize[k - first]);
                r.txPeer[k - first] = r.txPeer[k];
                r.txIov[k - first] = {r.tx[k - first].data(), r.txSize[k - first]};
            }
            m_pending -= first;
            messages = buildMessages();
            done = 0;
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) {
            // A full socket buffer drops the rest, exactly like a congested link would.
            m_sendErrors += m_pending - r.txFirst[done];
            break;
        }
        // An error of this message's destination alone (no route to an IPv6 candidate, a
        // firewall's EPERM): it is dropped, the messages to other peers still go.
        const std::size_t end = done + 1 < messages ? r.txFirst[done + 1] : m_pending;
        m_sendErrors += end - r.txFirst[done];
        ++done;
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
