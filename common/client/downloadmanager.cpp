// DownloadManager: finds and offers, source choice, the get / refuse exchange, fallback to the
// next source, retries, pause / resume / cancel and the progress published to the front ends.
// How a download reaches its source (the accept, direct candidates, the relay) is in
// downloadmanagerpath.cpp.
#include <client/downloadmanager.h>

#include <client/clientcore.h>
#include <client/clientlogging.h>
#include <client/existingcopy.h>

#include <share/safefilename.h>
#include <share/searchpattern.h>

#include <QDir>
#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

namespace {
QString bareTarget(const QString &target)
{
    return target.startsWith(u'@') ? target.mid(1) : target;
}
} // namespace

DownloadManager::DownloadManager(FileContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{ }

QList<TransferInfo> DownloadManager::transfers() const
{
    QList<TransferInfo> out;
    for (const auto &d : m_downloads)
        out.append(d->info);
    return out;
}

bool DownloadManager::hasActiveTransfers() const
{
    for (const auto &d : m_downloads) {
        if (!d->info.isFinal() && d->info.state != TransferInfo::State::Paused)
            return true;
    }
    return false;
}

QString DownloadManager::find(const QString &room, const QString &pattern, const QString &target)
{
    const QString req = u"r"_s + QString::number(m_nextRequest++);
    m_findSent.insert(req, now());
    QStringList targets;
    if (!target.isEmpty() && target != u"@all"_s)
        targets.append(bareTarget(target));
    m_context.core->relay(room, QLatin1StringView(FS::KindFind),
                          FS::encode(FS::Find {req, pattern}), targets);
    return req;
}

void DownloadManager::handleOffer(const Protocol::Relayed &r, const FS::Offer &m)
{
    if (!isSendersKey(r, m.publicKey)) {
        ++m_context.counters.malformed;
        qCInfo(lcClient) << "dropped an offer from" << r.from.id
                         << "naming another identity than the member's";
        return;
    }
    const auto sent = m_findSent.constFind(m.requestId);
    if (sent == m_findSent.constEnd()) {
        ++m_context.counters.malformed; // an offer for nothing we asked
        return;
    }
    const qint64 elapsed = now() - *sent;
    OfferInfo o;
    o.offerId = u"o"_s + QString::number(m_nextOffer++);
    o.requestId = m.requestId;
    o.room = r.room;
    o.fileName = Share::sanitizeFileName(m.name);
    o.size = m.size;
    o.sha256 = m.sha256;
    o.peerId = r.from.id;
    o.peerNick = r.from.nick;
    o.freeSlots = m.freeSlots;
    o.late = elapsed > m_context.settings.offerWindow.count();
    m_offers.insert(o.offerId, o);
    m_offerFileIds.insert(o.offerId, m.fileId);
    m_offerRtt.insert(o.offerId, double(elapsed));
    if (!m.publicKey.isEmpty())
        m_offerKeys.insert(o.peerId, m.publicKey);
    // A download of this content still looking for sources gains one.
    for (auto &d : m_downloads) {
        if (!d->info.isFinal() && d->info.sha256 == o.sha256 && d->info.size == o.size)
            d->planner.addSource(
                    {o.peerId, o.peerNick, o.room, m.fileId, o.freeSlots, double(elapsed)});
    }
    Q_EMIT offerReceived(o);
}

void DownloadManager::handleAnnounce(const Protocol::Relayed &r, const FS::Announce &m)
{
    // An announcement is an unsolicited offer: remember it so downloadBest() finds a source.
    OfferInfo o;
    o.offerId = u"o"_s + QString::number(m_nextOffer++);
    o.room = r.room;
    o.fileName = Share::sanitizeFileName(m.name);
    o.size = m.size;
    o.sha256 = m.sha256;
    o.peerId = r.from.id;
    o.peerNick = r.from.nick;
    o.freeSlots = 1;
    m_offers.insert(o.offerId, o);
    m_offerFileIds.insert(o.offerId, m.fileId);
    Q_EMIT shareAnnounced(r.room, o.fileName, o.size, o.sha256, r.from.nick);
}

QString DownloadManager::download(const QString &offerId)
{
    const auto it = m_offers.constFind(offerId);
    if (it == m_offers.constEnd())
        return {};
    const QString id = startDownload(it->sha256, it->fileName, it->size, offerId);
    return id;
}

QString DownloadManager::downloadBest(const QString &sha256)
{
    for (const auto &o : std::as_const(m_offers)) {
        if (o.sha256 == sha256)
            return startDownload(o.sha256, o.fileName, o.size, {});
    }
    return {};
}

QString DownloadManager::downloadFor(const QString &what)
{
    if (m_offers.contains(what))
        return download(what);
    const std::optional<OfferInfo> o = offerFor(what);
    return o ? startDownload(o->sha256, o->fileName, o->size, {}) : QString();
}

std::optional<OfferInfo> DownloadManager::offerFor(const QString &what) const
{
    if (const auto it = m_offers.constFind(what); it != m_offers.constEnd())
        return *it;
    const Share::SearchPattern search(what);
    QList<OfferInfo> offers = m_offers.values();
    std::sort(offers.begin(), offers.end(), [](const OfferInfo &a, const OfferInfo &b) {
        return a.offerId.mid(1).toInt() < b.offerId.mid(1).toInt();
    });
    for (const auto &o : std::as_const(offers)) {
        const QString folded = o.fileName.toCaseFolded();
        if (search.matches(folded, folded))
            return o;
    }
    return std::nullopt;
}

QString DownloadManager::existingCopyOfOffer(const QString &offerId) const
{
    const auto it = m_offers.constFind(offerId);
    return it == m_offers.constEnd() ? QString() : existingCopyOf(it->sha256);
}

QString DownloadManager::existingCopyOf(const QString &sha256) const
{
    const auto offer = std::find_if(m_offers.cbegin(), m_offers.cend(),
                                    [&](const OfferInfo &o) { return o.sha256 == sha256; });
    if (offer == m_offers.cend())
        return {};
    QStringList finished;
    for (const auto &d : m_downloads) {
        if (d->info.state == TransferInfo::State::Done && d->info.verified
            && d->info.sha256 == sha256)
            finished << d->info.localPath;
    }
    return findExistingCopy(sha256, offer->size, finished,
                            m_context.settings.downloadsDir.isEmpty()
                                    ? QDir::currentPath()
                                    : m_context.settings.downloadsDir);
}

QString DownloadManager::startDownload(const QString &sha256, const QString &name, qint64 size,
                                       const QString &preferredOffer)
{
    m_context.ensureStarted();
    auto d = std::make_shared<Download>();
    d->info.id = u"t"_s + QString::number(m_nextTransfer++);
    d->info.direction = TransferInfo::Direction::Download;
    d->info.fileName = Share::sanitizeFileName(name);
    d->info.sha256 = sha256;
    d->info.size = size;
    d->info.started = QDateTime::currentDateTimeUtc();
    const QString dir = m_context.settings.downloadsDir.isEmpty() ? QDir::currentPath()
                                                                  : m_context.settings.downloadsDir;
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
    m_context.hadActive = true;
    if (d->info.isFinal())
        Q_EMIT transferUpdated(d->info);
    else
        askNextSource(*d);
    return d->info.id;
}

void DownloadManager::askNextSource(Download &d)
{
    if (d.info.isFinal() || d.info.state == TransferInfo::State::Paused)
        return;
    const auto source = d.planner.next();
    if (!source) {
        if (d.waitingSinceMs < 0)
            d.waitingSinceMs = now();
        const bool inWindow = now() - d.waitingSinceMs < m_context.settings.retryWindow.count();
        if (d.planner.newRound() && inWindow) {
            d.retryAtMs = now() + m_context.settings.retryInterval.count();
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
    m_context.core->relay(source->room, QLatin1StringView(FS::KindGet),
                          FS::encode(FS::Get {d.requestTag, key, m_context.localCandidates(),
                                              m_context.core->identity()->publicKey()}),
                          {source->peerId});
    setState(d, TransferInfo::State::Requesting);
}

void DownloadManager::handleRefuse(const Protocol::Relayed &r, const FS::Refuse &m)
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

void DownloadManager::sourceFailed(Download &d, const QString &reason, bool refused)
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

DownloadManager::Download *DownloadManager::downloadByEngineId(Transfer::TransferId id)
{
    for (auto &d : m_downloads) {
        if (d->engineId == id && id != 0)
            return d.get();
    }
    return nullptr;
}

void DownloadManager::onProgress(const Transfer::TransferStats &s)
{
    Download *d = downloadByEngineId(s.id);
    if (!d)
        return;
    if (!s.connected)
        return; // still probing candidates: no path yet
    d->info.path = Transfer::pathKindName(s.path);
    if (d->info.state == TransferInfo::State::Connecting) {
        if (s.path != Transfer::PathKind::Relayed) {
            // The direct path won the race: a relay session still opening is closed
            // when it opens, one already open now.
            d->relayRequest = 0;
            if (d->relayPort != 0)
                m_context.core->closeUdpRelay(std::exchange(d->relayPort, quint16(0)));
        }
        announceStart(*d);
        setState(*d, TransferInfo::State::Transferring);
    }
    if (!d->info.isFinal())
        takeProgress(d->info, d->meter, s, m_context);
}

void DownloadManager::onFinished(Transfer::TransferId id, const Transfer::TransferResult &result)
{
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

void DownloadManager::onFailed(Transfer::TransferId id, Transfer::TransferError error,
                               const QString &reason)
{
    using E = Transfer::TransferError;
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

void DownloadManager::tick()
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.info.state == TransferInfo::State::Requesting
            && now() - d.requestSentMs > m_context.settings.requestTimeout.count())
            sourceFailed(d, u"no answer"_s, true);
        else if (d.info.state == TransferInfo::State::Queued && d.retryAtMs >= 0
                 && now() >= d.retryAtMs)
            askNextSource(d);
        else if (d.info.state == TransferInfo::State::Transferring)
            Q_EMIT transferUpdated(d.info);
    }
}

bool DownloadManager::cancel(const QString &id)
{
    if (auto d = m_downloads.value(id); d && !d->info.isFinal()) {
        if (d->engineId)
            m_context.endpoint->cancel(d->engineId);
        d->engineId = 0;
        const QString part = d->info.localPath + u".part"_s;
        QFile::remove(part);
        QFile::remove(part + u".journal"_s);
        setState(*d, TransferInfo::State::Cancelled);
        return true;
    }
    return false;
}

void DownloadManager::pause(const QString &id)
{
    auto d = m_downloads.value(id);
    if (!d || d->info.isFinal() || d->info.state == TransferInfo::State::Paused)
        return;
    // The uploader is told first, so that the end it sees reads as a pause, not a failure.
    if (!d->requestTag.isEmpty() && !d->current.peerId.isEmpty())
        m_context.core->relay(d->current.room, QLatin1StringView(FS::KindPause),
                              FS::encode(FS::Pause {d->requestTag}), {d->current.peerId});
    if (d->engineId)
        m_context.endpoint->cancel(d->engineId); // keeps the .part and its journal
    d->engineId = 0;
    d->requestTag.clear();
    d->meter.clear();
    d->info.rateBytesPerSecond = 0;
    setState(*d, TransferInfo::State::Paused);
}

void DownloadManager::resume(const QString &id)
{
    auto d = m_downloads.value(id);
    if (!d || d->info.state != TransferInfo::State::Paused)
        return;
    d->info.state = TransferInfo::State::Queued;
    d->waitingSinceMs = -1;
    d->planner.newRound();
    askNextSource(*d);
}

void DownloadManager::setState(Download &d, TransferInfo::State state, const QString &error)
{
    d.info.state = state;
    // A relay session lives as long as the transfer through it, not until its idle expiry.
    const bool usesPath = state == TransferInfo::State::Connecting
            || state == TransferInfo::State::Transferring
            || state == TransferInfo::State::Verifying;
    if (!usesPath && d.relayPort != 0) {
        m_context.core->closeUdpRelay(d.relayPort);
        d.relayPort = 0;
    }
    if (!error.isEmpty() || state == TransferInfo::State::Requesting)
        d.info.error = error;
    if (d.info.isFinal() && !d.info.finished.isValid())
        d.info.finished = QDateTime::currentDateTimeUtc();
    Q_EMIT transferUpdated(d.info);
    if (d.info.isFinal())
        Q_EMIT transferEnded();
}

} // namespace Client
