#include <server-console/federation/linktraffic.h>

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;
namespace Link = Protocol::Link;

namespace Server {

void LinkTraffic::count(const QString &neighbour, Direction direction, const Link::Message &message,
                        qint64 bytes)
{
    Key key {neighbour, {}, {}};
    if (const auto *routed = std::get_if<Link::Routed>(&message)) {
        key.kind = routed->room.isEmpty() ? u"control"_s : u"room"_s;
        key.room = routed->room;
    } else if (std::holds_alternative<Link::State>(message)) {
        key.kind = u"presence"_s;
    } else {
        return; // link housekeeping
    }
    Both &both = m_counters[key];
    Counter &c = direction == Direction::Sent ? both.sent : both.received;
    ++c.frames;
    c.bytes += bytes;
}

LinkTraffic::Counter LinkTraffic::sum(const QString &kind, const QString &room, Direction direction,
                                      const QString &neighbour) const
{
    Counter total;
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it) {
        const Key &k = it.key();
        if (k.kind != kind || k.room != room || (!neighbour.isEmpty() && k.neighbour != neighbour))
            continue;
        total += direction == Direction::Sent ? it->sent : it->received;
    }
    return total;
}

LinkTraffic::Counter LinkTraffic::room(const QString &room, Direction direction,
                                       const QString &neighbour) const
{
    return sum(u"room"_s, room, direction, neighbour);
}

LinkTraffic::Counter LinkTraffic::presence(Direction direction, const QString &neighbour) const
{
    return sum(u"presence"_s, {}, direction, neighbour);
}

LinkTraffic::Counter LinkTraffic::control(Direction direction, const QString &neighbour) const
{
    return sum(u"control"_s, {}, direction, neighbour);
}

QStringList LinkTraffic::rooms() const
{
    QSet<QString> out;
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it) {
        if (it.key().kind == u"room")
            out.insert(it.key().room);
    }
    QStringList sorted(out.cbegin(), out.cend());
    sorted.sort();
    return sorted;
}

QStringList LinkTraffic::summary() const
{
    QStringList lines;
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it) {
        const Key &k = it.key();
        const QString what = k.kind == u"room" ? u"room '%1'"_s.arg(k.room) : k.kind;
        lines.append(u"link %1, %2: sent %3 frames (%4 bytes), received %5 frames (%6 bytes)"_s
                             .arg(k.neighbour, what)
                             .arg(it->sent.frames)
                             .arg(it->sent.bytes)
                             .arg(it->received.frames)
                             .arg(it->received.bytes));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

} // namespace Server
