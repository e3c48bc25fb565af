#include <share/sharescanner.h>

#include <share/sharelogging.h>

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace Share {

namespace {

constexpr qint64 ChunkBytes = 1 << 20;
// Progress is reported after each file and every few chunks inside a large one.
constexpr int ChunksPerProgress = 8;
// A file still changing after this many hashes is left out until a later scan.
constexpr int MaxHashAttempts = 3;

} // namespace

void ShareScanner::scan(quint64 generation, const QList<ShareRoot> &roots, const HashCache &cache)
{
    if (cancelled(generation))
        return;
    ScanSummary summary;
    QList<FoundFile> found;
    for (const ShareRoot &root : roots) {
        WalkResult walked = walkShareRoot(root, MaxIndexedFiles - found.size(),
                                          [&] { return cancelled(generation); });
        found.append(std::move(walked.files));
        summary.directories.append(std::move(walked.directories));
        summary.skippedOutside += walked.skippedOutside;
        summary.skippedOther += walked.skippedOther;
        summary.truncated = summary.truncated || walked.truncated;
    }
    if (cancelled(generation))
        return; // a partial walk must never look like a complete one
    Progress progress;
    progress.filesTotal = int(found.size());
    for (const FoundFile &f : std::as_const(found))
        progress.bytesTotal += f.size;
    Q_EMIT progressed(generation, 0, progress.filesTotal, 0, progress.bytesTotal);

    for (FoundFile &file : found) {
        if (cancelled(generation))
            return;
        ScannedFile scanned;
        if (const auto known = cache.lookup(file.canonicalPath, file.size, file.mtimeMs)) {
            scanned.sha256 = *known;
            scanned.fromCache = true;
            progress.bytesDone += file.size;
        } else if (const auto hashed = hashStable(file, generation, progress)) {
            scanned.sha256 = *hashed;
        } else {
            if (cancelled(generation))
                return;
            ++summary.notHashed;
            ++progress.filesDone;
            continue;
        }
        scanned.found = file;
        summary.logicalPaths.append(file.logicalPath);
        ++progress.filesDone;
        Q_EMIT fileScanned(generation, scanned);
        Q_EMIT progressed(generation, progress.filesDone, progress.filesTotal, progress.bytesDone,
                          progress.bytesTotal);
    }
    Q_EMIT scanFinished(generation, summary);
}

std::optional<Crypto::Sha256::Digest> ShareScanner::hashStable(FoundFile &file, quint64 gen,
                                                               Progress &progress)
{
    for (int attempt = 0; attempt < MaxHashAttempts; ++attempt) {
        const qint64 doneBefore = progress.bytesDone;
        qint64 bytesRead = 0;
        const auto digest = hashOnce(file.canonicalPath, file.size, &bytesRead, gen, progress);
        if (!digest)
            return std::nullopt;
        // The digest only describes the file if nothing moved while it was read.
        QFileInfo after(file.canonicalPath);
        const qint64 mtimeAfter
                = after.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch();
        if (bytesRead == file.size && after.size() == file.size && mtimeAfter == file.mtimeMs)
            return digest;
        qCDebug(lcShare) << "file changed while hashing, again:" << file.canonicalPath;
        progress.bytesTotal += after.size() - file.size;
        progress.bytesDone = doneBefore;
        file.size = after.size();
        file.mtimeMs = mtimeAfter;
    }
    qCInfo(lcShare) << "file keeps changing, not shared for now:" << file.canonicalPath;
    return std::nullopt;
}

std::optional<Crypto::Sha256::Digest> ShareScanner::hashOnce(const QString &path,
                                                             qint64 expectedSize, qint64 *bytesRead,
                                                             quint64 gen, Progress &progress)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        qCWarning(lcShare) << "cannot read" << path << f.errorString();
        return std::nullopt;
    }
    Crypto::Sha256 sha;
    QByteArray buffer(ChunkBytes, Qt::Uninitialized);
    // Reading stops one byte past the expected size: a file that keeps growing (a log being
    // written) must not keep the scanner reading forever; the caller sees the mismatch.
    for (int chunk = 1; *bytesRead <= expectedSize; ++chunk) {
        if (cancelled(gen))
            return std::nullopt;
        const qint64 n = f.read(buffer.data(), std::min(ChunkBytes, expectedSize + 1 - *bytesRead));
        if (n < 0) {
            qCWarning(lcShare) << "read error" << path << f.errorString();
            return std::nullopt;
        }
        if (n == 0)
            break;
        sha.addData(buffer.constData(), std::size_t(n));
        *bytesRead += n;
        progress.bytesDone += n;
        if (m_chunkObserver)
            m_chunkObserver(path);
        if (chunk % ChunksPerProgress == 0)
            Q_EMIT progressed(gen, progress.filesDone, progress.filesTotal, progress.bytesDone,
                              progress.bytesTotal);
    }
    return sha.finish();
}

} // namespace Share
