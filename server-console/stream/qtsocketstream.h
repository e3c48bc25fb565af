#pragma once

#include <server-console/stream/framestream.h>

#include <QPointer>

class QTcpSocket;

namespace Server {

// A FrameStream over a Qt socket (a QSslSocket for TLS): the links this server dials, where
// Qt's connect, proxy-free name lookup and TLS client are what is wanted.
class QtSocketStream : public FrameStream
{
    Q_OBJECT
public:
    // Takes the socket (it becomes a child of this stream).
    explicit QtSocketStream(QTcpSocket *socket, QObject *parent = nullptr);

    [[nodiscard]] QTcpSocket *socket() const { return m_socket; }

    void write(const QByteArray &frame) override;
    [[nodiscard]] qint64 unsentBytes() const override;
    qsizetype readInto(Protocol::FrameReader &reader) override;
    void pollIncoming() override;
    void disconnectFromHost() override;
    void abort() override;
    [[nodiscard]] bool isConnected() const override;
    [[nodiscard]] QHostAddress peerAddress() const override;
    [[nodiscard]] QString errorString() const override { return m_error; }
    [[nodiscard]] QByteArray localCertificateDer() const override;
    [[nodiscard]] QByteArray peerCertificateDer() const override;

private:
    void over();

    QPointer<QTcpSocket> m_socket;
    QString m_error;
    bool m_over = false;
};

} // namespace Server
