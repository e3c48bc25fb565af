#include <client/querylist.h>

#include <protocol/messages.h>

namespace Client {

QueryList::QueryList(QObject *parent)
    : QObject(parent)
{ }

QString QueryList::peerOf(const Protocol::ChatMessage &message, const QString &ownId,
                          const QStringList &recipients)
{
    if (message.targets.size() != 1 || ownId.isEmpty())
        return {};
    const QString &target = message.targets.constFirst();
    if (message.from.id == ownId)
        return target == ownId || recipients.isEmpty() ? QString() : recipients.constFirst();
    return target == ownId ? message.from.nick : QString();
}

QString QueryList::key(const QString &room, const QString &peer)
{
    // A nick cannot hold a line break, so the pair cannot collide.
    return room + u'\n' + peer;
}

MessageListModel *QueryList::ensure(const QString &room, const QString &peer)
{
    auto it = m_queries.find(key(room, peer));
    if (it != m_queries.end())
        return it->messages;
    Query q;
    q.messages = new MessageListModel(this);
    q.messages->setOwnIdentity(m_ownNick, m_ownId);
    q.messages->setMaximumLines(m_maxLines);
    m_queries.insert(key(room, peer), q);
    m_peers[room].append(peer);
    Q_EMIT queryAdded(room, peer);
    return q.messages;
}

MessageListModel *QueryList::messages(const QString &room, const QString &peer) const
{
    return m_queries.value(key(room, peer)).messages;
}

QStringList QueryList::peers(const QString &room) const
{
    return m_peers.value(room);
}

void QueryList::setOwnIdentity(const QString &nick, const QString &clientId)
{
    m_ownNick = nick;
    m_ownId = clientId;
    for (const Query &q : std::as_const(m_queries))
        q.messages->setOwnIdentity(nick, clientId);
}

void QueryList::countLine(const QString &room, const QString &peer, bool mention)
{
    auto it = m_queries.find(key(room, peer));
    if (it == m_queries.end() || m_current.value(room) == peer)
        return;
    ++it->unread;
    if (mention)
        ++it->mentions;
    Q_EMIT unreadChanged(room, peer, it->unread, it->mentions);
}

void QueryList::setCurrent(const QString &room, const QString &peer)
{
    m_current.insert(room, peer);
    auto it = m_queries.find(key(room, peer));
    if (it == m_queries.end() || (it->unread == 0 && it->mentions == 0))
        return;
    it->unread = 0;
    it->mentions = 0;
    Q_EMIT unreadChanged(room, peer, 0, 0);
}

int QueryList::unread(const QString &room, const QString &peer) const
{
    return m_queries.value(key(room, peer)).unread;
}

int QueryList::mentionCount(const QString &room, const QString &peer) const
{
    return m_queries.value(key(room, peer)).mentions;
}

} // namespace Client
