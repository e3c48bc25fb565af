#include <client/ratemeter.h>

#include <algorithm>

namespace Client {

void RateMeter::add(qint64 nowMs, qint64 bytes)
{
    if (!m_moves.isEmpty() && bytes < m_moves.constLast().bytes)
        m_moves.clear();
    if (!m_moves.isEmpty() && bytes == m_moves.constLast().bytes)
        return; // no move
    if (!m_moves.isEmpty())
        nowMs = std::max(nowMs, m_moves.constLast().timeMs);
    m_moves.append({nowMs, bytes});
    while (m_moves.size() > 2 && m_moves.at(1).timeMs <= nowMs - m_windowMs)
        m_moves.removeFirst();
}

void RateMeter::start(qint64 nowMs, qint64 bytes)
{
    if (!m_moves.isEmpty() && nowMs - m_moves.constLast().timeMs < m_windowMs
        && bytes >= m_moves.constLast().bytes)
        return;
    m_moves.clear();
    m_moves.append({nowMs, bytes});
}

double RateMeter::rate(qint64 nowMs) const
{
    if (m_moves.size() < 2)
        return 0;
    Sample first = m_moves.constFirst();
    const Sample &last = m_moves.constLast();
    qint64 span = last.timeMs - first.timeMs;
    // The longest time between moves so far: with several transfers feeding one total, moves
    // come in bunches (each reports on its own rhythm), and the average gap would call the
    // next move overdue within one rhythm.
    qint64 gap = 0;
    for (qsizetype i = 1; i < m_moves.size(); ++i)
        gap = std::max(gap, m_moves.at(i).timeMs - m_moves.at(i - 1).timeMs);
    if (nowMs - last.timeMs > gap + gap / 2) {
        // Overdue: the wait since the last move counts, and only what moved within the window
        // (no move prunes the older samples): a counter that stopped reads zero one window
        // after its last move. Bytes over the whole time since the first sample drained as
        // 1/t, still a tenth of the rate ten seconds into a stall, and a dead attempt's bytes
        // were added to its successor's rate above an upload cap.
        for (const Sample &s : m_moves) {
            if (s.timeMs > nowMs - m_windowMs)
                break;
            first = s;
        }
        span = nowMs - first.timeMs;
    }
    if (span <= 0 || last.bytes == first.bytes)
        return 0;
    // A young meter's few moves are a fraction of a second apart, and a receiver that was not
    // scheduled for a moment takes a backlog at once: over 200 ms that read as 10 % above a
    // sender's rate limit. The rate is over one second at least (it ramps up over the first).
    span = std::max(span, std::min<qint64>(kMinSpanMs, m_windowMs));
    return double(last.bytes - first.bytes) * 1000.0 / double(span);
}

} // namespace Client
