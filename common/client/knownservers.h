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
    // Records (or replaces) the server's fingerprint; false with *error if it cannot be saved.
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
