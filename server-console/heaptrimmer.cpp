#include <server-console/heaptrimmer.h>

#include <server-console/serverlogging.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdlib>

namespace Server {

namespace {
constexpr int kCheckMs = 100;
constexpr qint64 kTrimEveryMs = 5000;
constexpr qint64 kBurstTrimEveryMs = 250;
// Less than this moved between two checks is a quiet heap; this much since the last trim is
// a heap that changed.
constexpr qint64 kQuietBytes = 64 << 10;
constexpr qint64 kChangedBytes = 256 << 10;

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
HeapTrimmer::Usage heapUsage()
{
    const struct mallinfo2 info = mallinfo2();
    return {qint64(info.uordblks), qint64(info.fordblks)};
}
#else
HeapTrimmer::Usage heapUsage()
{
    return {};
}
#endif

qint64 distance(const HeapTrimmer::Usage &a, const HeapTrimmer::Usage &b)
{
    return std::abs(a.inUse - b.inUse) + std::abs(a.free - b.free);
}
} // namespace

HeapTrimmer::HeapTrimmer(QObject *parent)
    : QObject(parent)
{
#if defined(__GLIBC__)
    m_atTrim = m_lastCheck = heapUsage();
    m_lowestFree = m_atTrim.free;
    m_sinceTrim.start();
    connect(&m_timer, &QTimer::timeout, this, &HeapTrimmer::check);
    m_timer.start(kCheckMs);
#endif
}

void HeapTrimmer::check()
{
#if defined(__GLIBC__)
    const qint64 sinceTrim = m_sinceTrim.elapsed();
    const Usage now = heapUsage();
    m_lowestFree = std::min(m_lowestFree, now.free);
    // Free bytes cannot say which free pages are resident (a trimmed page stays a free chunk),
    // and a burst that allocates and frees between two checks leaves no trace in them. Two
    // signs of pages touched since the last trim: free bytes that rose from their lowest (that
    // much was in use, so resident, and is free again: trimmed while a long burst goes on),
    // and a heap that changed and has now gone quiet (the end of a burst: trimmed once).
    const bool freedAgain = now.free - m_lowestFree >= kBurstFreeBytes;
    const bool settled
            = distance(now, m_atTrim) >= kChangedBytes && distance(now, m_lastCheck) < kQuietBytes;
    m_lastCheck = now;
    const bool burst = (freedAgain || settled) && sinceTrim >= kBurstTrimEveryMs;
    if (!burst && sinceTrim < kTrimEveryMs)
        return;
    QElapsedTimer took;
    took.start();
    malloc_trim(0);
    m_sinceTrim.restart();
    m_atTrim = m_lastCheck = heapUsage();
    m_lowestFree = m_atTrim.free;
    ++m_trims;
    qCDebug(lcServer) << "heap trimmed in" << took.nsecsElapsed() / 1000 << "us"
                      << (freedAgain        ? "while a burst frees"
                                  : settled ? "after a burst"
                                            : "");
#endif
}

} // namespace Server
