#include <client/knownservers.h>

#include <crypto/certificatefingerprint.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
constexpr qint64 kMaxFileBytes = 1 << 20; // a pin file larger than this is not ours
}

KnownServers::KnownServers(QString path)
    : m_path(path.isEmpty() ? defaultPath() : std::move(path))
{ }

QString KnownServers::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/known-servers"_s;
}

QString KnownServers::readError() const
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return {};
    QFile file(m_path);
    if (!info.isFile() || !file.open(QIODevice::ReadOnly))
        return u"the known-servers file %1 cannot be read (%2)"_s.arg(
                m_path, info.isFile() ? file.errorString() : u"not a file"_s);
    if (file.size() > kMaxFileBytes)
        return u"the known-servers file %1 is larger than %2 bytes"_s.arg(m_path).arg(
                kMaxFileBytes);
    return {};
}

QList<KnownServers::Line> KnownServers::read() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return parse(file.read(kMaxFileBytes));
}

QList<KnownServers::Line> KnownServers::parse(const QByteArray &contents)
{
    QList<Line> out;
    const QList<QByteArray> lines = contents.split('\n');
    for (const QByteArray &raw : lines) {
        // A '#' after leading blanks starts a comment too (a host name never starts with one).
        const QByteArray line = raw.simplified();
        const QList<QByteArray> parts = line.split(' ');
        // Comments, blank or garbled lines keep their place so that line numbers stay true.
        if (parts.size() == 2 && !line.startsWith('#'))
            out.append(Line {QString::fromUtf8(parts[0]),
                             Crypto::normalizedFingerprint(QString::fromLatin1(parts[1]))});
        else
            out.append(Line {});
    }
    return out;
}

std::optional<KnownServers::Entry> KnownServers::find(const QString &hostPort) const
{
    const QList<Line> lines = read();
    for (int i = 0; i < lines.size(); ++i) {
        if (!lines[i].hostPort.isEmpty() && lines[i].hostPort == hostPort)
            return Entry {lines[i].fingerprint, i + 1};
    }
    return std::nullopt;
}

bool KnownServers::remember(const QString &hostPort, const QString &fingerprint, QString *error)
{
    if (const QString unreadable = readError(); !unreadable.isEmpty()) {
        if (error)
            *error = unreadable + u"; %1 was not pinned"_s.arg(hostPort);
        return false;
    }
    QByteArray text;
    QFile old(m_path);
    bool replaced = false;
    if (old.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = old.read(kMaxFileBytes).split('\n');
        for (const QByteArray &raw : lines) {
            if (raw.isEmpty())
                continue;
            const QList<QByteArray> parts = raw.simplified().split(' ');
            if (parts.size() == 2 && QString::fromUtf8(parts[0]) == hostPort) {
                if (replaced)
                    continue;
                text += hostPort.toUtf8() + ' ' + fingerprint.toLatin1() + '\n';
                replaced = true;
            } else {
                text += raw + '\n';
            }
        }
    }
    if (!replaced)
        text += hostPort.toUtf8() + ' ' + fingerprint.toLatin1() + '\n';
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace Client
