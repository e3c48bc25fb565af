#include <transfer/io/qudpdatagramsocket.h>

#include <transfer/io/transferlogging.h>

#include <QUdpSocket>
#include <QVariant>

namespace Transfer {

QUdpDatagramSocket::QUdpDatagramSocket(QObject *parent)
    : DatagramSocket(parent)
    , m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &DatagramSocket::readyRead);
}

bool QUdpDatagramSocket::bind(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_socket->bind(address, port)) {
        if (error)
            *error = m_socket->errorString();
        return false;
    }
    m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                              QVariant(kRequestedBufferBytes));
    m_socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption,
                              QVariant(kRequestedBufferBytes));
    return true;
}

quint16 QUdpDatagramSocket::localPort() const
{
    return m_socket->localPort();
}

void QUdpDatagramSocket::drain(const Handler &handler)
{
    QHostAddress from;
    quint16 port = 0;
    // Bounded so one flood cannot starve timers; readyRead comes again for the rest.
    for (int i = 0; i < 256 && m_socket->hasPendingDatagrams(); ++i) {
        const qint64 n = m_socket->readDatagram(reinterpret_cast<char *>(m_rx.data()),
                                                qint64(m_rx.size()), &from, &port);
        if (n < 0)
            break;
        handler(std::span<const std::byte>(m_rx.data(), std::size_t(n)),
                PeerAddress::fromQt(from, port));
    }
}

void QUdpDatagramSocket::send(std::span<const std::byte> datagram, const PeerAddress &peer)
{
    const qint64 n = m_socket->writeDatagram(reinterpret_cast<const char *>(datagram.data()),
                                             qint64(datagram.size()), peer.toQt(), peer.port);
    if (n != qint64(datagram.size()))
        ++m_sendErrors;
}

} // namespace Transfer
