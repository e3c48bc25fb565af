#include <share/shareindex.h>

#include <share/searchpattern.h>
#include <share/sharelogging.h>

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Share {

namespace {

[[nodiscard]] QByteArray digestKey(const Crypto::Sha256::Digest &d)
{
    return QByteArray(reinterpret_cast<const char *>(d.data()), qsizetype(d.size()));
}

[[nodiscard]] bool byRelativePath(const SharedFile &a, const SharedFile &b)
{
    return a.relativePath != b.relativePath ? a.relativePath < b.relativePath : a.id < b.id;
}

} // namespace

ShareIndex::ShareIndex(const QString &cacheFile, QObject *parent)
    : QObject(parent)
    , m_cacheFile(cacheFile)
    , m_scanner(new ShareScanner)
{
    qRegisterMetaType<Share::SharedFile>();
    qRegisterMetaType<Share::ScannedFile>();
    qRegisterMetaType<Share::ScanSummary>();
    if (!m_cacheFile.isEmpty()) {
        QString error;
        m_cache = HashCache::load(m_cacheFile, &error);
        if (!error.isEmpty())
            qCWarning(lcShare) << "hash cache" << m_cacheFile << ":" << error;
    }
    m_scanner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_scanner, &QObject::deleteLater);
    connect(m_scanner, &ShareScanner::fileScanned, this, &ShareIndex::handleFileScanned);
    connect(m_scanner, &ShareScanner::scanFinished, this, &ShareIndex::handleScanFinished);
    connect(m_scanner, &ShareScanner::progressed, this,
            [this](quint64 generation, int files, int filesTotal, qint64 bytes, qint64 total) {
                if (generation == m_generation)
                    Q_EMIT hashingProgress(files, filesTotal, bytes, total);
            });
    m_thread.setObjectName(u"hopshare-share-scanner"_s);
    m_thread.start(QThread::LowPriority);

    m_rescanTimer.setSingleShot(true);
    connect(&m_rescanTimer, &QTimer::timeout, this, &ShareIndex::handleRescanDue);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &ShareIndex::rescan);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ShareIndex::rescan);
}

ShareIndex::~ShareIndex()
{
    m_scanner->cancelBefore(std::numeric_limits<quint64>::max());
    m_thread.quit();
    m_thread.wait();
    saveCache();
}

bool ShareIndex::addPath(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    if (canonical.isEmpty() || !(info.isDir() || info.isFile())) {
        qCInfo(lcShare) << "cannot share" << path << ": not a folder or regular file";
        return false;
    }
    for (const ShareRoot &root : std::as_const(m_roots)) {
        if (!root.isFile && isPathInside(canonical, root.path))
            return false;
        if (root.isFile && root.path == canonical)
            return false;
    }
    // A new folder subsumes roots inside it; their files reappear under the new root.
    m_roots.removeIf([&](const ShareRoot &r) { return isPathInside(r.path, canonical); });
    m_roots.append(ShareRoot {canonical, info.isFile()});
    m_rootsChanged = true;
    m_rescanTimer.start(0); // several addPath() calls in a row still make one scan
    return true;
}

bool ShareIndex::removePath(const QString &path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    const QString cleaned = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const auto it = std::find_if(m_roots.cbegin(), m_roots.cend(), [&](const ShareRoot &r) {
        return r.path == canonical || r.path == cleaned;
    });
    if (it == m_roots.cend())
        return false;
    const QString root = it->path;
    m_roots.erase(it);
    if (m_cache.removeUnder(root) > 0)
        m_cacheDirty = true;
    QStringList gone;
    for (const Entry &e : std::as_const(m_entries))
        if (e.root == root)
            gone.append(e.logicalPath);
    for (const QString &logical : std::as_const(gone))
        removeEntry(logical);
    if (!gone.isEmpty())
        Q_EMIT indexChanged();
    startScan(); // supersedes a scan that still walks the removed root
    return true;
}

QStringList ShareIndex::sharedPaths() const
{
    QStringList out;
    for (const ShareRoot &r : m_roots)
        out.append(r.path);
    return out;
}

QList<SharedFile> ShareIndex::files() const
{
    QList<SharedFile> out;
    out.reserve(m_entries.size());
    for (const Entry &e : m_entries)
        out.append(e.file);
    std::sort(out.begin(), out.end(), byRelativePath);
    return out;
}

QList<SharedFile> ShareIndex::search(QStringView pattern, qsizetype maxResults) const
{
    const SearchPattern compiled(pattern);
    if (maxResults <= 0 || !compiled.isValid())
        return {};
    QList<SharedFile> out;
    for (const Entry &e : m_entries)
        if (compiled.matches(e.foldedName, e.foldedPath))
            out.append(e.file);
    // Sorting before cutting keeps the answer the same whatever the hash order.
    std::sort(out.begin(), out.end(), byRelativePath);
    if (out.size() > maxResults)
        out.resize(maxResults);
    return out;
}

std::optional<SharedFile> ShareIndex::findById(QStringView id) const
{
    if (const Entry *e = entryById(id))
        return e->file;
    return std::nullopt;
}

std::optional<SharedFile> ShareIndex::findBySha256(QStringView hex) const
{
    const auto digest = Crypto::Sha256::fromHex(hex.toLatin1());
    if (!digest)
        return std::nullopt;
    const QStringList paths = m_bySha256.values(digestKey(*digest));
    if (paths.isEmpty())
        return std::nullopt;
    // Several copies of one content: answer deterministically with the first by path.
    return m_entries.value(*std::min_element(paths.cbegin(), paths.cend())).file;
}

const ShareIndex::Entry *ShareIndex::entryById(QStringView id) const
{
    if (!isFileId(id))
        return nullptr;
    const auto it = m_byId.constFind(id.toString());
    if (it == m_byId.cend())
        return nullptr;
    const auto entry = m_entries.constFind(*it);
    return entry == m_entries.cend() ? nullptr : &*entry;
}

UploadResolution ShareIndex::resolveForUpload(QStringView key)
{
    UploadResolution result;
    if (isFileId(key)) {
        if (const Entry *e = entryById(key))
            return checkEntry(*e);
        return result;
    }
    const auto digest = key.size() == 64 ? Crypto::Sha256::fromHex(key.toLatin1()) : std::nullopt;
    if (!digest) {
        result.status = UploadResolution::Status::InvalidKey;
        return result;
    }
    QStringList paths = m_bySha256.values(digestKey(*digest));
    std::sort(paths.begin(), paths.end());
    // Any intact copy of the content will do.
    for (const QString &logical : std::as_const(paths)) {
        result = checkEntry(m_entries.value(logical));
        if (result.ok())
            break;
    }
    return result;
}

UploadResolution ShareIndex::checkEntry(const Entry &entry)
{
    UploadResolution result;
    result.file = entry.file;
    if (!isRootShared(entry.root)) {
        result.status = UploadResolution::Status::NotFound;
        return result;
    }
    result = verifyOnDisk(entry);
    if (!result.ok()) {
        qCInfo(lcShare) << "refusing upload of" << entry.file.relativePath << ":"
                        << uploadStatusName(result.status);
        rescan();
    }
    return result;
}

bool ShareIndex::isRootShared(const QString &root) const
{
    return std::any_of(m_roots.cbegin(), m_roots.cend(),
                       [&](const ShareRoot &r) { return r.path == root; });
}

void ShareIndex::setRescanDelay(std::chrono::milliseconds delay)
{
    m_rescanDelay = std::max(delay, std::chrono::milliseconds(0));
}

void ShareIndex::rescan()
{
    if (!m_rescanTimer.isActive())
        m_rescanTimer.start(m_rescanDelay);
}

void ShareIndex::handleRescanDue()
{
    // A change on disk does not cancel a running scan: in a busy folder that could restart a
    // long hash forever. The scan in progress finishes, then one more walk follows.
    if (m_scanning && !m_rootsChanged) {
        m_rescanPending = true;
        return;
    }
    startScan();
}

void ShareIndex::startScan()
{
    m_rescanTimer.stop();
    m_rootsChanged = false;
    m_rescanPending = false;
    ++m_generation;
    m_scanner->cancelBefore(m_generation);
    m_scanning = true;
    m_changedDuringScan = false;
    const quint64 generation = m_generation;
    const QList<ShareRoot> roots = m_roots;
    const HashCache cache = m_cache; // implicitly shared: the copy is cheap until written
    QMetaObject::invokeMethod(
            m_scanner,
            [scanner = m_scanner, generation, roots, cache] {
                scanner->scan(generation, roots, cache);
            },
            Qt::QueuedConnection);
}

void ShareIndex::handleFileScanned(quint64 generation, const ScannedFile &scanned)
{
    const FoundFile &f = scanned.found;
    if (!scanned.fromCache) {
        ++m_hashesComputed;
        m_cache.insert(f.canonicalPath, {f.size, f.mtimeMs, scanned.sha256});
        m_cacheDirty = true;
    }
    // A superseded scan may still report files of a root that is no longer shared.
    if (generation != m_generation || !isRootShared(f.root))
        return;
    Entry entry;
    entry.file.id = makeFileId(f.logicalPath, f.size, scanned.sha256);
    entry.file.name = QFileInfo(f.logicalPath).fileName();
    entry.file.relativePath = f.relativePath;
    entry.file.size = f.size;
    entry.file.modified = QDateTime::fromMSecsSinceEpoch(f.mtimeMs, Qt::UTC);
    entry.file.sha256 = scanned.sha256;
    entry.root = f.root;
    entry.logicalPath = f.logicalPath;
    entry.canonicalPath = f.canonicalPath;
    entry.mtimeMs = f.mtimeMs;
    const auto old = m_entries.constFind(f.logicalPath);
    if (old != m_entries.cend() && old->file == entry.file
        && old->canonicalPath == entry.canonicalPath)
        return;
    entry.foldedName = entry.file.name.toCaseFolded();
    entry.foldedPath = entry.file.relativePath.toCaseFolded();
    insertEntry(std::move(entry));
}

void ShareIndex::insertEntry(Entry entry)
{
    removeEntry(entry.logicalPath);
    const SharedFile file = entry.file;
    m_byId.insert(file.id, entry.logicalPath);
    m_bySha256.insert(digestKey(file.sha256), entry.logicalPath);
    m_entries.insert(entry.logicalPath, std::move(entry));
    m_changedDuringScan = true;
    Q_EMIT fileIndexed(file);
}

void ShareIndex::removeEntry(const QString &logicalPath)
{
    const auto it = m_entries.constFind(logicalPath);
    if (it == m_entries.cend())
        return;
    const QString id = it->file.id;
    m_byId.remove(id);
    m_bySha256.remove(digestKey(it->file.sha256), logicalPath);
    m_entries.erase(it);
    m_changedDuringScan = true;
    Q_EMIT fileRemoved(id);
}

void ShareIndex::handleScanFinished(quint64 generation, const ScanSummary &summary)
{
    if (generation != m_generation)
        return;
    const QSet<QString> seen(summary.logicalPaths.cbegin(), summary.logicalPaths.cend());
    QStringList gone;
    for (const Entry &e : std::as_const(m_entries))
        if (!seen.contains(e.logicalPath))
            gone.append(e.logicalPath);
    for (const QString &logical : std::as_const(gone))
        removeEntry(logical);
    updateWatcher(summary.directories);
    pruneCache(summary);
    saveCache();
    m_lastSummary = summary;
    m_scanning = false;
    if (m_changedDuringScan)
        Q_EMIT indexChanged();
    m_changedDuringScan = false;
    if (m_rescanPending)
        m_rescanTimer.start(0);
    qCDebug(lcShare) << "scan done:" << m_entries.size() << "files," << summary.skippedOutside
                     << "symlinks out of root refused," << summary.notHashed << "not hashed";
    Q_EMIT scanFinished();
}

void ShareIndex::updateWatcher(const QStringList &directories)
{
    QStringList wanted = directories;
    for (const ShareRoot &r : std::as_const(m_roots))
        if (r.isFile)
            wanted.append(r.path);
    const QSet<QString> want(wanted.cbegin(), wanted.cend());
    QStringList watched = m_watcher.directories() + m_watcher.files();
    const QSet<QString> have(watched.cbegin(), watched.cend());
    const QStringList drop = (have - want).values();
    const QStringList add = (want - have).values();
    if (!drop.isEmpty())
        m_watcher.removePaths(drop);
    if (!add.isEmpty())
        m_watcher.addPaths(add); // paths the system cannot watch are still caught by rescan()
}

void ShareIndex::pruneCache(const ScanSummary &summary)
{
    // Digests of files that vanished from a shared root are useless; entries outside every root
    // stay, since their owner may share those paths again in this run.
    if (summary.truncated)
        return;
    QSet<QString> live;
    for (const Entry &e : std::as_const(m_entries))
        live.insert(e.canonicalPath);
    const qsizetype dropped = m_cache.removeIf([&](const QString &path) {
        return !live.contains(path)
                && std::any_of(m_roots.cbegin(), m_roots.cend(),
                               [&](const ShareRoot &r) { return isPathInside(path, r.path); });
    });
    if (dropped > 0)
        m_cacheDirty = true;
}

void ShareIndex::saveCache()
{
    if (!m_cacheDirty || m_cacheFile.isEmpty())
        return;
    QString error;
    if (m_cache.save(m_cacheFile, &error))
        m_cacheDirty = false;
    else
        qCWarning(lcShare) << "cannot write hash cache" << m_cacheFile << ":" << error;
}

} // namespace Share
