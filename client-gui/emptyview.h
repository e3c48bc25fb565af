#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace Gui {

// What the main window shows where the rooms would be when none is open: a centred line and
// one button, "Connect… (Ctrl+N)" while offline, "Join a room… (Ctrl+J)" once connected.
class EmptyView : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyView(QWidget *parent = nullptr);

    void setConnected(bool connected);
    [[nodiscard]] QPushButton *button() const { return m_button; }
    [[nodiscard]] QString text() const;

Q_SIGNALS:
    void connectRequested();
    void joinRequested();

private:
    QLabel *m_text;
    QPushButton *m_button;
    bool m_connected = false;
};

} // namespace Gui
