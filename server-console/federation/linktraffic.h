#pragma once

#include <protocol/linkmessages.h>

#include <QHash>
#include <QStringList>

namespace Server {

// Frames and bytes this server exchanged with each neighbour, by what they carried:
// - room traffic (routed chat, relays, search, offers, transfer signalling), per room: it goes
//   only towards servers with members of the room, which these counters let anyone check;
// - presence (link-state advertisements): flooded to every server by design, counted apart;
// - control (routed pings and pongs, which belong to no room).
// Heartbeats and the handshake stay inside the link and are not counted.
class LinkTraffic
{
public:
    enum class Direction { Sent, Received };
    struct Counter
    {
        qint64 frames = 0;
        qint64 bytes = 0;
        Counter &operator+=(const Counter &o)
        {
            frames += o.frames;
            bytes += o.bytes;
            return *this;
        }
    };

    void count(const QString &neighbour, Direction direction,
               const Protocol::Link::Message &message, qint64 bytes);

    // An empty neighbour sums over every link.
    [[nodiscard]] Counter room(const QString &room, Direction direction,
                               const QString &neighbour = {}) const;
    [[nodiscard]] Counter presence(Direction direction, const QString &neighbour = {}) const;
    [[nodiscard]] Counter control(Direction direction, const QString &neighbour = {}) const;
    // The rooms whose traffic crossed a link of this server.
    [[nodiscard]] QStringList rooms() const;
    // One line per neighbour and kind, for the log.
    [[nodiscard]] QStringList summary() const;

private:
    struct Key
    {
        QString neighbour;
        QString kind; // "room", "presence" or "control"
        QString room;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &k, size_t seed = 0)
        {
            return qHashMulti(seed, k.neighbour, k.kind, k.room);
        }
    };
    struct Both
    {
        Counter sent, received;
    };
    [[nodiscard]] Counter sum(const QString &kind, const QString &room, Direction direction,
                              const QString &neighbour) const;

    QHash<Key, Both> m_counters;
};

} // namespace Server
