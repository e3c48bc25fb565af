#include <transfer/congestion/deliveryrate.h>

#include <QTest>

#include <vector>

using namespace Transfer;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 {std::chrono::seconds(100)};
constexpr std::uint32_t kSize = 1200;

struct Sent
{
    DeliverySnapshot snapshot;
    TimePoint at;
};

} // namespace

class TestDeliveryRate : public QObject
{
    Q_OBJECT

private slots:
    void steadyFlow();
    void noAckNoSample();
    void shorterThanMinRttIsInvalid();
    void appLimitedMarking();
    void idleRestart();
};

void TestDeliveryRate::steadyFlow()
{
    // One packet per ms, each acknowledged 10 ms after it was sent: 1.2 MB/s.
    DeliveryRateEstimator rate;
    std::vector<Sent> sent;
    std::uint64_t inFlight = 0;
    RateSample last;
    for (int ms = 0; ms < 40; ++ms) {
        const TimePoint now = t0 + 1ms * ms;
        if (ms >= 10) {
            const Sent &p = sent[static_cast<std::size_t>(ms - 10)];
            rate.onPacketAcked(p.snapshot, p.at, kSize, now);
            inFlight -= kSize;
            last = rate.takeSample(5ms);
        }
        sent.push_back({rate.onPacketSent(now, inFlight), now});
        inFlight += kSize;
    }
    QVERIFY(last.valid);
    QVERIFY(!last.appLimited);
    QCOMPARE(last.interval, Duration(10ms));
    QCOMPARE(last.deliveredBytes, std::uint64_t(10 * kSize));
    QCOMPARE(last.bytesPerSecond, std::uint64_t(1'200'000));
    QCOMPARE(last.totalDelivered, std::uint64_t(30 * kSize));
    QCOMPARE(rate.delivered(), std::uint64_t(30 * kSize));
}

void TestDeliveryRate::noAckNoSample()
{
    DeliveryRateEstimator rate;
    (void)rate.onPacketSent(t0, 0);
    const RateSample sample = rate.takeSample(1ms);
    QVERIFY(!sample.valid);
    QCOMPARE(sample.totalDelivered, std::uint64_t(0));
}

void TestDeliveryRate::shorterThanMinRttIsInvalid()
{
    DeliveryRateEstimator rate;
    const DeliverySnapshot s = rate.onPacketSent(t0, 0);
    rate.onPacketAcked(s, t0, kSize, t0 + 4ms);
    const RateSample sample = rate.takeSample(5ms);
    QVERIFY(!sample.valid);
    QCOMPARE(sample.deliveredBytes, std::uint64_t(kSize)); // still counted for rounds
    QCOMPARE(sample.priorDelivered, std::uint64_t(0));
}

void TestDeliveryRate::appLimitedMarking()
{
    DeliveryRateEstimator rate;
    const DeliverySnapshot a = rate.onPacketSent(t0, 0);
    QVERIFY(!a.appLimited);
    // Nothing more to send with one packet in flight.
    rate.onAppLimited(kSize);
    QVERIFY(rate.isAppLimited());
    const DeliverySnapshot b = rate.onPacketSent(t0 + 1ms, kSize);
    QVERIFY(b.appLimited);
    rate.onPacketAcked(a, t0, kSize, t0 + 20ms);
    QVERIFY(!rate.takeSample(1ms).appLimited);
    QVERIFY(rate.isAppLimited()); // delivered has not passed the mark yet
    rate.onPacketAcked(b, t0 + 1ms, kSize, t0 + 21ms);
    const RateSample sample = rate.takeSample(1ms);
    QVERIFY(sample.appLimited);
    QVERIFY(!rate.isAppLimited()); // the app-limited flight is delivered
    QVERIFY(!rate.onPacketSent(t0 + 22ms, 0).appLimited);
}

void TestDeliveryRate::idleRestart()
{
    // After an idle second the first sample must measure the new flight, not the idle time.
    DeliveryRateEstimator rate;
    const DeliverySnapshot a = rate.onPacketSent(t0, 0);
    rate.onPacketAcked(a, t0, kSize, t0 + 10ms);
    (void)rate.takeSample(1ms);
    const TimePoint later = t0 + 1s;
    const DeliverySnapshot b = rate.onPacketSent(later, 0);
    const DeliverySnapshot c = rate.onPacketSent(later + 1ms, kSize);
    QCOMPARE(b.deliveredTime, later);
    rate.onPacketAcked(b, later, kSize, later + 10ms);
    rate.onPacketAcked(c, later + 1ms, kSize, later + 11ms);
    const RateSample sample = rate.takeSample(1ms);
    QVERIFY(sample.valid);
    // Both packets over max(send 1 ms, ack 11 ms) = 11 ms.
    QCOMPARE(sample.deliveredBytes, std::uint64_t(2 * kSize));
    QCOMPARE(sample.interval, Duration(11ms));
}

QTEST_GUILESS_MAIN(TestDeliveryRate)
#include "tst_deliveryrate.moc"
