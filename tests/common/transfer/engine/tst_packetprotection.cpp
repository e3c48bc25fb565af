// PacketProtection: a datagram encoded for sealing (no checksum computed) seals and opens back
// to the same packet, and any changed bit of header, body or tag makes opening fail.
#include <transfer/connection/packetprotection.h>

#include <QTest>

#include <array>
#include <vector>

using namespace Transfer;

namespace {

TrafficSecret secret(char fill)
{
    return {QByteArray(16, fill), QByteArray(12, char(fill + 1))};
}

// Two ends of one connection: a's sealing keys are b's opening keys.
struct Pair
{
    PacketProtection a, b;
    bool init()
    {
        return a.init(Crypto::AeadAlgorithm::Aes128Gcm, secret('s'), secret('r'))
                && b.init(Crypto::AeadAlgorithm::Aes128Gcm, secret('r'), secret('s'));
    }
};

std::vector<std::byte> payload(std::size_t n)
{
    std::vector<std::byte> p(n);
    for (std::size_t i = 0; i < n; ++i)
        p[i] = std::byte(i * 7 + 3);
    return p;
}

using Datagram = std::array<std::byte, kMaxSealedDatagramSize>;

// A DATA packet as a connection that seals encodes it (no checksum computed).
std::size_t encodeDataToSeal(Datagram &out, std::uint32_t pn, std::span<const std::byte> data)
{
    PacketHeader h;
    h.type = PacketType::Data;
    h.destinationCid = 0x1234;
    h.packetNumber = pn;
    h.toBeSealed = true;
    return encodeData(out, h, 9, data);
}

} // namespace

class TestPacketProtection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sealedDataOpensToTheSamePacket()
    {
        Pair pair;
        QVERIFY(pair.init());
        const auto data = payload(1100);
        Datagram buffer {};
        const std::size_t plain = encodeDataToSeal(buffer, 41, data);
        QVERIFY(plain > 0);
        // Encoding for sealing computes no checksum: the tag takes its place.
        QCOMPARE(buffer[plain - 1], std::byte {0});
        QVERIFY(!decodePacket(std::span(buffer).first(plain)));
        const std::size_t sealed = pair.a.seal(buffer, plain, 41);
        QCOMPARE(sealed, plain + kTagSize - kChecksumSize);

        const auto view = decodePacket(std::span(buffer).first(sealed));
        QVERIFY(view && view->sealed);
        Datagram scratch {};
        const auto opened = pair.b.open(*view, scratch);
        QVERIFY(opened);
        QCOMPARE(opened->header.type, PacketType::Data);
        QCOMPARE(opened->header.destinationCid, 0x1234u);
        QCOMPARE(opened->header.packetNumber, 41u);
        QCOMPARE(opened->body.size(), data.size() + 4); // unit index, then the payload
        QVERIFY(std::equal(data.begin(), data.end(), opened->body.begin() + 4));
    }

    void anyChangedByteFailsToOpen()
    {
        Pair pair;
        QVERIFY(pair.init());
        const auto data = payload(200);
        Datagram original {};
        const std::size_t sealed = pair.a.seal(original, encodeDataToSeal(original, 7, data), 7);
        QVERIFY(sealed > 0);
        // Header (after the first byte, which marks the datagram sealed), body and tag.
        for (const std::size_t at : {std::size_t(2), std::size_t(9), kHeaderSize + 5, sealed - 1}) {
            auto buffer = original;
            buffer[at] ^= std::byte {0x01};
            const auto view = decodePacket(std::span(buffer).first(sealed));
            QVERIFY(view);
            Datagram scratch {};
            QVERIFY2(!pair.b.open(*view, scratch), qPrintable(QString::number(at)));
        }
        // The untouched datagram still opens: the failures moved nothing.
        const auto view = decodePacket(std::span(original).first(sealed));
        Datagram scratch {};
        QVERIFY(view && pair.b.open(*view, scratch));
    }
};

QTEST_APPLESS_MAIN(TestPacketProtection)
#include "tst_packetprotection.moc"
