#pragma once

#include <client/serverselector.h>

#include <QDialog>

class QLineEdit;
class QTreeWidget;
class QLabel;

namespace Gui {

class GuiSettings;

// Who I am and where to go: a nick, a server picked from a remembered list (each with its
// measured round trip, by the same probes the command-line client uses; the closest is marked
// and preselected) and the rooms to join.
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

private:
    void addServer();
    void removeServer();
    void measure();
    void showMeasurements(const QList<Client::ServerCandidate> &ranked);
    [[nodiscard]] QStringList serverEntries() const;
    [[nodiscard]] QString validationError() const;

    GuiSettings *m_settings;
    Client::ServerSelector *m_selector;
    QList<Client::ServerCandidate> m_measured; // closest first
    QLineEdit *m_nick;
    QTreeWidget *m_servers;
    QLineEdit *m_newServer;
    QLineEdit *m_rooms;
    QLabel *m_error;
};

} // namespace Gui
