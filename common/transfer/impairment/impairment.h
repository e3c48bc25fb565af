#pragma once

// The impairment layer: deliberate loss (random or Gilbert-Elliott bursts), duplication,
// reordering, corruption, delay with jitter and a rate limit with a real queue. It sits between
// the UDP socket and the transport on either end so that reliability and throughput can be
// tested and plotted without netem. Pure logic on an injected clock: deterministic for a seed.

#include <QHostAddress>
#include <QString>
#include <QStringView>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace Transfer {

struct ImpairmentSpec
{
    enum class Direction { Outbound, Inbound, Both };

    double loss = 0.0; // probability 0..1 that a datagram is dropped
    double burst = 0.0; // mean loss burst length in datagrams; > 1 selects Gilbert-Elliott
    double duplicate = 0.0; // probability a datagram is delivered twice
    double reorder = 0.0; // probability a datagram is held back behind later ones
    double corrupt = 0.0; // probability one byte of the datagram is flipped
    std::chrono::microseconds delay {0};
    std::chrono::microseconds jitter {0};
    std::uint64_t rateBitsPerSecond = 0; // 0 = unlimited
    std::size_t queueBytes = 0; // rate queue limit (tail drop); 0 = derived from rate
    std::uint64_t seed = 1;
    Direction direction = Direction::Outbound;

    [[nodiscard]] bool isActive() const;

    // Parses "loss=5%,burst=3,dup=1%,reorder=2%,corrupt=0.5%,delay=20ms,jitter=5ms,rate=50Mbit,
    // queue=64KiB,seed=7,dir=out|in|both". Empty string = no impairment. On error returns
    // nullopt and sets *error to a message naming the offending key or value.
    [[nodiscard]] static std::optional<ImpairmentSpec> parse(QStringView text, QString *error);
    [[nodiscard]] QString toString() const;
};

struct ImpairmentStats
{
    std::uint64_t offered = 0;
    std::uint64_t delivered = 0;
    std::uint64_t dropped = 0; // random/burst loss
    std::uint64_t queueDropped = 0; // rate queue overflow
    std::uint64_t duplicated = 0;
    std::uint64_t reordered = 0;
    std::uint64_t corrupted = 0;
};

class Impairer
{
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    explicit Impairer(const ImpairmentSpec &spec);
    ~Impairer();
    Impairer(const Impairer &) = delete;
    Impairer &operator=(const Impairer &) = delete;

    // Offers one datagram to the impaired link at time `now`. The bytes are copied if kept.
    void push(std::span<const std::byte> datagram, const QHostAddress &peer, quint16 port,
              TimePoint now);

    // Calls deliver(std::span<const std::byte>, const QHostAddress &, quint16) for every datagram
    // whose delivery time is <= now, in delivery order.
    template<typename Deliver>
    void popDue(TimePoint now, Deliver &&deliver);

    // When the next queued datagram becomes due, or nullopt if the queue is empty.
    [[nodiscard]] std::optional<TimePoint> nextDue() const;
    [[nodiscard]] ImpairmentStats stats() const;
    [[nodiscard]] const ImpairmentSpec &spec() const;

private:
    struct Private;
    Private *d;
    // Non-template core of popDue: returns false when nothing more is due.
    bool popOne(TimePoint now, std::span<const std::byte> *data, QHostAddress *peer, quint16 *port);
};

template<typename Deliver>
void Impairer::popDue(TimePoint now, Deliver &&deliver)
{
    std::span<const std::byte> data;
    QHostAddress peer;
    quint16 port = 0;
    while (popOne(now, &data, &peer, &port))
        deliver(data, peer, port);
}

} // namespace Transfer
