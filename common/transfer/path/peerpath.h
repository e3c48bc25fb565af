#pragma once

// One peer path (a remote UDP address:port) as seen by the uploader: the congestion state
// every upload to that address shares, so N transfers to one peer behave like one flow instead
// of N competing ones. It owns the congestion controller, the pacer, the path-wide delivery
// rate estimator (BBR's bandwidth samples must cover the whole path: a per-transfer estimator
// sees only its share) and a path RTT estimator fed with every member's samples.
//
// Members (the path's transfers) keep their own packet-number space and LossDetector; they
// report sends, ACKs, losses and RTT samples here. Bytes in flight for the window check are
// the sum over the members. service() hands each send opportunity the window and pacer allow
// to the next member in Deficit Round Robin order (DrrScheduler), a turn being worth
// kDrrQuantumDatagrams full datagrams.

#include <transfer/congestion/congestioncontroller.h>
#include <transfer/congestion/deliveryrate.h>
#include <transfer/congestion/pacer.h>
#include <transfer/path/drrscheduler.h>
#include <transfer/recovery/rttestimator.h>

#include <memory>
#include <optional>
#include <vector>

namespace Transfer {

// A transfer sending over a PeerPath (an upload's SenderStrategy; synthetic senders in tests).
class PathSender
{
public:
    virtual ~PathSender() = default;
    // When this sender could next send a datagram without new input from the network: now
    // (or earlier) when it could send at once, later when only its own rate cap holds it back,
    // nullopt when it has nothing to send (no data, no receiver credit, not established).
    [[nodiscard]] virtual std::optional<TimePoint> sendableAt(TimePoint now) const = 0;
    // Sends one datagram, retransmissions before new data; returns its size (0: nothing sent).
    virtual std::uint32_t sendNext(TimePoint now) = 0;
    // This sender's bytes in flight (its LossDetector's or Go-Back-N window's).
    [[nodiscard]] virtual std::uint64_t bytesInFlight() const = 0;
};

class PeerPath
{
public:
    static constexpr int kMaxSendsPerService = 512;
    // A DRR turn is worth this many full datagrams. The downloader acknowledges every 16
    // ack-eliciting packets and otherwise waits max_ack_delay (5 ms): with one-datagram turns
    // a small window is spread over N receivers that each hold their ACK for the full delay,
    // and BBR settles at window / max_ack_delay (16 downloads were measured stuck at
    // 0.5 MB/s). Turns of 16 keep each receiver's ACK clock as it is for a lone transfer;
    // shares stay equal in bytes over a round, within one turn (19 KB) at any moment.
    static constexpr std::uint32_t kDrrQuantumDatagrams = 16;

    // `globalCap` (the endpoint's upload cap, may be nullptr) must outlive the path.
    PeerPath(CongestionAlgorithm algorithm, TokenBucket *globalCap,
             const CongestionConfig &config = {});
    PeerPath(const PeerPath &) = delete;
    PeerPath &operator=(const PeerPath &) = delete;

    // Members join the DRR round at its end; a member must leave before it is destroyed.
    void attach(PathSender *sender);
    void detach(PathSender *sender);
    [[nodiscard]] bool isEmpty() const { return m_members.empty(); }
    [[nodiscard]] std::size_t memberCount() const { return m_members.size(); }

    // A member is about to send a datagram of `bytes` (its in-flight not yet counting it):
    // tells the controller, charges the pacer unless it is a probe (probes bypass window and
    // pacer), and returns the delivery-rate snapshot to keep with the packet.
    [[nodiscard]] DeliverySnapshot onPacketSent(TimePoint now, std::uint32_t bytes, bool probe);
    // Feedback from one member's ACK: `acked` newly acknowledged packets were handed to rate()
    // already (onPacketAcked); the in-flight figures are that member's before and after.
    void onAcked(TimePoint now, std::uint64_t ackedBytes, std::uint32_t ackedPackets,
                 std::uint64_t memberPriorInFlight, std::uint64_t memberInFlight,
                 TimePoint largestAckedSentTime, bool rttUpdated);
    void onLost(TimePoint now, std::uint64_t lostBytes, std::uint32_t lostPackets,
                std::uint64_t memberPriorInFlight, std::uint64_t memberInFlight,
                TimePoint largestLostSentTime);
    void onPersistentCongestion(TimePoint now);
    void onSpuriousLoss(TimePoint now);

    // Sends what the window and pacer allow, one datagram per DRR turn.
    void service(TimePoint now);
    // When service() could send next (pacer or a member's own cap), nullopt when it waits for
    // ACKs or has nothing to send.
    [[nodiscard]] std::optional<TimePoint> nextDeadline(TimePoint now) const;

    [[nodiscard]] std::uint64_t bytesInFlight() const;
    [[nodiscard]] CongestionController &controller() { return *m_cc; }
    [[nodiscard]] const CongestionController &controller() const { return *m_cc; }
    [[nodiscard]] Pacer &pacer() { return m_pacer; }
    [[nodiscard]] const Pacer &pacer() const { return m_pacer; }
    [[nodiscard]] DeliveryRateEstimator &rate() { return m_rate; }
    [[nodiscard]] RttEstimator &rtt() { return m_rtt; }
    [[nodiscard]] const RttEstimator &rtt() const { return m_rtt; }
    [[nodiscard]] CongestionAlgorithm algorithm() const { return m_algorithm; }
    [[nodiscard]] const DrrScheduler &scheduler() const { return m_drr; }

private:
    void updatePacingRate(TimePoint now) { m_pacer.setRate(m_cc->pacingRate(), now); }

    CongestionAlgorithm m_algorithm;
    std::uint32_t m_maxDatagramSize;
    RttEstimator m_rtt; // declared before m_cc, which reads it
    DeliveryRateEstimator m_rate;
    std::unique_ptr<CongestionController> m_cc;
    Pacer m_pacer;
    DrrScheduler m_drr;
    std::vector<PathSender *> m_members;
};

} // namespace Transfer
