#include <transfer/congestion/newrenocontroller.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

// RFC 9002 7.2: kMinimumWindow = 2 * max_datagram_size; kLossReductionFactor = 0.5.
constexpr std::uint64_t kMinimumWindowPackets = 2;

} // namespace

NewRenoController::NewRenoController(const RttEstimator &rtt, const CongestionConfig &config)
    : m_rtt(rtt)
    , m_config(config)
    , m_window(std::uint64_t {config.initialWindowPackets} * config.maxDatagramSize)
    , m_ssthresh(UINT64_MAX)
{ }

void NewRenoController::onPacketSent(TimePoint, std::uint32_t, std::uint64_t) { }

void NewRenoController::onPacketsAcked(const AckEvent &event)
{
    if (event.ackedBytes == 0)
        return;
    if (m_inRecovery) {
        // Packets sent before the recovery period began do not grow the window; the first
        // one sent after it ends the period.
        if (event.largestAckedSentTime <= m_recoveryStart)
            return;
        m_inRecovery = false;
    }
    if (m_window < m_ssthresh) {
        m_window += event.ackedBytes;
        return;
    }
    // Congestion avoidance: one datagram per window of acknowledged bytes.
    m_ackedInAvoidance += event.ackedBytes;
    while (m_ackedInAvoidance >= m_window) {
        m_ackedInAvoidance -= m_window;
        m_window += m_config.maxDatagramSize;
    }
}

void NewRenoController::onPacketsLost(const LossEvent &event)
{
    if (event.lostBytes == 0)
        return;
    // Once per recovery period: losses of packets sent before it began are the same event.
    if (m_inRecovery && event.largestLostSentTime <= m_recoveryStart)
        return;
    m_inRecovery = true;
    m_recoveryStart = event.now;
    m_ssthresh = std::max(m_window / 2,
                          kMinimumWindowPackets * std::uint64_t {m_config.maxDatagramSize});
    m_window = m_ssthresh;
    m_ackedInAvoidance = 0;
}

void NewRenoController::onPersistentCongestion(TimePoint)
{
    m_window = kMinimumWindowPackets * m_config.maxDatagramSize;
    m_inRecovery = false;
    m_ackedInAvoidance = 0;
}

std::uint64_t NewRenoController::pacingRate() const
{
    const double seconds = std::chrono::duration<double>(m_rtt.smoothedRtt()).count();
    const double rate = 1.25 * static_cast<double>(m_window) / std::max(seconds, 1e-6);
    return std::max<std::uint64_t>(static_cast<std::uint64_t>(rate), 1);
}

QLatin1StringView NewRenoController::name() const
{
    return "newreno"_L1;
}

QLatin1StringView NewRenoController::stateName() const
{
    if (m_inRecovery)
        return "recovery"_L1;
    return m_window < m_ssthresh ? "slow_start"_L1 : "congestion_avoidance"_L1;
}

} // namespace Transfer
