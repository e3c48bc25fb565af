#pragma once

#include <client/ratemeter.h>
#include <client/transferinfo.h>

#include <QHash>
#include <QList>
#include <QObject>

#include <chrono>

namespace Client {

// The last minutes of throughput, for the live graph: the aggregate up and down rates and the
// selected transfer's rate, round trip and congestion (pacing) rate. The clock is injected:
// the owner calls tick(now) a few times a second (a QTimer in the GUI, fixed steps in tests).
//
// Aggregate rates come from byte counters, whatever the update rhythm of each transfer: each
// transfer's counter (TransferInfo::meteredBytes), read at every tick, adds what it moved to
// its direction's running total, and one RateMeter per direction takes the rate between the
// moments that total moved. A downloader's verified bytes move in whole chunks (1 MiB), so
// bytes-per-tick would draw a spike of four times the chunk per second at every chunk, far
// above a rate limit; between moves the meter gives the true average instead. One meter per
// direction, not one per transfer summed: every transfer's bytes are then taken over the same
// span, so a stalled attempt draining over its window and its successor ramping over a shorter
// one cannot add up to more than moved (an upload cap was drawn 7 % exceeded that way).
class RateHistory : public QObject
{
    Q_OBJECT
public:
    struct Point
    {
        double timeS = 0; // seconds since the first tick
        double up = 0; // bytes/s
        double down = 0; // bytes/s
    };
    struct TransferPoint
    {
        double timeS = 0;
        double rate = 0; // bytes/s
        double rttMs = 0; // ms
        double congestionRate = 0; // bytes/s
    };

    explicit RateHistory(std::chrono::milliseconds window = std::chrono::minutes(5),
                         QObject *parent = nullptr);

    [[nodiscard]] std::chrono::milliseconds window() const { return m_window; }
    [[nodiscard]] const QList<Point> &aggregate() const { return m_aggregate; }
    [[nodiscard]] const QList<TransferPoint> &selected() const { return m_selected; }
    [[nodiscard]] QString selectedTransfer() const { return m_selectedId; }
    // Average aggregate rates over the last `seconds` of history.
    [[nodiscard]] Point average(double seconds) const;

public Q_SLOTS:
    void update(const Client::TransferInfo &info);
    // Closes the interval since the previous tick: appends one point to each series and drops
    // points older than the window. `nowMs` must not go backwards (a stale tick is ignored).
    void tick(qint64 nowMs);
    // Starts a fresh series for this transfer (empty id: none).
    void selectTransfer(const QString &id);
    void clear();

Q_SIGNALS:
    void updated();

private:
    struct Counter
    {
        TransferInfo::Direction direction = TransferInfo::Direction::Download;
        qint64 lastBytes = 0; // meteredBytes() at the latest update
        qint64 tickBytes = 0; // meteredBytes() at the previous tick
        bool final = false;
        qint64 baseBytes = 0; // meteredBytes() that never count: at first sight, or a restart's
        bool drawn = false; // a move of it was added to its direction's total: it is on the graph
        qint64 fedBytes = -1; // meteredBytes() last added to the direction's total; -1: none yet
        // The engine's clock (TransferInfo::elapsedMs) of the first and the latest reading, and
        // the tick time it maps to; -1 for a counter read without it (stamped at the ticks).
        qint64 firstReadingMs = -1;
        qint64 firstReadingBytes = 0;
        qint64 readingMs = -1;
        qint64 originMs = -1;
    };
    // What one direction's transfers moved in all, and its rate.
    struct DirectionTotal
    {
        qint64 bytes = 0;
        RateMeter meter;
    };
    void sample(Counter &c, qint64 nowMs);
    // Adds what the counter moved since it last fed, at `atMs`; a new or restarted counter's
    // reading is its baseline (a resumed download's earlier bytes do not count).
    void feed(Counter &c, qint64 atMs, qint64 bytes);
    [[nodiscard]] DirectionTotal &totalOf(TransferInfo::Direction direction);
    void dropOld(double nowS);

    std::chrono::milliseconds m_window;
    QHash<QString, Counter> m_counters;
    DirectionTotal m_up;
    DirectionTotal m_down;
    QList<Point> m_aggregate;
    QList<TransferPoint> m_selected;
    QString m_selectedId;
    TransferInfo m_selectedInfo;
    qint64 m_startMs = -1;
    qint64 m_lastTickMs = -1;
};

} // namespace Client
