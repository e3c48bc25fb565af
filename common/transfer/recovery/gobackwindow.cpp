#include <transfer/recovery/gobackwindow.h>

namespace Transfer {

GoBackWindow::GoBackWindow(std::span<const ChunkRun> runs, std::uint64_t fileSize,
                           std::size_t window)
    : m_window(std::min(std::max<std::size_t>(window, 1), kMaxWindow))
    , m_base(runs, fileSize)
    , m_next(runs, fileSize)
{ }

void GoBackWindow::onSent(const Sent &sent)
{
    if (m_count == kMaxWindow || m_next.atEnd())
        return;
    m_ring[(m_head + m_count) % kMaxWindow] = sent;
    ++m_count;
    m_bytes += sent.bytes;
    m_next.advance();
}

std::uint64_t GoBackWindow::goBack(TimePoint now)
{
    m_roundStart = now;
    const std::uint64_t lost = m_bytes;
    m_count = 0;
    m_bytes = 0;
    m_dupAcks = 0;
    m_next = m_base;
    return lost;
}

} // namespace Transfer
