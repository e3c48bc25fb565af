#include <transfer/recovery/lossdetector.h>

#include <algorithm>

namespace Transfer {

namespace {

constexpr std::size_t kReservedOutcome = 1024;
constexpr std::uint32_t kDefaultTimeEighths = 9;
constexpr std::uint32_t kMaxTimeEighths = 10;
constexpr std::uint64_t kReorderDecayPackets = 1024;
constexpr unsigned kProbesPerTimeout = 2;
constexpr int kPersistentCongestionThreshold = 3;

} // namespace

LossDetector::LossDetector(const LossDetectionConfig &config)
    : m_config(config)
    , m_sent(config.capacity)
    , m_recentLost(kRecentLost)
    , m_packetThreshold(std::clamp<std::uint32_t>(config.packetThreshold, 1, kMaxPacketThreshold))
{
    m_acked.reserve(kReservedOutcome);
    m_lost.reserve(kReservedOutcome);
    m_spurious.reserve(kRecentLost);
}

bool LossDetector::onPacketSent(const SentPacket &packet)
{
    SentPacket entry = packet;
    entry.state = SentPacket::State::Outstanding;
    if (!m_sent.record(entry))
        return false;
    if (entry.inFlight) {
        m_bytesInFlight += entry.bytes;
        if (entry.ackEliciting) {
            ++m_ackElicitingInFlight;
            m_lastAckElicitingSent = entry.sentTime;
        }
    }
    return true;
}

std::optional<PacketNumber> LossDetector::largestAcked() const
{
    if (!m_hasLargestAcked)
        return std::nullopt;
    return m_largestAcked;
}

Duration LossDetector::lossDelay() const
{
    const Duration base = std::max(m_rtt.smoothedRtt(), m_rtt.latestRtt());
    return std::max(base * m_timeEighths / 8, RttEstimator::kGranularity);
}

const SentPacket *LossDetector::oldestOutstanding() const
{
    for (std::size_t i = 0; i < m_sent.size(); ++i) {
        const SentPacket &packet = m_sent.at(i);
        if (packet.state == SentPacket::State::Outstanding && packet.ackEliciting)
            return &packet;
    }
    return nullptr;
}

bool LossDetector::isValidAck(PacketNumber largestAcked,
                              std::span<const PacketNumberRange> ranges) const
{
    if (ranges.empty() || ranges.front().last != largestAcked)
        return false;
    if (largestAcked >= m_sent.nextPacketNumber())
        return false; // acknowledges a number never sent
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (ranges[i].first > ranges[i].last)
            return false;
        if (i > 0 && ranges[i].last >= ranges[i - 1].first)
            return false;
    }
    return true;
}

void LossDetector::beginOutcome(LossOutcome::Status status)
{
    m_acked.clear();
    m_lost.clear();
    m_spurious.clear();
    m_outcome = LossOutcome();
    m_outcome.status = status;
    m_outcome.priorBytesInFlight = m_bytesInFlight;
}

const LossOutcome &LossDetector::onAck(PacketNumber largestAcked, Duration ackDelay,
                                       std::span<const PacketNumberRange> ranges, TimePoint now)
{
    beginOutcome(LossOutcome::Status::Processed);
    if (!isValidAck(largestAcked, ranges)) {
        m_outcome.status = LossOutcome::Status::Invalid;
        publishSpans();
        return m_outcome;
    }
    if (!m_hasLargestAcked || largestAcked > m_largestAcked) {
        m_largestAcked = largestAcked;
        m_hasLargestAcked = true;
    }
    // Oldest range first, so `acked` comes out in ascending order. Only entries still in the
    // ring are visited: the ring starts at the oldest outstanding packet, so restated ranges
    // below it cost nothing and the rest one binary search.
    const PacketNumber front = m_sent.isEmpty() ? m_sent.nextPacketNumber() : m_sent.at(0).pn;
    std::size_t lostIndex = recentLostLowerBound(ranges.back().first);
    bool ackElicitingAcked = false;
    for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
        lostIndex = findSpurious(*it, lostIndex);
        if (it->last < front)
            continue;
        for (std::size_t i = m_sent.lowerBound(std::max(it->first, front));
             i < m_sent.size() && m_sent.at(i).pn <= it->last; ++i) {
            SentPacket &packet = m_sent.at(i);
            if (packet.state != SentPacket::State::Outstanding)
                continue;
            ackElicitingAcked = ackElicitingAcked || packet.ackEliciting;
            markAcked(packet);
        }
    }
    if (!m_acked.empty()) {
        const SentPacket &newest = m_acked.back();
        m_outcome.largestAckedSentTime = newest.sentTime;
        if (newest.pn == largestAcked && ackElicitingAcked && now > newest.sentTime) {
            if (!m_rtt.hasSample())
                m_firstRttSampleTime = now;
            m_rtt.addSample(now - newest.sentTime, ackDelay);
            m_outcome.rttUpdated = true;
        }
        m_ptoCount = 0;
        m_ackedSinceSpurious += m_acked.size();
        if (m_config.adaptiveReordering && m_ackedSinceSpurious >= kReorderDecayPackets) {
            // No reordering seen for a while: step back towards the defaults.
            m_ackedSinceSpurious = 0;
            m_packetThreshold = std::max(m_packetThreshold - 1, m_config.packetThreshold);
            m_timeEighths = std::max(m_timeEighths - 1, kDefaultTimeEighths);
        }
    }
    detectLost(now);
    checkPersistentCongestion();
    m_sent.retireSettled();
    publishSpans();
    return m_outcome;
}

void LossDetector::markAcked(SentPacket &packet)
{
    packet.state = SentPacket::State::Acked;
    if (packet.inFlight) {
        m_bytesInFlight -= packet.bytes;
        m_outcome.ackedBytes += packet.bytes;
        if (packet.ackEliciting)
            --m_ackElicitingInFlight;
    }
    m_acked.push_back(packet);
}

SentPacket &LossDetector::recentLost(std::size_t index)
{
    return m_recentLost[(m_recentLostHead + index) % kRecentLost];
}

std::size_t LossDetector::recentLostLowerBound(PacketNumber pn)
{
    std::size_t low = 0;
    std::size_t high = m_recentLostCount;
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (recentLost(mid).pn < pn)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

std::size_t LossDetector::findSpurious(const PacketNumberRange &range, std::size_t from)
{
    // Ranges arrive in ascending order and m_recentLost is ascending: one merge walk.
    std::size_t i = from;
    while (i < m_recentLostCount && recentLost(i).pn < range.first)
        ++i;
    for (; i < m_recentLostCount && recentLost(i).pn <= range.last; ++i) {
        SentPacket &packet = recentLost(i);
        if (packet.state != SentPacket::State::Lost)
            continue; // reported already
        packet.state = SentPacket::State::Acked;
        m_spurious.push_back(packet);
        onSpuriousLoss(packet);
    }
    return i;
}

void LossDetector::onSpuriousLoss(const SentPacket &)
{
    m_ackedSinceSpurious = 0;
    if (!m_config.adaptiveReordering)
        return;
    m_packetThreshold = std::min(m_packetThreshold + 1, kMaxPacketThreshold);
    m_timeEighths = std::min(m_timeEighths + 1, kMaxTimeEighths);
}

void LossDetector::detectLost(TimePoint now)
{
    m_lossTimerArmed = false;
    if (!m_hasLargestAcked)
        return;
    const Duration delay = lossDelay();
    for (std::size_t i = 0; i < m_sent.size(); ++i) {
        SentPacket &packet = m_sent.at(i);
        if (packet.pn >= m_largestAcked)
            break;
        if (packet.state != SentPacket::State::Outstanding)
            continue;
        if (m_largestAcked - packet.pn >= m_packetThreshold || packet.sentTime + delay <= now) {
            declareLost(packet);
            continue;
        }
        const TimePoint deadline = packet.sentTime + delay;
        if (!m_lossTimerArmed || deadline < m_lossTime)
            m_lossTime = deadline;
        m_lossTimerArmed = true;
    }
}

void LossDetector::declareLost(SentPacket &packet)
{
    packet.state = SentPacket::State::Lost;
    if (packet.inFlight) {
        m_bytesInFlight -= packet.bytes;
        m_outcome.lostBytes += packet.bytes;
        if (packet.ackEliciting)
            --m_ackElicitingInFlight;
    }
    m_lost.push_back(packet);
    m_outcome.largestLostSentTime = std::max(m_outcome.largestLostSentTime, packet.sentTime);
    // Remember it for spurious-loss detection, keeping the ring ascending.
    if (m_recentLostCount > 0) {
        const std::size_t last = (m_recentLostHead + m_recentLostCount - 1) % kRecentLost;
        if (m_recentLost[last].pn >= packet.pn)
            return;
    }
    if (m_recentLostCount == kRecentLost) {
        m_recentLostHead = (m_recentLostHead + 1) % kRecentLost;
        --m_recentLostCount;
    }
    m_recentLost[(m_recentLostHead + m_recentLostCount) % kRecentLost] = packet;
    ++m_recentLostCount;
}

void LossDetector::checkPersistentCongestion()
{
    if (m_lost.empty() || !m_rtt.hasSample())
        return;
    const Duration span = m_rtt.probeTimeout() * kPersistentCongestionThreshold;
    const PacketNumber lastLost = m_lost.back().pn;
    // Longest run of lost ack-eliciting packets (sent after the first RTT sample) with nothing
    // acknowledged in between; the run must end in this event's losses.
    bool inRun = false;
    TimePoint runStart {};
    for (std::size_t i = 0; i < m_sent.size() && m_sent.at(i).pn <= lastLost; ++i) {
        const SentPacket &packet = m_sent.at(i);
        if (packet.state == SentPacket::State::Acked) {
            inRun = false;
            continue;
        }
        if (packet.state != SentPacket::State::Lost || !packet.ackEliciting
            || packet.sentTime < m_firstRttSampleTime)
            continue;
        if (!inRun) {
            inRun = true;
            runStart = packet.sentTime;
        } else if (packet.sentTime - runStart > span) {
            m_outcome.persistentCongestion = true;
            return;
        }
    }
}

std::optional<TimePoint> LossDetector::timerDeadline() const
{
    if (m_lossTimerArmed)
        return m_lossTime;
    if (m_ackElicitingInFlight == 0)
        return std::nullopt;
    const Duration timeout = m_config.fixedTimeout > Duration::zero()
            ? m_config.fixedTimeout
            : m_rtt.probeTimeout(m_ptoCount);
    return m_lastAckElicitingSent + timeout;
}

const LossOutcome &LossDetector::onTimeout(TimePoint now)
{
    beginOutcome(LossOutcome::Status::NoTimer);
    const std::optional<TimePoint> deadline = timerDeadline();
    if (deadline && now >= *deadline) {
        if (m_lossTimerArmed) {
            m_outcome.status = LossOutcome::Status::LossTimer;
            detectLost(now);
            checkPersistentCongestion();
            m_sent.retireSettled();
        } else {
            m_outcome.status = LossOutcome::Status::Probe;
            m_outcome.probes = kProbesPerTimeout;
            ++m_ptoCount;
        }
    }
    publishSpans();
    return m_outcome;
}

void LossDetector::reset()
{
    m_sent.clear();
    m_recentLostHead = 0;
    m_recentLostCount = 0;
    m_bytesInFlight = 0;
    m_ackElicitingInFlight = 0;
    m_lossTimerArmed = false;
    m_ptoCount = 0;
    beginOutcome(LossOutcome::Status::NoTimer);
    publishSpans();
}

void LossDetector::publishSpans()
{
    m_outcome.acked = m_acked;
    m_outcome.lost = m_lost;
    m_outcome.spurious = m_spurious;
}

} // namespace Transfer
