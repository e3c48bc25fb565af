#pragma once

// Packet numbers. The wire carries the low 32 bits of a packet number; the algorithms
// (AckRanges, SentPackets, LossDetector) work on 64-bit *expanded* packet numbers that never
// wrap. The engine expands every received 32-bit value with expandPacketNumber() against the
// largest number it has seen in that space (RFC 9000 appendix A.3 with a 32-bit window), so
// ordering, differences and range arithmetic stay plain integer arithmetic everywhere else.

#include <cstdint>

namespace Transfer {

using PacketNumber = std::uint64_t;

// An inclusive run of packet numbers [first, last], first <= last.
struct PacketNumberRange
{
    PacketNumber first = 0;
    PacketNumber last = 0;

    [[nodiscard]] constexpr std::uint64_t count() const { return last - first + 1; }
    [[nodiscard]] constexpr bool contains(PacketNumber pn) const
    {
        return pn >= first && pn <= last;
    }
    friend constexpr bool operator==(const PacketNumberRange &, const PacketNumberRange &)
            = default;
};

[[nodiscard]] constexpr std::uint32_t truncatePacketNumber(PacketNumber pn)
{
    return static_cast<std::uint32_t>(pn);
}

// Returns the 64-bit packet number closest to `expected` (largest seen + 1, or 0 when nothing
// was seen yet) whose low 32 bits are `wire`.
[[nodiscard]] constexpr PacketNumber expandPacketNumber(PacketNumber expected, std::uint32_t wire)
{
    constexpr PacketNumber window = PacketNumber {1} << 32;
    constexpr PacketNumber halfWindow = window / 2;
    constexpr PacketNumber mask = window - 1;
    const PacketNumber candidate = (expected & ~mask) | wire;
    if (candidate + halfWindow <= expected && candidate < (PacketNumber {1} << 62) - window)
        return candidate + window;
    if (candidate > expected + halfWindow && candidate >= window)
        return candidate - window;
    return candidate;
}

} // namespace Transfer
