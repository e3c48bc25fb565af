#include <server-console/chat/clientsession.h>

#include <server-console/serverconfig.h>
#include <server-console/serverlogging.h>
#include <server-console/stream/framestream.h>

#include <protocol/messagecodec.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>

#include <algorithm>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

namespace Server {

namespace {
QString displayAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}
} // namespace

ClientSession::ClientSession(FrameStream *socket, const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_config(config)
    , m_reader(config.maxFrameBytes)
    , m_limiter(config.messagesPerSecond, config.messageBurst)
    , m_address(addressOf(socket))
{
    socket->setParent(this);
    if (const QByteArray certificate = socket->localCertificateDer(); !certificate.isEmpty())
        m_channelBinding = QCryptographicHash::hash(certificate, QCryptographicHash::Sha256);
    connect(socket, &FrameStream::readyRead, this, &ClientSession::readFrames);
    connect(socket, &FrameStream::disconnected, this,
            [this] { finish(m_closeReason.isEmpty() ? u"quit"_s : m_closeReason); });
    const qint64 now = monotonicMs();
    m_idleDeadline = now + qint64(config.idleTimeoutSeconds) * 1000;
    // A connection holds a slot (and its address's share) until it says hello; a slowloris
    // that never does gives it back after the deadline.
    m_helloDeadline = now + config.helloTimeoutMs;
}

qint64 ClientSession::monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

qint64 ClientSession::nextDeadline() const
{
    return std::min({m_idleDeadline, m_helloDeadline, m_lingerDeadline});
}

void ClientSession::checkDeadlines(qint64 nowMs)
{
    if (nowMs >= m_lingerDeadline) {
        m_lingerDeadline = kNoDeadline; // a closing client that never reads is cut off
        if (m_socket)
            m_socket->abort();
        return;
    }
    if (nowMs >= m_helloDeadline) {
        m_helloDeadline = kNoDeadline;
        if (m_state == State::AwaitingHello) {
            disconnectWithReason(ErrorCode::HelloTimeout,
                                 u"no hello within %1 ms"_s.arg(m_config.helloTimeoutMs));
            return;
        }
    }
    if (nowMs >= m_idleDeadline) {
        m_idleDeadline = kNoDeadline;
        qCInfo(lcServerSession) << "client" << m_address << m_info.nick << "timed out";
        m_closeReason = u"timeout"_s;
        close(u"timed out: nothing received for %1 s"_s.arg(m_config.idleTimeoutSeconds));
    }
}

ClientSession::~ClientSession() = default;

QString ClientSession::addressOf(const FrameStream *socket)
{
    return displayAddress(socket->peerAddress());
}

qint64 ClientSession::unsentBytes() const
{
    return m_socket ? m_socket->unsentBytes() : 0;
}

void ClientSession::shareRateLimiter(std::shared_ptr<RateLimiter> perAddress)
{
    m_addressLimiter = std::move(perAddress);
}

FrameStream *ClientSession::releaseSocket(QByteArray *unread)
{
    *unread = m_reader.takeBuffered();
    FrameStream *socket = m_socket;
    m_socket = nullptr;
    m_finished = true;
    m_state = State::Closing;
    m_idleDeadline = m_helloDeadline = m_lingerDeadline = kNoDeadline;
    if (socket) {
        socket->disconnect(this);
        socket->setParent(nullptr);
    }
    return socket;
}

void ClientSession::setReady(const Protocol::MemberInfo &info)
{
    m_info = info;
    m_state = State::Ready;
    m_helloDeadline = kNoDeadline;
}

void ClientSession::send(const Protocol::Message &message)
{
    write(Protocol::encodeMessageFrame(message));
}

void ClientSession::sendFrame(const QByteArray &frame)
{
    write(frame);
}

void ClientSession::sendFrame(const QByteArray &head, const QList<QByteArray> &body)
{
    write(head, body);
}

void ClientSession::write(const QByteArray &head, const QList<QByteArray> &body)
{
    if (!m_socket || !m_socket->isConnected())
        return;
    const auto queue = [&] {
        m_socket->write(head);
        for (const QByteArray &piece : body)
            m_socket->write(piece);
    };
    if (m_sendQueueFull) {
        if (m_sayingGoodbye) // the error and the bye go through, just past the bound
            queue();
        return;
    }
    // What is unsent can only have shrunk since it was last read, so a frame that fits in the
    // room left then fits now: the socket's queues (two of them over TLS) are only asked again
    // when it may not. Asking on every write was a sixth of the server's time in a room of
    // 1000.
    qsizetype size = head.size();
    for (const QByteArray &piece : body)
        size += piece.size();
    if (size > m_sendBudget)
        m_sendBudget = m_config.sendQueueBytes - unsentBytes();
    if (size <= m_sendBudget) {
        queue();
        m_sendBudget -= size;
        return;
    }
    // The client does not read. Stop queueing at once; drop it from the event loop, not from
    // inside whatever loop over the room's members is sending right now.
    m_sendQueueFull = true;
    const qint64 queued = unsentBytes();
    QMetaObject::invokeMethod(
            this,
            [this, queued] {
                m_sayingGoodbye = true;
                disconnectWithReason(ErrorCode::SendQueueFull,
                                     u"%1 bytes unread (at most %2): not reading"_s.arg(queued).arg(
                                             m_config.sendQueueBytes));
                m_sayingGoodbye = false;
            },
            Qt::QueuedConnection);
}

void ClientSession::sendError(ErrorCode code, const QString &text, const QString &ref,
                              const QString &room)
{
    send(Protocol::Error {code, text, ref, room});
}

void ClientSession::countError()
{
    if (++m_errors >= m_config.maxErrors)
        disconnectWithReason(ErrorCode::TooManyErrors,
                             u"too many invalid requests (%1)"_s.arg(m_errors));
}

void ClientSession::disconnectWithReason(ErrorCode code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    qCWarning(lcServerSession) << "dropping client" << m_address << m_info.nick << ":" << reason;
    m_closeReason = u"dropped"_s;
    sendError(code, reason);
    close(reason);
}

void ClientSession::close(const QString &reason)
{
    if (m_state == State::Closing || !m_socket)
        return;
    m_state = State::Closing;
    m_helloDeadline = m_idleDeadline = kNoDeadline;
    send(Protocol::Bye {reason});
    m_socket->disconnectFromHost(); // writes what is pending first
    if (m_socket && !m_finished)
        m_lingerDeadline = monotonicMs() + kCloseLingerMs;
}

void ClientSession::readFrames()
{
    // Bounded per wake-up by the stream's read budget; the reader caps its own buffer.
    while (m_socket && m_state != State::Closing) {
        const Protocol::DecodedFrame frame = m_reader.next();
        if (frame.status == Protocol::FrameStatus::Incomplete) {
            if (m_socket->readInto(m_reader) == 0)
                return;
            continue;
        }
        m_idleDeadline = monotonicMs() + qint64(m_config.idleTimeoutSeconds) * 1000;
        handleFrame(frame);
    }
}

void ClientSession::handleFrame(const Protocol::DecodedFrame &frame)
{
    using Protocol::FrameStatus;
    if (frame.status == FrameStatus::TooLarge) {
        disconnectWithReason(ErrorCode::FrameTooLarge, frame.error);
        return;
    }
    if (frame.status == FrameStatus::Malformed) {
        sendError(ErrorCode::BadFrame, frame.error);
        countError();
        return;
    }
    if (m_state == State::AwaitingHello && frame.map.value(u"t"_s).toString() == u"link-hello") {
        // Until a link is authenticated its frames are small (docs/FEDERATION.md).
        if (frame.consumed > qsizetype(m_config.linkPreAuthFrameBytes)) {
            qCWarning(lcServerSession).noquote()
                    << u"link hello from %1 refused: %2 bytes, at most %3 before authentication"_s
                               .arg(m_address)
                               .arg(frame.consumed)
                               .arg(m_config.linkPreAuthFrameBytes);
            m_state = State::Closing;
            m_socket->abort();
            return;
        }
        Q_EMIT linkRequested(this, frame.map);
        return;
    }
    const qint64 now = monotonicMs();
    if (!takeToken(now)) {
        if (m_lastRateErrorMs < 0 || now - m_lastRateErrorMs >= 1000) {
            m_lastRateErrorMs = now;
            sendError(ErrorCode::RateLimited,
                      u"slow down: at most %1 messages a second"_s.arg(m_config.messagesPerSecond));
        }
        return;
    }
    Protocol::MessageDecodeResult decoded = Protocol::decodeMessage(frame.map);
    if (!decoded.message) {
        sendError(decoded.error, decoded.errorText, decoded.type);
        countError();
        return;
    }
    Q_EMIT messageReceived(this, *decoded.message);
}

bool ClientSession::takeToken(qint64 nowMs)
{
    if (!m_limiter.tryTake(nowMs))
        return false;
    return !m_addressLimiter || m_addressLimiter->tryTake(nowMs);
}

void ClientSession::finish(const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_state = State::Closing;
    m_idleDeadline = m_helloDeadline = m_lingerDeadline = kNoDeadline;
    Q_EMIT closed(this, reason);
}

} // namespace Server
