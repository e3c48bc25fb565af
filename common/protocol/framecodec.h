#pragma once

#include <protocol/limits.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QCborMap>
#include <QString>

namespace Protocol {

// A frame is a 4-byte big-endian length followed by exactly that many bytes of one CBOR map.
[[nodiscard]] QByteArray encodeFrame(const QCborMap &map);

enum class FrameStatus {
    Ok, // frame holds one decoded map
    Incomplete, // need more bytes
    TooLarge, // the length prefix exceeds the limit: the stream cannot be trusted any more
    Malformed, // the frame's bytes are not one CBOR map; the frame is skipped
};

struct DecodedFrame
{
    FrameStatus status = FrameStatus::Incomplete;
    QCborMap map;
    qsizetype consumed = 0; // bytes to drop from the front of the buffer
    QString error;
};

// Pure: looks at the start of `buffer` and decodes at most one frame. Never allocates for a
// frame before its length has been checked against maxFrameBytes.
[[nodiscard]] DecodedFrame decodeFrame(QByteArrayView buffer,
                                       quint32 maxFrameBytes = Limits::DefaultMaxFrameBytes);

// Incremental reader: bytes arrive in any number of pieces; frames come out one by one.
// The buffer never holds more than one maximum-sized frame plus its prefix.
class FrameReader
{
public:
    explicit FrameReader(quint32 maxFrameBytes = Limits::DefaultMaxFrameBytes)
        : m_maxFrameBytes(maxFrameBytes)
    { }

    // Appends as much of `data` as the cap allows and returns how much was taken. The caller
    // feeds the rest after draining frames with next().
    qsizetype append(QByteArrayView data);
    [[nodiscard]] DecodedFrame next();
    [[nodiscard]] qsizetype buffered() const { return m_buffer.size() - m_offset; }
    [[nodiscard]] quint32 maxFrameBytes() const { return m_maxFrameBytes; }
    // A new cap for the frames still to come (a link raises it once authenticated).
    void setMaxFrameBytes(quint32 maxFrameBytes) { m_maxFrameBytes = maxFrameBytes; }
    // The bytes received but not yet returned as frames, for the next owner of the stream
    // (a client connection that turns into a link); leaves this reader empty.
    [[nodiscard]] QByteArray takeBuffered();

private:
    quint32 m_maxFrameBytes;
    QByteArray m_buffer;
    qsizetype m_offset = 0;
};

} // namespace Protocol
