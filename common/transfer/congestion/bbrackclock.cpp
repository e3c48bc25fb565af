// BbrController's view of how ACKs arrive: the aggregation allowance (extra_acked), the longest
// gap between ACKs lately and the rate they delivered, which size the held-ACK window floor.
#include <transfer/congestion/bbrcontroller.h>

#include <algorithm>

namespace Transfer {

namespace {
// How long the longest ACK gap is remembered (two epochs at most): long enough to cover the
// receiver's next descheduling, short enough to forget a one-off stall.
constexpr Duration kAckGapEpoch = std::chrono::milliseconds(100);
constexpr std::uint32_t kMaxExtraAckedPackets = 256;

double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}
} // namespace

std::uint64_t BbrController::extraAcked() const
{
    std::uint64_t best = 0;
    for (const RoundMax &slot : m_extraAckedRounds) {
        if (slot.round + kBandwidthWindowRounds > m_bwRoundCount)
            best = std::max(best, slot.bandwidth);
    }
    return best;
}

void BbrController::updateAckAggregation(const AckEvent &event)
{
    // BBR's extra_acked: data acknowledged beyond what btl_bw explains since the current
    // aggregation epoch began; a new epoch starts whenever the ACKs fall behind the model.
    if (event.ackedBytes == 0 || m_state == State::ProbeRtt)
        return;
    const double elapsed = std::max(seconds(event.now - m_aggregationStart), 0.0);
    auto expected
            = static_cast<std::uint64_t>(static_cast<double>(bottleneckBandwidth()) * elapsed);
    if (m_aggregationDelivered <= expected) {
        m_aggregationDelivered = 0;
        m_aggregationStart = event.now;
        expected = 0;
    }
    m_aggregationDelivered += event.ackedBytes;
    const std::uint64_t extra
            = std::min(m_aggregationDelivered - expected, packetBytes(kMaxExtraAckedPackets));
    RoundMax &slot = m_extraAckedRounds[m_bwRoundCount % kBandwidthWindowRounds];
    if (slot.round != m_bwRoundCount)
        slot = {m_bwRoundCount, 0};
    slot.bandwidth = std::max(slot.bandwidth, extra);
}

void BbrController::updateAckGap(TimePoint now, std::uint64_t ackedBytes)
{
    if (const Duration epoch = now - m_ackGapEpochStart; epoch > kAckGapEpoch) {
        m_ackGapBefore = m_ackGapNow;
        m_ackGapNow = Duration::zero();
        m_epochRate
                = static_cast<std::uint64_t>(static_cast<double>(m_epochAcked) / seconds(epoch));
        m_epochAcked = 0;
        m_ackGapEpochStart = now;
    }
    m_epochAcked += ackedBytes;
    if (m_hasLastAck)
        m_ackGapNow = std::max(m_ackGapNow, now - m_lastAck);
    m_lastAck = now;
    m_hasLastAck = true;
}

std::uint64_t BbrController::epochDeliveryRate(TimePoint now) const
{
    if (m_epochRate != 0)
        return m_epochRate;
    const Duration elapsed = now - m_ackGapEpochStart;
    return elapsed >= std::chrono::milliseconds(10)
            ? static_cast<std::uint64_t>(static_cast<double>(m_epochAcked) / seconds(elapsed))
            : 0;
}

Duration BbrController::recentAckGap() const
{
    return std::max(m_ackGapNow, m_ackGapBefore);
}

} // namespace Transfer
