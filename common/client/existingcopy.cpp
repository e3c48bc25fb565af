#include <client/existingcopy.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Client {

namespace {

bool hasContent(const QString &path, const QString &sha256, qint64 size)
{
    if (QFileInfo(path).size() != size)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    return hash.addData(&file)
            && QString::fromLatin1(hash.result().toHex()).compare(sha256, Qt::CaseInsensitive) == 0;
}

} // namespace

QString findExistingCopy(const QString &sha256, qint64 size, const QStringList &finishedDownloads,
                         const QString &downloadFolder)
{
    if (sha256.isEmpty() || size < 0)
        return {};
    // Verified when they finished: their size is enough, no need to read them again.
    for (const QString &path : finishedDownloads) {
        if (QFileInfo(path).isFile() && QFileInfo(path).size() == size)
            return path;
    }
    if (downloadFolder.isEmpty())
        return {};
    const QFileInfoList files = QDir(downloadFolder).entryInfoList(QDir::Files, QDir::Name);
    for (const QFileInfo &f : files) {
        if (f.size() == size && !f.fileName().endsWith(u".part")
            && hasContent(f.absoluteFilePath(), sha256, size))
            return f.absoluteFilePath();
    }
    return {};
}

} // namespace Client
