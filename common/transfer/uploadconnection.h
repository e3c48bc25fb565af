#pragma once
// The sending half of a transfer, created by the Engine once a HELLO proved its address
// (cookie) and presented a valid token. Selective Repeat (default): every datagram has a new
// packet number, ACKs carry SACK ranges, the LossDetector declares losses and PTOs, only lost
// units are resent. Sending is limited by the receiver's chunk credit and the transfer's own
// rate cap here, and by the congestion window and pacer of the PeerPath it shares with the
// other uploads to the same address, which hands out send turns (DRR); retransmissions go
// before new data, PTO probes bypass window and pacer. Go-Back-N (see GoBackWindow) keeps its
// own window logic on a private PeerPath that no other transfer shares.
#include "connection.h"
#include "filesource.h"
#include "gobackwindow.h"
#include "lossdetector.h"
#include "pathtable.h"
#include "peerpath.h"

#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

namespace Transfer {

class UploadConnection final : public Connection, public PathSender
{
public:
    // Joins the path of `peer` in `paths` (Selective Repeat) until destroyed.
    UploadConnection(TransferId id, std::uint32_t localCid, const PeerAddress &peer,
                     PacketSink &sink, TimePoint now, const HelloBody &hello, PathTable &paths);
    ~UploadConnection() override;
    // Opens the offered file; false with *error when it cannot be read.
    [[nodiscard]] bool open(const FileOffer &offer, QString *error);
    [[nodiscard]] std::uint32_t helloCid() const { return m_remoteCid; }
    // The signed ACCEPT to answer with, and the keys of an encrypted transfer (nullptr: plain).
    void secure(const AcceptBody &accept, std::unique_ptr<PacketProtection> protection);
    // Sends (again, when the first was lost) the ACCEPT given to secure(), in the clear.
    void sendAccept(TimePoint now);

    void onPacket(const PacketView &packet, TimePoint now) override;
    void service(TimePoint now) override;
    [[nodiscard]] std::optional<TimePoint> nextDeadline(TimePoint now) const override;
    [[nodiscard]] TransferStats stats(TimePoint now) const override;

    // PathSender (Selective Repeat; a Go-Back-N connection sends from service()).
    [[nodiscard]] std::optional<TimePoint> sendableAt(TimePoint now) const override;
    std::uint32_t sendNext(TimePoint now) override;
    [[nodiscard]] std::uint64_t bytesInFlight() const override;
    [[nodiscard]] const PeerPath &path() const { return *m_path; }

    // Test seam: the first `generations` sendings of chunk `chunk` carry a flipped byte in
    // its first block (under a valid checksum), as a sender with a bad disk or memory would.
    void corruptChunkForTesting(std::uint32_t chunk, std::uint8_t generations)
    {
        m_corruptForTesting = CorruptionForTesting {chunk, generations};
    }
    // A chunk is sent at most this many times (first sending plus re-fetches).
    static constexpr std::uint8_t kMaxChunkGenerations = 3;

    static constexpr std::chrono::seconds kIdleTimeout {10};
    static constexpr std::chrono::milliseconds kMaxProbeInterval {200};

private:
    // Go-Back-N window in units, at most; the congestion window may make it smaller.
    static constexpr std::uint32_t kGbnWindow = 64;
    struct ChunkInFlight
    {
        QByteArray data;
        Digest32 sha256 {};
        std::vector<bool> acked; // per unit index
        std::uint32_t remaining = 0;
    };

    [[nodiscard]] ChunkInFlight *loadChunk(std::uint32_t chunk);
    // Returns the datagram's size, 0 when nothing could be sent.
    [[nodiscard]] std::uint32_t sendUnit(std::uint32_t unit, TimePoint now, bool probe,
                                         bool retransmit);
    [[nodiscard]] std::size_t encodeUnit(std::uint32_t unit, TimePoint now, std::uint16_t flags);
    void markAcked(std::uint32_t unit, std::uint8_t generation);
    [[nodiscard]] std::uint8_t generationOf(std::uint32_t chunk) const;
    void onRefetch(std::span<const std::byte> body);
    [[nodiscard]] bool isUnacked(std::uint32_t unit) const;
    // Selective Repeat.
    void serviceSr(TimePoint now);
    [[nodiscard]] bool nextSrUnit(std::uint32_t *unit, bool *retransmit);
    void onAck(std::span<const std::byte> body, TimePoint now);
    void applyOutcome(const LossOutcome &outcome, Duration ackDelay, TimePoint now);
    void sendPing(TimePoint now);
    // Go-Back-N.
    void serviceGbn(TimePoint now);
    void onAckGbn(std::span<const std::byte> body, TimePoint now);
    void gbnTimeout(TimePoint now);
    [[nodiscard]] bool hasSendableData() const;
    void checkDone(TimePoint now);

    HelloBody m_hello;
    AcceptBody m_accept;
    std::vector<ChunkRun> m_runs;
    FileSource m_source;
    FileOffer m_offer;
    std::unordered_map<std::uint32_t, ChunkInFlight> m_chunks;
    std::unordered_map<std::uint32_t, std::uint8_t> m_generations; // re-fetched chunks only
    bool m_refetchCapable = false; // negotiated in the HELLO's flags
    bool m_receiverComplete = false; // an ACK said every chunk is verified
    std::uint64_t m_chunkCount = 0;
    std::uint32_t m_credit = 0; // chunks below this may be sent
    UnitCursor m_cursor; // next new unit (Selective Repeat)
    std::deque<std::uint32_t> m_retransmit;
    LossDetector m_loss;
    PathTable &m_paths;
    std::unique_ptr<PeerPath> m_ownPath; // Go-Back-N only
    PeerPath *m_path = nullptr; // shared (from m_paths) or m_ownPath
    TokenBucket m_rateCap; // this transfer's cap (Selective Repeat); unlimited when 0
    unsigned m_probes = 0;
    TimePoint m_lastSend {};
    std::unique_ptr<GoBackWindow> m_gbn;
    TimePoint m_gbnDeadline {};
    unsigned m_gbnBackoff = 0;
    std::uint32_t m_highestSentUnit = 0;
    bool m_sentAny = false;
    quint64 m_ackedBytes = 0;
    quint64 m_lostPackets = 0;
    quint64 m_retransmissions = 0;
    quint64 m_spurious = 0;
    quint64 m_dataSent = 0;
    quint64 m_chunksRefetched = 0;
    struct CorruptionForTesting
    {
        std::uint32_t chunk = 0;
        std::uint8_t generations = 0;
    };
    std::optional<CorruptionForTesting> m_corruptForTesting;
    std::array<std::byte, kBlockSize> m_corruptBlock {};
};

} // namespace Transfer
