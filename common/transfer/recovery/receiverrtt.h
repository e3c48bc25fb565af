#pragma once

// The downloader's round-trip estimate. The receiving side sends only ACKs, which nothing
// answers, so it cannot time a round trip during the transfer the way the sender does. It
// takes the round trip of its handshake (HELLO -> CHALLENGE, HELLO -> ACCEPT; Karn: only when
// the HELLO was sent once) as the path's base, and adds the forward queueing delay it sees in
// the sender's DATA timestamps: the sender stamps each DATA with its own clock, so
// (arrival - stamp) is the one-way delay plus an unknown but constant clock offset, and its
// rise above the smallest value seen is the queue that built up behind the data (LEDBAT's
// measurement, RFC 6817). No wire change: every DATA already carries its timestamp.

#include <transfer/io/transferclock.h>

#include <cstdint>
#include <optional>

namespace Transfer {

class ReceiverRtt
{
public:
    // One handshake round trip; the smallest one is the base.
    void addHandshakeSample(Duration rtt);
    // A DATA datagram stamped `senderUs` (the sender's 32-bit microsecond clock) arrived at
    // `localUs` (ours, same units, any origin).
    void onStampedArrival(std::uint32_t senderUs, std::uint32_t localUs);

    [[nodiscard]] bool hasEstimate() const { return m_base.has_value(); }
    // Zero until a handshake sample was taken.
    [[nodiscard]] Duration smoothedRtt() const { return m_base ? m_smoothed : Duration::zero(); }
    [[nodiscard]] Duration minRtt() const { return m_base.value_or(Duration::zero()); }
    // The forward queueing delay of the last DATA.
    [[nodiscard]] Duration queueingDelay() const { return m_queueing; }

private:
    std::optional<Duration> m_base;
    Duration m_smoothed = Duration::zero();
    Duration m_queueing = Duration::zero();
    // (local - sender) of the first DATA; later offsets are kept relative to it as signed
    // 32-bit values, so both clocks may wrap (every 71 minutes) without a jump.
    std::optional<std::uint32_t> m_firstOffset;
    std::int32_t m_lowestRelative = 0;
};

} // namespace Transfer
