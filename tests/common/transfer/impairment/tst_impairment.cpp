#include <transfer/impairment/impairment.h>

#include <QTest>

#include <cstring>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Transfer::Impairer;
using Transfer::ImpairmentSpec;

namespace {

const QHostAddress kPeer(QHostAddress::LocalHost);
constexpr quint16 kPort = 4242;

// A datagram that carries its sequence number so order and identity can be checked on arrival.
std::vector<std::byte> datagram(std::uint32_t seq, std::size_t size = 64)
{
    std::vector<std::byte> bytes(std::max<std::size_t>(size, sizeof seq), std::byte {0x5a});
    std::memcpy(bytes.data(), &seq, sizeof seq);
    return bytes;
}

std::uint32_t seqOf(std::span<const std::byte> bytes)
{
    std::uint32_t seq = 0;
    std::memcpy(&seq, bytes.data(), sizeof seq);
    return seq;
}

ImpairmentSpec parsed(const QString &text)
{
    QString error;
    const auto spec = ImpairmentSpec::parse(text, &error);
    if (!spec)
        qFatal("spec '%s' should parse: %s", qPrintable(text), qPrintable(error));
    return *spec;
}

struct Arrival
{
    std::uint32_t seq;
    Impairer::TimePoint at;
    std::vector<std::byte> bytes;
};

// Pushes `count` datagrams spaced by `gap` and drains everything, stepping the injected clock
// to each next due time. Bounded: at most a million deliveries.
std::vector<Arrival> run(Impairer &impairer, int count, std::chrono::nanoseconds gap,
                         std::size_t size = 64)
{
    std::vector<Arrival> out;
    const Impairer::TimePoint t0 {};
    auto collect = [&](Impairer::TimePoint now) {
        impairer.popDue(now, [&](std::span<const std::byte> b, const QHostAddress &, quint16) {
            out.push_back({seqOf(b), now, {b.begin(), b.end()}});
        });
    };
    for (int i = 0; i < count; ++i) {
        const auto now = t0 + i * gap;
        collect(now);
        const auto bytes = datagram(std::uint32_t(i), size);
        impairer.push(bytes, kPeer, kPort, now);
    }
    for (int guard = 0; guard < 1000000; ++guard) {
        const auto next = impairer.nextDue();
        if (!next)
            break;
        collect(*next);
    }
    return out;
}

} // namespace

class TestImpairment : public QObject
{
    Q_OBJECT

private slots:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void toStringRoundTrips();
    void inactivePassesThrough();
    void deterministicForSeed();
    void randomLossRate();
    void gilbertElliottBursts();
    void duplication();
    void corruptionFlipsOneByte();
    void delayKeepsOrder();
    void rateSerialises();
    void queueOverflowDrops();
    void defaultQueueIsFiftyMilliseconds();
    void reorderingReorders();
    void heldDatagramReleasedAtDeadline();
};

void TestImpairment::parseValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("loss");
    QTest::addColumn<double>("dup");
    QTest::addColumn<qint64>("delayUs");
    QTest::addColumn<quint64>("rate");
    QTest::addColumn<quint64>("queue");

    QTest::newRow("empty") << QString() << 0.0 << 0.0 << 0LL << 0ULL << 0ULL;
    QTest::newRow("percent") << u"loss=5%"_s << 0.05 << 0.0 << 0LL << 0ULL << 0ULL;
    QTest::newRow("fraction") << u"loss=0.05"_s << 0.05 << 0.0 << 0LL << 0ULL << 0ULL;
    QTest::newRow("issue example")
            << u"loss=5%,burst=3,dup=1%,reorder=2%,corrupt=0.5%,delay=20ms,jitter=5ms,rate=50Mbit"_s
            << 0.05 << 0.01 << 20000LL << 50000000ULL << 0ULL;
    QTest::newRow("spaces") << u" loss = 10% , delay = 500us "_s << 0.1 << 0.0 << 500LL << 0ULL
                            << 0ULL;
    QTest::newRow("seconds") << u"delay=1s"_s << 0.0 << 0.0 << 1000000LL << 0ULL << 0ULL;
    QTest::newRow("fractional ms") << u"delay=2.5ms"_s << 0.0 << 0.0 << 2500LL << 0ULL << 0ULL;
    QTest::newRow("lower mbit") << u"rate=100mbit"_s << 0.0 << 0.0 << 0LL << 100000000ULL << 0ULL;
    QTest::newRow("gbit") << u"rate=1gbit"_s << 0.0 << 0.0 << 0LL << 1000000000ULL << 0ULL;
    QTest::newRow("MB per s") << u"rate=10MB"_s << 0.0 << 0.0 << 0LL << 80000000ULL << 0ULL;
    QTest::newRow("MiB per s") << u"rate=12.5MiB"_s << 0.0 << 0.0 << 0LL << 104857600ULL << 0ULL;
    QTest::newRow("kbit") << u"rate=64kbit"_s << 0.0 << 0.0 << 0LL << 64000ULL << 0ULL;
    QTest::newRow("queue KiB") << u"rate=1Mbit,queue=64KiB"_s << 0.0 << 0.0 << 0LL << 1000000ULL
                               << 65536ULL;
    QTest::newRow("queue plain") << u"queue=3000"_s << 0.0 << 0.0 << 0LL << 0ULL << 3000ULL;
    QTest::newRow("duplicate alias") << u"duplicate=100%"_s << 0.0 << 1.0 << 0LL << 0ULL << 0ULL;
}

void TestImpairment::parseValid()
{
    QFETCH(QString, text);
    QString error;
    const auto spec = ImpairmentSpec::parse(text, &error);
    QVERIFY2(spec.has_value(), qPrintable(error));
    QFETCH(double, loss);
    QFETCH(double, dup);
    QFETCH(qint64, delayUs);
    QFETCH(quint64, rate);
    QFETCH(quint64, queue);
    QCOMPARE(spec->loss, loss);
    QCOMPARE(spec->duplicate, dup);
    QCOMPARE(spec->delay.count(), delayUs);
    QCOMPARE(spec->rateBitsPerSecond, rate);
    QCOMPARE(quint64(spec->queueBytes), queue);
}

void TestImpairment::parseInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("unknown key") << u"lose=5%"_s << u"unknown key 'lose'"_s;
    QTest::newRow("no value") << u"loss"_s << u"key=value"_s;
    QTest::newRow("empty key") << u"=5%"_s << u"key=value"_s;
    QTest::newRow("bad number") << u"loss=abc"_s << u"bad number 'abc'"_s;
    QTest::newRow("empty value") << u"loss="_s << u"'loss'"_s;
    QTest::newRow("percent too high") << u"loss=150%"_s << u"out of range"_s;
    QTest::newRow("fraction too high") << u"dup=1.5"_s << u"out of range"_s;
    QTest::newRow("negative") << u"reorder=-1%"_s << u"out of range"_s;
    QTest::newRow("probability unit") << u"corrupt=5x"_s << u"bad unit 'x'"_s;
    QTest::newRow("delay no unit") << u"delay=20"_s << u"bad unit"_s;
    QTest::newRow("delay bad unit") << u"delay=20min"_s << u"bad unit 'min'"_s;
    QTest::newRow("jitter negative") << u"jitter=-5ms"_s << u"'jitter'"_s;
    QTest::newRow("rate bad unit") << u"rate=50furlongs"_s << u"bad unit 'furlongs'"_s;
    QTest::newRow("rate no unit") << u"rate=50"_s << u"'rate'"_s;
    QTest::newRow("queue bad unit") << u"queue=64Kb"_s << u"bad unit 'Kb'"_s;
    QTest::newRow("burst below one") << u"burst=0.5"_s << u"out of range"_s;
    QTest::newRow("seed") << u"seed=x1"_s << u"'seed'"_s;
    QTest::newRow("dir") << u"dir=sideways"_s << u"'sideways'"_s;
    QTest::newRow("trailing comma") << u"loss=1%,"_s << u"key=value"_s;
    QTest::newRow("nan") << u"loss=nan"_s << u"bad number"_s;
}

void TestImpairment::parseInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    QString error;
    const auto spec = ImpairmentSpec::parse(text, &error);
    QVERIFY(!spec.has_value());
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestImpairment::toStringRoundTrips()
{
    const auto spec = parsed(u"loss=5%,burst=3,dup=1%,reorder=2%,corrupt=0.5%,delay=20ms,"
                             u"jitter=5ms,rate=50Mbit,queue=64KiB,seed=7,dir=both"_s);
    const auto again = parsed(spec.toString());
    QCOMPARE(again.loss, spec.loss);
    QCOMPARE(again.burst, spec.burst);
    QCOMPARE(again.duplicate, spec.duplicate);
    QCOMPARE(again.reorder, spec.reorder);
    QCOMPARE(again.corrupt, spec.corrupt);
    QCOMPARE(again.delay, spec.delay);
    QCOMPARE(again.jitter, spec.jitter);
    QCOMPARE(again.rateBitsPerSecond, spec.rateBitsPerSecond);
    QCOMPARE(again.queueBytes, spec.queueBytes);
    QCOMPARE(again.seed, 7u);
    QCOMPARE(again.direction, ImpairmentSpec::Direction::Both);
    QCOMPARE(ImpairmentSpec {}.toString(), QString());
    // Tiny probabilities print with an exponent ("5e-70%"), which must parse back.
    const auto tiny = parsed(u"corrupt=0.00000000000000000000000000000000000000000000000005"_s);
    const auto tinyAgain = parsed(tiny.toString());
    QCOMPARE(tinyAgain.corrupt, tiny.corrupt);
    QCOMPARE(parsed(u"loss=2.5e-3"_s).loss, 0.0025);
}

void TestImpairment::inactivePassesThrough()
{
    QVERIFY(!ImpairmentSpec {}.isActive());
    QVERIFY(parsed(u"delay=1ms"_s).isActive());
    Impairer impairer(ImpairmentSpec {});
    const auto bytes = datagram(9);
    impairer.push(bytes, kPeer, kPort, Impairer::TimePoint {});
    int seen = 0;
    impairer.popDue(Impairer::TimePoint {},
                    [&](std::span<const std::byte> b, const QHostAddress &peer, quint16 port) {
                        ++seen;
                        QCOMPARE(seqOf(b), 9u);
                        QCOMPARE(peer, kPeer);
                        QCOMPARE(port, kPort);
                    });
    QCOMPARE(seen, 1);
    QVERIFY(!impairer.nextDue());
}

void TestImpairment::deterministicForSeed()
{
    const QString text = u"loss=10%,burst=2,dup=5%,reorder=5%,corrupt=5%,delay=5ms,jitter=2ms,"
                         u"rate=20Mbit,seed=%1"_s;
    Impairer a(parsed(text.arg(11))), b(parsed(text.arg(11))), c(parsed(text.arg(12)));
    const auto ra = run(a, 2000, 50us), rb = run(b, 2000, 50us), rc = run(c, 2000, 50us);
    QCOMPARE(ra.size(), rb.size());
    for (std::size_t i = 0; i < ra.size(); ++i) {
        QCOMPARE(ra[i].seq, rb[i].seq);
        QVERIFY(ra[i].at == rb[i].at);
        QVERIFY(ra[i].bytes == rb[i].bytes);
    }
    bool differs = ra.size() != rc.size();
    for (std::size_t i = 0; !differs && i < ra.size(); ++i)
        differs = ra[i].seq != rc[i].seq || ra[i].bytes != rc[i].bytes;
    QVERIFY(differs);
}

void TestImpairment::randomLossRate()
{
    Impairer impairer(parsed(u"loss=5%,seed=3"_s));
    const auto out = run(impairer, 100000, 1us);
    const auto s = impairer.stats();
    QCOMPARE(s.offered, 100000u);
    QCOMPARE(s.delivered + s.dropped, s.offered);
    QCOMPARE(out.size(), std::size_t(s.delivered));
    // Binomial sd is ~69 datagrams; 500 is a seven-sigma bound.
    QVERIFY2(s.dropped > 4500 && s.dropped < 5500, qPrintable(QString::number(s.dropped)));
}

void TestImpairment::gilbertElliottBursts()
{
    Impairer impairer(parsed(u"loss=10%,burst=4,seed=5"_s));
    const auto out = run(impairer, 100000, 1us);
    std::vector<bool> arrived(100000, false);
    for (const auto &a : out)
        arrived[a.seq] = true;
    int bursts = 0, lost = 0;
    for (std::size_t i = 0; i < arrived.size(); ++i) {
        if (!arrived[i]) {
            ++lost;
            if (i == 0 || arrived[i - 1])
                ++bursts;
        }
    }
    QCOMPARE(std::uint64_t(lost), impairer.stats().dropped);
    const double meanBurst = double(lost) / bursts;
    QVERIFY2(meanBurst > 3.6 && meanBurst < 4.4, qPrintable(QString::number(meanBurst)));
    QVERIFY2(lost > 8500 && lost < 11500, qPrintable(QString::number(lost)));
}

void TestImpairment::duplication()
{
    Impairer impairer(parsed(u"dup=10%,seed=8"_s));
    const auto out = run(impairer, 10000, 1us);
    const auto s = impairer.stats();
    QCOMPARE(std::uint64_t(out.size()), s.offered + s.duplicated);
    QVERIFY2(s.duplicated > 850 && s.duplicated < 1150, qPrintable(QString::number(s.duplicated)));
    std::vector<int> copies(10000, 0);
    for (const auto &a : out)
        ++copies[a.seq];
    QCOMPARE(std::count(copies.begin(), copies.end(), 2), qsizetype(s.duplicated));
    QCOMPARE(std::count(copies.begin(), copies.end(), 0), 0);
}

void TestImpairment::corruptionFlipsOneByte()
{
    Impairer impairer(parsed(u"corrupt=10%,seed=9"_s));
    const auto out = run(impairer, 10000, 1us, 200);
    QCOMPARE(out.size(), std::size_t(10000));
    std::uint64_t damaged = 0;
    for (const auto &a : out) {
        const auto original = datagram(a.seq, 200);
        int diffs = 0;
        for (std::size_t i = 0; i < original.size(); ++i)
            diffs += original[i] != a.bytes[i];
        QVERIFY(diffs <= 1);
        damaged += diffs;
    }
    // A flipped byte may land in the sequence number; count those by their damaged identity too.
    QVERIFY(damaged <= impairer.stats().corrupted);
    QVERIFY2(impairer.stats().corrupted > 850 && impairer.stats().corrupted < 1150,
             qPrintable(QString::number(impairer.stats().corrupted)));
    QVERIFY(damaged > impairer.stats().corrupted * 9 / 10);
}

void TestImpairment::delayKeepsOrder()
{
    Impairer impairer(parsed(u"delay=20ms,jitter=5ms,seed=4"_s));
    const Impairer::TimePoint t0 {};
    for (std::uint32_t i = 0; i < 500; ++i)
        impairer.push(datagram(i), kPeer, kPort, t0 + i * 100us);
    int early = 0;
    impairer.popDue(t0 + 15ms - 1us, [&](auto &&...) { ++early; });
    QCOMPARE(early, 0);
    const auto out = run(impairer, 0, 1us);
    QCOMPARE(out.size(), std::size_t(500));
    for (std::size_t i = 0; i < out.size(); ++i) {
        QCOMPARE(out[i].seq, std::uint32_t(i));
        QVERIFY(out[i].at >= t0 + i * 100us + 15ms);
        QVERIFY(out[i].at <= t0 + 500 * 100us + 25ms);
        if (i > 0)
            QVERIFY(out[i].at >= out[i - 1].at);
    }
}

void TestImpairment::rateSerialises()
{
    // 8 Mbit/s is one byte per microsecond: a 1000-byte datagram takes exactly 1 ms.
    Impairer impairer(parsed(u"rate=8Mbit,queue=1MiB,delay=3ms"_s));
    const Impairer::TimePoint t0 {};
    for (std::uint32_t i = 0; i < 10; ++i)
        impairer.push(datagram(i, 1000), kPeer, kPort, t0);
    QVERIFY(impairer.nextDue() == t0 + 4ms);
    for (std::uint32_t i = 0; i < 10; ++i) {
        const auto due = t0 + (i + 1) * 1ms + 3ms;
        QVERIFY(impairer.nextDue() == due);
        int got = 0;
        impairer.popDue(due - 1ns, [&](auto &&...) { ++got; });
        QCOMPARE(got, 0);
        impairer.popDue(due, [&](std::span<const std::byte> b, auto &&...) {
            ++got;
            QCOMPARE(seqOf(b), i);
        });
        QCOMPARE(got, 1);
    }
    // An idle link starts serialising at the push time, not where it last stopped.
    impairer.push(datagram(99, 500), kPeer, kPort, t0 + 100ms);
    QVERIFY(impairer.nextDue() == t0 + 100ms + 500us + 3ms);
    // Sizes that do not divide evenly still add up exactly over many datagrams: 4 bytes at
    // 7 bit/us is 4.571... us each, and 7000 of them end at exactly 32 ms.
    Impairer check(parsed(u"rate=7Mbit,queue=1MiB"_s));
    for (int i = 0; i < 7000; ++i)
        check.push(datagram(std::uint32_t(i), 4), kPeer, kPort, t0);
    std::optional<Impairer::TimePoint> lastDue;
    for (int guard = 0; guard < 7001 && check.nextDue(); ++guard) {
        lastDue = check.nextDue();
        check.popDue(*lastDue, [](auto &&...) {});
    }
    QVERIFY(lastDue == t0 + 32ms);
}

void TestImpairment::queueOverflowDrops()
{
    Impairer impairer(parsed(u"rate=8Mbit,queue=5000B"_s));
    const Impairer::TimePoint t0 {};
    for (std::uint32_t i = 0; i < 10; ++i)
        impairer.push(datagram(i, 1000), kPeer, kPort, t0);
    QCOMPARE(impairer.stats().queueDropped, 5u);
    // After 2 ms two datagrams have left the queue: room for two more, not three.
    for (std::uint32_t i = 10; i < 13; ++i)
        impairer.push(datagram(i, 1000), kPeer, kPort, t0 + 2ms);
    QCOMPARE(impairer.stats().queueDropped, 6u);
    const auto out = run(impairer, 0, 1us);
    QCOMPARE(out.size(), std::size_t(7));
    QCOMPARE(out.back().seq, 11u);
}

void TestImpairment::defaultQueueIsFiftyMilliseconds()
{
    // 80 Mbit/s = 10 MB/s; 50 ms of it is 500 kB = 500 datagrams of 1000 bytes.
    Impairer impairer(parsed(u"rate=80Mbit"_s));
    for (std::uint32_t i = 0; i < 600; ++i)
        impairer.push(datagram(i, 1000), kPeer, kPort, Impairer::TimePoint {});
    QCOMPARE(impairer.stats().queueDropped, 100u);
}

void TestImpairment::reorderingReorders()
{
    Impairer impairer(parsed(u"reorder=10%,seed=6"_s));
    const auto out = run(impairer, 5000, 20us);
    QCOMPARE(out.size(), std::size_t(5000));
    std::vector<int> seen(5000, 0);
    int inversions = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        ++seen[out[i].seq];
        if (i > 0 && out[i].seq < out[i - 1].seq)
            ++inversions;
    }
    QCOMPARE(std::count(seen.begin(), seen.end(), 1), 5000);
    const auto reordered = impairer.stats().reordered;
    QVERIFY2(reordered > 400 && reordered < 600, qPrintable(QString::number(reordered)));
    // Every held datagram surfaces behind at least one later one.
    QVERIFY(inversions > int(reordered) / 2);
    QVERIFY(inversions <= int(reordered));
}

void TestImpairment::heldDatagramReleasedAtDeadline()
{
    Impairer impairer(parsed(u"reorder=100%"_s));
    const Impairer::TimePoint t0 {};
    impairer.push(datagram(1), kPeer, kPort, t0);
    int got = 0;
    impairer.popDue(t0 + 1ms, [&](auto &&...) { ++got; });
    QCOMPARE(got, 0);
    QVERIFY(impairer.nextDue() == t0 + 10ms);
    impairer.popDue(t0 + 10ms, [&](auto &&...) { ++got; });
    QCOMPARE(got, 1);
    QVERIFY(!impairer.nextDue());
}

QTEST_GUILESS_MAIN(TestImpairment)
#include "tst_impairment.moc"
