#include <server-console/udp/bindingservice.h>

#include <transfer/wire/rendezvouspacket.h>

#include <array>

namespace Server {

namespace {
constexpr std::size_t kMaxDatagram = 1500;
} // namespace

BindingService::BindingService(QObject *parent)
    : QObject(parent)
{ }

bool BindingService::open(const QHostAddress &address, quint16 port, QString *error)
{
    m_socket = Transfer::DatagramSocket::create(true);
    if (!m_socket->bind(address, port, error)) {
        m_socket.reset();
        return false;
    }
    connect(m_socket.get(), &Transfer::DatagramSocket::readyRead, this,
            &BindingService::readDatagrams);
    return true;
}

void BindingService::readDatagrams()
{
    if (!m_socket)
        return;
    // drain() is bounded per wake; the level-triggered notifier fires again for the rest.
    m_socket->drain([this](std::span<const std::byte> datagram, const Transfer::PeerAddress &from) {
        const auto packet
                = datagram.size() <= kMaxDatagram ? Transfer::decodePacket(datagram) : std::nullopt;
        const auto transaction = packet && packet->header.type == Transfer::PacketType::BindRequest
                ? Transfer::decodeBindRequest(packet->body)
                : std::nullopt;
        if (!transaction || from.port == 0) {
            ++m_counters.dropped;
            return;
        }
        Transfer::BindResponse response;
        response.transaction = *transaction;
        response.observed = from;
        std::array<std::byte, 128> out {};
        const std::size_t n = Transfer::encodeBindResponse(out, response);
        m_socket->send(std::span(out).first(n), from); // queued; flushed below
        ++m_counters.answered;
    });
    m_socket->flush();
}

} // namespace Server
