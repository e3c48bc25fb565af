#include <client/downloadplanner.h>

namespace Client {

void DownloadPlanner::addSource(const DownloadSource &source)
{
    for (auto &e : m_sources) {
        if (e.source.peerId == source.peerId) {
            e.source = source;
            return;
        }
    }
    m_sources.append({source, false});
}

std::optional<DownloadSource> DownloadPlanner::next()
{
    const Entry *best = nullptr;
    auto better = [](const DownloadSource &a, const DownloadSource &b) {
        const bool aFree = a.freeSlots > 0, bFree = b.freeSlots > 0;
        if (aFree != bFree)
            return aFree;
        const double ra = a.rttMs < 0 ? 1e12 : a.rttMs, rb = b.rttMs < 0 ? 1e12 : b.rttMs;
        return ra < rb;
    };
    for (const auto &e : m_sources) {
        if (!e.tried && e.source.peerId == m_preferred)
            return e.source;
    }
    for (const auto &e : m_sources) {
        if (!e.tried && (!best || better(e.source, best->source)))
            best = &e;
    }
    if (!best)
        return std::nullopt;
    return best->source;
}

void DownloadPlanner::markTried(const QString &peerId)
{
    for (auto &e : m_sources) {
        if (e.source.peerId == peerId)
            e.tried = true;
    }
}

void DownloadPlanner::removeSource(const QString &peerId)
{
    m_sources.removeIf([&](const Entry &e) { return e.source.peerId == peerId; });
}

bool DownloadPlanner::newRound()
{
    for (auto &e : m_sources)
        e.tried = false;
    return !m_sources.isEmpty();
}

bool DownloadPlanner::hasUntried() const
{
    for (const auto &e : m_sources) {
        if (!e.tried)
            return true;
    }
    return false;
}

} // namespace Client
