#include <client/filesharing.h>

#include <client/clientcore.h>
#include <client/clientlogging.h>

#include <share/shareindex.h>

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

namespace {
constexpr int kTickMs = 250; // progress published about four times a second

QString defaultCachePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
            + u"/hopshare-hashes.cbor"_s;
}
} // namespace

FileSharing::FileSharing(ClientCore *core, QObject *parent)
    : QObject(parent)
    , m_downloads(m_context)
    , m_uploads(m_context)
{
    Transfer::registerTransferMetaTypes();
    qRegisterMetaType<Client::OfferInfo>();
    qRegisterMetaType<Client::TransferInfo>();
    m_context.core = core;
    m_context.clock.start();
    m_context.ensureStarted = [this] { ensureStarted(); };
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &FileSharing::onTick);
    connect(core, &ClientCore::relayReceived, this, &FileSharing::handleRelay);
    connect(core, &ClientCore::connected, this, &FileSharing::followServer);
    connect(core, &ClientCore::disconnected, this, &FileSharing::followServer);
    connect(core, &ClientCore::udpRelayOpened, &m_downloads, &DownloadManager::onRelayOpened);
    connect(core, &ClientCore::udpRelayRefused, &m_downloads, &DownloadManager::onRelayRefused);
    // The two sides' signals are FileSharing's, emitted where they were before the split.
    connect(&m_downloads, &DownloadManager::offerReceived, this, &FileSharing::offerReceived);
    connect(&m_downloads, &DownloadManager::transferUpdated, this, &FileSharing::transferUpdated);
    connect(&m_downloads, &DownloadManager::transferStarted, this, &FileSharing::transferStarted);
    connect(&m_downloads, &DownloadManager::transferRefused, this, &FileSharing::transferRefused);
    connect(&m_downloads, &DownloadManager::shareAnnounced, this, &FileSharing::shareAnnounced);
    connect(&m_downloads, &DownloadManager::transferEnded, this, &FileSharing::checkAllEnded);
    connect(&m_uploads, &UploadService::transferUpdated, this, &FileSharing::transferUpdated);
    connect(&m_uploads, &UploadService::transferStarted, this, &FileSharing::transferStarted);
    connect(&m_uploads, &UploadService::transferEnded, this, &FileSharing::checkAllEnded);
}

FileSharing::~FileSharing() = default;

void FileSharing::followServer()
{
    if (!m_context.endpoint)
        return;
    const bool up = m_context.core->state() == ClientCore::State::Ready;
    m_context.endpoint->setRendezvousServer(up ? m_context.core->serverAddress() : QHostAddress(),
                                            up ? m_context.core->serverPort() : 0);
    if (!up)
        m_context.reflexive.reset();
}

void FileSharing::setSettings(const Settings &settings)
{
    m_context.settings = settings;
    if (m_context.endpoint) {
        m_context.endpoint->setMaxUploadSlots(m_context.settings.maxUploads);
        m_context.endpoint->setUploadRateCap(m_context.settings.uploadRateCap);
        m_context.endpoint->setImpairment(m_context.settings.impairment);
    }
}

bool FileSharing::start(QString *error)
{
    if (m_context.endpoint)
        return true;
    auto endpoint = std::make_unique<Transfer::Endpoint>();
    if (!endpoint->bind(m_context.settings.bindAddress, 0, error))
        return false;
    m_context.endpoint = std::move(endpoint);
    // Our identity signs every transfer handshake; offers, gets and accepts name its key.
    m_context.endpoint->setIdentity(m_context.core->identity());
    m_context.endpoint->setMaxUploadSlots(m_context.settings.maxUploads);
    m_context.endpoint->setUploadRateCap(m_context.settings.uploadRateCap);
    m_context.endpoint->setImpairment(m_context.settings.impairment);
    connect(m_context.endpoint.get(), &Transfer::Endpoint::progress, this,
            &FileSharing::onProgress);
    connect(m_context.endpoint.get(), &Transfer::Endpoint::finished, this,
            &FileSharing::onFinished);
    connect(m_context.endpoint.get(), &Transfer::Endpoint::failed, this, &FileSharing::onFailed);
    connect(m_context.endpoint.get(), &Transfer::Endpoint::reflexiveAddressChanged, this,
            [this](const QHostAddress &address, quint16 port) {
                m_context.reflexive
                        = Transfer::Candidate {address, port, Transfer::CandidateKind::Reflexive};
                qCInfo(lcClient).noquote() << "reflexive address" << address.toString() << port;
                Q_EMIT reflexiveAddressChanged(address, port);
            });
    m_tick.start();
    followServer();
    qCInfo(lcClient) << "file endpoint on UDP port" << m_context.endpoint->localPort();
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
    return m_context.endpoint ? m_context.endpoint->localPort() : 0;
}

Share::ShareIndex *FileSharing::index()
{
    if (!m_context.index) {
        QString cache = m_context.settings.hashCachePath;
        if (cache.isEmpty())
            cache = defaultCachePath();
        else if (cache == u"-"_s)
            cache.clear();
        if (!cache.isEmpty())
            QDir().mkpath(QFileInfo(cache).absolutePath());
        m_context.index = std::make_unique<Share::ShareIndex>(cache);
        connect(m_context.index.get(), &Share::ShareIndex::indexChanged, this,
                &FileSharing::announcePending);
        connect(m_context.index.get(), &Share::ShareIndex::hashingProgress, this,
                &FileSharing::hashingProgress);
    }
    return m_context.index.get();
}

void FileSharing::announcePending()
{
    for (auto it = m_pendingAnnounces.begin(); it != m_pendingAnnounces.end();) {
        bool sent = false;
        for (const auto &f : m_context.index->files()) {
            if (f.name == it.key()) {
                m_context.core->relay(
                        it.value(), QLatin1StringView(FS::KindAnnounce),
                        FS::encode(FS::Announce {f.id, f.name, f.size, f.sha256Hex()}));
                Q_EMIT sharedToRoom(it.value(), QFileInfo(f.name).fileName(), f.size);
                sent = true;
                break;
            }
        }
        it = sent ? m_pendingAnnounces.erase(it) : std::next(it);
    }
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
    if (movesFiles && m_context.core->hasUntrustedKey(r.from)) {
        ++m_context.counters.untrustedKey;
        qCWarning(lcClient).noquote() << "ignored" << k << "from" << r.from.nick
                                      << ": its key changed and is not trusted";
        if (k == QLatin1StringView(FS::KindGet))
            m_uploads.refuseUndecodedGet(r, u"untrusted-key"_s);
        return;
    }
    bool ok = true;
    auto dispatch = [&](auto decoded, auto *side, auto handler) {
        if (decoded)
            (side->*handler)(r, *decoded);
        else
            ok = false;
    };
    if (k == QLatin1StringView(FS::KindFind))
        dispatch(FS::decodeFind(r.body), &m_uploads, &UploadService::handleFind);
    else if (k == QLatin1StringView(FS::KindOffer))
        dispatch(FS::decodeOffer(r.body), &m_downloads, &DownloadManager::handleOffer);
    else if (k == QLatin1StringView(FS::KindGet)) {
        auto get = FS::decodeGet(r.body);
        if (get)
            m_uploads.handleGet(r, *get);
        else {
            ok = false;
            m_uploads.refuseUndecodedGet(r, u"invalid"_s);
        }
    } else if (k == QLatin1StringView(FS::KindAccept))
        dispatch(FS::decodeAccept(r.body), &m_downloads, &DownloadManager::handleAccept);
    else if (k == QLatin1StringView(FS::KindRefuse))
        dispatch(FS::decodeRefuse(r.body), &m_downloads, &DownloadManager::handleRefuse);
    else if (k == QLatin1StringView(FS::KindAnnounce))
        dispatch(FS::decodeAnnounce(r.body), &m_downloads, &DownloadManager::handleAnnounce);
    else if (k == QLatin1StringView(FS::KindRelayOffer))
        dispatch(FS::decodeRelayOffer(r.body), &m_uploads, &UploadService::handleRelayOffer);
    else if (k == QLatin1StringView(FS::KindPause))
        dispatch(FS::decodePause(r.body), &m_uploads, &UploadService::handlePause);
    else
        return; // another feature's payload
    if (!ok) {
        ++m_context.counters.malformed;
        qCInfo(lcClient) << "dropped a malformed" << k << "from" << r.from.id;
    }
}

FileSignal::Candidates FileSharing::localCandidates() const
{
    return m_context.localCandidates();
}

QList<TransferInfo> FileSharing::transfers() const
{
    return m_downloads.transfers() + m_uploads.transfers();
}

bool FileSharing::hasActiveTransfers() const
{
    return m_downloads.hasActiveTransfers() || m_uploads.hasActiveTransfers();
}

int FileSharing::freeUploadSlots() const
{
    return m_uploads.freeUploadSlots();
}

QString FileSharing::find(const QString &room, const QString &pattern, const QString &target)
{
    ensureStarted();
    return m_downloads.find(room, pattern, target);
}

QString FileSharing::download(const QString &offerId)
{
    return m_downloads.download(offerId);
}

QString FileSharing::downloadBest(const QString &sha256)
{
    return m_downloads.downloadBest(sha256);
}

QString FileSharing::downloadFor(const QString &what)
{
    return m_downloads.downloadFor(what);
}

QString FileSharing::existingCopyOfOffer(const QString &offerId) const
{
    return m_downloads.existingCopyOfOffer(offerId);
}

QString FileSharing::existingCopyOf(const QString &sha256) const
{
    return m_downloads.existingCopyOf(sha256);
}

void FileSharing::cancelTransfer(const QString &id)
{
    if (!m_downloads.cancel(id))
        m_uploads.cancel(id);
}

void FileSharing::pauseTransfer(const QString &id)
{
    m_downloads.pause(id);
}

void FileSharing::resumeTransfer(const QString &id)
{
    m_downloads.resume(id);
}

void FileSharing::onProgress(const Transfer::TransferStats &stats)
{
    if (stats.id >= kFirstUploadId)
        m_uploads.onProgress(stats);
    else
        m_downloads.onProgress(stats);
}

void FileSharing::onFinished(Transfer::TransferId id, const Transfer::TransferResult &result)
{
    if (id >= kFirstUploadId)
        m_uploads.onFinished(id, result);
    else
        m_downloads.onFinished(id, result);
}

void FileSharing::onFailed(Transfer::TransferId id, Transfer::TransferError error,
                           const QString &reason)
{
    if (id >= kFirstUploadId)
        m_uploads.onFailed(id, error, reason);
    else
        m_downloads.onFailed(id, error, reason);
}

void FileSharing::onTick()
{
    m_downloads.tick();
    m_uploads.tick();
}

void FileSharing::checkAllEnded()
{
    if (m_context.hadActive && !hasActiveTransfers()) {
        m_context.hadActive = false;
        Q_EMIT allTransfersEnded();
    }
}

} // namespace Client
