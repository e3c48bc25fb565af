#pragma once

#include <client-gui/connectionlabel.h>

#include <client/clientcore.h>
#include <client/connectionstatus.h>
#include <client/serverselector.h>

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>

class QLabel;
class QTabWidget;
class QTimer;

namespace Client {
class ChatModels;
class FileModels;
class OfferModel;
class Outbox;
class RateHistory;
class ServerFailover;
class TransferListModel;
} // namespace Client

namespace Gui {

class CommandRunner;
class ConnectionBar;
class EmptyView;
class FileActions;
class GuiSettings;
class Notifier;
class OffersView;
class RoomWindow;
class ThroughputPlot;
class TransfersView;

// Composes the desktop client: room windows as tabs (each can be detached into a window of
// its own), docks for offers, transfers and the throughput graph, menus and a status bar with
// the connection state. Behaviour lives in ClientCore and the models; this class only wires.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Client::ClientCore *core, GuiSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Connects to the closest of `servers` (measured first when there are several) and joins
    // `rooms` once welcomed. Losing the server later fails over to the next closest one.
    void connectTo(const QList<Client::ServerCandidate> &servers, const QString &nick,
                   const QStringList &rooms);
    // The same without measuring: `servers` are tried in the given order (the connect dialog
    // measured them and a person may have picked one).
    void connectInOrder(const QList<Client::ServerCandidate> &servers, const QString &nick,
                        const QStringList &rooms);
    void connectTo(const QString &host, quint16 port, const QString &nick,
                   const QStringList &rooms);

    [[nodiscard]] Client::ChatModels *chatModels() const { return m_chat; }
    [[nodiscard]] Client::TransferListModel *transferModel() const { return m_transfers; }
    [[nodiscard]] Client::OfferModel *offerModel() const { return m_offers; }
    [[nodiscard]] Client::RateHistory *rateHistory() const { return m_rates; }
    [[nodiscard]] FileActions *fileActions() const { return m_files; }
    [[nodiscard]] Client::ServerFailover *failover() const { return m_failover; }
    [[nodiscard]] Client::Outbox *outbox() const { return m_outbox; }
    [[nodiscard]] ConnectionBar *connectionBar() const { return m_bar; }
    [[nodiscard]] EmptyView *emptyView() const { return m_empty; }
    [[nodiscard]] RoomWindow *roomWindow(const QString &room) const;
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    [[nodiscard]] TransfersView *transfersView() const { return m_transfersView; }
    [[nodiscard]] OffersView *offersView() const { return m_offersView; }
    [[nodiscard]] ThroughputPlot *throughputPlot() const { return m_plot; }
    [[nodiscard]] QLabel *connectionIndicator() const { return m_state; }
    [[nodiscard]] Notifier *notifier() const { return m_notifier; }
    [[nodiscard]] QString currentRoom() const;

    void detachRoom(const QString &room);
    void attachRoom(const QString &room);

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createDocks();
    void createMenus();
    void createStatusBar();
    void wireCore();
    void addRoomWindow(const QString &room);
    void removeRoomWindow(const QString &room);
    void showUnread(const QString &room, int unread, int mentions);
    void updateTitles();
    void updateEmptyView();
    void showRates();
    void showMeasurements(const QList<Client::ServerCandidate> &ranked);
    void rememberServers(const QList<Protocol::ServerInfo> &servers);
    void selectRoom(const QString &room);
    void joinRoomDialog();
    void shareDialog(const QString &room);
    void openSettings();
    void reconnectDialog();

    Client::ClientCore *m_core;
    GuiSettings *m_settings;
    Client::ChatModels *m_chat;
    Client::ServerFailover *m_failover;
    Client::Outbox *m_outbox;
    CommandRunner *m_commands;
    // Created where the file side of the core comes to life, after the failover watches it.
    Client::FileModels *m_fileModels;
    Client::TransferListModel *m_transfers; // the three are m_fileModels'
    Client::OfferModel *m_offers;
    Client::RateHistory *m_rates;
    FileActions *m_files;
    Notifier *m_notifier;
    QTabWidget *m_tabs;
    ConnectionBar *m_bar;
    EmptyView *m_empty;
    QHash<QString, RoomWindow *> m_roomWindows;
    TransfersView *m_transfersView = nullptr;
    OffersView *m_offersView = nullptr;
    ThroughputPlot *m_plot = nullptr;
    ConnectionLabel *m_state = nullptr;
    QLabel *m_rateLabel = nullptr;
    QTimer *m_rateTick;
    QElapsedTimer m_clock;
    QStringList m_roomsToJoin;
    QString m_measurements; // the last measured round trips, for the status tooltip
};

} // namespace Gui
