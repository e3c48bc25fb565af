#include <client/messagelistmodel.h>
#include <protocol/messages.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Client::MessageListModel;

class TestMessageListModel : public QObject
{
    Q_OBJECT
private:
    static Protocol::ChatMessage chat(const QString &fromNick, const QString &text,
                                      QStringList targets = {})
    {
        Protocol::ChatMessage m;
        m.room = u"lobby"_s;
        m.from = {u"s/" % fromNick, fromNick, u"127.0.0.1"_s, u"s"_s, QByteArray(32, 'k')};
        m.text = text;
        m.targets = std::move(targets);
        m.time = 1'700'000'000'000;
        return m;
    }

private Q_SLOTS:
    void mentions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("mention");
        QTest::newRow("at nick") << u"hi @bob"_s << true;
        QTest::newRow("nick colon") << u"Bob: look"_s << true;
        QTest::newRow("end of sentence") << u"thanks bob."_s << true;
        QTest::newRow("inside a word") << u"bobby is here"_s << false;
        QTest::newRow("suffix of a word") << u"kebob"_s << false;
        QTest::newRow("nick with dot continues") << u"bob.x is another"_s << false;
        QTest::newRow("second occurrence") << u"bobby and bob"_s << true;
        QTest::newRow("absent") << u"hello"_s << false;
    }
    void mentions()
    {
        QFETCH(QString, text);
        QFETCH(bool, mention);
        QCOMPARE(MessageListModel::mentions(text, u"bob"_s), mention);
    }

    void appendsFlagsAndRoles()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        model.setOwnIdentity(u"bob"_s, u"s/bob"_s);
        QSignalSpy mentioned(&model, &MessageListModel::mentioned);

        model.appendMessage(chat(u"alice"_s, u"hello all"_s));
        model.appendMessage(chat(u"alice"_s, u"@bob you there?"_s));
        model.appendMessage(chat(u"bob"_s, u"bob here"_s));
        model.appendMessage(chat(u"alice"_s, u"secret"_s, {u"s/bob"_s}));
        model.appendSystem(MessageListModel::Kind::Join, u"carol joined"_s);

        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(mentioned.count(), 2);
        const auto at = [&](int row, int role) { return model.index(row).data(role); };
        QCOMPARE(at(0, MessageListModel::SenderRole).toString(), u"alice"_s);
        QCOMPARE(at(0, MessageListModel::MentionRole).toBool(), false);
        QCOMPARE(at(1, MessageListModel::MentionRole).toBool(), true);
        QCOMPARE(at(2, MessageListModel::OwnRole).toBool(), true);
        QCOMPARE(at(2, MessageListModel::MentionRole).toBool(), false); // own lines never
        QCOMPARE(at(3, MessageListModel::PrivateRole).toBool(), true);
        QCOMPARE(at(3, MessageListModel::MentionRole).toBool(), true);
        QCOMPARE(at(4, MessageListModel::KindRole).value<MessageListModel::Kind>(),
                 MessageListModel::Kind::Join);
        QCOMPARE(at(4, MessageListModel::SenderRole).toString(), QString());
        QCOMPARE(at(0, MessageListModel::TimeRole).toDateTime().toMSecsSinceEpoch(),
                 1'700'000'000'000);
        QCOMPARE(at(0, Qt::DisplayRole).toString(), u"alice: hello all"_s);
    }

    void shareLines()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        const QString sha(64, u'a');
        model.appendShare(u"carol"_s, u"movie.mkv"_s, 1234, sha);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex i = model.index(0);
        QCOMPARE(i.data(MessageListModel::KindRole).value<MessageListModel::Kind>(),
                 MessageListModel::Kind::Share);
        QCOMPARE(i.data(MessageListModel::FileNameRole).toString(), u"movie.mkv"_s);
        QCOMPARE(i.data(MessageListModel::FileSizeRole).toLongLong(), 1234);
        QCOMPARE(i.data(MessageListModel::Sha256Role).toString(), sha);
    }

    void batchAppendIsOneInsertion()
    {
        MessageListModel model;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QList<MessageListModel::Entry> batch(100'000);
        for (int i = 0; i < batch.size(); ++i)
            batch[i].text = QString::number(i);
        model.appendEntries(batch);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 99'999);
        QCOMPARE(model.rowCount(), 100'000);
        QCOMPARE(model.index(99'999).data(MessageListModel::TextRole).toString(), u"99999"_s);
    }

    void trimsOldestInChunks()
    {
        MessageListModel model;
        QAbstractItemModelTester tester(&model);
        model.setMaximumLines(100);
        for (int i = 0; i < 101; ++i)
            model.appendSystem(MessageListModel::Kind::Notice, QString::number(i));
        // 101 > 100: the oldest 11 go at once, leaving room for 10 more.
        QCOMPARE(model.rowCount(), 90);
        QCOMPARE(model.index(0).data(MessageListModel::TextRole).toString(), u"11"_s);
    }

    void invalidIndexHasNoData()
    {
        MessageListModel model;
        QVERIFY(!model.data(model.index(3), Qt::DisplayRole).isValid());
    }
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
