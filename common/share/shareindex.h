#pragma once

#include <share/hashcache.h>
#include <share/indexedfile.h>
#include <share/sharedfile.h>
#include <share/sharescanner.h>
#include <share/treewalker.h>
#include <share/uploadresolution.h>

#include <QFileSystemWatcher>
#include <QHash>
#include <QList>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <optional>

namespace Share {

// The files this peer shares. Folders are walked recursively, files are hashed off the event
// loop by a ShareScanner on a worker thread, digests are cached on disk (the owner injects the
// cache file path; an empty path keeps the cache in memory only), and changes on disk trigger
// a debounced rescan. Only indexed files can ever be resolved for upload; see docs/SHARING.md.
class ShareIndex : public QObject
{
    Q_OBJECT
public:
    explicit ShareIndex(const QString &cacheFile, QObject *parent = nullptr);
    ~ShareIndex() override;

    // Shares a folder or a single file. False if it does not exist, is neither a folder nor a
    // regular file, or is already covered by a shared folder. Sharing a folder that contains
    // already shared paths replaces them.
    bool addPath(const QString &path);
    // Stops sharing a root given as passed to addPath (or its canonical form); forgets its
    // cached digests. False if it was not shared.
    bool removePath(const QString &path);
    [[nodiscard]] QStringList sharedPaths() const;

    [[nodiscard]] QList<SharedFile> files() const; // ordered by relative path
    [[nodiscard]] qsizetype fileCount() const { return m_entries.size(); }
    [[nodiscard]] QList<SharedFile> search(QStringView pattern, qsizetype maxResults) const;
    [[nodiscard]] std::optional<SharedFile> findById(QStringView id) const;
    [[nodiscard]] std::optional<SharedFile> findBySha256(QStringView hex) const;

    // Key: a file id or a SHA-256 in hex. Re-checks the file on disk every time; a file found
    // changed schedules a rescan.
    [[nodiscard]] UploadResolution resolveForUpload(QStringView key);

    [[nodiscard]] bool isScanning() const { return m_scanning; }
    // Files actually read and hashed (not taken from the cache) since construction.
    [[nodiscard]] quint64 hashesComputed() const { return m_hashesComputed; }
    // Delay between a change notification and the rescan it triggers (default 1 s).
    void setRescanDelay(std::chrono::milliseconds delay);
    [[nodiscard]] ScanSummary lastScanSummary() const { return m_lastSummary; }

public Q_SLOTS:
    // Walks all roots again after the rescan delay; calls in quick succession coalesce.
    void rescan();

Q_SIGNALS:
    void hashingProgress(int filesDone, int filesTotal, qint64 bytesDone, qint64 bytesTotal);
    void fileIndexed(const Share::SharedFile &file);
    void fileRemoved(const QString &id);
    void indexChanged();
    void scanFinished();

private:
    using Entry = IndexedFile;

    void handleRescanDue();
    void startScan();
    void handleFileScanned(quint64 generation, const ScannedFile &scanned);
    void handleScanFinished(quint64 generation, const ScanSummary &summary);
    void insertEntry(Entry entry);
    void removeEntry(const QString &logicalPath);
    void updateWatcher(const QStringList &directories);
    void pruneCache(const ScanSummary &summary);
    void saveCache();
    [[nodiscard]] const Entry *entryById(QStringView id) const;
    [[nodiscard]] UploadResolution checkEntry(const Entry &entry);
    [[nodiscard]] bool isRootShared(const QString &root) const;

    QString m_cacheFile;
    HashCache m_cache;
    bool m_cacheDirty = false;
    QList<ShareRoot> m_roots;
    QHash<QString, Entry> m_entries; // by logical path
    QHash<QString, QString> m_byId; // id -> logical path
    QMultiHash<QByteArray, QString> m_bySha256; // raw digest -> logical paths
    QThread m_thread;
    ShareScanner *m_scanner = nullptr; // lives on m_thread, deleted when it finishes
    QFileSystemWatcher m_watcher;
    QTimer m_rescanTimer;
    std::chrono::milliseconds m_rescanDelay {1000};
    quint64 m_generation = 0;
    bool m_scanning = false;
    bool m_changedDuringScan = false;
    bool m_rootsChanged = false; // the next scan must supersede a running one
    bool m_rescanPending = false; // a change arrived while scanning: walk again afterwards
    quint64 m_hashesComputed = 0;
    ScanSummary m_lastSummary;
};

} // namespace Share
