#pragma once

#include <client/connectionstatus.h>

#include <QFrame>

class QLabel;
class QPushButton;

namespace Gui {

// The bar above the rooms while the connection is down: "Reconnecting in 4 s…" with why, and
// a "Reconnect now" button. Hidden while connected. It shows a ConnectionStatus and asks for
// a reconnect; the retrying itself is ServerFailover's.
class ConnectionBar : public QFrame
{
    Q_OBJECT
public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    [[nodiscard]] QString text() const;
    [[nodiscard]] QPushButton *reconnectButton() const { return m_reconnect; }

public Q_SLOTS:
    void showStatus(const Client::ConnectionStatus &status);

Q_SIGNALS:
    void reconnectRequested();

private:
    QLabel *m_text;
    QLabel *m_detail;
    QPushButton *m_reconnect;
};

} // namespace Gui
