#include <bench/transfersweep.h>

#include <bench/plotter.h>
#include <bench/tcpbaseline.h>
#include <bench/testfile.h>

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <map>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace Bench {

namespace {

const QStringList kColumns
        = {u"mode"_s,         u"controller"_s, u"encryption"_s, u"loss_model"_s,   u"loss_pct"_s,
           u"delay_ms"_s,     u"verified"_s,   u"seconds"_s,    u"goodput_MBps"_s, u"tcp_MBps"_s,
           u"ratio_vs_tcp"_s, u"retx_ratio"_s, u"cpu_snd_s"_s,  u"cpu_rcv_s"_s,    u"error"_s};

void say(const QString &line)
{
    QTextStream(stdout) << line << Qt::endl;
}

} // namespace

TransferSweepConfig TransferSweepConfig::quick()
{
    TransferSweepConfig c;
    c.fileSize = 4 << 20;
    c.lossPercents = {0, 2, 10};
    c.delaysMs = {0, 20};
    c.bursty = false;
    c.pointTimeoutMs = 15'000;
    return c;
}

TransferSweep::TransferSweep(TransferRunner &runner, TransferSweepConfig config)
    : m_runner(runner)
    , m_config(std::move(config))
    , m_table(kColumns)
{ }

TransferOptions TransferSweep::optionsFor(double lossPercent, bool bursty, double burstLength,
                                          int delayMs, std::uint64_t seed)
{
    TransferOptions o;
    o.dataPath.loss = lossPercent / 100.0;
    o.dataPath.burst = bursty ? burstLength : 0.0;
    o.dataPath.delay = std::chrono::microseconds(delayMs * 1000 / 2);
    o.dataPath.seed = seed;
    o.ackPath.delay = std::chrono::microseconds(delayMs * 1000 - delayMs * 1000 / 2);
    o.ackPath.seed = seed + 1;
    return o;
}

bool TransferSweep::run(QString *error)
{
    QTemporaryDir work;
    if (!work.isValid()) {
        *error = u"cannot create a temporary directory: "_s + work.errorString();
        return false;
    }
    FileUnderTest file {work.filePath(u"sweep.bin"_s), {}, m_config.fileSize};
    const auto sha = makeTestFile(file.path, file.size, m_config.seed, error);
    if (!sha)
        return false;
    file.sha256 = *sha;

    m_tcp = TcpBaseline().runLoopback(file.path, work.filePath(u"tcp.out"_s));
    QFile::remove(work.filePath(u"tcp.out"_s));
    say(u"TCP baseline (loopback, unimpaired, kernel default CC): %1 MB/s, %2"_s
                .arg(m_tcp.goodputMBps(), 0, 'f', 1)
                .arg(m_tcp.verified ? u"verified"_s : m_tcp.error));

    for (const int delay : m_config.delaysMs) {
        for (const double loss : m_config.lossPercents) {
            for (const bool bursty : {false, true}) {
                if (bursty && (!m_config.bursty || loss == 0))
                    continue;
                for (const ArqMode mode : m_config.modes) {
                    for (const Controller cc : m_config.controllers)
                        runPoint(file, work.path(), mode, cc, loss, bursty, delay, false);
                }
                // The default path once more unencrypted: what the AEAD costs, same run.
                if (m_config.plainBaseline)
                    runPoint(file, work.path(), ArqMode::SelectiveRepeat, Controller::Default, loss,
                             bursty, delay, true);
            }
        }
    }
    return writeOutputs(error);
}

void TransferSweep::runPoint(const FileUnderTest &file, const QString &workDir, ArqMode mode,
                             Controller cc, double lossPercent, bool bursty, int delayMs,
                             bool plain)
{
    TransferOptions options
            = optionsFor(lossPercent, bursty, m_config.burstLength, delayMs, m_config.seed);
    options.mode = mode;
    options.controller = cc;
    options.timeoutMs = m_config.pointTimeoutMs;
    options.plain = plain;
    const QString outDir = workDir + u"/point"_s;
    QDir(outDir).removeRecursively();
    QDir().mkpath(outDir);
    const Measurement m = m_runner.runOne(file, outDir, options);
    QDir(outDir).removeRecursively();

    const double tcp = m_tcp.goodputMBps();
    QJsonObject row;
    row.insert(u"mode"_s, TransferRunner::modeName(mode));
    row.insert(u"controller"_s, TransferRunner::controllerName(cc));
    row.insert(u"encryption"_s, plain ? u"plain"_s : u"aead"_s);
    row.insert(u"loss_model"_s, bursty ? u"bursty"_s : u"random"_s);
    row.insert(u"loss_pct"_s, lossPercent);
    row.insert(u"delay_ms"_s, delayMs);
    row.insert(u"verified"_s, m.verified);
    row.insert(u"seconds"_s, m.seconds);
    row.insert(u"goodput_MBps"_s, m.goodputMBps());
    row.insert(u"tcp_MBps"_s, tcp);
    row.insert(u"ratio_vs_tcp"_s, tcp > 0 ? m.goodputMBps() / tcp : 0.0);
    row.insert(u"retx_ratio"_s, m.retransmissionRatio());
    row.insert(u"cpu_snd_s"_s, m.cpuSenderSeconds);
    row.insert(u"cpu_rcv_s"_s, m.cpuReceiverSeconds);
    row.insert(u"error"_s, m.error);
    m_table.addRow(row);
    say(u"%1 %2 %3 loss %4% delay %5 ms: %6 MB/s (%7x TCP), retx %8%, cpu %9/%10 s%11"_s
                .arg(TransferRunner::modeName(mode) + u'/' + TransferRunner::controllerName(cc),
                     plain ? u"plain"_s : u"aead"_s, bursty ? u"bursty"_s : u"random"_s)
                .arg(lossPercent)
                .arg(delayMs)
                .arg(m.goodputMBps(), 0, 'f', 1)
                .arg(tcp > 0 ? m.goodputMBps() / tcp : 0.0, 0, 'f', 2)
                .arg(m.retransmissionRatio() * 100, 0, 'f', 1)
                .arg(m.cpuSenderSeconds, 0, 'f', 2)
                .arg(m.cpuReceiverSeconds, 0, 'f', 2)
                .arg(m.verified ? QString() : u" NOT VERIFIED: "_s + m.error));
}

bool TransferSweep::writeOutputs(QString *error) const
{
    QDir().mkpath(m_config.outDir);
    const QDir out(m_config.outDir);
    ResultTable table = m_table;
    QJsonObject meta;
    meta.insert(u"benchmark"_s, u"transfer"_s);
    meta.insert(u"file_bytes"_s, qint64(m_config.fileSize));
    meta.insert(u"host"_s, QSysInfo::machineHostName());
    meta.insert(u"kernel"_s, QSysInfo::kernelVersion());
    // Other work on a shared 2-core machine skews every figure; keep the load with the data.
    if (QFile loadavg(u"/proc/loadavg"_s); loadavg.open(QIODevice::ReadOnly))
        meta.insert(u"loadavg_at_end"_s, QString::fromLatin1(loadavg.readAll().trimmed()));
    meta.insert(u"tcp_baseline"_s, m_tcp.toJson());
    table.setMeta(meta);
    if (!table.writeCsv(out.filePath(u"transfer.csv"_s), error)
        || !table.writeJson(out.filePath(u"transfer.json"_s), error))
        return false;

    for (const int delay : m_config.delaysMs) {
        // One line per mode/controller/loss model; x = loss, y = goodput of verified points.
        std::map<QString, PlotSeries> lines;
        for (const QJsonObject &row : m_table.rows()) {
            if (row.value(u"delay_ms"_s).toInt() != delay)
                continue;
            const double loss = row.value(u"loss_pct"_s).toDouble();
            const bool verified = row.value(u"verified"_s).toBool();
            const double goodput = verified ? row.value(u"goodput_MBps"_s).toDouble() : 0.0;
            QStringList models {row.value(u"loss_model"_s).toString()};
            if (loss == 0 && m_config.bursty)
                models << u"bursty"_s; // 0 % is the start of both loss-model lines
            for (const QString &model : models) {
                const QString plainTag = row.value(u"encryption"_s).toString() == u"plain"_s
                        ? u" plain"_s
                        : QString();
                const QString name = row.value(u"mode"_s).toString() + u'/'
                        + row.value(u"controller"_s).toString() + plainTag + u' ' + model;
                lines[name].name = name;
                lines[name].x << loss;
                lines[name].y << goodput;
            }
        }
        PlotSpec spec {u"Goodput against loss, RTT +%1 ms (impairment layer, loopback, %2 MiB)"_s
                               .arg(delay)
                               .arg(m_config.fileSize >> 20),
                       u"loss (%)"_s,
                       u"goodput (MB/s, log scale)"_s,
                       {},
                       std::nullopt,
                       {}};
        for (auto &[name, series] : lines)
            spec.series << series;
        spec.logY = true;
        if (m_tcp.verified && delay == 0) {
            spec.reference = m_tcp.goodputMBps();
            spec.referenceName = u"TCP loopback, 0% loss (same run)"_s;
        }
        if (!Plotter::savePng(spec, out.filePath(u"goodput_vs_loss_delay%1ms.png"_s.arg(delay)),
                              error))
            return false;
    }
    say(u"\n"_s + m_table.toText());
    say(u"wrote %1/transfer.csv, transfer.json and goodput_vs_loss_delay*.png"_s.arg(
            out.absolutePath()));
    return true;
}

} // namespace Bench
