#pragma once

#include <QString>
#include <QStringList>

namespace Client {

// Before a second download of the same content: is a copy already here? A verified download
// of the same SHA-256 that finished earlier (its file still there with that size), or a file of the
// same size and SHA-256 in the download folder (not its sub-folders; only files of the right size
// are read). Returns its path, or empty.
[[nodiscard]] QString findExistingCopy(const QString &sha256, qint64 size,
                                       const QStringList &finishedDownloads,
                                       const QString &downloadFolder);

// What the person chose when asked about a copy that is already here.
enum class DuplicateChoice { OpenExisting, DownloadAgain, Cancel };

} // namespace Client
