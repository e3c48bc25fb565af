#pragma once
// The uploader's side of the disk: reads 1 MiB chunks at 64-bit offsets and hashes them.
#include "packet.h"

#include <QByteArray>
#include <QFile>

namespace Transfer {

class FileSource
{
public:
    [[nodiscard]] bool open(const QString &path, std::uint64_t expectedSize, QString *error);
    // Reads chunk `chunk` into *data and its SHA-256 into *sha256.
    [[nodiscard]] bool readChunk(std::uint32_t chunk, QByteArray *data, Digest32 *sha256);
    [[nodiscard]] std::uint64_t size() const { return m_size; }

private:
    QFile m_file;
    std::uint64_t m_size = 0;
};

} // namespace Transfer
