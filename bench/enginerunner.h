#pragma once

#include "transferrunner.h"

#include <memory>

namespace Bench {

// The TransferRunner backed by the real UDP engine (Hopshare::Transfer); nullptr with *error
// set when the engine cannot be started.
[[nodiscard]] std::unique_ptr<TransferRunner> makeEngineRunner(QString *error);

} // namespace Bench
