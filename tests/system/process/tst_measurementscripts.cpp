#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

// The measurement scripts (scripts/*.py, docs/BENCHMARKS.md) speak the control protocol by
// hand. A protocol bump once left them measuring clients the server had dropped, unnoticed:
// each is run briefly here against the real server, and what it prints must show it measured.
class TestMeasurementScripts : public QObject
{
    Q_OBJECT
private:
    // The children of `pid` (the server a script started), from /proc.
    static QList<qint64> childrenOf(qint64 pid)
    {
        QFile file(u"/proc/%1/task/%1/children"_s.arg(pid));
        QList<qint64> out;
        if (!file.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &word : file.readAll().simplified().split(' ')) {
            if (const qint64 child = word.toLongLong(); child > 0)
                out.append(child);
        }
        return out;
    }

    // Runs python3 SCRIPT SERVER ARGS...; its output, or empty (and *why) if it failed. A
    // script that overruns is killed by its PID and so is the server it started (a script
    // stops its server itself only when it ends on its own).
    static QByteArray runScript(const QString &name, const QStringList &args, int timeoutMs,
                                QString *why)
    {
        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.setWorkingDirectory(QStringLiteral(HOPSHARE_SOURCE_DIR));
        python.start(u"python3"_s,
                     QStringList {u"scripts/"_s + name, QStringLiteral(HOPSHARE_SERVER_BIN)}
                             + args);
        if (!python.waitForStarted(5000)) {
            *why = u"python3 did not start"_s;
            return {};
        }
        if (!python.waitForFinished(timeoutMs)) {
            for (const qint64 child : childrenOf(python.processId()))
                ::kill(pid_t(child), SIGKILL);
            python.kill();
            python.waitForFinished(3000);
            *why = u"%1 did not finish in %2 ms"_s.arg(name).arg(timeoutMs);
            return {};
        }
        const QByteArray output = python.readAll();
        if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
            *why = u"%1 failed (exit %2): %3"_s.arg(name)
                           .arg(python.exitCode())
                           .arg(QString::fromUtf8(output.right(2000)));
            return {};
        }
        return output;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QProcess probe;
        probe.start(u"python3"_s, {u"-c"_s, u"import cryptography"_s});
        if (!probe.waitForFinished(10000) || probe.exitStatus() != QProcess::NormalExit
            || probe.exitCode() != 0)
            QSKIP("python3 with its cryptography module is needed (scripts/deps.sh installs "
                  "python3-cryptography)");
    }

    // Every client is welcomed (the script fails otherwise) and a size per client is printed.
    void idleTlsRssMeasuresWelcomedClients()
    {
        QString why;
        const QByteArray out = runScript(u"idle-tls-rss.py"_s, {u"20"_s}, 90000, &why);
        QVERIFY2(!out.isEmpty(), qPrintable(why));
        QVERIFY2(out.contains("clients=20 welcomed=20 "), out.constData());
        QVERIFY2(out.contains("per_client="), out.constData());
    }

    // The reader that never reads is dropped, and the server's growth stays bounded.
    void slowReaderIsDropped()
    {
        QString why;
        const QByteArray out = runScript(u"slow-reader-rss.py"_s, {u"3"_s}, 90000, &why);
        QVERIFY2(!out.isEmpty(), qPrintable(why));
        QVERIFY2(out.contains("slow reader closed by the server: True"), out.constData());
    }

    // A real client is still welcomed beside idle sockets and beside UDP garbage.
    void attackFiguresWelcomeTheRealClient()
    {
        QString why;
        const QByteArray out = runScript(u"attack-figures.py"_s, {u"1"_s}, 90000, &why);
        QVERIFY2(!out.isEmpty(), qPrintable(why));
        QCOMPARE(out.count("real client welcomed: True"), 1);
        QCOMPARE(out.count("real client welcomed after: True"), 1);
        QVERIFY2(out.contains("rate-spread:"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestMeasurementScripts)
#include "tst_measurementscripts.moc"
