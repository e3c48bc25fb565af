#pragma once

#include <client/downloadplanner.h>
#include <client/filecontext.h>
#include <client/filesignalling.h>
#include <client/ratemeter.h>
#include <client/transferinfo.h>

#include <protocol/messages.h>
#include <transfer/endpoint.h>

#include <QHash>
#include <QList>
#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

namespace Client {

// FileSharing's downloader side: finds and the offers they bring, source planning, the get /
// accept / refuse exchange, fallback to the next source, retries while every source is busy,
// the relay when no direct path answers, existing-copy checks and the progress of downloads.
// See docs/FILES.md, "Downloads", and docs/NAT.md.
class DownloadManager : public QObject
{
    Q_OBJECT
public:
    explicit DownloadManager(FileContext &context, QObject *parent = nullptr);

    [[nodiscard]] QList<OfferInfo> offers() const { return m_offers.values(); }
    [[nodiscard]] QList<TransferInfo> transfers() const;
    [[nodiscard]] bool hasActiveTransfers() const;

    // FileSharing's slots of the same names.
    QString find(const QString &room, const QString &pattern, const QString &target);
    QString download(const QString &offerId);
    QString downloadBest(const QString &sha256);
    // "get WHAT" (the CLI's get, the desktop's /get): an offer id downloads from that offer's
    // peer; anything else takes the first offer (oldest first) whose name matches it as a
    // pattern, from any source. offerFor() is the offer downloadFor() would take.
    QString downloadFor(const QString &what);
    [[nodiscard]] std::optional<OfferInfo> offerFor(const QString &what) const;
    [[nodiscard]] QString existingCopyOfOffer(const QString &offerId) const;
    [[nodiscard]] QString existingCopyOf(const QString &sha256) const;
    // False when `id` is no running download (it may then be an upload).
    bool cancel(const QString &id);
    void pause(const QString &id);
    void resume(const QString &id);

    void handleOffer(const Protocol::Relayed &r, const FileSignal::Offer &m);
    void handleAccept(const Protocol::Relayed &r, const FileSignal::Accept &m);
    void handleRefuse(const Protocol::Relayed &r, const FileSignal::Refuse &m);
    void handleAnnounce(const Protocol::Relayed &r, const FileSignal::Announce &m);

    // The engine's reports for download ids (below kFirstUploadId).
    void onProgress(const Transfer::TransferStats &stats);
    void onFinished(Transfer::TransferId id, const Transfer::TransferResult &result);
    void onFailed(Transfer::TransferId id, Transfer::TransferError error, const QString &reason);
    // Our server's answers to udp-relay-open.
    void onRelayOpened(quint32 request, quint16 port, const QByteArray &token);
    void onRelayRefused(quint32 request, const QString &reason);
    // Request timeouts, retry rounds and the progress of running downloads.
    void tick();

Q_SIGNALS:
    void offerReceived(const Client::OfferInfo &offer);
    void transferUpdated(const Client::TransferInfo &transfer);
    void transferStarted(const Client::TransferInfo &transfer);
    void transferRefused(const Client::TransferInfo &transfer, const QString &peerNick,
                         const QString &reason);
    void shareAnnounced(const QString &room, const QString &fileName, qint64 size,
                        const QString &sha256, const QString &fromNick);
    // A download reached its end: FileSharing checks whether all transfers ended.
    void transferEnded();

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

    QString startDownload(const QString &sha256, const QString &name, qint64 size,
                          const QString &preferredOffer);
    void askNextSource(Download &d);
    void sourceFailed(Download &d, const QString &reason, bool refused);
    void startEngineDownload(Download &d, const FileSignal::Candidates &candidates,
                             std::chrono::milliseconds handshakeTimeout);
    void requestRelay(Download &d);
    // No direct answer within relayRaceDelay: a relay is opened and raced beside the probing.
    void raceRelay(Download &d);
    void announceStart(Download &d);
    void setState(Download &d, TransferInfo::State state, const QString &error = {});
    [[nodiscard]] Download *downloadByEngineId(Transfer::TransferId id);
    [[nodiscard]] qint64 now() const { return m_context.now(); }

    FileContext &m_context;
    QHash<QString, qint64> m_findSent; // request id -> send time (ms on the context's clock)
    QHash<QString, OfferInfo> m_offers; // by offer id
    QHash<QString, QString> m_offerFileIds; // offer id -> the peer's file id
    QHash<QString, QByteArray> m_offerKeys; // peer id -> the identity key its offers named
    QHash<QString, double> m_offerRtt; // offer id -> ms from find to offer
    QHash<QString, std::shared_ptr<Download>> m_downloads; // by transfer id
    int m_nextRequest = 1;
    int m_nextTransfer = 1;
    int m_nextOffer = 1;
};

} // namespace Client
