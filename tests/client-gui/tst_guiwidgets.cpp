// qcustomplot.h uses Qt's foreach inside its templates (see client-gui/throughputplot.cpp).
#undef QT_NO_FOREACH

#include <tests/client-gui/guitestutil.h>

#include <client-gui/chatinput.h>
#include <client-gui/commandrunner.h>
#include <client-gui/connectdialog.h>
#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>
#include <client-gui/messagedelegate.h>
#include <client-gui/offersview.h>
#include <client-gui/roomwindow.h>
#include <client-gui/settingsdialog.h>
#include <client-gui/throughputplot.h>
#include <client-gui/transfersview.h>
#include <client-gui/translations.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/connectionstatus.h>
#include <client/offermodel.h>
#include <client/outbox.h>
#include <client/ratehistory.h>
#include <client/serverfailover.h>
#include <client/transferlistmodel.h>

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>
#include <QTreeView>
#include <QTreeWidget>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;
using namespace Client;

namespace {
Protocol::MemberInfo member(const QString &nick)
{
    return {u"s1/"_s % nick, nick, u"127.0.0.1"_s, u"s1"_s, QByteArray(32, char(nick.size()))};
}

TransferInfo transfer(const QString &id, const QString &file, TransferInfo::State state,
                      qint64 done, TransferInfo::Direction dir = TransferInfo::Direction::Download)
{
    TransferInfo t;
    t.id = id;
    t.fileName = file;
    t.direction = dir;
    t.state = state;
    t.size = 10'000'000;
    t.bytesDone = done;
    t.peerNick = u"alice"_s;
    t.rateBytesPerSecond = state == TransferInfo::State::Transferring ? 2'500'000 : 0;
    t.rttMs = 18.4;
    t.retransmitRatio = 0.012;
    return t;
}
} // namespace

class TestGuiWidgets : public QObject
{
    Q_OBJECT
private:
    // A room "lobby" whose models are fed by the core's signals, without a server.
    struct Room
    {
        ClientCore core;
        ChatModels models {&core};
        Room()
        {
            Q_EMIT core.joined(
                    u"lobby"_s,
                    {member(u"me"_s), member(u"alice"_s), member(u"albert"_s), member(u"bob"_s)});
        }
    };

private Q_SLOTS:
    void dropOfFilesEmitsShareRequested()
    {
        Room room;
        Gui::RoomWindow window(&room.models, u"lobby"_s);
        window.resize(700, 400);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"notes.txt"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
        f.close();
        QVERIFY(QDir(dir.path()).mkdir(u"album"_s));
        const QString folder = dir.filePath(u"album"_s);

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file), QUrl::fromLocalFile(folder),
                      QUrl(u"https://example.org/x"_s),
                      QUrl::fromLocalFile(dir.filePath(u"missing"_s))});
        QSignalSpy shared(&window, &Gui::RoomWindow::shareRequested);
        const QPoint at = window.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(drop.isAccepted());
        QCOMPARE(shared.count(), 1);
        QCOMPARE(shared.at(0).at(0).toString(), u"lobby"_s);
        // Only existing local files and folders; the web link and the missing file are dropped.
        QCOMPARE(shared.at(0).at(1).toStringList(), (QStringList {file, folder}));

        // A drop with nothing local is refused.
        QMimeData web;
        web.setUrls({QUrl(u"https://example.org/x"_s)});
        QDragEnterEvent refused(at, Qt::CopyAction, &web, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &refused);
        QVERIFY(!refused.isAccepted());
    }

    void nickCompletionWithTab()
    {
        Room room;
        Gui::RoomWindow window(&room.models, u"lobby"_s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Gui::ChatInput *input = window.input();
        input->setFocus();
        QTest::keyClicks(input, u"hi @alb"_s);
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->text(), u"hi @albert "_s);
        // Without '@' Tab is not a completion.
        input->clear();
        QTest::keyClicks(input, u"alb"_s);
        QCOMPARE(input->completer()->popup()->isVisible(), false);
    }

    void commandsPostNotices()
    {
        Room room;
        Client::Outbox outbox(&room.core, &room.models);
        Gui::CommandRunner runner(&room.core, &room.models, &outbox);
        MessageListModel *lines = room.models.messages(u"lobby"_s);
        const int before = lines->rowCount();
        runner.run(u"lobby"_s, u"/help"_s);
        runner.run(u"lobby"_s, u"/frobnicate"_s);
        QCOMPARE(lines->rowCount(), before + 2);
        const auto kind = [&](int row) {
            return lines->index(row)
                    .data(MessageListModel::KindRole)
                    .value<MessageListModel::Kind>();
        };
        QCOMPARE(kind(before), MessageListModel::Kind::Notice);
        QVERIFY(lines->entry(before).text.contains(u"join ROOM"_s));
        QCOMPARE(kind(before + 1), MessageListModel::Kind::Error);
        QSignalSpy use(&runner, &Gui::CommandRunner::roomRequested);
        runner.run(u"lobby"_s, u"/use other"_s);
        QCOMPARE(use.count(), 1);
    }

    void hundredThousandLines()
    {
        Room room;
        MessageListModel *lines = room.models.messages(u"lobby"_s);
        QList<MessageListModel::Entry> batch(100'000);
        for (int i = 0; i < batch.size(); ++i) {
            batch[i].timeMs = 1'700'000'000'000 + i * 1000;
            batch[i].sender = i % 3 ? u"alice"_s : u"bob"_s;
            batch[i].text = u"line %1 with a little text to wrap"_s.arg(i);
            batch[i].mention = i % 1000 == 0;
        }
        Gui::RoomWindow window(&room.models, u"lobby"_s);
        window.resize(800, 500);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        lines->appendEntries(batch);
        QCOMPARE(window.messageView()->model()->rowCount(), 100'000 + 1);
        const QModelIndex last = lines->index(lines->rowCount() - 1);
        // Batched layout sizes the rows over several event-loop turns; scroll once it is done.
        QTRY_VERIFY_WITH_TIMEOUT((window.messageView()->scrollTo(last), true)
                                         && window.messageView()->viewport()->rect().intersects(
                                                 window.messageView()->visualRect(last)),
                                 30000);
        // Rows are at least a line of text tall: the delegate sized them.
        QVERIFY(window.messageView()->visualRect(last).height()
                >= window.messageView()->fontMetrics().height());
        QVERIFY(saveScreenshot(&window, u"room-100k-lines"_s));
    }

    void plotReceivesPoints()
    {
        RateHistory history(std::chrono::minutes(1));
        Gui::ThroughputPlot plot(&history);
        plot.resize(640, 320);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCOMPARE(plot.pointCount(Gui::ThroughputPlot::DownGraph), 0);
        history.update(transfer(u"d"_s, u"a.iso"_s, TransferInfo::State::Transferring, 0));
        history.update(transfer(u"u"_s, u"b.iso"_s, TransferInfo::State::Transferring, 0,
                                TransferInfo::Direction::Upload));
        history.selectTransfer(u"d"_s);
        history.tick(0);
        qint64 down = 0;
        for (int i = 1; i <= 120; ++i) {
            // A ramp, a dip and a plateau, so the graph shows something recognisable.
            const qint64 rate = i < 60 ? i * 40'000 : (i < 80 ? 800'000 : 2'000'000);
            down += rate / 4; // one tick is 250 ms
            auto d = transfer(u"d"_s, u"a.iso"_s, TransferInfo::State::Transferring, down);
            d.rateBytesPerSecond = double(rate);
            d.congestionRate = double(rate) * 1.25;
            d.rttMs = 15 + (i % 20);
            history.update(d);
            history.update(transfer(u"u"_s, u"b.iso"_s, TransferInfo::State::Transferring,
                                    i * 100'000, TransferInfo::Direction::Upload));
            history.tick(i * 250);
        }
        plot.refresh();
        QCOMPARE(plot.pointCount(Gui::ThroughputPlot::DownGraph), 120);
        QCOMPARE(plot.pointCount(Gui::ThroughputPlot::UpGraph), 120);
        QVERIFY(plot.pointCount(Gui::ThroughputPlot::SelectedRateGraph) > 0);
        QVERIFY(plot.pointCount(Gui::ThroughputPlot::RttGraph) > 0);
        const QString png = QStringLiteral(HOPSHARE_SCREENSHOT_DIR) + u"/throughput-graph.png"_s;
        QDir().mkpath(QStringLiteral(HOPSHARE_SCREENSHOT_DIR));
        QVERIFY(plot.savePng(png));
        QVERIFY(QFileInfo(png).size() > 0);
    }

    // A 40 MB/s burst four minutes ago must not flatten the last minute's 100 kB/s; the legend
    // lies outside the axis rect.
    void graphScalesToTheVisibleSpan()
    {
        RateHistory history(std::chrono::minutes(5));
        Gui::ThroughputPlot plot(&history);
        plot.resize(640, 360);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCOMPARE(plot.visibleSeconds(), 60);
        history.update(transfer(u"d"_s, u"a.iso"_s, TransferInfo::State::Transferring, 0));
        history.tick(0);
        qint64 done = 0;
        for (int i = 1; i <= 4 * 240; ++i) { // 240 s in 250 ms ticks
            done += i <= 4 * 10 ? 10'000'000 : 25'000; // 40 MB/s for 10 s, then 100 kB/s
            history.update(transfer(u"d"_s, u"a.iso"_s, TransferInfo::State::Transferring, done));
            history.tick(i * 250);
        }
        plot.refresh();
        QVERIFY2(plot.visiblePeak() > 90 && plot.visiblePeak() < 100,
                 qPrintable(QString::number(plot.visiblePeak()))); // KiB/s
        QVERIFY(plot.plot()->yAxis->range().upper < 120);
        QCOMPARE(plot.plot()->xAxis->range().lower, -60.0);
        plot.plot()->replot();
        QVERIFY(saveScreenshot(&plot, u"throughput-last-minute"_s));
        plot.setVisibleSeconds(300);
        QVERIFY(plot.visiblePeak() > 30); // MiB/s: the burst is on screen again
        QCOMPARE(plot.plot()->yAxis->label(), u"MiB/s"_s);
        // The legend is a row of the plot's layout, not an inset drawn over the lines.
        QCOMPARE(plot.plot()->axisRect()->insetLayout()->elementCount(), 0);
        plot.plot()->replot();
        QVERIFY(!plot.plot()->axisRect()->rect().intersects(plot.plot()->legend->outerRect()));
    }

    // In a short dock the right axis's name is the unit alone (the whole name was longer than
    // the axis and cut off), and its tick labels do not run into each other.
    void shortGraphKeepsItsAxesReadable()
    {
        RateHistory history(std::chrono::minutes(1));
        Gui::ThroughputPlot plot(&history);
        history.update(transfer(u"d"_s, u"a.iso"_s, TransferInfo::State::Transferring, 0));
        history.selectTransfer(u"d"_s);
        history.tick(0);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const QFontMetrics labels(plot.plot()->yAxis2->tickLabelFont());
        for (const int height : {170, 480}) {
            plot.resize(300, height);
            plot.refresh();
            plot.plot()->replot();
            const int axis = plot.plot()->axisRect()->height();
            const QString name = plot.plot()->yAxis2->label();
            QVERIFY2(QFontMetrics(plot.plot()->yAxis2->labelFont()).horizontalAdvance(name) < axis,
                     qPrintable(u"'%1' along %2 px"_s.arg(name).arg(axis)));
            QCOMPARE(name == u"ms"_s, height == 170);
            const qsizetype ticks = plot.plot()->yAxis2->tickVector().size();
            QVERIFY2(ticks >= 2 && (ticks - 1) * labels.height() <= axis,
                     qPrintable(u"%1 ticks along %2 px"_s.arg(ticks).arg(axis)));
        }
    }

    void transfersTableAndActions()
    {
        TransferListModel model;
        Gui::TransfersView view(&model);
        view.resize(1000, 260);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.update(
                transfer(u"1"_s, u"debian.iso"_s, TransferInfo::State::Transferring, 4'200'000));
        auto done = transfer(u"2"_s, u"photos.zip"_s, TransferInfo::State::Done, 10'000'000);
        done.verified = true;
        model.update(done);
        auto failed = transfer(u"3"_s, u"talk.mkv"_s, TransferInfo::State::Failed, 1'000'000);
        failed.error = u"peer went away"_s;
        model.update(failed);
        model.update(transfer(u"4"_s, u"notes.txt"_s, TransferInfo::State::Transferring, 7'000'000,
                              TransferInfo::Direction::Upload));
        QCOMPARE(view.table()->model()->rowCount(), 4);

        QSignalSpy current(&view, &Gui::TransfersView::currentTransferChanged);
        QSignalSpy paused(&view, &Gui::TransfersView::pauseRequested);
        view.table()->selectRow(0);
        QCOMPARE(current.count(), 1);
        QAction *pause = view.transferActions().at(0);
        QVERIFY(pause->isEnabled());
        pause->trigger();
        QCOMPARE(paused.count(), 1);
        QCOMPARE(paused.at(0).at(0).toString(), u"1"_s);
        view.table()->selectRow(1);
        QVERIFY(!pause->isEnabled()); // a finished transfer cannot pause
        QVERIFY(saveScreenshot(&view, u"transfers"_s));

        // Opening a file that was moved away says so instead of failing silently.
        QTemporaryDir dir;
        auto gone = transfer(u"5"_s, u"moved.bin"_s, TransferInfo::State::Done, 10'000'000);
        gone.localPath = dir.filePath(u"away/moved.bin"_s);
        model.update(gone);
        view.table()->selectRow(model.rowOf(u"5"_s));
        QSignalSpy failedToOpen(&view, &Gui::TransfersView::openFailed);
        QVERIFY(!view.openFile(true));
        QCOMPARE(failedToOpen.count(), 1);
        QVERIFY2(failedToOpen.at(0).at(0).toString().contains(u"no longer exists"_s),
                 qPrintable(failedToOpen.at(0).at(0).toString()));
    }

    void offersTreeDownloads()
    {
        OfferModel model;
        Gui::OffersView view(&model);
        view.resize(600, 240);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto offer = [](const QString &id, QChar sha, const QString &peer, int freeSlots) {
            OfferInfo o;
            o.offerId = id;
            o.fileName = sha == u'a' ? u"debian-12.iso"_s : u"holiday.mp4"_s;
            o.size = sha == u'a' ? 658'505'728 : 94'371'840;
            o.sha256 = QString(64, sha);
            o.peerNick = peer;
            o.freeSlots = freeSlots;
            return o;
        };
        QVERIFY(model.addOffer(offer(u"o1"_s, u'a', u"alice"_s, 1)));
        QVERIFY(model.addOffer(offer(u"o2"_s, u'a', u"bob"_s, 4)));
        QVERIFY(model.addOffer(offer(u"o3"_s, u'b', u"carol"_s, 2)));
        view.tree()->expandAll();
        QSignalSpy download(&view, &Gui::OffersView::downloadRequested);
        view.tree()->setCurrentIndex(model.index(0, 0));
        QTest::keyClick(view.tree(), Qt::Key_Return);
        QCOMPARE(download.count(), 1);
        QCOMPARE(download.at(0).at(0).toString(), u"o2"_s); // best source of the group
        view.tree()->setCurrentIndex(model.index(0, 0, model.index(0, 0)));
        QTest::keyClick(view.tree(), Qt::Key_Return);
        QCOMPARE(download.at(1).at(0).toString(), u"o1"_s); // the chosen source
        QVERIFY(saveScreenshot(&view, u"offers"_s));
    }

    void testConditionsSpec()
    {
        QTemporaryDir dir;
        Gui::GuiSettings settings(dir.filePath(u"s.ini"_s));
        Gui::SettingsDialog dialog(&settings);
        QCOMPARE(dialog.specPreview()->text(), u"(off)"_s);
        Gui::TestConditions c;
        c.enabled = true;
        c.lossPercent = 5;
        c.delayMs = 20;
        c.reorderPercent = 2;
        c.corruptPercent = 0.5;
        QCOMPARE(c.spec(), u"loss=5%,delay=20ms,reorder=2%,corrupt=0.5%"_s);
        settings.setTestConditions(c);
        Gui::SettingsDialog reopened(&settings);
        QCOMPARE(reopened.specPreview()->text(), u"loss=5%,delay=20ms,reorder=2%,corrupt=0.5%"_s);
        reopened.accept();
        QCOMPARE(settings.testConditions().spec(), c.spec());
        reopened.show();
        QVERIFY(saveScreenshot(&reopened, u"settings"_s));
    }

    // The server's certificate is checked (pinned) by default; only the test checkbox turns
    // the check off, and unticking it turns it back on.
    void certificateCheckIsOnUnlessSkipped()
    {
        QTemporaryDir dir;
        Gui::GuiSettings settings(dir.filePath(u"s.ini"_s));
        QCOMPARE(settings.tlsSettings().mode, Client::TlsSettings::Mode::Pinned);
        Gui::SettingsDialog dialog(&settings);
        QVERIFY(!dialog.skipCertificateCheckBox()->isChecked());
        dialog.skipCertificateCheckBox()->setChecked(true);
        dialog.accept();
        QCOMPARE(settings.tlsSettings().mode, Client::TlsSettings::Mode::Insecure);
        Gui::SettingsDialog again(&settings);
        QVERIFY(again.skipCertificateCheckBox()->isChecked());
        again.skipCertificateCheckBox()->setChecked(false);
        again.accept();
        QCOMPARE(settings.tlsSettings().mode, Client::TlsSettings::Mode::Pinned);
    }

    // Started with --nick and no nick in the settings: Settings shows that nick, and OK keeps
    // it (it used to write "nick=").
    void settingsKeepTheNickInUse()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"zoe.ini"_s);
        Client::ClientCore core;
        Gui::GuiSettings settings(ini);
        QVERIFY(settings.nick().isEmpty());
        Gui::MainWindow window(&core, &settings);
        window.failover()->setRetryDelays(std::chrono::seconds(30), std::chrono::seconds(60));
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        window.connectTo(u"127.0.0.1"_s, port, u"zoe"_s, {});
        auto *action = window.findChild<QAction *>(u"settingsAction"_s);
        QVERIFY(action);
        QVERIFY2(!action->shortcuts().isEmpty(), "Settings needs a shortcut on every platform");
        QString shown;
        bool rejectedBadNick = false;
        QTimer::singleShot(0, &window, [&] {
            auto *dialog = qobject_cast<Gui::SettingsDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            shown = dialog->nickField()->text();
            dialog->nickField()->setText(u"2bad"_s);
            dialog->accept();
            rejectedBadNick = dialog->isVisible() && !dialog->nickError()->isHidden();
            dialog->nickField()->setText(shown);
            dialog->accept();
        });
        action->trigger();
        QCOMPARE(shown, u"zoe"_s);
        QVERIFY(rejectedBadNick);
        QCOMPARE(settings.nick(), u"zoe"_s);
        QSettings raw(ini, QSettings::IniFormat);
        QCOMPARE(raw.value(u"identity/nick"_s).toString(), u"zoe"_s);
    }

    // The connect dialog checks an address as it is typed, Enter in that field adds it and does
    // not also press Connect, and the error stays until the entry is fixed.
    void connectDialogValidatesAndEnterAdds()
    {
        QTemporaryDir dir;
        Gui::GuiSettings settings(dir.filePath(u"c.ini"_s));
        settings.setNick(u"alice"_s);
        Gui::ConnectDialog dialog(&settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto *list = dialog.findChild<QTreeWidget *>();
        QVERIFY(list);
        const int listed = list->topLevelItemCount();
        QLineEdit *field = dialog.newServerField();
        field->setFocus();
        QTest::keyClicks(field, u"my server:7400"_s);
        QVERIFY2(dialog.errorLabel()->text().contains(u"host:port"_s),
                 qPrintable(dialog.errorLabel()->text()));
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        QCOMPARE(list->topLevelItemCount(), listed);
        QVERIFY(!dialog.errorLabel()->text().isEmpty()); // still there
        field->clear();
        QVERIFY(dialog.errorLabel()->text().isEmpty());
        QTest::keyClicks(field, u"127.0.0.1:7401"_s);
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(accepted.count(), 0); // Enter added the server; it did not connect
        QVERIFY(dialog.isVisible());
        QCOMPARE(list->topLevelItemCount(), listed + 1);
        QCOMPARE(list->topLevelItem(listed)->text(0), u"127.0.0.1:7401"_s);
        QVERIFY(field->text().isEmpty());
        // The same address again selects the listed one.
        QTest::keyClicks(field, u"127.0.0.1:7401"_s);
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(list->topLevelItemCount(), listed + 1);
        QVERIFY(saveScreenshot(&dialog, u"connect-dialog-added"_s));
    }

    // A nick has the same colour in every client and every run (and whatever its case).
    void nickColoursAreStable()
    {
        QCOMPARE(Gui::MessageDelegate::nickColor(u"alice"_s),
                 Gui::MessageDelegate::nickColor(u"Alice"_s));
        // FNV-1a of "alice" is 0x872213e7 (a fixed value, as in every client): hue 239.
        QCOMPARE(Gui::MessageDelegate::nickColor(u"alice"_s).hslHue(), 239);
        QVERIFY(Gui::MessageDelegate::nickColor(u"alice"_s)
                != Gui::MessageDelegate::nickColor(u"bob"_s));
    }

    void serverEntries_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("host:port") << u"example.org:7401"_s << true << u"example.org"_s << 7401;
        QTest::newRow("default port") << u"10.0.0.1"_s << true << u"10.0.0.1"_s << 7400;
        QTest::newRow("v6") << u"[::1]:9000"_s << true << u"::1"_s << 9000;
        QTest::newRow("bare v6") << u"::1"_s << true << u"::1"_s << 7400;
        QTest::newRow("bad port") << u"h:99999"_s << false << QString() << 0;
        QTest::newRow("junk port") << u"h:x"_s << false << QString() << 0;
        QTest::newRow("empty") << u" "_s << false << QString() << 0;
        QTest::newRow("space in host") << u"my server:7400"_s << false << QString() << 0;
        QTest::newRow("url") << u"http://example.org:7400"_s << false << QString() << 0;
        QTest::newRow("port 0") << u"example.org:0"_s << false << QString() << 0;
        QTest::newRow("no port after colon") << u"example.org:"_s << false << QString() << 0;
    }
    void serverEntries()
    {
        QFETCH(QString, entry);
        QFETCH(bool, ok);
        QString host;
        quint16 parsedPort = 0;
        QCOMPARE(Gui::GuiSettings::parseServer(entry, &host, &parsedPort), ok);
        if (ok) {
            QFETCH(int, port);
            QTEST(host, "host");
            QCOMPARE(int(parsedPort), port);
        }
    }

    void germanCatalogue()
    {
        QVERIFY(Gui::availableLanguages().contains(u"de"_s));
        QVERIFY(Gui::installTranslations(qApp, u"de"_s));
        QCOMPARE(QCoreApplication::translate("Gui::MainWindow", "Download finished"),
                 u"Download abgeschlossen"_s);
        QCOMPARE(TransferListModel::stateText(TransferInfo::State::Paused), u"Angehalten"_s);
        QCOMPARE(QCoreApplication::translate("Gui::FileActions", "Already downloaded"),
                 u"Schon heruntergeladen"_s);
        // Qt's own catalogue too (qt6-translations-l10n): dialogs have no English buttons.
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
        QCOMPARE(QCoreApplication::translate("Gui::ConnectionBar", "Reconnecting in %n s…", nullptr,
                                             3),
                 u"Neuer Versuch in 3 s…"_s);
        Client::ConnectionStatus waiting;
        waiting.phase = Client::ConnectionStatus::Phase::Waiting;
        waiting.secondsLeft = 4;
        QCOMPARE(waiting.text(), u"Offline — neuer Versuch in 4 s"_s);
        QCOMPARE(QCoreApplication::translate("Gui::RoomWindow", "%n member(s)", nullptr, 3),
                 u"3 Mitglieder"_s);
        {
            Room room;
            Gui::RoomWindow window(&room.models, u"lobby"_s);
            window.resize(700, 300);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(saveScreenshot(&window, u"room-german"_s));
        }
        // Back to English for whatever runs next.
        qDeleteAll(qApp->findChildren<QTranslator *>());
        QCOMPARE(TransferListModel::stateText(TransferInfo::State::Paused), u"Paused"_s);
    }
};

QTEST_MAIN(TestGuiWidgets)
#include "tst_guiwidgets.moc"
