#pragma once
// The engine's UDP socket behind a small interface: a Linux path with recvmmsg/sendmmsg
// batching (NativeDatagramSocket) and a portable QUdpSocket path. Both queue outgoing
// datagrams until flush() so the engine can batch a whole pacing quantum into one syscall.
#include <transfer/wire/peeraddress.h>

#include <QHostAddress>
#include <QObject>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>

namespace Transfer {

class DatagramSocket : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(std::span<const std::byte>, const PeerAddress &)>;
    static constexpr int kRequestedBufferBytes = 8 * 1024 * 1024;

    using QObject::QObject;
    ~DatagramSocket() override = default;

    virtual bool bind(const QHostAddress &address, quint16 port, QString *error) = 0;
    [[nodiscard]] virtual quint16 localPort() const = 0;
    // Reads every pending datagram (bounded per call) and passes each to `handler`.
    virtual void drain(const Handler &handler) = 0;
    // Queues one datagram (copied); flushes by itself when the batch is full.
    virtual void send(std::span<const std::byte> datagram, const PeerAddress &peer) = 0;
    virtual void flush() = 0;
    [[nodiscard]] virtual quint64 sendErrors() const = 0;

    // The native socket where the platform has it, else the QUdpSocket one.
    [[nodiscard]] static std::unique_ptr<DatagramSocket> create(bool preferNative,
                                                                QObject *parent = nullptr);

Q_SIGNALS:
    void readyRead();
};

} // namespace Transfer
