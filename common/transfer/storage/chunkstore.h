#pragma once
// The downloader's side of the disk: `NAME.part` (sparse, full size, 64-bit offsets) plus
// `NAME.part.journal`, the record of chunks whose data is verified *and* durable. A chunk is
// journaled only after the .part was fdatasync'ed with its data, so after a crash the journal
// never claims data that is not on disk; a torn journal tail only costs a re-download.
//
// Journal: 64-byte header {magic "HSJ1", version u32, chunk size u32, file size u64,
// file SHA-256[32], reserved u64, CRC32C u32} then 40-byte records {chunk u32,
// chunk SHA-256[32], CRC32C u32}, all big-endian. A header that does not match the expected
// file starts the download over.
#include <transfer/wire/packet.h>

#include <QFile>
#include <QString>

#include <cstdint>
#include <span>
#include <vector>

namespace Transfer {

class ChunkStore
{
public:
    ChunkStore() = default;
    ~ChunkStore();
    ChunkStore(const ChunkStore &) = delete;
    ChunkStore &operator=(const ChunkStore &) = delete;

    // Opens or creates the .part and journal for `finalPath`, loading verified chunks of a
    // matching journal. Fails (with *error) when the disk lacks room for what is missing.
    [[nodiscard]] bool open(const QString &finalPath, std::uint64_t fileSize,
                            const Digest32 &fileSha256, QString *error);
    // Writes a verified chunk at its offset and queues its journal record (made durable by
    // the next sync()). Returns false with *error on I/O failure.
    [[nodiscard]] bool writeChunk(std::uint32_t chunk, std::span<const std::byte> data,
                                  const Digest32 &sha256, QString *error);
    // Reads back `length` bytes at `offset` (tests, re-verification).
    [[nodiscard]] QByteArray read(std::uint64_t offset, std::uint64_t length);
    // fdatasync of the .part, then appends the pending journal records.
    bool sync();
    void close();

    [[nodiscard]] bool hasChunk(std::uint32_t chunk) const;
    [[nodiscard]] bool isComplete() const { return m_present == m_chunkCount; }
    [[nodiscard]] std::uint64_t chunkCount() const { return m_chunkCount; }
    [[nodiscard]] std::uint64_t presentChunks() const { return m_present; }
    [[nodiscard]] std::uint64_t presentBytes() const;
    [[nodiscard]] std::uint64_t fileSize() const { return m_fileSize; }
    // Missing chunks as ascending runs, at most `maxRuns`; when more would be needed the last
    // run extends to the end of the file (re-sending some present chunks is only wasteful).
    [[nodiscard]] std::vector<ChunkRun> missingRuns(std::size_t maxRuns) const;
    [[nodiscard]] QString partPath() const { return m_part.fileName(); }
    [[nodiscard]] QString journalPath() const { return m_journal.fileName(); }
    [[nodiscard]] QString finalPath() const { return m_finalPath; }

    // Marks chunks present without data or journal records (tests of far offsets).
    void markPresentForTesting(std::uint32_t first, std::uint32_t count);

private:
    bool loadJournal(const Digest32 &fileSha256);
    bool writeHeader(const Digest32 &fileSha256);
    bool checkSpace(QString *error) const;

    QFile m_part;
    QFile m_journal;
    QString m_finalPath;
    std::uint64_t m_fileSize = 0;
    std::uint64_t m_chunkCount = 0;
    std::uint64_t m_present = 0;
    std::vector<bool> m_have;
    QByteArray m_pendingRecords;
};

} // namespace Transfer
