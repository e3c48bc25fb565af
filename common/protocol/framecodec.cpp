#include <protocol/framecodec.h>

#include <QCborStreamReader>
#include <QCborValue>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace Protocol {

namespace {
constexpr qsizetype kPrefix = 4;
}

QByteArray encodeFrame(const QCborMap &map)
{
    const QByteArray body = QCborValue(map).toCbor();
    QByteArray frame(kPrefix, Qt::Uninitialized);
    qToBigEndian(quint32(body.size()), frame.data());
    frame.append(body);
    return frame;
}

DecodedFrame decodeFrame(QByteArrayView buffer, quint32 maxFrameBytes)
{
    DecodedFrame out;
    if (buffer.size() < kPrefix)
        return out;
    const quint32 length = qFromBigEndian<quint32>(buffer.data());
    if (length > maxFrameBytes) {
        out.status = FrameStatus::TooLarge;
        out.error = u"frame of %1 bytes exceeds the limit of %2"_s.arg(length).arg(maxFrameBytes);
        return out;
    }
    if (length == 0) {
        out.status = FrameStatus::Malformed;
        out.consumed = kPrefix;
        out.error = u"empty frame"_s;
        return out;
    }
    if (buffer.size() - kPrefix < qsizetype(length))
        return out;

    out.consumed = kPrefix + qsizetype(length);
    const QByteArrayView body = buffer.sliced(kPrefix, qsizetype(length));
    QCborStreamReader reader(reinterpret_cast<const quint8 *>(body.data()), body.size());
    if (reader.type() != QCborStreamReader::Map) {
        out.status = FrameStatus::Malformed;
        out.error = u"frame is not a CBOR map"_s;
        return out;
    }
    const QCborValue value = QCborValue::fromCbor(reader);
    const QCborError err = reader.lastError();
    if (err != QCborError::NoError) {
        out.status = FrameStatus::Malformed;
        out.error = u"invalid CBOR: %1"_s.arg(err.toString());
        return out;
    }
    if (reader.currentOffset() != qint64(length)) {
        out.status = FrameStatus::Malformed;
        out.error = u"trailing bytes after the CBOR map"_s;
        return out;
    }
    out.status = FrameStatus::Ok;
    out.map = value.toMap();
    return out;
}

qsizetype FrameReader::append(QByteArrayView data)
{
    // Compact lazily: drop consumed bytes only when they dominate the buffer.
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    const qsizetype cap = qsizetype(m_maxFrameBytes) + kPrefix;
    const qsizetype room = qMax<qsizetype>(0, cap - buffered());
    const qsizetype take = qMin(room, data.size());
    m_buffer.append(data.first(take));
    return take;
}

QByteArray FrameReader::takeBuffered()
{
    QByteArray out = m_buffer.sliced(m_offset);
    m_buffer.clear();
    m_offset = 0;
    return out;
}

DecodedFrame FrameReader::next()
{
    DecodedFrame frame = decodeFrame(QByteArrayView(m_buffer).sliced(m_offset), m_maxFrameBytes);
    m_offset += frame.consumed;
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    }
    return frame;
}

} // namespace Protocol
