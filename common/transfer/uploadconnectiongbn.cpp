// Go-Back-N sending of an UploadConnection (docs/TRANSFER.md "Go-Back-N"): cumulative ACKs,
// the single retransmission timer and sending from the window. Selective Repeat sends through
// the peer path's DRR turns instead (uploadconnection.cpp).
#include "uploadconnection.h"

#include <algorithm>

namespace Transfer {

void UploadConnection::onAckGbn(std::span<const std::byte> body, TimePoint now)
{
    AckGbnBody ack;
    if (!decodeAckGbn(body, &ack)
        || (ack.nextUnit != UINT32_MAX && (!m_sentAny || ack.nextUnit > m_highestSentUnit + 1))) {
        ++m_malformed;
        return;
    }
    m_credit = std::max(m_credit,
                        std::min<std::uint32_t>(ack.maxChunk, std::uint32_t(m_chunkCount)));
    // The echoed send timestamp gives an RTT sample even for resent units (RFC 7323 idea).
    const auto echoed = m_start + std::chrono::microseconds(ack.echoTimestampUs);
    if (echoed <= now)
        m_path->rtt().addSample(now - echoed, std::chrono::microseconds(ack.ackDelayUs));
    const std::uint64_t prior = m_gbn->bytesInFlight();
    std::uint64_t ackedBytes = 0;
    std::uint32_t ackedPackets = 0;
    const bool progressed = m_gbn->onAck(ack.nextUnit, echoed, [&](const GoBackWindow::Sent &s) {
        m_path->rate().onPacketAcked(s.delivery, s.sentTime, s.bytes, now);
        markAcked(s.unit, 0);
        ackedBytes += s.bytes;
        ++ackedPackets;
    });
    if (progressed) {
        // Units acknowledged cumulatively but sent in an earlier round are complete too.
        for (auto it = m_chunks.begin(); it != m_chunks.end();) {
            if (ack.nextUnit == UINT32_MAX || makeUnit(it->first + 1, 0) <= ack.nextUnit) {
                for (std::size_t i = 1; i < it->second.acked.size(); ++i)
                    if (!it->second.acked[i])
                        m_ackedBytes
                                += blockLength(it->first, std::uint32_t(i - 1), m_hello.fileSize);
                it = m_chunks.erase(it);
            } else {
                ++it;
            }
        }
        m_gbnBackoff = 0;
        m_gbnDeadline = now + m_path->rtt().retransmissionTimeout();
        m_path->onAcked(now, ackedBytes, ackedPackets, prior, m_gbn->bytesInFlight(), echoed, true);
    } else if (m_gbn->duplicateAcks() == 3) {
        gbnTimeout(now);
    }
}

void UploadConnection::gbnTimeout(TimePoint now)
{
    const std::uint64_t prior = m_gbn->bytesInFlight();
    const std::size_t count = m_gbn->outstanding();
    const std::uint32_t oldestBytes = count > 0 ? m_gbn->oldest().bytes : 0;
    // Echoed timestamps have whole microseconds: start the round on that grid too.
    m_gbn->goBack(m_start + std::chrono::microseconds(timestampUs(now)));
    if (count > 0) {
        // Only the oldest packet is known lost; the rest of the window is resent because a
        // Go-Back-N receiver discards what follows a gap, not because the path dropped it.
        // Reporting the whole window as lost made BBR-lite read 30-60 % loss at 10 % random
        // loss and clamp the window to 4 packets, where three duplicate ACKs rarely come and
        // every loss waited for the 200 ms RTO.
        ++m_lostPackets;
        m_path->onLost(now, oldestBytes, 1, prior, m_gbn->bytesInFlight(), now);
    }
}

void UploadConnection::serviceGbn(TimePoint now)
{
    if (m_gbn->outstanding() > 0 && now >= m_gbnDeadline) {
        ++m_gbnBackoff;
        gbnTimeout(now);
        m_gbnDeadline = now + m_path->rtt().retransmissionTimeout(m_gbnBackoff);
    }
    const std::size_t cwndPackets = m_path->controller().congestionWindow() / kMaxDatagramSize;
    m_gbn->setWindow(std::min<std::size_t>(kGbnWindow, std::max<std::size_t>(cwndPackets, 2)));
    for (int i = 0; i < PeerPath::kMaxSendsPerService && m_state == State::Established; ++i) {
        if (!m_gbn->windowOpen() || m_gbn->nextChunk() >= m_credit
            || !m_path->pacer().canSend(kMaxDatagramSize, now))
            break;
        const std::uint32_t unit = m_gbn->nextUnit();
        const bool retransmit = m_sentAny && unit <= m_highestSentUnit;
        if (sendUnit(unit, now, false, retransmit) == 0)
            break;
    }
}

} // namespace Transfer
