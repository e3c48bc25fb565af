#include <transfer/connection/selectiverepeatsender.h>

#include <algorithm>

namespace Transfer {

namespace {
// Tag of PING probes in the sent-packet record: never a unit (units are 32-bit).
constexpr std::uint64_t kPingTag = UINT64_MAX;
// A DATA packet's tag: its unit and the chunk's re-fetch generation, so an ACK of a copy sent
// before a re-fetch does not count for the copy sent after it.
constexpr std::uint64_t unitTag(std::uint32_t unit, std::uint8_t generation)
{
    return (std::uint64_t(generation) << 32) | unit;
}
constexpr std::uint32_t tagUnit(std::uint64_t tag)
{
    return std::uint32_t(tag);
}
constexpr std::uint8_t tagGeneration(std::uint64_t tag)
{
    return std::uint8_t(tag >> 32);
}
} // namespace

SelectiveRepeatSender::SelectiveRepeatSender(SenderHost &host, const SenderSetup &setup,
                                             PathTable &paths, const PeerAddress &peer,
                                             TimePoint now)
    : m_host(host)
    , m_paths(paths)
    , m_peer(peer)
    , m_cursor(setup.runs, setup.fileSize)
{
    m_path = &paths.join(peer, setup.algorithm, this);
    m_loss.rtt().setMaxAckDelay(setup.maxAckDelay);
    m_path->rtt().setMaxAckDelay(setup.maxAckDelay);
    if (setup.rateCap > 0)
        m_rateCap.configure(setup.rateCap, Pacer::burstBytesFor(setup.rateCap, kMaxDatagramSize),
                            now);
}

SelectiveRepeatSender::~SelectiveRepeatSender()
{
    m_paths.leave(m_peer, this);
}

std::uint32_t SelectiveRepeatSender::sendUnit(std::uint32_t unit, TimePoint now, bool probe,
                                              bool retransmit)
{
    const SentDatagram sent = m_host.sendUnit(unit, now, retransmit);
    if (sent.bytes == 0)
        return 0;
    SentPacket sp;
    sp.pn = sent.pn;
    sp.sentTime = now;
    sp.tag = unitTag(unit, sent.generation);
    sp.delivery = m_path->onPacketSent(now, sent.bytes, probe);
    sp.bytes = sent.bytes;
    if (!probe)
        m_rateCap.consume(sent.bytes, now);
    m_loss.onPacketSent(sp);
    m_lastSend = now;
    return sent.bytes;
}

void SelectiveRepeatSender::sendPing(TimePoint now)
{
    const SentDatagram ping = m_host.sendPing(now);
    SentPacket sp;
    sp.pn = ping.pn;
    sp.sentTime = now;
    sp.tag = kPingTag;
    sp.bytes = ping.bytes;
    sp.delivery = m_path->rate().onPacketSent(now, m_path->bytesInFlight());
    m_loss.onPacketSent(sp);
    m_lastSend = now;
}

bool SelectiveRepeatSender::onAck(std::span<const std::byte> body, TimePoint now)
{
    AckBody ack;
    if (!decodeAck(body, &ack))
        return false;
    const PacketNumber nextPn = m_host.nextPacketNumber();
    std::array<PacketNumberRange, kMaxAckRanges> ranges {};
    for (std::size_t i = 0; i < ack.rangeCount; ++i) {
        const PacketNumber last = expandPacketNumber(nextPn, ack.ranges[i].last);
        if (ack.ranges[i].count > last + 1)
            return false;
        ranges[i] = {last - ack.ranges[i].count + 1, last};
    }
    const PacketNumber largest = expandPacketNumber(nextPn, ack.largest);
    const auto ackDelay = std::chrono::microseconds(ack.ackDelayUs);
    const LossOutcome &outcome
            = m_loss.onAck(largest, ackDelay, std::span(ranges).first(ack.rangeCount), now);
    if (outcome.status == LossOutcome::Status::Invalid)
        return false;
    m_host.raiseCredit(ack.maxChunk);
    applyOutcome(outcome, ackDelay, now);
    return true;
}

void SelectiveRepeatSender::applyOutcome(const LossOutcome &outcome, Duration ackDelay,
                                         TimePoint now)
{
    // The path's RTT (read by its controller) takes every member's samples.
    if (outcome.rttUpdated)
        m_path->rtt().addSample(m_loss.rtt().latestRtt(), ackDelay);
    for (const SentPacket &p : outcome.acked) {
        m_path->rate().onPacketAcked(p.delivery, p.sentTime, p.bytes, now);
        if (p.tag != kPingTag)
            m_host.unitAcked(tagUnit(p.tag), tagGeneration(p.tag));
    }
    for (const SentPacket &p : outcome.spurious)
        if (p.tag != kPingTag)
            m_host.unitAcked(tagUnit(p.tag), tagGeneration(p.tag));
    if (!outcome.acked.empty())
        m_path->onAcked(now, outcome.ackedBytes, std::uint32_t(outcome.acked.size()),
                        outcome.priorBytesInFlight, m_loss.bytesInFlight(),
                        outcome.largestAckedSentTime, outcome.rttUpdated);
    if (!outcome.lost.empty()) {
        for (const SentPacket &p : outcome.lost)
            if (p.tag != kPingTag)
                m_retransmit.push_back(tagUnit(p.tag));
        m_lostPackets += outcome.lost.size();
        m_path->onLost(now, outcome.lostBytes, std::uint32_t(outcome.lost.size()),
                       outcome.priorBytesInFlight, m_loss.bytesInFlight(),
                       outcome.largestLostSentTime);
    }
    if (outcome.persistentCongestion)
        m_path->onPersistentCongestion(now);
    if (!outcome.spurious.empty()) {
        m_spurious += outcome.spurious.size();
        m_path->onSpuriousLoss(now);
    }
    if (outcome.status == LossOutcome::Status::Probe)
        m_probes = std::max(m_probes, outcome.probes);
}

bool SelectiveRepeatSender::nextUnit(std::uint32_t *unit, bool *retransmit)
{
    while (!m_retransmit.empty()) {
        const std::uint32_t u = m_retransmit.front();
        m_retransmit.pop_front();
        // Acknowledged meanwhile under another packet number (a spurious loss): skip it.
        if (m_host.isUnacked(u)) {
            *unit = u;
            *retransmit = true;
            return true;
        }
    }
    if (m_cursor.atEnd() || m_cursor.chunk() >= m_host.credit())
        return false;
    *unit = m_cursor.unit();
    *retransmit = false;
    m_cursor.advance();
    return true;
}

bool SelectiveRepeatSender::hasSendableData() const
{
    return !m_retransmit.empty() || (!m_cursor.atEnd() && m_cursor.chunk() < m_host.credit());
}

void SelectiveRepeatSender::service(TimePoint now)
{
    if (const auto deadline = m_loss.timerDeadline(); deadline && *deadline <= now)
        applyOutcome(m_loss.onTimeout(now), Duration::zero(), now);
    // The PTO backs off exponentially; under long loss bursts that would leave the path
    // silent for longer than the idle timeout. Probe at least every kMaxProbeInterval.
    if (m_loss.bytesInFlight() > 0 && now - m_lastSend >= kMaxProbeInterval)
        m_probes = std::max(m_probes, 1u);
    sendProbes(now);
}

void SelectiveRepeatSender::sendProbes(TimePoint now)
{
    // Probes bypass the path's window, pacer and DRR turn; everything else is sent when the
    // path gives this sender a turn (sendNext()).
    while (m_probes > 0 && m_host.isSending() && m_loss.canSend()) {
        --m_probes;
        std::uint32_t unit = 0;
        bool retransmit = false;
        if (nextUnit(&unit, &retransmit)) {
            if (sendUnit(unit, now, true, retransmit) == 0)
                break;
            continue;
        }
        const SentPacket *oldest = m_loss.oldestOutstanding();
        // Resend the oldest unit only while it is still unacknowledged (a copy under another
        // packet number may have been acknowledged); reloading a finished chunk would keep
        // the upload from ever completing.
        if (!oldest || oldest->tag == kPingTag || !m_host.isUnacked(tagUnit(oldest->tag))
            || sendUnit(tagUnit(oldest->tag), now, true, true) == 0)
            sendPing(now);
    }
}

std::optional<TimePoint> SelectiveRepeatSender::sendableAt(TimePoint now) const
{
    if (!m_host.isSending() || !m_loss.canSend() || !hasSendableData())
        return std::nullopt;
    return m_rateCap.timeUntilAvailable(kMaxDatagramSize, now);
}

std::uint32_t SelectiveRepeatSender::sendNext(TimePoint now)
{
    if (!m_host.isSending() || !m_loss.canSend())
        return 0;
    std::uint32_t unit = 0;
    bool retransmit = false;
    if (!nextUnit(&unit, &retransmit))
        return 0;
    return sendUnit(unit, now, false, retransmit);
}

std::uint64_t SelectiveRepeatSender::bytesInFlight() const
{
    return m_loss.bytesInFlight();
}

std::optional<TimePoint> SelectiveRepeatSender::nextDeadline(TimePoint now) const
{
    std::optional<TimePoint> d;
    auto consider = [&d](TimePoint t) { d = d ? std::min(*d, t) : t; };
    if (const auto t = m_loss.timerDeadline())
        consider(*t);
    if (m_loss.bytesInFlight() > 0)
        consider(m_lastSend + kMaxProbeInterval);
    if (m_probes > 0)
        consider(now);
    // New data waits for a turn from the PeerPath, which keeps its own deadline.
    return d;
}

bool SelectiveRepeatSender::allAcked() const
{
    return m_cursor.atEnd() && !m_host.hasChunksInFlight();
}

bool SelectiveRepeatSender::hasSentChunk(std::uint32_t chunk) const
{
    return m_cursor.atEnd() || m_cursor.chunk() > chunk;
}

void SelectiveRepeatSender::resendChunk(std::uint32_t chunk, std::uint32_t units)
{
    for (std::uint32_t i = 0; i < units; ++i)
        m_retransmit.push_back(makeUnit(chunk, i));
}

quint64 SelectiveRepeatSender::pacingRate() const
{
    const quint64 pathRate = m_path->pacer().effectiveRate(); // shared with the other uploads
    return m_rateCap.isUnlimited() ? pathRate : std::min<quint64>(pathRate, m_rateCap.rate());
}

SenderDiagnostics SelectiveRepeatSender::diagnostics() const
{
    SenderDiagnostics d;
    d.lostPackets = m_lostPackets;
    d.spuriousLosses = m_spurious;
    d.ptoCount = m_loss.ptoCount();
    d.detectorBytesInFlight = m_loss.bytesInFlight();
    d.queuedRetransmissions = m_retransmit.size();
    d.sentRecords = m_loss.sentPackets().size();
    d.lossTimerArmed = m_loss.timerDeadline().has_value();
    d.pendingProbes = m_probes;
    return d;
}

} // namespace Transfer
