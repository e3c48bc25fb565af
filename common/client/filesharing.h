#pragma once

#include <client/downloadmanager.h>
#include <client/filecontext.h>
#include <client/filesignalling.h>
#include <client/transferinfo.h>
#include <client/uploadservice.h>

#include <protocol/messages.h>
#include <transfer/endpoint.h>

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <optional>

namespace Client {

class ClientCore;

// Files through the room: the shared index, the UDP endpoint and the find / offer / get state
// machines. Signalling travels as relay payloads through the servers (see docs/FILES.md); the
// bytes move peer to peer over the endpoint. Composed into ClientCore (ClientCore::files()).
// A facade: it owns the shared state (FileContext), routes relay payloads and engine reports,
// and leaves downloads to DownloadManager and uploads to UploadService, so front ends see one
// API.
class FileSharing : public QObject
{
    Q_OBJECT
public:
    using Settings = FileSettings;
    using Counters = FileCounters;

    explicit FileSharing(ClientCore *core, QObject *parent = nullptr);
    ~FileSharing() override;

    // Takes effect at once for slots, rate cap and impairment; the hash-cache path and the
    // bind address only before the first share or transfer.
    void setSettings(const Settings &settings);
    [[nodiscard]] const Settings &settings() const { return m_context.settings; }
    // Binds the UDP endpoint now (otherwise done on first need). False with *error on failure.
    bool start(QString *error = nullptr);
    [[nodiscard]] quint16 udpPort() const;
    // Where peers may reach our endpoint: interface addresses with the UDP port, and the
    // reflexive address our server reported (once known).
    [[nodiscard]] FileSignal::Candidates localCandidates() const;
    [[nodiscard]] std::optional<Transfer::Candidate> reflexiveCandidate() const
    {
        return m_context.reflexive;
    }
    [[nodiscard]] Share::ShareIndex *index();
    [[nodiscard]] QList<OfferInfo> offers() const { return m_downloads.offers(); }
    // The offer downloadFor(what) would take, if any (DownloadManager::downloadFor).
    [[nodiscard]] std::optional<OfferInfo> offerFor(const QString &what) const
    {
        return m_downloads.offerFor(what);
    }
    [[nodiscard]] QList<TransferInfo> transfers() const;
    [[nodiscard]] bool hasActiveTransfers() const;
    [[nodiscard]] int freeUploadSlots() const;
    [[nodiscard]] Counters counters() const { return m_context.counters; }

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
    QString downloadFor(const QString &what);
    // A copy of the content an offer (or any offer of that SHA-256) names that is already
    // here: a verified download of it, or a file of that content in the download folder
    // (findExistingCopy). Empty when there is none or the offer is unknown. Front ends ask
    // before downloading it again.
    [[nodiscard]] QString existingCopyOfOffer(const QString &offerId) const;
    [[nodiscard]] QString existingCopyOf(const QString &sha256) const;
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
    void ensureStarted();
    void announcePending(); // announces pending shares whose file is now indexed
    void handleRelay(const Protocol::Relayed &r);
    void followServer(); // tells the endpoint which server to learn our reflexive address from
    // Engine reports go to the side that owns the id (uploads are numbered from kFirstUploadId).
    void onProgress(const Transfer::TransferStats &stats);
    void onFinished(Transfer::TransferId id, const Transfer::TransferResult &result);
    void onFailed(Transfer::TransferId id, Transfer::TransferError error, const QString &reason);
    void onTick();
    void checkAllEnded();

    FileContext m_context;
    // After the context: they keep a reference to it and are destroyed first.
    DownloadManager m_downloads;
    UploadService m_uploads;
    QTimer m_tick;
    QHash<QString, QString> m_pendingAnnounces; // canonical file path -> room
};

} // namespace Client
