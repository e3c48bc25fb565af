#pragma once

#include <crypto/sha256.h>

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Share {

// What the index tells the rest of the program about one shared file. The absolute path is
// deliberately absent: only ShareIndex::resolveForUpload() hands it out, after its checks.
struct SharedFile
{
    QString id; // 16 lower-case hex chars, see makeFileId()
    QString name; // file name as shown to others
    QString relativePath; // '/'-separated path inside its shared root; ends with name
    qint64 size = 0;
    QDateTime modified; // UTC
    Crypto::Sha256::Digest sha256 {};

    [[nodiscard]] QString sha256Hex() const;
    friend bool operator==(const SharedFile &, const SharedFile &) = default;
};

// The id is the first 16 hex chars of SHA-256 over a version tag, the file's path as found in
// its shared folder, its size and its content digest. It is therefore stable across restarts,
// distinct for two copies of the same content in different places, and it changes when the
// content changes, so an offer for old content can never fetch new bytes.
[[nodiscard]] QString makeFileId(const QString &logicalPath, qint64 size,
                                 const Crypto::Sha256::Digest &sha256);

// True for exactly 16 lower-case hex chars.
[[nodiscard]] bool isFileId(QStringView text);

} // namespace Share

Q_DECLARE_METATYPE(Share::SharedFile)
