#include <tests/client-gui/guitestutil.h>

#include <client-gui/chatinput.h>
#include <client-gui/connectdialog.h>
#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>
#include <client-gui/roomwindow.h>

#include <server-console/chat/chatserver.h>
#include <server-console/serverconfig.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/serverfailover.h>

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;
using Client::ClientCore;
using Client::MessageListModel;

namespace {

Server::ServerConfig linkedConfig(const QString &name)
{
    Server::ServerConfig c;
    c.address = QHostAddress::LocalHost;
    c.port = 0;
    c.name = name;
    c.linkSecret = "gui-failover-secret";
    c.heartbeatMs = 100;
    c.deadLinkMs = 500;
    c.redialMs = 150;
    return c;
}

Client::ServerCandidate at(quint16 port)
{
    return Client::ServerCandidate {u"127.0.0.1"_s, port, {}, -1, {}};
}

bool hasLine(MessageListModel *model, MessageListModel::Kind kind, const QString &text)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        const auto &e = model->entry(i);
        if (e.kind == kind && e.text.contains(text))
            return true;
    }
    return false;
}

} // namespace

// The desktop client chooses its server by the same measurement as the command-line client and
// fails over when that server goes away: two linked servers in this process.
class TestGuiFailover : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Server::ChatServer> m_servers[2];

    void startLinkedServers()
    {
        for (int i = 0; i < 2; ++i) {
            m_servers[i] = std::make_unique<Server::ChatServer>(linkedConfig(u"s%1"_s.arg(i)));
            QString error;
            QVERIFY2(m_servers[i]->start(&error), qPrintable(error));
        }
        m_servers[1]->federation().links().addPeer(u"127.0.0.1"_s, m_servers[0]->port());
        QTRY_COMPARE_WITH_TIMEOUT(m_servers[0]->federation().router().reachable().size(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_servers[1]->federation().router().reachable().size(), 2, 5000);
    }

    static void type(Gui::RoomWindow *room, const QString &line)
    {
        QTest::keyClicks(room->input(), line);
        QTest::keyClick(room->input(), Qt::Key_Return);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup()
    {
        for (auto &s : m_servers)
            s.reset();
    }

    void windowFailsOverAndTheRoomKeepsWorking()
    {
        startLinkedServers();
        if (QTest::currentTestFailed())
            return;
        ClientCore core;
        Gui::GuiSettings settings(m_dir.filePath(u"alice.ini"_s));
        settings.setKnownServersFile(testTlsSettings().knownServersFile);
        Gui::MainWindow window(&core, &settings);
        window.resize(1000, 640);
        window.show();
        QSignalSpy measured(window.failover(), &Client::ServerFailover::measured);
        QSignalSpy reconnected(window.failover(), &Client::ServerFailover::reconnected);
        window.connectTo({at(m_servers[0]->port()), at(m_servers[1]->port())}, u"alice"_s,
                         {u"lobby"_s, u"dev"_s});
        QTRY_COMPARE_WITH_TIMEOUT(core.state(), ClientCore::State::Ready, 5000);
        QCOMPARE(measured.size(), 1);
        const QString tip = window.connectionIndicator()->toolTip();
        QVERIFY2(tip.contains(u"s0"_s) && tip.contains(u"s1"_s) && tip.contains(u" ms"_s),
                 qPrintable(tip));
        QTRY_VERIFY(window.roomWindow(u"lobby"_s));
        QTRY_VERIFY(window.roomWindow(u"dev"_s));
        Gui::RoomWindow *lobby = window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *dev = window.roomWindow(u"dev"_s);

        // Bob sits on the server the window did not choose.
        const int used = core.serverName() == u"s0" ? 0 : 1;
        const int other = 1 - used;
        ClientCore bob;
        bob.setTlsSettings(testTlsSettings());
        QSignalSpy bobJoined(&bob, &ClientCore::joined);
        QSignalSpy bobHeard(&bob, &ClientCore::messageReceived);
        connect(&bob, &ClientCore::connected, &bob, [&bob] { bob.join(u"lobby"_s); });
        bob.connectToServer(u"127.0.0.1"_s, m_servers[other]->port(), u"bob"_s);
        QTRY_COMPARE(bobJoined.size(), 1);
        QTRY_COMPARE(lobby->memberModel()->rowCount(), 2);
        type(lobby, u"before the cut"_s);
        QTRY_COMPARE(bobHeard.size(), 1);

        // The window's server goes away: it reconnects to the other and rejoins both rooms
        // with the same nick, in the same room windows.
        m_servers[used].reset();
        QVERIFY(reconnected.wait(10000));
        QCOMPARE(reconnected.at(0).at(0).toString(), u"s%1"_s.arg(other));
        QTRY_COMPARE(core.state(), ClientCore::State::Ready);
        QCOMPARE(core.serverName(), u"s%1"_s.arg(other));
        QCOMPARE(core.nick(), u"alice"_s);
        QTRY_COMPARE(core.rooms().size(), 2);
        QCOMPARE(window.roomWindow(u"lobby"_s), lobby);
        QCOMPARE(window.roomWindow(u"dev"_s), dev);
        const QString note = u"reconnected to s%1"_s.arg(other);
        QVERIFY(hasLine(lobby->messageModel(), MessageListModel::Kind::Notice, note));
        QVERIFY(hasLine(dev->messageModel(), MessageListModel::Kind::Notice, note));
        QVERIFY(hasLine(lobby->messageModel(), MessageListModel::Kind::Chat, u"before the cut"_s));
        QTRY_COMPARE(lobby->memberModel()->rowCount(), 2);

        // The room still works both ways.
        type(lobby, u"after the cut"_s);
        QTRY_COMPARE(bobHeard.size(), 2);
        QCOMPARE(bobHeard.at(1).at(0).value<Protocol::ChatMessage>().text, u"after the cut"_s);
        bob.say(u"lobby"_s, u"welcome back"_s);
        QTRY_VERIFY(
                hasLine(lobby->messageModel(), MessageListModel::Kind::Chat, u"welcome back"_s));
        QVERIFY(saveScreenshot(&window, u"main-window-failover"_s));
    }

    void connectDialogMeasuresLikeTheCommandLine()
    {
        startLinkedServers();
        if (QTest::currentTestFailed())
            return;
        // A port that accepts TCP but is no Hopshare server answers no ping: unreachable,
        // though a bare connect would have called it close.
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
        const QString muteEntry = u"127.0.0.1:"_s + QString::number(mute.serverPort());
        const QString s1Entry = u"127.0.0.1:"_s + QString::number(m_servers[1]->port());
        Gui::GuiSettings settings(m_dir.filePath(u"dialog.ini"_s));
        settings.setServers({muteEntry, s1Entry});
        settings.setNick(u"alice"_s);
        Gui::ConnectDialog dialog(&settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *list = dialog.findChild<QTreeWidget *>();
        QVERIFY(list);
        QTRY_VERIFY_WITH_TIMEOUT(list->topLevelItem(1)->text(1).contains(u"closest"_s), 5000);
        QVERIFY(list->topLevelItem(1)->text(1).contains(u"(s1)"_s));
        QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItem(0)->text(1), u"unreachable"_s, 5000);
        QCOMPARE(dialog.server(), s1Entry);
        const auto servers = dialog.servers();
        QCOMPARE(servers.size(), 2);
        QCOMPARE(servers[0].name, u"s1"_s);
        QVERIFY(servers[0].rttMs >= 0);
        QCOMPARE(servers[1].port, mute.serverPort());
        QVERIFY(saveScreenshot(&dialog, u"connect-dialog"_s));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(settings.servers().constFirst(), s1Entry); // the one used goes first
    }
};

QTEST_MAIN(TestGuiFailover)
#include "tst_guifailover.moc"
