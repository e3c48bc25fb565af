#include <bench/chattargets.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : quint16(0);
}

bool acceptsConnections(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    return s.waitForConnected(500);
}

bool waitForPort(quint16 port, QProcess &process)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 10000 && process.state() == QProcess::Running) {
        if (acceptsConnections(port))
            return true;
        QThread::msleep(100);
    }
    return false;
}

} // namespace

ChatTarget startHopshare(const QString &binary, bool tls)
{
    ChatTarget t;
    t.kind = ChatTarget::Kind::Hopshare;
    t.tls = tls;
    t.name = tls ? u"hopshare TLS"_s : u"hopshare plain"_s;
    t.port = freePort();
    QStringList args {u"--listen"_s, u"127.0.0.1:%1"_s.arg(t.port), u"--name"_s, u"bench"_s,
                      u"--max-clients"_s, u"100000"_s, u"--rate"_s, u"100000"_s,
                      // its clients wait while ngIRCd's join (five minutes at 5000)
                      u"--idle-timeout"_s, u"3600"_s,
                      // every bench client comes from 127.0.0.1
                      u"--max-per-address"_s, u"1000000"_s};
    if (!tls)
        args << u"--plain"_s;
    t.process = std::make_shared<QProcess>();
    // The server logs every join; nobody reads it here.
    t.process->setStandardOutputFile(QProcess::nullDevice());
    t.process->setStandardErrorFile(QProcess::nullDevice());
    t.process->start(binary, args);
    if (!t.process->waitForStarted(5000) || !waitForPort(t.port, *t.process)) {
        t.error = u"hopshare-server (%1) did not start listening"_s.arg(binary);
        return t;
    }
    t.pid = t.process->processId();
    return t;
}

QString ngircdConfig(quint16 port, quint16 tlsPort, const QString &certFile, const QString &keyFile)
{
    QString conf = u"[Global]\n"
                   "Name = bench.irc\nInfo = hopshare-bench\nListen = 127.0.0.1\nPorts = %1\n"
                   "MotdPhrase = bench\n"
                   "[Limits]\n"
                   // No caps on connections, per-address connections or channels per user;
                   // penalties (ngIRCd's command throttling) off; no pings during a run.
                   "MaxConnections = 0\nMaxConnectionsIP = 0\nMaxJoins = 0\n"
                   "MaxNickLength = 16\nMaxPenaltyTime = 0\nPingTimeout = 600\nPongTimeout = 600\n"
                   "[Options]\n"
                   "DNS = no\nIdent = no\nPAM = no\n"
                   // Senders OPER and set user mode +F (relaxed flood protection).
                   "[Operator]\nName = bench\nPassword = bench\n"_s.arg(port);
    if (tlsPort != 0)
        conf += u"[SSL]\nCertFile = %1\nKeyFile = %2\nPorts = %3\n"_s.arg(certFile, keyFile)
                        .arg(tlsPort);
    return conf;
}

ChatTarget startNgircd(const QString &binary, bool tls)
{
    ChatTarget t;
    t.kind = ChatTarget::Kind::Irc;
    t.tls = tls;
    t.name = tls ? u"ngircd TLS"_s : u"ngircd plain"_s;
    t.dir = std::make_shared<QTemporaryDir>();
    const QDir dir(t.dir->path());
    const QString cert = dir.filePath(u"cert.pem"_s), key = dir.filePath(u"key.pem"_s);
    if (tls) {
        // The same kind of certificate hopshare-server makes for itself: self-signed, EC P-256.
        QProcess openssl;
        openssl.setStandardOutputFile(QProcess::nullDevice());
        openssl.setStandardErrorFile(QProcess::nullDevice());
        openssl.start(u"openssl"_s,
                      {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                       u"ec_paramgen_curve:P-256"_s, u"-nodes"_s, u"-keyout"_s, key, u"-out"_s,
                       cert, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=bench.irc"_s});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
            t.error = u"openssl could not make a certificate for ngircd"_s;
            return t;
        }
    }
    const quint16 plainPort = freePort();
    const quint16 tlsPort = tls ? freePort() : quint16(0);
    t.port = tls ? tlsPort : plainPort;
    QFile conf(dir.filePath(u"ngircd.conf"_s));
    if (!conf.open(QIODevice::WriteOnly)) {
        t.error = u"cannot write %1"_s.arg(conf.fileName());
        return t;
    }
    conf.write(ngircdConfig(plainPort, tlsPort, cert, key).toUtf8());
    conf.close();
    t.process = std::make_shared<QProcess>();
    t.process->setStandardOutputFile(dir.filePath(u"ngircd.log"_s));
    t.process->setStandardErrorFile(dir.filePath(u"ngircd.err"_s));
    t.process->start(binary, {u"-n"_s, u"-f"_s, conf.fileName()});
    if (!t.process->waitForStarted(5000) || !waitForPort(t.port, *t.process)) {
        t.error = u"ngircd (%1) did not start listening; see %2"_s.arg(binary, dir.path());
        t.dir->setAutoRemove(false);
        return t;
    }
    t.pid = t.process->processId();
    return t;
}

void stopTarget(ChatTarget &target)
{
    if (!target.process)
        return;
    target.process->terminate();
    if (!target.process->waitForFinished(5000))
        target.process->kill();
    target.process->waitForFinished(2000);
    target.process.reset();
}

ProcessSample sampleProcess(qint64 pid)
{
    ProcessSample s;
    if (pid <= 0)
        return s;
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        static const QRegularExpression rss(u"VmRSS:\\s+(\\d+)"_s), hwm(u"VmHWM:\\s+(\\d+)"_s);
        const QString text = QString::fromLatin1(status.readAll());
        if (const auto m = rss.match(text); m.hasMatch())
            s.rssKiB = m.captured(1).toLongLong();
        if (const auto m = hwm.match(text); m.hasMatch())
            s.hwmKiB = m.captured(1).toLongLong();
    }
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        // Fields after the command name (which may hold spaces): state is field 3, utime 14.
        const QByteArray text = stat.readAll();
        const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (f.size() > 12)
            s.cpuSeconds = double(f.at(11).toLongLong() + f.at(12).toLongLong())
                    / double(sysconf(_SC_CLK_TCK));
    }
    return s;
}

} // namespace Bench
