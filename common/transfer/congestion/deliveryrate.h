#pragma once

// Delivery-rate estimation after draft-cheng-iccrg-delivery-rate-estimation: every packet
// remembers, when sent, how much had been delivered and when; when it is acknowledged, the
// delivered bytes since then divided by max(send interval, ack interval) is a rate sample.
// Samples taken while the sender had nothing to send are marked app-limited: they may raise
// a bandwidth estimate but must not lower it.

#include <transfer/io/transferclock.h>

#include <cstdint>

namespace Transfer {

// Stored per sent packet (inside SentPacket).
struct DeliverySnapshot
{
    std::uint64_t delivered = 0; // bytes delivered when the packet was sent
    TimePoint deliveredTime {}; // when `delivered` was last increased, as of the send
    TimePoint firstSentTime {}; // send time of the first packet of the current flight
    bool appLimited = false;
};

struct RateSample
{
    std::uint64_t bytesPerSecond = 0; // only meaningful when valid
    std::uint64_t deliveredBytes = 0; // delivered over the sample interval
    std::uint64_t priorDelivered = 0; // delivered count when the sampled packet was sent
    std::uint64_t totalDelivered = 0; // delivered count after this ACK (round tracking)
    Duration interval {}; // max(send elapsed, ack elapsed)
    bool appLimited = false;
    bool valid = false;
};

class DeliveryRateEstimator
{
public:
    // Called before a packet is sent; returns the snapshot to store with it.
    // `bytesInFlight` is the in-flight amount before this packet.
    [[nodiscard]] DeliverySnapshot onPacketSent(TimePoint now, std::uint64_t bytesInFlight);

    // Called for each newly acknowledged packet of one ACK, then takeSample() once.
    void onPacketAcked(const DeliverySnapshot &snapshot, TimePoint sentTime, std::uint32_t bytes,
                       TimePoint now);
    // The sample of the ACK just processed; samples shorter than `minRtt` are invalid (they
    // would overestimate through ACK compression). Resets the per-ACK accumulation.
    [[nodiscard]] RateSample takeSample(Duration minRtt);

    // The sender ran out of data (or credit) with `bytesInFlight` outstanding: samples of
    // packets sent until that much more is delivered are app-limited.
    void onAppLimited(std::uint64_t bytesInFlight);

    [[nodiscard]] std::uint64_t delivered() const { return m_delivered; }
    [[nodiscard]] bool isAppLimited() const { return m_appLimitedUntil != 0; }

private:
    std::uint64_t m_delivered = 0;
    TimePoint m_deliveredTime {};
    TimePoint m_firstSentTime {};
    std::uint64_t m_appLimitedUntil = 0; // 0 = not app-limited

    // Accumulated over one ACK.
    bool m_hasData = false;
    std::uint64_t m_priorDelivered = 0;
    TimePoint m_priorTime {};
    TimePoint m_sampleSentTime {};
    Duration m_sendElapsed {};
    Duration m_ackElapsed {};
    bool m_sampleAppLimited = false;
};

} // namespace Transfer
