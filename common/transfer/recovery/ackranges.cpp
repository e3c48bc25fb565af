#include <transfer/recovery/ackranges.h>

#include <algorithm>
#include <bit>

namespace Transfer {

AckRanges::AckRanges(std::size_t maxTrackedRanges, std::uint64_t trackedPackets)
    : m_ring(std::bit_ceil(std::max<std::size_t>(maxTrackedRanges, kMaxReportedRanges)))
    , m_mask(m_ring.size() - 1)
    , m_trackedPackets(std::max<std::uint64_t>(trackedPackets, 1))
{ }

PacketNumberRange &AckRanges::at(std::size_t index)
{
    return m_ring[(m_head + index) & m_mask];
}

const PacketNumberRange &AckRanges::at(std::size_t index) const
{
    return m_ring[(m_head + index) & m_mask];
}

PacketNumber AckRanges::largest() const
{
    return m_count == 0 ? 0 : at(0).last;
}

Duration AckRanges::ackDelay(TimePoint now) const
{
    if (m_count == 0 || now < m_largestTime)
        return Duration::zero();
    return now - m_largestTime;
}

AckRanges::Arrival AckRanges::onPacketReceived(PacketNumber pn, TimePoint now)
{
    if (pn < m_floor)
        return Arrival::TooOld;
    if (m_count == 0) {
        pushNewest(pn);
        m_largestTime = now;
        return Arrival::InOrder;
    }
    PacketNumberRange &newest = at(0);
    if (pn > newest.last) {
        const bool inOrder = pn == newest.last + 1;
        if (inOrder)
            newest.last = pn;
        else
            pushNewest(pn);
        m_largestTime = now;
        dropStale();
        return inOrder ? Arrival::InOrder : Arrival::OutOfOrder;
    }
    return insertOlder(pn);
}

void AckRanges::pushNewest(PacketNumber pn)
{
    if (m_count == m_ring.size())
        dropOldest();
    m_head = (m_head - 1) & m_mask;
    at(0) = {pn, pn};
    ++m_count;
}

AckRanges::Arrival AckRanges::insertOlder(PacketNumber pn)
{
    // Walk from the newest run down to the first run that starts at or below pn.
    for (std::size_t i = 0; i < m_count; ++i) {
        PacketNumberRange &range = at(i);
        if (pn > range.last) {
            // In the gap between run i (older) and run i-1 (newer): i >= 1 here.
            PacketNumberRange &newer = at(i - 1);
            const bool joinsNewer = pn + 1 == newer.first;
            const bool joinsOlder = pn == range.last + 1;
            if (joinsNewer && joinsOlder) {
                range.last = newer.last;
                eraseAt(i - 1);
            } else if (joinsNewer) {
                newer.first = pn;
            } else if (joinsOlder) {
                range.last = pn;
            } else {
                insertAt(i, pn);
            }
            return Arrival::OutOfOrder;
        }
        if (pn >= range.first)
            return Arrival::Duplicate;
    }
    // Below the oldest run.
    PacketNumberRange &oldest = at(m_count - 1);
    if (pn + 1 == oldest.first) {
        oldest.first = pn;
        return Arrival::OutOfOrder;
    }
    if (m_count == m_ring.size())
        return Arrival::TooOld; // no room for a run older than everything kept
    insertAt(m_count, pn);
    return Arrival::OutOfOrder;
}

void AckRanges::insertAt(std::size_t index, PacketNumber pn)
{
    if (m_count == m_ring.size()) {
        // pn lies above the oldest run (see insertOlder), so it stays above the new floor;
        // when the dropped run was the one just below pn, pn becomes the oldest run.
        dropOldest();
        index = std::min(index, m_count);
    }
    // Shift the newer runs [0, index) one slot towards the front: reordering is local, so
    // index is small.
    m_head = (m_head - 1) & m_mask;
    for (std::size_t i = 0; i < index; ++i)
        at(i) = at(i + 1);
    at(index) = {pn, pn};
    ++m_count;
}

void AckRanges::dropOldest()
{
    // Everything up to the dropped run's end becomes unknown (TooOld).
    --m_count;
    m_floor = at(m_count).last + 1;
}

void AckRanges::eraseAt(std::size_t index)
{
    for (std::size_t i = index; i > 0; --i)
        at(i) = at(i - 1);
    m_head = (m_head + 1) & m_mask;
    --m_count;
}

void AckRanges::dropStale()
{
    const PacketNumber newest = at(0).last;
    if (newest < m_trackedPackets)
        return;
    forgetBelow(newest - m_trackedPackets + 1);
}

void AckRanges::forgetBelow(PacketNumber pn)
{
    if (pn <= m_floor)
        return;
    m_floor = pn;
    while (m_count > 0 && at(m_count - 1).last < pn)
        --m_count;
    if (m_count > 0 && at(m_count - 1).first < pn)
        at(m_count - 1).first = pn;
}

void AckRanges::setTrackedPackets(std::uint64_t packets)
{
    m_trackedPackets = std::max<std::uint64_t>(packets, 1);
}

void AckRanges::clear()
{
    m_count = 0;
    m_head = 0;
    m_floor = 0;
    m_largestTime = {};
}

std::size_t AckRanges::copyRanges(std::span<PacketNumberRange> out) const
{
    const std::size_t n = std::min({out.size(), m_count, kMaxReportedRanges});
    for (std::size_t i = 0; i < n; ++i)
        out[i] = at(i);
    return n;
}

bool AckRanges::contains(PacketNumber pn) const
{
    for (std::size_t i = 0; i < m_count; ++i) {
        const PacketNumberRange &range = at(i);
        if (pn > range.last)
            return false;
        if (pn >= range.first)
            return true;
    }
    return false;
}

} // namespace Transfer
