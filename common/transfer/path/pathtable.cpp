#include <transfer/path/pathtable.h>

#include <transfer/wire/packet.h>

namespace Transfer {

PathTable::PathTable(TokenBucket *globalCap)
    : m_globalCap(globalCap)
{ }

PeerPath &PathTable::join(const PeerAddress &peer, CongestionAlgorithm algorithm,
                          PathSender *sender)
{
    auto &path = m_paths[peer];
    if (!path)
        path = std::make_unique<PeerPath>(algorithm, m_globalCap,
                                          CongestionConfig {.maxDatagramSize = kMaxDatagramSize});
    path->attach(sender);
    return *path;
}

void PathTable::leave(const PeerAddress &peer, PathSender *sender)
{
    const auto it = m_paths.find(peer);
    if (it == m_paths.end())
        return;
    it->second->detach(sender);
    if (it->second->isEmpty())
        m_paths.erase(it);
}

PeerPath *PathTable::find(const PeerAddress &peer)
{
    const auto it = m_paths.find(peer);
    return it == m_paths.end() ? nullptr : it->second.get();
}

void PathTable::service(TimePoint now)
{
    for (auto &[peer, path] : m_paths)
        path->service(now);
}

std::optional<TimePoint> PathTable::nextDeadline(TimePoint now) const
{
    std::optional<TimePoint> next;
    for (const auto &[peer, path] : m_paths)
        if (const auto t = path->nextDeadline(now))
            next = next ? std::min(*next, *t) : *t;
    return next;
}

} // namespace Transfer
