#pragma once

#include <bench/transferrunner.h>

#include <memory>

namespace Bench {

// The TransferRunner backed by the real UDP engine: each point runs this very executable's
// `serve` and `fetch` as two processes over 127.0.0.1. Separate processes give each side's CPU
// time exactly (including hashing and disk threads), keep one hung point from stalling the
// sweep (both are killed by PID at the deadline), and time the same code path as the netlab
// runs. nullptr with *error set when the executable cannot be found.
[[nodiscard]] std::unique_ptr<TransferRunner> makeEngineRunner(QString *error);

} // namespace Bench
