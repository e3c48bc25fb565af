#include <server-console/heaptrimmer.h>

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

qint64 residentKiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

// A burst of small buffers (below the mmap threshold, so from the heap) that the caller frees,
// with one in every 64 kept, as a server keeps its long-lived objects among a burst's buffers:
// glibc then cannot hand the freed pages back by itself (it only shrinks the heap from its top).
struct Burst
{
    std::vector<void *> freed, kept;
    explicit Burst(qsizetype bytes)
    {
        freed.reserve(size_t(bytes / 1024));
        for (qsizetype i = 0; i < bytes / 1024; ++i) {
            void *p = std::malloc(1024);
            std::memset(p, 0x5a, 1024); // resident
            (i % 64 == 63 ? kept : freed).push_back(p);
        }
    }
    void release()
    {
        for (void *p : freed)
            std::free(p);
        freed.clear();
    }
    ~Burst()
    {
        release();
        for (void *p : kept)
            std::free(p);
    }
};

} // namespace

class TestHeapTrimmer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
#if !defined(__GLIBC__)
        QSKIP("the trimmer works on glibc's heap only");
#endif
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer's allocator is not glibc's heap");
#endif
        QVERIFY2(residentKiB() > 0, "no /proc/self/statm");
    }

    void aBurstGoesBackAndAQuietHeapIsLeftAlone()
    {
        constexpr qint64 kBurst = qint64(32) << 20;
        Server::HeapTrimmer trimmer;
        Burst burst(kBurst);
        const qint64 busy = residentKiB();
        burst.release();
        // glibc keeps the pages: without the trimmer this stays near `busy`
        QVERIFY2(residentKiB() > busy - 8 * 1024, "the heap shrank by itself; nothing to test");
        QTRY_VERIFY_WITH_TIMEOUT(residentKiB() < busy - 16 * 1024, 3000);

        // Nothing freed since: the heap is not walked again at the burst pace.
        const int trims = trimmer.trims();
        QTest::qWait(1200);
        QCOMPARE(trimmer.trims(), trims);

        // The same free chunks in use again (resident again) for a while, then freed: back
        // again. (A burst shorter than a check's interval is left to the five-second trim.)
        Burst again(kBurst);
        QTest::qWait(300);
        const qint64 busyAgain = residentKiB();
        again.release();
        QTRY_VERIFY_WITH_TIMEOUT(residentKiB() < busyAgain - 16 * 1024, 3000);

        // Churn between two checks: the free chunks touched again and freed before the next
        // look at the heap; only what stays in use (1 in 64) tells the heap changed. Back once
        // the heap is quiet, well before the five-second trim.
        QTest::qWait(300);
        const int beforeChurn = trimmer.trims();
        QElapsedTimer sinceChurn;
        sinceChurn.start();
        Burst churn(kBurst);
        const qint64 busyChurn = residentKiB();
        churn.release();
        QTRY_VERIFY_WITH_TIMEOUT(residentKiB() < busyChurn - 16 * 1024, 3000);
        QVERIFY(trimmer.trims() > beforeChurn);
        QVERIFY2(sinceChurn.elapsed() < 2000, "left to the five-second trim");
    }
};

QTEST_GUILESS_MAIN(TestHeapTrimmer)
#include "tst_heaptrimmer.moc"
