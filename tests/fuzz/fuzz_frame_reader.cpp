// Control frames (Protocol::decodeFrame, Protocol::FrameReader): the bytes a client or a
// federation peer writes to the TCP stream, arriving in arbitrary pieces.
// Input: 1 byte for the frame limit, then the stream; split sizes come from the stream's own
// bytes so the same input is cut the same way every time.
#include <tests/fuzz/fuzzsupport.h>

#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>

#include <QCborValue>

using namespace Qt::StringLiterals;

namespace {

// What a frame consumed fits its status and the bytes available.
void checkConsumed(const Protocol::DecodedFrame &frame, qsizetype available)
{
    FUZZ_CHECK(frame.consumed >= 0 && frame.consumed <= available);
    if (frame.status == Protocol::FrameStatus::Ok)
        FUZZ_CHECK(frame.consumed > 4);
    else if (frame.status == Protocol::FrameStatus::Incomplete
             || frame.status == Protocol::FrameStatus::TooLarge)
        FUZZ_CHECK(frame.consumed == 0);
}

// Ok frames re-encode to a frame that decodes to the same map. Checked on the whole-stream
// pass only: the incremental reader must produce the very same maps (compared below), so
// re-encoding its frames as well only doubled the work.
void checkReEncodes(const Protocol::DecodedFrame &frame)
{
    if (frame.status != Protocol::FrameStatus::Ok)
        return;
    const QByteArray again = Protocol::encodeFrame(frame.map);
    const Protocol::DecodedFrame second = Protocol::decodeFrame(again, quint32(again.size()));
    FUZZ_CHECK(second.status == Protocol::FrameStatus::Ok);
    FUZZ_CHECK(second.consumed == again.size());
    // Compared as bytes: a map holding a NaN never equals itself (QCborValue compares NaN as
    // unequal), though it decodes and re-encodes to the same bytes.
    FUZZ_CHECK(QCborValue(second.map).toCbor() == again.sliced(4));
}

QByteArray encodedAll(const std::vector<QCborMap> &maps)
{
    QByteArray out;
    for (const QCborMap &m : maps)
        out += Protocol::encodeFrame(m);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Fuzz::Input in(data, size);
    // Small limits make TooLarge reachable; 0 selects the production default.
    const std::uint8_t limitByte = in.u8();
    const quint32 limit = limitByte == 0 ? Protocol::Limits::DefaultMaxFrameBytes : limitByte * 16u;
    const auto stream = in.rest();
    const QByteArrayView all(reinterpret_cast<const char *>(stream.data()),
                             qsizetype(stream.size()));

    // The pure decoder on the whole stream, frame by frame.
    qsizetype offset = 0;
    std::vector<QCborMap> whole;
    bool wholeStopped = false;
    while (offset < all.size()) {
        const Protocol::DecodedFrame f = Protocol::decodeFrame(all.sliced(offset), limit);
        checkConsumed(f, all.size() - offset);
        checkReEncodes(f);
        if (f.status == Protocol::FrameStatus::Ok)
            whole.push_back(f.map);
        if (f.consumed == 0) {
            wholeStopped = f.status == Protocol::FrameStatus::TooLarge;
            break;
        }
        offset += f.consumed;
    }

    // The incremental reader, fed in pieces whose sizes are the stream's bytes (1..256).
    Protocol::FrameReader reader(limit);
    std::vector<QCborMap> pieces;
    bool readerStopped = false;
    qsizetype fed = 0;
    std::size_t split = 0;
    while (fed < all.size() && !readerStopped) {
        const qsizetype want = qsizetype(stream[split++ % stream.size()]) + 1;
        const qsizetype took = reader.append(all.sliced(fed, qMin(want, all.size() - fed)));
        FUZZ_CHECK(took >= 0);
        FUZZ_CHECK(reader.buffered() <= qsizetype(limit) + 4);
        fed += took;
        for (int i = 0; i < 1 << 16; ++i) {
            const qsizetype before = reader.buffered();
            const Protocol::DecodedFrame f = reader.next();
            checkConsumed(f, before);
            FUZZ_CHECK(reader.buffered() == before - f.consumed);
            if (f.status == Protocol::FrameStatus::Ok)
                pieces.push_back(f.map);
            if (f.status == Protocol::FrameStatus::TooLarge)
                readerStopped = true;
            if (f.consumed == 0)
                break;
        }
        if (took == 0 && !readerStopped)
            break; // full of one incomplete frame: cannot happen below the cap
    }
    // However the stream is cut, the same frames come out.
    if (fed == all.size() || readerStopped) {
        FUZZ_CHECK(readerStopped == wholeStopped);
        FUZZ_CHECK(pieces.size() == whole.size() && encodedAll(pieces) == encodedAll(whole));
    }
    // Every map that came out is what a session would hand to the message decoder.
    for (const QCborMap &map : whole)
        (void)Protocol::decodeMessage(map);
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    using namespace Protocol;
    const QByteArray hello = encodeMessageFrame(Hello {
            u"alice"_s, ProtocolVersion, u"cli"_s, QByteArray(32, '\x4b'), QByteArray(64, '\x53')});
    const QByteArray join = encodeMessageFrame(Join {u"#lobby"_s});
    const QByteArray say = encodeMessageFrame(Say {u"#lobby"_s, {u"bob"_s}, u"hi there"_s});
    const QByteArray empty(4, '\0');
    const QByteArray tooLarge = QByteArray::fromHex("7fffffff");
    const QByteArray notMap = encodeFrame(QCborMap {}).left(4) + QByteArray::fromHex("01");
    return {
            {u"hello"_s, QByteArray(1, '\0') + hello},
            {u"session"_s, QByteArray(1, '\0') + hello + join + say},
            {u"small-limit"_s, QByteArray(1, '\2') + join + say},
            {u"empty-frame"_s, QByteArray(1, '\0') + empty + join},
            {u"too-large"_s, QByteArray(1, '\0') + join + tooLarge},
            {u"not-a-map"_s, QByteArray(1, '\0') + notMap + say},
            {u"partial"_s, QByteArray(1, '\0') + say.left(say.size() - 3)},
    };
}
