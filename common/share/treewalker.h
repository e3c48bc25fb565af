#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>

namespace Share {

// One shared root: a folder (walked recursively) or a single file. Always canonical.
struct ShareRoot
{
    QString path;
    bool isFile = false;
    friend bool operator==(const ShareRoot &, const ShareRoot &) = default;
};

// A regular file found below a root. logicalPath is where it was found (root + relative path);
// canonicalPath is where its bytes live (differs for a symlink that stays inside the root).
struct FoundFile
{
    QString root;
    QString logicalPath;
    QString canonicalPath;
    QString relativePath;
    qint64 size = 0;
    qint64 mtimeMs = 0;
};

struct WalkResult
{
    QList<FoundFile> files;
    QStringList directories; // every folder walked, for the file-system watcher
    qsizetype skippedOutside = 0; // symlinks leading out of the root
    qsizetype skippedOther = 0; // hidden, special, partial downloads, unreadable, too deep
    bool truncated = false; // the file limit was reached
};

// Limits that keep a hostile or accidental tree (a symlinked loop, a whole disk) bounded.
inline constexpr int MaxWalkDepth = 64;
inline constexpr qsizetype MaxIndexedFiles = 500'000;

// Walks one root without following symlinked folders. A symlinked file is kept only when its
// canonical target lies inside the root. Hidden entries (leading '.') and "*.part" files are not
// shared. `cancelled` is polled between folders.
[[nodiscard]] WalkResult walkShareRoot(const ShareRoot &root, qsizetype maxFiles,
                                       const std::function<bool()> &cancelled);

// Whether a name is one the index never shares (hidden or an unfinished download).
[[nodiscard]] bool isExcludedName(const QString &fileName);

} // namespace Share

Q_DECLARE_METATYPE(Share::ShareRoot)
