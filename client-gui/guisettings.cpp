#include <client-gui/guisettings.h>

#include <QHostAddress>
#include <QRegularExpression>

#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
constexpr int kDefaultPort = 7400;

QString percent(double value)
{
    return QString::number(value, 'g', 4) % u'%';
}
} // namespace

QString TestConditions::spec() const
{
    if (!enabled)
        return {};
    QStringList parts;
    if (lossPercent > 0)
        parts << u"loss="_s % percent(lossPercent);
    if (delayMs > 0)
        parts << u"delay="_s % QString::number(delayMs) % u"ms"_s;
    if (reorderPercent > 0)
        parts << u"reorder="_s % percent(reorderPercent);
    if (corruptPercent > 0)
        parts << u"corrupt="_s % percent(corruptPercent);
    return parts.join(u',');
}

GuiSettings::GuiSettings() = default;

GuiSettings::GuiSettings(const QString &iniFile)
    : m_settings(iniFile, QSettings::IniFormat)
{ }

QString GuiSettings::nick() const
{
    return m_settings.value(u"identity/nick"_s).toString();
}
void GuiSettings::setNick(const QString &nick)
{
    m_settings.setValue(u"identity/nick"_s, nick);
}

QStringList GuiSettings::servers() const
{
    const QStringList list = m_settings.value(u"connection/servers"_s).toStringList();
    return list.isEmpty() ? QStringList {u"127.0.0.1:"_s % QString::number(kDefaultPort)} : list;
}
void GuiSettings::setServers(const QStringList &servers)
{
    m_settings.setValue(u"connection/servers"_s, servers);
}

QStringList GuiSettings::rooms() const
{
    const QStringList list = m_settings.value(u"connection/rooms"_s).toStringList();
    return list.isEmpty() ? QStringList {u"lobby"_s} : list;
}
void GuiSettings::setRooms(const QStringList &rooms)
{
    m_settings.setValue(u"connection/rooms"_s, rooms);
}

QString GuiSettings::language() const
{
    return m_settings.value(u"ui/language"_s).toString();
}
void GuiSettings::setLanguage(const QString &language)
{
    m_settings.setValue(u"ui/language"_s, language);
}

QStringList GuiSettings::sharedFolders() const
{
    return m_settings.value(u"files/shared"_s).toStringList();
}
void GuiSettings::setSharedFolders(const QStringList &folders)
{
    m_settings.setValue(u"files/shared"_s, folders);
}

QString GuiSettings::downloadFolder() const
{
    const QString fallback = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return m_settings.value(u"files/downloads"_s, fallback).toString();
}
void GuiSettings::setDownloadFolder(const QString &folder)
{
    m_settings.setValue(u"files/downloads"_s, folder);
}

int GuiSettings::uploadSlots() const
{
    return std::clamp(m_settings.value(u"files/uploadSlots"_s, 4).toInt(), 1, 64);
}
void GuiSettings::setUploadSlots(int count)
{
    m_settings.setValue(u"files/uploadSlots"_s, count);
}

int GuiSettings::uploadRateLimitKiB() const
{
    return std::max(0, m_settings.value(u"files/uploadRateKiB"_s, 0).toInt());
}
void GuiSettings::setUploadRateLimitKiB(int kib)
{
    m_settings.setValue(u"files/uploadRateKiB"_s, kib);
}

TransferMode GuiSettings::transferMode() const
{
    return m_settings.value(u"transfer/mode"_s).toString() == u"gbn"
            ? TransferMode::GoBackN
            : TransferMode::SelectiveRepeat;
}
void GuiSettings::setTransferMode(TransferMode mode)
{
    m_settings.setValue(u"transfer/mode"_s, mode == TransferMode::GoBackN ? u"gbn"_s : u"sr"_s);
}

TestConditions GuiSettings::testConditions() const
{
    TestConditions c;
    c.enabled = m_settings.value(u"impairment/enabled"_s, false).toBool();
    c.lossPercent = std::clamp(m_settings.value(u"impairment/loss"_s).toDouble(), 0.0, 100.0);
    c.delayMs = std::clamp(m_settings.value(u"impairment/delay"_s).toInt(), 0, 10000);
    c.reorderPercent = std::clamp(m_settings.value(u"impairment/reorder"_s).toDouble(), 0.0, 100.0);
    c.corruptPercent = std::clamp(m_settings.value(u"impairment/corrupt"_s).toDouble(), 0.0, 100.0);
    return c;
}
void GuiSettings::setTestConditions(const TestConditions &c)
{
    m_settings.setValue(u"impairment/enabled"_s, c.enabled);
    m_settings.setValue(u"impairment/loss"_s, c.lossPercent);
    m_settings.setValue(u"impairment/delay"_s, c.delayMs);
    m_settings.setValue(u"impairment/reorder"_s, c.reorderPercent);
    m_settings.setValue(u"impairment/corrupt"_s, c.corruptPercent);
}

Client::TlsSettings GuiSettings::tlsSettings() const
{
    Client::TlsSettings tls;
    if (m_settings.value(u"tls/skip-certificate-check"_s, false).toBool())
        tls.mode = Client::TlsSettings::Mode::Insecure;
    tls.knownServersFile = m_settings.value(u"tls/known-servers"_s).toString();
    return tls;
}

void GuiSettings::setSkipCertificateCheck(bool skip)
{
    m_settings.setValue(u"tls/skip-certificate-check"_s, skip);
}

void GuiSettings::setKnownServersFile(const QString &file)
{
    m_settings.setValue(u"tls/known-servers"_s, file);
}

bool GuiSettings::showAddress() const
{
    return m_settings.value(u"privacy/show-address"_s, false).toBool();
}

void GuiSettings::setShowAddress(bool show)
{
    m_settings.setValue(u"privacy/show-address"_s, show);
}

QByteArray GuiSettings::windowGeometry(const QString &window) const
{
    return m_settings.value(u"windows/"_s % window % u"/geometry"_s).toByteArray();
}
void GuiSettings::setWindowGeometry(const QString &window, const QByteArray &geometry)
{
    m_settings.setValue(u"windows/"_s % window % u"/geometry"_s, geometry);
}
QByteArray GuiSettings::windowState(const QString &window) const
{
    return m_settings.value(u"windows/"_s % window % u"/state"_s).toByteArray();
}
void GuiSettings::setWindowState(const QString &window, const QByteArray &state)
{
    m_settings.setValue(u"windows/"_s % window % u"/state"_s, state);
}

QByteArray GuiSettings::tableColumns(const QString &table) const
{
    return m_settings.value(u"tables/"_s % table % u"/columns"_s).toByteArray();
}
void GuiSettings::setTableColumns(const QString &table, const QByteArray &state)
{
    m_settings.setValue(u"tables/"_s % table % u"/columns"_s, state);
}

bool GuiSettings::parseServer(const QString &entry, QString *host, quint16 *port)
{
    const QString text = entry.trimmed();
    if (text.isEmpty())
        return false;
    QString h = text;
    int p = kDefaultPort;
    // "[v6]:port", "host:port", "host" (default port); a bare IPv6 address has several ':'.
    const qsizetype colon = text.lastIndexOf(u':');
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return false;
        h = text.mid(1, close - 1);
        if (close + 1 < text.size()) {
            if (text.at(close + 1) != u':')
                return false;
            bool ok = false;
            p = text.mid(close + 2).toInt(&ok);
            if (!ok)
                return false;
        }
    } else if (colon > 0 && text.count(u':') == 1) {
        bool ok = false;
        h = text.left(colon);
        p = text.mid(colon + 1).toInt(&ok);
        if (!ok)
            return false;
    }
    if (h.isEmpty() || p <= 0 || p > 65535)
        return false;
    // An IP address, or a DNS name: labels of letters, digits and '-', at most 253 characters.
    static const QRegularExpression hostName(
            u"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$"_s);
    if (QHostAddress(h).isNull() && !hostName.match(h).hasMatch())
        return false;
    *host = h;
    *port = quint16(p);
    return true;
}

} // namespace Gui
