#include <bench/relaybench.h>

#include <bench/cputime.h>

#include <server-console/udp/relaysession.h>
#include <transfer/wire/randombytes.h>

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Bench {

namespace { } // namespace

int runRelaySession(const RelayBenchOptions &o)
{
    Transfer::RelayToken token {};
    Transfer::fillRandom(token);
    Server::RelayLimits limits;
    limits.maxBytes = quint64(64) << 30; // the bench's files, whatever their size
    limits.idleMs = o.timeoutMs;
    limits.bytesPerSecond = o.bytesPerSecond;
    Server::RelaySession session(token, u"bench"_s, limits);
    QString error;
    if (!session.open(o.address, &error)) {
        QTextStream(stderr) << u"hopshare-bench: relay: "_s << error << Qt::endl;
        return 1;
    }
    const QByteArray tokenBytes(reinterpret_cast<const char *>(token.data()),
                                qsizetype(token.size()));
    printJsonLine({{u"relay_port"_s, session.port()},
                   {u"token"_s, QString::fromLatin1(tokenBytes.toHex())}});

    QString why = u"timed out"_s;
    QEventLoop loop;
    QObject::connect(&session, &Server::RelaySession::expired, &loop,
                     [&](Server::RelaySession *, const QString &reason) {
                         why = reason;
                         loop.quit();
                     });
    QTimer::singleShot(o.timeoutMs, &loop, &QEventLoop::quit);
    const double cpu0 = processCpuSeconds();
    loop.exec();
    const auto c = session.counters();
    printJsonLine({{u"role"_s, u"relay"_s},
                   {u"ended"_s, why},
                   {u"forwarded_datagrams"_s, qint64(c.forwardedDatagrams)},
                   {u"forwarded_bytes"_s, qint64(c.forwardedBytes)},
                   {u"dropped"_s, qint64(c.dropped)},
                   {u"dropped_over_rate"_s, qint64(c.droppedOverRate)},
                   {u"rate_Bps"_s, qint64(o.bytesPerSecond)},
                   {u"send_errors"_s, qint64(c.sendErrors)},
                   {u"cpu_relay_s"_s, processCpuSeconds() - cpu0}});
    return 0;
}

} // namespace Bench
