#include <client/uploadservice.h>

#include <client/clientcore.h>
#include <client/clientlogging.h>

#include <share/shareindex.h>

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

namespace {
constexpr qsizetype kMaxOffersPerFind = 50;
}

UploadService::UploadService(FileContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

QList<TransferInfo> UploadService::transfers() const
{
    QList<TransferInfo> out;
    for (const auto &u : m_uploads)
        out.append(u.info);
    return out;
}

bool UploadService::hasActiveTransfers() const
{
    for (const auto &u : m_uploads) {
        if (!u.info.isFinal() && u.info.state != TransferInfo::State::Paused)
            return true;
    }
    return false;
}

int UploadService::freeUploadSlots() const
{
    int active = 0;
    for (const auto &u : m_uploads)
        active += u.info.isFinal() || u.info.state == TransferInfo::State::Paused ? 0 : 1;
    return std::max(0, m_context.settings.maxUploads - active);
}

bool UploadService::isRoomMember(const QString &room, const QString &clientId) const
{
    if (!m_context.core->rooms().contains(room))
        return false;
    for (const auto &m : m_context.core->members(room)) {
        if (m.id == clientId)
            return true;
    }
    return false;
}

void UploadService::refuseUndecodedGet(const Protocol::Relayed &r, const QString &reason)
{
    // A get that is not acted on is still answered when it names a usable transfer id, so
    // the requester is told why instead of waiting for its timeout.
    const QString xfer = r.body.value(u"xfer"_s).toString();
    if (!xfer.isEmpty() && xfer.size() <= FS::MaxIdLength)
        refuse(r, xfer, reason);
}

void UploadService::handleFind(const Protocol::Relayed &r, const FS::Find &m)
{
    if (!m_context.index)
        return; // nothing shared: stay silent
    const auto found = m_context.index->search(m.pattern, kMaxOffersPerFind);
    const int free = freeUploadSlots();
    for (const auto &f : found) {
        m_context.core->relay(
                r.room, QLatin1StringView(FS::KindOffer),
                FS::encode(FS::Offer {m.requestId, f.id, f.name, f.size, f.sha256Hex(), free,
                                      m_context.core->identity()->publicKey()}),
                {r.from.id});
    }
}

void UploadService::refuse(const Protocol::Relayed &r, const QString &transferId,
                           const QString &reason)
{
    ++m_context.counters.refusedRequests;
    qCInfo(lcClient) << "refused" << transferId << "from" << r.from.id << reason;
    m_context.core->relay(r.room, QLatin1StringView(FS::KindRefuse),
                          FS::encode(FS::Refuse {transferId, reason}), {r.from.id});
}

void UploadService::handleGet(const Protocol::Relayed &r, const FS::Get &m)
{
    // The server only relays between members; checking again costs nothing and keeps a token
    // out of reach of anyone who does not share this room with us.
    if (!isRoomMember(r.room, r.from.id))
        return refuse(r, m.transferId, u"room"_s);
    if (!m_context.index || !m_context.endpoint)
        return refuse(r, m.transferId, u"gone"_s);
    const auto res = m_context.index->resolveForUpload(m.key);
    if (res.status == Share::UploadResolution::Status::InvalidKey)
        return refuse(r, m.transferId, u"invalid"_s);
    if (!res.ok())
        return refuse(r, m.transferId, u"gone"_s);
    if (freeUploadSlots() <= 0)
        return refuse(r, m.transferId, u"busy"_s);
    // The token is bound to the requester's identity: nobody else can complete the handshake.
    if (!isSendersKey(r, m.publicKey))
        return refuse(r, m.transferId, u"invalid"_s);
    const QByteArray digest(reinterpret_cast<const char *>(res.file.sha256.data()),
                            qsizetype(res.file.sha256.size()));
    const QByteArray token = m_context.endpoint->issueUploadToken(
            Transfer::FileOffer {res.path, quint64(res.file.size), digest, m.publicKey},
            std::chrono::minutes(2));
    ++m_context.counters.acceptedRequests;
    m_context.core->relay(
            r.room, QLatin1StringView(FS::KindAccept),
            FS::encode(FS::Accept {m.transferId, token, m_context.endpoint->localPort(),
                                   m_context.localCandidates(), res.file.size, res.file.sha256Hex(),
                                   m_context.core->identity()->publicKey()}),
            {r.from.id});
    // Open our NAT towards every address the downloader may send its HELLO from, while it
    // probes ours (docs/NAT.md).
    m_context.endpoint->punch(token, m.candidates, m_context.settings.punchDuration);
    constexpr qsizetype kMaxAcceptedGets = 256;
    if (m_acceptedGets.size() >= kMaxAcceptedGets)
        m_acceptedGets.removeFirst();
    m_acceptedGets.append({m.transferId, r.from.id, r.from.nick, QFileInfo(res.path).fileName(),
                           res.path, res.file.sha256Hex(), res.file.size, m.candidates, 0});
}

void UploadService::handlePause(const Protocol::Relayed &r, const FS::Pause &m)
{
    for (const AcceptedGet &g : std::as_const(m_acceptedGets)) {
        if (g.transferId != m.transferId || g.peerId != r.from.id)
            continue;
        const auto it = m_uploads.find(g.uploadId);
        if (g.uploadId == 0 || it == m_uploads.end())
            return; // not started: the token expires unused
        it->pausedByPeer = true;
        if (it->info.state == TransferInfo::State::Done)
            return;
        // The engine may already have reported the end as a failure; it was this pause.
        it->info.state = TransferInfo::State::Paused;
        it->info.error.clear();
        it->info.rateBytesPerSecond = 0;
        it->info.finished = {};
        it->meter.clear();
        Q_EMIT transferUpdated(it->info);
        Q_EMIT transferEnded();
        return;
    }
}

void UploadService::handleRelayOffer(const Protocol::Relayed &r, const FS::RelayOffer &m)
{
    // Only the requester of a get we accepted may point us at a relay.
    for (const AcceptedGet &g : std::as_const(m_acceptedGets)) {
        if (g.transferId == m.transferId && g.peerId == r.from.id && m_context.endpoint) {
            qCInfo(lcClient).noquote() << "binding relay" << m.ip << m.port << "for" << r.from.id;
            m_context.endpoint->bindRelay(QHostAddress(m.ip), m.port, m.token);
            return;
        }
    }
    ++m_context.counters.malformed;
}

void UploadService::bindUpload(Transfer::TransferId id, Upload &u, const QHostAddress &peer,
                               quint16 port)
{
    // The engine names the peer by address only. The get it answers is the newest unbound one
    // whose requester listed that address (or that port: loopback and LAN addresses differ),
    // else the newest of that size (a relayed path shows the relay's address).
    const auto matches = [&](const AcceptedGet &g, int how) {
        if (g.uploadId != 0)
            return false;
        if (how == 2)
            return g.size == u.info.size;
        return std::any_of(g.candidates.cbegin(), g.candidates.cend(),
                           [&](const Transfer::Candidate &c) {
                               return c.port == port && (how == 1 || c.address.isEqual(peer));
                           });
    };
    AcceptedGet *get = nullptr;
    for (int how = 0; how < 3 && !get; ++how) {
        for (qsizetype i = m_acceptedGets.size() - 1; i >= 0 && !get; --i) {
            if (matches(m_acceptedGets.at(i), how))
                get = &m_acceptedGets[i];
        }
    }
    if (!get)
        return;
    get->uploadId = id;
    u.info.peerId = get->peerId;
    u.info.peerNick = get->peerNick;
    u.info.fileName = get->fileName;
    u.info.localPath = get->localPath;
    u.info.sha256 = get->sha256;
    // The same requester continuing the same content after a pause: the same row.
    for (auto it = m_uploads.begin(); it != m_uploads.end(); ++it) {
        if (it->pausedByPeer && it->info.state == TransferInfo::State::Paused
            && it->info.peerId == get->peerId && it->info.sha256 == get->sha256) {
            u.info.id = it->info.id;
            u.info.started = it->info.started;
            m_retiredUploads.insert(it.key());
            m_uploads.erase(it);
            return;
        }
    }
}

UploadService::Upload &UploadService::upload(Transfer::TransferId id, const QString &peer,
                                             quint64 size, Transfer::PathKind path,
                                             const QHostAddress &peerAddress, quint16 peerPort)
{
    if (!m_uploads.contains(id)) {
        // Built aside and inserted once: bindUpload() may take another entry's row away.
        Upload u;
        u.info.id = u"u"_s + QString::number(id - kFirstUploadId + 1);
        u.info.direction = TransferInfo::Direction::Upload;
        u.info.peerNick = peer;
        u.info.size = qint64(size);
        u.info.started = QDateTime::currentDateTimeUtc();
        u.info.state = TransferInfo::State::Transferring;
        u.info.path = Transfer::pathKindName(path); // the first row already says how
        bindUpload(id, u, peerAddress, peerPort);
        m_uploads.insert(id, u);
        m_context.hadActive = true;
        Q_EMIT transferUpdated(u.info);
        Q_EMIT transferStarted(u.info);
    }
    Upload &u = m_uploads[id];
    if (u.info.path.isEmpty())
        u.info.path = Transfer::pathKindName(path);
    return u;
}

void UploadService::onProgress(const Transfer::TransferStats &s)
{
    if (m_retiredUploads.contains(s.id))
        return;
    Upload &u = upload(s.id, s.peer, s.totalBytes, s.path, s.peerAddress, s.peerPort);
    if (!u.info.isFinal())
        takeProgress(u.info, u.meter, s, m_context);
}

void UploadService::onFinished(Transfer::TransferId id, const Transfer::TransferResult &result)
{
    if (m_retiredUploads.remove(id))
        return;
    Upload &u = upload(id, result.stats.peer, result.totalBytes, result.stats.path,
                       result.stats.peerAddress, result.stats.peerPort);
    u.info.state = TransferInfo::State::Done;
    u.info.bytesDone = qint64(result.totalBytes);
    u.info.finished = QDateTime::currentDateTimeUtc();
    // The final figures: a short transfer may end before its first progress report.
    u.info.retransmitRatio = result.stats.resentRatio();
    u.info.spuriousRatio = result.stats.spuriousRatio();
    u.info.rateBytesPerSecond = result.seconds > 0 ? double(result.bytes) / result.seconds : 0;
    Q_EMIT transferUpdated(u.info);
    Q_EMIT transferEnded();
}

void UploadService::onFailed(Transfer::TransferId id, Transfer::TransferError error,
                             const QString &reason)
{
    if (m_retiredUploads.remove(id))
        return;
    Upload &u = upload(id, {}, 0, Transfer::PathKind::Unknown);
    if (u.pausedByPeer) {
        u.info.rateBytesPerSecond = 0;
        Q_EMIT transferEnded(); // the peer paused: the row says so already
        return;
    }
    u.info.state = error == Transfer::TransferError::Cancelled ? TransferInfo::State::Cancelled
                                                               : TransferInfo::State::Failed;
    u.info.error = reason;
    u.info.finished = QDateTime::currentDateTimeUtc();
    Q_EMIT transferUpdated(u.info);
    Q_EMIT transferEnded();
}

void UploadService::tick()
{
    for (const auto &u : std::as_const(m_uploads)) {
        if (u.info.state == TransferInfo::State::Transferring)
            Q_EMIT transferUpdated(u.info);
    }
}

void UploadService::cancel(const QString &id)
{
    for (auto it = m_uploads.begin(); it != m_uploads.end(); ++it) {
        if (it->info.id == id && !it->info.isFinal())
            m_context.endpoint->cancel(it.key());
    }
}

} // namespace Client
