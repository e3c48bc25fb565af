#include <client/clientcore.h>
#include <client/knownpeers.h>
#include <client/memberlistmodel.h>
#include <client/profile.h>
#include <crypto/identitykey.h>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Client::KnownPeers;

namespace {
const QByteArray kOld(32, '\x01');
const QByteArray kNew(32, '\x02');
} // namespace

// Trust on first use for nicks: the store, its file, the member model's marks and the profile
// files the CLI and the GUI load.
class TestKnownPeers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void firstSightIsRecordedSilently()
    {
        KnownPeers peers;
        QCOMPARE(peers.see(u"alice"_s, kOld), KnownPeers::Sight::First);
        QCOMPARE(peers.trustedKey(u"alice"_s), kOld);
        QCOMPARE(peers.see(u"alice"_s, kOld), KnownPeers::Sight::Same);
        QCOMPARE(peers.see(u"ALICE"_s, kOld), KnownPeers::Sight::Same); // nicks ignore case
    }

    void changedKeyIsFlaggedAndNotTrusted()
    {
        KnownPeers peers;
        QCOMPARE(peers.see(u"alice"_s, kOld), KnownPeers::Sight::First);
        QCOMPARE(peers.see(u"alice"_s, kNew), KnownPeers::Sight::Changed);
        QCOMPARE(peers.see(u"alice"_s, kNew), KnownPeers::Sight::Changed); // until accepted
        QCOMPARE(peers.trustedKey(u"alice"_s), kOld);
        peers.trust(u"alice"_s, kNew);
        QCOMPARE(peers.see(u"alice"_s, kNew), KnownPeers::Sight::Same);
        QCOMPARE(peers.see(u"alice"_s, kOld), KnownPeers::Sight::Changed);
    }

    void persistedAcrossRestarts()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sub/known-peers"_s);
        {
            KnownPeers peers(path);
            QVERIFY(peers.load());
            QCOMPARE(peers.see(u"alice"_s, kOld), KnownPeers::Sight::First);
            QCOMPARE(peers.see(u"bob"_s, kOld), KnownPeers::Sight::First);
            QCOMPARE(peers.see(u"bob"_s, kNew), KnownPeers::Sight::Changed);
            peers.flush();
            QVERIFY(QFile::exists(path));
        }
        {
            KnownPeers peers(path);
            QString error;
            QVERIFY2(peers.load(&error), qPrintable(error));
            QCOMPARE(peers.size(), 2);
            QCOMPARE(peers.see(u"alice"_s, kOld), KnownPeers::Sight::Same);
            // A change flagged but not accepted is still a change after a restart.
            QCOMPARE(peers.see(u"bob"_s, kNew), KnownPeers::Sight::Changed);
            peers.trust(u"bob"_s, kNew);
        }
        KnownPeers peers(path);
        QVERIFY(peers.load());
        QCOMPARE(peers.trustedKey(u"bob"_s), kNew);
    }

    void malformedFileIsAnErrorNotAReset_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("one field") << QByteArray("alice\n");
        QTest::newRow("bad base64") << QByteArray("alice !!!\n");
        QTest::newRow("short key") << QByteArray("alice " + QByteArray(16, 'k').toBase64() + "\n");
        QTest::newRow("bad nick") << QByteArray("9lives " + kOld.toBase64() + "\n");
        QTest::newRow("three fields")
                << QByteArray("alice " + kOld.toBase64() + " " + kOld.toBase64() + "\n");
    }
    void malformedFileIsAnErrorNotAReset()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"known-peers"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\nbob " + kOld.toBase64() + "\n" + content);
        f.close();
        KnownPeers peers(path);
        QString error;
        QVERIFY(!peers.load(&error));
        QVERIFY2(error.contains(u"line 3"_s), qPrintable(error));
        QCOMPARE(peers.size(), 0);
        QFile again(path);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QVERIFY(again.readAll().endsWith(content)); // untouched
    }

    void memberModelShowsFingerprintAndMark()
    {
        Client::MemberListModel model;
        QAbstractItemModelTester tester(&model);
        const auto key = Crypto::IdentityKey::generate();
        const QString fp = key.fingerprint();
        model.setMembers({{u"s/1"_s, u"alice"_s, u"::1"_s, u"s"_s, key.publicKey()},
                          {u"s/2"_s, u"bob"_s, u"::1"_s, u"s"_s, kOld}});
        const QModelIndex alice = model.index(0);
        QCOMPARE(alice.data(Client::MemberListModel::FingerprintRole).toString(), fp);
        QVERIFY(alice.data(Qt::ToolTipRole).toString().contains(fp));
        QVERIFY(!alice.data(Client::MemberListModel::KeyChangedRole).toBool());
        model.setKeyWarning(u"Alice"_s, u"SHA256:dead:beef"_s);
        QVERIFY(alice.data(Client::MemberListModel::KeyChangedRole).toBool());
        const QString tip = alice.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"KEY CHANGED"_s) && tip.contains(u"SHA256:dead:beef"_s),
                 qPrintable(tip));
        QVERIFY(!model.index(1).data(Client::MemberListModel::KeyChangedRole).toBool());
        model.setKeyWarning(u"alice"_s, {});
        QVERIFY(!alice.data(Client::MemberListModel::KeyChangedRole).toBool());
    }

    void profileMakesKeyOnceAndRefusesABrokenOne()
    {
        QTemporaryDir dir;
        const auto paths = Client::ProfilePaths::forIdentity(dir.filePath(u"p/alice.pem"_s));
        QCOMPARE(paths.knownPeers, dir.filePath(u"p/alice.known-peers"_s));
        Client::ClientCore first;
        QString error;
        QVERIFY2(Client::loadProfile(first, paths, &error), qPrintable(error));
        QCOMPARE(QFile::permissions(paths.identity) & 0x0077, QFileDevice::Permissions());
        Client::ClientCore second;
        QVERIFY2(Client::loadProfile(second, paths, &error), qPrintable(error));
        QCOMPARE(second.identity()->publicKey(), first.identity()->publicKey());

        QFile broken(paths.identity);
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("not a key\n");
        broken.close();
        Client::ClientCore third;
        QVERIFY(!Client::loadProfile(third, paths, &error));
        QVERIFY2(error.contains(paths.identity), qPrintable(error));
        QVERIFY(broken.open(QIODevice::ReadOnly));
        QCOMPARE(broken.readAll(), QByteArray("not a key\n")); // never replaced
    }

    void standardProfileIsInTheDataFolder()
    {
        const auto paths = Client::ProfilePaths::standard();
        const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QCOMPARE(paths.identity, data + u"/identity.pem"_s);
        QCOMPARE(paths.knownPeers, data + u"/known-peers"_s);
    }
};

QTEST_GUILESS_MAIN(TestKnownPeers)
#include "tst_knownpeers.moc"
