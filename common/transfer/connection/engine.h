#pragma once
// The transport engine: lives on its own thread (moved there by Endpoint) and owns the UDP
// socket, the connection table (by local connection id), tokens, the address validator, the
// impairment queues and one microsecond wake-up timer. Every wake-up (datagrams, timer, command)
// reads the clock once, drains the socket, services every connection, flushes the send batch and
// re-arms the timer for the earliest deadline. Talks to the owner only through queued signals/slots
// with value types (see Endpoint).
#include <transfer/connection/connection.h>
#include <transfer/connection/tokenregistry.h>
#include <transfer/impairment/impairment.h>
#include <transfer/io/datagramsocket.h>
#include <transfer/io/tokenbucket.h>
#include <transfer/io/wakeuptimer.h>
#include <transfer/nat/rendezvous.h>
#include <transfer/path/pathtable.h>
#include <transfer/transfertypes.h>
#include <transfer/wire/addressvalidator.h>

#include <QObject>
#include <QTimer>

#include <crypto/identitykey.h>

#include <deque>
#include <memory>
#include <unordered_map>

namespace Transfer {

class DownloadConnection;

class Engine final : public QObject, public PacketSink
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kStatsInterval {250};

    explicit Engine(QObject *parent = nullptr);
    ~Engine() override;

    // Commands, called (queued or blocking-queued) from the owner's thread.
    bool bind(const QHostAddress &address, quint16 port, bool preferNative, QString *error);
    [[nodiscard]] quint16 localPort() const;
    void addToken(const QByteArray &token, const Transfer::FileOffer &offer, qint64 lifetimeMs);
    void startDownload(Transfer::TransferId id, const Transfer::DownloadRequest &request);
    void cancel(Transfer::TransferId id);
    // Races one more candidate (a relay) into a download that is still probing; nothing once
    // a path was chosen.
    void addCandidate(Transfer::TransferId id, const Transfer::Candidate &candidate);
    void setUploadRateCap(quint64 bytesPerSecond);
    void setMaxUploadSlots(int count);
    void setIdentity(std::shared_ptr<const Crypto::IdentityKey> identity);
    void setAllowPlainUploads(bool allow) { m_allowPlainUploads = allow; }
    void setImpairment(const Transfer::ImpairmentSpec &spec);
    // Test seam for uploads accepted from now on (UploadConnection::corruptChunkForTesting).
    void corruptChunkForTesting(std::uint32_t chunk, std::uint8_t generations);
    // Rendezvous (docs/NAT.md): the server to learn our reflexive address from (null = none),
    // punching towards a downloader's candidates, binding to a relay session.
    void setRendezvousServer(const QHostAddress &address, quint16 port);
    void punch(const QByteArray &token, const QList<Transfer::Candidate> &candidates,
               qint64 durationMs);
    void bindRelay(const QHostAddress &address, quint16 port, const QByteArray &relayToken);
    void shutdown();
    [[nodiscard]] EndpointCounters counters() const { return m_counters; }

Q_SIGNALS:
    void progress(const Transfer::TransferStats &stats);
    void finished(const Transfer::TransferResult &result);
    void failed(Transfer::TransferId id, Transfer::TransferError error, const QString &reason);
    void countersChanged(const Transfer::EndpointCounters &counters);
    void reflexiveAddressChanged(const QHostAddress &address, quint16 port);
    void relayBound(const QHostAddress &relay, quint16 port, int endpoints);

private:
    void transmit(std::span<const std::byte> datagram, const PeerAddress &peer) override;
    void onReadyRead();
    void pump();
    void handleDatagram(std::span<const std::byte> datagram, const PeerAddress &peer,
                        TimePoint now);
    void handleHello(const PacketView &packet, std::size_t size, const PeerAddress &peer,
                     TimePoint now);
    // Checks a cookie-validated HELLO's token, identity and signature and creates the upload;
    // the token is consumed only when all of it holds and the ACCEPT is ready.
    void acceptHello(const HelloBody &hello, const PeerAddress &peer, TimePoint now);
    void refuse(const HelloBody &hello, const PeerAddress &peer, RefuseReason reason,
                std::uint32_t retryAfterMs = 0);
    // Hands a datagram to its connection: opens sealed ones, drops what breaks the
    // connection's encryption mode.
    void deliver(Connection &connection, const PacketView &packet, const PeerAddress &peer,
                 TimePoint now);
    void handleRendezvous(const PacketView &packet, const PeerAddress &peer, TimePoint now);
    [[nodiscard]] PathKind uploadPath(const PeerAddress &peer, const TokenBytes &token) const;
    void sendStateless(const PacketHeader &header, const PeerAddress &peer, PacketType type,
                       const void *body);
    void drainImpairers(TimePoint now);
    void reapConnections();
    void startVerification(DownloadConnection &connection);
    void publishStats();
    void armTimer(TimePoint now);
    [[nodiscard]] std::uint32_t newConnectionId();
    [[nodiscard]] int activeUploads() const;

    std::unique_ptr<DatagramSocket> m_socket;
    TokenBucket m_uploadCap; // unlimited unless set; shared by every path's pacer
    // Declared before the connections, which leave their paths when destroyed.
    PathTable m_paths {&m_uploadCap};
    std::unordered_map<std::uint32_t, std::unique_ptr<Connection>> m_connections;
    TokenRegistry m_tokens;
    AddressValidator m_validator;
    TokenBucket m_statelessBudget; // CHALLENGE/REFUSE per second, against reflection
    Rendezvous m_rendezvous;
    // The downloader candidates announced with each upload token, to name an upload's path.
    std::deque<std::pair<TokenBytes, QList<Candidate>>> m_expectedPeers;
    std::unique_ptr<Impairer> m_outImpairer;
    std::unique_ptr<Impairer> m_inImpairer;
    WakeupTimer m_timer;
    QTimer m_statsTimer;
    EndpointCounters m_counters;
    TransferId m_nextUploadId = TransferId(1) << 48;
    int m_maxUploadSlots = 4;
    std::shared_ptr<const Crypto::IdentityKey> m_identity;
    bool m_allowPlainUploads = false;
    bool m_inPump = false;
    std::optional<std::pair<std::uint32_t, std::uint8_t>> m_corruptChunkForTesting;
    std::array<std::byte, kMaxDatagramSize> m_statelessBuffer {};
    std::array<std::byte, kMaxSealedDatagramSize> m_openBuffer {}; // opened sealed bodies
};

} // namespace Transfer
