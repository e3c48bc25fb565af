// DownloadConnection: assembling units into chunks, verifying them and re-fetching bad ones.
#include <transfer/connection/downloadconnection.h>

#include <transfer/connection/handshakecrypto.h>
#include <transfer/io/transferlogging.h>
#include <transfer/wire/randombytes.h>

#include <crypto/sha256.h>

#include <QRandomGenerator>
#include <QStringList>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
// Chunks between fdatasync of the .part (the journal never vouches for data not on disk).
constexpr std::uint32_t kSyncEveryChunks = 16;
// Completed chunks' buffers kept for reuse: a window of chunks in assembly at a time.
constexpr std::size_t kMaxSpareBuffers = 8;
} // namespace

QByteArray DownloadConnection::takeChunkBuffer(qsizetype size)
{
    // A buffer the hasher still reads (shared) is left alone; a free one is taken.
    for (auto it = m_spareBuffers.begin(); it != m_spareBuffers.end(); ++it) {
        if (it->isDetached() && it->capacity() >= size) {
            QByteArray buffer = std::move(*it);
            m_spareBuffers.erase(it);
            buffer.resize(size);
            return buffer;
        }
    }
    return QByteArray(size, Qt::Uninitialized);
}

void DownloadConnection::recycleChunkBuffer(QByteArray buffer)
{
    if (m_spareBuffers.size() >= kMaxSpareBuffers)
        m_spareBuffers.erase(m_spareBuffers.begin()); // the oldest: most likely still shared
    m_spareBuffers.push_back(std::move(buffer));
}

DownloadConnection::UnitResult DownloadConnection::acceptUnit(std::uint32_t unit,
                                                              std::span<const std::byte> payload)
{
    const std::uint32_t chunk = unitChunk(unit);
    const std::uint32_t index = unitIndex(unit);
    if (chunk >= m_store.chunkCount() || index > blocksInChunk(chunk, m_request.size)) {
        ++m_malformed;
        return UnitResult::Rejected;
    }
    if (m_store.hasChunk(chunk))
        return UnitResult::Duplicate;
    // Beyond the advertised credit: the sender overran us; drop rather than buffer.
    if (chunk >= credit())
        return UnitResult::Rejected;
    auto [it, created] = m_assemblies.try_emplace(chunk);
    Assembly &a = it->second;
    if (created) {
        a.data = takeChunkBuffer(qsizetype(chunkLength(chunk, m_request.size)));
        a.have.assign(blocksInChunk(chunk, m_request.size) + 1, false);
        a.missing = std::uint32_t(a.have.size());
    }
    if (a.have[index])
        return UnitResult::Duplicate;
    if (index == 0) {
        if (payload.size() != a.sha256.size()) {
            ++m_malformed;
            return UnitResult::Rejected;
        }
        std::memcpy(a.sha256.data(), payload.data(), payload.size());
        a.hashKnown = true;
    } else {
        const std::uint32_t len = blockLength(chunk, index - 1, m_request.size);
        if (payload.size() != len) {
            ++m_malformed;
            return UnitResult::Rejected;
        }
        std::memcpy(a.data.data() + std::size_t(index - 1) * kBlockSize, payload.data(), len);
        m_bytesReceived += len;
    }
    a.have[index] = true;
    if (--a.missing == 0)
        completeChunk(chunk, a);
    return UnitResult::Stored;
}

void DownloadConnection::completeChunk(std::uint32_t chunk, Assembly &a)
{
    // 1 MiB of SHA-256 is well under a millisecond with OpenSSL: cheap enough inline.
    if (Crypto::Sha256::hash(a.data) != a.sha256) {
        if (m_request.options.mode == ArqMode::SelectiveRepeat
            && m_refetches[chunk].generation + 1 < kMaxChunkFailures) {
            refetchChunk(chunk);
            return;
        }
        fail(TransferError::Verification,
             u"chunk %1 does not match the uploader's hash (%2 attempts)"_s.arg(chunk).arg(
                     m_request.options.mode == ArqMode::SelectiveRepeat ? kMaxChunkFailures : 1));
        return;
    }
    QString error;
    const auto bytes = std::span(reinterpret_cast<const std::byte *>(a.data.constData()),
                                 std::size_t(a.data.size()));
    if (!m_store.writeChunk(chunk, bytes, a.sha256, &error)) {
        fail(TransferError::Disk, error);
        return;
    }
    m_bytesVerified += std::uint64_t(a.data.size());
    // Shared, not copied: the whole-file hash reads the verified bytes from here, not the file.
    m_hasher->addChunk(chunkOffset(chunk), a.data);
    recycleChunkBuffer(std::move(a.data));
    m_assemblies.erase(chunk);
    while (m_lowestMissing < m_store.chunkCount() && m_store.hasChunk(m_lowestMissing))
        ++m_lowestMissing;
    m_hasher->advanceTo(std::min<std::uint64_t>(chunkOffset(m_lowestMissing), m_request.size));
    if (++m_chunksSinceSync >= kSyncEveryChunks) {
        m_store.sync();
        m_chunksSinceSync = 0;
    }
}

void DownloadConnection::refetchChunk(std::uint32_t chunk)
{
    Refetch &r = m_refetches[chunk];
    ++r.generation;
    r.pending = true;
    r.nextSend = {}; // at once
    ++m_chunksRefetched;
    m_bytesReceived -= std::min<quint64>(m_bytesReceived, chunkLength(chunk, m_request.size));
    m_assemblies.erase(chunk);
    qCDebug(lcTransfer) << "download" << m_id << "chunk" << chunk
                        << "failed its hash; asking for generation" << r.generation;
}

bool DownloadConnection::isCurrentGeneration(std::uint32_t unit, std::uint8_t generation)
{
    const auto it = m_refetches.find(unitChunk(unit));
    if (it == m_refetches.end())
        return generation == 0;
    if (generation != it->second.generation)
        return false;
    it->second.pending = false; // the uploader has the request
    return true;
}

void DownloadConnection::sendDueRefetches(TimePoint now)
{
    for (auto &[chunk, r] : m_refetches) {
        if (!r.pending || r.nextSend > now)
            continue;
        PacketHeader h = header(PacketType::Refetch);
        h.timestampUs = timestampUs(now);
        if (const std::size_t n = encodeRefetch(m_buffer, h, RefetchBody {chunk, r.generation})) {
            send(n);
            ++m_packetsSent;
        }
        r.nextSend = now + kRefetchRepeat;
    }
}

} // namespace Transfer
