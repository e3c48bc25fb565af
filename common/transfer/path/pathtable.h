#pragma once

// The uploader's peer paths by remote address:port. A path is created when the first transfer
// to an address joins and dropped when the last one leaves, so its congestion state lives
// exactly as long as there is traffic to that peer. Owned by the Engine.

#include <transfer/path/peerpath.h>
#include <transfer/wire/peeraddress.h>

#include <memory>
#include <unordered_map>

namespace Transfer {

class PathTable
{
public:
    // `globalCap` (the endpoint's upload cap) is shared by every path's pacer and must outlive
    // the table.
    explicit PathTable(TokenBucket *globalCap);
    PathTable(const PathTable &) = delete;
    PathTable &operator=(const PathTable &) = delete;

    // The path of `peer`, created with `algorithm` when it does not exist yet (a later
    // transfer asking for another algorithm shares the path's controller: two controllers on
    // one path would compete like two flows again); `sender` joins its DRR round.
    PeerPath &join(const PeerAddress &peer, CongestionAlgorithm algorithm, PathSender *sender);
    // `sender` leaves the path of `peer`; the path is dropped when it was the last member.
    void leave(const PeerAddress &peer, PathSender *sender);
    [[nodiscard]] PeerPath *find(const PeerAddress &peer);
    [[nodiscard]] std::size_t size() const { return m_paths.size(); }
    [[nodiscard]] TokenBucket *globalCap() const { return m_globalCap; }

    void service(TimePoint now);
    [[nodiscard]] std::optional<TimePoint> nextDeadline(TimePoint now) const;

private:
    TokenBucket *m_globalCap;
    std::unordered_map<PeerAddress, std::unique_ptr<PeerPath>, PeerAddressHash> m_paths;
};

} // namespace Transfer
