#include <client/knownpeers.h>

#include <client/clientlogging.h>

#include <protocol/limits.h>
#include <protocol/names.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <utility>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024; // far above any real address book
} // namespace

KnownPeers::KnownPeers(QString path)
    : m_path(std::move(path))
{ }

KnownPeers::~KnownPeers()
{
    flush();
}

bool KnownPeers::load(QString *error)
{
    m_keys.clear();
    if (m_path.isEmpty() || !QFileInfo::exists(m_path))
        return true;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxFileBytes) {
        if (error)
            *error = u"cannot read known peers file %1: %2"_s.arg(m_path, file.errorString());
        return false;
    }
    return loadFromBytes(file.readAll(), error);
}

bool KnownPeers::loadFromBytes(const QByteArray &contents, QString *error)
{
    m_keys.clear();
    QHash<QString, QByteArray> keys;
    int lineNumber = 0;
    for (const QByteArray &raw : contents.split('\n')) {
        ++lineNumber;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> parts = line.split(' ');
        const QString nick = QString::fromUtf8(parts.value(0));
        const auto key = QByteArray::fromBase64Encoding(parts.value(1),
                                                        QByteArray::AbortOnBase64DecodingErrors);
        if (parts.size() != 2 || !Protocol::isValidNick(nick) || !key
            || key.decoded.size() != Protocol::Limits::IdentityKeyBytes) {
            if (error)
                *error = u"known peers file %1: line %2 is not 'nick base64-key'"_s.arg(m_path).arg(
                        lineNumber);
            return false;
        }
        keys.insert(Protocol::nickKey(nick), key.decoded);
    }
    m_keys = std::move(keys);
    return true;
}

KnownPeers::Sight KnownPeers::see(const QString &nick, const QByteArray &key)
{
    const QString k = Protocol::nickKey(nick);
    const auto it = m_keys.constFind(k);
    if (it == m_keys.cend()) {
        m_keys.insert(k, key);
        m_dirty = true;
        return Sight::First;
    }
    return *it == key ? Sight::Same : Sight::Changed;
}

void KnownPeers::flush()
{
    if (m_dirty)
        save();
}

void KnownPeers::trust(const QString &nick, const QByteArray &key)
{
    m_keys.insert(Protocol::nickKey(nick), key);
    save();
}

QByteArray KnownPeers::trustedKey(const QString &nick) const
{
    return m_keys.value(Protocol::nickKey(nick));
}

void KnownPeers::save()
{
    m_dirty = false;
    if (m_path.isEmpty())
        return;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcClient).noquote() << "cannot write known peers" << m_path << file.errorString();
        return;
    }
    file.write("# hopshare known peers: nick and the Ed25519 key trusted for it\n");
    QStringList nicks = m_keys.keys();
    nicks.sort();
    for (const QString &nick : std::as_const(nicks))
        file.write(nick.toUtf8() + ' ' + m_keys.value(nick).toBase64() + '\n');
    if (!file.commit())
        qCWarning(lcClient).noquote() << "cannot write known peers" << m_path << file.errorString();
}

} // namespace Client
