#pragma once

// The sender's record of packets it sent and has not yet settled, in packet-number order.
//
// A fixed ring allocated once (capacity rounded up to a power of two), so recording and
// settling a packet never allocates. Packet numbers must increase but may skip (packets the
// engine does not track, e.g. ACK-only packets, need not be recorded). Entries leave the ring
// from the front once they are acknowledged or declared lost, so the ring holds the oldest
// outstanding packet and everything sent after it. When it is full the engine must not send
// (isFull()), which bounds memory at any rate.

#include <transfer/congestion/deliveryrate.h>
#include <transfer/io/transferclock.h>
#include <transfer/wire/packetnumber.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace Transfer {

struct SentPacket
{
    enum class State : std::uint8_t { Outstanding, Acked, Lost };

    PacketNumber pn = 0;
    TimePoint sentTime {};
    std::uint64_t tag = 0; // opaque to the algorithms: what the engine put in the packet
    DeliverySnapshot delivery;
    std::uint32_t bytes = 0;
    bool ackEliciting = true;
    bool inFlight = true; // counts towards bytes in flight and congestion control
    State state = State::Outstanding;
};

class SentPackets
{
public:
    static constexpr std::size_t kDefaultCapacity = 16384;

    explicit SentPackets(std::size_t capacity = kDefaultCapacity);

    [[nodiscard]] bool isFull() const { return m_count == m_ring.size(); }
    [[nodiscard]] bool isEmpty() const { return m_count == 0; }
    [[nodiscard]] std::size_t size() const { return m_count; }
    [[nodiscard]] std::size_t capacity() const { return m_ring.size(); }
    // The smallest number record() accepts next.
    [[nodiscard]] PacketNumber nextPacketNumber() const { return m_next; }

    // Appends a packet. Returns false (and records nothing) when the ring is full or
    // packet.pn < nextPacketNumber().
    bool record(const SentPacket &packet);

    // Position of the first entry with pn >= `pn` (size() if none). O(log size).
    [[nodiscard]] std::size_t lowerBound(PacketNumber pn) const;
    [[nodiscard]] SentPacket &at(std::size_t index) { return m_ring[(m_head + index) & m_mask]; }
    [[nodiscard]] const SentPacket &at(std::size_t index) const
    {
        return m_ring[(m_head + index) & m_mask];
    }
    // The entry for `pn`, or nullptr when it is not in the ring.
    [[nodiscard]] SentPacket *find(PacketNumber pn);

    // Drops settled (acknowledged or lost) entries from the front.
    void retireSettled();
    void clear();

private:
    std::vector<SentPacket> m_ring;
    std::size_t m_mask = 0;
    std::size_t m_head = 0;
    std::size_t m_count = 0;
    PacketNumber m_next = 0;
};

} // namespace Transfer
