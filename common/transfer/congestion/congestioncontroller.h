#pragma once

// The congestion controller interface: one instance per peer path (PeerPath), shared by all
// of that path's transfers. The engine feeds it sends, ACKs and losses (from LossDetector and
// DeliveryRateEstimator) and asks it for a pacing rate (given to the Pacer) and a congestion
// window (bytes in flight it allows).
//
// Implementations: BbrController (default, loss-tolerant, TRANSFER.md 2.8), NewRenoController
// (RFC 9002 section 7, the TCP-like reference) and FixedWindowController (a textbook fixed
// window for Go-Back-N comparisons).

#include <transfer/congestion/deliveryrate.h>
#include <transfer/io/transferclock.h>
#include <transfer/recovery/rttestimator.h>

#include <QLatin1StringView>
#include <QStringView>

#include <cstdint>
#include <memory>
#include <optional>

namespace Transfer {

struct CongestionConfig
{
    std::uint32_t maxDatagramSize = 1200; // bytes per full packet (the controller's unit)
    std::uint32_t initialWindowPackets = 10;
    std::uint32_t minimumWindowPackets = 4;
    std::uint64_t minimumPacingRate = 64 * 1024; // bytes/s
    std::uint32_t fixedWindowPackets = 64; // FixedWindowController only
    std::uint64_t randomSeed = 1; // BBR's initial PROBE_BW phase
    // BBR: measure the loss rate seen while not probing (the path's random loss) and react
    // only to loss above it plus the 2 % threshold. Off = TRANSFER.md's absolute threshold.
    bool adaptiveLossBaseline = true;
};

// One ACK's worth of feedback (built by the engine from LossOutcome and RateSample).
struct AckEvent
{
    TimePoint now {};
    std::uint64_t ackedBytes = 0; // newly acknowledged in-flight bytes
    std::uint32_t ackedPackets = 0; // newly acknowledged in-flight packets
    std::uint64_t priorBytesInFlight = 0; // before the ACK
    std::uint64_t bytesInFlight = 0; // after the ACK (and its losses)
    TimePoint largestAckedSentTime {};
    bool rttUpdated = false; // the RttEstimator took a new sample from this ACK
    RateSample rate;
};

struct LossEvent
{
    TimePoint now {};
    std::uint64_t lostBytes = 0;
    std::uint32_t lostPackets = 0;
    std::uint64_t priorBytesInFlight = 0; // before the losses were removed
    std::uint64_t bytesInFlight = 0; // after
    TimePoint largestLostSentTime {};
};

enum class CongestionAlgorithm : std::uint8_t { Bbr, NewReno, FixedWindow };

class CongestionController
{
public:
    virtual ~CongestionController() = default;
    CongestionController(const CongestionController &) = delete;
    CongestionController &operator=(const CongestionController &) = delete;

    // `bytesInFlight` before this packet; only in-flight packets are reported.
    virtual void onPacketSent(TimePoint now, std::uint32_t bytes, std::uint64_t bytesInFlight) = 0;
    virtual void onPacketsAcked(const AckEvent &event) = 0;
    virtual void onPacketsLost(const LossEvent &event) = 0;
    // Back to the initial state (RFC 9002 7.6, TRANSFER.md 2.5).
    virtual void onPersistentCongestion(TimePoint now) = 0;
    // Packets declared lost were acknowledged after all; controllers may undo a reaction.
    virtual void onSpuriousLoss(TimePoint now) { (void)now; }

    // Bytes per second the Pacer should send at; always > 0.
    [[nodiscard]] virtual std::uint64_t pacingRate() const = 0;
    [[nodiscard]] virtual std::uint64_t congestionWindow() const = 0;
    [[nodiscard]] bool canSend(std::uint64_t bytesInFlight) const
    {
        return bytesInFlight < congestionWindow();
    }
    [[nodiscard]] virtual QLatin1StringView name() const = 0;
    // Current state for statistics ("startup", "probe_bw", "recovery", ...).
    [[nodiscard]] virtual QLatin1StringView stateName() const = 0;

protected:
    CongestionController() = default;
};

// Creates a controller reading RTT from `rtt`, which must outlive it.
[[nodiscard]] std::unique_ptr<CongestionController>
makeCongestionController(CongestionAlgorithm algorithm, const RttEstimator &rtt,
                         const CongestionConfig &config = {});
// "bbr", "newreno", "fixed" (case-insensitive); nullopt for anything else.
[[nodiscard]] std::optional<CongestionAlgorithm> congestionAlgorithmFromName(QStringView name);
[[nodiscard]] QLatin1StringView congestionAlgorithmName(CongestionAlgorithm algorithm);

} // namespace Transfer
