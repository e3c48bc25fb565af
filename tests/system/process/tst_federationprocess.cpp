#include <tests/support/processharness.h>

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

// Starts hopshare-server with federation flags; returns its port (0 on failure).
quint16 startLinkedServer(ProcessHarness &harness, const QString &name, quint16 linkTo,
                          QProcess **out)
{
    QStringList args {u"--link-secret"_s,  u"line-test-secret"_s,
                      u"--heartbeat-ms"_s, u"200"_s,
                      u"--dead-link-ms"_s, u"1000"_s,
                      u"--redial-ms"_s,    u"100"_s};
    if (linkTo != 0)
        args << u"--link"_s << u"127.0.0.1:%1"_s.arg(linkTo);
    return harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), name, out, args);
}

} // namespace

// The real binaries: a line of four servers s1-s2-s3-s4, a client at each end.
class TestFederationProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lineOfFour()
    {
        ProcessHarness harness;
        QList<quint16> ports;
        QList<QProcess *> servers;
        for (int i = 1; i <= 4; ++i) {
            QProcess *server = nullptr;
            const quint16 port = startLinkedServer(harness, u"s%1"_s.arg(i),
                                                   ports.isEmpty() ? 0 : ports.last(), &server);
            QVERIFY2(port != 0, "server did not report its port");
            ports.append(port);
            servers.append(server);
        }
        const QByteArray log
                = ProcessHarness::readUntil(servers.first(), QProcess::StandardError,
                                            "reachable servers: s1, s2, s3, s4", 10000);
        QVERIFY2(log.contains("reachable servers: s1, s2, s3, s4"), log.constData());

        QProcess *bob = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                      {u"--server"_s, u"127.0.0.1:%1"_s.arg(ports[3]), u"--nick"_s,
                                       u"bob"_s, u"--room"_s, u"lobby"_s, u"--json"_s, u"--exec"_s,
                                       u"sleep 3; ping s1; sleep 1"_s});
        QVERIFY(bob);
        QByteArray bobOut
                = ProcessHarness::readUntil(bob, QProcess::StandardOutput, "\"joined\"", 5000);
        QVERIFY2(bobOut.contains("\"joined\""), bobOut.constData());

        QProcess *alice
                = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                {u"--server"_s, u"127.0.0.1:%1"_s.arg(ports[0]), u"--nick"_s,
                                 u"alice"_s, u"--room"_s, u"lobby"_s, u"--json"_s, u"--exec"_s,
                                 u"sleep 0.5; who; say hello from s1; ping s4; sleep 1; ping"_s});
        QVERIFY(alice);
        QVERIFY(alice->waitForFinished(10000));
        QCOMPARE(alice->exitCode(), 0);
        QVERIFY(bob->waitForFinished(10000));
        QCOMPARE(bob->exitCode(), 0);
        bobOut += bob->readAllStandardOutput();

        bool valid = false;
        const auto aliceEvents = ProcessHarness::events(alice->readAllStandardOutput(), &valid);
        QVERIFY(valid);
        const auto bobEvents = ProcessHarness::events(bobOut, &valid);
        QVERIFY(valid);

        const auto who = ProcessHarness::ofType(aliceEvents, u"who"_s);
        QCOMPARE(who.size(), 1);
        QCOMPARE(who[0][u"members"_s].toArray().size(), 2);
        const auto pongs = ProcessHarness::ofType(aliceEvents, u"pong"_s);
        QCOMPARE(pongs.size(), 2);
        QCOMPARE(pongs[0][u"server"_s].toString(), u"s4"_s);
        QCOMPARE(pongs[0][u"hops"_s].toInt(), 3);
        QVERIFY(pongs[0][u"rtt_ms"_s].toDouble() >= 0);
        QCOMPARE(pongs[1][u"server"_s].toString(), u"s1"_s);
        QCOMPARE(pongs[1][u"hops"_s].toInt(), 0);

        const auto messages = ProcessHarness::ofType(bobEvents, u"message"_s);
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages[0][u"text"_s].toString(), u"hello from s1"_s);
        const auto bobPongs = ProcessHarness::ofType(bobEvents, u"pong"_s);
        QCOMPARE(bobPongs.size(), 1);
        QCOMPARE(bobPongs[0][u"hops"_s].toInt(), 3);
        // alice came and went: bob saw both, with the reason her server gave.
        QCOMPARE(ProcessHarness::ofType(bobEvents, u"member-joined"_s).size(), 1);
        const auto left = ProcessHarness::ofType(bobEvents, u"member-left"_s);
        QCOMPARE(left.size(), 1);
        QCOMPARE(left[0][u"reason"_s].toString(), u"quit"_s);
    }
};

QTEST_GUILESS_MAIN(TestFederationProcess)
#include "tst_federationprocess.moc"
