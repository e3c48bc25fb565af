#pragma once

#include <client/tlssettings.h>

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace Gui {

// The "test conditions" page: the impairment layer's parameters, as the spec string the
// transfer engine parses ("loss=5%,delay=20ms,reorder=2%,corrupt=0.5%").
struct TestConditions
{
    bool enabled = false;
    double lossPercent = 0;
    int delayMs = 0;
    double reorderPercent = 0;
    double corruptPercent = 0;

    // Empty when disabled or when every parameter is zero.
    [[nodiscard]] QString spec() const;
};

enum class TransferMode { SelectiveRepeat, GoBackN };

// Everything the desktop client remembers, in one small class over QSettings. Nothing else in
// the client touches QSettings; the cores get these values by injection.
class GuiSettings
{
public:
    // Default QSettings (organisation/application names from QCoreApplication).
    GuiSettings();
    // An explicit file, for tests.
    explicit GuiSettings(const QString &iniFile);

    [[nodiscard]] QString nick() const;
    void setNick(const QString &nick);
    // "host:port" entries; the first is the one used last.
    [[nodiscard]] QStringList servers() const;
    void setServers(const QStringList &servers);
    [[nodiscard]] QStringList rooms() const;
    void setRooms(const QStringList &rooms);
    // "" = follow the system locale; otherwise a locale name such as "de".
    [[nodiscard]] QString language() const;
    void setLanguage(const QString &language);

    [[nodiscard]] QStringList sharedFolders() const;
    void setSharedFolders(const QStringList &folders);
    [[nodiscard]] QString downloadFolder() const;
    void setDownloadFolder(const QString &folder);
    [[nodiscard]] int uploadSlots() const;
    void setUploadSlots(int count);
    // KiB/s, 0 = unlimited.
    [[nodiscard]] int uploadRateLimitKiB() const;
    void setUploadRateLimitKiB(int kib);
    [[nodiscard]] TransferMode transferMode() const;
    void setTransferMode(TransferMode mode);
    [[nodiscard]] TestConditions testConditions() const;
    void setTestConditions(const TestConditions &conditions);

    // TLS of the control connection: pinned by default; "skip the certificate check" is for
    // tests only. The known-servers file may be moved (tests); empty = the default.
    [[nodiscard]] Client::TlsSettings tlsSettings() const;
    void setSkipCertificateCheck(bool skip);
    void setKnownServersFile(const QString &file);

    // Whether room members may see the address our server sees for us; off by default.
    [[nodiscard]] bool showAddress() const;
    void setShowAddress(bool show);

    [[nodiscard]] QByteArray windowGeometry(const QString &window) const;
    void setWindowGeometry(const QString &window, const QByteArray &geometry);
    [[nodiscard]] QByteArray windowState(const QString &window) const;
    void setWindowState(const QString &window, const QByteArray &state);
    // A table's columns (QHeaderView::saveState: widths, order, which are hidden).
    [[nodiscard]] QByteArray tableColumns(const QString &table) const;
    void setTableColumns(const QString &table, const QByteArray &state);

    void sync() { m_settings.sync(); }

    // "host:port" -> host and port; false when malformed.
    [[nodiscard]] static bool parseServer(const QString &entry, QString *host, quint16 *port);

private:
    QSettings m_settings;
};

} // namespace Gui
