#pragma once
// How a file maps onto chunks, blocks and wire units (docs/TRANSFER.md "Units").
// A chunk is 1 MiB; it travels as one hash unit (its SHA-256) followed by its blocks of
// kBlockSize bytes, the last one short. Unit numbers are chunk * kUnitsPerChunk + index,
// index 0 = hash, 1.. = blocks. All offsets are 64-bit.
#include <transfer/wire/packet.h>

#include <cstdint>
#include <span>

namespace Transfer {

inline constexpr std::uint64_t kChunkSize = 1024 * 1024;
inline constexpr std::uint32_t kBlocksPerChunk
        = std::uint32_t((kChunkSize + kBlockSize - 1) / kBlockSize);
inline constexpr std::uint32_t kUnitsPerChunk = kBlocksPerChunk + 1;

[[nodiscard]] constexpr std::uint64_t chunkCount(std::uint64_t fileSize)
{
    return (fileSize + kChunkSize - 1) / kChunkSize;
}
[[nodiscard]] constexpr std::uint64_t chunkOffset(std::uint64_t chunk)
{
    return chunk * kChunkSize;
}
[[nodiscard]] constexpr std::uint64_t chunkLength(std::uint64_t chunk, std::uint64_t fileSize)
{
    const std::uint64_t start = chunkOffset(chunk);
    if (start >= fileSize)
        return 0;
    return fileSize - start < kChunkSize ? fileSize - start : kChunkSize;
}
[[nodiscard]] constexpr std::uint32_t blocksInChunk(std::uint64_t chunk, std::uint64_t fileSize)
{
    return std::uint32_t((chunkLength(chunk, fileSize) + kBlockSize - 1) / kBlockSize);
}
// Length of block `block` (0-based) of `chunk`.
[[nodiscard]] constexpr std::uint32_t blockLength(std::uint64_t chunk, std::uint32_t block,
                                                  std::uint64_t fileSize)
{
    const std::uint64_t len = chunkLength(chunk, fileSize);
    const std::uint64_t start = std::uint64_t(block) * kBlockSize;
    if (start >= len)
        return 0;
    return std::uint32_t(len - start < kBlockSize ? len - start : kBlockSize);
}
[[nodiscard]] constexpr std::uint32_t unitChunk(std::uint32_t unit)
{
    return unit / kUnitsPerChunk;
}
[[nodiscard]] constexpr std::uint32_t unitIndex(std::uint32_t unit)
{
    return unit % kUnitsPerChunk;
}
[[nodiscard]] constexpr std::uint32_t makeUnit(std::uint32_t chunk, std::uint32_t index)
{
    return chunk * kUnitsPerChunk + index;
}
// Largest file the 32-bit unit space addresses (about 4.5 TiB).
inline constexpr std::uint64_t kMaxFileSize = (0xFFFFFFFFull / kUnitsPerChunk) * kChunkSize;

// Walks the units of the chunks listed in `runs` (ascending, disjoint) in order. Sender and
// Go-Back-N receiver walk the same list, so both agree on what "next" means.
class UnitCursor
{
public:
    UnitCursor() = default;
    UnitCursor(std::span<const ChunkRun> runs, std::uint64_t fileSize)
        : m_runs(runs)
        , m_fileSize(fileSize)
    {
        skipEmpty();
    }
    [[nodiscard]] bool atEnd() const { return m_run >= m_runs.size(); }
    [[nodiscard]] std::uint32_t unit() const { return makeUnit(m_chunk, m_index); }
    [[nodiscard]] std::uint32_t chunk() const { return m_chunk; }
    void advance()
    {
        if (atEnd())
            return;
        if (++m_index <= blocksInChunk(m_chunk, m_fileSize))
            return;
        m_index = 0;
        ++m_chunk;
        if (m_chunk >= m_runs[m_run].first + m_runs[m_run].count
            || chunkLength(m_chunk, m_fileSize) == 0) {
            ++m_run;
            skipEmpty();
        }
    }

private:
    void skipEmpty()
    {
        while (!atEnd()) {
            const ChunkRun &r = m_runs[m_run];
            if (r.count > 0 && chunkLength(r.first, m_fileSize) > 0) {
                if (m_chunk < r.first || m_chunk >= r.first + r.count)
                    m_chunk = r.first;
                if (chunkLength(m_chunk, m_fileSize) > 0)
                    return;
            }
            ++m_run;
        }
    }
    std::span<const ChunkRun> m_runs;
    std::uint64_t m_fileSize = 0;
    std::size_t m_run = 0;
    std::uint32_t m_chunk = 0;
    std::uint32_t m_index = 0;
};

} // namespace Transfer
