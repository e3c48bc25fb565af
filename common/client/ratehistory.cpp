#include <client/ratehistory.h>

namespace Client {

RateHistory::RateHistory(std::chrono::milliseconds window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{ }

void RateHistory::update(const TransferInfo &info)
{
    if (info.id.isEmpty())
        return;
    auto it = m_counters.find(info.id);
    if (it == m_counters.end()) {
        // The first sight is the baseline: a resumed download does not count its earlier bytes.
        Counter fresh;
        fresh.direction = info.direction;
        fresh.lastBytes = fresh.tickBytes = fresh.baseBytes = info.meteredBytes();
        it = m_counters.insert(info.id, fresh);
    }
    // Counters only grow; a restart from zero (a fresh attempt) moves the baseline with it.
    const qint64 bytes = info.meteredBytes();
    if (bytes < it->lastBytes) {
        it->tickBytes = bytes;
        it->baseBytes = bytes;
    }
    // A fresh attempt is a new connection: its engine clock starts again, so its readings are
    // mapped onto the ticks from an origin of their own.
    if (info.elapsedMs > 0 && (bytes < it->lastBytes || info.elapsedMs < it->readingMs)) {
        it->firstReadingMs = -1;
        it->originMs = -1;
        it->fedBytes = -1;
    }
    it->lastBytes = bytes;
    if (info.elapsedMs > 0) {
        if (it->firstReadingMs < 0) {
            it->firstReadingMs = info.elapsedMs;
            it->firstReadingBytes = bytes;
        }
        it->readingMs = info.elapsedMs;
    }
    it->final = info.isFinal();
    if (info.id == m_selectedId)
        m_selectedInfo = info;
}

void RateHistory::tick(qint64 nowMs)
{
    if (m_startMs < 0) {
        m_startMs = nowMs;
        m_lastTickMs = nowMs;
        for (Counter &c : m_counters) {
            if (c.readingMs >= 0)
                sample(c, nowMs); // from the first reading on, not only the latest
            else
                feed(c, nowMs, c.lastBytes);
            c.tickBytes = c.lastBytes;
        }
        return;
    }
    if (nowMs <= m_lastTickMs)
        return;
    bool uploading = false;
    bool downloading = false;
    for (auto it = m_counters.begin(); it != m_counters.end();) {
        // A finished transfer moves nothing any more: it is forgotten without adding its last
        // reading. A download's last chunks are verified and counted at once at its end, and
        // counting them in the final interval drew a spike above a rate limit there. One whose
        // moves all fell in this last interval (a small file, after seconds of asking and
        // connecting at zero bytes) was never drawn: what it moved counts here (over the
        // meter's one-second floor), or it would leave no trace on the graph.
        if (it->final) {
            if (!it->drawn && it->lastBytes > it->baseBytes) {
                feed(*it, m_lastTickMs, it->baseBytes);
                feed(*it, nowMs, it->lastBytes);
                (it->direction == TransferInfo::Direction::Upload ? uploading : downloading) = true;
            }
            it = m_counters.erase(it);
            continue;
        }
        if (it->readingMs >= 0) {
            sample(*it, nowMs);
        } else if (it->tickBytes != it->lastBytes) {
            // Without the engine's clock a move is known to the tick: it started after the
            // previous one (the start counts where the direction had nothing recent).
            feed(*it, m_lastTickMs, it->tickBytes);
            feed(*it, nowMs, it->lastBytes);
        }
        (it->direction == TransferInfo::Direction::Upload ? uploading : downloading) = true;
        it->tickBytes = it->lastBytes;
        ++it;
    }
    // A direction with no transfer left reads zero at once (the last one finished).
    if (!uploading)
        m_up.meter.clear();
    if (!downloading)
        m_down.meter.clear();
    const double up = m_up.meter.rate(nowMs);
    const double down = m_down.meter.rate(nowMs);
    m_lastTickMs = nowMs;
    const double nowS = double(nowMs - m_startMs) / 1000.0;
    m_aggregate.append({nowS, up, down});
    if (!m_selectedId.isEmpty()) {
        const bool active = m_selectedInfo.state == TransferInfo::State::Transferring;
        m_selected.append({nowS, active ? m_selectedInfo.rateBytesPerSecond : 0.0,
                           m_selectedInfo.rttMs, active ? m_selectedInfo.congestionRate : 0.0});
    }
    dropOld(nowS);
    Q_EMIT updated();
}

void RateHistory::sample(Counter &c, qint64 nowMs)
{
    // A reading is stamped with the engine's clock, mapped onto the ticks once: a stats report
    // that reached this thread late, or a tick that fell just before or after one, would
    // otherwise read as a dip and then a burst (up to 8 % over a 3 s window at 4 Hz).
    if (c.originMs < 0) {
        c.originMs = nowMs - c.readingMs;
        feed(c, c.originMs + c.firstReadingMs, c.firstReadingBytes);
    }
    feed(c, c.originMs + c.readingMs, c.lastBytes);
}

void RateHistory::feed(Counter &c, qint64 atMs, qint64 bytes)
{
    DirectionTotal &total = totalOf(c.direction);
    if (c.fedBytes < 0 || bytes <= c.fedBytes) { // new, restarted from zero, or no move
        c.fedBytes = bytes;
        total.meter.start(atMs, total.bytes);
        return;
    }
    total.bytes += bytes - c.fedBytes;
    c.fedBytes = bytes;
    c.drawn = true;
    total.meter.add(atMs, total.bytes);
}

RateHistory::DirectionTotal &RateHistory::totalOf(TransferInfo::Direction direction)
{
    return direction == TransferInfo::Direction::Upload ? m_up : m_down;
}

void RateHistory::dropOld(double nowS)
{
    const double oldest = nowS - double(m_window.count()) / 1000.0;
    qsizetype n = 0;
    while (n < m_aggregate.size() && m_aggregate.at(n).timeS < oldest)
        ++n;
    m_aggregate.remove(0, n);
    n = 0;
    while (n < m_selected.size() && m_selected.at(n).timeS < oldest)
        ++n;
    m_selected.remove(0, n);
}

RateHistory::Point RateHistory::average(double seconds) const
{
    Point avg;
    if (m_aggregate.isEmpty())
        return avg;
    const double from = m_aggregate.constLast().timeS - seconds;
    int n = 0;
    for (auto it = m_aggregate.crbegin(); it != m_aggregate.crend() && it->timeS > from; ++it) {
        avg.up += it->up;
        avg.down += it->down;
        ++n;
    }
    if (n > 0) {
        avg.up /= n;
        avg.down /= n;
    }
    avg.timeS = m_aggregate.constLast().timeS;
    return avg;
}

void RateHistory::selectTransfer(const QString &id)
{
    if (id == m_selectedId)
        return;
    m_selectedId = id;
    m_selected.clear();
    m_selectedInfo = {};
    m_selectedInfo.id = id;
    Q_EMIT updated();
}

void RateHistory::clear()
{
    m_counters.clear();
    m_up = DirectionTotal();
    m_down = DirectionTotal();
    m_aggregate.clear();
    m_selected.clear();
    m_startMs = -1;
    m_lastTickMs = -1;
    Q_EMIT updated();
}

} // namespace Client
