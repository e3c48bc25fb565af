#pragma once

#include "client/downloadplanner.h"
#include "client/filesignalling.h"
#include "client/ratemeter.h"
#include "client/transferinfo.h"

#include <protocol/messages.h>
#include <transfer/endpoint.h>
#include <transfer/impairment.h>

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <memory>

namespace Share {
class ShareIndex;
}

namespace Client {

class ClientCore;

// Files through the room: the shared index, the UDP endpoint and the find / offer / get state
// machines. Signalling travels as relay payloads through the servers (see docs/FILES.md); the
// bytes move peer to peer over the endpoint. Composed into ClientCore (ClientCore::files()).
class FileSharing : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString downloadsDir; // empty = the current directory
        int maxUploads = 3;
        quint64 uploadRateCap = 0; // bytes/s, 0 = none
        Transfer::ArqMode mode = Transfer::ArqMode::SelectiveRepeat;
        Transfer::ImpairmentSpec impairment;
        QString hashCachePath; // empty = QStandardPaths::CacheLocation; "-" = memory only
        QHostAddress bindAddress = QHostAddress::Any;
        std::chrono::milliseconds offerWindow {5000}; // offers after it are marked late
        std::chrono::milliseconds requestTimeout {10000}; // no accept/refuse: next source
        std::chrono::milliseconds retryWindow {60000}; // no source free: retry this long
        std::chrono::milliseconds retryInterval {2000};
        std::chrono::milliseconds peerIdleTimeout {10000}; // uploader silent: next source
        // NAT traversal (docs/NAT.md): how long every candidate pair is probed before the
        // download falls back to a relay on our server; forceRelay skips the direct probing.
        std::chrono::milliseconds punchTimeout {3000};
        // The direct candidates' head start: a download with no answer by then asks our
        // server for a relay and probes it beside them (Happy Eyeballs' 250 ms); the first
        // path to answer is used, so nobody waits for punchTimeout.
        std::chrono::milliseconds relayRaceDelay {250};
        std::chrono::milliseconds punchDuration {5000}; // uploader's punching after accept
        bool forceRelay = false;
    };

    struct Counters
    {
        quint64 malformed = 0; // relay bodies dropped by validation
        quint64 refusedRequests = 0; // get requests we refused
        quint64 acceptedRequests = 0;
        quint64 untrustedKey = 0; // file messages dropped: the sender's key changed, not trusted
    };

    explicit FileSharing(ClientCore *core, QObject *parent = nullptr);
    ~FileSharing() override;

    // Takes effect at once for slots, rate cap and impairment; the hash-cache path and the
    // bind address only before the first share or transfer.
    void setSettings(const Settings &settings);
    [[nodiscard]] const Settings &settings() const { return m_settings; }
    // Binds the UDP endpoint now (otherwise done on first need). False with *error on failure.
    bool start(QString *error = nullptr);
    [[nodiscard]] quint16 udpPort() const;
    // Where peers may reach our endpoint: interface addresses with the UDP port, and the
    // reflexive address our server reported (once known).
    [[nodiscard]] FileSignal::Candidates localCandidates() const;
    [[nodiscard]] std::optional<Transfer::Candidate> reflexiveCandidate() const
    {
        return m_reflexive;
    }
    [[nodiscard]] Share::ShareIndex *index();
    [[nodiscard]] QList<OfferInfo> offers() const { return m_offers.values(); }
    [[nodiscard]] QList<TransferInfo> transfers() const;
    [[nodiscard]] bool hasActiveTransfers() const;
    [[nodiscard]] int freeUploadSlots() const;
    [[nodiscard]] Counters counters() const { return m_counters; }

public Q_SLOTS:
    bool share(const QString &path);
    // Shares `path` and, once it is indexed, announces it to the room.
    bool shareAndAnnounce(const QString &room, const QString &path);
    // target: a nick, an address or a client id ('@' optional); empty = everyone. Returns the
    // request id.
    QString find(const QString &room, const QString &pattern, const QString &target = {});
    // Returns the transfer id, empty if the offer is unknown.
    QString download(const QString &offerId);
    // Every known source of that content, best first.
    QString downloadBest(const QString &sha256);
    // The content whose offered name matches `pattern` (first offered wins).
    QString downloadMatching(const QString &pattern);
    void cancelTransfer(const QString &id);
    void pauseTransfer(const QString &id);
    void resumeTransfer(const QString &id);

Q_SIGNALS:
    void offerReceived(const Client::OfferInfo &offer);
    void transferUpdated(const Client::TransferInfo &transfer);
    // A source is being asked / has accepted: the download now comes from `transfer.peerNick`.
    void transferStarted(const Client::TransferInfo &transfer);
    void transferRefused(const Client::TransferInfo &transfer, const QString &peerNick,
                         const QString &reason);
    void shareAnnounced(const QString &room, const QString &fileName, qint64 size,
                        const QString &sha256, const QString &fromNick);
    void allTransfersEnded();
    // Shared files being hashed (the index's progress, for the sharer to watch).
    void hashingProgress(int filesDone, int filesTotal, qint64 bytesDone, qint64 bytesTotal);
    // A file given to shareAndAnnounce() is indexed and the room was told of it.
    void sharedToRoom(const QString &room, const QString &fileName, qint64 size);
    // Our server told us where our transfer socket appears from outside (docs/NAT.md).
    void reflexiveAddressChanged(const QHostAddress &address, quint16 port);

private:
    struct Download
    {
        TransferInfo info;
        DownloadPlanner planner;
        DownloadSource current;
        QString requestTag; // the id of the get now outstanding; older answers are stale
        int attempt = 0;
        Transfer::TransferId engineId = 0;
        FileSignal::Accept accept;
        QString acceptRoom;
        bool relayTried = false; // a relay was asked for (raced or as the last resort)
        quint32 relayRequest = 0; // outstanding udp-relay-open, 0 = none
        quint16 relayPort = 0; // our server's relay session for this download, 0 = none
        bool startAnnounced = false; // transferStarted emitted for the current source
        QString lastFailure; // why the last source failed (not a refusal)
        qint64 requestSentMs = 0;
        qint64 waitingSinceMs = -1; // first moment no source was free; -1 = not waiting
        qint64 retryAtMs = -1;
        RateMeter meter;
    };
    struct Upload
    {
        TransferInfo info;
        RateMeter meter;
        bool pausedByPeer = false; // its end is a pause (FileSignal::Pause), not a failure
    };
    // A get we accepted: a relay-offer or pause for it must come from the same requester. It
    // also names the upload it starts (the engine knows only an address): the file and the
    // requester's nick for the transfers table.
    struct AcceptedGet
    {
        QString transferId;
        QString peerId;
        QString peerNick;
        QString fileName;
        QString localPath;
        QString sha256;
        qint64 size = 0;
        FileSignal::Candidates candidates; // the requester's
        Transfer::TransferId uploadId = 0; // 0 = not started yet
    };

    void ensureStarted();
    void announcePending(); // announces pending shares whose file is now indexed
    void handleRelay(const Protocol::Relayed &r);
    void handleFind(const Protocol::Relayed &r, const FileSignal::Find &m);
    [[nodiscard]] static bool isSendersKey(const Protocol::Relayed &r, const QByteArray &key);
    void handleOffer(const Protocol::Relayed &r, const FileSignal::Offer &m);
    void handleGet(const Protocol::Relayed &r, const FileSignal::Get &m);
    void handleAccept(const Protocol::Relayed &r, const FileSignal::Accept &m);
    void handleRefuse(const Protocol::Relayed &r, const FileSignal::Refuse &m);
    void handleAnnounce(const Protocol::Relayed &r, const FileSignal::Announce &m);
    void handleRelayOffer(const Protocol::Relayed &r, const FileSignal::RelayOffer &m);
    void handlePause(const Protocol::Relayed &r, const FileSignal::Pause &m);
    // Names a new upload after the get it answers, and continues the row of the same
    // requester's paused upload of the same content.
    void bindUpload(Transfer::TransferId id, Upload &u, const QHostAddress &peer, quint16 port);
    void followServer(); // tells the endpoint which server to learn our reflexive address from
    void startEngineDownload(Download &d, const FileSignal::Candidates &candidates,
                             std::chrono::milliseconds handshakeTimeout);
    void requestRelay(Download &d);
    // No direct answer within relayRaceDelay: a relay is opened and raced beside the probing.
    void raceRelay(Download &d);
    void onRelayOpened(quint32 request, quint16 port, const QByteArray &token);
    void onRelayRefused(quint32 request, const QString &reason);
    void announceStart(Download &d);
    void refuse(const Protocol::Relayed &r, const QString &transferId, const QString &reason);
    [[nodiscard]] bool isRoomMember(const QString &room, const QString &clientId) const;
    void refuseUndecodedGet(const Protocol::Relayed &r, const QString &reason);

    QString startDownload(const QString &sha256, const QString &name, qint64 size,
                          const QString &preferredOffer);
    void askNextSource(Download &d);
    void sourceFailed(Download &d, const QString &reason, bool refused);
    void onProgress(const Transfer::TransferStats &stats);
    void onFinished(Transfer::TransferId id, const Transfer::TransferResult &result);
    void onFailed(Transfer::TransferId id, Transfer::TransferError error, const QString &reason);
    void onTick();
    void setState(Download &d, TransferInfo::State state, const QString &error = {});
    void publish(const TransferInfo &info);
    void checkAllEnded();
    Upload &upload(Transfer::TransferId id, const QString &peer, quint64 size,
                   Transfer::PathKind path, const QHostAddress &peerAddress = {},
                   quint16 peerPort = 0);
    [[nodiscard]] Download *downloadByEngineId(Transfer::TransferId id);
    [[nodiscard]] qint64 now() const { return m_clock.elapsed(); }

    ClientCore *m_core;
    Settings m_settings;
    Counters m_counters;
    std::unique_ptr<Share::ShareIndex> m_index;
    std::unique_ptr<Transfer::Endpoint> m_endpoint;
    QElapsedTimer m_clock;
    QTimer m_tick;
    QHash<QString, qint64> m_findSent; // request id -> send time (ms on m_clock)
    QHash<QString, OfferInfo> m_offers; // by offer id
    QHash<QString, QString> m_offerFileIds; // offer id -> the peer's file id
    QHash<QString, QByteArray> m_offerKeys; // peer id -> the identity key its offers named
    QHash<QString, double> m_offerRtt; // offer id -> ms from find to offer
    QHash<QString, std::shared_ptr<Download>> m_downloads; // by transfer id
    QHash<Transfer::TransferId, Upload> m_uploads;
    // Paused uploads whose row a resumed upload took over: the engine may still report their
    // end, which must not bring the row back.
    QSet<Transfer::TransferId> m_retiredUploads;
    QHash<QString, QString> m_pendingAnnounces; // canonical file path -> room
    QList<AcceptedGet> m_acceptedGets; // newest last, bounded
    std::optional<Transfer::Candidate> m_reflexive;
    int m_nextRequest = 1;
    int m_nextTransfer = 1;
    int m_nextOffer = 1;
    bool m_hadActive = false;
};

} // namespace Client
