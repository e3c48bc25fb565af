#include <server-console/federation/linkmanager.h>

#include <server-console/serverlogging.h>
#include <server-console/stream/qtsocketstream.h>

#include <QDateTime>
#include <QSslSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Server {

namespace {
constexpr int kRedialMaxMs = 10000;
}

LinkManager::LinkManager(LinkIdentity self, LinkSession::Admission admit, int redialMinMs,
                         QObject *parent)
    : QObject(parent)
    , m_self(std::move(self))
    , m_admit(std::move(admit))
    , m_redialMinMs(redialMinMs)
{ }

LinkManager::~LinkManager()
{
    for (LinkSession *link : std::as_const(m_links))
        link->disconnect(this);
}

void LinkManager::addPeer(const QString &host, quint16 port)
{
    m_peers.append(Peer {host, port, nullptr, m_redialMinMs});
    dial(int(m_peers.size()) - 1);
}

void LinkManager::dial(int index)
{
    if (m_stopped || m_peers[index].link)
        return;
    auto *link = new LinkSession(new QtSocketStream(new QSslSocket), LinkSession::Role::Dialler,
                                 m_self, m_admit, this);
    m_peers[index].link = link;
    attach(link);
    link->dial(m_peers[index].host, m_peers[index].port);
}

void LinkManager::scheduleRedial(int index)
{
    Peer &peer = m_peers[index];
    const int delay = peer.backoffMs;
    peer.backoffMs = std::min(kRedialMaxMs, peer.backoffMs * 2);
    QTimer::singleShot(delay, this, [this, index] { dial(index); });
}

QString LinkManager::admissionRefusal(const QString &address)
{
    int pending = 0;
    for (const LinkSession *l : std::as_const(m_links))
        pending += l->role() == LinkSession::Role::Listener && !l->isUp() ? 1 : 0;
    if (pending >= m_pendingMax)
        return u"%1 link handshakes already pending"_s.arg(pending);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<qint64> &times = m_recentAttempts[address];
    times.removeIf([now](qint64 t) { return now - t > 60'000; });
    if (times.size() >= m_attemptsPerMinute)
        return u"%1 link attempts from this address in the last minute"_s.arg(times.size());
    times.append(now);
    if (m_recentAttempts.size() > 4096) {
        // Forget addresses with no attempt in the last minute: they no longer limit anything,
        // and rotating source addresses must not grow the table.
        m_recentAttempts.removeIf([now](const auto &it) {
            return it.value().isEmpty() || now - it.value().last() > 60'000;
        });
    }
    return {};
}

void LinkManager::adopt(FrameStream *socket, const QCborMap &hello, const QByteArray &unread)
{
    const QString address = socket->peerAddress().toString();
    if (const QString why = admissionRefusal(address); !why.isEmpty()) {
        qCWarning(lcLink).noquote() << u"link from %1 refused: %2"_s.arg(address, why);
        socket->abort();
        socket->deleteLater();
        return;
    }
    auto *link = new LinkSession(socket, LinkSession::Role::Listener, m_self, m_admit, this);
    attach(link);
    link->answer(hello, unread);
}

void LinkManager::attach(LinkSession *link)
{
    m_links.append(link);
    connect(link, &LinkSession::up, this, &LinkManager::linkUp);
    connect(link, &LinkSession::down, this, &LinkManager::linkDown);
    connect(link, &LinkSession::received, this,
            [this](LinkSession *l, const Protocol::Link::Message &m, qint64 bytes) {
                m_traffic.count(l->peerName(), LinkTraffic::Direction::Received, m, bytes);
                Q_EMIT received(l->peerName(), m);
            });
}

void LinkManager::linkUp(LinkSession *link)
{
    for (Peer &peer : m_peers) {
        if (peer.link == link)
            peer.backoffMs = m_redialMinMs;
    }
    if (!m_announced.contains(link->peerName())) {
        m_announced.insert(link->peerName());
        Q_EMIT neighbourUp(link->peerName());
    }
}

void LinkManager::linkDown(LinkSession *link, const QString &reason)
{
    m_links.removeAll(link);
    link->deleteLater();
    for (int i = 0; i < m_peers.size(); ++i) {
        if (m_peers[i].link != link)
            continue;
        m_peers[i].link = nullptr;
        if (!m_stopped) {
            qCInfo(lcLink).noquote()
                    << u"link to %1:%2 closed (%3); re-dialling in %4 ms"_s.arg(m_peers[i].host)
                               .arg(m_peers[i].port)
                               .arg(reason)
                               .arg(m_peers[i].backoffMs);
            scheduleRedial(i);
        }
    }
    if (m_announced.contains(link->peerName()) && !linkTo(link->peerName())) {
        m_announced.remove(link->peerName());
        Q_EMIT neighbourDown(link->peerName());
    }
}

LinkSession *LinkManager::linkTo(const QString &neighbour) const
{
    for (LinkSession *l : m_links) {
        if (l->isUp() && l->peerName() == neighbour)
            return l;
    }
    return nullptr;
}

void LinkManager::send(const QString &neighbour, const Protocol::Link::Message &message)
{
    if (LinkSession *l = linkTo(neighbour))
        m_traffic.count(neighbour, LinkTraffic::Direction::Sent, message, l->send(message));
}

void LinkManager::broadcast(const Protocol::Link::Message &message, const QString &except)
{
    for (const QString &n : neighbours()) {
        if (n != except)
            send(n, message);
    }
}

void LinkManager::stop(const QString &reason)
{
    m_stopped = true;
    const QList<LinkSession *> links = m_links;
    for (LinkSession *l : links)
        l->close(reason);
}

void LinkManager::dropNeighbour(const QString &name)
{
    const QList<LinkSession *> links = m_links;
    for (LinkSession *l : links) {
        if (l->peerName() == name)
            l->close(u"dropped by this server"_s);
    }
}

QStringList LinkManager::neighbours() const
{
    QStringList out;
    for (const LinkSession *l : m_links) {
        if (l->isUp() && !out.contains(l->peerName()))
            out.append(l->peerName());
    }
    out.sort();
    return out;
}

} // namespace Server
