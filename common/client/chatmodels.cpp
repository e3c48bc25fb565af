#include <client/chatmodels.h>

#include <client/clientcore.h>
#include <client/knownpeers.h>

#include <crypto/identitykey.h>

namespace Client {

ChatModels::ChatModels(ClientCore *core, QObject *parent)
    : QObject(parent)
    , m_core(core)
{
    connect(core, &ClientCore::connected, this, &ChatModels::onConnected);
    connect(core, &ClientCore::joined, this, &ChatModels::onJoined);
    connect(core, &ClientCore::left, this, &ChatModels::onLeft);
    connect(core, &ClientCore::memberJoined, this, &ChatModels::onMemberJoined);
    connect(core, &ClientCore::memberLeft, this, &ChatModels::onMemberLeft);
    connect(core, &ClientCore::messageReceived, this, &ChatModels::onMessage);
    connect(core, &ClientCore::disconnected, this, &ChatModels::onDisconnected);
    connect(core, &ClientCore::memberKeyChanged, this, &ChatModels::onMemberKeyChanged);
    connect(core, &ClientCore::memberKeyTrusted, this, &ChatModels::onMemberKeyTrusted);
    connect(core, &ClientCore::serverError, this, [this](const Protocol::Error &e) {
        if (!e.room.isEmpty() && m_byRoom.contains(e.room))
            addNotice(e.room, e.text, true);
    });
}

MessageListModel *ChatModels::messages(const QString &room) const
{
    return m_byRoom.value(room).messages;
}

MemberListModel *ChatModels::members(const QString &room) const
{
    return m_byRoom.value(room).members;
}

ChatModels::Room &ChatModels::ensureRoom(const QString &room)
{
    auto it = m_byRoom.find(room);
    if (it == m_byRoom.end()) {
        Room r {new MessageListModel(this), new MemberListModel(this)};
        r.messages->setOwnIdentity(m_core->nick(), m_core->clientId());
        r.messages->setMaximumLines(m_maxLines);
        r.members->setOwnId(m_core->clientId());
        it = m_byRoom.insert(room, r);
    }
    if (m_rooms.indexOf(room) < 0) {
        m_rooms.addRoom(room);
        Q_EMIT roomAdded(room);
    }
    return *it;
}

void ChatModels::onConnected(const QString &, const QString &clientId)
{
    m_queries.setOwnIdentity(m_core->nick(), clientId);
    for (const Room &r : std::as_const(m_byRoom)) {
        r.messages->setOwnIdentity(m_core->nick(), clientId);
        r.members->setOwnId(clientId);
    }
}

void ChatModels::onJoined(const QString &room, const QList<Protocol::MemberInfo> &members)
{
    Room &r = ensureRoom(room);
    r.messages->setOwnIdentity(m_core->nick(), m_core->clientId());
    r.members->setOwnId(m_core->clientId());
    r.members->setMembers(members);
    markUntrustedKeys(r.members, members);
    r.messages->appendSystem(
            MessageListModel::Kind::Join,
            tr("You joined %1 (%n member(s))", nullptr, int(members.size())).arg(room));
}

void ChatModels::onLeft(const QString &room)
{
    if (!m_byRoom.contains(room))
        return;
    // The lines stay for reading; the room leaves the list.
    m_byRoom.value(room).members->clear();
    m_byRoom.value(room).messages->appendSystem(MessageListModel::Kind::Leave,
                                                tr("You left %1").arg(room));
    m_rooms.removeRoom(room);
    Q_EMIT roomRemoved(room);
}

void ChatModels::onMemberJoined(const QString &room, const Protocol::MemberInfo &member)
{
    if (!m_byRoom.contains(room))
        return;
    Room &r = ensureRoom(room);
    r.members->addMember(member);
    markUntrustedKeys(r.members, {member});
    r.messages->appendSystem(MessageListModel::Kind::Join,
                             tr("%1 joined (on %2)").arg(member.nick, member.server));
    m_rooms.noteEvent(room);
}

void ChatModels::onMemberLeft(const QString &room, const Protocol::MemberInfo &member,
                              const QString &reason)
{
    if (!m_byRoom.contains(room))
        return;
    Room &r = ensureRoom(room);
    r.members->removeMember(member.id);
    using Kind = MessageListModel::Kind;
    if (reason == u"split") {
        r.messages->appendSystem(
                Kind::Split,
                tr("%1 is unreachable: the link to %2 was lost").arg(member.nick, member.server));
    } else if (reason == u"quit") {
        r.messages->appendSystem(Kind::Leave, tr("%1 quit").arg(member.nick));
    } else if (reason == u"timeout") {
        r.messages->appendSystem(Kind::Leave, tr("%1 timed out").arg(member.nick));
    } else {
        r.messages->appendSystem(Kind::Leave, tr("%1 left").arg(member.nick));
    }
    m_rooms.noteEvent(room);
}

void ChatModels::onMessage(const Protocol::ChatMessage &message)
{
    if (!m_byRoom.contains(message.room))
        return;
    MessageListModel *lines = ensureRoom(message.room).messages;
    // A private line names who it went to (the wire carries ids): the sender can see where
    // it went, and the others who else got it.
    QStringList recipients;
    if (!message.targets.isEmpty()) {
        const QList<Protocol::MemberInfo> members = m_core->members(message.room);
        for (const QString &id : message.targets) {
            const auto it = std::find_if(members.cbegin(), members.cend(),
                                         [&](const Protocol::MemberInfo &m) { return m.id == id; });
            recipients << (it == members.cend()
                                   ? id
                                   : (id == m_core->clientId() ? tr("you") : it->nick));
        }
    }
    // A line between me and one peer goes to that peer's query instead (its own tab); the
    // room's count still rises, so a private line in a room not on screen is noticed.
    const QString peer = QueryList::peerOf(message, m_core->clientId(), recipients);
    if (!peer.isEmpty()) {
        m_queries.setOwnIdentity(m_core->nick(), m_core->clientId());
        lines = m_queries.ensure(message.room, peer);
    }
    lines->appendMessage(message, recipients);
    const bool mention = lines->entry(lines->rowCount() - 1).mention;
    if (!peer.isEmpty())
        m_queries.countLine(message.room, peer, mention);
    m_rooms.countLine(message.room, mention);
    if (mention)
        Q_EMIT mentioned(message.room, message.from.nick, message.text);
}

void ChatModels::onDisconnected(const QString &reason)
{
    for (const QString &room : m_rooms.rooms()) {
        Room &r = ensureRoom(room);
        r.members->clear();
        r.messages->appendSystem(MessageListModel::Kind::Error, tr("Disconnected: %1").arg(reason));
    }
}

void ChatModels::markUntrustedKeys(MemberListModel *members,
                                   const QList<Protocol::MemberInfo> &list)
{
    for (const Protocol::MemberInfo &m : list) {
        if (m_core->hasUntrustedKey(m))
            members->setKeyWarning(
                    m.nick,
                    Crypto::IdentityKey::fingerprintOf(m_core->knownPeers().trustedKey(m.nick)));
    }
}

void ChatModels::onMemberKeyChanged(const QString &room, const Protocol::MemberInfo &member,
                                    const QString &oldFingerprint, const QString &newFingerprint)
{
    if (!m_byRoom.contains(room))
        return;
    Room &r = ensureRoom(room);
    r.members->setKeyWarning(member.nick, oldFingerprint);
    r.messages->appendSystem(MessageListModel::Kind::Error,
                             tr("Warning: the key of %1 changed (%2 -> %3). It may be someone "
                                "else using this nick.")
                                     .arg(member.nick, oldFingerprint, newFingerprint));
    m_rooms.countLine(room, false);
}

void ChatModels::onMemberKeyTrusted(const QString &nick, const QString &fingerprint)
{
    for (auto it = m_byRoom.cbegin(); it != m_byRoom.cend(); ++it) {
        if (it->members->indexOfNick(nick) < 0)
            continue;
        it->members->setKeyWarning(nick, {});
        it->messages->appendSystem(MessageListModel::Kind::Notice,
                                   tr("You now trust key %1 for %2").arg(fingerprint, nick));
    }
}

void ChatModels::addNotice(const QString &room, const QString &text, bool error)
{
    if (!m_byRoom.contains(room))
        return;
    ensureRoom(room).messages->appendSystem(
            error ? MessageListModel::Kind::Error : MessageListModel::Kind::Notice, text);
}

void ChatModels::addReconnected(const QString &server, const QStringList &rooms)
{
    for (const QString &room : rooms)
        addNotice(room, tr("reconnected to %1").arg(server));
}

void ChatModels::addShareAnnouncement(const QString &room, const QString &fileName, qint64 size,
                                      const QString &sha256, const QString &fromNick)
{
    if (!m_byRoom.contains(room))
        return;
    ensureRoom(room).messages->appendShare(fromNick, fileName, size, sha256);
    m_rooms.countLine(room, false);
}

} // namespace Client
