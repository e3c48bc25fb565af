#include <bench/chatdrivers.h>

#include <protocol/messagecodec.h>

#include <QtEndian>

#include <algorithm>
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

namespace {

// Every frame is a small map whose first entry is "t": header byte, "t", type name.
constexpr std::string_view kMessageType("\x61t\x63msg", 6);
constexpr std::string_view kJoinedType("\x61t\x66joined", 9);
// Enough of a frame's body to know its type: the map's head byte and the "t" entry.
constexpr size_t kTypeBytes = 1 + kJoinedType.size();
// A message is gathered whole to find its marker; a longer one is not the bench's.
constexpr size_t kMaxMessageFrame = 64 * 1024;

bool isMessage(std::string_view body)
{
    return body.size() > 1 && body.substr(1).starts_with(kMessageType);
}

} // namespace

void HopshareDriver::onFrame(Conn &c, Generator &gen, std::string_view body)
{
    const std::string_view afterHead = body.size() > 1 ? body.substr(1) : std::string_view();
    if (afterHead.starts_with(kJoinedType)) {
        gen.onJoined(c);
    } else if (afterHead.starts_with(kMessageType)) {
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

void HopshareDriver::consume(Conn &c, Generator &gen, std::string_view data)
{
    // Copying every byte into a per-connection buffer cost the generator more than decrypting
    // them in a join burst (member lists of hundreds of KiB to each of thousands of clients):
    // whole frames are looked at where they were read, and only a split frame's head (or a
    // split message) is carried over.
    const auto take = [&](size_t wanted) {
        const size_t n = std::min(wanted, data.size());
        c.in.append(data.substr(0, n));
        data.remove_prefix(n);
    };
    for (;;) {
        if (c.skip > 0) {
            const size_t n = std::min(c.skip, data.size());
            c.skip -= n;
            data.remove_prefix(n);
            if (c.skip > 0)
                return;
        }
        if (c.in.empty()) {
            if (data.size() >= 4) {
                const size_t length = qFromBigEndian<quint32>(data.data());
                if (data.size() - 4 >= length) {
                    onFrame(c, gen, data.substr(4, length));
                    data.remove_prefix(4 + length);
                    continue;
                }
            } else if (data.empty()) {
                return;
            }
        }
        // A frame split across reads: its length, then its type, then (a message) the rest.
        if (c.in.size() < 4 && (take(4 - c.in.size()), c.in.size() < 4))
            return;
        const size_t length = qFromBigEndian<quint32>(c.in.data());
        const size_t head = 4 + std::min(length, kTypeBytes);
        if (c.in.size() < head && (take(head - c.in.size()), c.in.size() < head))
            return;
        const size_t wanted
                = isMessage(std::string_view(c.in).substr(4)) && length <= kMaxMessageFrame
                ? 4 + length
                : head;
        if (c.in.size() < wanted && (take(wanted - c.in.size()), c.in.size() < wanted))
            return;
        onFrame(c, gen, std::string_view(c.in).substr(4));
        c.skip = 4 + length - c.in.size();
        c.in.clear();
    }
}

} // namespace Bench::Gen
