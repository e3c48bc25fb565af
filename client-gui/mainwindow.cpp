#include <client-gui/mainwindow.h>

#include <client-gui/commandrunner.h>
#include <client-gui/connectdialog.h>
#include <client-gui/connectionbar.h>
#include <client-gui/connectionlabel.h>
#include <client-gui/emptyview.h>
#include <client-gui/fileactions.h>
#include <client-gui/guisettings.h>
#include <client-gui/joinroomdialog.h>
#include <client-gui/notifier.h>
#include <client-gui/offersview.h>
#include <client-gui/roomwindow.h>
#include <client-gui/settingsdialog.h>
#include <client-gui/throughputplot.h>
#include <client-gui/transfercolumns.h>
#include <client-gui/transfersview.h>

#include <client/chatmodels.h>
#include <client/filemodels.h>
#include <client/offermodel.h>
#include <client/outbox.h>
#include <client/ratehistory.h>
#include <client/serverfailover.h>
#include <client/transferlistmodel.h>

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Client::ClientCore;

namespace Gui {

namespace {
constexpr int kRateTickMs = 250;
const auto kWindowKey = u"main"_s;
const auto kTransfersKey = u"transfers"_s;
} // namespace

MainWindow::MainWindow(ClientCore *core, GuiSettings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_core(core)
    , m_settings(settings)
    , m_chat(new Client::ChatModels(core, this))
    // Before anything else watches the core: it must know of a loss before the window does.
    , m_failover(new Client::ServerFailover(core, this))
    , m_outbox(new Client::Outbox(core, m_chat, this))
    , m_commands(new CommandRunner(core, m_chat, m_outbox, this))
    , m_fileModels(new Client::FileModels(core, m_chat, std::chrono::minutes(5), this))
    , m_transfers(m_fileModels->transfers())
    , m_offers(m_fileModels->offers())
    , m_rates(m_fileModels->rates())
    , m_files(new FileActions(core, {m_chat, m_fileModels}, this))
    , m_notifier(new Notifier(this, this))
    , m_tabs(new QTabWidget(this))
    , m_bar(new ConnectionBar(this))
    , m_empty(new EmptyView(this))
    , m_rateTick(new QTimer(this))
{
    setWindowTitle(tr("Hopshare"));
    // A desktop client stays on the network: a lost or restarting server is tried again until
    // it answers (the bar above the rooms counts down to the next attempt).
    m_failover->setRetryForever(true);
    setWindowIcon(QIcon(u":/icons/hopshare.svg"_s));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setAccessibleName(tr("Rooms"));
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_bar);
    centralLayout->addWidget(m_tabs, 1);
    centralLayout->addWidget(m_empty, 1);
    setCentralWidget(central);
    updateEmptyView();
    createDocks();
    createMenus();
    createStatusBar();
    wireCore();
    m_files->applySettings(*settings);
    m_core->setTlsSettings(settings->tlsSettings());
    m_core->setShowAddress(settings->showAddress());

    m_clock.start();
    m_rateTick->setInterval(kRateTickMs);
    connect(m_rateTick, &QTimer::timeout, this, [this] { m_rates->tick(m_clock.elapsed()); });
    m_rateTick->start();

    // Four fifths of a large screen, where the transfers table shows all its usual columns;
    // 1100 x 720 on a smaller one, and never larger than the screen (QT_SCALE_FACTOR=2 on a
    // laptop leaves less than 1100 x 720).
    QSize initial(1100, 720);
    if (const QScreen *s = screen()) {
        const QSize available = s->availableGeometry().size();
        initial = initial.expandedTo(available * 0.8).boundedTo(available * 0.95);
    }
    resize(initial);
    restoreGeometry(settings->windowGeometry(kWindowKey));
    restoreState(settings->windowState(kWindowKey));
    m_transfersView->columns()->restoreState(settings->tableColumns(kTransfersKey));
}

MainWindow::~MainWindow() = default;

namespace {
// Below this available screen height the right-hand docks are tabs, not stacked.
constexpr int kStackedDocksHeight = 600;
} // namespace

void MainWindow::createDocks()
{
    m_transfersView = new TransfersView(m_transfers, this);
    m_offersView = new OffersView(m_offers, this);
    m_plot = new ThroughputPlot(m_rates, this);
    const auto dock = [this](QWidget *w, const QString &title, const QString &name,
                             Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    QDockWidget *offers
            = dock(m_offersView, tr("Offers"), u"offersDock"_s, Qt::RightDockWidgetArea);
    QDockWidget *plot = dock(m_plot, tr("Throughput"), u"plotDock"_s, Qt::RightDockWidgetArea);
    // On a short screen (a laptop at scale 2) the two would squash each other: tabs instead.
    if (const QScreen *s = screen(); s && s->availableGeometry().height() < kStackedDocksHeight)
        tabifyDockWidget(offers, plot);
    dock(m_transfersView, tr("Downloads and uploads"), u"transfersDock"_s,
         Qt::BottomDockWidgetArea);
    // The right-hand docks take the full height beside the rooms and the transfers, so the
    // window's minimum height is the larger of the two columns, not their sum: it fits a
    // 1366 x 768 screen at QT_SCALE_FACTOR=2 (tst_guiscale).
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
}

void MainWindow::createMenus()
{
    QMenu *app = menuBar()->addMenu(tr("&Hopshare"));
    app->addAction(tr("&Connect…"), QKeySequence::New, this, &MainWindow::reconnectDialog);
    app->addAction(tr("&Join room…"), QKeySequence(Qt::CTRL | Qt::Key_J), this,
                   &MainWindow::joinRoomDialog);
    app->addAction(QIcon(u":/icons/leave.svg"_s), tr("&Leave room"), QKeySequence::Close, this,
                   [this] {
                       if (!currentRoom().isEmpty())
                           m_core->leave(currentRoom());
                   });
    app->addAction(QIcon(u":/icons/share.svg"_s), tr("&Share files…"), QKeySequence::Open, this,
                   [this] { shareDialog(currentRoom()); });
    app->addSeparator();
    QAction *settings = app->addAction(QIcon(u":/icons/settings.svg"_s), tr("S&ettings…"), this,
                                       &MainWindow::openSettings);
    settings->setObjectName(u"settingsAction"_s);
    // The platform's key where it has one (none on X11), and Ctrl+, everywhere.
    QList<QKeySequence> keys = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (!keys.contains(QKeySequence(Qt::CTRL | Qt::Key_Comma)))
        keys.append(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setShortcuts(keys);
    app->addSeparator();
    app->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Detach room"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this,
                    [this] { detachRoom(currentRoom()); });
    view->addAction(tr("&Next room"), QKeySequence(Qt::CTRL | Qt::Key_PageDown), this, [this] {
        if (m_tabs->count() > 0)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
    });
    view->addAction(tr("&Previous room"), QKeySequence(Qt::CTRL | Qt::Key_PageUp), this, [this] {
        if (m_tabs->count() > 0)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1)
                                    % m_tabs->count());
    });
    view->addAction(tr("&Find files"), QKeySequence::Find, this, [this] {
        m_offersView->parentWidget()->show();
        m_offersView->searchField()->setFocus();
    });
    view->addAction(tr("Save &graph as PNG…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                    m_plot, &ThroughputPlot::saveAs);

    QMenu *help = menuBar()->addMenu(tr("He&lp"));
    help->addAction(tr("&Commands"), QKeySequence::HelpContents, this,
                    [this] { m_commands->run(currentRoom(), u"/help"_s); });
    help->addAction(tr("&About Hopshare"), this, [this] {
        QMessageBox::about(this, tr("About Hopshare"),
                           tr("<b>Hopshare %1</b><p>Chat rooms that move files over a reliable "
                              "UDP transport.</p>")
                                   .arg(QStringLiteral(HOPSHARE_VERSION)));
    });
}

void MainWindow::createStatusBar()
{
    m_state = new ConnectionLabel(this);
    m_rateLabel = new QLabel(this);
    m_rateLabel->setAccessibleName(tr("Transfer rates"));
    // Permanent, so that passing messages on the left never hide the connection state.
    statusBar()->addPermanentWidget(m_state);
    statusBar()->addPermanentWidget(m_rateLabel);
    m_state->showState(m_core->state());
    m_state->showStatus(m_failover->status());
    showRates();
}

void MainWindow::wireCore()
{
    connect(m_core, &ClientCore::stateChanged, m_state, &ConnectionLabel::showState);
    connect(m_failover, &Client::ServerFailover::statusChanged, m_state,
            &ConnectionLabel::showStatus);
    connect(m_failover, &Client::ServerFailover::statusChanged, this, &MainWindow::updateTitles);
    connect(m_failover, &Client::ServerFailover::statusChanged, this, &MainWindow::updateEmptyView);
    connect(m_empty, &EmptyView::connectRequested, this, &MainWindow::reconnectDialog);
    connect(m_empty, &EmptyView::joinRequested, this, &MainWindow::joinRoomDialog);
    connect(m_failover, &Client::ServerFailover::statusChanged, m_bar, &ConnectionBar::showStatus);
    connect(m_bar, &ConnectionBar::reconnectRequested, m_failover,
            &Client::ServerFailover::reconnectNow);
    connect(m_core, &ClientCore::connected, this, [this] {
        // The first connection joins the rooms asked for; after a failover the failover
        // rejoins the rooms that were open.
        for (const QString &room : std::exchange(m_roomsToJoin, {}))
            m_core->join(room);
    });
    connect(m_core, &ClientCore::serversReceived, this, &MainWindow::rememberServers);
    connect(m_failover, &Client::ServerFailover::measured, this, &MainWindow::showMeasurements);
    connect(m_failover, &Client::ServerFailover::connectedInstead, this,
            [this](const QString &picked, const QString &server, const QString &reason) {
                // Said where it stays readable: the status bar for a while, and the tooltip.
                const QString text = reason.isEmpty()
                        ? tr("%1 could not be used; connected to %2 instead.").arg(picked, server)
                        : tr("%1 could not be used (%3); connected to %2 instead.")
                                  .arg(picked, server, reason);
                statusBar()->showMessage(text, 30000);
                m_state->setToolTip(text);
            });
    connect(m_failover, &Client::ServerFailover::reconnected, m_chat,
            &Client::ChatModels::addReconnected);
    connect(m_failover, &Client::ServerFailover::reconnected, this, [this](const QString &server) {
        statusBar()->showMessage(tr("Reconnected to %1").arg(server), 10000);
    });
    connect(m_core, &ClientCore::pongReceived, this,
            [this](quint32, const QString &server, double rttMs, int) {
                m_state->setToolTip(
                        tr("Round trip to %1: %2 ms").arg(server).arg(rttMs, 0, 'f', 1)
                        + (m_measurements.isEmpty() ? QString() : u"\n"_s + m_measurements));
            });
    connect(m_chat, &Client::ChatModels::roomAdded, this, &MainWindow::addRoomWindow);
    connect(m_chat, &Client::ChatModels::roomRemoved, this, &MainWindow::removeRoomWindow);
    connect(m_chat->rooms(), &Client::RoomListModel::unreadChanged, this, &MainWindow::showUnread);
    connect(m_chat, &Client::ChatModels::mentioned, m_notifier,
            [this](const QString &room, const QString &from, const QString &text) {
                m_notifier->notify(tr("%1 in %2").arg(from, room), text);
            });
    connect(m_transfers, &Client::TransferListModel::transferFinished, m_notifier,
            [this](const Client::TransferInfo &t) {
                if (t.direction == Client::TransferInfo::Direction::Download
                    && t.state == Client::TransferInfo::State::Done)
                    m_notifier->notify(tr("Download finished"), t.fileName);
            });
    connect(m_transfers, &Client::TransferListModel::dataChanged, this, &MainWindow::showRates);
    connect(m_rates, &Client::RateHistory::updated, this, &MainWindow::showRates);
    connect(m_commands, &CommandRunner::roomRequested, this, &MainWindow::selectRoom);
    connect(m_commands, &CommandRunner::quitRequested, this, &QWidget::close);
    m_commands->setDownloadGate([this](const QString &sha256, const QString &fileName) {
        return m_files->mayDownload(sha256, fileName);
    });
    connect(m_files, &FileActions::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    connect(m_offersView, &OffersView::findRequested, this,
            [this](const QString &pattern) { m_files->find(currentRoom(), pattern); });
    connect(m_offersView, &OffersView::downloadRequested, m_files, &FileActions::download);
    connect(m_transfersView, &TransfersView::pauseRequested, m_files, &FileActions::pause);
    connect(m_transfersView, &TransfersView::resumeRequested, m_files, &FileActions::resume);
    connect(m_transfersView, &TransfersView::cancelRequested, m_files, &FileActions::cancel);
    connect(m_transfersView, &TransfersView::openFailed, this,
            [this](const QString &reason) { statusBar()->showMessage(reason, 15000); });
    connect(m_transfersView, &TransfersView::currentTransferChanged, m_rates,
            &Client::RateHistory::selectTransfer);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        m_chat->rooms()->setCurrentRoom(currentRoom());
        updateTitles();
    });
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *w = qobject_cast<RoomWindow *>(m_tabs->widget(index)))
            m_core->leave(w->room());
    });
}

void MainWindow::connectTo(const QList<Client::ServerCandidate> &servers, const QString &nick,
                           const QStringList &rooms)
{
    m_roomsToJoin = rooms;
    m_failover->start(servers, nick);
}

void MainWindow::connectInOrder(const QList<Client::ServerCandidate> &servers, const QString &nick,
                                const QStringList &rooms)
{
    m_roomsToJoin = rooms;
    showMeasurements(servers);
    m_failover->connectInOrder(servers, nick);
}

void MainWindow::connectTo(const QString &host, quint16 port, const QString &nick,
                           const QStringList &rooms)
{
    connectTo({Client::ServerCandidate {host, port, {}, -1, {}}}, nick, rooms);
}

void MainWindow::showMeasurements(const QList<Client::ServerCandidate> &ranked)
{
    QStringList lines;
    for (const Client::ServerCandidate &c : ranked) {
        const QString who = c.name.isEmpty() ? c.address() : u"%1 (%2)"_s.arg(c.name, c.address());
        lines.append(c.rttMs < 0 ? tr("%1: unreachable").arg(who)
                                 : tr("%1: %2 ms").arg(who).arg(c.rttMs, 0, 'f', 1));
    }
    m_measurements = tr("Measured round trips:\n%1").arg(lines.join(u'\n'));
    m_state->setToolTip(m_measurements);
}

void MainWindow::rememberServers(const QList<Protocol::ServerInfo> &servers)
{
    // Servers learned from the network are offered in the connect dialog next time.
    QStringList known = m_settings->servers();
    for (const Protocol::ServerInfo &s : servers) {
        if (!s.address.isEmpty() && !known.contains(s.address))
            known.append(s.address);
    }
    if (known != m_settings->servers())
        m_settings->setServers(known);
}

RoomWindow *MainWindow::roomWindow(const QString &room) const
{
    return m_roomWindows.value(room);
}

QString MainWindow::currentRoom() const
{
    if (auto *w = qobject_cast<RoomWindow *>(m_tabs->currentWidget()))
        return w->room();
    return {};
}

void MainWindow::addRoomWindow(const QString &room)
{
    if (m_roomWindows.contains(room))
        return;
    auto *w = new RoomWindow(m_chat, room, this);
    m_roomWindows.insert(room, w);
    connect(w, &RoomWindow::lineSubmitted, m_commands, &CommandRunner::run);
    connect(w, &RoomWindow::shareRequested, m_files, &FileActions::share);
    connect(w, &RoomWindow::shareDialogRequested, this, &MainWindow::shareDialog);
    connect(w, &RoomWindow::downloadRequested, m_files, &FileActions::downloadBest);
    connect(m_failover, &Client::ServerFailover::statusChanged, w, &RoomWindow::showConnection);
    connect(w, &RoomWindow::reconnectRequested, m_failover, &Client::ServerFailover::reconnectNow);
    w->installEventFilter(this);
    m_tabs->setCurrentIndex(m_tabs->addTab(w, room));
    updateEmptyView();
    w->setFocus();
}

void MainWindow::removeRoomWindow(const QString &room)
{
    RoomWindow *w = m_roomWindows.take(room);
    if (!w)
        return;
    const int index = m_tabs->indexOf(w);
    if (index >= 0)
        m_tabs->removeTab(index);
    w->deleteLater();
    updateEmptyView();
}

void MainWindow::detachRoom(const QString &room)
{
    RoomWindow *w = roomWindow(room);
    if (!w || w->isWindow())
        return;
    m_tabs->removeTab(m_tabs->indexOf(w));
    updateEmptyView();
    w->setParent(this, Qt::Window);
    w->showConnection(m_failover->status());
    updateTitles();
    w->resize(700, 500);
    w->show();
}

void MainWindow::attachRoom(const QString &room)
{
    RoomWindow *w = roomWindow(room);
    if (!w || !w->isWindow())
        return;
    m_tabs->setCurrentIndex(m_tabs->addTab(w, room));
    updateEmptyView();
    w->showConnection(m_failover->status());
    showUnread(room, m_chat->rooms()->unread(room), m_chat->rooms()->mentionCount(room));
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Closing a detached room window docks it back as a tab; leaving is a separate action.
    if (event->type() == QEvent::Close) {
        if (auto *w = qobject_cast<RoomWindow *>(watched); w && w->isWindow()) {
            event->ignore();
            attachRoom(w->room());
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showUnread(const QString &room, int unread, int mentions)
{
    const int index = m_tabs->indexOf(roomWindow(room));
    if (index < 0)
        return;
    m_tabs->setTabText(index, unread > 0 ? tr("%1 (%2)").arg(room).arg(unread) : room);
    // HexChat's levels: a mention, a message, or only joins and leaves.
    using Activity = Client::RoomListModel::Activity;
    QColor color;
    switch (m_chat->rooms()->activity(room)) {
    case Activity::Mention:
        color = QColor(198, 40, 40);
        break;
    case Activity::Message:
        color = QColor(21, 101, 192);
        break;
    case Activity::Event:
        color = QColor(120, 120, 120);
        break;
    case Activity::None:
        break;
    }
    m_tabs->tabBar()->setTabTextColor(index, mentions > 0 ? QColor(198, 40, 40) : color);
    m_tabs->setTabToolTip(index, tr("%n unread message(s)", nullptr, unread));
}

void MainWindow::updateEmptyView()
{
    // No room on screen: a hint with the one useful action instead of a blank area.
    const bool empty = m_tabs->count() == 0 && m_roomWindows.isEmpty();
    m_empty->setConnected(m_failover->status().phase == Client::ConnectionStatus::Phase::Connected);
    m_empty->setVisible(empty);
    m_tabs->setVisible(!empty);
}

void MainWindow::updateTitles()
{
    // "lobby — alice — Hopshare", so that several clients on one desktop can be told apart.
    const QString nick
            = m_failover->status().nick.isEmpty() ? m_core->nick() : m_failover->status().nick;
    const QString room = currentRoom();
    QStringList parts;
    if (!room.isEmpty())
        parts << room;
    if (!nick.isEmpty())
        parts << nick;
    parts << tr("Hopshare");
    setWindowTitle(parts.join(u" — "_s));
    for (RoomWindow *w : std::as_const(m_roomWindows)) {
        if (w->isWindow())
            w->setWindowTitle(nick.isEmpty() ? tr("%1 — Hopshare").arg(w->room())
                                             : tr("%1 — %2 — Hopshare").arg(w->room(), nick));
    }
}

void MainWindow::showRates()
{
    const auto rateText = [](double bytesPerSecond) {
        const QString text = Client::TransferListModel::formatRate(bytesPerSecond);
        return text.isEmpty() ? tr("%1/s").arg(QLocale().formattedDataSize(0)) : text;
    };
    const Client::RateHistory::Point avg = m_rates->average(2.0);
    m_rateLabel->setText(tr("↓ %1  ↑ %2").arg(rateText(avg.down), rateText(avg.up)));
}

void MainWindow::selectRoom(const QString &room)
{
    if (RoomWindow *w = roomWindow(room); w && !w->isWindow())
        m_tabs->setCurrentWidget(w);
}

void MainWindow::joinRoomDialog()
{
    // Stays open until the server admits the join, showing a refusal (wrong password) inline.
    JoinRoomDialog dialog(m_core, this);
    dialog.exec();
}

void MainWindow::shareDialog(const QString &room)
{
    if (room.isEmpty())
        return;
    const QStringList files
            = QFileDialog::getOpenFileNames(this, tr("Share files with %1").arg(room));
    m_files->share(room, files);
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_settings, this,
                          m_core->nick().isEmpty() ? m_failover->status().nick : m_core->nick());
    if (dialog.exec() == QDialog::Accepted) {
        m_files->applySettings(*m_settings);
        m_core->setTlsSettings(m_settings->tlsSettings()); // for the next connection
        m_core->setShowAddress(m_settings->showAddress());
    }
}

void MainWindow::reconnectDialog()
{
    ConnectDialog dialog(m_settings, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // The failover ends the current connection first, as ours rather than a loss.
    connectInOrder(dialog.servers(), dialog.nick(), dialog.rooms());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_failover->stop();
    m_settings->setWindowGeometry(kWindowKey, saveGeometry());
    m_settings->setWindowState(kWindowKey, saveState());
    m_settings->setTableColumns(kTransfersKey, m_transfersView->columns()->saveState());
    if (m_core->state() != ClientCore::State::Disconnected)
        m_core->disconnectFromServer(u"quit"_s);
    event->accept();
}

} // namespace Gui
