#include <tests/support/processharness.h>

#include <QTemporaryDir>

using namespace Qt::StringLiterals;

// The command-line client's output is for people: the library's progress notes (the UDP port
// of its file endpoint, the reflexive address its server reported) appear only with -v.
class TestCliLogging : public QObject
{
    Q_OBJECT
private:
    static QByteArray runCli(ProcessHarness &harness, quint16 port, const QString &share,
                             const QStringList &extra)
    {
        QProcess *cli = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                      QStringList {u"--server"_s, u"127.0.0.1:%1"_s.arg(port),
                                                   u"--plain"_s, u"--nick"_s, u"dora"_s,
                                                   u"--room"_s, u"lobby"_s, u"--share"_s, share,
                                                   u"--exec"_s, u"sleep 1"_s}
                                              + extra);
        if (!cli || !cli->waitForFinished(15000))
            return {};
        return cli->readAllStandardOutput() + cli->readAllStandardError();
    }

private Q_SLOTS:
    void internalLinesOnlyWhenVerbose()
    {
        ProcessHarness harness;
        const quint16 port = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"log"_s,
                                                 nullptr, {u"--plain"_s});
        QVERIFY2(port != 0, "server did not report its port");
        QTemporaryDir dir;
        QFile file(dir.filePath(u"notes.txt"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("some notes\n");
        file.close();

        const QByteArray quiet = runCli(harness, port, file.fileName(), {});
        QVERIFY2(quiet.contains("you joined"), quiet.constData());
        QVERIFY2(!quiet.contains("file endpoint"), quiet.constData());
        QVERIFY2(!quiet.contains("reflexive address"), quiet.constData());

        const QByteArray verbose = runCli(harness, port, file.fileName(), {u"-v"_s});
        QVERIFY2(verbose.contains("you joined"), verbose.constData());
        QVERIFY2(verbose.contains("file endpoint on UDP port"), verbose.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliLogging)
#include "tst_clilogging.moc"
