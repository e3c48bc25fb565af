#pragma once

// BBR-lite (TRANSFER.md 2.8): a model-based, paced controller that treats loss up to 2 % per
// round as noise and backs off on real congestion.
//
// Model: btl_bw = max delivery rate over the last 10 rounds (app-limited samples only raise
// it), min_rtt = min RTT over 10 s, bdp = btl_bw * min_rtt. pacing = gain * min(btl_bw,
// bw_cap); window = max(2 * bdp, btl_bw * max_ack_delay) + 4 packets + extra_acked (the
// largest ACK burst beyond btl_bw, as in BBRv2), never below 4 packets, never above
// inflight_hi; the max_ack_delay term is off while random loss is compensated (below).
// The engine additionally never exceeds the peer's receive credit.
//
// States: STARTUP (gain 2.77) until btl_bw grew < 25 % in 3 rounds or a round lost > 2 % ->
// DRAIN (gain 1/2.77) until in flight <= bdp -> PROBE_BW cycling gains
// [1.25, 0.75, 1, 1, 1, 1, 1, 1] one min_rtt each (random start phase, never 0.75) ->
// PROBE_RTT (window 4 packets for max(200 ms, min_rtt)) when min_rtt was not refreshed for
// 10 s, then back.
// Valves: the loss rate is measured over intervals of at least one round and 64 packets (a
// small window must still see its losses) and each interval is judged once. Loss > 2 % caps
// inflight_hi = max(0.7 * in flight at the first loss, 4 packets) and bw_cap = 0.7 * btl_bw
// (of the max filter, so repeated verdicts do not compound); both grow back (+1 packet per
// ACK, +25 % per round) in PROBE_BW rounds without excess loss.
// With CongestionConfig::adaptiveLossBaseline the 2 % is counted above the loss rate measured
// in PROBE_BW rounds at gain <= 1 and in STARTUP rounds whose RTT did not grow (an EWMA of the
// path's random loss), and above sampling noise (2.5 sigma), so a path that drops 5-10 % at
// any rate is not mistaken for a congested one; such loss does not end STARTUP either. The
// heavy-loss valve still uses the raw rate. docs/TRANSFER-ALGORITHMS.md has the reasons.
// Random loss after the bottleneck: delivery rate samples are then L * (1 - p) however fast the
// sender paces, so pacing at them gives L * (1 - p)^2 and the 1.25 probe cannot raise them. In
// PROBE_BW without a loss cap, a loss verdict or a queue (delay guard, last interval's RTT),
// samples are divided by (1 - p_low), p_low = the loss of packets sent in the 0.75 phase (below
// the model's rate, where a congested link drops nothing), never above the adaptive baseline:
// sent bytes that were delivered or lost at the path's random rate. docs/TRANSFER-ALGORITHMS.md
// explains why this cannot overrun a congested link. Delay guard: a whole round with srtt > min_rtt
// + max(30 ms, min_rtt) outside STARTUP sets the gain to 0.9 until a round clears. Heavy loss: > 20
// % for 3 consecutive rounds halves btl_bw. Persistent congestion: back to STARTUP at the initial
// rate (10 packets per srtt).

#include <transfer/congestion/congestioncontroller.h>

#include <array>
#include <cstdint>

namespace Transfer {

class BbrController final : public CongestionController
{
public:
    enum class State : std::uint8_t { Startup, Drain, ProbeBw, ProbeRtt };

    static constexpr double kStartupGain = 2.77;
    static constexpr double kCwndGain = 2.0;
    static constexpr double kLossThreshold = 0.02;
    static constexpr double kHeavyLossThreshold = 0.20;
    static constexpr double kLossBackoff = 0.7;
    static constexpr double kDelayGuardGain = 0.9;
    static constexpr std::uint32_t kBandwidthWindowRounds = 10;
    static constexpr Duration kMinRttWindow = std::chrono::seconds(10);
    static constexpr Duration kProbeRttDuration = std::chrono::milliseconds(200);
    static constexpr Duration kDelayGuardMargin = std::chrono::milliseconds(30);

    BbrController(const RttEstimator &rtt, const CongestionConfig &config = {});

    void onPacketSent(TimePoint now, std::uint32_t bytes, std::uint64_t bytesInFlight) override;
    void onPacketsAcked(const AckEvent &event) override;
    void onPacketsLost(const LossEvent &event) override;
    void onPersistentCongestion(TimePoint now) override;

    [[nodiscard]] std::uint64_t pacingRate() const override;
    [[nodiscard]] std::uint64_t congestionWindow() const override;
    [[nodiscard]] QLatin1StringView name() const override;
    [[nodiscard]] QLatin1StringView stateName() const override;

    [[nodiscard]] State state() const { return m_state; }
    // The bandwidth the model uses: min(btl_bw, bw_cap), or the initial estimate before any
    // sample (bytes/s).
    [[nodiscard]] std::uint64_t bottleneckBandwidth() const;
    [[nodiscard]] std::uint64_t maxFilterBandwidth() const; // btl_bw without the loss cap
    [[nodiscard]] Duration minRtt() const;
    [[nodiscard]] std::uint64_t bdp() const;
    [[nodiscard]] double pacingGain() const;
    [[nodiscard]] std::uint64_t roundCount() const { return m_roundCount; }
    [[nodiscard]] std::uint32_t probeBwPhase() const { return m_phase; }
    [[nodiscard]] bool delayGuardActive() const { return m_delayGuard; }
    // 0 when there is no loss cap.
    [[nodiscard]] std::uint64_t inflightHi() const { return m_inflightHi; }
    [[nodiscard]] std::uint64_t bandwidthCap() const { return m_bwCap; }
    [[nodiscard]] double lastRoundLossRate() const { return m_lastLossRate; }
    // Bytes acknowledged in bursts beyond what btl_bw explains (max over 10 rounds); added to
    // the window.
    [[nodiscard]] std::uint64_t extraAcked() const;
    [[nodiscard]] double backgroundLossRate() const { return m_backgroundLoss; }
    // Whether bandwidth samples are currently scaled up for the path's random loss.
    [[nodiscard]] bool compensatesRandomLoss() const;
    // Loss rate of packets sent in the 0.75 phase (EWMA), the evidence for random loss.
    [[nodiscard]] double lowRateLossRate() const { return m_lowRateLoss; }
    // The longest gap between two ACKs in the last 100-200 ms (two epochs).
    [[nodiscard]] Duration recentAckGap() const;
    // Bytes acknowledged per second over the last whole 100 ms epoch (over the current one
    // before the first has ended, once it is 10 ms old): slow, but never fooled by a burst
    // the way a delivery-rate sample over one round trip can be.
    [[nodiscard]] std::uint64_t epochDeliveryRate(TimePoint now) const;

private:
    struct RoundMax
    {
        std::uint64_t round = 0;
        std::uint64_t bandwidth = 0;
    };

    void resetModel(TimePoint now);
    void updateMinRtt(const AckEvent &event);
    void updateBandwidth(const AckEvent &event);
    void updateAckAggregation(const AckEvent &event);
    void updateAckGap(TimePoint now, std::uint64_t ackedBytes);
    void onRoundEnd(const AckEvent &event);
    void applyLossResponse(std::uint64_t inflightAtLoss);
    void judgeLossInterval(const AckEvent &event);
    void growBandwidthCap();
    void learnBackgroundLoss(double lossRate, double weight);
    void halveBandwidth();
    void countLowRatePackets(TimePoint sentTime, std::uint64_t acked, std::uint64_t lost);
    [[nodiscard]] double randomLossCompensation() const;
    [[nodiscard]] bool intervalHasExcessLoss() const;
    [[nodiscard]] bool capsMayGrow() const;
    void checkStartupDone(const AckEvent &event);
    void updateState(const AckEvent &event);
    void advanceProbeBwPhase(TimePoint now, std::uint64_t bytesInFlight);
    void growCaps(const AckEvent &event);
    void enterProbeBw(TimePoint now);
    [[nodiscard]] std::uint64_t initialBandwidth() const;
    [[nodiscard]] std::uint64_t packetBytes(double packets) const;

    const RttEstimator &m_rtt;
    CongestionConfig m_config;
    State m_state = State::Startup;
    std::array<RoundMax, kBandwidthWindowRounds> m_bwRounds {};
    std::array<RoundMax, kBandwidthWindowRounds> m_extraAckedRounds {}; // bytes, not rates
    // ACK arrivals: the last one, and the longest gap in this epoch and the one before.
    TimePoint m_lastAck {};
    bool m_hasLastAck = false;
    TimePoint m_ackGapEpochStart {};
    Duration m_ackGapNow {};
    Duration m_ackGapBefore {};
    std::uint64_t m_epochAcked = 0;
    std::uint64_t m_epochRate = 0;
    std::uint64_t m_aggregationDelivered = 0;
    TimePoint m_aggregationStart {};
    bool m_hasBandwidth = false;
    std::uint64_t m_roundCount = 0;
    std::uint64_t m_bwRoundCount = 0; // rounds outside PROBE_RTT: the bandwidth filter's clock
    std::uint64_t m_nextRoundDelivered = 0;
    Duration m_minRtt {};
    TimePoint m_minRttStamp {};
    bool m_hasMinRtt = false;

    // STARTUP exit
    std::uint64_t m_fullBandwidth = 0;
    std::uint32_t m_fullBandwidthRounds = 0;
    bool m_filledPipe = false;

    // PROBE_BW / PROBE_RTT
    std::uint32_t m_phase = 0;
    TimePoint m_phaseStart {};
    TimePoint m_probeRttDone {};
    bool m_probeRttDoneArmed = false;
    std::uint64_t m_random;

    // Loss accounting over the current measurement interval (>= 1 round and 64 packets).
    std::uint64_t m_intervalPackets = 0; // acknowledged
    std::uint64_t m_intervalLost = 0; // declared lost
    std::uint64_t m_inflightAtFirstLoss = 0;
    Duration m_intervalMaxRtt {};
    bool m_lastIntervalQueued = false; // the last judged interval's RTT showed a queue

    // Loss of packets sent in the 0.75 phase: [start, end) of the latest one (end = max while
    // in it), counts of its packets since the last sample, and their EWMA.
    TimePoint m_downPhaseStart = TimePoint::max();
    TimePoint m_downPhaseEnd = TimePoint::max();
    std::uint64_t m_lowRateAcked = 0;
    std::uint64_t m_lowRateLost = 0;
    double m_lowRateLoss = 0.0;
    std::uint64_t m_lowRateSamples = 0;
    double m_lastLossRate = 0.0;
    double m_backgroundLoss = 0.0;
    double m_backgroundVariance = 0.0; // of interval loss rates around m_backgroundLoss
    std::uint64_t m_backgroundSamples = 0;
    std::uint32_t m_heavyLossIntervals = 0;
    std::uint64_t m_inflightHi = 0; // 0 = no cap
    std::uint64_t m_bwCap = 0; // 0 = no cap
    bool m_lastVerdictExcess = false; // the last judged interval had excess loss
    std::uint64_t m_capRound = 0; // round in which the caps were last set

    // Delay guard
    bool m_roundAllDelayed = true;
    bool m_delayGuard = false;
};

} // namespace Transfer
