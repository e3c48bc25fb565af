#include <share/hashcache.h>

#include <share/sharelogging.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Share {

namespace {

constexpr auto FormatTag = "hopshare-hash-cache"_L1;
constexpr int FormatVersion = 1;

// JSON numbers are doubles: integers stay exact up to 2^53, far beyond any file size or time.
constexpr double MaxExactJsonInteger = 9007199254740992.0;

[[nodiscard]] std::optional<std::pair<QString, HashCache::Entry>> parseEntry(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    const QString path = o.value("path"_L1).toString();
    const double size = o.value("size"_L1).toDouble(-1);
    const double mtime = o.value("mtime"_L1).toDouble(-1);
    const auto digest = Crypto::Sha256::fromHex(o.value("sha256"_L1).toString().toLatin1());
    if (path.isEmpty() || !QDir::isAbsolutePath(path) || !digest)
        return std::nullopt;
    if (size < 0 || size > MaxExactJsonInteger || mtime < 0 || mtime > MaxExactJsonInteger)
        return std::nullopt;
    return std::pair {path, HashCache::Entry {qint64(size), qint64(mtime), *digest}};
}

} // namespace

bool isPathInside(const QString &path, const QString &root)
{
    if (root.isEmpty() || path.isEmpty())
        return false;
    if (path == root)
        return true;
    if (root.endsWith(u'/'))
        return path.startsWith(root);
    return path.size() > root.size() && path.startsWith(root) && path.at(root.size()) == u'/';
}

std::optional<Crypto::Sha256::Digest> HashCache::lookup(const QString &canonicalPath, qint64 size,
                                                        qint64 mtimeMs) const
{
    const auto it = m_entries.constFind(canonicalPath);
    if (it == m_entries.cend() || it->size != size || it->mtimeMs != mtimeMs)
        return std::nullopt;
    return it->sha256;
}

void HashCache::insert(const QString &canonicalPath, const Entry &entry)
{
    if (m_entries.size() >= MaxEntries && !m_entries.contains(canonicalPath))
        return;
    m_entries.insert(canonicalPath, entry);
}

qsizetype HashCache::removeUnder(const QString &canonicalRoot)
{
    return removeIf([&](const QString &path) { return isPathInside(path, canonicalRoot); });
}

qsizetype HashCache::removeIf(const std::function<bool(const QString &)> &predicate)
{
    return m_entries.removeIf([&](const auto &it) { return predicate(it.key()); });
}

HashCache HashCache::load(const QString &file, QString *error)
{
    QFile f(file);
    if (!f.exists())
        return {};
    if (f.size() > MaxFileBytes || !f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = f.size() > MaxFileBytes ? u"cache file too large"_s : f.errorString();
        return {};
    }
    qsizetype skipped = 0;
    HashCache cache = fromJson(f.readAll(), error, &skipped);
    if (skipped > 0)
        qCWarning(lcShare) << "hash cache" << file << ": skipped" << skipped << "bad entries";
    return cache;
}

HashCache HashCache::fromJson(const QByteArray &json, QString *error, qsizetype *skipped)
{
    HashCache cache;
    if (skipped)
        *skipped = 0;
    if (json.size() > MaxFileBytes) {
        if (error)
            *error = u"cache file too large"_s;
        return cache;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject root = doc.object();
    if (parseError.error != QJsonParseError::NoError
        || root.value("format"_L1).toString() != FormatTag
        || root.value("version"_L1).toInt() != FormatVersion) {
        if (error)
            *error = u"unrecognised cache file, ignored"_s;
        return cache;
    }
    const QJsonArray files = root.value("files"_L1).toArray();
    for (const QJsonValue &v : files) {
        if (const auto parsed = parseEntry(v))
            cache.insert(parsed->first, parsed->second);
        else if (skipped)
            ++*skipped;
    }
    return cache;
}

QByteArray HashCache::toJson() const
{
    QJsonArray files;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        files.append(QJsonObject {
                {"path"_L1, it.key()},
                {"size"_L1, double(it->size)},
                {"mtime"_L1, double(it->mtimeMs)},
                {"sha256"_L1, QString::fromLatin1(Crypto::Sha256::toHex(it->sha256))},
        });
    }
    const QJsonObject root {
            {"format"_L1, FormatTag}, {"version"_L1, FormatVersion}, {"files"_L1, files}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

bool HashCache::save(const QString &file, QString *error) const
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    // QSaveFile writes a temporary file and renames it: a crash never leaves half a cache.
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(toJson()) < 0 || !out.commit()) {
        if (error)
            *error = out.errorString();
        return false;
    }
    return true;
}

} // namespace Share
