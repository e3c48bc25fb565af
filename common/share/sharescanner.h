#pragma once

#include <crypto/sha256.h>
#include <share/hashcache.h>
#include <share/treewalker.h>

#include <QObject>

#include <atomic>
#include <functional>
#include <optional>

namespace Share {

struct ScannedFile
{
    FoundFile found;
    Crypto::Sha256::Digest sha256 {};
    bool fromCache = false;
};

struct ScanSummary
{
    QStringList logicalPaths; // every file indexed by this scan
    QStringList directories; // every folder walked
    qsizetype skippedOutside = 0;
    qsizetype skippedOther = 0;
    qsizetype notHashed = 0; // unreadable, or kept changing while being hashed
    bool truncated = false;
};

// Walks the shared roots and hashes what the cache does not know. Lives on a worker thread
// (moveToThread); everything it reports travels by queued signals as value types. Each scan
// carries a generation number so the index can drop results of a scan it has superseded.
class ShareScanner : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Thread-safe: scans with a generation below `generation` stop at the next chunk.
    void cancelBefore(quint64 generation) { m_wanted.store(generation); }

    // Called on the scanning thread after every chunk read while hashing. Tests use it to change
    // a file in the middle of hashing; set it before the first scan.
    using ChunkObserver = std::function<void(const QString &canonicalPath)>;
    void setChunkObserver(ChunkObserver observer) { m_chunkObserver = std::move(observer); }

public Q_SLOTS:
    void scan(quint64 generation, const QList<Share::ShareRoot> &roots,
              const Share::HashCache &cache);

Q_SIGNALS:
    void fileScanned(quint64 generation, const Share::ScannedFile &file);
    void progressed(quint64 generation, int filesDone, int filesTotal, qint64 bytesDone,
                    qint64 bytesTotal);
    void scanFinished(quint64 generation, const Share::ScanSummary &summary);

private:
    struct Progress
    {
        int filesDone = 0;
        int filesTotal = 0;
        qint64 bytesDone = 0;
        qint64 bytesTotal = 0;
    };

    [[nodiscard]] bool cancelled(quint64 generation) const { return m_wanted.load() > generation; }
    [[nodiscard]] std::optional<Crypto::Sha256::Digest> hashStable(FoundFile &file, quint64 gen,
                                                                   Progress &progress);
    [[nodiscard]] std::optional<Crypto::Sha256::Digest> hashOnce(const QString &path,
                                                                 qint64 expectedSize,
                                                                 qint64 *bytesRead, quint64 gen,
                                                                 Progress &progress);

    std::atomic<quint64> m_wanted {0};
    ChunkObserver m_chunkObserver;
};

} // namespace Share

Q_DECLARE_METATYPE(Share::ScannedFile)
Q_DECLARE_METATYPE(Share::ScanSummary)
