#include <tests/support/processharness.h>

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <string_view>
#include <unistd.h>
#include <unordered_set>

using namespace Qt::StringLiterals;

// What an on-path observer of loopback sees of a chat and a file transfer made with the real
// binaries and their defaults (no flag): neither the chat text nor any 64-byte run of the file.
// The capture is taken with tcpdump, so the test needs root; it runs alone (RUN_SERIAL), so
// everything on lo during it is its own traffic.
class TestWirePrivacy : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_tcpdump;

    QString sub(const QString &name) const
    {
        QDir(m_dir.path()).mkpath(name);
        return m_dir.filePath(name);
    }

    // Starts tcpdump on lo writing to `file` and waits until it listens.
    QProcess *startCapture(ProcessHarness &harness, const QString &file)
    {
        QProcess *dump = harness.start(m_tcpdump,
                                       {u"-i"_s, u"lo"_s, u"-n"_s, u"-U"_s, u"--immediate-mode"_s,
                                        // 64 MiB of kernel buffer: a loaded machine may not
                                        // schedule tcpdump for a while (the default 2 MiB
                                        // dropped packets in a sanitizer run beside builds)
                                        u"-B"_s, u"65536"_s, u"-s"_s, u"0"_s, u"-w"_s, file});
        if (!dump)
            return nullptr;
        const QByteArray log
                = ProcessHarness::readUntil(dump, QProcess::StandardError, "listening on", 5000);
        return log.contains("listening on") ? dump : nullptr;
    }

    // The capture, and in *dropped the packets the kernel dropped before tcpdump saw them.
    static QByteArray stopCapture(QProcess *dump, const QString &file, int *dropped = nullptr)
    {
        // Immediate mode hands every packet over as it comes; a moment for the last ones.
        QTest::qWait(300);
        dump->terminate(); // tcpdump flushes and exits on SIGTERM
        dump->waitForFinished(5000);
        const QString log = QString::fromLocal8Bit(dump->readAllStandardError());
        static const QRegularExpression droppedLine(u"(\\d+) packets dropped by kernel"_s);
        const auto m = droppedLine.match(log);
        if (dropped)
            *dropped = m.hasMatch() ? m.captured(1).toInt() : -1;
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // True when some 64-byte run of `data` occurs in `capture`. Any such run contains a whole
    // 32-byte block of `data` aligned at a multiple of 32, so looking for those is enough (and
    // stricter).
    static bool sharesA64ByteRun(const QByteArray &data, const QByteArray &capture)
    {
        constexpr qsizetype block = 32;
        std::unordered_set<std::string_view> blocks;
        for (qsizetype i = 0; i + block <= data.size(); i += block)
            blocks.insert(std::string_view(data.constData() + i, block));
        for (qsizetype i = 0; i + block <= capture.size(); ++i) {
            if (blocks.count(std::string_view(capture.constData() + i, block)))
                return true;
        }
        return false;
    }

    QStringList clientArgs(quint16 port, const QString &nick) const
    {
        return {u"--server"_s, u"127.0.0.1:%1"_s.arg(port),
                u"--room"_s,   u"vault"_s,
                u"--json"_s,   u"--nick"_s,
                nick};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to capture loopback traffic with tcpdump");
        m_tcpdump = QStandardPaths::findExecutable(u"tcpdump"_s);
        if (m_tcpdump.isEmpty())
            QSKIP("tcpdump is not installed (Debian package tcpdump)");
        QVERIFY(m_dir.isValid());
        // Hash caches of the spawned clients stay inside the test's folder (the harness gives
        // each process its own data and config folders).
        qputenv("XDG_CACHE_HOME", m_dir.filePath(u"cache"_s).toUtf8());
    }

    // The check itself can fail: over an explicitly plain connection the text is on the wire.
    void plainChatIsSeenByTheCapture()
    {
        ProcessHarness harness;
        const QString pcap = m_dir.filePath(u"plain.pcap"_s);
        QProcess *dump = startCapture(harness, pcap);
        QVERIFY2(dump, "tcpdump did not start");
        const quint16 port = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"plain"_s,
                                                 nullptr, {u"--plain"_s});
        QVERIFY(port != 0);
        const QByteArray secret
                = "plain-baseline-" + QByteArray::number(QRandomGenerator::global()->generate64());
        QProcess *cli
                = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                clientArgs(port, u"paula"_s)
                                        + QStringList {u"--plain"_s, u"--exec"_s,
                                                       u"say "_s + QString::fromLatin1(secret)});
        QVERIFY(cli && cli->waitForFinished(15000));
        QCOMPARE(cli->exitCode(), 0);
        const QByteArray capture = stopCapture(dump, pcap);
        QVERIFY(capture.contains(secret));
    }

    void chatAndTransferAreOpaqueByDefault()
    {
        QByteArray data(2 * 1024 * 1024 + 77, Qt::Uninitialized);
        QRandomGenerator gen(QRandomGenerator::global()->generate());
        gen.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        QFile f(sub(u"alice"_s) + u"/ledger.bin"_s);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(data), data.size());
        f.close();
        const QByteArray secret = "the-vault-code-is-" + QByteArray::number(gen.generate64());

        ProcessHarness harness;
        const QString pcap = m_dir.filePath(u"default.pcap"_s);
        QProcess *dump = startCapture(harness, pcap);
        QVERIFY2(dump, "tcpdump did not start");
        const quint16 port = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"vault"_s);
        QVERIFY(port != 0);
        QProcess *alice = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                        clientArgs(port, u"alice"_s)
                                                + QStringList {u"--share"_s, sub(u"alice"_s),
                                                               // slow enough for tcpdump to
                                                               // keep every packet
                                                               u"--impair"_s, u"rate=20Mbit"_s});
        QVERIFY(alice);
        QVERIFY(ProcessHarness::readUntil(alice, QProcess::StandardOutput, "\"shared\"", 15000)
                        .contains("\"shared\""));
        QProcess *bob
                = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                clientArgs(port, u"bob"_s)
                                        + QStringList {u"--downloads"_s, sub(u"bob"_s), u"--exec"_s,
                                                       u"say "_s + QString::fromLatin1(secret)
                                                               + u"; find ledger; sleep 1; "
                                                                 "get ledger; wait 30"_s});
        QVERIFY(bob && bob->waitForFinished(45000));
        bool valid = false;
        const auto events = ProcessHarness::events(bob->readAllStandardOutput(), &valid);
        const auto done = ProcessHarness::ofType(events, u"transfer-done"_s);
        QCOMPARE(done.size(), 1);
        QVERIFY(done[0][u"verified"_s].toBool());
        const auto said = ProcessHarness::ofType(events, u"message"_s);
        QVERIFY(!said.isEmpty());
        alice->closeWriteChannel();
        QVERIFY(alice->waitForFinished(10000));

        int dropped = -1;
        const QByteArray capture = stopCapture(dump, pcap, &dropped);
        // The capture saw everything, and the transfer crossed lo: at least the file's size.
        QCOMPARE(dropped, 0);
        QVERIFY2(capture.size() > data.size(),
                 qPrintable(u"capture of %1 bytes"_s.arg(capture.size())));
        QVERIFY2(!capture.contains(secret), "the chat text is readable on the wire");
        QVERIFY2(!sharesA64ByteRun(data, capture), "a 64-byte run of the file is on the wire");
    }
};

QTEST_GUILESS_MAIN(TestWirePrivacy)
#include "tst_wireprivacy.moc"
