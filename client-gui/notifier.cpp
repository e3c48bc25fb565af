#include <client-gui/notifier.h>

#include <QApplication>
#include <QSystemTrayIcon>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace Gui {

Notifier::Notifier(QWidget *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QIcon(u":/icons/hopshare.svg"_s), this);
        m_tray->setToolTip(tr("Hopshare"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            m_window->show();
            m_window->raise();
            m_window->activateWindow();
        });
        m_tray->show();
    }
}

void Notifier::notify(const QString &title, const QString &message)
{
    if (m_window->isActiveWindow())
        return;
    ++m_shown;
    if (m_tray)
        m_tray->showMessage(title, message, QSystemTrayIcon::Information, 5000);
    else
        QApplication::alert(m_window);
    Q_EMIT shown(title, message);
}

} // namespace Gui
