#include <transfer/wire/peeraddress.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
constexpr std::array<std::uint8_t, 12> kV4Prefix {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
}

PeerAddress PeerAddress::fromQt(const QHostAddress &address, quint16 port)
{
    PeerAddress p;
    p.port = port;
    // Not toIPv4Address(&ok): it also converts "::" and QHostAddress::Any to 0.0.0.0, which
    // made a socket bound to Any an IPv4-only one (bound to ::ffff:0.0.0.0).
    bool ok = address.protocol() == QAbstractSocket::IPv4Protocol;
    quint32 v4 = ok ? address.toIPv4Address() : 0;
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR a = address.toIPv6Address();
        ok = std::memcmp(a.c, kV4Prefix.data(), kV4Prefix.size()) == 0; // an IPv4 peer
        v4 = quint32(a.c[12]) << 24 | quint32(a.c[13]) << 16 | quint32(a.c[14]) << 8 | a.c[15];
    }
    if (ok) {
        std::memcpy(p.ip.data(), kV4Prefix.data(), kV4Prefix.size());
        p.ip[12] = std::uint8_t(v4 >> 24);
        p.ip[13] = std::uint8_t(v4 >> 16);
        p.ip[14] = std::uint8_t(v4 >> 8);
        p.ip[15] = std::uint8_t(v4);
        p.isV4 = true;
    } else {
        // IPv6, or "::" for QHostAddress::Any: a socket bound there takes both families.
        const Q_IPV6ADDR v6 = address.toIPv6Address();
        std::memcpy(p.ip.data(), v6.c, 16);
        p.isV4 = false;
    }
    return p;
}

QHostAddress PeerAddress::toQt() const
{
    if (isV4)
        return QHostAddress(quint32(ip[12]) << 24 | quint32(ip[13]) << 16 | quint32(ip[14]) << 8
                            | quint32(ip[15]));
    return QHostAddress(ip.data());
}

bool PeerAddress::fromSockaddr(const sockaddr *sa, PeerAddress *out)
{
    if (sa->sa_family == AF_INET) {
        const auto *in = reinterpret_cast<const sockaddr_in *>(sa);
        std::memcpy(out->ip.data(), kV4Prefix.data(), kV4Prefix.size());
        std::memcpy(out->ip.data() + 12, &in->sin_addr, 4);
        out->port = ntohs(in->sin_port);
        out->isV4 = true;
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const auto *in6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        std::memcpy(out->ip.data(), &in6->sin6_addr, 16);
        out->port = ntohs(in6->sin6_port);
        out->isV4 = std::memcmp(out->ip.data(), kV4Prefix.data(), kV4Prefix.size()) == 0;
        return true;
    }
    return false;
}

unsigned PeerAddress::toSockaddr(int family, sockaddr_storage *out) const
{
    std::memset(out, 0, sizeof(*out));
    if (family == AF_INET) {
        auto *in = reinterpret_cast<sockaddr_in *>(out);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        std::memcpy(&in->sin_addr, ip.data() + 12, 4);
        return sizeof(sockaddr_in);
    }
    auto *in6 = reinterpret_cast<sockaddr_in6 *>(out);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    std::memcpy(&in6->sin6_addr, ip.data(), 16);
    return sizeof(sockaddr_in6);
}

QString PeerAddress::toString() const
{
    return toQt().toString() + u':' + QString::number(port);
}

std::size_t PeerAddressHash::operator()(const PeerAddress &p) const noexcept
{
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::memcpy(&a, p.ip.data(), 8);
    std::memcpy(&b, p.ip.data() + 8, 8);
    return std::hash<std::uint64_t>()(a * 0x9E3779B97F4A7C15ull ^ b ^ (std::uint64_t(p.port) << 7));
}

} // namespace Transfer
