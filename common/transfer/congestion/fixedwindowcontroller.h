#pragma once

// A fixed window of N packets and no reaction to loss: the textbook sender used to compare
// Go-Back-N and Selective Repeat with chosen parameters. Paced at 2 * window / srtt so a whole
// window still leaves within about half a round trip.

#include <transfer/congestion/congestioncontroller.h>

namespace Transfer {

class FixedWindowController final : public CongestionController
{
public:
    FixedWindowController(const RttEstimator &rtt, const CongestionConfig &config = {});

    void onPacketSent(TimePoint now, std::uint32_t bytes, std::uint64_t bytesInFlight) override;
    void onPacketsAcked(const AckEvent &event) override;
    void onPacketsLost(const LossEvent &event) override;
    void onPersistentCongestion(TimePoint now) override;

    [[nodiscard]] std::uint64_t pacingRate() const override;
    [[nodiscard]] std::uint64_t congestionWindow() const override { return m_window; }
    [[nodiscard]] QLatin1StringView name() const override;
    [[nodiscard]] QLatin1StringView stateName() const override;

private:
    const RttEstimator &m_rtt;
    std::uint64_t m_window;
    std::uint64_t m_minimumRate;
};

} // namespace Transfer
