#include "guitestutil.h"

#include <chatinput.h>
#include <guisettings.h>
#include <mainwindow.h>
#include <roomwindow.h>

#include <chatserver.h>
#include <serverconfig.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>

#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Client::ClientCore;
using Client::MessageListModel;

// The desktop client against a real server in the same process, with other clients as plain
// ClientCores (or a second window).
class TestGuiChat : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Server::ChatServer> m_server;
    QTemporaryDir m_dir;

    struct Desktop
    {
        ClientCore core;
        Gui::GuiSettings settings;
        Gui::MainWindow window;
        Desktop(const QString &ini)
            : settings(ini)
            , window(&core, &settings)
        { }
    };

    std::unique_ptr<Desktop> openDesktop(const QString &nick)
    {
        auto d = std::make_unique<Desktop>(m_dir.filePath(nick % u".ini"_s));
        d->window.resize(1000, 640);
        d->window.show();
        d->window.connectTo(u"127.0.0.1"_s, m_server->port(), nick, {u"lobby"_s});
        return d;
    }

    static bool hasLine(MessageListModel *model, MessageListModel::Kind kind, const QString &text)
    {
        for (int i = 0; i < model->rowCount(); ++i) {
            const auto &e = model->entry(i);
            if (e.kind == kind && e.text.contains(text))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void init()
    {
        Server::ServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.name = u"test-server"_s;
        m_server = std::make_unique<Server::ChatServer>(config);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }
    void cleanup() { m_server.reset(); }

    void connectingFillsMemberList()
    {
        ClientCore bob;
        QSignalSpy bobJoined(&bob, &ClientCore::joined);
        connect(&bob, &ClientCore::connected, &bob, [&bob] { bob.join(u"lobby"_s); });
        bob.connectToServer(u"127.0.0.1"_s, m_server->port(), u"bob"_s);
        QTRY_COMPARE(bobJoined.count(), 1);

        auto alice = openDesktop(u"alice"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *room = alice->window.roomWindow(u"lobby"_s);
        QTRY_COMPARE(room->memberView()->model()->rowCount(), 2);
        QCOMPARE(room->memberModel()->nicks(), (QStringList {u"alice"_s, u"bob"_s}));
        QCOMPARE(alice->window.connectionIndicator()->property("connectionState").toInt(),
                 int(ClientCore::State::Ready));
        QVERIFY(alice->window.connectionIndicator()->text().contains(u"test-server"_s));
    }

    void typedMessageAppearsInOtherWindow()
    {
        auto alice = openDesktop(u"alice"_s);
        auto bob = openDesktop(u"bob"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        QTRY_VERIFY(bob->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *aliceRoom = alice->window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *bobRoom = bob->window.roomWindow(u"lobby"_s);
        QTRY_COMPARE(aliceRoom->memberModel()->rowCount(), 2);

        QTest::keyClicks(aliceRoom->input(), u"hello @bob, the file is ready"_s);
        QTest::keyClick(aliceRoom->input(), Qt::Key_Return);
        QCOMPARE(aliceRoom->input()->text(), QString());
        QTRY_VERIFY(hasLine(bobRoom->messageModel(), MessageListModel::Kind::Chat,
                            u"the file is ready"_s));
        const int last = bobRoom->messageModel()->rowCount() - 1;
        QCOMPARE(bobRoom->messageModel()->entry(last).sender, u"alice"_s);
        QVERIFY(bobRoom->messageModel()->entry(last).mention); // "@bob" names bob
        QTRY_VERIFY(hasLine(aliceRoom->messageModel(), MessageListModel::Kind::Chat,
                            u"the file is ready"_s));
        QVERIFY(aliceRoom->messageModel()->entry(aliceRoom->messageModel()->rowCount() - 1).own);

        // A second room: lines there count as unread on its tab while lobby is on screen.
        QTest::keyClicks(bobRoom->input(), u"/join dev"_s);
        QTest::keyClick(bobRoom->input(), Qt::Key_Return);
        QTest::keyClicks(aliceRoom->input(), u"/join dev"_s);
        QTest::keyClick(aliceRoom->input(), Qt::Key_Return);
        QTRY_VERIFY(alice->window.roomWindow(u"dev"_s));
        QTRY_COMPARE(alice->window.roomWindow(u"dev"_s)->memberModel()->rowCount(), 2);
        alice->window.tabs()->setCurrentWidget(aliceRoom);
        QTRY_VERIFY(bob->window.roomWindow(u"dev"_s));
        Gui::RoomWindow *bobDev = bob->window.roomWindow(u"dev"_s);
        QTest::keyClicks(bobDev->input(), u"over here"_s);
        QTest::keyClick(bobDev->input(), Qt::Key_Return);
        QTRY_COMPARE(alice->window.chatModels()->rooms()->unread(u"dev"_s), 1);
        QTabWidget *tabs = alice->window.tabs();
        QCOMPARE(tabs->tabText(tabs->indexOf(alice->window.roomWindow(u"dev"_s))), u"dev (1)"_s);

        QVERIFY(saveScreenshot(&alice->window, u"main-window"_s));
        QVERIFY(saveScreenshot(bobRoom, u"room-window"_s));
    }

    void joinAndLeaveShowSystemLines()
    {
        auto alice = openDesktop(u"alice"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        MessageListModel *lines = alice->window.roomWindow(u"lobby"_s)->messageModel();
        QTRY_VERIFY(hasLine(lines, MessageListModel::Kind::Join, u"lobby"_s));

        ClientCore carol;
        connect(&carol, &ClientCore::connected, &carol, [&carol] { carol.join(u"lobby"_s); });
        QSignalSpy carolJoined(&carol, &ClientCore::joined);
        carol.connectToServer(u"127.0.0.1"_s, m_server->port(), u"carol"_s);
        QTRY_COMPARE(carolJoined.count(), 1);
        QTRY_VERIFY(hasLine(lines, MessageListModel::Kind::Join, u"carol"_s));
        carol.leave(u"lobby"_s);
        QTRY_VERIFY(hasLine(lines, MessageListModel::Kind::Leave, u"carol"_s));
        QCOMPARE(alice->window.roomWindow(u"lobby"_s)->memberModel()->nicks(),
                 QStringList {u"alice"_s});
    }

    void detachAndReattachRoom()
    {
        auto alice = openDesktop(u"alice"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *room = alice->window.roomWindow(u"lobby"_s);
        alice->window.detachRoom(u"lobby"_s);
        QVERIFY(room->isWindow());
        QCOMPARE(alice->window.tabs()->count(), 0);
        room->close();
        QVERIFY(!room->isWindow());
        QCOMPARE(alice->window.tabs()->count(), 1);
    }
};

QTEST_MAIN(TestGuiChat)
#include "tst_guichat.moc"
