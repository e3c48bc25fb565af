#include <server-console/udp/relaysession.h>

#include <server-console/serverlogging.h>

#include <QHash>
#include <QTimer>

#include <openssl/crypto.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Server {

namespace {
// Transfer datagrams are at most 1212 bytes (sealed); anything much larger is not ours.
constexpr std::size_t kMaxRelayedDatagram = 1500;
// A transport never sends one datagram again and again (retransmissions carry new packet
// numbers): repeats within the recent window raise the score, new datagrams lower it. A loop
// forwards only repeats and passes this within a millisecond; a HELLO retried every 250 ms
// would need over a minute.
constexpr int kLoopScoreLimit = 256;
// The header (packet number, connection id, timestamp) and the start of the body tell two
// datagrams apart; hashing all of every datagram would cost more than forwarding it.
constexpr std::size_t kLoopHashBytes = 64;
constexpr std::size_t kTypeOffset = 1; // the header's type byte, in the clear even when sealed

Transfer::TokenBucket directionBucket(const RelayLimits &limits)
{
    return {limits.bytesPerSecond,
            std::max<quint64>(limits.bytesPerSecond / 10, 64 * kMaxRelayedDatagram)};
}
} // namespace

RelaySession::RelaySession(const Transfer::RelayToken &token, QString owner, RelayLimits limits,
                           QObject *parent)
    : QObject(parent)
    , m_token(token)
    , m_owner(std::move(owner))
    , m_limits(limits)
    , m_rate {directionBucket(limits), directionBucket(limits)}
{
    m_sinceActivity.start();
    auto *idle = new QTimer(this);
    idle->setInterval(std::max(10, std::min(m_limits.idleMs, m_limits.closeGraceMs) / 4));
    connect(idle, &QTimer::timeout, this, &RelaySession::checkIdle);
    idle->start();
}

bool RelaySession::open(const QHostAddress &address, QString *error)
{
    // The batched socket (recvmmsg/sendmmsg, 8 MiB buffers) where the platform has it: a
    // transfer's flight arrives in bursts, both ways.
    m_socket = Transfer::DatagramSocket::create(true);
    if (!m_socket->bind(address, 0, error))
        return false;
    m_port = m_socket->localPort();
    connect(m_socket.get(), &Transfer::DatagramSocket::readyRead, this,
            &RelaySession::readDatagrams);
    return true;
}

int RelaySession::boundEndpoints() const
{
    return int(m_endpoints[0].has_value()) + int(m_endpoints[1].has_value());
}

RelaySession::Counters RelaySession::counters() const
{
    Counters c = m_counters;
    c.sendErrors = m_socket ? m_socket->sendErrors() : 0;
    return c;
}

void RelaySession::readDatagrams()
{
    if (!m_socket)
        return;
    // drain() is bounded per wake; the level-triggered notifier fires again for the rest.
    m_socket->drain([this](std::span<const std::byte> datagram, const Transfer::PeerAddress &from) {
        if (m_expired || datagram.size() > kMaxRelayedDatagram) {
            ++m_counters.dropped;
            return;
        }
        handle(datagram, from);
    });
    if (m_socket)
        m_socket->flush(); // one sendmmsg for what this wake forwards
}

void RelaySession::handle(std::span<const std::byte> datagram, const Transfer::PeerAddress &from)
{
    int side = -1;
    for (int i = 0; i < 2; ++i) {
        if (m_endpoints[i] && *m_endpoints[i] == from)
            side = i;
    }
    const auto type = datagram.size() > kTypeOffset ? Transfer::PacketType(datagram[kTypeOffset])
                                                    : Transfer::PacketType::Ping;
    // Only binds are parsed; a bound endpoint's traffic is forwarded by its source address.
    if (type == Transfer::PacketType::RelayBind || side < 0) {
        const auto packet = Transfer::decodePacket(datagram);
        if (!packet || packet->header.type != Transfer::PacketType::RelayBind
            || !handleBind(packet->body, from))
            ++m_counters.dropped;
        return;
    }
    if (!m_endpoints[1 - side]) {
        ++m_counters.dropped;
        return;
    }
    if (m_counters.forwardedBytes + datagram.size() > m_limits.maxBytes) {
        ++m_counters.dropped;
        expire(u"byte cap of %1 bytes reached"_s.arg(m_limits.maxBytes));
        return;
    }
    const auto now = Transfer::Clock::now();
    if (m_rate[side].available(now) < datagram.size()) {
        ++m_counters.dropped; // over the session's rate: dropped like a congested link would
        ++m_counters.droppedOverRate;
        return;
    }
    if (looping(datagram)) {
        ++m_counters.dropped;
        expire(u"forwarding loop: the same datagrams keep coming back"_s);
        return;
    }
    m_rate[side].consume(datagram.size(), now);
    if (type == Transfer::PacketType::Close && !m_closeSeen) {
        m_closeSeen = true; // the transfer ended: let its last datagrams through, then go
        m_sinceClose.start();
    }
    forward(datagram, 1 - side);
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
            if (m_rate[0].available(now) < kChallengeBytes)
                return false;
            m_rate[0].consume(kChallengeBytes, now); // either bucket: both bound the session
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
    m_socket->send(std::span(out).first(n), to);
}

void RelaySession::forward(std::span<const std::byte> datagram, int toSide)
{
    m_sinceActivity.restart();
    m_socket->send(datagram, *m_endpoints[toSide]); // queued; readDatagrams() flushes
    ++m_counters.forwardedDatagrams;
    m_counters.forwardedBytes += datagram.size();
}

bool RelaySession::looping(std::span<const std::byte> datagram)
{
    const auto head = datagram.first(std::min(datagram.size(), kLoopHashBytes));
    const size_t h = qHashBits(head.data(), head.size());
    const bool repeat = std::find(m_recent.begin(), m_recent.end(), h) != m_recent.end();
    m_recent[m_recentNext] = h;
    m_recentNext = (m_recentNext + 1) % m_recent.size();
    m_loopScore = repeat ? m_loopScore + 1 : std::max(0, m_loopScore - 1);
    return m_loopScore > kLoopScoreLimit;
}

void RelaySession::checkIdle()
{
    if (m_closeSeen && m_sinceClose.elapsed() >= m_limits.closeGraceMs)
        expire(u"the transfer ended"_s);
    else if (m_sinceActivity.elapsed() >= m_limits.idleMs)
        expire(u"idle for %1 ms"_s.arg(m_limits.idleMs));
}

void RelaySession::expire(const QString &why)
{
    if (m_expired)
        return;
    m_expired = true;
    qCInfo(lcServer).noquote() << "relay port" << port() << "of" << m_owner << "closed:" << why
                               << "-" << m_counters.forwardedBytes << "bytes forwarded,"
                               << m_counters.dropped << "dropped,"
                               << (m_socket ? m_socket->sendErrors() : 0) << "send errors";
    if (m_socket)
        m_socket->flush();
    Q_EMIT expired(this, why);
}

} // namespace Server
