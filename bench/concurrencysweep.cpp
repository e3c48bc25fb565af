#include <bench/concurrencysweep.h>

#include <bench/plotter.h>
#include <bench/tcpbaseline.h>
#include <bench/testfile.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

const QStringList kColumns
        = {u"downloads"_s, u"verified"_s,     u"seconds"_s,   u"aggregate_MBps"_s,
           u"min_MBps"_s,  u"mean_MBps"_s,    u"max_MBps"_s,  u"jain_fairness"_s,
           u"tcp_MBps"_s,  u"ratio_vs_tcp"_s, u"cpu_snd_s"_s, u"error"_s};

} // namespace

ConcurrencySweep::ConcurrencySweep(TransferRunner &runner, ConcurrencySweepConfig config)
    : m_runner(runner)
    , m_config(std::move(config))
    , m_table(kColumns)
{ }

double ConcurrencySweep::jainIndex(const QList<double> &values)
{
    double sum = 0, squares = 0;
    for (const double v : values) {
        sum += v;
        squares += v * v;
    }
    return squares > 0 ? sum * sum / (double(values.size()) * squares) : 0.0;
}

bool ConcurrencySweep::run(QString *error)
{
    QTemporaryDir work;
    if (!work.isValid()) {
        *error = u"cannot create a temporary directory: "_s + work.errorString();
        return false;
    }
    FileUnderTest file {work.filePath(u"concurrency.bin"_s), {}, m_config.fileSize};
    const auto sha = makeTestFile(file.path, file.size, m_config.seed, error);
    if (!sha)
        return false;
    file.sha256 = *sha;
    const Measurement tcp = TcpBaseline().runLoopback(file.path, work.filePath(u"tcp.out"_s));
    QFile::remove(work.filePath(u"tcp.out"_s));
    m_tcpMBps = tcp.verified ? tcp.goodputMBps() : 0.0;
    QTextStream out(stdout);
    out << u"TCP baseline (one connection, loopback): %1 MB/s"_s.arg(m_tcpMBps, 0, 'f', 1)
        << Qt::endl;

    TransferOptions options;
    options.dataPath = m_config.dataPath;
    options.timeoutMs = m_config.timeoutMs;
    for (const int count : m_config.counts) {
        const QString outDir = work.filePath(u"n%1"_s.arg(count));
        QDir().mkpath(outDir);
        const QList<Measurement> runs = m_runner.runConcurrent(file, outDir, count, options);
        QDir(outDir).removeRecursively();
        QList<double> goodputs;
        double seconds = 0, cpuSender = 0;
        bool verified = runs.size() == count;
        QString firstError;
        for (const Measurement &m : runs) {
            if (firstError.isEmpty())
                firstError = m.error;
            goodputs << m.goodputMBps();
            seconds = std::max(seconds, m.seconds);
            cpuSender = std::max(cpuSender, m.cpuSenderSeconds);
            verified = verified && m.verified;
        }
        double verifiedBytes = 0;
        for (const Measurement &m : runs)
            verifiedBytes += m.verified ? double(m.bytes) : 0.0;
        const double aggregate = seconds > 0 ? verifiedBytes / seconds / 1e6 : 0.0;
        const auto [lo, hi] = std::minmax_element(goodputs.begin(), goodputs.end());
        QJsonObject row;
        row.insert(u"downloads"_s, count);
        row.insert(u"verified"_s, verified);
        row.insert(u"seconds"_s, seconds);
        row.insert(u"aggregate_MBps"_s, aggregate);
        row.insert(u"min_MBps"_s, goodputs.isEmpty() ? 0.0 : *lo);
        row.insert(u"mean_MBps"_s,
                   goodputs.isEmpty() ? 0.0
                                      : std::accumulate(goodputs.begin(), goodputs.end(), 0.0)
                                   / double(goodputs.size()));
        row.insert(u"max_MBps"_s, goodputs.isEmpty() ? 0.0 : *hi);
        row.insert(u"jain_fairness"_s, jainIndex(goodputs));
        row.insert(u"tcp_MBps"_s, m_tcpMBps);
        row.insert(u"ratio_vs_tcp"_s, m_tcpMBps > 0 ? aggregate / m_tcpMBps : 0.0);
        row.insert(u"cpu_snd_s"_s, cpuSender);
        row.insert(u"error"_s, firstError);
        m_table.addRow(row);
        out << u"%1 downloads: aggregate %2 MB/s, fairness %3%4"_s.arg(count)
                        .arg(aggregate, 0, 'f', 1)
                        .arg(jainIndex(goodputs), 0, 'f', 3)
                        .arg(verified ? QString() : u" (NOT all verified)"_s)
            << Qt::endl;
    }
    return writeOutputs(error);
}

bool ConcurrencySweep::writeOutputs(QString *error) const
{
    QDir().mkpath(m_config.outDir);
    const QDir out(m_config.outDir);
    ResultTable table = m_table;
    QJsonObject meta;
    meta.insert(u"benchmark"_s, u"concurrency"_s);
    meta.insert(u"file_bytes"_s, qint64(m_config.fileSize));
    meta.insert(u"impairment"_s, m_config.dataPath.toString());
    // Other work on a shared 2-core machine skews every figure; keep the load with the data.
    if (QFile loadavg(u"/proc/loadavg"_s); loadavg.open(QIODevice::ReadOnly))
        meta.insert(u"loadavg_at_end"_s, QString::fromLatin1(loadavg.readAll().trimmed()));
    table.setMeta(meta);
    if (!table.writeCsv(out.filePath(u"concurrency.csv"_s), error)
        || !table.writeJson(out.filePath(u"concurrency.json"_s), error))
        return false;
    PlotSeries aggregate {u"aggregate"_s, {}, {}}, mean {u"per download (mean)"_s, {}, {}},
            minimum {u"per download (min)"_s, {}, {}};
    for (const QJsonObject &row : m_table.rows()) {
        const double n = row.value(u"downloads"_s).toDouble();
        aggregate.x << n;
        aggregate.y << row.value(u"aggregate_MBps"_s).toDouble();
        mean.x << n;
        mean.y << row.value(u"mean_MBps"_s).toDouble();
        minimum.x << n;
        minimum.y << row.value(u"min_MBps"_s).toDouble();
    }
    PlotSpec spec {u"One uploader, N simultaneous downloads (loopback, %1 MiB each)"_s.arg(
                           m_config.fileSize >> 20),
                   u"simultaneous downloads"_s,
                   u"goodput (MB/s)"_s,
                   {aggregate, mean, minimum},
                   std::nullopt,
                   {}};
    if (m_tcpMBps > 0) {
        spec.reference = m_tcpMBps;
        spec.referenceName = u"TCP, one connection (same run)"_s;
    }
    if (!Plotter::savePng(spec, out.filePath(u"concurrency.png"_s), error))
        return false;
    QTextStream(stdout) << u"\n"_s << m_table.toText() << Qt::endl;
    return true;
}

} // namespace Bench
