#pragma once
// A UDP middlebox for the encryption tests: the downloader sends to it, it forwards to the
// uploader and back, and every datagram passes a hook that may read, rewrite or drop it — what
// a relay, a server operator's capture or an on-path attacker can do to the transfer.
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QUdpSocket>

#include <functional>

namespace TransferTest {

class Interposer : public QObject
{
public:
    enum class Direction { ToUploader, ToDownloader };
    // Returns false to drop the datagram; may change it.
    using Hook = std::function<bool(QByteArray &, Direction)>;

    explicit Interposer(quint16 uploaderPort)
        : m_uploaderPort(uploaderPort)
    {
        m_socket.bind(QHostAddress::LocalHost, 0);
        connect(&m_socket, &QUdpSocket::readyRead, this, &Interposer::forward);
    }
    [[nodiscard]] quint16 port() const { return m_socket.localPort(); }
    void setHook(Hook hook) { m_hook = std::move(hook); }
    // Sends a datagram of our own (a replay) to either side.
    void inject(const QByteArray &datagram, Direction direction)
    {
        if (direction == Direction::ToUploader)
            m_socket.writeDatagram(datagram, QHostAddress::LocalHost, m_uploaderPort);
        else if (m_downloaderPort != 0)
            m_socket.writeDatagram(datagram, QHostAddress::LocalHost, m_downloaderPort);
    }
    QList<QByteArray> captured; // everything that passed, in both directions

private:
    void forward()
    {
        while (m_socket.hasPendingDatagrams()) {
            QByteArray d(qsizetype(m_socket.pendingDatagramSize()), '\0');
            quint16 fromPort = 0;
            QHostAddress from;
            m_socket.readDatagram(d.data(), d.size(), &from, &fromPort);
            const Direction dir
                    = fromPort == m_uploaderPort ? Direction::ToDownloader : Direction::ToUploader;
            if (dir == Direction::ToUploader)
                m_downloaderPort = fromPort;
            if (m_hook && !m_hook(d, dir))
                continue;
            captured.append(d);
            inject(d, dir);
        }
    }

    QUdpSocket m_socket;
    quint16 m_uploaderPort;
    quint16 m_downloaderPort = 0;
    Hook m_hook;
};

} // namespace TransferTest
