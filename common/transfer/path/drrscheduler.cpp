#include <transfer/path/drrscheduler.h>

#include <algorithm>

namespace Transfer {

DrrScheduler::DrrScheduler(std::uint32_t quantum)
    : m_quantum(std::max<std::uint32_t>(quantum, 1))
{ }

std::optional<std::size_t> DrrScheduler::indexOf(Key key) const
{
    const auto it = std::find_if(m_members.begin(), m_members.end(),
                                 [key](const Member &m) { return m.key == key; });
    if (it == m_members.end())
        return std::nullopt;
    return std::size_t(it - m_members.begin());
}

bool DrrScheduler::contains(Key key) const
{
    return indexOf(key).has_value();
}

void DrrScheduler::add(Key key)
{
    if (key == nullptr || contains(key))
        return;
    // Joining at the end of the round (just before the current member) makes a newcomer wait
    // for everyone else's turn instead of jumping the queue.
    m_members.insert(m_members.begin() + std::ptrdiff_t(m_current), Member {key, 0, false});
    if (m_members.size() > 1)
        ++m_current;
}

void DrrScheduler::remove(Key key)
{
    const auto index = indexOf(key);
    if (!index)
        return;
    m_members.erase(m_members.begin() + std::ptrdiff_t(*index));
    if (*index < m_current)
        --m_current;
    if (m_current >= m_members.size())
        m_current = 0;
}

void DrrScheduler::endTurn()
{
    Member &m = m_members[m_current];
    m.inTurn = false;
    // An idle member keeps no credit (classic DRR resets an empty queue's deficit); a debt
    // from an overlong last datagram is kept and repaid next turn.
    m.deficit = std::min<std::int64_t>(m.deficit, 0);
    m_current = (m_current + 1) % m_members.size();
}

void DrrScheduler::charge(Key key, std::uint32_t bytes)
{
    const auto index = indexOf(key);
    if (!index)
        return;
    m_members[*index].deficit -= std::int64_t(bytes);
}

void DrrScheduler::skip(Key key)
{
    const auto index = indexOf(key);
    if (!index || *index != m_current)
        return;
    endTurn();
}

std::int64_t DrrScheduler::deficit(Key key) const
{
    const auto index = indexOf(key);
    return index ? m_members[*index].deficit : 0;
}

} // namespace Transfer
