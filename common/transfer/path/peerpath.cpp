#include <transfer/path/peerpath.h>

#include <algorithm>

namespace Transfer {

PeerPath::PeerPath(CongestionAlgorithm algorithm, TokenBucket *globalCap,
                   const CongestionConfig &config)
    : m_algorithm(algorithm)
    , m_maxDatagramSize(config.maxDatagramSize)
    , m_cc(makeCongestionController(algorithm, m_rtt, config))
    , m_pacer(config.maxDatagramSize)
    , m_drr(kDrrQuantumDatagrams * config.maxDatagramSize)
{
    m_pacer.setSharedLimiter(globalCap);
    // The pacer's bucket starts full whatever the time; the first send starts its clock.
    m_pacer.setRate(m_cc->pacingRate(), TimePoint {});
}

void PeerPath::attach(PathSender *sender)
{
    if (!sender || std::find(m_members.begin(), m_members.end(), sender) != m_members.end())
        return;
    m_members.push_back(sender);
    m_drr.add(sender);
}

void PeerPath::detach(PathSender *sender)
{
    m_members.erase(std::remove(m_members.begin(), m_members.end(), sender), m_members.end());
    m_drr.remove(sender);
}

std::uint64_t PeerPath::bytesInFlight() const
{
    std::uint64_t sum = 0;
    for (const PathSender *m : m_members)
        sum += m->bytesInFlight();
    return sum;
}

DeliverySnapshot PeerPath::onPacketSent(TimePoint now, std::uint32_t bytes, bool probe)
{
    const std::uint64_t inFlight = bytesInFlight();
    const DeliverySnapshot snapshot = m_rate.onPacketSent(now, inFlight);
    m_cc->onPacketSent(now, bytes, inFlight);
    if (!probe)
        m_pacer.onPacketSent(bytes, now);
    return snapshot;
}

namespace {
// The path's in-flight before an event is its in-flight after it plus what the one member
// involved dropped by: the other members did not change.
std::uint64_t memberDrop(std::uint64_t memberPrior, std::uint64_t memberNow)
{
    return memberPrior - std::min(memberPrior, memberNow);
}
} // namespace

void PeerPath::onAcked(TimePoint now, std::uint64_t ackedBytes, std::uint32_t ackedPackets,
                       std::uint64_t memberPriorInFlight, std::uint64_t memberInFlight,
                       TimePoint largestAckedSentTime, bool rttUpdated)
{
    const std::uint64_t after = bytesInFlight();
    AckEvent ev;
    ev.now = now;
    ev.ackedBytes = ackedBytes;
    ev.ackedPackets = ackedPackets;
    ev.priorBytesInFlight = after + memberDrop(memberPriorInFlight, memberInFlight);
    ev.bytesInFlight = after;
    ev.largestAckedSentTime = largestAckedSentTime;
    ev.rttUpdated = rttUpdated;
    ev.rate = m_rate.takeSample(m_rtt.minRtt());
    m_cc->onPacketsAcked(ev);
    updatePacingRate(now);
}

void PeerPath::onLost(TimePoint now, std::uint64_t lostBytes, std::uint32_t lostPackets,
                      std::uint64_t memberPriorInFlight, std::uint64_t memberInFlight,
                      TimePoint largestLostSentTime)
{
    const std::uint64_t after = bytesInFlight();
    LossEvent ev;
    ev.now = now;
    ev.lostBytes = lostBytes;
    ev.lostPackets = lostPackets;
    ev.priorBytesInFlight = after + memberDrop(memberPriorInFlight, memberInFlight);
    ev.bytesInFlight = after;
    ev.largestLostSentTime = largestLostSentTime;
    m_cc->onPacketsLost(ev);
    updatePacingRate(now);
}

void PeerPath::onPersistentCongestion(TimePoint now)
{
    m_cc->onPersistentCongestion(now);
    updatePacingRate(now);
}

void PeerPath::onSpuriousLoss(TimePoint now)
{
    m_cc->onSpuriousLoss(now);
    updatePacingRate(now);
}

void PeerPath::service(TimePoint now)
{
    const auto ready = [now](DrrScheduler::Key key) {
        const auto at = static_cast<const PathSender *>(key)->sendableAt(now);
        return at && *at <= now;
    };
    for (int i = 0; i < kMaxSendsPerService && !m_members.empty(); ++i) {
        if (!m_cc->canSend(bytesInFlight()) || !m_pacer.canSend(m_maxDatagramSize, now))
            return;
        const auto key = m_drr.next(ready);
        if (!key) {
            // Window and pacer would allow more: the path is application-limited, so rate
            // samples from now on must not lower the bandwidth estimate.
            m_rate.onAppLimited(bytesInFlight());
            return;
        }
        const auto member = std::find(m_members.begin(), m_members.end(), *key);
        if (member == m_members.end())
            return; // cannot happen: the scheduler only holds attached members
        if (const std::uint32_t bytes = (*member)->sendNext(now))
            m_drr.charge(*key, bytes);
        else
            m_drr.skip(*key);
    }
}

std::optional<TimePoint> PeerPath::nextDeadline(TimePoint now) const
{
    if (m_members.empty() || !m_cc->canSend(bytesInFlight()))
        return std::nullopt;
    std::optional<TimePoint> earliest;
    for (const PathSender *m : m_members)
        if (const auto at = m->sendableAt(now))
            earliest = earliest ? std::min(*earliest, *at) : *at;
    if (!earliest)
        return std::nullopt;
    return std::max(*earliest, m_pacer.nextSendTime(now));
}

} // namespace Transfer
