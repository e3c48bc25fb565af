#include <share/treewalker.h>

#include <share/hashcache.h>
#include <share/sharelogging.h>

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Share {

namespace {

[[nodiscard]] qint64 mtimeOf(const QFileInfo &info)
{
    return info.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch();
}

[[nodiscard]] FoundFile makeFound(const ShareRoot &root, const QFileInfo &info,
                                  const QString &canonical)
{
    FoundFile f;
    f.root = root.path;
    f.logicalPath = info.absoluteFilePath();
    f.canonicalPath = canonical;
    const qsizetype skip = root.path.endsWith(u'/') ? root.path.size() : root.path.size() + 1;
    f.relativePath = root.isFile ? info.fileName() : f.logicalPath.mid(skip);
    f.size = info.size();
    f.mtimeMs = mtimeOf(info);
    return f;
}

struct Walker
{
    const ShareRoot &root;
    qsizetype maxFiles;
    WalkResult result;

    // Files are collected, folders pushed onto the walk stack, everything else counted.
    void visit(const QFileInfo &info, int depth, QList<std::pair<QString, int>> &stack)
    {
        if (isExcludedName(info.fileName())) {
            ++result.skippedOther;
            return;
        }
        if (info.isSymLink()) {
            const QString target = info.canonicalFilePath();
            if (target.isEmpty() || !isPathInside(target, root.path)) {
                ++result.skippedOutside;
                qCDebug(lcShare) << "not sharing symlink out of its root:" << info.filePath();
                return;
            }
            if (info.isFile())
                addFile(info, target);
            else
                ++result.skippedOther; // symlinked folders are never followed: no loops
            return;
        }
        if (info.isDir()) {
            if (depth + 1 > MaxWalkDepth) {
                ++result.skippedOther;
                return;
            }
            stack.append({info.absoluteFilePath(), depth + 1});
            return;
        }
        if (!info.isFile()) {
            ++result.skippedOther; // fifos, sockets, devices: reading them could block forever
            return;
        }
        addFile(info, info.canonicalFilePath());
    }

    void addFile(const QFileInfo &info, const QString &canonical)
    {
        if (canonical.isEmpty() || !isPathInside(canonical, root.path)) {
            ++result.skippedOutside;
            return;
        }
        if (result.files.size() >= maxFiles) {
            result.truncated = true;
            return;
        }
        result.files.append(makeFound(root, info, canonical));
    }
};

} // namespace

bool isExcludedName(const QString &fileName)
{
    return fileName.startsWith(u'.') || fileName.endsWith(".part"_L1, Qt::CaseInsensitive);
}

WalkResult walkShareRoot(const ShareRoot &root, qsizetype maxFiles,
                         const std::function<bool()> &cancelled)
{
    Walker walker {root, maxFiles, {}};
    const QFileInfo rootInfo(root.path);
    if (root.isFile) {
        // The root itself was canonical when added; if it became a symlink since, refuse it.
        if (rootInfo.isFile() && !rootInfo.isSymLink())
            walker.addFile(rootInfo, rootInfo.canonicalFilePath());
        return walker.result;
    }
    if (!rootInfo.isDir() || rootInfo.isSymLink())
        return walker.result;
    QList<std::pair<QString, int>> stack {{root.path, 0}};
    while (!stack.isEmpty() && !walker.result.truncated) {
        if (cancelled && cancelled())
            break;
        const auto [dir, depth] = stack.takeLast();
        walker.result.directories.append(dir);
        const QFileInfoList entries = QDir(dir).entryInfoList(
                QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
        for (const QFileInfo &info : entries)
            walker.visit(info, depth, stack);
    }
    return walker.result;
}

} // namespace Share
