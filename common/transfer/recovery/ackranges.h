#pragma once

// Receiver-side record of received packet numbers, reported as SACK ranges newest first.
//
// Packet numbers are 64-bit expanded numbers (see packetnumber.h), so wrap of the 32-bit wire
// value is handled once, by the engine, before calling onPacketReceived().
//
// Memory is bounded: the record is a fixed ring of at most `maxTrackedRanges` disjoint runs,
// allocated once. When a new run does not fit, the oldest run is forgotten; runs wholly older
// than `trackedPackets` below the largest received number are forgotten too (TRANSFER.md 2.4:
// the sender has long declared those lost or acknowledged). Arrivals older than what is still
// tracked are reported as TooOld: the payload may still be useful to the engine, but the number
// is no longer acknowledged. At most kMaxReportedRanges runs (newest first) go into one ACK.
//
// Cost: an in-order arrival extends the newest run in O(1); a reordered arrival costs
// O(number of runs newer than it), which is small because reordering is local.

#include <transfer/io/transferclock.h>
#include <transfer/wire/packetnumber.h>

#include <cstddef>
#include <span>
#include <vector>

namespace Transfer {

class AckRanges
{
public:
    static constexpr std::size_t kMaxReportedRanges = 64;
    static constexpr std::size_t kDefaultTrackedRanges = 256;
    static constexpr std::uint64_t kDefaultTrackedPackets = 4096;

    enum class Arrival : std::uint8_t {
        InOrder, // the next number after the largest one: nothing to report urgently
        OutOfOrder, // opened a gap or filled one: worth an immediate ACK
        Duplicate, // already recorded: count it, do not deliver the payload twice
        TooOld, // older than everything tracked: unknown whether it is a duplicate
    };

    explicit AckRanges(std::size_t maxTrackedRanges = kDefaultTrackedRanges,
                       std::uint64_t trackedPackets = kDefaultTrackedPackets);

    // Records one received packet. `now` is remembered when `pn` becomes the largest number,
    // so ackDelay() can tell the peer how long the ACK was held.
    Arrival onPacketReceived(PacketNumber pn, TimePoint now);

    // Forgets everything below `pn` (e.g. numbers the peer said it no longer waits for).
    void forgetBelow(PacketNumber pn);
    // How far below the largest number runs are kept (TRANSFER.md: 2 * srtt worth of packets
    // or 4096, whichever is larger; the engine may raise it as the rate grows).
    void setTrackedPackets(std::uint64_t packets);
    [[nodiscard]] std::uint64_t trackedPackets() const { return m_trackedPackets; }
    void clear();

    [[nodiscard]] bool isEmpty() const { return m_count == 0; }
    [[nodiscard]] PacketNumber largest() const; // only meaningful when !isEmpty()
    [[nodiscard]] TimePoint largestReceivedTime() const { return m_largestTime; }
    [[nodiscard]] Duration ackDelay(TimePoint now) const;
    [[nodiscard]] std::size_t rangeCount() const { return m_count; }

    // Copies up to min(out.size(), kMaxReportedRanges) runs, newest (highest) first, into
    // `out` and returns how many were written. out[0].last == largest().
    std::size_t copyRanges(std::span<PacketNumberRange> out) const;

    // Whether `pn` is recorded (for tests and duplicate checks).
    [[nodiscard]] bool contains(PacketNumber pn) const;

private:
    // Logical index 0 = newest run.
    [[nodiscard]] PacketNumberRange &at(std::size_t index);
    [[nodiscard]] const PacketNumberRange &at(std::size_t index) const;
    void pushNewest(PacketNumber pn);
    void insertAt(std::size_t index, PacketNumber pn);
    void eraseAt(std::size_t index);
    void dropOldest();
    void dropStale();
    Arrival insertOlder(PacketNumber pn);

    std::vector<PacketNumberRange> m_ring; // capacity is a power of two
    std::size_t m_mask = 0;
    std::size_t m_head = 0; // physical slot of the newest run
    std::size_t m_count = 0;
    std::uint64_t m_trackedPackets;
    PacketNumber m_floor = 0; // numbers below this were forgotten
    TimePoint m_largestTime {};
};

} // namespace Transfer
