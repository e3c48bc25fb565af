#pragma once

#include <crypto/sha256.h>

#include <QHash>
#include <QMetaType>
#include <QString>

#include <functional>
#include <optional>

namespace Share {

// Remembers SHA-256 digests keyed by canonical path, valid only while size and modification
// time are unchanged, so a restart does not re-hash unchanged files. A plain value type: the
// scanner works on a copy, the index owns the master copy and writes it to disk.
class HashCache
{
public:
    struct Entry
    {
        qint64 size = 0;
        qint64 mtimeMs = 0;
        Crypto::Sha256::Digest sha256 {};
    };

    // Caps the on-disk file and the entry count so a damaged cache cannot exhaust memory.
    static constexpr qint64 MaxFileBytes = 256LL * 1024 * 1024;
    static constexpr qsizetype MaxEntries = 2'000'000;

    [[nodiscard]] std::optional<Crypto::Sha256::Digest> lookup(const QString &canonicalPath,
                                                               qint64 size, qint64 mtimeMs) const;
    void insert(const QString &canonicalPath, const Entry &entry);
    void remove(const QString &canonicalPath) { m_entries.remove(canonicalPath); }
    // Drops every entry at or below a canonical folder or file path; returns how many.
    qsizetype removeUnder(const QString &canonicalRoot);
    // Drops every entry whose path satisfies the predicate; returns how many.
    qsizetype removeIf(const std::function<bool(const QString &)> &predicate);
    [[nodiscard]] qsizetype size() const { return m_entries.size(); }
    [[nodiscard]] bool contains(const QString &canonicalPath) const
    {
        return m_entries.contains(canonicalPath);
    }

    // A missing file is an empty cache, not an error; malformed entries are skipped.
    [[nodiscard]] static HashCache load(const QString &file, QString *error = nullptr);
    [[nodiscard]] bool save(const QString &file, QString *error = nullptr) const;
    // The file's contents: what load() parses and save() writes. `skipped` counts bad entries.
    [[nodiscard]] static HashCache fromJson(const QByteArray &json, QString *error = nullptr,
                                            qsizetype *skipped = nullptr);
    [[nodiscard]] QByteArray toJson() const;

private:
    QHash<QString, Entry> m_entries;
};

// True when path equals root or lies below it (both canonical, '/'-separated).
[[nodiscard]] bool isPathInside(const QString &path, const QString &root);

} // namespace Share

Q_DECLARE_METATYPE(Share::HashCache)
