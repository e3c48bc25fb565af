#pragma once

#include <transfer/io/datagramsocket.h>

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace Server {

// The server's UDP side on its own port: answers a client's BIND_REQUEST with the address and
// port it came from (the client's reflexive address, docs/NAT.md). Stateless; anything that is
// not a well-formed BIND_REQUEST is dropped and counted. Reads and answers in batches
// (recvmmsg/sendmmsg, Transfer::DatagramSocket), so a flood of garbage costs one wake-up per
// batch, not per datagram.
class BindingService : public QObject
{
    Q_OBJECT
public:
    struct Counters
    {
        quint64 answered = 0;
        quint64 dropped = 0;
    };

    explicit BindingService(QObject *parent = nullptr);

    bool open(const QHostAddress &address, quint16 port, QString *error);
    void close() { m_socket.reset(); }
    [[nodiscard]] quint16 port() const { return m_socket ? m_socket->localPort() : 0; }
    [[nodiscard]] const Counters &counters() const { return m_counters; }

private:
    void readDatagrams();

    std::unique_ptr<Transfer::DatagramSocket> m_socket;
    Counters m_counters;
};

} // namespace Server
