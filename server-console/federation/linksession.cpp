#include <server-console/federation/linksession.h>

#include <server-console/serverlogging.h>
#include <server-console/stream/qtsocketstream.h>

#include <crypto/certificatefingerprint.h>
#include <protocol/names.h>

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSslSocket>

using namespace Qt::StringLiterals;
namespace Link = Protocol::Link;

namespace Server {

namespace {
constexpr int kNonceBytes = 32;
constexpr int kMaxBadFrames = 20;

QByteArray randomNonce()
{
    QByteArray nonce(kNonceBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(nonce.begin(), nonce.end());
    return nonce;
}

// Compares without stopping at the first difference, so timing does not reveal a prefix.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
} // namespace

LinkSession::LinkSession(FrameStream *socket, Role role, const LinkIdentity &self, Admission admit,
                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_role(role)
    , m_self(self)
    , m_admit(std::move(admit))
    , m_reader(self.preAuthFrameBytes)
    , m_nonce(randomNonce())
{
    socket->setParent(this);
    if (auto *qt = qobject_cast<QtSocketStream *>(socket))
        qt->socket()->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &FrameStream::readyRead, this, &LinkSession::readFrames);
    connect(socket, &FrameStream::disconnected, this, [this] {
        const QString error = m_socket ? m_socket->errorString() : QString();
        finish(error.isEmpty() ? u"connection closed"_s : error);
    });
    m_heartbeat.setInterval(m_self.heartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &LinkSession::beat);
    m_handshakeDeadline.setSingleShot(true);
    m_handshakeDeadline.setInterval(std::max(m_self.deadMs, 2000));
    connect(&m_handshakeDeadline, &QTimer::timeout, this,
            [this] { close(u"no handshake within %1 ms"_s.arg(m_handshakeDeadline.interval())); });
    m_handshakeDeadline.start();
    m_lastHeard.start();
}

LinkSession::~LinkSession() = default;

void LinkSession::dial(const QString &host, quint16 port)
{
    m_where = u"%1:%2"_s.arg(host).arg(port);
    auto *stream = qobject_cast<QtSocketStream *>(m_socket.data());
    Q_ASSERT(stream); // a link this server dials goes through Qt's socket
    auto *tls = qobject_cast<QSslSocket *>(stream->socket());
    if (m_self.tls && tls) {
        // The peer is authenticated by its pin or the secret's proofs, not by a CA.
        connect(tls, &QSslSocket::encrypted, this, [this] {
            send(Link::Hello {m_self.name, m_self.instance, m_nonce});
        });
        tls->setSslConfiguration(*m_self.tls);
        tls->connectToHostEncrypted(host, port);
        return;
    }
    connect(stream->socket(), &QTcpSocket::connected, this, [this] {
        send(Link::Hello {m_self.name, m_self.instance, m_nonce});
    });
    stream->socket()->connectToHost(host, port);
}

void LinkSession::answer(const QCborMap &hello, const QByteArray &unread)
{
    m_where = m_socket->peerAddress().toString();
    handle(hello);
    if (m_finished)
        return;
    // Frames that followed the hello in the same read are this link's, in order.
    if (m_reader.append(unread) < unread.size()) {
        close(u"more than %1 bytes before authentication"_s.arg(m_self.preAuthFrameBytes));
        return;
    }
    readFrames();
}

QString LinkSession::peerFingerprint() const
{
    const QByteArray certificate = m_socket ? m_socket->peerCertificateDer() : QByteArray();
    return certificate.isEmpty() ? QString() : Crypto::certificateFingerprint(certificate);
}

QByteArray LinkSession::channelBinding() const
{
    if (!m_socket)
        return {};
    const QByteArray listener = m_role == Role::Listener ? m_socket->localCertificateDer()
                                                         : m_socket->peerCertificateDer();
    return listener.isEmpty() ? QByteArray()
                              : QCryptographicHash::hash(listener, QCryptographicHash::Sha256);
}

QString LinkSession::checkPeer(const QString &name, int version) const
{
    if (version < Protocol::OldestPeerVersion)
        return u"'%1' speaks protocol %2, this server %3: update it"_s.arg(name).arg(version).arg(
                Protocol::ProtocolVersion);
    if (const QString pin = m_self.peerCerts.value(name); !pin.isEmpty()) {
        const QString seen = peerFingerprint();
        if (seen != pin)
            return u"the certificate of '%1' is %2, not the pinned %3"_s.arg(
                    name, seen.isEmpty() ? u"missing"_s : seen, pin);
        return {};
    }
    if (m_self.secret.isEmpty())
        return u"federation is closed: no link secret and no pinned certificate for '%1'"_s.arg(
                name);
    return {};
}

qint64 LinkSession::send(const Link::Message &message)
{
    if (!m_socket || !m_socket->isConnected())
        return 0;
    if (m_sendQueueFull)
        return 0;
    const QByteArray frame = Link::encodeFrame(message);
    if (m_socket->unsentBytes() + frame.size() > m_self.sendQueueBytes) {
        // The neighbour stopped reading: cut the link (it redials and resyncs its state)
        // rather than hold its traffic; from the event loop, not from inside a flood.
        m_sendQueueFull = true;
        QMetaObject::invokeMethod(
                this,
                [this] {
                    finish(u"send queue full: the peer does not read"_s);
                    if (m_socket)
                        m_socket->abort();
                },
                Qt::QueuedConnection);
        return 0;
    }
    m_socket->write(frame);
    return frame.size();
}

void LinkSession::close(const QString &reason)
{
    if (m_finished)
        return;
    if (m_socket)
        m_socket->disconnectFromHost();
    finish(reason);
}

void LinkSession::readFrames()
{
    while (m_socket && !m_finished) {
        const Protocol::DecodedFrame frame = m_reader.next();
        switch (frame.status) {
        case Protocol::FrameStatus::Incomplete:
            if (m_socket->readInto(m_reader) == 0)
                return;
            continue;
        case Protocol::FrameStatus::TooLarge:
            close(u"frame too large: "_s + frame.error);
            return;
        case Protocol::FrameStatus::Malformed:
            qCWarning(lcLink).noquote()
                    << "link" << m_peerName << "sent a bad frame:" << frame.error;
            if (++m_badFrames > kMaxBadFrames)
                close(u"too many bad frames"_s);
            continue;
        case Protocol::FrameStatus::Ok:
            m_lastHeard.restart();
            handle(frame.map, frame.consumed);
            continue;
        }
    }
}

void LinkSession::handle(const QCborMap &map, qint64 frameBytes)
{
    QString error;
    const auto message = Link::decode(map, &error);
    if (!message) {
        qCWarning(lcLink).noquote()
                << "link" << m_peerName << m_where << "dropped a message:" << error;
        if (++m_badFrames > kMaxBadFrames)
            close(u"too many bad messages"_s);
        return;
    }
    if (m_up) {
        if (std::holds_alternative<Link::Refused>(*message))
            close(u"peer closed the link: "_s + std::get<Link::Refused>(*message).reason);
        else if (!std::holds_alternative<Link::Heartbeat>(*message))
            Q_EMIT received(this, *message, frameBytes);
        return;
    }
    handleHandshake(*message);
}

void LinkSession::handleHandshake(const Link::Message &message)
{
    if (const auto *m = std::get_if<Link::Hello>(&message); m && m_role == Role::Listener)
        onHello(*m);
    else if (const auto *c = std::get_if<Link::Challenge>(&message); c && m_role == Role::Dialler)
        onChallenge(*c);
    else if (const auto *a = std::get_if<Link::Auth>(&message); a && m_role == Role::Listener)
        onAuth(*a);
    else if (std::holds_alternative<Link::Accepted>(message) && m_role == Role::Dialler)
        becomeUp();
    else if (const auto *r = std::get_if<Link::Refused>(&message)) {
        qCWarning(lcLink).noquote() << u"link to '%1' (%2) refused by the peer: %3"_s.arg(
                m_peerName, m_where, r->reason);
        close(u"refused: "_s + r->reason);
    } else {
        close(u"unexpected message during the link handshake"_s);
    }
}

QByteArray LinkSession::proof(QByteArrayView label, const QByteArray &nonce,
                              const QString &name) const
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, m_self.secret);
    mac.addData(label.data(), label.size());
    mac.addData(nonce);
    mac.addData(name.toUtf8());
    mac.addData(channelBinding());
    return mac.result();
}

void LinkSession::onHello(const Link::Hello &m)
{
    m_peerName = m.name;
    m_peerInstance = m.instance;
    if (!Protocol::isValidServerName(m.name) || m.nonce.size() < 16) {
        refuse(u"link from %1 refused: bad hello"_s.arg(m_where), u"bad hello"_s);
        return;
    }
    if (const QString why = checkPeer(m.name, m.version); !why.isEmpty()) {
        refuse(u"link from '%1' (%2) refused: %3"_s.arg(m.name, m_where, why), why);
        return;
    }
    // Our proof binds the dialler's nonce and our own name, labelled so that it can never be
    // replayed as a dialler's proof.
    send(Link::Challenge {m_self.name, m_self.instance, m_nonce,
                          proof("hopshare-link listener", m.nonce, m_self.name)});
}

void LinkSession::onChallenge(const Link::Challenge &m)
{
    m_peerName = m.name;
    m_peerInstance = m.instance;
    if (const QString why = checkPeer(m.name, m.version); !why.isEmpty()) {
        refuse(u"link to '%1' (%2) refused: %3"_s.arg(m.name, m_where, why), why);
        return;
    }
    // Without a secret the pin (checked above) is the whole authentication.
    if (!m_self.secret.isEmpty()
        && !sameBytes(m.mac, proof("hopshare-link listener", m_nonce, m.name))) {
        refuse(u"link to '%1' (%2) refused: authentication failed (bad link secret)"_s.arg(m.name,
                                                                                           m_where),
               u"authentication failed (bad link secret)"_s);
        return;
    }
    if (const QString why = m_admit(m.name, m.instance); !why.isEmpty()) {
        refuse(u"link to '%1' (%2) refused: %3"_s.arg(m.name, m_where, why), why);
        return;
    }
    send(Link::Auth {proof("hopshare-link dialler", m.nonce, m_self.name)});
}

void LinkSession::onAuth(const Link::Auth &m)
{
    if (!m_self.secret.isEmpty()
        && !sameBytes(m.mac, proof("hopshare-link dialler", m_nonce, m_peerName))) {
        refuse(u"link from '%1' (%2) refused: authentication failed (bad link secret)"_s.arg(
                       m_peerName, m_where),
               u"authentication failed (bad link secret)"_s);
        return;
    }
    if (const QString why = m_admit(m_peerName, m_peerInstance); !why.isEmpty()) {
        refuse(u"link from '%1' (%2) refused: %3"_s.arg(m_peerName, m_where, why), why);
        return;
    }
    send(Link::Accepted {});
    becomeUp();
}

void LinkSession::refuse(const QString &logText, const QString &reason)
{
    qCWarning(lcLink).noquote() << logText;
    send(Link::Refused {reason});
    close(u"refused: "_s + reason);
}

void LinkSession::becomeUp()
{
    m_up = true;
    m_reader.setMaxFrameBytes(Link::MaxLinkFrameBytes);
    m_handshakeDeadline.stop();
    m_heartbeat.start();
    qCInfo(lcLink).noquote() << u"link to '%1' (%2) is up"_s.arg(m_peerName, m_where);
    Q_EMIT up(this);
}

void LinkSession::beat()
{
    if (m_lastHeard.elapsed() > m_self.deadMs && m_socket) {
        // This server may itself have been too busy to read (a long burst of work delays
        // every handler): what already waits in the socket proves the peer alive.
        m_socket->pollIncoming();
        readFrames();
        if (m_finished)
            return;
    }
    if (m_lastHeard.elapsed() > m_self.deadMs) {
        close(u"no heartbeat for %1 ms"_s.arg(m_lastHeard.elapsed()));
        return;
    }
    send(Link::Heartbeat {});
}

void LinkSession::finish(const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_heartbeat.stop();
    m_handshakeDeadline.stop();
    if (m_up)
        qCInfo(lcLink).noquote() << u"link to '%1' is down: %2"_s.arg(m_peerName, reason);
    else if (m_role == Role::Listener)
        qCWarning(lcLink).noquote() << u"link from %1 %2 closed before authentication: %3"_s.arg(
                m_where, m_peerName, reason);
    m_up = false;
    Q_EMIT down(this, reason);
}

} // namespace Server
