// The two sender strategies through the SenderStrategy interface, against a fake connection:
// what each sends first, what it resends after a loss and after a timeout, how it counts
// bytes in flight, and how the receiver's credit and a re-fetch steer it.
#include <transfer/connection/gobacknsender.h>
#include <transfer/connection/selectiverepeatsender.h>
#include <transfer/path/pathtable.h>
#include <transfer/storage/filelayout.h>
#include <transfer/wire/packet.h>

#include <QHostAddress>
#include <QTest>

#include <array>
#include <memory>
#include <set>
#include <vector>

using namespace Transfer;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t kBytes = kMaxDatagramSize; // every fake DATA datagram is full-sized

// The connection side: records what the strategy sends and what it reports acknowledged.
class FakeHost final : public SenderHost
{
public:
    struct Sent
    {
        std::uint32_t unit = 0;
        bool retransmit = false;
    };

    explicit FakeHost(std::uint64_t fileSize, std::uint32_t credit)
        : m_chunkCount(std::uint32_t(chunkCount(fileSize)))
        , m_credit(credit)
    { }

    SentDatagram sendUnit(std::uint32_t unit, TimePoint, bool retransmit) override
    {
        sent.push_back({unit, retransmit});
        if (!m_highest || unit > *m_highest)
            m_highest = unit;
        return {m_nextPn++, kBytes, 0};
    }
    SentDatagram sendPing(TimePoint) override
    {
        ++pings;
        return {m_nextPn++, 40, 0};
    }
    void unitAcked(std::uint32_t unit, std::uint8_t) override { acked.insert(unit); }
    void chunksAckedBefore(std::uint32_t nextUnit) override { cumulative.push_back(nextUnit); }
    bool isUnacked(std::uint32_t unit) const override { return !acked.contains(unit); }
    bool hasChunksInFlight() const override
    {
        for (const Sent &s : sent)
            if (!acked.contains(s.unit))
                return true;
        return false;
    }
    std::uint32_t credit() const override { return m_credit; }
    void raiseCredit(std::uint32_t maxChunk) override
    {
        m_credit = std::max(m_credit, std::min(maxChunk, m_chunkCount));
    }
    bool isSending() const override { return true; }
    std::optional<std::uint32_t> highestSentUnit() const override { return m_highest; }
    PacketNumber nextPacketNumber() const override { return m_nextPn; }

    std::vector<Sent> sent;
    std::set<std::uint32_t> acked;
    std::vector<std::uint32_t> cumulative;
    int pings = 0;

private:
    std::uint32_t m_chunkCount;
    std::uint32_t m_credit;
    std::optional<std::uint32_t> m_highest;
    PacketNumber m_nextPn = 0;
};

// One strategy over a whole file, with its host and path table.
struct Fixture
{
    Fixture(ArqMode mode, std::uint64_t fileSize, std::uint32_t credit)
        : runs {{0, std::uint32_t(chunkCount(fileSize))}}
        , host(fileSize, credit)
    {
        const SenderSetup setup {.runs = runs, .fileSize = fileSize, .start = start};
        const PeerAddress peer = PeerAddress::fromQt(QHostAddress::LocalHost, 4000);
        if (mode == ArqMode::GoBackN)
            sender = std::make_unique<GoBackNSender>(host, setup, paths, peer, start);
        else
            sender = std::make_unique<SelectiveRepeatSender>(host, setup, paths, peer, start);
    }

    // Sends on DRR turns until the strategy has nothing more (bounded).
    void sendAll(TimePoint now)
    {
        for (int i = 0; i < 4 * int(kUnitsPerChunk) && sender->sendNext(now) > 0; ++i) { }
    }
    // Services every 5 ms until `count` units went out or `limit` passed (Go-Back-N sends
    // from service() at its pacer's pace).
    TimePoint serviceUntilSent(std::size_t count, TimePoint from, Duration limit = 500ms)
    {
        TimePoint t = from;
        for (; t <= from + limit && host.sent.size() < count; t += 5ms)
            sender->service(t);
        return t;
    }

    std::vector<ChunkRun> runs;
    FakeHost host;
    PathTable paths {nullptr};
    TimePoint start = Clock::now();
    std::unique_ptr<SenderStrategy> sender;
};

std::vector<std::byte> bodyOf(std::span<const std::byte> datagram)
{
    const std::optional<PacketView> view = decodePacket(datagram);
    if (!view)
        return {};
    return {view->body.begin(), view->body.end()};
}

// A Selective Repeat ACK of the packet-number ranges [first, last], newest first.
std::vector<std::byte> ackBody(std::initializer_list<std::pair<PacketNumber, PacketNumber>> ranges,
                               std::uint32_t maxChunk)
{
    AckBody ack;
    ack.maxChunk = maxChunk;
    for (const auto &[first, last] : ranges)
        ack.ranges[ack.rangeCount++] = {std::uint32_t(last), std::uint32_t(last - first + 1)};
    ack.largest = ack.ranges[0].last;
    PacketHeader h;
    h.type = PacketType::Ack;
    std::array<std::byte, kMaxDatagramSize> buffer {};
    return bodyOf(std::span(buffer).first(encodeAck(buffer, h, ack)));
}

std::vector<std::byte> ackGbnBody(std::uint32_t nextUnit, std::uint32_t echoUs,
                                  std::uint32_t maxChunk)
{
    AckGbnBody ack;
    ack.nextUnit = nextUnit;
    ack.echoTimestampUs = echoUs;
    ack.maxChunk = maxChunk;
    PacketHeader h;
    h.type = PacketType::AckGbn;
    std::array<std::byte, kMaxDatagramSize> buffer {};
    return bodyOf(std::span(buffer).first(encodeAckGbn(buffer, h, ack)));
}

// One chunk of four units: the hash and three blocks.
constexpr std::uint64_t kFourUnits = 3 * kBlockSize;
// One chunk of nine units.
constexpr std::uint64_t kNineUnits = 8 * kBlockSize;
// A full chunk and a second one of two units.
constexpr std::uint64_t kTwoChunks = kChunkSize + kBlockSize;

} // namespace

class TestSenderStrategy : public QObject
{
    Q_OBJECT

private slots:
    void eachModeTakesItsOwnAcknowledgements()
    {
        Fixture sr(ArqMode::SelectiveRepeat, kFourUnits, 1);
        Fixture gbn(ArqMode::GoBackN, kFourUnits, 1);
        QCOMPARE(sr.sender->ackType(), PacketType::Ack);
        QCOMPARE(gbn.sender->ackType(), PacketType::AckGbn);
        QVERIFY(sr.sender->canRefetch());
        QVERIFY(!gbn.sender->canRefetch());
        // Go-Back-N sends from its own service() on a private path, never on a DRR turn.
        QVERIFY(&sr.sender->path() != &gbn.sender->path());
        QCOMPARE(sr.paths.size(), std::size_t(1));
        QCOMPARE(gbn.paths.size(), std::size_t(0));
        QVERIFY(sr.sender->sendableAt(sr.start).has_value());
        QVERIFY(!gbn.sender->sendableAt(gbn.start));
        QCOMPARE(gbn.sender->sendNext(gbn.start), 0u);
    }

    void malformedAcknowledgementsChangeNothing()
    {
        Fixture sr(ArqMode::SelectiveRepeat, kFourUnits, 1);
        sr.sendAll(sr.start);
        const std::array<std::byte, 2> garbage {};
        QVERIFY(!sr.sender->onAck(garbage, sr.start + 10ms));
        // Packet 7 was never sent.
        QVERIFY(!sr.sender->onAck(ackBody({{0, 7}}, 1), sr.start + 10ms));
        QVERIFY(sr.host.acked.empty());
        QCOMPARE(sr.sender->bytesInFlight(), std::uint64_t(4 * kBytes));

        Fixture gbn(ArqMode::GoBackN, kNineUnits, 1);
        gbn.serviceUntilSent(2, gbn.start);
        const std::size_t sent = gbn.host.sent.size();
        // Acknowledging beyond the highest unit sent would skip data the receiver lacks.
        QVERIFY(!gbn.sender->onAck(ackGbnBody(std::uint32_t(sent) + 1, 0, 1), gbn.start + 10ms));
        QVERIFY(gbn.host.acked.empty());
        QCOMPARE(gbn.sender->bytesInFlight(), std::uint64_t(sent * kBytes));
    }

    void selectiveRepeatResendsOnlyTheLostUnit()
    {
        Fixture f(ArqMode::SelectiveRepeat, kFourUnits, 1);
        f.sendAll(f.start);
        QCOMPARE(f.host.sent.size(), std::size_t(4));
        for (std::uint32_t u = 0; u < 4; ++u) {
            QCOMPARE(f.host.sent[u].unit, u);
            QVERIFY(!f.host.sent[u].retransmit);
        }
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(4 * kBytes));
        QVERIFY(!f.sender->sendableAt(f.start)); // everything is out

        // Packets 1-3 arrive, packet 0 does not: three newer packets declare it lost.
        QVERIFY(f.sender->onAck(ackBody({{1, 3}}, 1), f.start + 50ms));
        QCOMPARE(f.host.acked, (std::set<std::uint32_t> {1, 2, 3}));
        QCOMPARE(f.sender->diagnostics().lostPackets, quint64(1));
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(0));
        QVERIFY(f.sender->sendableAt(f.start + 50ms).has_value());

        // Only unit 0 goes again, flagged as a retransmission.
        QCOMPARE(f.sender->sendNext(f.start + 50ms), kBytes);
        QCOMPARE(f.host.sent.size(), std::size_t(5));
        QCOMPARE(f.host.sent.back().unit, 0u);
        QVERIFY(f.host.sent.back().retransmit);
        QCOMPARE(f.sender->sendNext(f.start + 50ms), 0u);
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(kBytes));
        QVERIFY(!f.sender->allAcked());

        QVERIFY(f.sender->onAck(ackBody({{1, 4}}, 1), f.start + 100ms));
        QVERIFY(f.host.acked.contains(0));
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(0));
        QVERIFY(f.sender->allAcked());
    }

    void selectiveRepeatProbesWithTheOldestUnitOnly()
    {
        Fixture f(ArqMode::SelectiveRepeat, kFourUnits, 1);
        f.sendAll(f.start);
        // No ACK: the sender speaks up again after kMaxProbeInterval at the latest.
        const std::optional<TimePoint> deadline = f.sender->nextDeadline(f.start);
        QVERIFY(deadline);
        QCOMPARE(*deadline, f.start + SelectiveRepeatSender::kMaxProbeInterval);
        f.sender->service(*deadline);
        // One probe: the oldest unit, not the whole flight; nothing is declared lost.
        QCOMPARE(f.host.sent.size(), std::size_t(5));
        QCOMPARE(f.host.sent.back().unit, 0u);
        QVERIFY(f.host.sent.back().retransmit);
        QCOMPARE(f.sender->diagnostics().lostPackets, quint64(0));
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(5 * kBytes));

        // Unit 0 acknowledged under another packet number: the next probe is a PING, since
        // reloading a finished chunk would keep the upload from ever completing.
        f.host.acked.insert(0);
        const TimePoint next = f.start + 2 * SelectiveRepeatSender::kMaxProbeInterval;
        QCOMPARE(f.sender->nextDeadline(*deadline), std::optional<TimePoint>(next));
        f.sender->service(next);
        QCOMPARE(f.host.pings, 1);
        QCOMPARE(f.host.sent.size(), std::size_t(5));
    }

    void selectiveRepeatWaitsForCredit()
    {
        Fixture f(ArqMode::SelectiveRepeat, kTwoChunks, 1);
        f.sendAll(f.start);
        // Chunk 1 is beyond the credit: only chunk 0's units went out.
        QCOMPARE(f.host.sent.size(), std::size_t(kUnitsPerChunk));
        QCOMPARE(unitChunk(f.host.sent.back().unit), 0u);
        QVERIFY(!f.sender->sendableAt(f.start));
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(kUnitsPerChunk) * kBytes);
        QVERIFY(f.sender->hasSentChunk(0));
        QVERIFY(!f.sender->hasSentChunk(1));

        // The ACK of everything raises the credit to both chunks.
        QVERIFY(f.sender->onAck(ackBody({{0, kUnitsPerChunk - 1}}, 2), f.start + 50ms));
        QCOMPARE(f.host.credit(), 2u);
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(0));
        QVERIFY(f.sender->sendableAt(f.start + 50ms).has_value());
        QCOMPARE(f.sender->sendNext(f.start + 50ms), kBytes);
        QCOMPARE(f.host.sent.back().unit, makeUnit(1, 0));
    }

    void selectiveRepeatResendsARefetchedChunkBeforeNewData()
    {
        Fixture f(ArqMode::SelectiveRepeat, kTwoChunks, 2);
        for (std::uint32_t i = 0; i < kUnitsPerChunk; ++i)
            QCOMPARE(f.sender->sendNext(f.start), kBytes);
        QVERIFY(f.sender->hasSentChunk(0));
        f.sender->resendChunk(0, 3);
        for (std::uint32_t i = 0; i < 3; ++i) {
            QCOMPARE(f.sender->sendNext(f.start), kBytes);
            QCOMPARE(f.host.sent.back().unit, makeUnit(0, i));
            QVERIFY(f.host.sent.back().retransmit);
        }
        QCOMPARE(f.sender->sendNext(f.start), kBytes);
        QCOMPARE(f.host.sent.back().unit, makeUnit(1, 0));
        QVERIFY(!f.host.sent.back().retransmit);
    }

    void goBackNResendsEverythingFromBaseAfterATimeout()
    {
        Fixture f(ArqMode::GoBackN, kNineUnits, 1);
        TimePoint t = f.serviceUntilSent(9, f.start);
        QCOMPARE(f.host.sent.size(), std::size_t(9));
        for (std::uint32_t u = 0; u < 9; ++u) {
            QCOMPARE(f.host.sent[u].unit, u);
            QVERIFY(!f.host.sent[u].retransmit);
        }
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(9 * kBytes));

        // A cumulative ACK for units 0-2 (drawn by unit 0, sent at time zero).
        t += 10ms;
        QVERIFY(f.sender->onAck(ackGbnBody(3, 0, 1), t));
        QCOMPARE(f.host.acked, (std::set<std::uint32_t> {0, 1, 2}));
        QCOMPARE(f.host.cumulative, std::vector<std::uint32_t> {3});
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(6 * kBytes));
        QVERIFY(!f.sender->allAcked());

        // Nothing more arrives: the retransmission timer sends again from unit 3 on, and
        // counts one lost packet, not the six of the window.
        const std::optional<TimePoint> rto = f.sender->nextDeadline(t);
        QVERIFY(rto && *rto > t);
        f.sender->service(*rto);
        QCOMPARE(f.sender->diagnostics().lostPackets, quint64(1));
        QVERIFY(f.host.sent.size() > 9);
        f.serviceUntilSent(9 + 6, *rto + 5ms);
        for (std::size_t i = 9; i < f.host.sent.size(); ++i) {
            QCOMPARE(f.host.sent[i].unit, std::uint32_t(3 + (i - 9)));
            QVERIFY(f.host.sent[i].retransmit);
        }
        QCOMPARE(f.sender->diagnostics().lostPackets, quint64(1));

        QVERIFY(f.sender->onAck(ackGbnBody(UINT32_MAX, timestampOf(f, *rto), 1), *rto + 100ms));
        QVERIFY(f.sender->allAcked());
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(0));
    }

    void goBackNGoesBackOnThreeDuplicateAcks()
    {
        Fixture f(ArqMode::GoBackN, kNineUnits, 1);
        const TimePoint t = f.serviceUntilSent(9, f.start);
        QCOMPARE(f.host.sent.size(), std::size_t(9));
        // The receiver lost unit 0 and discards what follows: every ACK still asks for it.
        QVERIFY(f.sender->onAck(ackGbnBody(0, 0, 1), t + 1ms));
        QVERIFY(f.sender->onAck(ackGbnBody(0, 0, 1), t + 2ms));
        QCOMPARE(f.sender->diagnostics().lostPackets, quint64(0));
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(9 * kBytes));
        QVERIFY(f.sender->onAck(ackGbnBody(0, 0, 1), t + 3ms));
        QCOMPARE(f.sender->diagnostics().lostPackets, quint64(1));
        QCOMPARE(f.sender->bytesInFlight(), std::uint64_t(0)); // the window starts over
        QVERIFY(f.host.acked.empty());

        // The new round starts at unit 0 again, every unit a retransmission.
        f.serviceUntilSent(10, t + 3ms);
        QVERIFY(f.host.sent.size() > 9);
        for (std::size_t i = 9; i < f.host.sent.size(); ++i) {
            QCOMPARE(f.host.sent[i].unit, std::uint32_t(i - 9));
            QVERIFY(f.host.sent[i].retransmit);
        }
    }

private:
    static std::uint32_t timestampOf(const Fixture &f, TimePoint t)
    {
        return std::uint32_t(
                std::chrono::duration_cast<std::chrono::microseconds>(t - f.start).count());
    }
};

QTEST_GUILESS_MAIN(TestSenderStrategy)
#include "tst_senderstrategy.moc"
