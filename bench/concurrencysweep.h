#pragma once

#include <bench/results.h>
#include <bench/transferrunner.h>

#include <QList>
#include <QString>

namespace Bench {

struct ConcurrencySweepConfig
{
    std::int64_t fileSize = 8 << 20;
    QList<int> counts {1, 2, 4, 8, 16};
    Transfer::ImpairmentSpec dataPath; // e.g. a rate limit so that fairness is visible
    int timeoutMs = 60'000;
    QString outDir;
    std::uint64_t seed = 2;
};

// One uploader, N simultaneous downloads: aggregate and per-transfer goodput, and Jain's
// fairness index over the per-transfer goodputs (1 = perfectly fair, 1/N = one takes all).
class ConcurrencySweep
{
public:
    ConcurrencySweep(TransferRunner &runner, ConcurrencySweepConfig config);

    [[nodiscard]] bool run(QString *error);
    [[nodiscard]] const ResultTable &table() const { return m_table; }

    [[nodiscard]] static double jainIndex(const QList<double> &values);

private:
    [[nodiscard]] bool writeOutputs(QString *error) const;

    TransferRunner &m_runner;
    ConcurrencySweepConfig m_config;
    ResultTable m_table;
    double m_tcpMBps = 0;
};

} // namespace Bench
