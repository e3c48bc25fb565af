#include <tests/support/processharness.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

// The real hopshare-server and three hopshare-cli processes moving a file through a room with
// 5 % datagram loss on every endpoint: bob has no upload slot, carol has the same file.
class TestFilesProcess : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString sub(const QString &name) const
    {
        QDir(m_dir.path()).mkpath(name);
        return m_dir.filePath(name);
    }

    // `size` seeded random bytes written to sub(owner)/name; empty if the file could not be.
    QByteArray writeRandomFile(const QString &owner, const QString &name, qsizetype size,
                               quint32 seed)
    {
        QByteArray data(size, Qt::Uninitialized);
        QRandomGenerator gen(seed);
        gen.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        QFile f(sub(owner) + u'/' + name);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size() ? data : QByteArray();
    }

    // A server, and `nick` sharing its folder in room lobby: returns the arguments (server,
    // room, JSON events) every other client needs; empty when something did not start.
    QStringList startSharer(ProcessHarness &harness, const QString &serverName, const QString &nick,
                            QProcess **sharer)
    {
        const quint16 port = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), serverName);
        if (port == 0)
            return {};
        const QStringList common {u"--server"_s, u"127.0.0.1:%1"_s.arg(port), u"--room"_s,
                                  u"lobby"_s, u"--json"_s};
        *sharer = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                common + QStringList {u"--nick"_s, nick, u"--share"_s, sub(nick)});
        if (!*sharer
            || !ProcessHarness::readUntil(*sharer, QProcess::StandardOutput, "\"shared\"", 10000)
                        .contains("\"shared\""))
            return {};
        return common;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Hash caches of the spawned clients stay inside the test's folder.
        qputenv("XDG_CACHE_HOME", m_dir.filePath(u"cache"_s).toUtf8());
    }

    void refusedByBusyPeerThenDoneFromTheOther()
    {
        QByteArray data(3 * 1024 * 1024, Qt::Uninitialized);
        QRandomGenerator gen(42);
        gen.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        for (const auto &who : {u"bob"_s, u"carol"_s}) {
            QFile f(sub(who) + u"/movie.bin"_s);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(data), data.size());
        }
        const QString sha = QString::fromLatin1(
                QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());

        ProcessHarness harness;
        const quint16 port = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"proc"_s);
        QVERIFY2(port != 0, "server did not report its port");
        const QStringList common {u"--server"_s, u"127.0.0.1:%1"_s.arg(port),
                                  u"--room"_s,   u"lobby"_s,
                                  u"--json"_s,   u"--impair"_s,
                                  u"loss=5%"_s};
        // Bob and carol serve until their standard input closes.
        QProcess *bob
                = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                common
                                        + QStringList {u"--nick"_s, u"bob"_s, u"--share"_s,
                                                       sub(u"bob"_s), u"--max-uploads"_s, u"0"_s});
        QProcess *carol = harness.start(
                QStringLiteral(HOPSHARE_CLI_BIN),
                common + QStringList {u"--nick"_s, u"carol"_s, u"--share"_s, sub(u"carol"_s)});
        QVERIFY(bob && carol);
        for (QProcess *p : {bob, carol}) {
            const QByteArray out
                    = ProcessHarness::readUntil(p, QProcess::StandardOutput, "\"shared\"", 10000);
            QVERIFY2(out.contains("\"shared\""), out.constData());
        }
        QProcess *alice = harness.start(
                QStringLiteral(HOPSHARE_CLI_BIN),
                common + QStringList {u"--nick"_s, u"alice"_s, u"--downloads"_s, sub(u"alice"_s)});
        QVERIFY(alice);
        QVERIFY(ProcessHarness::readUntil(alice, QProcess::StandardOutput, "\"joined\"", 5000)
                        .contains("\"joined\""));
        alice->write("find movie\n");
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        bool valid = false;
        QList<QJsonObject> offers;
        while (offers.size() < 2 && timer.elapsed() < 10000) {
            out += ProcessHarness::readUntil(alice, QProcess::StandardOutput, "\"offer\"", 500);
            offers = ProcessHarness::ofType(ProcessHarness::events(out, &valid), u"offer"_s);
        }
        QCOMPARE(offers.size(), 2);
        QCOMPARE(offers[0][u"sha256"_s].toString(), sha);
        QCOMPARE(offers[0][u"group"_s].toInt(), offers[1][u"group"_s].toInt());
        const auto fromBob = offers[0][u"peer"_s].toString() == u"bob"_s ? offers[0] : offers[1];
        alice->write("get " + fromBob[u"offer"_s].toString().toUtf8() + "\nwait 30\n");
        alice->closeWriteChannel();
        QVERIFY(alice->waitForFinished(40000));
        QCOMPARE(alice->exitCode(), 0);
        out += alice->readAllStandardOutput();
        const auto events = ProcessHarness::events(out, &valid);
        QVERIFY(valid);
        const auto refused = ProcessHarness::ofType(events, u"transfer-refused"_s);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0][u"peer"_s].toString(), u"bob"_s);
        QCOMPARE(refused[0][u"reason"_s].toString(), u"busy"_s);
        const auto started = ProcessHarness::ofType(events, u"transfer-started"_s);
        QVERIFY(!started.isEmpty());
        QCOMPARE(started.last()[u"peer"_s].toString(), u"carol"_s);
        const auto done = ProcessHarness::ofType(events, u"transfer-done"_s);
        QCOMPARE(done.size(), 1);
        QVERIFY(done[0][u"verified"_s].toBool());
        QCOMPARE(done[0][u"path"_s].toString(), u"direct-lan"_s); // loopback: a host candidate
        QCOMPARE(started.last()[u"path"_s].toString(), u"direct-lan"_s);
        QFile got(sub(u"alice"_s) + u"/movie.bin"_s);
        QVERIFY(got.open(QIODevice::ReadOnly));
        QCOMPARE(got.readAll(), data);

        bob->closeWriteChannel();
        carol->closeWriteChannel();
        QVERIFY(bob->waitForFinished(10000));
        QVERIFY(carol->waitForFinished(10000));
        QCOMPARE(carol->exitCode(), 0);
    }

    // A second "get" of content that is already here says so (event existing-copy, naming the
    // first file) and downloads it again: a script is told, not asked.
    void secondGetSaysACopyIsAlreadyHere()
    {
        const QByteArray data = writeRandomFile(u"fay"_s, u"memo.bin"_s, 64 * 1024 + 3, 44);
        QVERIFY(!data.isEmpty());
        ProcessHarness harness;
        QProcess *fay = nullptr;
        const QStringList common = startSharer(harness, u"copy"_s, u"fay"_s, &fay);
        QVERIFY2(!common.isEmpty(), "the server or fay's client did not start");
        QProcess *gus = harness.start(
                QStringLiteral(HOPSHARE_CLI_BIN),
                common
                        + QStringList {u"--nick"_s, u"gus"_s, u"--downloads"_s, sub(u"gus"_s),
                                       u"--exec"_s,
                                       u"find memo; sleep 1; get memo; wait 20; get memo; "
                                       "wait 20"_s});
        QVERIFY(gus);
        QVERIFY(gus->waitForFinished(45000));
        bool valid = false;
        const auto events = ProcessHarness::events(gus->readAllStandardOutput(), &valid);
        QVERIFY(valid);
        const auto done = ProcessHarness::ofType(events, u"transfer-done"_s);
        QCOMPARE(done.size(), 2);
        const auto told = ProcessHarness::ofType(events, u"existing-copy"_s);
        QCOMPARE(told.size(), 1);
        const QString first = sub(u"gus"_s) + u"/memo.bin"_s;
        QCOMPARE(QFileInfo(told[0][u"local"_s].toString()).canonicalFilePath(),
                 QFileInfo(first).canonicalFilePath());
        QCOMPARE(told[0][u"id"_s].toString(), done[1][u"id"_s].toString());
        for (const auto &d : done) {
            QVERIFY(d[u"verified"_s].toBool());
            QFile got(d[u"local"_s].toString());
            QVERIFY(got.open(QIODevice::ReadOnly));
            QCOMPARE(got.readAll(), data);
        }
        QVERIFY(done[0][u"local"_s].toString() != done[1][u"local"_s].toString());
    }

    // --force-relay: the download goes through a relay session on the server, and both CLIs
    // say so in their JSON events (docs/NAT.md).
    void forcedRelayIsReportedInTheEvents()
    {
        const QByteArray data = writeRandomFile(u"dora"_s, u"clip.bin"_s, 1024 * 1024 + 5, 43);
        QVERIFY(!data.isEmpty());
        ProcessHarness harness;
        QProcess *dora = nullptr;
        const QStringList common = startSharer(harness, u"relay"_s, u"dora"_s, &dora);
        QVERIFY2(!common.isEmpty(), "the server or dora's client did not start");
        QProcess *eric = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                       common
                                               + QStringList {u"--nick"_s, u"eric"_s,
                                                              u"--downloads"_s, sub(u"eric"_s),
                                                              u"--force-relay"_s, u"--exec"_s,
                                                              u"find clip; sleep 1; get clip; "
                                                              "wait 20"_s});
        QVERIFY(eric);
        QVERIFY(eric->waitForFinished(30000));
        bool valid = false;
        const auto events = ProcessHarness::events(eric->readAllStandardOutput(), &valid);
        QVERIFY(valid);
        const auto done = ProcessHarness::ofType(events, u"transfer-done"_s);
        QCOMPARE(done.size(), 1);
        QVERIFY(done[0][u"verified"_s].toBool());
        QCOMPARE(done[0][u"path"_s].toString(), u"relayed"_s);
        QFile got(sub(u"eric"_s) + u"/clip.bin"_s);
        QVERIFY(got.open(QIODevice::ReadOnly));
        QCOMPARE(got.readAll(), data);
        dora->closeWriteChannel();
        QVERIFY(dora->waitForFinished(10000));
        const auto doraEvents = ProcessHarness::events(dora->readAllStandardOutput(), &valid);
        const auto uploaded = ProcessHarness::ofType(doraEvents, u"transfer-done"_s);
        QCOMPARE(uploaded.size(), 1);
        QCOMPARE(uploaded[0][u"path"_s].toString(), u"relayed"_s);
    }
};

QTEST_GUILESS_MAIN(TestFilesProcess)
#include "tst_filesprocess.moc"
