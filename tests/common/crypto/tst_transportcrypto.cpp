// Published vectors for the transfer's primitives (RFC 7748 X25519, RFC 5869 HKDF-SHA256,
// the GCM specification's AES-128 test case 4, RFC 8439 ChaCha20-Poly1305) and tamper checks.
#include <crypto/aead.h>
#include <crypto/hkdf.h>
#include <crypto/x25519.h>

#include <QTest>

using namespace Crypto;

namespace {

std::span<const std::byte> bytes(const QByteArray &a)
{
    return std::as_bytes(std::span(a.constData(), std::size_t(a.size())));
}

std::span<std::byte> mutableBytes(QByteArray &a)
{
    return std::as_writable_bytes(std::span(a.data(), std::size_t(a.size())));
}

struct AeadVector
{
    AeadAlgorithm algorithm;
    QByteArray key, iv, aad, plaintext, ciphertext, tag;
    std::uint64_t packetNumber;
};

AeadVector gcmVector()
{
    // The IV's last byte is 0x88 ^ 0x08: nonce = IV XOR packet number 8.
    return {AeadAlgorithm::Aes128Gcm,
            QByteArray::fromHex("feffe9928665731c6d6a8f9467308308"),
            QByteArray::fromHex("cafebabefacedbaddecaf880"),
            QByteArray::fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
            QByteArray::fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"),
            QByteArray::fromHex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                                "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"),
            QByteArray::fromHex("5bc94fbc3221a5db94fae95ae7121a47"),
            8};
}

AeadVector chachaVector()
{
    QByteArray key;
    for (int i = 0x80; i <= 0x9f; ++i)
        key.append(char(i));
    // RFC 8439 §2.8.2 nonce 07000000 4041424344454647, given as IV ^ packet number 7.
    return {AeadAlgorithm::ChaCha20Poly1305,
            key,
            QByteArray::fromHex("070000004041424344454640"),
            QByteArray::fromHex("50515253c0c1c2c3c4c5c6c7"),
            QByteArray("Ladies and Gentlemen of the class of '99: If I could offer you only "
                       "one tip for the future, sunscreen would be it."),
            QByteArray::fromHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                                "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                                "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                                "3ff4def08e4b7a9de576d26586cec64b6116"),
            QByteArray::fromHex("1ae10b594f09e26a7e902ecbd0600691"),
            7};
}

} // namespace

class TstTransportCrypto : public QObject
{
    Q_OBJECT

private slots:
    void x25519Rfc7748()
    {
        const auto alice = X25519KeyPair::fromPrivateKey(QByteArray::fromHex(
                "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        const auto bob = X25519KeyPair::fromPrivateKey(QByteArray::fromHex(
                "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        QVERIFY(alice.isValid() && bob.isValid());
        QCOMPARE(alice.publicKey().toHex(),
                 "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        QCOMPARE(bob.publicKey().toHex(),
                 "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        const QByteArray expected = QByteArray::fromHex(
                "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        QCOMPARE(alice.derive(bob.publicKey()).value_or(QByteArray()), expected);
        QCOMPARE(bob.derive(alice.publicKey()).value_or(QByteArray()), expected);
    }

    void x25519RejectsLowOrderAndMalformedKeys()
    {
        const auto mine = X25519KeyPair::generate();
        QVERIFY(mine.isValid());
        QVERIFY(!mine.derive(QByteArray(32, '\0')).has_value()); // the zero point
        QByteArray one(32, '\0');
        one[0] = 1; // order 1: the shared secret would be all zero
        QVERIFY(!mine.derive(one).has_value());
        QVERIFY(!mine.derive(QByteArray(31, 'x')).has_value());
        const auto other = X25519KeyPair::generate();
        QCOMPARE(mine.derive(other.publicKey()), other.derive(mine.publicKey()));
    }

    void hkdfRfc5869()
    {
        const QByteArray prk = hkdfExtract(QByteArray::fromHex("000102030405060708090a0b0c"),
                                           QByteArray(22, char(0x0b)));
        QCOMPARE(prk.toHex(), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        QCOMPARE(hkdfExpand(prk, QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9"), 42).toHex(),
                 "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b8"
                 "87185865");
        // Test case 3: no salt (zero salt), no info.
        const QByteArray prk3 = hkdfExtract({}, QByteArray(22, char(0x0b)));
        QCOMPARE(prk3.toHex(), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        QCOMPARE(hkdfExpand(prk3, {}, 42).toHex(),
                 "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4"
                 "b61a96c8");
        QVERIFY(hkdfExpand(prk, {}, 0).isEmpty());
        QVERIFY(hkdfExpand(prk, {}, 255 * 32 + 1).isEmpty());
    }

    void aeadVectors_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("aes-128-gcm") << 0;
        QTest::newRow("chacha20-poly1305") << 1;
    }

    void aeadVectors()
    {
        QFETCH(int, which);
        const AeadVector v = which == 0 ? gcmVector() : chachaVector();
        AeadContext sealer;
        AeadContext opener;
        QVERIFY(sealer.init(v.algorithm, AeadContext::Direction::Seal, v.key, v.iv));
        QVERIFY(opener.init(v.algorithm, AeadContext::Direction::Open, v.key, v.iv));
        // Twice with the same contexts: only the nonce is re-set per packet.
        for (int round = 0; round < 2; ++round) {
            QByteArray buffer = v.plaintext; // sealed in place
            std::array<std::byte, 16> tag {};
            QVERIFY(sealer.seal(v.packetNumber, bytes(v.aad), bytes(buffer), mutableBytes(buffer),
                                tag));
            QCOMPARE(buffer.toHex(), v.ciphertext.toHex());
            QCOMPARE(QByteArray(reinterpret_cast<const char *>(tag.data()), 16).toHex(),
                     v.tag.toHex());
            QByteArray plain(buffer.size(), '\0');
            QVERIFY(opener.open(v.packetNumber, bytes(v.aad), bytes(buffer), mutableBytes(plain),
                                tag));
            QCOMPARE(plain, v.plaintext);
        }
    }

    void aeadRejectsTampering_data() { aeadVectors_data(); }

    void aeadRejectsTampering()
    {
        QFETCH(int, which);
        const AeadVector v = which == 0 ? gcmVector() : chachaVector();
        AeadContext opener;
        QVERIFY(opener.init(v.algorithm, AeadContext::Direction::Open, v.key, v.iv));
        std::array<std::byte, 16> tag {};
        std::memcpy(tag.data(), v.tag.constData(), 16);
        QByteArray plain(v.ciphertext.size(), '\0');
        auto opens = [&](const QByteArray &ct, const QByteArray &aad, std::uint64_t pn,
                         const std::array<std::byte, 16> &t) {
            return opener.open(pn, bytes(aad), bytes(ct), mutableBytes(plain), t);
        };
        QVERIFY(opens(v.ciphertext, v.aad, v.packetNumber, tag));
        QByteArray flipped = v.ciphertext;
        flipped[10] = char(flipped[10] ^ 0x01);
        QVERIFY(!opens(flipped, v.aad, v.packetNumber, tag));
        QByteArray aad = v.aad;
        aad[0] = char(aad[0] ^ 0x80);
        QVERIFY(!opens(v.ciphertext, aad, v.packetNumber, tag));
        QVERIFY(!opens(v.ciphertext, v.aad, v.packetNumber + 1, tag)); // another nonce
        auto badTag = tag;
        badTag[15] ^= std::byte {1};
        QVERIFY(!opens(v.ciphertext, v.aad, v.packetNumber, badTag));
        // The context still works after failures.
        QVERIFY(opens(v.ciphertext, v.aad, v.packetNumber, tag));
    }

    void aeadRejectsBadKeys()
    {
        AeadContext c;
        QVERIFY(!c.init(AeadAlgorithm::Aes128Gcm, AeadContext::Direction::Seal, QByteArray(32, 'k'),
                        QByteArray(12, 'i')));
        QVERIFY(!c.init(AeadAlgorithm::ChaCha20Poly1305, AeadContext::Direction::Seal,
                        QByteArray(32, 'k'), QByteArray(8, 'i')));
        QVERIFY(!c.isValid());
        std::array<std::byte, 16> tag {};
        QByteArray b("x");
        QVERIFY(!c.seal(0, {}, bytes(b), mutableBytes(b), tag));
    }
};

QTEST_GUILESS_MAIN(TstTransportCrypto)
#include "tst_transportcrypto.moc"
