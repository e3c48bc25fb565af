#include <client-gui/commandrunner.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/filesharing.h>
#include <client/outbox.h>
#include <crypto/identitykey.h>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
// Commands that mean nothing without a connection (chat lines are queued instead).
bool needsServer(const Client::Command::Command &command)
{
    namespace C = Client::Command;
    return std::holds_alternative<C::Join>(command) || std::holds_alternative<C::Leave>(command)
            || std::holds_alternative<C::Ping>(command) || std::holds_alternative<C::Share>(command)
            || std::holds_alternative<C::Find>(command) || std::holds_alternative<C::Get>(command);
}
} // namespace

CommandRunner::CommandRunner(Client::ClientCore *core, Client::ChatModels *models,
                             Client::Outbox *outbox, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_models(models)
    , m_outbox(outbox)
{
    connect(core, &Client::ClientCore::pongReceived, this,
            [this](quint32 id, const QString &server, double rttMs, int hops) {
                const QString room = m_pingRooms.take(id);
                if (room.isEmpty())
                    return;
                notice(room,
                       tr("Pong from %1: %2 ms, %n hop(s)", nullptr, hops)
                               .arg(server)
                               .arg(rttMs, 0, 'f', 2));
            });
}

void CommandRunner::notice(const QString &room, const QString &text, bool error)
{
    m_models->addNotice(room, text, error);
}

void CommandRunner::get(const QString &room, const QString &what)
{
    Client::FileSharing *files = m_core->files();
    const std::optional<Client::OfferInfo> offer = files->offerFor(what);
    if (!offer) {
        notice(room, tr("No offer matches \"%1\"; use /find first.").arg(what), true);
        return;
    }
    if (m_mayDownload && !m_mayDownload(offer->sha256, offer->fileName)) {
        notice(room, tr("%1 is already here; not downloaded again.").arg(offer->fileName));
        return;
    }
    const QString id = files->downloadFor(what);
    if (id.isEmpty())
        notice(room, tr("That offer is no longer available."), true);
    else
        notice(room, tr("Downloading %1; see the Transfers panel.").arg(offer->fileName));
}

void CommandRunner::run(const QString &room, const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return;
    // Plain text is chat, even when it looks like a command word ("help me").
    if (!trimmed.startsWith(u'/') && !trimmed.startsWith(u'@')) {
        m_outbox->say(room, trimmed);
        return;
    }
    const Client::Command::ParseResult parsed = Client::Command::parse(trimmed);
    if (!parsed.error.isEmpty()) {
        notice(room, tr("Not understood: %1 (type /help)").arg(parsed.error), true);
        return;
    }
    if (!parsed.command)
        return;
    if (needsServer(*parsed.command) && m_core->state() != Client::ClientCore::State::Ready) {
        notice(room,
               tr("Not sent: you are offline. Try \"%1\" again once reconnected.").arg(trimmed),
               true);
        return;
    }
    execute(room, *parsed.command);
}

void CommandRunner::execute(const QString &room, const Client::Command::Command &command)
{
    namespace C = Client::Command;
    std::visit(
            [&](const auto &c) {
                using T = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<T, C::Say>) {
                    m_outbox->say(room, c.text, c.targets);
                } else if constexpr (std::is_same_v<T, C::Join>) {
                    m_core->join(c.room, c.key);
                    Q_EMIT roomRequested(c.room);
                } else if constexpr (std::is_same_v<T, C::Leave>) {
                    m_core->leave(c.room.isEmpty() ? room : c.room);
                } else if constexpr (std::is_same_v<T, C::Use>) {
                    Q_EMIT roomRequested(c.room);
                } else if constexpr (std::is_same_v<T, C::Who>) {
                    const QString target = c.room.isEmpty() ? room : c.room;
                    QStringList people;
                    for (const Protocol::MemberInfo &m : m_core->members(target))
                        people << m.nick % u'@' % m.server % u" ("_s
                                        % Crypto::IdentityKey::fingerprintOf(m.key) % u')';
                    notice(room, tr("In %1: %2").arg(target, people.join(u", "_s)));
                } else if constexpr (std::is_same_v<T, C::Ping>) {
                    m_pingRooms.insert(m_core->ping(c.server), room);
                } else if constexpr (std::is_same_v<T, C::Sleep>) {
                    notice(room, tr("/sleep is for scripts; nothing to do here."));
                } else if constexpr (std::is_same_v<T, C::Quit>) {
                    Q_EMIT quitRequested();
                } else if constexpr (std::is_same_v<T, C::Help>) {
                    notice(room, Client::Command::helpText());
                } else if constexpr (std::is_same_v<T, C::Share>) {
                    if (m_core->files()->shareAndAnnounce(room, c.path))
                        notice(room,
                               tr("Sharing %1; the room is told once it is indexed.").arg(c.path));
                    else
                        notice(room, tr("Cannot share %1.").arg(c.path), true);
                } else if constexpr (std::is_same_v<T, C::Find>) {
                    m_core->files()->find(room, c.pattern, c.target);
                    notice(room,
                           c.target.isEmpty()
                                   ? tr("Searching the room for \"%1\"; offers appear in "
                                        "the Offers panel.")
                                             .arg(c.pattern)
                                   : tr("Asking %1 for \"%2\"; offers appear in the "
                                        "Offers panel.")
                                             .arg(c.target, c.pattern));
                } else if constexpr (std::is_same_v<T, C::Get>) {
                    get(room, c.what);
                } else if constexpr (std::is_same_v<T, C::Cancel>) {
                    m_core->files()->cancelTransfer(c.id);
                } else if constexpr (std::is_same_v<T, C::Transfers>) {
                    notice(room,
                           tr("%n transfer(s); see the Transfers panel.", nullptr,
                              int(m_core->files()->transfers().size())));
                } else if constexpr (std::is_same_v<T, C::Trust>) {
                    if (!m_core->trustKey(c.nick))
                        notice(room, tr("Nobody called %1 is in your rooms.").arg(c.nick), true);
                } else if constexpr (std::is_same_v<T, C::Wait>) {
                    notice(room, tr("/wait is for scripts; nothing to do here."));
                } else {
                    static_assert(!sizeof(T), "every command needs a case in the input line");
                }
            },
            command);
}

} // namespace Gui
