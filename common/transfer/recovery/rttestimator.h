#pragma once

// Round-trip time estimation exactly as RFC 9002 section 5: latest, minimum and smoothed RTT,
// RTT variation, the peer's ack delay subtracted when that does not go below min_rtt, and the
// probe timeout (PTO) with exponential backoff. The PTO has a 10 ms floor (scheduler jitter on
// desktops) and a 60 s ceiling. A classic RFC 6298 RTO is offered for Go-Back-N mode.

#include <transfer/io/transferclock.h>

namespace Transfer {

class RttEstimator
{
public:
    static constexpr Duration kInitialRtt = std::chrono::milliseconds(333);
    static constexpr Duration kGranularity = std::chrono::milliseconds(1);
    static constexpr Duration kMinimumPto = std::chrono::milliseconds(10);
    static constexpr Duration kMaximumTimeout = std::chrono::seconds(60);
    static constexpr Duration kMinimumRto = std::chrono::milliseconds(200);

    RttEstimator() = default;

    // One RTT sample: `latestRtt` = now - send time of the largest newly acknowledged,
    // ack-eliciting packet; `ackDelay` = the delay the peer reported for it (clamped to the
    // peer's max_ack_delay). Non-positive samples are ignored.
    void addSample(Duration latestRtt, Duration ackDelay);

    // The peer's max_ack_delay (from ACCEPT/CTRL): enters the PTO and caps reported ack delays.
    void setMaxAckDelay(Duration maxAckDelay);
    // Forgets every sample (new path): back to kInitialRtt.
    void reset();

    [[nodiscard]] bool hasSample() const { return m_hasSample; }
    [[nodiscard]] Duration latestRtt() const { return m_latest; }
    // Minimum over the connection (not windowed; controllers keep their own windowed minimum).
    [[nodiscard]] Duration minRtt() const { return m_min; }
    [[nodiscard]] Duration smoothedRtt() const { return m_smoothed; }
    [[nodiscard]] Duration rttVariation() const { return m_variation; }
    [[nodiscard]] Duration maxAckDelay() const { return m_maxAckDelay; }

    // srtt + max(4 * rttvar, 1 ms) + max_ack_delay, times 2^backoff, clamped to [10 ms, 60 s].
    [[nodiscard]] Duration probeTimeout(unsigned backoff = 0) const;
    // RFC 6298: srtt + max(1 ms, 4 * rttvar), times 2^backoff, clamped to [floor, 60 s].
    [[nodiscard]] Duration retransmissionTimeout(unsigned backoff = 0,
                                                 Duration floor = kMinimumRto) const;

private:
    Duration m_latest = kInitialRtt;
    Duration m_min = kInitialRtt;
    Duration m_smoothed = kInitialRtt;
    Duration m_variation = kInitialRtt / 2;
    Duration m_maxAckDelay = Duration::zero();
    bool m_hasSample = false;
};

} // namespace Transfer
