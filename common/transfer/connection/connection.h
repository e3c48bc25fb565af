#pragma once
// One peer connection of the endpoint: its connection ids, packet-number space, timers and
// statistics. UploadConnection and DownloadConnection hold the two halves of a transfer; the
// Engine owns them in its connection table and drives them with the clock read once per wake.
#include <transfer/connection/packetprotection.h>
#include <transfer/transfertypes.h>
#include <transfer/wire/packet.h>
#include <transfer/wire/peeraddress.h>

#include <array>
#include <memory>
#include <optional>
#include <span>

namespace Transfer {

// Where connections put their datagrams (the engine: socket or impairment queue).
class PacketSink
{
public:
    virtual ~PacketSink() = default;
    virtual void transmit(std::span<const std::byte> datagram, const PeerAddress &peer) = 0;
};

class Connection
{
public:
    enum class State : quint8 { Handshake, Established, Verifying, Lingering, Finished, Failed };

    Connection(TransferId id, std::uint32_t localCid, const PeerAddress &peer, PacketSink &sink,
               TimePoint now);
    virtual ~Connection() = default;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    virtual void onPacket(const PacketView &packet, TimePoint now) = 0;
    // A packet for this connection from `from` (acceptsFrom() was true).
    virtual void onPacketFrom(const PacketView &packet, const PeerAddress &from, TimePoint now)
    {
        Q_UNUSED(from);
        onPacket(packet, now);
    }
    // Only the address a connection was made with may drive it (no migration); a download
    // still probing candidates accepts its handshake answer from any of them.
    [[nodiscard]] virtual bool acceptsFrom(const PeerAddress &from) const { return from == m_peer; }
    // Fires due timers and sends what pacing and windows allow.
    virtual void service(TimePoint now) = 0;
    [[nodiscard]] virtual std::optional<TimePoint> nextDeadline(TimePoint now) const = 0;
    [[nodiscard]] virtual TransferStats stats(TimePoint now) const = 0;
    virtual void cancel(TimePoint now);

    [[nodiscard]] TransferId id() const { return m_id; }
    [[nodiscard]] std::uint32_t localCid() const { return m_localCid; }
    [[nodiscard]] std::uint32_t remoteCid() const { return m_remoteCid; }
    [[nodiscard]] const PeerAddress &peer() const { return m_peer; }
    [[nodiscard]] PathKind path() const { return m_path; }
    void setPath(PathKind path) { m_path = path; }
    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] TransferError error() const { return m_error; }
    [[nodiscard]] const QString &errorText() const { return m_errorText; }
    // A result was produced (finished or failed) and not yet reported to the owner.
    [[nodiscard]] bool hasOutcome() const { return m_outcomePending; }
    void outcomeReported() { m_outcomePending = false; }
    [[nodiscard]] const TransferResult &result() const { return m_result; }
    // The connection may be removed from the table.
    [[nodiscard]] bool isClosed() const
    {
        return (m_state == State::Finished || m_state == State::Failed) && !m_outcomePending;
    }

    // Encryption (docs/TRANSFER.md "Encryption"). An encrypted connection takes only handshake
    // packets (CHALLENGE, ACCEPT, REFUSE) in the clear and everything else sealed, once its keys
    // exist; a plain one takes nothing sealed. No downgrade either way.
    [[nodiscard]] bool isEncrypted() const { return m_encrypted; }
    [[nodiscard]] bool hasKeys() const { return m_protection != nullptr; }
    // Opens a sealed datagram of this connection into `scratch` (see PacketProtection::open).
    [[nodiscard]] std::optional<PacketView> open(const PacketView &sealed,
                                                 std::span<std::byte> scratch)
    {
        return m_protection ? m_protection->open(sealed, scratch) : std::nullopt;
    }

protected:
    void fail(TransferError error, const QString &text);
    void finish(TransferResult result);
    [[nodiscard]] PacketHeader header(PacketType type);
    [[nodiscard]] std::uint32_t timestampUs(TimePoint now) const;
    // Sends the datagram encoded in m_buffer, sealed when the connection has keys.
    void send(std::size_t size);
    void setProtection(std::unique_ptr<PacketProtection> protection)
    {
        m_protection = std::move(protection);
    }
    void sendClose(TimePoint now);
    void fillCommonStats(TransferStats &s, TimePoint now) const;

    TransferId m_id;
    std::uint32_t m_localCid;
    std::uint32_t m_remoteCid = 0;
    PeerAddress m_peer;
    PacketSink &m_sink;
    PathKind m_path = PathKind::Unknown;
    TimePoint m_start;
    TimePoint m_lastHeard;
    State m_state = State::Handshake;
    std::uint64_t m_nextPn = 0;
    bool m_encrypted = true;
    std::unique_ptr<PacketProtection> m_protection;
    std::array<std::byte, kMaxSealedDatagramSize> m_buffer {};
    // Statistics.
    quint64 m_packetsSent = 0;
    quint64 m_packetsReceived = 0;
    quint64 m_duplicates = 0;
    quint64 m_malformed = 0;

private:
    TransferError m_error = TransferError::None;
    QString m_errorText;
    TransferResult m_result;
    bool m_outcomePending = false;
};

} // namespace Transfer
