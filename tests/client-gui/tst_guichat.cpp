// qcustomplot.h uses Qt's foreach inside its templates (see client-gui/throughputplot.cpp).
#undef QT_NO_FOREACH

#include <tests/client-gui/guidesktop.h>
#include <tests/support/localserver.h>

#include <client-gui/chatinput.h>
#include <client-gui/fileactions.h>
#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>
#include <client-gui/messagedelegate.h>
#include <client-gui/roomwindow.h>

#include <server-console/chat/chatserver.h>
#include <server-console/serverconfig.h>

#include <client-gui/throughputplot.h>
#include <client-gui/transfersview.h>
#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/memberlistmodel.h>
#include <client/offermodel.h>
#include <client/querylist.h>
#include <client/ratehistory.h>
#include <client/transferlistmodel.h>

#include <QCryptographicHash>
#include <QStandardPaths>

#include <QApplication>
#include <QLabel>
#include <QListView>
#include <QMimeData>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

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

    std::unique_ptr<GuiDesktop> openDesktop(const QString &nick, int uploadLimitKiB = 0)
    {
        return GuiDesktop::open(m_dir, m_server->port(), nick, uploadLimitKiB);
    }
    QString writeShared(const QString &dir, const QString &name, const QByteArray &content)
    {
        return writeTestFile(m_dir, dir, name, content);
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init() { startLocalServer(m_server, {}, u"test-server"_s); }
    void cleanup() { m_server.reset(); }

    void connectingFillsMemberList()
    {
        ClientCore bob;
        bob.setTlsSettings(testTlsSettings());
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
        QTRY_VERIFY(hasTestLine(bobRoom->messageModel(), MessageListModel::Kind::Chat,
                                u"the file is ready"_s));
        const int last = bobRoom->messageModel()->rowCount() - 1;
        QCOMPARE(bobRoom->messageModel()->entry(last).sender, u"alice"_s);
        QVERIFY(bobRoom->messageModel()->entry(last).mention); // "@bob" names bob
        QTRY_VERIFY(hasTestLine(aliceRoom->messageModel(), MessageListModel::Kind::Chat,
                                u"the file is ready"_s));
        QVERIFY(aliceRoom->messageModel()->entry(aliceRoom->messageModel()->rowCount() - 1).own);

        // A private line goes to a tab of its own for that peer (a query), on both sides, and
        // still names its recipient.
        Client::QueryList *aliceQueries = alice->window.chatModels()->queries();
        Client::QueryList *bobQueries = bob->window.chatModels()->queries();
        QTest::keyClicks(aliceRoom->input(), u"@bob only for you"_s);
        QTest::keyClick(aliceRoom->input(), Qt::Key_Return);
        QTRY_VERIFY(aliceRoom->queryView(u"bob"_s));
        QTRY_VERIFY(bobRoom->queryView(u"alice"_s));
        MessageListModel *aliceToBob = aliceQueries->messages(u"lobby"_s, u"bob"_s);
        MessageListModel *bobToAlice = bobQueries->messages(u"lobby"_s, u"alice"_s);
        QTRY_VERIFY(hasTestLine(aliceToBob, MessageListModel::Kind::Chat, u"only for you"_s));
        QTRY_VERIFY(hasTestLine(bobToAlice, MessageListModel::Kind::Chat, u"only for you"_s));
        QVERIFY(!hasTestLine(aliceRoom->messageModel(), MessageListModel::Kind::Chat,
                             u"only for you"_s));
        QVERIFY(!hasTestLine(bobRoom->messageModel(), MessageListModel::Kind::Chat,
                             u"only for you"_s));
        {
            const QModelIndex own = aliceToBob->index(aliceToBob->rowCount() - 1);
            QVERIFY(own.data(MessageListModel::PrivateRole).toBool());
            QCOMPARE(own.data(MessageListModel::RecipientsRole).toString(), u"bob"_s);
            QCOMPARE(Gui::MessageDelegate::bodyText(own), u"(private to bob) only for you"_s);
            const QModelIndex got = bobToAlice->index(bobToAlice->rowCount() - 1);
            QCOMPARE(Gui::MessageDelegate::bodyText(got), u"(private to you) only for you"_s);
        }
        // The sender's own private line brings its query forward; the receiver's tab counts it.
        QCOMPARE(aliceRoom->currentPeer(), u"bob"_s);
        QCOMPARE(bobRoom->currentPeer(), QString());
        QCOMPARE(bobQueries->unread(u"lobby"_s, u"alice"_s), 1);
        QTabWidget *bobViews = bobRoom->views();
        QCOMPARE(bobViews->tabText(bobViews->indexOf(bobRoom->queryView(u"alice"_s))),
                 u"alice (1)"_s);
        QVERIFY(saveScreenshot(bobRoom, u"room-query-unread"_s));
        // Bob answers from the query tab: no @ needed; Alice reads it while on the room's tab.
        aliceRoom->views()->setCurrentIndex(0);
        bobViews->setCurrentWidget(bobRoom->queryView(u"alice"_s));
        QCOMPARE(bobQueries->unread(u"lobby"_s, u"alice"_s), 0);
        QCOMPARE(bobViews->tabText(bobViews->indexOf(bobRoom->queryView(u"alice"_s))), u"alice"_s);
        QTest::keyClicks(bobRoom->input(), u"thanks"_s);
        QTest::keyClick(bobRoom->input(), Qt::Key_Return);
        QTRY_VERIFY(hasTestLine(aliceToBob, MessageListModel::Kind::Chat, u"thanks"_s));
        QVERIFY(hasTestLine(bobToAlice, MessageListModel::Kind::Chat, u"thanks"_s));
        QCOMPARE(aliceQueries->unread(u"lobby"_s, u"bob"_s), 1);
        QCOMPARE(aliceQueries->mentionCount(u"lobby"_s, u"bob"_s), 1);
        QCOMPARE(Gui::MessageDelegate::bodyText(aliceToBob->index(aliceToBob->rowCount() - 1)),
                 u"(private to you) thanks"_s);
        QVERIFY(!hasTestLine(aliceRoom->messageModel(), MessageListModel::Kind::Chat, u"thanks"_s));
        aliceRoom->views()->setCurrentWidget(aliceRoom->queryView(u"bob"_s));
        QCOMPARE(aliceQueries->unread(u"lobby"_s, u"bob"_s), 0);
        QVERIFY(saveScreenshot(aliceRoom, u"room-query"_s));
        aliceRoom->views()->setCurrentIndex(0);

        // Bob closes the query's tab (the room's own has no close button); the conversation
        // stays, and Alice's next private line opens the tab again, counted, with all of it.
        QVERIFY(!bobViews->tabBar()->tabButton(0, QTabBar::RightSide));
        QVERIFY(bobViews->tabBar()->tabButton(1, QTabBar::RightSide));
        Q_EMIT bobViews->tabCloseRequested(0);
        QCOMPARE(bobViews->count(), 2);
        Q_EMIT bobViews->tabCloseRequested(bobViews->indexOf(bobRoom->queryView(u"alice"_s)));
        QCOMPARE(bobViews->count(), 1);
        QVERIFY(!bobRoom->queryView(u"alice"_s));
        QCOMPARE(bobRoom->currentPeer(), QString());
        QTest::keyClicks(aliceRoom->input(), u"@bob one more thing"_s);
        QTest::keyClick(aliceRoom->input(), Qt::Key_Return);
        QTRY_VERIFY(bobRoom->queryView(u"alice"_s));
        QCOMPARE(bobRoom->queryView(u"alice"_s)->model(), bobToAlice);
        QVERIFY(hasTestLine(bobToAlice, MessageListModel::Kind::Chat, u"only for you"_s));
        QTRY_COMPARE(bobViews->tabText(bobViews->indexOf(bobRoom->queryView(u"alice"_s))),
                     u"alice (1)"_s);
        aliceRoom->views()->setCurrentIndex(0);

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

    void memberTooltipShowsFingerprintAndChangedKey()
    {
        auto alice = openDesktop(u"alice"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *room = alice->window.roomWindow(u"lobby"_s);
        QAbstractItemModel *members = room->memberView()->model();
        const auto bobRow = [&] {
            const int row = room->memberModel()->indexOfNick(u"bob"_s);
            return row < 0 ? QModelIndex() : members->index(row, 0);
        };
        QString firstFingerprint;
        {
            ClientCore bob;
            connect(&bob, &ClientCore::connected, &bob, [&bob] { bob.join(u"lobby"_s); });
            bob.connectToServer(u"127.0.0.1"_s, m_server->port(), u"bob"_s);
            QTRY_VERIFY(bobRow().isValid());
            firstFingerprint = bob.identity()->fingerprint();
            const QString tip = bobRow().data(Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(firstFingerprint), qPrintable(tip));
            QVERIFY(!bobRow().data(Client::MemberListModel::KeyChangedRole).toBool());
            bob.disconnectFromServer();
            QTRY_VERIFY(!bobRow().isValid());
        }
        // Another "bob", another key: marked in the list, a warning in the room.
        ClientCore other;
        connect(&other, &ClientCore::connected, &other, [&other] { other.join(u"lobby"_s); });
        other.connectToServer(u"127.0.0.1"_s, m_server->port(), u"bob"_s);
        QTRY_VERIFY(bobRow().isValid());
        QVERIFY(bobRow().data(Client::MemberListModel::KeyChangedRole).toBool());
        const QString tip = bobRow().data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"KEY CHANGED"_s) && tip.contains(firstFingerprint)
                         && tip.contains(other.identity()->fingerprint()),
                 qPrintable(tip));
        QVERIFY(hasTestLine(room->messageModel(), MessageListModel::Kind::Error, u"key of bob"_s));
        QVERIFY(saveScreenshot(room, u"member-key-changed"_s));

        // "/trust bob" accepts the new key: the mark goes.
        QTest::keyClicks(room->input(), u"/trust bob"_s);
        QTest::keyClick(room->input(), Qt::Key_Return);
        QTRY_VERIFY(!bobRow().data(Client::MemberListModel::KeyChangedRole).toBool());
        QVERIFY(hasTestLine(room->messageModel(), MessageListModel::Kind::Notice,
                            other.identity()->fingerprint()));
    }

    void joinAndLeaveShowSystemLines()
    {
        auto alice = openDesktop(u"alice"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        MessageListModel *lines = alice->window.roomWindow(u"lobby"_s)->messageModel();
        QTRY_VERIFY(hasTestLine(lines, MessageListModel::Kind::Join, u"lobby"_s));

        ClientCore carol;
        carol.setTlsSettings(testTlsSettings());
        connect(&carol, &ClientCore::connected, &carol, [&carol] { carol.join(u"lobby"_s); });
        QSignalSpy carolJoined(&carol, &ClientCore::joined);
        carol.connectToServer(u"127.0.0.1"_s, m_server->port(), u"carol"_s);
        QTRY_COMPARE(carolJoined.count(), 1);
        QTRY_VERIFY(hasTestLine(lines, MessageListModel::Kind::Join, u"carol"_s));
        carol.leave(u"lobby"_s);
        QTRY_VERIFY(hasTestLine(lines, MessageListModel::Kind::Leave, u"carol"_s));
        QCOMPARE(alice->window.roomWindow(u"lobby"_s)->memberModel()->nicks(),
                 QStringList {u"alice"_s});
    }

    void dropSharesAndOtherDownloads()
    {
        auto alice = openDesktop(u"alice"_s);
        auto bob = openDesktop(u"bob"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        QTRY_VERIFY(bob->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *aliceRoom = alice->window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *bobRoom = bob->window.roomWindow(u"lobby"_s);
        QTRY_COMPARE(bobRoom->memberModel()->rowCount(), 2);

        const QByteArray content = randomTestBytes(300 * 1024, 42);
        const QString path = writeShared(u"alice-shared"_s, u"holiday.bin"_s, content);
        QVERIFY(!path.isEmpty());
        const QString sha = QString::fromLatin1(
                QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());

        // Alice drops the file on her room window; Bob sees the announcement.
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        const QPoint at = aliceRoom->rect().center();
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCOMPARE(Gui::RoomWindow::localPaths(mime.urls()), QStringList {path});
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(aliceRoom, &enter);
        QVERIFY(enter.isAccepted());
        QApplication::sendEvent(aliceRoom, &drop);
        QVERIFY(drop.isAccepted());
        MessageListModel *bobLines = bobRoom->messageModel();
        QTRY_VERIFY_WITH_TIMEOUT(
                hasTestLine(bobLines, MessageListModel::Kind::Share, u"holiday.bin"_s), 20000);
        int row = bobLines->rowCount() - 1;
        while (row >= 0 && bobLines->entry(row).kind != MessageListModel::Kind::Share)
            --row;
        QCOMPARE(bobLines->entry(row).sha256, sha);
        QCOMPARE(bobLines->entry(row).size, content.size());

        // Bob double-clicks it (Enter would do as well): the download runs and ends done and
        // verified.
        QListView *view = bobRoom->messageView();
        const QModelIndex index = bobLines->index(row);
        view->scrollTo(index);
        const QPoint centre = view->visualRect(index).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
        Client::TransferListModel *transfers = bob->window.transferModel();
        QTRY_COMPARE_WITH_TIMEOUT(transfers->rowCount(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
                transfers->transferAt(0).state == Client::TransferInfo::State::Done, 30000);
        const Client::TransferInfo done = transfers->transferAt(0);
        QVERIFY(done.verified);
        QCOMPARE(done.sha256.toLower(), sha);
        QVERIFY(transfers->index(0, Client::TransferListModel::StateColumn)
                        .data()
                        .toString()
                        .contains(u"verified"_s));
        QFile received(done.localPath);
        QVERIFY2(received.open(QIODevice::ReadOnly), qPrintable(done.localPath));
        QCOMPARE(received.readAll(), content);

        // The graph got points from the rate history while this ran, and the download is on
        // it: 300 KiB on loopback moves within one 250 ms tick, after ticks of asking and
        // connecting at zero bytes, and was once drawn as nothing at all.
        Gui::ThroughputPlot *plot = bob->window.throughputPlot();
        QTRY_VERIFY((plot->refresh(), plot->pointCount(Gui::ThroughputPlot::DownGraph) > 0));
        const auto drawn = [&] {
            const auto &points = bob->window.rateHistory()->aggregate();
            return std::any_of(points.cbegin(), points.cend(),
                               [](const Client::RateHistory::Point &p) { return p.down > 0; });
        };
        QTRY_VERIFY(drawn());
        plot->refresh();
        plot->plot()->replot();
        QVERIFY(saveScreenshot(&bob->window, u"main-window-download"_s));
        QVERIFY(saveScreenshot(bob->window.transfersView(), u"transfers-done"_s));
    }

    // Rate, ETA and round trip are live on the active rows of both sides; the uploader's row
    // names the file and the downloader; a pause shows as "Paused by peer" to the uploader and
    // the resumed transfer stays on the same row; Space toggles pause and resume.
    void liveTransferRowsOnBothSides()
    {
        using Client::TransferInfo;
        using Client::TransferListModel;
        // 384 KiB/s on 8 MiB: the transfer cannot end before the pause below, even on a slow
        // (sanitizer) build; the limit is lifted before the resume.
        auto alice = openDesktop(u"alice"_s, 384);
        auto bob = openDesktop(u"bob"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        QTRY_VERIFY(bob->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *aliceRoom = alice->window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *bobRoom = bob->window.roomWindow(u"lobby"_s);
        QTRY_COMPARE(bobRoom->memberModel()->rowCount(), 2);

        const QByteArray content = randomTestBytes(8 * 1024 * 1024, 7);
        const QString path = writeShared(u"alice-live"_s, u"big-video.bin"_s, content);
        QVERIFY(!path.isEmpty());
        const QString sha = QString::fromLatin1(
                QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
        Q_EMIT aliceRoom->shareRequested(u"lobby"_s, {path});
        QTRY_VERIFY_WITH_TIMEOUT(hasTestLine(bobRoom->messageModel(), MessageListModel::Kind::Share,
                                             u"big-video.bin"_s),
                                 20000);
        // The sharer is told when the room was.
        QTRY_VERIFY(hasTestLine(aliceRoom->messageModel(), MessageListModel::Kind::Notice,
                                u"is shared: the room was told"_s));
        QVERIFY(hasTestLine(aliceRoom->messageModel(), MessageListModel::Kind::Notice,
                            u"big-video.bin ("_s));
        Q_EMIT bobRoom->downloadRequested(sha, u"big-video.bin"_s);

        TransferListModel *down = bob->window.transferModel();
        TransferListModel *up = alice->window.transferModel();
        QTRY_COMPARE_WITH_TIMEOUT(down->rowCount(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(0).state == TransferInfo::State::Transferring,
                                 10000);
        QTRY_COMPARE_WITH_TIMEOUT(up->rowCount(), 1, 10000);
        const auto cell = [](TransferListModel *m, int column) {
            return m->index(0, column).data().toString();
        };
        // Live figures on both sides while the transfer runs.
        for (TransferListModel *m : {down, up}) {
            QTRY_VERIFY2(!cell(m, TransferListModel::RateColumn).isEmpty(),
                         qPrintable(cell(m, TransferListModel::StateColumn)));
            QTRY_VERIFY(!cell(m, TransferListModel::EtaColumn).isEmpty());
        }
        // The round trip on both sides: the sender's from its acknowledgements, the receiver's
        // from its handshake plus the queueing it sees in the DATA timestamps (ReceiverRtt).
        QTRY_VERIFY(!cell(up, TransferListModel::RttColumn).isEmpty());
        QTRY_VERIFY(!cell(down, TransferListModel::RttColumn).isEmpty());
        QVERIFY(cell(down, TransferListModel::RttColumn).endsWith(u" ms"_s));
        QCOMPARE(cell(up, TransferListModel::FileColumn), u"big-video.bin"_s);
        QCOMPARE(cell(up, TransferListModel::PeerColumn), u"bob"_s);
        QCOMPARE(cell(down, TransferListModel::PeerColumn), u"alice"_s);
        // Updated at least twice a second on both sides.
        QSignalSpy downUpdates(down, &QAbstractItemModel::dataChanged);
        QSignalSpy upUpdates(up, &QAbstractItemModel::dataChanged);
        QTest::qWait(1000);
        QVERIFY2(downUpdates.size() >= 2, qPrintable(QString::number(downUpdates.size())));
        QVERIFY2(upUpdates.size() >= 2, qPrintable(QString::number(upUpdates.size())));
        QVERIFY(saveScreenshot(bob->window.transfersView(), u"transfers-live-download"_s));

        // Selecting the row draws its own series in the graph, with live (non-zero) values.
        QTableView *table = bob->window.transfersView()->table();
        table->selectRow(0);
        Gui::ThroughputPlot *plot = bob->window.throughputPlot();
        QTRY_VERIFY_WITH_TIMEOUT(
                (plot->refresh(), plot->pointCount(Gui::ThroughputPlot::SelectedRateGraph) >= 3),
                3000);
        bool found = false;
        const QCPRange selectedRange
                = plot->plot()->graph(Gui::ThroughputPlot::SelectedRateGraph)->getValueRange(found);
        QVERIFY(found && selectedRange.upper > 0);
        QVERIFY(plot->plot()->graph(Gui::ThroughputPlot::SelectedRateGraph)->visible());
        QVERIFY(saveScreenshot(&bob->window, u"main-window-live-transfer"_s));
        QVERIFY(saveScreenshot(alice->window.transfersView(), u"transfers-live-upload"_s));

        // Space on the selected row pauses; the uploader is told it is a pause.
        bob->window.activateWindow();
        table->setFocus();
        table->selectRow(0);
        QTest::keyClick(table, Qt::Key_Space);
        QTRY_COMPARE(down->transferAt(0).state, TransferInfo::State::Paused);
        QTRY_COMPARE_WITH_TIMEOUT(cell(up, TransferListModel::StateColumn), u"Paused by peer"_s,
                                  5000);
        QTest::qWait(300); // a late failure report must not turn the pause into "Failed"
        QCOMPARE(cell(up, TransferListModel::StateColumn), u"Paused by peer"_s);
        QCOMPARE(up->rowCount(), 1);

        // Space again resumes: still one row on each side, and it ends done and verified. The
        // sharer lifts her limit meanwhile, as in Settings, so the rest goes at full speed.
        alice->settings.setUploadRateLimitKiB(0);
        alice->window.fileActions()->applySettings(alice->settings);
        QTest::keyClick(table, Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(0).state == TransferInfo::State::Transferring
                                         || down->transferAt(0).state == TransferInfo::State::Done,
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(0).state == TransferInfo::State::Done, 30000);
        QVERIFY(down->transferAt(0).verified);
        QTRY_COMPARE_WITH_TIMEOUT(up->transferAt(0).state, TransferInfo::State::Done, 5000);
        QCOMPARE(up->rowCount(), 1);
        QCOMPARE(down->rowCount(), 1);
        QCOMPARE(cell(up, TransferListModel::FileColumn), u"big-video.bin"_s);
    }

    void typedShareFindAndGet()
    {
        auto alice = openDesktop(u"alice"_s);
        auto bob = openDesktop(u"bob"_s);
        QTRY_VERIFY(alice->window.roomWindow(u"lobby"_s));
        QTRY_VERIFY(bob->window.roomWindow(u"lobby"_s));
        Gui::RoomWindow *aliceRoom = alice->window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *bobRoom = bob->window.roomWindow(u"lobby"_s);
        QTRY_COMPARE(bobRoom->memberModel()->rowCount(), 2);

        const QString sharedDir = m_dir.filePath(u"alice-typed"_s);
        QVERIFY(QDir().mkpath(sharedDir));
        QFile file(sharedDir + u"/quarterly-report.pdf"_s);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray content(200 * 1024, 'r');
        QCOMPARE(file.write(content), content.size());
        file.close();

        // Alice types /share; once the room is told, Bob types /find and then /get.
        QTest::keyClicks(aliceRoom->input(), u"/share "_s + file.fileName());
        QTest::keyClick(aliceRoom->input(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(hasTestLine(bobRoom->messageModel(), MessageListModel::Kind::Share,
                                             u"quarterly-report.pdf"_s),
                                 20000);
        QTest::keyClicks(bobRoom->input(), u"/find report"_s);
        QTest::keyClick(bobRoom->input(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bob->window.offerModel()->rowCount(), 1, 10000);
        QTest::keyClicks(bobRoom->input(), u"/get report"_s);
        QTest::keyClick(bobRoom->input(), Qt::Key_Return);
        Client::TransferListModel *transfers = bob->window.transferModel();
        QTRY_COMPARE_WITH_TIMEOUT(transfers->rowCount(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
                transfers->transferAt(0).state == Client::TransferInfo::State::Done, 30000);
        QVERIFY(transfers->transferAt(0).verified);
        QFile received(transfers->transferAt(0).localPath);
        QVERIFY(received.open(QIODevice::ReadOnly));
        QCOMPARE(received.readAll(), content);

        // Something no one offers is said plainly.
        QTest::keyClicks(bobRoom->input(), u"/get nothing-like-this"_s);
        QTest::keyClick(bobRoom->input(), Qt::Key_Return);
        QTRY_VERIFY(hasTestLine(bobRoom->messageModel(), MessageListModel::Kind::Error,
                                u"nothing-like-this"_s));
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
