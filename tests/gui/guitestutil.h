#pragma once

#include <QDir>
#include <QPixmap>
#include <QWidget>

// Saves `widget` as screenshots/NAME.png in the build tree; returns whether it was written.
inline bool saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = QStringLiteral(HOPSHARE_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return widget->grab().save(dir + QLatin1Char('/') + name + QLatin1StringView(".png"));
}
