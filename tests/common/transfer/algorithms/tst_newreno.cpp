#include <transfer/congestion/newrenocontroller.h>

#include <tests/common/transfer/algorithms/pathsimulator.h>

#include <QTest>

using namespace Transfer;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 {std::chrono::seconds(100)};
constexpr std::uint64_t kSize = 1200;

AckEvent acked(TimePoint now, std::uint64_t bytes, TimePoint sentTime)
{
    AckEvent event;
    event.now = now;
    event.ackedBytes = bytes;
    event.ackedPackets = static_cast<std::uint32_t>(bytes / kSize);
    event.largestAckedSentTime = sentTime;
    event.rttUpdated = true;
    return event;
}

LossEvent lost(TimePoint now, TimePoint sentTime)
{
    LossEvent event;
    event.now = now;
    event.lostBytes = kSize;
    event.lostPackets = 1;
    event.largestLostSentTime = sentTime;
    return event;
}

} // namespace

class TestNewReno : public QObject
{
    Q_OBJECT

private slots:
    void initialWindow();
    void slowStartGrowsByAckedBytes();
    void halvesOncePerRecoveryPeriod();
    void recoveryEndsWithNewerAck();
    void congestionAvoidanceOnePacketPerWindow();
    void persistentCongestionToMinimum();
    void pacingFollowsWindow();
    void factoryAndNames();
    void randomLossCollapsesThroughput();
};

void TestNewReno::initialWindow()
{
    RttEstimator rtt;
    NewRenoController reno(rtt);
    QCOMPARE(reno.congestionWindow(), 10 * kSize);
    QVERIFY(reno.canSend(9 * kSize));
    QVERIFY(!reno.canSend(10 * kSize));
    QCOMPARE(reno.stateName(), QLatin1StringView("slow_start"));
}

void TestNewReno::slowStartGrowsByAckedBytes()
{
    RttEstimator rtt;
    NewRenoController reno(rtt);
    reno.onPacketsAcked(acked(t0 + 20ms, 10 * kSize, t0));
    QCOMPARE(reno.congestionWindow(), 20 * kSize);
    reno.onPacketsAcked(acked(t0 + 40ms, 20 * kSize, t0 + 20ms));
    QCOMPARE(reno.congestionWindow(), 40 * kSize);
}

void TestNewReno::halvesOncePerRecoveryPeriod()
{
    RttEstimator rtt;
    NewRenoController reno(rtt);
    reno.onPacketsAcked(acked(t0 + 20ms, 30 * kSize, t0)); // 40 packets
    reno.onPacketsLost(lost(t0 + 30ms, t0 + 10ms));
    QCOMPARE(reno.congestionWindow(), 20 * kSize);
    QCOMPARE(reno.slowStartThreshold(), 20 * kSize);
    QVERIFY(reno.inRecovery());
    QCOMPARE(reno.stateName(), QLatin1StringView("recovery"));
    // More losses of packets sent before recovery began: same congestion event.
    reno.onPacketsLost(lost(t0 + 31ms, t0 + 12ms));
    reno.onPacketsLost(lost(t0 + 32ms, t0 + 30ms));
    QCOMPARE(reno.congestionWindow(), 20 * kSize);
    // ACKs of such packets do not grow the window either.
    reno.onPacketsAcked(acked(t0 + 33ms, 5 * kSize, t0 + 15ms));
    QCOMPARE(reno.congestionWindow(), 20 * kSize);
    // A loss of a packet sent after recovery began is a new event.
    reno.onPacketsLost(lost(t0 + 60ms, t0 + 31ms));
    QCOMPARE(reno.congestionWindow(), 10 * kSize);
}

void TestNewReno::recoveryEndsWithNewerAck()
{
    RttEstimator rtt;
    NewRenoController reno(rtt);
    reno.onPacketsLost(lost(t0 + 30ms, t0 + 10ms));
    QCOMPARE(reno.congestionWindow(), 5 * kSize);
    reno.onPacketsAcked(acked(t0 + 60ms, kSize, t0 + 40ms));
    QVERIFY(!reno.inRecovery());
    QCOMPARE(reno.stateName(), QLatin1StringView("congestion_avoidance"));
}

void TestNewReno::congestionAvoidanceOnePacketPerWindow()
{
    RttEstimator rtt;
    NewRenoController reno(rtt);
    reno.onPacketsAcked(acked(t0 + 20ms, 10 * kSize, t0)); // 20 packets
    reno.onPacketsLost(lost(t0 + 30ms, t0 + 10ms)); // 10 packets, ssthresh 10
    const std::uint64_t window = reno.congestionWindow();
    QCOMPARE(window, 10 * kSize);
    // One window of ACKs (after recovery) adds one packet; half a window adds nothing.
    reno.onPacketsAcked(acked(t0 + 50ms, 5 * kSize, t0 + 40ms));
    QCOMPARE(reno.congestionWindow(), window);
    reno.onPacketsAcked(acked(t0 + 51ms, 5 * kSize, t0 + 41ms));
    QCOMPARE(reno.congestionWindow(), window + kSize);
}

void TestNewReno::persistentCongestionToMinimum()
{
    RttEstimator rtt;
    NewRenoController reno(rtt);
    reno.onPacketsAcked(acked(t0 + 20ms, 50 * kSize, t0));
    reno.onPersistentCongestion(t0 + 1s);
    QCOMPARE(reno.congestionWindow(), 2 * kSize);
}

void TestNewReno::pacingFollowsWindow()
{
    RttEstimator rtt;
    rtt.addSample(100ms, 0ms);
    NewRenoController reno(rtt);
    // 1.25 * 12000 B / 0.1 s
    QCOMPARE(reno.pacingRate(), std::uint64_t(150'000));
}

void TestNewReno::factoryAndNames()
{
    RttEstimator rtt;
    auto reno = makeCongestionController(CongestionAlgorithm::NewReno, rtt);
    QCOMPARE(reno->name(), QLatin1StringView("newreno"));
    QCOMPARE(congestionAlgorithmFromName(u"NewReno"), CongestionAlgorithm::NewReno);
    QCOMPARE(congestionAlgorithmFromName(u"bbr"), CongestionAlgorithm::Bbr);
    QCOMPARE(congestionAlgorithmFromName(u"fixed"), CongestionAlgorithm::FixedWindow);
    QVERIFY(!congestionAlgorithmFromName(u"cubic").has_value());
    QVERIFY(!congestionAlgorithmFromName(u"").has_value());
    auto fixed = makeCongestionController(CongestionAlgorithm::FixedWindow, rtt);
    QCOMPARE(fixed->congestionWindow(), 64 * kSize);
}

void TestNewReno::randomLossCollapsesThroughput()
{
    // The reason for BBR-lite: on the same simulated path with 2 % random loss, the TCP-like
    // reference delivers far less than the loss-tolerant controller.
    TestSupport::PathConfig config;
    config.randomLoss = 0.02;
    config.algorithm = CongestionAlgorithm::NewReno;
    TestSupport::PathSimulator reno(config);
    const auto renoResult = reno.run(10s);
    config.algorithm = CongestionAlgorithm::Bbr;
    TestSupport::PathSimulator bbr(config);
    const auto bbrResult = bbr.run(10s);
    const double link = static_cast<double>(config.bottleneckBytesPerSecond);
    const double renoShare = renoResult.goodputBytesPerSecond(10s) / link;
    const double bbrShare = bbrResult.goodputBytesPerSecond(10s) / link;
    qInfo("simulated goodput share at 2%% loss: newreno %.2f, bbr %.2f", renoShare, bbrShare);
    QVERIFY(renoResult.packetsLost > 0);
    QVERIFY(renoShare < 0.6);
    QVERIFY(bbrShare > 2 * renoShare);
}

QTEST_GUILESS_MAIN(TestNewReno)
#include "tst_newreno.moc"
