#pragma once

#include <cstdint>
#include <optional>

namespace Bench::TcpStream {

// What the kernel's TCP_INFO says a connection sent: data segments and how many of them were
// retransmissions, for the TCP baselines' Resent figure beside the transport's.
struct SentSegments
{
    std::uint64_t dataSegments = 0;
    std::uint64_t retransmitted = 0;
};

// nullopt where the kernel does not report them.
[[nodiscard]] std::optional<SentSegments> sentSegments(int socket);

} // namespace Bench::TcpStream
