#pragma once

// Sender-side loss detection after RFC 9002 section 6, working on SACK ranges.
//
// The engine records every tracked packet with onPacketSent(), passes each decoded ACK to
// onAck() and calls onTimeout() when timerDeadline() passes. Results come back as spans into
// buffers owned by the detector (reserved up front, reused; valid until the next call), so the
// per-packet path does not allocate.
//
// - RTT: a sample when the largest acknowledged packet is newly acknowledged and ack-eliciting;
//   the estimator is owned here (rtt()).
// - Loss: an outstanding packet below the largest acknowledged is lost when it is
//   packetThreshold (3) numbers older, or older than 9/8 * max(srtt, latest_rtt) (at least
//   1 ms). Otherwise the loss timer is armed for the earliest such packet.
// - PTO: with ack-eliciting packets in flight and no loss timer, the deadline is the last
//   ack-eliciting send time + PTO * 2^ptoCount. Expiry asks for probes; it declares nothing
//   lost and must not cut the rate.
// - Persistent congestion: two ack-eliciting packets lost in one event, sent at least
//   3 * PTO apart (after the first RTT sample), with nothing in between acknowledged.
// - Spurious loss: a packet acknowledged after it was declared lost is reported once
//   (remembered for the last kRecentLost declared losses). With adaptiveReordering on, each
//   spurious loss raises the packet threshold (up to 10) and the time threshold (up to 5/4);
//   both decay back after 1024 acknowledged packets without one.
//
// Malformed ACKs (ranges not descending and disjoint, largest not matching the first range, a
// number never sent) are rejected as a whole with Status::Invalid and change nothing.

#include <transfer/io/transferclock.h>
#include <transfer/recovery/rttestimator.h>
#include <transfer/recovery/sentpackets.h>
#include <transfer/wire/packetnumber.h>

#include <optional>
#include <span>
#include <vector>

namespace Transfer {

struct LossDetectionConfig
{
    std::size_t capacity = SentPackets::kDefaultCapacity;
    std::uint32_t packetThreshold = 3;
    bool adaptiveReordering = false;
    // Non-zero: a fixed timeout replaces the adaptive PTO (no backoff); for textbook
    // comparisons only.
    Duration fixedTimeout = Duration::zero();
};

// What one ACK or timeout changed. The spans point into the detector and stay valid until the
// next call to onAck(), onTimeout() or reset().
struct LossOutcome
{
    enum class Status : std::uint8_t {
        Processed, // the ACK was applied (it may still have acknowledged nothing new)
        Invalid, // malformed ACK, ignored as a whole
        LossTimer, // onTimeout(): the loss timer fired; see `lost`
        Probe, // onTimeout(): PTO expired; send `probes` ack-eliciting packets
        NoTimer, // onTimeout() called with no timer due
    };

    Status status = Status::NoTimer;
    std::span<const SentPacket> acked; // newly acknowledged, ascending packet numbers
    std::span<const SentPacket> lost; // newly declared lost, ascending
    std::span<const SentPacket> spurious; // declared lost earlier, acknowledged now
    std::uint64_t ackedBytes = 0; // in-flight bytes among `acked`
    std::uint64_t lostBytes = 0; // in-flight bytes among `lost`
    std::uint64_t priorBytesInFlight = 0; // before this call
    TimePoint largestAckedSentTime {}; // of the largest packet in `acked`
    TimePoint largestLostSentTime {}; // of the largest packet in `lost`
    unsigned probes = 0;
    bool rttUpdated = false;
    bool persistentCongestion = false;
};

class LossDetector
{
public:
    static constexpr std::size_t kRecentLost = 256;
    static constexpr std::uint32_t kMaxPacketThreshold = 10;

    explicit LossDetector(const LossDetectionConfig &config = {});

    // Records a sent packet. Returns false (nothing recorded) when the ring is full or the
    // number does not increase; the engine must check canSend() first.
    bool onPacketSent(const SentPacket &packet);
    [[nodiscard]] bool canSend() const { return !m_sent.isFull(); }

    // Applies one ACK: `ranges` newest first (ranges[0].last == largestAcked), disjoint and
    // descending; `ackDelay` as reported by the peer.
    const LossOutcome &onAck(PacketNumber largestAcked, Duration ackDelay,
                             std::span<const PacketNumberRange> ranges, TimePoint now);

    // When onTimeout() should next be called (loss timer or PTO), or nullopt.
    [[nodiscard]] std::optional<TimePoint> timerDeadline() const;
    const LossOutcome &onTimeout(TimePoint now);

    // Forgets all packets and the PTO backoff (connection reset / new path); keeps RTT.
    void reset();

    [[nodiscard]] RttEstimator &rtt() { return m_rtt; }
    [[nodiscard]] const RttEstimator &rtt() const { return m_rtt; }
    [[nodiscard]] std::uint64_t bytesInFlight() const { return m_bytesInFlight; }
    [[nodiscard]] std::size_t ackElicitingInFlight() const { return m_ackElicitingInFlight; }
    [[nodiscard]] unsigned ptoCount() const { return m_ptoCount; }
    [[nodiscard]] std::optional<PacketNumber> largestAcked() const;
    [[nodiscard]] std::uint32_t packetThreshold() const { return m_packetThreshold; }
    // The time threshold in eighths of max(srtt, latest_rtt): 9 by default, up to 10.
    [[nodiscard]] std::uint32_t timeThresholdEighths() const { return m_timeEighths; }
    [[nodiscard]] Duration lossDelay() const;
    // The oldest packet still outstanding (a PTO probe's first candidate), or nullptr.
    [[nodiscard]] const SentPacket *oldestOutstanding() const;
    [[nodiscard]] const SentPackets &sentPackets() const { return m_sent; }

private:
    [[nodiscard]] bool isValidAck(PacketNumber largestAcked,
                                  std::span<const PacketNumberRange> ranges) const;
    void beginOutcome(LossOutcome::Status status);
    void markAcked(SentPacket &packet);
    // Reports recently lost packets inside `range`, walking m_recentLost from index `from`;
    // returns where the next (higher) range should continue.
    std::size_t findSpurious(const PacketNumberRange &range, std::size_t from);
    [[nodiscard]] SentPacket &recentLost(std::size_t index);
    [[nodiscard]] std::size_t recentLostLowerBound(PacketNumber pn);
    void detectLost(TimePoint now);
    void declareLost(SentPacket &packet);
    void checkPersistentCongestion();
    void onSpuriousLoss(const SentPacket &packet);
    void publishSpans();

    LossDetectionConfig m_config;
    RttEstimator m_rtt;
    SentPackets m_sent;
    std::vector<SentPacket> m_recentLost; // ring of kRecentLost, ascending pn
    std::size_t m_recentLostHead = 0;
    std::size_t m_recentLostCount = 0;

    std::vector<SentPacket> m_acked; // reused outcome buffers
    std::vector<SentPacket> m_lost;
    std::vector<SentPacket> m_spurious;
    LossOutcome m_outcome;

    std::uint64_t m_bytesInFlight = 0;
    std::size_t m_ackElicitingInFlight = 0;
    PacketNumber m_largestAcked = 0;
    bool m_hasLargestAcked = false;
    TimePoint m_lastAckElicitingSent {};
    TimePoint m_lossTime {}; // valid when m_lossTimerArmed
    bool m_lossTimerArmed = false;
    TimePoint m_firstRttSampleTime {};
    unsigned m_ptoCount = 0;
    std::uint32_t m_packetThreshold;
    std::uint32_t m_timeEighths = 9;
    std::uint64_t m_ackedSinceSpurious = 0;
};

} // namespace Transfer
