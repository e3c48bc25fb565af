#include <client/existingcopy.h>
#include <client/querylist.h>

#include <protocol/messages.h>

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// What a second download finds already here, and which private lines open a query.
class TestExistingCopy : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return {};
        return f.fileName();
    }
    static QString sha(const QByteArray &content)
    {
        return QString::fromLatin1(
                QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    }

private Q_SLOTS:
    void findsSameContentUnderAnyName()
    {
        const QByteArray content(5000, 'a');
        QByteArray other = content;
        other[10] = 'b'; // same size, other content
        QVERIFY(!write(u"other.bin"_s, other).isEmpty());
        QVERIFY(!write(u"longer.bin"_s, content + "x").isEmpty());
        QVERIFY(!write(u"half.bin.part"_s, content).isEmpty()); // unfinished: never a copy
        QCOMPARE(Client::findExistingCopy(sha(content), content.size(), {}, m_dir.path()),
                 QString());
        const QString copy = write(u"renamed.txt"_s, content);
        QCOMPARE(Client::findExistingCopy(sha(content), content.size(), {}, m_dir.path()), copy);
        QCOMPARE(Client::findExistingCopy(sha(content).toUpper(), content.size(), {}, m_dir.path()),
                 copy);
        // Nothing to compare with: no answer, no crash.
        QCOMPARE(Client::findExistingCopy({}, content.size(), {}, m_dir.path()), QString());
        QCOMPARE(Client::findExistingCopy(sha(content), content.size(), {}, {}), QString());
        QCOMPARE(Client::findExistingCopy(sha(content), content.size(), {},
                                          m_dir.filePath(u"missing"_s)),
                 QString());
    }

    void finishedDownloadsComeFirstWhileUnchanged()
    {
        QTemporaryDir elsewhere;
        const QByteArray content(3000, 'z');
        const QString done = elsewhere.filePath(u"done.bin"_s);
        QFile f(done);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QCOMPARE(Client::findExistingCopy(sha(content), content.size(), {done}, {}), done);
        // Gone, or a different size since: not a copy any more.
        QCOMPARE(Client::findExistingCopy(sha(content), content.size() + 1, {done}, {}), QString());
        QVERIFY(QFile::remove(done));
        QCOMPARE(Client::findExistingCopy(sha(content), content.size(), {done}, {}), QString());
    }

    void privateLinesBelongToOnePeer()
    {
        using Client::QueryList;
        Protocol::ChatMessage m;
        m.from.id = u"me"_s;
        m.from.nick = u"alice"_s;
        m.targets = {u"b1"_s};
        QCOMPARE(QueryList::peerOf(m, u"me"_s, {u"bob"_s}), u"bob"_s); // mine to bob
        m.from.id = u"b1"_s;
        m.from.nick = u"bob"_s;
        m.targets = {u"me"_s};
        QCOMPARE(QueryList::peerOf(m, u"me"_s, {u"you"_s}), u"bob"_s); // bob's to me alone
        m.targets = {u"me"_s, u"c1"_s};
        QCOMPARE(QueryList::peerOf(m, u"me"_s, {u"you"_s, u"carol"_s}), QString()); // a group
        m.targets = {};
        QCOMPARE(QueryList::peerOf(m, u"me"_s, {}), QString()); // the room
        m.targets = {u"c1"_s};
        QCOMPARE(QueryList::peerOf(m, u"me"_s, {u"carol"_s}), QString()); // not for me
        QCOMPARE(QueryList::peerOf(m, QString(), {u"carol"_s}), QString()); // not connected

        QueryList queries;
        queries.ensure(u"lobby"_s, u"bob"_s);
        queries.countLine(u"lobby"_s, u"bob"_s, true);
        queries.countLine(u"lobby"_s, u"bob"_s, false);
        QCOMPARE(queries.unread(u"lobby"_s, u"bob"_s), 2);
        QCOMPARE(queries.mentionCount(u"lobby"_s, u"bob"_s), 1);
        queries.setCurrent(u"lobby"_s, u"bob"_s);
        QCOMPARE(queries.unread(u"lobby"_s, u"bob"_s), 0);
        queries.countLine(u"lobby"_s, u"bob"_s, true); // on screen: not unread
        QCOMPARE(queries.unread(u"lobby"_s, u"bob"_s), 0);
        QCOMPARE(queries.peers(u"lobby"_s), QStringList {u"bob"_s});
        QVERIFY(!queries.messages(u"dev"_s, u"bob"_s));
    }
};

QTEST_GUILESS_MAIN(TestExistingCopy)
#include "tst_existingcopy.moc"
