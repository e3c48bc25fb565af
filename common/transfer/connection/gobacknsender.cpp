#include <transfer/connection/gobacknsender.h>

#include <algorithm>

namespace Transfer {

GoBackNSender::GoBackNSender(SenderHost &host, const SenderSetup &setup, PathTable &paths,
                             const PeerAddress & /*peer: the path is private*/, TimePoint now)
    : m_host(host)
    , m_start(setup.start)
    , m_window(setup.runs, setup.fileSize, kMaxWindow)
    , m_path(setup.algorithm, paths.globalCap(),
             CongestionConfig {.maxDatagramSize = kMaxDatagramSize})
{
    m_path.attach(this);
    if (setup.rateCap > 0)
        m_path.pacer().setRateCap(setup.rateCap, now);
}

GoBackNSender::~GoBackNSender()
{
    m_path.detach(this);
}

TimePoint GoBackNSender::onTimestampGrid(TimePoint now) const
{
    const auto sinceStart = std::chrono::duration_cast<std::chrono::microseconds>(now - m_start);
    return m_start + std::chrono::microseconds(std::uint32_t(sinceStart.count()));
}

std::uint32_t GoBackNSender::sendUnit(std::uint32_t unit, TimePoint now, bool retransmit)
{
    const SentDatagram sent = m_host.sendUnit(unit, now, retransmit);
    if (sent.bytes == 0)
        return 0;
    const DeliverySnapshot snap = m_path.onPacketSent(now, sent.bytes, false);
    m_window.onSent({unit, now, snap, sent.bytes});
    if (m_window.outstanding() == 1)
        m_deadline = now + m_path.rtt().retransmissionTimeout(m_backoff);
    return sent.bytes;
}

bool GoBackNSender::onAck(std::span<const std::byte> body, TimePoint now)
{
    AckGbnBody ack;
    if (!decodeAckGbn(body, &ack))
        return false;
    // Acknowledging a unit never sent would move the window past data the receiver lacks.
    const std::optional<std::uint32_t> highest = m_host.highestSentUnit();
    if (ack.nextUnit != UINT32_MAX && (!highest || ack.nextUnit > *highest + 1))
        return false;
    m_host.raiseCredit(ack.maxChunk);
    // The echoed send timestamp gives an RTT sample even for resent units (RFC 7323 idea).
    const auto echoed = m_start + std::chrono::microseconds(ack.echoTimestampUs);
    if (echoed <= now)
        m_path.rtt().addSample(now - echoed, std::chrono::microseconds(ack.ackDelayUs));
    const std::uint64_t prior = m_window.bytesInFlight();
    std::uint64_t ackedBytes = 0;
    std::uint32_t ackedPackets = 0;
    const bool progressed = m_window.onAck(ack.nextUnit, echoed, [&](const GoBackWindow::Sent &s) {
        m_path.rate().onPacketAcked(s.delivery, s.sentTime, s.bytes, now);
        m_host.unitAcked(s.unit, 0);
        ackedBytes += s.bytes;
        ++ackedPackets;
    });
    if (progressed) {
        // Units acknowledged cumulatively but sent in an earlier round are complete too.
        m_host.chunksAckedBefore(ack.nextUnit);
        m_backoff = 0;
        m_deadline = now + m_path.rtt().retransmissionTimeout();
        m_path.onAcked(now, ackedBytes, ackedPackets, prior, m_window.bytesInFlight(), echoed,
                       true);
    } else if (m_window.duplicateAcks() == 3) {
        goBack(now);
    }
    return true;
}

void GoBackNSender::goBack(TimePoint now)
{
    const std::uint64_t prior = m_window.bytesInFlight();
    const std::size_t count = m_window.outstanding();
    const std::uint32_t oldestBytes = count > 0 ? m_window.oldest().bytes : 0;
    // Echoed timestamps have whole microseconds: start the round on that grid too.
    m_window.goBack(onTimestampGrid(now));
    if (count > 0) {
        // Only the oldest packet is known lost; the rest of the window is resent because a
        // Go-Back-N receiver discards what follows a gap, not because the path dropped it.
        // Reporting the whole window as lost made BBR-lite read 30-60 % loss at 10 % random
        // loss and clamp the window to 4 packets, where three duplicate ACKs rarely come and
        // every loss waited for the 200 ms RTO.
        ++m_lostPackets;
        m_path.onLost(now, oldestBytes, 1, prior, m_window.bytesInFlight(), now);
    }
}

void GoBackNSender::service(TimePoint now)
{
    if (m_window.outstanding() > 0 && now >= m_deadline) {
        ++m_backoff;
        goBack(now);
        m_deadline = now + m_path.rtt().retransmissionTimeout(m_backoff);
    }
    const std::size_t cwndPackets = m_path.controller().congestionWindow() / kMaxDatagramSize;
    m_window.setWindow(std::min<std::size_t>(kMaxWindow, std::max<std::size_t>(cwndPackets, 2)));
    for (int i = 0; i < PeerPath::kMaxSendsPerService && m_host.isSending(); ++i) {
        if (!m_window.windowOpen() || m_window.nextChunk() >= m_host.credit()
            || !m_path.pacer().canSend(kMaxDatagramSize, now))
            break;
        const std::uint32_t unit = m_window.nextUnit();
        const std::optional<std::uint32_t> highest = m_host.highestSentUnit();
        if (sendUnit(unit, now, highest && unit <= *highest) == 0)
            break;
    }
}

bool GoBackNSender::hasSendableData() const
{
    return m_window.windowOpen() && m_window.nextChunk() < m_host.credit();
}

std::optional<TimePoint> GoBackNSender::nextDeadline(TimePoint now) const
{
    std::optional<TimePoint> d;
    auto consider = [&d](TimePoint t) { d = d ? std::min(*d, t) : t; };
    if (m_window.outstanding() > 0)
        consider(m_deadline);
    if (hasSendableData())
        consider(m_path.pacer().nextSendTime(now));
    return d;
}

bool GoBackNSender::hasSentChunk(std::uint32_t chunk) const
{
    const std::optional<std::uint32_t> highest = m_host.highestSentUnit();
    return highest && unitChunk(*highest) > chunk;
}

SenderDiagnostics GoBackNSender::diagnostics() const
{
    // No loss detector, probes or retransmission queue: a go-back counts one lost packet.
    SenderDiagnostics d;
    d.lostPackets = m_lostPackets;
    return d;
}

} // namespace Transfer
