#include <bench/enginerunner.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

constexpr int kStartTimeoutMs = 10'000;
constexpr int kGraceMs = 10'000;

QStringList commonArgs(const TransferOptions &o, int count)
{
    QStringList args {u"--mode"_s,    o.mode == ArqMode::GoBackN ? u"gbn"_s : u"sr"_s,
                      u"--cc"_s,      o.controller == Controller::NewReno ? u"newreno"_s : u"bbr"_s,
                      u"--timeout"_s, QString::number(std::max(1, o.timeoutMs / 1000)),
                      u"--count"_s,   QString::number(count)};
    if (o.plain)
        args << u"--plain"_s;
    return args;
}

QStringList impairArgs(const Transfer::ImpairmentSpec &spec)
{
    QStringList args;
    if (spec.isActive())
        args << u"--impair"_s << spec.toString();
    return args;
}

QList<QJsonObject> jsonLines(QProcess &process)
{
    QList<QJsonObject> lines;
    const QList<QByteArray> raw = process.readAllStandardOutput().split('\n');
    for (const QByteArray &line : raw) {
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            lines << doc.object();
    }
    return lines;
}

// Ends a child that outlived its deadline, by its own handle (its PID), never by name.
void stop(QProcess &process, int waitMs)
{
    if (process.state() != QProcess::NotRunning && !process.waitForFinished(waitMs)) {
        process.kill();
        process.waitForFinished(kGraceMs);
    }
}

class ProcessRunner final : public TransferRunner
{
public:
    explicit ProcessRunner(QString program)
        : m_program(std::move(program))
    { }

    Measurement runOne(const FileUnderTest &file, const QString &outDir,
                       const TransferOptions &options) override
    {
        const QList<Measurement> all = runConcurrent(file, outDir, 1, options);
        return all.value(0);
    }

    QList<Measurement> runConcurrent(const FileUnderTest &file, const QString &outDir, int count,
                                     const TransferOptions &options) override;

private:
    [[nodiscard]] std::optional<quint16> startServe(QProcess &serve, const FileUnderTest &file,
                                                    int count, const TransferOptions &options,
                                                    QString *error) const;

    QString m_program;
};

std::optional<quint16> ProcessRunner::startServe(QProcess &serve, const FileUnderTest &file,
                                                 int count, const TransferOptions &options,
                                                 QString *error) const
{
    serve.start(m_program,
                QStringList {u"serve"_s, file.path, u"--listen"_s, u"127.0.0.1:0"_s}
                        + commonArgs(options, count) + impairArgs(options.dataPath));
    QElapsedTimer clock;
    clock.start();
    while (!serve.canReadLine() && clock.elapsed() < kStartTimeoutMs
           && serve.state() != QProcess::NotRunning)
        serve.waitForReadyRead(100);
    const QJsonObject first = QJsonDocument::fromJson(serve.readLine()).object();
    const int port = first.value(u"listening"_s).toInt();
    if (port <= 0 || port > 65535) {
        *error = u"serve did not start: "_s + QString::fromLocal8Bit(serve.readAllStandardError());
        return std::nullopt;
    }
    return quint16(port);
}

QList<Measurement> ProcessRunner::runConcurrent(const FileUnderTest &file, const QString &outDir,
                                                int count, const TransferOptions &options)
{
    QList<Measurement> results;
    QProcess serve;
    QString error;
    const auto port = startServe(serve, file, count, options, &error);
    if (!port) {
        stop(serve, 0);
        Measurement failed;
        failed.error = error;
        return QList<Measurement>(count, failed);
    }
    QProcess fetch;
    fetch.start(m_program,
                QStringList {u"fetch"_s, u"127.0.0.1:%1"_s.arg(*port), u"--out"_s,
                             outDir + u"/download.bin"_s}
                        + commonArgs(options, count) + impairArgs(options.ackPath));
    stop(fetch, options.timeoutMs + kGraceMs);
    stop(serve, kGraceMs);
    const QList<QJsonObject> fetched = jsonLines(fetch);
    const QList<QJsonObject> served = jsonLines(serve);
    const QJsonObject sender = served.isEmpty() ? QJsonObject {} : served.last();
    for (const QJsonObject &line : fetched) {
        if (line.value(u"role"_s).toString() != u"fetch"_s)
            continue;
        Measurement m;
        m.verified = line.value(u"verified"_s).toBool();
        m.bytes = line.value(u"bytes"_s).toInteger();
        m.seconds = line.value(u"seconds"_s).toDouble();
        m.sha256 = line.value(u"sha256"_s).toString();
        m.error = line.value(u"error"_s).toString();
        m.cpuReceiverSeconds = line.value(u"cpu_receiver_s"_s).toDouble();
        // The sender's counters cover all its uploads; per transfer they are shares of it.
        m.cpuSenderSeconds = sender.value(u"cpu_sender_s"_s).toDouble();
        m.datagramsSent = quint64(sender.value(u"datagrams_sent"_s).toInteger() / count);
        m.retransmissions = quint64(sender.value(u"retransmissions"_s).toInteger() / count);
        m.lost = quint64(sender.value(u"lost"_s).toInteger() / count);
        results << m;
    }
    if (results.isEmpty()) {
        Measurement failed;
        failed.error = u"fetch printed no result: "_s
                + QString::fromLocal8Bit(fetch.readAllStandardError()).left(300);
        results << failed;
    }
    return results;
}

} // namespace

std::unique_ptr<TransferRunner> makeEngineRunner(QString *error)
{
    const QString program = QCoreApplication::applicationFilePath();
    if (!QFileInfo(program).isExecutable()) {
        *error = u"cannot find the hopshare-bench executable to run serve/fetch"_s;
        return nullptr;
    }
    return std::make_unique<ProcessRunner>(program);
}

} // namespace Bench
