#include <transfer/congestion/deliveryrate.h>

#include <algorithm>

namespace Transfer {

DeliverySnapshot DeliveryRateEstimator::onPacketSent(TimePoint now, std::uint64_t bytesInFlight)
{
    // A new flight starts from an idle connection: measure from here, not from the last ACK
    // long ago (which would make the first sample far too low).
    if (bytesInFlight == 0) {
        m_firstSentTime = now;
        m_deliveredTime = now;
    }
    return {m_delivered, m_deliveredTime, m_firstSentTime, m_appLimitedUntil != 0};
}

void DeliveryRateEstimator::onPacketAcked(const DeliverySnapshot &snapshot, TimePoint sentTime,
                                          std::uint32_t bytes, TimePoint now)
{
    m_delivered += bytes;
    m_deliveredTime = now;
    // The most recently sent packet of the ACK gives the freshest interval.
    if (!m_hasData || sentTime > m_sampleSentTime
        || (sentTime == m_sampleSentTime && snapshot.delivered > m_priorDelivered)) {
        m_hasData = true;
        m_sampleSentTime = sentTime;
        m_priorDelivered = snapshot.delivered;
        m_priorTime = snapshot.deliveredTime;
        m_sampleAppLimited = snapshot.appLimited;
        m_sendElapsed = sentTime - snapshot.firstSentTime;
        m_ackElapsed = now - snapshot.deliveredTime;
        m_firstSentTime = sentTime;
    }
}

RateSample DeliveryRateEstimator::takeSample(Duration minRtt)
{
    RateSample sample;
    sample.totalDelivered = m_delivered;
    if (m_appLimitedUntil != 0 && m_delivered > m_appLimitedUntil)
        m_appLimitedUntil = 0;
    if (!m_hasData)
        return sample;
    m_hasData = false;
    sample.priorDelivered = m_priorDelivered;
    sample.deliveredBytes = m_delivered - m_priorDelivered;
    sample.appLimited = m_sampleAppLimited;
    sample.interval = std::max(m_sendElapsed, m_ackElapsed);
    if (sample.interval <= Duration::zero() || sample.interval < minRtt)
        return sample;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(sample.interval).count();
    sample.bytesPerSecond = static_cast<std::uint64_t>(static_cast<double>(sample.deliveredBytes)
                                                       * 1e9 / static_cast<double>(ns));
    sample.valid = true;
    return sample;
}

void DeliveryRateEstimator::onAppLimited(std::uint64_t bytesInFlight)
{
    m_appLimitedUntil = std::max<std::uint64_t>(m_delivered + bytesInFlight, 1);
}

} // namespace Transfer
