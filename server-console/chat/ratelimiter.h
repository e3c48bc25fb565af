#pragma once

#include <QtGlobal>

#include <algorithm>

namespace Server {

// Token bucket: `rate` tokens a second up to `burst`. Time comes in as milliseconds from any
// monotonic clock, so tests can drive it.
class RateLimiter
{
public:
    RateLimiter(double ratePerSecond, double burst)
        : m_rate(ratePerSecond)
        , m_burst(burst)
        , m_tokens(burst)
    { }

    [[nodiscard]] bool tryTake(qint64 nowMs)
    {
        if (m_lastMs >= 0)
            m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
        m_lastMs = nowMs;
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

private:
    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs = -1;
};

} // namespace Server
