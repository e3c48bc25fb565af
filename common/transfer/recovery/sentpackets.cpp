#include <transfer/recovery/sentpackets.h>

#include <algorithm>
#include <bit>

namespace Transfer {

SentPackets::SentPackets(std::size_t capacity)
    : m_ring(std::bit_ceil(std::max<std::size_t>(capacity, 16)))
    , m_mask(m_ring.size() - 1)
{ }

bool SentPackets::record(const SentPacket &packet)
{
    if (isFull() || packet.pn < m_next)
        return false;
    m_ring[(m_head + m_count) & m_mask] = packet;
    ++m_count;
    m_next = packet.pn + 1;
    return true;
}

std::size_t SentPackets::lowerBound(PacketNumber pn) const
{
    std::size_t low = 0;
    std::size_t high = m_count;
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (at(mid).pn < pn)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

SentPacket *SentPackets::find(PacketNumber pn)
{
    const std::size_t index = lowerBound(pn);
    if (index == m_count || at(index).pn != pn)
        return nullptr;
    return &at(index);
}

void SentPackets::retireSettled()
{
    while (m_count > 0 && at(0).state != SentPacket::State::Outstanding) {
        m_head = (m_head + 1) & m_mask;
        --m_count;
    }
}

void SentPackets::clear()
{
    m_head = 0;
    m_count = 0;
}

} // namespace Transfer
