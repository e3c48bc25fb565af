#include <transfer/io/tokenbucket.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Transfer {

namespace {

double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

TokenBucket::TokenBucket(std::uint64_t bytesPerSecond, std::uint64_t burstBytes)
    : m_rate(bytesPerSecond)
    , m_burst(burstBytes)
    , m_tokens(static_cast<double>(burstBytes))
{ }

double TokenBucket::tokensAt(TimePoint now) const
{
    if (!m_started || now <= m_last)
        return m_tokens;
    const double earned = seconds(now - m_last) * static_cast<double>(m_rate);
    return std::min(m_tokens + earned, static_cast<double>(m_burst));
}

void TokenBucket::configure(std::uint64_t bytesPerSecond, std::uint64_t burstBytes, TimePoint now)
{
    // Until the first send the bucket is full at whatever burst applies, so a connection
    // starts with one full quantum of its first real rate.
    const double tokens = m_started ? tokensAt(now) : static_cast<double>(burstBytes);
    m_rate = bytesPerSecond;
    m_burst = burstBytes;
    m_tokens = std::min(tokens, static_cast<double>(burstBytes));
    if (m_started)
        m_last = std::max(m_last, now);
}

std::uint64_t TokenBucket::available(TimePoint now) const
{
    if (isUnlimited())
        return std::numeric_limits<std::uint64_t>::max();
    const double tokens = tokensAt(now);
    return tokens <= 0.0 ? 0 : static_cast<std::uint64_t>(tokens);
}

TimePoint TokenBucket::timeUntilAvailable(std::uint64_t bytes, TimePoint now) const
{
    if (isUnlimited())
        return now;
    // Never wait for more than the bucket can hold.
    const double wanted = static_cast<double>(std::min(bytes, m_burst));
    const double missing = wanted - tokensAt(now);
    if (missing <= 0.0)
        return now;
    const double wait = missing / static_cast<double>(m_rate);
    return now
            + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(wait)
                                                   + std::chrono::nanoseconds(1));
}

void TokenBucket::consume(std::uint64_t bytes, TimePoint now)
{
    if (isUnlimited())
        return;
    m_tokens = tokensAt(now) - static_cast<double>(bytes);
    if (!m_started || now > m_last)
        m_last = now;
    m_started = true;
}

} // namespace Transfer
