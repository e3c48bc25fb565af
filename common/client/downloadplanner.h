#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Client {

// One peer that offered a given content.
struct DownloadSource
{
    QString peerId;
    QString peerNick;
    QString room;
    QString fileId; // the peer's index id for the content
    int freeSlots = 0;
    double rttMs = -1; // time from our find to its offer; < 0 = unknown
};

// Chooses where a download comes from: sources with free upload slots first, then the shortest
// measured round trip. A source that refused or failed is skipped for the rest of the round;
// when every source was tried, a new round may start (a slot may have freed meanwhile).
class DownloadPlanner
{
public:
    void addSource(const DownloadSource &source); // a peer already known is updated
    [[nodiscard]] std::optional<DownloadSource> next();
    void markTried(const QString &peerId);
    void removeSource(const QString &peerId); // gone for good (left the room, file gone)
    // Forgets which sources were tried; false when no source is left at all.
    bool newRound();
    [[nodiscard]] qsizetype sourceCount() const { return m_sources.size(); }
    [[nodiscard]] bool hasUntried() const;
    // The person picked this peer: ask it first while it is untried.
    void prefer(const QString &peerId) { m_preferred = peerId; }

private:
    struct Entry
    {
        DownloadSource source;
        bool tried = false;
    };
    QList<Entry> m_sources;
    QString m_preferred;
};

} // namespace Client
