#include <server-console/heaptrimmer.h>

#include <server-console/serverlogging.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Server {

namespace {
constexpr int kCheckMs = 250;
constexpr qint64 kTrimEveryMs = 5000;
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
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)
    // Free bytes count the pages a trim already handed back too (they stay free chunks of the
    // heap), so what matters is how much more became free since the last trim.
    const qint64 freeBytes = qint64(mallinfo2().fordblks);
    const bool burstFreed = freeBytes - m_freeAfterTrim >= kBurstFreeBytes;
#else
    const bool burstFreed = false;
#endif
    if (!burstFreed && m_sinceTrim.elapsed() < kTrimEveryMs)
        return;
    QElapsedTimer took;
    took.start();
    malloc_trim(0);
    m_sinceTrim.restart();
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)
    m_freeAfterTrim = qint64(mallinfo2().fordblks);
#endif
    qCDebug(lcServer) << "heap trimmed in" << took.nsecsElapsed() / 1000 << "us"
                      << (burstFreed ? "after a burst" : "");
#endif
}

} // namespace Server
