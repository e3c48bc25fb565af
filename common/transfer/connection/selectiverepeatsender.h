#pragma once
// Selective Repeat sending (docs/TRANSFER.md "Selective Repeat"): every datagram has a new
// packet number, ACKs carry SACK ranges, the LossDetector declares losses and PTOs, and only
// lost units are sent again. The strategy joins the PeerPath that every upload to its peer
// shares and sends on the path's DRR turns, limited there by the congestion window and pacer
// and here by the receiver's credit and the transfer's own rate cap; retransmissions go
// before new data, and probes bypass window, pacer and turns.
#include <transfer/connection/senderstrategy.h>
#include <transfer/io/tokenbucket.h>
#include <transfer/path/pathtable.h>
#include <transfer/recovery/lossdetector.h>
#include <transfer/wire/peeraddress.h>

#include <deque>

namespace Transfer {

class SelectiveRepeatSender final : public SenderStrategy
{
public:
    // The longest a sender with data in flight stays silent (see service()).
    static constexpr std::chrono::milliseconds kMaxProbeInterval {200};

    // Joins the path of `peer` in `paths` until destroyed.
    SelectiveRepeatSender(SenderHost &host, const SenderSetup &setup, PathTable &paths,
                          const PeerAddress &peer, TimePoint now);
    ~SelectiveRepeatSender() override;
    SelectiveRepeatSender(const SelectiveRepeatSender &) = delete;
    SelectiveRepeatSender &operator=(const SelectiveRepeatSender &) = delete;

    // PathSender: the path's DRR turns.
    [[nodiscard]] std::optional<TimePoint> sendableAt(TimePoint now) const override;
    std::uint32_t sendNext(TimePoint now) override;
    [[nodiscard]] std::uint64_t bytesInFlight() const override;

    [[nodiscard]] PacketType ackType() const override { return PacketType::Ack; }
    bool onAck(std::span<const std::byte> body, TimePoint now) override;
    void service(TimePoint now) override;
    [[nodiscard]] std::optional<TimePoint> nextDeadline(TimePoint now) const override;
    [[nodiscard]] bool allAcked() const override;

    [[nodiscard]] bool canRefetch() const override { return true; }
    [[nodiscard]] bool hasSentChunk(std::uint32_t chunk) const override;
    void resendChunk(std::uint32_t chunk, std::uint32_t units) override;

    [[nodiscard]] const PeerPath &path() const override { return *m_path; }
    [[nodiscard]] const RttEstimator &rtt() const override { return m_loss.rtt(); }
    [[nodiscard]] quint64 pacingRate() const override;
    [[nodiscard]] SenderDiagnostics diagnostics() const override;

private:
    // The next unit to send: a lost one still unacknowledged, else a new one within credit.
    [[nodiscard]] bool nextUnit(std::uint32_t *unit, bool *retransmit);
    [[nodiscard]] bool hasSendableData() const;
    // Returns the datagram's size, 0 when nothing could be sent.
    std::uint32_t sendUnit(std::uint32_t unit, TimePoint now, bool probe, bool retransmit);
    void sendPing(TimePoint now);
    void sendProbes(TimePoint now);
    void applyOutcome(const LossOutcome &outcome, Duration ackDelay, TimePoint now);

    SenderHost &m_host;
    PathTable &m_paths;
    PeerAddress m_peer;
    PeerPath *m_path = nullptr; // shared with the other uploads to m_peer
    LossDetector m_loss;
    UnitCursor m_cursor; // the next new unit
    std::deque<std::uint32_t> m_retransmit;
    TokenBucket m_rateCap; // this transfer's cap; unlimited when 0
    unsigned m_probes = 0;
    TimePoint m_lastSend {};
    quint64 m_lostPackets = 0;
    quint64 m_spurious = 0;
};

} // namespace Transfer
