#pragma once
// CRC32C (Castagnoli), the per-datagram checksum. Uses the SSE4.2 crc32 instruction when the
// CPU has it (checked once at run time) and a slicing-by-8 table otherwise; both give the same
// value, so peers on different CPUs agree.
#include <cstddef>
#include <cstdint>
#include <span>

namespace Transfer {

[[nodiscard]] std::uint32_t crc32c(std::span<const std::byte> data);
// The portable table path, exposed so tests can compare it with the hardware path.
[[nodiscard]] std::uint32_t crc32cPortable(std::span<const std::byte> data);
[[nodiscard]] bool crc32cHasHardware();

} // namespace Transfer
