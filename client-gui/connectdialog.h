#pragma once

#include <client/serverselector.h>

#include <QDialog>

class QLineEdit;
class QTreeWidget;
class QLabel;
class QPushButton;

namespace Gui {

class GuiSettings;

// Who I am and where to go: a nick, a server picked from a remembered list (each with its
// measured round trip, by the same probes the command-line client uses; the closest is marked
// and preselected) and the rooms to join. A new address is checked as it is typed; Enter in
// that field adds it (and never also presses Connect). An error stays until its cause is fixed.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(GuiSettings *settings, QWidget *parent = nullptr);

    [[nodiscard]] QString nick() const;
    [[nodiscard]] QString server() const; // "host:port"
    // Every listed server: the chosen one first, then the others closest first; what the
    // client fails over to.
    [[nodiscard]] QList<Client::ServerCandidate> servers() const;
    [[nodiscard]] QStringList rooms() const;

    void accept() override;
    [[nodiscard]] QLineEdit *newServerField() const { return m_newServer; }
    [[nodiscard]] QLabel *errorLabel() const { return m_error; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addServer();
    void removeServer();
    void measure();
    void checkNewServer();
    void showMeasurements(const QList<Client::ServerCandidate> &ranked);
    [[nodiscard]] QStringList serverEntries() const;
    [[nodiscard]] QString validationError() const;

    GuiSettings *m_settings;
    Client::ServerSelector *m_selector;
    QList<Client::ServerCandidate> m_measured; // closest first
    QLineEdit *m_nick;
    QTreeWidget *m_servers;
    QLineEdit *m_newServer;
    QPushButton *m_add;
    QLineEdit *m_rooms;
    QLabel *m_error;
};

} // namespace Gui
