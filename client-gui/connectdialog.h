#pragma once

#include <QDialog>

class QLineEdit;
class QTreeWidget;
class QLabel;

namespace Client {
class ServerProbe;
}

namespace Gui {

class GuiSettings;

// Who I am and where to go: a nick, a server picked from a remembered list (each with its
// measured round trip; the closest is marked and preselected) and the rooms to join.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(GuiSettings *settings, QWidget *parent = nullptr);

    [[nodiscard]] QString nick() const;
    [[nodiscard]] QString server() const; // "host:port"
    [[nodiscard]] QStringList rooms() const;

    void accept() override;

private:
    void addServer();
    void removeServer();
    void measure();
    void showClosest(int closest);
    [[nodiscard]] QStringList serverEntries() const;
    [[nodiscard]] QString validationError() const;

    GuiSettings *m_settings;
    Client::ServerProbe *m_probe;
    QLineEdit *m_nick;
    QTreeWidget *m_servers;
    QLineEdit *m_newServer;
    QLineEdit *m_rooms;
    QLabel *m_error;
};

} // namespace Gui
