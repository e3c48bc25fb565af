// qcustomplot.h uses Qt's foreach inside its templates (see client-gui/throughputplot.cpp).
#undef QT_NO_FOREACH

#include <tests/client-gui/guidesktop.h>
#include <tests/support/localserver.h>

#include <client-gui/fileactions.h>
#include <client-gui/roomwindow.h>

#include <server-console/chat/chatserver.h>
#include <server-console/serverconfig.h>

#include <client/chatmodels.h>
#include <client/filesharing.h>
#include <client/memberlistmodel.h>
#include <client/ratehistory.h>
#include <client/transferlistmodel.h>

#include <QApplication>
#include <QCryptographicHash>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using Client::DuplicateChoice;
using Client::MessageListModel;
using Client::TransferInfo;

// Downloads through two desktop windows and a server in the same process: a second download
// of content that is already here asks first (buttons and "/get"); a rate limit is never drawn
// exceeded.
class TestGuiTransfers : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Server::ChatServer> m_server;
    QTemporaryDir m_dir;

    struct Pair
    {
        std::unique_ptr<GuiDesktop> alice;
        std::unique_ptr<GuiDesktop> bob;
        QString sha256;
        bool ready = false; // both in the room and Bob saw the share line
    };
    // Alice (upload limit in KiB/s, 0 = none) shares `content` as `name`; Bob sees the line.
    Pair sharedFile(const QString &name, const QByteArray &content, int aliceLimitKiB = 0)
    {
        Pair p;
        p.alice = GuiDesktop::open(m_dir, m_server->port(), u"alice"_s, aliceLimitKiB);
        p.bob = GuiDesktop::open(m_dir, m_server->port(), u"bob"_s);
        p.sha256 = QString::fromLatin1(
                QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
        if (!QTest::qWaitFor(
                    [&] {
                        return p.alice->window.roomWindow(u"lobby"_s)
                                && p.bob->window.roomWindow(u"lobby"_s);
                    },
                    10000))
            return p;
        Gui::RoomWindow *aliceRoom = p.alice->window.roomWindow(u"lobby"_s);
        Gui::RoomWindow *bobRoom = p.bob->window.roomWindow(u"lobby"_s);
        if (!QTest::qWaitFor([&] { return bobRoom->memberModel()->rowCount() == 2; }, 10000))
            return p;
        const QString path = writeTestFile(m_dir, u"alice-shared"_s, name, content);
        Q_EMIT aliceRoom->shareRequested(u"lobby"_s, {path});
        p.ready = QTest::qWaitFor(
                [&] {
                    return hasTestLine(bobRoom->messageModel(), MessageListModel::Kind::Share,
                                       name);
                },
                20000);
        return p;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init() { startLocalServer(m_server, {}, u"test-server"_s); }
    void cleanup() { m_server.reset(); }

    // Downloading content that is already here asks "Open existing / Download again /
    // Cancel", and each answer does what it says.
    void secondDownloadOfSameContentAsks()
    {
        const QByteArray content = randomTestBytes(300 * 1024, 11);
        Pair p = sharedFile(u"holiday.mkv"_s, content);
        QVERIFY(p.ready);
        Gui::RoomWindow *bobRoom = p.bob->window.roomWindow(u"lobby"_s);
        QVERIFY(bobRoom);
        Client::TransferListModel *down = p.bob->window.transferModel();
        Gui::FileActions *actions = p.bob->window.fileActions();
        QStringList asked;
        DuplicateChoice answer = DuplicateChoice::Cancel;
        actions->setDuplicateAsker([&](const QString &fileName, const QString &existing) {
            asked << fileName + u'|' + existing;
            return answer;
        });
        QStringList opened;
        actions->setFileOpener([&](const QString &path) {
            opened << path;
            return true;
        });

        // The first download is not asked about.
        Q_EMIT bobRoom->downloadRequested(p.sha256, u"holiday.mkv"_s);
        QTRY_COMPARE_WITH_TIMEOUT(down->rowCount(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(0).state == TransferInfo::State::Done, 30000);
        QVERIFY(asked.isEmpty());
        const QString first = down->transferAt(0).localPath;

        // Cancel: nothing happens.
        Q_EMIT bobRoom->downloadRequested(p.sha256, u"holiday.mkv"_s);
        QCOMPARE(asked, QStringList {u"holiday.mkv|"_s + first});
        QTest::qWait(200);
        QCOMPARE(down->rowCount(), 1);
        QVERIFY(opened.isEmpty());

        // Open existing: the file is opened, nothing is downloaded.
        answer = DuplicateChoice::OpenExisting;
        Q_EMIT bobRoom->downloadRequested(p.sha256, u"holiday.mkv"_s);
        QCOMPARE(opened, QStringList {first});
        QTest::qWait(200);
        QCOMPARE(down->rowCount(), 1);

        // A copy under another name in the download folder counts too, without any record.
        QVERIFY(QFile::copy(first, QFileInfo(first).absolutePath() + u"/renamed.bin"_s));
        QVERIFY(QFile::remove(first));
        QCOMPARE(QFileInfo(p.bob->core.files()->existingCopyOf(p.sha256)).fileName(),
                 u"renamed.bin"_s);

        // Download again: a second row, a second verified file.
        answer = DuplicateChoice::DownloadAgain;
        Q_EMIT bobRoom->downloadRequested(p.sha256, u"holiday.mkv"_s);
        QCOMPARE(asked.size(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(down->rowCount(), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(1).state == TransferInfo::State::Done
                                         && down->transferAt(1).verified,
                                 30000);
        QFile again(down->transferAt(1).localPath);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), content);
    }

    // "/get" typed in a room asks the Download button's question before fetching content that
    // is already here, by name pattern or by offer id.
    void getCommandAsksLikeTheButtons()
    {
        const QByteArray content = randomTestBytes(200 * 1024, 12);
        Pair p = sharedFile(u"notes.pdf"_s, content);
        QVERIFY(p.ready);
        Gui::RoomWindow *bobRoom = p.bob->window.roomWindow(u"lobby"_s);
        QVERIFY(bobRoom);
        Client::TransferListModel *down = p.bob->window.transferModel();
        QStringList asked;
        p.bob->window.fileActions()->setDuplicateAsker(
                [&](const QString &fileName, const QString &) {
                    asked << fileName;
                    return DuplicateChoice::Cancel;
                });
        const auto said = [&](MessageListModel::Kind kind, const QString &text) {
            return hasTestLine(bobRoom->messageModel(), kind, text);
        };

        Q_EMIT bobRoom->lineSubmitted(u"lobby"_s, u"/find notes"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!p.bob->core.files()->offers().isEmpty(), 10000);
        // The first download is not asked about.
        Q_EMIT bobRoom->lineSubmitted(u"lobby"_s, u"/get notes"_s);
        QTRY_COMPARE_WITH_TIMEOUT(down->rowCount(), 1, 10000);
        QVERIFY(said(MessageListModel::Kind::Notice, u"Downloading notes.pdf"_s));
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(0).state == TransferInfo::State::Done, 30000);
        QVERIFY(asked.isEmpty());

        // Again by pattern, then by offer id: asked each time; cancelled, nothing moves.
        Q_EMIT bobRoom->lineSubmitted(u"lobby"_s, u"/get notes"_s);
        QCOMPARE(asked, QStringList {u"notes.pdf"_s});
        QVERIFY(said(MessageListModel::Kind::Notice, u"notes.pdf is already here"_s));
        const QString offerId = p.bob->core.files()->offers().constFirst().offerId;
        Q_EMIT bobRoom->lineSubmitted(u"lobby"_s, u"/get "_s + offerId);
        QCOMPARE(asked.size(), 2);
        QTest::qWait(200);
        QCOMPARE(down->rowCount(), 1);

        // What no offer matches is an error, not a download.
        Q_EMIT bobRoom->lineSubmitted(u"lobby"_s, u"/get holiday"_s);
        QVERIFY(said(MessageListModel::Kind::Error, u"No offer matches"_s));
        QCOMPARE(asked.size(), 2);
    }

    // The real question: a message box with the three answers, each returning its choice.
    void duplicateQuestionBox_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<DuplicateChoice>("choice");
        QTest::newRow("open") << u"Open existing"_s << DuplicateChoice::OpenExisting;
        QTest::newRow("again") << u"Download again"_s << DuplicateChoice::DownloadAgain;
        QTest::newRow("cancel") << u"Cancel"_s << DuplicateChoice::Cancel;
    }
    void duplicateQuestionBox()
    {
        QFETCH(QString, button);
        QFETCH(DuplicateChoice, choice);
        QWidget parent;
        parent.resize(400, 300);
        parent.show();
        QStringList seen;
        QTimer::singleShot(0, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            for (QAbstractButton *b : box->buttons())
                seen << b->text().remove(u'&');
            if (button == u"Cancel"_s)
                QVERIFY(saveScreenshot(box, u"duplicate-download"_s));
            for (QAbstractButton *b : box->buttons()) {
                if (b->text().remove(u'&') == button)
                    b->click();
            }
        });
        const DuplicateChoice got = Gui::FileActions::askAboutDuplicate(
                &parent, u"holiday.mkv"_s, u"/tmp/downloads/holiday.mkv"_s);
        QCOMPARE(got, choice);
        seen.sort();
        QCOMPARE(seen, (QStringList {u"Cancel"_s, u"Download again"_s, u"Open existing"_s}));
    }

    // With a rate limit set, no point of the graph (aggregate or selected transfer, either
    // side) lies above the limit, the start of the transfer included.
    void rateLimitIsNeverDrawnExceeded()
    {
        constexpr int limitKiB = 256;
        const QByteArray content = randomTestBytes(3 * 1024 * 1024, 13);
        Pair p = sharedFile(u"limited.bin"_s, content, limitKiB);
        QVERIFY(p.ready);
        Gui::RoomWindow *bobRoom = p.bob->window.roomWindow(u"lobby"_s);
        QVERIFY(bobRoom);
        Client::RateHistory *downRates = p.bob->window.rateHistory();
        Client::RateHistory *upRates = p.alice->window.rateHistory();
        double maxDown = 0;
        double maxUp = 0;
        double maxSelected = 0;
        QStringList samples;
        QStringList upSamples;
        const auto record = [&] {
            if (!downRates->aggregate().isEmpty()) {
                const double d = downRates->aggregate().constLast().down;
                maxDown = std::max(maxDown, d);
                samples << QString::number(d / 1024, 'f', 0);
            }
            if (!upRates->aggregate().isEmpty()) {
                maxUp = std::max(maxUp, upRates->aggregate().constLast().up);
                upSamples << QString::number(upRates->aggregate().constLast().up / 1024, 'f', 0);
            }
            if (!downRates->selected().isEmpty()) {
                maxSelected = std::max(maxSelected, downRates->selected().constLast().rate);
                samples << u"s"_s
                                + QString::number(downRates->selected().constLast().rate / 1024,
                                                  'f', 0);
            }
        };
        connect(downRates, &Client::RateHistory::updated, this, record);
        connect(upRates, &Client::RateHistory::updated, this, record);
        Q_EMIT bobRoom->downloadRequested(p.sha256, u"limited.bin"_s);
        Client::TransferListModel *down = p.bob->window.transferModel();
        QTRY_COMPARE_WITH_TIMEOUT(down->rowCount(), 1, 10000);
        downRates->selectTransfer(down->transferAt(0).id);
        QTRY_VERIFY_WITH_TIMEOUT(down->transferAt(0).state == TransferInfo::State::Done, 60000);
        QVERIFY(down->transferAt(0).verified);
        // A rate was drawn at all, and never more than the limit: 5 % for the jitter of
        // acknowledgement and timer moments over the meters' 3 s window.
        const double ceiling = limitKiB * 1024.0 * 1.05;
        QVERIFY(maxDown > 0 && maxUp > 0 && maxSelected > 0);
        QVERIFY2(maxDown <= ceiling, qPrintable(samples.join(u' ')));
        QVERIFY2(maxUp <= ceiling, qPrintable(upSamples.join(u' ')));
        QVERIFY2(maxSelected <= ceiling, qPrintable(samples.join(u' ')));
        qInfo("download graph peak %.0f KiB/s, upload %.0f, selected %.0f, limit %d KiB/s",
              maxDown / 1024, maxUp / 1024, maxSelected / 1024, limitKiB);
    }
};

QTEST_MAIN(TestGuiTransfers)
#include "tst_guitransfers.moc"
