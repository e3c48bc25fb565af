#pragma once
#include <transfer/io/datagramsocket.h>

#include <array>
#include <memory>

class QSocketNotifier;

namespace Transfer {

// Linux path: recvmmsg/sendmmsg over preallocated rings of kBatch datagrams; no allocation
// per datagram. SO_RCVBUF/SO_SNDBUF are asked at 8 MiB; a capped value is logged with the
// sysctl that raises it.
//
// UDP GSO (UDP_SEGMENT, Linux >= 4.18): on flush, consecutive queued datagrams to the same peer
// of the same size (the last one may be shorter) go out as one message that the kernel splits
// into datagrams, so the stack is traversed once per run instead of once per datagram. The
// receiver sees ordinary datagrams. When the kernel lacks it, or a send fails with EIO/EINVAL
// (a device that cannot checksum the segments), it is switched off for the socket and the
// batch is sent datagram by datagram. HOPSHARE_NO_GSO=1 in the environment switches it off.
// With GSO the socket also asks for UDP GRO: a train that reached it unsplit (loopback, veth)
// is received as one buffer and split back into datagrams by drain().
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
    [[nodiscard]] bool usesGso() const { return m_gso; }

private:
    void sizeBuffers();
    // Lays the pending datagrams out as messages (GSO runs when m_gso); returns their count.
    std::size_t buildMessages();
    struct Rings;
    std::unique_ptr<Rings> m_rings;
    QSocketNotifier *m_notifier = nullptr;
    int m_fd = -1;
    int m_family = 0;
    quint16 m_port = 0;
    std::size_t m_pending = 0;
    bool m_gso = false;
    bool m_gro = false;
    quint64 m_sendErrors = 0;
};

} // namespace Transfer
