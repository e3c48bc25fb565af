#include <tests/support/processharness.h>

#include <crypto/certificatefingerprint.h>
#include <crypto/selfsignedcertificate.h>

#include <QFile>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace {
const QString kServer = QStringLiteral(HOPSHARE_SERVER_BIN);
const QString kCli = QStringLiteral(HOPSHARE_CLI_BIN);

QString fingerprintIn(const QByteArray &log)
{
    static const QRegularExpression re(u"fingerprint (SHA256:[0-9a-f]{64})"_s);
    const auto m = re.match(QString::fromUtf8(log));
    return m.hasMatch() ? m.captured(1) : QString();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}
} // namespace

// The real server and CLI over TLS: certificates on disk, start-up errors, pins that refuse a
// changed certificate.
class TestTlsProcess : public QObject
{
    Q_OBJECT
private:
    // Runs the server with `args` and returns its exit code (it must refuse to start).
    static int refusedStart(ProcessHarness &harness, const QStringList &args, QByteArray *err)
    {
        QProcess *server
                = harness.start(kServer, QStringList {u"--listen"_s, u"127.0.0.1:0"_s} + args);
        if (!server || !server->waitForFinished(10000))
            return -1;
        *err = server->readAllStandardError();
        return server->exitCode();
    }
    // Starts a server and returns its log up to "listening on".
    static QByteArray startAndRead(ProcessHarness &harness, const QStringList &args, QProcess **out)
    {
        *out = harness.start(kServer, args);
        return *out
                ? ProcessHarness::readUntil(*out, QProcess::StandardError, "listening on", 10000)
                : QByteArray();
    }
    static void stop(QProcess *server)
    {
        server->terminate(); // by its PID
        server->waitForFinished(5000);
    }

private Q_SLOTS:
    void badConfigurationExitsWithTwo()
    {
        ProcessHarness harness;
        QByteArray err;
        QCOMPARE(refusedStart(harness,
                              {u"--tls-cert"_s, u"/nonexistent/cert.pem"_s, u"--tls-key"_s,
                               u"/nonexistent/key.pem"_s},
                              &err),
                 2);
        QVERIFY2(err.contains("cannot read /nonexistent/cert.pem"), err.constData());
        QCOMPARE(refusedStart(harness, {u"--tls-cert"_s, u"/nonexistent/cert.pem"_s}, &err), 2);

        const auto a = Crypto::SelfSignedCertificate::generate(u"a"_s);
        const auto b = Crypto::SelfSignedCertificate::generate(u"b"_s);
        QVERIFY(a && b);
        const QString cert = harness.home() + u"/a-cert.pem"_s;
        const QString key = harness.home() + u"/b-key.pem"_s;
        QVERIFY(writeFile(cert, a->certificate) && writeFile(key, b->privateKey));
        QCOMPARE(refusedStart(harness, {u"--tls-cert"_s, cert, u"--tls-key"_s, key}, &err), 2);
        QVERIFY2(err.contains("does not belong"), err.constData());

        QCOMPARE(refusedStart(harness, {u"--link-secret"_s, u"fifteen-bytes!!"_s}, &err), 2);
        QVERIFY2(err.contains("at least 16"), err.constData());
        QCOMPARE(refusedStart(harness, {u"--link"_s, u"127.0.0.1:1"_s}, &err), 2);
        QVERIFY2(err.contains("federation is closed"), err.constData());
    }

    void generatedCertificateIsKeptNextToTheConfig()
    {
        ProcessHarness harness;
        const QString ini = harness.home() + u"/etc/server.ini"_s;
        QDir().mkpath(harness.home() + u"/etc"_s);
        QVERIFY(writeFile(ini, "[server]\nname = kept\nlisten = 127.0.0.1:0\n"));
        QProcess *server = nullptr;
        const QByteArray first = startAndRead(harness, {u"--config"_s, ini}, &server);
        const QString fingerprint = fingerprintIn(first);
        QVERIFY2(!fingerprint.isEmpty(), first.constData());
        stop(server);
        const QString keyFile = harness.home() + u"/etc/server-key.pem"_s;
        QVERIFY(QFile::exists(harness.home() + u"/etc/server-cert.pem"_s));
        QVERIFY(!(QFile::permissions(keyFile) & (QFile::ReadGroup | QFile::ReadOther)));
        QVERIFY(QFile::permissions(keyFile) & QFile::ReadOwner);

        const QByteArray second = startAndRead(harness, {u"--config"_s, ini}, &server);
        QCOMPARE(fingerprintIn(second), fingerprint);
        stop(server);
    }

    void operatorCertificateIsUsed()
    {
        ProcessHarness harness;
        const auto pem = Crypto::SelfSignedCertificate::generate(u"chat.example"_s);
        QVERIFY(pem);
        const QString cert = harness.home() + u"/cert.pem"_s;
        const QString key = harness.home() + u"/key.pem"_s;
        QVERIFY(writeFile(cert, pem->certificate) && writeFile(key, pem->privateKey));
        QProcess *server = nullptr;
        const QByteArray log = startAndRead(
                harness,
                {u"--listen"_s, u"127.0.0.1:0"_s, u"--tls-cert"_s, cert, u"--tls-key"_s, key},
                &server);
        QCOMPARE(fingerprintIn(log),
                 Crypto::certificateFingerprint(QSslCertificate(pem->certificate).toDer()));
        stop(server);
    }

    void cliRefusesAChangedCertificate()
    {
        ProcessHarness harness;
        const QString pins = harness.home() + u"/pins"_s;
        QProcess *server = nullptr;
        const quint16 port = harness.startServer(kServer, u"one"_s, &server);
        QVERIFY(port != 0);
        const QString address = u"127.0.0.1:%1"_s.arg(port);
        const QStringList cli {u"--server"_s,        address, u"--nick"_s, u"bob"_s, u"--json"_s,
                               u"--known-servers"_s, pins,    u"--exec"_s, u"ping"_s};
        QProcess *first = harness.start(kCli, cli);
        QVERIFY(first && first->waitForFinished(10000));
        QCOMPARE(first->exitCode(), 0);
        stop(server);

        // Another server (another certificate) on the same port.
        const QString ini = harness.home() + u"/other/server.ini"_s;
        QDir().mkpath(harness.home() + u"/other"_s);
        QVERIFY(writeFile(ini, "[server]\nname = two\n"));
        QProcess *impostor = nullptr;
        const QByteArray log
                = startAndRead(harness, {u"--config"_s, ini, u"--listen"_s, address}, &impostor);
        const QString now = fingerprintIn(log);
        QVERIFY2(!now.isEmpty(), log.constData());
        QProcess *second = harness.start(kCli, cli);
        QVERIFY(second && second->waitForFinished(10000));
        QCOMPARE(second->exitCode(), 1);
        const QByteArray out = second->readAllStandardOutput();
        QVERIFY2(out.contains(now.toLatin1()) && out.contains("has changed"), out.constData());
        QFile pinFile(pins);
        QVERIFY(pinFile.open(QIODevice::ReadOnly));
        const QByteArray old = pinFile.readAll().split(' ').value(1).trimmed();
        QVERIFY2(out.contains(old) && old != now.toLatin1(), out.constData());

        QProcess *insecure = harness.start(kCli, cli + QStringList {u"--insecure"_s});
        QVERIFY(insecure && insecure->waitForFinished(10000));
        QCOMPARE(insecure->exitCode(), 0);
        stop(impostor);
    }
};

QTEST_GUILESS_MAIN(TestTlsProcess)
#include "tst_tlsprocess.moc"
