#pragma once

#include <bench/cliutil.h>

#include <server-console/udp/relaysession.h>

namespace Bench {

// `hopshare-bench relay`: one server relay session (Server::RelaySession, the server's own
// forwarding code) standing alone, so serve/fetch can measure the relayed path beside the
// direct one on the same link. Prints {"relay_port", "token"} once it listens, then, when the
// session ends (its transfer's CLOSE crossed it, or the timeout), one line with what it
// forwarded, dropped and failed to send and the CPU it used.
struct RelayBenchOptions
{
    QHostAddress address;
    int timeoutMs = 120'000;
    quint64 bytesPerSecond = Server::RelayLimits {}.bytesPerSecond; // per direction, as a server's
};

[[nodiscard]] int runRelaySession(const RelayBenchOptions &options);

} // namespace Bench
