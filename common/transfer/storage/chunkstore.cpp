#include <transfer/storage/chunkstore.h>

#include <transfer/io/transferlogging.h>
#include <transfer/storage/filelayout.h>
#include <transfer/wire/crc32c.h>
#include <transfer/wire/wirebuffer.h>

#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
constexpr std::size_t kHeaderBytes = 64;
constexpr std::size_t kRecordBytes = 40;
constexpr std::uint32_t kJournalVersion = 1;
constexpr std::array<std::byte, 4> kMagic {std::byte {'H'}, std::byte {'S'}, std::byte {'J'},
                                           std::byte {'1'}};

std::span<const std::byte> asBytes(const QByteArray &a)
{
    return {reinterpret_cast<const std::byte *>(a.constData()), std::size_t(a.size())};
}
} // namespace

ChunkStore::~ChunkStore()
{
    close();
}

bool ChunkStore::open(const QString &finalPath, std::uint64_t fileSize, const Digest32 &fileSha256,
                      QString *error)
{
    close();
    m_finalPath = finalPath;
    m_fileSize = fileSize;
    m_chunkCount = Transfer::chunkCount(fileSize);
    m_have.assign(m_chunkCount, false);
    m_present = 0;
    if (fileSize > kMaxFileSize) {
        *error = u"file too large for the transport"_s;
        return false;
    }
    m_part.setFileName(finalPath + u".part"_s);
    m_journal.setFileName(finalPath + u".part.journal"_s);
    const bool resumed = m_part.exists() && loadJournal(fileSha256);
    if (!resumed) {
        m_have.assign(m_chunkCount, false);
        m_present = 0;
    }
    if (!checkSpace(error))
        return false;
    if (!m_part.open(QIODevice::ReadWrite) || !m_part.resize(qint64(fileSize))) {
        *error = u"cannot create "_s + m_part.fileName() + u": "_s + m_part.errorString();
        m_part.close();
        return false;
    }
    if (!resumed && !writeHeader(fileSha256)) {
        *error = u"cannot write "_s + m_journal.fileName() + u": "_s + m_journal.errorString();
        close();
        return false;
    }
    return true;
}

bool ChunkStore::checkSpace(QString *error) const
{
    const QString dir = QFileInfo(m_finalPath).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        *error = u"destination folder does not exist: "_s + dir;
        return false;
    }
    QStorageInfo storage(dir);
    const std::uint64_t missing = m_fileSize - presentBytes();
    // A sparse .part holds only what was written, so the missing bytes are what must fit.
    if (storage.isValid() && std::uint64_t(storage.bytesAvailable()) < missing) {
        *error = u"not enough disk space in %1: %2 bytes needed, %3 available"_s.arg(
                dir, QString::number(missing), QString::number(storage.bytesAvailable()));
        return false;
    }
    return true;
}

bool ChunkStore::loadJournal(const Digest32 &fileSha256)
{
    if (!m_journal.open(QIODevice::ReadOnly))
        return false;
    const QByteArray all = m_journal.readAll();
    m_journal.close();
    if (std::size_t(all.size()) < kHeaderBytes)
        return false;
    const auto bytes = asBytes(all);
    WireReader h(bytes.first(kHeaderBytes));
    std::array<std::byte, 4> magic {};
    h.bytes(magic);
    const std::uint32_t version = h.u32();
    const std::uint32_t chunk = h.u32();
    const std::uint64_t size = h.u64();
    Digest32 sha {};
    h.bytes(sha);
    h.u64();
    const std::uint32_t crc = h.u32();
    if (magic != kMagic || version != kJournalVersion || chunk != kChunkSize || size != m_fileSize
        || sha != fileSha256 || crc != crc32c(bytes.first(kHeaderBytes - 4)))
        return false;
    std::size_t pos = kHeaderBytes;
    for (; pos + kRecordBytes <= bytes.size(); pos += kRecordBytes) {
        const auto rec = bytes.subspan(pos, kRecordBytes);
        WireReader r(rec);
        const std::uint32_t index = r.u32();
        Digest32 chunkSha {};
        r.bytes(chunkSha);
        if (r.u32() != crc32c(rec.first(kRecordBytes - 4)) || index >= m_chunkCount)
            break; // torn tail: everything after it is re-downloaded
        if (!m_have[index]) {
            m_have[index] = true;
            ++m_present;
        }
    }
    // Drop a torn tail so new records append after the last good one.
    if (m_journal.open(QIODevice::ReadWrite)) {
        m_journal.resize(qint64(pos));
        m_journal.close();
    }
    qCDebug(lcTransfer) << "resuming" << m_part.fileName() << "with" << m_present << "of"
                        << m_chunkCount << "chunks";
    return true;
}

bool ChunkStore::writeHeader(const Digest32 &fileSha256)
{
    std::array<std::byte, kHeaderBytes> header {};
    WireWriter w(header);
    w.bytes(kMagic);
    w.u32(kJournalVersion);
    w.u32(std::uint32_t(kChunkSize));
    w.u64(m_fileSize);
    w.bytes(fileSha256);
    w.u64(0);
    w.u32(crc32c(std::span<const std::byte>(header).first(kHeaderBytes - 4)));
    if (!m_journal.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const bool ok
            = m_journal.write(reinterpret_cast<const char *>(header.data()), qint64(header.size()))
            == qint64(header.size());
    m_journal.flush();
    m_journal.close();
    return ok;
}

bool ChunkStore::writeChunk(std::uint32_t chunk, std::span<const std::byte> data,
                            const Digest32 &sha256, QString *error)
{
    if (chunk >= m_chunkCount || data.size() != chunkLength(chunk, m_fileSize)) {
        *error = u"chunk %1 out of range"_s.arg(chunk);
        return false;
    }
    if (m_have[chunk])
        return true;
    if (!m_part.seek(qint64(chunkOffset(chunk)))
        || m_part.write(reinterpret_cast<const char *>(data.data()), qint64(data.size()))
                != qint64(data.size())) {
        *error = u"write to "_s + m_part.fileName() + u" failed: "_s + m_part.errorString();
        return false;
    }
    // Out of QFile's buffer into the page cache: the FileHasher may read it back from there.
    m_part.flush();
    m_have[chunk] = true;
    ++m_present;
    std::array<std::byte, kRecordBytes> rec {};
    WireWriter w(rec);
    w.u32(chunk);
    w.bytes(sha256);
    w.u32(crc32c(std::span<const std::byte>(rec).first(kRecordBytes - 4)));
    m_pendingRecords.append(reinterpret_cast<const char *>(rec.data()), qsizetype(rec.size()));
    return true;
}

QByteArray ChunkStore::read(std::uint64_t offset, std::uint64_t length)
{
    if (!m_part.isOpen() || !m_part.seek(qint64(offset)))
        return {};
    return m_part.read(qint64(length));
}

bool ChunkStore::sync()
{
    if (m_pendingRecords.isEmpty() || !m_part.isOpen())
        return true;
    m_part.flush();
    // Data first, then the journal that vouches for it.
    ::fdatasync(m_part.handle());
    if (!m_journal.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    const bool ok = m_journal.write(m_pendingRecords) == m_pendingRecords.size();
    m_journal.flush();
    ::fdatasync(m_journal.handle());
    m_journal.close();
    m_pendingRecords.clear();
    return ok;
}

void ChunkStore::close()
{
    sync();
    if (m_part.isOpen())
        m_part.close();
}

bool ChunkStore::hasChunk(std::uint32_t chunk) const
{
    return chunk < m_chunkCount && m_have[chunk];
}

std::uint64_t ChunkStore::presentBytes() const
{
    std::uint64_t bytes = m_present * kChunkSize;
    if (m_chunkCount > 0 && m_have[m_chunkCount - 1])
        bytes -= kChunkSize - chunkLength(m_chunkCount - 1, m_fileSize);
    return bytes;
}

std::vector<ChunkRun> ChunkStore::missingRuns(std::size_t maxRuns) const
{
    std::vector<ChunkRun> runs;
    for (std::uint64_t c = 0; c < m_chunkCount; ++c) {
        if (m_have[c])
            continue;
        if (!runs.empty() && runs.back().first + runs.back().count == c)
            ++runs.back().count;
        else if (runs.size() < maxRuns)
            runs.push_back({std::uint32_t(c), 1});
        else {
            runs.back().count = std::uint32_t(m_chunkCount - runs.back().first);
            break;
        }
    }
    return runs;
}

void ChunkStore::markPresentForTesting(std::uint32_t first, std::uint32_t count)
{
    for (std::uint64_t c = first; c < std::uint64_t(first) + count && c < m_chunkCount; ++c) {
        if (m_have[c])
            continue;
        m_have[c] = true;
        ++m_present;
    }
}

} // namespace Transfer
