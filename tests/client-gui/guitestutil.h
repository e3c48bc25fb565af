#pragma once

#include <client/tlssettings.h>

#include <QDir>
#include <QPixmap>
#include <QTemporaryDir>
#include <QWidget>

// TLS pinned on first use, as users get it, with the pins in a file of this test process.
inline Client::TlsSettings testTlsSettings()
{
    static QTemporaryDir dir;
    Client::TlsSettings tls;
    tls.knownServersFile = dir.filePath(QStringLiteral("known-servers"));
    return tls;
}

// Saves `widget` as screenshots/NAME.png in the build tree; returns whether it was written.
inline bool saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = QStringLiteral(HOPSHARE_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return widget->grab().save(dir + QLatin1Char('/') + name + QLatin1StringView(".png"));
}
