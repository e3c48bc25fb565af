#pragma once

// A token bucket in bytes: `rate` bytes per second accumulate up to `burst` bytes. Used by the
// Pacer for per-connection pacing and rate caps, and on its own as the optional global upload
// cap that several connections' pacers share (the engine is single-threaded).
// A rate of 0 means unlimited.

#include <transfer/io/transferclock.h>

#include <cstdint>

namespace Transfer {

class TokenBucket
{
public:
    TokenBucket() = default;
    TokenBucket(std::uint64_t bytesPerSecond, std::uint64_t burstBytes);

    // Changes rate and burst; tokens earned so far at the old rate are kept (up to the new
    // burst).
    void configure(std::uint64_t bytesPerSecond, std::uint64_t burstBytes, TimePoint now);

    [[nodiscard]] bool isUnlimited() const { return m_rate == 0; }
    [[nodiscard]] std::uint64_t rate() const { return m_rate; }
    [[nodiscard]] std::uint64_t burst() const { return m_burst; }

    // Bytes that may be sent at `now` (0 while in debt). Unlimited: UINT64_MAX.
    [[nodiscard]] std::uint64_t available(TimePoint now) const;
    // The earliest time at which `bytes` are available (now if already).
    [[nodiscard]] TimePoint timeUntilAvailable(std::uint64_t bytes, TimePoint now) const;
    // Takes `bytes`; the bucket may go into debt by up to one packet, repaid at `rate`.
    void consume(std::uint64_t bytes, TimePoint now);

private:
    [[nodiscard]] double tokensAt(TimePoint now) const;

    std::uint64_t m_rate = 0;
    std::uint64_t m_burst = 0;
    double m_tokens = 0.0;
    TimePoint m_last {};
    bool m_started = false;
};

} // namespace Transfer
