#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>

#include <QCborArray>
#include <QCborValue>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;
using namespace Protocol;

class TestFrameCodec : public QObject
{
    Q_OBJECT
private:
    static QByteArray rawFrame(const QByteArray &body)
    {
        QByteArray out(4, Qt::Uninitialized);
        qToBigEndian(quint32(body.size()), out.data());
        return out + body;
    }

private Q_SLOTS:
    void roundTrip()
    {
        const QCborMap map {{u"t"_s, u"say"_s}, {u"text"_s, u"héllo ✓"_s}};
        const QByteArray frame = encodeFrame(map);
        QCOMPARE(qFromBigEndian<quint32>(frame.constData()), quint32(frame.size() - 4));
        const DecodedFrame d = decodeFrame(frame);
        QCOMPARE(d.status, FrameStatus::Ok);
        QCOMPARE(d.consumed, frame.size());
        QCOMPARE(d.map, map);
    }

    void splitAtEveryByteBoundary()
    {
        const QByteArray a = encodeMessageFrame(Say {u"lobby"_s, {u"bob"_s}, u"first"_s});
        const QByteArray b = encodeMessageFrame(Ping {7, u"alpha"_s});
        const QByteArray stream = a + b;
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            FrameReader reader;
            QList<QCborMap> maps;
            for (const QByteArray &piece : {stream.left(cut), stream.mid(cut)}) {
                QCOMPARE(reader.append(piece), piece.size());
                for (int guard = 0; guard < 4; ++guard) {
                    const DecodedFrame f = reader.next();
                    if (f.status == FrameStatus::Incomplete)
                        break;
                    QCOMPARE(f.status, FrameStatus::Ok);
                    maps.append(f.map);
                }
            }
            QCOMPARE(maps.size(), 2);
            QCOMPARE(maps[0].value(u"text"_s).toString(), u"first"_s);
            QCOMPARE(maps[1].value(u"id"_s).toInteger(), 7);
            QCOMPARE(reader.buffered(), 0);
        }
    }

    void byteByByte()
    {
        const QByteArray frame = encodeMessageFrame(Join {u"lobby"_s});
        FrameReader reader;
        int frames = 0;
        for (char c : frame) {
            QCOMPARE(reader.append(QByteArrayView(&c, 1)), 1);
            const DecodedFrame f = reader.next();
            if (f.status == FrameStatus::Ok)
                ++frames;
            else
                QCOMPARE(f.status, FrameStatus::Incomplete);
        }
        QCOMPARE(frames, 1);
    }

    void manyFramesInOneBuffer()
    {
        QByteArray stream;
        for (int i = 0; i < 1000; ++i)
            stream += encodeMessageFrame(Ping {quint32(i), {}});
        FrameReader reader;
        qsizetype offset = 0;
        int count = 0;
        while (offset < stream.size() || reader.buffered() > 0) {
            offset += reader.append(QByteArrayView(stream).sliced(offset));
            const DecodedFrame f = reader.next();
            if (f.status == FrameStatus::Incomplete)
                break;
            QCOMPARE(f.status, FrameStatus::Ok);
            QCOMPARE(f.map.value(u"id"_s).toInteger(), count);
            ++count;
        }
        QCOMPARE(count, 1000);
    }

    void oversizedLengthIsRejectedBeforeReading()
    {
        QByteArray prefix(4, Qt::Uninitialized);
        qToBigEndian(quint32(2 * 1024 * 1024), prefix.data());
        const DecodedFrame d = decodeFrame(prefix, 1024 * 1024);
        QCOMPARE(d.status, FrameStatus::TooLarge);
        QVERIFY(d.error.contains(u"exceeds"_s));

        // The reader never buffers more than one maximum frame.
        FrameReader reader(64);
        const QByteArray big(1000, 'x');
        QVERIFY(reader.append(big) <= 64 + 4);
    }

    void zeroLengthIsMalformed()
    {
        const DecodedFrame d = decodeFrame(QByteArray(4, '\0'));
        QCOMPARE(d.status, FrameStatus::Malformed);
        QCOMPARE(d.consumed, 4);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("truncated map") << QByteArray::fromHex("a2617401");
        QTest::newRow("invalid cbor") << QByteArray::fromHex("ff");
        QTest::newRow("array not map") << QCborValue(QCborArray {1, 2}).toCbor();
        QTest::newRow("integer") << QByteArray::fromHex("01");
        QTest::newRow("trailing bytes") << QCborValue(QCborMap {{1, 2}}).toCbor() + '\x01';
        QTest::newRow("random garbage") << QByteArray("\xde\xad\xbe\xef\x00\x01\x02", 7);
    }
    void malformed()
    {
        QFETCH(QByteArray, body);
        const QByteArray frame = rawFrame(body);
        const DecodedFrame d = decodeFrame(frame);
        QCOMPARE(d.status, FrameStatus::Malformed);
        QCOMPARE(d.consumed, frame.size()); // skipped whole: the next frame stays readable
        QVERIFY(!d.error.isEmpty());

        FrameReader reader;
        reader.append(QByteArray(frame + encodeMessageFrame(Join {u"after"_s})));
        QCOMPARE(reader.next().status, FrameStatus::Malformed);
        const DecodedFrame next = reader.next();
        QCOMPARE(next.status, FrameStatus::Ok);
        QCOMPARE(next.map.value(u"room"_s).toString(), u"after"_s);
    }
};

QTEST_GUILESS_MAIN(TestFrameCodec)
#include "tst_framecodec.moc"
