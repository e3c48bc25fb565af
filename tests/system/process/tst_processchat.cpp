#include <tests/support/processharness.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpServer>

#include <csignal>

using namespace Qt::StringLiterals;

// The real hopshare-server and two hopshare-cli processes, talking JSON.
class TestProcessChat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void twoClientsChat()
    {
        ProcessHarness harness;
        QProcess *server = nullptr;
        const quint16 port
                = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"proc"_s, &server);
        QVERIFY2(port != 0, "server did not report its port");
        const QString address = u"127.0.0.1:%1"_s.arg(port);

        QProcess *bob = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                      {u"--server"_s, address, u"--nick"_s, u"bob"_s, u"--room"_s,
                                       u"lobby"_s, u"--json"_s, u"--exec"_s, u"sleep 3; who"_s});
        QVERIFY(bob);
        // Alice starts once bob is in the room, so bob sees her arrive.
        QByteArray bobOut
                = ProcessHarness::readUntil(bob, QProcess::StandardOutput, "\"joined\"", 5000);
        QVERIFY2(bobOut.contains("\"joined\""), bobOut.constData());

        QProcess *alice = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                        {u"--server"_s, address, u"--nick"_s, u"alice"_s,
                                         u"--room"_s, u"lobby"_s, u"--json"_s, u"--exec"_s,
                                         u"say hello everyone; @bob just for you; ping"_s});
        QVERIFY(alice);
        QVERIFY(alice->waitForFinished(10000));
        QCOMPARE(alice->exitStatus(), QProcess::NormalExit);
        QCOMPARE(alice->exitCode(), 0);
        QVERIFY(bob->waitForFinished(10000));
        QCOMPARE(bob->exitCode(), 0);
        bobOut += bob->readAllStandardOutput();

        bool valid = false;
        const auto aliceEvents = ProcessHarness::events(alice->readAllStandardOutput(), &valid);
        QVERIFY(valid);
        const auto bobEvents = ProcessHarness::events(bobOut, &valid);
        QVERIFY(valid);

        const auto aliceJoined = ProcessHarness::ofType(aliceEvents, u"joined"_s);
        QCOMPARE(aliceJoined.size(), 1);
        QCOMPARE(aliceJoined[0][u"members"_s].toArray().size(), 2);
        const auto pongs = ProcessHarness::ofType(aliceEvents, u"pong"_s);
        QCOMPARE(pongs.size(), 1);
        QCOMPARE(pongs[0][u"server"_s].toString(), u"proc"_s);
        QCOMPARE(pongs[0][u"hops"_s].toInt(), 0);
        QVERIFY(pongs[0][u"rtt_ms"_s].toDouble() >= 0);

        const auto joins = ProcessHarness::ofType(bobEvents, u"member-joined"_s);
        QCOMPARE(joins.size(), 1);
        QCOMPARE(joins[0][u"nick"_s].toString(), u"alice"_s);
        const auto messages = ProcessHarness::ofType(bobEvents, u"message"_s);
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0][u"text"_s].toString(), u"hello everyone"_s);
        QCOMPARE(messages[0][u"private"_s].toBool(), false);
        QCOMPARE(messages[1][u"text"_s].toString(), u"just for you"_s);
        QCOMPARE(messages[1][u"private"_s].toBool(), true);
        QCOMPARE(messages[1][u"from"_s].toString(), u"alice"_s);
        const auto leaves = ProcessHarness::ofType(bobEvents, u"member-left"_s);
        QCOMPARE(leaves.size(), 1);
        QCOMPARE(leaves[0][u"reason"_s].toString(), u"quit"_s);
        const auto who = ProcessHarness::ofType(bobEvents, u"who"_s);
        QCOMPARE(who.size(), 1);
        QCOMPARE(who[0][u"members"_s].toArray().size(), 1);

        // SIGTERM: the server says goodbye and exits cleanly.
        ::kill(pid_t(server->processId()), SIGTERM);
        QVERIFY(server->waitForFinished(5000));
        QCOMPARE(server->exitCode(), 0);
        QVERIFY(server->readAllStandardError().contains("shutting down"));
    }

    void serverGoingAwayIsReported()
    {
        ProcessHarness harness;
        QProcess *server = nullptr;
        const quint16 port
                = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"gone"_s, &server);
        QVERIFY(port != 0);
        QProcess *cli = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                      {u"--server"_s, u"127.0.0.1:%1"_s.arg(port), u"--nick"_s,
                                       u"carol"_s, u"--room"_s, u"lobby"_s, u"--json"_s});
        QVERIFY(cli);
        QByteArray out
                = ProcessHarness::readUntil(cli, QProcess::StandardOutput, "\"joined\"", 5000);
        QVERIFY(out.contains("\"joined\""));
        ::kill(pid_t(server->processId()), SIGINT);
        QVERIFY(cli->waitForFinished(5000));
        QCOMPARE(cli->exitCode(), 1); // the connection ended without us asking
        out += cli->readAllStandardOutput();
        bool valid = false;
        const auto disconnected
                = ProcessHarness::ofType(ProcessHarness::events(out, &valid), u"disconnected"_s);
        QCOMPARE(disconnected.size(), 1);
        QVERIFY(disconnected[0][u"reason"_s].toString().contains(u"shutting down"_s));
    }

    void unreachableServerFails()
    {
        QTcpServer probe; // find a port nobody listens on
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        ProcessHarness harness;
        QProcess *cli = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                      {u"--server"_s, u"127.0.0.1:%1"_s.arg(port), u"--nick"_s,
                                       u"dave"_s, u"--json"_s, u"--exec"_s, u"ping"_s});
        QVERIFY(cli);
        QVERIFY(cli->waitForFinished(10000));
        QCOMPARE(cli->exitCode(), 1);
        QVERIFY(cli->readAllStandardOutput().contains("\"connection-failed\""));
    }

    void badArgumentsAreRefused()
    {
        ProcessHarness harness;
        QProcess *cli = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                      {u"--server"_s, u"nonsense"_s, u"--nick"_s, u"x"_s});
        QVERIFY(cli);
        QVERIFY(cli->waitForFinished(5000));
        QCOMPARE(cli->exitCode(), 2);
        QVERIFY(cli->readAllStandardError().contains("invalid --server"));
        QProcess *server = harness.start(QStringLiteral(HOPSHARE_SERVER_BIN),
                                         {u"--listen"_s, u"127.0.0.1:99999"_s});
        QVERIFY(server);
        QVERIFY(server->waitForFinished(5000));
        QCOMPARE(server->exitCode(), 2);
        QVERIFY(server->readAllStandardError().contains("invalid listen"));
    }
};

QTEST_GUILESS_MAIN(TestProcessChat)
#include "tst_processchat.moc"
