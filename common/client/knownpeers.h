#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace Client {

// The public key last trusted for each nick, so that a nick showing up with another key is
// flagged rather than silently believed (trust on first use, like ssh's known_hosts).
//
// Keyed by the nick alone (case-insensitive, Protocol::nickKey), whatever server or network it
// is met on: for the user a nick is a person, and the same nick with another key elsewhere is
// exactly what should be pointed out. The file holds one "nick base64(key)" line per peer and
// is written whole (QSaveFile) on every change. An empty path keeps the store in memory.
class KnownPeers
{
public:
    enum class Sight {
        First, // never seen: recorded now, silently
        Same, // the trusted key
        Changed, // another key than the trusted one: flag it; the trusted key is kept
    };

    explicit KnownPeers(QString path = {});
    ~KnownPeers(); // writes what flush() has not written yet
    KnownPeers(const KnownPeers &) = delete;
    KnownPeers &operator=(const KnownPeers &) = delete;

    // Reads the file; a missing file is an empty store. False with *error on a file that
    // cannot be read or has malformed lines (the store is then left empty, and the file is not
    // overwritten until something changes).
    bool load(QString *error = nullptr);
    // The same from the file's contents (what load() reads); false with *error on a malformed
    // line, leaving the store empty.
    bool loadFromBytes(const QByteArray &contents, QString *error = nullptr);
    [[nodiscard]] QString path() const { return m_path; }

    // What `key` is for `nick`. A first sight is recorded as the trusted key; flush() writes
    // it (a joined list of thousands of members is one write, not thousands).
    Sight see(const QString &nick, const QByteArray &key);
    // Writes the file if a first sight changed the store since the last write.
    void flush();
    // The user accepts `key` for `nick` (after a change was flagged); written at once.
    void trust(const QString &nick, const QByteArray &key);
    // Empty when the nick was never seen.
    [[nodiscard]] QByteArray trustedKey(const QString &nick) const;
    [[nodiscard]] qsizetype size() const { return m_keys.size(); }

private:
    void save();

    QString m_path;
    QHash<QString, QByteArray> m_keys; // nickKey -> trusted public key
    bool m_dirty = false;
};

} // namespace Client
