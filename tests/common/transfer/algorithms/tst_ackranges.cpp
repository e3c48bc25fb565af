#include <transfer/recovery/ackranges.h>

#include <QTest>

#include <array>
#include <random>
#include <set>
#include <vector>

using namespace Transfer;
using namespace std::chrono_literals;

using Ranges = std::vector<PacketNumberRange>;
Q_DECLARE_METATYPE(Ranges)
Q_DECLARE_METATYPE(std::vector<Transfer::PacketNumber>)

namespace {

const TimePoint t0 {std::chrono::seconds(100)};

Ranges reported(const AckRanges &ranges)
{
    std::array<PacketNumberRange, AckRanges::kMaxReportedRanges> out;
    const std::size_t n = ranges.copyRanges(out);
    return Ranges(out.begin(), out.begin() + n);
}

} // namespace

namespace QTest {
template<>
char *toString(const Ranges &ranges)
{
    QByteArray text;
    for (const PacketNumberRange &r : ranges)
        text += '[' + QByteArray::number(r.first) + ',' + QByteArray::number(r.last) + ']';
    return qstrdup(text.constData());
}
} // namespace QTest

class TestAckRanges : public QObject
{
    Q_OBJECT

private slots:
    void sequences_data();
    void sequences();
    void arrivalKinds();
    void ackDelayFromLargest();
    void reportCappedAt64();
    void trackedRangesCapped();
    void trackedPacketWindow();
    void forgetBelow();
    void matchesReferenceModel_data();
    void matchesReferenceModel();
    void expandPacketNumber_data();
    void expandPacketNumber();
    void acrossWireWrap();
};

void TestAckRanges::sequences_data()
{
    QTest::addColumn<std::vector<PacketNumber>>("arrivals");
    QTest::addColumn<Ranges>("expected");
    QTest::newRow("in order") << std::vector<PacketNumber> {0, 1, 2, 3} << Ranges {{0, 3}};
    QTest::newRow("one gap") << std::vector<PacketNumber> {0, 1, 3, 4} << Ranges {{3, 4}, {0, 1}};
    QTest::newRow("gaps") << std::vector<PacketNumber> {1, 3, 5, 6, 9}
                          << Ranges {{9, 9}, {5, 6}, {3, 3}, {1, 1}};
    QTest::newRow("fill joins both")
            << std::vector<PacketNumber> {0, 1, 3, 4, 2} << Ranges {{0, 4}};
    QTest::newRow("fill joins newer")
            << std::vector<PacketNumber> {0, 4, 5, 3} << Ranges {{3, 5}, {0, 0}};
    QTest::newRow("fill joins older")
            << std::vector<PacketNumber> {0, 1, 5, 2} << Ranges {{5, 5}, {0, 2}};
    QTest::newRow("fill in middle")
            << std::vector<PacketNumber> {0, 9, 5} << Ranges {{9, 9}, {5, 5}, {0, 0}};
    QTest::newRow("below oldest") << std::vector<PacketNumber> {5, 6, 3} << Ranges {{5, 6}, {3, 3}};
    QTest::newRow("extends oldest down") << std::vector<PacketNumber> {5, 6, 4} << Ranges {{4, 6}};
    QTest::newRow("duplicates") << std::vector<PacketNumber> {0, 1, 1, 4, 4, 0}
                                << Ranges {{4, 4}, {0, 1}};
    QTest::newRow("reverse") << std::vector<PacketNumber> {5, 4, 3, 2, 1, 0} << Ranges {{0, 5}};
}

void TestAckRanges::sequences()
{
    QFETCH(std::vector<PacketNumber>, arrivals);
    QFETCH(Ranges, expected);
    AckRanges ranges;
    for (PacketNumber pn : arrivals)
        ranges.onPacketReceived(pn, t0);
    QCOMPARE(reported(ranges), expected);
    QCOMPARE(ranges.largest(), expected.front().last);
    for (PacketNumber pn : arrivals)
        QVERIFY(ranges.contains(pn));
}

void TestAckRanges::arrivalKinds()
{
    AckRanges ranges;
    QCOMPARE(ranges.onPacketReceived(0, t0), AckRanges::Arrival::InOrder);
    QCOMPARE(ranges.onPacketReceived(1, t0), AckRanges::Arrival::InOrder);
    QCOMPARE(ranges.onPacketReceived(3, t0), AckRanges::Arrival::OutOfOrder); // opens a gap
    QCOMPARE(ranges.onPacketReceived(2, t0), AckRanges::Arrival::OutOfOrder); // fills it
    QCOMPARE(ranges.onPacketReceived(2, t0), AckRanges::Arrival::Duplicate);
    QCOMPARE(ranges.onPacketReceived(4, t0), AckRanges::Arrival::InOrder);
    QVERIFY(!ranges.contains(5));
}

void TestAckRanges::ackDelayFromLargest()
{
    AckRanges ranges;
    QCOMPARE(ranges.ackDelay(t0), Duration::zero());
    ranges.onPacketReceived(10, t0);
    ranges.onPacketReceived(5, t0 + 3ms); // older: does not move the largest's time
    QCOMPARE(ranges.ackDelay(t0 + 4ms), Duration(4ms));
    ranges.onPacketReceived(11, t0 + 4ms);
    QCOMPARE(ranges.ackDelay(t0 + 6ms), Duration(2ms));
    QCOMPARE(ranges.largestReceivedTime(), t0 + 4ms);
}

void TestAckRanges::reportCappedAt64()
{
    AckRanges ranges;
    // Every other number: 100 runs of one packet.
    for (PacketNumber pn = 0; pn < 200; pn += 2)
        ranges.onPacketReceived(pn, t0);
    QCOMPARE(ranges.rangeCount(), std::size_t(100));
    std::array<PacketNumberRange, 100> out;
    QCOMPARE(ranges.copyRanges(out), AckRanges::kMaxReportedRanges);
    // Newest first.
    QCOMPARE(out[0], (PacketNumberRange {198, 198}));
    QCOMPARE(out[63], (PacketNumberRange {72, 72}));
    // A smaller buffer is respected.
    std::array<PacketNumberRange, 3> small;
    QCOMPARE(ranges.copyRanges(small), std::size_t(3));
    QCOMPARE(small[2], (PacketNumberRange {194, 194}));
}

void TestAckRanges::trackedRangesCapped()
{
    AckRanges ranges(64, 1'000'000);
    for (PacketNumber pn = 0; pn < 1000; pn += 2)
        ranges.onPacketReceived(pn, t0);
    QCOMPARE(ranges.rangeCount(), std::size_t(64)); // bounded memory
    QCOMPARE(ranges.largest(), PacketNumber(998));
    // Forgotten: anything at or below the dropped runs is too old now.
    QCOMPARE(ranges.onPacketReceived(1, t0), AckRanges::Arrival::TooOld);
    QCOMPARE(ranges.onPacketReceived(0, t0), AckRanges::Arrival::TooOld);
    // Filling a hole between tracked runs still works and merges.
    QCOMPARE(ranges.onPacketReceived(997, t0), AckRanges::Arrival::OutOfOrder);
    QCOMPARE(reported(ranges).front(), (PacketNumberRange {996, 998}));
    QCOMPARE(ranges.rangeCount(), std::size_t(63));
    // A new run inside the tracked span when full drops the oldest run.
    for (PacketNumber pn = 1000; pn < 1010; pn += 2)
        ranges.onPacketReceived(pn, t0);
    QCOMPARE(ranges.rangeCount(), std::size_t(64));
    const Ranges now = reported(ranges);
    QCOMPARE(now.front(), (PacketNumberRange {1008, 1008}));
}

void TestAckRanges::trackedPacketWindow()
{
    AckRanges ranges(256, 100);
    ranges.onPacketReceived(0, t0);
    ranges.onPacketReceived(50, t0);
    ranges.onPacketReceived(300, t0);
    // Runs wholly older than 100 below the largest are gone.
    QCOMPARE(reported(ranges), (Ranges {{300, 300}}));
    QCOMPARE(ranges.onPacketReceived(50, t0), AckRanges::Arrival::TooOld);
    QCOMPARE(ranges.onPacketReceived(250, t0), AckRanges::Arrival::OutOfOrder);
    // A wider window keeps more.
    ranges.setTrackedPackets(1000);
    QCOMPARE(ranges.trackedPackets(), std::uint64_t(1000));
    ranges.onPacketReceived(1200, t0);
    QCOMPARE(reported(ranges), (Ranges {{1200, 1200}, {300, 300}, {250, 250}}));
}

void TestAckRanges::forgetBelow()
{
    AckRanges ranges;
    for (PacketNumber pn : {1, 2, 3, 4, 7, 8, 12})
        ranges.onPacketReceived(pn, t0);
    ranges.forgetBelow(3);
    QCOMPARE(reported(ranges), (Ranges {{12, 12}, {7, 8}, {3, 4}}));
    ranges.forgetBelow(9);
    QCOMPARE(reported(ranges), (Ranges {{12, 12}}));
    QCOMPARE(ranges.onPacketReceived(8, t0), AckRanges::Arrival::TooOld);
    ranges.clear();
    QVERIFY(ranges.isEmpty());
    QCOMPARE(ranges.onPacketReceived(8, t0), AckRanges::Arrival::InOrder);
}

void TestAckRanges::matchesReferenceModel_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("spread"); // how far arrivals stray from sending order
    QTest::newRow("mild reordering") << quint64(1) << 8;
    QTest::newRow("heavy reordering") << quint64(2) << 200;
    QTest::newRow("wide reordering") << quint64(3) << 500;
}

void TestAckRanges::matchesReferenceModel()
{
    // Random arrivals (with loss, duplicates and reordering) against a std::set: every report
    // must equal the set's runs, newest first, while the record stays within its limits.
    QFETCH(quint64, seed);
    QFETCH(int, spread);
    std::mt19937_64 random(seed);
    AckRanges ranges(1024, 1'000'000);
    std::set<PacketNumber> reference;
    for (int i = 0; i < 3000; ++i) {
        const auto jitter = static_cast<PacketNumber>(random() % std::uint64_t(spread));
        const PacketNumber pn = PacketNumber(i) + jitter;
        if (random() % 10 == 0)
            continue; // lost
        const bool known = reference.count(pn) != 0;
        const AckRanges::Arrival arrival = ranges.onPacketReceived(pn, t0);
        QCOMPARE(arrival == AckRanges::Arrival::Duplicate, known);
        reference.insert(pn);
    }
    Ranges expected;
    for (auto it = reference.rbegin(); it != reference.rend(); ++it) {
        if (!expected.empty() && expected.back().first == *it + 1)
            expected.back().first = *it;
        else
            expected.push_back({*it, *it});
    }
    QVERIFY(expected.size() <= 1024);
    QCOMPARE(ranges.rangeCount(), expected.size());
    expected.resize(std::min<std::size_t>(expected.size(), AckRanges::kMaxReportedRanges));
    QCOMPARE(reported(ranges), expected);
    for (PacketNumber pn = 0; pn < 5000; pn += 7)
        QCOMPARE(ranges.contains(pn), reference.count(pn) != 0);
}

void TestAckRanges::expandPacketNumber_data()
{
    QTest::addColumn<PacketNumber>("expected");
    QTest::addColumn<quint32>("wire");
    QTest::addColumn<PacketNumber>("result");
    constexpr PacketNumber k32 = PacketNumber {1} << 32;
    QTest::newRow("start") << PacketNumber(0) << quint32(0) << PacketNumber(0);
    QTest::newRow("near") << PacketNumber(1000) << quint32(1005) << PacketNumber(1005);
    QTest::newRow("slightly old") << PacketNumber(1000) << quint32(990) << PacketNumber(990);
    QTest::newRow("wraps forward") << (k32 - 2) << quint32(3) << (k32 + 3);
    QTest::newRow("old before wrap") << (k32 + 3) << quint32(0xFFFFFFF0u) << (k32 - 16);
    QTest::newRow("second epoch") << (3 * k32 + 10) << quint32(12) << (3 * k32 + 12);
    QTest::newRow("no negative") << PacketNumber(5) << quint32(0xFFFFFFFFu)
                                 << PacketNumber(0xFFFFFFFFu);
}

void TestAckRanges::expandPacketNumber()
{
    QFETCH(PacketNumber, expected);
    QFETCH(quint32, wire);
    QFETCH(PacketNumber, result);
    QCOMPARE(Transfer::expandPacketNumber(expected, wire), result);
    QCOMPARE(truncatePacketNumber(result), wire);
}

void TestAckRanges::acrossWireWrap()
{
    // The engine expands wire numbers; ranges work unchanged across the 32-bit wrap.
    AckRanges ranges;
    PacketNumber largest = 0;
    bool any = false;
    for (std::uint32_t wire : {0xFFFFFFFDu, 0xFFFFFFFEu, 0u, 1u, 0xFFFFFFFFu}) {
        const PacketNumber expected = any ? largest + 1 : 0xFFFFFFFDu;
        const PacketNumber pn = Transfer::expandPacketNumber(expected, wire);
        ranges.onPacketReceived(pn, t0);
        largest = any ? std::max(largest, pn) : pn;
        any = true;
    }
    QCOMPARE(reported(ranges), (Ranges {{0xFFFFFFFDull, (PacketNumber {1} << 32) + 1}}));
}

QTEST_GUILESS_MAIN(TestAckRanges)
#include "tst_ackranges.moc"
