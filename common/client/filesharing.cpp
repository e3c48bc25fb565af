#include "client/filesharing.h"

#include "client/clientcore.h"
#include "client/logging.h"

#include <share/safefilename.h>
#include <share/searchpattern.h>
#include <share/shareindex.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkInterface>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

namespace {
constexpr int kTickMs = 250; // progress published about four times a second
constexpr qsizetype kMaxOffersPerFind = 50;

QString defaultCachePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
            + u"/hopshare-hashes.cbor"_s;
}

QString bareTarget(const QString &target)
{
    return target.startsWith(u'@') ? target.mid(1) : target;
}
} // namespace

FileSharing::FileSharing(ClientCore *core, QObject *parent)
    : QObject(parent)
    , m_core(core)
{
    Transfer::registerTransferMetaTypes();
    qRegisterMetaType<Client::OfferInfo>();
    qRegisterMetaType<Client::TransferInfo>();
    m_clock.start();
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &FileSharing::onTick);
    connect(core, &ClientCore::relayReceived, this, &FileSharing::handleRelay);
    connect(core, &ClientCore::connected, this, &FileSharing::followServer);
    connect(core, &ClientCore::disconnected, this, &FileSharing::followServer);
    connect(core, &ClientCore::udpRelayOpened, this, &FileSharing::onRelayOpened);
    connect(core, &ClientCore::udpRelayRefused, this, &FileSharing::onRelayRefused);
}

void FileSharing::followServer()
{
    if (!m_endpoint)
        return;
    const bool up = m_core->state() == ClientCore::State::Ready;
    m_endpoint->setRendezvousServer(up ? m_core->serverAddress() : QHostAddress(),
                                    up ? m_core->serverPort() : 0);
    if (!up)
        m_reflexive.reset();
}

FileSignal::Candidates FileSharing::localCandidates() const
{
    FS::Candidates out;
    if (!m_endpoint)
        return out;
    const quint16 port = m_endpoint->localPort();
    const QHostAddress bound = m_settings.bindAddress;
    const qsizetype hostSlots = FS::MaxCandidates - (m_reflexive ? 1 : 0);
    // Every interface address of the families the socket is bound to (QHostAddress::Any is
    // dual-stack): IPv4 first, then IPv6 global and unique-local ones. Link-local IPv6 needs a
    // scope the peer cannot know, and loopback ::1 is never another host.
    const bool v4 = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4;
    const bool v6 = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv6;
    if (v4 || v6) {
        const auto addresses = QNetworkInterface::allAddresses();
        for (const auto &a : addresses) {
            if (v4 && out.size() < hostSlots && a.protocol() == QHostAddress::IPv4Protocol)
                out.append({a, port, Transfer::CandidateKind::Host});
        }
        for (const auto &a : addresses) {
            if (v6 && out.size() < hostSlots && a.protocol() == QHostAddress::IPv6Protocol
                && !a.isLoopback() && !a.isLinkLocal() && !a.isMulticast())
                out.append({a, port, Transfer::CandidateKind::Host});
        }
    } else {
        out.append({bound, port, Transfer::CandidateKind::Host});
    }
    if (m_reflexive)
        out.append(*m_reflexive);
    return out;
}

FileSharing::~FileSharing() = default;

void FileSharing::setSettings(const Settings &settings)
{
    m_settings = settings;
    if (m_endpoint) {
        m_endpoint->setMaxUploadSlots(m_settings.maxUploads);
        m_endpoint->setUploadRateCap(m_settings.uploadRateCap);
        m_endpoint->setImpairment(m_settings.impairment);
    }
}

bool FileSharing::start(QString *error)
{
    if (m_endpoint)
        return true;
    auto endpoint = std::make_unique<Transfer::Endpoint>();
    if (!endpoint->bind(m_settings.bindAddress, 0, error))
        return false;
    m_endpoint = std::move(endpoint);
    // Our identity signs every transfer handshake; offers, gets and accepts name its key.
    m_endpoint->setIdentity(m_core->identity());
    m_endpoint->setMaxUploadSlots(m_settings.maxUploads);
    m_endpoint->setUploadRateCap(m_settings.uploadRateCap);
    m_endpoint->setImpairment(m_settings.impairment);
    connect(m_endpoint.get(), &Transfer::Endpoint::progress, this, &FileSharing::onProgress);
    connect(m_endpoint.get(), &Transfer::Endpoint::finished, this, &FileSharing::onFinished);
    connect(m_endpoint.get(), &Transfer::Endpoint::failed, this, &FileSharing::onFailed);
    connect(m_endpoint.get(), &Transfer::Endpoint::reflexiveAddressChanged, this,
            [this](const QHostAddress &address, quint16 port) {
                m_reflexive
                        = Transfer::Candidate {address, port, Transfer::CandidateKind::Reflexive};
                qCInfo(lcClient).noquote() << "reflexive address" << address.toString() << port;
                Q_EMIT reflexiveAddressChanged(address, port);
            });
    m_tick.start();
    followServer();
    qCInfo(lcClient) << "file endpoint on UDP port" << m_endpoint->localPort();
    return true;
}

void FileSharing::ensureStarted()
{
    QString error;
    if (!start(&error))
        qCWarning(lcClient) << "cannot bind the file endpoint:" << error;
}

quint16 FileSharing::udpPort() const
{
    return m_endpoint ? m_endpoint->localPort() : 0;
}

Share::ShareIndex *FileSharing::index()
{
    if (!m_index) {
        QString cache = m_settings.hashCachePath;
        if (cache.isEmpty())
            cache = defaultCachePath();
        else if (cache == u"-"_s)
            cache.clear();
        if (!cache.isEmpty())
            QDir().mkpath(QFileInfo(cache).absolutePath());
        m_index = std::make_unique<Share::ShareIndex>(cache);
        connect(m_index.get(), &Share::ShareIndex::indexChanged, this,
                &FileSharing::announcePending);
        connect(m_index.get(), &Share::ShareIndex::hashingProgress, this,
                &FileSharing::hashingProgress);
    }
    return m_index.get();
}

void FileSharing::announcePending()
{
    for (auto it = m_pendingAnnounces.begin(); it != m_pendingAnnounces.end();) {
        bool sent = false;
        for (const auto &f : m_index->files()) {
            if (f.name == it.key()) {
                m_core->relay(it.value(), QLatin1StringView(FS::KindAnnounce),
                              FS::encode(FS::Announce {f.id, f.name, f.size, f.sha256Hex()}));
                Q_EMIT sharedToRoom(it.value(), QFileInfo(f.name).fileName(), f.size);
                sent = true;
                break;
            }
        }
        it = sent ? m_pendingAnnounces.erase(it) : std::next(it);
    }
}

QList<TransferInfo> FileSharing::transfers() const
{
    QList<TransferInfo> out;
    for (const auto &d : m_downloads)
        out.append(d->info);
    for (const auto &u : m_uploads)
        out.append(u.info);
    return out;
}

bool FileSharing::hasActiveTransfers() const
{
    for (const auto &d : m_downloads) {
        if (!d->info.isFinal() && d->info.state != TransferInfo::State::Paused)
            return true;
    }
    for (const auto &u : m_uploads) {
        if (!u.info.isFinal() && u.info.state != TransferInfo::State::Paused)
            return true;
    }
    return false;
}

int FileSharing::freeUploadSlots() const
{
    int active = 0;
    for (const auto &u : m_uploads)
        active += u.info.isFinal() || u.info.state == TransferInfo::State::Paused ? 0 : 1;
    return std::max(0, m_settings.maxUploads - active);
}

bool FileSharing::share(const QString &path)
{
    ensureStarted();
    return index()->addPath(path);
}

bool FileSharing::shareAndAnnounce(const QString &room, const QString &path)
{
    if (!share(path) && !QFileInfo(path).isFile())
        return false;
    m_pendingAnnounces.insert(QFileInfo(path).fileName(), room);
    announcePending(); // a file indexed before is announced at once
    return true;
}

QString FileSharing::find(const QString &room, const QString &pattern, const QString &target)
{
    ensureStarted();
    const QString req = u"r"_s + QString::number(m_nextRequest++);
    m_findSent.insert(req, now());
    QStringList targets;
    if (!target.isEmpty() && target != u"@all"_s)
        targets.append(bareTarget(target));
    m_core->relay(room, QLatin1StringView(FS::KindFind), FS::encode(FS::Find {req, pattern}),
                  targets);
    return req;
}

bool FileSharing::isRoomMember(const QString &room, const QString &clientId) const
{
    if (!m_core->rooms().contains(room))
        return false;
    for (const auto &m : m_core->members(room)) {
        if (m.id == clientId)
            return true;
    }
    return false;
}

void FileSharing::refuseUndecodedGet(const Protocol::Relayed &r, const QString &reason)
{
    // A get that is not acted on is still answered when it names a usable transfer id, so
    // the requester is told why instead of waiting for its timeout.
    const QString xfer = r.body.value(u"xfer"_s).toString();
    if (!xfer.isEmpty() && xfer.size() <= FS::MaxIdLength)
        refuse(r, xfer, reason);
}

void FileSharing::handleRelay(const Protocol::Relayed &r)
{
    const QString &k = r.kind;
    // A member whose key changed since it was trusted may be someone else (or a server
    // presenting its own key for that nick): no files move with it until the user runs
    // `trust NICK`. A download waiting for its accept fails with that reason (handleAccept).
    const bool movesFiles = k == QLatin1StringView(FS::KindFind)
            || k == QLatin1StringView(FS::KindOffer) || k == QLatin1StringView(FS::KindGet)
            || k == QLatin1StringView(FS::KindAnnounce)
            || k == QLatin1StringView(FS::KindRelayOffer) || k == QLatin1StringView(FS::KindPause);
    if (movesFiles && m_core->hasUntrustedKey(r.from)) {
        ++m_counters.untrustedKey;
        qCWarning(lcClient).noquote() << "ignored" << k << "from" << r.from.nick
                                      << ": its key changed and is not trusted";
        if (k == QLatin1StringView(FS::KindGet))
            refuseUndecodedGet(r, u"untrusted-key"_s);
        return;
    }
    bool ok = true;
    auto dispatch = [&](auto decoded, auto handler) {
        if (decoded)
            (this->*handler)(r, *decoded);
        else
            ok = false;
    };
    if (k == QLatin1StringView(FS::KindFind))
        dispatch(FS::decodeFind(r.body), &FileSharing::handleFind);
    else if (k == QLatin1StringView(FS::KindOffer))
        dispatch(FS::decodeOffer(r.body), &FileSharing::handleOffer);
    else if (k == QLatin1StringView(FS::KindGet)) {
        auto get = FS::decodeGet(r.body);
        if (get)
            handleGet(r, *get);
        else {
            ok = false;
            refuseUndecodedGet(r, u"invalid"_s);
        }
    } else if (k == QLatin1StringView(FS::KindAccept))
        dispatch(FS::decodeAccept(r.body), &FileSharing::handleAccept);
    else if (k == QLatin1StringView(FS::KindRefuse))
        dispatch(FS::decodeRefuse(r.body), &FileSharing::handleRefuse);
    else if (k == QLatin1StringView(FS::KindAnnounce))
        dispatch(FS::decodeAnnounce(r.body), &FileSharing::handleAnnounce);
    else if (k == QLatin1StringView(FS::KindRelayOffer))
        dispatch(FS::decodeRelayOffer(r.body), &FileSharing::handleRelayOffer);
    else if (k == QLatin1StringView(FS::KindPause))
        dispatch(FS::decodePause(r.body), &FileSharing::handlePause);
    else
        return; // another feature's payload
    if (!ok) {
        ++m_counters.malformed;
        qCInfo(lcClient) << "dropped a malformed" << k << "from" << r.from.id;
    }
}

void FileSharing::handleFind(const Protocol::Relayed &r, const FS::Find &m)
{
    if (!m_index)
        return; // nothing shared: stay silent
    const auto found = m_index->search(m.pattern, kMaxOffersPerFind);
    const int free = freeUploadSlots();
    for (const auto &f : found) {
        m_core->relay(r.room, QLatin1StringView(FS::KindOffer),
                      FS::encode(FS::Offer {m.requestId, f.id, f.name, f.size, f.sha256Hex(), free,
                                            m_core->identity()->publicKey()}),
                      {r.from.id});
    }
}

// The identity key a signalling body names must be the one its sender proved in hello (the
// server stamps `from`, and the known peers flag a nick whose key changed): so a server that
// rewrote the key in an offer, get or accept would also have to present the member with that
// key, which trust on first use catches.
bool FileSharing::isSendersKey(const Protocol::Relayed &r, const QByteArray &key)
{
    return !key.isEmpty() && key == r.from.key;
}

void FileSharing::handleOffer(const Protocol::Relayed &r, const FS::Offer &m)
{
    if (!isSendersKey(r, m.publicKey)) {
        ++m_counters.malformed;
        qCInfo(lcClient) << "dropped an offer from" << r.from.id
                         << "naming another identity than the member's";
        return;
    }
    const auto sent = m_findSent.constFind(m.requestId);
    if (sent == m_findSent.constEnd()) {
        ++m_counters.malformed; // an offer for nothing we asked
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
    o.late = elapsed > m_settings.offerWindow.count();
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

void FileSharing::refuse(const Protocol::Relayed &r, const QString &transferId,
                         const QString &reason)
{
    ++m_counters.refusedRequests;
    qCInfo(lcClient) << "refused" << transferId << "from" << r.from.id << reason;
    m_core->relay(r.room, QLatin1StringView(FS::KindRefuse),
                  FS::encode(FS::Refuse {transferId, reason}), {r.from.id});
}

void FileSharing::handleGet(const Protocol::Relayed &r, const FS::Get &m)
{
    // The server only relays between members; checking again costs nothing and keeps a token
    // out of reach of anyone who does not share this room with us.
    if (!isRoomMember(r.room, r.from.id))
        return refuse(r, m.transferId, u"room"_s);
    if (!m_index || !m_endpoint)
        return refuse(r, m.transferId, u"gone"_s);
    const auto res = m_index->resolveForUpload(m.key);
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
    const QByteArray token = m_endpoint->issueUploadToken(
            Transfer::FileOffer {res.path, quint64(res.file.size), digest, m.publicKey},
            std::chrono::minutes(2));
    ++m_counters.acceptedRequests;
    m_core->relay(r.room, QLatin1StringView(FS::KindAccept),
                  FS::encode(FS::Accept {m.transferId, token, m_endpoint->localPort(),
                                         localCandidates(), res.file.size, res.file.sha256Hex(),
                                         m_core->identity()->publicKey()}),
                  {r.from.id});
    // Open our NAT towards every address the downloader may send its HELLO from, while it
    // probes ours (docs/NAT.md).
    m_endpoint->punch(token, m.candidates, m_settings.punchDuration);
    constexpr qsizetype kMaxAcceptedGets = 256;
    if (m_acceptedGets.size() >= kMaxAcceptedGets)
        m_acceptedGets.removeFirst();
    m_acceptedGets.append({m.transferId, r.from.id, r.from.nick, QFileInfo(res.path).fileName(),
                           res.path, res.file.sha256Hex(), res.file.size, m.candidates, 0});
}

void FileSharing::handlePause(const Protocol::Relayed &r, const FS::Pause &m)
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
        publish(it->info);
        return checkAllEnded();
    }
}

void FileSharing::handleRelayOffer(const Protocol::Relayed &r, const FS::RelayOffer &m)
{
    // Only the requester of a get we accepted may point us at a relay.
    for (const AcceptedGet &g : std::as_const(m_acceptedGets)) {
        if (g.transferId == m.transferId && g.peerId == r.from.id && m_endpoint) {
            qCInfo(lcClient).noquote() << "binding relay" << m.ip << m.port << "for" << r.from.id;
            m_endpoint->bindRelay(QHostAddress(m.ip), m.port, m.token);
            return;
        }
    }
    ++m_counters.malformed;
}

void FileSharing::handleAnnounce(const Protocol::Relayed &r, const FS::Announce &m)
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

} // namespace Client
