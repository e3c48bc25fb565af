#include <client/reconnectbackoff.h>

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using Client::ReconnectBackoff;

// The waits between reconnection attempts: doubling up to a ceiling, for ever, and short again
// after a success.
class TestReconnectBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void doublesUpToTheLongestAndResets()
    {
        ReconnectBackoff b;
        b.setDelays(1s, 30s);
        QList<qint64> waits;
        for (int i = 0; i < 8; ++i) {
            b.schedule();
            waits << b.currentDelay().count();
        }
        QCOMPARE(waits, (QList<qint64> {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
        QVERIFY(b.isWaiting());
        QCOMPARE(b.secondsLeft(), 30);
        QCOMPARE(b.attempts(), 8);
        b.reset();
        QVERIFY(!b.isWaiting());
        QCOMPARE(b.secondsLeft(), 0);
        b.schedule();
        QCOMPARE(b.currentDelay(), 1000ms);
    }

    void countsDownAndFires()
    {
        ReconnectBackoff b;
        b.setDelays(50ms, 50ms);
        QSignalSpy countdown(&b, &ReconnectBackoff::countdown);
        QSignalSpy due(&b, &ReconnectBackoff::due);
        b.schedule();
        QCOMPARE(countdown.size(), 1);
        QCOMPARE(countdown.at(0).at(0).toInt(), 1);
        QVERIFY(due.wait(2000));
        QVERIFY(!b.isWaiting());
        b.schedule();
        b.cancel();
        QTest::qWait(150);
        QCOMPARE(due.size(), 1); // a cancelled wait does not fire
    }
};

QTEST_GUILESS_MAIN(TestReconnectBackoff)
#include "tst_reconnectbackoff.moc"
