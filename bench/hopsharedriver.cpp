#include <bench/chatdrivers.h>

#include <protocol/messagecodec.h>

#include <QtEndian>

#include <charconv>
#include <cstring>

namespace Bench::Gen {

bool parseStamp(const char *p, const char *end, int *sender, int64_t *stampNs)
{
    const auto s = std::from_chars(p, end, *sender);
    if (s.ec != std::errc() || s.ptr >= end || *s.ptr != ' ')
        return false;
    return std::from_chars(s.ptr + 1, end, *stampNs).ec == std::errc();
}

HopshareDriver::HopshareDriver(std::vector<std::string> hellos, const std::string &room)
    : m_hellos(std::move(hellos))
    , m_room(room)
{
    const QByteArray join
            = Protocol::encodeMessageFrame(Protocol::Join {QString::fromStdString(room)});
    m_join.assign(join.constData(), size_t(join.size()));
}

std::string HopshareDriver::greeting(const Conn &c)
{
    return m_hellos.at(size_t(c.index)) + m_join;
}

std::string HopshareDriver::message(const Conn &c, int64_t stampNs)
{
    const QByteArray frame = Protocol::encodeMessageFrame(
            Protocol::Say {QString::fromStdString(m_room),
                           {},
                           QStringLiteral("~B%1 %2").arg(c.sender).arg(stampNs)});
    return std::string(frame.constData(), size_t(frame.size()));
}

void HopshareDriver::consume(Conn &c, Generator &gen)
{
    // Every frame is a small map whose first entry is "t": header byte, "t", type name.
    static const std::string_view msg("\x61t\x63msg", 6);
    static const std::string_view joined("\x61t\x66joined", 9);
    while (c.in.size() - c.inOffset >= 4) {
        const char *start = c.in.data() + c.inOffset;
        const size_t length = qFromBigEndian<quint32>(start);
        if (c.in.size() - c.inOffset - 4 < length)
            break;
        const std::string_view frame(start + 4, length);
        c.inOffset += 4 + length;
        const std::string_view body = frame.size() > 1 ? frame.substr(1) : std::string_view();
        if (body.starts_with(joined)) {
            gen.onJoined(c);
        } else if (body.starts_with(msg)) {
            const void *hit = memmem(body.data(), body.size(), kMarker.data(), kMarker.size());
            int sender = -1;
            int64_t stamp = 0;
            // The text is the last string of the map or followed by other fields; the digits
            // end at the first non-digit either way.
            if (hit
                && parseStamp(static_cast<const char *>(hit) + kMarker.size(),
                              body.data() + body.size(), &sender, &stamp))
                gen.onMessage(c, sender, stamp);
        }
    }
    if (c.inOffset == c.in.size()) {
        c.in.clear();
        c.inOffset = 0;
    }
}

} // namespace Bench::Gen
