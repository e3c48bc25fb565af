#include <server-console/heaptrimmer.h>

#include <server-console/serverlogging.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Server {

namespace {
constexpr int kCheckMs = 250;
constexpr qint64 kTrimEveryMs = 5000;
constexpr qint64 kBurstTrimEveryMs = 500;
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
    // Free bytes say nothing of which free pages are resident again (a trim hands pages back
    // but they stay free chunks, reused and touched by the next burst), so a heap with much
    // free is trimmed at most twice a second.
    const bool burstFreed
            = qint64(mallinfo2().fordblks) >= kBurstFreeBytes && sinceTrim >= kBurstTrimEveryMs;
#else
    const bool burstFreed = false;
#endif
    if (!burstFreed && sinceTrim < kTrimEveryMs)
        return;
    QElapsedTimer took;
    took.start();
    malloc_trim(0);
    m_sinceTrim.restart();
    qCDebug(lcServer) << "heap trimmed in" << took.nsecsElapsed() / 1000 << "us"
                      << (burstFreed ? "after a burst" : "");
#endif
}

} // namespace Server
