#include <transfer/storage/filesource.h>

#include <transfer/storage/filelayout.h>

#include <crypto/sha256.h>

#include <QtConcurrent/QtConcurrentRun>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

// Runs on any thread. pread on the descriptor opened once keeps reading the file that was
// offered (even if it is renamed meanwhile) and shares no file position between threads.
FileSource::Chunk load(int fd, const QString &path, std::uint64_t offset, std::uint64_t length)
{
    FileSource::Chunk c;
    c.data.resize(qsizetype(length));
#ifdef Q_OS_UNIX
    Q_UNUSED(path);
    std::uint64_t done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd, c.data.data() + done, length - done, off_t(offset + done));
        if (n <= 0)
            return c;
        done += std::uint64_t(n);
    }
#else
    Q_UNUSED(fd);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(qint64(offset))
        || file.read(c.data.data(), qint64(length)) != qint64(length))
        return c;
#endif
    c.sha256 = Crypto::Sha256::hash(c.data);
    c.ok = true;
    return c;
}

} // namespace

FileSource::~FileSource()
{
    for (auto &[chunk, future] : m_pending)
        future.waitForFinished();
}

bool FileSource::open(const QString &path, std::uint64_t expectedSize, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        *error = m_file.errorString();
        return false;
    }
    m_path = path;
    m_size = std::uint64_t(m_file.size());
    if (m_size != expectedSize) {
        *error = u"file size changed since it was offered"_s;
        return false;
    }
    return true;
}

void FileSource::prefetch(std::uint32_t chunk)
{
    const std::uint64_t len = chunkLength(chunk, m_size);
    if (len == 0 || m_pending.contains(chunk))
        return;
    m_pending.emplace(chunk,
                      QtConcurrent::run(load, m_file.handle(), m_path, chunkOffset(chunk), len));
}

bool FileSource::readChunk(std::uint32_t chunk, QByteArray *data, Digest32 *sha256)
{
    const std::uint64_t len = chunkLength(chunk, m_size);
    if (len == 0)
        return false;
    // Prefetches that were skipped (a resume jumps over present chunks) are dropped.
    while (!m_pending.empty() && m_pending.begin()->first < chunk) {
        m_pending.begin()->second.waitForFinished();
        m_pending.erase(m_pending.begin());
    }
    for (std::uint32_t next = chunk + 1; next <= chunk + kPrefetch; ++next)
        prefetch(next);
    Chunk c;
    if (auto it = m_pending.find(chunk); it != m_pending.end()) {
        c = it->second.result();
        m_pending.erase(it);
    } else {
        c = load(m_file.handle(), m_path, chunkOffset(chunk), len);
    }
    if (!c.ok)
        return false;
    *data = std::move(c.data);
    *sha256 = c.sha256;
    return true;
}

} // namespace Transfer
