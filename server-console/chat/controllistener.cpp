#include <server-console/chat/controllistener.h>

#include <server-console/serverlogging.h>

#include <QSslSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Server {

ControlListener::ControlListener(QObject *parent)
    : QTcpServer(parent)
{ }

void ControlListener::setTls(std::optional<QSslConfiguration> tls, int handshakeMs,
                             int maxHandshakes, int maxHandshakesPerAddress)
{
    m_tls = std::move(tls);
    m_handshakeMs = handshakeMs;
    m_maxHandshakes = maxHandshakes;
    m_maxHandshakesPerAddress = maxHandshakesPerAddress;
}

void ControlListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (!m_tls) {
        addPendingConnection(socket);
        Q_EMIT connectionReady();
        return;
    }
    const QString peer = socket->peerAddress().toString();
    if (m_handshakes >= m_maxHandshakes) {
        qCWarning(lcServer).noquote()
                << u"TLS: closed %1: %2 handshakes already in progress"_s.arg(peer).arg(
                           m_handshakes);
        socket->abort();
        socket->deleteLater();
        return;
    }
    if (m_handshakesByAddress.value(peer) >= m_maxHandshakesPerAddress) {
        qCWarning(lcServer).noquote()
                << u"TLS: closed %1: %2 handshakes from it already in progress"_s.arg(peer).arg(
                           m_handshakesByAddress.value(peer));
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_handshakes;
    ++m_handshakesByAddress[peer];
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    const auto fail = [this, socket, peer](const QString &why) {
        if (socket->property("hopshare.handshakeOver").toBool())
            return;
        socket->setProperty("hopshare.handshakeOver", true);
        handshakeOver(peer);
        qCWarning(lcServer).noquote() << u"TLS handshake from %1 failed: %2"_s.arg(peer, why);
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    };
    connect(deadline, &QTimer::timeout, this,
            [fail, this] { fail(u"no handshake within %1 ms"_s.arg(m_handshakeMs)); });
    connect(socket, &QSslSocket::errorOccurred, this,
            [fail, socket] { fail(socket->errorString()); });
    connect(socket, &QSslSocket::disconnected, this,
            [fail] { fail(u"closed during the handshake"_s); });
    connect(socket, &QSslSocket::encrypted, this, [this, socket, deadline] {
        deadline->stop();
        handshakeDone(socket);
    });
    socket->setSslConfiguration(*m_tls);
    deadline->start(m_handshakeMs);
    socket->startServerEncryption();
}

void ControlListener::handshakeOver(const QString &peer)
{
    --m_handshakes;
    if (auto it = m_handshakesByAddress.find(peer); it != m_handshakesByAddress.end() && --*it <= 0)
        m_handshakesByAddress.erase(it);
}

void ControlListener::handshakeDone(QSslSocket *socket)
{
    socket->setProperty("hopshare.handshakeOver", true);
    handshakeOver(socket->peerAddress().toString());
    socket->disconnect(this);
    socket->setParent(nullptr);
    addPendingConnection(socket);
    Q_EMIT connectionReady();
}

} // namespace Server
