#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Client {

// The certificates this client has seen, like SSH's known_hosts: one line per server,
// "host:port SHA256:<hex>". The first connection to a server records its certificate; a
// later one with another certificate is refused until the line is removed.
class KnownServers
{
public:
    struct Entry
    {
        QString fingerprint;
        int line = 0; // 1-based, for the message that tells which line to remove
    };

    // Empty path = "known-servers" in QStandardPaths::AppDataLocation.
    explicit KnownServers(QString path = {});

    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] std::optional<Entry> find(const QString &hostPort) const;
    // Why the file cannot be relied on to say what is pinned: it exists but cannot be read, or
    // is larger than a pin file can be. Empty when it can be read (or does not exist yet).
    [[nodiscard]] QString readError() const;
    // Records (or replaces) the server's fingerprint; false with *error if it cannot be saved.
    // A file that cannot be read (readError) is never overwritten: its pins would be lost.
    bool remember(const QString &hostPort, const QString &fingerprint, QString *error = nullptr);

    [[nodiscard]] static QString defaultPath();

    // One line of the file; empty fields for a comment, blank or garbled line.
    struct Line
    {
        QString hostPort, fingerprint;
    };
    // The file's contents, one Line per line (what find() searches).
    [[nodiscard]] static QList<Line> parse(const QByteArray &contents);

private:
    [[nodiscard]] QList<Line> read() const;

    QString m_path;
};

} // namespace Client
