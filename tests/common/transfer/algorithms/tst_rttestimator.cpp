#include <transfer/recovery/rttestimator.h>

#include <QTest>

using namespace Transfer;
using namespace std::chrono_literals;

class TestRttEstimator : public QObject
{
    Q_OBJECT

private slots:
    void defaultsBeforeSample();
    void firstSample();
    void smoothing_data();
    void smoothing();
    void ackDelayAdjustment_data();
    void ackDelayAdjustment();
    void minRttTracksMinimum();
    void ignoresNonPositiveSamples();
    void probeTimeout_data();
    void probeTimeout();
    void probeTimeoutBackoffCapped();
    void retransmissionTimeoutFloor();
    void resetKeepsMaxAckDelay();
};

void TestRttEstimator::defaultsBeforeSample()
{
    RttEstimator rtt;
    QVERIFY(!rtt.hasSample());
    QCOMPARE(rtt.smoothedRtt(), Duration(333ms));
    QCOMPARE(rtt.rttVariation(), Duration(333ms) / 2);
    // 333 + 4 * 166.5 = 999 ms
    QCOMPARE(rtt.probeTimeout(), Duration(999ms));
}

void TestRttEstimator::firstSample()
{
    RttEstimator rtt;
    rtt.setMaxAckDelay(5ms);
    rtt.addSample(40ms, 4ms); // the first sample ignores ack delay (RFC 9002 5.3)
    QVERIFY(rtt.hasSample());
    QCOMPARE(rtt.latestRtt(), Duration(40ms));
    QCOMPARE(rtt.minRtt(), Duration(40ms));
    QCOMPARE(rtt.smoothedRtt(), Duration(40ms));
    QCOMPARE(rtt.rttVariation(), Duration(20ms));
}

void TestRttEstimator::smoothing_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("second");
    QTest::addColumn<qint64>("srttUs");
    QTest::addColumn<qint64>("rttvarUs");
    // srtt = 7/8 srtt + 1/8 s; rttvar = 3/4 rttvar + 1/4 |srtt - s|
    QTest::newRow("same") << 100 << 100 << qint64(100'000) << qint64(37'500);
    QTest::newRow("higher") << 100 << 180 << qint64(110'000) << qint64(57'500);
    QTest::newRow("lower") << 100 << 60 << qint64(95'000) << qint64(47'500);
}

void TestRttEstimator::smoothing()
{
    QFETCH(int, first);
    QFETCH(int, second);
    QFETCH(qint64, srttUs);
    QFETCH(qint64, rttvarUs);
    RttEstimator rtt;
    rtt.addSample(std::chrono::milliseconds(first), 0ms);
    rtt.addSample(std::chrono::milliseconds(second), 0ms);
    QCOMPARE(std::chrono::duration_cast<std::chrono::microseconds>(rtt.smoothedRtt()).count(),
             srttUs);
    QCOMPARE(std::chrono::duration_cast<std::chrono::microseconds>(rtt.rttVariation()).count(),
             rttvarUs);
    QCOMPARE(rtt.latestRtt(), Duration(std::chrono::milliseconds(second)));
}

void TestRttEstimator::ackDelayAdjustment_data()
{
    QTest::addColumn<int>("maxAckDelayMs");
    QTest::addColumn<int>("sampleMs");
    QTest::addColumn<int>("ackDelayMs");
    QTest::addColumn<int>("adjustedMs");
    // min_rtt is 50 ms (first sample) in every row.
    QTest::newRow("subtracted") << 25 << 80 << 20 << 60;
    QTest::newRow("clamped to max_ack_delay") << 5 << 80 << 20 << 75;
    QTest::newRow("would go below min_rtt") << 25 << 60 << 20 << 60;
    QTest::newRow("no delay") << 25 << 70 << 0 << 70;
}

void TestRttEstimator::ackDelayAdjustment()
{
    QFETCH(int, maxAckDelayMs);
    QFETCH(int, sampleMs);
    QFETCH(int, ackDelayMs);
    QFETCH(int, adjustedMs);
    RttEstimator rtt;
    rtt.setMaxAckDelay(std::chrono::milliseconds(maxAckDelayMs));
    rtt.addSample(50ms, 0ms);
    rtt.addSample(std::chrono::milliseconds(sampleMs), std::chrono::milliseconds(ackDelayMs));
    // srtt = (7 * 50 + adjusted) / 8
    const Duration expected = (7 * Duration(50ms) + std::chrono::milliseconds(adjustedMs)) / 8;
    QCOMPARE(rtt.smoothedRtt(), expected);
    QCOMPARE(rtt.latestRtt(), Duration(std::chrono::milliseconds(sampleMs)));
}

void TestRttEstimator::minRttTracksMinimum()
{
    RttEstimator rtt;
    rtt.addSample(30ms, 0ms);
    rtt.addSample(25ms, 0ms);
    rtt.addSample(90ms, 0ms);
    QCOMPARE(rtt.minRtt(), Duration(25ms));
    QCOMPARE(rtt.latestRtt(), Duration(90ms));
}

void TestRttEstimator::ignoresNonPositiveSamples()
{
    RttEstimator rtt;
    rtt.addSample(0ms, 0ms);
    rtt.addSample(-5ms, 0ms);
    QVERIFY(!rtt.hasSample());
    rtt.addSample(10ms, 0ms);
    rtt.addSample(-1ms, 0ms);
    QCOMPARE(rtt.smoothedRtt(), Duration(10ms));
}

void TestRttEstimator::probeTimeout_data()
{
    QTest::addColumn<int>("sampleUs");
    QTest::addColumn<int>("maxAckDelayUs");
    QTest::addColumn<unsigned>("backoff");
    QTest::addColumn<qint64>("ptoUs");
    // One sample s: srtt = s, rttvar = s/2, PTO = s + max(2s, 1 ms) + max_ack_delay.
    QTest::newRow("40ms") << 40'000 << 0 << 0u << qint64(120'000);
    QTest::newRow("40ms with ack delay") << 40'000 << 5'000 << 0u << qint64(125'000);
    QTest::newRow("backoff 1") << 40'000 << 0 << 1u << qint64(240'000);
    QTest::newRow("backoff 3") << 40'000 << 0 << 3u << qint64(960'000);
    QTest::newRow("floor 10 ms") << 200 << 0 << 0u << qint64(10'000);
    QTest::newRow("granularity") << 2'000 << 0 << 0u << qint64(10'000);
    QTest::newRow("floor then backoff") << 200 << 0 << 2u << qint64(40'000);
}

void TestRttEstimator::probeTimeout()
{
    QFETCH(int, sampleUs);
    QFETCH(int, maxAckDelayUs);
    QFETCH(unsigned, backoff);
    QFETCH(qint64, ptoUs);
    RttEstimator rtt;
    rtt.setMaxAckDelay(std::chrono::microseconds(maxAckDelayUs));
    rtt.addSample(std::chrono::microseconds(sampleUs), 0ms);
    QCOMPARE(std::chrono::duration_cast<std::chrono::microseconds>(rtt.probeTimeout(backoff))
                     .count(),
             ptoUs);
}

void TestRttEstimator::probeTimeoutBackoffCapped()
{
    RttEstimator rtt;
    rtt.addSample(2s, 0ms);
    QCOMPARE(rtt.probeTimeout(5), RttEstimator::kMaximumTimeout);
    QCOMPARE(rtt.probeTimeout(1000), RttEstimator::kMaximumTimeout);
}

void TestRttEstimator::retransmissionTimeoutFloor()
{
    RttEstimator rtt;
    rtt.addSample(10ms, 0ms);
    QCOMPARE(rtt.retransmissionTimeout(), Duration(200ms));
    QCOMPARE(rtt.retransmissionTimeout(1), Duration(400ms));
    QCOMPARE(rtt.retransmissionTimeout(0, 1ms), Duration(30ms)); // 10 + 4 * 5
}

void TestRttEstimator::resetKeepsMaxAckDelay()
{
    RttEstimator rtt;
    rtt.setMaxAckDelay(7ms);
    rtt.addSample(10ms, 0ms);
    rtt.reset();
    QVERIFY(!rtt.hasSample());
    QCOMPARE(rtt.smoothedRtt(), RttEstimator::kInitialRtt);
    QCOMPARE(rtt.maxAckDelay(), Duration(7ms));
}

QTEST_GUILESS_MAIN(TestRttEstimator)
#include "tst_rttestimator.moc"
