#include <client/reconnectbackoff.h>

#include <algorithm>

namespace Client {

ReconnectBackoff::ReconnectBackoff(QObject *parent)
    : QObject(parent)
{
    m_due.setSingleShot(true);
    // Precise, so that the countdown never shows more seconds than the wait that was chosen.
    m_due.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(1000);
    connect(&m_due, &QTimer::timeout, this, [this] {
        m_tick.stop();
        Q_EMIT due();
    });
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_due.isActive())
            Q_EMIT countdown(secondsLeft());
    });
}

void ReconnectBackoff::setDelays(std::chrono::milliseconds first, std::chrono::milliseconds longest)
{
    m_first = std::max(first, std::chrono::milliseconds(1));
    m_longest = std::max(longest, m_first);
    m_next = m_first;
}

void ReconnectBackoff::schedule()
{
    ++m_attempts;
    m_due.start(m_next);
    m_next = std::min(m_next * 2, m_longest);
    m_tick.start();
    Q_EMIT countdown(secondsLeft());
}

void ReconnectBackoff::cancel()
{
    m_due.stop();
    m_tick.stop();
}

void ReconnectBackoff::reset()
{
    cancel();
    m_next = m_first;
    m_attempts = 0;
}

int ReconnectBackoff::secondsLeft() const
{
    if (!m_due.isActive())
        return 0;
    const int left = std::max(m_due.remainingTime(), 0);
    return std::min((left + 999) / 1000, int((m_due.intervalAsDuration().count() + 999) / 1000));
}

} // namespace Client
