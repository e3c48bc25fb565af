#include <bench/tcpinfo.h>

// linux/tcp.h has the fields glibc's netinet/tcp.h lacks (tcpi_data_segs_out); the two
// headers cannot be included together, so this file includes only the kernel's.
#include <cstddef>

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace Bench::TcpStream {

std::optional<SentSegments> sentSegments(int socket)
{
    tcp_info info {};
    socklen_t length = sizeof(info);
    if (::getsockopt(socket, IPPROTO_TCP, TCP_INFO, &info, &length) != 0
        || length < offsetof(tcp_info, tcpi_data_segs_out) + sizeof(info.tcpi_data_segs_out))
        return std::nullopt;
    return SentSegments {info.tcpi_data_segs_out, info.tcpi_total_retrans};
}

} // namespace Bench::TcpStream
