#pragma once

// Pacing of one peer path (TRANSFER.md 2.9; PeerPath owns it). Sends leave in bursts of at
// most one quantum = clamp(rate * 1 ms, 2, 64 packets) and then wait quantum / rate, so the
// link never sees more than about a millisecond of the current rate at once. The effective
// rate is min(controller rate, user cap); an optional shared TokenBucket (the global upload
// cap) is consulted as well.
//
// Use: allowance(now) bytes may be sent now; after each datagram onPacketSent(); when the
// allowance is below one packet, sleep until nextSendTime(now).

#include <transfer/io/tokenbucket.h>
#include <transfer/io/transferclock.h>

#include <cstdint>

namespace Transfer {

class Pacer
{
public:
    static constexpr std::uint32_t kMinBurstPackets = 2;
    static constexpr std::uint32_t kMaxBurstPackets = 64;
    static constexpr Duration kBurstInterval = std::chrono::milliseconds(1);

    explicit Pacer(std::uint32_t maxDatagramSize = 1200);

    // The controller's pacing rate in bytes/s (> 0).
    void setRate(std::uint64_t bytesPerSecond, TimePoint now);
    // The user's cap for this connection in bytes/s; 0 removes it.
    void setRateCap(std::uint64_t bytesPerSecond, TimePoint now);
    // A bucket shared with other connections (global upload cap), or nullptr. Not owned; it
    // must outlive this pacer or be detached first.
    void setSharedLimiter(TokenBucket *limiter) { m_shared = limiter; }

    [[nodiscard]] std::uint64_t rate() const { return m_rate; }
    [[nodiscard]] std::uint64_t rateCap() const { return m_cap; }
    [[nodiscard]] std::uint64_t effectiveRate() const;
    // clamp(effectiveRate * 1 ms, 2, 64 packets), in bytes.
    [[nodiscard]] std::uint64_t burstBytes() const;
    [[nodiscard]] static std::uint64_t burstBytesFor(std::uint64_t bytesPerSecond,
                                                     std::uint32_t maxDatagramSize);

    // Bytes that may be sent now (min of own and shared bucket).
    [[nodiscard]] std::uint64_t allowance(TimePoint now) const;
    // Whether a datagram of `bytes` may go now.
    [[nodiscard]] bool canSend(std::uint32_t bytes, TimePoint now) const;
    // When one full datagram will be allowed (now if already).
    [[nodiscard]] TimePoint nextSendTime(TimePoint now) const;
    void onPacketSent(std::uint32_t bytes, TimePoint now);

private:
    void reconfigure(TimePoint now);

    std::uint32_t m_maxDatagramSize;
    std::uint64_t m_rate;
    std::uint64_t m_cap = 0;
    TokenBucket m_bucket;
    TokenBucket *m_shared = nullptr;
};

} // namespace Transfer
