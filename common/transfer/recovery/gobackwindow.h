#pragma once
// Go-Back-N sender bookkeeping (docs/TRANSFER.md "Go-Back-N"): a window of at most N
// consecutive units from `base`, one retransmission timer (RFC 6298 RTO with backoff), and a
// cumulative acknowledgement. A timeout or three duplicate ACKs send everything again from
// base. Only ACKs triggered by a packet sent since the last go-back count as duplicates: the
// packets of the abandoned round still in flight each draw an ACK for the same base, and
// counting those would go back again every three of them (a retransmission storm that the
// controller reads as massive loss). Pure logic on the injected clock; the GoBackNSender
// does the I/O.
#include <transfer/congestion/deliveryrate.h>
#include <transfer/io/transferclock.h>
#include <transfer/storage/filelayout.h>

#include <array>
#include <cstdint>

namespace Transfer {

class GoBackWindow
{
public:
    static constexpr std::size_t kMaxWindow = 256;
    struct Sent
    {
        std::uint32_t unit = 0;
        TimePoint sentTime {};
        DeliverySnapshot delivery;
        std::uint32_t bytes = 0;
    };

    GoBackWindow(std::span<const ChunkRun> runs, std::uint64_t fileSize, std::size_t window);

    [[nodiscard]] bool allSent() const { return m_next.atEnd(); }
    [[nodiscard]] bool allAcked() const { return m_base.atEnd(); }
    [[nodiscard]] bool windowOpen() const { return m_count < m_window && !m_next.atEnd(); }
    [[nodiscard]] std::uint32_t nextUnit() const { return m_next.unit(); }
    [[nodiscard]] std::uint32_t nextChunk() const { return m_next.chunk(); }
    [[nodiscard]] std::uint32_t baseChunk() const { return m_base.chunk(); }
    [[nodiscard]] std::uint64_t bytesInFlight() const { return m_bytes; }
    [[nodiscard]] std::size_t outstanding() const { return m_count; }
    // The oldest unacknowledged packet; only while outstanding() > 0.
    [[nodiscard]] const Sent &oldest() const { return m_ring[m_head]; }
    void setWindow(std::size_t window) { m_window = window < 1 ? 1 : std::min(window, kMaxWindow); }
    // Records the unit at nextUnit() as sent and moves on.
    void onSent(const Sent &sent);
    // A cumulative ACK: everything before `nextUnit` (UINT32_MAX = all) arrived; `triggerSent`
    // is when the packet that drew it was sent (the echoed timestamp). Calls
    // acked(const Sent &) per newly acknowledged packet. Returns false for a duplicate ACK.
    template<typename Acked>
    bool onAck(std::uint32_t nextUnit, TimePoint triggerSent, Acked &&acked);
    // Resends from base: returns the bytes that were in flight (now presumed lost). `now`
    // starts the new round: ACKs for packets sent before it are not counted as duplicates.
    std::uint64_t goBack(TimePoint now);
    [[nodiscard]] std::uint32_t duplicateAcks() const { return m_dupAcks; }

private:
    std::array<Sent, kMaxWindow> m_ring {};
    std::size_t m_head = 0;
    std::size_t m_count = 0;
    std::size_t m_window;
    std::uint64_t m_bytes = 0;
    UnitCursor m_base;
    UnitCursor m_next;
    std::uint32_t m_dupAcks = 0;
    TimePoint m_roundStart {};
};

template<typename Acked>
bool GoBackWindow::onAck(std::uint32_t nextUnit, TimePoint triggerSent, Acked &&acked)
{
    bool progressed = false;
    // Units along the cursor only grow, so "before nextUnit" is a numeric comparison.
    while (m_count > 0 && (nextUnit == UINT32_MAX || m_ring[m_head].unit < nextUnit)) {
        const Sent &s = m_ring[m_head];
        acked(s);
        m_bytes -= s.bytes;
        m_head = (m_head + 1) % kMaxWindow;
        --m_count;
        m_base.advance();
        progressed = true;
    }
    // Packets of an earlier round may acknowledge beyond what this round has resent.
    // The caller rejects ACKs beyond the highest unit ever sent, so this stays bounded.
    while (m_count == 0 && !m_base.atEnd()
           && (nextUnit == UINT32_MAX || m_base.unit() < nextUnit)) {
        m_base.advance();
        progressed = true;
    }
    if (m_count == 0 && (m_base.atEnd() || m_next.atEnd() || m_base.unit() > m_next.unit()))
        m_next = m_base;
    if (progressed)
        m_dupAcks = 0;
    else if (m_count > 0 && triggerSent >= m_roundStart)
        ++m_dupAcks;
    return progressed;
}

} // namespace Transfer
