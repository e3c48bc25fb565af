// FileSharing, downloader side: source choice, the get / accept / refuse exchange, fallback to
// the next source, resume and the progress published to the front ends.
#include "client/clientcore.h"
#include "client/filesharing.h"
#include "client/logging.h"

#include <share/safefilename.h>
#include <share/searchpattern.h>

#include <QDir>
#include <QFile>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

namespace {
constexpr Transfer::TransferId kFirstUploadId = Transfer::TransferId(1) << 48;
}

QString FileSharing::download(const QString &offerId)
{
    const auto it = m_offers.constFind(offerId);
    if (it == m_offers.constEnd())
        return {};
    const QString id = startDownload(it->sha256, it->fileName, it->size, offerId);
    return id;
}

QString FileSharing::downloadBest(const QString &sha256)
{
    for (const auto &o : std::as_const(m_offers)) {
        if (o.sha256 == sha256)
            return startDownload(o.sha256, o.fileName, o.size, {});
    }
    return {};
}

QString FileSharing::downloadMatching(const QString &pattern)
{
    const Share::SearchPattern search(pattern);
    QList<OfferInfo> offers = m_offers.values();
    std::sort(offers.begin(), offers.end(), [](const OfferInfo &a, const OfferInfo &b) {
        return a.offerId.mid(1).toInt() < b.offerId.mid(1).toInt();
    });
    for (const auto &o : offers) {
        const QString folded = o.fileName.toCaseFolded();
        if (search.matches(folded, folded))
            return startDownload(o.sha256, o.fileName, o.size, {});
    }
    return {};
}

QString FileSharing::startDownload(const QString &sha256, const QString &name, qint64 size,
                                   const QString &preferredOffer)
{
    ensureStarted();
    auto d = std::make_shared<Download>();
    d->info.id = u"t"_s + QString::number(m_nextTransfer++);
    d->info.direction = TransferInfo::Direction::Download;
    d->info.fileName = Share::sanitizeFileName(name);
    d->info.sha256 = sha256;
    d->info.size = size;
    d->info.started = QDateTime::currentDateTimeUtc();
    const QString dir
            = m_settings.downloadsDir.isEmpty() ? QDir::currentPath() : m_settings.downloadsDir;
    QDir().mkpath(dir);
    d->info.localPath = Share::uniqueTargetPath(dir, d->info.fileName);
    if (d->info.localPath.isEmpty()) {
        d->info.state = TransferInfo::State::Failed;
        d->info.error = u"no free file name in "_s + dir;
    }
    for (auto it = m_offers.cbegin(); it != m_offers.cend(); ++it) {
        if (it->sha256 == sha256 && it->size == size)
            d->planner.addSource({it->peerId, it->peerNick, it->room,
                                  m_offerFileIds.value(it.key()), it->freeSlots,
                                  m_offerRtt.value(it.key(), -1)});
    }
    if (const auto chosen = m_offers.constFind(preferredOffer); chosen != m_offers.constEnd())
        d->planner.prefer(chosen->peerId);
    m_downloads.insert(d->info.id, d);
    m_hadActive = true;
    if (d->info.isFinal())
        publish(d->info);
    else
        askNextSource(*d);
    return d->info.id;
}

void FileSharing::askNextSource(Download &d)
{
    if (d.info.isFinal() || d.info.state == TransferInfo::State::Paused)
        return;
    const auto source = d.planner.next();
    if (!source) {
        if (d.waitingSinceMs < 0)
            d.waitingSinceMs = now();
        const bool inWindow = now() - d.waitingSinceMs < m_settings.retryWindow.count();
        if (d.planner.newRound() && inWindow) {
            d.retryAtMs = now() + m_settings.retryInterval.count();
            return setState(d, TransferInfo::State::Queued,
                            u"no source has a free slot; retrying"_s);
        }
        QString why = d.planner.sourceCount() == 0 ? u"no source left"_s
                                                   : u"no source became free in time"_s;
        if (!d.lastFailure.isEmpty())
            why += u" (last: "_s + d.lastFailure + u")"_s;
        return setState(d, TransferInfo::State::Failed, why);
    }
    d.planner.markTried(source->peerId);
    d.current = *source;
    d.requestTag = d.info.id + u"-"_s + QString::number(++d.attempt);
    d.requestSentMs = now();
    d.retryAtMs = -1;
    d.info.peerId = source->peerId;
    d.info.peerNick = source->peerNick;
    const QString key = source->fileId.isEmpty() ? d.info.sha256 : source->fileId;
    m_core->relay(source->room, QLatin1StringView(FS::KindGet),
                  FS::encode(FS::Get {d.requestTag, key, localCandidates(),
                                      m_core->identity()->publicKey()}),
                  {source->peerId});
    setState(d, TransferInfo::State::Requesting);
}

void FileSharing::handleAccept(const Protocol::Relayed &r, const FS::Accept &m)
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.requestTag != m.transferId || d.info.state != TransferInfo::State::Requesting)
            continue;
        if (r.from.id != d.current.peerId || m.sha256 != d.info.sha256 || m.size != d.info.size)
            break; // not the peer we asked, or not the content: ignore it
        if (m_core->hasUntrustedKey(r.from))
            return sourceFailed(d,
                                u"the identity key of %1 changed since it was trusted ('trust %1' "
                                "if you know why)"_s.arg(r.from.nick),
                                false);
        // The uploader must sign the transfer with the key it offered with.
        const auto offered = m_offerKeys.constFind(r.from.id);
        if (!isSendersKey(r, m.publicKey)
            || (offered != m_offerKeys.cend() && *offered != m.publicKey))
            return sourceFailed(d, u"the uploader's identity key does not match its offer"_s,
                                false);
        d.accept = m;
        d.acceptRoom = r.room;
        d.relayTried = false;
        d.relayRequest = 0;
        d.startAnnounced = false;
        setState(d, TransferInfo::State::Connecting);
        if (m_settings.forceRelay)
            return requestRelay(d);
        // Every candidate at once (docs/NAT.md): the uploader's interface addresses, its
        // reflexive address, and the address its server saw with its port as a last guess.
        FS::Candidates candidates;
        const FS::Candidates own = localCandidates();
        for (const Transfer::Candidate &c : m.candidates) {
            // A peer's loopback or LAN address with our own port would be ourselves.
            const bool self = std::any_of(own.begin(), own.end(), [&](const auto &o) {
                return o.port == c.port && o.address.isEqual(c.address);
            });
            if (!self)
                candidates.append(c);
        }
        const QHostAddress seen(r.from.ip);
        const bool seenListed = std::any_of(candidates.begin(), candidates.end(),
                                            [&](const Transfer::Candidate &c) {
                                                return c.address.isEqual(seen) && c.port == m.port;
                                            });
        if (!seen.isNull() && !seenListed)
            candidates.append({seen, m.port, Transfer::CandidateKind::Reflexive});
        if (candidates.isEmpty())
            return sourceFailed(d, u"no usable address"_s, false);
        startEngineDownload(d, candidates, m_settings.punchTimeout);
        // The direct candidates' head start; then the relay races them (docs/NAT.md).
        QTimer::singleShot(m_settings.relayRaceDelay, this, [this, engineId = d.engineId] {
            Download *raced = downloadByEngineId(engineId);
            if (raced && raced->info.state == TransferInfo::State::Connecting && !raced->relayTried)
                raceRelay(*raced);
        });
        return;
    }
}

void FileSharing::startEngineDownload(Download &d, const FS::Candidates &candidates,
                                      std::chrono::milliseconds handshakeTimeout)
{
    Transfer::DownloadRequest req;
    req.peer = candidates.first().address;
    req.port = candidates.first().port;
    req.candidates = candidates;
    req.token = d.accept.token;
    req.uploaderKey = d.accept.publicKey;
    req.size = quint64(d.accept.size);
    req.sha256 = FS::sha256Raw(d.accept.sha256);
    req.destination = d.info.localPath;
    req.options.mode = m_settings.mode;
    req.options.idleTimeout = m_settings.peerIdleTimeout;
    req.options.handshakeTimeout = handshakeTimeout;
    d.engineId = m_endpoint->startDownload(req);
}

void FileSharing::announceStart(Download &d)
{
    if (d.startAnnounced)
        return;
    d.startAnnounced = true;
    Q_EMIT transferStarted(d.info);
}

void FileSharing::handleRefuse(const Protocol::Relayed &r, const FS::Refuse &m)
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.requestTag == m.transferId && r.from.id == d.current.peerId
            && d.info.state == TransferInfo::State::Requesting) {
            if (m.reason != u"busy"_s)
                d.planner.removeSource(d.current.peerId);
            return sourceFailed(d, m.reason, true);
        }
    }
}

void FileSharing::sourceFailed(Download &d, const QString &reason, bool refused)
{
    d.engineId = 0;
    d.requestTag.clear();
    if (refused) {
        setState(d, TransferInfo::State::Refused, reason);
        Q_EMIT transferRefused(d.info, d.current.peerNick, reason);
    } else {
        qCInfo(lcClient) << d.info.id << "source" << d.current.peerNick << "failed:" << reason;
        d.info.error = reason;
        d.lastFailure = reason;
    }
    askNextSource(d);
}

FileSharing::Download *FileSharing::downloadByEngineId(Transfer::TransferId id)
{
    for (auto &d : m_downloads) {
        if (d->engineId == id && id != 0)
            return d.get();
    }
    return nullptr;
}

FileSharing::Upload &FileSharing::upload(Transfer::TransferId id, const QString &peer, quint64 size,
                                         Transfer::PathKind path, const QHostAddress &peerAddress,
                                         quint16 peerPort)
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
        bindUpload(id, u, peerAddress, peerPort);
        m_uploads.insert(id, u);
        m_hadActive = true;
        publish(u.info);
        Q_EMIT transferStarted(u.info);
    }
    Upload &u = m_uploads[id];
    if (u.info.path.isEmpty())
        u.info.path = Transfer::pathKindName(path);
    return u;
}

void FileSharing::bindUpload(Transfer::TransferId id, Upload &u, const QHostAddress &peer,
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

void FileSharing::onProgress(const Transfer::TransferStats &s)
{
    TransferInfo *info = nullptr;
    RateMeter *meter = nullptr;
    if (m_retiredUploads.contains(s.id))
        return;
    if (s.id >= kFirstUploadId) {
        Upload &u = upload(s.id, s.peer, s.totalBytes, s.path, s.peerAddress, s.peerPort);
        info = &u.info;
        meter = &u.meter;
    } else if (Download *d = downloadByEngineId(s.id)) {
        info = &d->info;
        meter = &d->meter;
        if (!s.connected)
            return; // still probing candidates: no path yet
        d->info.path = Transfer::pathKindName(s.path);
        if (d->info.state == TransferInfo::State::Connecting) {
            if (s.path != Transfer::PathKind::Relayed) {
                // The direct path won the race: a relay session still opening is closed
                // when it opens, one already open now.
                d->relayRequest = 0;
                if (d->relayPort != 0)
                    m_core->closeUdpRelay(std::exchange(d->relayPort, quint16(0)));
            }
            announceStart(*d);
            setState(*d, TransferInfo::State::Transferring);
        }
    }
    if (!info || info->isFinal())
        return;
    if (const QString path = Transfer::pathKindName(s.path); !path.isEmpty())
        info->path = path;
    info->bytesDone = qint64(s.doneBytes);
    // From the byte counter on both sides (the engine's own recent figure may be absent).
    meter->add(now(), info->bytesDone);
    info->rateBytesPerSecond = s.recentGoodput > 0 ? s.recentGoodput : meter->rate(now());
    info->rttMs = double(s.rttUs) / 1000.0;
    info->congestionRate = double(s.pacingRate);
    // One definition on both sides (TransferStats::resentRatio), so the uploader's and the
    // downloader's Resent columns show the same figure for the same transfer.
    info->retransmitRatio = s.resentRatio();
    info->spuriousRatio = s.spuriousRatio();
}

void FileSharing::onFinished(Transfer::TransferId id, const Transfer::TransferResult &result)
{
    if (m_retiredUploads.remove(id))
        return;
    if (id >= kFirstUploadId) {
        Upload &u = upload(id, result.stats.peer, result.totalBytes, result.stats.path,
                           result.stats.peerAddress, result.stats.peerPort);
        u.info.state = TransferInfo::State::Done;
        u.info.bytesDone = qint64(result.totalBytes);
        u.info.finished = QDateTime::currentDateTimeUtc();
        // The final figures: a short transfer may end before its first progress report.
        u.info.retransmitRatio = result.stats.resentRatio();
        u.info.spuriousRatio = result.stats.spuriousRatio();
        u.info.rateBytesPerSecond = result.seconds > 0 ? double(result.bytes) / result.seconds : 0;
        publish(u.info);
        return checkAllEnded();
    }
    Download *d = downloadByEngineId(id);
    if (!d)
        return;
    d->engineId = 0;
    if (const QString path = Transfer::pathKindName(result.stats.path); !path.isEmpty())
        d->info.path = path;
    announceStart(*d); // a transfer short enough to end before its first progress report
    d->info.localPath = result.path;
    d->info.bytesDone = qint64(result.totalBytes);
    d->info.verified = result.sha256 == FS::sha256Raw(d->info.sha256);
    d->info.finished = QDateTime::currentDateTimeUtc();
    d->info.rateBytesPerSecond = result.seconds > 0 ? double(result.bytes) / result.seconds : 0;
    d->info.retransmitRatio = result.stats.resentRatio();
    d->info.spuriousRatio = result.stats.spuriousRatio();
    if (d->info.verified)
        setState(*d, TransferInfo::State::Done);
    else
        setState(*d, TransferInfo::State::Failed, u"SHA-256 mismatch"_s);
}

void FileSharing::onFailed(Transfer::TransferId id, Transfer::TransferError error,
                           const QString &reason)
{
    using E = Transfer::TransferError;
    if (m_retiredUploads.remove(id))
        return;
    if (id >= kFirstUploadId) {
        Upload &u = upload(id, {}, 0, Transfer::PathKind::Unknown);
        if (u.pausedByPeer) {
            u.info.rateBytesPerSecond = 0;
            return checkAllEnded(); // the peer paused: the row says so already
        }
        u.info.state = error == E::Cancelled ? TransferInfo::State::Cancelled
                                             : TransferInfo::State::Failed;
        u.info.error = reason;
        u.info.finished = QDateTime::currentDateTimeUtc();
        publish(u.info);
        return checkAllEnded();
    }
    Download *d = downloadByEngineId(id);
    if (!d)
        return; // cancelled or paused by us
    switch (error) {
    case E::Busy:
        return sourceFailed(*d, u"busy"_s, true);
    case E::Refused:
    case E::Content:
    case E::PeerIdentity: // not the peer that offered: never ask it again for this download
        d->planner.removeSource(d->current.peerId);
        return sourceFailed(*d, reason, true);
    case E::Unreachable:
        // No candidate pair answered in time: the relay on our server is the last resort,
        // or, when one raced in and is still opening, the path it opens.
        if (!d->relayTried)
            return requestRelay(*d);
        if (d->relayRequest != 0) {
            d->engineId = 0; // onRelayOpened starts the download through the relay
            return;
        }
        return sourceFailed(*d, reason, false);
    case E::PeerGone:
        // The .part and its journal stay: the next source continues from the bytes reached.
        d->planner.removeSource(d->current.peerId);
        return sourceFailed(*d, reason, false);
    default:
        d->engineId = 0;
        return setState(*d, TransferInfo::State::Failed, reason);
    }
}

void FileSharing::onTick()
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.info.state == TransferInfo::State::Requesting
            && now() - d.requestSentMs > m_settings.requestTimeout.count())
            sourceFailed(d, u"no answer"_s, true);
        else if (d.info.state == TransferInfo::State::Queued && d.retryAtMs >= 0
                 && now() >= d.retryAtMs)
            askNextSource(d);
        else if (d.info.state == TransferInfo::State::Transferring)
            Q_EMIT transferUpdated(d.info);
    }
    for (const auto &u : std::as_const(m_uploads)) {
        if (u.info.state == TransferInfo::State::Transferring)
            Q_EMIT transferUpdated(u.info);
    }
}

void FileSharing::cancelTransfer(const QString &id)
{
    if (auto d = m_downloads.value(id); d && !d->info.isFinal()) {
        if (d->engineId)
            m_endpoint->cancel(d->engineId);
        d->engineId = 0;
        const QString part = d->info.localPath + u".part"_s;
        QFile::remove(part);
        QFile::remove(part + u".journal"_s);
        return setState(*d, TransferInfo::State::Cancelled);
    }
    for (auto it = m_uploads.begin(); it != m_uploads.end(); ++it) {
        if (it->info.id == id && !it->info.isFinal())
            m_endpoint->cancel(it.key());
    }
}

void FileSharing::pauseTransfer(const QString &id)
{
    auto d = m_downloads.value(id);
    if (!d || d->info.isFinal() || d->info.state == TransferInfo::State::Paused)
        return;
    // The uploader is told first, so that the end it sees reads as a pause, not a failure.
    if (!d->requestTag.isEmpty() && !d->current.peerId.isEmpty())
        m_core->relay(d->current.room, QLatin1StringView(FS::KindPause),
                      FS::encode(FS::Pause {d->requestTag}), {d->current.peerId});
    if (d->engineId)
        m_endpoint->cancel(d->engineId); // keeps the .part and its journal
    d->engineId = 0;
    d->requestTag.clear();
    d->meter.clear();
    d->info.rateBytesPerSecond = 0;
    setState(*d, TransferInfo::State::Paused);
}

void FileSharing::resumeTransfer(const QString &id)
{
    auto d = m_downloads.value(id);
    if (!d || d->info.state != TransferInfo::State::Paused)
        return;
    d->info.state = TransferInfo::State::Queued;
    d->waitingSinceMs = -1;
    d->planner.newRound();
    askNextSource(*d);
}

void FileSharing::setState(Download &d, TransferInfo::State state, const QString &error)
{
    d.info.state = state;
    // A relay session lives as long as the transfer through it, not until its idle expiry.
    const bool usesPath = state == TransferInfo::State::Connecting
            || state == TransferInfo::State::Transferring
            || state == TransferInfo::State::Verifying;
    if (!usesPath && d.relayPort != 0) {
        m_core->closeUdpRelay(d.relayPort);
        d.relayPort = 0;
    }
    if (!error.isEmpty() || state == TransferInfo::State::Requesting)
        d.info.error = error;
    if (d.info.isFinal() && !d.info.finished.isValid())
        d.info.finished = QDateTime::currentDateTimeUtc();
    publish(d.info);
    if (d.info.isFinal())
        checkAllEnded();
}

void FileSharing::publish(const TransferInfo &info)
{
    Q_EMIT transferUpdated(info);
}

void FileSharing::checkAllEnded()
{
    if (m_hadActive && !hasActiveTransfers()) {
        m_hadActive = false;
        Q_EMIT allTransfersEnded();
    }
}

} // namespace Client
