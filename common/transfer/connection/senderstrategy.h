#pragma once
// How an UploadConnection sends (docs/TRANSFER.md "Selective Repeat", "Go-Back-N"): the HELLO
// picks SelectiveRepeatSender or GoBackNSender once, and the connection never asks which. A
// strategy decides which unit goes out next, records what was sent, reads the
// acknowledgements, runs its timers and reports to its PeerPath, whose PathSender it is (the
// path's DRR turns call the strategy). The connection behind SenderHost owns the file's
// chunks, encodes and seals the datagrams and keeps the receiver's credit and the statistics
// about payload.
#include <transfer/congestion/congestioncontroller.h>
#include <transfer/io/transferclock.h>
#include <transfer/path/peerpath.h>
#include <transfer/storage/filelayout.h>
#include <transfer/wire/packet.h>
#include <transfer/wire/packetnumber.h>

#include <cstdint>
#include <optional>
#include <span>

namespace Transfer {

// One datagram the host has just sent for a strategy.
struct SentDatagram
{
    PacketNumber pn = 0;
    std::uint32_t bytes = 0; // 0: nothing was sent
    std::uint8_t generation = 0; // of the unit's chunk (re-fetch), DATA only
};

// What a strategy needs from the connection it sends for.
class SenderHost
{
public:
    virtual ~SenderHost() = default;
    // Encodes, seals and sends `unit` as DATA, flagged when `retransmit`; bytes is 0 when the
    // unit's chunk could not be read (the transfer has failed then).
    virtual SentDatagram sendUnit(std::uint32_t unit, TimePoint now, bool retransmit) = 0;
    virtual SentDatagram sendPing(TimePoint now) = 0;
    // The receiver holds `unit` as sent in `generation`; copies of older generations do not
    // count (the receiver threw them away).
    virtual void unitAcked(std::uint32_t unit, std::uint8_t generation) = 0;
    // A cumulative acknowledgement: every chunk wholly before `nextUnit` (UINT32_MAX: every
    // chunk) arrived, whichever copies the receiver took.
    virtual void chunksAckedBefore(std::uint32_t nextUnit) = 0;
    [[nodiscard]] virtual bool isUnacked(std::uint32_t unit) const = 0;
    [[nodiscard]] virtual bool hasChunksInFlight() const = 0;
    // The receiver's credit: chunks below it may be sent. An ACK's maxChunk only raises it.
    [[nodiscard]] virtual std::uint32_t credit() const = 0;
    virtual void raiseCredit(std::uint32_t maxChunk) = 0;
    // False once the transfer has finished or failed.
    [[nodiscard]] virtual bool isSending() const = 0;
    // The highest unit sent so far; nullopt before the first.
    [[nodiscard]] virtual std::optional<std::uint32_t> highestSentUnit() const = 0;
    // The number the next packet will carry (ACKs carry truncated numbers to expand against).
    [[nodiscard]] virtual PacketNumber nextPacketNumber() const = 0;
};

// The HELLO's terms, as both strategies start from them.
struct SenderSetup
{
    std::span<const ChunkRun> runs; // the chunks to send, in order; must outlive the strategy
    std::uint64_t fileSize = 0;
    CongestionAlgorithm algorithm = CongestionAlgorithm::Bbr;
    std::uint64_t rateCap = 0; // bytes/s, 0 = none
    Duration maxAckDelay = Duration::zero();
    TimePoint start {}; // the connection's time zero, which DATA timestamps count from
};

// Figures for the statistics and the debug log; zero where a mode has no such state.
struct SenderDiagnostics
{
    quint64 lostPackets = 0;
    quint64 spuriousLosses = 0;
    unsigned ptoCount = 0;
    std::uint64_t detectorBytesInFlight = 0;
    std::size_t queuedRetransmissions = 0;
    std::size_t sentRecords = 0;
    bool lossTimerArmed = false;
    unsigned pendingProbes = 0;
};

class SenderStrategy : public PathSender
{
public:
    // The packet type this strategy's acknowledgements come in (ACK or ACK_GBN); the
    // connection ignores the other kind.
    [[nodiscard]] virtual PacketType ackType() const = 0;
    // Applies one acknowledgement body; false when it is malformed.
    virtual bool onAck(std::span<const std::byte> body, TimePoint now) = 0;
    // Fires due timers and sends what does not wait for a DRR turn.
    virtual void service(TimePoint now) = 0;
    // When service() is next needed; nullopt when only the network can move things on.
    [[nodiscard]] virtual std::optional<TimePoint> nextDeadline(TimePoint now) const = 0;
    // Every unit was sent and acknowledged (the receiver's verdict aside).
    [[nodiscard]] virtual bool allAcked() const = 0;

    // Re-fetching a chunk that failed its hash (docs/TRANSFER.md "Chunk re-fetch").
    [[nodiscard]] virtual bool canRefetch() const = 0;
    [[nodiscard]] virtual bool hasSentChunk(std::uint32_t chunk) const = 0;
    // Sends all `units` of `chunk` again, before new data.
    virtual void resendChunk(std::uint32_t chunk, std::uint32_t units) = 0;

    [[nodiscard]] virtual const PeerPath &path() const = 0;
    [[nodiscard]] virtual const RttEstimator &rtt() const = 0;
    // The rate this transfer is paced at: its path's, under its own cap.
    [[nodiscard]] virtual quint64 pacingRate() const = 0;
    [[nodiscard]] virtual SenderDiagnostics diagnostics() const = 0;
};

} // namespace Transfer
