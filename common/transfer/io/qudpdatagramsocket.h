#pragma once
#include <transfer/io/datagramsocket.h>

class QUdpSocket;

namespace Transfer {

// Portable path: correct everywhere, one syscall per datagram.
class QUdpDatagramSocket final : public DatagramSocket
{
    Q_OBJECT
public:
    explicit QUdpDatagramSocket(QObject *parent = nullptr);
    bool bind(const QHostAddress &address, quint16 port, QString *error) override;
    [[nodiscard]] quint16 localPort() const override;
    void drain(const Handler &handler) override;
    void send(std::span<const std::byte> datagram, const PeerAddress &peer) override;
    void flush() override { }
    [[nodiscard]] quint64 sendErrors() const override { return m_sendErrors; }

private:
    QUdpSocket *m_socket;
    quint64 m_sendErrors = 0;
    std::array<std::byte, 2048> m_rx {};
};

} // namespace Transfer
