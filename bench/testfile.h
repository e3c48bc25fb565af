#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace Bench {

// Writes `size` bytes of incompressible pseudo-random data (deterministic for the seed) and
// returns the file's SHA-256 as lower-case hex, or nullopt with *error set.
[[nodiscard]] std::optional<QString> makeTestFile(const QString &path, std::int64_t size,
                                                  std::uint64_t seed, QString *error);

// SHA-256 of a file as lower-case hex, or nullopt with *error set.
[[nodiscard]] std::optional<QString> sha256Hex(const QString &path, QString *error);

} // namespace Bench
