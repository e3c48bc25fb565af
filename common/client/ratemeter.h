#pragma once

#include <QList>

namespace Client {

// The rate of one transfer from its byte counter. A downloader's counter moves in whole
// verified chunks (1 MiB), an uploader's in acknowledged packets, so the rate is taken between
// the moments the counter moved, over the last `window` (and at least the last two moves):
// the exact average between two chunks, not a saw-tooth between 0 and the chunk size. Once the
// next move is overdue, the time since then counts too, so a stall drains the figure to zero.
// The span is one second at least, so that a backlog taken at once early on is no burst.
// The clock is the caller's (ms), which keeps it testable.
class RateMeter
{
public:
    explicit RateMeter(qint64 windowMs = 3000)
        : m_windowMs(windowMs)
    { }

    // `bytes` is the running total; a total that goes down (a restart) starts over. A time
    // before the latest sample's counts as that sample's (several counters feed one total).
    void add(qint64 nowMs, qint64 bytes);
    // Where the meter has nothing to measure from (empty, or its last move a window old), the
    // span of the next move starts here; otherwise nothing changes.
    void start(qint64 nowMs, qint64 bytes);
    void clear() { m_moves.clear(); }
    [[nodiscard]] bool isEmpty() const { return m_moves.isEmpty(); }
    // Bytes per second at `nowMs`; 0 until the counter moved twice.
    [[nodiscard]] double rate(qint64 nowMs) const;

private:
    static constexpr qint64 kMinSpanMs = 1000;

    struct Sample
    {
        qint64 timeMs;
        qint64 bytes;
    };
    QList<Sample> m_moves; // the first sample, then one per change of the counter
    qint64 m_windowMs;
};

} // namespace Client
