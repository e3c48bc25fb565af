#include "filesource.h"

#include "filelayout.h"

#include <crypto/sha256.h>

using namespace Qt::StringLiterals;

namespace Transfer {

bool FileSource::open(const QString &path, std::uint64_t expectedSize, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        *error = m_file.errorString();
        return false;
    }
    m_size = std::uint64_t(m_file.size());
    if (m_size != expectedSize) {
        *error = u"file size changed since it was offered"_s;
        return false;
    }
    return true;
}

bool FileSource::readChunk(std::uint32_t chunk, QByteArray *data, Digest32 *sha256)
{
    const std::uint64_t len = chunkLength(chunk, m_size);
    if (len == 0 || !m_file.seek(qint64(chunkOffset(chunk))))
        return false;
    data->resize(qsizetype(len));
    if (m_file.read(data->data(), qint64(len)) != qint64(len))
        return false;
    *sha256 = Crypto::Sha256::hash(*data);
    return true;
}

} // namespace Transfer
