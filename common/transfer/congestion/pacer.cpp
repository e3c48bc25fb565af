#include <transfer/congestion/pacer.h>

#include <algorithm>

namespace Transfer {

namespace {

// Until the controller speaks: RFC 9002's 10 packets per initial RTT (333 ms).
std::uint64_t defaultRate(std::uint32_t maxDatagramSize)
{
    return std::uint64_t {maxDatagramSize} * 10 * 3;
}

} // namespace

Pacer::Pacer(std::uint32_t maxDatagramSize)
    : m_maxDatagramSize(std::max<std::uint32_t>(maxDatagramSize, 1))
    , m_rate(defaultRate(m_maxDatagramSize))
    , m_bucket(m_rate, burstBytesFor(m_rate, m_maxDatagramSize))
{ }

std::uint64_t Pacer::burstBytesFor(std::uint64_t bytesPerSecond, std::uint32_t maxDatagramSize)
{
    constexpr auto perSecond = std::chrono::duration_cast<Duration>(std::chrono::seconds(1));
    const std::uint64_t perInterval
            = bytesPerSecond / static_cast<std::uint64_t>(perSecond / kBurstInterval);
    return std::clamp<std::uint64_t>(perInterval,
                                     std::uint64_t {kMinBurstPackets} * maxDatagramSize,
                                     std::uint64_t {kMaxBurstPackets} * maxDatagramSize);
}

std::uint64_t Pacer::effectiveRate() const
{
    return m_cap == 0 ? m_rate : std::min(m_rate, m_cap);
}

std::uint64_t Pacer::burstBytes() const
{
    return burstBytesFor(effectiveRate(), m_maxDatagramSize);
}

void Pacer::setRate(std::uint64_t bytesPerSecond, TimePoint now)
{
    bytesPerSecond = std::max<std::uint64_t>(bytesPerSecond, 1);
    if (bytesPerSecond == m_rate)
        return;
    m_rate = bytesPerSecond;
    reconfigure(now);
}

void Pacer::setRateCap(std::uint64_t bytesPerSecond, TimePoint now)
{
    m_cap = bytesPerSecond;
    reconfigure(now);
}

void Pacer::reconfigure(TimePoint now)
{
    const std::uint64_t rate = effectiveRate();
    m_bucket.configure(rate, burstBytesFor(rate, m_maxDatagramSize), now);
}

std::uint64_t Pacer::allowance(TimePoint now) const
{
    const std::uint64_t own = m_bucket.available(now);
    return m_shared ? std::min(own, m_shared->available(now)) : own;
}

bool Pacer::canSend(std::uint32_t bytes, TimePoint now) const
{
    return allowance(now) >= bytes;
}

TimePoint Pacer::nextSendTime(TimePoint now) const
{
    const TimePoint own = m_bucket.timeUntilAvailable(m_maxDatagramSize, now);
    if (!m_shared)
        return own;
    return std::max(own, m_shared->timeUntilAvailable(m_maxDatagramSize, now));
}

void Pacer::onPacketSent(std::uint32_t bytes, TimePoint now)
{
    m_bucket.consume(bytes, now);
    if (m_shared)
        m_shared->consume(bytes, now);
}

} // namespace Transfer
