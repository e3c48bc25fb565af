#pragma once
// Go-Back-N sending (docs/TRANSFER.md "Go-Back-N"): a GoBackWindow of consecutive units,
// cumulative ACK_GBN acknowledgements, one RFC 6298 retransmission timer; a timeout or three
// duplicate ACKs send everything again from the window's base. The window logic does not mix
// with other transfers' DRR turns, so the strategy keeps a private PeerPath (controller and
// pacer) and sends from service(), never on a turn.
#include <transfer/connection/senderstrategy.h>
#include <transfer/path/pathtable.h>
#include <transfer/recovery/gobackwindow.h>
#include <transfer/wire/peeraddress.h>

namespace Transfer {

class GoBackNSender final : public SenderStrategy
{
public:
    // The window in units, at most; the congestion window may make it smaller.
    static constexpr std::uint32_t kMaxWindow = 64;

    // Takes the endpoint's upload cap from `paths` but joins none of its paths.
    GoBackNSender(SenderHost &host, const SenderSetup &setup, PathTable &paths,
                  const PeerAddress &peer, TimePoint now);
    ~GoBackNSender() override;
    GoBackNSender(const GoBackNSender &) = delete;
    GoBackNSender &operator=(const GoBackNSender &) = delete;

    // PathSender: a Go-Back-N sender never takes a DRR turn.
    [[nodiscard]] std::optional<TimePoint> sendableAt(TimePoint) const override
    {
        return std::nullopt;
    }
    std::uint32_t sendNext(TimePoint) override { return 0; }
    [[nodiscard]] std::uint64_t bytesInFlight() const override { return m_window.bytesInFlight(); }

    [[nodiscard]] PacketType ackType() const override { return PacketType::AckGbn; }
    bool onAck(std::span<const std::byte> body, TimePoint now) override;
    void service(TimePoint now) override;
    [[nodiscard]] std::optional<TimePoint> nextDeadline(TimePoint now) const override;
    [[nodiscard]] bool allAcked() const override { return m_window.allAcked(); }

    // The receiver takes units only in order, so a bad chunk fails the transfer instead.
    [[nodiscard]] bool canRefetch() const override { return false; }
    [[nodiscard]] bool hasSentChunk(std::uint32_t chunk) const override;
    void resendChunk(std::uint32_t, std::uint32_t) override { }

    [[nodiscard]] const PeerPath &path() const override { return m_path; }
    [[nodiscard]] const RttEstimator &rtt() const override { return m_path.rtt(); }
    [[nodiscard]] quint64 pacingRate() const override { return m_path.pacer().effectiveRate(); }
    [[nodiscard]] SenderDiagnostics diagnostics() const override;

private:
    // Returns the datagram's size, 0 when nothing could be sent.
    std::uint32_t sendUnit(std::uint32_t unit, TimePoint now, bool retransmit);
    void goBack(TimePoint now);
    [[nodiscard]] bool hasSendableData() const;
    // `now` as the receiver will echo it: whole microseconds since the start, 32 bits.
    [[nodiscard]] TimePoint onTimestampGrid(TimePoint now) const;

    SenderHost &m_host;
    TimePoint m_start;
    GoBackWindow m_window;
    PeerPath m_path; // private: no other transfer shares it
    TimePoint m_deadline {}; // of the retransmission timer, while units are outstanding
    unsigned m_backoff = 0;
    quint64 m_lostPackets = 0;
};

} // namespace Transfer
