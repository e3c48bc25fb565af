#include "filehasher.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

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

void FileHasher::advanceTo(std::uint64_t bytes)
{
    m_target = std::max(m_target, bytes);
    // Not isRunning(): a slice that finished but was not collected has not moved m_hashed yet.
    if (!m_slicePending)
        startSlice();
}

void FileHasher::startSlice()
{
    if (m_failed || !m_sha || m_hashed >= m_target)
        return;
    const std::uint64_t to = std::min(m_target, m_hashed + kSliceBytes);
    m_slicePending = true;
    m_watcher.setFuture(QtConcurrent::run(hashRange, m_path, m_sha, m_hashed, to));
}

void FileHasher::collectSlice()
{
    if (!m_slicePending)
        return;
    m_slicePending = false;
    const std::uint64_t n = m_watcher.future().resultCount() > 0 ? m_watcher.result() : 0;
    if (n == 0)
        m_failed = true; // unreadable: the final verification hashes the whole file
    else
        m_hashed += n;
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
    return s;
}

} // namespace Transfer
