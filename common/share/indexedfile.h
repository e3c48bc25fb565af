#pragma once

#include <share/sharedfile.h>

#include <QString>

namespace Share {

// One entry of the index together with what only the index may know: where its bytes live.
struct IndexedFile
{
    SharedFile file;
    QString root; // canonical shared root it was found under
    QString logicalPath; // root + relative path: where it was found
    QString canonicalPath; // where its bytes are (differs for a symlink inside the root)
    qint64 mtimeMs = 0;
    QString foldedName; // case-folded copies for search
    QString foldedPath;
};

} // namespace Share
