#pragma once

// NewReno after RFC 9002 section 7: the TCP-like reference controller. Window in bytes, slow
// start from 10 packets, congestion avoidance (+1 packet per window), halving at most once per
// recovery period (losses of packets sent before the period began do not halve again),
// persistent congestion back to the minimum window. Paced at 1.25 * cwnd / srtt.

#include <transfer/congestion/congestioncontroller.h>

namespace Transfer {

class NewRenoController final : public CongestionController
{
public:
    NewRenoController(const RttEstimator &rtt, const CongestionConfig &config = {});

    void onPacketSent(TimePoint now, std::uint32_t bytes, std::uint64_t bytesInFlight) override;
    void onPacketsAcked(const AckEvent &event) override;
    void onPacketsLost(const LossEvent &event) override;
    void onPersistentCongestion(TimePoint now) override;

    [[nodiscard]] std::uint64_t pacingRate() const override;
    [[nodiscard]] std::uint64_t congestionWindow() const override { return m_window; }
    [[nodiscard]] QLatin1StringView name() const override;
    [[nodiscard]] QLatin1StringView stateName() const override;

    [[nodiscard]] std::uint64_t slowStartThreshold() const { return m_ssthresh; }
    [[nodiscard]] bool inRecovery() const { return m_inRecovery; }

private:
    const RttEstimator &m_rtt;
    CongestionConfig m_config;
    std::uint64_t m_window;
    std::uint64_t m_ssthresh;
    std::uint64_t m_ackedInAvoidance = 0;
    TimePoint m_recoveryStart {};
    bool m_inRecovery = false;
};

} // namespace Transfer
