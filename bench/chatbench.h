#pragma once

#include <QStringList>

namespace Bench {

// hopshare-bench chat: N raw clients in one room, S senders flat out for a bounded time, on one
// real hopshare-server process or across a line of three. Prints deliveries per second, latency
// percentiles, messages lost, and the server's peak RSS. Returns the exit code (1 if anything
// was lost).
int runChat(const QStringList &args);

} // namespace Bench
