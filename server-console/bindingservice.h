#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUdpSocket>

namespace Server {

// The server's UDP side on its own port: answers a client's BIND_REQUEST with the address and
// port it came from (the client's reflexive address, docs/NAT.md). Stateless; anything that is
// not a well-formed BIND_REQUEST is dropped and counted.
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
    void close() { m_socket.close(); }
    [[nodiscard]] quint16 port() const { return m_socket.localPort(); }
    [[nodiscard]] const Counters &counters() const { return m_counters; }

private:
    void readDatagrams();

    QUdpSocket m_socket;
    Counters m_counters;
};

} // namespace Server
