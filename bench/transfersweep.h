#pragma once

#include <bench/measurement.h>
#include <bench/results.h>
#include <bench/transferrunner.h>

#include <QList>
#include <QString>

#include <functional>

namespace Bench {

struct TransferSweepConfig
{
    std::int64_t fileSize = 16 << 20;
    QList<double> lossPercents {0, 1, 2, 5, 10, 20};
    QList<int> delaysMs {0, 20, 100}; // round-trip delay added by the impairment layer
    double burstLength = 3; // mean burst length of the bursty loss series
    bool bursty = true;
    // Each SR/BBR point also run without encryption, so the AEAD's cost shows beside it.
    bool plainBaseline = true;
    QList<ArqMode> modes {ArqMode::SelectiveRepeat, ArqMode::GoBackN};
    QList<Controller> controllers {Controller::Default, Controller::NewReno};
    int pointTimeoutMs = 30'000;
    QString outDir;
    std::uint64_t seed = 1;

    // CI-sized: a few points, a small file.
    static TransferSweepConfig quick();
};

// The loss x delay x mode x controller sweep through the impairment layer on loopback, with
// the TCP baseline of the same run as the reference. Writes transfer.csv, transfer.json and one
// goodput-against-loss PNG per delay into outDir.
class TransferSweep
{
public:
    TransferSweep(TransferRunner &runner, TransferSweepConfig config);

    // Returns false when the output could not be written or the file not created; points that
    // fail to verify are reported in the table, not as a failure of the run.
    [[nodiscard]] bool run(QString *error);
    [[nodiscard]] const ResultTable &table() const { return m_table; }

    // Impairment of the data and ACK paths for one point.
    [[nodiscard]] static TransferOptions optionsFor(double lossPercent, bool bursty,
                                                    double burstLength, int delayMs,
                                                    std::uint64_t seed);

private:
    void runPoint(const FileUnderTest &file, const QString &workDir, ArqMode mode, Controller cc,
                  double lossPercent, bool bursty, int delayMs, bool plain);
    [[nodiscard]] bool writeOutputs(QString *error) const;

    TransferRunner &m_runner;
    TransferSweepConfig m_config;
    ResultTable m_table;
    Measurement m_tcp;
};

} // namespace Bench
