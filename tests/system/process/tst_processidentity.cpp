#include <tests/support/processharness.h>

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

// hopshare-cli's identity: the key file (--identity), fingerprints in "who" and in JSON member
// objects, and the "key changed" warning, against the real server.
class TestProcessIdentity : public QObject
{
    Q_OBJECT
private:
    ProcessHarness *m_harness = nullptr;
    QString m_address;

    QProcess *cli(const QString &nick, const QString &identity, const QString &exec,
                  bool json = true)
    {
        QStringList args {u"--server"_s, m_address,  u"--nick"_s,     nick,
                          u"--room"_s,   u"lobby"_s, u"--identity"_s, identity};
        if (json)
            args << u"--json"_s;
        args << u"--exec"_s << exec;
        return m_harness->start(QStringLiteral(HOPSHARE_CLI_BIN), args);
    }
    static QString ownFingerprint(const QByteArray &output, const QString &nick)
    {
        bool valid = false;
        const auto joined
                = ProcessHarness::ofType(ProcessHarness::events(output, &valid), u"joined"_s);
        for (const auto &m : joined.value(0).value(u"members"_s).toArray()) {
            if (m.toObject().value(u"nick"_s).toString() == nick)
                return m.toObject().value(u"fingerprint"_s).toString();
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        m_harness = new ProcessHarness;
        const quint16 port = m_harness->startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"id"_s);
        QVERIFY2(port != 0, "server did not report its port");
        m_address = u"127.0.0.1:%1"_s.arg(port);
    }
    void cleanup()
    {
        delete m_harness; // stops every process it started, by PID
        m_harness = nullptr;
    }

    void identityIsMadeOnceAndKept()
    {
        QTemporaryDir dir;
        const QString key = dir.filePath(u"alice.pem"_s);
        QProcess *first = cli(u"alice"_s, key, u"who"_s);
        QVERIFY(first && first->waitForFinished(10000));
        QCOMPARE(first->exitCode(), 0);
        const QString fingerprint = ownFingerprint(first->readAllStandardOutput(), u"alice"_s);
        QVERIFY2(fingerprint.startsWith(u"SHA256:"_s), qPrintable(fingerprint));
        QVERIFY(QFile::exists(key));
        QCOMPARE(QFile::permissions(key) & 0x0077, QFileDevice::Permissions()); // owner only

        QProcess *second = cli(u"alice"_s, key, u"who"_s);
        QVERIFY(second && second->waitForFinished(10000));
        QCOMPARE(ownFingerprint(second->readAllStandardOutput(), u"alice"_s), fingerprint);
    }

    void whoShowsFingerprints()
    {
        QTemporaryDir dir;
        QProcess *bob = cli(u"bob"_s, dir.filePath(u"bob.pem"_s), u"sleep 3"_s);
        QVERIFY(bob);
        const QByteArray bobOut
                = ProcessHarness::readUntil(bob, QProcess::StandardOutput, "\"joined\"", 5000);
        const QString bobFingerprint = ownFingerprint(bobOut, u"bob"_s);
        QVERIFY(!bobFingerprint.isEmpty());
        QProcess *alice = cli(u"alice"_s, dir.filePath(u"alice.pem"_s), u"who"_s, false);
        QVERIFY(alice && alice->waitForFinished(10000));
        const QString out = QString::fromUtf8(alice->readAllStandardOutput());
        QVERIFY2(out.contains(bobFingerprint), qPrintable(out));
        QCOMPARE(alice->exitCode(), 0);
    }

    void changedKeyIsReported()
    {
        QTemporaryDir dir;
        QProcess *bob = cli(u"bob"_s, dir.filePath(u"bob.pem"_s), u"sleep 8"_s);
        QProcess *carol = cli(u"carol"_s, dir.filePath(u"carol.pem"_s), u"sleep 8"_s, false);
        QVERIFY(bob && carol);
        QByteArray bobOut
                = ProcessHarness::readUntil(bob, QProcess::StandardOutput, "\"joined\"", 5000);
        QByteArray carolOut
                = ProcessHarness::readUntil(carol, QProcess::StandardOutput, "you joined", 5000);
        QVERIFY(bobOut.contains("\"joined\"") && carolOut.contains("you joined"));

        QProcess *alice = cli(u"alice"_s, dir.filePath(u"alice.pem"_s), u"say hi"_s);
        QVERIFY(alice && alice->waitForFinished(10000));
        const QString oldFp = ownFingerprint(alice->readAllStandardOutput(), u"alice"_s);
        // Someone else calls themselves alice: another key.
        QProcess *other = cli(u"alice"_s, dir.filePath(u"other.pem"_s), u"say it is me"_s);
        QVERIFY(other && other->waitForFinished(10000));
        const QString newFp = ownFingerprint(other->readAllStandardOutput(), u"alice"_s);
        QVERIFY(!oldFp.isEmpty() && !newFp.isEmpty() && oldFp != newFp);

        bobOut += ProcessHarness::readUntil(bob, QProcess::StandardOutput, "key-changed", 5000);
        bool valid = false;
        const auto changed
                = ProcessHarness::ofType(ProcessHarness::events(bobOut, &valid), u"key-changed"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][u"nick"_s].toString(), u"alice"_s);
        QCOMPARE(changed[0][u"old_fingerprint"_s].toString(), oldFp);
        QCOMPARE(changed[0][u"new_fingerprint"_s].toString(), newFp);

        carolOut += ProcessHarness::readUntil(carol, QProcess::StandardOutput, "key changed", 5000);
        const QString line = u"! key changed for alice: %1 -> %2"_s.arg(oldFp, newFp);
        QVERIFY2(QString::fromUtf8(carolOut).contains(line), carolOut.constData());
        // Bob's known peers sit beside his key and still trust the first alice.
        QFile peers(dir.filePath(u"bob.known-peers"_s));
        QVERIFY(peers.open(QIODevice::ReadOnly));
        QVERIFY(peers.readAll().contains("alice "));
    }

    void brokenIdentityIsAnError()
    {
        QTemporaryDir dir;
        const QString key = dir.filePath(u"broken.pem"_s);
        QFile f(key);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n");
        f.close();
        QProcess *p = cli(u"eve"_s, key, u"who"_s);
        QVERIFY(p && p->waitForFinished(10000));
        QCOMPARE(p->exitCode(), 2);
        QVERIFY(p->readAllStandardOutput().contains("identity"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("not base64 at all")); // never replaced
    }
};

QTEST_GUILESS_MAIN(TestProcessIdentity)
#include "tst_processidentity.moc"
