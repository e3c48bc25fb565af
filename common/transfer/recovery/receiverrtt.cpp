#include <transfer/recovery/receiverrtt.h>

#include <algorithm>

namespace Transfer {

void ReceiverRtt::addHandshakeSample(Duration rtt)
{
    if (rtt <= Duration::zero())
        return;
    if (!m_base)
        m_smoothed = rtt;
    m_base = m_base ? std::min(*m_base, rtt) : rtt;
}

void ReceiverRtt::onStampedArrival(std::uint32_t senderUs, std::uint32_t localUs)
{
    const std::uint32_t offset = localUs - senderUs; // modulo 2^32
    if (!m_firstOffset)
        m_firstOffset = offset;
    const auto relative = std::int32_t(offset - *m_firstOffset);
    m_lowestRelative = std::min(m_lowestRelative, relative);
    m_queueing = std::chrono::microseconds(std::int64_t(relative) - m_lowestRelative);
    if (!m_base)
        return;
    // RFC 6298's smoothing (1/8 of each sample), as the sender's srtt.
    const Duration latest = *m_base + m_queueing;
    m_smoothed += (latest - m_smoothed) / 8;
}

} // namespace Transfer
