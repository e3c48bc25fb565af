#pragma once

#include <QObject>

class QSystemTrayIcon;
class QWidget;

namespace Gui {

// Desktop notifications for mentions and finished downloads: a tray balloon where the desktop
// has a tray, otherwise the window asks for attention. Nothing is shown while the window is
// active: the person is already looking.
class Notifier : public QObject
{
    Q_OBJECT
public:
    explicit Notifier(QWidget *window, QObject *parent = nullptr);

    [[nodiscard]] bool hasTray() const { return m_tray != nullptr; }
    [[nodiscard]] int shownCount() const { return m_shown; }

public Q_SLOTS:
    void notify(const QString &title, const QString &message);

Q_SIGNALS:
    void shown(const QString &title, const QString &message);

private:
    QWidget *m_window;
    QSystemTrayIcon *m_tray = nullptr;
    int m_shown = 0;
};

} // namespace Gui
