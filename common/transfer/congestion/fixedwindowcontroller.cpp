#include <transfer/congestion/fixedwindowcontroller.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Transfer {

FixedWindowController::FixedWindowController(const RttEstimator &rtt,
                                             const CongestionConfig &config)
    : m_rtt(rtt)
    , m_window(std::uint64_t {std::max<std::uint32_t>(config.fixedWindowPackets, 1)}
               * config.maxDatagramSize)
    , m_minimumRate(std::max<std::uint64_t>(config.minimumPacingRate, 1))
{ }

void FixedWindowController::onPacketSent(TimePoint, std::uint32_t, std::uint64_t) { }
void FixedWindowController::onPacketsAcked(const AckEvent &) { }
void FixedWindowController::onPacketsLost(const LossEvent &) { }
void FixedWindowController::onPersistentCongestion(TimePoint) { }

std::uint64_t FixedWindowController::pacingRate() const
{
    const double seconds = std::chrono::duration<double>(m_rtt.smoothedRtt()).count();
    const double rate = 2.0 * static_cast<double>(m_window) / std::max(seconds, 1e-6);
    return std::max(static_cast<std::uint64_t>(rate), m_minimumRate);
}

QLatin1StringView FixedWindowController::name() const
{
    return "fixed"_L1;
}

QLatin1StringView FixedWindowController::stateName() const
{
    return "fixed"_L1;
}

} // namespace Transfer
