#include <client/clientcore.h>

#include <client/clientlogging.h>
#include <client/filesharing.h>
#include <client/identityhello.h>
#include <client/knownpeers.h>
#include <client/servertrust.h>

#include <protocol/messagecodec.h>
#include <protocol/names.h>

#include <QSet>

#include <utility>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
constexpr int kKeepaliveMs = 20'000; // well inside the server's idle timeout
constexpr qsizetype kMaxPendingPings = 256;
} // namespace

ClientCore::ClientCore(QObject *parent)
    : QObject(parent)
    , m_knownPeers(std::make_shared<KnownPeers>())
{
    m_clock.start();
    // Hello goes out only once the channel is what the settings ask for: encrypted, unless
    // plain TCP was chosen.
    connect(&m_socket, &QSslSocket::connected, this, [this] {
        if (!m_tls.encrypted())
            sendHello();
    });
    connect(&m_socket, &QSslSocket::encrypted, this, [this] {
        ServerTrust::confirm(m_socket, m_tls, m_hostPort);
        sendHello();
    });
    connect(&m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // A refusal leaves the errors standing: the handshake fails and handleSocketError()
        // reports m_tlsFailure through connectionFailed(), which the failover logs once.
        (void)ServerTrust::review(m_socket, m_tls, m_hostPort, errors, &m_tlsFailure);
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, &ClientCore::readFrames);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &ClientCore::handleSocketError);
    connect(&m_socket, &QTcpSocket::disconnected, this, &ClientCore::handleDisconnected);
    const auto maybeAllWritten = [this] {
        if (pendingBytes() == 0)
            Q_EMIT allWritten();
    };
    connect(&m_socket, &QSslSocket::bytesWritten, this, maybeAllWritten);
    connect(&m_socket, &QSslSocket::encryptedBytesWritten, this, maybeAllWritten);
    m_keepalive.setInterval(kKeepaliveMs);
    connect(&m_keepalive, &QTimer::timeout, this, [this] { m_keepalivePings.insert(ping()); });
}

ClientCore::~ClientCore()
{
    m_socket.disconnect(this);
}

QList<Protocol::MemberInfo> ClientCore::members(const QString &room) const
{
    return m_members.value(room);
}

std::shared_ptr<const Crypto::IdentityKey> ClientCore::identity()
{
    if (!m_identity)
        m_identity = std::make_shared<const Crypto::IdentityKey>(Crypto::IdentityKey::generate());
    return m_identity;
}

void ClientCore::setKnownPeers(std::shared_ptr<KnownPeers> peers)
{
    if (peers)
        m_knownPeers = std::move(peers);
}

bool ClientCore::hasUntrustedKey(const Protocol::MemberInfo &member) const
{
    const QByteArray trusted = m_knownPeers->trustedKey(member.nick);
    return !trusted.isEmpty() && trusted != member.key;
}

void ClientCore::checkKey(const QString &room, const Protocol::MemberInfo &member)
{
    if (member.id == m_clientId || member.key.isEmpty())
        return;
    if (m_knownPeers->see(member.nick, member.key) != KnownPeers::Sight::Changed)
        return;
    const QByteArray flag = Protocol::nickKey(member.nick).toUtf8() + '\0' + member.key;
    if (m_flaggedKeys.contains(flag))
        return;
    m_flaggedKeys.insert(flag);
    qCWarning(lcClient).noquote() << "key changed for" << member.nick;
    Q_EMIT memberKeyChanged(
            room, member, Crypto::IdentityKey::fingerprintOf(m_knownPeers->trustedKey(member.nick)),
            Crypto::IdentityKey::fingerprintOf(member.key));
}

bool ClientCore::trustKey(const QString &nick)
{
    const QString wanted = Protocol::nickKey(nick);
    for (const QList<Protocol::MemberInfo> &list : std::as_const(m_members)) {
        for (const Protocol::MemberInfo &m : list) {
            if (m.id == m_clientId || Protocol::nickKey(m.nick) != wanted)
                continue;
            m_knownPeers->trust(m.nick, m.key);
            Q_EMIT memberKeyTrusted(m.nick, Crypto::IdentityKey::fingerprintOf(m.key));
            return true;
        }
    }
    return false;
}

FileSharing *ClientCore::files()
{
    if (!m_files)
        m_files = new FileSharing(this, this);
    return m_files;
}

qint64 ClientCore::pendingBytes() const
{
    return m_socket.bytesToWrite() + m_socket.encryptedBytesToWrite();
}

QByteArray ClientCore::channelBinding() const
{
    return m_tls.encrypted() ? ServerTrust::certificateHash(m_socket, true) : QByteArray();
}

void ClientCore::sendHello()
{
    setState(State::Greeting);
    Protocol::Hello hello = signedHello(*identity(), m_nick, u"hopshare/" HOPSHARE_VERSION ""_s,
                                        channelBinding());
    hello.showAddress = m_showAddress;
    send(hello);
}

void ClientCore::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ClientCore::connectToServer(const QString &host, quint16 port, const QString &nick)
{
    if (m_state != State::Disconnected)
        m_socket.abort();
    m_nick = nick;
    m_closeReason.clear();
    m_tlsFailure.clear();
    m_reader = Protocol::FrameReader();
    m_hostPort = ServerTrust::hostPort(host, port);
    setState(State::Connecting);
    if (!m_localAddress.isNull())
        m_socket.bind(m_localAddress, 0);
    ServerTrust::connectSocket(m_socket, m_tls, host, port);
}

void ClientCore::disconnectFromServer(const QString &reason)
{
    if (m_state == State::Disconnected)
        return;
    m_closeReason = reason.isEmpty() ? u"quit"_s : reason;
    send(Protocol::Bye {m_closeReason});
    m_socket.disconnectFromHost();
}

void ClientCore::send(const Protocol::Message &message)
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        m_socket.write(Protocol::encodeMessageFrame(message));
}

void ClientCore::join(const QString &room, const QString &key)
{
    if (!key.isEmpty())
        m_roomKeys.insert(room, key);
    send(Protocol::Join {room, m_roomKeys.value(room)});
}

void ClientCore::leave(const QString &room)
{
    send(Protocol::Leave {room});
}

void ClientCore::say(const QString &room, const QString &text, const QStringList &targets)
{
    send(Protocol::Say {room, targets, text});
}

void ClientCore::relay(const QString &room, const QString &kind, const QCborMap &body,
                       const QStringList &targets)
{
    send(Protocol::Relay {room, targets, kind, body});
}

quint32 ClientCore::ping(const QString &server)
{
    const quint32 id = m_nextPingId++;
    if (m_pingsSent.size() >= kMaxPendingPings)
        m_pingsSent.clear(); // answers that never came; forget them rather than grow
    m_pingsSent.insert(id, m_clock.nsecsElapsed());
    send(Protocol::Ping {id, server});
    return id;
}

void ClientCore::closeUdpRelay(quint16 port)
{
    if (port != 0)
        send(Protocol::UdpRelayClose {port});
}

quint32 ClientCore::openUdpRelay()
{
    const quint32 id = m_nextRelayRequest++;
    if (m_relayRequests.size() >= 64)
        m_relayRequests.removeFirst(); // never answered; do not grow
    m_relayRequests.append(id);
    send(Protocol::UdpRelayOpen {id});
    return id;
}

void ClientCore::readFrames()
{
    while (m_socket.bytesAvailable() > 0 || m_reader.buffered() > 0) {
        if (m_socket.bytesAvailable() > 0) {
            const QByteArray chunk = m_socket.peek(qMin<qint64>(m_socket.bytesAvailable(), 65536));
            m_socket.skip(m_reader.append(chunk));
        }
        const Protocol::DecodedFrame frame = m_reader.next();
        if (frame.status == Protocol::FrameStatus::Incomplete) {
            if (m_socket.bytesAvailable() == 0)
                return;
            continue;
        }
        if (frame.status != Protocol::FrameStatus::Ok) {
            qCWarning(lcClient).noquote() << "bad frame from server:" << frame.error;
            if (frame.status == Protocol::FrameStatus::TooLarge) {
                m_closeReason = u"protocol error: "_s + frame.error;
                Q_EMIT connectionFailed(m_closeReason);
                m_socket.abort();
                return;
            }
            continue;
        }
        const Protocol::MessageDecodeResult decoded = Protocol::decodeMessage(frame.map);
        if (!decoded.message) {
            qCWarning(lcClient).noquote() << "dropped message from server:" << decoded.errorText;
            continue;
        }
        std::visit([this](const auto &m) { handle(m); }, *decoded.message);
    }
}

void ClientCore::handleSocketError()
{
    if (m_state == State::Connecting) {
        const QString reason = m_tlsFailure.isEmpty() ? m_socket.errorString() : m_tlsFailure;
        setState(State::Disconnected);
        Q_EMIT connectionFailed(reason);
        return;
    }
    if (m_closeReason.isEmpty() && m_socket.error() != QAbstractSocket::RemoteHostClosedError)
        m_closeReason = u"connection lost: "_s + m_socket.errorString();
}

void ClientCore::handleDisconnected()
{
    // A refused TLS handshake was already reported as connectionFailed(); never connected.
    if (m_state == State::Disconnected)
        return;
    m_keepalive.stop();
    m_members.clear();
    m_roomOrder.clear();
    m_pingsSent.clear();
    const QString reason
            = m_closeReason.isEmpty() ? u"connection closed by the server"_s : m_closeReason;
    const QList<quint32> relayRequests = std::exchange(m_relayRequests, {});
    setState(State::Disconnected);
    for (quint32 id : relayRequests)
        Q_EMIT udpRelayRefused(id, reason);
    Q_EMIT disconnected(reason);
}

void ClientCore::handle(const Protocol::Welcome &m)
{
    m_serverName = m.server;
    m_clientId = m.clientId;
    m_observedAddress = m.address;
    setState(State::Ready);
    m_keepalive.start();
    Q_EMIT connected(m.server, m.clientId);
}

void ClientCore::handle(const Protocol::Joined &m)
{
    if (!m_roomOrder.contains(m.room))
        m_roomOrder.append(m.room);
    m_members.insert(m.room, m.members);
    Q_EMIT joined(m.room, m.members);
    for (const Protocol::MemberInfo &member : m.members)
        checkKey(m.room, member);
    m_knownPeers->flush();
}

void ClientCore::handle(const Protocol::Left &m)
{
    m_roomOrder.removeAll(m.room);
    m_members.remove(m.room);
    m_roomKeys.remove(m.room);
    Q_EMIT left(m.room);
}

void ClientCore::handle(const Protocol::MemberJoined &m)
{
    auto it = m_members.find(m.room);
    if (it == m_members.end())
        return; // not (yet) in that room: nothing to show
    it->append(m.member);
    Q_EMIT memberJoined(m.room, m.member);
    checkKey(m.room, m.member);
    m_knownPeers->flush();
}

void ClientCore::handle(const Protocol::MembersJoined &m)
{
    auto it = m_members.find(m.room);
    if (it == m_members.end())
        return;
    it->append(m.members);
    for (const Protocol::MemberInfo &member : m.members) {
        Q_EMIT memberJoined(m.room, member);
        checkKey(m.room, member);
    }
    m_knownPeers->flush(); // once for the list
}

void ClientCore::handle(const Protocol::MemberLeft &m)
{
    auto it = m_members.find(m.room);
    if (it == m_members.end())
        return;
    it->removeIf([&](const Protocol::MemberInfo &x) { return x.id == m.member.id; });
    Q_EMIT memberLeft(m.room, m.member, m.reason);
}

void ClientCore::handle(const Protocol::ChatMessage &m)
{
    checkKey(m.room, m.from); // before the line, so that the warning comes first
    m_knownPeers->flush();
    Q_EMIT messageReceived(m);
}

void ClientCore::handle(const Protocol::Pong &m)
{
    const auto it = m_pingsSent.find(m.id);
    if (it == m_pingsSent.end())
        return;
    const double rtt = double(m_clock.nsecsElapsed() - it.value()) / 1e6;
    m_pingsSent.erase(it);
    if (m_keepalivePings.remove(m.id))
        return;
    Q_EMIT pongReceived(m.id, m.server, rtt, m.hops);
}

void ClientCore::handle(const Protocol::Error &m)
{
    qCDebug(lcClient).noquote() << "server error" << Protocol::errorCodeName(m.code) << m.text;
    // The server answers in order, so a refusal answers the oldest open request.
    if (m.ref == u"udp-relay-open"_s && !m_relayRequests.isEmpty()) {
        Q_EMIT udpRelayRefused(m_relayRequests.takeFirst(), m.text);
        return;
    }
    if (m.code == Protocol::ErrorCode::RoomLocked)
        m_roomKeys.remove(m.room); // a refused password is not tried again
    Q_EMIT serverError(m);
}

void ClientCore::handle(const Protocol::Bye &m)
{
    if (m_closeReason.isEmpty())
        m_closeReason = m.reason.isEmpty() ? u"the server closed the connection"_s : m.reason;
}

void ClientCore::handle(const Protocol::Relayed &m)
{
    checkKey(m.room, m.from);
    m_knownPeers->flush();
    Q_EMIT relayReceived(m);
}

void ClientCore::handle(const Protocol::Servers &m)
{
    Q_EMIT serversReceived(m.servers);
}

void ClientCore::handle(const Protocol::UdpRelayOpened &m)
{
    if (!m_relayRequests.removeOne(m.id))
        return; // not ours (or forgotten)
    Q_EMIT udpRelayOpened(m.id, m.port, m.token);
}

template<typename T>
void ClientCore::handle(const T &m)
{
    qCWarning(lcClient).noquote() << "ignored unexpected message from server:"
                                  << Protocol::messageTypeName(m);
}

} // namespace Client
