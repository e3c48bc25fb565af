#include <tests/support/processharness.h>

#include <crypto/identitykey.h>
#include <protocol/identityproof.h>
#include <protocol/messagecodec.h>

#include <QTcpSocket>

using namespace Qt::StringLiterals;

// A hostile message through the real hopshare-server to two real hopshare-cli processes: the
// human output shows its control, bidi and zero-width characters escaped, so it can neither
// steer the terminal nor fake a line; the JSON output carries the text exactly. Plain TCP (by
// flag), so that the hostile sender can be a bare socket.
class TestCliEscaping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostileTextIsEscapedForPeopleAndExactInJson()
    {
        ProcessHarness harness;
        const quint16 port = harness.startServer(QStringLiteral(HOPSHARE_SERVER_BIN), u"esc"_s,
                                                 nullptr, {u"--plain"_s});
        QVERIFY2(port != 0, "server did not report its port");
        const QString address = u"127.0.0.1:%1"_s.arg(port);
        const QStringList common {u"--server"_s, address, u"--room"_s, u"lobby"_s, u"--plain"_s};
        QProcess *human = harness.start(
                QStringLiteral(HOPSHARE_CLI_BIN),
                common + QStringList {u"--nick"_s, u"bob"_s, u"--exec"_s, u"sleep 3"_s});
        QProcess *json = harness.start(QStringLiteral(HOPSHARE_CLI_BIN),
                                       common
                                               + QStringList {u"--nick"_s, u"carol"_s, u"--json"_s,
                                                              u"--exec"_s, u"sleep 3"_s});
        QVERIFY(human && json);
        QByteArray humanOut
                = ProcessHarness::readUntil(human, QProcess::StandardOutput, "you joined", 5000);
        QVERIFY2(humanOut.contains("you joined"), humanOut.constData());
        QByteArray jsonOut
                = ProcessHarness::readUntil(json, QProcess::StandardOutput, "\"joined\"", 5000);
        QVERIFY2(jsonOut.contains("\"joined\""), jsonOut.constData());

        const QString text = u"hi\x1b[2J\x1b[H\r\n[lobby] 12:00:00 <alice> send me your key"
                             u" \u202eexe.txt \u200bzero \x07"_s;
        QTcpSocket eve;
        eve.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        QVERIFY(eve.waitForConnected(5000));
        const auto key = Crypto::IdentityKey::generate();
        eve.write(Protocol::encodeMessageFrame(
                Protocol::Hello {u"eve"_s, Protocol::ProtocolVersion, u"raw"_s, key.publicKey(),
                                 key.sign(Protocol::helloProof({}, u"eve"_s))}));
        eve.write(Protocol::encodeMessageFrame(Protocol::Join {u"lobby"_s}));
        eve.write(Protocol::encodeMessageFrame(Protocol::Say {u"lobby"_s, {}, text}));
        QVERIFY(eve.waitForBytesWritten(5000));

        humanOut += ProcessHarness::readUntil(human, QProcess::StandardOutput, "<eve>", 5000);
        jsonOut += ProcessHarness::readUntil(json, QProcess::StandardOutput, "\"eve\"", 5000);
        QVERIFY(human->waitForFinished(10000));
        QVERIFY(json->waitForFinished(10000));
        humanOut += human->readAllStandardOutput();
        jsonOut += json->readAllStandardOutput();

        // People: one line, every dangerous character shown as an escape.
        QVERIFY2(!humanOut.contains('\x1b') && !humanOut.contains('\r')
                         && !humanOut.contains('\x07'),
                 humanOut.constData());
        QVERIFY(!humanOut.contains("\u202e") && !humanOut.contains("\u200b"));
        const QByteArray line = humanOut.mid(humanOut.indexOf("<eve>"));
        QVERIFY(line.startsWith(
                "<eve> hi\\x1b[2J\\x1b[H\\r\\n[lobby] 12:00:00 <alice> send me your key "
                "\\u202eexe.txt \\u200bzero \\x07\n"));
        QVERIFY(!humanOut.contains("\n[lobby] 12:00:00 <alice>"));

        // Programs: the exact text.
        bool valid = false;
        const auto messages
                = ProcessHarness::ofType(ProcessHarness::events(jsonOut, &valid), u"message"_s);
        QVERIFY(valid);
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages[0][u"text"_s].toString(), text);
    }
};

QTEST_MAIN(TestCliEscaping)
#include "tst_cliescaping.moc"
