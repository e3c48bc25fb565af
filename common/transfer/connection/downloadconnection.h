#pragma once
// The receiving half of a transfer: the handshake (HELLO, CHALLENGE, ACCEPT/REFUSE), chunk
// assembly from DATA units, per-chunk SHA-256 check against the sender's hash unit, writes
// through the ChunkStore, ACK generation (every 2 packets at first, then every 16, at once on
// reordering, else after max_ack_delay) and the chunk credit that bounds receiver memory.
// When every chunk is present the whole file is re-hashed off the engine thread (Verifier).
#include <transfer/connection/candidateprober.h>
#include <transfer/connection/connection.h>
#include <transfer/recovery/ackranges.h>
#include <transfer/recovery/receiverrtt.h>
#include <transfer/storage/chunkstore.h>
#include <transfer/storage/filehasher.h>
#include <transfer/storage/filelayout.h>
#include <transfer/wire/rendezvouspacket.h>

#include <crypto/identitykey.h>
#include <crypto/x25519.h>

#include <memory>
#include <unordered_map>
#include <vector>

namespace Transfer {

class DownloadConnection final : public Connection
{
public:
    static constexpr std::chrono::milliseconds kMaxAckDelay {5};
    static constexpr std::chrono::seconds kLinger {2};
    // A chunk failing its SHA-256 check is discarded and asked for again (REFETCH); the
    // transfer fails when the same chunk fails this many times.
    static constexpr std::uint8_t kMaxChunkFailures = 3;
    static constexpr std::chrono::milliseconds kRefetchRepeat {100};

    DownloadConnection(TransferId id, std::uint32_t localCid, const PeerAddress &peer,
                       PacketSink &sink, TimePoint now, DownloadRequest request);
    // The identity that signs the HELLO; set before start().
    void setIdentity(std::shared_ptr<const Crypto::IdentityKey> identity)
    {
        m_identity = std::move(identity);
    }
    // Opens the .part/journal; false when the download cannot start (error() says why).
    [[nodiscard]] bool start(TimePoint now);
    // All chunks present: the owner (Engine) should run the whole-file check now.
    [[nodiscard]] bool needsVerification() const { return m_verifyRequested && !m_verifyStarted; }
    void verificationStarted() { m_verifyStarted = true; }
    void verificationDone(bool ok, const QString &error, TimePoint now);
    [[nodiscard]] const DownloadRequest &request() const { return m_request; }
    // The whole-file hash of the verified prefix so far (see FileHasher); once, at verification.
    [[nodiscard]] FileHasher::State takeFileHash();

    void onPacket(const PacketView &packet, TimePoint now) override;
    void onPacketFrom(const PacketView &packet, const PeerAddress &from, TimePoint now) override;
    [[nodiscard]] bool acceptsFrom(const PeerAddress &from) const override;
    // Still probing candidates: a punch from the uploader's punch id names one more.
    [[nodiscard]] bool isProbing() const
    {
        return m_state == State::Handshake && m_prober.isProbing();
    }
    [[nodiscard]] bool isCandidate(const PeerAddress &address) const
    {
        return m_prober.isCandidate(address);
    }
    [[nodiscard]] const PunchId &punchId() const { return m_punchId; }
    void addCandidate(const PeerAddress &address, CandidateKind kind, TimePoint now);
    // A candidate raced in while probing (a relay session opened beside the punching): it is
    // probed at once, and the handshake waits for it at least until `answerBy`.
    void raceCandidate(const PeerAddress &address, CandidateKind kind, TimePoint now,
                       TimePoint answerBy);
    void service(TimePoint now) override;
    [[nodiscard]] std::optional<TimePoint> nextDeadline(TimePoint now) const override;
    [[nodiscard]] TransferStats stats(TimePoint now) const override;
    void cancel(TimePoint now) override;

private:
    [[nodiscard]] QByteArray takeChunkBuffer(qsizetype size);
    void recycleChunkBuffer(QByteArray buffer);

    struct Assembly
    {
        QByteArray data;
        std::vector<bool> have; // per unit index (0 = hash)
        std::uint32_t missing = 0;
        bool hashKnown = false;
        Digest32 sha256 {};
    };

    void sendHello(TimePoint now);
    void onHandshake(const PacketView &packet, TimePoint now);
    void takeHandshakeRtt(TimePoint now);
    // Checks the uploader's identity and signature and derives the keys; false after fail().
    // Checks an ACCEPT against the offer and the HELLO and takes its keys; returns why it
    // cannot be the uploader's, or an empty string.
    QString takeAccept(const AcceptBody &accept);
    void signHelloNow();
    void onData(const PacketView &packet, TimePoint now);
    enum class UnitResult : quint8 { Stored, Duplicate, Rejected };
    UnitResult acceptUnit(std::uint32_t unit, std::span<const std::byte> payload);
    void completeChunk(std::uint32_t chunk, Assembly &a);
    // Selective Repeat: a chunk that failed its hash is dropped and asked for again.
    void refetchChunk(std::uint32_t chunk);
    // Whether a DATA unit belongs to its chunk's current generation (older copies were sent
    // before a re-fetch and may carry the bad data again); a unit of a re-fetched generation
    // also ends the repetition of its REFETCH.
    [[nodiscard]] bool isCurrentGeneration(std::uint32_t unit, std::uint8_t generation);
    void sendDueRefetches(TimePoint now);
    void sendAck(TimePoint now);
    void sendAckGbn(std::uint32_t echo, TimePoint now);
    [[nodiscard]] std::uint32_t credit() const;
    void requestVerification(TimePoint now);

    DownloadRequest m_request;
    CandidateProber m_prober; // the uploader's addresses, the HELLO schedule, the deadline
    PunchId m_punchId {};
    ChunkStore m_store;
    std::unique_ptr<FileHasher> m_hasher;
    std::vector<ChunkRun> m_runs;
    HelloBody m_hello;
    std::shared_ptr<const Crypto::IdentityKey> m_identity;
    Crypto::X25519KeyPair m_ephemeral; // until the ACCEPT
    TokenBytes m_token {};
    ReceiverRtt m_rtt;
    QString m_rejectedAccept; // why the last ACCEPT was dropped, reported if no good one comes
    std::unordered_map<std::uint32_t, Assembly> m_assemblies;
    // Chunk buffers of completed chunks, reused once the whole-file hasher let go of them: a
    // fresh 1 MiB buffer per chunk cost a page fault per 4 KiB written into it.
    std::vector<QByteArray> m_spareBuffers;
    struct Refetch
    {
        std::uint8_t generation = 0; // the chunk's failures so far = its expected generation
        bool pending = false; // REFETCH repeated until a unit of `generation` arrives
        TimePoint nextSend {};
    };
    std::unordered_map<std::uint32_t, Refetch> m_refetches;
    quint64 m_chunksRefetched = 0;
    std::uint32_t m_lowestMissing = 0;
    AckRanges m_ackRanges;
    std::uint32_t m_elicitingSinceAck = 0;
    std::optional<TimePoint> m_ackDeadline;
    UnitCursor m_expected; // Go-Back-N
    TimePoint m_lingerUntil {};
    quint64 m_bytesReceived = 0;
    quint64 m_bytesVerified = 0; // this run
    quint64 m_resumedBytes = 0;
    std::uint32_t m_chunksSinceSync = 0;
    quint64 m_discarded = 0;
    quint64 m_retransmissionsSeen = 0;
    quint64 m_dataReceived = 0;
    bool m_verifyRequested = false;
    bool m_verifyStarted = false;
};

} // namespace Transfer
