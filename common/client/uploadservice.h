#pragma once

#include <client/filecontext.h>
#include <client/filesignalling.h>
#include <client/ratemeter.h>
#include <client/transferinfo.h>

#include <protocol/messages.h>
#include <transfer/endpoint.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace Client {

// FileSharing's uploader side: answers find and get requests from the share index, hands out
// upload slots (or refuses), punches towards the requester, binds to the relay it offers, and
// names and follows the uploads the engine reports. See docs/FILES.md, "Serving rules".
class UploadService : public QObject
{
    Q_OBJECT
public:
    explicit UploadService(FileContext &context, QObject *parent = nullptr);

    [[nodiscard]] QList<TransferInfo> transfers() const;
    [[nodiscard]] bool hasActiveTransfers() const;
    [[nodiscard]] int freeUploadSlots() const;

    void handleFind(const Protocol::Relayed &r, const FileSignal::Find &m);
    void handleGet(const Protocol::Relayed &r, const FileSignal::Get &m);
    void handleRelayOffer(const Protocol::Relayed &r, const FileSignal::RelayOffer &m);
    void handlePause(const Protocol::Relayed &r, const FileSignal::Pause &m);
    // A get that could not be decoded (or came from an untrusted key) is still answered.
    void refuseUndecodedGet(const Protocol::Relayed &r, const QString &reason);

    // The engine's reports for upload ids (kFirstUploadId and above).
    void onProgress(const Transfer::TransferStats &stats);
    void onFinished(Transfer::TransferId id, const Transfer::TransferResult &result);
    void onFailed(Transfer::TransferId id, Transfer::TransferError error, const QString &reason);
    void tick(); // publishes the progress of running uploads
    void cancel(const QString &id);

Q_SIGNALS:
    void transferUpdated(const Client::TransferInfo &transfer);
    void transferStarted(const Client::TransferInfo &transfer);
    // An upload reached its end (or a pause): FileSharing checks whether all transfers ended.
    void transferEnded();

private:
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

    void refuse(const Protocol::Relayed &r, const QString &transferId, const QString &reason);
    [[nodiscard]] bool isRoomMember(const QString &room, const QString &clientId) const;
    // Names a new upload after the get it answers, and continues the row of the same
    // requester's paused upload of the same content.
    void bindUpload(Transfer::TransferId id, Upload &u, const QHostAddress &peer, quint16 port);
    Upload &upload(Transfer::TransferId id, const QString &peer, quint64 size,
                   Transfer::PathKind path, const QHostAddress &peerAddress = {},
                   quint16 peerPort = 0);

    FileContext &m_context;
    QHash<Transfer::TransferId, Upload> m_uploads;
    // Paused uploads whose row a resumed upload took over: the engine may still report their
    // end, which must not bring the row back.
    QSet<Transfer::TransferId> m_retiredUploads;
    QList<AcceptedGet> m_acceptedGets; // newest last, bounded
};

} // namespace Client
