#pragma once
// The owner-facing facade of the transport. Lives in the owner's thread; the Engine runs on
// a thread of its own and every call here is forwarded to it as a queued call with value
// types, every result comes back as a queued signal. One Endpoint = one UDP socket carrying
// all of a client's uploads and downloads.
#include <transfer/impairment/impairment.h>
#include <transfer/transfertypes.h>

#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <memory>

class QThread;

namespace Crypto {
class IdentityKey;
}

namespace Transfer {

class Engine;

class Endpoint final : public QObject
{
    Q_OBJECT
public:
    struct BindOptions
    {
        // recvmmsg/sendmmsg socket on Linux; false = the portable QUdpSocket path.
        bool nativeSocket = true;
    };

    explicit Endpoint(QObject *parent = nullptr);
    ~Endpoint() override;

    // Binds the socket (port 0 = ephemeral). Blocks until the engine thread answered.
    bool bind(const QHostAddress &address, quint16 port, QString *error = nullptr);
    bool bind(const QHostAddress &address, quint16 port, BindOptions options, QString *error);
    [[nodiscard]] quint16 localPort() const { return m_port; }

    // The identity that signs this endpoint's transfer handshakes (both directions). Without
    // one the endpoint signs with a key of its own made at start (tests, the bench): transfers
    // are still encrypted, but peers cannot pin it.
    void setIdentity(std::shared_ptr<const Crypto::IdentityKey> identity);
    // Uploader side: accept downloads that ask for no encryption (benchmark baselines only).
    void setAllowPlainUploads(bool allow);

    // Uploader side: lets the holder of the returned 16-byte token download `offer` once
    // (and, when offer.requesterKey is set, only if it signs the handshake with that key).
    [[nodiscard]] QByteArray issueUploadToken(const FileOffer &offer,
                                              std::chrono::milliseconds lifetime
                                              = std::chrono::minutes(10));
    // Registers a token value chosen by the caller (e.g. the bench's fixed token).
    void registerUploadToken(const QByteArray &token, const FileOffer &offer,
                             std::chrono::milliseconds lifetime = std::chrono::minutes(10));
    void setUploadRateCap(quint64 bytesPerSecond);
    void setMaxUploadSlots(int count);
    // Impairs this endpoint's datagrams as the spec says (an inactive spec switches it off).
    void setImpairment(const ImpairmentSpec &spec);
    // Tests only: uploads accepted from now on send chunk `chunk` with one byte flipped (under
    // a valid checksum) in its first `generations` sendings, so the downloader must re-fetch.
    void corruptChunkForTesting(quint32 chunk, int generations = 1);

    // Rendezvous (docs/NAT.md). Probes `address:port` (our chat server's UDP side) from the
    // transfer socket to learn the reflexive address, then every 20 s as a NAT keepalive;
    // a null address stops it.
    void setRendezvousServer(const QHostAddress &address, quint16 port);
    // Uploader side, after accepting a request: punch datagrams to every downloader candidate
    // for `duration` so our NAT opens mappings towards it; the candidates also name the path
    // of the upload that token starts.
    void punch(const QByteArray &token, const QList<Candidate> &candidates,
               std::chrono::milliseconds duration = std::chrono::seconds(5));
    // Binds the transfer socket to a relay session (RELAY_BIND until the relay answers).
    void bindRelay(const QHostAddress &address, quint16 port, const QByteArray &relayToken);

    // Downloader side: returns the transfer id used by the signals.
    TransferId startDownload(const DownloadRequest &request);
    void cancel(TransferId id);
    // Downloader side: probes one more candidate (a relay opened while the direct candidates
    // are still being probed) beside the others; the first to answer becomes the path.
    void addCandidate(TransferId id, const Candidate &candidate);

Q_SIGNALS:
    void progress(const Transfer::TransferStats &stats);
    void finished(Transfer::TransferId id, const Transfer::TransferResult &result);
    void failed(Transfer::TransferId id, Transfer::TransferError error, const QString &reason);
    void countersChanged(const Transfer::EndpointCounters &counters);
    void reflexiveAddressChanged(const QHostAddress &address, quint16 port);
    void relayBound(const QHostAddress &relay, quint16 port, int endpoints);

private:
    QThread *m_thread;
    Engine *m_engine;
    quint16 m_port = 0;
    TransferId m_nextId = 1;
};

} // namespace Transfer
