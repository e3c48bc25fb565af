#include <client-cli/clisession.h>

#include <client/profile.h>
#include <protocol/errorcode.h>

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Cli {

namespace {
constexpr int kFinishTimeoutMs = 5000;
}

CliSession::CliSession(CliConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_printer(m_config.json)
{
    m_sleepTimer.setSingleShot(true);
    connect(&m_sleepTimer, &QTimer::timeout, this, &CliSession::runQueue);
    m_finishDeadline.setSingleShot(true);
    connect(&m_finishDeadline, &QTimer::timeout, this, [this] { finish(m_exitCode); });
    if (!m_config.rooms.isEmpty())
        m_currentRoom = m_config.rooms.constFirst();
    m_core.setTlsSettings(m_config.tls);
    m_core.setShowAddress(m_config.showAddress);
    connectSignals();
}

void CliSession::start()
{
    // The closest server is chosen by measurement; losing it later fails over to the next.
    QList<Client::ServerCandidate> candidates;
    for (const ServerAddress &s : std::as_const(m_config.servers))
        candidates.append({s.host, s.port, {}, -1, {}});
    QString error;
    const auto profile = m_config.identity.isEmpty()
            ? Client::ProfilePaths::standard()
            : Client::ProfilePaths::forIdentity(m_config.identity);
    if (!Client::loadProfile(m_core, profile, &error)) {
        m_printer.error(u"identity"_s, error);
        QTimer::singleShot(0, this, [this] { finish(UsageError); });
        return;
    }
    if (!m_files.configure(m_config)) {
        // Not yet in the event loop: finish once it runs so that exit() is not lost.
        QTimer::singleShot(0, this, [this] { finish(UsageError); });
        return;
    }
    m_failover.start(candidates, m_config.nick);
    if (m_config.execCommands) {
        for (const QString &c : std::as_const(*m_config.execCommands))
            m_queue.enqueue(c);
        m_inputEnded = true;
    }
}

void CliSession::connectSignals()
{
    using Client::ClientCore;
    connect(&m_core, &ClientCore::connected, this, &CliSession::onConnected);
    connect(&m_files, &FileCommands::waitEnded, this, &CliSession::runQueue);
    connect(&m_failover, &Client::ServerFailover::measured, this,
            [this](const QList<Client::ServerCandidate> &ranked) { m_printer.servers(ranked); });
    connect(&m_failover, &Client::ServerFailover::reconnected, this,
            [this](const QString &server, const QStringList &rooms) {
                m_printer.reconnected(server, rooms);
            });
    connect(&m_failover, &Client::ServerFailover::exhausted, this, [this](const QString &reason) {
        m_printer.connectionFailed(reason);
        finish(ConnectionError);
    });
    connect(&m_core, &ClientCore::disconnected, this, [this](const QString &reason) {
        if (!m_finishing && m_failover.isRecovering()) {
            m_printer.info(u"connection lost (%1); failing over"_s.arg(reason));
            return;
        }
        m_printer.disconnected(reason);
        finish(m_finishing ? m_exitCode : ConnectionError);
    });
    connect(&m_core, &ClientCore::joined, this,
            [this](const QString &room, const QList<Protocol::MemberInfo> &members) {
                m_printer.joined(room, members);
                m_currentRoom = room;
                if (m_pendingJoins.remove(room))
                    runQueue();
            });
    connect(&m_core, &ClientCore::left, this, [this](const QString &room) {
        m_printer.left(room);
        if (m_currentRoom == room)
            m_currentRoom = m_core.rooms().value(0);
    });
    connect(&m_core, &ClientCore::memberJoined, this,
            [this](const QString &room, const Protocol::MemberInfo &m) {
                m_printer.memberJoined(room, m);
            });
    connect(&m_core, &ClientCore::memberLeft, this,
            [this](const QString &room, const Protocol::MemberInfo &m, const QString &reason) {
                m_printer.memberLeft(room, m, reason);
            });
    connect(&m_core, &ClientCore::messageReceived, this,
            [this](const Protocol::ChatMessage &m) { m_printer.message(m); });
    connect(&m_core, &ClientCore::memberKeyChanged, this,
            [this](const QString &room, const Protocol::MemberInfo &m, const QString &oldFp,
                   const QString &newFp) { m_printer.keyChanged(room, m, oldFp, newFp); });
    connect(&m_core, &ClientCore::memberKeyTrusted, this,
            [this](const QString &nick, const QString &fp) { m_printer.keyTrusted(nick, fp); });
    connect(&m_core, &ClientCore::pongReceived, this,
            [this](quint32 id, const QString &server, double rtt, int hops) {
                if (id == m_barrierPing) {
                    m_core.disconnectFromServer(u"quit"_s);
                    return;
                }
                m_printer.pong(server, rtt, hops);
            });
    connect(&m_core, &ClientCore::serverError, this, [this](const Protocol::Error &e) {
        m_printer.error(Protocol::errorCodeName(e.code), e.text, e.ref, e.room);
        m_exitCode = ServerReportedError;
        if (e.ref == u"join" && m_pendingJoins.remove(e.room))
            runQueue();
    });
}

void CliSession::onConnected(const QString &server, const QString &id)
{
    m_printer.connected(server, id, m_config.nick, m_core.observedAddress());
    if (m_ready)
        return; // a failover: the rooms are rejoined by m_failover

    for (const QString &room : std::as_const(m_config.rooms)) {
        m_pendingJoins.insert(room);
        m_core.join(room, m_config.roomKey);
    }
    m_ready = true;
    runQueue();
}

void CliSession::enqueue(const QString &line)
{
    m_queue.enqueue(line);
    runQueue();
}

void CliSession::endOfInput()
{
    m_inputEnded = true;
    runQueue();
}

void CliSession::runQueue()
{
    // Commands wait for the initial joins so that "say" has a room to go to.
    while (m_ready && m_pendingJoins.isEmpty() && !m_sleepTimer.isActive() && !m_finishing
           && !m_files.isWaiting()) {
        if (m_queue.isEmpty()) {
            if (m_inputEnded)
                beginFinish();
            return;
        }
        const QString line = m_queue.dequeue();
        const Client::Command::ParseResult parsed = Client::Command::parse(line);
        if (!parsed.error.isEmpty()) {
            m_printer.error(u"bad-command"_s, parsed.error);
            m_exitCode = UsageError;
            continue;
        }
        if (parsed.command)
            execute(*parsed.command);
    }
}

QString CliSession::roomOr(const QString &room) const
{
    return room.isEmpty() ? m_currentRoom : room;
}

void CliSession::execute(const Client::Command::Command &command)
{
    namespace C = Client::Command;
    std::visit(
            [this](const auto &c) {
                using T = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<T, C::Say>) {
                    if (m_currentRoom.isEmpty()) {
                        m_printer.error(u"no-room"_s, u"join a room first"_s);
                        m_exitCode = UsageError;
                        return;
                    }
                    m_core.say(m_currentRoom, c.text, c.targets);
                } else if constexpr (std::is_same_v<T, C::Join>) {
                    m_core.join(c.room, c.key);
                } else if constexpr (std::is_same_v<T, C::Leave>) {
                    m_core.leave(roomOr(c.room));
                } else if constexpr (std::is_same_v<T, C::Use>) {
                    if (m_core.rooms().contains(c.room))
                        m_currentRoom = c.room;
                    else
                        m_printer.error(u"not-in-room"_s, u"not in room '%1'"_s.arg(c.room));
                } else if constexpr (std::is_same_v<T, C::Who>) {
                    const QString room = roomOr(c.room);
                    m_printer.who(room, m_core.members(room));
                } else if constexpr (std::is_same_v<T, C::Ping>) {
                    m_core.ping(c.server);
                } else if constexpr (std::is_same_v<T, C::Sleep>) {
                    m_sleepTimer.start(int(c.seconds * 1000));
                } else if constexpr (std::is_same_v<T, C::Quit>) {
                    m_queue.clear();
                    m_inputEnded = true;
                } else if constexpr (std::is_same_v<T, C::Help>) {
                    m_printer.info(Client::Command::helpText());
                } else if constexpr (std::is_same_v<T, C::Trust>) {
                    if (!m_core.trustKey(c.nick)) {
                        m_printer.error(u"no-such-member"_s,
                                        u"nobody called '%1' in my rooms"_s.arg(c.nick));
                        m_exitCode = UsageError;
                    }
                } else {
                    QString error;
                    if (!m_files.execute(c, m_currentRoom, &error)) {
                        m_printer.error(u"files"_s, error);
                        m_exitCode = UsageError;
                    }
                }
            },
            command);
}

void CliSession::beginFinish()
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_failover.stop();
    m_finishDeadline.start(kFinishTimeoutMs);
    // The server answers in order: once this ping returns, every earlier request has been
    // handled and its replies printed. Then say goodbye.
    m_barrierPing = m_core.ping();
}

void CliSession::finish(int code)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(code);
}

} // namespace Cli
