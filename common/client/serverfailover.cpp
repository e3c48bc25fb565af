#include <client/serverfailover.h>

#include <client/clientcore.h>
#include <client/clientlogging.h>

#include <protocol/names.h>

using namespace Qt::StringLiterals;

namespace Client {

ServerFailover::ServerFailover(ClientCore *core, QObject *parent)
    : QObject(parent)
    , m_core(core)
{
    connect(&m_selector, &ServerSelector::finished, this, &ServerFailover::ranked);
    connect(core, &ClientCore::connected, this,
            [this](const QString &server) { onConnected(server); });
    connect(core, &ClientCore::stateChanged, this, &ServerFailover::onStateChanged);
    connect(core, &ClientCore::connectionFailed, this, [this](const QString &reason) {
        if (m_stopped)
            return;
        qCInfo(lcClient).noquote() << "cannot use" << m_currentAddress << ":" << reason;
        m_lastError = u"%1: %2"_s.arg(m_currentAddress, reason);
        tryNext();
    });
    connect(core, &ClientCore::joined, this, [this](const QString &room) {
        if (!m_rooms.contains(room))
            m_rooms.append(room);
    });
    connect(core, &ClientCore::left, this,
            [this](const QString &room) { m_rooms.removeAll(room); });
    connect(core, &ClientCore::serversReceived, this, &ServerFailover::learn);
    // Connected first, so whoever else watches `disconnected` can ask isRecovering().
    connect(core, &ClientCore::disconnected, this, [this](const QString &reason) {
        if (m_restartPending) {
            m_restartPending = false;
            m_stopped = false;
            tryNext();
            return;
        }
        recover(reason);
    });
    connect(&m_backoff, &ReconnectBackoff::countdown, this, [this](int seconds) {
        ConnectionStatus s = m_status;
        s.secondsLeft = seconds;
        setStatus(s);
    });
    connect(&m_backoff, &ReconnectBackoff::due, this, &ServerFailover::retryRound);
}

void ServerFailover::start(const QList<ServerCandidate> &servers, const QString &nick)
{
    m_nick = nick;
    m_stopped = false;
    m_backoff.reset();
    setStatus({ConnectionStatus::Phase::Connecting, {}, nick, {}, 0, false});
    if (servers.size() == 1) {
        ranked(servers);
        return;
    }
    m_selector.setTlsSettings(m_core->tlsSettings());
    m_selector.probe(servers);
}

void ServerFailover::connectInOrder(const QList<ServerCandidate> &ordered, const QString &nick)
{
    m_nick = nick;
    m_ranked = ordered;
    m_picked = ordered.isEmpty() ? QString() : ordered.constFirst().address();
    m_next = 0;
    m_lastError.clear();
    m_lost.clear();
    m_recovering = false;
    m_backoff.reset();
    // A new session: the rooms come from whoever asks, not from the previous connection.
    m_rooms.clear();
    setStatus({ConnectionStatus::Phase::Connecting, {}, nick, {}, 0, false});
    if (m_core->state() != ClientCore::State::Disconnected) {
        // The current connection ends first; its end is ours, not a loss to recover from.
        m_stopped = true;
        m_restartPending = true;
        m_core->disconnectFromServer(u"reconnecting"_s);
        return;
    }
    m_stopped = false;
    tryNext();
}

void ServerFailover::stop()
{
    m_stopped = true;
    m_backoff.cancel();
}

void ServerFailover::reconnectNow()
{
    if (m_ranked.isEmpty() || m_core->state() != ClientCore::State::Disconnected)
        return;
    m_stopped = false;
    m_backoff.cancel();
    retryRound();
}

void ServerFailover::ranked(const QList<ServerCandidate> &ranking)
{
    if (m_stopped)
        return; // a measurement that ended after our goodbye
    m_ranked = ranking;
    if (!m_lost.isEmpty()) {
        // The lost server may come back (a restart): it is the last one tried in this round.
        if (const auto hp = Protocol::parseHostPort(std::exchange(m_lost, {})))
            m_ranked.append({hp->host, hp->port, {}, -1, {}});
    }
    m_next = 0;
    if (ranking.size() > 1)
        Q_EMIT measured(ranking);
    tryNext();
}

void ServerFailover::tryNext()
{
    while (m_next < m_ranked.size()) {
        const ServerCandidate &c = m_ranked.at(m_next++);
        if (c.rttMs < 0 && !c.error.isEmpty() && m_ranked.size() > 1) {
            if (m_lastError.isEmpty()) // e.g. a changed certificate: say so, not "unreachable"
                m_lastError = c.address() + u": "_s + c.error;
            continue; // measured unreachable
        }
        m_currentAddress = c.address();
        m_core->connectToServer(c.host, c.port, m_nick);
        return;
    }
    const QString reason = m_lastError.isEmpty() ? u"no server could be reached"_s : m_lastError;
    Q_EMIT exhausted(reason);
    scheduleRetry(reason);
}

void ServerFailover::recover(const QString &reason)
{
    // The lost server is left out; the others are measured again, as distances may have
    // changed since the start.
    QList<ServerCandidate> others;
    for (const ServerCandidate &c : std::as_const(m_ranked)) {
        if (c.address() != m_currentAddress)
            others.append(c);
    }
    if (m_stopped || m_ranked.isEmpty() || (others.isEmpty() && !m_retryForever)) {
        setStatus({ConnectionStatus::Phase::Offline, {}, m_nick, reason, 0, false});
        return;
    }
    m_recovering = true;
    m_lastError = u"%1: %2"_s.arg(m_currentAddress, reason);
    if (others.isEmpty()) {
        // The only server: it may be restarting. Wait a little before dialling it again.
        scheduleRetry(m_lastError);
        return;
    }
    setStatus({ConnectionStatus::Phase::Connecting, {}, m_nick, m_lastError, 0, true});
    m_lost = m_currentAddress;
    qCInfo(lcClient).noquote() << "lost" << m_currentAddress << "- measuring" << others.size()
                               << "other servers";
    m_selector.setTlsSettings(m_core->tlsSettings());
    m_selector.probe(others, 2, 1500);
}

void ServerFailover::scheduleRetry(const QString &reason)
{
    if (m_stopped || m_ranked.isEmpty() || !m_retryForever) {
        m_recovering = false;
        setStatus({ConnectionStatus::Phase::Offline, {}, m_nick, reason, 0, false});
        return;
    }
    m_backoff.schedule();
    qCInfo(lcClient).noquote() << "trying again in" << m_backoff.secondsLeft() << "s:" << reason;
    setStatus({ConnectionStatus::Phase::Waiting,
               {},
               m_nick,
               reason,
               m_backoff.secondsLeft(),
               m_recovering});
}

void ServerFailover::retryRound()
{
    if (m_stopped || m_core->state() != ClientCore::State::Disconnected)
        return;
    m_next = 0;
    m_lastError.clear();
    m_lost.clear();
    setStatus({ConnectionStatus::Phase::Connecting, {}, m_nick, {}, 0, m_recovering});
    if (m_ranked.size() == 1) {
        tryNext();
        return;
    }
    m_selector.setTlsSettings(m_core->tlsSettings());
    m_selector.probe(m_ranked, 2, 1500);
}

void ServerFailover::onConnected(const QString &server)
{
    m_backoff.reset();
    if (!m_picked.isEmpty() && m_currentAddress != m_picked)
        Q_EMIT connectedInstead(m_picked, u"%1 (%2)"_s.arg(server, m_currentAddress), m_lastError);
    m_picked.clear();
    m_lastError.clear();
    if (!m_recovering)
        return;
    m_recovering = false;
    for (const QString &room : std::as_const(m_rooms))
        m_core->join(room);
    setStatus({ConnectionStatus::Phase::Connected, server, m_core->nick(), {}, 0, false});
    Q_EMIT reconnected(server, m_rooms);
}

void ServerFailover::onStateChanged()
{
    switch (m_core->state()) {
    case ClientCore::State::Connecting:
    case ClientCore::State::Greeting:
        setStatus({ConnectionStatus::Phase::Connecting,
                   m_currentAddress,
                   m_nick,
                   {},
                   0,
                   m_recovering});
        break;
    case ClientCore::State::Ready:
        setStatus({ConnectionStatus::Phase::Connected,
                   m_core->serverName(),
                   m_core->nick(),
                   {},
                   0,
                   false});
        break;
    case ClientCore::State::Disconnected:
        break; // recover(), tryNext() or scheduleRetry() say what comes next
    }
}

void ServerFailover::setStatus(const ConnectionStatus &status)
{
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged(m_status);
}

void ServerFailover::learn(const QList<Protocol::ServerInfo> &servers)
{
    for (const Protocol::ServerInfo &s : servers) {
        const auto hp = Protocol::parseHostPort(s.address);
        if (!hp || hp->host.isEmpty() || hp->port == 0)
            continue;
        const ServerCandidate learned {hp->host, hp->port, s.name, -1, {}};
        bool known = false;
        for (ServerCandidate &c : m_ranked) {
            if (c.address() == learned.address()) {
                c.name = s.name;
                known = true;
            }
        }
        if (!known)
            m_ranked.append(learned);
    }
}

} // namespace Client
