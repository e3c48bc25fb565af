#include <transfer/recovery/rttestimator.h>

#include <algorithm>

namespace Transfer {

namespace {

Duration backedOff(Duration base, unsigned backoff, Duration floor)
{
    // Doubling past the ceiling is pointless and would overflow: stop early.
    Duration value = std::max(base, floor);
    for (unsigned i = 0; i < backoff && value < RttEstimator::kMaximumTimeout; ++i)
        value *= 2;
    return std::min(value, RttEstimator::kMaximumTimeout);
}

} // namespace

void RttEstimator::addSample(Duration latestRtt, Duration ackDelay)
{
    if (latestRtt <= Duration::zero())
        return;
    m_latest = latestRtt;
    if (!m_hasSample) {
        m_hasSample = true;
        m_min = latestRtt;
        m_smoothed = latestRtt;
        m_variation = latestRtt / 2;
        return;
    }
    m_min = std::min(m_min, latestRtt);
    // RFC 9002 5.3: the peer's delay is capped by what it promised, and only subtracted when
    // the result does not fall below the minimum (which would make the sample implausible).
    ackDelay = std::clamp(ackDelay, Duration::zero(), m_maxAckDelay);
    Duration adjusted = latestRtt;
    if (latestRtt >= m_min + ackDelay)
        adjusted = latestRtt - ackDelay;
    const Duration deviation
            = m_smoothed > adjusted ? m_smoothed - adjusted : adjusted - m_smoothed;
    m_variation = (3 * m_variation + deviation) / 4;
    m_smoothed = (7 * m_smoothed + adjusted) / 8;
}

void RttEstimator::setMaxAckDelay(Duration maxAckDelay)
{
    m_maxAckDelay = std::max(maxAckDelay, Duration::zero());
}

void RttEstimator::reset()
{
    const Duration maxAckDelay = m_maxAckDelay;
    *this = RttEstimator();
    m_maxAckDelay = maxAckDelay;
}

Duration RttEstimator::probeTimeout(unsigned backoff) const
{
    const Duration base = m_smoothed + std::max(4 * m_variation, kGranularity) + m_maxAckDelay;
    return backedOff(base, backoff, kMinimumPto);
}

Duration RttEstimator::retransmissionTimeout(unsigned backoff, Duration floor) const
{
    const Duration base = m_smoothed + std::max(4 * m_variation, kGranularity);
    return backedOff(base, backoff, floor);
}

} // namespace Transfer
