#include "relaysession.h"

#include "logging.h"

#include <QNetworkDatagram>
#include <QTimer>
#include <QVariant>

#include <openssl/crypto.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Server {

namespace {
// Transfer datagrams are at most 1200 bytes; anything much larger is not ours.
constexpr qint64 kMaxRelayedDatagram = 1500;
constexpr int kMaxDatagramsPerWake = 256;
constexpr int kSocketBuffer = 4 * 1024 * 1024;
// A transport never sends one datagram again and again (retransmissions carry new packet
// numbers): repeats within the recent window raise the score, new datagrams lower it. A loop
// forwards only repeats and passes this within a millisecond; a HELLO retried every 250 ms
// would need over a minute.
constexpr int kLoopScoreLimit = 256;
} // namespace

RelaySession::RelaySession(const Transfer::RelayToken &token, QString owner, RelayLimits limits,
                           QObject *parent)
    : QObject(parent)
    , m_socket(this)
    , m_token(token)
    , m_owner(std::move(owner))
    , m_limits(limits)
    , m_rate(limits.bytesPerSecond,
             std::max<quint64>(limits.bytesPerSecond / 10, 64 * kMaxRelayedDatagram))
{
    m_sinceActivity.start();
    auto *idle = new QTimer(this);
    idle->setInterval(std::max(10, m_limits.idleMs / 4));
    connect(idle, &QTimer::timeout, this, &RelaySession::checkIdle);
    idle->start();
}

bool RelaySession::open(const QHostAddress &address, QString *error)
{
    if (!m_socket.bind(address, 0)) {
        *error = m_socket.errorString();
        return false;
    }
    connect(&m_socket, &QUdpSocket::readyRead, this, &RelaySession::readDatagrams);
    // A transfer's flight of datagrams arrives in bursts: room for them, both ways.
    m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption,
                             QVariant(kSocketBuffer));
    m_socket.setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, QVariant(kSocketBuffer));
    return true;
}

int RelaySession::boundEndpoints() const
{
    return int(m_endpoints[0].has_value()) + int(m_endpoints[1].has_value());
}

void RelaySession::readDatagrams()
{
    // Bounded per wake so one busy session cannot starve the event loop.
    // Always read once: Qt disables an unbuffered socket's read notifier for good when a
    // readyRead is answered without a read (hasPendingData stays set), and a readyRead that
    // arrives after the queued re-read below emptied the socket would be exactly that.
    for (int i = 0; i < kMaxDatagramsPerWake; ++i) {
        if (i > 0 && !m_socket.hasPendingDatagrams())
            break;
        const QNetworkDatagram d = m_socket.receiveDatagram(kMaxRelayedDatagram + 1);
        if (!d.isValid())
            break;
        if (m_expired || d.data().size() > kMaxRelayedDatagram) {
            ++m_counters.dropped;
            continue;
        }
        handle(d.data(), Transfer::PeerAddress::fromQt(d.senderAddress(), quint16(d.senderPort())));
    }
    if (m_socket.hasPendingDatagrams())
        QTimer::singleShot(0, this, &RelaySession::readDatagrams);
}

void RelaySession::handle(const QByteArray &datagram, const Transfer::PeerAddress &from)
{
    const auto bytes = std::as_bytes(std::span(datagram.constData(), std::size_t(datagram.size())));
    const auto packet = Transfer::decodePacket(bytes);
    if (packet && packet->header.type == Transfer::PacketType::RelayBind) {
        if (!handleBind(packet->body, from))
            ++m_counters.dropped;
        return;
    }
    // Only a bound endpoint may send, and only to the other one.
    int side = -1;
    for (int i = 0; i < 2; ++i) {
        if (m_endpoints[i] && *m_endpoints[i] == from)
            side = i;
    }
    if (side < 0 || !m_endpoints[1 - side]) {
        ++m_counters.dropped;
        return;
    }
    if (m_counters.forwardedBytes + quint64(datagram.size()) > m_limits.maxBytes) {
        ++m_counters.dropped;
        expire(u"byte cap of %1 bytes reached"_s.arg(m_limits.maxBytes));
        return;
    }
    const auto now = Transfer::Clock::now();
    if (m_rate.available(now) < quint64(datagram.size())) {
        ++m_counters.dropped; // over the session's rate: dropped like a congested link would
        return;
    }
    if (looping(datagram)) {
        ++m_counters.dropped;
        expire(u"forwarding loop: the same datagrams keep coming back"_s);
        return;
    }
    m_rate.consume(quint64(datagram.size()), now);
    forward(datagram, *m_endpoints[1 - side]);
}

bool RelaySession::handleBind(std::span<const std::byte> body, const Transfer::PeerAddress &from)
{
    const auto bind = Transfer::decodeRelayBind(body);
    if (!bind || CRYPTO_memcmp(bind->token.data(), m_token.data(), m_token.size()) != 0)
        return false;
    if (!(m_endpoints[0] && *m_endpoints[0] == from)
        && !(m_endpoints[1] && *m_endpoints[1] == from)) {
        if (m_endpoints[1])
            return false; // two endpoints bound already: a third address gets nothing
        if (m_isOwn && m_isOwn(from)) {
            qCWarning(lcServer).noquote() << "relay port" << port() << "refused to bind"
                                          << from.toString() << ": one of this server's sockets";
            return false;
        }
        // The cookie is bound to the address, the token and the time; the session keeps no
        // state per challenged address.
        Transfer::Nonce tokenNonce {};
        std::copy(m_token.begin(), m_token.end(), tokenNonce.begin());
        const auto now = Transfer::Clock::now();
        if (!m_cookies.verify(bind->cookie, from, 0, tokenNonce, now)) {
            // Challenges go to unproven addresses: they are paid from the session's rate like
            // forwarded traffic, so a token holder cannot reflect them at line rate.
            constexpr quint64 kChallengeBytes = 64;
            if (m_rate.available(now) < kChallengeBytes)
                return false;
            m_rate.consume(kChallengeBytes, now);
            answerBind({m_token, 0, m_cookies.make(from, 0, tokenNonce, now)}, from);
            return true;
        }
        (m_endpoints[0] ? m_endpoints[1] : m_endpoints[0]) = from;
        qCInfo(lcServer).noquote()
                << "relay port" << port() << "bound" << from.toString() << "for" << m_owner;
    }
    m_sinceActivity.restart();
    answerBind({m_token, std::uint8_t(boundEndpoints()), {}}, from);
    return true;
}

void RelaySession::answerBind(const Transfer::RelayBound &answer, const Transfer::PeerAddress &to)
{
    std::array<std::byte, 96> out {};
    const std::size_t n = Transfer::encodeRelayBound(out, answer);
    m_socket.writeDatagram(reinterpret_cast<const char *>(out.data()), qint64(n), to.toQt(),
                           to.port);
}

void RelaySession::forward(const QByteArray &datagram, const Transfer::PeerAddress &to)
{
    m_sinceActivity.restart();
    if (m_socket.writeDatagram(datagram, to.toQt(), to.port) < 0) {
        ++m_counters.dropped;
        return;
    }
    ++m_counters.forwardedDatagrams;
    m_counters.forwardedBytes += quint64(datagram.size());
}

bool RelaySession::looping(const QByteArray &datagram)
{
    const size_t h = qHash(datagram);
    const bool repeat = std::find(m_recent.begin(), m_recent.end(), h) != m_recent.end();
    m_recent[m_recentNext] = h;
    m_recentNext = (m_recentNext + 1) % m_recent.size();
    m_loopScore = repeat ? m_loopScore + 1 : std::max(0, m_loopScore - 1);
    return m_loopScore > kLoopScoreLimit;
}

void RelaySession::checkIdle()
{
    if (m_sinceActivity.elapsed() >= m_limits.idleMs)
        expire(u"idle for %1 ms"_s.arg(m_limits.idleMs));
}

void RelaySession::expire(const QString &why)
{
    if (m_expired)
        return;
    m_expired = true;
    qCInfo(lcServer).noquote() << "relay port" << port() << "of" << m_owner << "closed:" << why
                               << "-" << m_counters.forwardedBytes << "bytes forwarded,"
                               << m_counters.dropped << "dropped";
    m_socket.close();
    Q_EMIT expired(this, why);
}

} // namespace Server
