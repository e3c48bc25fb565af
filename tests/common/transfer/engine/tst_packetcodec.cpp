// The datagram codec, CRC32C, the unit layout and the Go-Back-N window.
#include <transfer/recovery/gobackwindow.h>
#include <transfer/storage/filelayout.h>
#include <transfer/wire/crc32c.h>
#include <transfer/wire/packet.h>

#include <QRandomGenerator>
#include <QTest>

#include <cstring>

#include <vector>

using namespace Transfer;

namespace {
std::span<const std::byte> bytesOf(const char *s)
{
    return {reinterpret_cast<const std::byte *>(s), std::strlen(s)};
}

PacketHeader makeHeader(PacketType type)
{
    PacketHeader h;
    h.type = type;
    h.flags = 0x0001;
    h.destinationCid = 0xA1B2C3D4;
    h.packetNumber = 0xFFFFFFF0;
    h.timestampUs = 123456;
    return h;
}
} // namespace

class TestPacketCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crcKnownVector();
    void crcHardwareMatchesPortable();
    void helloRoundTrip();
    void ackRoundTrip();
    void dataRoundTrip();
    void smallPacketsRoundTrip();
    void refetchRoundTripAndFlags();
    void rejectsGarbage();
    void rejectsBadBodies();
    void layoutArithmeticPast4GiB();
    void unitCursorWalksRuns();
    void goBackWindowCumulativeAck();
    void goBackWindowIgnoresStaleDuplicates();
};

void TestPacketCodec::crcKnownVector()
{
    // RFC 3720 appendix B.4 check value for "123456789".
    QCOMPARE(crc32c(bytesOf("123456789")), 0xE3069283u);
    QCOMPARE(crc32cPortable(bytesOf("123456789")), 0xE3069283u);
    QCOMPARE(crc32c({}), 0u);
}

void TestPacketCodec::crcHardwareMatchesPortable()
{
    std::vector<std::byte> data(1500);
    QRandomGenerator rng(7);
    for (auto &b : data)
        b = std::byte(rng.bounded(256));
    for (std::size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 1200u, 1500u})
        QCOMPARE(crc32c(std::span(data).first(len)), crc32cPortable(std::span(data).first(len)));
}

void TestPacketCodec::helloRoundTrip()
{
    HelloBody b;
    b.sourceCid = 77;
    b.nonce.fill(std::byte {5});
    b.mode = ArqMode::GoBackN;
    b.controller = 1;
    b.windowChunks = 32;
    b.maxAckDelayUs = 5000;
    b.rateCap = 1'000'000;
    b.cookie.fill(std::byte {9});
    b.tokenId.fill(std::byte {3});
    b.aead = 1;
    b.ephemeralKey.fill(std::byte {0x11});
    b.identityKey.fill(std::byte {0x22});
    b.tokenProof.fill(std::byte {0x33});
    b.signature.fill(std::byte {0x44});
    b.fileSize = 5ull << 32;
    b.fileSha256.fill(std::byte {0xEE});
    b.missingCount = 2;
    b.missing[0] = {0, 3};
    b.missing[1] = {4097, 10};
    std::array<std::byte, kMaxDatagramSize> buf {};
    const std::size_t n = encodeHello(buf, makeHeader(PacketType::Hello), b);
    QCOMPARE(n, kMaxDatagramSize); // padded: anti-amplification
    const auto v = decodePacket(std::span(buf).first(n));
    QVERIFY(v);
    QCOMPARE(v->header.type, PacketType::Hello);
    QCOMPARE(v->header.packetNumber, 0xFFFFFFF0u);
    HelloBody d;
    QVERIFY(decodeHello(v->body, &d));
    QCOMPARE(d.sourceCid, 77u);
    QVERIFY(d.mode == ArqMode::GoBackN);
    QCOMPARE(d.fileSize, 5ull << 32);
    QCOMPARE(d.missingCount, 2);
    QCOMPARE(d.missing[1].first, 4097u);
    QCOMPARE(d.missing[1].count, 10u);
    QVERIFY(d.cookie == b.cookie);
    QVERIFY(d.tokenId == b.tokenId);
    QCOMPARE(d.aead, 1);
    QVERIFY(d.ephemeralKey == b.ephemeralKey);
    QVERIFY(d.identityKey == b.identityKey);
    QVERIFY(d.tokenProof == b.tokenProof);
    QVERIFY(d.signature == b.signature);
    QVERIFY(d.fileSha256 == b.fileSha256);
}

void TestPacketCodec::ackRoundTrip()
{
    AckBody b;
    b.largest = 1000;
    b.ackDelayUs = 250;
    b.maxChunk = 40;
    b.rangeCount = 3;
    b.ranges[0] = {1000, 10};
    b.ranges[1] = {980, 5};
    b.ranges[2] = {3, 4};
    std::array<std::byte, kMaxDatagramSize> buf {};
    const std::size_t n = encodeAck(buf, makeHeader(PacketType::Ack), b);
    QVERIFY(n > 0);
    const auto v = decodePacket(std::span(buf).first(n));
    QVERIFY(v);
    AckBody d;
    QVERIFY(decodeAck(v->body, &d));
    QCOMPARE(d.rangeCount, 3);
    QCOMPARE(d.ranges[1].last, 980u);
    QCOMPARE(d.ranges[2].count, 4u);
    QCOMPARE(d.maxChunk, 40u);
}

void TestPacketCodec::dataRoundTrip()
{
    std::array<std::byte, kBlockSize> payload {};
    for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = std::byte(i * 31);
    std::array<std::byte, kMaxDatagramSize> buf {};
    const std::size_t n = encodeData(buf, makeHeader(PacketType::Data), 123456, payload);
    QCOMPARE(n, kMaxDatagramSize); // a full block fills the datagram exactly
    const auto v = decodePacket(std::span(buf).first(n));
    QVERIFY(v);
    std::uint32_t unit = 0;
    std::span<const std::byte> got;
    QVERIFY(decodeData(v->body, &unit, &got));
    QCOMPARE(unit, 123456u);
    QVERIFY(std::equal(got.begin(), got.end(), payload.begin(), payload.end()));
    // One byte more does not fit.
    std::array<std::byte, kBlockSize + 1> tooBig {};
    QCOMPARE(encodeData(buf, makeHeader(PacketType::Data), 1, tooBig), 0u);
}

void TestPacketCodec::smallPacketsRoundTrip()
{
    std::array<std::byte, kMaxDatagramSize> buf {};
    Cookie c {};
    c.fill(std::byte {0x42});
    std::size_t n = encodeChallenge(buf, makeHeader(PacketType::Challenge), c);
    QVERIFY(n > 0 && n * 3 <= kMaxDatagramSize);
    auto v = decodePacket(std::span(buf).first(n));
    Cookie dc {};
    QVERIFY(v && decodeChallenge(v->body, &dc) && dc == c);

    AcceptBody a {99, {}, 1ull << 40, {}, {}, {}};
    a.ephemeralKey.fill(std::byte {7});
    a.signature.fill(std::byte {8});
    n = encodeAccept(buf, makeHeader(PacketType::Accept), a);
    QVERIFY(n * 3 <= kMaxDatagramSize); // still far below the padded HELLO
    v = decodePacket(std::span(buf).first(n));
    AcceptBody da;
    QVERIFY(v && decodeAccept(v->body, &da));
    QCOMPARE(da.fileSize, 1ull << 40);
    QVERIFY(da.ephemeralKey == a.ephemeralKey && da.signature == a.signature);

    RefuseBody r {RefuseReason::Busy, 1000};
    n = encodeRefuse(buf, makeHeader(PacketType::Refuse), r);
    v = decodePacket(std::span(buf).first(n));
    RefuseBody dr;
    QVERIFY(v && decodeRefuse(v->body, &dr));
    QVERIFY(dr.reason == RefuseReason::Busy);
    QCOMPARE(dr.retryAfterMs, 1000u);

    AckGbnBody g {500, 42, 7, 3};
    n = encodeAckGbn(buf, makeHeader(PacketType::AckGbn), g);
    v = decodePacket(std::span(buf).first(n));
    AckGbnBody dg;
    QVERIFY(v && decodeAckGbn(v->body, &dg));
    QCOMPARE(dg.nextUnit, 500u);
    QCOMPARE(dg.echoTimestampUs, 42u);
}

void TestPacketCodec::refetchRoundTripAndFlags()
{
    std::array<std::byte, kMaxDatagramSize> buf {};
    PacketHeader h = makeHeader(PacketType::Refetch);
    std::size_t n = encodeRefetch(buf, h, RefetchBody {0xFFFFFFFE, 2});
    QCOMPARE(n, kHeaderSize + 5 + kChecksumSize);
    auto v = decodePacket(std::span(buf).first(n));
    QVERIFY(v);
    QVERIFY(v->header.type == PacketType::Refetch);
    RefetchBody r;
    QVERIFY(decodeRefetch(v->body, &r));
    QCOMPARE(r.chunk, 0xFFFFFFFEu);
    QCOMPARE(r.generation, std::uint8_t(2));
    // Generation 0 is the first sending, never a request; a short body is malformed.
    n = encodeRefetch(buf, h, RefetchBody {3, 0});
    v = decodePacket(std::span(buf).first(n));
    QVERIFY(v && !decodeRefetch(v->body, &r));
    QVERIFY(!decodeRefetch(v->body.first(4), &r));

    // A DATA unit's generation rides in the header flags next to the retransmission bit.
    h = makeHeader(PacketType::Data);
    h.flags = std::uint16_t(kFlagRetransmit | (2u << kGenerationShift));
    const std::array<std::byte, 3> payload {};
    n = encodeData(buf, h, 7, payload);
    v = decodePacket(std::span(buf).first(n));
    QVERIFY(v);
    QCOMPARE(std::uint8_t(v->header.flags >> kGenerationShift), std::uint8_t(2));
    QVERIFY(v->header.flags & kFlagRetransmit);
}

void TestPacketCodec::rejectsGarbage()
{
    std::array<std::byte, kMaxDatagramSize> buf {};
    const std::size_t n = encodeEmpty(buf, makeHeader(PacketType::Ping));
    QVERIFY(decodePacket(std::span(buf).first(n)));
    DecodeError e = DecodeError::None;
    // Truncated.
    QVERIFY(!decodePacket(std::span(buf).first(n - 1), &e));
    QVERIFY(!decodePacket(std::span(buf).first(3), &e));
    QVERIFY(e == DecodeError::Truncated);
    QVERIFY(!decodePacket({}, &e));
    // Oversized.
    std::vector<std::byte> big(kMaxDatagramSize + 1);
    QVERIFY(!decodePacket(big, &e));
    QVERIFY(e == DecodeError::Truncated);
    // Any flipped bit is caught by the checksum (or the version byte).
    for (std::size_t i = 1; i < n; ++i) {
        auto copy = buf;
        copy[i] ^= std::byte {0x10};
        QVERIFY(!decodePacket(std::span(copy).first(n), &e));
    }
    auto wrongVersion = buf;
    wrongVersion[0] = std::byte {0xF2};
    QVERIFY(!decodePacket(std::span(wrongVersion).first(n), &e));
    QVERIFY(e == DecodeError::Version);
    // Random garbage never decodes (checksum) and never crashes.
    QRandomGenerator rng(1);
    for (int i = 0; i < 2000; ++i) {
        std::array<std::byte, 64> junk {};
        for (auto &b : junk)
            b = std::byte(rng.bounded(256));
        junk[0] = kFirstByte;
        QVERIFY(!decodePacket(std::span(junk).first(rng.bounded(65))));
    }
}

void TestPacketCodec::rejectsBadBodies()
{
    HelloBody h;
    std::array<std::byte, 8> shortBody {};
    QVERIFY(!decodeHello(shortBody, &h));
    AckBody a;
    QVERIFY(!decodeAck(shortBody, &a));
    // An ACK with no range, or a zero-length range, is malformed.
    std::array<std::byte, kMaxDatagramSize> buf {};
    AckBody b;
    b.rangeCount = 1;
    b.ranges[0] = {5, 0};
    const std::size_t n = encodeAck(buf, makeHeader(PacketType::Ack), b);
    const auto v = decodePacket(std::span(buf).first(n));
    QVERIFY(v);
    QVERIFY(!decodeAck(v->body, &a));
    RefuseBody r;
    std::array<std::byte, 5> badReason {std::byte {9}};
    QVERIFY(!decodeRefuse(badReason, &r));
}

void TestPacketCodec::layoutArithmeticPast4GiB()
{
    QCOMPARE(kBlocksPerChunk, 892u);
    const std::uint64_t size = (5ull << 30) + 1000; // 5 GiB + 1000 bytes
    QCOMPARE(chunkCount(size), 5121ull);
    QCOMPARE(chunkOffset(4096), 4ull << 30); // first chunk past 4 GiB
    QCOMPARE(chunkLength(5120, size), 1000ull);
    QCOMPARE(blocksInChunk(5120, size), 1u);
    QCOMPARE(blockLength(5120, 0, size), 1000u);
    QCOMPARE(blockLength(4096, 891, size), std::uint32_t(kChunkSize - 891 * kBlockSize));
    const std::uint32_t unit = makeUnit(5000, 17);
    QCOMPARE(unitChunk(unit), 5000u);
    QCOMPARE(unitIndex(unit), 17u);
    QVERIFY(kMaxFileSize > (4ull << 40));
}

void TestPacketCodec::unitCursorWalksRuns()
{
    const std::uint64_t size = 3 * kChunkSize + 10;
    const std::vector<ChunkRun> runs {{1, 1}, {3, 5}}; // the second run reaches past the end
    UnitCursor c(runs, size);
    QCOMPARE(c.unit(), makeUnit(1, 0));
    std::uint32_t count = 0;
    std::uint32_t last = 0;
    while (!c.atEnd() && count < 10000) {
        QVERIFY(count == 0 || c.unit() > last);
        last = c.unit();
        c.advance();
        ++count;
    }
    // Chunk 1: hash + 892 blocks; chunk 3: hash + 1 block.
    QCOMPARE(count, kUnitsPerChunk + 2);
    QCOMPARE(last, makeUnit(3, 1));
    const std::vector<ChunkRun> none;
    QVERIFY(UnitCursor(none, size).atEnd());
}

void TestPacketCodec::goBackWindowCumulativeAck()
{
    const std::vector<ChunkRun> runs {{0, 1}};
    GoBackWindow w(runs, 10 * kBlockSize, 4);
    std::vector<std::uint32_t> sent;
    while (w.windowOpen()) {
        sent.push_back(w.nextUnit());
        w.onSent({w.nextUnit(), {}, {}, 100});
    }
    QCOMPARE(sent.size(), 4u);
    QCOMPARE(w.bytesInFlight(), 400u);
    int acked = 0;
    QVERIFY(w.onAck(sent[2], {}, [&](const GoBackWindow::Sent &) { ++acked; }));
    QCOMPARE(acked, 2);
    QVERIFY(!w.onAck(sent[2], {}, [](const GoBackWindow::Sent &) {}));
    QCOMPARE(w.duplicateAcks(), 1u);
    QCOMPARE(w.goBack({}), 200u);
    QCOMPARE(w.nextUnit(), sent[2]);
    while (w.windowOpen())
        w.onSent({w.nextUnit(), {}, {}, 100});
    QCOMPARE(w.outstanding(), 4u);
    QVERIFY(!w.allAcked());
    QVERIFY(w.onAck(UINT32_MAX, {}, [](const GoBackWindow::Sent &) {}));
    QVERIFY(w.allAcked());
}

void TestPacketCodec::goBackWindowIgnoresStaleDuplicates()
{
    // Packets of the round abandoned by a go-back still draw ACKs for the old base; only
    // ACKs drawn by packets of the new round may trigger the next go-back.
    const std::vector<ChunkRun> runs {{0, 1}};
    GoBackWindow w(runs, 100 * kBlockSize, 8);
    const TimePoint t0 {};
    const auto at = [&](int ms) { return t0 + std::chrono::milliseconds(ms); };
    while (w.windowOpen())
        w.onSent({w.nextUnit(), at(1), {}, 100});
    const std::uint32_t base = makeUnit(0, 0);
    const auto none = [](const GoBackWindow::Sent &) {};
    for (int i = 0; i < 3; ++i)
        QVERIFY(!w.onAck(base, at(1), none));
    QCOMPARE(w.duplicateAcks(), 3u);
    w.goBack(at(5));
    while (w.windowOpen())
        w.onSent({w.nextUnit(), at(5), {}, 100});
    for (int i = 0; i < 4; ++i)
        QVERIFY(!w.onAck(base, at(1), none)); // the rest of the old round
    QCOMPARE(w.duplicateAcks(), 0u);
    QVERIFY(!w.onAck(base, at(5), none)); // the base was lost again in the new round
    QCOMPARE(w.duplicateAcks(), 1u);
}

QTEST_GUILESS_MAIN(TestPacketCodec)
#include "tst_packetcodec.moc"
