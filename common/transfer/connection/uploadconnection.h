#pragma once
// The sending half of a transfer, created by the Engine once a HELLO proved its address
// (cookie) and presented a valid token. It owns the file's chunks while they are in flight,
// encodes and seals DATA, keeps the receiver's credit and the transfer's statistics, and
// finishes or fails the transfer. How units are sent, acknowledged and resent is the
// SenderStrategy the HELLO chose: SelectiveRepeatSender (default) or GoBackNSender.
#include <transfer/connection/connection.h>
#include <transfer/connection/senderstrategy.h>
#include <transfer/path/pathtable.h>
#include <transfer/storage/filesource.h>

#include <memory>
#include <unordered_map>
#include <vector>

namespace Transfer {

class UploadConnection final : public Connection, private SenderHost
{
public:
    // A Selective Repeat upload joins the path of `peer` in `paths` until destroyed.
    UploadConnection(TransferId id, std::uint32_t localCid, const PeerAddress &peer,
                     PacketSink &sink, TimePoint now, const HelloBody &hello, PathTable &paths);
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

    [[nodiscard]] const SenderStrategy &sender() const { return *m_sender; }
    [[nodiscard]] const PeerPath &path() const { return m_sender->path(); }

    // Test seam: the first `generations` sendings of chunk `chunk` carry a flipped byte in
    // its first block (under a valid checksum), as a sender with a bad disk or memory would.
    void corruptChunkForTesting(std::uint32_t chunk, std::uint8_t generations)
    {
        m_corruptForTesting = CorruptionForTesting {chunk, generations};
    }
    // A chunk is sent at most this many times (first sending plus re-fetches).
    static constexpr std::uint8_t kMaxChunkGenerations = 3;

    static constexpr std::chrono::seconds kIdleTimeout {10};

private:
    struct ChunkInFlight
    {
        QByteArray data;
        Digest32 sha256 {};
        std::vector<bool> acked; // per unit index
        std::uint32_t remaining = 0;
    };

    [[nodiscard]] ChunkInFlight *loadChunk(std::uint32_t chunk);
    [[nodiscard]] std::size_t encodeUnit(std::uint32_t unit, TimePoint now, std::uint16_t flags);
    [[nodiscard]] std::uint8_t generationOf(std::uint32_t chunk) const;
    void onRefetch(std::span<const std::byte> body);
    void checkDone(TimePoint now);

    // SenderHost
    SentDatagram sendUnit(std::uint32_t unit, TimePoint now, bool retransmit) override;
    SentDatagram sendPing(TimePoint now) override;
    void unitAcked(std::uint32_t unit, std::uint8_t generation) override;
    void chunksAckedBefore(std::uint32_t nextUnit) override;
    [[nodiscard]] bool isUnacked(std::uint32_t unit) const override;
    [[nodiscard]] bool hasChunksInFlight() const override { return !m_chunks.empty(); }
    [[nodiscard]] std::uint32_t credit() const override { return m_credit; }
    void raiseCredit(std::uint32_t maxChunk) override;
    [[nodiscard]] bool isSending() const override { return m_state == State::Established; }
    [[nodiscard]] std::optional<std::uint32_t> highestSentUnit() const override
    {
        return m_highestSentUnit;
    }
    [[nodiscard]] PacketNumber nextPacketNumber() const override { return m_nextPn; }

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
    std::unique_ptr<SenderStrategy> m_sender; // reads m_runs: declared after it
    std::optional<std::uint32_t> m_highestSentUnit;
    quint64 m_ackedBytes = 0;
    quint64 m_sentBytes = 0; // payload sent a first time
    quint64 m_retransmissions = 0;
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
