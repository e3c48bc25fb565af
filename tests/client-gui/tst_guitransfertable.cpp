#include <tests/client-gui/guitestutil.h>

#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>
#include <client-gui/transfercolumns.h>
#include <client-gui/transfersview.h>

#include <client/clientcore.h>
#include <client/transferlistmodel.h>

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Client::TransferInfo;
using Client::TransferListModel;

// The transfers table's columns: wide enough for what they show, the resent share and the path
// in view in a window of the default size, and the columns a person hides stay hidden.
class TestGuiTransferTable : public QObject
{
    Q_OBJECT
private:
    // A download in mid-flight with the longest of each column's usual texts.
    static TransferInfo busyDownload()
    {
        TransferInfo t;
        t.id = u"1"_s;
        t.fileName = u"debian-12.8.0-amd64-DVD-1.iso"_s;
        t.direction = TransferInfo::Direction::Download;
        t.state = TransferInfo::State::Transferring;
        t.size = qint64(999.99 * 1024 * 1024);
        t.bytesDone = qint64(987.65 * 1024 * 1024);
        t.peerNick = u"alice-pc"_s;
        t.path = u"direct-punched"_s;
        t.rateBytesPerSecond = 0.5 * 1024; // ETA in minutes and seconds
        t.rttMs = 183.4;
        t.retransmitRatio = 0.1234;
        return t;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyShownColumnFitsItsText()
    {
        TransferListModel model;
        model.update(busyDownload());
        Gui::TransfersView view(&model);
        QTableView *table = view.table();
        for (int c = 0; c < TransferListModel::ColumnCount; ++c)
            table->setColumnHidden(c, false);
        const QFontMetrics metrics(table->font());
        for (int c = TransferListModel::PeerColumn; c < TransferListModel::ColumnCount; ++c) {
            const QString text = model.index(0, c).data().toString();
            QVERIFY2(!text.isEmpty(), qPrintable(u"column %1 is empty"_s.arg(c)));
            QVERIFY2(table->columnWidth(c) > metrics.horizontalAdvance(text),
                     qPrintable(u"'%1' in %2 px"_s.arg(text).arg(table->columnWidth(c))));
        }
        // A state the cell may elide (a failure's reason) is whole in its tooltip.
        TransferInfo failed = busyDownload();
        failed.state = TransferInfo::State::Failed;
        failed.error = u"the peer stopped answering after 30 s without an acknowledgement"_s;
        model.update(failed);
        const QModelIndex state = model.index(0, TransferListModel::StateColumn);
        QVERIFY(state.data().toString().endsWith(failed.error));
        QCOMPARE(state.data(Qt::ToolTipRole).toString(), state.data().toString());
    }

    void columnsAreChosenFromTheHeaderAndKept()
    {
        TransferListModel model;
        Gui::TransfersView view(&model);
        QTableView *table = view.table();
        const QList<QAction *> &actions = view.columns()->actions();
        QCOMPARE(actions.size(), qsizetype(TransferListModel::ColumnCount));
        QVERIFY(!actions.at(TransferListModel::FileColumn)); // the file always shows
        QCOMPARE(table->horizontalHeader()->actions().size(),
                 qsizetype(TransferListModel::ColumnCount - 1));
        // At first: direction (the file's arrow) and round trip (the graph) hidden.
        for (int c = 0; c < TransferListModel::ColumnCount; ++c) {
            const bool hiddenAtFirst
                    = c == TransferListModel::DirectionColumn || c == TransferListModel::RttColumn;
            QCOMPARE(table->isColumnHidden(c), hiddenAtFirst);
            if (actions.at(c))
                QCOMPARE(actions.at(c)->isChecked(), !hiddenAtFirst);
        }
        actions.at(TransferListModel::DirectionColumn)->trigger();
        actions.at(TransferListModel::PathColumn)->trigger();
        QVERIFY(!table->isColumnHidden(TransferListModel::DirectionColumn));
        QVERIFY(table->isColumnHidden(TransferListModel::PathColumn));

        Gui::TransfersView again(&model);
        QVERIFY(again.columns()->restoreState(view.columns()->saveState()));
        QVERIFY(!again.table()->isColumnHidden(TransferListModel::DirectionColumn));
        QVERIFY(again.table()->isColumnHidden(TransferListModel::PathColumn));
        QVERIFY(again.columns()->actions().at(TransferListModel::DirectionColumn)->isChecked());
        QVERIFY(!again.columns()->actions().at(TransferListModel::PathColumn)->isChecked());
        // Something else in the settings leaves the layout alone.
        QVERIFY(!again.columns()->restoreState("not a header state"));
        QVERIFY(!again.columns()->restoreState({}));
        QVERIFY(again.table()->isColumnHidden(TransferListModel::PathColumn));
    }

    void resentAndPathShowInTheDefaultWindow()
    {
        QTemporaryDir dir;
        Gui::GuiSettings settings(dir.filePath(u"gui.ini"_s));
        Client::ClientCore core;
        {
            Gui::MainWindow window(&core, &settings);
            window.resize(1100, 720);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTableView *table = window.transfersView()->table();
            QTRY_VERIFY(table->viewport()->width() > 0);
            // Every shown column in view with no scrolling, and the file's name not squeezed to
            // the header's minimum (40 px).
            QVERIFY2(table->horizontalHeader()->length() <= table->viewport()->width(),
                     qPrintable(u"columns %1 px in %2 px"_s.arg(table->horizontalHeader()->length())
                                        .arg(table->viewport()->width())));
            QVERIFY(table->columnWidth(TransferListModel::FileColumn) >= 80);
            QVERIFY(!table->isColumnHidden(TransferListModel::RetransmitColumn));
            QVERIFY(!table->isColumnHidden(TransferListModel::PathColumn));
            QVERIFY(saveScreenshot(&window, u"main-window-1100"_s));
            // A person's choice outlives the window.
            window.transfersView()
                    ->columns()
                    ->actions()
                    .at(TransferListModel::RttColumn)
                    ->trigger();
            QVERIFY(window.close());
        }
        Gui::MainWindow reopened(&core, &settings);
        QVERIFY(!reopened.transfersView()->table()->isColumnHidden(TransferListModel::RttColumn));
    }
};

QTEST_MAIN(TestGuiTransferTable)
#include "tst_guitransfertable.moc"
