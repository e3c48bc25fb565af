#include <server-console/heaptrimmer.h>

#include <server-console/serverlogging.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>

namespace Server {

namespace {
constexpr int kCheckMs = 100;
constexpr qint64 kTrimEveryMs = 5000;
constexpr qint64 kBurstTrimEveryMs = 250;
} // namespace

HeapTrimmer::HeapTrimmer(QObject *parent)
    : QObject(parent)
{
#if defined(__GLIBC__)
    m_sinceTrim.start();
    connect(&m_timer, &QTimer::timeout, this, &HeapTrimmer::check);
    m_timer.start(kCheckMs);
#endif
}

void HeapTrimmer::check()
{
#if defined(__GLIBC__)
    const qint64 sinceTrim = m_sinceTrim.elapsed();
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)
    // Free bytes say nothing of which free pages are resident (a trimmed page stays a free
    // chunk), but free bytes that rose from their lowest since the last trim were in use, and
    // so resident, in between: that much has been freed again, and it is handed back.
    const qint64 free = qint64(mallinfo2().fordblks);
    m_lowestFree = std::min(m_lowestFree, free);
    const bool burstFreed
            = free - m_lowestFree >= kBurstFreeBytes && sinceTrim >= kBurstTrimEveryMs;
#else
    const qint64 free = 0;
    const bool burstFreed = false;
#endif
    if (!burstFreed && sinceTrim < kTrimEveryMs)
        return;
    QElapsedTimer took;
    took.start();
    malloc_trim(0);
    m_sinceTrim.restart();
    m_lowestFree = free;
    ++m_trims;
    qCDebug(lcServer) << "heap trimmed in" << took.nsecsElapsed() / 1000 << "us"
                      << (burstFreed ? "after a burst" : "");
#endif
}

} // namespace Server
