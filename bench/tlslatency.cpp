#include <bench/tlslatency.h>

#include <client/clientcore.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct Sample
{
    double connectMs = -1;
    QList<double> rttMs;
};

double percentileOf(QList<double> v, double p)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[std::min<qsizetype>(v.size() - 1, qsizetype(p * double(v.size())))];
}

// Starts a server (stopped by its PID when the returned object goes) and returns its port.
quint16 startServer(const QString &binary, const QStringList &extra, const QString &home,
                    std::unique_ptr<QProcess> &process)
{
    process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_DATA_HOME"_s, home); // the generated certificate stays in the temp dir
    process->setProcessEnvironment(env);
    process->setStandardOutputFile(QProcess::nullDevice());
    process->start(binary,
                   QStringList {u"--listen"_s, u"127.0.0.1:0"_s, u"--name"_s, u"latency"_s,
                                u"--rate"_s, u"100000"_s}
                           + extra);
    if (!process->waitForStarted(5000))
        return 0;
    QByteArray log;
    QElapsedTimer t;
    t.start();
    while (!log.contains("listening on") && t.elapsed() < 5000) {
        process->waitForReadyRead(100);
        log += process->readAllStandardError();
    }
    static const QRegularExpression re(u"listening on [^ ]+:(\\d+)"_s);
    const auto m = re.match(QString::fromUtf8(log));
    return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    return done();
}

Sample measure(quint16 port, Client::TlsSettings::Mode mode, int pings)
{
    Sample s;
    Client::ClientCore core;
    // Insecure: the bench's server has a certificate of this run only; nothing to pin.
    core.setTlsSettings({mode, {}});
    QList<double> rtts;
    QObject::connect(&core, &Client::ClientCore::pongReceived, &core,
                     [&rtts](quint32, const QString &, double rttMs, int) { rtts.append(rttMs); });
    QElapsedTimer t;
    t.start();
    core.connectToServer(u"127.0.0.1"_s, port, u"bench"_s);
    const auto ready = [&core] { return core.state() == Client::ClientCore::State::Ready; };
    if (!waitFor(ready, 5000))
        return s;
    s.connectMs = double(t.nsecsElapsed()) / 1e6;
    for (int i = 0; i < pings; ++i) {
        core.ping();
        if (!waitFor([&rtts, i] { return rtts.size() > i; }, 2000))
            break;
    }
    s.rttMs = rtts;
    core.disconnectFromServer();
    return s;
}

QJsonObject toJson(const Sample &s)
{
    return {{u"connect_ms"_s, s.connectMs},
            {u"pings"_s, s.rttMs.size()},
            {u"p50_ms"_s, percentileOf(s.rttMs, 0.5)},
            {u"p99_ms"_s, percentileOf(s.rttMs, 0.99)}};
}

} // namespace

QJsonObject measureControlLatency(const QString &serverBinary, int pings)
{
    QTemporaryDir home;
    std::unique_ptr<QProcess> tlsServer;
    std::unique_ptr<QProcess> plainServer;
    const quint16 tlsPort = startServer(serverBinary, {}, home.path(), tlsServer);
    const quint16 plainPort = startServer(serverBinary, {u"--plain"_s}, home.path(), plainServer);
    QJsonObject out {{u"bench"_s, u"control-latency"_s}};
    if (tlsPort != 0 && plainPort != 0) {
        const Sample tls = measure(tlsPort, Client::TlsSettings::Mode::Insecure, pings);
        const Sample plain = measure(plainPort, Client::TlsSettings::Mode::Plain, pings);
        out.insert(u"tls"_s, toJson(tls));
        out.insert(u"plain"_s, toJson(plain));
        const double plainP50 = percentileOf(plain.rttMs, 0.5);
        out.insert(u"tls_over_plain_p50"_s,
                   plainP50 > 0 ? percentileOf(tls.rttMs, 0.5) / plainP50 : -1.0);
    }
    for (auto *p : {tlsServer.get(), plainServer.get()}) {
        if (p && p->state() != QProcess::NotRunning) {
            p->terminate(); // by its PID
            if (!p->waitForFinished(3000))
                p->kill();
        }
    }
    return out;
}
