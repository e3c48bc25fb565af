#include "bindingservice.h"

#include <transfer/rendezvouspacket.h>

#include <QNetworkDatagram>
#include <QTimer>

namespace Server {

namespace {
constexpr qint64 kMaxDatagram = 1500;
constexpr int kMaxDatagramsPerWake = 256;
} // namespace

BindingService::BindingService(QObject *parent)
    : QObject(parent)
    , m_socket(this)
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &BindingService::readDatagrams);
}

bool BindingService::open(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_socket.bind(address, port)) {
        *error = m_socket.errorString();
        return false;
    }
    return true;
}

void BindingService::readDatagrams()
{
    // Always read once: Qt disables an unbuffered socket's read notifier for good when a
    // readyRead is answered without a read (hasPendingData stays set), and a readyRead that
    // arrives after the queued re-read below emptied the socket would be exactly that.
    for (int i = 0; i < kMaxDatagramsPerWake; ++i) {
        if (i > 0 && !m_socket.hasPendingDatagrams())
            break;
        const QNetworkDatagram d = m_socket.receiveDatagram(kMaxDatagram + 1);
        if (!d.isValid())
            break;
        const QByteArray &data = d.data();
        const auto bytes = std::as_bytes(std::span(data.constData(), std::size_t(data.size())));
        const auto packet = Transfer::decodePacket(bytes);
        const auto transaction = packet && packet->header.type == Transfer::PacketType::BindRequest
                ? Transfer::decodeBindRequest(packet->body)
                : std::nullopt;
        if (!transaction || d.senderPort() <= 0) {
            ++m_counters.dropped;
            continue;
        }
        Transfer::BindResponse response;
        response.transaction = *transaction;
        response.observed
                = Transfer::PeerAddress::fromQt(d.senderAddress(), quint16(d.senderPort()));
        std::array<std::byte, 128> out {};
        const std::size_t n = Transfer::encodeBindResponse(out, response);
        m_socket.writeDatagram(reinterpret_cast<const char *>(out.data()), qint64(n),
                               d.senderAddress(), quint16(d.senderPort()));
        ++m_counters.answered;
    }
    if (m_socket.hasPendingDatagrams())
        QTimer::singleShot(0, this, &BindingService::readDatagrams);
}

} // namespace Server
