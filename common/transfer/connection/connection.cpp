#include <transfer/connection/connection.h>

#include <transfer/io/transferlogging.h>

#include <algorithm>

namespace Transfer {

Connection::Connection(TransferId id, std::uint32_t localCid, const PeerAddress &peer,
                       PacketSink &sink, TimePoint now)
    : m_id(id)
    , m_localCid(localCid)
    , m_peer(peer)
    , m_sink(sink)
    , m_start(now)
    , m_lastHeard(now)
{ }

void Connection::cancel(TimePoint now)
{
    if (m_state == State::Finished || m_state == State::Failed)
        return;
    sendClose(now);
    fail(TransferError::Cancelled, QStringLiteral("cancelled"));
}

void Connection::fail(TransferError error, const QString &text)
{
    if (m_state == State::Finished || m_state == State::Failed)
        return;
    qCDebug(lcTransfer) << "transfer" << m_id << "failed:" << text;
    m_state = State::Failed;
    m_error = error;
    m_errorText = text;
    m_outcomePending = true;
}

void Connection::finish(TransferResult result)
{
    m_result = std::move(result);
    m_result.id = m_id;
    m_state = State::Finished;
    m_outcomePending = true;
}

PacketHeader Connection::header(PacketType type)
{
    PacketHeader h;
    h.type = type;
    h.destinationCid = m_remoteCid;
    h.packetNumber = std::uint32_t(m_nextPn++);
    h.toBeSealed = m_protection != nullptr; // send() seals it
    return h;
}

std::uint32_t Connection::timestampUs(TimePoint now) const
{
    return std::uint32_t(
            std::chrono::duration_cast<std::chrono::microseconds>(now - m_start).count());
}

void Connection::send(std::size_t size)
{
    if (m_protection) {
        size = m_protection->seal(m_buffer, size, m_nextPn);
        if (size == 0)
            return;
    }
    m_sink.transmit(std::span(m_buffer).first(size), m_peer);
}

void Connection::sendClose(TimePoint now)
{
    if (m_remoteCid == 0)
        return;
    PacketHeader h = header(PacketType::Close);
    h.timestampUs = timestampUs(now);
    if (const std::size_t n = encodeEmpty(m_buffer, h))
        send(n);
}

void Connection::fillCommonStats(TransferStats &s, TimePoint now) const
{
    s.id = m_id;
    s.peer = m_peer.toString();
    s.peerAddress = m_peer.toQt();
    s.peerPort = m_peer.port;
    s.path = m_path;
    s.connected = m_state != State::Handshake;
    s.packetsSent = m_packetsSent;
    s.packetsReceived = m_packetsReceived;
    s.duplicates = m_duplicates;
    const double secs = std::chrono::duration<double>(now - m_start).count();
    s.ageUs = quint64(std::max<std::int64_t>(
            0, std::chrono::duration_cast<std::chrono::microseconds>(now - m_start).count()));
    s.goodput = secs > 0 ? double(s.doneBytes) / secs : 0.0;
}

} // namespace Transfer
