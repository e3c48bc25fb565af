#include <server-console/udp/udprelay.h>

#include <server-console/serverlogging.h>

#include <transfer/wire/randombytes.h>

#include <QNetworkInterface>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Server {

UdpRelay::UdpRelay(const QHostAddress &bindAddress, Config config, QObject *parent)
    : QObject(parent)
    , m_bindAddress(bindAddress)
    , m_config(config)
{ }

int UdpRelay::sessionCount(const QString &clientId) const
{
    int n = 0;
    for (const RelaySession *s : m_sessions)
        n += s->owner() == clientId ? 1 : 0;
    return n;
}

RelaySession *UdpRelay::session(quint16 port) const
{
    return m_sessions.value(port);
}

bool UdpRelay::isOwnAddress(const Transfer::PeerAddress &address) const
{
    if (address.port != m_config.serverPort && !m_sessions.contains(address.port))
        return false;
    const QHostAddress ip = address.toQt();
    if (ip.isEqual(m_bindAddress, QHostAddress::TolerantConversion))
        return true;
    const bool anyAddress = m_bindAddress == QHostAddress::Any
            || m_bindAddress == QHostAddress::AnyIPv4 || m_bindAddress == QHostAddress::AnyIPv6;
    // Bound to every address: any local one reaches our sockets (all of 127/8 on Linux).
    return anyAddress && (ip.isLoopback() || QNetworkInterface::allAddresses().contains(ip));
}

std::optional<UdpRelay::Opened> UdpRelay::open(const QString &clientId,
                                               const QString &clientAddress, QString *why)
{
    if (m_config.maxSessions <= 0) {
        *why = u"this server does not relay"_s;
        return std::nullopt;
    }
    if (sessionCount() >= m_config.maxSessions) {
        *why = u"all %1 relay sessions are in use"_s.arg(m_config.maxSessions);
        return std::nullopt;
    }
    if (sessionCount(clientId) >= m_config.maxSessionsPerClient) {
        *why = u"at most %1 relay sessions per client"_s.arg(m_config.maxSessionsPerClient);
        return std::nullopt;
    }
    if (std::count(m_sessionAddress.cbegin(), m_sessionAddress.cend(), clientAddress)
        >= m_config.maxSessionsPerAddress) {
        *why = u"at most %1 relay sessions per address"_s.arg(m_config.maxSessionsPerAddress);
        return std::nullopt;
    }
    Transfer::RelayToken token {};
    Transfer::fillRandom(token);
    auto *session = new RelaySession(token, clientId, m_config.session, this);
    QString error;
    if (!session->open(m_bindAddress, &error)) {
        delete session;
        *why = u"cannot open a relay port: "_s + error;
        return std::nullopt;
    }
    const quint16 port = session->port();
    session->setOwnAddressCheck([this](const Transfer::PeerAddress &a) { return isOwnAddress(a); });
    m_sessions.insert(port, session);
    m_sessionAddress.insert(port, clientAddress);
    ++m_opened;
    connect(session, &RelaySession::expired, this, [this, port](RelaySession *s) {
        m_sessions.remove(port);
        m_sessionAddress.remove(port);
        s->deleteLater();
    });
    qCInfo(lcServer).noquote() << "relay port" << port << "opened for" << clientId;
    return Opened {port, QByteArray(reinterpret_cast<const char *>(token.data()), 16)};
}

bool UdpRelay::close(quint16 port, const QString &clientId)
{
    RelaySession *session = m_sessions.value(port);
    if (!session || session->owner() != clientId)
        return false;
    session->close(u"its owner ended the transfer"_s);
    return true;
}

void UdpRelay::closeAll()
{
    qDeleteAll(m_sessions);
    m_sessions.clear();
    m_sessionAddress.clear();
}

} // namespace Server
