#pragma once

#include <bench/chattargets.h>

#include <QList>
#include <QString>
#include <QStringList>

namespace Bench {

// One timed phase of a versus row: throughput (senders flat out) or latency (fixed rate).
struct PhaseResult
{
    double seconds = 0;
    qint64 sent = 0, expected = 0, delivered = 0;
    double p50Ms = 0, p99Ms = 0, maxMs = 0;
    QList<double> workerCpuPct; // each generator worker thread, % of the phase's wall time
    double generatorCpuPct = 0; // the whole bench process (workers + main thread)
    double serverCpuPct = -1; // -1: not our process
    [[nodiscard]] double deliveriesPerSecond() const
    {
        return seconds > 0 ? double(delivered) / seconds : 0;
    }
};

// One server at one client count: join, throughput, latency.
struct VersusRow
{
    QString target;
    int requested = 0, joined = 0, closed = 0, senders = 0;
    double joinSeconds = 0;
    double joinServerCpuSeconds = -1; // -1: not our process
    double joinGeneratorCpuSeconds = 0; // who was saturated while joining
    bool joinStalled = false;
    qint64 rssBeforeKiB = -1, rssAfterKiB = -1, hwmKiB = -1;
    PhaseResult throughput, latency;
    double load1 = 0;
    QString error;
    [[nodiscard]] double rssPerClientKiB() const
    {
        return joined > 0 && rssBeforeKiB >= 0 ? double(rssAfterKiB - rssBeforeKiB) / joined : -1;
    }
};

struct VersusOptions
{
    int clients = 1000;
    int senders = 10;
    int window = 8;
    double seconds = 5;
    double rate = 20; // messages per second into the room in the latency phase
    int workers = 2;
    int joinWindow = 8; // connections in progress at once while joining
};

// Runs the three scenarios (join, throughput, latency) against several servers at once, each
// with its own generator: each joins in turn and keeps its clients; then `rounds` rounds of
// the throughput phase, and as many of the latency phase, alternate between them, and each
// row's phase is all of its rounds.
QList<VersusRow> runVersusRows(const QList<ChatTarget *> &targets, const VersusOptions &options,
                               int rounds);

// hopshare-bench chat with --gen, --irc or --ngircd-bin: the epoll/TLS generator against
// hopshare-server (TLS and plain) and optionally an IRC server in the same run.
int runChatVersus(const QStringList &args);

} // namespace Bench
