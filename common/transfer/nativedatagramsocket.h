#pragma once
#include "datagramsocket.h"

#include <array>
#include <memory>

class QSocketNotifier;

namespace Transfer {

// Linux path: recvmmsg/sendmmsg over preallocated rings of kBatch datagrams; no allocation
// per datagram. SO_RCVBUF/SO_SNDBUF are asked at 8 MiB; a capped value is logged with the
// sysctl that raises it.
class NativeDatagramSocket final : public DatagramSocket
{
    Q_OBJECT
public:
    static constexpr std::size_t kBatch = 64;
    static constexpr std::size_t kSlotSize = 2048;

    explicit NativeDatagramSocket(QObject *parent = nullptr);
    ~NativeDatagramSocket() override;
    bool bind(const QHostAddress &address, quint16 port, QString *error) override;
    [[nodiscard]] quint16 localPort() const override { return m_port; }
    void drain(const Handler &handler) override;
    void send(std::span<const std::byte> datagram, const PeerAddress &peer) override;
    void flush() override;
    [[nodiscard]] quint64 sendErrors() const override { return m_sendErrors; }

private:
    void sizeBuffers();
    struct Rings;
    std::unique_ptr<Rings> m_rings;
    QSocketNotifier *m_notifier = nullptr;
    int m_fd = -1;
    int m_family = 0;
    quint16 m_port = 0;
    std::size_t m_pending = 0;
    quint64 m_sendErrors = 0;
};

} // namespace Transfer
