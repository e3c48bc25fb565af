#include "client/serverprobe.h"

#include <QTcpSocket>
#include <QTimer>

namespace Client {

ServerProbe::ServerProbe(QObject *parent)
    : QObject(parent)
{ }

ServerProbe::~ServerProbe()
{
    abandon();
}

void ServerProbe::abandon()
{
    for (QTcpSocket *s : std::as_const(m_sockets)) {
        if (s) {
            s->disconnect(this);
            s->abort();
            s->deleteLater();
        }
    }
    m_sockets.clear();
    m_pending = 0;
}

void ServerProbe::probe(const QList<std::pair<QString, quint16>> &servers, int timeoutMs)
{
    abandon();
    m_closest = -1;
    m_closestRtt = 0;
    m_clock.start();
    m_pending = int(servers.size());
    if (servers.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT finished(-1); });
        return;
    }
    for (int i = 0; i < servers.size(); ++i) {
        auto *socket = new QTcpSocket(this);
        m_sockets.append(socket);
        connect(socket, &QTcpSocket::connected, this, [this, i] {
            const double rtt = double(m_clock.nsecsElapsed()) / 1e6;
            if (m_closest < 0 || rtt < m_closestRtt) {
                m_closest = i;
                m_closestRtt = rtt;
            }
            Q_EMIT measured(i, rtt);
            settle(i);
        });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, i, socket] {
            Q_EMIT unreachable(i, socket->errorString());
            settle(i);
        });
        socket->connectToHost(servers.at(i).first, servers.at(i).second);
    }
    QTimer::singleShot(timeoutMs, this, [this, round = ++m_round] {
        if (round != m_round)
            return; // a later round started
        for (int i = 0; i < m_sockets.size(); ++i) {
            if (m_sockets.at(i)) {
                Q_EMIT unreachable(i, tr("no answer"));
                settle(i);
            }
        }
    });
}

void ServerProbe::settle(int index)
{
    QTcpSocket *socket = m_sockets.value(index);
    if (!socket)
        return;
    m_sockets[index] = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    if (--m_pending == 0)
        Q_EMIT finished(m_closest);
}

} // namespace Client
