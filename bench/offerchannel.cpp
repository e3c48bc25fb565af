#include <bench/offerchannel.h>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

constexpr qint64 kMaxOfferLine = 1024;

} // namespace

OfferServer::OfferServer(qint64 size, QByteArray sha256, TokenSource tokens, QObject *parent)
    : QObject(parent)
    , m_size(size)
    , m_sha256(std::move(sha256))
    , m_tokens(std::move(tokens))
{
    connect(&m_server, &QTcpServer::newConnection, this, &OfferServer::answer);
}

bool OfferServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    *error = u"offer channel on TCP %1:%2: %3"_s.arg(address.toString())
                     .arg(port)
                     .arg(m_server.errorString());
    return false;
}

void OfferServer::answer()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        const QJsonObject offer {{u"size"_s, m_size},
                                 {u"sha256"_s, QString::fromLatin1(m_sha256.toHex())},
                                 {u"token"_s, QString::fromLatin1(m_tokens().toHex())}};
        socket->write(QJsonDocument(offer).toJson(QJsonDocument::Compact) + '\n');
        socket->disconnectFromHost();
    }
}

std::optional<BenchOffer> fetchOffer(const QHostAddress &address, quint16 port, int timeoutMs,
                                     QString *error)
{
    QElapsedTimer clock;
    clock.start();
    QTcpSocket socket;
    socket.connectToHost(address, port);
    if (!socket.waitForConnected(timeoutMs)) {
        *error = u"offer channel %1:%2: %3"_s.arg(address.toString())
                         .arg(port)
                         .arg(socket.errorString());
        return std::nullopt;
    }
    while (!socket.canReadLine() && socket.bytesAvailable() < kMaxOfferLine
           && clock.elapsed() < timeoutMs) {
        if (!socket.waitForReadyRead(int(std::max<qint64>(1, timeoutMs - clock.elapsed()))))
            break;
    }
    const QJsonObject o = QJsonDocument::fromJson(socket.readLine(kMaxOfferLine)).object();
    BenchOffer offer {o.value(u"size"_s).toInteger(),
                      QByteArray::fromHex(o.value(u"sha256"_s).toString().toLatin1()),
                      QByteArray::fromHex(o.value(u"token"_s).toString().toLatin1())};
    if (offer.size <= 0 || offer.sha256.size() != 32 || offer.token.size() != 16) {
        *error = u"offer channel %1:%2: no valid offer received"_s.arg(address.toString())
                         .arg(port);
        return std::nullopt;
    }
    return offer;
}

} // namespace Bench
