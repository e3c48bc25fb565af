#pragma once
// The uploader's side of the disk: reads 1 MiB chunks at 64-bit offsets and hashes them.
// Reading and hashing a chunk takes ~0.6-1 ms (page cache, OpenSSL SHA-256), which at a few
// hundred MB/s would be a fifth of the engine thread. Uploads read chunks in ascending order,
// so each read also starts the next kPrefetch chunks on a worker thread (QtConcurrent); a
// later readChunk() of a prefetched chunk only collects the result.
#include <transfer/wire/packet.h>

#include <QByteArray>
#include <QFile>
#include <QFuture>
#include <QString>

#include <map>

namespace Transfer {

class FileSource
{
public:
    static constexpr std::uint32_t kPrefetch = 2;

    FileSource() = default;
    ~FileSource();
    FileSource(const FileSource &) = delete;
    FileSource &operator=(const FileSource &) = delete;

    [[nodiscard]] bool open(const QString &path, std::uint64_t expectedSize, QString *error);
    // Reads chunk `chunk` into *data and its SHA-256 into *sha256.
    [[nodiscard]] bool readChunk(std::uint32_t chunk, QByteArray *data, Digest32 *sha256);
    [[nodiscard]] std::uint64_t size() const { return m_size; }

    struct Chunk
    {
        bool ok = false;
        QByteArray data;
        Digest32 sha256 {};
    };

private:
    void prefetch(std::uint32_t chunk);

    QFile m_file;
    QString m_path;
    std::uint64_t m_size = 0;
    std::map<std::uint32_t, QFuture<Chunk>> m_pending;
};

} // namespace Transfer
