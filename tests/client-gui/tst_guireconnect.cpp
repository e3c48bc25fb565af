#include <tests/client-gui/guitestutil.h>

#include <client-gui/chatinput.h>
#include <client-gui/connectionbar.h>
#include <client-gui/emptyview.h>
#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>
#include <client-gui/roomwindow.h>

#include <server-console/chat/chatserver.h>
#include <server-console/serverconfig.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/outbox.h>
#include <client/serverfailover.h>

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Client::ClientCore;
using Client::ConnectionStatus;
using Client::MessageListModel;

// One server that goes away and comes back on the same port (a restart): the desktop client
// keeps trying, shows when it tries next, keeps what is typed meanwhile and rejoins every room.
class TestGuiReconnect : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Server::ChatServer> m_server;
    quint16 m_port = 0;

    // The same certificate across restarts (tlsDir), as a real server keeps its key.
    bool startServer(quint16 port)
    {
        Server::ServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = port;
        config.name = u"solo"_s;
        config.tlsDir = m_dir.filePath(u"server-tls"_s);
        m_server = std::make_unique<Server::ChatServer>(config);
        QString error;
        if (!m_server->start(&error)) {
            qWarning() << "server:" << error;
            return false;
        }
        m_port = m_server->port();
        return true;
    }

    struct Desktop
    {
        ClientCore core;
        Gui::GuiSettings settings;
        Gui::MainWindow window;
        explicit Desktop(const QString &ini)
            : settings(ini)
            , window(&core, &settings)
        { }
    };

    std::unique_ptr<Desktop> openDesktop(const QString &nick)
    {
        const QString ini = m_dir.filePath(nick % u".ini"_s);
        {
            Gui::GuiSettings prepared(ini);
            prepared.setKnownServersFile(testTlsSettings().knownServersFile);
        }
        auto d = std::make_unique<Desktop>(ini);
        d->window.resize(1000, 640);
        d->window.show();
        return d;
    }

    static void type(Gui::RoomWindow *room, const QString &line)
    {
        QTest::keyClicks(room->input(), line);
        QTest::keyClick(room->input(), Qt::Key_Return);
    }

    static int count(MessageListModel *model, MessageListModel::Kind kind, const QString &text,
                     int pending = -1)
    {
        int n = 0;
        for (int i = 0; i < model->rowCount(); ++i) {
            const auto &e = model->entry(i);
            if (e.kind == kind && e.text.contains(text)
                && (pending < 0 || (e.pendingId != 0) == bool(pending)))
                ++n;
        }
        return n;
    }

    static QString stateText(Desktop &d) { return d.window.connectionIndicator()->text(); }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(startServer(0)); }
    void cleanup() { m_server.reset(); }

    // ServerFailover alone, without a window: one server restarting is tried again until it
    // answers, and the rooms come back.
    void coreRetriesOneServerForever()
    {
        ClientCore core;
        core.setTlsSettings(testTlsSettings());
        Client::ServerFailover failover(&core);
        failover.setRetryForever(true);
        failover.setRetryDelays(100ms, 400ms);
        QSignalSpy reconnected(&failover, &Client::ServerFailover::reconnected);
        connect(&core, &ClientCore::connected, &core, [&core] {
            if (core.rooms().isEmpty())
                core.join(u"lobby"_s);
        });
        failover.start({{u"127.0.0.1"_s, m_port, {}, -1, {}}}, u"carol"_s);
        QTRY_COMPARE(core.rooms(), QStringList {u"lobby"_s});

        m_server.reset();
        QTRY_COMPARE(failover.status().phase, ConnectionStatus::Phase::Waiting);
        QVERIFY(failover.status().recovering);
        QVERIFY2(failover.status().error.contains(u"127.0.0.1"_s),
                 qPrintable(failover.status().error));
        // Several rounds fail while the server is down; none of them ends the trying.
        QTest::qWait(1200);
        QCOMPARE(core.state(), ClientCore::State::Disconnected);
        QVERIFY(failover.status().phase != ConnectionStatus::Phase::Offline);

        QVERIFY(startServer(m_port));
        QVERIFY(reconnected.wait(5000));
        QTRY_COMPARE(core.rooms(), QStringList {u"lobby"_s});
        QCOMPARE(failover.status().phase, ConnectionStatus::Phase::Connected);
        QCOMPARE(failover.status().text(), u"Connected to solo as carol"_s);
    }

    // Two servers, both gone: the rounds go on over both, and whichever comes back is used.
    void coreRetriesSeveralServersForever()
    {
        Server::ServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.name = u"other"_s;
        config.tlsDir = m_dir.filePath(u"other-tls"_s);
        auto other = std::make_unique<Server::ChatServer>(config);
        QString error;
        QVERIFY2(other->start(&error), qPrintable(error));
        const quint16 otherPort = other->port();

        ClientCore core;
        core.setTlsSettings(testTlsSettings());
        Client::ServerFailover failover(&core);
        failover.setRetryForever(true);
        failover.setRetryDelays(100ms, 400ms);
        failover.start(
                {{u"127.0.0.1"_s, m_port, {}, -1, {}}, {u"127.0.0.1"_s, otherPort, {}, -1, {}}},
                u"erin"_s);
        QTRY_COMPARE_WITH_TIMEOUT(core.state(), ClientCore::State::Ready, 5000);
        const bool onSolo = core.serverName() == u"solo";

        m_server.reset();
        other.reset();
        QTRY_COMPARE_WITH_TIMEOUT(failover.status().phase, ConnectionStatus::Phase::Waiting, 10000);
        QTest::qWait(1000); // several rounds over both fail
        QCOMPARE(core.state(), ClientCore::State::Disconnected);

        // The server it was not on comes back: the next round finds it.
        if (onSolo) {
            config.port = otherPort;
            other = std::make_unique<Server::ChatServer>(config);
            QVERIFY2(other->start(&error), qPrintable(error));
        } else {
            QVERIFY(startServer(m_port));
        }
        QTRY_COMPARE_WITH_TIMEOUT(core.state(), ClientCore::State::Ready, 10000);
        QCOMPARE(core.serverName(), onSolo ? u"other"_s : u"solo"_s);
        QCOMPARE(failover.status().phase, ConnectionStatus::Phase::Connected);
    }

    void windowReconnectsToRestartedServerAndSendsQueuedLine()
    {
        auto alice = openDesktop(u"alice"_s);
        alice->window.failover()->setRetryDelays(200ms, 600ms);
        alice->window.connectTo(u"127.0.0.1"_s, m_port, u"alice"_s, {u"lobby"_s, u"dev"_s});
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        QTRY_VERIFY(alice->window.roomWindow(u"dev"_s));
        QTRY_COMPARE(alice->core.rooms().size(), 2);
        Gui::RoomWindow *lobby = alice->window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *dev = alice->window.roomWindow(u"dev"_s);
        Gui::ConnectionBar *bar = alice->window.connectionBar();
        QVERIFY(!bar->isVisible());
        QVERIFY2(stateText(*alice).contains(u"Connected to solo as alice"_s),
                 qPrintable(stateText(*alice)));

        m_server.reset();
        QTRY_VERIFY(bar->isVisible());
        QTRY_VERIFY2(bar->text().startsWith(u"Reconnecting"_s), qPrintable(bar->text()));
        QTRY_VERIFY2(stateText(*alice).contains(u"reconnecting in"_s),
                     qPrintable(stateText(*alice)));

        // Typed while offline: kept and marked pending, not dropped.
        alice->window.tabs()->setCurrentWidget(lobby);
        type(lobby, u"typed while offline"_s);
        MessageListModel *lines = lobby->messageModel();
        QCOMPARE(count(lines, MessageListModel::Kind::Chat, u"typed while offline"_s, 1), 1);
        QCOMPARE(alice->window.outbox()->pendingCount(u"lobby"_s), 1);
        const QModelIndex last = lines->index(lines->rowCount() - 1);
        QVERIFY(last.data(MessageListModel::PendingRole).toBool());
        // A command that needs the server says so in the room.
        type(lobby, u"/find holiday"_s);
        QTRY_COMPARE(count(lines, MessageListModel::Kind::Error, u"offline"_s), 1);
        QTest::qWait(300); // let the bar's countdown paint
        QVERIFY(saveScreenshot(&alice->window, u"reconnect-bar"_s));

        QVERIFY(startServer(m_port));
        QTRY_COMPARE_WITH_TIMEOUT(alice->core.state(), ClientCore::State::Ready, 5000);
        QTRY_COMPARE(alice->core.rooms().size(), 2);
        QCOMPARE(alice->window.roomWindow(u"lobby"_s), lobby);
        QCOMPARE(alice->window.roomWindow(u"dev"_s), dev);
        // The queued line went out once the room was rejoined: the server's echo replaces
        // the pending row.
        QTRY_COMPARE(count(lines, MessageListModel::Kind::Chat, u"typed while offline"_s, 0), 1);
        QCOMPARE(count(lines, MessageListModel::Kind::Chat, u"typed while offline"_s, 1), 0);
        QCOMPARE(alice->window.outbox()->pendingCount(), 0);
        QTRY_VERIFY(!bar->isVisible());
        QVERIFY2(stateText(*alice).contains(u"Connected to solo as alice"_s),
                 qPrintable(stateText(*alice)));
        QVERIFY(count(dev->messageModel(), MessageListModel::Kind::Notice, u"reconnected to"_s)
                == 1);
    }

    void reconnectNowSkipsTheWait()
    {
        auto alice = openDesktop(u"alice"_s);
        alice->window.failover()->setRetryDelays(30s, 60s);
        alice->window.connectTo(u"127.0.0.1"_s, m_port, u"alice"_s, {u"lobby"_s});
        QTRY_COMPARE(alice->core.rooms().size(), 1);
        m_server.reset();
        Gui::ConnectionBar *bar = alice->window.connectionBar();
        QTRY_VERIFY(bar->isVisible());
        QTRY_VERIFY2(bar->text().contains(u"30 s"_s) || bar->text().contains(u"29 s"_s),
                     qPrintable(bar->text()));
        // A detached room window says it too, and its own button works as well.
        alice->window.detachRoom(u"lobby"_s);
        Gui::RoomWindow *lobby = alice->window.roomWindow(u"lobby"_s);
        QVERIFY(lobby->isWindow());
        QVERIFY(lobby->connectionBar()->isVisible());
        QVERIFY2(lobby->connectionBar()->text().startsWith(u"Reconnecting in"_s),
                 qPrintable(lobby->connectionBar()->text()));
        QVERIFY2(lobby->windowTitle().contains(u"alice"_s), qPrintable(lobby->windowTitle()));
        QVERIFY(startServer(m_port));
        QTest::mouseClick(lobby->connectionBar()->reconnectButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(alice->core.state(), ClientCore::State::Ready, 5000);
        QTRY_COMPARE(alice->core.rooms(), QStringList {u"lobby"_s});
        QTRY_VERIFY(!bar->isVisible());
        QTRY_VERIFY(!lobby->connectionBar()->isVisible());
        lobby->close(); // docks it back
        QVERIFY(!lobby->isWindow());
    }

    // The server picked in the connect dialog cannot be reached: the window says which one it
    // used instead.
    void saysWhenItConnectedElsewhere()
    {
        auto alice = openDesktop(u"alice"_s);
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 deadPort = closed.serverPort();
        closed.close();
        QSignalSpy instead(alice->window.failover(), &Client::ServerFailover::connectedInstead);
        alice->window.connectInOrder(
                {{u"127.0.0.1"_s, deadPort, {}, -1, {}}, {u"127.0.0.1"_s, m_port, {}, -1, {}}},
                u"alice"_s, {u"lobby"_s});
        QTRY_COMPARE(alice->core.state(), ClientCore::State::Ready);
        QCOMPARE(instead.size(), 1);
        const QString message = alice->window.statusBar()->currentMessage();
        QVERIFY2(message.contains(QString::number(deadPort)) && message.contains(u"instead"_s)
                         && message.contains(u"solo"_s),
                 qPrintable(message));
    }

    // After a manual reconnect the status bar says what is true now, once.
    void statusMatchesStateAfterManualReconnect()
    {
        auto alice = openDesktop(u"alice"_s);
        alice->window.failover()->setRetryDelays(30s, 60s);
        // No room yet and not connected: a centred hint to connect, not a blank area.
        QVERIFY(alice->window.emptyView()->isVisible());
        QVERIFY2(alice->window.emptyView()->button()->text().contains(u"Ctrl+N"_s),
                 qPrintable(alice->window.emptyView()->button()->text()));
        // Nothing listens here: the first attempt fails.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 deadPort = closed.serverPort();
        closed.close();
        alice->window.connectTo(u"127.0.0.1"_s, deadPort, u"alice"_s, {u"lobby"_s});
        QTRY_COMPARE(alice->window.failover()->status().phase, ConnectionStatus::Phase::Waiting);
        QVERIFY(saveScreenshot(&alice->window, u"main-window-offline"_s));
        const QString offline = stateText(*alice);
        QVERIFY2(offline.contains(u"Offline"_s) && offline.contains(QString::number(deadPort)),
                 qPrintable(offline));
        QCOMPARE(offline.count(u"could be reached"_s), 0);

        // What the connect dialog does on OK.
        alice->window.connectInOrder({{u"127.0.0.1"_s, m_port, {}, -1, {}}}, u"alice"_s,
                                     {u"lobby"_s});
        QTRY_COMPARE(alice->core.state(), ClientCore::State::Ready);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        const QString online = stateText(*alice);
        QVERIFY2(online.contains(u"Connected to solo as alice"_s), qPrintable(online));
        QVERIFY(!online.contains(u"Offline"_s));
        const QString message = alice->window.statusBar()->currentMessage();
        QVERIFY2(!message.contains(u"Disconnected"_s) && !message.contains(u"reached"_s),
                 qPrintable(message));
        QVERIFY(!alice->window.connectionBar()->isVisible());
        QVERIFY(!alice->window.emptyView()->isVisible());
        QVERIFY(alice->window.tabs()->isVisible());
        QVERIFY2(alice->window.windowTitle().contains(u"lobby"_s)
                         && alice->window.windowTitle().contains(u"alice"_s),
                 qPrintable(alice->window.windowTitle()));
    }
};

QTEST_MAIN(TestGuiReconnect)
#include "tst_guireconnect.moc"
