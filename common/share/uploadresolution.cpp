#include <share/uploadresolution.h>

#include <share/hashcache.h>

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Share {

QLatin1StringView uploadStatusName(UploadResolution::Status status)
{
    switch (status) {
    case UploadResolution::Status::Ok:
        return "ok"_L1;
    case UploadResolution::Status::InvalidKey:
        return "invalid-key"_L1;
    case UploadResolution::Status::NotFound:
        return "not-found"_L1;
    case UploadResolution::Status::OutsideRoot:
        return "outside-root"_L1;
    case UploadResolution::Status::Gone:
        return "gone"_L1;
    }
    return "unknown"_L1;
}

UploadResolution verifyOnDisk(const IndexedFile &entry)
{
    UploadResolution result;
    result.file = entry.file;
    const QString rootNow = QFileInfo(entry.root).canonicalFilePath();
    const QString canonical = QFileInfo(entry.logicalPath).canonicalFilePath();
    if (rootNow.isEmpty() || canonical.isEmpty()) {
        result.status = UploadResolution::Status::Gone;
        return result;
    }
    if (rootNow != entry.root || !isPathInside(canonical, entry.root)) {
        // The root or a folder on the way was swapped for a symlink that leads elsewhere.
        result.status = UploadResolution::Status::OutsideRoot;
        return result;
    }
    const QFileInfo target(canonical);
    const qint64 mtime = target.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch();
    if (canonical != entry.canonicalPath || !target.isFile() || target.size() != entry.file.size
        || mtime != entry.mtimeMs) {
        result.status = UploadResolution::Status::Gone;
        return result;
    }
    result.status = UploadResolution::Status::Ok;
    result.path = canonical;
    return result;
}

} // namespace Share
