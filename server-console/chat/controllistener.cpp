#include <server-console/chat/controllistener.h>

#include <server-console/serverlogging.h>
#include <server-console/stream/sessionsocket.h>

#include <QTimer>

using namespace Qt::StringLiterals;

namespace Server {

ControlListener::ControlListener(QObject *parent)
    : QTcpServer(parent)
{ }

ControlListener::~ControlListener()
{
    qDeleteAll(m_ready);
}

void ControlListener::setTls(std::shared_ptr<const TlsContext> tls, int handshakeMs,
                             int maxHandshakes, int maxHandshakesPerAddress)
{
    m_tls = std::move(tls);
    m_handshakeMs = handshakeMs;
    m_maxHandshakes = maxHandshakes;
    m_maxHandshakesPerAddress = maxHandshakesPerAddress;
}

SessionSocket *ControlListener::takeConnection()
{
    return m_ready.isEmpty() ? nullptr : m_ready.takeFirst();
}

void ControlListener::ready(SessionSocket *socket)
{
    socket->disconnect(this);
    socket->setParent(nullptr);
    m_ready.append(socket);
    Q_EMIT connectionReady();
}

void ControlListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new SessionSocket(descriptor, m_tls, this);
    if (!m_tls) {
        ready(socket);
        return;
    }
    const QString peer = socket->peerAddress().toString();
    if (m_handshakes >= m_maxHandshakes) {
        qCWarning(lcServer).noquote()
                << u"TLS: closed %1: %2 handshakes already in progress"_s.arg(peer).arg(
                           m_handshakes);
        delete socket;
        return;
    }
    if (m_handshakesByAddress.value(peer) >= m_maxHandshakesPerAddress) {
        qCWarning(lcServer).noquote()
                << u"TLS: closed %1: %2 handshakes from it already in progress"_s.arg(peer).arg(
                           m_handshakesByAddress.value(peer));
        delete socket;
        return;
    }
    ++m_handshakes;
    ++m_handshakesByAddress[peer];
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    const auto fail = [this, socket, deadline, peer](const QString &why) {
        // Once: a failure and the deadline can both be due in the same turn.
        deadline->stop();
        deadline->disconnect(this);
        handshakeOver(peer);
        qCWarning(lcServer).noquote() << u"TLS handshake from %1 failed: %2"_s.arg(peer, why);
        socket->disconnect(this);
        socket->deleteLater();
    };
    connect(deadline, &QTimer::timeout, this,
            [fail, this] { fail(u"no handshake within %1 ms"_s.arg(m_handshakeMs)); });
    connect(socket, &SessionSocket::handshakeFailed, this, fail);
    connect(socket, &SessionSocket::disconnected, this,
            [fail] { fail(u"closed during the handshake"_s); });
    connect(socket, &SessionSocket::encrypted, this, [this, socket, deadline, peer] {
        delete deadline;
        handshakeOver(peer);
        ready(socket);
    });
    deadline->start(m_handshakeMs);
    socket->startHandshake();
}

void ControlListener::handshakeOver(const QString &peer)
{
    --m_handshakes;
    if (auto it = m_handshakesByAddress.find(peer); it != m_handshakesByAddress.end() && --*it <= 0)
        m_handshakesByAddress.erase(it);
}

} // namespace Server
