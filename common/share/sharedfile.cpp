#include <share/sharedfile.h>

namespace Share {

QString SharedFile::sha256Hex() const
{
    return QString::fromLatin1(Crypto::Sha256::toHex(sha256));
}

QString makeFileId(const QString &logicalPath, qint64 size, const Crypto::Sha256::Digest &sha256)
{
    Crypto::Sha256 h;
    h.addData(QByteArrayView("hopshare.file.v1"));
    h.addData(QByteArrayView("\0", 1));
    h.addData(logicalPath.toUtf8());
    h.addData(QByteArrayView("\0", 1));
    h.addData(QByteArray::number(size));
    h.addData(QByteArrayView("\0", 1));
    h.addData(sha256.data(), sha256.size());
    return QString::fromLatin1(Crypto::Sha256::toHex(h.finish()).left(16));
}

bool isFileId(QStringView text)
{
    if (text.size() != 16)
        return false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f')))
            return false;
    }
    return true;
}

} // namespace Share
