#include <transfer/recovery/receiverrtt.h>

#include <QTest>

using namespace Transfer;
using namespace std::chrono_literals;

class TestReceiverRtt : public QObject
{
    Q_OBJECT

private slots:
    void noEstimateWithoutHandshake();
    void handshakeIsTheBase();
    void forwardQueueAddsToTheBase();
    void clockOffsetAndWrapDoNotMatter();
};

void TestReceiverRtt::noEstimateWithoutHandshake()
{
    ReceiverRtt rtt;
    rtt.onStampedArrival(1000, 5000);
    rtt.onStampedArrival(2000, 9000);
    QVERIFY(!rtt.hasEstimate());
    QCOMPARE(rtt.smoothedRtt(), Duration::zero());
    QCOMPARE(rtt.queueingDelay(), Duration(3ms));
    rtt.addHandshakeSample(-1ms);
    QVERIFY(!rtt.hasEstimate());
}

void TestReceiverRtt::handshakeIsTheBase()
{
    ReceiverRtt rtt;
    rtt.addHandshakeSample(30ms);
    rtt.addHandshakeSample(20ms);
    rtt.addHandshakeSample(25ms);
    QVERIFY(rtt.hasEstimate());
    QCOMPARE(rtt.minRtt(), Duration(20ms));
    // A steady stream (same one-way delay) keeps the estimate converging on the base.
    for (std::uint32_t i = 0; i < 200; ++i)
        rtt.onStampedArrival(i * 1000, 777 + i * 1000);
    QVERIFY(rtt.smoothedRtt() >= 20ms);
    QVERIFY(rtt.smoothedRtt() < 21ms);
}

void TestReceiverRtt::forwardQueueAddsToTheBase()
{
    ReceiverRtt rtt;
    rtt.addHandshakeSample(10ms);
    rtt.onStampedArrival(0, 100'000);
    // A queue grows to 40 ms: each packet arrives a little later relative to its stamp.
    std::uint32_t sent = 0;
    for (int i = 1; i <= 400; ++i) {
        sent += 1000;
        rtt.onStampedArrival(sent, 100'000 + sent + std::uint32_t(std::min(i, 40) * 1000));
    }
    QCOMPARE(rtt.queueingDelay(), Duration(40ms));
    QVERIFY(rtt.smoothedRtt() > 49ms);
    QVERIFY(rtt.smoothedRtt() <= 50ms);
    // The queue drains: back to the base.
    for (int i = 0; i < 400; ++i) {
        sent += 1000;
        rtt.onStampedArrival(sent, 100'000 + sent);
    }
    QCOMPARE(rtt.queueingDelay(), Duration::zero());
    QVERIFY(rtt.smoothedRtt() < 11ms);
}

void TestReceiverRtt::clockOffsetAndWrapDoNotMatter()
{
    ReceiverRtt rtt;
    rtt.addHandshakeSample(5ms);
    // The sender's clock wraps during the stream, ours is far from it.
    std::uint32_t sender = UINT32_MAX - 50'000;
    std::uint32_t local = 0x7FFF'0000u;
    for (int i = 0; i < 100; ++i) {
        rtt.onStampedArrival(sender, local);
        sender += 1000;
        local += 1000;
    }
    QCOMPARE(rtt.queueingDelay(), Duration::zero());
    rtt.onStampedArrival(sender, local + 2000); // 2 ms late
    QCOMPARE(rtt.queueingDelay(), Duration(2ms));
}

QTEST_GUILESS_MAIN(TestReceiverRtt)
#include "tst_receiverrtt.moc"
