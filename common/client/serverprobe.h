#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>

class QTcpSocket;

namespace Client {

// Measures how far each candidate server is before connecting: the time a TCP connection takes
// to open is one round trip (SYN, SYN-ACK), so the smallest figure names the closest server.
// The probe sends no data and closes at once.
class ServerProbe : public QObject
{
    Q_OBJECT
public:
    explicit ServerProbe(QObject *parent = nullptr);
    ~ServerProbe() override;

    // Starts measuring each (host, port); an earlier round is abandoned.
    void probe(const QList<std::pair<QString, quint16>> &servers, int timeoutMs = 3000);
    [[nodiscard]] bool isRunning() const { return m_pending > 0; }

Q_SIGNALS:
    void measured(int index, double rttMs);
    void unreachable(int index, const QString &reason);
    // Every server answered or timed out; closest is -1 if none answered.
    void finished(int closest);

private:
    void settle(int index);
    void abandon();

    QList<QTcpSocket *> m_sockets;
    QElapsedTimer m_clock;
    int m_pending = 0;
    int m_round = 0; // tells a stale timeout from the current round's
    int m_closest = -1;
    double m_closestRtt = 0;
};

} // namespace Client
