#include <transfer/recovery/lossdetector.h>

#include <QTest>

#include <random>
#include <vector>

using namespace Transfer;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 {std::chrono::seconds(100)};
constexpr std::uint32_t kSize = 1200;

SentPacket packet(PacketNumber pn, TimePoint sent, bool ackEliciting = true)
{
    SentPacket p;
    p.pn = pn;
    p.sentTime = sent;
    p.tag = 1000 + pn;
    p.bytes = kSize;
    p.ackEliciting = ackEliciting;
    return p;
}

std::vector<PacketNumber> numbers(std::span<const SentPacket> packets)
{
    std::vector<PacketNumber> out;
    for (const SentPacket &p : packets)
        out.push_back(p.pn);
    return out;
}

// Sends pn 0..count-1, one every `gap`, starting at t0.
void sendMany(LossDetector &loss, PacketNumber count, Duration gap = 1ms)
{
    for (PacketNumber pn = 0; pn < count; ++pn)
        QVERIFY(loss.onPacketSent(packet(pn, t0 + gap * static_cast<int>(pn))));
}

const LossOutcome &ack(LossDetector &loss, std::vector<PacketNumberRange> ranges, TimePoint now,
                       Duration ackDelay = 0ms)
{
    return loss.onAck(ranges.front().last, ackDelay, ranges, now);
}

} // namespace

class TestLossDetector : public QObject
{
    Q_OBJECT

private slots:
    void ackRemovesFromFlight();
    void rttSampleOnlyForNewLargest();
    void packetThreshold_data();
    void packetThreshold();
    void timeThresholdAndLossTimer();
    void probeTimeoutBackoff();
    void noProbeWithoutAckEliciting();
    void persistentCongestion();
    void noPersistentCongestionWhenAckInBetween();
    void spuriousLoss();
    void adaptiveReordering();
    void invalidAcks_data();
    void invalidAcks();
    void ringFullRefusesSend();
    void restatedRangesAreCheap();
    void skippedNumbers();
    void randomAcksKeepInvariants();
};

void TestLossDetector::ackRemovesFromFlight()
{
    LossDetector loss;
    sendMany(loss, 4);
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(4 * kSize));
    const LossOutcome &out = ack(loss, {{2, 3}, {0, 0}}, t0 + 30ms);
    QCOMPARE(out.status, LossOutcome::Status::Processed);
    QCOMPARE(numbers(out.acked), (std::vector<PacketNumber> {0, 2, 3}));
    QCOMPARE(out.acked.front().tag, std::uint64_t(1000));
    QCOMPARE(out.ackedBytes, std::uint64_t(3 * kSize));
    QCOMPARE(out.priorBytesInFlight, std::uint64_t(4 * kSize));
    QVERIFY(out.lost.empty()); // 1 is only 2 behind and recent
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(kSize));
    QCOMPARE(out.largestAckedSentTime, t0 + 3ms);
    // The same ACK again changes nothing.
    const LossOutcome &again = ack(loss, {{2, 3}, {0, 0}}, t0 + 31ms);
    QVERIFY(again.acked.empty());
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(kSize));
}

void TestLossDetector::rttSampleOnlyForNewLargest()
{
    LossDetector loss;
    loss.rtt().setMaxAckDelay(10ms);
    sendMany(loss, 3);
    const LossOutcome &first = ack(loss, {{2, 2}}, t0 + 42ms, 0ms);
    QVERIFY(first.rttUpdated);
    QCOMPARE(loss.rtt().latestRtt(), Duration(40ms));
    // Acknowledging older packets without a new largest gives no sample.
    const LossOutcome &second = ack(loss, {{2, 2}, {0, 0}}, t0 + 80ms);
    QVERIFY(!second.rttUpdated);
    QCOMPARE(loss.rtt().latestRtt(), Duration(40ms));
    // A non-ack-eliciting largest gives no sample either.
    QVERIFY(loss.onPacketSent(packet(3, t0 + 90ms, false)));
    const LossOutcome &third = ack(loss, {{3, 3}}, t0 + 95ms);
    QVERIFY(!third.rttUpdated);
}

void TestLossDetector::packetThreshold_data()
{
    QTest::addColumn<PacketNumber>("largest");
    QTest::addColumn<std::vector<PacketNumber>>("lost");
    QTest::newRow("2 behind: not yet") << PacketNumber(2) << std::vector<PacketNumber> {};
    QTest::newRow("3 behind") << PacketNumber(3) << std::vector<PacketNumber> {0};
    QTest::newRow("5 behind") << PacketNumber(5) << std::vector<PacketNumber> {0, 1, 2};
}

void TestLossDetector::packetThreshold()
{
    QFETCH(PacketNumber, largest);
    QFETCH(std::vector<PacketNumber>, lost);
    LossDetector loss;
    sendMany(loss, 8, 10us);
    // Acks only `largest`; everything below is missing. Sent 10 us apart and acked 50 ms
    // later: far from the 9/8 * 50 ms time threshold.
    const LossOutcome &out = ack(loss, {{largest, largest}}, t0 + 50ms);
    QCOMPARE(numbers(out.lost), lost);
    QCOMPARE(out.lostBytes, std::uint64_t(lost.size() * kSize));
    QCOMPARE(loss.bytesInFlight(), std::uint64_t((8 - 1 - lost.size()) * kSize));
    if (!lost.empty())
        QCOMPARE(out.lost.back().tag, std::uint64_t(1000 + lost.back()));
}

void TestLossDetector::timeThresholdAndLossTimer()
{
    LossDetector loss;
    sendMany(loss, 2, 1ms); // 0 at t0, 1 at t0+1ms
    // RTT 40 ms from packet 1 -> loss delay = 9/8 * 40 ms = 45 ms.
    const LossOutcome &out = ack(loss, {{1, 1}}, t0 + 41ms);
    QVERIFY(out.lost.empty());
    QCOMPARE(loss.lossDelay(), Duration(45ms));
    QVERIFY(loss.timerDeadline().has_value());
    QCOMPARE(*loss.timerDeadline(), t0 + 45ms);
    // Too early: nothing.
    QCOMPARE(loss.onTimeout(t0 + 44ms).status, LossOutcome::Status::NoTimer);
    const LossOutcome &fired = loss.onTimeout(t0 + 45ms);
    QCOMPARE(fired.status, LossOutcome::Status::LossTimer);
    QCOMPARE(numbers(fired.lost), (std::vector<PacketNumber> {0}));
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(0));
    QVERIFY(!loss.timerDeadline().has_value()); // nothing ack-eliciting left in flight
}

void TestLossDetector::probeTimeoutBackoff()
{
    LossDetector loss;
    loss.rtt().addSample(20ms, 0ms); // PTO = 20 + 40 = 60 ms
    QVERIFY(loss.onPacketSent(packet(0, t0)));
    QCOMPARE(*loss.timerDeadline(), t0 + 60ms);
    const LossOutcome &probe = loss.onTimeout(t0 + 60ms);
    QCOMPARE(probe.status, LossOutcome::Status::Probe);
    QCOMPARE(probe.probes, 2u);
    QVERIFY(probe.lost.empty()); // a PTO declares nothing lost
    QCOMPARE(loss.ptoCount(), 1u);
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(kSize));
    QCOMPARE(loss.oldestOutstanding()->pn, PacketNumber(0));
    // The probe is sent; the next deadline doubles from it.
    QVERIFY(loss.onPacketSent(packet(1, t0 + 60ms)));
    QCOMPARE(*loss.timerDeadline(), t0 + 60ms + 120ms);
    QCOMPARE(loss.onTimeout(t0 + 180ms).status, LossOutcome::Status::Probe);
    QCOMPARE(loss.ptoCount(), 2u);
    // An ACK resets the backoff.
    ack(loss, {{1, 1}}, t0 + 200ms);
    QCOMPARE(loss.ptoCount(), 0u);
}

void TestLossDetector::noProbeWithoutAckEliciting()
{
    LossDetector loss;
    QVERIFY(loss.onPacketSent(packet(0, t0, false)));
    QVERIFY(!loss.timerDeadline().has_value());
    QCOMPARE(loss.onTimeout(t0 + 10s).status, LossOutcome::Status::NoTimer);
}

void TestLossDetector::persistentCongestion()
{
    LossDetector loss;
    loss.rtt().addSample(10ms, 0ms);
    // Packets every 20 ms for 200 ms, then one that gets through: 180 ms of losses, more
    // than 3 * PTO (25 ms after the ACK's own sample).
    for (PacketNumber pn = 0; pn < 10; ++pn)
        QVERIFY(loss.onPacketSent(packet(pn, t0 + 20ms * static_cast<int>(pn))));
    QVERIFY(loss.onPacketSent(packet(10, t0 + 200ms)));
    const LossOutcome &out = ack(loss, {{10, 10}}, t0 + 210ms);
    QCOMPARE(out.lost.size(), std::size_t(10));
    QVERIFY(out.persistentCongestion);
}

void TestLossDetector::noPersistentCongestionWhenAckInBetween()
{
    LossDetector loss;
    loss.rtt().addSample(10ms, 0ms);
    for (PacketNumber pn = 0; pn < 10; ++pn)
        QVERIFY(loss.onPacketSent(packet(pn, t0 + 15ms * static_cast<int>(pn))));
    QVERIFY(loss.onPacketSent(packet(10, t0 + 200ms)));
    // The ACK's sample leaves srtt 10 ms, rttvar 3.75 ms: PTO 25 ms, span 75 ms. 5 got
    // through: the longest lost runs (0-4: 60 ms, 6-9: 45 ms) are shorter.
    const LossOutcome &out = ack(loss, {{10, 10}, {5, 5}}, t0 + 210ms);
    QCOMPARE(out.lost.size(), std::size_t(9));
    QVERIFY(!out.persistentCongestion);
}

void TestLossDetector::spuriousLoss()
{
    LossDetector loss;
    sendMany(loss, 5, 10us);
    const LossOutcome &first = ack(loss, {{4, 4}}, t0 + 20ms);
    QCOMPARE(numbers(first.lost), (std::vector<PacketNumber> {0, 1}));
    // 0 arrives late after all: reported once as spurious, and not as newly acked.
    const LossOutcome &late = ack(loss, {{4, 4}, {0, 0}}, t0 + 21ms);
    QCOMPARE(numbers(late.spurious), (std::vector<PacketNumber> {0}));
    QCOMPARE(late.spurious.front().tag, std::uint64_t(1000));
    QVERIFY(late.acked.empty());
    QCOMPARE(loss.packetThreshold(), 3u); // not adaptive by default
    const LossOutcome &again = ack(loss, {{4, 4}, {0, 0}}, t0 + 22ms);
    QVERIFY(again.spurious.empty());
}

void TestLossDetector::adaptiveReordering()
{
    LossDetectionConfig config;
    config.adaptiveReordering = true;
    LossDetector loss(config);
    sendMany(loss, 12, 10us);
    ack(loss, {{4, 4}}, t0 + 20ms); // 0, 1 lost
    ack(loss, {{4, 4}, {0, 1}}, t0 + 21ms);
    QCOMPARE(loss.packetThreshold(), 5u);
    QCOMPARE(loss.timeThresholdEighths(), 10u);
    // 5 behind 10 is now tolerated; 6 behind is not.
    const LossOutcome &out = ack(loss, {{10, 10}}, t0 + 22ms);
    QCOMPARE(numbers(out.lost), (std::vector<PacketNumber> {2, 3, 5}));
}

void TestLossDetector::invalidAcks_data()
{
    QTest::addColumn<PacketNumber>("largest");
    QTest::addColumn<std::vector<PacketNumberRange>>("ranges");
    QTest::newRow("empty") << PacketNumber(3) << std::vector<PacketNumberRange> {};
    QTest::newRow("largest mismatch") << PacketNumber(3) << std::vector<PacketNumberRange> {{1, 2}};
    QTest::newRow("never sent") << PacketNumber(9) << std::vector<PacketNumberRange> {{9, 9}};
    QTest::newRow("inverted") << PacketNumber(2) << std::vector<PacketNumberRange> {{3, 2}};
    QTest::newRow("ascending") << PacketNumber(1)
                               << std::vector<PacketNumberRange> {{1, 1}, {3, 3}};
    QTest::newRow("overlap") << PacketNumber(4) << std::vector<PacketNumberRange> {{2, 4}, {1, 2}};
}

void TestLossDetector::invalidAcks()
{
    QFETCH(PacketNumber, largest);
    QFETCH(std::vector<PacketNumberRange>, ranges);
    LossDetector loss;
    sendMany(loss, 5);
    const LossOutcome &out = loss.onAck(largest, 0ms, ranges, t0 + 10ms);
    QCOMPARE(out.status, LossOutcome::Status::Invalid);
    QVERIFY(out.acked.empty());
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(5 * kSize));
    QVERIFY(!loss.largestAcked().has_value());
}

void TestLossDetector::ringFullRefusesSend()
{
    LossDetectionConfig config;
    config.capacity = 16;
    LossDetector loss(config);
    sendMany(loss, 16, 10us);
    QVERIFY(!loss.canSend());
    QVERIFY(!loss.onPacketSent(packet(16, t0 + 1ms)));
    // Settling the oldest frees room.
    ack(loss, {{0, 3}}, t0 + 10ms);
    QVERIFY(loss.canSend());
    QVERIFY(loss.onPacketSent(packet(16, t0 + 11ms)));
    QVERIFY(!loss.onPacketSent(packet(16, t0 + 11ms))); // numbers must increase
}

void TestLossDetector::restatedRangesAreCheap()
{
    // Settled packets leave the ring: a long run of ACKs restating old ranges keeps the ring
    // at the in-flight size.
    LossDetector loss;
    PacketNumber pn = 0;
    for (int round = 0; round < 200; ++round) {
        for (int i = 0; i < 16; ++i, ++pn)
            QVERIFY(loss.onPacketSent(packet(pn, t0 + 1ms * round)));
        ack(loss, {{0, pn - 1}}, t0 + 1ms * round + 500us);
        QCOMPARE(loss.sentPackets().size(), std::size_t(0));
    }
    QCOMPARE(loss.bytesInFlight(), std::uint64_t(0));
}

void TestLossDetector::skippedNumbers()
{
    // Untracked numbers (e.g. ACK-only packets) may be skipped.
    LossDetector loss;
    QVERIFY(loss.onPacketSent(packet(0, t0)));
    QVERIFY(loss.onPacketSent(packet(5, t0 + 1ms)));
    QVERIFY(loss.onPacketSent(packet(9, t0 + 2ms)));
    const LossOutcome &out = ack(loss, {{9, 9}, {3, 5}}, t0 + 20ms);
    QCOMPARE(numbers(out.acked), (std::vector<PacketNumber> {5, 9}));
    QCOMPARE(numbers(out.lost), (std::vector<PacketNumber> {0})); // 9 numbers behind
}

void TestLossDetector::randomAcksKeepInvariants()
{
    // Garbage and plausible ACKs mixed: nothing crashes, and the accounting always matches
    // the packets still outstanding.
    std::mt19937_64 random(42);
    LossDetectionConfig config;
    config.capacity = 256;
    config.adaptiveReordering = true;
    LossDetector loss(config);
    TimePoint now = t0;
    PacketNumber next = 0;
    std::vector<PacketNumberRange> ranges;
    int invalid = 0;
    for (int step = 0; step < 5000; ++step) {
        now += std::chrono::microseconds(random() % 3000);
        if (random() % 3 != 0 && loss.canSend()) {
            QVERIFY(loss.onPacketSent(packet(next, now, random() % 8 != 0)));
            next += 1 + random() % 2;
            continue;
        }
        if (random() % 5 == 0) {
            (void)loss.onTimeout(now);
            continue;
        }
        ranges.clear();
        PacketNumber top = next == 0 ? 0 : random() % (next + 3); // sometimes never sent
        const int count = 1 + int(random() % 6);
        for (int i = 0; i < count; ++i) {
            const PacketNumber length = random() % 5;
            const PacketNumber first = top >= length ? top - length : 0;
            ranges.push_back({first, top});
            if (random() % 7 == 0)
                ranges.push_back({first + 1, top + 2}); // overlapping garbage
            if (first < 2)
                break;
            top = first - 2 - random() % 3;
        }
        const LossOutcome &out = loss.onAck(ranges.front().last, 1ms, ranges, now);
        invalid += out.status == LossOutcome::Status::Invalid;
        std::uint64_t inFlight = 0;
        for (std::size_t i = 0; i < loss.sentPackets().size(); ++i) {
            const SentPacket &p = loss.sentPackets().at(i);
            if (p.state == SentPacket::State::Outstanding && p.inFlight)
                inFlight += p.bytes;
        }
        QCOMPARE(loss.bytesInFlight(), inFlight);
        QVERIFY(loss.packetThreshold() <= LossDetector::kMaxPacketThreshold);
    }
    QVERIFY(invalid > 0);
    QVERIFY(next > 1000);
}

QTEST_GUILESS_MAIN(TestLossDetector)
#include "tst_lossdetector.moc"
