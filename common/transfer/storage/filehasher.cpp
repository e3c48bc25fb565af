#include <transfer/storage/filehasher.h>

#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <vector>

namespace Transfer {

namespace {

// Runs on a worker; the engine thread does not touch `sha` until the future has finished.
std::uint64_t hashRange(const QString &path, std::shared_ptr<Crypto::Sha256> sha,
                        std::uint64_t from, std::uint64_t to)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(qint64(from)))
        return 0;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    std::uint64_t done = 0;
    while (from + done < to) {
        const qint64 want
                = qint64(std::min<std::uint64_t>(std::uint64_t(buffer.size()), to - from - done));
        if (file.read(buffer.data(), want) != want)
            return 0;
        sha->addData(buffer.data(), std::size_t(want));
        done += std::uint64_t(want);
    }
    return done;
}

// Same contract as hashRange, over consecutive chunks already in memory.
std::uint64_t hashChunks(std::shared_ptr<Crypto::Sha256> sha, std::vector<QByteArray> chunks)
{
    std::uint64_t done = 0;
    for (const QByteArray &c : chunks) {
        sha->addData(c.constData(), std::size_t(c.size()));
        done += std::uint64_t(c.size());
    }
    return done;
}

} // namespace

FileHasher::FileHasher(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    connect(&m_watcher, &QFutureWatcher<std::uint64_t>::finished, this, &FileHasher::onSliceDone);
}

FileHasher::~FileHasher()
{
    m_watcher.waitForFinished();
}

void FileHasher::addChunk(std::uint64_t offset, QByteArray data)
{
    // Below the prefix it was already read from the file; too much ahead costs memory.
    if (m_failed || data.isEmpty() || offset < m_hashed
        || m_cachedBytes + std::uint64_t(data.size()) > kCacheBytes)
        return;
    const auto [it, added] = m_cache.try_emplace(offset, std::move(data));
    if (added)
        m_cachedBytes += std::uint64_t(it->second.size());
}

void FileHasher::advanceTo(std::uint64_t bytes)
{
    m_target = std::max(m_target, bytes);
    // Not isRunning(): a slice that finished but was not collected has not moved m_hashed yet.
    if (!m_slicePending)
        startSlice();
}

void FileHasher::dropCachedBelow(std::uint64_t offset)
{
    while (!m_cache.empty() && m_cache.begin()->first < offset) {
        m_cachedBytes -= std::uint64_t(m_cache.begin()->second.size());
        m_cache.erase(m_cache.begin());
    }
}

void FileHasher::startSlice()
{
    dropCachedBelow(m_hashed);
    if (m_failed || !m_sha || m_hashed >= m_target)
        return;
    const std::uint64_t limit = std::min(m_target, m_hashed + kSliceBytes);
    // From memory: the run of cached chunks that starts exactly at the prefix.
    std::vector<QByteArray> chunks;
    std::uint64_t end = m_hashed;
    for (auto it = m_cache.begin(); it != m_cache.end() && it->first == end;) {
        const std::uint64_t next = end + std::uint64_t(it->second.size());
        if (next > m_target || (!chunks.empty() && next > limit))
            break;
        chunks.push_back(std::move(it->second));
        m_cachedBytes -= std::uint64_t(chunks.back().size());
        it = m_cache.erase(it);
        end = next;
    }
    m_slicePending = true;
    m_sliceFromMemory = !chunks.empty();
    if (m_sliceFromMemory) {
        m_watcher.setFuture(QtConcurrent::run(hashChunks, m_sha, std::move(chunks)));
        return;
    }
    // From the file, up to the next cached chunk.
    std::uint64_t to = limit;
    if (const auto next = m_cache.upper_bound(m_hashed); next != m_cache.end())
        to = std::min(to, next->first);
    m_watcher.setFuture(QtConcurrent::run(hashRange, m_path, m_sha, m_hashed, to));
}

void FileHasher::collectSlice()
{
    if (!m_slicePending)
        return;
    m_slicePending = false;
    const std::uint64_t n = m_watcher.future().resultCount() > 0 ? m_watcher.result() : 0;
    if (n == 0) {
        m_failed = true; // unreadable: the final verification hashes the whole file
        m_cache.clear();
        m_cachedBytes = 0;
        return;
    }
    m_hashed += n;
    (m_sliceFromMemory ? m_fromMemory : m_fromFile) += n;
}

void FileHasher::onSliceDone()
{
    collectSlice();
    startSlice();
}

FileHasher::State FileHasher::take()
{
    // The last slice's finished() may not have been delivered yet: collect it here.
    m_watcher.waitForFinished();
    collectSlice();
    State s;
    if (!m_failed)
        s = {std::move(m_sha), m_hashed};
    m_sha.reset();
    m_failed = true;
    m_cache.clear();
    m_cachedBytes = 0;
    return s;
}

} // namespace Transfer
