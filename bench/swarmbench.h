#pragma once

#include <QStringList>

namespace Bench {

// hopshare-bench swarm [--quick] [--file-size 8MiB] [--slots 4] [--counts 1,2,4,8,16]
//                      [--out DIR]
// One peer shares a file, K requesters in the same room find it and download it at once
// through an in-process chat server and real client cores (relay signalling, UDP endpoints on
// loopback). Requesters refused with "busy" retry until a slot frees. Reports total and
// per-requester throughput, refusals and the time until all completed; plots aggregate throughput
// against K.
int runSwarm(const QStringList &args);

} // namespace Bench
