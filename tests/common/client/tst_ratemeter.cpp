#include <client/ratemeter.h>

#include <QTest>

using Client::RateMeter;

// A transfer's rate from its byte counter, on a made-up clock.
class TestRateMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void steadyCounter()
    {
        RateMeter m;
        QCOMPARE(m.rate(0), 0.0);
        for (qint64 t = 0; t <= 2000; t += 250)
            m.add(t, t * 100); // 100 bytes per ms = 100,000 B/s
        QCOMPARE(m.rate(2000), 100000.0);
    }

    // 1 MiB chunks every 2.5 s (about 410 KiB/s): between two chunks the rate stays the
    // average, not 0 and not a burst.
    void chunkyCounterIsTheAverageBetweenMoves()
    {
        RateMeter m;
        const qint64 chunk = 1024 * 1024;
        qint64 bytes = 0;
        for (qint64 t = 0; t <= 10000; t += 250) {
            if (t > 0 && t % 2500 == 0)
                bytes += chunk;
            m.add(t, bytes);
            if (t >= 5000) {
                const double r = m.rate(t);
                QVERIFY2(r > 0.8 * chunk / 2.5 && r < 1.2 * chunk / 2.5,
                         qPrintable(QString::number(r)));
            }
        }
    }

    // 100 KB/s, but the first 200 ms arrive as 10 KB and then 30 KB at once (a receiver that
    // was not scheduled): no reading above the true rate.
    void earlyBacklogIsNoBurst()
    {
        RateMeter m;
        m.add(0, 0);
        m.add(100, 10'000);
        m.add(200, 40'000);
        QVERIFY2(m.rate(200) <= 100'000.0, qPrintable(QString::number(m.rate(200))));
        QCOMPARE(m.rate(200), 40'000.0); // over the first second, while it is younger
        for (qint64 t = 300; t <= 2000; t += 100)
            m.add(t, t * 100);
        QCOMPARE(m.rate(2000), 100'000.0);
    }

    void stallDrainsAndRestartClears()
    {
        RateMeter m;
        for (qint64 t = 0; t <= 1000; t += 100)
            m.add(t, t * 10);
        QCOMPARE(m.rate(1000), 10000.0);
        // Overdue: what moved within the last window, over the time since its start.
        QCOMPARE(m.rate(2000), 5000.0); // 10 000 bytes in two seconds
        QCOMPARE(m.rate(3500), 5000.0 / 3.0); // 5 000 bytes since t = 500, three seconds ago
        QCOMPARE(m.rate(4000), 0.0); // one window after the last move: stopped
        QCOMPARE(m.rate(11000), 0.0); // ten seconds without a byte
        m.add(11000, 0); // counter went back: a new run
        QCOMPARE(m.rate(11000), 0.0);
    }

    // Several counters feed one total: a new one's start only counts where the total has
    // nothing recent, and a move stamped before the latest sample counts at its time.
    void startOnlyWhereNothingIsRecent()
    {
        RateMeter m;
        m.start(0, 0);
        m.add(1000, 1000);
        m.start(1500, 1000); // recent moves: the span still begins at 0
        m.add(2000, 2000);
        QCOMPARE(m.rate(2000), 1000.0);
        m.add(1900, 3000); // stamped before the latest: counts at 2000
        QCOMPARE(m.rate(2000), 1500.0);
        m.start(9000, 3000); // a window and more without a move: the span begins here
        m.add(10000, 4000);
        QCOMPARE(m.rate(10000), 1000.0);
    }
};

QTEST_GUILESS_MAIN(TestRateMeter)
#include "tst_ratemeter.moc"
