#include <server-console/stream/qtsocketstream.h>

#include <protocol/framecodec.h>

#include <QSslSocket>

namespace Server {

QtSocketStream::QtSocketStream(QTcpSocket *socket, QObject *parent)
    : FrameStream(parent)
    , m_socket(socket)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &FrameStream::readyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QtSocketStream::over);
    connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError || !m_socket)
            return; // disconnected() follows
        // Any other error ends the connection: Qt leaves a socket with a read or TLS error
        // connected, and traffic sent over it would be lost until the heartbeat noticed.
        m_error = m_socket->errorString();
        over();
        m_socket->abort();
    });
}

void QtSocketStream::over()
{
    if (m_over)
        return;
    m_over = true;
    Q_EMIT disconnected();
}

void QtSocketStream::write(const QByteArray &frame)
{
    if (m_socket)
        m_socket->write(frame);
}

qint64 QtSocketStream::unsentBytes() const
{
    if (!m_socket)
        return 0;
    qint64 bytes = m_socket->bytesToWrite();
    // A TLS socket keeps a second queue of encrypted bytes; both count.
    if (const auto *tls = qobject_cast<const QSslSocket *>(m_socket.data()))
        bytes += tls->encryptedBytesToWrite();
    return bytes;
}

qsizetype QtSocketStream::readInto(Protocol::FrameReader &reader)
{
    if (!m_socket || m_socket->bytesAvailable() <= 0)
        return 0;
    const QByteArray chunk = m_socket->peek(qMin<qint64>(m_socket->bytesAvailable(), 1 << 20));
    const qsizetype taken = reader.append(chunk);
    m_socket->skip(taken);
    return taken;
}

void QtSocketStream::pollIncoming()
{
    if (m_socket)
        m_socket->waitForReadyRead(0);
}

void QtSocketStream::disconnectFromHost()
{
    if (m_socket)
        m_socket->disconnectFromHost();
}

void QtSocketStream::abort()
{
    if (m_socket)
        m_socket->abort();
}

bool QtSocketStream::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QHostAddress QtSocketStream::peerAddress() const
{
    return m_socket ? m_socket->peerAddress() : QHostAddress();
}

QByteArray QtSocketStream::localCertificateDer() const
{
    const auto *tls = qobject_cast<const QSslSocket *>(m_socket.data());
    return tls && tls->isEncrypted() ? tls->localCertificate().toDer() : QByteArray();
}

QByteArray QtSocketStream::peerCertificateDer() const
{
    const auto *tls = qobject_cast<const QSslSocket *>(m_socket.data());
    return tls && tls->isEncrypted() ? tls->peerCertificate().toDer() : QByteArray();
}

} // namespace Server
