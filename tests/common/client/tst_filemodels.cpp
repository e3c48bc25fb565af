#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/filemodels.h>
#include <client/filesharing.h>
#include <client/messagelistmodel.h>
#include <client/offermodel.h>
#include <client/ratehistory.h>
#include <client/roomlistmodel.h>
#include <client/transferlistmodel.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Client;

namespace {
OfferInfo offer(const QString &id, QChar shaDigit, const QString &peer, int freeSlots,
                bool late = false)
{
    OfferInfo o;
    o.offerId = id;
    o.requestId = u"r1"_s;
    o.room = u"lobby"_s;
    o.fileName = u"file-"_s % shaDigit;
    o.size = 1000;
    o.sha256 = QString(64, shaDigit);
    o.peerId = u"s/"_s % peer;
    o.peerNick = peer;
    o.freeSlots = freeSlots;
    o.late = late;
    return o;
}

TransferInfo transfer(const QString &id, TransferInfo::State state, qint64 done)
{
    TransferInfo t;
    t.id = id;
    t.state = state;
    t.fileName = u"f.bin"_s;
    t.size = 1000;
    t.bytesDone = done;
    t.peerNick = u"alice"_s;
    t.rateBytesPerSecond = 100;
    return t;
}
} // namespace

class TestFileModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offersGroupBySha()
    {
        OfferModel model;
        QAbstractItemModelTester tester(&model);
        QVERIFY(model.addOffer(offer(u"o1"_s, u'a', u"alice"_s, 0)));
        QVERIFY(model.addOffer(offer(u"o2"_s, u'a', u"bob"_s, 3)));
        QVERIFY(model.addOffer(offer(u"o3"_s, u'b', u"bob"_s, 1)));
        QVERIFY(model.addOffer(offer(u"o4"_s, u'a', u"carl"_s, 9, true)));
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex groupA = model.index(0, 0);
        QCOMPARE(model.rowCount(groupA), 3);
        QCOMPARE(groupA.data(OfferModel::SourceCountRole).toInt(), 3);
        QCOMPARE(groupA.data(OfferModel::FreeSlotsRole).toInt(), 12);
        // Best: most free slots among the timely answers, not the late one with 9.
        QCOMPARE(model.bestOffer(QString(64, u'a'))->offerId, u"o2"_s);
        QCOMPARE(groupA.data(OfferModel::OfferIdRole).toString(), u"o2"_s);
        const QModelIndex child = model.index(0, 0, groupA);
        QCOMPARE(child.data().toString(), u"alice"_s);
        QCOMPARE(model.offerAt(child)->offerId, u"o1"_s);
        QCOMPARE(child.parent(), groupA);

        // The same offer again updates in place.
        QVERIFY(model.addOffer(offer(u"o1"_s, u'a', u"alice"_s, 5)));
        QCOMPARE(model.rowCount(groupA), 3);
        QCOMPARE(model.bestOffer(QString(64, u'a'))->offerId, u"o1"_s);
        QVERIFY(!model.bestOffer(QString(64, u'c')));
    }

    void offersWithoutHashAreDropped()
    {
        OfferModel model;
        OfferInfo bad = offer(u"x"_s, u'a', u"eve"_s, 1);
        bad.sha256 = u"not-a-hash"_s;
        QVERIFY(!model.addOffer(bad));
        bad.sha256 = QString(64, u'g');
        QVERIFY(!model.addOffer(bad));
        QCOMPARE(model.rowCount(), 0);
    }

    void transfersUpdateInPlace()
    {
        TransferListModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy finished(&model, &TransferListModel::transferFinished);
        model.update(transfer(u"t1"_s, TransferInfo::State::Transferring, 250));
        model.update(transfer(u"t2"_s, TransferInfo::State::Queued, 0));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data(TransferListModel::ProgressRole).toDouble(), 0.25);
        QCOMPARE(TransferListModel::etaSeconds(model.transferAt(0)), 8);
        model.update(transfer(u"t1"_s, TransferInfo::State::Transferring, 500));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data(TransferListModel::ProgressRole).toDouble(), 0.5);
        QCOMPARE(finished.count(), 0);

        TransferInfo done = transfer(u"t1"_s, TransferInfo::State::Done, 1000);
        done.verified = true;
        done.sha256 = QString(64, u'a');
        model.update(done);
        model.update(done);
        QCOMPARE(finished.count(), 1);
        const QModelIndex state = model.index(0, TransferListModel::StateColumn);
        QCOMPARE(state.data().toString(), u"Done, verified"_s);
        QVERIFY(model.index(0, 0).data(Qt::ToolTipRole).toString().contains(QString(64, u'a')));
        QCOMPARE(TransferListModel::etaSeconds(done), -1);

        // A download's progress follows the bytes received, not only whole verified chunks.
        TransferInfo receiving = transfer(u"t3"_s, TransferInfo::State::Transferring, 0);
        receiving.movedBytes = 300;
        model.update(receiving);
        QCOMPARE(model.index(2, 0).data(TransferListModel::ProgressRole).toDouble(), 0.3);
        QCOMPARE(TransferListModel::etaSeconds(model.transferAt(2)), 7);
        QCOMPARE(model.index(2, TransferListModel::ProgressColumn).data().toString(),
                 u"%1 of %2"_s.arg(QLocale().formattedDataSize(300),
                                   QLocale().formattedDataSize(1000)));

        TransferInfo failed = transfer(u"t2"_s, TransferInfo::State::Failed, 0);
        failed.error = u"hash mismatch"_s;
        model.update(failed);
        QCOMPARE(model.index(1, TransferListModel::StateColumn).data().toString(),
                 u"Failed: hash mismatch"_s);
        // A stopped transfer shows no rate, though its last figure is still in the info.
        failed.rateBytesPerSecond = 125000;
        model.update(failed);
        QCOMPARE(model.index(1, TransferListModel::RateColumn).data().toString(), QString());
        // An upload is paused only by the downloader.
        TransferInfo paused = transfer(u"t2"_s, TransferInfo::State::Paused, 0);
        paused.direction = TransferInfo::Direction::Upload;
        model.update(paused);
        QCOMPARE(model.index(1, TransferListModel::StateColumn).data().toString(),
                 u"Paused by peer"_s);
        model.update(failed);

        // The path column: empty until known, then how the datagrams travel.
        QCOMPARE(model.index(0, TransferListModel::PathColumn).data().toString(), QString());
        done.path = u"relayed"_s;
        model.update(done);
        QCOMPARE(model.index(0, TransferListModel::PathColumn).data().toString(),
                 u"Relayed by server"_s);
        QCOMPARE(model.headerData(TransferListModel::PathColumn, Qt::Horizontal, Qt::DisplayRole)
                         .toString(),
                 u"Path"_s);
        QCOMPARE(TransferListModel::pathText(u"direct-lan"_s), u"Direct (LAN)"_s);
        QCOMPARE(TransferListModel::pathText(u"direct-punched"_s), u"Direct (through NAT)"_s);

        model.update(transfer(u"t3"_s, TransferInfo::State::Transferring, 10));
        model.removeFinished();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOf(u"t3"_s), 0);
        QCOMPARE(model.rowOf(u"t1"_s), -1);
    }

    // FileModels follows FileSharing's signals alone: offers, transfer rows (appear, update in
    // place, finish), the rate history, and the rooms hear of shared files.
    void fileModelsFollowFileSharing()
    {
        ClientCore core;
        ChatModels chat(&core);
        FileModels models(&core, &chat);
        QAbstractItemModelTester offersTester(models.offers());
        QAbstractItemModelTester transfersTester(models.transfers());
        FileSharing *files = core.files();

        Q_EMIT files->offerReceived(offer(u"o1"_s, u'a', u"alice"_s, 2));
        Q_EMIT files->offerReceived(offer(u"o2"_s, u'a', u"bob"_s, 1));
        QCOMPARE(models.offers()->rowCount(), 1);
        QCOMPARE(models.offers()->rowCount(models.offers()->index(0, 0)), 2);

        QSignalSpy finished(models.transfers(), &TransferListModel::transferFinished);
        Q_EMIT files->transferUpdated(transfer(u"t1"_s, TransferInfo::State::Requesting, 0));
        QCOMPARE(models.transfers()->rowCount(), 1);
        Q_EMIT files->transferUpdated(transfer(u"t1"_s, TransferInfo::State::Transferring, 400));
        QCOMPARE(models.transfers()->rowCount(), 1);
        QCOMPARE(models.transfers()->index(0, 0).data(TransferListModel::ProgressRole).toDouble(),
                 0.4);
        TransferInfo done = transfer(u"t1"_s, TransferInfo::State::Done, 1000);
        done.verified = true;
        Q_EMIT files->transferUpdated(done);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(models.transfers()->index(0, TransferListModel::StateColumn).data().toString(),
                 u"Done, verified"_s);
        // A second transfer: a new row, and the rate history counts its bytes.
        Q_EMIT files->transferUpdated(transfer(u"t2"_s, TransferInfo::State::Transferring, 0));
        QCOMPARE(models.transfers()->rowCount(), 2);
        models.rates()->tick(1000);
        Q_EMIT files->transferUpdated(transfer(u"t2"_s, TransferInfo::State::Transferring, 600));
        models.rates()->tick(2000);
        QVERIFY(!models.rates()->aggregate().isEmpty());
        QVERIFY(models.rates()->aggregate().last().down > 0);

        // The rooms: an announcement from a peer, and our own file once it was announced.
        Q_EMIT core.joined(u"lobby"_s,
                           {Protocol::MemberInfo {u"s1/me"_s, u"me"_s, u"127.0.0.1"_s, u"s1"_s,
                                                  QByteArray(32, 'm')}});
        MessageListModel *lines = chat.messages(u"lobby"_s);
        QVERIFY(lines);
        const int before = lines->rowCount();
        Q_EMIT files->shareAnnounced(u"lobby"_s, u"a.bin"_s, 1000, QString(64, u'a'), u"alice"_s);
        QCOMPARE(lines->rowCount(), before + 1);
        Q_EMIT files->sharedToRoom(u"lobby"_s, u"mine.bin"_s, 2048);
        QCOMPARE(lines->rowCount(), before + 2);
        QVERIFY(lines->index(before + 1, 0)
                        .data(MessageListModel::TextRole)
                        .toString()
                        .contains(u"mine.bin"_s));

        // Without chat models the file models still follow the transfers.
        FileModels alone(&core, nullptr);
        Q_EMIT files->transferUpdated(transfer(u"t9"_s, TransferInfo::State::Queued, 0));
        QCOMPARE(alone.transfers()->rowCount(), 1);
        Q_EMIT files->sharedToRoom(u"lobby"_s, u"other.bin"_s, 1);
    }

    void formatting()
    {
        QCOMPARE(TransferListModel::formatDuration(-1), QString());
        QCOMPARE(TransferListModel::formatDuration(59), u"59 s"_s);
        QCOMPARE(TransferListModel::formatDuration(61), u"1 min 1 s"_s);
        QCOMPARE(TransferListModel::formatDuration(7260), u"2 h 1 min"_s);
        QCOMPARE(TransferListModel::formatRate(0), QString());
    }

    // The Resent column: the share resent, and of it what was resent for nothing; nothing
    // before data moved, "0.00 %" once it has and none was resent.
    void resentColumnShowsSpuriousResends()
    {
        TransferInfo t;
        QCOMPARE(TransferListModel::resentText(t), QString());
        t.movedBytes = 1176;
        QCOMPARE(TransferListModel::resentText(t), QLocale().toString(0.0, 'f', 2) + u" %"_s);
        t.retransmitRatio = 0.0502;
        QCOMPARE(TransferListModel::resentText(t), QLocale().toString(5.02, 'f', 2) + u" %"_s);
        t.spuriousRatio = 0.001;
        QCOMPARE(TransferListModel::resentText(t),
                 QLocale().toString(5.02, 'f', 2) + u" % ("_s + QLocale().toString(0.10, 'f', 2)
                         + u" % spurious)"_s);
    }
};

QTEST_GUILESS_MAIN(TestFileModels)
#include "tst_filemodels.moc"
